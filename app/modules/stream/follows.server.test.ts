import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { getFixedT } from "~/i18n/i18next.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { renderNotificationText } from "~/modules/notifications/types";
import { buildPlace, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  followCounts,
  followedAmong,
  followPlace,
  followTopic,
  followUser,
  listFollowing,
  profilePath,
  unfollowPlace,
  unfollowTopic,
  unfollowUser,
} from "./follows.server";
import { changePlaceVisibility, joinPlace, leavePlace } from "./places.server";

setupTestDatabase();

const asReader = (id: string): Reader => ({
  id,
  roles: ["employee"],
  isFieldWorker: false,
  department: null,
});

let reader: Reader;
let other: Reader;

beforeAll(async () => {
  reader = asReader((await buildUser({ displayName: "Volger Een" })).id);
  other = asReader((await buildUser({ displayName: "Gevolgde Twee" })).id);
});

describe("following people", () => {
  it("follows an active colleague and notifies them once per pair", async () => {
    const target = await buildUser({ displayName: "Anneleen Van Acker" });
    expect(await followUser(reader, target.id)).toEqual({ following: true });
    expect(await followUser(reader, target.id)).toEqual({ following: true });
    expect(await unfollowUser(reader, target.id)).toEqual({ following: false });
    expect(await unfollowUser(reader, target.id)).toEqual({ following: false });
    await followUser(reader, target.id);

    const notifications = await prisma.notification.findMany({
      where: { userId: target.id, type: "user.followed" },
    });
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      url: profilePath(reader.id),
      data: expect.objectContaining({ actorName: "Volger Een" }),
    });
    expect(await followCounts(other, { type: "user", id: target.id })).toEqual({
      followers: 1,
      followingUsers: 0,
      followedByReader: false,
    });
    expect(await followCounts(reader, { type: "user", id: target.id })).toMatchObject({
      followedByReader: true,
    });
    expect([...(await followedAmong(reader, "user", [target.id, other.id]))]).toEqual([target.id]);
  });

  it("refuses yourself, unknown and inactive colleagues, and saves nothing", async () => {
    const inactive = await buildUser({ active: false });
    await expect(followUser(reader, reader.id)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(followUser(reader, "onbekend")).rejects.toMatchObject({ code: "not_found" });
    await expect(followUser(reader, inactive.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(followUser(reader, "")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(followUser(reader, { id: other.id })).rejects.toMatchObject({ code: "invalid_input" });
    expect(
      await prisma.follow.count({
        where: { followerId: reader.id, targetId: { in: [reader.id, inactive.id, "onbekend"] } },
      }),
    ).toBe(0);
    await expect(followCounts(reader, { type: "user", id: "onbekend" })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("following places", () => {
  it("follows open places and places one is in; not closed or secret places from outside", async () => {
    const owner = asReader((await buildUser()).id);
    const open = await buildPlace({ ownerIds: [owner.id] });
    const closed = await buildPlace({ ownerIds: [owner.id], memberIds: [other.id], visibility: "closed" });
    const secret = await buildPlace({ ownerIds: [owner.id], memberIds: [other.id], visibility: "secret" });

    expect(await followPlace(reader, open.slug)).toEqual({ following: true });
    await expect(followPlace(reader, closed.slug)).rejects.toMatchObject({ code: "forbidden" });
    await expect(followPlace(reader, secret.slug)).rejects.toMatchObject({ code: "not_found" });
    await expect(unfollowPlace(reader, secret.slug)).rejects.toMatchObject({ code: "not_found" });
    await expect(followCounts(reader, { type: "place", slug: secret.slug })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(followPlace(reader, "bestaat-niet")).rejects.toMatchObject({ code: "not_found" });

    expect(await followPlace(other, closed.slug)).toEqual({ following: true });
    expect(await followPlace(other, secret.slug)).toEqual({ following: true });
    expect(await followCounts(other, { type: "place", slug: secret.slug })).toEqual({
      followers: 1,
      followedByReader: true,
    });

    // A member may unfollow a busy place and stay a member.
    expect(await unfollowPlace(other, closed.slug)).toEqual({ following: false });
    expect(await prisma.placeMembership.count({ where: { placeId: closed.id, userId: other.id } })).toBe(1);
  });

  it("follows on joining, unfollows on leaving, and drops outside followers when a place closes", async () => {
    const owner = asReader((await buildUser()).id);
    const joiner = asReader((await buildUser()).id);
    const place = await buildPlace({ ownerIds: [owner.id], name: `Zwemclub personeel ${Date.now()}` });
    await joinPlace(joiner, place.slug);
    expect((await listFollowing(joiner)).places.map((p) => p.id)).toEqual([place.id]);
    await leavePlace(joiner, place.slug);
    expect((await listFollowing(joiner)).places).toEqual([]);

    await followPlace(joiner, place.slug);
    await changePlaceVisibility(owner, place.slug, "secret");
    expect((await listFollowing(joiner)).places).toEqual([]);
    expect(
      await prisma.follow.count({
        where: { followerId: joiner.id, targetType: "place", targetId: place.id },
      }),
    ).toBe(0);
  });
});

describe("following topics", () => {
  it("follows existing topics by slug only", async () => {
    const slug = `fietsen${Date.now()}`;
    const topic = await prisma.topic.create({ data: { slug, name: `Fietsen${Date.now()}` } });
    expect(await followTopic(reader, slug.toUpperCase())).toEqual({ following: true });
    expect(await followCounts(other, { type: "topic", slug })).toEqual({
      followers: 1,
      followedByReader: false,
    });
    await expect(followTopic(reader, "bestaat-niet")).rejects.toMatchObject({ code: "not_found" });
    await expect(followTopic(reader, "x".repeat(121))).rejects.toMatchObject({ code: "invalid_input" });
    expect((await listFollowing(reader)).topics.map((t) => t.id)).toContain(topic.id);
    expect(await unfollowTopic(reader, slug)).toEqual({ following: false });
    expect((await listFollowing(reader)).topics.map((t) => t.id)).not.toContain(topic.id);
  });
});

describe("listFollowing", () => {
  it("lists active people, visible places and topics, sorted by name", async () => {
    const follower = asReader((await buildUser()).id);
    const zeno = await buildUser({ displayName: "Zeno Zwartjes" });
    const aline = await buildUser({ displayName: "Aline Aerts" });
    const gone = await buildUser({ displayName: "Vertrokken Collega" });
    for (const person of [zeno, aline, gone]) await followUser(follower, person.id);
    await prisma.user.update({ where: { id: gone.id }, data: { active: false } });
    const list = await listFollowing(follower);
    expect(list.users.map((u) => u.displayName)).toEqual(["Aline Aerts", "Zeno Zwartjes"]);
    // A stale follow row of a secret place the follower is not in never shows (the safety net).
    const owner = await buildUser();
    const secret = await buildPlace({ ownerIds: [owner.id], visibility: "secret" });
    await prisma.follow.create({
      data: { followerId: follower.id, targetType: "place", targetId: secret.id },
    });
    expect((await listFollowing(follower)).places).toEqual([]);
  });
});

describe("notification texts of places and follows", () => {
  it("renders in Dutch and English with the place and the actor", async () => {
    const nl = await getFixedT("nl");
    const en = await getFixedT("en");
    const data = { actorName: "Jonas Claeys", placeName: "Fietsen naar het werk" };
    const cases = [
      ["place.join_requested", "Jonas Claeys vraagt om lid te worden van ‘Fietsen naar het werk’."],
      [
        "place.join_approved",
        "Jonas Claeys heeft je aanvraag goedgekeurd: je bent nu lid van ‘Fietsen naar het werk’.",
      ],
      [
        "place.join_rejected",
        "Je aanvraag om lid te worden van ‘Fietsen naar het werk’ werd niet goedgekeurd.",
      ],
      ["place.member_added", "Jonas Claeys heeft je toegevoegd aan ‘Fietsen naar het werk’."],
      ["user.followed", "Jonas Claeys volgt je nu."],
    ] as const;
    for (const [type, dutch] of cases) {
      expect(renderNotificationText({ type, data }, nl, "nl")).toBe(dutch);
      const english = renderNotificationText({ type, data }, en, "en");
      expect(english).not.toBe(dutch);
      expect(english).not.toMatch(/\{\{|notifications\./);
    }
    expect(renderNotificationText({ type: "user.followed", data: { actorName: "" } }, en, "en")).toBe(
      "Someone is now following you.",
    );
    // A place type without its place name falls back to the generic text rather than "‘’".
    expect(renderNotificationText({ type: "place.join_approved", data: { actorName: "X" } }, nl, "nl")).toBe(
      "Je hebt een nieuwe melding.",
    );
  });
});
