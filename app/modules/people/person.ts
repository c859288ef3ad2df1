/**
 * How a colleague is shown in lists and on the profile, shared by the server (which builds it) and the
 * pages (which draw it). No server imports: the browser bundle uses the helpers too.
 */

/** Longest directory query (the search field's maxLength and the server's limit). */
export const DIRECTORY_QUERY_MAX = 100;

/** A colleague in a list: enough for a card with a photo or initials, the job and the department. */
export type PersonSummary = {
  id: string;
  displayName: string;
  jobTitle: string | null;
  avatarUrl: string | null;
  initials: string;
  isFieldWorker: boolean;
  /** The person's own unit (a service, or a department when they belong to no service). */
  unit: { name: string; code: string } | null;
  /** The department above the unit when the unit is a service. */
  department: { name: string; code: string } | null;
  expertise: string[];
};

/** Up to two initials from a name ("Fatima El Amrani" → "FA", "Liam O'Sullivan" → "LO"). */
export function initialsOf(displayName: string): string {
  const words = displayName
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+/u, ""))
    .filter(Boolean);
  if (words.length === 0) return "?";
  const first = [...words[0]!][0]!;
  // Family names start with particles ("De Smet", "Van den Broeck", "El Amrani"): the first word after the
  // given name is the one people recognise.
  const second = words.length > 1 ? [...words[1]!][0]! : "";
  return `${first}${second}`.toLocaleUpperCase("nl-BE");
}

/** The directory's address for a search (`/mensen?q=…&expertise=…`), without empty parameters. */
export function directoryPath(params: { q?: string; expertise?: string; dienst?: string; pagina?: number }) {
  const search = new URLSearchParams();
  if (params.q) search.set("q", params.q);
  if (params.expertise) search.set("expertise", params.expertise);
  if (params.dienst) search.set("dienst", params.dienst);
  if (params.pagina && params.pagina > 1) search.set("pagina", String(params.pagina));
  const query = search.toString();
  return `/mensen${query ? `?${query}` : ""}`;
}

/** The profile page of a colleague. */
export function profilePath(userId: string): string {
  return `/mensen/${encodeURIComponent(userId)}`;
}
