/**
 * Kiosk mode through its routes: only enrolled terminals open it, the enrolment link works once, the board
 * shows only what is for everyone, PIN sign-in (and its lock) opens a 60-second kiosk session bound to the
 * terminal, the worker confirms circulars, and every answer forbids caching.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { csrfCookieName } from "~/modules/identity/csrf.server";
import { claimEnrolment, enrolKioskDevice, kioskDeviceCookie } from "~/modules/kiosk/devices.server";
import { setKioskPin } from "~/modules/kiosk/pin.server";
import {
  buildDepartment,
  buildDigestDelivery,
  buildKioskDevice,
  buildPost,
  buildPublishedCircular,
  buildUser,
} from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { formPost, ROUTE_CSRF, routeContext, settle, signIn, type Visitor } from "../../tests/support/routes";
import * as admin from "./admin.kiosks";
import * as actief from "./kiosk.actief";
import * as afmelden from "./kiosk.afmelden";
import * as aanmelden from "./kiosk.aanmelden";
import * as board from "./kiosk._index";
import * as circularPage from "./kiosk.circulaire.$year.$seq";
import * as koppelen from "./kiosk.koppelen.$code";
import * as mijn from "./kiosk.mijn";

setupTestDatabase();

const csrfPart = `${csrfCookieName()}=${encodeURIComponent(ROUTE_CSRF)}`;
const cookiePart = (setCookie: string) => setCookie.split(";")[0]!;

/** A browser on a terminal: its device cookie, maybe a session cookie, always the CSRF cookie. */
async function terminal(token: string | null, sessionSetCookie?: string): Promise<Visitor> {
  const parts = [csrfPart];
  if (token) parts.push(cookiePart(await kioskDeviceCookie().serialize(token)));
  if (sessionSetCookie) parts.push(cookiePart(sessionSetCookie));
  return { id: "terminal", cookie: parts.join("; ") };
}

const get = (path: string, who: Visitor) =>
  new Request(`http://localhost:3000${path}`, { headers: { Cookie: who.cookie } });

/** The headers a loader or action answered with, whether it returned `data(…)` or a Response. */
async function answerHeaders(work: Promise<unknown>): Promise<Headers> {
  let result: unknown;
  try {
    result = await work;
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) return result.headers;
  const init = (result as { init?: { headers?: HeadersInit } | null }).init;
  return new Headers(init?.headers);
}

/** A worker with a PIN, signed in on the terminal; returns the browser and the worker. */
async function signedInWorker(token: string, overrides: Parameters<typeof buildUser>[0] = {}) {
  const worker = await buildUser({ isFieldWorker: true, ...overrides });
  await setKioskPin(worker.id, "2791", "2791");
  const browser = await terminal(token);
  const result = await settle(
    aanmelden.action({
      request: formPost("/kiosk/aanmelden", browser, { employeeNumber: worker.employeeNumber!, pin: "2791" }),
      params: {},
      context: routeContext,
    }),
  );
  expect(result.status).toBe(303);
  expect(result.location).toBe("/kiosk/mijn");
  const setCookie = result.response!.headers.get("Set-Cookie")!;
  return { worker, browser: await terminal(token, setCookie), setCookie };
}

