/**
 * Server-side sessions. The cookie carries only a signed session id; the row in `Session` holds the
 * user, an idle and an absolute deadline, so sessions can be revoked and role changes apply at once.
 */
import { randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { prisma } from "~/db.server";
import { getEnv, sessionSecrets } from "~/env.server";
import { hasPermission, isRole, type Permission, type Role } from "./permissions";

/** Avoids a write on every request: activity is recorded at most once a minute. */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

let cookie: ReturnType<typeof createCookie> | undefined;

/** The session cookie: signed, httpOnly, SameSite=Lax, Secure and `__Host-` prefixed in production. */
export function sessionCookie() {
  if (!cookie) {
    const env = getEnv();
    cookie = createCookie(env.isProduction ? "__Host-werkplek_session" : "werkplek_session", {
      httpOnly: true,
      sameSite: "lax",
      secure: env.isProduction,
      path: "/",
      secrets: sessionSecrets(env),
      maxAge: env.SESSION_ABSOLUTE_HOURS * 3600,
    });
  }
  return cookie;
}

/** Forget the cookie definition (tests switch configuration). */
export function resetSessionCookie() {
  cookie = undefined;
}

export type SessionUser = {
  id: string;
  sessionId: string;
  sessionKind: SessionKind;
  displayName: string;
  email: string | null;
  jobTitle: string | null;
  locale: string;
  isFieldWorker: boolean;
  department: { id: string; name: string; parentId: string | null; parentName: string | null } | null;
  roles: Role[];
};

/**
 * Kinds of session, each with its own lifetime:
 * - web: a browser sign-in (Entra ID, dev); SESSION_IDLE_MINUTES idle, SESSION_ABSOLUTE_HOURS at most;
 * - device: a field worker's own phone (installed app, employee number + SMS code); DEVICE_SESSION_DAYS
 *   without use, revocable from /profiel/sessies;
 * - kiosk: a shared terminal (employee number + PIN); ends after 60 s without input, and the cookie lives
 *   only as long as the browser.
 */
export const SESSION_KINDS = ["web", "device", "kiosk"] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export type SessionMethod = "entra" | "dev" | "sms" | "pin";

/** A kiosk session ends after this long without a request. */
export const KIOSK_IDLE_MS = 60_000;
const KIOSK_ABSOLUTE_MS = 30 * 60_000;

function sessionKindOf(value: string): SessionKind {
  return (SESSION_KINDS as readonly string[]).includes(value) ? (value as SessionKind) : "web";
}

/** How long a session of this kind may go unused. */
export function sessionIdleLimitMs(kind: string, env = getEnv()): number {
  const k = sessionKindOf(kind);
  if (k === "kiosk") return KIOSK_IDLE_MS;
  if (k === "device") return env.DEVICE_SESSION_DAYS * 24 * 3600_000;
  return env.SESSION_IDLE_MINUTES * 60_000;
}

/** The absolute lifetime of a session of this kind. */
export function sessionAbsoluteMs(kind: string, env = getEnv()): number {
  const k = sessionKindOf(kind);
  if (k === "kiosk") return KIOSK_ABSOLUTE_MS;
  if (k === "device") return env.DEVICE_SESSION_DAYS * 24 * 3600_000;
  return env.SESSION_ABSOLUTE_HOURS * 3600_000;
}

/** Creates a fresh session (a new id at every login, so a fixed session id cannot be planted) and returns its cookie. */
export async function createUserSession(input: {
  userId: string;
  method: SessionMethod;
  kind?: SessionKind;
  /** Shown in the person's list of sessions ("Android-telefoon", "Kiosk Proeftuinstraat"). */
  label?: string | null;
  previousCookieHeader?: string | null;
}): Promise<string> {
  const kind = input.kind ?? "web";
  const previous = await readSessionId(input.previousCookieHeader ?? null);
  if (previous) await prisma.session.deleteMany({ where: { id: previous } });
  const id = randomBytes(32).toString("base64url");
  const now = new Date();
  const absoluteMs = sessionAbsoluteMs(kind);
  await prisma.$transaction([
    prisma.session.create({
      data: {
        id,
        userId: input.userId,
        kind,
        method: input.method,
        label: input.label?.slice(0, 100) ?? null,
        createdAt: now,
        lastActiveAt: now,
        expiresAt: new Date(now.getTime() + absoluteMs),
      },
    }),
    prisma.user.update({ where: { id: input.userId }, data: { lastLoginAt: now } }),
  ]);
  // Kiosk: a browser-session cookie, gone when the terminal's browser closes; device: as long as the session.
  if (kind === "kiosk") return sessionCookie().serialize(id, { maxAge: undefined, expires: undefined });
  return sessionCookie().serialize(id, { maxAge: Math.round(absoluteMs / 1000) });
}

async function readSessionId(cookieHeader: string | null): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(cookieHeader);
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The signed-in user of this request, or null when there is no valid, unexpired session. */
export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  const sessionId = await readSessionId(request.headers.get("Cookie"));
  if (!sessionId) return null;
  const session = await prisma.session.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      kind: true,
      lastActiveAt: true,
      expiresAt: true,
      user: {
        select: {
          id: true,
          active: true,
          displayName: true,
          email: true,
          jobTitle: true,
          locale: true,
          isFieldWorker: true,
          department: {
            select: { id: true, name: true, parentId: true, parent: { select: { name: true } } },
          },
          roles: { select: { role: true } },
        },
      },
    },
  });
  if (!session) return null;
  const now = Date.now();
  const idleLimit = sessionIdleLimitMs(session.kind);
  if (
    !session.user.active ||
    session.expiresAt.getTime() <= now ||
    now - session.lastActiveAt.getTime() > idleLimit
  ) {
    await prisma.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  // A kiosk session's 60 s idle limit needs every request recorded; others at most once a minute.
  const writeInterval = session.kind === "kiosk" ? 0 : ACTIVITY_WRITE_INTERVAL_MS;
  if (now - session.lastActiveAt.getTime() > writeInterval) {
    await prisma.session.update({ where: { id: session.id }, data: { lastActiveAt: new Date(now) } });
  }
  const { user } = session;
  return {
    id: user.id,
    sessionId: session.id,
    sessionKind: sessionKindOf(session.kind),
    displayName: user.displayName,
    email: user.email,
    jobTitle: user.jobTitle,
    locale: user.locale,
    isFieldWorker: user.isFieldWorker,
    department: user.department
      ? {
          id: user.department.id,
          name: user.department.name,
          parentId: user.department.parentId,
          parentName: user.department.parent?.name ?? null,
        }
      : null,
    roles: [
      "employee",
      ...user.roles.map((r) => r.role).filter((role) => isRole(role) && role !== "employee"),
    ],
  };
}

