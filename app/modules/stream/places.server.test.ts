import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { buildPlace, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  addMember,
  archivePlace,
  cancelJoinRequest,
  changePlaceVisibility,
  createPlace,
  decideJoinRequest,
  getPlaceView,
  joinPlace,
  leavePlace,
  listJoinRequests,
  listMembers,
  listPlaces,
  placePath,
  removeMember,
  requestToJoin,
  restorePlace,
  setMemberRole,
  slugify,
  updatePlace,
} from "./places.server";

setupTestDatabase();

const asReader = (id: string): Reader => ({
  id,
  roles: ["employee"],
  isFieldWorker: false,
  department: null,
});

async function newReader(displayName?: string): Promise<Reader> {
  return asReader((await buildUser(displayName ? { displayName } : {})).id);
}

async function isMember(placeId: string, userId: string) {
  return (await prisma.placeMembership.count({ where: { placeId, userId } })) > 0;
}

async function follows(placeId: string, userId: string) {
  return (
    (await prisma.follow.count({ where: { followerId: userId, targetType: "place", targetId: placeId } })) > 0
  );
}

async function notificationsOf(userId: string, type: string) {
  return prisma.notification.findMany({ where: { userId, type }, orderBy: { createdAt: "asc" } });
}

let owner: Reader;
let colleague: Reader;
let outsider: Reader;

beforeAll(async () => {
  owner = await newReader("Eigenaar Een");
  colleague = await newReader("Collega Twee");
  outsider = await newReader("Buitenstaander Drie");
});

describe("slugify", () => {
  it("makes URL names from Dutch names", () => {
    expect(slugify("Gent Plus, samen verder")).toBe("gent-plus-samen-verder");
    expect(slugify("Café Brugse Poort — één team")).toBe("cafe-brugse-poort-een-team");
    expect(slugify("Ĳzeren Leen & Zuid")).toBe("ijzeren-leen-en-zuid");
    expect(slugify("Liam O'Sullivan’s fanclub")).toBe("liam-osullivans-fanclub");
    expect(slugify("Straße, Ærø, Łódź")).toBe("strasse-aero-lodz");
    expect(slugify("  --  ")).toBe("");
  });

  it("cuts long names at a word boundary", () => {
    const slug = slugify("Herinrichting van de Korenmarkt en de Graslei tijdens de werken aan de tramlijn");
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toBe("herinrichting-van-de-korenmarkt-en-de-graslei-tijdens-de");
  });
});

