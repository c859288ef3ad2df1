/**
 * /redactie: the editors' desk. My drafts (and pending changes), changes waiting for my review
 * (submitted by others), my own submissions waiting for someone else, recent publications, and circulars
 * whose review date has passed or falls within CIRCULAR_REVIEW_NOTICE_DAYS (overdue ones flagged).
 */
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getEnv } from "~/env.server";
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { loadEditorsDesk } from "~/modules/circulars/editing.server";
import { parseCircularNumber } from "~/modules/circulars/numbering.server";
import { circularPath } from "~/modules/circulars/paths";
import { hasPermission } from "~/modules/identity/permissions";
import { requirePermission } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

type Row = {
  id: string;
  number: string;
  title: string;
  status: string;
  publishedVersion: number;
  updatedAt: string;
  submittedAt: string | null;
  reviewDate: string | null;
  submittedBy: string | null;
  responsible: string;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "update:circular:any");
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const desk = await loadEditorsDesk(user.id, getEnv().CIRCULAR_REVIEW_NOTICE_DAYS);
  const row = (c: (typeof desk.drafts)[number]): Row => ({
    id: c.id,
    number: c.number,
    title: c.title,
    status: c.status,
    publishedVersion: c.publishedVersion,
    updatedAt: c.updatedAt.toISOString(),
    submittedAt: c.submittedAt?.toISOString() ?? null,
    reviewDate: c.reviewDate?.toISOString().slice(0, 10) ?? null,
    submittedBy: c.submittedBy?.displayName ?? null,
    responsible: c.responsibleUser.displayName,
  });
  const search = new URL(request.url).searchParams;
  const flashNumber = (name: string) => {
    const value = search.get(name);
    return value && parseCircularNumber(value) ? value : null;
  };
  return {
    title: `${t("circularEditor.desk.title")} · Werkplek`,
    locale,
    canCreate: hasPermission(user, "create:circular"),
    drafts: desk.drafts.map(row),
    toReview: desk.toReview.map(row),
    submittedByMe: desk.submittedByMe.map(row),
    reviewDue: desk.reviewDue.map((c) => ({ ...row(c), overdue: c.overdue })),
    recentlyPublished: desk.recentlyPublished.map((v) => ({
      number: v.circular.number,
      title: v.circular.title,
      version: v.version,
      publishedAt: v.publishedAt.toISOString(),
      changeNote: v.changeNote,
      approvedBy: v.approvedBy.displayName,
    })),
    noticeDays: desk.noticeDays,
    published: flashNumber("gepubliceerd"),
    returned: flashNumber("teruggestuurd"),
  };
}

function Empty({ children }: { children: string }) {
  return <p className="muted">{children}</p>;
}

