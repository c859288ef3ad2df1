/**
 * How the reach pages turn a refusal into what the form shows: a field id to link to from the error summary,
 * a translation key under reach.errors and its values. Shared by /profiel/bereik and /personeel/<id>;
 * no server imports.
 */
import { type ReachErrorCode } from "./errors";

/** One problem on a form: the field it belongs to (its element id) and its message key and values. */
export type FormProblem = { field: string; key: string; values?: Record<string, string> };

/** Minutes to wait, rounded up, from a rate limit's seconds. */
function minutes(seconds: number | undefined): string {
  return String(Math.max(1, Math.ceil((seconds ?? 60) / 60)));
}

/** The problem to show for a ReachError on the field it concerns. */
export function reachProblem(
  field: string,
  error: { code: ReachErrorCode; detail?: string; retryAfterSeconds?: number; attemptsLeft?: number },
): FormProblem {
  switch (error.code) {
    case "invalid_phone":
      return { field, key: `reach.errors.phone.${error.detail ?? "invalid"}` };
    case "code_refused":
      return {
        field,
        key: `reach.errors.code.${error.detail ?? "wrong_code"}`,
        values: { count: String(error.attemptsLeft ?? 0) },
      };
    case "rate_limited":
      return {
        field,
        key: "reach.errors.rate_limited",
        values: { minutes: minutes(error.retryAfterSeconds) },
      };
    default:
      return { field, key: `reach.errors.${error.code}` };
  }
}
