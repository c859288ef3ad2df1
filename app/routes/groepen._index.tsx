/**
 * /groepen: groups and projects. The reader's own places first, then a search by name over every place the
 * reader may know exists (open and closed ones, and secret ones they are in), filtered by kind, membership
 * and archive. A plain GET form, so it works before JavaScript loads. Any colleague may start a place
 * (createPlace has no further rule), hence the "new" button for everyone.
 */
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { PlaceBadges, placeMeta } from "~/components/stream/place-page";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { requireUser } from "~/modules/identity/session.server";
import { listPlaces, PLACE_NAME_MAX, type PlaceSummary } from "~/modules/stream/places.server";

export const meta = placeMeta;

const KINDS = { groep: "group", project: "project" } as const;

const ListParamsSchema = z.object({
  q: z.string().trim().max(PLACE_NAME_MAX).default(""),
  soort: z.enum(["alle", "groep", "project"]).default("alle"),
  mijn: z.literal("1").optional(),
  archief: z.literal("1").optional(),
  pagina: z.coerce.number().int().min(1).max(1000).default(1),
});
type ListParams = z.output<typeof ListParamsSchema>;

function listPath(params: ListParams, page: number): string {
  const search = new URLSearchParams();
  if (params.q) search.set("q", params.q);
  if (params.soort !== "alle") search.set("soort", params.soort);
  if (params.mijn) search.set("mijn", "1");
  if (params.archief) search.set("archief", "1");
  if (page > 1) search.set("pagina", String(page));
  const query = search.toString();
  return `/groepen${query ? `?${query}` : ""}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  const url = new URL(request.url);
  const raw: Record<string, string> = {};
  for (const key of ["q", "soort", "mijn", "archief", "pagina"]) {
    const value = url.searchParams.get(key);
    if (value) raw[key] = value;
  }
  const common = {
    title: `${t("places.list.title")} · Werkplek`,
    left: url.searchParams.get("status") === "left",
  };
  const parsed = ListParamsSchema.safeParse(raw);
  if (!parsed.success) return data({ ...common, params: null, mine: null, results: null }, { status: 400 });
  const params = parsed.data;
  const filtered = Boolean(params.q || params.soort !== "alle" || params.mijn || params.archief);
  const [mine, results] = await Promise.all([
    // The reader's own places on top of the unfiltered first page: what most visits are for.
    filtered || params.pagina > 1 ? null : listPlaces(user, { mine: true, includeArchived: true }),
    listPlaces(user, {
      q: params.q || undefined,
      kind: params.soort === "alle" ? undefined : KINDS[params.soort],
      mine: Boolean(params.mijn),
      includeArchived: Boolean(params.archief),
      page: params.pagina,
    }),
  ]);
  return data({ ...common, params, filtered, mine, results });
}

export default function PlacesIndex() {
  const { params, mine, results, left } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="page places-index">
      <h1>{t("places.list.title")}</h1>
      <p className="lead">{t("places.list.lead")}</p>
      <p>
        <Link to="/groepen/nieuw" className="button button--primary">
          {t("places.list.new")}
        </Link>
      </p>
      <div role="status">
        {left ? <p className="notice notice--success">{t("places.status.leftSecret")}</p> : null}
      </div>

      {mine ? (
        <section aria-labelledby="places-mine">
          <h2 id="places-mine">{t("places.list.mine")}</h2>
          {mine.items.length === 0 ? (
            <p className="muted">{t("places.list.noneMine")}</p>
          ) : (
            <PlaceCards places={mine.items} />
          )}
          {mine.hasMore ? (
            <p>
              <Link to="/groepen?mijn=1&archief=1">{t("places.list.allMine")}</Link>
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="places-search">
        <h2 id="places-search">{t("places.list.discover")}</h2>
        <Form method="get" role="search" className="search-form places-search">
          <label htmlFor="places-q" className="search-form__label">
            {t("places.list.searchLabel")}
          </label>
          <div className="search-form__row">
            <input
              id="places-q"
              type="search"
              name="q"
              defaultValue={params?.q ?? ""}
              maxLength={80}
              autoComplete="off"
              enterKeyHint="search"
              aria-invalid={params ? undefined : true}
              aria-describedby={params ? undefined : "places-error"}
            />
            <button type="submit" className="button button--primary">
              {t("places.list.search")}
            </button>
          </div>
          <div className="places-search__filters">
            <label htmlFor="places-kind">{t("places.list.kindLabel")}</label>
            <select id="places-kind" name="soort" defaultValue={params?.soort ?? "alle"}>
              <option value="alle">{t("places.list.kindAll")}</option>
              <option value="groep">{t("places.list.kindGroups")}</option>
              <option value="project">{t("places.list.kindProjects")}</option>
            </select>
            <div className="choice">
              <input
                id="places-mijn"
                type="checkbox"
                name="mijn"
                value="1"
                defaultChecked={Boolean(params?.mijn)}
              />
              <label htmlFor="places-mijn">{t("places.list.onlyMine")}</label>
            </div>
            <div className="choice">
              <input
                id="places-archief"
                type="checkbox"
                name="archief"
                value="1"
                defaultChecked={Boolean(params?.archief)}
              />
              <label htmlFor="places-archief">{t("places.list.withArchived")}</label>
            </div>
          </div>
          {params ? null : (
            <p id="places-error" className="notice notice--error" role="alert">
              {t("places.list.invalid")} <Link to="/groepen">{t("places.list.clear")}</Link>
            </p>
          )}
        </Form>
        {results && params ? (
          <>
            <p className="search-status" role="status" aria-live="polite">
              {results.items.length === 0
                ? t("places.list.noResults")
                : t("places.list.page", { page: results.page })}
            </p>
            <PlaceCards places={results.items} />
            {results.page > 1 || results.hasMore ? (
              <nav className="search-pager" aria-label={t("places.list.pagination")}>
                {results.page > 1 ? (
                  <Link className="button" rel="prev" to={listPath(params, results.page - 1)}>
                    {t("places.list.previous")}
                  </Link>
                ) : null}
                {results.hasMore ? (
                  <Link className="button" rel="next" to={listPath(params, results.page + 1)}>
                    {t("places.list.next")}
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </>
        ) : null}
      </section>
    </div>
  );
}

function PlaceCards({ places }: { places: PlaceSummary[] }) {
  const { t } = useTranslation();
  return (
    <ul className="place-cards">
      {places.map((place) => (
        <li key={place.id} className="card place-card">
          <h3 className="place-card__name">
            <Link to={place.path}>{place.name}</Link>
          </h3>
          <PlaceBadges place={place} />
          {place.description ? <p className="place-card__description">{place.description}</p> : null}
          <p className="muted place-card__facts">
            {t("places.page.members", { count: place.memberCount })}
            {place.myRole ? ` · ${t(`places.list.role.${place.myRole}`)}` : ""}
            {place.requestPending ? ` · ${t("places.list.requestPending")}` : ""}
          </p>
        </li>
      ))}
    </ul>
  );
}
