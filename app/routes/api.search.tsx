/**
 * GET /api/search?q=&type=circular&theme=&department=&validity=&year=&include=all&limit=&offset=
 * JSON for other clients and the instant search: `{ query, correctedQuery, total, limit, offset,
 * validities, results: [{ type, id, title, url, snippet, number, validity, … }], facets: { themes,
 * departments, validity, years } }`. Requires a session (401); bad parameters answer 400 with English
 * messages. `snippet` is HTML: escaped text with <mark> around the matched words.
 */
import { type LoaderFunctionArgs } from "@remix-run/node";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { getSessionUser } from "~/modules/identity/session.server";
import { parseSearchParams } from "../../search/params";
import { searchDocuments } from "~/modules/search/search.server";

const NO_STORE = { "Cache-Control": "private, no-store" };

function problem(status: number, error: string, issues?: string[]) {
  return Response.json({ error, ...(issues ? { issues } : {}) }, { status, headers: NO_STORE });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (!user) return problem(401, "Sign in first");
  const parsed = parseSearchParams(new URL(request.url).searchParams);
  if (!parsed.ok) return problem(400, "Invalid search parameters", parsed.errors);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const response = await searchDocuments(user, parsed.value, {
    locale,
    validityLabel: (validity) => t(`search.validity.${validity}`),
  });
  return Response.json(response, { headers: NO_STORE });
}