/** A safe in-app path to return to after login: relative, never to another origin. */
export function safeRedirectPath(
  target: FormDataEntryValue | string | null | undefined,
  fallback = "/",
): string {
  if (
    typeof target !== "string" ||
    !target.startsWith("/") ||
    target.startsWith("//") ||
    target.startsWith("/\\")
  ) {
    return fallback;
  }
  return target;
}

/** Whether a path belongs to the kiosk pages, the only ones a kiosk session may open. */
export function isKioskPath(pathname: string): boolean {
  // "/kiosk.data" is the single-fetch data request of the /kiosk page itself.
  return pathname === "/kiosk" || pathname === "/kiosk.data" || pathname.startsWith("/kiosk/");
}

/**
 * Returns the signed-in user or redirects to the login page, remembering where the person was going. A kiosk
 * session is sent back to /kiosk/mijn from any page outside the kiosk.
 */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  const url = new URL(request.url);
  if (user) {
    // A shared terminal's session reads the worker's digest and acknowledges circulars on the kiosk pages,
    // and nothing else: the rest of the intranet is for their own phone or a PC.
    if (user.sessionKind === "kiosk" && !isKioskPath(url.pathname)) throw redirect("/kiosk/mijn");
    return user;
  }
  const back = safeRedirectPath(url.pathname + url.search);
  const params = back === "/" ? "" : `?${new URLSearchParams({ terug: back })}`;
  throw redirect(`/inloggen${params}`);
}

/** Returns the signed-in user when they hold the permission, otherwise throws 403. */
export async function requirePermission(request: Request, permission: Permission): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasPermission(user, permission)) {
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

/** Ends the session of this request and returns the Set-Cookie header that clears the cookie. */
export async function logout(request: Request): Promise<string> {
  const sessionId = await readSessionId(request.headers.get("Cookie"));
  if (sessionId) await prisma.session.deleteMany({ where: { id: sessionId } });
  return sessionCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

/** Revokes every session of a user (role changes, leavers, "sign out everywhere"). */
export async function revokeUserSessions(userId: string): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { userId } });
  return count;
}