export default function EditorsDesk() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const dateTime = (iso: string) =>
    new Intl.DateTimeFormat(htmlLang(data.locale), {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "Europe/Brussels",
    }).format(new Date(iso));
  const day = (iso: string) =>
    new Intl.DateTimeFormat(htmlLang(data.locale), { dateStyle: "long", timeZone: "UTC" }).format(
      new Date(`${iso}T00:00:00Z`),
    );
  return (
    <div className="page editors-desk">
      <h1>{t("circularEditor.desk.title")}</h1>
      <p className="lead">{t("circularEditor.desk.intro")}</p>
      {data.published ? (
        <p className="notice notice--success" role="status">
          {t("circularEditor.desk.publishedFlash", { number: data.published })}{" "}
          <Link to={circularPath(data.published)}>{t("circularEditor.desk.viewCircular")}</Link>
        </p>
      ) : null}
      {data.returned ? (
        <p className="notice notice--success" role="status">
          {t("circularEditor.desk.returnedFlash", { number: data.returned })}
        </p>
      ) : null}
      <p className="desk-actions">
        {data.canCreate ? (
          <Link to="/circulaires/nieuw" className="button button--primary">
            {t("circularEditor.desk.newCircular")}
          </Link>
        ) : null}
        <Link to="/circulaires" className="button">
          {t("circularEditor.desk.allCirculars")}
        </Link>
      </p>

      <section className="card desk-section" aria-labelledby="desk-review">
        <h2 id="desk-review">
          {t("circularEditor.desk.toReview")} <span className="desk-count">({data.toReview.length})</span>
        </h2>
        {data.toReview.length === 0 ? (
          <Empty>{t("circularEditor.desk.toReviewEmpty")}</Empty>
        ) : (
          <ul className="desk-list">
            {data.toReview.map((c) => (
              <li key={c.id}>
                <Link to={`${circularPath(c.number)}/beoordelen`}>
                  {c.number} · {c.title}
                </Link>
                <span className="muted">
                  {t("circularEditor.desk.submittedBy", {
                    name: c.submittedBy ?? "—",
                    date: c.submittedAt ? dateTime(c.submittedAt) : "",
                  })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card desk-section" aria-labelledby="desk-drafts">
        <h2 id="desk-drafts">
          {t("circularEditor.desk.drafts")} <span className="desk-count">({data.drafts.length})</span>
        </h2>
        {data.drafts.length === 0 ? (
          <Empty>{t("circularEditor.desk.draftsEmpty")}</Empty>
        ) : (
          <ul className="desk-list">
            {data.drafts.map((c) => (
              <li key={c.id}>
                <Link to={`${circularPath(c.number)}/bewerken`}>
                  {c.number} · {c.title}
                </Link>
                <span className="muted">
                  {c.publishedVersion > 0
                    ? t("circularEditor.desk.pendingChange", { version: c.publishedVersion })
                    : t("circularEditor.status.draft")}
                  {" · "}
                  {t("circularEditor.desk.lastSaved", { date: dateTime(c.updatedAt) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card desk-section" aria-labelledby="desk-mine">
        <h2 id="desk-mine">
          {t("circularEditor.desk.submittedByMe")}{" "}
          <span className="desk-count">({data.submittedByMe.length})</span>
        </h2>
        {data.submittedByMe.length === 0 ? (
          <Empty>{t("circularEditor.desk.submittedByMeEmpty")}</Empty>
        ) : (
          <ul className="desk-list">
            {data.submittedByMe.map((c) => (
              <li key={c.id}>
                <Link to={`${circularPath(c.number)}/bewerken`}>
                  {c.number} · {c.title}
                </Link>
                <span className="muted">{t("circularEditor.desk.waitingForOther")}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card desk-section" aria-labelledby="desk-due">
        <h2 id="desk-due">
          {t("circularEditor.desk.reviewDue", { days: data.noticeDays })}{" "}
          <span className="desk-count">({data.reviewDue.length})</span>
        </h2>
        {data.reviewDue.length === 0 ? (
          <Empty>{t("circularEditor.desk.reviewDueEmpty")}</Empty>
        ) : (
          <ul className="desk-list">
            {data.reviewDue.map((c) => (
              <li key={c.id} className={c.overdue ? "desk-list__item--overdue" : undefined}>
                {/* The flag is a word, not only a colour. */}
                <span className={`editor-badge ${c.overdue ? "editor-badge--overdue" : "editor-badge--due"}`}>
                  {c.overdue ? t("circularEditor.desk.overdue") : t("circularEditor.desk.dueSoon")}
                </span>{" "}
                <Link to={`${circularPath(c.number)}/bewerken`}>
                  {c.number} · {c.title}
                </Link>
                <span className="muted">
                  {t("circularEditor.desk.reviewOn", {
                    date: c.reviewDate ? day(c.reviewDate) : "—",
                    name: c.responsible,
                  })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card desk-section" aria-labelledby="desk-published">
        <h2 id="desk-published">{t("circularEditor.desk.recentlyPublished")}</h2>
        {data.recentlyPublished.length === 0 ? (
          <Empty>{t("circularEditor.desk.recentlyPublishedEmpty")}</Empty>
        ) : (
          <ul className="desk-list">
            {data.recentlyPublished.map((v) => (
              <li key={`${v.number}-${v.version}`}>
                <Link to={circularPath(v.number)}>
                  {v.number} · {v.title}
                </Link>
                <span className="muted">
                  {t("circularEditor.desk.publishedLine", {
                    version: v.version,
                    date: dateTime(v.publishedAt),
                    name: v.approvedBy,
                  })}
                  {v.changeNote ? ` · ${v.changeNote}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
