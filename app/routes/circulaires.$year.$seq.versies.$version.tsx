/** One published version of a circular, as readers saw it then (rendered inside the versions page). */
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReadingArticle } from "~/components/circulars/reading-article";
import { circularPath, numberFromParams } from "~/modules/circulars/paths";
import { getReadingView, throwAsHttpError } from "~/modules/circulars/reading.server";
import { requireUser } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const number = numberFromParams(params);
  const version = /^\d{1,4}$/.test(params.version ?? "") ? Number(params.version) : 0;
  if (!number || version < 1) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const view = await getReadingView(user, number, { version }).catch(throwAsHttpError);
  return {
    title: `${number} v${version} ${view.version.title} · Werkplek`,
    view: { ...view, circular: { ...view.circular, publishedAudience: [] as string[] } },
  };
}

export default function CircularVersionPage() {
  const { view } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const path = circularPath(view.circular.number);
  const { version } = view.version;
  return (
    <div className="page reading-page">
      <nav className="reading-tools no-print" aria-label={t("circularReading.versions.navigation")}>
        <ul>
          <li>
            <Link to={`${path}/versies`}>{t("circularReading.versions.title")}</Link>
          </li>
          {version > 1 ? (
            <li>
              <Link to={`${path}/versies?van=${version - 1}&naar=${version}#vergelijking`}>
                {t("circularReading.versions.compareWithPrevious")}
              </Link>
            </li>
          ) : null}
        </ul>
      </nav>
      <p className="notice reading-old-version" role="note">
        {view.isLatest
          ? t("circularReading.versions.isCurrent", { version })
          : t("circularReading.versions.isOld", { version, latest: view.circular.latestVersion })}{" "}
        {view.isLatest ? null : <Link to={path}>{t("circularReading.versions.readCurrent")}</Link>}
      </p>
      <div className="card reading-change-note">
        <p>
          <strong>{t("circularReading.versions.changeNote")}</strong>{" "}
          {view.version.changeNote || t("circularReading.versions.noNote")}
          {view.version.substantial ? (
            <span className="tag reading-tag--substantial">{t("circularReading.versions.substantial")}</span>
          ) : null}
        </p>
        <p className="muted">
          {t("circularReading.versions.people", {
            author: view.version.author,
            approver: view.version.approvedBy,
          })}
        </p>
      </div>
      <ReadingArticle view={view} />
    </div>
  );
}
