/**
 * GET /api/mensen/suggesties?q=… — colleagues for the composer's @mention typeahead: at most 8 active
 * colleagues (never the asker), as JSON `[{ id, displayName, jobTitle, department, handle? }]`. `handle`
 * is the part of the work address before "@", which the server also resolves when typed as "@handle".
 * The matching is the people directory's (accents ignored, word prefixes first, small typos), so the
 * typeahead finds "Céline" from "celi" exactly as /mensen does. A session is required (401); a query
 * over 50 characters is refused (400); fewer than two characters answer an empty list.
 */
import { type LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { SUGGESTION_QUERY_MAX, type PersonSuggestion } from "~/editor/client/post-editor-model";
import { getSessionUser } from "~/modules/identity/session.server";
import { searchPeople } from "~/modules/people/directory.server";
import { isPeopleError } from "~/modules/people/errors";

/** Suggestions shown at once: more would not fit under the caret on a phone. */
const PERSON_SUGGESTIONS_MAX = 8;

const HEADERS = { "Cache-Control": "private, no-store" };

function problem(status: number, error: string) {
  return Response.json({ error }, { status, headers: HEADERS });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (!user) return problem(401, "Sign in first");
  const q = new URL(request.url).searchParams.get("q") ?? "";
  if (q.length > SUGGESTION_QUERY_MAX)
    return problem(400, `q is longer than ${SUGGESTION_QUERY_MAX} characters`);
  const query = q.replace(/^@/, "").trim();
  if ([...query].length < 2) return Response.json([], { headers: HEADERS });
  let people;
  try {
    ({ people } = await searchPeople(user, { q: query, expertise: "", dienst: "", pagina: 1 }));
  } catch (error) {
    if (isPeopleError(error, "forbidden")) return problem(403, "The directory is not available to you");
    throw error;
  }
  const chosen = people.filter((person) => person.id !== user.id).slice(0, PERSON_SUGGESTIONS_MAX);
  const emails = chosen.length
    ? await prisma.user.findMany({
        where: { id: { in: chosen.map((person) => person.id) }, active: true },
        select: { id: true, email: true },
      })
    : [];
  const handleOf = new Map(
    emails.flatMap((row) => (row.email ? [[row.id, row.email.split("@")[0]!.toLowerCase()] as const] : [])),
  );
  const suggestions: PersonSuggestion[] = chosen.map((person) => {
    const handle = handleOf.get(person.id);
    return {
      id: person.id,
      displayName: person.displayName,
      jobTitle: person.jobTitle,
      department: person.unit?.name ?? null,
      ...(handle ? { handle } : {}),
    };
  });
  return Response.json(suggestions, { headers: HEADERS });
}
