/**
 * /circulaires: the entry page of KUS de circulaires. Without a query it shows the themes and what was
 * published recently; with one, the results with facets. The form is a plain GET form (works before
 * JavaScript loads); with JavaScript the results follow the typing (debounced, via a fetcher on this same
 * loader, which cancels a request that a newer one overtakes).
 */
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { SearchFacets } from "~/components/search/search-facets";
import { SearchResultList } from "~/components/search/search-result-list";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { canManageCirculars } from "~/modules/circulars/policy.server";
import { hasPermission } from "~/modules/identity/permissions";
import { requireUser } from "~/modules/identity/session.server";
import { DEFAULT_LIMIT, parseSearchParams, searchQueryString, type SearchParams } from "../../search/params";
import { searchDocuments, type SearchResponse } from "~/modules/search/search.server";
import { MAX_QUERY_LENGTH } from "../../search/terms";
import { DEFAULT_VALIDITIES } from "../../search/types";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const RECENT = 8;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const url = new URL(request.url);
  const parsed = parseSearchParams(url.searchParams);
  const base = {
    title: `${t("search.title")} · Werkplek`,
    canCreate: hasPermission(user, "create:circular"),
    canManage: canManageCirculars(user),
  };
  const options = { locale, validityLabel: (v: string) => t(`search.validity.${v}`) };
  if (!parsed.ok) {
    return data({ ...base, error: true, params: null, response: null, browse: false }, { status: 400 });
  }
  // On this page the validity boxes belong to the "include" switch: without it, what is in force.
  const params: SearchParams = parsed.value.include ? parsed.value : { ...parsed.value, validity: [] };
  const browse =
    !params.q && !params.theme.length && !params.department.length && !params.year.length && !params.include;
  const response = await searchDocuments(
    user,
    browse ? { ...params, limit: RECENT, offset: 0 } : params,
    options,
  );
  return data({ ...base, error: false, params, response, browse });
}

function hiddenCount(response: SearchResponse): number {
  if (response.validities === null || response.facets.validity.some((f) => f.selected)) return 0;
  return response.facets.validity
    .filter((f) => !DEFAULT_VALIDITIES.includes(f.value))
    .reduce((sum, f) => sum + f.count, 0);
}

function formQuery(form: HTMLFormElement): string {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") params.append(key, value);
  }
  return params.toString();
}

export default function CircularsIndex() {
  const loaded = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof loader>();
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<number | undefined>(undefined);
  // Fetcher results apply until the next navigation (a submit, a link) brings fresh loader data.
  const [instant, setInstant] = useState(false);
  useEffect(() => setInstant(false), [loaded]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const view = instant && fetcher.data ? fetcher.data : loaded;
  const busy = fetcher.state === "loading";

  function refresh(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const query = formQuery(form);
      // A newer load on the same fetcher aborts the one in flight, so stale answers never win.
      fetcher.load(`/circulaires?index${query ? `&${query}` : ""}`);
      window.history.replaceState(window.history.state, "", `/circulaires${query ? `?${query}` : ""}`);
      setInstant(true);
    }, 200);
  }

  const { response, params } = view;
  const includeAll = params?.include === "all";
  const filtersActive = Boolean(
    params && (params.theme.length || params.department.length || params.year.length || includeAll),
  );

  return (
    <div className="page search-page">
      <div className="search-page__header">
        <h1>{t("search.title")}</h1>
        {loaded.canCreate || loaded.canManage ? (
          <ul className="search-page__actions">
            {loaded.canCreate ? (
              <li>
                <Link className="button button--primary" to="/circulaires/nieuw">
                  {t("search.newCircular")}
                </Link>
              </li>
            ) : null}
            {loaded.canManage ? (
              <li>
                <Link className="button" to="/redactie">
                  {t("search.editorial")}
                </Link>
              </li>
            ) : null}
          </ul>
        ) : null}
      </div>
      <p className="lead">{t("search.lead")}</p>

      <Form method="get" role="search" className="search-form" ref={formRef} onChange={refresh}>
        <label htmlFor="search-q" className="search-form__label">
          {t("search.label")}
        </label>
        <p id="search-q-hint" className="muted search-form__hint">
          {t("search.hint")}
        </p>
        <div className="search-form__row">
          <input
            id="search-q"
            type="search"
            name="q"
            defaultValue={loaded.params?.q ?? ""}
            maxLength={MAX_QUERY_LENGTH}
            autoComplete="off"
            enterKeyHint="search"
            aria-describedby={`search-q-hint${view.error ? " search-error" : ""}`}
            aria-invalid={view.error || undefined}
          />
          <button type="submit" className="button button--primary">
            {t("search.submit")}
          </button>
        </div>
        {view.error ? (
          <p id="search-error" className="notice notice--error" role="alert">
            {t("search.invalid")} <Link to="/circulaires">{t("search.clear")}</Link>
          </p>
        ) : null}
        {response ? (
          <details className="search-filters" open={filtersActive || undefined}>
            <summary>{t("search.filters")}</summary>
            <SearchFacets
              key={searchQueryString({ ...params, q: "" })}
              facets={response.facets}
              includeAll={includeAll}
              hiddenCount={hiddenCount(response)}
            />
            <noscript>
              <button type="submit" className="button">
                {t("search.apply")}
              </button>
            </noscript>
          </details>
        ) : null}
      </Form>

      <p className="search-status" role="status" aria-live="polite" aria-atomic="true">
        {response && !view.browse ? statusText(t, response) : ""}
      </p>
      {busy ? (
        <p className="muted search-busy" aria-hidden="true">
          {t("search.searching")}
        </p>
      ) : null}

      <div aria-busy={busy || undefined}>
        {response && view.browse ? <Browse response={response} /> : null}
        {response && !view.browse ? <Results response={response} params={params} /> : null}
      </div>
    </div>
  );
}

