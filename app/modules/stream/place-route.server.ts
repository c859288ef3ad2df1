/**
 * Loaders and actions of the group and project pages, shared by /groepen/<slug>… and /projecten/<slug>…
 * (each route file re-exports these). The kind comes from the URL's first segment. A place opened under the
 * other prefix answers 301 to its own address, but only after the visibility check: a secret place the
 * reader is not in answers 404 on every path, whatever the prefix. Actions under the wrong prefix answer
 * 404 (a form never posts there; a redirect would drop the POST).
 *
 * Every read and change goes through places.server.ts, follows.server.ts and stream.server.ts, which apply
 * the visibility policy; this module only maps their refusals to statuses and Dutch messages.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { type PlaceKind } from "~/generated/prisma/client";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser, type SessionUser } from "~/modules/identity/session.server";
import { searchPeople } from "~/modules/people/directory.server";
import { initialsOf } from "~/modules/people/person";
import { isStreamError, type StreamError } from "./errors";
import { followCounts } from "./follows.server";
import { streamErrorHeaders, streamErrorResponse, streamErrorStatus } from "./http.server";
import {
  addMember,
  archivePlace,
  cancelJoinRequest,
  changePlaceVisibility,
  decideJoinRequest,
  getPlaceView,
  JOIN_MESSAGE_MAX,
  joinPlace,
  leavePlace,
  listJoinRequests,
  listMembers,
  PLACE_DESCRIPTION_MAX,
  PLACE_NAME_MAX,
  PLACE_NAME_MIN,
  type PlaceView,
  removeMember,
  requestToJoin,
  restorePlace,
  setMemberRole,
  UpdatePlaceSchema,
  updatePlace,
} from "./places.server";
import { placeStream, type StreamPage } from "./stream.server";

/** Query parameter of the stream's cursor ("na" = after), as on every stream page. */
export const CURSOR_PARAM = "na";
/** How many colleagues an owner may choose from when a typed name matches several. */
export const CANDIDATES_MAX = 10;

/** Outcomes an action reports back on the page it redirects to (?status=…), each with a Dutch text. */
export const PLACE_STATUSES = [
  "created",
  "joined",
  "requested",
  "cancelled",
  "left",
  "added",
  "removed",
  "promoted",
  "demoted",
  "approved",
  "rejected",
  "saved",
  "visibility",
  "archived",
  "restored",
] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];

/** The Dutch message keys (under places.errors) an action can answer with. */
export type PlaceErrorKey =
  | "invalidRequest"
  | "notFound"
  | "forbidden"
  | "invalidState"
  | "conflict"
  | "rateLimited"
  | "joinRefused"
  | "alreadyMember"
  | "requestRefused"
  | "noRequest"
  | "lastOwner"
  | "noColleague"
  | "alreadyInPlace"
  | "alreadyDecided"
  | "archivedReadOnly"
  | "nameRequired"
  | "noMatch"
  | "messageTooLong";

/** A field of the place forms and what is wrong with it; the page turns it into a Dutch message. */
export type PlaceField = "name" | "kind" | "visibility" | "description";
export type FieldProblem = {
  code: "required" | "tooShort" | "tooLong" | "invalid";
  min?: number;
  max?: number;
};
export type FieldErrors = Partial<Record<PlaceField, FieldProblem>>;

export type PlaceActionResult = {
  intent: string;
  error: PlaceErrorKey | null;
  fieldErrors?: FieldErrors;
  values?: Record<string, string>;
  /** The colleagues a typed name matched, for the owner to pick one (members page). */
  candidates?: { id: string; displayName: string; jobTitle: string | null }[];
};

/** The field errors of a failed place form, read from the zod issues of the module's own schemas. */
export function placeFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (field !== "name" && field !== "kind" && field !== "visibility" && field !== "description") continue;
    if (errors[field]) continue;
    if (issue.code === "too_small") errors[field] = { code: "tooShort", min: PLACE_NAME_MIN };
    else if (issue.code === "too_big") {
      errors[field] = {
        code: "tooLong",
        max: field === "description" ? PLACE_DESCRIPTION_MAX : PLACE_NAME_MAX,
      };
    } else if (issue.code === "invalid_type") errors[field] = { code: "required" };
    else errors[field] = { code: "invalid" };
  }
  return errors;
}

function notFound(): never {
  throw new Response("Not found", { status: 404, statusText: "Not Found" });
}

/** group or project, from /groepen/… or /projecten/…; anything else is not a place page. */
export function kindOfPath(pathname: string): PlaceKind {
  const segment = pathname.split("/")[1];
  if (segment === "groepen") return "group";
  if (segment === "projecten") return "project";
  return notFound();
}

