/**
 * One published version of a circular as a clean article: header with number, validity and facts, a table
 * of contents, the body (HTML rendered on the server from validated Lexical JSON, safe by construction),
 * attachments. Shared by the reading page and the page of an older version.
 */
import { Link } from "@remix-run/react";
import { type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ReadingView } from "~/modules/circulars/reading.server";
import { circularPath } from "~/modules/circulars/paths";
import { useReadingFormat } from "./reading-format";
import { ValidityBadge } from "./validity-badge";

export function ReadingArticle({
  view,
  beforeBody,
}: {
  view: ReadingView;
  /** Shown between the header and the body (acknowledgement, notices). */
  beforeBody?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const format = useReadingFormat();
  const { circular, version } = view;
  const path = circularPath(circular.number);
  const department = circular.ownerDepartment.parentName
    ? `${circular.ownerDepartment.name} (${circular.ownerDepartment.parentName})`
    : circular.ownerDepartment.name;
  return (
    <article className="reading" aria-labelledby="circulaire-titel">
      <p className="reading-print-header">
        {t("circularReading.print.header", { number: circular.number, version: version.version })}
      </p>
      <header className="reading__header">
        <p className="reading__number">
          <span>{t("circularReading.number", { number: circular.number })}</span>{" "}
          {view.isLatest ? <ValidityBadge validity={view.validity} supersededBy={view.supersededBy} /> : null}
        </p>
        <h1 id="circulaire-titel">{version.title}</h1>
        {version.summary ? <p className="lead reading__summary">{version.summary}</p> : null}
        <dl className="facts reading__facts">
          <dt>{t("circularReading.facts.owner")}</dt>
          <dd>{department}</dd>
          <dt>{t("circularReading.facts.responsible")}</dt>
          <dd>
            {circular.responsible.displayName}
            {circular.responsible.jobTitle ? `, ${circular.responsible.jobTitle}` : ""}
          </dd>
          <dt>{t("circularReading.facts.validFrom")}</dt>
          <dd>{version.validFrom ? format.day(version.validFrom) : t("circularReading.facts.noStart")}</dd>
          <dt>{t("circularReading.facts.validUntil")}</dt>
          <dd>{version.validUntil ? format.day(version.validUntil) : t("circularReading.facts.noEnd")}</dd>
          <dt>{t("circularReading.facts.version")}</dt>
          <dd>
            {t("circularReading.facts.versionValue", {
              version: version.version,
              date: format.moment(version.publishedAt),
            })}{" "}
            <Link to={`${path}/versies`} className="no-print">
              {t("circularReading.facts.allVersions")}
            </Link>
          </dd>
          {circular.themes.length > 0 ? (
            <>
              <dt>{t("circularReading.facts.themes")}</dt>
              <dd>
                <ul className="tag-list">
                  {circular.themes.map((theme) => (
                    <li key={theme.id} className="tag">
                      {i18n.language === "en" ? theme.nameEn : theme.nameNl}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
          {view.supersedes ? (
            <>
              <dt>{t("circularReading.facts.replaces")}</dt>
              <dd>
                <Link to={circularPath(view.supersedes.number)}>
                  {view.supersedes.number} {view.supersedes.title}
                </Link>
              </dd>
            </>
          ) : null}
        </dl>
      </header>

      {beforeBody}

      {version.toc.length > 1 ? (
        <nav className="reading-toc card" aria-labelledby="inhoudstafel">
          <h2 id="inhoudstafel">{t("circularReading.toc")}</h2>
          <ol>
            {version.toc.map((entry) => (
              <li key={entry.id} className={`reading-toc__level-${entry.level}`}>
                <a href={`#${entry.id}`}>{entry.text}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}

      {/* Rendered by renderLexicalHtml: whitelisted tags only, every value escaped. */}
      <div className="reading-body" dangerouslySetInnerHTML={{ __html: version.html }} />

      {version.attachments.length > 0 ? (
        <section className="reading-attachments" aria-labelledby="bijlagen">
          <h2 id="bijlagen">{t("circularReading.attachments")}</h2>
          <ul>
            {version.attachments.map((file) => (
              <li key={file.id}>
                <a href={`/bestanden/${file.id}`} download={file.fileName}>
                  {file.fileName}
                </a>{" "}
                <span className="muted">
                  ({fileKind(file.mediaType)}, {format.size(file.size)})
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

function fileKind(mediaType: string): string {
  if (mediaType === "application/pdf") return "PDF";
  if (mediaType.includes("wordprocessingml")) return "Word";
  if (mediaType.includes("spreadsheetml")) return "Excel";
  if (mediaType.startsWith("image/")) return mediaType.slice(6).toUpperCase();
  return mediaType;
}