describe("terminals", () => {
  it("refuses a browser that is not an enrolled terminal, with a page that says what the kiosk is", async () => {
    const nobody = await terminal(null);
    const page = await settle(
      board.loader({ request: get("/kiosk", nobody), params: {}, context: routeContext }),
    );
    expect(page.status).toBe(403);
    expect(page.body).toMatchObject({ enrolled: false });
    const forged = await terminal("A".repeat(43));
    expect(
      (await settle(board.loader({ request: get("/kiosk", forged), params: {}, context: routeContext })))
        .status,
    ).toBe(403);
    for (const route of [aanmelden, mijn]) {
      const answer = await settle(
        route.loader({ request: get("/kiosk/x", nobody), params: {}, context: routeContext }),
      );
      expect(answer.location).toBe("/kiosk");
    }
  });

  it("enrols a terminal through a one-time link from /admin/kiosks, and revoking it closes the kiosk", async () => {
    const sofie = await signIn({}, ["admin"]);
    const employee = await signIn();
    const forbidden = await settle(
      admin.loader({ request: get("/admin/kiosks", employee), params: {}, context: routeContext }),
    );
    expect(forbidden.status).toBe(403);
    const enrolled = await settle(
      admin.action({
        request: formPost("/admin/kiosks", sofie, {
          intent: "enrol",
          name: "Werkplaats Proeftuin",
          location: "Loods 2",
        }),
        params: {},
        context: routeContext,
      }),
    );
    const link = (enrolled.body as { ok: true; enrolled: { link: string } }).enrolled.link;
    const code = link.split("/kiosk/koppelen/")[1]!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const refusedName = await settle(
      admin.action({
        request: formPost("/admin/kiosks", sofie, { intent: "enrol", name: " " }),
        params: {},
        context: routeContext,
      }),
    );
    expect(refusedName).toMatchObject({ status: 400, body: { ok: false, error: "invalid_name" } });
    expect(await prisma.kioskDevice.count({ where: { name: " " } })).toBe(0);

    const browser = await terminal(null);
    const confirm = await settle(
      koppelen.loader({
        request: get(`/kiosk/koppelen/${code}`, browser),
        params: { code },
        context: routeContext,
      }),
    );
    expect(confirm.body).toMatchObject({ device: { name: "Werkplaats Proeftuin", location: "Loods 2" } });
    const claim = () =>
      settle(
        koppelen.action({
          request: formPost(`/kiosk/koppelen/${code}`, browser, {}),
          params: { code },
          context: routeContext,
        }),
      );
    const claimed = await claim();
    expect(claimed.status).toBe(303);
    const deviceCookie = claimed.response!.headers.get("Set-Cookie")!;
    expect(deviceCookie).toMatch(/HttpOnly/i);
    expect(deviceCookie).toMatch(/Max-Age=\d{8}/);
    expect((await claim()).status).toBe(404);

    const token = (await kioskDeviceCookie().parse(deviceCookie)) as string;
    const onTerminal = await terminal(token);
    const open = await settle(
      board.loader({ request: get("/kiosk", onTerminal), params: {}, context: routeContext }),
    );
    expect(open.body).toMatchObject({ enrolled: true, device: { name: "Werkplaats Proeftuin" } });

    const { browser: signedIn } = await signedInWorker(token);
    const device = await prisma.kioskDevice.findFirstOrThrow({ where: { name: "Werkplaats Proeftuin" } });
    const revoked = await settle(
      admin.action({
        request: formPost("/admin/kiosks", sofie, { intent: "revoke", deviceId: device.id }),
        params: {},
        context: routeContext,
      }),
    );
    expect(revoked.status).toBe(303);
    expect(await prisma.session.count({ where: { kind: "kiosk", label: { contains: device.id } } })).toBe(0);
    expect(
      (await settle(board.loader({ request: get("/kiosk", onTerminal), params: {}, context: routeContext })))
        .status,
    ).toBe(403);
    expect(
      (
        await settle(
          mijn.loader({ request: get("/kiosk/mijn", signedIn), params: {}, context: routeContext }),
        )
      ).location,
    ).toBe("/kiosk");
  });

  it("does not let an enrolment code stand in for a device token, nor an expired link enrol", async () => {
    const owner = await buildUser({}, ["admin"]);
    const fresh = await enrolKioskDevice({
      name: "Nog niet gekoppeld",
      location: null,
      enrolledById: owner.id,
    });
    const asToken = await terminal(fresh.code.padEnd(43, "A"));
    expect(
      (await settle(board.loader({ request: get("/kiosk", asToken), params: {}, context: routeContext })))
        .status,
    ).toBe(403);
    const old = await enrolKioskDevice({
      name: "Te laat",
      location: null,
      enrolledById: owner.id,
      now: new Date(Date.now() - 25 * 3600_000),
    });
    expect(await claimEnrolment(old.code)).toBeNull();
  });
});

