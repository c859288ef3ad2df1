/**
 * /mensen/<id>: a colleague's profile. Any signed-in colleague may read it; an unknown or inactive
 * person answers 404. Field workers without work e-mail show how to reach them (through the lead of
 * their unit) instead of personal contact data, which Werkplek never shows.
 *
 * Below the profile: follower counts, a follow button (not on one's own profile) and the person's posts
 * as far as the reader may see them (profileStream filters every post; ?na=<cursor> for older ones).
 */
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FollowButton } from "~/components/stream/follow-button";
import { StreamList } from "~/components/stream/stream-list";
import { requirePermission } from "~/modules/identity/session.server";
import { isPeopleError } from "~/modules/people/errors";
import { directoryPath } from "~/modules/people/person";
import { PersonAvatar } from "~/modules/people/person-avatar";
import { getProfile } from "~/modules/people/profile.server";
import { isStreamError } from "~/modules/stream/errors";
import { followCounts } from "~/modules/stream/follows.server";
import { profileStream, type StreamPage } from "~/modules/stream/stream.server";

/** Query parameter of the profile stream's cursor ("na" = after), as on every stream page. */
const CURSOR_PARAM = "na";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:directory");
  const url = new URL(request.url);
  let profile;
  try {
    profile = await getProfile(user, params.id);
  } catch (error) {
    if (isPeopleError(error, "not_found")) {
      throw new Response("Not found", { status: 404, statusText: "Not Found" });
    }
    throw error;
  }
  const cursor = url.searchParams.get(CURSOR_PARAM);
  const [counts, stream] = await Promise.all([
    followCounts(user, { type: "user", id: profile.id }),
    profileStream(user, profile.id, { cursor }).catch((error: unknown) => {
      // A cursor from another stream, tampered with or expired: say so and offer the newest posts.
      if (isStreamError(error, "invalid_input")) return null;
      throw error;
    }),
  ]);
  const path = `/mensen/${profile.id}`;
  return data(
    {
      title: `${profile.displayName} · Werkplek`,
      profile,
      saved: profile.isSelf && url.searchParams.has("bewaard"),
      follow: {
        followers: counts.followers,
        following: counts.followingUsers ?? 0,
        byMe: counts.followedByReader,
      },
      stream: stream satisfies StreamPage | null,
      returnTo: stream && cursor ? `${path}?${CURSOR_PARAM}=${encodeURIComponent(cursor)}` : path,
    },
    { status: stream ? 200 : 400 },
  );
}

export default function PersonProfile() {
  const { profile, saved, follow, stream, returnTo } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const name = profile.displayName;
  // The organisation page anchors its departments by code; a service links to its department's entry.
  const organisationCode = profile.department?.code ?? profile.unit?.code;
  return (
    <div className="page person-profile">
      <p>
        <Link to="/mensen">{t("people.profile.back")}</Link>
      </p>
      {saved ? (
        <p className="notice notice--success" role="status">
          {t("people.edit.saved")}
        </p>
      ) : null}
      <header className="person-profile__header">
        <PersonAvatar
          person={profile}
          size="large"
          alt={profile.avatarUrl ? t("people.profile.photoAlt", { name }) : ""}
        />
        <div>
          <h1>{name}</h1>
          {profile.jobTitle ? <p className="lead person-profile__job">{profile.jobTitle}</p> : null}
          {profile.isFieldWorker ? <p className="person-badge">{t("people.profile.fieldWorker")}</p> : null}
          <p className="muted person-profile__follows">
            {t("places.profile.followers", { count: follow.followers })} ·{" "}
            {t("places.profile.followingUsers", { count: follow.following })}
          </p>
          {profile.isSelf ? null : (
            <FollowButton
              target={{ type: "user", id: profile.id }}
              following={follow.byMe}
              returnTo={returnTo}
              name={name}
            />
          )}
          {profile.isSelf ? (
            <p>
              <Link className="button" to="/profiel/bewerken">
                {t("people.profile.edit")}
              </Link>
            </p>
          ) : null}
        </div>
      </header>

      <section className="card" aria-labelledby="person-work">
        <h2 id="person-work">{t("people.profile.contact")}</h2>
        <dl className="facts">
          {profile.unit ? (
            <>
              <dt>{profile.department ? t("people.profile.unit") : t("people.profile.department")}</dt>
              <dd>
                {organisationCode ? (
                  <Link to={`/organisatie#dep-${organisationCode}`}>{profile.unit.name}</Link>
                ) : (
                  profile.unit.name
                )}
              </dd>
            </>
          ) : null}
          {profile.department ? (
            <>
              <dt>{t("people.profile.department")}</dt>
              <dd>
                <Link to={`/organisatie#dep-${profile.department.code}`}>{profile.department.name}</Link>
              </dd>
            </>
          ) : null}
          {profile.email ? (
            <>
              <dt>{t("people.profile.email")}</dt>
              <dd>
                <a href={`mailto:${profile.email}`}>{profile.email}</a>
              </dd>
            </>
          ) : null}
          {profile.workPhone && profile.workPhoneHref ? (
            <>
              <dt>{t("people.profile.phone")}</dt>
              <dd>
                <a href={profile.workPhoneHref}>{profile.workPhone}</a>
              </dd>
            </>
          ) : null}
        </dl>
        {profile.contactViaTeamLead ? (
          <p>
            {profile.unit
              ? t("people.profile.viaTeamLead", { name, unit: profile.unit.name })
              : t("people.profile.viaTeamLeadNoUnit", { name })}
          </p>
        ) : !profile.email && !profile.workPhone ? (
          <p className="muted">{t("people.profile.noContact")}</p>
        ) : null}
      </section>

      {profile.expertise.length ? (
        <section className="card" aria-labelledby="person-expertise">
          <h2 id="person-expertise">{t("people.profile.expertise")}</h2>
          <ul className="tag-list">
            {profile.expertise.map((tag) => (
              <li key={tag}>
                <Link
                  className="tag"
                  to={directoryPath({ expertise: tag })}
                  aria-label={t("people.profile.expertiseLink", { tag })}
                >
                  {tag}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {profile.about ? (
        <section className="card" aria-labelledby="person-about">
          <h2 id="person-about">{t("people.profile.about")}</h2>
          <p className="person-profile__about">{profile.about}</p>
        </section>
      ) : null}

      <section className="person-profile__posts" aria-labelledby="person-posts">
        <h2 id="person-posts">{t("places.profile.posts")}</h2>
        {stream ? (
          <StreamList
            page={stream}
            label={t("places.profile.streamLabel", { name })}
            emptyMessage={
              profile.isSelf ? t("places.profile.emptySelf") : t("places.profile.empty", { name })
            }
            returnTo={returnTo}
          />
        ) : (
          <p className="notice notice--error" role="alert">
            {t("places.page.badCursor")} <Link to={`/mensen/${profile.id}`}>{t("places.page.newest")}</Link>
          </p>
        )}
      </section>
    </div>
  );
}
