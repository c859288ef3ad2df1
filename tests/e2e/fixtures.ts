/** Shared helpers for the end-to-end tests: signing in through the real dev login page, and axe checks. */
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, expect, type Page, type test } from "@playwright/test";
import { SEED_USERS } from "../../prisma/seed-data";

/** The five demo accounts shown as quick-pick buttons on /inloggen. */
export const DEMO = {
  admin: "Sofie Vermeulen",
  editor: "Pieter De Smet",
  communicator: "Fatima El Amrani",
  employee: "Jonas Claeys",
  fieldWorker: "Marc De Wilde",
} as const;

/** The display name for an employee number (`GE-109347`) or a name; names pass through unchanged. */
export function displayNameOf(employeeNumberOrName: string): string {
  const user = SEED_USERS.find((u) => u.employeeNumber === employeeNumberOrName);
  return user?.displayName ?? employeeNumberOrName;
}

/**
 * Signs in with the development login, as a person chosen by employee number or display name. Uses the
 * quick-pick button of a demo account, or the "choose a colleague" list for anyone else. When the page
 * already shows the login page (for example after a redirect with `?terug=`), that page is used as is,
 * so the return path is honoured. Resolves once the browser has left the login page.
 */
export async function login(page: Page, employeeNumberOrName: string): Promise<void> {
  const name = displayNameOf(employeeNumberOrName);
  if (!isLoginPage(page.url())) await page.goto("/inloggen");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  const quickPick = page.locator(".quick-login").getByRole("button", { name });
  if ((await quickPick.count()) > 0) {
    await quickPick.click();
  } else {
    const select = page.locator("#dev-user");
    const option = select.locator("option").filter({ hasText: `${name} (` });
    await expect(option, `${name} should be listed on the dev login page`).toHaveCount(1);
    await select.selectOption((await option.getAttribute("value")) ?? "");
    await page.locator("form:has(#dev-user)").getByRole("button").click();
  }
  await page.waitForURL((url) => !isLoginPage(url.href));
}

function isLoginPage(href: string): boolean {
  return href.startsWith("http") && new URL(href).pathname === "/inloggen";
}

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Runs axe on the current page and fails on any serious or critical WCAG 2.1 A/AA violation. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious
    .map((violation) => {
      const nodes = violation.nodes
        .map((node) => {
          const summary = (node.failureSummary ?? "").split("\n").join("\n        ");
          return `    - ${node.target.join(" ")}\n        ${summary}`;
        })
        .join("\n");
      return `[${violation.impact}] ${violation.id}: ${violation.help}\n  ${violation.helpUrl}\n${nodes}`;
    })
    .join("\n\n");
  expect(
    serious.map((v) => v.id),
    `Serious or critical accessibility violations on ${page.url()}:\n\n${report}\n`,
  ).toEqual([]);
}

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/**
 * Storage state of a browser nobody signed in on. Inside a test, `browser.newContext()` inherits the
 * test's options, including a signed-in `storageState`: pass this for a really fresh browser.
 */
export const NOBODY: StorageState = { cookies: [], origins: [] };
const signedInStates = new Map<string, Promise<StorageState>>();

/**
 * `test.use(signedInAs(DEMO.employee))`: the tests of a describe block start signed in. The login runs once
 * per worker and person and its cookies are reused: the server allows only LOGIN_RATE_LIMIT (default 30) sign-in attempts per
 * 5 minutes per IP (RATE_LIMITS.loginPerIp), and every test here comes from 127.0.0.1. Tests that end
 * their session (sign-out) or test the login itself sign in on their own with `login()`.
 */
export function signedInAs(employeeNumberOrName: string): Parameters<typeof test.use>[0] {
  return {
    storageState: async (
      { browser, baseURL }: { browser: Browser; baseURL: string | undefined },
      provide: (state: StorageState) => Promise<void>,
    ) => {
      const key = displayNameOf(employeeNumberOrName);
      let state = signedInStates.get(key);
      if (!state) {
        state = signInForState(browser, baseURL, employeeNumberOrName);
        signedInStates.set(key, state);
        state.catch(() => signedInStates.delete(key));
      }
      await provide(await state);
    },
  };
}

async function signInForState(
  browser: Browser,
  baseURL: string | undefined,
  employeeNumberOrName: string,
): Promise<StorageState> {
  const context = await browser.newContext({ baseURL, storageState: NOBODY });
  try {
    const page = await context.newPage();
    await login(page, employeeNumberOrName);
    return await context.storageState();
  } finally {
    await context.close();
  }
}
