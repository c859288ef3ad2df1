/**
 * Field workers' phone as the browser sees it: a web push message delivered to the service worker (through
 * the DevTools protocol, as a push service would) becomes a notification with an "Openen" action; and the
 * circulars a worker opened stay readable offline, are listed on the offline page and are gone after
 * signing out. The push control and the subscription API are covered by their unit and route tests; here
 * Chromium cannot subscribe for real (that needs Google's push service).
 */
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { buildPushPayload } from "../../app/modules/channels/push-payload";
import { DEMO, expectNoSeriousA11yViolations, login, NOBODY, signedInAs } from "./fixtures";

const OFFLINE_CACHE = "werkplek-offline-reading";
// Seed data (prisma/seed-circulars-data.ts): for field workers only, so Marc can read it.
const CIRCULAR = {
  path: "/circulaires/2021/019",
  title: "Werkkledij en persoonlijke beschermingsmiddelen",
};

/** Waits until the service worker is active and controls the page (clients.claim() ran). */
async function serviceWorkerInControl(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.ready;
          return registration.active?.state === "activated" && navigator.serviceWorker.controller !== null;
        }),
      { timeout: 20_000 },
    )
    .toBe(true);
}

/** The paths kept in the offline-reading cache (empty when the cache does not exist). */
async function keptPaths(page: Page): Promise<string[]> {
  return page.evaluate(async (name) => {
    if (!(await caches.has(name))) return [];
    const cache = await caches.open(name);
    return (await cache.keys()).map((request) => new URL(request.url).pathname).sort();
  }, OFFLINE_CACHE);
}

/** The service worker registration id and origin, as the DevTools protocol knows them. */
async function registrationOf(context: BrowserContext, page: Page, origin: string) {
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const live = registrations.find(
        (registration) => !registration.isDeleted && registration.scopeURL === `${origin}/`,
      );
      if (live) resolve(live.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  return { cdp, registrationId: await registrationId };
}

type ShownNotification = {
  title: string;
  body: string;
  tag: string;
  icon: string;
  data: unknown;
  actions: { action: string; title: string }[];
};

async function shownNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const notifications = await registration.getNotifications();
    return notifications.map((notification) => ({
      title: notification.title,
      body: notification.body,
      tag: notification.tag,
      icon: notification.icon,
      data: notification.data as unknown,
      actions: [
        ...((notification as Notification & { actions?: { action: string; title: string }[] }).actions ?? []),
      ].map(({ action, title }) => ({ action, title })),
    }));
  });
}

test.describe("web push in the service worker", () => {
  test.use(signedInAs(DEMO.fieldWorker));

  test("a push message becomes a notification with an Openen action and the digest URL", async ({
    page,
    context,
    baseURL,
  }) => {
    const origin = new URL(baseURL!).origin;
    await context.grantPermissions(["notifications"], { origin });
    await page.goto("/");
    await serviceWorkerInControl(page);
    const { cdp, registrationId } = await registrationOf(context, page, origin);

    const built = buildPushPayload({
      title: "Dagoverzicht voor Marc",
      body: "1 nieuwe circulaire: Werkkledij en persoonlijke beschermingsmiddelen.",
      url: CIRCULAR.path,
      tag: "digest-e2e-1",
      urgency: "normal",
    });
    await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: built.json });

    await expect.poll(() => shownNotifications(page)).toHaveLength(1);
    const [shown] = await shownNotifications(page);
    expect(shown).toMatchObject({
      title: "Dagoverzicht voor Marc",
      body: "1 nieuwe circulaire: Werkkledij en persoonlijke beschermingsmiddelen.",
      tag: "digest-e2e-1",
      data: { url: CIRCULAR.path },
      actions: [{ action: "open", title: "Openen" }],
    });
    expect(new URL(shown!.icon).pathname).toBe("/icons/icon-192.png");

    // The same digest again replaces its notification (same tag) instead of piling up.
    await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: built.json });
    await page.waitForTimeout(500);
    expect(await shownNotifications(page)).toHaveLength(1);

    // A payload this app did not build (or an unsafe URL) still shows a neutral notification, opening home.
    const unsafe = JSON.stringify({ ...built.payload, url: "https://evil.example/", tag: "digest-e2e-2" });
    await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: unsafe });
    await expect.poll(async () => (await shownNotifications(page)).length).toBe(2);
    const neutral = (await shownNotifications(page)).find((notification) => notification.tag === "");
    expect(neutral).toMatchObject({
      title: "Werkplek",
      body: "Er is nieuws voor jou in Werkplek.",
      data: { url: "/" },
    });
    await cdp.detach();
  });
});

test.describe("offline reading", () => {
  test.use(signedInAs(DEMO.fieldWorker));

  test("a circular opened online stays readable offline and is listed on the offline page", async ({
    page,
    context,
  }) => {
    await page.goto("/");
    await serviceWorkerInControl(page);

    const response = await page.goto(CIRCULAR.path);
    // The opt-in: only this browser may keep it, and never without asking the server while online.
    expect(response?.headers()["cache-control"]).toBe("private, no-cache");
    await expect(page.getByRole("heading", { level: 1, name: CIRCULAR.title })).toBeVisible();
    await expect.poll(() => keptPaths(page)).toContain(CIRCULAR.path);

    // Pages that do not opt in are never kept.
    await page.goto("/profiel");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await keptPaths(page)).not.toContain("/profiel");

    await context.setOffline(true);
    try {
      await page.goto(CIRCULAR.path);
      await expect(page.getByRole("heading", { level: 1, name: CIRCULAR.title })).toBeVisible();
      await page.reload();
      await expect(page.getByRole("heading", { level: 1, name: CIRCULAR.title })).toBeVisible();

      // Any other page: the offline page, with what can be read offline.
      await page.goto("/organisatie");
      await expect(page.getByRole("heading", { level: 1, name: "Je bent offline" })).toBeVisible();
      await expect(page.getByRole("heading", { level: 2, name: "Dit kun je offline lezen" })).toBeVisible();
      const link = page.getByRole("link", { name: CIRCULAR.title });
      await expect(link).toHaveAttribute("href", CIRCULAR.path);
      await expectNoSeriousA11yViolations(page);
      await link.click();
      await expect(page.getByRole("heading", { level: 1, name: CIRCULAR.title })).toBeVisible();
    } finally {
      await context.setOffline(false);
    }
  });

  test("a circular reached by an in-app link (a Remix data request) is kept too", async ({ page }) => {
    await page.goto("/circulaires?q=werkkledij");
    await serviceWorkerInControl(page);
    await page.getByRole("main").getByRole("link", { name: CIRCULAR.title }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: CIRCULAR.title })).toBeVisible();
    await expect.poll(() => keptPaths(page), { timeout: 15_000 }).toContain(CIRCULAR.path);
  });
});

test.describe("signing out", () => {
  test.use({ storageState: NOBODY });

  test("empties what was kept for offline reading", async ({ page }) => {
    // Its own session: signing out must not end the shared one of the other tests.
    await login(page, DEMO.fieldWorker);
    await serviceWorkerInControl(page);
    await page.goto(CIRCULAR.path);
    await expect(page.getByRole("heading", { level: 1, name: CIRCULAR.title })).toBeVisible();
    await expect.poll(() => keptPaths(page)).toContain(CIRCULAR.path);

    await page.getByRole("button", { name: "Afmelden" }).first().click();
    await page.waitForURL((url) => url.pathname === "/inloggen");
    await expect.poll(() => keptPaths(page)).toEqual([]);
  });
});
