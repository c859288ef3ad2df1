import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Composer } from "~/components/stream/composer";
import { NewPostsIndicator } from "~/components/stream/new-posts-indicator";
import { STREAM_CURSOR_PARAM, STREAM_FEED_ID, StreamList } from "~/components/stream/stream-list";
import { getLocale, getFixedT } from "~/i18n/i18next.server";
import { pendingAcknowledgements } from "~/modules/circulars/acknowledgements.server";
import { circularPath } from "~/modules/circulars/paths";
import { hasPermission } from "~/modules/identity/permissions";
import { requireUser } from "~/modules/identity/session.server";
import { PersonAvatar } from "~/modules/people/person-avatar";
import { initialsOf } from "~/modules/people/person";
import { personPath, placePath, topicPath } from "~/modules/stream/content";
import { isStreamError } from "~/modules/stream/errors";
import { listFollowing } from "~/modules/stream/follows.server";
import { streamErrorResponse } from "~/modules/stream/http.server";
import { safeReturnTo } from "~/modules/stream/return-to";
import { homeStream } from "~/modules/stream/stream.server";
import { popularTopics } from "~/modules/stream/topics.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

/** People shown under "Wat je volgt" before "and N more": the side column stays short. */
const FOLLOWING_SHOWN = 8;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  const cursor = new URL(request.url).searchParams.get(STREAM_CURSOR_PARAM);
  // One query after the other: over the embedded database's socket, parallel queries can trip over each
  // other (see the README), and the home page is the most visited one.
  const stream = await homeStream(user, { cursor }).catch((error: unknown) => {
    if (isStreamError(error)) throw streamErrorResponse(error);
    throw error;
  });
  // What this person still has to confirm: the first thing a field worker should see.
  const toAcknowledge = (await pendingAcknowledgements(user)).map(({ number, title }) => ({ number, title }));
  const topics = await popularTopics(user);
  const following = await listFollowing(user);
  return {
    title: `${t("home.title")} · Werkplek`,
    user: { displayName: user.displayName },
    toAcknowledge,
    stream,
    // Only the first page has it: the indicator counts what arrived after the newest post shown there.
    newestSeen: cursor ? null : stream.newestCursor,
    olderPage: Boolean(cursor),
    canAnnounce: hasPermission(user, "create:announcement"),
    topics: topics.map(({ slug, name, postCount }) => ({ slug, name, postCount, url: topicPath(slug) })),
    following: {
      users: following.users.slice(0, FOLLOWING_SHOWN).map((person) => ({
        ...person,
        url: personPath(person.id),
        initials: initialsOf(person.displayName),
      })),
      moreUsers: Math.max(0, following.users.length - FOLLOWING_SHOWN),
      places: following.places.map((place) => ({ ...place, url: placePath(place) })),
      topics: following.topics.map((topic) => ({ ...topic, url: topicPath(topic.slug) })),
    },
  };
}

export default function Home() {
  const { user, toAcknowledge, stream, newestSeen, olderPage, canAnnounce, topics, following } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const location = useLocation();
  const returnTo = safeReturnTo(`${location.pathname}${location.search}`, "/");
  const firstName = user.displayName.split(" ")[0];
  const followsNothing =
    following.users.length === 0 && following.places.length === 0 && following.topics.length === 0;
  return (
    <div className="page home">
      <h1>{t("home.greeting", { name: firstName })}</h1>
      <p className="lead">{t("stream.home.intro")}</p>
      {toAcknowledge.length > 0 || !olderPage ? (
        <section className="card home__acknowledge" aria-labelledby="te-bevestigen">
          <h2 id="te-bevestigen">{t("home.toAcknowledge")}</h2>
          {toAcknowledge.length === 0 ? (
            <p className="muted">{t("home.nothingToAcknowledge")}</p>
          ) : (
            <>
              <p>{t("home.toAcknowledgeCount", { count: toAcknowledge.length })}</p>
              <ul>
                {toAcknowledge.slice(0, 3).map((item) => (
                  <li key={item.number}>
                    <Link to={circularPath(item.number)}>
                      {item.number} · {item.title}
                    </Link>
                  </li>
                ))}
              </ul>
              <p>
                <Link to="/te-bevestigen">{t("home.viewAllToAcknowledge")}</Link>
              </p>
            </>
          )}
        </section>
      ) : null}
      <div className="home__layout">
        <div className="home__main">
          {olderPage ? null : <Composer returnTo={returnTo} canAnnounce={canAnnounce} />}
          <h2 id="berichten-titel" className="home__stream-title">
            {olderPage ? t("stream.home.olderTitle") : t("stream.home.streamTitle")}
          </h2>
          {newestSeen ? <NewPostsIndicator newestSeen={newestSeen} feedId={STREAM_FEED_ID} /> : null}
          {olderPage ? (
            <p>
              <Link to="/">{t("stream.home.backToNewest")}</Link>
            </p>
          ) : null}
          <StreamList
            page={stream}
            label={t("stream.home.feedLabel")}
            emptyMessage={t("stream.home.empty")}
            returnTo={returnTo}
          />
        </div>
        <aside className="home__aside" aria-label={t("stream.home.asideLabel")}>
          <section className="card" aria-labelledby="populaire-onderwerpen">
            <h2 id="populaire-onderwerpen">{t("stream.home.popularTopics")}</h2>
            {topics.length === 0 ? (
              <p className="muted">{t("stream.home.noTopics")}</p>
            ) : (
              <ol className="home__topics">
                {topics.map((topic) => (
                  <li key={topic.slug}>
                    <Link to={topic.url}>#{topic.name}</Link>{" "}
                    <span className="muted">{t("stream.home.topicPosts", { count: topic.postCount })}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section className="card" aria-labelledby="wat-je-volgt">
            <h2 id="wat-je-volgt">{t("stream.home.following")}</h2>
            {followsNothing ? <p className="muted">{t("stream.home.followingNothing")}</p> : null}
            {following.users.length > 0 ? (
              <>
                <h3>{t("stream.home.followingPeople")}</h3>
                <ul className="home__people">
                  {following.users.map((person) => (
                    <li key={person.id}>
                      <PersonAvatar person={person} />
                      <span>
                        <Link to={person.url}>{person.displayName}</Link>
                        {person.jobTitle ? <span className="muted home__job">{person.jobTitle}</span> : null}
                      </span>
                    </li>
                  ))}
                </ul>
                {following.moreUsers > 0 ? (
                  <p className="muted">{t("stream.home.morePeople", { count: following.moreUsers })}</p>
                ) : null}
              </>
            ) : null}
            {following.places.length > 0 ? (
              <>
                <h3>{t("stream.home.followingPlaces")}</h3>
                <ul className="home__places">
                  {following.places.map((place) => (
                    <li key={place.id}>
                      <Link to={place.url}>{place.name}</Link>{" "}
                      <span className="muted">
                        {t(`stream.home.placeKind.${place.kind}`)}
                        {place.archived ? ` · ${t("stream.home.archived")}` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {following.topics.length > 0 ? (
              <>
                <h3>{t("stream.home.followingTopics")}</h3>
                <ul className="tag-list">
                  {following.topics.map((topic) => (
                    <li key={topic.id}>
                      <Link to={topic.url} className="tag">
                        #{topic.name}
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        </aside>
      </div>
    </div>
  );
}
