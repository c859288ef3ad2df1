/**
 * /circulaires/<year>/<seq>/beoordelen: a second editor reviews a pending change: the new text as readers
 * will see it, compared with the published version, then approves and publishes it or sends it back
 * with a reason (the submitter is notified). The submitter sees why they cannot approve it themselves.
 * Intents: approve | return.
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
import { describedBy, ErrorSummary, FIELD_IDS, FieldError } from "~/components/circulars/editor-form";
import { ReadingDiff } from "~/components/circulars/reading-diff";
import { CsrfInput } from "~/components/csrf-input";
import { parseLexicalDocument } from "~/editor/lexical-schema";
import { renderLexicalHtml } from "~/editor/render-html";
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { diffCircularContent } from "~/modules/circulars/diff";
import {
  circularErrorToFieldErrors,
  type CircularFieldErrors,
  loadCircularForReview,
} from "~/modules/circulars/editing.server";
import { circularPath, numberFromParams } from "~/modules/circulars/paths";
import { approveAndPublishCircular, returnCircularToDraft } from "~/modules/circulars/workflow.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requirePermission } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

type ActionData = { intent: string; errors: CircularFieldErrors; reason?: string };

async function findReview(params: LoaderFunctionArgs["params"]) {
  const number = numberFromParams(params);
  const review = number ? await loadCircularForReview(number) : null;
  if (!review) throw new Response("Not found", { status: 404 });
  return review;
}

const isoDay = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : null);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "approve:circular");
  const { circular, published } = await findReview(params);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const body = parseLexicalDocument(circular.body);
  // The page shows the change as readers will see it; a body that no longer validates is shown as an error.
  const html = body.ok ? renderLexicalHtml(body.document, { headingIdPrefix: "wijziging" }) : null;
  let diff = null;
  if (published) {
    try {
      diff = diffCircularContent(published, circular);
    } catch {
      diff = null;
    }
  }
  return {
    title: `${t("circularEditor.review.title", { number: circular.number })} · Werkplek`,
    locale,
    circular: {
      id: circular.id,
      number: circular.number,
      status: circular.status,
      title: circular.title,
      summary: circular.summary,
      validFrom: isoDay(circular.validFrom),
      validUntil: isoDay(circular.validUntil),
      reviewDate: isoDay(circular.reviewDate),
      owner: circular.ownerDepartment.name,
      responsible: circular.responsibleUser.displayName,
      themes: circular.themes.map((theme) => (locale === "en" ? theme.theme.nameEn : theme.theme.nameNl)),
      audience: circular.audience,
      requiresAcknowledgement: circular.requiresAcknowledgement,
      changeNote: circular.changeNote,
      substantial: circular.substantialChange,
      submittedBy: circular.submittedBy?.displayName ?? null,
      submittedAt: circular.submittedAt?.toISOString() ?? null,
      publishedVersion: circular.publishedVersion,
    },
    html,
    diff,
    isSubmitter: circular.submittedById === user.id,
    audienceChanged:
      published !== null && [...published.audience].sort().join() !== [...circular.audience].sort().join(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "approve:circular");
  const { circular } = await findReview(params);
  const form = await readCsrfCheckedForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "approve") {
    try {
      await approveAndPublishCircular(user, circular.id);
      return redirect(`/redactie?gepubliceerd=${encodeURIComponent(circular.number)}`, 303);
    } catch (error) {
      return data<ActionData>({ intent, errors: circularErrorToFieldErrors(error) }, { status: 400 });
    }
  }
  if (intent === "return") {
    const reason = typeof form.get("reason") === "string" ? String(form.get("reason")).slice(0, 2000) : "";
    try {
      await returnCircularToDraft(user, circular.id, { reason });
      return redirect(`/redactie?teruggestuurd=${encodeURIComponent(circular.number)}`, 303);
    } catch (error) {
      return data<ActionData>({ intent, errors: circularErrorToFieldErrors(error), reason }, { status: 400 });
    }
  }
  return data<ActionData>({ intent, errors: { form: "invalidInput" } }, { status: 400 });
}

export default function ReviewCircular() {
  const { circular, html, diff, isSubmitter, audienceChanged, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  const busy = navigation.state === "submitting";
  const path = circularPath(circular.number);
  const day = (iso: string | null) =>
    iso
      ? new Intl.DateTimeFormat(htmlLang(locale), { dateStyle: "long", timeZone: "UTC" }).format(
          new Date(`${iso}T00:00:00Z`),
        )
      : t("circularEditor.review.noDate");
  const dateTime = (iso: string) =>
    new Intl.DateTimeFormat(htmlLang(locale), {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "Europe/Brussels",
    }).format(new Date(iso));
  const audienceLabel = circular.audience.includes("all")
    ? t("circularEditor.fields.audienceAll")
    : t("circularEditor.review.audienceGroups", { count: circular.audience.length });

  return (
    <div className="page circular-review-page">
      <nav aria-label={t("circularEditor.edit.breadcrumb")} className="editor-breadcrumb">
        <Link to="/redactie">{t("circularEditor.desk.backToDesk")}</Link>
        <Link to={`${path}/bewerken`}>{t("circularEditor.review.toEditor")}</Link>
      </nav>
      <h1>{t("circularEditor.review.title", { number: circular.number })}</h1>

      {circular.status !== "in_review" ? (
        <p className="notice" role="note">
          {t("circularEditor.review.nothingToReview")}
        </p>
      ) : (
        <div className="card stack-wide">
          <dl className="facts">
            <dt>{t("circularEditor.review.submittedBy")}</dt>
            <dd>
              {circular.submittedBy ?? "—"}
              {circular.submittedAt ? `, ${dateTime(circular.submittedAt)}` : ""}
            </dd>
            <dt>{t("circularEditor.fields.changeNote")}</dt>
            <dd>{circular.changeNote ?? "—"}</dd>
            <dt>{t("circularEditor.review.kind")}</dt>
            <dd>
              {circular.publishedVersion === 0
                ? t("circularEditor.review.firstPublication")
                : circular.substantial
                  ? t("circularEditor.review.substantial")
                  : t("circularEditor.review.minor")}
            </dd>
          </dl>
        </div>
      )}

      <ErrorSummary errors={errors} />

      {diff ? (
        <section className="card" aria-labelledby="review-diff-title">
          <h2 id="review-diff-title">
            {t("circularEditor.review.compared", { version: circular.publishedVersion })}
          </h2>
          <ReadingDiff diff={diff} />
          {audienceChanged ? <p className="notice">{t("circularEditor.review.audienceChanged")}</p> : null}
        </section>
      ) : null}

      <section className="card" aria-labelledby="review-pending-title">
        <h2 id="review-pending-title">{t("circularEditor.review.pending")}</h2>
        <article className="review-preview" lang="nl-BE">
          <h3 className="review-preview__title">{circular.title}</h3>
          <p className="lead">{circular.summary}</p>
          {html === null ? (
            <p className="notice notice--error">{t("circularEditor.review.bodyBroken")}</p>
          ) : (
            // Safe: renderLexicalHtml emits only whitelisted tags with escaped text and checked URLs.
            <div className="review-preview__body" dangerouslySetInnerHTML={{ __html: html }} />
          )}
        </article>
        <dl className="facts">
          <dt>{t("circularEditor.fields.ownerDepartmentId")}</dt>
          <dd>{circular.owner}</dd>
          <dt>{t("circularEditor.fields.responsibleUserId")}</dt>
          <dd>{circular.responsible}</dd>
          <dt>{t("circularEditor.fields.themeIds")}</dt>
          <dd>{circular.themes.length > 0 ? circular.themes.join(", ") : "—"}</dd>
          <dt>{t("circularEditor.fields.audience")}</dt>
          <dd>{audienceLabel}</dd>
          <dt>{t("circularEditor.fields.requiresAcknowledgement")}</dt>
          <dd>
            {circular.requiresAcknowledgement
              ? t("circularEditor.review.yes")
              : t("circularEditor.review.no")}
          </dd>
          <dt>{t("circularEditor.fields.validFrom")}</dt>
          <dd>{day(circular.validFrom)}</dd>
          <dt>{t("circularEditor.fields.validUntil")}</dt>
          <dd>{day(circular.validUntil)}</dd>
          <dt>{t("circularEditor.fields.reviewDate")}</dt>
          <dd>{day(circular.reviewDate)}</dd>
        </dl>
      </section>

      {circular.status === "in_review" ? (
        isSubmitter ? (
          <section className="notice editor-own-change" aria-labelledby="review-own-title">
            <h2 id="review-own-title">{t("circularEditor.review.ownTitle")}</h2>
            <p>{t("circularEditor.review.ownExplained")}</p>
            <p>
              <Link to={`${path}/bewerken`}>{t("circularEditor.review.ownWithdraw")}</Link>
            </p>
          </section>
        ) : (
          <div className="review-decisions">
            <section className="card stack-wide" aria-labelledby="review-approve-title">
              <h2 id="review-approve-title">{t("circularEditor.review.approveTitle")}</h2>
              <p className="muted">
                {t("circularEditor.review.approveIntro", { version: circular.publishedVersion + 1 })}
              </p>
              <Form method="post">
                <CsrfInput />
                <button
                  type="submit"
                  name="intent"
                  value="approve"
                  className="button button--primary"
                  disabled={busy}
                >
                  {t("circularEditor.review.approve")}
                </button>
              </Form>
            </section>
            <section className="card stack-wide" aria-labelledby="review-return-title">
              <h2 id="review-return-title">{t("circularEditor.review.returnTitle")}</h2>
              <Form method="post" className="stack-wide" noValidate>
                <CsrfInput />
                <div className="field">
                  <label htmlFor={FIELD_IDS.reason} className="field__label">
                    {t("circularEditor.fields.reason")}
                  </label>
                  <p id={`${FIELD_IDS.reason}-help`} className="field__help">
                    {t("circularEditor.review.reasonHelp")}
                  </p>
                  <textarea
                    id={FIELD_IDS.reason}
                    name="reason"
                    rows={3}
                    maxLength={1000}
                    required
                    defaultValue={actionData?.reason ?? ""}
                    aria-invalid={errors.reason ? true : undefined}
                    aria-describedby={describedBy("reason", errors, `${FIELD_IDS.reason}-help`)}
                  />
                  <FieldError field="reason" errors={errors} />
                </div>
                <button type="submit" name="intent" value="return" className="button" disabled={busy}>
                  {t("circularEditor.review.return")}
                </button>
              </Form>
            </section>
          </div>
        )
      ) : null}
    </div>
  );
}
