/**
 * The consent log: append-only (grant and withdrawal add events, nothing is updated or deleted), the current
 * state is the latest event, withdrawing a digest purpose takes its channel out of the preferences, and
 * withdrawing everything a contact is used for offers to delete it.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildPersonalContact, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { consentHistory, consentState, grantConsent, withdrawConsent } from "./consent.server";
import { CONSENT_PURPOSES, CONSENT_TEXTS, consentText, CURRENT_CONSENT_VERSION } from "./consent-texts";
import { isReachError } from "./errors";
import { currentConsents, reachableChannels } from "./reachability.server";

setupTestDatabase();

const V = CURRENT_CONSENT_VERSION;

describe("consent texts", () => {
  it("has a Dutch and an English text for every purpose in every version, saying how to withdraw", () => {
    for (const version of Object.keys(CONSENT_TEXTS)) {
      for (const purpose of CONSENT_PURPOSES) {
        expect(consentText(purpose, "nl", version)?.paragraphs.join(" ")).toMatch(/intrekken/);
        expect(consentText(purpose, "en", version)?.paragraphs.join(" ")).toMatch(/withdraw/);
      }
    }
    expect(consentText("digest_sms", "nl", "1999-01")).toBeNull();
  });
});

describe("the consent log", () => {
  it("appends an event per change and keeps the earlier ones; the latest one counts", async () => {
    const worker = await buildUser();
    const base = {
      userId: worker.id,
      purpose: "digest_sms" as const,
      textVersion: V,
      recordedById: worker.id,
    };
    expect(await grantConsent({ ...base, method: "self", now: new Date("2026-11-01T08:00:00Z") })).toBe(true);
    // The same consent posted twice adds nothing.
    expect(await grantConsent({ ...base, method: "self", now: new Date("2026-11-01T08:00:01Z") })).toBe(
      false,
    );
    expect((await currentConsents([worker.id])).get(worker.id)).toEqual(new Set(["digest_sms"]));
    const withdrawn = await withdrawConsent({
      ...base,
      method: "self",
      now: new Date("2026-11-02T08:00:00Z"),
    });
    expect(withdrawn.recorded).toBe(true);
    // Withdrawing what is not given adds nothing.
    expect((await withdrawConsent({ ...base, method: "self" })).recorded).toBe(false);
    await grantConsent({ ...base, method: "kiosk", now: new Date("2026-11-03T08:00:00Z") });
    const history = await consentHistory(worker.id);
    expect(history.map((e) => [e.granted, e.method])).toEqual([
      [true, "kiosk"],
      [false, "self"],
      [true, "self"],
    ]);
    // Recorded by the person themselves: no "recorded by" to show.
    expect(history.every((e) => e.recordedBy === null)).toBe(true);
    const state = await consentState(worker.id);
    expect(state.digest_sms).toMatchObject({ granted: true, method: "kiosk", textVersion: V });
    expect(state.digest_email).toBeNull();
  });

  it("refuses a grant under an old or unknown text, and a note that is too long", async () => {
    const worker = await buildUser();
    const base = {
      userId: worker.id,
      purpose: "digest_push" as const,
      method: "self" as const,
      recordedById: null,
    };
    await expect(grantConsent({ ...base, textVersion: "2020-01" })).rejects.toSatisfy(
      (error) => isReachError(error) && error.code === "consent_version",
    );
    await expect(grantConsent({ ...base, textVersion: V, note: "x".repeat(501) })).rejects.toSatisfy(
      (error) => isReachError(error) && error.code === "note_too_long",
    );
    expect(await prisma.consentEvent.count({ where: { userId: worker.id } })).toBe(0);
  });

  it("takes the channel out of the preferences and offers to delete a contact nothing uses any more", async () => {
    const worker = await buildUser();
    await buildPersonalContact({ userId: worker.id, kind: "phone", value: "+32470000091" });
    await prisma.digestPreference.create({
      data: { userId: worker.id, channels: ["sms", "push"], nextDueAt: new Date() },
    });
    const base = { userId: worker.id, textVersion: V, method: "self" as const, recordedById: worker.id };
    await grantConsent({ ...base, purpose: "digest_sms" });
    await grantConsent({ ...base, purpose: "sign_in_sms" });
    expect((await reachableChannels([worker.id])).get(worker.id)).toEqual(new Set(["sms"]));

    const first = await withdrawConsent({ ...base, purpose: "digest_sms" });
    // The number still serves sign-in codes.
    expect(first.offerRemoveContact).toBeNull();
    const preference = await prisma.digestPreference.findUniqueOrThrow({ where: { userId: worker.id } });
    expect(preference).toMatchObject({ channels: ["push"], nextDueAt: null });
    expect((await reachableChannels([worker.id])).get(worker.id)).toEqual(new Set());

    const second = await withdrawConsent({ ...base, purpose: "sign_in_sms" });
    expect(second.offerRemoveContact).toBe("phone");
  });

  it("shows who at HR recorded an event", async () => {
    const worker = await buildUser();
    const hr = await buildUser({ displayName: "Youssef Benali" }, ["hr"]);
    await grantConsent({
      userId: worker.id,
      purpose: "digest_email",
      method: "hr_phone",
      textVersion: V,
      recordedById: hr.id,
      note: "Telefonisch bevestigd",
    });
    const [event] = await consentHistory(worker.id);
    expect(event).toMatchObject({
      recordedBy: { id: hr.id, displayName: "Youssef Benali" },
      note: "Telefonisch bevestigd",
    });
  });
});
