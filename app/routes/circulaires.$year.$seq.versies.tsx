/**
 * The version history of a circular: every published version, a comparison of two versions
 * (?van=&naar=) and "what was in force on day X" (?datum=). Both are GET forms, so they work without
 * JavaScript and can be bookmarked. One version (/versies/<n>) renders in the outlet instead of the list.
 */
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useOutlet } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReadingDiff } from "~/components/circulars/reading-diff";
import { useReadingFormat } from "~/components/circulars/reading-format";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { type CircularDiff, diffCircularContent } from "~/modules/circulars/diff";
import { circularPath, requireCircularNumber } from "~/modules/circulars/paths";
import {
  listVersions,
  throwAsHttpError,
  versionInForceFor,
  versionsToCompare,
} from "~/modules/circulars/reading.server";
import { requireUser } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

type Problem = "badVersions" | "sameVersion" | "badDate";

function versionParam(value: string | null, latest: number): number | null {
  if (value === null || !/^\d{1,4}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= latest ? n : null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const number = requireCircularNumber(params);
  const history = await listVersions(user, number).catch(throwAsHttpError);
  const t = await getFixedT(await getLocale(request, user.locale));
  const url = new URL(request.url);
  const latest = history.versions[0]!.version;
  const problems: Problem[] = [];

  let comparison: { from: number; to: number; diff: CircularDiff } | null = null;
  const fromParam = url.searchParams.get("van");
  const toParam = url.searchParams.get("naar");
  if (fromParam !== null || toParam !== null) {
    const from = versionParam(fromParam, latest);
    const to = versionParam(toParam, latest);
    if (from === null || to === null) problems.push("badVersions");
    else if (from === to) problems.push("sameVersion");
    else {
      const { older, newer } = await versionsToCompare(user, number, from, to).catch(throwAsHttpError);
      comparison = { from: older.version, to: newer.version, diff: diffCircularContent(older, newer) };
    }
  }

  let inForce: { day: string; version: number | null; title: string | null } | null = null;
  const dayParam = url.searchParams.get("datum");
  if (dayParam !== null) {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(dayParam) ? new Date(`${dayParam}T00:00:00.000Z`) : null;
    if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== dayParam) {
      problems.push("badDate");
    } else {
      const found = await versionInForceFor(user, number, day).catch(throwAsHttpError);
      inForce = { day: dayParam, version: found?.version ?? null, title: found?.title ?? null };
    }
  }

  return data(
    {
      title: `${t("circularReading.versions.title")} ${number} · Werkplek`,
      circular: history.circular,
      versions: history.versions,
      comparison,
      inForce,
      problems,
      query: { van: fromParam ?? "", naar: toParam ?? "", datum: dayParam ?? "" },
    },
    { status: problems.length > 0 ? 400 : 200 },
  );
}

export default function CircularVersionsPage() {
  const outlet = useOutlet();
  const { circular, versions, comparison, inForce, problems, query } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useReadingFormat();
  const path = circularPath(circular.number);
  if (outlet) return outlet;
  const latest = versions[0]!.version;
  const defaultFrom = query.van || String(Math.max(1, latest - 1));
  const defaultTo = query.naar || String(latest);
  return (
    <div className="page reading-versions">
      <p>
        <Link to={path}>← {t("circularReading.versions.back", { number: circular.number })}</Link>
      </p>
      <h1>
        {t("circularReading.versions.title")}: {circular.number} {circular.title}
      </h1>

      <section className="card" aria-labelledby="versielijst">
        <h2 id="versielijst">{t("circularReading.versions.listTitle", { count: versions.length })}</h2>
        <ol className="reading-version-list" reversed>
          {versions.map((version) => (
            <li key={version.version}>
              <h3>
                <Link to={`${path}/versies/${version.version}`}>
                  {t("circularReading.versions.versionLabel", { version: version.version })}
                </Link>
                {version.version === latest ? (
                  <span className="tag">{t("circularReading.versions.current")}</span>
                ) : null}
                {version.substantial ? (
                  <span className="tag reading-tag--substantial">
                    {t("circularReading.versions.substantial")}
                  </span>
                ) : null}
              </h3>
              <p>{version.changeNote || t("circularReading.versions.noNote")}</p>
              <p className="muted">
                {t("circularReading.versions.meta", {
                  date: format.moment(version.publishedAt),
                  author: version.author,
                  approver: version.approvedBy,
                })}
              </p>
              {version.version > 1 ? (
                <Link
                  to={`${path}/versies?van=${version.version - 1}&naar=${version.version}#vergelijking`}
                  aria-label={t("circularReading.versions.compareWithPreviousLabel", {
                    version: version.version,
                  })}
                >
                  {t("circularReading.versions.compareWithPrevious")}
                </Link>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {versions.length > 1 ? (
        <section className="card" aria-labelledby="vergelijk-titel">
          <h2 id="vergelijk-titel">{t("circularReading.versions.compareTitle")}</h2>
          <Form method="get" className="reading-inline-form" preventScrollReset>
            <label>
              {t("circularReading.versions.from")}
              <select name="van" defaultValue={defaultFrom}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {t("circularReading.versions.versionLabel", { version: v.version })}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("circularReading.versions.to")}
              <select name="naar" defaultValue={defaultTo}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {t("circularReading.versions.versionLabel", { version: v.version })}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button">
              {t("circularReading.versions.compareButton")}
            </button>
          </Form>
          {problems.includes("badVersions") || problems.includes("sameVersion") ? (
            <p className="notice notice--error" role="alert">
              {t(
                `circularReading.versions.problems.${problems.includes("sameVersion") ? "sameVersion" : "badVersions"}`,
              )}
            </p>
          ) : null}
        </section>
      ) : null}

      {comparison ? (
        <section className="card" aria-labelledby="vergelijking-titel" id="vergelijking" tabIndex={-1}>
          <h2 id="vergelijking-titel">
            {t("circularReading.versions.comparisonTitle", { from: comparison.from, to: comparison.to })}
          </h2>
          <ReadingDiff diff={comparison.diff} />
        </section>
      ) : null}

      <section className="card" aria-labelledby="geldig-op-titel" id="geldig-op">
        <h2 id="geldig-op-titel">{t("circularReading.inForce.title")}</h2>
        <Form method="get" className="reading-inline-form" preventScrollReset>
          <label htmlFor="datum">{t("circularReading.inForce.label")}</label>
          <input
            id="datum"
            type="date"
            name="datum"
            defaultValue={query.datum}
            required
            aria-describedby={problems.includes("badDate") ? "datum-fout" : undefined}
            aria-invalid={problems.includes("badDate") ? true : undefined}
          />
          <button type="submit" className="button">
            {t("circularReading.inForce.button")}
          </button>
        </Form>
        {problems.includes("badDate") ? (
          <p id="datum-fout" className="notice notice--error" role="alert">
            {t("circularReading.inForce.badDate")}
          </p>
        ) : null}
        <div role="status">
          {inForce ? (
            inForce.version ? (
              <p className="notice notice--success">
                {t("circularReading.inForce.answer", {
                  date: format.day(inForce.day),
                  version: inForce.version,
                })}{" "}
                <Link to={`${path}/versies/${inForce.version}`}>{inForce.title}</Link>
              </p>
            ) : (
              <p className="notice">{t("circularReading.inForce.none", { date: format.day(inForce.day) })}</p>
            )
          ) : null}
        </div>
      </section>
    </div>
  );
}
