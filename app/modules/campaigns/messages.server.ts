/**
 * A campaign's message plan: the timeline of messages communicators plan, change and cancel, reminders to
 * those a sent message did not reach, and the list the campaign page and the planner show.
 *
 * Rules (docs/decisions/0010-campaigns.md):
 * - Only campaign managers (canManageCampaigns) plan; every change writes its audit event in the same
 *   transaction, with the campaign row locked so a concurrent "end" cannot slip in between.
 * - Nothing is planned on an ended campaign; only `planned` messages change (the sender claims planned → sending
 *   with a conditional update, so an edit and a send can never both win).
 * - The body is Lexical JSON with the stream's light formatting (paragraphs, lists, bold, italic, links,
 *   mentions, hashtags), validated exactly as a post's; its plain text is derived here, never taken from input.
 * - The send time is Brussels wall-clock "YYYY-MM-DDTHH:MM", inside the campaign period and not in the past.
 *   Daylight saving: a time that does not exist (the spring-forward hour, 02:00–02:59 on the last Sunday of
 *   March) is refused with a clear message rather than silently moved; a time that exists twice (the
 *   autumn hour, 02:00–02:59 on the last Sunday of October) means the first one, summer time.
 */
import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import { prisma } from "~/db.server";
import {
  type CampaignChannel,
  type CampaignStatus,
  type Prisma,
  type PulseKind,
} from "~/generated/prisma/client";
import { prepareBody } from "~/modules/stream/posts.server";
import { POST_LIMITS } from "~/modules/stream/content";
import { isStreamError } from "~/modules/stream/errors";
import { recordCampaignAudit } from "./audit.server";
import { type CampaignIssue, CampaignError, issuesFromZod } from "./errors";
import { parseCampaignAudience } from "./audience";
import { type CampaignActor, type CampaignReader, canManageCampaigns, canSeeCampaign } from "./policy.server";

type Db = Prisma.TransactionClient;

export const BRUSSELS = "Europe/Brussels";

export const CAMPAIGN_CHANNELS = [
  "stream",
  "push",
  "sms",
  "email",
  "digest",
  "kiosk",
] as const satisfies readonly CampaignChannel[];

/** Channels that go to named recipients (a reminder can only use these: the stream and kiosk are for all). */
export const TARGETED_CHANNELS = [
  "push",
  "sms",
  "email",
  "digest",
] as const satisfies readonly CampaignChannel[];

export const MESSAGE_LIMITS = {
  titleMin: 3,
  titleMax: 140,
  pulseQuestionMin: 5,
  pulseQuestionMax: 200,
  pulseOptionMax: 80,
  choiceMin: 2,
  choiceMax: 6,
} as const;

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export type WallClockResult =
  { ok: true; date: Date } | { ok: false; reason: "invalid_format" | "nonexistent_local_time" };

/**
 * Brussels wall-clock "YYYY-MM-DDTHH:MM" → the UTC instant. A time skipped by the spring-forward change is
 * refused (`nonexistent_local_time`); a time that occurs twice in autumn resolves to the first (summer time).
 */
export function brusselsWallClockToUtc(value: string): WallClockResult {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) return { ok: false, reason: "invalid_format" };
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) {
    return { ok: false, reason: "invalid_format" };
  }
  const local = new TZDate(year, month - 1, day, hour, minute, 0, 0, BRUSSELS);
  // TZDate rolls an impossible date (31 April) or a skipped hour forward: a round trip tells them apart.
  if (local.getFullYear() !== year || local.getMonth() !== month - 1 || local.getDate() !== day) {
    return { ok: false, reason: "invalid_format" };
  }
  if (local.getHours() !== hour || local.getMinutes() !== minute) {
    return { ok: false, reason: "nonexistent_local_time" };
  }
  // In the repeated autumn hour TZDate answers the later (winter time) instant; an hour earlier shows the same
  // wall-clock time then, and the first occurrence is the one people mean ("before the clocks go back").
  const earlier = new TZDate(local.getTime() - 3600_000, BRUSSELS);
  if (earlier.getDate() === day && earlier.getHours() === hour && earlier.getMinutes() === minute) {
    return { ok: true, date: new Date(earlier.getTime()) };
  }
  return { ok: true, date: new Date(local.getTime()) };
}

