import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { notify } from "~/modules/notifications/notify.server";
import {
  buildDepartment,
  buildDigestSubscriber,
  buildPlace,
  buildPost,
  buildPublishedCircular,
  buildUser,
} from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { composeDigestItems, composeDigests, titleAndSummary } from "./compose.server";

setupTestDatabase();

const DAY = 24 * 3600_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const later = (days: number) => new Date(now.getTime() + days * DAY);

let worker: { id: string };
let workerDepartmentId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const department = await buildDepartment();
  const other = await buildDepartment();
  workerDepartmentId = department.id;
  ({ user: worker } = await buildDigestSubscriber({ user: { departmentId: department.id } }));
  const communicator = await buildUser({}, ["communicator"]);

  // Circulars: for field workers (waiting for confirmation, in force in a month: not urgent) …
  ids.forWorkers = (
    await buildPublishedCircular({
      audience: ["field-workers"],
      versions: [{ title: "Werkkledij", publishedAt: ago(1), validFrom: later(30) }],
    })
  ).id;
  // … for another department only (not theirs) …
  ids.otherDepartment = (
    await buildPublishedCircular({
      audience: [`department:${other.id}`],
      versions: [{ title: "Andere dienst", publishedAt: ago(1), validFrom: later(30) }],
    })
  ).id;
  // … for everyone, already confirmed …
  const confirmed = await buildPublishedCircular({
    versions: [{ title: "Al bevestigd", publishedAt: ago(2), validFrom: later(30) }],
  });
  ids.confirmed = confirmed.id;
  await prisma.circularAcknowledgement.create({
    data: { circularId: confirmed.id, userId: worker.id, version: 1 },
  });
  // … old, with a small (not substantial) change yesterday: not news …
  ids.smallChange = (
    await buildPublishedCircular({
      versions: [
        { title: "Oud", publishedAt: ago(20), validFrom: ago(20) },
        { title: "Oud, kleine wijziging", publishedAt: ago(1), substantial: false },
      ],
    })
  ).id;
  // … and an urgent one: to confirm, in force tomorrow.
  ids.urgent = (
    await buildPublishedCircular({
      audience: [`department:${department.id}`],
      versions: [{ title: "Dringend", publishedAt: ago(0.5), validFrom: later(1) }],
    })
  ).id;
  // Draft: never.
  await buildPublishedCircular({ versions: [], status: "draft" });

  // Announcements: to everyone, to the other department, and a pinned one (urgent).
  ids.announcement = (
    await buildPost({
      authorId: communicator.id,
      kind: "announcement",
      text: "Nieuwe parking\nVanaf maandag.",
      createdAt: ago(1),
    })
  ).id;
  ids.otherAnnouncement = (
    await buildPost({
      authorId: communicator.id,
      kind: "announcement",
      audience: [`department:${other.id}`, `user:${communicator.id}`],
      createdAt: ago(1),
    })
  ).id;
  ids.pinned = (
    await buildPost({
      authorId: communicator.id,
      kind: "announcement",
      text: "Stormweer: werven dicht",
      createdAt: ago(0.2),
      pinnedUntil: later(1),
    })
  ).id;

  // Posts: their group (four, one without reactions), a secret group they are not in (with a followed topic).
  const colleague = await buildUser();
  const group = await buildPlace({ ownerIds: [colleague.id], memberIds: [worker.id] });
  const secret = await buildPlace({ ownerIds: [colleague.id], visibility: "secret" });
  for (const [index, score] of [5, 9, 1, 0].entries()) {
    const post = await buildPost({
      authorId: colleague.id,
      placeId: group.id,
      text: `Groepsbericht ${index}`,
      createdAt: ago(1),
    });
    await prisma.post.update({ where: { id: post.id }, data: { reactionCount: score } });
    ids[`group${score}`] = post.id;
  }
  const hidden = await buildPost({
    authorId: colleague.id,
    placeId: secret.id,
    topicSlugs: ["sneeuw"],
    createdAt: ago(1),
  });
  await prisma.post.update({ where: { id: hidden.id }, data: { reactionCount: 100 } });
  ids.secretPost = hidden.id;
  const topic = await prisma.topic.findUniqueOrThrow({ where: { slug: "sneeuw" } });
  await prisma.follow.create({ data: { followerId: worker.id, targetType: "topic", targetId: topic.id } });
});

