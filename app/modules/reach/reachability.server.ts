/**
 * Who can be reached on which channel, in one place for the digest planner, the delivery jobs, the
 * preference pages and HR: a channel counts only with the person's current consent for it (the latest
 * ConsentEvent of its purpose says granted) and, for SMS and e-mail, a verified active contact; for push,
 * at least one subscription. Contacts are decrypted only here, at the moment a message is sent.
 */
import { prisma } from "~/db.server";
import {
  type ConsentPurpose,
  type ContactKind,
  type DigestChannel,
  type Prisma,
} from "~/generated/prisma/client";
import { openPersonalData } from "~/modules/channels/keys.server";

export const DIGEST_CHANNELS = ["push", "sms", "email"] as const satisfies readonly DigestChannel[];

/** The consent purpose each digest channel needs. */
export const CONSENT_FOR_CHANNEL = {
  push: "digest_push",
  sms: "digest_sms",
  email: "digest_email",
} as const satisfies Record<DigestChannel, ConsentPurpose>;

/** The contact kind SMS and e-mail need (push needs a subscription instead). */
export const CONTACT_FOR_CHANNEL = { sms: "phone", email: "email" } as const satisfies Record<
  Exclude<DigestChannel, "push">,
  ContactKind
>;

/** The purpose a contact's ciphertext is bound to (AAD): a phone ciphertext cannot pass for an e-mail one. */
export function contactSealPurpose(kind: ContactKind): string {
  return `contact:${kind}`;
}

type Db = Prisma.TransactionClient;

/** The purposes each person currently consents to (latest event per purpose granted). */
export async function currentConsents(
  userIds: readonly string[],
  db: Db = prisma,
): Promise<Map<string, Set<ConsentPurpose>>> {
  const result = new Map<string, Set<ConsentPurpose>>(userIds.map((id) => [id, new Set()]));
  if (userIds.length === 0) return result;
  const rows = await db.$queryRaw<{ userId: string; purpose: ConsentPurpose; granted: boolean }[]>`
    SELECT DISTINCT ON ("userId", "purpose") "userId", "purpose", "granted"
    FROM "ConsentEvent" WHERE "userId" = ANY(${[...userIds]}::text[])
    ORDER BY "userId", "purpose", "createdAt" DESC, "id" DESC`;
  for (const row of rows) if (row.granted) result.get(row.userId)?.add(row.purpose);
  return result;
}

/** The digest channels each person can be reached on right now (consent + verified contact or subscription). */
export async function reachableChannels(
  userIds: readonly string[],
  db: Db = prisma,
): Promise<Map<string, Set<DigestChannel>>> {
  const result = new Map<string, Set<DigestChannel>>(userIds.map((id) => [id, new Set()]));
  if (userIds.length === 0) return result;
  const ids = [...userIds];
  const [consents, contacts, subscriptions] = await Promise.all([
    currentConsents(ids, db),
    db.personalContact.findMany({
      where: { userId: { in: ids }, removedAt: null, verifiedAt: { not: null } },
      select: { userId: true, kind: true },
    }),
    db.pushSubscription.groupBy({ by: ["userId"], where: { userId: { in: ids } } }),
  ]);
  const hasContact = new Set(contacts.map((c) => `${c.userId}:${c.kind}`));
  const hasPush = new Set(subscriptions.map((s) => s.userId));
  for (const id of ids) {
    const granted = consents.get(id)!;
    const channels = result.get(id)!;
    if (granted.has("digest_push") && hasPush.has(id)) channels.add("push");
    if (granted.has("digest_sms") && hasContact.has(`${id}:phone`)) channels.add("sms");
    if (granted.has("digest_email") && hasContact.has(`${id}:email`)) channels.add("email");
  }
  return result;
}

/**
 * The person's verified, active contact of a kind, decrypted: only for the moment of sending (never log
 * `value`, never return it to a page). Null when there is none.
 */
export async function activeContact(
  userId: string,
  kind: ContactKind,
  db: Db = prisma,
): Promise<{ id: string; value: string; masked: string } | null> {
  const contact = await db.personalContact.findFirst({
    where: { userId, kind, removedAt: null, verifiedAt: { not: null } },
    select: { id: true, valueEncrypted: true, masked: true },
  });
  if (!contact) return null;
  return {
    id: contact.id,
    value: openPersonalData(contact.valueEncrypted, { purpose: contactSealPurpose(kind), userId }),
    masked: contact.masked,
  };
}
