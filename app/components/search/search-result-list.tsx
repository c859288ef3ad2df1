/** Search results: a list of circulars with number, validity badge, dates and a highlighted snippet. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { htmlLang, isLocale } from "~/i18n/config";
import { type SearchResultItem } from "../../../search/search.server";

function useDayFormat() {
  const { i18n } = useTranslation();
  const locale = isLocale(i18n.language) ? i18n.language : "nl";
  const format = new Intl.DateTimeFormat(htmlLang(locale), { dateStyle: "long", timeZone: "UTC" });
  return (iso: string) => format.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso));
}

/** The validity of a result in words (the colour only supports the text). */
export function SearchValidityBadge({
  result,
}: {
  result: Pick<SearchResultItem, "validity" | "supersededBy">;
}) {
  const { t } = useTranslation();
  return (
    <span className={`search-badge search-badge--${result.validity}`}>
      {result.validity === "superseded" && result.supersededBy
        ? t("search.supersededBy", { number: result.supersededBy })
        : t(`search.validity.${result.validity}`)}
    </span>
  );
}

function Period({ result }: { result: SearchResultItem }) {
  const { t } = useTranslation();
  const day = useDayFormat();
  if (result.validFrom && result.validUntil)
    return <>{t("search.validPeriod", { from: day(result.validFrom), until: day(result.validUntil) })}</>;
  if (result.validFrom) return <>{t("search.validFrom", { date: day(result.validFrom) })}</>;
  if (result.validUntil) return <>{t("search.validUntil", { date: day(result.validUntil) })}</>;
  return <>{t("search.published", { date: day(result.publishedAt) })}</>;
}

/** The results as an ordered list; each title is a heading with the link, so screen readers can jump. */
export function SearchResultList({
  results,
  headingLevel = 2,
}: {
  results: SearchResultItem[];
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ol className="search-results">
      {results.map((result) => (
        <li key={`${result.type}:${result.id}`} className="search-result">
          <Heading className="search-result__title">
            <Link to={result.url}>{result.title}</Link>
          </Heading>
          <p className="search-result__meta">
            {result.number ? <span className="search-result__number">{result.number}</span> : null}
            <SearchValidityBadge result={result} />
            <span className="muted">
              <Period result={result} />
            </span>
          </p>
          {/* The snippet is escaped on the server; only <mark> elements are added (search/snippet.ts). */}
          <p className="search-result__snippet" dangerouslySetInnerHTML={{ __html: result.snippet }} />
          {result.department || result.themes.length ? (
            <p className="search-result__facts muted">
              {[result.department?.name, ...result.themes.map((theme) => theme.name)]
                .filter(Boolean)
                .join(" · ")}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
