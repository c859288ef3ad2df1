import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { notify } from "~/modules/notifications/notify.server";
import { type StreamReader } from "~/modules/stream/policy.server";
import { buildDepartment, buildPlace, buildPost, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { type ClientEvent, type LiveEvent } from "./events";
import { currentLiveHub, ensureLiveHub, publishLiveEvent, stopLiveHub, type LiveHub } from "./hub.server";

setupTestDatabase();

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

type User = Awaited<ReturnType<typeof buildUser>>;

function readerOf(user: User, placeIds: string[] = []): StreamReader {
  return {
    id: user.id,
    roles: ["employee"],
    isFieldWorker: user.isFieldWorker,
    department: user.departmentId ? { id: user.departmentId, parentId: null } : null,
    placeIds,
  };
}

/** A subscriber that records what it hears. */
function listen(hub: LiveHub, reader: StreamReader) {
  const events: ClientEvent[] = [];
  let closed = false;
  const unsubscribe = hub.subscribe(reader, {
    send: (event) => events.push(event),
    close: () => (closed = true),
  });
  return { events, unsubscribe, isClosed: () => closed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Lets the hub finish its work before the test runs its next query: over pglite-socket, queries of two
 * connections at once can trip over each other (electric-sql/pglite#1046), and the hub is another connection.
 */
async function settle() {
  await currentLiveHub()?.settled();
}

/** Publishes in a transaction the way writers do. */
async function publishInTransaction(event: LiveEvent) {
  await prisma.$transaction(async (tx) => publishLiveEvent(tx, event));
  await settle();
}

/**
 * Waits until every earlier event has been dispatched: with LISTEN, notifications arrive in commit order,
 * so a marker event published last arrives last.
 */
async function flush(hub: LiveHub, marker: User) {
  const probe = listen(hub, readerOf(marker));
  const notificationId = `marker-${Math.random()}`;
  await publishInTransaction({ type: "notification.created", userId: marker.id, notificationId });
  await eventually(
    () =>
      probe.events.some((e) => e.type === "notification.created" && e.data.notificationId === notificationId),
    "the marker event",
  );
  probe.unsubscribe();
}

describe.each([
  { name: "detected mode", forceLocal: false },
  { name: "forced local mode", forceLocal: true },
])("live hub ($name)", ({ forceLocal }) => {
  let hub: LiveHub;
  let marker: User;

  beforeAll(async () => {
    await stopLiveHub();
    hub = await ensureLiveHub(forceLocal ? { mode: "local" } : {});
    marker = await buildUser();
  });
  afterAll(async () => {
    await stopLiveHub();
  });

  it("listens on PostgreSQL and delivers locally on the embedded database", () => {
    expect(hub.mode).toBe(forceLocal || !onPostgres ? "local" : "listen");
    expect(currentLiveHub()).toBe(hub);
  });

  it("delivers post.created at commit to those who may see it, never to others", async () => {
    const author = await buildUser();
    const member = await buildUser();
    const outsider = await buildUser();
    const department = await buildDepartment();
    const colleague = await buildUser({ departmentId: department.id });
    const secret = await buildPlace({ ownerIds: [author.id], memberIds: [member.id], visibility: "secret" });
    const listeners = {
      author: listen(hub, readerOf(author, [secret.id])),
      member: listen(hub, readerOf(member, [secret.id])),
      outsider: listen(hub, readerOf(outsider)),
      colleague: listen(hub, readerOf(colleague)),
    };
    const secretPost = await buildPost({ authorId: author.id, placeId: secret.id });
    const openPost = await buildPost({ authorId: author.id });
    const forDepartment = await buildPost({
      authorId: author.id,
      kind: "announcement",
      audience: [`department:${department.id}`, `user:${author.id}`],
    });
    const hidden = await buildPost({ authorId: author.id, hiddenAt: new Date(), hiddenReason: "Spam" });
    for (const post of [secretPost, openPost, forDepartment, hidden]) {
      await publishInTransaction({ type: "post.created", postId: post.id });
    }
    await flush(hub, marker);

    const heard = (who: keyof typeof listeners) =>
      listeners[who].events.map((event) => (event.type === "post.created" ? event.data.postId : null));
    expect(heard("author")).toEqual([secretPost.id, openPost.id, forDepartment.id, hidden.id]);
    expect(heard("member")).toEqual([secretPost.id, openPost.id]);
    expect(heard("outsider")).toEqual([openPost.id]);
    expect(heard("colleague")).toEqual([openPost.id, forDepartment.id]);
    expect(listeners.member.events[0]).toEqual({
      type: "post.created",
      data: { postId: secretPost.id, authorId: author.id, placeId: secret.id, kind: "post" },
    });
    for (const listener of Object.values(listeners)) listener.unsubscribe();
  });

  it("asks the database about memberships of restricted places, not the state at connect time", async () => {
    const owner = await buildUser();
    const joined = await buildUser();
    const removed = await buildUser();
    const closed = await buildPlace({ ownerIds: [owner.id], memberIds: [removed.id], visibility: "closed" });
    // Both connected before the change: `joined` was not a member yet, `removed` still was.
    const joinedListener = listen(hub, readerOf(joined));
    const removedListener = listen(hub, readerOf(removed, [closed.id]));
    await prisma.placeMembership.create({ data: { placeId: closed.id, userId: joined.id } });
    await prisma.placeMembership.delete({
      where: { placeId_userId: { placeId: closed.id, userId: removed.id } },
    });
    const post = await buildPost({ authorId: owner.id, placeId: closed.id });
    await publishInTransaction({ type: "post.created", postId: post.id });
    await flush(hub, marker);
    expect(joinedListener.events.map((event) => event.type)).toEqual(["post.created"]);
    expect(removedListener.events).toEqual([]);
    joinedListener.unsubscribe();
    removedListener.unsubscribe();
  });

  it("delivers nothing for a rolled-back transaction, and nothing before the commit", async () => {
    const author = await buildUser();
    const listener = listen(hub, readerOf(await buildUser()));
    const post = await buildPost({ authorId: author.id });
    await expect(
      prisma.$transaction(async (tx) => {
        await publishLiveEvent(tx, { type: "post.created", postId: post.id });
        throw new Error("the writer fails after publishing");
      }),
    ).rejects.toThrow("the writer fails");
    await settle();
    await flush(hub, marker);
    expect(listener.events).toEqual([]);

    let heardBeforeCommit = -1;
    await prisma.$transaction(async (tx) => {
      await publishLiveEvent(tx, { type: "post.created", postId: post.id });
      await sleep(200);
      heardBeforeCommit = listener.events.length;
    });
    await settle();
    await eventually(() => listener.events.length === 1, "the committed event");
    expect(heardBeforeCommit).toBe(0);
    listener.unsubscribe();
  });

  it("tells each person only about their own notifications, for every notify()", async () => {
    const recipient = await buildUser();
    const other = await buildUser();
    const mine = listen(hub, readerOf(recipient));
    const mineOnOtherTab = listen(hub, readerOf(recipient));
    const theirs = listen(hub, readerOf(other));
    await prisma.$transaction(async (tx) => {
      await notify(
        {
          userId: recipient.id,
          type: "circular.answered",
          data: { number: "2026/001", title: "Titel", actorName: "Iemand" },
          url: "/meldingen",
          dedupeKey: `live-test-${recipient.id}`,
        },
        tx,
      );
    });
    await settle();
    // The same dedupe key creates nothing, so it announces nothing.
    await notify({
      userId: recipient.id,
      type: "circular.answered",
      data: { number: "2026/001", title: "Titel", actorName: "Iemand" },
      url: "/meldingen",
      dedupeKey: `live-test-${recipient.id}`,
    });
    await settle();
    await flush(hub, marker);
    const row = await prisma.notification.findFirstOrThrow({ where: { userId: recipient.id } });
    const expected = [{ type: "notification.created", data: { notificationId: row.id } }];
    expect(mine.events).toEqual(expected);
    expect(mineOnOtherTab.events).toEqual(expected);
    expect(theirs.events).toEqual([]);
    for (const listener of [mine, mineOnOtherTab, theirs]) listener.unsubscribe();
  });

  it("removes subscribers that unsubscribe, and closes the rest when it stops", async () => {
    const user = await buildUser();
    const before = hub.subscriberCount();
    const first = listen(hub, readerOf(user));
    const second = listen(hub, readerOf(user));
    expect(hub.subscriberCount(user.id)).toBe(2);
    first.unsubscribe();
    expect(hub.subscriberCount(user.id)).toBe(1);
    expect(hub.subscriberCount()).toBe(before + 1);
    await stopLiveHub();
    expect(second.isClosed()).toBe(true);
    expect(hub.subscriberCount()).toBe(0);
    expect(currentLiveHub()).toBeUndefined();
    const late = listen(hub, readerOf(user));
    expect(late.isClosed()).toBe(true);
    hub = await ensureLiveHub(forceLocal ? { mode: "local" } : {});
  });
});

describe("publishLiveEvent", () => {
  it("refuses a malformed event, which rolls the writer's transaction back", async () => {
    const user = await buildUser();
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { about: "half saved" } });
        await publishLiveEvent(tx, { type: "post.created", postId: "" });
      }),
    ).rejects.toThrow();
    await expect(
      prisma.$transaction(async (tx) =>
        publishLiveEvent(tx, { type: "post.deleted", postId: "x" } as unknown as LiveEvent),
      ),
    ).rejects.toThrow();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).about).toBeNull();
  });

  it("works without a hub in this process (another instance may listen)", async () => {
    await stopLiveHub();
    const post = await buildPost({ authorId: (await buildUser()).id });
    await expect(publishInTransaction({ type: "post.created", postId: post.id })).resolves.toBeUndefined();
  });
});
