/**
 * Werkplek as a progressive web app: the manifest, the service worker, installability, the offline page,
 * and the privacy rule that no page HTML (personal or internal data) ever lands in the caches.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, expect, test, type Page } from "@playwright/test";
import { DEMO, signedInAs } from "./fixtures";

/** Waits until the service worker controls this origin and is activated; returns what the page sees. */
async function serviceWorkerReady(page: Page) {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.ready;
          return registration.active?.state;
        }),
      { timeout: 20_000 },
    )
    .toBe("activated");
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return { scope: registration.scope, scriptURL: registration.active?.scriptURL ?? "" };
  });
}

/** Every URL path stored in any Cache Storage cache of the origin. */
async function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths.sort();
  });
}

test.describe("web app manifest", () => {
  test("is linked from every page and describes an installable app", async ({ page }) => {
    await page.goto("/inloggen");
    const link = page.locator('head link[rel="manifest"]');
    await expect(link).toHaveAttribute("href", "/manifest.webmanifest");

    const response = await page.request.get("/manifest.webmanifest");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/manifest+json");
    const manifest = (await response.json()) as {
      name?: string;
      short_name?: string;
      start_url?: string;
      scope?: string;
      display?: string;
      theme_color?: string;
      icons?: { src: string; sizes: string; type?: string; purpose?: string }[];
    };
    expect(manifest.name).toBeTruthy();
    expect(manifest.short_name).toBe("Werkplek");
    expect(manifest.start_url).toMatch(/^\//);
    expect(manifest.display).toBe("standalone");
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    const anyPurpose = (manifest.icons ?? []).filter((icon) => (icon.purpose ?? "any").includes("any"));
    expect(anyPurpose.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    // The icons exist and are PNG images.
    for (const icon of manifest.icons ?? []) {
      const iconResponse = await page.request.get(icon.src);
      expect(iconResponse.status(), icon.src).toBe(200);
      expect(iconResponse.headers()["content-type"], icon.src).toBe("image/png");
    }
    // The theme colour of the pages matches the manifest.
    await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute(
      "content",
      manifest.theme_color ?? "",
    );
  });
});

test.describe("service worker", () => {
  test("registers for the whole origin and becomes active", async ({ page, baseURL }) => {
    await page.goto("/inloggen");
    const { scope, scriptURL } = await serviceWorkerReady(page);
    expect(scope).toBe(`${baseURL}/`);
    expect(scriptURL).toBe(`${baseURL}/sw.js`);
    // It takes control of the open page (clients.claim), so the next navigation goes through it.
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    const sw = await page.request.get("/sw.js");
    expect(sw.headers()["cache-control"]).toBe("no-cache");
  });

  test("the app is installable (no installability errors)", async ({ baseURL }) => {
    // Playwright's contexts are off the record, which Chromium reports as "in-incognito" (never
    // installable). A persistent profile in a temporary directory is a normal, installable profile.
    const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), "werkplek-e2e-profile-"));
    const context = await chromium.launchPersistentContext(userDataDir, {
      ...test.info().project.use.launchOptions,
      baseURL,
      locale: "nl-BE",
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      // Control: the check does report problems, e.g. on a response without a manifest.
      await page.goto("/healthz");
      const control = await cdp.send("Page.getInstallabilityErrors");
      expect(control.installabilityErrors.map((error) => error.errorId)).toContain("no-manifest");

      await page.goto("/inloggen");
      await serviceWorkerReady(page);
      // Chromium checks the manifest and its icons asynchronously after the page loads: poll.
      await expect
        .poll(
          async () => {
            const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
            return installabilityErrors.map(
              (error) => `${error.errorId} ${JSON.stringify(error.errorArguments)}`,
            );
          },
          { timeout: 15_000 },
        )
        .toEqual([]);
      // And the manifest Chromium parsed is ours, with the start URL inside the scope.
      const { url, errors } = await cdp.send("Page.getAppManifest");
      expect(url).toBe(`${baseURL}/manifest.webmanifest`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await fs.rm(userDataDir, { recursive: true, force: true });
    }
  });

  test.describe("signed in", () => {
    test.use(signedInAs(DEMO.employee));

    test("a navigation while offline shows the offline page", async ({ page, context }) => {
      await page.goto("/");
      await serviceWorkerReady(page);
      await context.setOffline(true);
      try {
        await page.goto("/");
        await expect(page.getByRole("heading", { level: 1, name: "Je bent offline" })).toBeVisible();
        await expect(page).toHaveTitle("Je bent offline – Werkplek");
        await expect(page.locator("html")).toHaveAttribute("lang", "nl");
        // Any other page of the app, never visited before, gets the same fallback.
        await page.goto("/organisatie");
        await expect(page.getByRole("heading", { level: 1, name: "Je bent offline" })).toBeVisible();
      } finally {
        await context.setOffline(false);
      }
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1, name: "Goeiedag, Jonas" })).toBeVisible();
    });

    test("the caches hold only public files, never the HTML of signed-in pages", async ({ page }) => {
      await page.goto("/");
      await serviceWorkerReady(page);
      // Visit the signed-in pages with the worker in control, by full navigations and client-side ones.
      for (const path of ["/", "/organisatie", "/profiel"]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      }
      await page
        .getByRole("navigation", { name: "Hoofdnavigatie" })
        .getByRole("link", { name: "Start" })
        .click();
      await expect(page.getByRole("heading", { level: 1, name: "Goeiedag, Jonas" })).toBeVisible();

      const paths = await cachedPaths(page);
      // The precached shell is there...
      expect(paths).toEqual(
        expect.arrayContaining([
          "/offline.html",
          "/manifest.webmanifest",
          "/favicon.svg",
          "/icons/icon-192.png",
        ]),
      );
      expect(paths.some((path) => path.startsWith("/build/"))).toBe(true);
      // ...and nothing else: no pages, no loader data.
      const allowed = (path: string) =>
        path.startsWith("/build/") ||
        path.startsWith("/icons/") ||
        ["/offline.html", "/manifest.webmanifest", "/favicon.svg"].includes(path);
      expect(paths.filter((path) => !allowed(path))).toEqual([]);
    });
  });
});
