/**
 * The reach pages rendered (server render, Dutch and English): every text resolves (no raw "reach.…" keys),
 * every form carries the CSRF field, a refused form shows the error summary linking to the field, which is
 * marked invalid and described by its error, and nothing in the markup is a clear number or a code.
 */
import { createInstance } from "i18next";
import { type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { i18nConfig } from "~/i18n/config";
import { CURRENT_CONSENT_VERSION } from "~/modules/reach/consent-texts";
import { buildPersonalContact, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { getRequest, routeContext, settle, signIn, type Visitor } from "../../tests/support/routes";

type AnyProps = Record<string, unknown> & { children?: ReactNode };
const state: { data: unknown; action: unknown } = { data: null, action: undefined };

vi.mock("@remix-run/react", () => ({
  Form: ({ children, method, className }: AnyProps) => (
    <form method={method as string} className={className as string}>
      {children}
    </form>
  ),
  Link: ({ children, to }: AnyProps) => <a href={to as string}>{children}</a>,
  useLoaderData: () => state.data,
  useActionData: () => state.action,
  useNavigation: () => ({ state: "idle" }),
  useRouteLoaderData: () => ({ csrfToken: "test-token" }),
}));

const reachPage = await import("./profiel_.bereik");
const overviewPage = await import("./personeel._index");
const workerPage = await import("./personeel.$userId");

setupTestDatabase();

const i18n = { nl: createInstance(), en: createInstance() };
beforeAll(async () => {
  await i18n.nl.use(initReactI18next).init({ ...i18nConfig, lng: "nl" });
  await i18n.en.use(initReactI18next).init({ ...i18nConfig, lng: "en" });
});

function render(Page: () => ReactNode, data: unknown, action?: unknown, lng: "nl" | "en" = "nl") {
  state.data = data;
  state.action = action;
  return renderToString(
    <I18nextProvider i18n={i18n[lng]}>
      <Page />
    </I18nextProvider>,
  );
}

function expectComplete(html: string) {
  expect(html).not.toMatch(/reach\.[a-zA-Z]/);
  const forms = html.match(/<form method="post"/g)?.length ?? 0;
  const tokens = html.match(/name="csrf" value="test-token"/g)?.length ?? 0;
  expect(tokens).toBe(forms);
}

async function loaderData<T>(work: Promise<T>) {
  const settled = await settle(work);
  expect(settled.status).toBe(200);
  return settled.body;
}

describe("rendering the reach pages", () => {
  it("renders /profiel/bereik in both languages with all its sections", async () => {
    const me: Visitor = await signIn({ isFieldWorker: true });
    await buildPersonalContact({ userId: me.id, kind: "phone", value: "+32470000301" });
    await buildPersonalContact({
      userId: me.id,
      kind: "email",
      value: "pending@example.com",
      verified: false,
    });
    const data = await loaderData(
      reachPage.loader({ request: getRequest("/profiel/bereik", me), params: {}, context: routeContext }),
    );
    for (const lng of ["nl", "en"] as const) {
      const html = render(reachPage.default, data, undefined, lng);
      expectComplete(html);
      expect(html).toContain("+32 4•• •• •• 01");
      expect(html).not.toContain("470000301");
      expect(html).not.toContain("pending@example.com");
    }
    const nl = render(reachPage.default, data);
    expect(nl).toContain("Berichten buiten Werkplek");
    expect(nl).toContain("wacht op code");
    expect(nl).toContain("Wat je toestemde en wanneer");
    expect(nl).toContain(`tekstversie ${CURRENT_CONSENT_VERSION}`);
  });

  it("shows a refused form's problems in the summary and on the field", async () => {
    const me = await signIn();
    const data = await loaderData(
      reachPage.loader({ request: getRequest("/profiel/bereik", me), params: {}, context: routeContext }),
    );
    const html = render(reachPage.default, data, {
      intent: "add-contact",
      problems: [{ field: "bereik-phone", key: "reach.errors.phone.not_mobile" }],
      typed: { kind: "phone", value: "09 210 10 10" },
    });
    expectComplete(html);
    expect(html).toContain('class="notice notice--error error-summary" role="alert"');
    expect(html).toContain('href="#bereik-phone"');
    const input = html.match(/<input[^>]*id="bereik-phone"[^>]*>/)?.[0] ?? "";
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('aria-describedby="bereik-phone-hint bereik-phone-fout"');
    expect(input).toContain('value="09 210 10 10"');
    expect(html).toContain('id="bereik-phone-fout"');
    expect(html).toContain("Dat is geen gsm-nummer (maar bijvoorbeeld een vast nummer)");

    const preferences = render(reachPage.default, data, {
      intent: "save-preferences",
      problems: [{ field: "bereik-kanaal-sms", key: "reach.preferences.errors.needsPhone" }],
      preferences: { ...(data as { preferences: object }).preferences, channels: ["sms"] },
    });
    expectComplete(preferences);
    expect(preferences).toContain('href="#bereik-kanaal-sms"');
    expect(preferences).toContain("Voor sms heb je een bevestigd gsm-nummer nodig");
  });

  it("renders the HR overview and a worker's page; an admin gets no register form", async () => {
    const worker = await buildUser({ isFieldWorker: true, displayName: "Kevin Verstraete" });
    await buildPersonalContact({ userId: worker.id, kind: "phone", value: "+32470000302", verified: false });
    const hr = await signIn({}, ["hr"]);
    const overview = await loaderData(
      overviewPage.loader({
        request: getRequest("/personeel?q=Kevin", hr),
        params: {},
        context: routeContext,
      }),
    );
    const list = render(overviewPage.default, overview);
    expectComplete(list);
    expect(list).toContain("Kevin Verstraete");
    expect(list).toContain("+32 4•• •• •• 02");

    const params = { userId: worker.id };
    const page = await loaderData(
      workerPage.loader({
        request: getRequest(`/personeel/${worker.id}`, hr),
        params,
        context: routeContext,
      }),
    );
    for (const lng of ["nl", "en"] as const) {
      const html = render(workerPage.default, page, undefined, lng);
      expectComplete(html);
      expect(html).not.toContain("470000302");
    }
    expect(render(workerPage.default, page)).toContain("Registreer en stuur de code");

    const admin = await signIn({}, ["admin"]);
    const readOnly = await loaderData(
      workerPage.loader({
        request: getRequest(`/personeel/${worker.id}`, admin),
        params,
        context: routeContext,
      }),
    );
    const html = render(workerPage.default, readOnly);
    expect(html).not.toContain("Registreer en stuur de code");
    expect(html).not.toContain('<form method="post"');
  });
});
