/**
 * Digest preferences: the schema refuses bad input field by field; a channel needs its consent (granted by
 * the consent box on the same form, rolled back with everything else on a refusal) and, for SMS and e-mail,
 * a verified contact; saving clears nextDueAt for the planner.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildPersonalContact, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { CURRENT_CONSENT_VERSION } from "./consent-texts";
import { DEFAULT_DIGEST_PREFERENCES, DigestPreferencesSchema, quarterHours } from "./preferences";
import { getDigestPreferences, saveDigestPreferences } from "./preferences.server";

setupTestDatabase();

const valid = {
  channels: ["push"],
  rhythm: "daily",
  sendAt: "06:30",
  weekday: "1",
  categories: ["circulars", "announcements"],
  quietFrom: "21:00",
  quietUntil: "06:00",
  paused: false,
};

const self = (grant: ("digest_push" | "digest_sms" | "digest_email")[] = []) => ({
  grant,
  textVersion: CURRENT_CONSENT_VERSION,
  method: "self" as const,
});

describe("DigestPreferencesSchema", () => {
  it("accepts a complete choice and crosses midnight for quiet hours", () => {
    expect(DigestPreferencesSchema.safeParse(valid).success).toBe(true);
    expect(quarterHours()).toHaveLength(96);
  });

  it.each([
    [{ channels: ["pigeon"] }, "channels", "channelUnknown"],
    [{ channels: ["sms", "sms"] }, "channels", "channelRepeated"],
    [{ rhythm: "hourly" }, "rhythm", "rhythmInvalid"],
    [{ sendAt: "06:20" }, "sendAt", "sendAtInvalid"],
    [{ sendAt: "24:00" }, "sendAt", "sendAtInvalid"],
    [{ sendAt: "" }, "sendAt", "sendAtInvalid"],
    [{ weekday: "8" }, "weekday", "weekdayInvalid"],
    [{ weekday: "0" }, "weekday", "weekdayInvalid"],
    [{ weekday: "maandag" }, "weekday", "weekdayInvalid"],
    [{ categories: [] }, "categories", "categoriesEmpty"],
    [{ categories: ["gossip"] }, "categories", "categoryUnknown"],
    [{ quietFrom: null }, "quietFrom", "quietBoth"],
    [{ quietUntil: null }, "quietUntil", "quietBoth"],
    [{ quietUntil: "21:00" }, "quietUntil", "quietSame"],
    [{ quietFrom: "9pm" }, "quietFrom", "quietInvalid"],
  ])("refuses %j with %s: %s", (change, field, message) => {
    const result = DigestPreferencesSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.find((issue) => issue.path[0] === field)?.message).toBe(message);
  });
});

describe("saveDigestPreferences", () => {
  it("returns the defaults for someone who never chose", async () => {
    const worker = await buildUser();
    expect(await getDigestPreferences(worker.id)).toEqual(DEFAULT_DIGEST_PREFERENCES);
  });

  it("refuses a channel without consent, and SMS or e-mail without a verified contact; nothing is saved", async () => {
    const worker = await buildUser();
    const noConsent = await saveDigestPreferences(worker.id, valid, self());
    expect(noConsent).toEqual({ ok: false, errors: { push: "needsConsent" } });
    // Consent ticked for SMS, but no verified number: the consent is rolled back too.
    const noPhone = await saveDigestPreferences(
      worker.id,
      { ...valid, channels: ["sms", "email"] },
      self(["digest_sms", "digest_email"]),
    );
    expect(noPhone).toEqual({ ok: false, errors: { sms: "needsPhone", email: "needsEmail" } });
    expect(await prisma.consentEvent.count({ where: { userId: worker.id } })).toBe(0);
    expect(await prisma.digestPreference.count({ where: { userId: worker.id } })).toBe(0);
    const bad = await saveDigestPreferences(worker.id, { ...valid, sendAt: "6u30" }, self(["digest_push"]));
    expect(bad).toEqual({ ok: false, errors: { sendAt: "sendAtInvalid" } });
    expect(await prisma.consentEvent.count({ where: { userId: worker.id } })).toBe(0);
    // A consent box for something else than a digest channel is not this form's business.
    const forged = await saveDigestPreferences(worker.id, valid, {
      ...self(),
      grant: ["sign_in_sms" as never],
    });
    expect(forged.ok).toBe(false);
  });

  it("grants consent with the channel in one transaction and clears nextDueAt", async () => {
    const worker = await buildUser();
    await buildPersonalContact({ userId: worker.id, kind: "phone", value: "+32470000101" });
    await prisma.digestPreference.create({ data: { userId: worker.id, nextDueAt: new Date() } });
    const saved = await saveDigestPreferences(
      worker.id,
      { ...valid, channels: ["sms", "push"], rhythm: "weekly", weekday: "5", paused: true },
      self(["digest_sms", "digest_push"]),
    );
    expect(saved).toEqual({ ok: true });
    const row = await prisma.digestPreference.findUniqueOrThrow({ where: { userId: worker.id } });
    expect(row).toMatchObject({
      channels: ["sms", "push"],
      rhythm: "weekly",
      weekday: 5,
      sendAt: "06:30",
      quietFrom: "21:00",
      quietUntil: "06:00",
      paused: true,
      nextDueAt: null,
    });
    const events = await prisma.consentEvent.findMany({
      where: { userId: worker.id },
      orderBy: { purpose: "asc" },
    });
    expect(events.map((e) => [e.purpose, e.granted, e.method, e.textVersion])).toEqual([
      ["digest_push", true, "self", CURRENT_CONSENT_VERSION],
      ["digest_sms", true, "self", CURRENT_CONSENT_VERSION],
    ]);
    // Saving again without the boxes keeps the consent (it is only withdrawn explicitly).
    expect(await saveDigestPreferences(worker.id, { ...valid, channels: ["sms"] }, self())).toEqual({
      ok: true,
    });
    expect(await getDigestPreferences(worker.id)).toMatchObject({ channels: ["sms"], stored: true });
  });

  it("refuses consent under a text version that is no longer current", async () => {
    const worker = await buildUser();
    const result = await saveDigestPreferences(worker.id, valid, {
      ...self(["digest_push"]),
      textVersion: "2001-01",
    });
    expect(result).toEqual({ ok: false, errors: { channels: "consentVersion" } });
  });
});
