/**
 * Signing in at a terminal: employee number + personal PIN → a "kiosk" session (60 s idle, browser-session
 * cookie) labelled with the terminal. Limits per terminal and per employee number come before the PIN is
 * checked, so a script at one terminal cannot sweep numbers and nobody can guess one person's PIN from
 * several terminals faster than the lock allows.
 */
import { normaliseEmployeeNumber } from "~/modules/identity/field-sign-in.server";
import { createUserSession } from "~/modules/identity/session.server";
import { consumeRateLimit, RATE_LIMITS } from "~/utils/rate-limit.server";
import { kioskSessionLabel, type KioskDevice } from "./devices.server";
import { verifyKioskPin } from "./pin.server";

export type KioskSignInResult =
  | { ok: true; setCookie: string }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "locked" | "rate_limited"; retryAfterSeconds: number };

/** Checks the limits and the PIN; on success opens the kiosk session and returns its cookie. */
export async function signInAtKiosk(input: {
  device: KioskDevice;
  employeeNumber: string;
  pin: string;
  previousCookieHeader: string | null;
  now?: Date;
}): Promise<KioskSignInResult> {
  const now = input.now ?? new Date();
  const perDevice = await consumeRateLimit(RATE_LIMITS.kioskPinPerDevice, input.device.id, now);
  if (!perDevice.allowed) {
    return { ok: false, reason: "rate_limited", retryAfterSeconds: perDevice.retryAfterSeconds };
  }
  const employeeNumber = normaliseEmployeeNumber(input.employeeNumber);
  if (!employeeNumber) return { ok: false, reason: "wrong" };
  const perNumber = await consumeRateLimit(RATE_LIMITS.kioskPinPerNumber, employeeNumber, now);
  if (!perNumber.allowed) {
    return { ok: false, reason: "rate_limited", retryAfterSeconds: perNumber.retryAfterSeconds };
  }
  const check = await verifyKioskPin({ employeeNumber, pin: input.pin, now });
  if (!check.ok) return check;
  const setCookie = await createUserSession({
    userId: check.userId,
    method: "pin",
    kind: "kiosk",
    label: kioskSessionLabel(input.device),
    previousCookieHeader: input.previousCookieHeader,
  });
  return { ok: true, setCookie };
}
