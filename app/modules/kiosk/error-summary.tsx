/**
 * The error summary of the field-worker sign-in, kiosk and PIN forms: a list of what went wrong with links
 * to the fields, focused when it appears so screen-reader and keyboard users land on it (WCAG 3.3.1).
 */
import { useEffect, useRef } from "react";

export type FormProblem = { message: string; fieldId?: string };

/** Shows the problems (nothing when there are none) and moves focus to them once per new `focusKey`. */
export function ErrorSummary({
  title,
  problems,
  focusKey,
}: {
  title: string;
  problems: readonly FormProblem[];
  focusKey: unknown;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const any = problems.length > 0;
  useEffect(() => {
    if (any) ref.current?.focus();
  }, [focusKey, any]);
  if (!any) return null;
  return (
    <div ref={ref} tabIndex={-1} role="alert" className="notice notice--error error-summary">
      <p className="error-summary__title">{title}</p>
      <ul>
        {problems.map((problem) => (
          <li key={problem.message}>
            {problem.fieldId ? <a href={`#${problem.fieldId}`}>{problem.message}</a> : problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
