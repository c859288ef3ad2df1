/**
 * Enrolled kiosk terminals. An admin enrols a terminal (name, location) and gets a one-time link, shown once;
 * opening it on the terminal and confirming swaps it for a random device token in a long-lived httpOnly
 * cookie. Only SHA-256 hashes are stored, with different prefixes for the enrolment code and the device
 * token, so neither can stand in for the other. A device row is "pending" until its link is used
 * (lastSeenAt null) and the link expires after ENROLMENT_TTL_MS.
 */
import { createHash, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";

/** How long an enrolment link stays usable. */
export const ENROLMENT_TTL_MS = 24 * 3600_000;
/** The device cookie's lifetime: the terminal stays enrolled until revoked (renewed on use). */
const DEVICE_COOKIE_DAYS = 400;
/** Avoids a write on every board refresh: lastSeenAt is recorded at most every five minutes. */
const SEEN_WRITE_INTERVAL_MS = 5 * 60_000;

export const KIOSK_NAME_MAX = 80;
export const KIOSK_LOCATION_MAX = 120;

const enrolmentHash = (code: string) =>
  createHash("sha256").update(`kiosk-enrol\0${code}`).digest("base64url");
const deviceHash = (token: string) =>
  createHash("sha256").update(`kiosk-device\0${token}`).digest("base64url");

let cookie: ReturnType<typeof createCookie> | undefined;

/**
 * The terminal's cookie: the device token itself (a random 256-bit value; it is its own proof, so it needs
 * no signature), httpOnly, and never cleared by signing out (Clear-Site-Data "cookies" is not sent).
 */
export function kioskDeviceCookie() {
  if (!cookie) {
    const env = getEnv();
    cookie = createCookie(env.isProduction ? "__Host-werkplek_kiosk" : "werkplek_kiosk", {
      httpOnly: true,
      sameSite: "lax",
      secure: env.isProduction,
      path: "/",
      maxAge: DEVICE_COOKIE_DAYS * 24 * 3600,
    });
  }
  return cookie;
}

export class KioskDeviceError extends Error {
  constructor(
    readonly code: "invalid_name" | "invalid_location" | "not_found",
    message: string,
  ) {
    super(message);
    this.name = "KioskDeviceError";
  }
}

/** Registers a terminal and returns its one-time enrolment code (shown once, stored only as a hash). */
export async function enrolKioskDevice(input: {
  name: string;
  location: string | null;
  enrolledById: string;
  now?: Date;
}): Promise<{ id: string; code: string; expiresAt: Date }> {
  const name = input.name.trim();
  const location = input.location?.trim() || null;
  if (name.length < 2 || name.length > KIOSK_NAME_MAX) {
    throw new KioskDeviceError("invalid_name", `A kiosk name has 2 to ${KIOSK_NAME_MAX} characters`);
  }
  if (location && location.length > KIOSK_LOCATION_MAX) {
    throw new KioskDeviceError("invalid_location", `A location has at most ${KIOSK_LOCATION_MAX} characters`);
  }
  const now = input.now ?? new Date();
  const code = randomBytes(18).toString("base64url");
  const row = await prisma.kioskDevice.create({
    data: {
      name,
      location,
      tokenHash: enrolmentHash(code),
      enrolledById: input.enrolledById,
      createdAt: now,
    },
    select: { id: true },
  });
  return { id: row.id, code, expiresAt: new Date(now.getTime() + ENROLMENT_TTL_MS) };
}

/** The pending terminal an enrolment code belongs to (for the confirmation page), or null. */
export async function pendingEnrolment(code: string, now: Date = new Date()) {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(code)) return null;
  const device = await prisma.kioskDevice.findUnique({
    where: { tokenHash: enrolmentHash(code) },
    select: { id: true, name: true, location: true, createdAt: true, lastSeenAt: true, revokedAt: true },
  });
  if (!device || device.lastSeenAt || device.revokedAt) return null;
  if (now.getTime() - device.createdAt.getTime() > ENROLMENT_TTL_MS) return null;
  return { id: device.id, name: device.name, location: device.location };
}

