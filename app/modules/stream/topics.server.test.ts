import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { buildPlace, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { placeKey } from "./policy.server";
import { getTopic, popularTopics } from "./topics.server";

setupTestDatabase();

const asReader = (id: string, roles: Reader["roles"] = ["employee"]): Reader => ({
  id,
  roles,
  isFieldWorker: false,
  department: null,
});

const DAY = 24 * 3600_000;
const now = new Date();

let author: Reader;
let member: Reader;
let outsider: Reader;
let secretPlaceId: string;

/** A post written directly (the posts module is not under test here) carrying the given topics. */
async function post(options: {
  topicIds: string[];
  audience?: string[];
  placeId?: string;
  ageDays?: number;
  deleted?: boolean;
  hidden?: boolean;
}) {
  const createdAt = new Date(now.getTime() - (options.ageDays ?? 1) * DAY);
  return prisma.post.create({
    data: {
      authorId: author.id,
      placeId: options.placeId ?? null,
      audience: options.audience ?? ["all"],
      text: "Tekst",
      body: { root: { type: "root", children: [] } },
      createdAt,
      deletedAt: options.deleted ? now : null,
      hiddenAt: options.hidden ? now : null,
      topics: { create: options.topicIds.map((topicId) => ({ topicId, createdAt })) },
    },
  });
}

async function topic(name: string) {
  return prisma.topic.create({ data: { slug: `${name.toLowerCase()}${Date.now()}`, name } });
}

beforeAll(async () => {
  author = asReader((await buildUser()).id);
  member = asReader((await buildUser()).id);
  outsider = asReader((await buildUser()).id);
  secretPlaceId = (await buildPlace({ ownerIds: [author.id], memberIds: [member.id], visibility: "secret" }))
    .id;
});

describe("getTopic", () => {
  it("counts only the posts the reader may see", async () => {
    const feesten = await topic("GentseFeesten");
    await post({ topicIds: [feesten.id] });
    await post({ topicIds: [feesten.id], ageDays: 90 });
    await post({ topicIds: [feesten.id], audience: [placeKey(secretPlaceId)], placeId: secretPlaceId });
    await post({ topicIds: [feesten.id], deleted: true });
    await post({ topicIds: [feesten.id], hidden: true });

    expect(await getTopic(outsider, feesten.slug)).toMatchObject({
      topic: { id: feesten.id, name: "GentseFeesten", path: `/onderwerpen/${feesten.slug}` },
      postCount: 2,
      followerCount: 0,
      following: false,
    });
    expect((await getTopic(member, feesten.slug)).postCount).toBe(3);
    // The author still sees their own hidden post (with the moderator's reason); never a deleted one.
    expect((await getTopic(author, feesten.slug)).postCount).toBe(4);

    await prisma.follow.create({
      data: { followerId: member.id, targetType: "topic", targetId: feesten.id },
    });
    expect(await getTopic(member, `#${feesten.slug.toUpperCase()}`)).toMatchObject({
      followerCount: 1,
      following: true,
    });
  });

  it("answers not_found for an unknown topic and invalid_input for none", async () => {
    await expect(getTopic(outsider, "bestaat-niet")).rejects.toMatchObject({ code: "not_found" });
    await expect(getTopic(outsider, "#")).rejects.toMatchObject({ code: "invalid_input" });
    await expect(getTopic(outsider, null)).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("popularTopics", () => {
  it("ranks the last 30 days of visible posts, so a secret group's topic stays invisible outside it", async () => {
    const fietsen = await topic("Fietsen");
    const werkplek = await topic("Werkplek");
    const geheim = await topic("Geheim");
    const oud = await topic("Oud");
    for (let i = 0; i < 3; i += 1) await post({ topicIds: [fietsen.id, werkplek.id] });
    await post({ topicIds: [werkplek.id], ageDays: 10 });
    for (let i = 0; i < 5; i += 1) {
      await post({ topicIds: [geheim.id], audience: [placeKey(secretPlaceId)], placeId: secretPlaceId });
    }
    for (let i = 0; i < 6; i += 1) await post({ topicIds: [oud.id], ageDays: 45 });

    const forOutsider = await popularTopics(outsider, { limit: 50 }, now);
    const outsiderIds = forOutsider.map((t) => t.id);
    expect(outsiderIds).not.toContain(geheim.id);
    expect(outsiderIds).not.toContain(oud.id);
    expect(forOutsider.find((t) => t.id === werkplek.id)?.postCount).toBe(4);
    expect(outsiderIds.indexOf(werkplek.id)).toBeLessThan(outsiderIds.indexOf(fietsen.id));

    const forMember = await popularTopics(member, { limit: 50 }, now);
    expect(forMember.find((t) => t.id === geheim.id)).toMatchObject({
      postCount: 5,
      path: `/onderwerpen/${geheim.slug}`,
    });
    expect(forMember[0]!.postCount).toBeGreaterThanOrEqual(5);

    const wider = await popularTopics(outsider, { days: 60, limit: 50 }, now);
    expect(wider.find((t) => t.id === oud.id)?.postCount).toBe(6);
    expect(await popularTopics(outsider, { limit: 1 }, now)).toHaveLength(1);
  });

  it("refuses a bad window or limit", async () => {
    await expect(popularTopics(outsider, { days: 0 })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(popularTopics(outsider, { limit: 500 })).rejects.toMatchObject({ code: "invalid_input" });
  });
});
