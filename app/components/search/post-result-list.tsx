/** Posts found by the site-wide search: first line as title, author, place, date, snippet and topics. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { htmlLang, isLocale } from "~/i18n/config";
import { type SearchResultItem } from "../../../search/search.server";

function useDateFormat() {
  const { i18n } = useTranslation();
  const locale = isLocale(i18n.language) ? i18n.language : "nl";
  // A fixed time zone: the server and the browser render the same day, so hydration never disagrees.
  const format = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "long",
    timeZone: "Europe/Brussels",
  });
  return (iso: string) => format.format(new Date(iso));
}

/** The posts as an ordered list; each title is a heading with the link, so screen readers can jump. */
export function PostResultList({
  results,
  headingLevel = 3,
}: {
  results: SearchResultItem[];
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const date = useDateFormat();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ol className="search-results">
      {results.map((result) => {
        const post = result.post;
        return (
          <li key={`${result.type}:${result.id}`} className="search-result">
            <Heading className="search-result__title">
              <Link to={result.url}>{result.title}</Link>
            </Heading>
            <p className="search-result__meta">
              {post?.kind === "announcement" ? (
                <span className="search-badge search-badge--valid">{t("search.site.announcement")}</span>
              ) : null}
              {post ? (
                <span>
                  {t("search.site.by")} <Link to={post.author.url}>{post.author.name}</Link>
                  {post.place ? (
                    <>
                      {" "}
                      {t("search.site.in")} <Link to={post.place.url}>{post.place.name}</Link>
                      {post.place.archived ? ` (${t("search.site.archivedPlace")})` : null}
                    </>
                  ) : null}
                </span>
              ) : null}
              <span className="muted">
                <time dateTime={result.publishedAt}>
                  {t("search.site.postedOn", { date: date(result.publishedAt) })}
                </time>
              </span>
            </p>
            {/* The snippet is escaped on the server; only <mark> elements are added (search/snippet.ts). */}
            <p className="search-result__snippet" dangerouslySetInnerHTML={{ __html: result.snippet }} />
            {post && post.topics.length > 0 ? (
              <p className="search-result__facts muted">
                <span className="reading-sr-only">{t("search.site.topics")}: </span>
                {post.topics.map((topic, index) => (
                  <span key={topic.slug}>
                    {index > 0 ? " · " : null}
                    <Link to={topic.url}>#{topic.name}</Link>
                  </span>
                ))}
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
