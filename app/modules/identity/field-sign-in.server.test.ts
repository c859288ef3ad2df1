/**
 * Field-worker sign-in: the same answer for every employee number, the code sent only to an eligible
 * person's verified phone (through the outbox here), wrong/expired/reused codes, the limits per number,
 * and the long-lived device session it opens.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { OTP_MAX_ATTEMPTS, OTP_TTL_MS } from "~/modules/reach/otp.server";
import { buildFieldWorkerWithPhone, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  checkSignInCode,
  deviceLabel,
  listLiveSessions,
  normaliseEmployeeNumber,
  type PendingSignIn,
  requestSignInCode,
  settleFieldSignInSends,
} from "./field-sign-in.server";
import { getSessionUser, revokeUserSessions, sessionCookie } from "./session.server";

setupTestDatabase();

const ANDROID =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

/** The code in the last sign-in SMS the outbox holds for a person, or null. */
async function sentCode(userId: string): Promise<string | null> {
  await settleFieldSignInSends();
  const message = await prisma.outboxMessage.findFirst({
    where: { userId, purpose: "otp_sign_in" },
    orderBy: { createdAt: "desc" },
  });
  return message?.text.match(/#(\d{6})/)?.[1] ?? null;
}

async function pendingFor(employeeNumber: string): Promise<PendingSignIn> {
  const result = await requestSignInCode({ employeeNumber });
  if (!result.ok) throw new Error(`code request refused: ${result.reason}`);
  return result.pending;
}

const check = (pending: PendingSignIn, code: string, now?: Date) =>
  checkSignInCode({ pending, code, userAgent: ANDROID, previousCookieHeader: null, now });

describe("employee numbers and device labels", () => {
  it("reads numbers as typed and refuses what cannot be one", () => {
    expect(normaliseEmployeeNumber(" ge-109347 ")).toBe("GE-109347");
    expect(normaliseEmployeeNumber("109347")).toBe("GE-109347");
    expect(normaliseEmployeeNumber("T-ab12")).toBe("T-AB12");
    expect(normaliseEmployeeNumber("")).toBeNull();
    expect(normaliseEmployeeNumber("'; DROP TABLE")).toBeNull();
    expect(normaliseEmployeeNumber("x".repeat(50))).toBeNull();
  });

  it("names the device from its User-Agent", () => {
    expect(deviceLabel(ANDROID)).toBe("Android-telefoon — Chrome");
    expect(
      deviceLabel(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      ),
    ).toBe("iPhone — Safari");
    expect(deviceLabel(null)).toBe("Onbekend toestel");
  });
});

describe("asking for a code", () => {
  it("sends a code by SMS to an eligible worker, and answers an unknown number exactly the same", async () => {
    const { user, contact } = await buildFieldWorkerWithPhone();
    const known = await requestSignInCode({ employeeNumber: user.employeeNumber! });
    const unknown = await requestSignInCode({ employeeNumber: "GE-999999999" });
    expect(known.ok && unknown.ok).toBe(true);
    expect(Object.keys(known)).toEqual(Object.keys(unknown));
    expect(known.ok && Object.keys(known.pending)).toEqual(unknown.ok && Object.keys(unknown.pending));
    expect(await sentCode(user.id)).toMatch(/^\d{6}$/);
    const message = await prisma.outboxMessage.findFirstOrThrow({ where: { userId: user.id } });
    expect(message.destination).toBe(contact.masked);
    expect(message.idempotencyKey).toMatch(/^otp:/);
    expect(await prisma.outboxMessage.count({ where: { userId: null, purpose: "otp_sign_in" } })).toBe(0);
  });

  it("sends nothing without sign-in consent, after withdrawal, without a verified phone or to a leaver", async () => {
    const noConsent = await buildFieldWorkerWithPhone({ consent: false });
    const withdrawn = await buildFieldWorkerWithPhone();
    await prisma.consentEvent.create({
      data: {
        userId: withdrawn.user.id,
        purpose: "sign_in_sms",
        granted: false,
        method: "self",
        textVersion: "2026-11",
        createdAt: new Date(Date.now() + 1000),
      },
    });
    const unverified = await buildFieldWorkerWithPhone();
    await prisma.personalContact.update({ where: { id: unverified.contact.id }, data: { verifiedAt: null } });
    const leaver = await buildFieldWorkerWithPhone({ overrides: { active: false } });
    const noPhone = await buildUser({ isFieldWorker: true });
    for (const person of [noConsent.user, withdrawn.user, unverified.user, leaver.user, noPhone]) {
      const result = await requestSignInCode({ employeeNumber: person.employeeNumber! });
      expect(result.ok).toBe(true);
      expect(await sentCode(person.id)).toBeNull();
    }
  });

  it("refuses a malformed number without counting anything", async () => {
    expect(await requestSignInCode({ employeeNumber: "<script>" })).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("limits codes per number, known or not: 3 per 15 minutes and 10 per day, with the wait", async () => {
    const { user } = await buildFieldWorkerWithPhone();
    const start = new Date("2026-12-01T07:00:00Z");
    for (const number of [user.employeeNumber!, "GE-888888888"]) {
      for (let i = 0; i < 3; i++) {
        expect((await requestSignInCode({ employeeNumber: number, now: start })).ok).toBe(true);
      }
      const refused = await requestSignInCode({ employeeNumber: number, now: start });
      expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
      expect(refused.ok === false && refused.reason === "rate_limited" && refused.retryAfterSeconds).toBe(
        900,
      );
    }
    // Spread over the day: the daily limit of 10 stops the eleventh request (the refused one above counts).
    let last;
    for (let window = 1; window <= 4; window++) {
      const later = new Date(start.getTime() + window * 16 * 60_000);
      for (let i = 0; i < 3; i++)
        last = await requestSignInCode({ employeeNumber: "GE-888888888", now: later });
    }
    expect(last).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(last!.ok === false && last!.reason === "rate_limited" && last!.retryAfterSeconds).toBeGreaterThan(
      3600,
    );
  });
});

describe("checking the code", () => {
  it("opens a long-lived device session labelled with the phone, and the code works only once", async () => {
    const { user } = await buildFieldWorkerWithPhone();
    const pending = await pendingFor(user.employeeNumber!);
    const code = (await sentCode(user.id))!;
    const result = await check(pending, code.replace(/(\d{3})/, "$1 "));
    expect(result.ok).toBe(true);
    const session = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session).toMatchObject({ kind: "device", method: "sms", label: "Android-telefoon — Chrome" });
    const days = (session.expiresAt.getTime() - session.createdAt.getTime()) / (24 * 3600_000);
    expect(days).toBeCloseTo(90, 0);
    const cookieHeader = result.ok ? result.setCookie.split(";")[0]! : "";
    expect(result.ok && result.setCookie).toMatch(/Max-Age=7776000/);
    const signedIn = await getSessionUser(
      new Request("http://localhost/", { headers: { Cookie: cookieHeader } }),
    );
    expect(signedIn).toMatchObject({ id: user.id, sessionKind: "device" });

    expect(await check(pending, code)).toMatchObject({ ok: false, reason: "used_up" });

    // Revoked (lost phone, "overal afmelden"): the cookie opens nothing any more.
    await revokeUserSessions(user.id);
    expect(
      await getSessionUser(new Request("http://localhost/", { headers: { Cookie: cookieHeader } })),
    ).toBeNull();
    expect(await sessionCookie().parse(cookieHeader)).toBeTruthy();
  });

  it("says 'wrong' for a wrong code and 'used up' after the last attempt, for known and unknown numbers alike", async () => {
    const { user } = await buildFieldWorkerWithPhone();
    for (const number of [user.employeeNumber!, "GE-777777777"]) {
      let pending = await pendingFor(number);
      const right = number === user.employeeNumber ? (await sentCode(user.id))! : "123456";
      const wrong = right === "000000" ? "000001" : "000000";
      const reasons: string[] = [];
      for (let i = 0; i < OTP_MAX_ATTEMPTS; i++) {
        const result = await check(pending, wrong);
        if (result.ok) throw new Error("a wrong code was accepted");
        reasons.push(result.reason);
        pending = result.pending;
      }
      expect(reasons).toEqual(["wrong", "wrong", "wrong", "wrong", "used_up"]);
      expect(await check(pending, right)).toMatchObject({ ok: false, reason: "used_up" });
    }
  });

  it("refuses an expired code and a malformed one (without using an attempt)", async () => {
    const { user } = await buildFieldWorkerWithPhone();
    const pending = await pendingFor(user.employeeNumber!);
    const code = (await sentCode(user.id))!;
    expect(await check(pending, "12ab")).toMatchObject({
      ok: false,
      reason: "malformed",
      pending: { tries: 0 },
    });
    const late = new Date(pending.at + OTP_TTL_MS + 1000);
    expect(await check(pending, code, late)).toMatchObject({ ok: false, reason: "used_up" });
    // A new request voids the earlier code: only the last SMS counts.
    const again = await pendingFor(user.employeeNumber!);
    const newCode = (await sentCode(user.id))!;
    if (newCode !== code) expect(await check(again, code)).toMatchObject({ ok: false });
    expect((await check(again, newCode)).ok).toBe(true);
  });

  it("lists only live sessions", async () => {
    const { user } = await buildFieldWorkerWithPhone();
    const pending = await pendingFor(user.employeeNumber!);
    await check(pending, (await sentCode(user.id))!);
    await prisma.session.create({
      data: {
        id: `stale-${user.id}`,
        userId: user.id,
        kind: "kiosk",
        method: "pin",
        lastActiveAt: new Date(Date.now() - 120_000),
        expiresAt: new Date(Date.now() + 600_000),
      },
    });
    const live = await listLiveSessions(user.id);
    expect(live.map((s) => s.kind)).toEqual(["device"]);
  });
});
