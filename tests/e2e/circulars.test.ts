/**
 * KUS de circulaires, end to end: an editor writes a circular in the rich-text editor, a second editor
 * approves it, and a reader on a phone finds it through instant search and confirms "gelezen en begrepen".
 */
import { devices, expect, type Locator, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, login, NOBODY } from "./fixtures";

const EDITOR = "GE-102871"; // Pieter De Smet
const REVIEWER = "GE-100782"; // Katrien Declercq, also an editor
const READER = "GE-109347"; // Jonas Claeys

const brusselsToday = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" }).format(new Date());

test("an editor writes, a reviewer approves, a reader finds it on a phone and acknowledges it", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // A word no demo circular uses, so the search hit can only be this one.
  const marker = `zonnepaneelonderhoud${Date.now().toString(36)}`;
  const title = `Onderhoud van zonnepanelen op stadsgebouwen (${marker})`;

  // 1. The editor writes a draft and submits it.
  const editorContext = await browser.newContext({ storageState: NOBODY });
  const editor = await editorContext.newPage();
  await login(editor, EDITOR);
  await editor.goto("/circulaires/nieuw");
  await editor.getByLabel("Titel", { exact: true }).fill(title);
  await editor
    .getByLabel("Samenvatting in gewone taal")
    .fill("Wie de zonnepanelen op stadsgebouwen controleert, hoe vaak dat gebeurt en wie je verwittigt.");
  const body = editor.getByRole("textbox", { name: "Tekst" });
  await body.click();
  await body.pressSequentially("De technische dienst controleert de panelen twee keer per jaar.");
  await editor.keyboard.press("Enter");
  await editor.getByRole("button", { name: "Vet" }).click();
  await body.pressSequentially("Meld schade altijd bij Facility Management.");
  await selectFirstOption(editor.getByLabel("Eigenaar (departement of dienst)"));
  await selectFirstOption(editor.getByLabel("Verantwoordelijke"));
  await editor.getByLabel("Geldig vanaf").fill(brusselsToday());
  await editor.getByRole("button", { name: "Ontwerp aanmaken" }).click();
  await editor.waitForURL(/\/circulaires\/\d{4}\/\d{3,4}\/bewerken/);
  const path = new URL(editor.url()).pathname.replace(/\/bewerken$/, "");
  const number = path.replace("/circulaires/", "");

  // The rich text survived the round trip through the server.
  await expect(editor.getByRole("textbox", { name: "Tekst" }).locator("strong, b").first()).toHaveText(
    "Meld schade altijd bij Facility Management.",
  );
  await expectNoSeriousA11yViolations(editor);
  await editor.getByLabel("Wijzigingsnota").fill("Eerste versie van de richtlijn.");
  await editor.getByRole("button", { name: "Ter beoordeling indienen" }).click();
  await expect(editor.getByRole("button", { name: "Indiening intrekken" })).toBeVisible();

  // The author cannot approve their own change, and is told why.
  await editor.goto(`${path}/beoordelen`);
  await expect(
    editor.getByRole("heading", { name: "Je kunt je eigen wijziging niet goedkeuren" }),
  ).toBeVisible();
  await expect(editor.getByRole("button", { name: "Goedkeuren en publiceren" })).toHaveCount(0);

  // 2. A second editor approves and publishes.
  const reviewerContext = await browser.newContext({ storageState: NOBODY });
  const reviewer = await reviewerContext.newPage();
  await login(reviewer, REVIEWER);
  await reviewer.goto(`${path}/beoordelen`);
  await expect(reviewer.getByText(title).first()).toBeVisible();
  await expectNoSeriousA11yViolations(reviewer);
  await reviewer.getByRole("button", { name: "Goedkeuren en publiceren" }).click();
  await reviewer.waitForURL(/\/redactie\?gepubliceerd=/);

  // 3. A reader on a phone finds it by typing, opens it and confirms it.
  const phone = await browser.newContext({ ...devices["Pixel 7"], storageState: NOBODY });
  const reader = await phone.newPage();
  await login(reader, READER);
  await reader.goto("/circulaires");
  const searchBox = reader.getByLabel("Zoek in de circulaires");
  const hit = reader.getByRole("link", { name: title });
  // The index follows publication within a second or two; type again until the job has run.
  await expect(async () => {
    await searchBox.fill("");
    await searchBox.pressSequentially("zonnepaneelonderh", { delay: 30 });
    await expect(hit).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  // Results appeared without a page load: the URL still has no query string from a form submission.
  await expectNoSeriousA11yViolations(reader);
  await hit.click();
  await reader.waitForURL(new RegExp(`${path}$`));
  await expect(reader.getByRole("heading", { level: 1 })).toContainText("Onderhoud van zonnepanelen");
  await expect(reader.getByText(number).filter({ visible: true }).first()).toBeVisible();
  await expectNoSeriousA11yViolations(reader);
  await reader.getByRole("button", { name: "Gelezen en begrepen" }).click();
  await expect(reader.getByText(/Je bevestigde versie 1/)).toBeVisible();

  // 4. The editor's overview counts the confirmation, and the reader's to-do list no longer holds it.
  await editor.goto(`${path}/lezers`);
  // Jonas works in a service of Stedelijke Ontwikkeling: one confirmation there, listed by name.
  const department = editor.locator("details", { hasText: "Jonas Claeys" });
  await expect(department.locator("summary")).toContainText(/1 van \d+/);
  await department.locator("summary").click();
  await expect(department.getByRole("rowheader", { name: "Jonas Claeys" })).toBeVisible();
  await reader.goto("/te-bevestigen");
  await expect(reader.getByRole("link", { name: title })).toHaveCount(0);

  await Promise.all([editorContext.close(), reviewerContext.close(), phone.close()]);
});

test("a reader outside the audience, or anyone before publication, gets a 404", async ({ browser }) => {
  const context = await browser.newContext({ storageState: NOBODY });
  const page = await context.newPage();
  await login(page, READER);
  // 2021/019 is meant for field workers only (seed data); Jonas works in an office.
  const restricted = await page.goto("/circulaires/2021/019");
  expect(restricted?.status()).toBe(404);
  const unknown = await page.goto("/circulaires/2099/999");
  expect(unknown?.status()).toBe(404);
  await context.close();
});

async function selectFirstOption(select: Locator) {
  const value = await select.evaluate((element) => {
    const options = Array.from((element as HTMLSelectElement).options);
    return options.find((option) => option.value !== "")?.value ?? "";
  });
  await select.selectOption(value);
}
