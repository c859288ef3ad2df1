/**
 * A composed digest as an SMS, a push notification and an e-mail, in the person's language. The delivery jobs
 * (./deliver.server.ts) call these at the moment of sending; the texts come from locales/<lang>/digest.json.
 *
 * - SMS: GSM-7 only (ë → e) and at most `maxSegments` segments: a headline with the count, the most
 *   important titles that fit, and the link whole on the last line (fitSms in channels/gsm7.ts).
 * - Push: within the 4 KB payload bound (buildPushPayload), urgency explicit, the in-app path of the link.
 * - E-mail: accessible HTML (lang, headings, real links, inline styles only: mail clients drop <style>) with
 *   every text escaped, plus the same content as plain text.
 */
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { htmlLang, type Locale } from "~/i18n/config";
import { fitSms } from "~/modules/channels/gsm7";
import { buildPushPayload, type BuiltPushPayload } from "~/modules/channels/push-payload";
import { digestLocale, digestTranslator } from "./i18n.server";
import { type DigestItem, parseDigestItems } from "./items";

export type DigestForRender = {
  id: string;
  userId: string;
  locale: Locale;
  givenName: string | null;
  items: DigestItem[];
  urgent: boolean;
  createdAt: Date;
};

/** A digest with what its messages need; null when it does not exist (any more). */
export async function loadDigestForRender(digestId: string): Promise<DigestForRender | null> {
  const digest = await prisma.digest.findUnique({
    where: { id: digestId },
    select: {
      id: true,
      userId: true,
      items: true,
      urgent: true,
      createdAt: true,
      user: { select: { locale: true, givenName: true } },
    },
  });
  if (!digest) return null;
  return {
    id: digest.id,
    userId: digest.userId,
    locale: digestLocale(digest.user.locale),
    givenName: digest.user.givenName?.trim() || null,
    items: parseDigestItems(digest.items),
    urgent: digest.urgent,
    createdAt: digest.createdAt,
  };
}

/** How long a push service keeps an undelivered digest: urgent news a day, a regular digest half a day. */
export function digestPushTtlSeconds(d: Pick<DigestForRender, "urgent">): number {
  return (d.urgent ? 24 : 12) * 3600;
}

/** The SMS: headline with the count, the titles that fit (most important first), the link. */
export function renderDigestSms(
  d: DigestForRender,
  link: string,
  maxSegments: number,
): { text: string; segments: number } {
  const t = digestTranslator(d.locale);
  const count = d.items.length;
  const headline = t(d.urgent ? "digest.sms.urgentHeadline" : "digest.sms.headline", { count });
  const fitted = fitSms([headline, ...d.items.map((item) => `- ${item.title}`)], { link, maxSegments });
  return { text: fitted.text, segments: fitted.segments };
}

/** Titles shown in the push body before "and N more items". */
const PUSH_TITLES = 3;

/** The push notification: a count as title, the first titles as body, the digest page as URL. */
export function renderDigestPush(
  d: DigestForRender,
  link: string,
): BuiltPushPayload & { ttlSeconds: number } {
  const t = digestTranslator(d.locale);
  const count = d.items.length;
  const shown = d.items.slice(0, PUSH_TITLES).map((item) => item.title);
  const rest = count - shown.length;
  const body = [shown.join(" · "), rest > 0 ? t("digest.push.more", { count: rest }) : ""]
    .filter((part) => part !== "")
    .join(" ");
  const url = new URL(link, getEnv().APP_URL);
  const built = buildPushPayload({
    title: t(d.urgent ? "digest.push.urgentTitle" : "digest.push.title", { count }),
    body,
    url: url.pathname + url.search,
    // One notification per digest on the phone: a repeated delivery replaces it instead of stacking.
    tag: `digest:${d.id}`,
    urgency: d.urgent ? "high" : "normal",
  });
  return { ...built, ttlSeconds: digestPushTtlSeconds(d) };
}

