/**
 * /moderatie: the moderation queue for communicators and admins (canModerate); everyone else gets a 404,
 * as for any page they have no business knowing about. Open items (a post or comment with its open
 * reports) can be hidden with a reason the author sees, restored, or their reports dismissed; the
 * "afgehandeld" view is the decision history, where a hidden item can be restored. Every form works
 * without JavaScript: POST, then a redirect back to the view it came from with a status message.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import { isStreamError } from "~/modules/stream/errors";
import {
  decidedReports,
  itemPath,
  openableLinks,
  openReportCount,
} from "~/modules/stream/moderation-count.server";
import {
  dismissReport,
  hideComment,
  hidePost,
  moderationQueue,
  REASON_MAX,
  REASON_MIN,
  restoreComment,
  restorePost,
} from "~/modules/stream/moderation.server";
import { canModerate } from "~/modules/stream/policy.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

/** The open queue shows at most this many items, the longest waiting first. */
const QUEUE_LIMIT = 50;
/** Query parameters: the view ("afgehandeld" = handled), the history's cursor ("na" = after), the outcome. */
const VIEW_PARAM = "weergave";
const HANDLED_VIEW = "afgehandeld";
const CURSOR_PARAM = "na";
const DONE_PARAM = "gedaan";
const DONE = { hidden: "verborgen", restored: "hersteld", dismissed: "afgewezen" } as const;
type Outcome = keyof typeof DONE;

const IdSchema = z.string().min(1).max(64);
const CursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);
const Common = {
  view: z.enum(["open", "handled"]).default("open"),
  [CURSOR_PARAM]: z.string().optional(),
};
const Target = { target: z.enum(["post", "comment"]), id: IdSchema, reason: z.string().default("") };

const ModerationActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("hide"), ...Target, ...Common }),
  z.object({ intent: z.literal("restore"), ...Target, ...Common }),
  z.object({
    intent: z.literal("dismiss"),
    // The dismiss form of an item sends all its open reports; the schema takes one or more.
    reportId: z.union([IdSchema, z.array(IdSchema).min(1).max(100)]),
    note: z.string().default(""),
    key: z.string().max(140),
    ...Common,
  }),
]);

type FieldError = "reasonTooShort" | "reasonTooLong";
type ActionError = FieldError | "invalid" | "notFound" | "alreadyDecided" | "rateLimited";
type ActionResult = {
  error: ActionError;
  /** The form the error belongs to: "<intent>:<target>:<id>" or "dismiss:<item key>". */
  form: string | null;
  /** What the moderator typed, to put back in the field. */
  value: string;
};

function notFound(): never {
  throw new Response("Not found", { status: 404, statusText: "Not Found" });
}

/** Moderators only; others get a 404 (a 403 would tell them the page exists and who it is for). */
async function requireModerator(request: Request) {
  const user = await requireUser(request);
  if (!canModerate(user)) notFound();
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireModerator(request);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const url = new URL(request.url);
  const view = url.searchParams.get(VIEW_PARAM) === HANDLED_VIEW ? "handled" : "open";
  const doneParam = url.searchParams.get(DONE_PARAM);
  const done = (Object.keys(DONE) as Outcome[]).find((key) => DONE[key] === doneParam) ?? null;
  const count = url.searchParams.get("aantal");
  const when = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Brussels",
  });
  const format = (iso: string) => when.format(new Date(iso));
  const common = {
    title: `${t("moderation.title")} · Werkplek`,
    view,
    done,
    doneCount: count !== null && /^\d{1,3}$/.test(count) ? Number(count) : 1,
    openCount: await openReportCount(user),
    queueLimit: QUEUE_LIMIT,
    reasonLimits: { min: REASON_MIN, max: REASON_MAX },
  };

  if (view === "open") {
    const queue = await moderationQueue(user, { limit: QUEUE_LIMIT });
    const links = await openableLinks(
      user,
      queue.map((item) => item.postId),
    );
    return {
      ...common,
      badCursor: false,
      cursor: null,
      nextCursor: null,
      queue: queue.map((item) => ({
        ...item,
        url: links.postIds.has(item.postId) ? item.url : null,
        place: item.place
          ? { name: item.place.name, url: links.placeSlugs.has(item.place.slug) ? item.place.url : null }
          : null,
        createdAtText: format(item.createdAt),
        firstReportedAtText: format(item.firstReportedAt),
        reports: item.reports.map((report) => ({ ...report, createdAtText: format(report.createdAt) })),
      })),
      history: [],
    };
  }

  const cursorParam = url.searchParams.get(CURSOR_PARAM);
  const cursor = cursorParam && CursorSchema.safeParse(cursorParam).success ? cursorParam : null;
  let page;
  try {
    page = await decidedReports(user, { cursor });
  } catch (error) {
    if (!isStreamError(error, "invalid_input")) throw error;
    return data(
      { ...common, badCursor: true, cursor: null, nextCursor: null, queue: [], history: [] },
      { status: 400 },
    );
  }
  const links = await openableLinks(
    user,
    page.items.map((item) => item.postId),
  );
  // Restore is offered once per item, on its latest decision on this page.
  const offered = new Set<string>();
  return {
    ...common,
    badCursor: cursorParam !== null && cursor === null,
    cursor,
    nextCursor: page.nextCursor,
    queue: [],
    history: page.items.map((item) => {
      const itemKey = `${item.target}:${item.commentId ?? item.postId}`;
      const canRestore = item.hiddenNow && item.status === "hidden" && !offered.has(itemKey);
      if (canRestore) offered.add(itemKey);
      return {
        ...item,
        url: links.postIds.has(item.postId) ? itemPath(item.postId, item.commentId) : null,
        place: item.place
          ? { name: item.place.name, url: links.placeSlugs.has(item.place.slug) ? item.place.url : null }
          : null,
        canRestore,
        decidedAtText: format(item.decidedAt),
        reports: item.reports.map((report) => ({ ...report, createdAtText: format(report.createdAt) })),
      };
    }),
  };
}