describe("the board", () => {
  it("shows announcements and urgent circulars for everyone, nothing addressed to some, nothing personal", async () => {
    const { token } = await buildKioskDevice();
    const department = await buildDepartment();
    const author = await buildUser({ displayName: "Fatima Communicatie" }, ["communicator"]);
    const everyone = await buildPost({
      authorId: author.id,
      kind: "announcement",
      text: "Zoutstrooiers: iedereen om 6 uur paraat",
      pinnedUntil: new Date(Date.now() + 3600_000),
    });
    await buildPost({
      authorId: author.id,
      kind: "announcement",
      text: "Alleen voor de groendienst",
      audience: [`department:${department.id}`, `user:${author.id}`],
    });
    await buildPost({ authorId: author.id, text: "Een gewoon bericht aan iedereen" });
    await buildPost({
      authorId: author.id,
      kind: "announcement",
      text: "Verborgen aankondiging",
      hiddenAt: new Date(),
    });
    const urgent = await buildPublishedCircular({ versions: [{ title: "Nieuwe veiligheidsschoenen" }] });
    await buildPublishedCircular({
      versions: [{ title: "Alleen voor een dienst" }],
      audience: [`department:${department.id}`],
    });
    await buildPublishedCircular({
      versions: [{ title: "Geen bevestiging nodig" }],
      requiresAcknowledgement: false,
    });

    const page = await settle(
      board.loader({ request: get("/kiosk", await terminal(token)), params: {}, context: routeContext }),
    );
    const body = page.body as {
      announcements: { id: string; pinned: boolean }[];
      circulars: { number: string }[];
    };
    expect(body.announcements.map((a) => a.id)).toEqual([everyone.id]);
    expect(body.announcements[0]!.pinned).toBe(true);
    expect(body.circulars.map((c) => c.number)).toContain(urgent.number);
    const text = JSON.stringify(body);
    for (const hidden of ["Alleen voor", "Geen bevestiging", "gewoon bericht", "Verborgen", "Fatima"]) {
      expect(text).not.toContain(hidden);
    }
  });

  it("forbids caching on every kiosk answer", async () => {
    const { token } = await buildKioskDevice();
    const browser = await terminal(token);
    // The board, the PIN form, and the redirect of /kiosk/mijn without a session.
    const loaders = [
      () => board.loader({ request: get("/kiosk", browser), params: {}, context: routeContext }),
      () =>
        aanmelden.loader({ request: get("/kiosk/aanmelden", browser), params: {}, context: routeContext }),
      () => mijn.loader({ request: get("/kiosk/mijn", browser), params: {}, context: routeContext }),
    ];
    for (const load of loaders) expect((await answerHeaders(load())).get("Cache-Control")).toBe("no-store");
    for (const route of [board, aanmelden, mijn]) {
      const headers = new Headers(
        route.headers({
          loaderHeaders: new Headers(),
          actionHeaders: new Headers(),
          parentHeaders: new Headers(),
          errorHeaders: undefined,
        }),
      );
      expect(headers.get("Cache-Control")).toBe("no-store");
    }
  });
});

