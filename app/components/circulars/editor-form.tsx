/**
 * The circular editor form shared by the "new" and "edit" pages: title, plain-language summary with a
 * live counter, the body editor with the KUS panel beside it (below it on phones), and the metadata
 * (owner, responsible person, themes, audience, acknowledgement, dates, superseded circular).
 * Errors arrive as keys from the action (editing.server.ts) and are shown at the field, tied to it with
 * aria-describedby, and in a summary at the top that links to each field.
 */
import { Form } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { CircularBodyEditor } from "~/editor/client/circular-editor";
import type { Locale } from "~/i18n/config";
import type {
  CircularField,
  CircularFieldErrors,
  CircularFormValues,
  EditorOptions,
} from "~/modules/circulars/editing.server";
import { KUS_LIMITS } from "~/modules/circulars/kus-checks";
import { ROLES } from "~/modules/identity/permissions";
import { KusPanel } from "./kus-panel";

/** The id of the element each field's error points at (also the error summary's link targets). */
export const FIELD_IDS: Record<CircularField, string> = {
  title: "circular-title",
  summary: "circular-summary",
  body: "circular-body",
  ownerDepartmentId: "circular-owner",
  responsibleUserId: "circular-responsible",
  themeIds: "circular-themes",
  audience: "circular-audience",
  validFrom: "circular-valid-from",
  validUntil: "circular-valid-until",
  reviewDate: "circular-review-date",
  supersedesNumber: "circular-supersedes",
  changeNote: "circular-change-note",
  reason: "circular-reason",
  form: "circular-form-errors",
};

/** True once React has hydrated: progressive enhancements switch on only then. */
export function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** The error text of a field, with the id aria-describedby points at. */
export function FieldError({
  field,
  errors,
  detail,
}: {
  field: CircularField;
  errors: CircularFieldErrors;
  detail?: string;
}) {
  const { t } = useTranslation();
  const key = errors[field];
  if (!key) return null;
  return (
    <p id={`${FIELD_IDS[field]}-error`} className="field__error">
      {t(`circularEditor.errors.${key}`)}
      {detail ? <span className="field__detail"> ({detail})</span> : null}
    </p>
  );
}

/** aria-describedby for a field: its help text and, when present, its error. */
export function describedBy(field: CircularField, errors: CircularFieldErrors, ...extra: (string | null)[]) {
  return (
    [...extra, errors[field] ? `${FIELD_IDS[field]}-error` : null].filter(Boolean).join(" ") || undefined
  );
}

