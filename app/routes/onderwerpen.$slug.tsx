/**
 * /onderwerpen/<slug>: one topic, its followers and the posts carrying it that the reader may see, newest
 * first (?na=<cursor> for older ones). A tag typed differently ("#Fietsen", "FIETSEN") is redirected to
 * the topic's own address; an unknown topic, or one without a single post the reader may see, is 404.
 */
import { data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FollowButton } from "~/components/stream/follow-button";
import { placeMeta } from "~/components/stream/place-page";
import { StreamList } from "~/components/stream/stream-list";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { requireUser } from "~/modules/identity/session.server";
import { isStreamError } from "~/modules/stream/errors";
import { streamErrorResponse } from "~/modules/stream/http.server";
import { topicStream, type StreamPage } from "~/modules/stream/stream.server";
import { getTopic } from "~/modules/stream/topics.server";

export const meta = placeMeta;

const CURSOR_PARAM = "na";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  const url = new URL(request.url);
  const view = await getTopic(user, params.slug).catch((error: unknown) => {
    if (isStreamError(error, "not_found", "invalid_input")) {
      throw new Response("Not found", { status: 404, statusText: "Not Found" });
    }
    throw error;
  });
  // A tag used only where the reader cannot look (a secret group) must not even be known to exist; one they
  // follow stays reachable, so they can unfollow it.
  if (view.postCount === 0 && !view.following) {
    throw new Response("Not found", { status: 404, statusText: "Not Found" });
  }
  if (view.topic.slug !== params.slug) throw redirect(`${view.topic.path}${url.search}`, 301);
  const cursor = url.searchParams.get(CURSOR_PARAM);
  let stream: StreamPage | null = null;
  try {
    stream = await topicStream(user, view.topic.slug, { cursor });
  } catch (error) {
    if (!isStreamError(error)) throw error;
    if (error.code !== "invalid_input") throw streamErrorResponse(error);
  }
  const returnTo =
    stream && cursor ? `${view.topic.path}?${CURSOR_PARAM}=${encodeURIComponent(cursor)}` : view.topic.path;
  return data(
    { title: `#${view.topic.name} · ${t("places.topics.title")} · Werkplek`, view, stream, returnTo },
    { status: stream ? 200 : 400 },
  );
}

export default function Topic() {
  const { view, stream, returnTo } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { topic } = view;
  return (
    <div className="page topic-page">
      <p>
        <Link to="/onderwerpen">{t("places.topics.back")}</Link>
      </p>
      <header className="place-header">
        <h1>#{topic.name}</h1>
        <p className="muted">{t("places.topics.posts", { count: view.postCount })}</p>
        <FollowButton
          target={{ type: "topic", slug: topic.slug }}
          following={view.following}
          count={view.followerCount}
          returnTo={returnTo}
          name={`#${topic.name}`}
        />
      </header>
      <section aria-labelledby="topic-posts">
        <h2 id="topic-posts">{t("places.topics.postsTitle")}</h2>
        {stream ? (
          <StreamList
            page={stream}
            label={t("places.topics.streamLabel", { name: topic.name })}
            emptyMessage={t("places.topics.empty")}
            returnTo={returnTo}
          />
        ) : (
          <p className="notice notice--error" role="alert">
            {t("places.page.badCursor")} <Link to={topic.path}>{t("places.page.newest")}</Link>
          </p>
        )}
      </section>
    </div>
  );
}