/** The Brussels wall-clock "YYYY-MM-DDTHH:MM" of an instant (for forms and the planner's timeline). */
export function utcToBrusselsWallClock(date: Date): string {
  const local = new TZDate(date.getTime(), BRUSSELS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}`;
}

// ---------------------------------------------------------------------------------------------------------
// Input

/** Checkboxes arrive as "on"; the API sends booleans. */
const BooleanInput = z.union([z.boolean(), z.enum(["on", "true", "false"]).transform((v) => v !== "false")]);

/** A single checked channel arrives as a string from a form. */
const ChannelsInput = z.preprocess(
  (value) => (typeof value === "string" ? [value] : value),
  z.array(z.enum(CAMPAIGN_CHANNELS)).min(1).max(CAMPAIGN_CHANNELS.length),
);

const PulseInputSchema = z.object({
  question: z.string().trim().min(MESSAGE_LIMITS.pulseQuestionMin).max(MESSAGE_LIMITS.pulseQuestionMax),
  kind: z.enum(["scale", "choice"]),
  options: z.preprocess(
    (value) => (typeof value === "string" ? [value] : value),
    z.array(z.string().trim().min(1).max(MESSAGE_LIMITS.pulseOptionMax)).max(MESSAGE_LIMITS.choiceMax),
  ),
});

const MessageInputSchema = z.object({
  title: z.string().trim().min(MESSAGE_LIMITS.titleMin).max(MESSAGE_LIMITS.titleMax),
  body: z.unknown().optional(),
  plainText: z.unknown().optional(),
  channels: ChannelsInput,
  sendAt: z.string().trim(),
  requiresAck: BooleanInput.default(false),
  pulse: PulseInputSchema.nullish(),
});

const ReminderInputSchema = z.object({
  sendAt: z.string().trim(),
  title: z.string().trim().min(MESSAGE_LIMITS.titleMin).max(MESSAGE_LIMITS.titleMax).optional(),
  body: z.unknown().optional(),
  plainText: z.unknown().optional(),
  /** Default: the original's targeted channels. */
  channels: z
    .preprocess(
      (value) => (typeof value === "string" ? [value] : value),
      z.array(z.enum(TARGETED_CHANNELS)).min(1).max(TARGETED_CHANNELS.length),
    )
    .optional(),
});

export type MessageInput = z.input<typeof MessageInputSchema>;
export type ReminderInput = z.input<typeof ReminderInputSchema>;

type ValidMessage = {
  title: string;
  body: Prisma.InputJsonObject;
  bodyText: string;
  channels: CampaignChannel[];
  sendAt: Date;
  requiresAck: boolean;
  pulseQuestion: string | null;
  pulseKind: PulseKind | null;
  pulseOptions: string[];
};

type CampaignForPlanning = {
  id: string;
  status: CampaignStatus;
  startsAt: Date;
  endsAt: Date;
  audience: Prisma.JsonValue;
};

function invalid(issues: CampaignIssue[]): CampaignError {
  return new CampaignError("invalid", issues.map((issue) => `${issue.field}: ${issue.message}`).join("; "), {
    issues,
  });
}

/** Validates the body as a post's (light whitelist, mentions resolved and checked); returns document and text. */
async function validBody(input: { body?: unknown; plainText?: unknown }): Promise<{
  body: Prisma.InputJsonObject;
  bodyText: string;
}> {
  try {
    const prepared = await prepareBody(input, { limits: POST_LIMITS });
    return { body: prepared.document as unknown as Prisma.InputJsonObject, bodyText: prepared.text };
  } catch (error) {
    if (!isStreamError(error, "invalid_input")) throw error;
    throw invalid(
      error.issues.map((message): CampaignIssue => {
        if (message === "the text is empty") return { field: "body", code: "required", message };
        if (message.startsWith("the text is longer")) {
          return { field: "body", code: "too_long", message, params: { max: POST_LIMITS.maxTextLength } };
        }
        return { field: "body", code: "invalid_value", message };
      }),
    );
  }
}

function sendAtIssue(reason: string, message: string): CampaignIssue {
  return { field: "sendAt", code: "invalid_date", message, params: { reason } };
}

/** The send moment: a real Brussels time, not before this minute, inside the campaign period. */
function validSendAt(value: string, campaign: CampaignForPlanning, now: Date): Date {
  const parsed = brusselsWallClockToUtc(value);
  if (!parsed.ok) {
    throw invalid([
      parsed.reason === "nonexistent_local_time"
        ? sendAtIssue(
            "nonexistent_local_time",
            `${value} does not exist in Brussels: the clocks jump from 02:00 to 03:00 that night`,
          )
        : {
            field: "sendAt",
            code: "invalid_format",
            message: "sendAt must be a date and time YYYY-MM-DDTHH:MM",
          },
    ]);
  }
  const sendAt = parsed.date;
  // "Now" entered at minute precision must be accepted: compare with the start of the current minute.
  const thisMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  if (sendAt.getTime() < thisMinute) throw invalid([sendAtIssue("in_the_past", "sendAt is in the past")]);
  if (sendAt < campaign.startsAt) {
    throw invalid([sendAtIssue("before_campaign_start", "sendAt is before the campaign starts")]);
  }
  if (sendAt > campaign.endsAt) {
    throw invalid([sendAtIssue("after_campaign_end", "sendAt is after the campaign ends")]);
  }
  return sendAt;
}

function pulseOf(
  pulse: z.infer<typeof PulseInputSchema> | null | undefined,
): Pick<ValidMessage, "pulseQuestion" | "pulseKind" | "pulseOptions"> {
  if (!pulse) return { pulseQuestion: null, pulseKind: null, pulseOptions: [] };
  const options = pulse.options;
  if (pulse.kind === "scale" && options.length !== 2) {
    throw invalid([
      {
        field: "pulse.options",
        code: options.length < 2 ? "too_short" : "too_many",
        message: "a 1-5 scale needs exactly two labels: for 1 and for 5",
        params: { min: 2, max: 2 },
      },
    ]);
  }
  if (pulse.kind === "choice" && options.length < MESSAGE_LIMITS.choiceMin) {
    throw invalid([
      {
        field: "pulse.options",
        code: "too_short",
        message: `a multiple-choice question needs ${MESSAGE_LIMITS.choiceMin} to ${MESSAGE_LIMITS.choiceMax} options`,
        params: { min: MESSAGE_LIMITS.choiceMin, max: MESSAGE_LIMITS.choiceMax },
      },
    ]);
  }
  const distinct = new Set(options.map((option) => option.toLocaleLowerCase("nl-BE")));
  if (distinct.size !== options.length) {
    throw invalid([{ field: "pulse.options", code: "invalid_value", message: "the options must differ" }]);
  }
  return { pulseQuestion: pulse.question, pulseKind: pulse.kind, pulseOptions: options };
}

/** The kiosk board is public: it only shows campaigns addressed to everyone (no departments, no roles). */
export function isKioskAudience(audience: unknown): boolean {
  try {
    const parsed = parseCampaignAudience(audience);
    const roles = parsed.roles.filter((role) => role !== "employee");
    return parsed.departmentIds.length === 0 && (roles.length === 0 || roles.length !== parsed.roles.length);
  } catch {
    return false;
  }
}

async function validMessage(input: unknown, campaign: CampaignForPlanning, now: Date): Promise<ValidMessage> {
  const parsed = MessageInputSchema.safeParse(input ?? {});
  if (!parsed.success) throw invalid(issuesFromZod(parsed.error.issues, { input }));
  const data = parsed.data;
  const channels = CAMPAIGN_CHANNELS.filter((channel) => data.channels.includes(channel));
  if (channels.includes("kiosk") && !isKioskAudience(campaign.audience)) {
    throw invalid([
      {
        field: "channels",
        code: "invalid_value",
        message: "the kiosk shows only campaigns for everyone (no departments or roles in the audience)",
        params: { reason: "kiosk_needs_open_audience" },
      },
    ]);
  }
  const sendAt = validSendAt(data.sendAt, campaign, now);
  const pulse = pulseOf(data.pulse);
  const body = await validBody(data);
  return { title: data.title, ...body, channels, sendAt, requiresAck: data.requiresAck, ...pulse };
}

// ---------------------------------------------------------------------------------------------------------
// Loading with the rules

function requireManager(actor: CampaignActor): void {
  if (!canManageCampaigns(actor))
    throw new CampaignError("forbidden", "Only campaign managers plan messages");
}

/** Locks the campaign row for the rest of the transaction and checks it may still take messages. */
async function lockOpenCampaign(tx: Db, campaignId: string): Promise<CampaignForPlanning> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Campaign" WHERE "id" = ${campaignId} FOR UPDATE`;
  if (locked.length === 0) throw new CampaignError("not_found", `Campaign ${campaignId} not found`);
  const campaign = await tx.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { id: true, status: true, startsAt: true, endsAt: true, audience: true },
  });
  if (campaign.status === "ended") {
    throw new CampaignError("wrong_status", `Campaign ${campaignId} has ended: no messages can be planned`);
  }
  return campaign;
}

