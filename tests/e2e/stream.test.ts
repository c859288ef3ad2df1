/**
 * The activity stream in two browsers at once: Fatima posts with a mention chosen from the autocomplete,
 * Jonas (who follows her) sees the "nieuwe berichten" indicator arrive live, loads the post, gives it a
 * "Proficiat" and comments; Fatima's bell counts the comment live. Then the pages of the stream one by
 * one with axe, a group's page, the no-JavaScript round trip of the composer, and a secret group that
 * stays invisible to an outsider on every path.
 */
import { type Browser, expect, type Page, test } from "@playwright/test";
import { DEMO, expectNoSeriousA11yViolations, login, NOBODY, signedInAs } from "./fixtures";

async function signedInPage(browser: Browser, who: string, options: { javaScript?: boolean } = {}) {
  const context = await browser.newContext({ storageState: NOBODY, javaScriptEnabled: options.javaScript });
  const page = await context.newPage();
  await login(page, who);
  return { context, page };
}

function feed(page: Page) {
  return page.getByRole("region", { name: "Berichten voor jou" });
}

/** The first number in the bell's accessible name (0 when it shows none). */
async function bellCount(page: Page): Promise<number> {
  const name = (await page.locator("a.notification-bell").getAttribute("aria-label")) ?? "";
  const match = /(\d+)/.exec(name);
  return match ? Number(match[1]) : 0;
}

test("a post appears live for a follower, who reacts and comments; the author's bell counts it", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const jonas = await signedInPage(browser, DEMO.employee);
  const fatima = await signedInPage(browser, DEMO.communicator);
  try {
    await jonas.page.goto("/");
    await expect(feed(jonas.page)).toBeVisible();
    await fatima.page.goto("/");
    const before = await bellCount(fatima.page);

    // Fatima writes in the editor (it replaces the textarea once loaded) and picks Jonas from the list.
    const stamp = Date.now().toString(36);
    // (For a moment after hydration the textarea and the editor are both there: wait for the editor.)
    const editor = fatima.page.locator('[data-lexical-editor="true"]');
    await expect(editor).toHaveAccessibleName("Je bericht");
    await expect(editor).toHaveAttribute("contenteditable", "true");
    await editor.click();
    await editor.pressSequentially(`Proef ${stamp}: de nieuwe stroom werkt, `);
    await editor.pressSequentially("@Jona");
    const option = fatima.page.getByRole("option", { name: /Jonas Claeys/ });
    await expect(option).toBeVisible();
    await editor.press("Enter");
    await editor.pressSequentially(" kijk je even mee? #Werkplek");
    await fatima.page.getByRole("button", { name: "Plaatsen" }).click();
    await expect(fatima.page.getByRole("article").filter({ hasText: `Proef ${stamp}` })).toBeVisible();

    // Jonas did not reload: the indicator arrives over /live and loads the new post on a click.
    const indicator = jonas.page.getByRole("button", { name: /nieuw(e)? bericht/ });
    await expect(indicator).toBeVisible({ timeout: 15_000 });
    await indicator.click();
    const post = feed(jonas.page)
      .getByRole("article")
      .filter({ hasText: `Proef ${stamp}` });
    await expect(post).toBeVisible();
    await expect(post.getByRole("link", { name: /Jonas Claeys/ })).toBeVisible();

    // A reaction, counted at once.
    const celebrate = post.getByRole("button", { name: /Proficiat/ });
    await expect(celebrate).toHaveAttribute("aria-pressed", "false");
    await celebrate.click();
    await expect(celebrate).toHaveAttribute("aria-pressed", "true");
    await expect(post).toContainText("1 waardering");

    // A comment on the post's page.
    await post.getByRole("link", { name: "Reageer" }).click();
    await expect(jonas.page).toHaveURL(/\/berichten\//);
    await jonas.page.getByLabel("Jouw reactie").fill(`Mooi zo, ik kijk mee (${stamp}).`);
    await jonas.page.getByRole("button", { name: "Reageren" }).click();
    // (The text also sits in the hidden "edit your comment" form: look for the shown paragraph.)
    await expect(
      jonas.page.getByRole("paragraph").filter({ hasText: `Mooi zo, ik kijk mee (${stamp}).` }),
    ).toBeVisible();
    await expectNoSeriousA11yViolations(jonas.page);

    // Fatima's bell counts the reaction and the comment without a reload.
    await expect.poll(() => bellCount(fatima.page), { timeout: 15_000 }).toBeGreaterThan(before);
  } finally {
    await jonas.context.close();
    await fatima.context.close();
  }
});

