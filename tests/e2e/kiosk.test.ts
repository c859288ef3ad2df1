/**
 * Kiosk mode end to end: Sofie (admin) enrols a terminal at /admin/kiosks, the terminal opens the one-time
 * link and shows the board; Marc (field worker) chooses a PIN on his profile, signs in at the terminal with
 * employee number + PIN, sees his page, and after 60 s without input the countdown appears and the terminal
 * signs him out and returns to the board. The browser clock is fast-forwarded; the server's 60 s idle limit
 * is covered by app/routes/kiosk.test.ts.
 */
import { expect, test } from "@playwright/test";
import { SEED_USERS } from "../../prisma/seed-data";
import { DEMO, expectNoSeriousA11yViolations, login, NOBODY } from "./fixtures";

const marc = SEED_USERS.find((user) => user.displayName === DEMO.fieldWorker)!;
const PIN = "2791";

test("enrol a terminal, sign in with a PIN, and be signed out after 60 s without input", async ({
  browser,
}) => {
  test.setTimeout(120_000);

  // 1. Sofie enrols the terminal and gets the one-time link.
  const adminContext = await browser.newContext({ storageState: NOBODY });
  const admin = await adminContext.newPage();
  await login(admin, DEMO.admin);
  await admin.goto("/admin/kiosks");
  const name = `Werkplaats e2e ${Date.now().toString(36)}`;
  await admin.getByLabel("Naam").fill(name);
  await admin.getByLabel("Plaats").fill("Loods 3");
  await admin.getByRole("button", { name: "Koppellink maken" }).click();
  const link = (await admin.locator(".kiosk-admin__code").textContent())!.trim();
  expect(link).toMatch(/\/kiosk\/koppelen\/[A-Za-z0-9_-]+$/);
  await expectNoSeriousA11yViolations(admin);

  // 2. Marc chooses his PIN on his own profile.
  const marcContext = await browser.newContext({ storageState: NOBODY });
  const marcPage = await marcContext.newPage();
  await login(marcPage, DEMO.fieldWorker);
  await marcPage.goto("/profiel/kiosk-pin");
  await marcPage.getByLabel("Pincode", { exact: true }).fill(PIN);
  await marcPage.getByLabel("Pincode nog eens").fill(PIN);
  await marcPage.getByRole("button", { name: "Pincode bewaren" }).click();
  await expect(marcPage.getByText("Je pincode is bewaard.")).toBeVisible();
  await marcContext.close();

  // 3. The terminal: not a kiosk before enrolment, the board after.
  const terminalContext = await browser.newContext({ storageState: NOBODY });
  const terminal = await terminalContext.newPage();
  await terminal.goto("/kiosk");
  await expect(terminal.getByRole("heading", { level: 1 })).toHaveText(
    "Dit scherm is voor de kiosken in de werkplaatsen",
  );
  await terminal.goto(new URL(link).pathname);
  await terminal.getByRole("button", { name: "Dit toestel koppelen als kiosk" }).click();
  await expect(terminal).toHaveURL(/\/kiosk$/);
  await expect(terminal.getByRole("heading", { level: 1 })).toHaveText("Nieuws in de werkplaats");
  await expect(terminal.getByText(name)).toBeVisible();
  await expect(terminal.getByText(DEMO.fieldWorker)).toHaveCount(0);
  await expectNoSeriousA11yViolations(terminal);

  // 4. Marc signs in with employee number and PIN (a wrong PIN first).
  await terminal.clock.install();
  await terminal.getByRole("link", { name: "Aanmelden" }).click();
  await terminal.getByLabel("Personeelsnummer").fill(marc.employeeNumber);
  await terminal.getByLabel("Pincode").fill("1357");
  await terminal.getByRole("button", { name: "Aanmelden" }).click();
  await expect(terminal.getByRole("alert")).toContainText("Personeelsnummer of pincode klopt niet");
  await terminal.getByLabel("Personeelsnummer").fill(marc.employeeNumber);
  await terminal.getByLabel("Pincode").fill(PIN);
  await terminal.getByRole("button", { name: "Aanmelden" }).click();
  await expect(terminal).toHaveURL(/\/kiosk\/mijn$/);
  await expect(terminal.getByRole("heading", { level: 1 })).toHaveText("Mijn nieuws");
  await expect(terminal.getByText(`Aangemeld als ${DEMO.fieldWorker}`)).toBeVisible();
  await expectNoSeriousA11yViolations(terminal);

  // 5. Input resets the countdown; 60 s without input shows it, then signs out and returns to the board.
  await terminal.clock.fastForward("00:40");
  await terminal.mouse.click(10, 10);
  await terminal.clock.fastForward("00:40");
  await expect(terminal.locator(".kiosk-idle")).toHaveCount(0);
  await terminal.clock.fastForward("00:08");
  await expect(terminal.locator(".kiosk-idle")).toContainText(/Nog \d+ s — tik om te blijven/);
  await terminal.clock.fastForward("00:16");
  await expect(terminal).toHaveURL(/\/kiosk$/);
  await expect(terminal.getByRole("heading", { level: 1 })).toHaveText("Nieuws in de werkplaats");
  await terminal.goto("/kiosk/mijn");
  await expect(terminal).toHaveURL(/\/kiosk$/);

  // 6. Revoking the terminal closes the kiosk on it.
  await admin.goto("/admin/kiosks");
  await admin.getByRole("button", { name: `Kiosk ${name} intrekken` }).click();
  await expect(admin.getByText("De kiosk is ingetrokken.")).toBeVisible();
  await terminal.goto("/kiosk");
  await expect(terminal.getByRole("heading", { level: 1 })).toHaveText(
    "Dit scherm is voor de kiosken in de werkplaatsen",
  );

  await terminalContext.close();
  await adminContext.close();
});