const messageSelect = {
  id: true,
  campaignId: true,
  title: true,
  body: true,
  bodyText: true,
  channels: true,
  sendAt: true,
  status: true,
  sentAt: true,
  requiresAck: true,
  pulseQuestion: true,
  pulseKind: true,
  pulseOptions: true,
  reminderOfId: true,
  postId: true,
} as const satisfies Prisma.CampaignMessageSelect;

export type CampaignMessageView = Prisma.CampaignMessageGetPayload<{ select: typeof messageSelect }>;

async function lockMessage(tx: Db, messageId: string): Promise<CampaignMessageView> {
  const row = await tx.campaignMessage.findUnique({ where: { id: messageId }, select: { campaignId: true } });
  if (!row) throw new CampaignError("not_found", `Message ${messageId} not found`);
  // Campaign first, then the message: the same order as planMessage, so two editors never deadlock.
  await tx.$queryRaw`SELECT "id" FROM "Campaign" WHERE "id" = ${row.campaignId} FOR UPDATE`;
  await tx.$queryRaw`SELECT "id" FROM "CampaignMessage" WHERE "id" = ${messageId} FOR UPDATE`;
  return tx.campaignMessage.findUniqueOrThrow({ where: { id: messageId }, select: messageSelect });
}

function auditDetails(message: Pick<ValidMessage, "title" | "channels" | "sendAt">, messageId: string) {
  return {
    messageId,
    title: message.title,
    channels: message.channels,
    sendAt: message.sendAt.toISOString(),
  };
}

