/**
 * /zoeken?q=&type=&offset=: the site-wide search. Without `type`, an overview with the first results of each
 * kind (circulars, posts, people) and its count; with `type`, one kind with pages. Every kind goes through
 * its own policy (search/search.server.ts): a post of a secret group is found by its members only. A plain
 * GET form, so it works before JavaScript loads and every result page has its own address. Circulars are
 * those in force now or soon; the filters (theme, validity, …) stay on /circulaires.
 */
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PersonResultList } from "~/components/search/person-result-list";
import { PostResultList } from "~/components/search/post-result-list";
import { SearchResultList } from "~/components/search/search-result-list";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { requireUser } from "~/modules/identity/session.server";
import { searchEveryType, type SearchResultItem } from "~/modules/search/search.server";
import { SEARCH_TYPES, type SearchType } from "../../search/document-types";
import { DEFAULT_LIMIT, MAX_OFFSET, parseSearchParams, type SearchParams } from "../../search/params";
import { MAX_QUERY_LENGTH } from "../../search/terms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

/** Results per kind in the overview; "show all" opens that kind with pages of DEFAULT_LIMIT. */
const OVERVIEW_LIMIT = 5;

type Section = {
  type: SearchType;
  total: number;
  offset: number;
  correctedQuery: string | null;
  results: SearchResultItem[];
};

/** The page's address for a query, a kind and an offset. */
function searchPath(q: string, type: SearchType | null = null, offset = 0): string {
  const params = new URLSearchParams({ q });
  if (type) params.set("type", type);
  if (offset > 0) params.set("offset", String(offset));
  return `/zoeken?${params}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const parsed = parseSearchParams(new URL(request.url).searchParams);
  const title = `${t("search.site.title")} · Werkplek`;
  // One kind at a time: a page with two kinds' pages would need two offsets.
  if (!parsed.ok || parsed.value.type.length > 1) {
    return data(
      { title, error: true, q: "", type: null, sections: null as Section[] | null, total: 0 },
      { status: 400 },
    );
  }
  const q = parsed.value.q;
  const type = parsed.value.type[0] ?? null;
  if (!q) return { title, error: false, q, type, sections: null as Section[] | null, total: 0 };

  const offset = type ? parsed.value.offset : 0;
  // The filters of /circulaires do not apply here: every kind is searched for the words alone.
  const params: SearchParams = { ...parsed.value, theme: [], department: [], validity: [], year: [] };
  delete params.include;
  const limits = Object.fromEntries(
    SEARCH_TYPES.map((kind) => [
      kind,
      type === null
        ? { limit: OVERVIEW_LIMIT, offset: 0 }
        : // The other kinds are only counted (for the tabs): no rows, no snippets.
          { limit: kind === type ? DEFAULT_LIMIT : 0, offset: kind === type ? offset : 0 },
    ]),
  ) as Record<SearchType, { limit: number; offset: number }>;
  const responses = await searchEveryType(user, params, limits, {
    locale,
    validityLabel: (validity) => t(`search.validity.${validity}`),
  });
  const sections: Section[] = SEARCH_TYPES.map((kind) => ({
    type: kind,
    total: responses[kind].total,
    offset: responses[kind].offset,
    correctedQuery: responses[kind].correctedQuery,
    results: responses[kind].results,
  }));
  return {
    title: `${t("search.site.title")}: ${q} · Werkplek`,
    error: false,
    q,
    type,
    sections: sections as Section[] | null,
    total: sections.reduce((sum, section) => sum + section.total, 0),
  };
}

export default function SiteSearch() {
  const { q, type, sections, total, error } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const current = type ? sections?.find((section) => section.type === type) : undefined;

  return (
    <div className="page search-page">
      <h1>{t("search.site.title")}</h1>
      <p className="lead">{t("search.site.lead")}</p>

      <Form method="get" action="/zoeken" role="search" className="search-form">
        <label htmlFor="site-search-q" className="search-form__label">
          {t("search.site.label")}
        </label>
        <p id="site-search-q-hint" className="muted search-form__hint">
          {t("search.site.hint")}
        </p>
        <div className="search-form__row">
          <input
            id="site-search-q"
            type="search"
            name="q"
            defaultValue={q}
            maxLength={MAX_QUERY_LENGTH}
            autoComplete="off"
            enterKeyHint="search"
            aria-describedby={`site-search-q-hint${error ? " site-search-error" : ""}`}
            aria-invalid={error || undefined}
          />
          {/* On a kind's tab, a new search stays on that tab. */}
          {type ? <input type="hidden" name="type" value={type} /> : null}
          <button type="submit" className="button button--primary">
            {t("search.site.submit")}
          </button>
        </div>
        {error ? (
          <p id="site-search-error" className="notice notice--error" role="alert">
            {t("search.site.invalid")} <Link to="/zoeken">{t("search.clear")}</Link>
          </p>
        ) : null}
      </Form>

      <p className="search-status" role="status" aria-live="polite" aria-atomic="true">
        {sections
          ? current
            ? t(`search.site.typeResultsFor.${current.type}`, { count: current.total, query: q })
            : total > 0
              ? t("search.site.resultsFor", { count: total, query: q })
              : t("search.site.noResults", { query: q })
          : ""}
      </p>

      {!sections && !error ? <p className="muted">{t("search.site.prompt")}</p> : null}

      {sections ? (
        <nav aria-label={t("search.site.typesLabel")}>
          <ul className="search-page__actions">
            <TypeTab to={searchPath(q)} current={type === null} label={t("search.site.all")} count={total} />
            {sections.map((section) => (
              <TypeTab
                key={section.type}
                to={searchPath(q, section.type)}
                current={type === section.type}
                label={t(`search.site.types.${section.type}`)}
                count={section.total}
              />
            ))}
          </ul>
        </nav>
      ) : null}

      {sections && !current && total === 0 ? (
        <div className="card">
          <p className="muted">{t("search.site.noResultsHint")}</p>
        </div>
      ) : null}

      {sections && !current
        ? sections
            .filter((section) => section.total > 0)
            .map((section) => <Overview key={section.type} section={section} q={q} />)
        : null}

      {current ? <TypePage section={current} q={q} /> : null}
    </div>
  );
}

function TypeTab({
  to,
  current,
  label,
  count,
}: {
  to: string;
  current: boolean;
  label: string;
  count: number;
}) {
  const { t } = useTranslation();
  return (
    <li>
      <Link
        to={to}
        className={current ? "button button--primary" : "button"}
        aria-current={current ? "page" : undefined}
      >
        {t("search.site.tabCount", { label, count })}
      </Link>
    </li>
  );
}

function Results({ section }: { section: Section }) {
  switch (section.type) {
    case "circular":
      return <SearchResultList results={section.results} headingLevel={3} />;
    case "post":
      return <PostResultList results={section.results} headingLevel={3} />;
    case "person":
      return <PersonResultList results={section.results} headingLevel={3} />;
  }
}

function Corrected({ section, q }: { section: Section; q: string }) {
  const { t } = useTranslation();
  return section.correctedQuery ? (
    <p className="muted">{t("search.site.corrected", { query: q, corrected: section.correctedQuery })}</p>
  ) : null;
}

/** One kind's first results in the overview, with a link to all of them. */
function Overview({ section, q }: { section: Section; q: string }) {
  const { t } = useTranslation();
  const headingId = `zoeken-${section.type}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t("search.site.tabCount", { label: t(`search.site.types.${section.type}`), count: section.total })}
      </h2>
      <Corrected section={section} q={q} />
      {section.type === "circular" ? <p className="muted">{t("search.site.inForceOnly")}</p> : null}
      <Results section={section} />
      <p>
        <Link to={searchPath(q, section.type)}>
          {t(`search.site.showAll.${section.type}`, { count: section.total })}
        </Link>
      </p>
    </section>
  );
}

