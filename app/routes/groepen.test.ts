/**
 * The group and project pages: a visibility matrix (outsider, member, owner, admin × open, closed, secret)
 * over every loader, the 301 between the two prefixes, and the actions with their bad inputs (no CSRF,
 * unknown slug, invalid names, non-owners managing) and their happy paths.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildPlace, buildPost, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import {
  formPost,
  getRequest,
  ROUTE_CSRF,
  routeContext,
  settle,
  signIn,
  signInAs,
  type Visitor,
} from "../../tests/support/routes";
import { loader as listLoader } from "./groepen._index";
import { action as createAction, loader as createLoader } from "./groepen.nieuw";
import { action as placeAction, loader as placeLoader } from "./groepen.$slug";
import { action as requestsAction, loader as requestsLoader } from "./groepen.$slug_.aanvragen";
import { action as settingsAction, loader as settingsLoader } from "./groepen.$slug_.instellingen";
import { action as membersAction, loader as membersLoader } from "./groepen.$slug_.leden";
import { loader as projectLoader } from "./projecten.$slug";
import { loader as projectMembersLoader } from "./projecten.$slug_.leden";

setupTestDatabase();

type Args = { request: Request; params: Record<string, string>; context: typeof routeContext };
type Handler = (args: Args) => Promise<unknown>;

const get = (handler: Handler, url: string, who: Visitor, params: Record<string, string> = {}) =>
  settle(handler({ request: getRequest(url, who), params, context: routeContext }));

const post = (
  handler: Handler,
  url: string,
  who: Visitor,
  fields: Record<string, string>,
  params: Record<string, string> = {},
  token: string | null = ROUTE_CSRF,
) => settle(handler({ request: formPost(url, who, fields, token), params, context: routeContext }));

type Role = "outsider" | "member" | "owner" | "admin";
const visitors = {} as Record<Role, Visitor>;
const places = {} as Record<"open" | "closed" | "secret", { id: string; slug: string; postId: string }>;

beforeAll(async () => {
  visitors.outsider = await signIn();
  visitors.member = await signIn();
  visitors.owner = await signIn();
  visitors.admin = await signIn({}, ["admin"]);
  for (const visibility of ["open", "closed", "secret"] as const) {
    const place = await buildPlace({
      ownerIds: [visitors.owner.id],
      memberIds: [visitors.member.id],
      visibility,
      name: `Matrix ${visibility}`,
    });
    const postRow = await buildPost({
      authorId: visitors.member.id,
      placeId: place.id,
      text: `In ${visibility}`,
    });
    places[visibility] = { id: place.id, slug: place.slug, postId: postRow.id };
  }
});

describe("visibility matrix over every loader", () => {
  // Expected status per loader, visibility and role; the place page also says whether posts are shown.
  const page: Record<string, Record<Role, number>> = {
    open: { outsider: 200, member: 200, owner: 200, admin: 200 },
    closed: { outsider: 200, member: 200, owner: 200, admin: 200 },
    secret: { outsider: 404, member: 200, owner: 200, admin: 404 },
  };
  const members: Record<string, Record<Role, number>> = {
    open: { outsider: 200, member: 200, owner: 200, admin: 200 },
    closed: { outsider: 403, member: 200, owner: 200, admin: 403 },
    secret: { outsider: 404, member: 200, owner: 200, admin: 404 },
  };
  const ownersOnly: Record<string, Record<Role, number>> = {
    open: { outsider: 403, member: 403, owner: 200, admin: 403 },
    closed: { outsider: 403, member: 403, owner: 200, admin: 403 },
    secret: { outsider: 404, member: 403, owner: 200, admin: 404 },
  };
  const roles: Role[] = ["outsider", "member", "owner", "admin"];
  const cases = (["open", "closed", "secret"] as const).flatMap((visibility) =>
    roles.map((role) => [visibility, role] as const),
  );

  it.each(cases)("%s place, %s", async (visibility, role) => {
    const { slug, postId } = places[visibility];
    const who = visitors[role];
    const params = { slug };
    const main = await get(placeLoader, `/groepen/${slug}`, who, params);
    expect(main.status).toBe(page[visibility]![role]);
    if (main.status === 200) {
      const body = main.body as {
        view: { can: { readPosts: boolean } };
        stream: { items: { id: string }[] } | null;
      };
      const readsPosts = visibility === "open" || role === "member" || role === "owner";
      expect(body.view.can.readPosts).toBe(readsPosts);
      expect(body.stream === null).toBe(!readsPosts);
      if (readsPosts) expect(body.stream!.items.map((item) => item.id)).toContain(postId);
    }
    expect((await get(membersLoader, `/groepen/${slug}/leden`, who, params)).status).toBe(
      members[visibility]![role],
    );
    expect((await get(requestsLoader, `/groepen/${slug}/aanvragen`, who, params)).status).toBe(
      ownersOnly[visibility]![role],
    );
    expect((await get(settingsLoader, `/groepen/${slug}/instellingen`, who, params)).status).toBe(
      ownersOnly[visibility]![role],
    );
  });

  it("lists a secret place only for its members", async () => {
    const slugsFor = async (who: Visitor) => {
      const result = await get(listLoader, "/groepen?q=matrix", who);
      return (result.body as { results: { items: { slug: string }[] } }).results.items.map(
        (item) => item.slug,
      );
    };
    expect(await slugsFor(visitors.outsider)).toEqual(expect.not.arrayContaining([places.secret.slug]));
    expect(await slugsFor(visitors.outsider)).toEqual(
      expect.arrayContaining([places.open.slug, places.closed.slug]),
    );
    expect(await slugsFor(visitors.admin)).not.toContain(places.secret.slug);
    expect(await slugsFor(visitors.member)).toContain(places.secret.slug);
    const mine = await get(listLoader, "/groepen", visitors.member);
    expect(
      (mine.body as { mine: { items: { slug: string }[] } }).mine.items.map((item) => item.slug),
    ).toEqual(expect.arrayContaining([places.open.slug, places.closed.slug, places.secret.slug]));
  });

  it("answers 400 to list parameters it cannot read", async () => {
    expect((await get(listLoader, "/groepen?soort=iets", visitors.outsider)).status).toBe(400);
    expect((await get(listLoader, "/groepen?pagina=0", visitors.outsider)).status).toBe(400);
  });

  it("answers 404 for an unknown slug on every page", async () => {
    const params = { slug: "bestaat-niet" };
    for (const handler of [placeLoader, membersLoader, requestsLoader, settingsLoader]) {
      expect((await get(handler, "/groepen/bestaat-niet", visitors.owner, params)).status).toBe(404);
    }
    expect((await get(placeLoader, "/groepen/x", visitors.owner, { slug: "x".repeat(300) })).status).toBe(
      404,
    );
  });

  it("redirects a group opened under /projecten, but never reveals a secret one", async () => {
    const { slug } = places.closed;
    const moved = await get(projectLoader, `/projecten/${slug}?na=`, visitors.outsider, { slug });
    expect(moved.status).toBe(301);
    expect(moved.location).toBe(`/groepen/${slug}?na=`);
    const members = await get(projectMembersLoader, `/projecten/${slug}/leden`, visitors.member, { slug });
    expect(members.location).toBe(`/groepen/${slug}/leden`);
    const secret = places.secret.slug;
    expect(
      (await get(projectLoader, `/projecten/${secret}`, visitors.outsider, { slug: secret })).status,
    ).toBe(404);
    expect((await get(projectLoader, `/projecten/${secret}`, visitors.member, { slug: secret })).status).toBe(
      301,
    );
  });

  it("answers 400 to a stream cursor it cannot read", async () => {
    const { slug } = places.open;
    const result = await get(placeLoader, `/groepen/${slug}?na=kapot`, visitors.outsider, { slug });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ badCursor: true, stream: null });
  });
});

describe("actions: bad input", () => {
  it("refuses every action without a valid CSRF token and changes nothing", async () => {
    const { slug } = places.open;
    const who = await signIn();
    for (const token of [null, "vervalst.token"]) {
      const cases: [Handler, string, Record<string, string>][] = [
        [placeAction, `/groepen/${slug}`, { intent: "join" }],
        [membersAction, `/groepen/${slug}/leden`, { intent: "leave" }],
        [
          requestsAction,
          `/groepen/${slug}/aanvragen`,
          { intent: "decide", requestId: "x", decision: "approve" },
        ],
        [settingsAction, `/groepen/${slug}/instellingen`, { intent: "archive" }],
        [createAction, "/groepen/nieuw", { name: "Gekaapt", kind: "group", visibility: "open" }],
      ];
      for (const [handler, url, fields] of cases) {
        expect((await post(handler, url, who, fields, { slug }, token)).status).toBe(403);
      }
    }
    expect(await prisma.placeMembership.count({ where: { userId: who.id } })).toBe(0);
    expect(await prisma.place.count({ where: { name: "Gekaapt" } })).toBe(0);
  });

  it("answers 404 to actions on an unknown or secret slug, and under the wrong prefix", async () => {
    const outsider = visitors.outsider;
    for (const slug of ["bestaat-niet", places.secret.slug]) {
      expect(
        (await post(placeAction, `/groepen/${slug}`, outsider, { intent: "join" }, { slug })).status,
      ).toBe(404);
      expect(
        (await post(membersAction, `/groepen/${slug}/leden`, outsider, { intent: "leave" }, { slug })).status,
      ).toBe(404);
      expect(
        (
          await post(
            settingsAction,
            `/groepen/${slug}/instellingen`,
            outsider,
            { intent: "archive" },
            { slug },
          )
        ).status,
      ).toBe(404);
    }
    const { slug } = places.open;
    expect(
      (await post(placeAction, `/projecten/${slug}`, outsider, { intent: "join" }, { slug })).status,
    ).toBe(404);
  });

  it("answers 400 to an unknown intent", async () => {
    const { slug } = places.open;
    const result = await post(
      placeAction,
      `/groepen/${slug}`,
      visitors.outsider,
      { intent: "vliegen" },
      { slug },
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ error: "invalidRequest" });
  });

  it("refuses invalid names with field errors, keeping what was typed", async () => {
    const who = await signIn();
    const short = await post(createAction, "/groepen/nieuw", who, {
      name: " a ",
      kind: "group",
      visibility: "open",
      description: "Iets",
    });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({
      errors: { name: { code: "tooShort", min: 3 } },
      values: { name: " a ", description: "Iets" },
    });
    const wrong = await post(createAction, "/groepen/nieuw", who, {
      name: "x".repeat(81),
      kind: "club",
      visibility: "",
      description: "y".repeat(2001),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({
      errors: {
        name: { code: "tooLong", max: 80 },
        kind: { code: "invalid" },
        visibility: { code: "invalid" },
        description: { code: "tooLong", max: 2000 },
      },
    });
    expect(await prisma.place.count({ where: { createdById: who.id } })).toBe(0);

    const { slug } = places.open;
    const update = await post(
      settingsAction,
      `/groepen/${slug}/instellingen`,
      visitors.owner,
      { intent: "update", name: "", description: "" },
      { slug },
    );
    expect(update.status).toBe(400);
    expect(update.body).toMatchObject({ fieldErrors: { name: { code: "tooShort" } } });
    const visibility = await post(
      settingsAction,
      `/groepen/${slug}/instellingen`,
      visitors.owner,
      { intent: "visibility", visibility: "half-open" },
      { slug },
    );
    expect(visibility.status).toBe(400);
  });

  it("refuses non-owners managing, before looking at their input", async () => {
    const { slug } = places.closed;
    const member = visitors.member;
    const checks: [Handler, string, Record<string, string>][] = [
      [membersAction, "leden", { intent: "add", name: "Iemand" }],
      [membersAction, "leden", { intent: "add", userId: visitors.outsider.id }],
      [membersAction, "leden", { intent: "remove", userId: visitors.owner.id }],
      [membersAction, "leden", { intent: "promote", userId: member.id }],
      [requestsAction, "aanvragen", { intent: "decide", requestId: "x", decision: "approve" }],
      [settingsAction, "instellingen", { intent: "update", name: "", description: "" }],
      [settingsAction, "instellingen", { intent: "visibility", visibility: "open" }],
      [settingsAction, "instellingen", { intent: "archive" }],
    ];
    for (const [handler, sub, fields] of checks) {
      const result = await post(handler, `/groepen/${slug}/${sub}`, member, fields, { slug });
      expect(result.status).toBe(403);
      expect(result.body).toMatchObject({ error: "forbidden" });
    }
    // The admin role gives no say over someone else's group.
    const admin = await post(
      settingsAction,
      `/groepen/${slug}/instellingen`,
      visitors.admin,
      { intent: "archive" },
      { slug },
    );
    expect(admin.status).toBe(403);
    const place = await prisma.place.findUniqueOrThrow({ where: { slug } });
    expect(place).toMatchObject({ visibility: "closed", archivedAt: null });
  });
});

describe("actions: what they do", () => {
  it("creates a place whose creator is owner, and shows it", async () => {
    const who = await signIn();
    expect((await get(createLoader, "/groepen/nieuw?soort=project", who)).body).toMatchObject({
      kind: "project",
    });
    const result = await post(createAction, "/groepen/nieuw", who, {
      name: "Fietsen naar het werk",
      kind: "project",
      visibility: "closed",
      description: "Samen sneller",
    });
    expect(result.status).toBe(303);
    expect(result.location).toMatch(/^\/projecten\/fietsen-naar-het-werk(-\d+)?\?status=created$/);
    const slug = result.location!.split("/")[2]!.split("?")[0]!;
    const page = await get(projectLoader, result.location!, who, { slug });
    expect(page.body).toMatchObject({
      status: "created",
      view: {
        myRole: "owner",
        place: { kind: "project", visibility: "closed", description: "Samen sneller" },
      },
    });
  });

  it("joins an open place, then leaves it", async () => {
    const who = await signIn();
    const { slug, id } = places.open;
    const joined = await post(placeAction, `/groepen/${slug}`, who, { intent: "join" }, { slug });
    expect(joined).toMatchObject({ status: 303, location: `/groepen/${slug}?status=joined` });
    expect(await prisma.placeMembership.count({ where: { placeId: id, userId: who.id } })).toBe(1);
    const again = await post(placeAction, `/groepen/${slug}`, who, { intent: "join" }, { slug });
    expect(again).toMatchObject({ status: 409, body: { error: "alreadyMember" } });
    const left = await post(placeAction, `/groepen/${slug}`, who, { intent: "leave" }, { slug });
    expect(left).toMatchObject({ status: 303, location: `/groepen/${slug}?status=left` });
  });

  it("asks to join a closed place with a message; the owner approves it", async () => {
    const who = await signIn({ displayName: "Aanvrager Test" });
    const { slug, id } = places.closed;
    const direct = await post(placeAction, `/groepen/${slug}`, who, { intent: "join" }, { slug });
    expect(direct).toMatchObject({ status: 409, body: { error: "joinRefused" } });
    const tooLong = await post(
      placeAction,
      `/groepen/${slug}`,
      who,
      { intent: "request", message: "x".repeat(501) },
      { slug },
    );
    expect(tooLong).toMatchObject({ status: 400, body: { error: "messageTooLong" } });
    const asked = await post(
      placeAction,
      `/groepen/${slug}`,
      who,
      { intent: "request", message: "Mag ik erbij?" },
      { slug },
    );
    expect(asked).toMatchObject({ status: 303, location: `/groepen/${slug}?status=requested` });

    const list = await get(requestsLoader, `/groepen/${slug}/aanvragen`, visitors.owner, { slug });
    const requests = (list.body as { requests: { id: string; message: string; requester: { id: string } }[] })
      .requests;
    const mine = requests.find((item) => item.requester.id === who.id)!;
    expect(mine.message).toBe("Mag ik erbij?");
    const bad = await post(
      requestsAction,
      `/groepen/${slug}/aanvragen`,
      visitors.owner,
      { intent: "decide", requestId: mine.id, decision: "misschien" },
      { slug },
    );
    expect(bad.status).toBe(400);
    const approved = await post(
      requestsAction,
      `/groepen/${slug}/aanvragen`,
      visitors.owner,
      { intent: "decide", requestId: mine.id, decision: "approve" },
      { slug },
    );
    expect(approved).toMatchObject({ status: 303, location: `/groepen/${slug}/aanvragen?status=approved` });
    expect(await prisma.placeMembership.count({ where: { placeId: id, userId: who.id } })).toBe(1);
    const twice = await post(
      requestsAction,
      `/groepen/${slug}/aanvragen`,
      visitors.owner,
      { intent: "decide", requestId: mine.id, decision: "reject" },
      { slug },
    );
    expect(twice).toMatchObject({ status: 409, body: { error: "alreadyDecided" } });
    const unknown = await post(
      requestsAction,
      `/groepen/${slug}/aanvragen`,
      visitors.owner,
      { intent: "decide", requestId: "onbekend", decision: "reject" },
      { slug },
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: "noRequest" } });
  });

  it("lets an owner add by name, choose among several, promote, demote and remove", async () => {
    const owner = await signIn();
    const place = await buildPlace({ ownerIds: [owner.id], visibility: "secret" });
    const slug = place.slug;
    const url = `/groepen/${slug}/leden`;
    const solo = await signIn({ displayName: "Zeldzame Zebravink" });
    await signIn({ displayName: "Dubbele Dirk Eén" });
    await signIn({ displayName: "Dubbele Dirk Twee" });

    expect(await post(membersAction, url, owner, { intent: "add", name: "  " }, { slug })).toMatchObject({
      status: 400,
      body: { error: "nameRequired" },
    });
    expect(
      await post(membersAction, url, owner, { intent: "add", name: "Niemandsland Qwerty" }, { slug }),
    ).toMatchObject({
      status: 400,
      body: { error: "noMatch" },
    });
    const added = await post(membersAction, url, owner, { intent: "add", name: "zebravink" }, { slug });
    expect(added).toMatchObject({ status: 303, location: `${url}?status=added` });
    const choice = await post(membersAction, url, owner, { intent: "add", name: "Dubbele Dirk" }, { slug });
    expect(choice.status).toBe(200);
    const candidates = (choice.body as { candidates: { id: string; displayName: string }[] }).candidates;
    expect(candidates.map((c) => c.displayName).sort()).toEqual(["Dubbele Dirk Eén", "Dubbele Dirk Twee"]);
    expect(
      await post(membersAction, url, owner, { intent: "add", userId: candidates[0]!.id }, { slug }),
    ).toMatchObject({
      status: 303,
    });
    expect(await post(membersAction, url, owner, { intent: "add", userId: solo.id }, { slug })).toMatchObject(
      {
        status: 409,
        body: { error: "alreadyInPlace" },
      },
    );

    // The new member now sees the secret place and its members.
    expect((await get(membersLoader, url, solo, { slug })).status).toBe(200);
    expect(
      await post(membersAction, url, owner, { intent: "promote", userId: solo.id, pagina: "1" }, { slug }),
    ).toMatchObject({ status: 303, location: `${url}?status=promoted` });
    expect(
      await post(membersAction, url, owner, { intent: "demote", userId: solo.id }, { slug }),
    ).toMatchObject({
      status: 303,
      location: `${url}?status=demoted`,
    });
    expect(
      await post(membersAction, url, owner, { intent: "remove", userId: solo.id }, { slug }),
    ).toMatchObject({
      status: 303,
      location: `${url}?status=removed`,
    });
    expect(
      await post(membersAction, url, owner, { intent: "remove", userId: solo.id }, { slug }),
    ).toMatchObject({
      status: 404,
      body: { error: "noColleague" },
    });
    expect((await get(membersLoader, url, solo, { slug })).status).toBe(404);

    // The last owner can neither leave nor demote themselves.
    expect(await post(membersAction, url, owner, { intent: "leave" }, { slug })).toMatchObject({
      status: 409,
      body: { error: "lastOwner" },
    });
    expect(
      await post(membersAction, url, owner, { intent: "demote", userId: owner.id }, { slug }),
    ).toMatchObject({
      status: 409,
      body: { error: "lastOwner" },
    });
    // Leaving a secret place goes back to the list: the place page would be 404 now.
    const other = candidates[0]!.id;
    const otherVisitor = { id: other, cookie: (await signInAs(other)).cookie };
    expect(await post(membersAction, url, otherVisitor, { intent: "leave" }, { slug })).toMatchObject({
      status: 303,
      location: "/groepen?status=left",
    });
  });

  it("pages through the members", async () => {
    const owner = await signIn();
    const memberIds = await Promise.all(Array.from({ length: 50 }, async () => (await buildUser()).id));
    const place = await buildPlace({ ownerIds: [owner.id], memberIds });
    const slug = place.slug;
    const first = await get(membersLoader, `/groepen/${slug}/leden`, owner, { slug });
    const firstBody = first.body as { members: { items: { id: string; role: string }[]; hasMore: boolean } };
    expect(firstBody.members.items).toHaveLength(50);
    expect(firstBody.members.items[0]).toMatchObject({ id: owner.id, role: "owner" });
    expect(firstBody.members.hasMore).toBe(true);
    const second = await get(membersLoader, `/groepen/${slug}/leden?pagina=2`, owner, { slug });
    expect((second.body as { members: { items: unknown[]; hasMore: boolean } }).members).toMatchObject({
      hasMore: false,
    });
    expect((second.body as { members: { items: unknown[] } }).members.items).toHaveLength(1);
    expect((await get(membersLoader, `/groepen/${slug}/leden?pagina=nul`, owner, { slug })).status).toBe(400);
  });

  it("saves settings, changes the visibility, archives (read-only) and restores", async () => {
    const owner = await signIn();
    const place = await buildPlace({ ownerIds: [owner.id], visibility: "open" });
    const slug = place.slug;
    const url = `/groepen/${slug}/instellingen`;
    expect(
      await post(
        settingsAction,
        url,
        owner,
        { intent: "update", name: "Nieuwe naam", description: "Nieuw" },
        { slug },
      ),
    ).toMatchObject({ status: 303, location: `${url}?status=saved` });
    expect(
      await post(settingsAction, url, owner, { intent: "visibility", visibility: "secret" }, { slug }),
    ).toMatchObject({ status: 303, location: `${url}?status=visibility` });
    expect(await prisma.place.findUniqueOrThrow({ where: { slug } })).toMatchObject({
      name: "Nieuwe naam",
      description: "Nieuw",
      visibility: "secret",
    });
    expect((await get(placeLoader, `/groepen/${slug}`, visitors.outsider, { slug })).status).toBe(404);

    expect(await post(settingsAction, url, owner, { intent: "archive" }, { slug })).toMatchObject({
      status: 303,
    });
    expect(
      await post(
        settingsAction,
        url,
        owner,
        { intent: "update", name: "Nog anders", description: "" },
        { slug },
      ),
    ).toMatchObject({ status: 409, body: { error: "archivedReadOnly" } });
    const view = await get(placeLoader, `/groepen/${slug}`, owner, { slug });
    expect(view.body).toMatchObject({ view: { place: { archived: true }, can: { post: false } } });
    expect(await post(settingsAction, url, owner, { intent: "restore" }, { slug })).toMatchObject({
      status: 303,
      location: `${url}?status=restored`,
    });
  });
});