/** The link of one item: through /d/<token>/naar/<index>, which records the click and redirects. */
export function digestItemLink(link: string, index: number): string {
  const url = new URL(link);
  url.pathname = `${url.pathname.replace(/\/$/, "")}/naar/${index}`;
  return url.toString();
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe inside HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

const STYLE = {
  body: "margin:0;padding:0;background:#f3f5f7;",
  page:
    "max-width:640px;margin:0 auto;padding:24px;background:#ffffff;color:#1b1b1b;" +
    "font-family:Arial,Helvetica,sans-serif;font-size:18px;line-height:1.5;",
  h1: "font-size:26px;line-height:1.25;margin:0 0 16px;",
  label: "margin:0;font-size:15px;color:#3d3d3d;",
  urgent: "color:#a4000f;font-weight:bold;",
  h2: "font-size:20px;line-height:1.3;margin:4px 0;",
  link: "color:#0b4f8a;text-decoration:underline;",
  summary: "margin:0;",
  item: "margin:0 0 24px;padding:0;",
  list: "list-style:none;margin:24px 0;padding:0;",
  button:
    "display:inline-block;padding:14px 20px;background:#0b4f8a;color:#ffffff;font-weight:bold;" +
    "text-decoration:none;border-radius:4px;",
  small: "font-size:15px;color:#3d3d3d;",
};

/** The e-mail: subject, HTML and plain text with the same content. */
export function renderDigestEmail(
  d: DigestForRender,
  link: string,
): { subject: string; html: string; text: string } {
  const t = digestTranslator(d.locale);
  const count = d.items.length;
  const subject = d.urgent
    ? t("digest.email.urgentSubject", { count, title: d.items[0]?.title ?? "" })
    : t("digest.email.subject", { count });
  const greeting = d.givenName
    ? t("digest.email.greeting", { name: d.givenName })
    : t("digest.email.greetingNoName");
  const intro = t(d.urgent ? "digest.email.urgentIntro" : "digest.email.intro");
  const openAll = t("digest.email.openAll");
  const linkNote = t("digest.email.linkNote", { days: String(getEnv().DIGEST_LINK_DAYS) });
  const footer = t("digest.email.footer");
  const labelsOf = (item: DigestItem) =>
    [
      t(`digest.kinds.${item.kind}`),
      item.urgent ? t("digest.urgent") : null,
      item.needsAcknowledgement ? t("digest.needsAcknowledgement") : null,
    ].filter((label): label is string => label !== null);

  const htmlItems = d.items
    .map((item, index) => {
      // "Dringend" in red and bold, but as a word too: colour is never the only sign.
      const urgentLabel = t("digest.urgent");
      const labels = labelsOf(item)
        .map((label) =>
          label === urgentLabel
            ? `<span style="${STYLE.urgent}">${escapeHtml(label)}</span>`
            : escapeHtml(label),
        )
        .join(" · ");
      const summary = item.summary ? `<p style="${STYLE.summary}">${escapeHtml(item.summary)}</p>` : "";
      return (
        `<li style="${STYLE.item}"><p style="${STYLE.label}">${labels}</p>` +
        `<h2 style="${STYLE.h2}"><a href="${escapeHtml(digestItemLink(link, index))}" style="${STYLE.link}">` +
        `${escapeHtml(item.title)}</a></h2>${summary}</li>`
      );
    })
    .join("\n");
  const html = [
    "<!DOCTYPE html>",
    `<html lang="${htmlLang(d.locale)}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    "</head>",
    `<body style="${STYLE.body}">`,
    `<div style="${STYLE.page}">`,
    `<h1 style="${STYLE.h1}">${escapeHtml(subject)}</h1>`,
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<ul style="${STYLE.list}">`,
    htmlItems,
    "</ul>",
    `<p><a href="${escapeHtml(link)}" style="${STYLE.button}">${escapeHtml(openAll)}</a></p>`,
    `<p style="${STYLE.small}">${escapeHtml(linkNote)}</p>`,
    '<hr style="border:0;border-top:1px solid #d0d4d9;margin:24px 0;">',
    `<p style="${STYLE.small}">${escapeHtml(footer)}</p>`,
    "</div>",
    "</body>",
    "</html>",
  ].join("\n");

  const textItems = d.items.map((item, index) =>
    [
      `* ${item.title} (${labelsOf(item).join(", ")})`,
      item.summary ? `  ${item.summary}` : null,
      `  ${digestItemLink(link, index)}`,
    ]
      .filter((line): line is string => line !== null)
      .join("\n"),
  );
  const text = [greeting, intro, ...textItems, `${openAll}:\n${link}`, linkNote, "--", footer].join("\n\n");
  return { subject, html, text };
}