describe("createPlace", () => {
  it("creates a place with the creator as owner and follower", async () => {
    const name = `Gent Plus, samen verder ${Date.now()}`;
    const created = await createPlace(owner, {
      kind: "project",
      name: `  ${name.replace(" ", "   ")} `,
      description: "  Het programma van de stad.  ",
      visibility: "open",
    });
    expect(created.slug).toBe(slugify(name));
    expect(created.path).toBe(`/projecten/${created.slug}`);
    const place = await prisma.place.findUniqueOrThrow({ where: { id: created.id } });
    expect(place).toMatchObject({ name, description: "Het programma van de stad.", createdById: owner.id });
    const memberships = await prisma.placeMembership.findMany({ where: { placeId: place.id } });
    expect(memberships).toEqual([expect.objectContaining({ userId: owner.id, role: "owner" })]);
    expect(await follows(place.id, owner.id)).toBe(true);
  });

  it("adds a suffix when the slug is taken or reserved", async () => {
    const name = `Fietsen naar het werk ${Date.now()}`;
    const first = await createPlace(owner, { kind: "group", name, visibility: "open" });
    const second = await createPlace(colleague, { kind: "group", name, visibility: "closed" });
    const third = await createPlace(colleague, { kind: "group", name, visibility: "open" });
    expect([first.slug, second.slug, third.slug]).toEqual([
      slugify(name),
      `${slugify(name)}-2`,
      `${slugify(name)}-3`,
    ]);
    const reserved = await createPlace(owner, { kind: "group", name: "Nieuw", visibility: "open" });
    expect(reserved.slug).toMatch(/^nieuw(-\d+)?$/);
    expect(reserved.slug).not.toBe("nieuw");
    const symbols = await createPlace(owner, { kind: "group", name: "???", visibility: "open" });
    expect(symbols.slug).toMatch(/^groep(-\d+)?$/);
  });

  it("gives a secret place a slug that does not take the plain name", async () => {
    const name = `Personeelsfeest ${Date.now()}`;
    const secret = await createPlace(owner, { kind: "group", name, visibility: "secret" });
    expect(secret.slug).toMatch(new RegExp(`^${slugify(name)}-[0-9a-f]{6}$`));
    const open = await createPlace(colleague, { kind: "group", name, visibility: "open" });
    expect(open.slug).toBe(slugify(name));
  });

  it("refuses bad input and saves nothing", async () => {
    const before = await prisma.place.count();
    const bad = [
      { kind: "group", name: "ab", visibility: "open" },
      { kind: "group", name: "x".repeat(81), visibility: "open" },
      { kind: "group", name: "Goede naam", description: "x".repeat(2001), visibility: "open" },
      { kind: "group", name: "Goede naam", visibility: "public" },
      { kind: "team", name: "Goede naam", visibility: "open" },
      { kind: "group", visibility: "open" },
      null,
    ];
    for (const input of bad) {
      await expect(createPlace(owner, input)).rejects.toMatchObject({ code: "invalid_input" });
    }
    expect(await prisma.place.count()).toBe(before);
  });
});

