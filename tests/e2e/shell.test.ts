/**
 * The Werkplek shell in a real browser: the login wall, dev login, navigation and skip link, language
 * switch, sign-out, the CSRF and Origin defences, accessibility (axe) and the phone layout.
 *
 * Sign-ins are rationed (20 per 5 minutes per IP, see fixtures.ts): describe blocks that only need a
 * signed-in person use `signedInAs`, which signs in once and reuses the cookies.
 */
import { expect, test, type Page } from "@playwright/test";
import { SEED_DEPARTMENTS } from "../../prisma/seed-data";
import { DEMO, expectNoSeriousA11yViolations, login, NOBODY, signedInAs } from "./fixtures";

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };

/** Reads the CSRF token that the current page embeds in its forms. */
async function csrfTokenOf(page: Page): Promise<string> {
  return await page.locator('input[name="csrf"]').first().inputValue();
}

/** Puts the signed-in person's language back to Dutch, whatever state a test left the page in. */
async function resetLanguageToDutch(page: Page) {
  await page.goto("/");
  if ((await page.locator("html").getAttribute("lang")) === "nl-BE") return;
  const response = await page.request.post("/taal", {
    form: { csrf: await csrfTokenOf(page), locale: "nl", terug: "/" },
  });
  expect(response.ok()).toBe(true);
}