describe("composeDigestItems", () => {
  it("lists what is new for the person's audience, most important first", async () => {
    const items = await composeDigestItems(worker, null, now);
    const kinds = items.map((item) => `${item.kind}:${item.id}`);
    // Urgent first (the circular and the pinned announcement), then the circular to confirm, the other
    // circulars, announcements and the top posts.
    expect(kinds.slice(0, 2).sort()).toEqual([`announcement:${ids.pinned}`, `circular:${ids.urgent}`].sort());
    expect(kinds[2]).toBe(`circular:${ids.forWorkers}`);
    expect(kinds[3]).toBe(`circular:${ids.confirmed}`);
    expect(kinds[4]).toBe(`announcement:${ids.announcement}`);
    expect(kinds.slice(5)).toEqual([`post:${ids.group9}`, `post:${ids.group5}`, `post:${ids.group1}`]);

    const byId = new Map(items.map((item) => [item.id, item]));
    expect(byId.get(ids.forWorkers!)).toMatchObject({ needsAcknowledgement: true, urgent: false });
    expect(byId.get(ids.confirmed!)).toMatchObject({ needsAcknowledgement: false, urgent: false });
    expect(byId.get(ids.urgent!)).toMatchObject({ needsAcknowledgement: true, urgent: true });
    expect(byId.get(ids.announcement!)).toMatchObject({ title: "Nieuwe parking", summary: "Vanaf maandag." });
    for (const absent of [ids.otherDepartment, ids.smallChange, ids.otherAnnouncement, ids.secretPost]) {
      expect(byId.has(absent!)).toBe(false);
    }
  });

  it("keeps to the chosen categories", async () => {
    const items = await composeDigestItems(worker, null, now, ["announcements"]);
    expect(new Set(items.map((item) => item.kind))).toEqual(new Set(["announcement"]));
    expect(await composeDigestItems(worker, null, now, ["groups"])).toHaveLength(3);
  });

  it("is empty when nothing is new since the last digest", async () => {
    expect(await composeDigestItems(worker, now, now)).toEqual([]);
  });

  it("does not repeat what an earlier digest carried", async () => {
    const items = await composeDigestItems(worker, null, now);
    const digest = await prisma.digest.create({
      data: {
        userId: worker.id,
        periodKey: "urgent:test",
        items: items.filter((item) => item.urgent),
        itemCount: 2,
        urgent: true,
        coversUntil: now,
        tokenExpiresAt: later(7),
      },
    });
    const again = await composeDigestItems(worker, null, now);
    expect(again.some((item) => item.urgent)).toBe(false);
    expect(again).toHaveLength(items.length - 2);
    await prisma.digest.delete({ where: { id: digest.id } });
  });

  it("returns only urgent items in urgent mode", async () => {
    const composed = await composeDigests(
      [{ userId: worker.id, since: null, categories: ["circulars", "announcements"] }],
      now,
      {
        urgentOnly: true,
      },
    );
    expect(
      composed
        .get(worker.id)
        ?.items.map((item) => item.id)
        .sort(),
    ).toEqual([ids.pinned, ids.urgent].sort());
    expect(composed.get(worker.id)?.urgent).toBe(true);
  });
});

describe("the DigestEntry hook in notify()", () => {
  it("queues an entry for subscribers who want the type in their digest, in-app or not", async () => {
    const { user: subscriber } = await buildDigestSubscriber({ user: { departmentId: workerDepartmentId } });
    const { user: inAppOff } = await buildDigestSubscriber();
    await prisma.notificationPreference.create({
      data: { userId: inAppOff.id, type: "post.mentioned", inApp: false, digest: true },
    });
    const { user: digestOff } = await buildDigestSubscriber();
    await prisma.notificationPreference.create({
      data: { userId: digestOff.id, type: "post.mentioned", inApp: true, digest: false },
    });
    const { user: paused } = await buildDigestSubscriber({ preference: { paused: true } });
    const noPreference = await buildUser();
    const recipients = [subscriber, inAppOff, digestOff, paused, noPreference];
    const input = recipients.map((user) => ({
      userId: user.id,
      type: "post.mentioned",
      data: { actorName: "Sofie Vermeulen", placeName: "Groendienst" },
      url: "/berichten/p123",
      dedupeKey: `post.mentioned:p123:${user.id}`,
    }));
    await prisma.$transaction((tx) => notify(input, tx));
    await prisma.$transaction((tx) => notify(input, tx)); // a second run adds nothing

    const entries = await prisma.digestEntry.findMany({
      where: { userId: { in: recipients.map((user) => user.id) } },
      select: { userId: true, dedupeKey: true },
    });
    expect(entries.map((entry) => entry.userId).sort()).toEqual([subscriber.id, inAppOff.id].sort());
    expect(entries[0]!.dedupeKey).toMatch(/^digest:/);
    // The in-app half is untouched: the person who switched it off has no notification.
    expect(await prisma.notification.count({ where: { userId: inAppOff.id } })).toBe(0);

    // The entry becomes a personal item of the next digest, in the person's language.
    const items = await composeDigestItems(subscriber, now, new Date(), ["personal"]);
    expect(items).toEqual([
      expect.objectContaining({
        kind: "personal",
        url: "/berichten/p123",
        title: expect.stringContaining("Sofie Vermeulen"),
      }),
    ]);
  });

  it("rolls back the entries with the notifying transaction", async () => {
    const { user } = await buildDigestSubscriber();
    await expect(
      prisma.$transaction(async (tx) => {
        await notify(
          { userId: user.id, type: "user.followed", data: { actorName: "X" }, url: "/mensen/x" },
          tx,
        );
        await notify(
          { userId: user.id, type: "post.mentioned", data: { actorName: "X" }, url: "/berichten/1" },
          tx,
        );
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await prisma.digestEntry.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("titles of posts and announcements", () => {
  it("takes the first line, or the first sentence of a long line, and keeps the rest as the summary", () => {
    expect(titleAndSummary("Kantine dicht vrijdag\nWe verhuizen naar het Zuid.", "x")).toEqual({
      title: "Kantine dicht vrijdag",
      summary: "We verhuizen naar het Zuid.",
    });
    const long =
      "Werkplek is er voor iedereen! Vanaf vandaag vind je hier het nieuws van de stad, de circulaires en je collega's.";
    expect(titleAndSummary(long, "x")).toEqual({
      title: "Werkplek is er voor iedereen!",
      summary: "Vanaf vandaag vind je hier het nieuws van de stad, de circulaires en je collega's.",
    });
    const noSentence = "a".repeat(120);
    const clipped = titleAndSummary(noSentence, "x");
    expect(clipped.title.endsWith("…")).toBe(true);
    expect(clipped.summary.startsWith("aaaa")).toBe(true);
    expect(titleAndSummary("  \n ", "Mededeling")).toEqual({ title: "Mededeling", summary: "" });
  });
});
