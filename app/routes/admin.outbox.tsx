/**
 * /admin/outbox (permission read:outbox): what the embedded default transport kept instead of sending: the
 * SMS texts with their segments and encoding, the e-mails with subject, plain text and HTML. The HTML is
 * only ever shown inside a sandboxed iframe (srcdoc, no scripts, an opaque origin) or as escaped source,
 * never injected into this page. Destinations were masked when the message was stored. Newest first,
 * filtered by channel, paged with plain links (works without JavaScript).
 */
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { transportNames } from "~/modules/channels/transports.server";
import { requirePermission } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export const OUTBOX_PAGE_SIZE = 20;
/** Query parameters: channel ("kanaal": alle, sms, email) and page ("pagina", from 1). */
const CHANNEL_PARAM = "kanaal";
const PAGE_PARAM = "pagina";
const CHANNEL_FILTERS = ["alle", "sms", "email"] as const;
type ChannelFilter = (typeof CHANNEL_FILTERS)[number];
const MAX_PAGE = 10_000;

const ChannelSchema = z.enum(CHANNEL_FILTERS);
const PageSchema = z.coerce.number().int().min(1).max(MAX_PAGE);
/** Purposes with a text of their own (transports.server.ts SendPurpose); others are shown as stored. */
const KNOWN_PURPOSES: ReadonlySet<string> = new Set([
  "digest",
  "otp_sign_in",
  "otp_verify",
  "sms_budget_alert",
]);
const SmsMetaSchema = z.object({ segments: z.number().int(), encoding: z.enum(["GSM-7", "UCS-2"]) });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:outbox");
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const url = new URL(request.url);

  // A hand-edited or stale link gets the unfiltered first page and a notice rather than an error page.
  const channelParam = url.searchParams.get(CHANNEL_PARAM);
  const pageParam = url.searchParams.get(PAGE_PARAM);
  const channelParsed = ChannelSchema.safeParse(channelParam ?? "alle");
  const pageParsed = PageSchema.safeParse(pageParam ?? "1");
  const channel: ChannelFilter = channelParsed.success ? channelParsed.data : "alle";
  const invalidFilter = !channelParsed.success || !pageParsed.success;

  const where: Prisma.OutboxMessageWhereInput = channel === "alle" ? {} : { channel };
  const total = await prisma.outboxMessage.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
  const page = Math.min(pageParsed.success ? pageParsed.data : 1, pageCount);
  const rows = await prisma.outboxMessage.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * OUTBOX_PAGE_SIZE,
    take: OUTBOX_PAGE_SIZE,
    select: {
      id: true,
      channel: true,
      destination: true,
      subject: true,
      text: true,
      html: true,
      meta: true,
      purpose: true,
      createdAt: true,
    },
  });
  const when = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "medium",
    timeStyle: "medium",
    timeZone: "Europe/Brussels",
  });
  return {
    title: `${t("outbox.outbox.title")} · Werkplek`,
    channel,
    page,
    pageCount,
    total,
    invalidFilter,
    transports: transportNames(),
    messages: rows.map((row) => {
      const sms = row.channel === "sms" ? SmsMetaSchema.safeParse(row.meta) : null;
      return {
        id: row.id,
        channel: row.channel,
        destination: row.destination,
        purpose: row.purpose,
        knownPurpose: KNOWN_PURPOSES.has(row.purpose),
        subject: row.subject,
        text: row.text,
        html: row.html,
        segments: sms?.success ? sms.data.segments : null,
        encoding: sms?.success ? sms.data.encoding : null,
        createdAt: row.createdAt.toISOString(),
        createdAtText: when.format(row.createdAt),
      };
    }),
  };
}

type OutboxMessageView = Awaited<ReturnType<typeof loader>>["messages"][number];

/** The link to another page of the same filter. */
function pageLink(channel: ChannelFilter, page: number): string {
  const params = new URLSearchParams();
  if (channel !== "alle") params.set(CHANNEL_PARAM, channel);
  if (page > 1) params.set(PAGE_PARAM, String(page));
  const query = params.toString();
  return `/admin/outbox${query ? `?${query}` : ""}`;
}

