/**
 * /admin/bezorging (permission read:reach: HR and admins): the digest delivery log. Counts per channel and
 * status over the last 7 or 30 days as a bar chart (SVG, with the same figures in a data table), today's
 * SMS usage against the daily budget, and the latest deliveries filtered by channel and status (failures by
 * default) with their reason. Destinations are the masks stored at sending time; reasons never hold contact
 * data (deliver.server.ts builds them from error codes). A GET form filters, so it works without JavaScript.
 */
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { type DeliveryStatus, type DigestChannel, type Prisma } from "~/generated/prisma/client";
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { brusselsDay } from "~/modules/channels/transports.server";
import { requirePermission } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export const DELIVERY_CHANNELS = ["push", "sms", "email"] as const satisfies readonly DigestChannel[];
export const DELIVERY_STATUSES = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "opened",
  "clicked",
  "failed",
] as const satisfies readonly DeliveryStatus[];
/** How many deliveries the list shows. */
export const DELIVERY_LIST_LIMIT = 50;

const PERIODS = ["7", "30"] as const;
const FilterSchema = z.object({
  periode: z.enum(PERIODS).default("7"),
  kanaal: z.enum(["alle", ...DELIVERY_CHANNELS]).default("alle"),
  status: z.enum(["alle", ...DELIVERY_STATUSES]).default("failed"),
});
type Filter = z.infer<typeof FilterSchema>;

const DAY_MS = 24 * 60 * 60 * 1000;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:reach");
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const url = new URL(request.url);
  const parsed = FilterSchema.safeParse({
    periode: url.searchParams.get("periode") ?? undefined,
    kanaal: url.searchParams.get("kanaal") ?? undefined,
    status: url.searchParams.get("status") ?? undefined,
  });
  // A hand-edited link shows the default view with a notice instead of an error page.
  const filter: Filter = parsed.success ? parsed.data : FilterSchema.parse({});
  const now = new Date();
  const since = new Date(now.getTime() - Number(filter.periode) * DAY_MS);

  const grouped = await prisma.digestDelivery.groupBy({
    by: ["channel", "status"],
    where: { queuedAt: { gte: since } },
    _count: { _all: true },
  });
  const counts = DELIVERY_CHANNELS.map((channel) => {
    const byStatus = DELIVERY_STATUSES.map((status) => ({
      status,
      count: grouped.find((g) => g.channel === channel && g.status === status)?._count._all ?? 0,
    }));
    return { channel, total: byStatus.reduce((sum, s) => sum + s.count, 0), byStatus };
  });

  const listWhere: Prisma.DigestDeliveryWhereInput = {
    ...(filter.kanaal === "alle" ? {} : { channel: filter.kanaal }),
    ...(filter.status === "alle" ? {} : { status: filter.status }),
  };
  const rows = await prisma.digestDelivery.findMany({
    where: listWhere,
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: DELIVERY_LIST_LIMIT,
    select: {
      id: true,
      channel: true,
      status: true,
      destination: true,
      attempts: true,
      segments: true,
      lastError: true,
      updatedAt: true,
    },
  });

  const day = brusselsDay(now);
  const usage = await prisma.smsUsage.findUnique({
    where: { day },
    select: { messages: true, segments: true, alertedAt: true },
  });
  const when = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Brussels",
  });
  return {
    title: `${t("outbox.delivery.title")} · Werkplek`,
    filter,
    invalidFilter: !parsed.success,
    counts,
    sms: {
      day,
      messages: usage?.messages ?? 0,
      segments: usage?.segments ?? 0,
      budget: getEnv().SMS_DAILY_BUDGET,
      reached: usage?.alertedAt != null,
    },
    deliveries: rows.map((row) => ({
      ...row,
      updatedAt: row.updatedAt.toISOString(),
      updatedAtText: when.format(row.updatedAt),
    })),
  };
}

type LoaderData = Awaited<ReturnType<typeof loader>>;