/** A page's status from the query string, when it is one the pages know. */
function statusOf(url: URL): PlaceStatus | null {
  const value = url.searchParams.get("status");
  return (PLACE_STATUSES as readonly string[]).includes(value ?? "") ? (value as PlaceStatus) : null;
}

/** Turns a refusal in a loader into an HTTP answer; an unreadable slug is simply a place that is not there. */
function throwAsHttp(error: unknown): never {
  if (isStreamError(error, "invalid_input", "not_found")) notFound();
  if (isStreamError(error)) throw streamErrorResponse(error);
  throw error;
}

/**
 * The place of the URL as the reader may see it. `suffix` is the sub-page ("/leden", …), kept when a place
 * opened under the wrong prefix is redirected.
 */
async function placeOfRequest(
  user: SessionUser,
  request: Request,
  slug: string | undefined,
  suffix: string,
  method: "GET" | "POST",
): Promise<PlaceView> {
  const kind = kindOfPath(new URL(request.url).pathname);
  const view = await getPlaceView(user, slug).catch(throwAsHttp);
  if (view.place.kind !== kind) {
    if (method === "POST") notFound();
    throw redirect(`${view.place.path}${suffix}${new URL(request.url).search}`, 301);
  }
  return view;
}

async function titleFor(request: Request, user: SessionUser, key: string, name: string): Promise<string> {
  const t = await getFixedT(await getLocale(request, user.locale));
  return `${t(key, { name })} · Werkplek`;
}

/** Dutch message for a refused action; some refusals mean something specific for one intent. */
function errorKeyOf(intent: string, error: StreamError): PlaceErrorKey {
  const specific: Record<string, PlaceErrorKey> = {
    "join:invalid_state": "joinRefused",
    "join:conflict": "alreadyMember",
    "request:conflict": "alreadyMember",
    "request:invalid_state": "requestRefused",
    "cancel-request:not_found": "noRequest",
    "leave:invalid_state": "lastOwner",
    "remove:invalid_state": "lastOwner",
    "demote:invalid_state": "lastOwner",
    "remove:not_found": "noColleague",
    "promote:not_found": "noColleague",
    "demote:not_found": "noColleague",
    "add:not_found": "noColleague",
    "add:conflict": "alreadyInPlace",
    "decide:not_found": "noRequest",
    "decide:invalid_state": "alreadyDecided",
  };
  const found = specific[`${intent}:${error.code}`];
  if (found) return found;
  switch (error.code) {
    case "invalid_input":
      return "invalidRequest";
    case "not_found":
      return "notFound";
    case "forbidden":
      return "forbidden";
    case "conflict":
      return "conflict";
    case "rate_limited":
      return "rateLimited";
    case "invalid_state":
      // Owners' changes are refused in one state only: the place is archived.
      return ["add", "promote", "update", "visibility"].includes(intent)
        ? "archivedReadOnly"
        : "invalidState";
  }
}

/** The answer to a refused action: the page shows the Dutch message, the status tells scripts and tests. */
function refused(intent: string, error: unknown) {
  if (!isStreamError(error)) throw error;
  return data<PlaceActionResult>(
    { intent, error: errorKeyOf(intent, error) },
    { status: streamErrorStatus(error), headers: streamErrorHeaders(error) },
  );
}

function invalidRequest(intent = "unknown") {
  return data<PlaceActionResult>({ intent, error: "invalidRequest" }, { status: 400 });
}

const seeOther = (path: string) => redirect(path, 303);

/** Where to go after leaving: the place page, unless it is secret (the former member may no longer see it). */
function afterLeaving(view: PlaceView): string {
  return view.place.visibility === "secret" ? "/groepen?status=left" : `${view.place.path}?status=left`;
}

// ---------------------------------------------------------------------------------------------------
// The place page
// ---------------------------------------------------------------------------------------------------

/** /groepen/<slug>, /projecten/<slug>: the header, what the reader may do, and the stream for readers. */
export async function placeLoader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const view = await placeOfRequest(user, request, params.slug, "", "GET");
  const cursor = url.searchParams.get(CURSOR_PARAM);
  let stream: StreamPage | null = null;
  let badCursor = false;
  if (view.can.readPosts) {
    try {
      stream = await placeStream(user, view.place.id, { cursor });
    } catch (error) {
      if (!isStreamError(error, "invalid_input")) throwAsHttp(error);
      badCursor = true;
    }
  }
  const { followers } = await followCounts(user, { type: "place", slug: view.place.slug }).catch(throwAsHttp);
  const body = {
    title: await titleFor(request, user, "places.page.title", view.place.name),
    view,
    followers,
    stream,
    badCursor,
    status: statusOf(url),
    returnTo:
      cursor && !badCursor
        ? `${view.place.path}?${CURSOR_PARAM}=${encodeURIComponent(cursor)}`
        : view.place.path,
    limits: { message: JOIN_MESSAGE_MAX },
  };
  return data(body, { status: badCursor ? 400 : 200 });
}

const PlacePageActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("join") }),
  z.object({ intent: z.literal("request"), message: z.string().default("") }),
  z.object({ intent: z.literal("cancel-request") }),
  z.object({ intent: z.literal("leave") }),
]);

/** Join, ask to join (with a message), withdraw the request, leave. */
export async function placeAction({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const view = await placeOfRequest(user, request, params.slug, "", "POST");
  const parsed = PlacePageActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalidRequest();
  const input = parsed.data;
  const path = view.place.path;
  try {
    switch (input.intent) {
      case "join":
        await joinPlace(user, view.place.slug);
        return seeOther(`${path}?status=joined`);
      case "request":
        if (input.message.trim().length > JOIN_MESSAGE_MAX) {
          return data<PlaceActionResult>(
            { intent: "request", error: "messageTooLong", values: { message: input.message } },
            { status: 400 },
          );
        }
        await requestToJoin(user, view.place.slug, input.message);
        return seeOther(`${path}?status=requested`);
      case "cancel-request":
        await cancelJoinRequest(user, view.place.slug);
        return seeOther(`${path}?status=cancelled`);
      case "leave":
        await leavePlace(user, view.place.slug);
        return seeOther(afterLeaving(view));
    }
  } catch (error) {
    return refused(input.intent, error);
  }
}

// ---------------------------------------------------------------------------------------------------
// Members
// ---------------------------------------------------------------------------------------------------

const PageSchema = z.coerce.number().int().min(1).max(10_000);

function pageOf(url: URL): number | null {
  const raw = url.searchParams.get("pagina");
  if (raw === null || raw === "") return 1;
  const parsed = PageSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** …/leden: the members, owners first, a page at a time; only for those who may read the place. */
export async function membersLoader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const view = await placeOfRequest(user, request, params.slug, "/leden", "GET");
  const page = pageOf(url);
  if (page === null) throw new Response("Invalid page", { status: 400 });
  const members = await listMembers(user, view.place.slug, page).catch(throwAsHttp);
  return {
    title: await titleFor(request, user, "places.members.title", view.place.name),
    view,
    members: {
      ...members,
      items: members.items.map((member) => ({ ...member, initials: initialsOf(member.displayName) })),
    },
    me: user.id,
    status: statusOf(url),
  };
}

const UserIdSchema = z.string().trim().min(1).max(64);
const MembersActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add"),
    userId: UserIdSchema.optional(),
    name: z.string().max(200).default(""),
  }),
  z.object({ intent: z.literal("remove"), userId: UserIdSchema }),
  z.object({ intent: z.literal("promote"), userId: UserIdSchema }),
  z.object({ intent: z.literal("demote"), userId: UserIdSchema }),
  z.object({ intent: z.literal("leave") }),
]);

/**
 * Owners add a colleague by name (one match is added, several are offered to choose from), remove members
 * and promote or demote owners; a member leaves.
 */