type Clock = { now?: Date };

// ---------------------------------------------------------------------------------------------------------
// Mutations

/** Plans a message on a campaign's timeline (managers; the campaign not ended); see the module comment. */
export async function planMessage(
  actor: CampaignActor,
  campaignId: string,
  input: unknown,
  { now = new Date() }: Clock = {},
): Promise<CampaignMessageView> {
  requireManager(actor);
  return prisma.$transaction(async (tx) => {
    const campaign = await lockOpenCampaign(tx, campaignId);
    const valid = await validMessage(input, campaign, now);
    const message = await tx.campaignMessage.create({
      data: { campaignId, ...valid },
      select: messageSelect,
    });
    await recordCampaignAudit(tx, {
      campaignId,
      actorId: actor.id,
      action: "message.planned",
      details: { ...auditDetails(valid, message.id), requiresAck: valid.requiresAck, pulse: valid.pulseKind },
    });
    return message;
  });
}

/** Replaces a planned message's content, channels and time (only while it is planned). */
export async function updateMessage(
  actor: CampaignActor,
  messageId: string,
  input: unknown,
  { now = new Date() }: Clock = {},
): Promise<CampaignMessageView> {
  requireManager(actor);
  return prisma.$transaction(async (tx) => {
    const current = await lockMessage(tx, messageId);
    const campaign = await lockOpenCampaign(tx, current.campaignId);
    if (current.status !== "planned") {
      throw new CampaignError(
        "wrong_status",
        `Message ${messageId} is ${current.status}: only planned ones change`,
      );
    }
    const valid = await validMessage(input, campaign, now);
    // A reminder stays a reminder: it goes to the original's not-reached, so stream and kiosk make no sense.
    if (
      current.reminderOfId &&
      valid.channels.some((c) => !(TARGETED_CHANNELS as readonly string[]).includes(c))
    ) {
      throw invalid([
        {
          field: "channels",
          code: "invalid_value",
          message: "a reminder goes to named people only: push, SMS, e-mail or the digest",
          params: { reason: "reminder_targeted_only" },
        },
      ]);
    }
    // Conditional on `planned`: the sender's claim and this update cannot both succeed.
    const updated = await tx.campaignMessage.updateMany({
      where: { id: messageId, status: "planned" },
      data: valid,
    });
    if (updated.count !== 1) throw new CampaignError("wrong_status", `Message ${messageId} is being sent`);
    await recordCampaignAudit(tx, {
      campaignId: current.campaignId,
      actorId: actor.id,
      action: "message.updated",
      details: {
        ...auditDetails(valid, messageId),
        previousSendAt: current.sendAt.toISOString(),
        previousTitle: current.title,
      },
    });
    return tx.campaignMessage.findUniqueOrThrow({ where: { id: messageId }, select: messageSelect });
  });
}

