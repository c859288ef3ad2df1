/**
 * /inloggen/code, /profiel/sessies and /profiel/kiosk-pin through their routes: the two sign-in steps with
 * the signed step cookie, the same answer for unknown numbers, 429 with Retry-After, the per-IP limit in
 * the Express app, listing and revoking sessions, and choosing a PIN.
 */
import http from "node:http";
import { type AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseEnv } from "~/env.server";
import { settleFieldSignInSends } from "~/modules/identity/field-sign-in.server";
import { createApp } from "../../server/app";
import { buildFieldWorkerWithPhone } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import {
  formPost,
  ROUTE_CSRF,
  routeContext,
  settle,
  signIn,
  signInAs,
  type Visitor,
} from "../../tests/support/routes";
import * as code from "./inloggen_.code";
import * as pinPage from "./profiel_.kiosk-pin";
import * as sessions from "./profiel_.sessies";

setupTestDatabase();

const anonymous: Visitor = { id: "", cookie: `werkplek_csrf=${encodeURIComponent(ROUTE_CSRF)}` };
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/** Posts a step of /inloggen/code as the browser `who`, whose cookies include the step cookie if any. */
function step(who: Visitor, fields: Record<string, string>) {
  const request = formPost("/inloggen/code", who, fields);
  request.headers.set("User-Agent", IPHONE);
  return settle(code.action({ request, params: {}, context: routeContext }));
}

/** The browser after a response: its cookies plus what the response set (or cleared). */
function withCookies(who: Visitor, response: Response | undefined): Visitor {
  const jar = new Map(who.cookie.split("; ").map((pair) => [pair.split("=")[0]!, pair] as const));
  for (const header of response?.headers.getSetCookie() ?? []) {
    const pair = header.split(";")[0]!;
    const name = pair.split("=")[0]!;
    if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(header)) jar.delete(name);
    else jar.set(name, pair);
  }
  return { id: who.id, cookie: [...jar.values()].join("; ") };
}

async function lastCode(userId: string): Promise<string> {
  await settleFieldSignInSends();
  const message = await prisma.outboxMessage.findFirstOrThrow({
    where: { userId, purpose: "otp_sign_in" },
    orderBy: { createdAt: "desc" },
  });
  return message.text.match(/#(\d{6})/)![1]!;
}

describe("/inloggen/code", () => {
  it("uses the CSRF cookie name the app uses", async () => {
    const { csrfCookieName } = await import("~/modules/identity/csrf.server");
    expect(anonymous.cookie.startsWith(`${csrfCookieName()}=`)).toBe(true);
  });

  it("signs a worker in with number and code, and answers an unknown number identically", async () => {
    const { user } = await buildFieldWorkerWithPhone();
    const known = await step(anonymous, {
      intent: "request",
      employeeNumber: user.employeeNumber!,
      terug: "/circulaires",
    });
    const unknown = await step(anonymous, {
      intent: "request",
      employeeNumber: "GE-555555555",
      terug: "/circulaires",
    });
    for (const answer of [known, unknown]) {
      expect(answer.status).toBe(303);
      expect(answer.location).toBe("/inloggen/code?verstuurd=1&terug=%2Fcirculaires");
      expect(answer.response!.headers.get("Set-Cookie")).toMatch(
        /^werkplek_code=.*Path=\/inloggen\/code.*HttpOnly/i,
      );
    }
    const browser = withCookies(anonymous, known.response);
    const page = await settle(
      code.loader({
        request: new Request("http://localhost:3000/inloggen/code?verstuurd=1", {
          headers: { Cookie: browser.cookie },
        }),
        params: {},
        context: routeContext,
      }),
    );
    expect(page.body).toMatchObject({ step: "code", sent: true });

    const wrong = await step(browser, {
      intent: "verify",
      code: "000000" === (await lastCode(user.id)) ? "111111" : "000000",
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: "codeWrong" } });
    const afterWrong = withCookies(browser, undefined);
    const signedIn = await step(afterWrong, {
      intent: "verify",
      code: await lastCode(user.id),
      terug: "/circulaires",
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe("/circulaires");
    const cookies = signedIn.response!.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith("werkplek_session="))).toBe(true);
    expect(cookies.some((c) => c.startsWith("werkplek_code=;") || /werkplek_code=.*Max-Age=0/.test(c))).toBe(
      true,
    );
    const session = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session).toMatchObject({ kind: "device", method: "sms", label: "iPhone — Safari" });
  });

  it("refuses a forged step cookie, a malformed number and a code without a step", async () => {
    const forged: Visitor = {
      id: "",
      cookie: `${anonymous.cookie}; werkplek_code=${encodeURIComponent("eyJuIjoiR0UtMSJ9")}`,
    };
    expect(await step(forged, { intent: "verify", code: "123456" })).toMatchObject({
      status: 400,
      body: { error: "codeUsedUp" },
    });
    expect(await step(anonymous, { intent: "request", employeeNumber: "<>" })).toMatchObject({
      status: 400,
      body: { error: "numberInvalid" },
    });
    expect(await step(anonymous, { intent: "nonsense" })).toMatchObject({
      status: 400,
      body: { error: "invalid" },
    });
    const noToken = await settle(
      code.action({
        request: formPost("/inloggen/code", anonymous, { intent: "request", employeeNumber: "GE-1" }, null),
        params: {},
        context: routeContext,
      }),
    );
    expect(noToken.status).toBe(403);
  });

  it("answers the fourth request for one number within 15 minutes with 429 and Retry-After", async () => {
    const statuses = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await code.action({
        request: formPost("/inloggen/code", anonymous, { intent: "request", employeeNumber: "GE-444444444" }),
        params: {},
        context: routeContext,
      });
      statuses.push((await settle(Promise.resolve(last))).status);
    }
    expect(statuses).toEqual([303, 303, 303, 429]);
    const init = (last as unknown as { init: { headers: Record<string, string> } }).init;
    expect(Number(init.headers["Retry-After"])).toBeGreaterThan(0);
    expect((await settle(Promise.resolve(last))).body).toMatchObject({ error: "tooMany", waitMinutes: 15 });
  });
});

