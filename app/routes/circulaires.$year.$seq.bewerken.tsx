/**
 * /circulaires/<year>/<seq>/bewerken: the working copy of a circular. Manual save, autosave (a debounced
 * fetcher submit that refuses to overwrite a save someone else made in between), submitting for review
 * with a change note and the "substantial change" flag, withdrawing from review and archiving.
 * Intents: save | autosave | submit | withdraw | archive.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  Form,
  Link,
  type ShouldRevalidateFunction,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { AttachmentManager } from "~/components/circulars/attachment-manager";
import {
  CircularEditorForm,
  describedBy,
  ErrorSummary,
  FIELD_IDS,
  FieldError,
} from "~/components/circulars/editor-form";
import { CsrfInput } from "~/components/csrf-input";
import { getEnv } from "~/env.server";
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import {
  checkCircularReferences,
  circularErrorToFieldErrors,
  type CircularFieldErrors,
  type CircularFormValues,
  loadCircularForEditing,
  loadEditorOptions,
  parseCircularForm,
  readSubmitForm,
} from "~/modules/circulars/editing.server";
import { circularPath, numberFromParams } from "~/modules/circulars/paths";
import {
  archiveCircular,
  returnCircularToDraft,
  submitCircularForReview,
  updateCircularDraft,
} from "~/modules/circulars/workflow.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { hasPermission } from "~/modules/identity/permissions";
import { requirePermission } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const FLASHES = ["aangemaakt", "bewaard", "ingediend", "ingetrokken", "gearchiveerd"] as const;
type Flash = (typeof FLASHES)[number];

type ActionData = {
  intent: string;
  ok: boolean;
  values?: CircularFormValues;
  errors: CircularFieldErrors;
  bodyDetail?: string;
  /** The working copy's updatedAt after this request (also when a later step failed). */
  updatedAt?: string;
  savedAt?: string;
};

async function findCircular(params: LoaderFunctionArgs["params"]) {
  const number = numberFromParams(params);
  const circular = number ? await loadCircularForEditing(number) : null;
  if (!circular) throw new Response("Not found", { status: 404 });
  return circular;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "update:circular:any");
  const circular = await findCircular(params);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const search = new URL(request.url).searchParams;
  return {
    title: `${t("circularEditor.edit.title", { number: circular.number })} · Werkplek`,
    locale,
    circular: {
      id: circular.id,
      number: circular.number,
      status: circular.status,
      publishedVersion: circular.publishedVersion,
      submittedBy: circular.submittedBy?.displayName ?? null,
      submittedAt: circular.submittedAt?.toISOString() ?? null,
      changeNote: circular.changeNote,
      substantialChange: circular.substantialChange,
      isSubmitter: circular.submittedById === user.id,
      updatedAt: circular.updatedAt.toISOString(),
    },
    values: circular.values,
    attachments: circular.attachments,
    returned: circular.returned ? { ...circular.returned, at: circular.returned.at.toISOString() } : null,
    maxBytes: getEnv().uploadMaxBytes,
    options: await loadEditorOptions(),
    canArchive: hasPermission(user, "approve:circular"),
    flash: FLASHES.find((flash) => search.has(flash)) ?? null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "update:circular:any");
  const circular = await findCircular(params);
  const form = await readCsrfCheckedForm(request);
  const intent = String(form.get("intent") ?? "save");
  const editPath = `${circularPath(circular.number)}/bewerken`;

  if (intent === "withdraw") {
    try {
      await returnCircularToDraft(user, circular.id);
      return redirect(`${editPath}?ingetrokken=1`, 303);
    } catch (error) {
      const errors = circularErrorToFieldErrors(error);
      // Only the submitter withdraws; others send a change back with a reason on the review page.
      return data<ActionData>(
        { intent, ok: false, errors: errors.reason ? { form: "withdrawOnlySubmitter" } : errors },
        { status: 400 },
      );
    }
  }

  if (intent === "archive") {
    if (form.get("confirmArchive") !== "on") {
      return data<ActionData>({ intent, ok: false, errors: { form: "archiveConfirm" } }, { status: 400 });
    }
    try {
      await archiveCircular(user, circular.id);
      return redirect(`${editPath}?gearchiveerd=1`, 303);
    } catch (error) {
      return data<ActionData>(
        { intent, ok: false, errors: circularErrorToFieldErrors(error) },
        { status: 400 },
      );
    }
  }

  if (intent !== "save" && intent !== "autosave" && intent !== "submit") {
    return data<ActionData>({ intent, ok: false, errors: { form: "invalidInput" } }, { status: 400 });
  }

  const parsed = parseCircularForm(form);
  if (!parsed.ok) {
    return data<ActionData>(
      { intent, ok: false, values: parsed.values, errors: parsed.errors, bodyDetail: parsed.bodyDetail },
      { status: 400 },
    );
  }
  const referenceErrors = await checkCircularReferences(parsed.input);
  if (Object.keys(referenceErrors).length > 0) {
    return data<ActionData>(
      { intent, ok: false, values: parsed.values, errors: referenceErrors },
      { status: 400 },
    );
  }

  let updatedAt: Date;
  try {
    ({ updatedAt } = await updateCircularDraft(user, circular.id, parsed.input, {
      expectedUpdatedAt: parsed.expectedUpdatedAt,
    }));
  } catch (error) {
    const errors = circularErrorToFieldErrors(error);
    return data<ActionData>(
      { intent, ok: false, values: parsed.values, errors },
      { status: errors.form === "stale" ? 409 : 400 },
    );
  }

  if (intent === "autosave") {
    return {
      intent,
      ok: true,
      errors: {},
      updatedAt: updatedAt.toISOString(),
      savedAt: new Date().toISOString(),
    };
  }
  if (intent === "save") return redirect(`${editPath}?bewaard=1`, 303);

  try {
    await submitCircularForReview(user, circular.id, readSubmitForm(form));
    return redirect(`${editPath}?ingediend=1`, 303);
  } catch (error) {
    // The working copy was saved; only the submission was refused. Say both, keep the input.
    return data<ActionData>(
      {
        intent,
        ok: false,
        values: parsed.values,
        errors: circularErrorToFieldErrors(error),
        updatedAt: updatedAt.toISOString(),
      },
      { status: 400 },
    );
  }
}

