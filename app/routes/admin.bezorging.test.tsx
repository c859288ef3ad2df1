/**
 * /admin/bezorging: for read:reach (HR, admins); counts per channel and status within the period, today's
 * SMS usage against the budget, the latest deliveries filtered by channel and status (failures by default)
 * with masked destinations and reasons; a bad filter falls back with a notice. The chart has a data table.
 */
import { createInstance } from "i18next";
import { type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { i18nConfig } from "~/i18n/config";
import { brusselsDay } from "~/modules/channels/transports.server";
import { buildDigestDelivery, buildUser } from "../../tests/factories";
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
  useLoaderData: () => state.data,
}));

const { default: AdminDeliveryLog, loader } = await import("./admin.bezorging");

setupTestDatabase();

type LoaderData = Awaited<ReturnType<typeof loader>>;
const i18n = createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng: "nl" });
});

async function load(url: string, who: Awaited<ReturnType<typeof signIn>> | null) {
  return settle(loader({ request: getRequest(url, who), params: {}, context: routeContext }));
}

describe("/admin/bezorging", () => {
  it("is for HR and admins", async () => {
    expect((await load("/admin/bezorging", null)).status).toBe(302);
    expect((await load("/admin/bezorging", await signIn())).status).toBe(403);
    expect((await load("/admin/bezorging", await signIn({}, ["hr"]))).status).toBe(200);
    expect((await load("/admin/bezorging", await signIn({}, ["admin"]))).status).toBe(200);
  });

  it("counts per channel and status in the period, lists failures with their reason, shows the SMS budget", async () => {
    const hr = await signIn({}, ["hr"]);
    const worker = await buildUser({ isFieldWorker: true });
    const day = 24 * 3600_000;
    await buildDigestDelivery({
      userId: worker.id,
      channel: "sms",
      delivery: {
        status: "failed",
        destination: "+32 4•• •• •• 56",
        lastError: "permanent invalid_recipient",
      },
    });
    await buildDigestDelivery({ userId: worker.id, channel: "sms", delivery: { status: "delivered" } });
    await buildDigestDelivery({ userId: worker.id, channel: "email", delivery: { status: "sent" } });
    await buildDigestDelivery({
      userId: worker.id,
      channel: "push",
      delivery: {
        status: "failed",
        lastError: "push permanent (HTTP 413)",
        queuedAt: new Date(Date.now() - 20 * day),
      },
    });
    await prisma.smsUsage.create({ data: { day: brusselsDay(), messages: 12, segments: 20 } });

    const week = (await load("/admin/bezorging", hr)).body as LoaderData;
    const count = (data: LoaderData, channel: string, status: string) =>
      data.counts.find((c) => c.channel === channel)!.byStatus.find((s) => s.status === status)!.count;
    expect(count(week, "sms", "failed")).toBe(1);
    expect(count(week, "sms", "delivered")).toBe(1);
    expect(count(week, "email", "sent")).toBe(1);
    expect(count(week, "push", "failed")).toBe(0);
    const month = (await load("/admin/bezorging?periode=30", hr)).body as LoaderData;
    expect(count(month, "push", "failed")).toBe(1);

    expect(week.filter.status).toBe("failed");
    expect(week.deliveries.every((d) => d.status === "failed")).toBe(true);
    expect(week.deliveries.map((d) => d.lastError)).toContain("permanent invalid_recipient");
    const sms = (await load("/admin/bezorging?kanaal=sms&status=alle", hr)).body as LoaderData;
    expect(sms.deliveries.map((d) => d.status).sort()).toEqual(["delivered", "failed"]);
    expect(week.sms).toMatchObject({ messages: 12, segments: 20, budget: 2000, reached: false });

    const bad = (await load("/admin/bezorging?periode=365&status=kapot", hr)).body as LoaderData;
    expect(bad.invalidFilter).toBe(true);
    expect(bad.filter).toEqual({ periode: "7", kanaal: "alle", status: "failed" });

    state.data = week;
    const html = renderToString(
      <I18nextProvider i18n={i18n}>
        <AdminDeliveryLog />
      </I18nextProvider>,
    );
    expect(html).toContain("<table");
    expect(html).toContain('scope="row"');
    expect(html).toContain('aria-hidden="true"');
    expect(html).toContain("<meter");
    expect(html).toContain("20 van 2000 sms-delen gebruikt");
    expect(html).toContain("+32 4•• •• •• 56");
    expect(html).toContain("permanent invalid_recipient");
  });
});