describe("who sees a place", () => {
  it("hides a secret place from non-members in the list, the view, the members and the requests", async () => {
    const name = `Geheime werkgroep ${Date.now()}`;
    const secret = await buildPlace({
      ownerIds: [owner.id],
      memberIds: [colleague.id],
      visibility: "secret",
      name,
    });
    const outsiderList = await listPlaces(outsider, { q: name });
    expect(outsiderList.items).toEqual([]);
    await expect(getPlaceView(outsider, secret.slug)).rejects.toMatchObject({ code: "not_found" });
    await expect(listMembers(outsider, secret.slug)).rejects.toMatchObject({ code: "not_found" });
    await expect(listJoinRequests(outsider, secret.slug)).rejects.toMatchObject({ code: "not_found" });
    await expect(requestToJoin(outsider, secret.slug, "Mag ik erbij?")).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(joinPlace(outsider, secret.slug)).rejects.toMatchObject({ code: "not_found" });

    const memberList = await listPlaces(colleague, { q: name });
    expect(memberList.items).toEqual([
      expect.objectContaining({ id: secret.id, myRole: "member", memberCount: 2, visibility: "secret" }),
    ]);
    const view = await getPlaceView(colleague, secret.slug);
    expect(view.myRole).toBe("member");
    expect(view.can).toMatchObject({ readPosts: true, post: true, manage: false, requestToJoin: false });
  });

  it("shows a closed place to everyone but its members only to members", async () => {
    const closed = await buildPlace({ ownerIds: [owner.id], visibility: "closed" });
    const view = await getPlaceView(outsider, closed.slug);
    expect(view.can).toMatchObject({
      readPosts: false,
      post: false,
      join: false,
      requestToJoin: true,
      follow: false,
    });
    expect(view.owners.map((o) => o.id)).toEqual([owner.id]);
    await expect(listMembers(outsider, closed.slug)).rejects.toMatchObject({ code: "forbidden" });
    const members = await listMembers(owner, closed.slug);
    expect(members.items.map((m) => [m.id, m.role])).toEqual([[owner.id, "owner"]]);
  });

  it("answers not_found for an unknown slug and invalid_input for a missing one", async () => {
    await expect(getPlaceView(owner, "bestaat-niet")).rejects.toMatchObject({ code: "not_found" });
    await expect(getPlaceView(owner, "")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(getPlaceView(owner, 42)).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("listPlaces", () => {
  it("filters by kind, name without accents and membership, with counts and the reader's state", async () => {
    const tag = `${Date.now()}`;
    const cafe = await buildPlace({
      ownerIds: [owner.id],
      memberIds: [colleague.id],
      name: `Café Brugse Poort ${tag}`,
    });
    const project = await buildPlace({
      ownerIds: [owner.id],
      kind: "project",
      visibility: "closed",
      name: `Cafetaria project ${tag}`,
    });
    await buildPlace({ ownerIds: [owner.id], name: `Cafe archief ${tag}`, archivedAt: new Date() });
    await requestToJoin(colleague, project.slug, "Ik help graag mee.");

    const all = await listPlaces(colleague, { q: `cafe` });
    const ids = all.items.map((item) => item.id);
    expect(ids).toEqual(expect.arrayContaining([cafe.id, project.id]));
    const byId = new Map(all.items.map((item) => [item.id, item]));
    expect(byId.get(cafe.id)).toMatchObject({ memberCount: 2, myRole: "member", requestPending: false });
    expect(byId.get(project.id)).toMatchObject({ memberCount: 1, myRole: null, requestPending: true });
    expect(all.items.some((item) => item.archived)).toBe(false);

    const projects = await listPlaces(colleague, { q: tag, kind: "project" });
    expect(projects.items.map((item) => item.id)).toEqual([project.id]);
    const mine = await listPlaces(colleague, { q: tag, mine: true });
    expect(mine.items.map((item) => item.id)).toEqual([cafe.id]);
    const archived = await listPlaces(colleague, { q: tag, includeArchived: true });
    expect(archived.items).toHaveLength(3);

    // LIKE wildcards in the search text are taken literally.
    expect((await listPlaces(colleague, { q: `caf_ ${tag}` })).items).toEqual([]);
    expect((await listPlaces(colleague, { q: "%" })).items.map((item) => item.id)).not.toContain(cafe.id);

    await expect(listPlaces(colleague, { kind: "team" } as never)).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(listPlaces(colleague, { page: 0 })).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("joining and leaving", () => {
  it("joins an open place at once and follows it; leaving unfollows", async () => {
    const place = await buildPlace({ ownerIds: [owner.id] });
    expect(await joinPlace(colleague, place.slug)).toEqual({ role: "member" });
    expect(await isMember(place.id, colleague.id)).toBe(true);
    expect(await follows(place.id, colleague.id)).toBe(true);
    await expect(joinPlace(colleague, place.slug)).rejects.toMatchObject({ code: "conflict" });
    await expect(requestToJoin(outsider, place.slug)).rejects.toMatchObject({ code: "invalid_state" });

    expect(await leavePlace(colleague, place.slug)).toEqual({ left: true });
    expect(await isMember(place.id, colleague.id)).toBe(false);
    expect(await follows(place.id, colleague.id)).toBe(false);
    await expect(leavePlace(colleague, place.slug)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("keeps the last owner from leaving or being demoted until someone else owns the place", async () => {
    const place = await buildPlace({ ownerIds: [owner.id], memberIds: [colleague.id] });
    await expect(leavePlace(owner, place.slug)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(setMemberRole(owner, place.slug, owner.id, "member")).rejects.toMatchObject({
      code: "invalid_state",
    });
    expect((await getPlaceView(owner, place.slug)).can.leave).toBe(false);

    await setMemberRole(owner, place.slug, colleague.id, "owner");
    expect((await getPlaceView(owner, place.slug)).can.leave).toBe(true);
    await leavePlace(owner, place.slug);
    expect(await isMember(place.id, owner.id)).toBe(false);
    await expect(leavePlace(colleague, place.slug)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("lets owners promote, demote and remove members, and nobody else", async () => {
    const member = await newReader();
    const place = await buildPlace({ ownerIds: [owner.id], memberIds: [colleague.id, member.id] });
    await expect(setMemberRole(colleague, place.slug, member.id, "owner")).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(removeMember(colleague, place.slug, member.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(setMemberRole(owner, place.slug, member.id, "admin")).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(setMemberRole(owner, place.slug, outsider.id, "owner")).rejects.toMatchObject({
      code: "not_found",
    });

    expect(await setMemberRole(owner, place.slug, member.id, "owner")).toEqual({
      userId: member.id,
      role: "owner",
    });
    expect(await setMemberRole(owner, place.slug, member.id, "member")).toEqual({
      userId: member.id,
      role: "member",
    });
    await prisma.follow.create({ data: { followerId: member.id, targetType: "place", targetId: place.id } });
    await removeMember(owner, place.slug, member.id);
    expect(await isMember(place.id, member.id)).toBe(false);
    expect(await follows(place.id, member.id)).toBe(false);
    await expect(removeMember(owner, place.slug, member.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(removeMember(owner, place.slug, owner.id)).rejects.toMatchObject({ code: "invalid_state" });
  });
});

describe("join requests", () => {
  it("asks to join a closed place, notifies the owners, and an owner approves", async () => {
    const secondOwner = await newReader();
    const requester = await newReader("Aanvrager Vier");
    const place = await buildPlace({
      ownerIds: [owner.id, secondOwner.id],
      memberIds: [colleague.id],
      visibility: "closed",
      name: `Wijkteam Sluizeken ${Date.now()}`,
    });
    await expect(joinPlace(requester, place.slug)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(requestToJoin(requester, place.slug, "x".repeat(501))).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(requestToJoin(colleague, place.slug, "")).rejects.toMatchObject({ code: "conflict" });

    const { requestId } = await requestToJoin(requester, place.slug, "  Ik werk in de buurt.  ");
    await expect(requestToJoin(requester, place.slug, "Nog eens")).rejects.toMatchObject({
      code: "conflict",
    });
    for (const ownerId of [owner.id, secondOwner.id]) {
      const notification = await prisma.notification.findFirst({
        where: { userId: ownerId, type: "place.join_requested", url: `${placePath(place)}/aanvragen` },
      });
      expect(notification).toMatchObject({
        data: expect.objectContaining({ placeName: place.name, actorName: "Aanvrager Vier" }),
      });
    }
    expect((await getPlaceView(requester, place.slug)).pendingRequest).toMatchObject({
      id: requestId,
      message: "Ik werk in de buurt.",
    });
    expect((await getPlaceView(owner, place.slug)).pendingRequestCount).toBe(1);
    const requests = await listJoinRequests(owner, place.slug);
    expect(requests.map((r) => [r.id, r.requester.id])).toEqual([[requestId, requester.id]]);

    await expect(listJoinRequests(colleague, place.slug)).rejects.toMatchObject({ code: "forbidden" });
    await expect(decideJoinRequest(colleague, place.slug, requestId, "approve")).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(decideJoinRequest(requester, place.slug, requestId, "approve")).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(decideJoinRequest(owner, place.slug, requestId, "maybe")).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(decideJoinRequest(owner, place.slug, "onbekend", "approve")).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await isMember(place.id, requester.id)).toBe(false);

    expect(await decideJoinRequest(secondOwner, place.slug, requestId, "approve")).toEqual({
      status: "approved",
    });
    expect(await isMember(place.id, requester.id)).toBe(true);
    expect(await follows(place.id, requester.id)).toBe(true);
    const [approved] = await notificationsOf(requester.id, "place.join_approved");
    expect(approved).toMatchObject({
      url: placePath(place),
      data: expect.objectContaining({ placeName: place.name }),
    });
    await expect(decideJoinRequest(owner, place.slug, requestId, "reject")).rejects.toMatchObject({
      code: "invalid_state",
    });
  });

  it("rejects, tells the requester, and lets them ask again only a day later", async () => {
    const requester = await newReader();
    const place = await buildPlace({ ownerIds: [owner.id], visibility: "closed" });
    const { requestId } = await requestToJoin(requester, place.slug, "Graag");
    expect(await decideJoinRequest(owner, place.slug, requestId, "reject")).toEqual({ status: "rejected" });
    expect(await isMember(place.id, requester.id)).toBe(false);
    expect(await notificationsOf(requester.id, "place.join_rejected")).toHaveLength(1);

    await expect(requestToJoin(requester, place.slug, "Toch?")).rejects.toMatchObject({
      code: "invalid_state",
    });
    const tomorrow = new Date(Date.now() + 25 * 3600_000);
    const again = await requestToJoin(requester, place.slug, "Toch?", tomorrow);
    // The same row is reopened, so the owner is notified again (a new dedupe key).
    expect(again.requestId).toBe(requestId);
    expect(await notificationsOf(owner.id, "place.join_requested")).toEqual(
      expect.arrayContaining([expect.objectContaining({ dedupeKey: expect.stringContaining(requestId) })]),
    );
    const keys = (await notificationsOf(owner.id, "place.join_requested"))
      .map((n) => n.dedupeKey)
      .filter((key) => key?.includes(requestId));
    expect(keys).toHaveLength(2);

    expect(await cancelJoinRequest(requester, place.slug)).toEqual({ cancelled: true });
    await expect(cancelJoinRequest(requester, place.slug)).rejects.toMatchObject({ code: "not_found" });
    expect(await listJoinRequests(owner, place.slug)).toEqual([]);
  });
});

describe("secret places: owners add members", () => {
  it("adds an active colleague, who follows the place and is told; nobody else may", async () => {
    const invitee = await newReader();
    const place = await buildPlace({
      ownerIds: [owner.id],
      memberIds: [colleague.id],
      visibility: "secret",
      name: `Onthaal nieuwe directeur ${Date.now()}`,
    });
    await expect(addMember(colleague, place.slug, invitee.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(addMember(outsider, place.slug, invitee.id)).rejects.toMatchObject({ code: "not_found" });
    const inactive = await buildUser({ active: false });
    await expect(addMember(owner, place.slug, inactive.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(addMember(owner, place.slug, colleague.id)).rejects.toMatchObject({ code: "conflict" });

    expect(await addMember(owner, place.slug, invitee.id)).toEqual({ userId: invitee.id, role: "member" });
    expect(await follows(place.id, invitee.id)).toBe(true);
    const [added] = await notificationsOf(invitee.id, "place.member_added");
    expect(added).toMatchObject({
      data: expect.objectContaining({ placeName: place.name, actorName: "Eigenaar Een" }),
    });
    expect((await getPlaceView(invitee, place.slug)).can.readPosts).toBe(true);
  });
});

describe("editing and archiving", () => {
  it("lets owners rename without changing the slug; others may not", async () => {
    const place = await buildPlace({ ownerIds: [owner.id], memberIds: [colleague.id] });
    const updated = await updatePlace(owner, place.slug, {
      name: "Nieuwe naam voor de groep",
      description: "Over ons",
    });
    expect(updated).toMatchObject({ slug: place.slug, name: "Nieuwe naam voor de groep" });
    await expect(updatePlace(colleague, place.slug, { name: "Overname" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(updatePlace(owner, place.slug, {})).rejects.toMatchObject({ code: "invalid_input" });
    await expect(updatePlace(owner, place.slug, { name: "x" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    expect((await prisma.place.findUniqueOrThrow({ where: { id: place.id } })).name).toBe(
      "Nieuwe naam voor de groep",
    );
  });

  it("makes an archived place read-only until it is restored", async () => {
    const place = await buildPlace({ ownerIds: [owner.id], memberIds: [colleague.id] });
    await expect(archivePlace(colleague, place.slug)).rejects.toMatchObject({ code: "forbidden" });
    const { archivedAt } = await archivePlace(owner, place.slug);
    expect(await archivePlace(owner, place.slug)).toEqual({ archivedAt });

    const view = await getPlaceView(colleague, place.slug);
    expect(view.place.archived).toBe(true);
    expect(view.can).toMatchObject({ post: false, readPosts: true });
    await expect(joinPlace(outsider, place.slug)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(updatePlace(owner, place.slug, { name: "Nog iets" })).rejects.toMatchObject({
      code: "invalid_state",
    });
    await expect(changePlaceVisibility(owner, place.slug, "closed")).rejects.toMatchObject({
      code: "invalid_state",
    });
    await expect(addMember(owner, place.slug, outsider.id)).rejects.toMatchObject({ code: "invalid_state" });
    // Leaving is not a change to the place's content.
    await leavePlace(colleague, place.slug);

    await restorePlace(owner, place.slug);
    expect((await getPlaceView(outsider, place.slug)).can.join).toBe(true);
  });
});

describe("changePlaceVisibility", () => {
  async function postIn(placeId: string, authorId: string, audience: string[]) {
    return prisma.post.create({
      data: {
        authorId,
        placeId,
        audience,
        text: "Hallo",
        body: { root: { type: "root", children: [] } },
      },
      select: { id: true },
    });
  }

  it("updates the audience of the place's posts in the same transaction", async () => {
    const place = await buildPlace({ ownerIds: [owner.id], memberIds: [colleague.id] });
    const elsewhere = await buildPlace({ ownerIds: [owner.id] });
    const posts = [await postIn(place.id, owner.id, ["all"]), await postIn(place.id, colleague.id, ["all"])];
    const other = await postIn(elsewhere.id, owner.id, ["all"]);
    // An outsider who only followed the open place loses the follow; a member keeps theirs.
    await prisma.follow.createMany({
      data: [
        { followerId: outsider.id, targetType: "place", targetId: place.id },
        { followerId: colleague.id, targetType: "place", targetId: place.id },
      ],
    });

    await expect(changePlaceVisibility(colleague, place.slug, "closed")).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(changePlaceVisibility(owner, place.slug, "hidden")).rejects.toMatchObject({
      code: "invalid_input",
    });

    expect(await changePlaceVisibility(owner, place.slug, "closed")).toEqual({
      visibility: "closed",
      postsUpdated: 2,
    });
    const audiences = await prisma.post.findMany({
      where: { id: { in: posts.map((p) => p.id) } },
      select: { audience: true },
    });
    expect(audiences.map((p) => p.audience)).toEqual([[`place:${place.id}`], [`place:${place.id}`]]);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: other.id } })).audience).toEqual(["all"]);
    expect(await follows(place.id, outsider.id)).toBe(false);
    expect(await follows(place.id, colleague.id)).toBe(true);

    expect(await changePlaceVisibility(owner, place.slug, "closed")).toEqual({
      visibility: "closed",
      postsUpdated: 0,
    });
    await changePlaceVisibility(owner, place.slug, "open");
    const reopened = await prisma.post.findMany({ where: { placeId: place.id }, select: { audience: true } });
    expect(reopened.map((p) => p.audience)).toEqual([["all"], ["all"]]);
  });

  it("approves pending requests when a place opens and drops them when it turns secret", async () => {
    const first = await newReader();
    const second = await newReader();
    const opening = await buildPlace({ ownerIds: [owner.id], visibility: "closed" });
    await requestToJoin(first, opening.slug, "");
    await changePlaceVisibility(owner, opening.slug, "open");
    expect(await isMember(opening.id, first.id)).toBe(true);
    expect(await follows(opening.id, first.id)).toBe(true);
    expect(await notificationsOf(first.id, "place.join_approved")).toHaveLength(1);

    const hiding = await buildPlace({ ownerIds: [owner.id], visibility: "closed" });
    await requestToJoin(second, hiding.slug, "");
    await changePlaceVisibility(owner, hiding.slug, "secret");
    expect(await prisma.placeJoinRequest.count({ where: { placeId: hiding.id } })).toBe(0);
    await expect(getPlaceView(second, hiding.slug)).rejects.toMatchObject({ code: "not_found" });
  });
});