export default function AdminDeliveryLog() {
  const { filter, invalidFilter, counts, sms, deliveries } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="page delivery-log">
      <h1>{t("outbox.delivery.title")}</h1>
      <p className="lead">{t("outbox.delivery.intro")}</p>

      {invalidFilter ? (
        <p className="notice notice--error" role="alert">
          {t("outbox.delivery.invalidFilter")}
        </p>
      ) : null}

      <Form method="get" className="delivery-filter">
        <div className="delivery-filter__field">
          <label htmlFor="bezorging-periode">{t("outbox.delivery.periodLabel")}</label>
          <select id="bezorging-periode" name="periode" defaultValue={filter.periode}>
            {PERIODS.map((days) => (
              <option key={days} value={days}>
                {t("outbox.delivery.periodDays", { count: Number(days) })}
              </option>
            ))}
          </select>
        </div>
        <div className="delivery-filter__field">
          <label htmlFor="bezorging-kanaal">{t("outbox.delivery.channelLabel")}</label>
          <select id="bezorging-kanaal" name="kanaal" defaultValue={filter.kanaal}>
            {(["alle", ...DELIVERY_CHANNELS] as const).map((channel) => (
              <option key={channel} value={channel}>
                {t(`outbox.channels.${channel}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="delivery-filter__field">
          <label htmlFor="bezorging-status">{t("outbox.delivery.statusLabel")}</label>
          <select id="bezorging-status" name="status" defaultValue={filter.status}>
            {(["alle", ...DELIVERY_STATUSES] as const).map((status) => (
              <option key={status} value={status}>
                {t(`outbox.statuses.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t("outbox.delivery.filter")}
        </button>
      </Form>

      <SmsBudget sms={sms} />

      <section className="card" aria-labelledby="bezorging-overzicht">
        <h2 id="bezorging-overzicht">
          {t("outbox.delivery.countsTitle", { count: Number(filter.periode) })}
        </h2>
        <DeliveryChart counts={counts} />
        <DeliveryTable counts={counts} />
      </section>

      <section className="card" aria-labelledby="bezorging-lijst">
        <h2 id="bezorging-lijst">{t("outbox.delivery.listTitle")}</h2>
        <p className="muted">
          {t("outbox.delivery.listFilter", {
            channel: t(`outbox.channels.${filter.kanaal}`),
            status: t(`outbox.statuses.${filter.status}`),
            count: DELIVERY_LIST_LIMIT,
          })}
        </p>
        {deliveries.length === 0 ? (
          <p>{t("outbox.delivery.listEmpty")}</p>
        ) : (
          <div className="delivery-table-wrap">
            <table className="delivery-table">
              <thead>
                <tr>
                  <th scope="col">{t("outbox.delivery.columns.when")}</th>
                  <th scope="col">{t("outbox.delivery.columns.channel")}</th>
                  <th scope="col">{t("outbox.delivery.columns.status")}</th>
                  <th scope="col">{t("outbox.delivery.columns.destination")}</th>
                  <th scope="col">{t("outbox.delivery.columns.attempts")}</th>
                  <th scope="col">{t("outbox.delivery.columns.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((delivery) => (
                  <tr key={delivery.id}>
                    <td>
                      <time dateTime={delivery.updatedAt}>{delivery.updatedAtText}</time>
                    </td>
                    <td>{t(`outbox.channels.${delivery.channel}`)}</td>
                    <td>
                      <span className={`delivery-status delivery-status--${delivery.status}`}>
                        {t(`outbox.statuses.${delivery.status}`)}
                      </span>
                    </td>
                    <td>{delivery.destination ?? "—"}</td>
                    <td>{delivery.attempts}</td>
                    <td>{delivery.lastError ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function SmsBudget({ sms }: { sms: LoaderData["sms"] }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="bezorging-sms">
      <h2 id="bezorging-sms">{t("outbox.delivery.smsTitle")}</h2>
      <label htmlFor="bezorging-sms-meter" className="delivery-meter-label">
        {t("outbox.delivery.smsUsage", {
          used: String(sms.segments),
          budget: String(sms.budget),
          messages: String(sms.messages),
        })}
      </label>
      <meter
        id="bezorging-sms-meter"
        className="delivery-meter"
        min={0}
        max={Math.max(sms.budget, 1)}
        low={Math.floor(sms.budget * 0.8)}
        high={Math.floor(sms.budget * 0.95)}
        optimum={0}
        value={Math.min(sms.segments, Math.max(sms.budget, 1))}
      >
        {sms.segments} / {sms.budget}
      </meter>
      {sms.reached ? <p className="notice notice--error">{t("outbox.delivery.smsReached")}</p> : null}
    </section>
  );
}

const BAR_HEIGHT = 22;
const LABEL_WIDTH = 130;
const CHART_WIDTH = 560;

/** A horizontal bar per channel and status; the table below holds the same figures for screen readers. */
function DeliveryChart({ counts }: { counts: LoaderData["counts"] }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...counts.flatMap((c) => c.byStatus.map((s) => s.count)));
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 60;
  return (
    <div className="delivery-chart">
      {counts.map((channel) => {
        const height = channel.byStatus.length * (BAR_HEIGHT + 6) + 6;
        return (
          <figure key={channel.channel} className="delivery-chart__channel">
            <figcaption>
              {t("outbox.delivery.chartCaption", {
                channel: t(`outbox.channels.${channel.channel}`),
                count: channel.total,
              })}
            </figcaption>
            {/* Decorative: the data table below carries the same numbers, read in one go. */}
            <svg
              aria-hidden="true"
              focusable="false"
              viewBox={`0 0 ${CHART_WIDTH} ${height}`}
              className="delivery-chart__svg"
            >
              {channel.byStatus.map((entry, index) => {
                const y = 6 + index * (BAR_HEIGHT + 6);
                const width = entry.count === 0 ? 0 : Math.max(2, (entry.count / max) * barSpace);
                return (
                  <g key={entry.status}>
                    <text x={0} y={y + BAR_HEIGHT * 0.72} className="delivery-chart__label">
                      {t(`outbox.statuses.${entry.status}`)}
                    </text>
                    <rect
                      x={LABEL_WIDTH}
                      y={y}
                      width={width}
                      height={BAR_HEIGHT}
                      className={`delivery-chart__bar delivery-chart__bar--${entry.status}`}
                    />
                    <text
                      x={LABEL_WIDTH + width + 6}
                      y={y + BAR_HEIGHT * 0.72}
                      className="delivery-chart__value"
                    >
                      {entry.count}
                    </text>
                  </g>
                );
              })}
            </svg>
          </figure>
        );
      })}
    </div>
  );
}

function DeliveryTable({ counts }: { counts: LoaderData["counts"] }) {
  const { t } = useTranslation();
  return (
    <div className="delivery-table-wrap">
      <table className="delivery-table">
        <caption>{t("outbox.delivery.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("outbox.delivery.columns.status")}</th>
            {counts.map((channel) => (
              <th key={channel.channel} scope="col">
                {t(`outbox.channels.${channel.channel}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {DELIVERY_STATUSES.map((status, index) => (
            <tr key={status}>
              <th scope="row">{t(`outbox.statuses.${status}`)}</th>
              {counts.map((channel) => (
                <td key={channel.channel}>{channel.byStatus[index]!.count}</td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("outbox.delivery.total")}</th>
            {counts.map((channel) => (
              <td key={channel.channel}>{channel.total}</td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
