import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { buildPlace, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { type StreamErrorCode } from "./errors";
import { createPost } from "./posts.server";
import { listReactors, reactionSummary, removeReaction, setReaction } from "./reactions.server";

setupTestDatabase();

type User = Awaited<ReturnType<typeof buildUser>>;
const asReader = (user: User): Reader => ({
  id: user.id,
  roles: ["employee"],
  isFieldWorker: false,
  department: null,
});

async function rejects(promise: Promise<unknown>, code: StreamErrorCode) {
  await expect(promise).rejects.toMatchObject({ name: "StreamError", code });
}

let author: Reader;
let fan: Reader;
let other: Reader;
let outsider: Reader;

beforeAll(async () => {
  author = asReader(await buildUser({ displayName: "Auteur" }));
  fan = asReader(await buildUser({ displayName: "Fan" }));
  other = asReader(await buildUser({ displayName: "Ander" }));
  outsider = asReader(await buildUser({ displayName: "Buiten" }));
});

describe("setReaction", () => {
  it("keeps one reaction per person: set, change, remove, with exact counts", async () => {
    const { id } = await createPost(author, { plainText: "Proficiat aan het team!" });
    expect(await setReaction(fan, id, "like")).toMatchObject({ total: 1, myReaction: "like" });
    expect(await setReaction(fan, id, "celebrate")).toMatchObject({
      total: 1,
      myReaction: "celebrate",
      byType: { like: 0, celebrate: 1 },
    });
    expect(await setReaction(fan, id, "celebrate")).toMatchObject({ total: 1 });
    await setReaction(other, id, "thanks");
    expect((await prisma.post.findUniqueOrThrow({ where: { id } })).reactionCount).toBe(2);
    expect(await removeReaction(fan, id)).toMatchObject({ total: 1, myReaction: null });
    expect(await removeReaction(fan, id)).toMatchObject({ total: 1 });
    expect((await prisma.post.findUniqueOrThrow({ where: { id } })).reactionCount).toBe(1);
    expect(await reactionSummary(other, id)).toMatchObject({ myReaction: "thanks", byType: { thanks: 1 } });
    expect((await listReactors(author, id)).map((r) => [r.person.displayName, r.type])).toEqual([
      ["Ander", "thanks"],
    ]);
  });

  it("keeps the count exact under concurrent clicks", async () => {
    const { id } = await createPost(author, { plainText: "Snel klikken" });
    await Promise.all([
      setReaction(fan, id, "like"),
      setReaction(fan, id, "love"),
      setReaction(fan, id, "like"),
      setReaction(other, id, "like"),
    ]);
    const row = await prisma.post.findUniqueOrThrow({ where: { id } });
    expect(row.reactionCount).toBe(await prisma.reaction.count({ where: { postId: id } }));
    expect(row.reactionCount).toBe(2);
  });

  it("refuses unknown types and invisible posts, saving nothing", async () => {
    const { id } = await createPost(author, { plainText: "Iets" });
    for (const bad of ["boos", "", 1, {}, undefined])
      await rejects(setReaction(fan, id, bad), "invalid_input");
    const secret = await buildPlace({ ownerIds: [author.id], visibility: "secret" });
    const hidden = await createPost(author, { placeId: secret.id, plainText: "Geheim" });
    await rejects(setReaction(outsider, hidden.id, "like"), "not_found");
    await rejects(reactionSummary(outsider, hidden.id), "not_found");
    await rejects(listReactors(outsider, hidden.id), "not_found");
    await rejects(setReaction(outsider, "bestaat-niet", "like"), "not_found");
    await rejects(listReactors(author, id, { type: "boos" }), "invalid_input");
    expect(await prisma.reaction.count({ where: { postId: { in: [id, hidden.id] } } })).toBe(0);
  });
});

describe("post.reacted notifications", () => {
  it("tells the author at most once per post per hour, never about their own reaction", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2026-11-23T10:05:00Z"));
      const { id } = await createPost(author, { plainText: "Nieuw project" });
      await setReaction(author, id, "like");
      await setReaction(fan, id, "love");
      await setReaction(other, id, "like");
      await setReaction(fan, id, "celebrate");
      let rows = await prisma.notification.findMany({
        where: { userId: author.id, type: "post.reacted", url: `/berichten/${id}` },
      });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        url: `/berichten/${id}`,
        data: { actorName: "Fan", reaction: "love" },
      });
      vi.setSystemTime(new Date("2026-11-23T11:10:00Z"));
      await removeReaction(other, id);
      await setReaction(other, id, "insightful");
      rows = await prisma.notification.findMany({
        where: { userId: author.id, type: "post.reacted", url: `/berichten/${id}` },
      });
      expect(rows).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not notify an author who can no longer see their post (left the secret place)", async () => {
    const writer = asReader(await buildUser());
    const place = await buildPlace({ ownerIds: [fan.id], memberIds: [writer.id], visibility: "secret" });
    const { id } = await createPost(writer, { placeId: place.id, plainText: "Afscheid" });
    await prisma.placeMembership.delete({
      where: { placeId_userId: { placeId: place.id, userId: writer.id } },
    });
    await setReaction(fan, id, "thanks");
    expect(await prisma.notification.count({ where: { userId: writer.id } })).toBe(0);
  });
});
