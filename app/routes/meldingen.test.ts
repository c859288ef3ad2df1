import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { notify } from "~/modules/notifications/notify.server";
import { setupTestDatabase } from "../../tests/setup/database";
import {
  formPost,
  getRequest,
  ROUTE_CSRF,
  routeContext,
  settle,
  signIn,
  type Visitor,
} from "../../tests/support/routes";
import { action, loader } from "./meldingen";

setupTestDatabase();

/** The page data (a 400 answer comes wrapped in `data(…)`, which carries `init`). */
type LoaderData = Exclude<Awaited<ReturnType<typeof loader>>, { init: unknown }>;

let user: Visitor;
let other: Visitor;

const get = (who: Visitor | null, query = "") =>
  loader({ request: getRequest(`/meldingen${query}`, who), params: {}, context: routeContext });

const post = (who: Visitor, fields: Record<string, string>, token: string | null = ROUTE_CSRF) =>
  action({ request: formPost("/meldingen", who, fields, token), params: {}, context: routeContext });

beforeAll(async () => {
  user = await signIn({ locale: "nl" });
  other = await signIn({ locale: "en" });
  for (let i = 1; i <= 23; i += 1) {
    await notify({
      userId: user.id,
      type: "circular.submitted",
      data: {
        number: `2026/${String(i).padStart(3, "0")}`,
        title: `Circulaire ${i}`,
        actorName: "Pieter De Smet",
      },
      url: `/circulaires/2026/${String(i).padStart(3, "0")}`,
    });
  }
  await notify({
    userId: other.id,
    type: "circular.answered",
    data: { number: "2026/900", title: "Geheim", actorName: "An" },
    url: "/circulaires/2026/900",
  });
});

describe("/meldingen loader", () => {
  it("sends people who are not signed in to the login page", async () => {
    const result = await settle(get(null));
    expect(result.status).toBe(302);
    expect(result.location).toBe("/inloggen?terug=%2Fmeldingen");
  });

  it("lists the signed-in person's notifications in their language, 20 per page", async () => {
    const first = (await get(user)) as LoaderData;
    expect(first.unreadCount).toBe(23);
    expect(first.items).toHaveLength(20);
    expect(first.items[0]!.text).toBe(
      "Pieter De Smet vraagt je om circulaire 2026/023 ‘Circulaire 23’ na te lezen en goed te keuren.",
    );
    expect(first.items.every((item) => item.unread)).toBe(true);
    expect(first.nextCursor).toBeTruthy();

    const second = (await get(user, `?na=${first.nextCursor}`)) as LoaderData;
    expect(second.items.map((item) => item.url)).toEqual([
      "/circulaires/2026/003",
      "/circulaires/2026/002",
      "/circulaires/2026/001",
    ]);
    expect(second.nextCursor).toBeNull();

    const english = (await get(other)) as LoaderData;
    expect(english.items.map((item) => item.text)).toEqual([
      "An answered your question about circular 2026/900 ‘Geheim’.",
    ]);
  });

  it("answers 400 with a message for a page link it did not make", async () => {
    const result = await settle(get(user, "?na=bogus"));
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ badCursor: true, items: [] });
  });
});

describe("/meldingen action", () => {
  it("refuses a post without a valid CSRF token and changes nothing", async () => {
    const target = await prisma.notification.findFirstOrThrow({ where: { userId: user.id } });
    expect((await settle(post(user, { intent: "read", id: target.id }, null))).status).toBe(403);
    expect((await settle(post(user, { intent: "read-all" }, "forged.token"))).status).toBe(403);
    expect(await prisma.notification.count({ where: { userId: user.id, readAt: { not: null } } })).toBe(0);
  });

  it("rejects an unknown intent with 400", async () => {
    const result = await settle(post(user, { intent: "delete-everything" }));
    expect(result).toMatchObject({ status: 400, body: { error: "invalid" } });
  });

  it("marks one of one's own read and returns to the same page", async () => {
    const target = await prisma.notification.findFirstOrThrow({
      where: { userId: user.id },
      orderBy: { id: "asc" },
    });
    const result = await settle(post(user, { intent: "read", id: target.id, na: "abc_DEF-1" }));
    expect(result.status).toBe(302);
    expect(result.location).toBe("/meldingen?na=abc_DEF-1&bijgewerkt=1");
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: target.id } })).readAt).not.toBeNull();
    expect(((await get(user)) as LoaderData).unreadCount).toBe(22);
  });

  it("cannot mark another person's notification: 404, and theirs stays unread", async () => {
    const theirs = await prisma.notification.findFirstOrThrow({ where: { userId: other.id } });
    const result = await settle(post(user, { intent: "read", id: theirs.id }));
    expect(result).toMatchObject({ status: 404, body: { error: "notFound" } });
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull();
  });

  it("marks all of one's own read, says how many, and drops a return link that is not ours", async () => {
    const result = await settle(post(user, { intent: "read-all", na: "https://evil.example" }));
    expect(result.location).toBe("/meldingen?gelezen=22");
    const page = (await get(user, "?gelezen=22")) as LoaderData;
    expect(page).toMatchObject({ unreadCount: 0, markedAll: 22 });
    expect(((await get(other)) as LoaderData).unreadCount).toBe(1);
  });
});
