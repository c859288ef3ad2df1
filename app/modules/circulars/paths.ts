/**
 * URLs of circulars. A number "2025/017" becomes /circulaires/2025/017, so staff can type or dictate it;
 * route modules use `$year.$seq` segments and turn them back into the number with `numberFromParams`.
 */
const YEAR = /^\d{4}$/;
const SEQUENCE = /^\d{3,4}$/;

/** Base path of a circular; append "/bewerken", "/versies", ... for its sub-pages. */
export function circularPath(number: string): string {
  return `/circulaires/${number}`;
}

/** The circular number named by route params, or null when they do not form one. */
export function numberFromParams(params: { year?: string; seq?: string }): string | null {
  const { year, seq } = params;
  if (!year || !seq || !YEAR.test(year) || !SEQUENCE.test(seq)) return null;
  return `${year}/${seq}`;
}

/** The circular number named by route params; a 404 response when they do not form one. */
export function requireCircularNumber(params: { year?: string; seq?: string }): string {
  const number = numberFromParams(params);
  if (!number) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return number;
}
