import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { digestToken } from "~/modules/digests/token.server";
import { sessionCookie } from "~/modules/identity/session.server";
import { buildDigestDelivery, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { getRequest, routeContext, settle } from "../../tests/support/routes";
import { loader as pageLoader } from "./d.$token";
import { loader as clickLoader } from "./d.$token_.naar.$index";
import { loader as notificationsLoader } from "./meldingen";

setupTestDatabase();

type Built = Awaited<ReturnType<typeof buildDigestDelivery>>;
let built: Built;
let token: string;

const open = (tokenParam: string, query = "?k=sms") =>
  settle(
    pageLoader({
      request: getRequest(`/d/${tokenParam}${query}`, null),
      params: { token: tokenParam },
      context: routeContext,
    }),
  );
const click = (tokenParam: string, index: string, query = "?k=sms") =>
  settle(
    clickLoader({
      request: getRequest(`/d/${tokenParam}/naar/${index}${query}`, null),
      params: { token: tokenParam, index },
      context: routeContext,
    }),
  );

/** The headers a loader's `data(…, { headers })` or Response carried. */
async function headersOf(work: Promise<unknown>): Promise<Headers> {
  const result: unknown = await work.catch((thrown: unknown) => thrown);
  if (result instanceof Response) return result.headers;
  const init = (result as { init?: { headers?: HeadersInit } }).init;
  return new Headers(init?.headers);
}

beforeAll(async () => {
  const user = await buildUser({ isFieldWorker: true });
  built = await buildDigestDelivery({ userId: user.id, channel: "sms", delivery: { status: "sent" } });
  token = digestToken(built.digest.id);
});

describe("/d/<token>", () => {
  it("shows the digest without a sign-in, privately, unindexed and without a referrer", async () => {
    const page = await open(token);
    expect(page.status).toBe(200);
    const body = page.body as { state: string; digest: { items: { title: string }[]; links: string[] } };
    expect(body.state).toBe("ok");
    expect(body.digest.items.map((item) => item.title)).toEqual([
      "Nieuwe regeling voor werkkledij",
      "Sneeuwruiming: extra permanentie",
    ]);
    expect(body.digest.links).toEqual([`/d/${token}/naar/0?k=sms`, `/d/${token}/naar/1?k=sms`]);
    const headers = await headersOf(
      pageLoader({ request: getRequest(`/d/${token}`, null), params: { token }, context: routeContext }),
    );
    expect(headers.get("Cache-Control")).toBe("private, no-cache");
    expect(headers.get("X-Robots-Tag")).toBe("noindex");
    expect(headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("records the first open on the digest and on the delivery of its channel", async () => {
    const digest = await prisma.digest.findUniqueOrThrow({ where: { id: built.digest.id } });
    expect(digest.openedAt).not.toBeNull();
    const delivery = await prisma.digestDelivery.findUniqueOrThrow({ where: { id: built.delivery.id } });
    expect(delivery.status).toBe("opened");
    const firstOpen = delivery.openedAt;
    await open(token);
    const again = await prisma.digestDelivery.findUniqueOrThrow({ where: { id: built.delivery.id } });
    expect(again.openedAt).toEqual(firstOpen);
  });

  it("records a click and redirects to the item's page; a later open does not undo the click", async () => {
    const clicked = await click(token, "1");
    expect(clicked.status).toBe(303);
    expect(clicked.location).toBe("/berichten/abc");
    const delivery = await prisma.digestDelivery.findUniqueOrThrow({ where: { id: built.delivery.id } });
    expect(delivery.status).toBe("clicked");
    expect(delivery.clickedAt).not.toBeNull();
    await open(token);
    const after = await prisma.digestDelivery.findUniqueOrThrow({ where: { id: built.delivery.id } });
    expect(after.status).toBe("clicked");
  });

  it("never redirects outside the app, whatever the index or the stored url", async () => {
    for (const index of ["2", "-1", "01x", "../../admin", "9999"]) {
      const result = await click(token, index);
      expect(result.status).toBe(303);
      expect(result.location).toBe(`/d/${encodeURIComponent(token)}?k=sms`);
    }
    const user = await buildUser();
    for (const url of [
      "https://evil.example/phish",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
    ]) {
      const evil = await buildDigestDelivery({
        userId: user.id,
        channel: "email",
        items: [
          {
            kind: "announcement",
            id: "a1",
            title: "Klik hier",
            summary: "",
            url,
            priority: 0,
            urgent: false,
            date: new Date().toISOString(),
          },
        ],
      });
      const evilToken = digestToken(evil.digest.id);
      const result = await click(evilToken, "0", "?k=email");
      expect(result.location?.startsWith(`/d/${evilToken}`)).toBe(true);
    }
  });

  it("answers 404 for a tampered or borrowed token and 410 for an expired or revoked one", async () => {
    const [id, signature] = token.split(".");
    const other = await buildDigestDelivery({ userId: built.digest.userId, channel: "sms" });
    const tampered = [
      `${id}.${"A".repeat(22)}`,
      `${other.digest.id}.${signature}`,
      id!,
      `${token}x`,
      "..%2F..%2Fadmin",
    ];
    for (const bad of tampered) {
      const page = await open(bad);
      expect(page.status).toBe(404);
      expect((page.body as { state: string }).state).toBe("not_found");
    }
    await prisma.digest.update({
      where: { id: other.digest.id },
      data: { tokenExpiresAt: new Date(Date.now() - 1000) },
    });
    expect((await open(digestToken(other.digest.id))).status).toBe(410);
    await prisma.digest.update({
      where: { id: other.digest.id },
      data: { tokenExpiresAt: new Date(Date.now() + 3600_000), tokenRevokedAt: new Date() },
    });
    expect((await open(digestToken(other.digest.id))).status).toBe(410);
    // A click through an expired link goes back to the page that explains it.
    expect((await click(digestToken(other.digest.id), "0")).location).toBe(
      `/d/${digestToken(other.digest.id)}?k=sms`,
    );
    const untouched = await prisma.digestDelivery.findUniqueOrThrow({ where: { id: other.delivery.id } });
    expect(untouched.status).toBe("queued");
  });

  it("opens nothing else: the token is not a session", async () => {
    // Even signed as a session cookie, a digest token names no session.
    const cookie = (await sessionCookie().serialize(token)).split(";")[0]!;
    const request = getRequest("/meldingen", null, { Cookie: cookie });
    const result = await settle(notificationsLoader({ request, params: {}, context: routeContext }));
    expect(result.status).toBe(302);
    expect(result.location).toMatch(/^\/inloggen/);
  });
});