describe("the per-IP limit (server/app.ts)", () => {
  const servers: http.Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  it("sends the 21st POST from one IP within 15 minutes back with fout=teVeel and Retry-After", async () => {
    await prisma.rateLimit.deleteMany();
    const server = http.createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on(
      "request",
      createApp({ env: parseEnv({ NODE_ENV: "test", APP_URL: url }), logger: pino({ level: "silent" }) }),
    );
    const statuses = [];
    let refused: Response | undefined;
    for (let i = 0; i < 21; i++) {
      const response = await fetch(`${url}/inloggen/code`, {
        method: "POST",
        headers: { Origin: url },
        redirect: "manual",
      });
      statuses.push(response.status);
      refused = response;
    }
    // Without a Remix build an allowed request falls through to a 404; the refused one never gets that far.
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(404));
    expect(statuses[20]).toBe(303);
    expect(refused!.headers.get("Location")).toMatch(/^\/inloggen\/code\?fout=teVeel&wacht=\d+$/);
    expect(Number(refused!.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});

describe("/profiel/sessies", () => {
  it("lists the person's sessions only, marks this one, and revokes one or all others", async () => {
    const me = await signIn();
    const phone = await signInAs(me.id);
    const third = await signInAs(me.id);
    const someoneElse = await signIn();
    const load = async (who: Visitor) =>
      (
        await settle(
          sessions.loader({
            request: new Request("http://localhost:3000/profiel/sessies", {
              headers: { Cookie: who.cookie },
            }),
            params: {},
            context: routeContext,
          }),
        )
      ).body as Awaited<ReturnType<typeof sessions.loader>>;
    const list = await load(me);
    expect(list.sessions).toHaveLength(3);
    expect(list.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(JSON.stringify(list)).not.toMatch(/"id"/);
    const others = (await load(someoneElse)).sessions;
    const foreign = await settle(
      sessions.action({
        request: formPost("/profiel/sessies", me, { intent: "revoke", session: others[0]!.ref }),
        params: {},
        context: routeContext,
      }),
    );
    expect(foreign.status).toBe(404);
    expect(await prisma.session.count({ where: { userId: someoneElse.id } })).toBe(1);

    const phoneRef = (await load(phone)).sessions.find((s) => s.current)!.ref;
    const revoked = await settle(
      sessions.action({
        request: formPost("/profiel/sessies", me, { intent: "revoke", session: phoneRef }),
        params: {},
        context: routeContext,
      }),
    );
    expect(revoked.location).toBe("/profiel/sessies?afgemeld=1");
    expect((await load(me)).sessions).toHaveLength(2);

    const rest = await settle(
      sessions.action({
        request: formPost("/profiel/sessies", third, { intent: "revoke-others" }),
        params: {},
        context: routeContext,
      }),
    );
    expect(rest.location).toBe("/profiel/sessies?anderen=1");
    const left = await load(third);
    expect(left.sessions).toHaveLength(1);
    expect(left.sessions[0]!.current).toBe(true);
    const noToken = await settle(
      sessions.action({
        request: formPost("/profiel/sessies", third, { intent: "revoke-others" }, null),
        params: {},
        context: routeContext,
      }),
    );
    expect(noToken.status).toBe(403);
  });
});

describe("/profiel/kiosk-pin", () => {
  it("saves a good PIN and explains why a bad one is refused, saving nothing", async () => {
    const me = await signIn({ isFieldWorker: true });
    const post = (pin: string, repeat: string) =>
      settle(
        pinPage.action({
          request: formPost("/profiel/kiosk-pin", me, { pin, repeat }),
          params: {},
          context: routeContext,
        }),
      );
    expect(await post("1234", "1234")).toMatchObject({ status: 400, body: { error: "sequence" } });
    expect(await post("2791", "2719")).toMatchObject({ status: 400, body: { error: "mismatch" } });
    expect(await post("5555", "5555")).toMatchObject({ status: 400, body: { error: "repeated" } });
    expect(await post("12", "12")).toMatchObject({ status: 400, body: { error: "format" } });
    expect(await prisma.kioskPin.count({ where: { userId: me.id } })).toBe(0);
    expect((await post("2791", "2791")).location).toBe("/profiel/kiosk-pin?bewaard=1");
    expect(await prisma.kioskPin.count({ where: { userId: me.id } })).toBe(1);
    const page = await settle(
      pinPage.loader({
        request: new Request("http://localhost:3000/profiel/kiosk-pin", { headers: { Cookie: me.cookie } }),
        params: {},
        context: routeContext,
      }),
    );
    expect(page.body).toMatchObject({ hasPin: true, lockedUntil: null });
  });
});
