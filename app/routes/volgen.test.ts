/**
 * POST /volgen: follow and unfollow people, places and topics, without JavaScript (303 back to a safe
 * local path) and from the button's script (JSON with the new state and count); CSRF, bad input, secret
 * places (404) and closed ones (403), and GET (405).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildPlace, buildPost } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { formPost, ROUTE_CSRF, routeContext, settle, signIn, type Visitor } from "../../tests/support/routes";
import { action, loader } from "./volgen";

setupTestDatabase();

function follow(who: Visitor, fields: Record<string, string>, token: string | null = ROUTE_CSRF) {
  return settle(
    action({ request: formPost("/volgen", who, fields, token), params: {}, context: routeContext }),
  );
}

let reader: Visitor;
let colleague: Visitor;
let openSlug: string;
let closedSlug: string;
let secretSlug: string;
const topicSlug = "volgtest";

beforeAll(async () => {
  reader = await signIn();
  colleague = await signIn();
  openSlug = (await buildPlace({ ownerIds: [colleague.id], visibility: "open" })).slug;
  closedSlug = (await buildPlace({ ownerIds: [colleague.id], visibility: "closed" })).slug;
  secretSlug = (await buildPlace({ ownerIds: [colleague.id], visibility: "secret" })).slug;
  await buildPost({ authorId: colleague.id, topicSlugs: [topicSlug] });
});

const followsOf = (who: Visitor) => prisma.follow.count({ where: { followerId: who.id } });

describe("/volgen", () => {
  it("has no page: GET answers 405", async () => {
    const result = await settle(Promise.resolve().then(() => loader()));
    expect(result.status).toBe(405);
  });

  it("refuses a post without a valid CSRF token", async () => {
    for (const token of [null, "vervalst.token"]) {
      const result = await follow(reader, { intent: "follow", type: "user", id: colleague.id }, token);
      expect(result.status).toBe(403);
    }
    expect(await followsOf(reader)).toBe(0);
  });

  it("follows and unfollows a colleague, redirecting back to a local path only", async () => {
    const done = await follow(reader, {
      intent: "follow",
      type: "user",
      id: colleague.id,
      returnTo: `/mensen/${colleague.id}?na=abc`,
    });
    expect(done).toMatchObject({ status: 303, location: `/mensen/${colleague.id}?na=abc` });
    expect(await prisma.follow.count({ where: { followerId: reader.id, targetId: colleague.id } })).toBe(1);
    for (const returnTo of [
      "//evil.example/x",
      "https://evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
    ]) {
      const result = await follow(reader, { intent: "unfollow", type: "user", id: colleague.id, returnTo });
      expect(result).toMatchObject({ status: 303, location: "/" });
    }
    expect(await prisma.follow.count({ where: { followerId: reader.id, targetId: colleague.id } })).toBe(0);
  });

  it("answers the button's script with JSON: the new state and the follower count", async () => {
    const on = await follow(reader, { intent: "follow", type: "place", slug: openSlug, antwoord: "json" });
    expect(on).toEqual({ status: 200, body: { ok: true, following: true, count: 1 }, location: null });
    const topic = await follow(reader, {
      intent: "follow",
      type: "topic",
      slug: topicSlug,
      antwoord: "json",
    });
    expect(topic.body).toEqual({ ok: true, following: true, count: 1 });
    const off = await follow(reader, { intent: "unfollow", type: "place", slug: openSlug, antwoord: "json" });
    expect(off.body).toEqual({ ok: true, following: false, count: 0 });
  });

  it("answers 404 for a secret place or an unknown topic, 403 for a closed place, in both modes", async () => {
    expect((await follow(reader, { intent: "follow", type: "place", slug: secretSlug })).status).toBe(404);
    expect(
      await follow(reader, { intent: "follow", type: "place", slug: secretSlug, antwoord: "json" }),
    ).toMatchObject({ status: 404, body: { ok: false, error: "notFound" } });
    expect((await follow(reader, { intent: "follow", type: "topic", slug: "bestaat-niet-abc" })).status).toBe(
      404,
    );
    expect((await follow(reader, { intent: "follow", type: "place", slug: closedSlug })).status).toBe(403);
    expect(
      await follow(reader, { intent: "follow", type: "place", slug: closedSlug, antwoord: "json" }),
    ).toMatchObject({ status: 403, body: { ok: false, error: "forbidden" } });
    expect((await follow(reader, { intent: "follow", type: "user", id: "onbekend" })).status).toBe(404);
  });

  it("answers 400 to bad input: an unknown type or intent, a missing id, following oneself", async () => {
    const before = await followsOf(reader);
    const bad: Record<string, string>[] = [
      { intent: "follow", type: "department", id: "x" },
      { intent: "like", type: "user", id: colleague.id },
      { intent: "follow", type: "user" },
      { intent: "follow", type: "place", slug: "" },
    ];
    for (const fields of bad) {
      expect((await follow(reader, fields)).status).toBe(400);
      expect(await follow(reader, { ...fields, antwoord: "json" })).toMatchObject({
        status: 400,
        body: { ok: false, error: "invalidRequest" },
      });
    }
    expect((await follow(reader, { intent: "follow", type: "user", id: reader.id })).status).toBe(400);
    expect(await followsOf(reader)).toBe(before);
  });
});
