import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { setupTestDatabase } from "../../tests/setup/database";
import { consumeRateLimit, pruneRateLimits } from "./rate-limit.server";

setupTestDatabase();

const rule = { name: "test", limit: 3, windowSeconds: 60 };

describe("consumeRateLimit", () => {
  it("allows up to the limit within a window, then refuses with a retry time", async () => {
    const start = new Date("2026-11-23T10:00:00Z");
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await consumeRateLimit(rule, "10.0.0.1", start));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.retryAfterSeconds).toBe(60);
  });

  it("starts a new window after the old one ends", async () => {
    const start = new Date("2026-11-23T11:00:00Z");
    for (let i = 0; i < 4; i++) await consumeRateLimit(rule, "10.0.0.2", start);
    const later = await consumeRateLimit(rule, "10.0.0.2", new Date(start.getTime() + 61_000));
    expect(later).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("keeps subjects apart and never stores the subject in clear", async () => {
    const now = new Date("2026-11-23T12:00:00Z");
    for (let i = 0; i < 4; i++) await consumeRateLimit(rule, "10.0.0.3", now);
    expect((await consumeRateLimit(rule, "10.0.0.4", now)).allowed).toBe(true);
    const keys = (await prisma.rateLimit.findMany({ select: { key: true } })).map((r) => r.key);
    expect(keys.some((key) => key.includes("10.0.0."))).toBe(false);
  });

  it("counts concurrent attempts exactly", async () => {
    const now = new Date("2026-11-23T13:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => consumeRateLimit({ ...rule, limit: 5 }, "burst", now)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });

  it("prunes old windows", async () => {
    await consumeRateLimit(rule, "old", new Date("2020-01-01T00:00:00Z"));
    expect(await pruneRateLimits(3600, new Date("2026-11-23T14:00:00Z"))).toBeGreaterThan(0);
  });
});