function backTo(view: "open" | "handled", cursor: string | undefined, outcome: Outcome, count = 1): string {
  const params = new URLSearchParams();
  if (view === "handled") {
    params.set(VIEW_PARAM, HANDLED_VIEW);
    const parsed = CursorSchema.safeParse(cursor);
    if (parsed.success) params.set(CURSOR_PARAM, parsed.data);
  }
  params.set(DONE_PARAM, DONE[outcome]);
  if (count !== 1) params.set("aantal", String(count));
  return `/moderatie?${params}`;
}

function reasonProblem(reason: string): FieldError | null {
  const length = reason.trim().length;
  if (length < REASON_MIN) return "reasonTooShort";
  if (length > REASON_MAX) return "reasonTooLong";
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireModerator(request);
  const form = await readCsrfCheckedForm(request);
  const fields: Record<string, FormDataEntryValue | FormDataEntryValue[]> = Object.fromEntries(form);
  const reportIds = form.getAll("reportId");
  if (reportIds.length > 1) fields.reportId = reportIds;
  const parsed = ModerationActionSchema.safeParse(fields);
  if (!parsed.success) {
    return data<ActionResult>({ error: "invalid", form: null, value: "" }, { status: 400 });
  }
  const input = parsed.data;
  const formId =
    input.intent === "dismiss" ? `dismiss:${input.key}` : `${input.intent}:${input.target}:${input.id}`;
  const typed = input.intent === "dismiss" ? input.note : input.reason;
  const fail = (error: ActionError, status: number, headers?: HeadersInit) =>
    data<ActionResult>({ error, form: formId, value: typed }, { status, headers });

  try {
    switch (input.intent) {
      case "hide":
      case "restore": {
        const problem = reasonProblem(input.reason);
        if (problem) return fail(problem, 400);
        const act =
          input.intent === "hide"
            ? input.target === "post"
              ? hidePost
              : hideComment
            : input.target === "post"
              ? restorePost
              : restoreComment;
        await act(user, input.id, input.reason);
        return redirect(
          backTo(input.view, input[CURSOR_PARAM], input.intent === "hide" ? "hidden" : "restored"),
        );
      }
      case "dismiss": {
        // A dismissal's note is optional, but when given it follows the same rules as a reason.
        if (input.note.trim().length > 0) {
          const problem = reasonProblem(input.note);
          if (problem) return fail(problem, 400);
        }
        const ids = [...new Set(Array.isArray(input.reportId) ? input.reportId : [input.reportId])];
        let dismissed = 0;
        for (const id of ids) {
          try {
            await dismissReport(user, id, input.note.trim() || undefined);
            dismissed += 1;
          } catch (error) {
            // Another moderator settled one of the item's reports meanwhile: dismiss the rest.
            if (!isStreamError(error, "invalid_state") || ids.length === 1) throw error;
          }
        }
        if (dismissed === 0) return fail("alreadyDecided", 409);
        return redirect(backTo(input.view, input[CURSOR_PARAM], "dismissed", dismissed));
      }
    }
  } catch (error) {
    if (isStreamError(error, "not_found")) return fail("notFound", 404);
    if (isStreamError(error, "invalid_state", "conflict")) return fail("alreadyDecided", 409);
    if (isStreamError(error, "invalid_input")) return fail("invalid", 400);
    if (isStreamError(error, "rate_limited")) {
      const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds ?? 60));
      return fail("rateLimited", 429, { "Retry-After": String(seconds) });
    }
    throw error;
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type QueueEntry = LoaderData["queue"][number];
type HistoryEntry = LoaderData["history"][number];

