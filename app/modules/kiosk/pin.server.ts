/**
 * Personal kiosk PINs: 4 to 6 digits, chosen by the worker (/profiel/kiosk-pin), stored as a salted scrypt
 * hash. Five wrong PINs lock the PIN for 15 minutes; the count and the lock are changed in conditional
 * updates so parallel guesses cannot slip past the limit. An unknown number, a person without a PIN and a
 * wrong PIN give the same answer on the kiosk.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { prisma } from "~/db.server";
import { employeeNumberWhere, normaliseEmployeeNumber } from "~/modules/identity/field-sign-in.server";

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const PIN_MAX_ATTEMPTS = 5;
export const PIN_LOCK_MS = 15 * 60_000;
/** scrypt cost: ~50 ms per check, enough to make an offline guess of a stolen hash slow. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

/** PINs everyone tries first: refused whatever the other rules say. */
const DENY_LIST = new Set([
  "1234",
  "4321",
  "1212",
  "1122",
  "1313",
  "2580",
  "0852",
  "1004",
  "2000",
  "2001",
  "2020",
  "2468",
  "1357",
  "6969",
  "1010",
  "0101",
  "12345",
  "54321",
  "123456",
  "654321",
  "121212",
  "112233",
  "123123",
  "696969",
  "159753",
  "147258",
  "0007",
  "7777",
  "1379",
  "9876",
  "98765",
  "987654",
]);

export type PinProblem = "format" | "mismatch" | "repeated" | "sequence" | "common";

/** Why a chosen PIN is refused, or null when it is acceptable. */
export function pinProblem(pin: string, repeat?: string): PinProblem | null {
  if (!/^\d{4,6}$/.test(pin)) return "format";
  if (repeat !== undefined && pin !== repeat) return "mismatch";
  if (/^(\d)\1+$/.test(pin)) return "repeated";
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
  // 1234, 4321, 7890 and 8901 alike: every step +1 or every step -1 (wrapping around 9 → 0).
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return "sequence";
  if (DENY_LIST.has(pin)) return "common";
  return null;
}

async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(pin, salt, KEY_LENGTH, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

async function pinMatches(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await scryptAsync(pin, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export class KioskPinError extends Error {
  constructor(readonly problem: PinProblem) {
    super(`Kiosk PIN refused: ${problem}`);
    this.name = "KioskPinError";
  }
}

/** Sets or replaces the person's PIN (also clearing a lock: they proved who they are by signing in). */
export async function setKioskPin(userId: string, pin: string, repeat: string): Promise<void> {
  const problem = pinProblem(pin, repeat);
  if (problem) throw new KioskPinError(problem);
  const pinHash = await hashPin(pin);
  await prisma.kioskPin.upsert({
    where: { userId },
    create: { userId, pinHash },
    update: { pinHash, failedAttempts: 0, lockedUntil: null },
  });
}

/** Whether the person has a PIN, and until when it is locked. */
export async function kioskPinStatus(userId: string, now: Date = new Date()) {
  const row = await prisma.kioskPin.findUnique({
    where: { userId },
    select: { lockedUntil: true },
  });
  return {
    hasPin: Boolean(row),
    lockedUntil: row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null,
  };
}

export type PinCheck =
  | { ok: true; userId: string }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

// A hash to compare against when there is no PIN, so an unknown number takes as long as a wrong PIN.
let decoy: Promise<string> | undefined;

/** Checks employee number + PIN; five wrong PINs lock it for 15 minutes. */
export async function verifyKioskPin(input: {
  employeeNumber: string;
  pin: string;
  now?: Date;
}): Promise<PinCheck> {
  const now = input.now ?? new Date();
  const employeeNumber = normaliseEmployeeNumber(input.employeeNumber);
  const user = employeeNumber
    ? await prisma.user.findFirst({
        where: employeeNumberWhere(employeeNumber),
        select: { id: true, active: true, kioskPin: { select: { pinHash: true, lockedUntil: true } } },
      })
    : null;
  const stored = user?.active ? user.kioskPin : null;
  if (!user || !stored || !/^\d{4,6}$/.test(input.pin)) {
    decoy ??= hashPin("000000");
    await pinMatches(input.pin.slice(0, 6), await decoy);
    return { ok: false, reason: "wrong" };
  }
  if (stored.lockedUntil && stored.lockedUntil > now) {
    return {
      ok: false,
      reason: "locked",
      retryAfterSeconds: Math.ceil((stored.lockedUntil.getTime() - now.getTime()) / 1000),
    };
  }
  if (await pinMatches(input.pin, stored.pinHash)) {
    await prisma.$executeRaw`
      UPDATE "KioskPin" SET "failedAttempts" = 0, "lockedUntil" = NULL WHERE "userId" = ${user.id}`;
    return { ok: true, userId: user.id };
  }
  // Count the failure; the fifth one (counted atomically) sets the lock and restarts the count.
  const lockedUntil = new Date(now.getTime() + PIN_LOCK_MS);
  const rows = await prisma.$queryRaw<{ lockedUntil: Date | null }[]>`
    UPDATE "KioskPin" SET
      "failedAttempts" = CASE WHEN "failedAttempts" + 1 >= ${PIN_MAX_ATTEMPTS} THEN 0 ELSE "failedAttempts" + 1 END,
      "lockedUntil" = CASE WHEN "failedAttempts" + 1 >= ${PIN_MAX_ATTEMPTS} THEN ${lockedUntil} ELSE "lockedUntil" END
    WHERE "userId" = ${user.id}
    RETURNING "lockedUntil"`;
  const lock = rows[0]?.lockedUntil;
  if (lock && lock > now) {
    return { ok: false, reason: "locked", retryAfterSeconds: Math.ceil(PIN_LOCK_MS / 1000) };
  }
  return { ok: false, reason: "wrong" };
}
