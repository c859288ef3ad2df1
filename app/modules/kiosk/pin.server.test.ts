/** Kiosk PINs: the rules for choosing one, the scrypt hash, one answer for every failure, and the lock. */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  KioskPinError,
  PIN_LOCK_MS,
  PIN_MAX_ATTEMPTS,
  pinProblem,
  setKioskPin,
  verifyKioskPin,
} from "./pin.server";

setupTestDatabase();

describe("choosing a PIN", () => {
  it("accepts 4 to 6 digits that are not trivial", () => {
    for (const pin of ["2791", "80463", "502817", "1235", "9320"]) expect(pinProblem(pin, pin)).toBeNull();
  });

  it("refuses malformed, mismatched, repeated, sequential and common PINs", () => {
    expect(pinProblem("123")).toBe("format");
    expect(pinProblem("1234567")).toBe("format");
    expect(pinProblem("12a4")).toBe("format");
    expect(pinProblem(" 2791")).toBe("format");
    expect(pinProblem("2791", "2719")).toBe("mismatch");
    for (const pin of ["0000", "1111", "99999", "777777"]) expect(pinProblem(pin)).toBe("repeated");
    for (const pin of ["1234", "4321", "6789", "7890", "8901", "9876", "123456", "654321", "3456"]) {
      expect(pinProblem(pin)).toBe("sequence");
    }
    for (const pin of ["1212", "2580", "1122", "2000", "123123"]) expect(pinProblem(pin)).toBe("common");
  });

  it("stores only a salted scrypt hash and refuses a bad PIN with nothing saved", async () => {
    const user = await buildUser();
    await expect(setKioskPin(user.id, "1234", "1234")).rejects.toBeInstanceOf(KioskPinError);
    expect(await prisma.kioskPin.count({ where: { userId: user.id } })).toBe(0);
    await setKioskPin(user.id, "2791", "2791");
    const row = await prisma.kioskPin.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.pinHash).toMatch(/^scrypt\$\d+\$8\$1\$/);
    expect(row.pinHash).not.toContain("2791");
    const other = await buildUser();
    await setKioskPin(other.id, "2791", "2791");
    const otherRow = await prisma.kioskPin.findUniqueOrThrow({ where: { userId: other.id } });
    expect(otherRow.pinHash).not.toBe(row.pinHash);
  });
});

describe("checking a PIN", () => {
  it("accepts the right PIN for the employee number however it is typed", async () => {
    const user = await buildUser({ employeeNumber: `GE-${Math.floor(Math.random() * 1e8)}` });
    await setKioskPin(user.id, "2791", "2791");
    expect(await verifyKioskPin({ employeeNumber: user.employeeNumber!.toLowerCase(), pin: "2791" })).toEqual(
      {
        ok: true,
        userId: user.id,
      },
    );
  });

  it("answers an unknown number, a person without PIN, a leaver and a wrong PIN the same way", async () => {
    const noPin = await buildUser();
    const leaver = await buildUser({ active: false });
    await setKioskPin(leaver.id, "2791", "2791");
    const user = await buildUser();
    await setKioskPin(user.id, "2791", "2791");
    for (const [employeeNumber, pin] of [
      ["GE-000000001", "2791"],
      [noPin.employeeNumber!, "2791"],
      [leaver.employeeNumber!, "2791"],
      [user.employeeNumber!, "2792"],
      [user.employeeNumber!, "abc"],
    ] as const) {
      expect(await verifyKioskPin({ employeeNumber, pin })).toEqual({ ok: false, reason: "wrong" });
    }
  });

  it("locks the PIN for 15 minutes after 5 wrong tries, even for the right PIN, then lets it work again", async () => {
    const user = await buildUser();
    await setKioskPin(user.id, "2791", "2791");
    const now = new Date("2026-12-01T07:00:00Z");
    const results = [];
    for (let i = 0; i < PIN_MAX_ATTEMPTS; i++) {
      results.push(await verifyKioskPin({ employeeNumber: user.employeeNumber!, pin: "1357", now }));
    }
    expect(results.slice(0, -1).every((r) => !r.ok && r.reason === "wrong")).toBe(true);
    expect(results.at(-1)).toEqual({ ok: false, reason: "locked", retryAfterSeconds: PIN_LOCK_MS / 1000 });
    const during = new Date(now.getTime() + PIN_LOCK_MS - 60_000);
    expect(await verifyKioskPin({ employeeNumber: user.employeeNumber!, pin: "2791", now: during })).toEqual({
      ok: false,
      reason: "locked",
      retryAfterSeconds: 60,
    });
    const after = new Date(now.getTime() + PIN_LOCK_MS + 1000);
    expect(await verifyKioskPin({ employeeNumber: user.employeeNumber!, pin: "2791", now: after })).toEqual({
      ok: true,
      userId: user.id,
    });
    const row = await prisma.kioskPin.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it("counts parallel wrong guesses atomically", async () => {
    const user = await buildUser();
    await setKioskPin(user.id, "2791", "2791");
    const now = new Date();
    await Promise.all(
      Array.from({ length: PIN_MAX_ATTEMPTS }, () =>
        verifyKioskPin({ employeeNumber: user.employeeNumber!, pin: "1357", now }),
      ),
    );
    const row = await prisma.kioskPin.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.lockedUntil?.getTime()).toBe(now.getTime() + PIN_LOCK_MS);
  });
});