/** The id of a form's reason field, for labels, the error summary's links and aria-describedby. */
function fieldId(formId: string): string {
  return `reden-${formId.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

function ReasonField({
  formId,
  name,
  label,
  help,
  required,
  result,
  limits,
}: {
  formId: string;
  name: "reason" | "note";
  label: string;
  help: string;
  required: boolean;
  result: ActionResult | undefined;
  limits: { min: number; max: number };
}) {
  const { t } = useTranslation();
  const id = fieldId(formId);
  const error = result?.form === formId && isFieldError(result.error) ? result.error : null;
  return (
    <div className="moderation-field">
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hulp`} className="moderation-field__help">
        {help}
      </p>
      <textarea
        id={id}
        name={name}
        rows={2}
        maxLength={limits.max}
        required={required}
        defaultValue={result?.form === formId ? result.value : ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hulp${error ? ` ${id}-fout` : ""}`}
      />
      {error ? (
        <p id={`${id}-fout`} className="field__error moderation-field__error">
          {t(`moderation.errors.${error}`, limits)}
        </p>
      ) : null}
    </div>
  );
}

function isFieldError(error: ActionError): error is FieldError {
  return error === "reasonTooShort" || error === "reasonTooLong";
}

function ViewFields({ view, cursor }: { view: "open" | "handled"; cursor: string | null }) {
  return (
    <>
      <CsrfInput />
      <input type="hidden" name="view" value={view} />
      {cursor ? <input type="hidden" name={CURSOR_PARAM} value={cursor} /> : null}
    </>
  );
}

function ItemHeading({
  id,
  target,
  author,
  url,
}: {
  id: string;
  target: "post" | "comment";
  author: { displayName: string };
  url: string | null;
}) {
  const { t } = useTranslation();
  const text = t(`moderation.item.${target}By`, { name: author.displayName });
  return (
    <h3 id={id} className="moderation-item__title">
      {url ? <Link to={url}>{text}</Link> : text}
    </h3>
  );
}

function ItemContent({ html }: { html: string | null }) {
  const { t } = useTranslation();
  if (html === null) return <p className="muted">{t("moderation.item.deleted")}</p>;
  return (
    // The module renders the body to safe HTML (whitelisted Lexical nodes, checked links).
    <div className="moderation-item__content" dangerouslySetInnerHTML={{ __html: html }} />
  );
}

function ReportList({
  reports,
}: {
  reports: {
    id: string;
    reason: string;
    reporter: { id: string; displayName: string };
    createdAtText: string;
  }[];
}) {
  const { t } = useTranslation();
  return (
    <ul className="moderation-reports">
      {reports.map((report) => (
        <li key={report.id}>
          <p className="moderation-reports__who">
            {t("moderation.item.reportedBy", {
              name: report.reporter.displayName,
              when: report.createdAtText,
            })}
          </p>
          <p className="moderation-reports__reason">{report.reason}</p>
        </li>
      ))}
    </ul>
  );
}

function QueueItemCard({
  item,
  result,
  limits,
  busy,
}: {
  item: QueueEntry;
  result: ActionResult | undefined;
  limits: { min: number; max: number };
  busy: boolean;
}) {
  const { t } = useTranslation();
  const targetId = item.commentId ?? item.postId;
  const headingId = `item-${item.target}-${targetId}`;
  const decideForm = `${item.hidden ? "restore" : "hide"}:${item.target}:${targetId}`;
  const dismissForm = `dismiss:${item.key}`;
  const formError =
    result && !isFieldError(result.error) && (result.form === decideForm || result.form === dismissForm);
  return (
    <li className="card moderation-item">
      <article aria-labelledby={headingId}>
        <ItemHeading id={headingId} target={item.target} author={item.author} url={item.url} />
        <p className="moderation-item__meta">
          {item.place ? (
            item.place.url ? (
              <>
                {t("moderation.item.in")} <Link to={item.place.url}>{item.place.name}</Link>
              </>
            ) : (
              t("moderation.item.inPlace", { place: item.place.name })
            )
          ) : (
            t("moderation.item.onProfile")
          )}
          {" · "}
          <time dateTime={item.createdAt}>{item.createdAtText}</time>
        </p>
        {item.hidden ? (
          <p className="moderation-status moderation-status--hidden">
            <strong>{t("moderation.item.hiddenNow")}</strong> {item.hidden.reason}
          </p>
        ) : null}
        <ItemContent html={item.html} />
        {!item.url ? <p className="muted moderation-item__note">{t("moderation.item.noAccess")}</p> : null}
        <h4 className="moderation-item__subtitle">
          {t("moderation.item.reports", { count: item.reports.length })}
        </h4>
        <ReportList reports={item.reports} />
        {formError ? (
          <p className="notice notice--error" role="alert">
            {t(`moderation.errors.${result.error}`)}
          </p>
        ) : null}
        <div className="moderation-actions">
          <Form
            method="post"
            className="moderation-actions__form"
            aria-label={t(item.hidden ? "moderation.restore.label" : "moderation.hide.label")}
          >
            <ViewFields view="open" cursor={null} />
            <input type="hidden" name="intent" value={item.hidden ? "restore" : "hide"} />
            <input type="hidden" name="target" value={item.target} />
            <input type="hidden" name="id" value={targetId} />
            <ReasonField
              formId={decideForm}
              name="reason"
              label={t(item.hidden ? "moderation.restore.reason" : "moderation.hide.reason")}
              help={t(item.hidden ? "moderation.restore.help" : "moderation.hide.help", limits)}
              required
              result={result}
              limits={limits}
            />
            <button
              type="submit"
              className="button button--primary"
              disabled={busy}
              aria-describedby={headingId}
            >
              {t(item.hidden ? "moderation.restore.submit" : "moderation.hide.submit")}
            </button>
          </Form>
          <Form method="post" className="moderation-actions__form" aria-label={t("moderation.dismiss.label")}>
            <ViewFields view="open" cursor={null} />
            <input type="hidden" name="intent" value="dismiss" />
            <input type="hidden" name="key" value={item.key} />
            {item.reports.map((report) => (
              <input key={report.id} type="hidden" name="reportId" value={report.id} />
            ))}
            <ReasonField
              formId={dismissForm}
              name="note"
              label={t("moderation.dismiss.note")}
              help={t("moderation.dismiss.help")}
              required={false}
              result={result}
              limits={limits}
            />
            <button type="submit" className="button" disabled={busy} aria-describedby={headingId}>
              {t("moderation.dismiss.submit", { count: item.reports.length })}
            </button>
          </Form>
        </div>
      </article>
    </li>
  );
}

function HistoryItemCard({
  item,
  cursor,
  result,
  limits,
  busy,
}: {
  item: HistoryEntry;
  cursor: string | null;
  result: ActionResult | undefined;
  limits: { min: number; max: number };
  busy: boolean;
}) {
  const { t } = useTranslation();
  const targetId = item.commentId ?? item.postId;
  const headingId = `besluit-${item.key}`;
  const restoreForm = `restore:${item.target}:${targetId}`;
  const formError = result && !isFieldError(result.error) && result.form === restoreForm;
  return (
    <li className="card moderation-item">
      <article aria-labelledby={headingId}>
        <ItemHeading id={headingId} target={item.target} author={item.author} url={item.url} />
        <p className={`moderation-status moderation-status--${item.status}`}>
          <strong>{t(`moderation.status.${item.status}`)}</strong>{" "}
          {item.decidedBy
            ? t("moderation.history.decidedBy", {
                name: item.decidedBy.displayName,
                when: item.decidedAtText,
              })
            : t("moderation.history.decidedAt", { when: item.decidedAtText })}
        </p>
        {item.reason ? (
          <p className="moderation-item__reason">
            {t(item.status === "dismissed" ? "moderation.history.note" : "moderation.history.reason")}{" "}
            {item.reason}
          </p>
        ) : null}
        <p className="moderation-item__meta">
          {item.place ? (
            item.place.url ? (
              <>
                {t("moderation.item.in")} <Link to={item.place.url}>{item.place.name}</Link>
              </>
            ) : (
              t("moderation.item.inPlace", { place: item.place.name })
            )
          ) : (
            t("moderation.item.onProfile")
          )}
        </p>
        <details className="moderation-item__details">
          <summary>{t("moderation.history.showContent", { count: item.reports.length })}</summary>
          <ItemContent html={item.html} />
          <ReportList reports={item.reports} />
        </details>
        {item.canRestore ? (
          <>
            {formError ? (
              <p className="notice notice--error" role="alert">
                {t(`moderation.errors.${result.error}`)}
              </p>
            ) : null}
            <Form
              method="post"
              className="moderation-actions__form"
              aria-label={t("moderation.restore.label")}
            >
              <ViewFields view="handled" cursor={cursor} />
              <input type="hidden" name="intent" value="restore" />
              <input type="hidden" name="target" value={item.target} />
              <input type="hidden" name="id" value={targetId} />
              <ReasonField
                formId={restoreForm}
                name="reason"
                label={t("moderation.restore.reason")}
                help={t("moderation.restore.help", limits)}
                required
                result={result}
                limits={limits}
              />
              <button
                type="submit"
                className="button button--primary"
                disabled={busy}
                aria-describedby={headingId}
              >
                {t("moderation.restore.submit")}
              </button>
            </Form>
          </>
        ) : null}
      </article>
    </li>
  );
}

export default function ModerationPage() {
  const loaderData = useLoaderData<typeof loader>();
  const { view, done, doneCount, openCount, queue, history, cursor, nextCursor, badCursor } = loaderData;
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { t } = useTranslation();
  const limits = loaderData.reasonLimits;
  const fieldError = result && result.form && isFieldError(result.error) ? result : null;
  const generalError = result && !result.form ? result.error : badCursor ? "badCursor" : null;
  const handledHref = `/moderatie?${VIEW_PARAM}=${HANDLED_VIEW}`;

  return (
    <div className="page moderation-page">
      <h1>{t("moderation.title")}</h1>
      <p className="lead">{t("moderation.intro")}</p>

      <nav className="moderation-views" aria-label={t("moderation.views.label")}>
        <ul>
          <li>
            <Link to="/moderatie" aria-current={view === "open" ? "page" : undefined}>
              {t("moderation.views.open", { count: openCount })}
            </Link>
          </li>
          <li>
            <Link to={handledHref} aria-current={view === "handled" ? "page" : undefined}>
              {t("moderation.views.handled")}
            </Link>
          </li>
        </ul>
      </nav>

      <div role="status" aria-live="polite">
        {done ? (
          <p className="notice notice--success">{t(`moderation.done.${done}`, { count: doneCount })}</p>
        ) : null}
      </div>
      {fieldError ? (
        <div className="notice notice--error error-summary" role="alert">
          <p className="error-summary__title">{t("moderation.errors.summaryTitle")}</p>
          <ul>
            <li>
              <a href={`#${fieldId(fieldError.form!)}`}>
                {t(`moderation.errors.${fieldError.error}`, limits)}
              </a>
            </li>
          </ul>
        </div>
      ) : null}
      {generalError ? (
        <p className="notice notice--error" role="alert">
          {t(`moderation.errors.${generalError}`)}
        </p>
      ) : null}

      {view === "open" ? (
        <section aria-labelledby="open-meldingen">
          <h2 id="open-meldingen" className="moderation-section-title">
            {t("moderation.open.title")}
          </h2>
          {queue.length === 0 ? (
            <p className="muted">{t("moderation.open.empty")}</p>
          ) : (
            <>
              {openCount > queue.length ? (
                <p className="muted">
                  {t("moderation.open.limited", { shown: queue.length, count: openCount })}
                </p>
              ) : null}
              <ol className="moderation-list">
                {queue.map((item) => (
                  <QueueItemCard key={item.key} item={item} result={result} limits={limits} busy={busy} />
                ))}
              </ol>
            </>
          )}
        </section>
      ) : (
        <section aria-labelledby="afgehandeld">
          <h2 id="afgehandeld" className="moderation-section-title">
            {t("moderation.history.title")}
          </h2>
          {history.length === 0 && !badCursor ? (
            <p className="muted">{t("moderation.history.empty")}</p>
          ) : (
            <ol className="moderation-list">
              {history.map((item) => (
                <HistoryItemCard
                  key={item.key}
                  item={item}
                  cursor={cursor}
                  result={result}
                  limits={limits}
                  busy={busy}
                />
              ))}
            </ol>
          )}
          <p className="moderation-pager">
            {nextCursor ? (
              <Link className="button" to={`${handledHref}&${CURSOR_PARAM}=${nextCursor}`}>
                {t("moderation.history.older")}
              </Link>
            ) : null}
            {cursor ? <Link to={handledHref}>{t("moderation.history.newest")}</Link> : null}
          </p>
        </section>
      )}
    </div>
  );
}