test.describe("signing in", () => {
  test("an anonymous visit to / goes to the Dutch login page", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/inloggen$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "nl-BE");
    await expect(page.getByRole("heading", { level: 1, name: "Aanmelden bij Werkplek" })).toBeVisible();
    await expect(page).toHaveTitle("Aanmelden bij Werkplek · Werkplek");
    // The dev login offers the five demo accounts as quick picks.
    const quickPicks = page.locator(".quick-login").getByRole("button");
    await expect(quickPicks).toHaveCount(5);
    for (const name of Object.values(DEMO)) {
      await expect(page.locator(".quick-login").getByRole("button", { name })).toBeVisible();
    }
  });

  test("an English browser still gets Dutch until someone chooses English", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, locale: "en-GB", storageState: NOBODY });
    try {
      const page = await context.newPage();
      await page.goto("/inloggen");
      await expect(page.locator("html")).toHaveAttribute("lang", "nl-BE");
      await expect(page.getByRole("heading", { level: 1, name: "Aanmelden bij Werkplek" })).toBeVisible();
      // Choosing English before signing in works (a cookie) and survives a reload.
      await page.getByRole("button", { name: "Switch to English" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Sign in to Werkplek" })).toBeVisible();
      await page.reload();
      await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
    } finally {
      await context.close();
    }
  });

  test("dev login as Jonas shows the home page with the main navigation", async ({ page }) => {
    await login(page, DEMO.employee);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1, name: "Goeiedag, Jonas" })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Hoofdnavigatie" });
    await expect(nav).toBeVisible();
    await expect(nav.getByRole("link")).toHaveText([
      "Start",
      "Circulaires",
      "Groepen",
      "Organisatie",
      "Mensen",
      "Profiel",
    ]);
    await expect(nav.getByRole("link", { name: "Start" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("main")).toBeVisible();
  });

  test("signing in by employee number works through the colleague list too", async ({ page }) => {
    // GE-103390 (Liam O'Sullivan) is not a demo account, so the helper uses the select; he prefers English.
    await login(page, "GE-103390");
    await expect(page.getByRole("heading", { level: 1, name: "Hello, Liam" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
  });

  test("the login page honours the return path (terug)", async ({ page }) => {
    await page.goto("/profiel");
    await expect(page).toHaveURL(/\/inloggen\?terug=%2Fprofiel$/);
    await login(page, DEMO.employee);
    await expect(page).toHaveURL(/\/profiel$/);
    await expect(page.getByRole("heading", { level: 1, name: "Mijn profiel" })).toBeVisible();
  });
});

test.describe("the shell, signed in", () => {
  test.use(signedInAs(DEMO.employee));

  test("the skip link is the first focusable element and moves focus to the main content", async ({
    page,
  }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Goeiedag, Jonas" })).toBeVisible();
    const skipLink = page.getByRole("link", { name: "Naar de inhoud" });
    // Hidden until focused: a sighted keyboard user sees it appear on the first Tab.
    await page.keyboard.press("Tab");
    await expect(skipLink).toBeFocused();
    await expect(skipLink).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("main")).toBeFocused();
    // The next Tab continues inside the main content, not back in the header.
    await page.keyboard.press("Tab");
    const inMain = await page.evaluate(() => Boolean(document.activeElement?.closest("main")));
    expect(inMain).toBe(true);
  });

  test("the organisation page lists the departments", async ({ page }) => {
    await page.goto("/");
    await page
      .getByRole("navigation", { name: "Hoofdnavigatie" })
      .getByRole("link", { name: "Organisatie" })
      .click();
    await expect(page).toHaveURL(/\/organisatie$/);
    await expect(page.getByRole("heading", { level: 1, name: "Organisatie" })).toBeVisible();
    const expected = SEED_DEPARTMENTS.filter((d) => d.kind === "department").map((d) => d.name);
    const headings = page.locator(".department-list").getByRole("heading", { level: 2 });
    await expect(headings).toHaveCount(expected.length);
    expect((await headings.allTextContents()).toSorted()).toEqual(expected.toSorted());
    // Each department shows its head count and lists its services.
    const bedrijfsvoering = page
      .locator(".department-list > li")
      .filter({ hasText: "Departement Bedrijfsvoering" });
    await expect(bedrijfsvoering.getByText(/^\d+ medewerkers/)).toBeVisible();
    await expect(bedrijfsvoering.getByRole("list", { name: "Departement Bedrijfsvoering" })).toBeVisible();
  });

  test("an unknown path is a 404 inside the shell", async ({ page }) => {
    const response = await page.goto("/bestaat-niet");
    expect(response?.status()).toBe(404);
    await expect(page.getByText("Deze pagina bestaat niet.")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Hoofdnavigatie" })).toBeVisible();
  });

  test("a sign-out POST from another origin is refused", async ({ page }) => {
    await page.goto("/");
    const response = await page.request.post("/uitloggen", {
      headers: { Origin: "http://evil.example" },
      form: { csrf: await csrfTokenOf(page) },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain("Cross-origin request refused");
    // Still signed in.
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Goeiedag, Jonas" })).toBeVisible();
  });
});

test.describe("language", () => {
  test.use(signedInAs(DEMO.employee));

  test.afterEach(async ({ page }) => {
    await resetLanguageToDutch(page);
  });

  test("switching to English persists after a reload, in the profile and on a next sign-in", async ({
    page,
    browser,
    baseURL,
  }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Goeiedag, Jonas" })).toBeVisible();

    await page.getByRole("button", { name: "Switch to English" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Hello, Jonas" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
    await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link")).toHaveText([
      "Home",
      "Circulars",
      "Groups",
      "Organisation",
      "People",
      "Profile",
    ]);

    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Hello, Jonas" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");

    await page.goto("/profiel");
    await expect(page.getByRole("heading", { level: 1, name: "My profile" })).toBeVisible();
    await expect(page.getByRole("radio", { name: "English" })).toBeChecked();

    // The choice is saved in the profile: another browser, without the language cookie, gets English.
    const other = await browser.newContext({ baseURL, storageState: NOBODY });
    try {
      const otherPage = await other.newPage();
      await login(otherPage, DEMO.employee);
      await expect(otherPage.getByRole("heading", { level: 1, name: "Hello, Jonas" })).toBeVisible();
    } finally {
      await other.close();
    }

    // And back: the button is labelled in the language it switches to.
    await page.getByRole("button", { name: "Schakel naar Nederlands" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Mijn profiel" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "nl-BE");
    await expect(page.getByRole("radio", { name: "Nederlands" })).toBeChecked();
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Goeiedag, Jonas" })).toBeVisible();
  });
});

test.describe("signing out", () => {
  test("sign-out returns to the login page and closes the session", async ({ page }) => {
    await login(page, DEMO.employee);
    await page.getByRole("button", { name: "Afmelden" }).click();
    await expect(page).toHaveURL(/\/inloggen\?afgemeld=1$/);
    await expect(page.getByRole("status")).toHaveText("Je bent afgemeld.");
    await expect(page.getByRole("heading", { level: 1, name: "Aanmelden bij Werkplek" })).toBeVisible();
    await page.goto("/");
    await expect(page).toHaveURL(/\/inloggen$/);
  });
});

test.describe("request forgery defences", () => {
  test("a dev login post without a valid CSRF token is refused", async ({ page }) => {
    await page.goto("/inloggen");
    const userId = await page
      .locator(".quick-login form")
      .first()
      .locator('input[name="userId"]')
      .inputValue();
    const forms = {
      missing: { userId, terug: "/" },
      invalid: { userId, terug: "/", csrf: "forged.token" },
      "of another browser": { userId, terug: "/", csrf: await otherBrowsersToken(page) },
    };
    for (const [label, form] of Object.entries(forms)) {
      const response = await page.request.post("/inloggen", { form, maxRedirects: 0 });
      expect(response.status(), `CSRF token ${label}`).toBe(403);
      expect(await response.text(), `CSRF token ${label}`).toContain("Je formulier was verlopen.");
    }
    // None of them signed anybody in.
    await page.goto("/");
    await expect(page).toHaveURL(/\/inloggen$/);
  });
});

/** A token the server did sign, but for a different browser (cookie): a double-submit mismatch. */
async function otherBrowsersToken(page: Page): Promise<string> {
  const context = await page.context().browser()!.newContext({ storageState: NOBODY });
  try {
    const other = await context.newPage();
    await other.goto(new URL("/inloggen", page.url()).href);
    return await csrfTokenOf(other);
  } finally {
    await context.close();
  }
}

for (const [label, device] of [
  ["desktop", {}],
  ["phone (390×844)", PHONE],
] as const) {
  test.describe(`accessibility, ${label}`, () => {
    test.use(device);

    test("login page", async ({ page }) => {
      await page.goto("/inloggen");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoSeriousA11yViolations(page);
    });

    test.describe("signed in", () => {
      test.use(signedInAs(DEMO.employee));

      for (const [name, path, heading] of [
        ["home page", "/", "Goeiedag, Jonas"],
        ["organisation page", "/organisatie", "Organisatie"],
        ["profile page", "/profiel", "Mijn profiel"],
      ] as const) {
        test(name, async ({ page }) => {
          await page.goto(path);
          await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
          await expectNoSeriousA11yViolations(page);
        });
      }
    });
  });
}

test.describe("phone layout: no horizontal scrolling at 390 px", () => {
  test.use(PHONE);

  test("login page", async ({ page }) => {
    await page.goto("/inloggen");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoHorizontalScroll(page);
  });

  test.describe("signed in", () => {
    test.use(signedInAs(DEMO.employee));

    test("home, organisation and profile pages", async ({ page }) => {
      for (const path of ["/", "/organisatie", "/profiel"]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoHorizontalScroll(page);
      }
    });
  });
});

async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `page ${page.url()} is wider than the 390 px screen`).toBeLessThanOrEqual(clientWidth);
}