export async function membersAction({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const view = await placeOfRequest(user, request, params.slug, "/leden", "POST");
  const parsed = MembersActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalidRequest();
  const input = parsed.data;
  const page = PageSchema.safeParse(form.get("pagina"));
  const back = (status: PlaceStatus) =>
    seeOther(
      `${view.place.path}/leden?${page.success && page.data > 1 ? `pagina=${page.data}&` : ""}status=${status}`,
    );
  try {
    switch (input.intent) {
      case "add": {
        let userId = input.userId;
        if (!userId) {
          const name = input.name.trim();
          if (!name) {
            return data<PlaceActionResult>({ intent: "add", error: "nameRequired" }, { status: 400 });
          }
          // Only an owner may add; refuse before searching so a non-owner learns nothing about colleagues.
          if (!view.can.manage) {
            return data<PlaceActionResult>({ intent: "add", error: "forbidden" }, { status: 403 });
          }
          const found = await searchPeople(user, { q: name, expertise: "", dienst: "", pagina: 1 });
          if (found.people.length === 0) {
            return data<PlaceActionResult>(
              { intent: "add", error: "noMatch", values: { name } },
              { status: 400 },
            );
          }
          if (found.people.length > 1) {
            return data<PlaceActionResult>({
              intent: "add",
              error: null,
              values: { name },
              candidates: found.people.slice(0, CANDIDATES_MAX).map((person) => ({
                id: person.id,
                displayName: person.displayName,
                jobTitle: person.jobTitle,
              })),
            });
          }
          userId = found.people[0]!.id;
        }
        await addMember(user, view.place.slug, userId);
        return back("added");
      }
      case "remove":
        await removeMember(user, view.place.slug, input.userId);
        return back("removed");
      case "promote":
        await setMemberRole(user, view.place.slug, input.userId, "owner");
        return back("promoted");
      case "demote":
        await setMemberRole(user, view.place.slug, input.userId, "member");
        // Demoting oneself ends one's access to this page's owner tools, not to the page.
        return back("demoted");
      case "leave":
        await leavePlace(user, view.place.slug);
        return seeOther(afterLeaving(view));
    }
  } catch (error) {
    return refused(input.intent, error);
  }
}

// ---------------------------------------------------------------------------------------------------
// Join requests
// ---------------------------------------------------------------------------------------------------

function requireManager(view: PlaceView): void {
  if (!view.can.manage) throw new Response("Only owners manage this place", { status: 403 });
}

/** …/aanvragen: the pending join requests with their messages; owners only. */
export async function requestsLoader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await placeOfRequest(user, request, params.slug, "/aanvragen", "GET");
  requireManager(view);
  const requests = await listJoinRequests(user, view.place.slug).catch(throwAsHttp);
  return {
    title: await titleFor(request, user, "places.requests.title", view.place.name),
    view,
    requests: requests.map((item) => ({
      ...item,
      requester: { ...item.requester, initials: initialsOf(item.requester.displayName) },
    })),
    status: statusOf(new URL(request.url)),
  };
}

const RequestsActionSchema = z.object({
  intent: z.literal("decide"),
  requestId: UserIdSchema,
  decision: z.enum(["approve", "reject"]),
});

/** An owner approves or rejects one request. */
export async function requestsAction({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const view = await placeOfRequest(user, request, params.slug, "/aanvragen", "POST");
  const parsed = RequestsActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalidRequest("decide");
  try {
    const { status } = await decideJoinRequest(
      user,
      view.place.slug,
      parsed.data.requestId,
      parsed.data.decision,
    );
    return seeOther(`${view.place.path}/aanvragen?status=${status}`);
  } catch (error) {
    return refused("decide", error);
  }
}

// ---------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------

/** …/instellingen: name, description, visibility, archive; owners only. */
export async function settingsLoader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await placeOfRequest(user, request, params.slug, "/instellingen", "GET");
  requireManager(view);
  return {
    title: await titleFor(request, user, "places.settings.title", view.place.name),
    view,
    status: statusOf(new URL(request.url)),
    limits: { nameMin: PLACE_NAME_MIN, nameMax: PLACE_NAME_MAX, descriptionMax: PLACE_DESCRIPTION_MAX },
  };
}

const SettingsActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("update"),
    name: z.string().default(""),
    description: z.string().default(""),
  }),
  z.object({ intent: z.literal("visibility"), visibility: z.string().default("") }),
  z.object({ intent: z.literal("archive") }),
  z.object({ intent: z.literal("restore") }),
]);

/** Saves the name and description, changes the visibility, archives or restores. */
export async function settingsAction({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const view = await placeOfRequest(user, request, params.slug, "/instellingen", "POST");
  const parsed = SettingsActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalidRequest();
  const input = parsed.data;
  // Refuse non-owners before validating, so they never learn more than "not yours to change".
  if (!view.can.manage) {
    return data<PlaceActionResult>({ intent: input.intent, error: "forbidden" }, { status: 403 });
  }
  const back = (status: PlaceStatus) => seeOther(`${view.place.path}/instellingen?status=${status}`);
  try {
    switch (input.intent) {
      case "update": {
        const values = { name: input.name, description: input.description };
        const checked = UpdatePlaceSchema.safeParse(values);
        if (!checked.success) {
          return data<PlaceActionResult>(
            { intent: "update", error: null, fieldErrors: placeFieldErrors(checked.error), values },
            { status: 400 },
          );
        }
        await updatePlace(user, view.place.slug, checked.data);
        return back("saved");
      }
      case "visibility": {
        if (!["open", "closed", "secret"].includes(input.visibility)) {
          return data<PlaceActionResult>(
            { intent: "visibility", error: null, fieldErrors: { visibility: { code: "invalid" } } },
            { status: 400 },
          );
        }
        await changePlaceVisibility(user, view.place.slug, input.visibility);
        return back("visibility");
      }
      case "archive":
        await archivePlace(user, view.place.slug);
        return back("archived");
      case "restore":
        await restorePlace(user, view.place.slug);
        return back("restored");
    }
  } catch (error) {
    return refused(input.intent, error);
  }
}