/**
 * Uses an enrolment code: in one conditional update (only one browser can win) the code's hash is replaced
 * by a fresh device token's. Returns the token for the cookie, or null when the code is unknown, used,
 * revoked or expired.
 */
export async function claimEnrolment(
  code: string,
  now: Date = new Date(),
): Promise<{ token: string } | null> {
  const pending = await pendingEnrolment(code, now);
  if (!pending) return null;
  const token = randomBytes(32).toString("base64url");
  const { count } = await prisma.kioskDevice.updateMany({
    where: { id: pending.id, tokenHash: enrolmentHash(code), lastSeenAt: null, revokedAt: null },
    data: { tokenHash: deviceHash(token), lastSeenAt: now },
  });
  return count === 1 ? { token } : null;
}

export type KioskDevice = { id: string; name: string; location: string | null };

/** The enrolled, not revoked terminal this request comes from, or null. */
export async function kioskDeviceOf(request: Request, now: Date = new Date()): Promise<KioskDevice | null> {
  const token: unknown = await kioskDeviceCookie().parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const device = await prisma.kioskDevice.findUnique({
    where: { tokenHash: deviceHash(token) },
    select: { id: true, name: true, location: true, lastSeenAt: true, revokedAt: true },
  });
  if (!device || device.revokedAt || !device.lastSeenAt) return null;
  if (now.getTime() - device.lastSeenAt.getTime() > SEEN_WRITE_INTERVAL_MS) {
    await prisma.kioskDevice.update({ where: { id: device.id }, data: { lastSeenAt: now } });
  }
  return { id: device.id, name: device.name, location: device.location };
}

/** Every terminal for the admin page, newest first, with its state. */
export async function listKioskDevices(now: Date = new Date()) {
  const rows = await prisma.kioskDevice.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      location: true,
      createdAt: true,
      lastSeenAt: true,
      revokedAt: true,
      enrolledBy: { select: { displayName: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    location: row.location,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    enrolledBy: row.enrolledBy?.displayName ?? null,
    state: row.revokedAt
      ? ("revoked" as const)
      : row.lastSeenAt
        ? ("active" as const)
        : now.getTime() - row.createdAt.getTime() > ENROLMENT_TTL_MS
          ? ("expired" as const)
          : ("pending" as const),
  }));
}

/**
 * Revokes a terminal: its cookie no longer opens /kiosk, its link no longer enrols, and whoever is signed in
 * on it is signed out (kiosk sessions carry the terminal's name as label and are short anyway; all kiosk
 * sessions with that label end).
 */
export async function revokeKioskDevice(id: string, now: Date = new Date()): Promise<void> {
  const device = await prisma.kioskDevice.findUnique({
    where: { id },
    select: { name: true, revokedAt: true },
  });
  if (!device) throw new KioskDeviceError("not_found", `Kiosk ${id} does not exist`);
  if (device.revokedAt) return;
  await prisma.$transaction([
    prisma.kioskDevice.update({ where: { id }, data: { revokedAt: now } }),
    prisma.session.deleteMany({
      where: { kind: "kiosk", label: kioskSessionLabel({ id, name: device.name }) },
    }),
  ]);
}

/**
 * The label of a kiosk session: the terminal's name, plus its id so the session can be matched to the
 * terminal (a revoked terminal's sessions end; /kiosk/mijn refuses a session from another terminal).
 */
export function kioskSessionLabel(device: { id: string; name: string }): string {
  return `${device.name.slice(0, 70)} · ${device.id}`;
}

/** The terminal name part of a kiosk session label, for the person's list of sessions. */
export function kioskNameFromLabel(label: string): string {
  const at = label.lastIndexOf(" · ");
  return at > 0 ? label.slice(0, at) : label;
}
