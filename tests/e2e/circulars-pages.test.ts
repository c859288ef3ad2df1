/**
 * KUS de circulaires, page by page: every page of the module, visited as the demo user it is meant for and
 * checked with axe, plus what a page must do besides looking right: facets, version comparison and "in force
 * on date", the CSV export, the KUS writing help and the attachments in the editor, notifications and the
 * bell, the print stylesheet, keyboard use of the instant search, the search form without JavaScript and
 * the audience rule for field workers. circulars.test.ts covers the editorial workflow itself.
 */
import path from "node:path";
import { devices, expect, type Locator, type Page, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, login, NOBODY, signedInAs } from "./fixtures";

const EDITOR = "GE-102871"; // Pieter De Smet
const SECOND_EDITOR = "GE-100782"; // Katrien Declercq, editor and responsible for 2021/008
const EMPLOYEE = "GE-109347"; // Jonas Claeys, office worker
const FIELD_WORKER = "GE-111058"; // Marc De Wilde

// Seed data (prisma/seed-circulars-data.ts).
const BIKE = {
  number: "2020/009",
  path: "/circulaires/2020/009",
  title: "Fietsvergoeding voor woon-werkverkeer",
};
const FIELD_ONLY = {
  path: "/circulaires/2021/019",
  title: "Werkkledij en persoonlijke beschermingsmiddelen",
};
const KATRIENS = "/circulaires/2021/008";

const FILES = path.resolve(import.meta.dirname, "../fixtures/files");

