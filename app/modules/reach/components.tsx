/**
 * Pieces the worker's page (/profiel/bereik) and HR's page (/personeel/<id>) share: the error summary that
 * takes focus after a refused form, a field's error line (linked with aria-describedby), a consent text, the
 * submit button, the code form and the consent history.
 */
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfInput } from "~/components/csrf-input";
import { useTranslation } from "react-i18next";
import { type ConsentText } from "./consent-texts";
import { type FormProblem } from "./form-errors";
import { CODE_INPUT_MAX } from "./shared";

/** The id of a field's error line, for aria-describedby. */
export function errorId(field: string): string {
  return `${field}-fout`;
}

/** The list of problems at the top of a refused form; it takes focus so keyboard and screen-reader users land on it. */
export function ErrorSummary({ problems }: { problems: readonly FormProblem[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length > 0) ref.current?.focus();
  }, [problems]);
  if (problems.length === 0) return null;
  return (
    <div ref={ref} tabIndex={-1} className="notice notice--error error-summary" role="alert">
      <p className="error-summary__title">{t("reach.errors.summaryTitle")}</p>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.field}:${problem.key}`}>
            <a href={`#${problem.field}`}>{t(problem.key, problem.values)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A field's error line (or nothing); the field names it in aria-describedby. */
export function FieldError({ field, problems }: { field: string; problems: readonly FormProblem[] }) {
  const { t } = useTranslation();
  const problem = problems.find((p) => p.field === field);
  if (!problem) return null;
  return (
    <p className="reach-field-error" id={errorId(field)}>
      {t(problem.key, problem.values)}
    </p>
  );
}

/** aria props for a field that may have an error. */
export function fieldAria(field: string, problems: readonly FormProblem[], hint?: string) {
  const invalid = problems.some((p) => p.field === field);
  const describedBy = [hint, invalid ? errorId(field) : undefined].filter(Boolean).join(" ");
  return {
    "aria-invalid": invalid || undefined,
    "aria-describedby": describedBy || undefined,
  } as const;
}

/** A consent text with its version, folded so the form stays short on a phone. */
export function ConsentTextDetails({
  text,
  version,
  open = false,
}: {
  text: ConsentText;
  version: string;
  open?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <details className="reach-consent-text" open={open}>
      <summary>{t("reach.consent.readText")}</summary>
      <p>
        <strong>{text.title}</strong>
      </p>
      {text.paragraphs.map((paragraph) => (
        <p key={paragraph}>{paragraph}</p>
      ))}
      <p className="muted">{t("reach.consent.version", { version })}</p>
    </details>
  );
}

/** A submit button, disabled while its form is being sent; `quiet` for secondary actions. */
export function SubmitButton({ children, quiet = false }: { children: string; quiet?: boolean }) {
  const navigation = useNavigation();
  return (
    <button
      type="submit"
      className={quiet ? "button reach-button--secondary" : "button button--primary"}
      disabled={navigation.state === "submitting"}
    >
      {children}
    </button>
  );
}

/**
 * The form for a six-digit code (intent "verify"). The worker's own phone may fill it in from the SMS
 * (`autoComplete="one-time-code"`); HR types what the worker reads out, so their form does not offer that.
 */
export function CodeForm({
  pending,
  problems,
  field,
  label,
  autoComplete,
}: {
  pending: { expiresAt: string; attemptsLeft: number };
  problems: FormProblem[];
  field: string;
  label: string;
  autoComplete: "one-time-code" | "off";
}) {
  const { t } = useTranslation();
  const hint = `${field}-hint`;
  return (
    <Form method="post" className="stack reach-code">
      <CsrfInput />
      <input type="hidden" name="intent" value="verify" />
      <label htmlFor={field}>{label}</label>
      <p className="muted" id={hint}>
        {t("reach.contacts.codeHint", { time: pending.expiresAt, count: pending.attemptsLeft })}
      </p>
      <FieldError field={field} problems={problems} />
      <input
        id={field}
        name="code"
        className="reach-code__input"
        inputMode="numeric"
        autoComplete={autoComplete}
        pattern="[0-9 \-]*"
        maxLength={CODE_INPUT_MAX}
        required
        {...fieldAria(field, problems, hint)}
      />
      <SubmitButton>{t("reach.contacts.confirm")}</SubmitButton>
    </Form>
  );
}

/** One consent event as the pages show it (dates already formatted in the reader's language). */
export type ConsentHistoryView = {
  id: string;
  purpose: string;
  granted: boolean;
  method: string;
  textVersion: string;
  at: string;
  recordedBy: string | null;
  /** HR's note; shown on HR's page only. */
  note?: string | null;
};

/** The consent log, newest first: what was agreed or withdrawn, when, how, on which text, recorded by whom. */
export function ConsentHistory({
  history,
  headingId,
  title,
}: {
  history: readonly ConsentHistoryView[];
  headingId: string;
  title: string;
}) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {history.length === 0 ? (
        <p className="muted">{t("reach.history.empty")}</p>
      ) : (
        <ol className="reach-history">
          {history.map((event) => (
            <li key={event.id}>
              <strong>{event.at}</strong>:{" "}
              {t(event.granted ? "reach.history.granted" : "reach.history.withdrawn", {
                purpose: t(`reach.purposes.${event.purpose}`),
              })}{" "}
              <span className="muted">
                {t(`reach.methods.${event.method}`, { defaultValue: event.method })} ·{" "}
                {t("reach.consent.version", { version: event.textVersion })}
                {event.recordedBy ? ` · ${t("reach.history.recordedBy", { name: event.recordedBy })}` : ""}
              </span>
              {event.note ? <p className="reach-history__note">{event.note}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
