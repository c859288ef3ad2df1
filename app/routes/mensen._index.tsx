/**
 * /mensen: the people directory. A plain GET form (works before JavaScript loads); with JavaScript the
 * results follow the typing (debounced, via a fetcher on this same loader, which cancels a request a newer
 * one overtakes). The count is announced in a polite live region.
 */
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { requirePermission } from "~/modules/identity/session.server";
import {
  directoryDepartments,
  parseDirectoryParams,
  searchPeople,
  type DirectoryPage,
  type DirectoryParams,
} from "~/modules/people/directory.server";
import { DIRECTORY_QUERY_MAX, directoryPath, profilePath, type PersonSummary } from "~/modules/people/person";
import { PersonAvatar } from "~/modules/people/person-avatar";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:directory");
  const t = await getFixedT(await getLocale(request, user.locale));
  const title = `${t("people.directory.title")} · Werkplek`;
  const departments = await directoryDepartments();
  const parsed = parseDirectoryParams(new URL(request.url).searchParams);
  if (!parsed.ok) {
    return data({ title, departments, params: null, result: null }, { status: 400 });
  }
  return data({ title, departments, params: parsed.value, result: await searchPeople(user, parsed.value) });
}

function formQuery(form: HTMLFormElement): string {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") params.append(key, value.trim());
  }
  return params.toString();
}

export default function PeopleDirectory() {
  const loaded = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof loader>();
  const { t } = useTranslation();
  const timer = useRef<number | undefined>(undefined);
  // Fetcher results apply until the next navigation (a submit, a link) brings fresh loader data.
  const [instant, setInstant] = useState(false);
  useEffect(() => setInstant(false), [loaded]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const view = instant && fetcher.data ? fetcher.data : loaded;
  const busy = fetcher.state === "loading";
  const { params, result } = view;

  function refresh(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const query = formQuery(form);
      fetcher.load(`/mensen?index${query ? `&${query}` : ""}`);
      window.history.replaceState(window.history.state, "", `/mensen${query ? `?${query}` : ""}`);
      setInstant(true);
    }, 250);
  }

  return (
    <div className="page people-page">
      <h1>{t("people.directory.title")}</h1>
      <p className="lead">{t("people.directory.lead")}</p>

      <Form method="get" role="search" className="search-form people-search" onChange={refresh}>
        <label htmlFor="people-q" className="search-form__label">
          {t("people.directory.label")}
        </label>
        <p id="people-q-hint" className="muted search-form__hint">
          {t("people.directory.hint")}
        </p>
        <div className="search-form__row">
          <input
            id="people-q"
            type="search"
            name="q"
            defaultValue={loaded.params?.q ?? ""}
            maxLength={DIRECTORY_QUERY_MAX}
            autoComplete="off"
            enterKeyHint="search"
            aria-describedby={`people-q-hint${view.params ? "" : " people-error"}`}
            aria-invalid={view.params ? undefined : true}
          />
          <button type="submit" className="button button--primary">
            {t("people.directory.submit")}
          </button>
        </div>
        <div className="people-search__filters">
          <label htmlFor="people-dienst">{t("people.directory.departmentLabel")}</label>
          <select id="people-dienst" name="dienst" defaultValue={loaded.params?.dienst ?? ""}>
            <option value="">{t("people.directory.allDepartments")}</option>
            {loaded.departments.map((department) => (
              <optgroup key={department.code} label={department.name}>
                <option value={department.code}>
                  {t("people.directory.wholeDepartment", { name: department.name })}
                </option>
                {department.services.map((service) => (
                  <option key={service.code} value={service.code}>
                    {service.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        {params?.expertise ? <ExpertiseFilter params={params} /> : null}
        {view.params ? null : (
          <p id="people-error" className="notice notice--error" role="alert">
            {t("people.directory.invalid")} <Link to="/mensen">{t("people.directory.clear")}</Link>
          </p>
        )}
      </Form>

      <p className="search-status" role="status" aria-live="polite" aria-atomic="true">
        {result ? statusText(t, result, params) : ""}
      </p>
      {busy ? (
        <p className="muted search-busy" aria-hidden="true">
          {t("people.directory.searching")}
        </p>
      ) : null}

      <div aria-busy={busy || undefined}>
        {result && params ? <Results result={result} params={params} /> : null}
      </div>
    </div>
  );
}

/** The active expertise filter: a hidden field keeps it in the form, a link takes it off. */
function ExpertiseFilter({ params }: { params: DirectoryParams }) {
  const { t } = useTranslation();
  return (
    <p className="people-search__chip">
      <input type="hidden" name="expertise" value={params.expertise} />
      <span>{t("people.directory.expertiseFilter", { tag: params.expertise })}</span>{" "}
      <Link to={directoryPath({ ...params, expertise: "", pagina: 1 })}>
        {t("people.directory.removeExpertise", { tag: params.expertise })}
      </Link>
    </p>
  );
}

function statusText(
  t: ReturnType<typeof useTranslation>["t"],
  result: DirectoryPage,
  params: DirectoryParams | null,
): string {
  if (result.total === 0) return t("people.directory.noResults");
  const filtered = Boolean(params && (params.q || params.expertise || params.dienst));
  return filtered
    ? t("people.directory.results", { count: result.total })
    : t("people.directory.everyone", { count: result.total });
}

function Results({ result, params }: { result: DirectoryPage; params: DirectoryParams }) {
  const { t } = useTranslation();
  if (result.total === 0) {
    return (
      <div className="card">
        <p>{t("people.directory.noResults")}</p>
        <p className="muted">{t("people.directory.noResultsHint")}</p>
      </div>
    );
  }
  const from = (result.page - 1) * result.pageSize + 1;
  const to = from + result.people.length - 1;
  return (
    <>
      <ul className="people-list">
        {result.people.map((person) => (
          <li key={person.id}>
            <PersonCard person={person} />
          </li>
        ))}
      </ul>
      {result.pageCount > 1 ? (
        <nav className="search-pager" aria-label={t("people.directory.pagination")}>
          <p className="muted">{t("people.directory.range", { from, to, total: result.total })}</p>
          {result.page > 1 ? (
            <Link className="button" to={directoryPath({ ...params, pagina: result.page - 1 })} rel="prev">
              {t("people.directory.previous")}
            </Link>
          ) : null}
          {result.page < result.pageCount ? (
            <Link className="button" to={directoryPath({ ...params, pagina: result.page + 1 })} rel="next">
              {t("people.directory.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function PersonCard({ person }: { person: PersonSummary }) {
  const { t } = useTranslation();
  const place = [person.unit?.name, person.department?.name].filter(Boolean).join(" · ");
  return (
    <article className="person-card">
      <PersonAvatar person={person} />
      <div className="person-card__text">
        <h2 className="person-card__name">
          <Link to={profilePath(person.id)}>{person.displayName}</Link>
        </h2>
        {person.jobTitle ? <p className="person-card__job">{person.jobTitle}</p> : null}
        {place ? <p className="muted person-card__place">{place}</p> : null}
        {person.isFieldWorker ? <p className="person-badge">{t("people.directory.fieldWorker")}</p> : null}
      </div>
    </article>
  );
}