/** Cancels a planned message (it will not be sent); cancelling a cancelled one changes nothing. */
export async function cancelMessage(actor: CampaignActor, messageId: string): Promise<CampaignMessageView> {
  requireManager(actor);
  return prisma.$transaction(async (tx) => {
    const current = await lockMessage(tx, messageId);
    if (current.status === "cancelled") return current;
    await lockOpenCampaign(tx, current.campaignId);
    const cancelled = await tx.campaignMessage.updateMany({
      where: { id: messageId, status: "planned" },
      data: { status: "cancelled" },
    });
    if (cancelled.count !== 1) {
      throw new CampaignError(
        "wrong_status",
        `Message ${messageId} is ${current.status}: it cannot be cancelled`,
      );
    }
    await recordCampaignAudit(tx, {
      campaignId: current.campaignId,
      actorId: actor.id,
      action: "message.cancelled",
      details: { messageId, title: current.title, sendAt: current.sendAt.toISOString() },
    });
    return { ...current, status: "cancelled" };
  });
}

/**
 * Plans a reminder of a sent message: it goes only to that message's recipients who were not reached when
 * the reminder is sent (resolved then, not now), on targeted channels only. A reminder of a reminder
 * points at the original, so "not reached" always means not reached by any of them.
 */
export async function planReminder(
  actor: CampaignActor,
  messageId: string,
  input: unknown,
  { now = new Date() }: Clock = {},
): Promise<CampaignMessageView> {
  requireManager(actor);
  const parsed = ReminderInputSchema.safeParse(input ?? {});
  if (!parsed.success) throw invalid(issuesFromZod(parsed.error.issues, { input }));
  const data = parsed.data;
  return prisma.$transaction(async (tx) => {
    const original = await lockMessage(tx, messageId);
    const campaign = await lockOpenCampaign(tx, original.campaignId);
    if (original.status !== "sent") {
      throw new CampaignError(
        "wrong_status",
        `Message ${messageId} is ${original.status}: remind only sent messages`,
      );
    }
    const channels = data.channels
      ? TARGETED_CHANNELS.filter((channel) => data.channels!.includes(channel))
      : TARGETED_CHANNELS.filter((channel) => original.channels.includes(channel));
    if (channels.length === 0) {
      throw invalid([
        {
          field: "channels",
          code: "required",
          message: "choose push, SMS, e-mail or the digest: a reminder goes to named people only",
        },
      ]);
    }
    const sendAt = validSendAt(data.sendAt, campaign, now);
    const hasNewBody = data.body !== undefined || data.plainText !== undefined;
    const body = hasNewBody
      ? await validBody(data)
      : { body: original.body as Prisma.InputJsonObject, bodyText: original.bodyText };
    const reminder = await tx.campaignMessage.create({
      data: {
        campaignId: original.campaignId,
        title: data.title ?? original.title,
        ...body,
        channels,
        sendAt,
        requiresAck: false,
        reminderOfId: original.reminderOfId ?? original.id,
      },
      select: messageSelect,
    });
    await recordCampaignAudit(tx, {
      campaignId: original.campaignId,
      actorId: actor.id,
      action: "message.reminder_planned",
      details: {
        ...auditDetails({ title: reminder.title, channels, sendAt }, reminder.id),
        reminderOf: messageId,
      },
    });
    return reminder;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Reading

export type CampaignMessageListItem = CampaignMessageView & {
  /** The reader's own row when they were a recipient (reach, acknowledgement); null otherwise. */
  own: { reachedAt: Date | null; openedAt: Date | null; acknowledgedAt: Date | null } | null;
};

/**
 * A campaign's messages in send order: managers see the whole plan (cancelled included); the audience sees
 * the sent messages, without reminders (they repeat a message to some of them). Not visible: not_found.
 */
export async function listMessages(
  reader: CampaignReader,
  campaignId: string,
): Promise<CampaignMessageListItem[]> {
  const campaign = await prisma.campaign.findUnique({
    where: { id: campaignId },
    select: { id: true, status: true, audience: true },
  });
  if (!campaign || !canSeeCampaign(reader, campaign)) {
    throw new CampaignError("not_found", `Campaign ${campaignId} not found`);
  }
  const manager = canManageCampaigns(reader);
  const messages = await prisma.campaignMessage.findMany({
    where: { campaignId, ...(manager ? {} : { status: "sent", reminderOfId: null }) },
    select: messageSelect,
    orderBy: [{ sendAt: "asc" }, { id: "asc" }],
  });
  const own = await prisma.campaignRecipient.findMany({
    where: { userId: reader.id, messageId: { in: messages.map((m) => m.id) } },
    select: { messageId: true, reachedAt: true, openedAt: true, acknowledgedAt: true },
  });
  const ownOf = new Map(own.map(({ messageId, ...row }) => [messageId, row]));
  return messages.map((message) => ({ ...message, own: ownOf.get(message.id) ?? null }));
}