/** One kind with pages. */
function TypePage({ section, q }: { section: Section; q: string }) {
  const { t } = useTranslation();
  const from = section.offset + 1;
  const to = section.offset + section.results.length;
  return (
    <section aria-labelledby="zoeken-soort">
      <h2 id="zoeken-soort">{t(`search.site.types.${section.type}`)}</h2>
      <Corrected section={section} q={q} />
      {section.type === "circular" ? (
        <p className="muted">
          {t("search.site.inForceOnly")}{" "}
          <Link to={`/circulaires?${new URLSearchParams({ q })}`}>{t("search.site.moreCirculars")}</Link>
        </p>
      ) : null}
      {section.total === 0 ? (
        <div className="card">
          <p>{t("search.site.noResults", { query: q })}</p>
          <p className="muted">{t("search.site.noResultsHint")}</p>
        </div>
      ) : (
        <Results section={section} />
      )}
      {section.total > section.results.length ? (
        <nav className="search-pager" aria-label={t("search.pagination")}>
          {section.results.length > 0 ? (
            <p className="muted">{t("search.range", { from, to, total: section.total })}</p>
          ) : null}
          {section.offset > 0 ? (
            <Link
              className="button"
              to={searchPath(q, section.type, Math.max(0, section.offset - DEFAULT_LIMIT))}
              rel="prev"
            >
              {t("search.previous")}
            </Link>
          ) : null}
          {to < section.total && section.offset + DEFAULT_LIMIT <= MAX_OFFSET ? (
            <Link
              className="button"
              to={searchPath(q, section.type, section.offset + DEFAULT_LIMIT)}
              rel="next"
            >
              {t("search.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
