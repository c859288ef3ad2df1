/**
 * Notification preferences: per person and notification type, whether it shows in Werkplek (the bell and
 * /meldingen) and whether it may go into the digest (the summary field workers and others will get by
 * push, SMS or e-mail; a later issue). A NotificationPreference row exists only where a person chose
 * differently from the type's default below, so a changed default reaches everyone who never chose.
 *
 * Some types are mandatory: the person must hear of them whatever they chose, so they are not switchable
 * and `shouldDeliver` always says yes (see MANDATORY_REASONS).
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { isKnownNotificationType, type KnownNotificationType } from "./types";

/** How the preferences page groups the types. */
export const NOTIFICATION_AREAS = ["circulars", "stream", "places", "campaigns"] as const;
export type NotificationArea = (typeof NOTIFICATION_AREAS)[number];

/**
 * Why a type cannot be switched off:
 * - reviewDuty: the review of a circular is a task of its responsible person and, once overdue, of the
 *   editors; a missed reminder leaves an outdated guideline in force for everyone.
 * - moderation: whoever wrote a post or comment that a moderator hid must learn that it happened and why
 *   (it is their only way to know, and to object).
 */
export const MANDATORY_REASONS = ["reviewDuty", "moderation"] as const;
export type MandatoryReason = (typeof MANDATORY_REASONS)[number];

type TypeRule = {
  /** null: an operational alert for admins, not on the preferences page (nothing for others to choose). */
  area: NotificationArea | null;
  inApp: boolean;
  digest: boolean;
  mandatory?: MandatoryReason;
};

/**
 * Every known type with its area and defaults. `satisfies Record<KnownNotificationType, …>`: a type added
 * to ./types.ts does not compile until it has its entry here. Digests default to what needs action or
 * answers a person (mentions, replies, decisions on their requests); reactions and new followers are
 * pleasant but not worth a message to someone without a PC.
 */
export const NOTIFICATION_TYPE_RULES = {
  "circular.review_due": { area: "circulars", inApp: true, digest: true, mandatory: "reviewDuty" },
  "circular.review_overdue": { area: "circulars", inApp: true, digest: true, mandatory: "reviewDuty" },
  "circular.submitted": { area: "circulars", inApp: true, digest: true },
  "circular.returned": { area: "circulars", inApp: true, digest: true },
  "circular.question": { area: "circulars", inApp: true, digest: true },
  "circular.answered": { area: "circulars", inApp: true, digest: true },
  "post.mentioned": { area: "stream", inApp: true, digest: true },
  "comment.mentioned": { area: "stream", inApp: true, digest: true },
  "post.commented": { area: "stream", inApp: true, digest: true },
  "comment.replied": { area: "stream", inApp: true, digest: true },
  "post.reacted": { area: "stream", inApp: true, digest: false },
  "user.followed": { area: "stream", inApp: true, digest: false },
  // Announcements are what field workers most need in their digest.
  "announcement.published": { area: "stream", inApp: true, digest: true },
  "post.hidden": { area: "stream", inApp: true, digest: true, mandatory: "moderation" },
  "comment.hidden": { area: "stream", inApp: true, digest: true, mandatory: "moderation" },
  "place.join_requested": { area: "places", inApp: true, digest: true },
  "place.join_approved": { area: "places", inApp: true, digest: true },
  "place.join_rejected": { area: "places", inApp: true, digest: true },
  "place.member_added": { area: "places", inApp: true, digest: true },
  // Operations: admins must learn that SMS digests are being held back; not in anyone's digest.
  "sms.budget_reached": { area: null, inApp: true, digest: false },
  // Personal data: a worker always learns that HR registered a number for them (and it waits for their code).
  "reach.contact_registered": { area: null, inApp: true, digest: true },
  "campaign.approval_requested": { area: "campaigns", inApp: true, digest: false },
  "campaign.story_decided": { area: "campaigns", inApp: true, digest: true },
} as const satisfies Record<KnownNotificationType, TypeRule>;

const RULES: Record<KnownNotificationType, TypeRule> = NOTIFICATION_TYPE_RULES;

export type Delivery = { inApp: boolean; digest: boolean };

export type PreferenceItem = {
  type: KnownNotificationType;
  /** What the person gets now (their choice, or the default). */
  inApp: boolean;
  digest: boolean;
  defaults: Delivery;
  /** Set for a type that cannot be switched off, with the reason (a key of MANDATORY_REASONS). */
  mandatory: MandatoryReason | null;
};

export type PreferenceGroup = { area: NotificationArea; items: PreferenceItem[] };

/** A refused save; `issues` are English, one per problem. Routes answer 400. */
export class NotificationPreferenceError extends Error {
  constructor(
    readonly code: "invalid_input" | "mandatory",
    readonly issues: string[],
  ) {
    super(issues.join("; "));
    this.name = "NotificationPreferenceError";
  }
}