function statusText(t: ReturnType<typeof useTranslation>["t"], response: SearchResponse): string {
  if (response.correctedQuery) {
    return `${t("search.corrected", { query: response.query, corrected: response.correctedQuery })} ${t("search.results", { count: response.total })}`;
  }
  if (response.total === 0) return t("search.noResults");
  return response.query
    ? t("search.resultsFor", { count: response.total, query: response.query })
    : t("search.results", { count: response.total });
}

function Browse({ response }: { response: SearchResponse }) {
  const { t } = useTranslation();
  return (
    <>
      <section className="card" aria-labelledby="search-themes">
        <h2 id="search-themes">{t("search.themesHeading")}</h2>
        {response.facets.themes.length ? (
          <ul className="search-themes">
            {response.facets.themes
              .slice()
              .sort((a, b) => a.label.localeCompare(b.label, "nl"))
              .map((theme) => (
                <li key={theme.value}>
                  <Link to={`/circulaires${searchQueryString({ theme: [theme.value] })}`}>
                    <span className="search-themes__name">{theme.label}</span>
                    <span className="muted">{t("search.themeCount", { count: theme.count })}</span>
                  </Link>
                </li>
              ))}
          </ul>
        ) : (
          <p className="muted">{t("search.noThemes")}</p>
        )}
      </section>
      {response.results.length ? (
        <section aria-labelledby="search-recent">
          <h2 id="search-recent">{t("search.recent")}</h2>
          <SearchResultList results={response.results} headingLevel={3} />
        </section>
      ) : null}
    </>
  );
}

function Results({ response, params }: { response: SearchResponse; params: SearchParams | null }) {
  const { t } = useTranslation();
  if (response.total === 0) {
    return (
      <div className="card">
        <p>{t("search.noResults")}</p>
        <p className="muted">{t("search.noResultsHint")}</p>
      </div>
    );
  }
  const limit = params?.limit ?? DEFAULT_LIMIT;
  const from = response.offset + 1;
  const to = response.offset + response.results.length;
  const page = (offset: number) => `/circulaires${searchQueryString({ ...params, offset })}`;
  return (
    <>
      <SearchResultList results={response.results} />
      {response.total > response.results.length ? (
        <nav className="search-pager" aria-label={t("search.pagination")}>
          <p className="muted">{t("search.range", { from, to, total: response.total })}</p>
          {response.offset > 0 ? (
            <Link className="button" to={page(Math.max(0, response.offset - limit))} rel="prev">
              {t("search.previous")}
            </Link>
          ) : null}
          {to < response.total && to < 1000 ? (
            <Link className="button" to={page(response.offset + limit)} rel="next">
              {t("search.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
