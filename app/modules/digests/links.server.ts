/**
 * What the /d/<token> link may do, and nothing more: show its own digest while the link is valid, record that
 * it was opened (and on which channel), and record a click on one of its items before sending the reader to
 * the item's normal page (which asks for a sign-in as usual). The token opens no other digest and no page.
 */
import { prisma } from "~/db.server";
import { type DigestChannel, Prisma } from "~/generated/prisma/client";
import { isInAppPath } from "~/modules/channels/push-payload";
import { DIGEST_CHANNELS } from "~/modules/reach/reachability.server";
import { type DigestItem, DigestItemsSchema } from "./items";
import { verifyDigestToken } from "./token.server";

/**
 * Headers of every answer under /d/: private (the service worker may keep a copy for offline reading, shared
 * caches may not), never indexed, and no Referer leaves the page, so the token does not reach other sites' logs.
 */
export const DIGEST_LINK_HEADERS = {
  "Cache-Control": "private, no-cache",
  "X-Robots-Tag": "noindex",
  "Referrer-Policy": "no-referrer",
} as const;

export type DigestLinkView = {
  id: string;
  items: DigestItem[];
  urgent: boolean;
  createdAt: Date;
};

/** not_found: a wrong or tampered token, or a digest that no longer exists; gone: expired or revoked. */
export type DigestLinkResult<T> = { status: "ok"; value: T } | { status: "not_found" } | { status: "gone" };

/** The channel a link names in `?k=`; anything else counts as none. */
export function digestChannelParam(value: string | null): DigestChannel | null {
  return (DIGEST_CHANNELS as readonly string[]).includes(value ?? "") ? (value as DigestChannel) : null;
}

function utc(date: Date): Prisma.Sql {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

async function digestForToken(
  token: string | undefined,
  now: Date,
): Promise<DigestLinkResult<DigestLinkView>> {
  const digestId = verifyDigestToken(token);
  if (!digestId) return { status: "not_found" };
  const digest = await prisma.digest.findUnique({
    where: { id: digestId },
    select: {
      id: true,
      items: true,
      urgent: true,
      createdAt: true,
      tokenExpiresAt: true,
      tokenRevokedAt: true,
    },
  });
  if (!digest) return { status: "not_found" };
  if (digest.tokenRevokedAt || digest.tokenExpiresAt.getTime() <= now.getTime()) return { status: "gone" };
  const items = DigestItemsSchema.safeParse(digest.items);
  if (!items.success) return { status: "not_found" };
  return {
    status: "ok",
    value: { id: digest.id, items: items.data, urgent: digest.urgent, createdAt: digest.createdAt },
  };
}

/**
 * Opens a digest from its link: the digest when the token is valid, and the first open recorded (the digest's
 * openedAt; the delivery on channel `channel` moves to "opened", never back from "clicked").
 */
export async function openDigestLink(
  token: string | undefined,
  channel: DigestChannel | null,
  now: Date,
): Promise<DigestLinkResult<DigestLinkView>> {
  const found = await digestForToken(token, now);
  if (found.status !== "ok") return found;
  await recordOpen(found.value.id, channel, now, "opened");
  return found;
}

/**
 * A click on item `index` of a digest from its link: records it (delivery "clicked") and returns the item's
 * in-app path to redirect to. An index out of range, or a stored url that is not an in-app path, is not_found:
 * this route never redirects anywhere else.
 */
export async function clickDigestLink(
  token: string | undefined,
  index: string | undefined,
  channel: DigestChannel | null,
  now: Date,
): Promise<DigestLinkResult<string>> {
  if (!index || !/^\d{1,3}$/.test(index)) return { status: "not_found" };
  const found = await digestForToken(token, now);
  if (found.status !== "ok") return found;
  const item = found.value.items[Number(index)];
  if (!item || !isInAppPath(item.url)) return { status: "not_found" };
  await recordOpen(found.value.id, channel, now, "clicked");
  return { status: "ok", value: item.url };
}

/** Statuses a delivery may move forward from: queued and failed never reached the person through us. */
const OPENABLE = ["sending", "sent", "delivered"] as const;

async function recordOpen(
  digestId: string,
  channel: DigestChannel | null,
  now: Date,
  to: "opened" | "clicked",
) {
  await prisma.digest.updateMany({ where: { id: digestId, openedAt: null }, data: { openedAt: now } });
  if (!channel) return;
  const from: readonly string[] = to === "clicked" ? [...OPENABLE, "opened", "clicked"] : OPENABLE;
  // Status only ever moves forward (… → opened → clicked); the first open and click times are kept.
  await prisma.$executeRaw`
    UPDATE "DigestDelivery"
    SET "status" = ${to}::"DeliveryStatus",
        "openedAt" = COALESCE("openedAt", ${utc(now)}),
        "clickedAt" = CASE WHEN ${to} = 'clicked' THEN COALESCE("clickedAt", ${utc(now)}) ELSE "clickedAt" END,
        "updatedAt" = ${utc(now)}
    WHERE "digestId" = ${digestId} AND "channel" = ${channel}::"DigestChannel"
      AND "status"::text = ANY(${[...from]}::text[])`;
}
