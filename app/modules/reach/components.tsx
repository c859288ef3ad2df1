/**
 * Pieces the worker's page (/profiel/bereik) and HR's page (/personeel/<id>) share: the error summary that
 * takes focus after a refused form, a field's error line (linked with aria-describedby), and a consent text.
 */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { type ConsentText } from "./consent-texts";
import { type FormProblem } from "./form-errors";

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