/** Autosaves answer the fetcher only; reloading the page data after each one would be wasted work. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "autosave" ? false : defaultShouldRevalidate;

type AutosaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: string }
  | { kind: "conflict" }
  | { kind: "failed"; error: string };

const AUTOSAVE_DELAY_MS = 2500;

export default function EditCircular() {
  const loaderData = useLoaderData<typeof loader>();
  const { circular, values, options, locale, attachments, returned, flash, canArchive } = loaderData;
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const fetcher = useFetcher<ActionData>({ key: `autosave-${circular.id}` });

  const editable = circular.status === "draft" || circular.status === "published";
  const errors = actionData?.errors ?? {};
  const busy = navigation.state === "submitting";

  // The updatedAt the next save is based on: the newest of the page data, the last action and the last autosave.
  const [expectedUpdatedAt, setExpectedUpdatedAt] = useState(circular.updatedAt);
  useEffect(() => {
    const candidates = [circular.updatedAt, actionData?.updatedAt, fetcher.data?.updatedAt].filter(
      (value): value is string => Boolean(value),
    );
    setExpectedUpdatedAt((current) => candidates.reduce((a, b) => (b > a ? b : a), current));
  }, [circular.updatedAt, actionData?.updatedAt, fetcher.data?.updatedAt]);

  const [dirty, setDirty] = useState(false);
  const [changes, setChanges] = useState(0);
  const [status, setStatus] = useState<AutosaveStatus>({ kind: "idle" });
  const markDirty = useCallback(() => {
    setDirty(true);
    setChanges((n) => n + 1);
  }, []);

  useEffect(() => {
    if (!editable || !dirty || status.kind === "conflict" || fetcher.state !== "idle") return;
    const timer = setTimeout(() => {
      if (!formRef.current) return;
      const formData = new FormData(formRef.current);
      formData.set("intent", "autosave");
      setDirty(false);
      setStatus({ kind: "saving" });
      fetcher.submit(formData, { method: "post" });
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
    // `changes` restarts the pause after every edit; fetcher.submit is stable.
  }, [changes, dirty, editable, fetcher.state, status.kind]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const answer = fetcher.data;
    if (!answer || fetcher.state !== "idle") return;
    if (answer.ok && answer.savedAt) setStatus({ kind: "saved", at: answer.savedAt });
    else if (answer.errors.form === "stale") setStatus({ kind: "conflict" });
    else {
      const [field, key] = Object.entries(answer.errors)[0] ?? ["form", "invalidInput"];
      setStatus({
        kind: "failed",
        error: `${field === "form" ? "" : `${t(`circularEditor.fields.${field}`)}: `}${t(`circularEditor.errors.${key}`)}`,
      });
    }
  }, [fetcher.data, fetcher.state, t]);

  // A manual save or submit replaces the autosave state.
  useEffect(() => {
    if (flash === "bewaard" || flash === "ingediend") {
      setDirty(false);
      setStatus({ kind: "idle" });
    }
  }, [flash, circular.updatedAt]);

  // Warn before leaving with unsaved changes (the browser shows its own text).
  useEffect(() => {
    if (!dirty && status.kind !== "conflict" && status.kind !== "saving") return;
    const warn = (event: BeforeUnloadEvent) => {
      if (navigation.state !== "idle") return;
      event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty, status.kind, navigation.state]);

  const time = (iso: string) =>
    new Intl.DateTimeFormat(htmlLang(locale), {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Europe/Brussels",
    }).format(new Date(iso));
  const dateTime = (iso: string) =>
    new Intl.DateTimeFormat(htmlLang(locale), {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "Europe/Brussels",
    }).format(new Date(iso));

  const statusText = (() => {
    switch (status.kind) {
      case "saving":
        return t("circularEditor.autosave.saving");
      case "saved":
        return t("circularEditor.autosave.saved", { time: time(status.at) });
      case "conflict":
        return t("circularEditor.autosave.conflict");
      case "failed":
        return t("circularEditor.autosave.failed", { error: status.error });
      default:
        return "";
    }
  })();

  const path = circularPath(circular.number);
  const submitErrors: CircularFieldErrors = actionData?.intent === "submit" ? errors : {};
  return (
    <div className="page circular-editor-page">
      <nav aria-label={t("circularEditor.edit.breadcrumb")} className="editor-breadcrumb">
        <Link to="/redactie">{t("circularEditor.desk.backToDesk")}</Link>
        {circular.publishedVersion > 0 ? (
          <Link to={path}>{t("circularEditor.edit.viewPublished")}</Link>
        ) : null}
      </nav>
      <h1>{t("circularEditor.edit.title", { number: circular.number })}</h1>
      <p className="editor-status-line">
        <span className={`editor-badge editor-badge--${circular.status}`}>
          {t(`circularEditor.status.${circular.status}`)}
        </span>{" "}
        {circular.publishedVersion > 0
          ? t("circularEditor.edit.publishedVersion", { version: circular.publishedVersion })
          : t("circularEditor.edit.neverPublished")}
      </p>

      {flash ? (
        <p className="notice notice--success" role="status">
          {t(`circularEditor.flash.${flash satisfies Flash}`)}
        </p>
      ) : null}
      {returned ? (
        <div className="notice editor-returned" role="note">
          <p>
            <strong>
              {t("circularEditor.edit.returnedBy", { name: returned.by, date: dateTime(returned.at) })}
            </strong>
          </p>
          {returned.reason ? <p className="editor-returned__reason">{returned.reason}</p> : null}
        </div>
      ) : null}
      {circular.status === "in_review" ? (
        <div className="notice editor-in-review" role="note">
          <p>
            {t("circularEditor.edit.inReview", {
              name: circular.submittedBy ?? "—",
              date: circular.submittedAt ? dateTime(circular.submittedAt) : "",
            })}
          </p>
          {circular.changeNote ? (
            <p>
              {t("circularEditor.edit.changeNoteWas")} <q>{circular.changeNote}</q>
            </p>
          ) : null}
          {circular.isSubmitter ? (
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="withdraw" className="button">
                {t("circularEditor.edit.withdraw")}
              </button>
            </Form>
          ) : (
            <p>
              <Link to={`${path}/beoordelen`}>{t("circularEditor.edit.goReview")}</Link>
            </p>
          )}
        </div>
      ) : null}
      {circular.status === "archived" ? (
        <p className="notice" role="note">
          {t("circularEditor.edit.archived")}
        </p>
      ) : null}

      <ErrorSummary
        errors={actionData?.intent === "archive" || actionData?.intent === "withdraw" ? {} : errors}
      />
      {actionData?.intent === "submit" && actionData.updatedAt ? (
        <p className="notice" role="status">
          {t("circularEditor.edit.savedButNotSubmitted")}
        </p>
      ) : null}

      <CircularEditorForm
        formId="circular-form"
        formRef={formRef}
        values={actionData?.values ?? values}
        errors={errors}
        bodyDetail={actionData?.bodyDetail}
        options={options}
        locale={locale}
        readOnly={!editable}
        imageUploadUrl={`/api/circulaires/${encodeURIComponent(circular.id)}/afbeeldingen`}
        expectedUpdatedAt={expectedUpdatedAt}
        onDirty={editable ? markDirty : undefined}
        actions={
          editable ? (
            <>
              <button
                type="submit"
                name="intent"
                value="save"
                className="button button--primary"
                disabled={busy}
              >
                {t("circularEditor.edit.save")}
              </button>
              <p role="status" aria-live="polite" className="autosave-status">
                {statusText}
              </p>
              {dirty && status.kind !== "conflict" ? (
                <p className="muted autosave-pending">{t("circularEditor.autosave.pending")}</p>
              ) : null}
              {status.kind === "conflict" ? (
                <p className="notice notice--error">
                  {t("circularEditor.autosave.conflictHelp")}{" "}
                  <a href={`${path}/bewerken`} target="_blank" rel="noreferrer">
                    {t("circularEditor.autosave.openLatest")}
                  </a>
                </p>
              ) : null}
            </>
          ) : null
        }
      />

      {/* Attachments: the attachment manager of app/components/circulars/attachment-manager.tsx, with its own
          forms (a form cannot sit inside the editor form, so it comes after it). It is a card section with its
          own "Bijlagen" heading: a wrapping section would repeat the landmark and the heading. */}
      <AttachmentManager
        circularId={circular.id}
        number={circular.number}
        attachments={attachments}
        maxBytes={loaderData.maxBytes}
        readOnly={circular.status === "archived"}
      />

      {editable ? (
        <section className="card stack-wide" aria-labelledby="editor-submit-title">
          <h2 id="editor-submit-title">{t("circularEditor.submit.title")}</h2>
          <p className="muted">{t("circularEditor.submit.intro")}</p>
          <div className="field">
            <label htmlFor={FIELD_IDS.changeNote} className="field__label">
              {t("circularEditor.fields.changeNote")}
            </label>
            <p id={`${FIELD_IDS.changeNote}-help`} className="field__help">
              {t("circularEditor.submit.changeNoteHelp")}
            </p>
            <textarea
              id={FIELD_IDS.changeNote}
              name="changeNote"
              form="circular-form"
              rows={3}
              maxLength={1000}
              defaultValue={circular.changeNote ?? ""}
              aria-invalid={submitErrors.changeNote ? true : undefined}
              aria-describedby={describedBy("changeNote", submitErrors, `${FIELD_IDS.changeNote}-help`)}
            />
            <FieldError field="changeNote" errors={submitErrors} />
          </div>
          <div className="field">
            <label className="choice">
              <input
                type="checkbox"
                name="substantial"
                form="circular-form"
                defaultChecked={circular.substantialChange}
                aria-describedby="circular-substantial-help"
              />
              <span>{t("circularEditor.submit.substantial")}</span>
            </label>
            <p id="circular-substantial-help" className="field__help">
              {t("circularEditor.submit.substantialHelp")}
            </p>
          </div>
          <button
            type="submit"
            form="circular-form"
            name="intent"
            value="submit"
            className="button button--primary"
            disabled={busy}
          >
            {t("circularEditor.submit.button")}
          </button>
        </section>
      ) : null}

      {canArchive && circular.status !== "archived" ? (
        <section className="card stack-wide" aria-labelledby="editor-archive-title">
          <h2 id="editor-archive-title">{t("circularEditor.archive.title")}</h2>
          <p className="muted">{t("circularEditor.archive.intro")}</p>
          <Form method="post" className="stack">
            <CsrfInput />
            <label className="choice">
              <input type="checkbox" name="confirmArchive" required />
              <span>{t("circularEditor.archive.confirm", { number: circular.number })}</span>
            </label>
            {actionData?.intent === "archive" && errors.form ? (
              <p className="field__error" role="alert">
                {t(`circularEditor.errors.${errors.form}`)}
              </p>
            ) : null}
            <button type="submit" name="intent" value="archive" className="button">
              {t("circularEditor.archive.button")}
            </button>
          </Form>
        </section>
      ) : null}
      {actionData?.intent === "withdraw" && errors.form ? (
        <p className="notice notice--error" role="alert">
          {t(`circularEditor.errors.${errors.form}`)}
        </p>
      ) : null}
    </div>
  );
}