test.describe("as an employee", () => {
  test.use(signedInAs(EMPLOYEE));

  test("/circulaires: browsing, a query and a facet filter", async ({ page }) => {
    await page.goto("/circulaires");
    await expect(page.getByRole("heading", { name: "Blader per thema" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.goto("/circulaires?q=fietsvergoeding");
    await expect(page.getByRole("main").getByRole("status")).toContainText("gevonden voor “fietsvergoeding”");
    await expect(page.getByRole("link", { name: BIKE.title })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // A theme filter narrows the results (with JavaScript: as soon as the box is ticked).
    await page.goto("/circulaires?q=vergoeding");
    const results = page.locator(".search-results > li");
    await expect(results.first()).toBeVisible();
    const before = await results.count();
    await page.getByText("Filters", { exact: true }).click();
    const filters = page.getByRole("group", { name: "Thema" });
    await filters.getByRole("checkbox", { name: /^Mobiliteit/ }).check();
    await expect(page).toHaveURL(/theme=/);
    await expect(page.getByRole("link", { name: BIKE.title })).toBeVisible();
    await expect(results).not.toHaveCount(before);
    for (const facts of await results.locator(".search-result__facts").allTextContents()) {
      expect(facts).toContain("Mobiliteit");
    }
    await expectNoSeriousA11yViolations(page);

    // The switch for expired, superseded and archived circulars adds the validity filter.
    await page.getByRole("checkbox", { name: /^Toon ook verlopen/ }).check();
    await expect(page).toHaveURL(/include=all/);
    await expect(page.getByRole("group", { name: "Geldigheid" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test("instant search with the keyboard: type, Tab to the first result, Enter opens it", async ({
    page,
  }) => {
    await page.goto("/circulaires");
    const box = page.getByLabel("Zoek in de circulaires");
    await box.focus();
    await page.keyboard.type("fietsvergoeding", { delay: 20 });
    const first = page.locator(".search-results > li").first().getByRole("link");
    await expect(first).toHaveText(BIKE.title);
    // The results came without a page load: the typed text is still in the box, the URL follows along.
    await expect(page).toHaveURL(/\?q=fietsvergoeding$/);
    // Tab order: the box, the submit button, the filters, then the results.
    for (let presses = 0; presses < 5; presses++) {
      await page.keyboard.press("Tab");
      if (await first.evaluate((link) => link === document.activeElement)) break;
    }
    await expect(first).toBeFocused();
    // The focus is visible (an outline), not only moved.
    expect(await first.evaluate((link) => getComputedStyle(link).outlineStyle)).not.toBe("none");
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`${BIKE.path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(BIKE.title);
  });

  test("the search form works without JavaScript", async ({ browser, context }) => {
    const noScript = await browser.newContext({
      storageState: await context.storageState(),
      javaScriptEnabled: false,
    });
    const page = await noScript.newPage();
    await page.goto("/circulaires");
    await page.getByLabel("Zoek in de circulaires").fill("fietsvergoeding");
    await page.getByRole("main").getByRole("button", { name: "Zoeken" }).click();
    await page.waitForURL(/\/circulaires\?q=fietsvergoeding/);
    await expect(page.getByRole("link", { name: BIKE.title })).toBeVisible();
    // The filters submit with their own button when there is no script to do it.
    await page.getByText("Filters", { exact: true }).click();
    await page
      .getByRole("group", { name: "Thema" })
      .getByRole("checkbox", { name: /^Mobiliteit/ })
      .check();
    await page.getByRole("button", { name: "Filters toepassen" }).click();
    await page.waitForURL(/theme=/);
    await expect(page.getByRole("link", { name: BIKE.title })).toBeVisible();
    await noScript.close();
  });

  test("a reading page with several versions, and its print style", async ({ page }) => {
    await page.goto(BIKE.path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(BIKE.title);
    const amount = page.getByText("0,36 euro per kilometer", { exact: true });
    await expect(amount).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header")).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Hoofdnavigatie" })).toBeHidden();
    await expect(page.locator(".site-footer")).toBeHidden();
    await expect(page.getByRole("button", { name: "Gelezen en begrepen" })).toBeHidden();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(amount).toBeVisible();
    await page.emulateMedia({ media: "screen" });
    await expect(page.locator(".site-header")).toBeVisible();
  });

  test("versions: the list, a comparison, one old version and what was in force on a date", async ({
    page,
  }) => {
    await page.goto(`${BIKE.path}/versies`);
    await expect(page.getByRole("heading", { name: "3 gepubliceerde versies" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // Compare version 2 with version 3 through the form.
    await page.getByLabel("Van").selectOption("2");
    await page.getByLabel("Naar").selectOption("3");
    await page.getByRole("button", { name: "Vergelijken" }).click();
    await expect(page).toHaveURL(/van=2&naar=3/);
    const comparison = page.locator("#vergelijking");
    await expect(comparison.getByRole("heading", { level: 2 })).toContainText("2");
    // The amount changed from 0,27 to 0,36 euro (one replaced amount, not a changed half); the sentence
    // added after it is marked as a whole.
    const amount = comparison.getByRole("listitem").filter({ hasText: "per kilometer, heen en terug" });
    await expect(amount.locator("del")).toContainText(["0,27"]);
    await expect(amount.locator("ins")).toContainText(["0,36", "Er is geen maximum per dag."]);
    await expectNoSeriousA11yViolations(page);

    await page.goto(`${BIKE.path}/versies/1`);
    await expect(page.getByText("Dit is versie 1. De huidige versie is versie 3.")).toBeVisible();
    await expect(page.getByText("0,24 euro per kilometer", { exact: true })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // Version 2 was published on 9 January 2023, version 3 on 6 January 2025.
    await page.goto(`${BIKE.path}/versies`);
    await page.getByLabel("Datum", { exact: true }).fill("2024-06-01");
    await page.getByRole("button", { name: "Toon de geldige versie" }).click();
    await expect(page).toHaveURL(/datum=2024-06-01/);
    await expect(page.locator("#geldig-op").getByRole("status")).toContainText("gold versie 2");
    await expectNoSeriousA11yViolations(page);

    // A day that does not exist (typed into the address) gets a Dutch error tied to the field.
    const bad = await page.goto(`${BIKE.path}/versies?datum=2023-02-30`);
    expect(bad?.status()).toBe(400);
    await expect(page.getByRole("alert")).toHaveText(
      "Dat is geen geldige datum. Kies een dag in de kalender.",
    );
    await expect(page.getByLabel("Datum", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expectNoSeriousA11yViolations(page);
  });

  test("/te-bevestigen lists what is still to confirm", async ({ page }) => {
    await page.goto("/te-bevestigen");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Te bevestigen");
    await expect(page.getByText(/Nog \d+ circulaires? te bevestigen/)).toBeVisible();
    await expect(page.getByRole("link", { name: new RegExp(BIKE.title) })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test("a circular for field workers only does not exist for an office worker", async ({ page }) => {
    const response = await page.goto(FIELD_ONLY.path);
    expect(response?.status()).toBe(404);
    await page.goto("/circulaires?q=werkkledij&include=all");
    await expect(page.getByRole("main").getByRole("status")).not.toBeEmpty();
    await expect(page.getByRole("link", { name: new RegExp(FIELD_ONLY.title) })).toHaveCount(0);
  });
});

test.describe("as a field worker on a phone", () => {
  // The phone's viewport and touch, without its defaultBrowserType (which would force a new worker).
  const { defaultBrowserType: _browser, ...phone } = devices["Pixel 7"];
  test.use({ ...phone, ...signedInAs(FIELD_WORKER) });

  test("finds and reads the circular meant for field workers", async ({ page }) => {
    await page.goto("/circulaires?q=werkkledij");
    await page.getByRole("link", { name: new RegExp(FIELD_ONLY.title) }).click();
    await page.waitForURL(new RegExp(`${FIELD_ONLY.path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(FIELD_ONLY.title);
    await expectNoHorizontalScroll(page);
    await expectNoSeriousA11yViolations(page);
  });

  test("the circulars pages fit the phone screen", async ({ page }) => {
    // The search page, a superseded circular, a comparison and the to-do list.
    for (const url of [
      "/circulaires",
      "/circulaires/2020/003",
      `${BIKE.path}/versies?van=1&naar=3`,
      "/te-bevestigen",
    ]) {
      await page.goto(url);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoHorizontalScroll(page);
    }
    // The superseded circular says so, in words, and names its successor.
    await page.goto("/circulaires/2020/003");
    await expect(page.getByRole("note")).toContainText("2022/005");
    await expectNoSeriousA11yViolations(page);
  });
});

test.describe("as an editor", () => {
  test.use(signedInAs(EDITOR));

  test("/redactie and the readers' overview with its CSV export", async ({ page }) => {
    await page.goto("/redactie");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Redactie");
    await expectNoSeriousA11yViolations(page);

    await page.goto(`${BIKE.path}/lezers`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(BIKE.number);
    // axe skips what is hidden: open a department to check its table too.
    const department = page.locator("details.reading-readers__department").first();
    await department.locator("summary").click();
    await expect(department.getByRole("table")).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    const csv = await page.request.get(`${BIKE.path}/lezers.csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    const [header] = (await csv.text()).replace(/^\uFEFF/, "").split("\r\n");
    expect(header).toBe(
      "Departement;Dienst;Naam;Personeelsnummer;Functie;Gelezen en begrepen (versie 3);Bevestigd op",
    );
    // The link on the page downloads the same file.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download als CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("gelezen-en-begrepen-2020-009-v3.csv");
  });

  test("a new draft: the KUS help while writing and the attachments", async ({ page }) => {
    await page.goto("/circulaires/nieuw");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nieuwe circulaire");
    await expectNoSeriousA11yViolations(page);

    await page.getByLabel("Titel", { exact: true }).fill("Parkeren aan het Administratief Centrum");
    await page
      .getByLabel("Samenvatting in gewone taal")
      .fill("Waar je als medewerker parkeert, wat het kost en hoe je een parkeerkaart aanvraagt.");
    await selectFirstOption(page.getByLabel("Eigenaar (departement of dienst)"));
    await selectFirstOption(page.getByLabel("Verantwoordelijke"));
    // Bad input first: an end date before the start date is refused, with an error summary that links
    // to the field, and nothing is created.
    await page.getByLabel("Geldig vanaf").fill("2026-03-01");
    await page.getByLabel("Geldig tot en met").fill("2026-02-01");
    await page.getByRole("button", { name: "Ontwerp aanmaken" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Er is iets mis. Niets is bewaard:" });
    await expect(summary.getByRole("link", { name: /De einddatum ligt vóór de begindatum/ })).toBeVisible();
    await expect(summary).toBeFocused();
    await expect(page).toHaveURL(/\/circulaires\/nieuw$/);
    await expect(page.getByLabel("Titel", { exact: true })).toHaveValue(
      "Parkeren aan het Administratief Centrum",
    );
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel("Geldig tot en met").fill("");
    await page.getByRole("button", { name: "Ontwerp aanmaken" }).click();
    await page.waitForURL(/\/circulaires\/\d{4}\/\d{3,4}\/bewerken\?aangemaakt=1$/);
    await expectNoSeriousA11yViolations(page);

    // The KUS panel reacts to the text: a long passive sentence with two jargon words.
    const kus = page.getByRole("complementary", { name: "KUS-schrijfhulp" });
    const body = page.getByRole("textbox", { name: "Tekst" });
    await body.click();
    await body.pressSequentially(
      "Indien de aanvraag niet tijdig door de medewerker wordt ingediend, wordt het dossier conform de " +
        "geldende procedure door de dienst personeelszaken zonder verdere verwittiging afgesloten en kan er " +
        "voor de voorbije periode geen vergoeding meer worden toegekend.",
    );
    const advice = kus.getByRole("list", { name: "Aandachtspunten" }).getByRole("listitem");
    await expect(advice.filter({ hasText: /^Let op: Lange zin \(37 woorden/ })).toBeVisible();
    await expect(advice.filter({ hasText: /^Tip: Lijdende vorm \(wordt … afgesloten\)/ })).toBeVisible();
    await expect(
      advice.filter({ hasText: "Tip: 'conform' (1× in de tekst): schrijf liever 'volgens'." }),
    ).toBeVisible();
    await expect(kus.getByRole("status")).toContainText(/aandachtspunten/);
    await expectNoSeriousA11yViolations(page);

    // Attachments: a PDF is added and listed; a PDF named .docx is refused in Dutch.
    // One "Bijlagen" region with one heading (the edit page once wrapped the manager in a second one).
    const attachments = page.getByRole("region", { name: "Bijlagen" });
    await expect(attachments).toHaveCount(1);
    await expect(attachments.getByRole("heading", { name: "Bijlagen" })).toHaveCount(1);
    const file = attachments.getByLabel("Bestand kiezen");
    await file.setInputFiles(path.join(FILES, "parkeren.pdf"));
    await attachments.getByRole("button", { name: "Bijlage toevoegen" }).click();
    await expect(attachments.getByRole("status")).toContainText("parkeren.pdf is toegevoegd.");
    await expect(attachments.getByRole("link", { name: "parkeren.pdf" })).toBeVisible();
    await expect(attachments.getByRole("button", { name: "Bijlage parkeren.pdf verwijderen" })).toBeVisible();

    await file.setInputFiles(path.join(FILES, "parkeren-hernoemd.docx"));
    await attachments.getByRole("button", { name: "Bijlage toevoegen" }).click();
    const error = attachments.getByRole("alert");
    await expect(error).toContainText("Het bestand parkeren-hernoemd.docx doet zich voor als");
    await expect(error).toContainText("maar de inhoud is");
    await expect(file).toHaveAttribute("aria-invalid", "true");
    await expect(attachments.getByRole("link", { name: "parkeren-hernoemd.docx" })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);
  });
});

test.describe("notifications", () => {
  test.use(signedInAs(SECOND_EDITOR));

  test("a reader's question reaches the owner: the bell counts it, /meldingen lists it", async ({
    page,
    browser,
  }) => {
    await page.goto("/meldingen");
    const before = await unreadCount(page);

    // Jonas asks Katrien a question about her circular.
    const readerContext = await browser.newContext({ storageState: NOBODY });
    const reader = await readerContext.newPage();
    await login(reader, EMPLOYEE);
    await reader.goto(KATRIENS);
    const question = `Geldt dit ook voor tijdelijke medewerkers? (${Date.now().toString(36)})`;
    await reader.getByLabel(/^Je vraag aan Katrien Declercq/).fill(question);
    await reader.getByRole("button", { name: "Vraag versturen" }).click();
    await expect(reader.getByText(question)).toBeVisible();
    await readerContext.close();

    await page.goto("/meldingen");
    await expect(page.getByRole("link", { name: `Meldingen, ${before + 1} ongelezen` })).toBeVisible();
    await expect(page.getByRole("link", { name: /Jonas Claeys/ }).first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.getByRole("button", { name: "Alles als gelezen markeren" }).click();
    await expect(page.getByRole("main").getByRole("status")).toContainText(/gelezen/);
    await expect(page.getByRole("link", { name: "Meldingen", exact: true })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
});

/** The unread count the bell announces (0 when it says only "Meldingen"). */
async function unreadCount(page: Page): Promise<number> {
  const label = (await page.locator(".notification-bell").getAttribute("aria-label")) ?? "";
  const match = /(\d+) ongelezen/.exec(label);
  return match ? Number(match[1]) : 0;
}

async function selectFirstOption(select: Locator) {
  const value = await select.evaluate((element) => {
    const options = Array.from((element as HTMLSelectElement).options);
    return options.find((option) => option.value !== "")?.value ?? "";
  });
  await select.selectOption(value);
}

async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `page ${page.url()} is wider than the phone screen`).toBeLessThanOrEqual(clientWidth);
}
