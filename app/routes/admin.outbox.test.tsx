/**
 * /admin/outbox: only for read:outbox (admins); newest first, filtered by channel and paged; a bad filter
 * falls back with a notice. Rendered: an e-mail's HTML appears only inside a sandboxed iframe's srcdoc or as
 * escaped source, never as markup of the page itself.
 */
import { createInstance } from "i18next";
import { type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { i18nConfig } from "~/i18n/config";
import { setupTestDatabase } from "../../tests/setup/database";
import { getRequest, routeContext, settle, signIn } from "../../tests/support/routes";

type AnyProps = Record<string, unknown> & { children?: ReactNode };
const state: { data: unknown } = { data: null };

vi.mock("@remix-run/react", () => ({
  Form: ({ children, method, className }: AnyProps) => (
    <form method={method as string} className={className as string}>
      {children}
    </form>
  ),
  Link: ({ children, to }: AnyProps) => <a href={to as string}>{children}</a>,
  useLoaderData: () => state.data,
}));

const { default: AdminOutbox, loader, OUTBOX_PAGE_SIZE } = await import("./admin.outbox");

setupTestDatabase();

type LoaderData = Awaited<ReturnType<typeof loader>>;
const i18n = createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng: "nl" });
});
beforeEach(async () => {
  await prisma.outboxMessage.deleteMany();
});

async function load(url: string, who: Awaited<ReturnType<typeof signIn>> | null) {
  return settle(loader({ request: getRequest(url, who), params: {}, context: routeContext }));
}

const EVIL_HTML = '<h1>Overzicht</h1><script>alert("x")</script><img src=x onerror="alert(1)">';

describe("/admin/outbox", () => {
  it("is for admins only", async () => {
    expect((await load("/admin/outbox", null)).status).toBe(302);
    expect((await load("/admin/outbox", await signIn())).status).toBe(403);
    expect((await load("/admin/outbox", await signIn({}, ["hr"]))).status).toBe(403);
    expect((await load("/admin/outbox", await signIn({}, ["admin"]))).status).toBe(200);
  });

  it("lists the newest first, filters by channel, pages, and falls back on a bad filter", async () => {
    const admin = await signIn({}, ["admin"]);
    const base = Date.now() - 60 * 60_000;
    await prisma.outboxMessage.createMany({
      data: Array.from({ length: OUTBOX_PAGE_SIZE + 3 }, (_, index) => ({
        channel: index % 2 === 0 ? ("sms" as const) : ("email" as const),
        destination: index % 2 === 0 ? "+32 4•• •• •• 56" : "m•••@telenet.be",
        text: `Bericht ${index}`,
        subject: index % 2 === 0 ? null : `Onderwerp ${index}`,
        html: index % 2 === 0 ? null : "<p>Hallo</p>",
        meta: index % 2 === 0 ? { segments: 1, encoding: "GSM-7" } : undefined,
        purpose: "digest",
        createdAt: new Date(base + index * 1000),
      })),
    });
    const first = (await load("/admin/outbox", admin)).body as LoaderData;
    expect(first.total).toBe(OUTBOX_PAGE_SIZE + 3);
    expect(first.pageCount).toBe(2);
    expect(first.messages).toHaveLength(OUTBOX_PAGE_SIZE);
    expect(first.messages[0]!.text).toBe(`Bericht ${OUTBOX_PAGE_SIZE + 2}`);
    expect(first.transports).toEqual({ sms: "outbox", email: "outbox" });

    const second = (await load("/admin/outbox?pagina=2", admin)).body as LoaderData;
    expect(second.messages.map((m) => m.text)).toEqual(["Bericht 2", "Bericht 1", "Bericht 0"]);

    const sms = (await load("/admin/outbox?kanaal=sms", admin)).body as LoaderData;
    expect(sms.messages.every((m) => m.channel === "sms")).toBe(true);
    expect(sms.messages[0]).toMatchObject({ segments: 1, encoding: "GSM-7" });

    const bad = (await load("/admin/outbox?kanaal=fax&pagina=-3", admin)).body as LoaderData;
    expect(bad).toMatchObject({ invalidFilter: true, channel: "alle", page: 1 });
    const beyond = (await load("/admin/outbox?pagina=99", admin)).body as LoaderData;
    expect(beyond.page).toBe(2);
  });

  it("shows an e-mail's HTML only in a sandboxed iframe or as escaped source", async () => {
    const admin = await signIn({}, ["admin"]);
    await prisma.outboxMessage.create({
      data: {
        channel: "email",
        destination: "m•••@telenet.be",
        subject: "Je overzicht",
        text: "Je overzicht in tekst",
        html: EVIL_HTML,
        purpose: "digest",
      },
    });
    state.data = (await load("/admin/outbox", admin)).body;
    const html = renderToString(
      <I18nextProvider i18n={i18n}>
        <AdminOutbox />
      </I18nextProvider>,
    );
    expect(html).toContain('sandbox=""');
    expect(html).toContain("srcDoc=");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('<img src="x"');
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("Je overzicht in tekst");
    expect(html).toContain("naar deze outbox");
  });
});
