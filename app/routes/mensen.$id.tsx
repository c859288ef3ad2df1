/**
 * /mensen/<id>: a colleague's profile. Any signed-in colleague may read it; an unknown or inactive
 * person answers 404. Field workers without work e-mail show how to reach them (through the lead of
 * their unit) instead of personal contact data, which Werkplek never shows.
 */
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/modules/identity/session.server";
import { isPeopleError } from "~/modules/people/errors";
import { directoryPath } from "~/modules/people/person";
import { PersonAvatar } from "~/modules/people/person-avatar";
import { getProfile } from "~/modules/people/profile.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:directory");
  try {
    const profile = await getProfile(user, params.id);
    return {
      title: `${profile.displayName} · Werkplek`,
      profile,
      saved: profile.isSelf && new URL(request.url).searchParams.has("bewaard"),
    };
  } catch (error) {
    if (isPeopleError(error, "not_found")) {
      throw new Response("Not found", { status: 404, statusText: "Not Found" });
    }
    throw error;
  }
}

export default function PersonProfile() {
  const { profile, saved } = useLoaderData<typeof loader>();
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
          {profile.followedByReader ? (
            <p className="muted">{t("people.profile.following", { name })}</p>
          ) : null}
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
    </div>
  );
}