test.describe("as an employee", () => {
  test.use(signedInAs(DEMO.employee));

  test("the home stream, a topic, a group and the search are accessible", async ({ page }) => {
    await page.goto("/");
    await expect(feed(page).getByRole("article").first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.goto("/onderwerpen/werkplek");
    await expect(page.getByRole("heading", { level: 1, name: /Werkplek/ })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.goto("/groepen");
    await expectNoSeriousA11yViolations(page);
    await page.getByRole("link", { name: "Wijkteam Brugse Poort" }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "Wijkteam Brugse Poort" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.goto("/zoeken?q=stadsloop");
    await expect(page.getByRole("main")).toContainText("Stadsloop");
    await expectNoSeriousA11yViolations(page);
  });

  test("following a colleague from the profile, and the older posts link", async ({ page }) => {
    await page.goto("/mensen?q=Kenan");
    await page.getByRole("link", { name: "Kenan Çelik" }).first().click();
    const follow = page.getByRole("button", { name: /volg/i }).first();
    const pressed = await follow.getAttribute("aria-pressed");
    await follow.click();
    await expect(follow).toHaveAttribute("aria-pressed", pressed === "true" ? "false" : "true");
    await expectNoSeriousA11yViolations(page);

    await page.goto("/");
    const older = page.getByRole("link", { name: "Oudere berichten" });
    await expect(older).toBeVisible();
    const count = await feed(page).getByRole("article").count();
    await older.click();
    await expect.poll(() => feed(page).getByRole("article").count()).toBeGreaterThan(count);
  });
});

test("without JavaScript: posting from the textarea and reacting work as plain forms", async ({
  browser,
}) => {
  const { context, page } = await signedInPage(browser, DEMO.fieldWorker, { javaScript: false });
  try {
    await page.goto("/");
    const stamp = Date.now().toString(36);
    await page.getByRole("textbox", { name: "Je bericht" }).fill(`Zonder script ${stamp} #Veiligheid`);
    await page.getByRole("button", { name: "Plaatsen" }).click();
    const post = page.getByRole("article").filter({ hasText: `Zonder script ${stamp}` });
    await expect(post).toBeVisible();
    await post.getByRole("button", { name: /Bedankt/ }).click();
    const again = page.getByRole("article").filter({ hasText: `Zonder script ${stamp}` });
    await expect(again.getByRole("button", { name: /Bedankt/ })).toHaveAttribute("aria-pressed", "true");
  } finally {
    await context.close();
  }
});

test("a secret group stays invisible to an outsider", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, DEMO.fieldWorker);
  try {
    // Marc De Wilde is in none of the seeded secret places.
    await page.goto("/groepen");
    expect(await page.getByRole("main").innerText()).not.toMatch(/Personeelsfeest 2027/);
    for (const path of [
      "/groepen/personeelsfeest-2027-organisatie-7c2e9a",
      "/groepen/personeelsfeest-2027-organisatie-7c2e9a/leden",
      "/projecten/herinrichting-contactcenter-4f81d0",
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
    }
    await page.goto("/zoeken?q=personeelsfeest");
    expect(await page.getByRole("main").innerText()).not.toMatch(/Personeelsfeest 2027/);
  } finally {
    await context.close();
  }
});

test("on a phone no page scrolls sideways, the moderator's navigation badge included", async ({
  browser,
}) => {
  const context = await browser.newContext({
    storageState: NOBODY,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  try {
    await login(page, DEMO.communicator);
    for (const path of ["/", "/groepen", "/moderatie", "/zoeken?q=fiets", "/profiel/meldingen"]) {
      await page.goto(path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(390);
    }
  } finally {
    await context.close();
  }
});

test.describe("the composer's link panel", () => {
  test.use(signedInAs(DEMO.employee));

  test("refuses a javascript: address and inserts a web address as a link", async ({ page }) => {
    await page.goto("/");
    const editor = page.locator('[data-lexical-editor="true"]');
    await expect(editor).toHaveAccessibleName("Je bericht");
    const stamp = Date.now().toString(36);
    await editor.click();
    await editor.pressSequentially(`Meer uitleg ${stamp}: `);
    await page.getByRole("button", { name: "Link", exact: true }).click();
    const address = page.getByLabel("Webadres of e-mailadres");
    await expect(address).toBeFocused();
    await address.fill("javascript:alert(1)");
    await page.getByRole("button", { name: "Link toepassen" }).click();
    await expect(page.getByRole("alert")).toContainText("Dit adres kan niet");
    await address.fill("https://stad.gent/nl/werken");
    await address.press("Enter");
    await expect(editor.getByRole("link", { name: "https://stad.gent/nl/werken" })).toBeVisible();
    await page.getByRole("button", { name: "Plaatsen" }).click();
    const post = page.getByRole("article").filter({ hasText: `Meer uitleg ${stamp}` });
    await expect(post.getByRole("link", { name: "https://stad.gent/nl/werken" })).toHaveAttribute(
      "href",
      "https://stad.gent/nl/werken",
    );
  });
});
