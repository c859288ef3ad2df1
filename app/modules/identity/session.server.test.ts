import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  createUserSession,
  getSessionUser,
  logout,
  requirePermission,
  requireUser,
  revokeUserSessions,
  safeRedirectPath,
} from "./session.server";

setupTestDatabase();

const requestWith = (setCookie: string, url = "http://localhost:3000/") =>
  new Request(url, { headers: { Cookie: setCookie.split(";")[0]! } });

afterEach(() => {
  vi.useRealTimers();
});

describe("sessions", () => {
  it("creates a session whose cookie identifies the user and their roles", async () => {
    const user = await buildUser({}, ["editor"]);
    const cookie = await createUserSession({ userId: user.id, method: "dev" });
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const sessionUser = await getSessionUser(requestWith(cookie));
    expect(sessionUser?.id).toBe(user.id);
    expect(sessionUser?.roles).toEqual(["employee", "editor"]);
  });

  it("rotates the session id at login and removes the previous session", async () => {
    const user = await buildUser();
    const first = await createUserSession({ userId: user.id, method: "dev" });
    const second = await createUserSession({
      userId: user.id,
      method: "dev",
      previousCookieHeader: first.split(";")[0],
    });
    expect(second).not.toEqual(first);
    expect(await getSessionUser(requestWith(first))).toBeNull();
    expect((await getSessionUser(requestWith(second)))?.id).toBe(user.id);
  });

  it("refuses a tampered cookie", async () => {
    const user = await buildUser();
    const cookie = await createUserSession({ userId: user.id, method: "dev" });
    const [pair] = cookie.split(";");
    const tampered = pair!.slice(0, -3) + (pair!.endsWith("AAA") ? "BBB" : "AAA");
    expect(
      await getSessionUser(new Request("http://localhost/", { headers: { Cookie: tampered } })),
    ).toBeNull();
  });

  it("expires after the idle timeout", async () => {
    const user = await buildUser();
    const cookie = await createUserSession({ userId: user.id, method: "dev" });
    await prisma.session.updateMany({
      where: { userId: user.id },
      data: { lastActiveAt: new Date(Date.now() - 121 * 60_000) },
    });
    expect(await getSessionUser(requestWith(cookie))).toBeNull();
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("keeps a field worker's device session for months, idle or not, with a cookie that lasts as long", async () => {
    const user = await buildUser({ isFieldWorker: true });
    const cookie = await createUserSession({
      userId: user.id,
      method: "sms",
      kind: "device",
      label: "Android",
    });
    expect(cookie).toMatch(new RegExp(`Max-Age=${90 * 24 * 3600}`));
    const row = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(row).toMatchObject({ kind: "device", method: "sms", label: "Android" });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(90 * 24 * 3600_000);
    // A week without opening the app is normal for a phone; a web session would be gone after two hours.
    await prisma.session.updateMany({
      where: { userId: user.id },
      data: { lastActiveAt: new Date(Date.now() - 7 * 24 * 3600_000) },
    });
    expect(await getSessionUser(requestWith(cookie))).toMatchObject({ id: user.id, sessionKind: "device" });
  });

  it("ends a kiosk session after 60 seconds without a request, and keeps no cookie past the browser", async () => {
    const user = await buildUser({ isFieldWorker: true });
    const cookie = await createUserSession({ userId: user.id, method: "pin", kind: "kiosk", label: "Kiosk" });
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
    expect(await getSessionUser(requestWith(cookie))).toMatchObject({ sessionKind: "kiosk" });
    // Every request counts as activity for a kiosk session (the 60 s limit needs it).
    await prisma.session.updateMany({
      where: { userId: user.id },
      data: { lastActiveAt: new Date(Date.now() - 50_000) },
    });
    expect(await getSessionUser(requestWith(cookie))).not.toBeNull();
    const touched = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(Date.now() - touched.lastActiveAt.getTime()).toBeLessThan(5_000);
    await prisma.session.updateMany({
      where: { userId: user.id },
      data: { lastActiveAt: new Date(Date.now() - 61_000) },
    });
    expect(await getSessionUser(requestWith(cookie))).toBeNull();
  });

  it("keeps a kiosk session on the kiosk pages", async () => {
    const user = await buildUser({ isFieldWorker: true });
    const cookie = await createUserSession({ userId: user.id, method: "pin", kind: "kiosk" });
    const thrown = await requireUser(requestWith(cookie, "http://localhost:3000/circulaires")).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).headers.get("Location")).toBe("/kiosk/mijn");
    expect(await requireUser(requestWith(cookie, "http://localhost:3000/kiosk/mijn"))).toMatchObject({
      id: user.id,
    });
    expect(await requireUser(requestWith(cookie, "http://localhost:3000/kiosk/mijn.data"))).toMatchObject({
      id: user.id,
    });
    expect(await requireUser(requestWith(cookie, "http://localhost:3000/kiosk.data"))).toMatchObject({
      id: user.id,
    });
    const kioskish = await requireUser(requestWith(cookie, "http://localhost:3000/kiosken")).catch(
      (e: unknown) => e,
    );
    expect((kioskish as Response).headers.get("Location")).toBe("/kiosk/mijn");
  });

  it("expires at the absolute deadline even when active", async () => {
    const user = await buildUser();
    const cookie = await createUserSession({ userId: user.id, method: "dev" });
    await prisma.session.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await getSessionUser(requestWith(cookie))).toBeNull();
  });

  it("ends the session of a deactivated user", async () => {
    const user = await buildUser();
    const cookie = await createUserSession({ userId: user.id, method: "dev" });
    await prisma.user.update({ where: { id: user.id }, data: { active: false } });
    expect(await getSessionUser(requestWith(cookie))).toBeNull();
  });

  it("applies role changes to existing sessions at once", async () => {
    const user = await buildUser();
    const cookie = await createUserSession({ userId: user.id, method: "dev" });
    await expect(requirePermission(requestWith(cookie), "read:admin")).rejects.toMatchObject({ status: 403 });
    await prisma.roleAssignment.create({ data: { userId: user.id, role: "admin", source: "admin" } });
    await expect(requirePermission(requestWith(cookie), "read:admin")).resolves.toMatchObject({
      id: user.id,
    });
  });

  it("logs out and revokes every session", async () => {
    const user = await buildUser();
    const a = await createUserSession({ userId: user.id, method: "dev" });
    const b = await createUserSession({ userId: user.id, method: "dev" });
    const cleared = await logout(requestWith(a));
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(await getSessionUser(requestWith(a))).toBeNull();
    expect(await revokeUserSessions(user.id)).toBe(1);
    expect(await getSessionUser(requestWith(b))).toBeNull();
  });

  it("redirects anonymous visitors to the login page with a safe return path", async () => {
    const response = await requireUser(new Request("http://localhost:3000/profiel?tab=1")).catch(
      (r: Response) => r,
    );
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).headers.get("Location")).toBe("/inloggen?terug=%2Fprofiel%3Ftab%3D1");
  });
});

describe("safeRedirectPath", () => {
  it.each([
    ["/profiel", "/profiel"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/", "/"],
    [null, "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });
});