describe("signing in at the kiosk", () => {
  it("opens a kiosk session (method pin) labelled with the terminal, and the board sends it on", async () => {
    const { token, id } = await buildKioskDevice({ name: "Werkplaats Noord" });
    const { worker, browser, setCookie } = await signedInWorker(token);
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    const session = await prisma.session.findFirstOrThrow({ where: { userId: worker.id } });
    expect(session).toMatchObject({ kind: "kiosk", method: "pin", label: `Werkplaats Noord · ${id}` });
    const again = await settle(
      board.loader({ request: get("/kiosk", browser), params: {}, context: routeContext }),
    );
    expect(again.location).toBe("/kiosk/mijn");
  });

  it("gives one answer for a wrong number or PIN, and a wait with Retry-After once the PIN is locked", async () => {
    const { token } = await buildKioskDevice();
    const worker = await buildUser();
    await setKioskPin(worker.id, "2791", "2791");
    const browser = await terminal(token);
    const attempt = (employeeNumber: string, pin: string) =>
      settle(
        aanmelden.action({
          request: formPost("/kiosk/aanmelden", browser, { employeeNumber, pin }),
          params: {},
          context: routeContext,
        }),
      );
    expect(await attempt("GE-000000002", "2791")).toMatchObject({ status: 400, body: { error: "wrong" } });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await attempt(worker.employeeNumber!, "1357"));
    expect(answers.slice(0, 4).map((a) => a.body)).toEqual(Array(4).fill({ error: "wrong" }));
    expect(answers[4]).toMatchObject({ status: 429, body: { error: "locked", waitMinutes: 15 } });
    const locked = await answerHeaders(
      aanmelden.action({
        request: formPost("/kiosk/aanmelden", browser, {
          employeeNumber: worker.employeeNumber!,
          pin: "2791",
        }),
        params: {},
        context: routeContext,
      }),
    );
    expect(Number(locked.get("Retry-After"))).toBeGreaterThan(800);
    expect(await prisma.session.count({ where: { userId: worker.id } })).toBe(0);
  });

  it("limits attempts per employee number across terminals", async () => {
    const first = await buildKioskDevice();
    const second = await buildKioskDevice();
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      const { token } = i % 2 === 0 ? first : second;
      const result = await settle(
        aanmelden.action({
          request: formPost("/kiosk/aanmelden", await terminal(token), {
            employeeNumber: "GE-123123123",
            pin: "2791",
          }),
          params: {},
          context: routeContext,
        }),
      );
      statuses.push(result.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
  });
});

