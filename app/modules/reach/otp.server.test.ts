import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { smsSegments } from "~/modules/channels/gsm7";
import { buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  checkOneTimeCode,
  issueOneTimeCode,
  normaliseOneTimeCode,
  OTP_MAX_ATTEMPTS,
  OTP_TTL_MS,
  oneTimeCodeMessage,
} from "./otp.server";

setupTestDatabase();

const wrong = (code: string) => (code === "000000" ? "000001" : "000000");

describe("one-time codes", () => {
  it("stores only a hash, accepts the code once and refuses it afterwards", async () => {
    const user = await buildUser();
    const issued = await issueOneTimeCode({ userId: user.id, purpose: "sign_in", contactId: null });
    expect(issued.code).toMatch(/^\d{6}$/);
    const row = await prisma.oneTimeCode.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row.codeHash).not.toContain(issued.code);
    expect(
      await checkOneTimeCode({
        userId: user.id,
        purpose: "sign_in",
        code: issued.code.replace(/(\d{3})/, "$1 "),
      }),
    ).toEqual({ ok: true, contactId: null });
    expect(await checkOneTimeCode({ userId: user.id, purpose: "sign_in", code: issued.code })).toMatchObject({
      ok: false,
      reason: "no_code",
    });
  });

  it("counts wrong attempts and locks the code after the last one, even for the right code", async () => {
    const user = await buildUser();
    const { code } = await issueOneTimeCode({ userId: user.id, purpose: "sign_in", contactId: null });
    for (let left = OTP_MAX_ATTEMPTS - 1; left > 0; left--) {
      expect(await checkOneTimeCode({ userId: user.id, purpose: "sign_in", code: wrong(code) })).toEqual({
        ok: false,
        reason: "wrong_code",
        attemptsLeft: left,
      });
    }
    expect(await checkOneTimeCode({ userId: user.id, purpose: "sign_in", code: wrong(code) })).toMatchObject({
      reason: "too_many_attempts",
    });
    expect(await checkOneTimeCode({ userId: user.id, purpose: "sign_in", code })).toMatchObject({
      ok: false,
      reason: "too_many_attempts",
    });
  });

  it("lets parallel guesses use no more attempts than allowed", async () => {
    const user = await buildUser();
    const { code } = await issueOneTimeCode({ userId: user.id, purpose: "sign_in", contactId: null });
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        checkOneTimeCode({ userId: user.id, purpose: "sign_in", code: wrong(code) }),
      ),
    );
    expect(results.every((r) => !r.ok)).toBe(true);
    const row = await prisma.oneTimeCode.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.attempts).toBe(OTP_MAX_ATTEMPTS);
  });

  it("expires after ten minutes and does not spend attempts on malformed input", async () => {
    const user = await buildUser();
    const now = new Date("2026-11-23T08:00:00Z");
    const { code } = await issueOneTimeCode({
      userId: user.id,
      purpose: "verify_contact",
      contactId: null,
      now,
    });
    expect(
      await checkOneTimeCode({ userId: user.id, purpose: "verify_contact", code: "12a456", now }),
    ).toMatchObject({ reason: "malformed", attemptsLeft: OTP_MAX_ATTEMPTS });
    const late = new Date(now.getTime() + OTP_TTL_MS);
    expect(
      await checkOneTimeCode({ userId: user.id, purpose: "verify_contact", code, now: late }),
    ).toMatchObject({ ok: false, reason: "expired" });
  });

  it("voids the earlier code when a new one is sent, and keeps purposes and people apart", async () => {
    const user = await buildUser();
    const other = await buildUser();
    const first = await issueOneTimeCode({ userId: user.id, purpose: "sign_in", contactId: null });
    const second = await issueOneTimeCode({ userId: user.id, purpose: "sign_in", contactId: null });
    const verify = await issueOneTimeCode({ userId: user.id, purpose: "verify_contact", contactId: null });
    if (first.code !== second.code) {
      expect(await checkOneTimeCode({ userId: user.id, purpose: "sign_in", code: first.code })).toMatchObject(
        {
          ok: false,
        },
      );
    }
    expect(await checkOneTimeCode({ userId: other.id, purpose: "sign_in", code: second.code })).toMatchObject(
      {
        reason: "no_code",
      },
    );
    expect((await checkOneTimeCode({ userId: user.id, purpose: "sign_in", code: second.code })).ok).toBe(
      true,
    );
    expect(
      (await checkOneTimeCode({ userId: user.id, purpose: "verify_contact", code: verify.code })).ok,
    ).toBe(true);
  });

  it("reads codes as people type them", () => {
    expect(normaliseOneTimeCode(" 123 456 ")).toBe("123456");
    expect(normaliseOneTimeCode("123-456")).toBe("123456");
    expect(normaliseOneTimeCode("12345")).toBeNull();
    expect(normaliseOneTimeCode("1234567")).toBeNull();
    expect(normaliseOneTimeCode("١٢٣٤٥٦")).toBeNull();
  });

  it("writes a one-segment GSM-7 SMS ending in the WebOTP line for our own host", () => {
    for (const locale of ["nl", "en"]) {
      const text = oneTimeCodeMessage("042917", locale, "https://werkplek.stad.gent");
      expect(text.split("\n").at(-1)).toBe("@werkplek.stad.gent #042917");
      expect(smsSegments(text)).toMatchObject({ encoding: "GSM-7", segments: 1 });
    }
  });
});
