/**
 * What every kiosk route shares: nothing may be cached on the terminal (Cache-Control: no-store on every
 * answer), only an enrolled terminal opens the kiosk, and a worker's pages need a kiosk session opened on
 * this very terminal (the session label carries the terminal's id), so a phone or office session, or one
 * carried over from another terminal, never shows personal kiosk pages.
 */
import { redirect } from "@remix-run/node";
import { getSessionUser, type SessionUser } from "~/modules/identity/session.server";
import { kioskDeviceOf, kioskSessionLabel, type KioskDevice } from "./devices.server";
import { prisma } from "~/db.server";

/** Headers of every kiosk answer. */
export const KIOSK_HEADERS = { "Cache-Control": "no-store" } as const;

/**
 * Signing out on a terminal: empty the browser's HTTP cache too. Not "storage" or "cookies": those would also
 * remove the terminal's device cookie and un-enrol it.
 */
export const KIOSK_SIGN_OUT_HEADERS = { ...KIOSK_HEADERS, "Clear-Site-Data": '"cache"' } as const;

/** The enrolled terminal of this request or a redirect to the board (which explains what it is for). */
export async function requireKioskDevice(request: Request): Promise<KioskDevice> {
  const device = await kioskDeviceOf(request);
  if (!device) throw redirect("/kiosk", { headers: KIOSK_HEADERS });
  return device;
}

/** The worker signed in on this terminal, or a redirect to the board. */
export async function requireKioskUser(
  request: Request,
): Promise<{ device: KioskDevice; user: SessionUser }> {
  const device = await requireKioskDevice(request);
  const user = await getSessionUser(request);
  if (!user || user.sessionKind !== "kiosk" || !(await isSessionOfDevice(user.sessionId, device))) {
    throw redirect("/kiosk", { headers: KIOSK_HEADERS });
  }
  return { device, user };
}

async function isSessionOfDevice(sessionId: string, device: KioskDevice): Promise<boolean> {
  const session = await prisma.session.findUnique({ where: { id: sessionId }, select: { label: true } });
  return session?.label === kioskSessionLabel(device);
}