export default function AdminOutbox() {
  const { channel, page, pageCount, total, invalidFilter, transports, messages } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="page outbox">
      <h1>{t("outbox.outbox.title")}</h1>
      <p className="lead">{t("outbox.outbox.intro")}</p>
      <section className="card" aria-labelledby="outbox-transports">
        <h2 id="outbox-transports">{t("outbox.outbox.transportsTitle")}</h2>
        <ul className="outbox-transports">
          <li>{t(`outbox.outbox.transports.sms.${transports.sms}`)}</li>
          <li>{t(`outbox.outbox.transports.email.${transports.email}`)}</li>
          <li>{t("outbox.outbox.transports.push")}</li>
        </ul>
      </section>

      {invalidFilter ? (
        <p className="notice notice--error" role="alert">
          {t("outbox.outbox.invalidFilter")}
        </p>
      ) : null}

      <Form method="get" className="outbox-filter">
        <label htmlFor="outbox-kanaal">{t("outbox.outbox.channelLabel")}</label>
        <select id="outbox-kanaal" name={CHANNEL_PARAM} defaultValue={channel}>
          {CHANNEL_FILTERS.map((option) => (
            <option key={option} value={option}>
              {t(`outbox.channels.${option}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t("outbox.outbox.filter")}
        </button>
      </Form>

      <p role="status">{t("outbox.outbox.count", { count: total })}</p>

      {messages.length === 0 ? (
        <p className="muted">{t("outbox.outbox.empty")}</p>
      ) : (
        <ol className="outbox-list">
          {messages.map((message) => (
            <li key={message.id}>
              <OutboxMessageCard message={message} />
            </li>
          ))}
        </ol>
      )}

      {pageCount > 1 ? (
        <nav className="outbox-pager" aria-label={t("outbox.outbox.pager")}>
          {page > 1 ? <Link to={pageLink(channel, page - 1)}>{t("outbox.outbox.newer")}</Link> : null}
          <span>{t("outbox.outbox.pageOf", { page: String(page), pages: String(pageCount) })}</span>
          {page < pageCount ? <Link to={pageLink(channel, page + 1)}>{t("outbox.outbox.older")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

function OutboxMessageCard({ message }: { message: OutboxMessageView }) {
  const { t } = useTranslation();
  const headingId = `outbox-${message.id}`;
  const purpose = message.knownPurpose ? t(`outbox.purposes.${message.purpose}`) : message.purpose;
  return (
    <article className="card outbox-message" aria-labelledby={headingId}>
      <h2 id={headingId} className="outbox-message__title">
        <span className="outbox-channel">{t(`outbox.channels.${message.channel}`)}</span>{" "}
        {message.channel === "email" && message.subject ? message.subject : purpose}
      </h2>
      <dl className="outbox-meta">
        <div>
          <dt>{t("outbox.outbox.to")}</dt>
          <dd>{message.destination}</dd>
        </div>
        <div>
          <dt>{t("outbox.outbox.at")}</dt>
          <dd>
            <time dateTime={message.createdAt}>{message.createdAtText}</time>
          </dd>
        </div>
        <div>
          <dt>{t("outbox.outbox.purpose")}</dt>
          <dd>{purpose}</dd>
        </div>
        {message.segments !== null ? (
          <div>
            <dt>{t("outbox.outbox.segments")}</dt>
            <dd>
              {t("outbox.outbox.segmentsValue", {
                count: message.segments,
                encoding: message.encoding ?? "",
              })}
            </dd>
          </div>
        ) : null}
      </dl>
      {message.channel === "email" ? (
        <>
          <details className="outbox-preview">
            <summary>{t("outbox.outbox.textPart")}</summary>
            <pre className="outbox-text">{message.text}</pre>
          </details>
          {message.html ? (
            <>
              <details className="outbox-preview">
                <summary>{t("outbox.outbox.htmlPreview")}</summary>
                {/* sandbox="" : no scripts, no forms, no navigation, an opaque origin. */}
                <iframe
                  className="outbox-frame"
                  sandbox=""
                  srcDoc={message.html}
                  title={t("outbox.outbox.htmlFrameTitle", { subject: message.subject ?? "" })}
                />
              </details>
              <details className="outbox-preview">
                <summary>{t("outbox.outbox.htmlSource")}</summary>
                <pre className="outbox-text">{message.html}</pre>
              </details>
            </>
          ) : null}
        </>
      ) : (
        <pre className="outbox-text outbox-text--sms">{message.text}</pre>
      )}
    </article>
  );
}