/** The list of problems at the top of a refused form; it takes focus so keyboard users land on it. */
export function ErrorSummary({ errors }: { errors: CircularFieldErrors }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors) as [CircularField, string][];
  useEffect(() => {
    if (entries.length > 0) ref.current?.focus();
  }, [errors]); // eslint-disable-line react-hooks/exhaustive-deps
  if (entries.length === 0) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      className="notice notice--error error-summary"
      role="alert"
      id={FIELD_IDS.form}
    >
      <p className="error-summary__title">{t("circularEditor.errors.summaryTitle")}</p>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>
            {field === "form" ? (
              t(`circularEditor.errors.${key}`)
            ) : (
              <a href={`#${FIELD_IDS[field]}`}>
                {t(`circularEditor.fields.${field}`)}: {t(`circularEditor.errors.${key}`)}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export type CircularEditorFormProps = {
  formId: string;
  formRef?: RefObject<HTMLFormElement>;
  values: CircularFormValues;
  errors: CircularFieldErrors;
  bodyDetail?: string;
  options: EditorOptions;
  locale: Locale;
  readOnly?: boolean;
  imageUploadUrl: string | null;
  /** The working copy's updatedAt as loaded, for the stale-write check (edit page). */
  expectedUpdatedAt?: string;
  onDirty?: () => void;
  /** Buttons at the end of the form (save, …). */
  actions: ReactNode;
};

/** The editor form: writing area with KUS panel, then the circular's metadata. */
export function CircularEditorForm({
  formId,
  formRef,
  values,
  errors,
  bodyDetail,
  options,
  locale,
  readOnly = false,
  imageUploadUrl,
  expectedUpdatedAt,
  onDirty,
  actions,
}: CircularEditorFormProps) {
  const { t } = useTranslation();
  const hydrated = useHydrated();
  const [title, setTitle] = useState(values.title);
  const [summary, setSummary] = useState(values.summary);
  const [bodyText, setBodyText] = useState(values.bodyText);
  const [audienceMode, setAudienceMode] = useState(values.audienceMode);
  const [announcedCount, setAnnouncedCount] = useState("");

  const summaryMax = KUS_LIMITS.summaryMaxLength;
  const summaryLength = summary.trim().length;
  const counterText = t("circularEditor.fields.summaryCounter", { count: summaryLength, max: summaryMax });
  useEffect(() => {
    // Announce the count after a pause in typing, not at every keystroke.
    const timer = setTimeout(() => setAnnouncedCount(counterText), 900);
    return () => clearTimeout(timer);
  }, [counterText]);

  const themeName = (theme: { nameNl: string; nameEn: string }) =>
    locale === "en" ? theme.nameEn : theme.nameNl;

  return (
    <Form
      method="post"
      id={formId}
      ref={formRef}
      className="circular-form"
      noValidate
      onChange={() => onDirty?.()}
    >
      <CsrfInput />
      {expectedUpdatedAt ? <input type="hidden" name="expectedUpdatedAt" value={expectedUpdatedAt} /> : null}
      <fieldset disabled={readOnly} className="circular-form__fieldset">
        <div className="editor-layout">
          <div className="editor-layout__main stack-wide">
            <div className="field">
              <label htmlFor={FIELD_IDS.title} className="field__label">
                {t("circularEditor.fields.title")}
              </label>
              <input
                id={FIELD_IDS.title}
                name="title"
                type="text"
                required
                maxLength={200}
                value={title}
                onChange={(event) => setTitle(event.target.value)}
                aria-invalid={errors.title ? true : undefined}
                aria-describedby={describedBy("title", errors)}
              />
              <FieldError field="title" errors={errors} />
            </div>
            <div className="field">
              <label htmlFor={FIELD_IDS.summary} className="field__label">
                {t("circularEditor.fields.summary")}
              </label>
              <p id={`${FIELD_IDS.summary}-help`} className="field__help">
                {t("circularEditor.fields.summaryHelp")}
              </p>
              <textarea
                id={FIELD_IDS.summary}
                name="summary"
                rows={3}
                value={summary}
                onChange={(event) => setSummary(event.target.value)}
                aria-invalid={errors.summary || summaryLength > summaryMax ? true : undefined}
                aria-describedby={describedBy(
                  "summary",
                  errors,
                  `${FIELD_IDS.summary}-help`,
                  `${FIELD_IDS.summary}-counter`,
                )}
              />
              <p
                id={`${FIELD_IDS.summary}-counter`}
                className={`field__counter${summaryLength > summaryMax ? " field__counter--over" : ""}`}
              >
                {counterText}
                {summaryLength > summaryMax
                  ? ` ${t("circularEditor.fields.summaryOver", { count: summaryLength - summaryMax })}`
                  : null}
              </p>
              <p role="status" className="editor-sr-only">
                {hydrated ? announcedCount : ""}
              </p>
              <FieldError field="summary" errors={errors} />
            </div>
            <CircularBodyEditor
              id={FIELD_IDS.body}
              label={t("circularEditor.fields.body")}
              initialJson={values.bodyJson}
              initialText={values.bodyText}
              describedBy={describedBy("body", errors)}
              invalid={Boolean(errors.body)}
              disabled={readOnly}
              imageUploadUrl={imageUploadUrl}
              onChange={(content) => {
                setBodyText(content.text);
                onDirty?.();
              }}
            />
            <FieldError field="body" errors={errors} detail={bodyDetail} />
          </div>
          <div className="editor-layout__aside">
            <KusPanel title={title} summary={summary} text={bodyText} />
          </div>
        </div>

        <section className="card stack-wide" aria-labelledby="circular-meta-title">
          <h2 id="circular-meta-title">{t("circularEditor.fields.metaTitle")}</h2>
          <div className="field">
            <label htmlFor={FIELD_IDS.ownerDepartmentId} className="field__label">
              {t("circularEditor.fields.ownerDepartmentId")}
            </label>
            <select
              id={FIELD_IDS.ownerDepartmentId}
              name="ownerDepartmentId"
              defaultValue={values.ownerDepartmentId}
              aria-invalid={errors.ownerDepartmentId ? true : undefined}
              aria-describedby={describedBy("ownerDepartmentId", errors)}
            >
              <option value="">{t("circularEditor.fields.choose")}</option>
              {options.departments.map((department) => (
                <optgroup key={department.id} label={department.name}>
                  <option value={department.id}>{department.name}</option>
                  {department.children.map((service) => (
                    <option key={service.id} value={service.id}>
                      {service.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <FieldError field="ownerDepartmentId" errors={errors} />
          </div>
          <div className="field">
            <label htmlFor={FIELD_IDS.responsibleUserId} className="field__label">
              {t("circularEditor.fields.responsibleUserId")}
            </label>
            <select
              id={FIELD_IDS.responsibleUserId}
              name="responsibleUserId"
              defaultValue={values.responsibleUserId}
              aria-invalid={errors.responsibleUserId ? true : undefined}
              aria-describedby={describedBy("responsibleUserId", errors)}
            >
              <option value="">{t("circularEditor.fields.choose")}</option>
              {options.people.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.department ? `${person.name} – ${person.department}` : person.name}
                </option>
              ))}
            </select>
            <FieldError field="responsibleUserId" errors={errors} />
          </div>

          <fieldset
            id={FIELD_IDS.themeIds}
            className="field"
            aria-describedby={describedBy("themeIds", errors)}
            tabIndex={-1}
          >
            <legend className="field__label">{t("circularEditor.fields.themeIds")}</legend>
            <div className="choice-grid">
              {options.themes.map((theme) => (
                <label key={theme.id} className="choice">
                  <input
                    type="checkbox"
                    name="themeIds"
                    value={theme.id}
                    defaultChecked={values.themeIds.includes(theme.id)}
                  />
                  <span>{themeName(theme)}</span>
                </label>
              ))}
            </div>
            <FieldError field="themeIds" errors={errors} />
          </fieldset>

          <fieldset
            id={FIELD_IDS.audience}
            className="field"
            aria-describedby={describedBy("audience", errors)}
            tabIndex={-1}
          >
            <legend className="field__label">{t("circularEditor.fields.audience")}</legend>
            <label className="choice">
              <input
                type="radio"
                name="audienceMode"
                value="all"
                defaultChecked={values.audienceMode === "all"}
                onChange={() => setAudienceMode("all")}
              />
              <span>{t("circularEditor.fields.audienceAll")}</span>
            </label>
            <label className="choice">
              <input
                type="radio"
                name="audienceMode"
                value="groups"
                defaultChecked={values.audienceMode === "groups"}
                onChange={() => setAudienceMode("groups")}
              />
              <span>{t("circularEditor.fields.audienceGroups")}</span>
            </label>
            {/* Without JavaScript the groups stay visible; the server ignores them when "everyone" is chosen. */}
            <div className="audience-groups" hidden={hydrated && audienceMode === "all"}>
              <p className="field__help">{t("circularEditor.fields.audienceGroupsHelp")}</p>
              <details open={values.audienceDepartments.length > 0}>
                <summary>
                  {t("circularEditor.fields.audienceDepartments", {
                    count: values.audienceDepartments.length,
                  })}
                </summary>
                {options.departments.map((department) => (
                  <div key={department.id} className="audience-department">
                    <label className="choice">
                      <input
                        type="checkbox"
                        name="audienceDepartments"
                        value={department.id}
                        defaultChecked={values.audienceDepartments.includes(department.id)}
                      />
                      <span>
                        <strong>{department.name}</strong>{" "}
                        <span className="muted">{t("circularEditor.fields.withServices")}</span>
                      </span>
                    </label>
                    {department.children.map((service) => (
                      <label key={service.id} className="choice choice--nested">
                        <input
                          type="checkbox"
                          name="audienceDepartments"
                          value={service.id}
                          defaultChecked={values.audienceDepartments.includes(service.id)}
                        />
                        <span>{service.name}</span>
                      </label>
                    ))}
                  </div>
                ))}
              </details>
              <fieldset className="field">
                <legend>{t("circularEditor.fields.audienceRoles")}</legend>
                {ROLES.map((role) => (
                  <label key={role} className="choice">
                    <input
                      type="checkbox"
                      name="audienceRoles"
                      value={role}
                      defaultChecked={values.audienceRoles.includes(role)}
                    />
                    <span>{t(`roles.${role}`)}</span>
                  </label>
                ))}
              </fieldset>
              <label className="choice">
                <input
                  type="checkbox"
                  name="audienceFieldWorkers"
                  defaultChecked={values.audienceFieldWorkers}
                />
                <span>{t("circularEditor.fields.audienceFieldWorkers")}</span>
              </label>
            </div>
            <FieldError field="audience" errors={errors} />
          </fieldset>

          <label className="choice">
            <input
              type="checkbox"
              name="requiresAcknowledgement"
              defaultChecked={values.requiresAcknowledgement}
            />
            <span>{t("circularEditor.fields.requiresAcknowledgement")}</span>
          </label>

          <div className="date-grid">
            {(["validFrom", "validUntil", "reviewDate"] as const).map((field) => (
              <div className="field" key={field}>
                <label htmlFor={FIELD_IDS[field]} className="field__label">
                  {t(`circularEditor.fields.${field}`)}
                </label>
                <input
                  id={FIELD_IDS[field]}
                  name={field}
                  type="date"
                  defaultValue={values[field]}
                  aria-invalid={errors[field] ? true : undefined}
                  aria-describedby={describedBy(field, errors, `${FIELD_IDS[field]}-help`)}
                />
                <p id={`${FIELD_IDS[field]}-help`} className="field__help">
                  {t(`circularEditor.fields.${field}Help`)}
                </p>
                <FieldError field={field} errors={errors} />
              </div>
            ))}
          </div>

          <div className="field">
            <label htmlFor={FIELD_IDS.supersedesNumber} className="field__label">
              {t("circularEditor.fields.supersedesNumber")}
            </label>
            <input
              id={FIELD_IDS.supersedesNumber}
              name="supersedesNumber"
              type="text"
              inputMode="numeric"
              placeholder="2024/012"
              defaultValue={values.supersedesNumber}
              className="input--short"
              aria-invalid={errors.supersedesNumber ? true : undefined}
              aria-describedby={describedBy("supersedesNumber", errors, `${FIELD_IDS.supersedesNumber}-help`)}
            />
            <p id={`${FIELD_IDS.supersedesNumber}-help`} className="field__help">
              {t("circularEditor.fields.supersedesHelp")}
            </p>
            <FieldError field="supersedesNumber" errors={errors} />
          </div>
        </section>
      </fieldset>
      <div className="form-actions">{actions}</div>
    </Form>
  );
}
