import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getLocale, getFixedT } from "~/i18n/i18next.server";
import { pendingAcknowledgements } from "~/modules/circulars/acknowledgements.server";
import { circularPath } from "~/modules/circulars/paths";
import { organisationFigures } from "~/modules/identity/organisation.server";
import { requireUser } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  return {
    title: `${t("home.title")} · Werkplek`,
    user: { displayName: user.displayName, department: user.department, roles: user.roles },
    figures: await organisationFigures(),
    // What this person still has to confirm: the first thing a field worker should see.
    toAcknowledge: (await pendingAcknowledgements(user)).map(({ number, title }) => ({ number, title })),
  };
}

export default function Home() {
  const { user, figures, toAcknowledge } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const firstName = user.displayName.split(" ")[0];
  return (
    <div className="page">
      <h1>{t("home.greeting", { name: firstName })}</h1>
      <p className="lead">{t("home.intro")}</p>
      <div className="card-grid">
        <section className="card" aria-labelledby="te-bevestigen">
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
        <section className="card" aria-labelledby="mijn-dienst">
          <h2 id="mijn-dienst">{t("home.yourDepartment")}</h2>
          {user.department ? (
            <p>
              {user.department.name}
              {user.department.parentName ? (
                <>
                  <br />
                  <span className="muted">{user.department.parentName}</span>
                </>
              ) : null}
            </p>
          ) : (
            <p className="muted">{t("home.noDepartment")}</p>
          )}
          <h3>{t("home.yourRoles")}</h3>
          <ul className="tag-list">
            {user.roles.map((role) => (
              <li key={role} className="tag">
                {t(`roles.${role}`)}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="cijfers">
          <h2 id="cijfers">{t("home.organisationFacts")}</h2>
          <ul className="figure-list">
            <li>{t("home.colleagues", { count: figures.users })}</li>
            <li>{t("home.departments", { count: figures.departments })}</li>
            <li>{t("home.services", { count: figures.services })}</li>
            <li>{t("home.fieldWorkers", { count: figures.fieldWorkers })}</li>
          </ul>
          <p>
            <Link to="/organisatie">{t("home.viewOrganisation")}</Link>
          </p>
        </section>
      </div>
    </div>
  );
}
