import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createUserSession } from "~/modules/identity/session.server";
import { loader } from "~/routes/live";
import { buildPlace, buildPost, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { ensureLiveHub, publishLiveEvent, stopLiveHub, type LiveHub } from "./hub.server";
import { handleLiveRequest, MAX_STREAMS_PER_USER } from "./route.server";

setupTestDatabase();

let hub: LiveHub;
beforeAll(async () => {
  hub = await ensureLiveHub();
});
afterAll(async () => {
  await stopLiveHub();
});

async function cookieOf(userId: string) {
  return (await createUserSession({ userId, method: "dev" })).split(";")[0]!;
}

function request(cookie: string | null, signal?: AbortSignal) {
  return new Request("http://localhost:3000/live", { headers: cookie ? { Cookie: cookie } : {}, signal });
}

/** Reads a streamed body as text, chunk by chunk. */
function textReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let done = false;
  return {
    get text() {
      return text;
    },
    get done() {
      return done;
    },
    /** Reads until the text so far matches, or the stream ends, or the time is up. */
    async until(predicate: (text: string) => boolean, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(text) && !done) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(text)}`);
        const chunk = await Promise.race([
          reader.read(),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), left)),
        ]);
        if (chunk === null) continue;
        if (chunk.done) done = true;
        else text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    },
    cancel: () => reader.cancel(),
  };
}

async function publish(postId: string) {
  await prisma.$transaction(async (tx) => publishLiveEvent(tx, { type: "post.created", postId }));
  await hub.settled();
}

describe("GET /live", () => {
  it("answers 401 without a session, through the route module too", async () => {
    const response = (await loader({
      request: request(null),
      params: {},
      context: { cspNonce: "", csrfToken: "" },
    })) as Response;
    expect(response.status).toBe(401);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect((await handleLiveRequest(request("werkplek_session=vervalst"), { hub })).status).toBe(401);
    expect(hub.subscriberCount()).toBe(0);
  });

  it("streams text/event-stream, uncompressed and uncached, with a retry hint and the events one may see", async () => {
    const member = await buildUser();
    const outsider = await buildUser();
    const secret = await buildPlace({ ownerIds: [member.id], visibility: "secret" });
    const controllers = [new AbortController(), new AbortController()];
    const memberResponse = await handleLiveRequest(
      request(await cookieOf(member.id), controllers[0]!.signal),
      {
        hub,
      },
    );
    const outsiderResponse = await handleLiveRequest(
      request(await cookieOf(outsider.id), controllers[1]!.signal),
      { hub },
    );
    expect(memberResponse.status).toBe(200);
    expect(memberResponse.headers.get("Content-Type")).toBe("text/event-stream; charset=utf-8");
    expect(memberResponse.headers.get("Cache-Control")).toBe("no-cache, no-transform");
    const memberStream = textReader(memberResponse);
    const outsiderStream = textReader(outsiderResponse);
    expect(await memberStream.until((text) => text.includes(": connected"))).toMatch(/^retry: 5000\n/);

    const secretPost = await buildPost({ authorId: member.id, placeId: secret.id });
    await publish(secretPost.id);
    const openPost = await buildPost({ authorId: member.id });
    await publish(openPost.id);

    await memberStream.until((text) => text.includes(openPost.id));
    await outsiderStream.until((text) => text.includes(openPost.id));
    expect(memberStream.text).toContain(
      `event: post.created\ndata: ${JSON.stringify({ postId: secretPost.id, authorId: member.id, placeId: secret.id, kind: "post" })}\n\n`,
    );
    expect(outsiderStream.text).not.toContain(secretPost.id);
    expect(outsiderStream.text).not.toContain(secret.id);
    expect(hub.subscriberCount()).toBe(2);

    // The client goes away: Remix aborts the request signal; the subscriber must be gone at once.
    controllers[0]!.abort();
    expect(hub.subscriberCount(member.id)).toBe(0);
    await memberStream.until(() => false).catch(() => undefined);
    expect(memberStream.done).toBe(true);
    // A consumer that cancels the body (the other way a stream ends) is removed as well.
    await outsiderStream.cancel();
    expect(hub.subscriberCount()).toBe(0);
  });

  it("sends heartbeats, and ends the stream at the next heartbeat once the session is gone", async () => {
    const user = await buildUser();
    const cookie = await cookieOf(user.id);
    const response = await handleLiveRequest(request(cookie), { hub, heartbeatMs: 40 });
    const stream = textReader(response);
    await stream.until((text) => text.includes(": ping\n\n"));
    expect(hub.subscriberCount(user.id)).toBe(1);
    await prisma.session.deleteMany({ where: { userId: user.id } });
    await stream.until(() => false).catch(() => undefined);
    expect(stream.done).toBe(true);
    expect(hub.subscriberCount(user.id)).toBe(0);
  });

  it("refuses more than the allowed streams per person, and frees the places when they go", async () => {
    const user = await buildUser();
    const cookie = await cookieOf(user.id);
    const controller = new AbortController();
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) {
      const response = await handleLiveRequest(request(cookie, controller.signal), { hub });
      expect(response.status).toBe(200);
    }
    const refused = await handleLiveRequest(request(cookie), { hub });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("30");
    expect(hub.subscriberCount(user.id)).toBe(MAX_STREAMS_PER_USER);
    controller.abort();
    expect(hub.subscriberCount(user.id)).toBe(0);
    expect((await handleLiveRequest(request(cookie, controller.signal), { hub })).status).toBe(200);
    expect(hub.subscriberCount(user.id)).toBe(0);
  });

  it("still hears the client go away after the Request objects were garbage-collected", async () => {
    // Node's Request forwards the caller's abort through a weak reference: the stream must hold the Request.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const user = await buildUser();
    const cookie = await cookieOf(user.id);
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) {
      expect((await handleLiveRequest(request(cookie, controller.signal), { hub })).status).toBe(200);
    }
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(hub.subscriberCount(user.id)).toBe(3);
    controller.abort();
    expect(hub.subscriberCount(user.id)).toBe(0);
  });

  it("ends the stream of a person who was deactivated", async () => {
    const user = await buildUser();
    const stream = textReader(
      await handleLiveRequest(request(await cookieOf(user.id)), { hub, heartbeatMs: 40 }),
    );
    await stream.until((text) => text.includes(": ping"));
    await prisma.user.update({ where: { id: user.id }, data: { active: false } });
    await stream.until(() => false).catch(() => undefined);
    expect(stream.done).toBe(true);
    expect(hub.subscriberCount(user.id)).toBe(0);
  });

  it("closes every open stream when the hub stops (graceful shutdown)", async () => {
    const user = await buildUser();
    const stream = textReader(await handleLiveRequest(request(await cookieOf(user.id)), { hub }));
    await stream.until((text) => text.includes(": connected"));
    await stopLiveHub();
    await stream.until(() => false).catch(() => undefined);
    expect(stream.done).toBe(true);
    hub = await ensureLiveHub();
  });
});