export function isNotificationPreferenceError(error: unknown): error is NotificationPreferenceError {
  return error instanceof NotificationPreferenceError;
}

const KNOWN_TYPES = Object.keys(RULES) as KnownNotificationType[];

/** The person's preferences for every known type, grouped by area in a stable order. */
export async function listNotificationPreferences(userId: string): Promise<PreferenceGroup[]> {
  const rows = await prisma.notificationPreference.findMany({
    where: { userId },
    select: { type: true, inApp: true, digest: true },
  });
  const chosen = new Map(rows.map((row) => [row.type, row]));
  return NOTIFICATION_AREAS.map((area) => ({
    area,
    items: KNOWN_TYPES.filter((type) => RULES[type].area === area).map((type) => {
      const rule = RULES[type];
      const defaults = { inApp: rule.inApp, digest: rule.digest };
      const own = rule.mandatory ? undefined : chosen.get(type);
      return {
        type,
        inApp: own?.inApp ?? defaults.inApp,
        digest: own?.digest ?? defaults.digest,
        defaults,
        mandatory: rule.mandatory ?? null,
      };
    }),
  }));
}

const DeliverySchema = z.object({ inApp: z.boolean(), digest: z.boolean() }).strict();

/** Input of `saveNotificationPreferences`: the types being set, each with both channels. */
export const PreferencesInputSchema = z.record(z.string().max(80), DeliverySchema);
export type PreferencesInput = z.infer<typeof PreferencesInputSchema>;

/**
 * Saves choices for some types (the others keep theirs). Only known types; a mandatory type may only be
 * "sent" as on in both channels. A choice equal to the default removes the row, so the person follows
 * future default changes again. Nothing is saved when any entry is refused.
 */
export async function saveNotificationPreferences(
  userId: string,
  input: unknown,
): Promise<{ saved: number }> {
  const parsed = PreferencesInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new NotificationPreferenceError(
      "invalid_input",
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`),
    );
  }
  const entries = Object.entries(parsed.data);
  const unknown = entries.filter(([type]) => !isKnownNotificationType(type)).map(([type]) => type);
  if (unknown.length > 0) {
    throw new NotificationPreferenceError(
      "invalid_input",
      unknown.map((type) => `unknown notification type: ${type}`),
    );
  }
  const known = entries as [KnownNotificationType, Delivery][];
  const switchedOff = known.filter(
    ([type, choice]) => RULES[type].mandatory && (!choice.inApp || !choice.digest),
  );
  if (switchedOff.length > 0) {
    throw new NotificationPreferenceError(
      "mandatory",
      switchedOff.map(([type]) => `${type} cannot be switched off`),
    );
  }
  await prisma.$transaction(async (tx) => {
    for (const [type, choice] of known) {
      const rule = RULES[type];
      if (rule.mandatory || (choice.inApp === rule.inApp && choice.digest === rule.digest)) {
        await tx.notificationPreference.deleteMany({ where: { userId, type } });
      } else {
        await tx.notificationPreference.upsert({
          where: { userId_type: { userId, type } },
          create: { userId, type, ...choice },
          update: choice,
        });
      }
    }
  });
  return { saved: known.length };
}

/**
 * What each of these people gets for a type: their choice or the default. Mandatory and unknown types
 * (a module that sends before it has an entry in ./types.ts) go everywhere: nobody could have chosen.
 * The digests (a later issue) read the `digest` half of this for the people and types they summarise.
 */
export async function deliveryFor(
  userIds: readonly string[],
  type: string,
  db: Prisma.TransactionClient = prisma,
): Promise<Map<string, Delivery>> {
  const ids = [...new Set(userIds)];
  const rule = isKnownNotificationType(type) ? RULES[type] : null;
  const fallback: Delivery = rule
    ? { inApp: rule.inApp, digest: rule.digest }
    : { inApp: true, digest: true };
  const result = new Map(ids.map((id) => [id, { ...fallback }]));
  if (!rule || rule.mandatory || ids.length === 0) return result;
  const rows = await db.notificationPreference.findMany({
    where: { type, userId: { in: ids } },
    select: { userId: true, inApp: true, digest: true },
  });
  for (const row of rows) result.set(row.userId, { inApp: row.inApp, digest: row.digest });
  return result;
}

/** The people among `userIds` who get this type in Werkplek (a row in the bell and a live event). */
export async function shouldDeliver(
  userIds: readonly string[],
  type: string,
  db: Prisma.TransactionClient = prisma,
): Promise<Set<string>> {
  const delivery = await deliveryFor(userIds, type, db);
  return new Set([...delivery].filter(([, choice]) => choice.inApp).map(([id]) => id));
}
