/**
 * /onderwerpen: topics (the #hashtags of posts). The most used ones of the last days among the posts the
 * reader may see (a topic used only in a secret group never shows here for outsiders), and the ones the
 * reader follows, each with a follow button.
 */
import { type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FollowButton } from "~/components/stream/follow-button";
import { placeMeta } from "~/components/stream/place-page";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { requireUser } from "~/modules/identity/session.server";
import { topicPath } from "~/modules/stream/content";
import { followedAmong, listFollowing } from "~/modules/stream/follows.server";
import { POPULAR_TOPICS_DAYS, popularTopics } from "~/modules/stream/topics.server";

export const meta = placeMeta;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  const [popular, following] = await Promise.all([popularTopics(user), listFollowing(user)]);
  const followed = await followedAmong(
    user,
    "topic",
    popular.map((topic) => topic.id),
  );
  return {
    title: `${t("places.topics.title")} · Werkplek`,
    days: POPULAR_TOPICS_DAYS,
    popular: popular.map((topic) => ({ ...topic, following: followed.has(topic.id) })),
    following: following.topics.map((topic) => ({ ...topic, path: topicPath(topic.slug) })),
  };
}

export default function Topics() {
  const { popular, following, days } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="page topics-page">
      <h1>{t("places.topics.title")}</h1>
      <p className="lead">{t("places.topics.lead")}</p>
      <section aria-labelledby="topics-popular">
        <h2 id="topics-popular">{t("places.topics.popular", { count: days })}</h2>
        {popular.length === 0 ? (
          <p className="muted">{t("places.topics.nonePopular")}</p>
        ) : (
          <ol className="topic-list">
            {popular.map((topic) => (
              <li key={topic.id} className="topic-list__item">
                <Link to={topic.path} className="topic-list__name">
                  #{topic.name}
                </Link>
                <span className="muted">{t("places.topics.posts", { count: topic.postCount })}</span>
                <FollowButton
                  target={{ type: "topic", slug: topic.slug }}
                  following={topic.following}
                  returnTo="/onderwerpen"
                  name={`#${topic.name}`}
                />
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="topics-following">
        <h2 id="topics-following">{t("places.topics.following")}</h2>
        {following.length === 0 ? (
          <p className="muted">{t("places.topics.noneFollowing")}</p>
        ) : (
          <ul className="topic-list">
            {following.map((topic) => (
              <li key={topic.id} className="topic-list__item">
                <Link to={topic.path} className="topic-list__name">
                  #{topic.name}
                </Link>
                <FollowButton
                  target={{ type: "topic", slug: topic.slug }}
                  following
                  returnTo="/onderwerpen"
                  name={`#${topic.name}`}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