describe("the worker's page", () => {
  it("shows their digest and the circulars to confirm, and confirming works", async () => {
    const { token } = await buildKioskDevice();
    const { worker, browser } = await signedInWorker(token);
    const circular = await buildPublishedCircular({ versions: [{ title: "Werken bij vriesweer" }] });
    await buildDigestDelivery({ userId: worker.id, channel: "sms" });
    const load = async () =>
      (await settle(mijn.loader({ request: get("/kiosk/mijn", browser), params: {}, context: routeContext })))
        .body as Awaited<ReturnType<typeof mijn.loader>>["data"];
    const before = await load();
    expect(before.pending.map((p) => p.number)).toContain(circular.number);
    expect(before.digest?.items.map((i) => i.title)).toEqual([
      "Nieuwe regeling voor werkkledij",
      "Sneeuwruiming: extra permanentie",
    ]);
    const confirmed = await settle(
      mijn.action({
        request: formPost("/kiosk/mijn", browser, { intent: "acknowledge", number: circular.number }),
        params: {},
        context: routeContext,
      }),
    );
    expect(confirmed.status).toBe(303);
    expect(
      await prisma.circularAcknowledgement.count({ where: { circularId: circular.id, userId: worker.id } }),
    ).toBe(1);
    expect((await load()).pending.map((p) => p.number)).not.toContain(circular.number);
    const bad = await settle(
      mijn.action({
        request: formPost("/kiosk/mijn", browser, { intent: "acknowledge", number: "9999/999" }),
        params: {},
        context: routeContext,
      }),
    );
    expect(bad).toMatchObject({ status: 404, body: { error: "notFound" } });
  });

  it("lets the worker read a circular for them at the terminal, and nothing else", async () => {
    const { token } = await buildKioskDevice();
    const { browser } = await signedInWorker(token);
    const mine = await buildPublishedCircular({
      versions: [{ paragraphs: ["Draag handschoenen bij vorst."] }],
    });
    const department = await buildDepartment();
    const theirs = await buildPublishedCircular({ audience: [`department:${department.id}`] });
    const open = (number: string) => {
      const [year, seq] = number.split("/");
      return settle(
        circularPage.loader({
          request: get(`/kiosk/circulaire/${number}`, browser),
          params: { year, seq },
          context: routeContext,
        }),
      );
    };
    const page = await open(mine.number);
    expect(page.body).toMatchObject({ number: mine.number, toConfirm: true });
    expect((page.body as { html: string }).html).toContain("Draag handschoenen bij vorst.");
    expect((await open(theirs.number)).status).toBe(404);
  });

  it("ends the kiosk session after 60 s without a request", async () => {
    const { token } = await buildKioskDevice();
    const { worker, browser } = await signedInWorker(token);
    const page = () =>
      settle(mijn.loader({ request: get("/kiosk/mijn", browser), params: {}, context: routeContext }));
    await prisma.session.updateMany({
      where: { userId: worker.id },
      data: { lastActiveAt: new Date(Date.now() - 59_000) },
    });
    expect((await page()).status).toBe(200);
    await prisma.session.updateMany({
      where: { userId: worker.id },
      data: { lastActiveAt: new Date(Date.now() - 61_000) },
    });
    expect((await page()).location).toBe("/kiosk");
    expect(await prisma.session.count({ where: { userId: worker.id } })).toBe(0);
  });

  it("keeps the session alive on input (/kiosk/actief) and answers 401 once it is gone", async () => {
    const { token } = await buildKioskDevice();
    const { worker, browser } = await signedInWorker(token);
    const ping = (token: string | null) =>
      actief.action({
        request: new Request("http://localhost:3000/kiosk/actief", {
          method: "POST",
          headers: { Cookie: browser.cookie, ...(token ? { "x-csrf-token": token } : {}) },
        }),
        params: {},
        context: routeContext,
      });
    expect((await settle(ping(null))).status).toBe(403);
    await prisma.session.updateMany({
      where: { userId: worker.id },
      data: { lastActiveAt: new Date(Date.now() - 50_000) },
    });
    expect((await settle(ping(ROUTE_CSRF))).status).toBe(204);
    const session = await prisma.session.findFirstOrThrow({ where: { userId: worker.id } });
    expect(Date.now() - session.lastActiveAt.getTime()).toBeLessThan(5_000);
    await prisma.session.deleteMany({ where: { userId: worker.id } });
    expect((await settle(ping(ROUTE_CSRF))).status).toBe(401);
  });

  it("refuses a kiosk session on another terminal and any other kind of session", async () => {
    const first = await buildKioskDevice();
    const second = await buildKioskDevice();
    const { setCookie } = await signedInWorker(first.token);
    const elsewhere = await terminal(second.token, setCookie);
    expect(
      (
        await settle(
          mijn.loader({ request: get("/kiosk/mijn", elsewhere), params: {}, context: routeContext }),
        )
      ).location,
    ).toBe("/kiosk");
    const office = await signIn();
    const officeOnTerminal: Visitor = {
      id: office.id,
      cookie: `${office.cookie}; ${cookiePart(await kioskDeviceCookie().serialize(first.token))}`,
    };
    expect(
      (
        await settle(
          mijn.loader({ request: get("/kiosk/mijn", officeOnTerminal), params: {}, context: routeContext }),
        )
      ).location,
    ).toBe("/kiosk");
  });

  it("signs out with the button: session deleted, cache cleared, the terminal stays enrolled", async () => {
    const { token } = await buildKioskDevice();
    const { worker, browser } = await signedInWorker(token);
    const result = await settle(
      afmelden.action({
        request: formPost("/kiosk/afmelden", browser, {}),
        params: {},
        context: routeContext,
      }),
    );
    expect(result.status).toBe(303);
    expect(result.location).toBe("/kiosk");
    expect(result.response!.headers.get("Clear-Site-Data")).toBe('"cache"');
    expect(result.response!.headers.get("Cache-Control")).toBe("no-store");
    expect(await prisma.session.count({ where: { userId: worker.id } })).toBe(0);
    const refused = await settle(
      afmelden.action({
        request: formPost("/kiosk/afmelden", browser, {}, null),
        params: {},
        context: routeContext,
      }),
    );
    expect(refused.status).toBe(403);
    expect(
      (await settle(board.loader({ request: get("/kiosk", browser), params: {}, context: routeContext })))
        .status,
    ).toBe(200);
  });
});
