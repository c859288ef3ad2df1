/**
 * /personeel: HR's view of how field workers can be reached outside Werkplek (permission read:reach or
 * register:contact:any). The totals say how many active field workers each channel reaches (consent plus a
 * verified contact or a push subscription); a plain GET search by name or employee number lists people with
 * their reachable channels, masked contacts and consents, each linking to their page. Everyone else: 403.
 */
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { requireUser } from "~/modules/identity/session.server";
import { findFieldWorkers, reachTotals } from "~/modules/reach/overview.server";
import { canReadReach } from "~/modules/reach/policy";
import { WORKER_PAGE_SIZE, WORKER_QUERY_MAX } from "~/modules/reach/shared";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

/** Query parameters: the search text and the page ("pagina"). */
const ParamsSchema = z.object({
  q: z.string().max(WORKER_QUERY_MAX).default(""),
  pagina: z.coerce.number().int().min(1).max(10_000).default(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!canReadReach(user)) throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  const t = await getFixedT(await getLocale(request, user.locale));
  const title = `${t("reach.hr.title")} · Werkplek`;
  const url = new URL(request.url);
  const parsed = ParamsSchema.safeParse({
    q: url.searchParams.get("q") ?? undefined,
    pagina: url.searchParams.get("pagina") ?? undefined,
  });
  const totals = await reachTotals();
  if (!parsed.success) {
    return data({ title, totals, query: "", page: 1, result: null, invalid: true }, { status: 400 });
  }
  const { q, pagina } = parsed.data;
  return data({
    title,
    totals,
    query: q,
    page: pagina,
    result: await findFieldWorkers(q, pagina),
    invalid: false,
  });
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "0" : String(Math.round((part / whole) * 100));
}

export default function Personnel() {
  const { totals, query, page, result, invalid } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const pages = result ? Math.max(1, Math.ceil(result.total / WORKER_PAGE_SIZE)) : 1;
  const pageLink = (to: number) =>
    `/personeel?${new URLSearchParams({ ...(query ? { q: query } : {}), pagina: String(to) })}`;
  return (
    <div className="page reach-page">
      <h1>{t("reach.hr.title")}</h1>
      <p className="lead">{t("reach.hr.intro")}</p>
      <section className="card" aria-labelledby="personeel-bereik">
        <h2 id="personeel-bereik">{t("reach.hr.totals.title")}</h2>
        <p>{t("reach.hr.totals.fieldWorkers", { count: totals.fieldWorkers })}</p>
        <dl className="reach-totals">
          {(["any", "push", "sms", "email", "pending"] as const).map((key) => (
            <div key={key}>
              <dt>{t(`reach.hr.totals.${key}`)}</dt>
              <dd>
                <strong>{totals[key]}</strong>{" "}
                <span className="muted">
                  ({t("reach.hr.totals.percent", { percent: percent(totals[key], totals.fieldWorkers) })})
                </span>
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card" aria-labelledby="personeel-zoeken">
        <h2 id="personeel-zoeken">{t("reach.hr.search.title")}</h2>
        <Form method="get" role="search" className="stack">
          <label htmlFor="personeel-q">{t("reach.hr.search.label")}</label>
          <input
            id="personeel-q"
            name="q"
            type="search"
            defaultValue={query}
            maxLength={WORKER_QUERY_MAX}
            aria-describedby={invalid ? "personeel-q-fout" : undefined}
            aria-invalid={invalid || undefined}
          />
          {invalid ? (
            <p className="reach-field-error" id="personeel-q-fout">
              {t("reach.hr.search.invalid")}
            </p>
          ) : null}
          <button type="submit" className="button button--primary">
            {t("reach.hr.search.submit")}
          </button>
        </Form>
        {result ? (
          <>
            <p role="status">{t("reach.hr.search.count", { count: result.total })}</p>
            {result.rows.length > 0 ? (
              <ul className="reach-workers">
                {result.rows.map((row) => (
                  <li key={row.id} className="reach-worker">
                    <p className="reach-worker__name">
                      <Link to={`/personeel/${row.id}`}>{row.displayName}</Link>{" "}
                      <span className="muted">{row.employeeNumber ?? ""}</span>
                    </p>
                    <p className="muted">{[row.jobTitle, row.department].filter(Boolean).join(" · ")}</p>
                    <p>
                      {row.reachable.length === 0 ? (
                        <span className="reach-badge">{t("reach.hr.unreachable")}</span>
                      ) : (
                        row.reachable.map((channel) => (
                          <span key={channel} className="reach-badge reach-badge--ok">
                            {t(`reach.channels.${channel}`)}
                          </span>
                        ))
                      )}
                    </p>
                    {row.contacts.length > 0 ? (
                      <ul className="reach-worker__contacts">
                        {row.contacts.map((contact) => (
                          <li key={`${contact.kind}:${contact.masked}:${contact.verified}`}>
                            {t(`reach.contacts.${contact.kind}.short`)}: {contact.masked}{" "}
                            <span className="muted">
                              ({contact.verified ? t("reach.contacts.verified") : t("reach.contacts.waiting")}
                              )
                            </span>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    <p className="muted">
                      {row.consents.length === 0
                        ? t("reach.hr.noConsent")
                        : t("reach.hr.consents", {
                            list: row.consents.map((purpose) => t(`reach.purposes.${purpose}`)).join(", "),
                          })}
                    </p>
                  </li>
                ))}
              </ul>
            ) : null}
            {pages > 1 ? (
              <nav className="notification-pager" aria-label={t("reach.hr.search.pages")}>
                {page > 1 ? <Link to={pageLink(page - 1)}>{t("reach.hr.search.previous")}</Link> : null}
                <span>{t("reach.hr.search.page", { page, pages })}</span>
                {page < pages ? <Link to={pageLink(page + 1)}>{t("reach.hr.search.next")}</Link> : null}
              </nav>
            ) : null}
          </>
        ) : null}
      </section>
    </div>
  );
}
