/**
 * Campaigns themselves: creating, editing, the FAQ and the banner, reading one and listing them. The
 * lifecycle (approval, start, pause, end) is in lifecycle.server.ts. Every read goes through the policy
 * helpers, every change writes its audit event in the same transaction, and a refused change saves nothing.
 *
 * Dates and times come from the form as Brussels wall-clock time ("2026-10-25T09:00", or a date alone) and are
 * stored in UTC. The slug is made from the name once and never changes, so links keep working after a rename.
 */
import { tzOffset } from "@date-fns/tz";
import { z } from "zod";
import { prisma } from "~/db.server";
import { type CampaignStatus, Prisma } from "~/generated/prisma/client";
import { slugify } from "~/modules/stream/places.server";
import { type CampaignAudience, parseCampaignAudience } from "./audience";
import { validateAudience } from "./audience.server";
import {
  type ApprovalRequest,
  CAMPAIGN_ACTIONS,
  openApprovalRequests,
  recordCampaignAudit,
} from "./audit.server";
import { CampaignError, type CampaignIssue, issuesFromZod } from "./errors";
import {
  checkBannerAlt,
  checkCampaignColour,
  checkCampaignHashtag,
  DEFAULT_CAMPAIGN_COLOUR,
} from "./identity";
import {
  type CampaignActor,
  type CampaignReader,
  canApproveCampaign,
  canCreateCampaign,
  canManageCampaigns,
  canSeeCampaign,
  canSubmitStory,
  candidateCampaignsWhere,
} from "./policy.server";

// ---------------------------------------------------------------------------------------------------------
// Brussels wall-clock time
// ---------------------------------------------------------------------------------------------------------

/** The city's time zone: campaign dates, message times and pauses are all meant in it. */
export const CAMPAIGN_TIME_ZONE = "Europe/Brussels";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** An instant as Brussels wall-clock time, written as if it were UTC milliseconds (for calendar arithmetic). */
export function toBrusselsWall(instant: Date): number {
  return instant.getTime() + tzOffset(CAMPAIGN_TIME_ZONE, instant) * MINUTE;
}

/**
 * The instant a Brussels wall-clock time (as from toBrusselsWall) happens: the earlier one when it happens twice
 * (the hour repeated in October), and, when it does not happen at all (the hour skipped in March), the same
 * distance past the gap ("02:30" → 03:30 summer time) with `exists: false`.
 */
export function fromBrusselsWall(wall: number): { instant: Date; exists: boolean } {
  const before = tzOffset(CAMPAIGN_TIME_ZONE, new Date(wall - 36 * HOUR));
  const after = tzOffset(CAMPAIGN_TIME_ZONE, new Date(wall + 36 * HOUR));
  const matches = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE)
    .filter((instant) => toBrusselsWall(new Date(instant)) === wall)
    .sort((a, b) => a - b);
  if (matches[0] !== undefined) return { instant: new Date(matches[0]), exists: true };
  return { instant: new Date(wall - before * MINUTE), exists: false };
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const ABSOLUTE_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export type DateTimeParse = { ok: true; instant: Date } | { ok: false; code: "invalid_date" | "required" };

/**
 * A date or time from a form or the API: a Date (absolute), an ISO string with "Z" or an offset (absolute), or
 * Brussels wall-clock time "YYYY-MM-DD[THH:MM[:SS]]". A date alone means the start of that day; as an end
 * (`end: true`) it means the whole day, so the end is the start of the next day. A time that does not exist in
 * Brussels (skipped by daylight saving) is refused rather than silently moved.
 */
export function parseBrusselsDateTime(value: unknown, options: { end?: boolean } = {}): DateTimeParse {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    return { ok: false, code: "required" };
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? { ok: false, code: "invalid_date" } : { ok: true, instant: value };
  }
  if (typeof value !== "string") return { ok: false, code: "invalid_date" };
  const text = value.trim();
  if (ABSOLUTE_DATE_TIME.test(text)) {
    const instant = new Date(text);
    return Number.isNaN(instant.getTime()) ? { ok: false, code: "invalid_date" } : { ok: true, instant };
  }
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match) return { ok: false, code: "invalid_date" };
  const [year, month, day, hour, minute, second] = match
    .slice(1)
    .map((part) => (part ? Number(part) : 0)) as [number, number, number, number, number, number];
  const dateOnly = match[4] === undefined;
  const wall = Date.UTC(year, month - 1, day + (dateOnly && options.end ? 1 : 0), hour, minute, second);
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls "2026-02-30" over into March: compare the parts to refuse impossible dates.
  if (
    year < 2000 ||
    year > 2200 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute
  ) {
    return { ok: false, code: "invalid_date" };
  }
  const { instant, exists } = fromBrusselsWall(wall);
  return exists ? { ok: true, instant } : { ok: false, code: "invalid_date" };
}

// ---------------------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------------------

export const CAMPAIGN_NAME_MIN = 3;
export const CAMPAIGN_NAME_MAX = 120;
export const CAMPAIGN_GOAL_MIN = 10;
export const CAMPAIGN_GOAL_MAX = 2000;
export const KEY_MESSAGES_MAX = 10;
export const KEY_MESSAGE_MAX = 300;
export const OWNERS_MAX = 10;
export const FAQ_MAX = 20;
export const FAQ_QUESTION_MAX = 200;
export const FAQ_ANSWER_MAX = 2000;
const SLUG_MAX = 80;
/** Names the campaign pages use next to slugs (/campagnes/nieuw …): a campaign never gets one of them. */
const RESERVED_SLUGS = new Set(["nieuw", "new", "beheer", "admin", "dashboard", "verhalen"]);

const collapse = (value: string) => value.replace(/\s+/g, " ").trim();

const FieldsSchema = z.object({
  name: z.string().transform(collapse).pipe(z.string().min(CAMPAIGN_NAME_MIN).max(CAMPAIGN_NAME_MAX)),
  goal: z.string().trim().min(CAMPAIGN_GOAL_MIN).max(CAMPAIGN_GOAL_MAX),
  // A textarea sends one key message a line; a form with repeated inputs or the API sends a list. Blank
  // lines and rows are dropped, so an empty extra row in the form is no error.
  keyMessages: z
    .union([z.string().transform((text) => text.split(/\r?\n/)), z.array(z.string())])
    .transform((list) => list.map(collapse).filter((line) => line !== ""))
    .pipe(z.array(z.string().max(KEY_MESSAGE_MAX)).max(KEY_MESSAGES_MAX)),
  colour: z.string().max(32),
  hashtag: z.string().max(100).nullable(),
  bannerAlt: z.string().max(2000).nullable(),
  ownerIds: z.array(z.string().trim().min(1).max(64)).max(OWNERS_MAX),
});

/** What the campaign form (or the API) sends; see parseBrusselsDateTime for the dates. */
export type CampaignInput = {
  name: string;
  goal: string;
  keyMessages?: string | string[];
  audience?: unknown;
  startsAt: string | Date;
  endsAt: string | Date;
  colour?: string;
  hashtag?: string | null;
  /** Other communicators who co-own the campaign; the creator always is one. */
  ownerIds?: string[];
};

/** A change: only the fields given are changed. */
export type CampaignUpdate = Partial<CampaignInput>;

type ValidFields = {
  name?: string;
  goal?: string;
  keyMessages?: string[];
  audience?: CampaignAudience;
  startsAt?: Date;
  endsAt?: Date;
  colour?: string;
  hashtag?: string | null;
  ownerIds?: string[];
};

function issue(
  field: string,
  code: CampaignIssue["code"],
  message: string,
  params?: CampaignIssue["params"],
) {
  return { field, code, message, ...(params ? { params } : {}) } satisfies CampaignIssue;
}

/**
 * Validates the fields present in `input`, collecting every problem at once (the form shows them all in its
 * error summary). `current` supplies the dates not being changed, to check start < end.
 */
async function validateFields(
  input: Record<string, unknown>,
  options: { now: Date; current?: { startsAt: Date; endsAt: Date }; creatorId: string },
  db: Prisma.TransactionClient,
): Promise<ValidFields> {
  const issues: CampaignIssue[] = [];
  const present = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  // Partial: an update checks only what it changes; createCampaign passes every field.
  const simple = FieldsSchema.partial().safeParse(present);
  const fields: ValidFields = {};
  if (simple.success) Object.assign(fields, simple.data);
  else issues.push(...issuesFromZod(simple.error.issues, { input: present }));

  const flagged = (field: string) => issues.some((problem) => problem.field === field);
  if (typeof present.colour === "string" && !flagged("colour")) {
    const check = checkCampaignColour(String(present.colour));
    if (check.ok) fields.colour = check.colour;
    else if (check.reason === "invalid_format") {
      issues.push(issue("colour", "invalid_format", "A colour is written #rrggbb"));
    } else {
      issues.push(
        issue(
          "colour",
          "low_contrast",
          `White text on ${check.colour} has a contrast of ${check.contrast}:1; at least 4.5:1 is needed`,
          { ratio: check.contrast, min: 4.5 },
        ),
      );
    }
  }
  if ((typeof present.hashtag === "string" || present.hashtag === null) && !flagged("hashtag")) {
    const check = checkCampaignHashtag(present.hashtag);
    if (check.ok) fields.hashtag = check.hashtag;
    else issues.push(issue("hashtag", "invalid_hashtag", "A hashtag is one word of letters, digits or _"));
  }

  if ("audience" in input) {
    try {
      fields.audience = await validateAudience(input.audience, db);
    } catch (error) {
      if (error instanceof CampaignError) issues.push(...error.issues);
      else throw error;
    }
  }

  for (const [key, end] of [
    ["startsAt", false],
    ["endsAt", true],
  ] as const) {
    if (!(key in input) && options.current) continue;
    const parsed = parseBrusselsDateTime(input[key], { end });
    if (parsed.ok) fields[key] = parsed.instant;
    else
      issues.push(
        issue(key, parsed.code, parsed.code === "required" ? `${key} is required` : "Not a valid date"),
      );
  }
  const startsAt = fields.startsAt ?? options.current?.startsAt;
  const endsAt = fields.endsAt ?? options.current?.endsAt;
  if (
    startsAt &&
    endsAt &&
    !issues.some((problem) => problem.field === "startsAt" || problem.field === "endsAt")
  ) {
    if (endsAt.getTime() <= startsAt.getTime()) {
      issues.push(issue("endsAt", "ends_before_start", "The campaign must end after it starts"));
    } else if (fields.endsAt && endsAt.getTime() <= options.now.getTime()) {
      issues.push(issue("endsAt", "in_the_past", "The end lies in the past"));
    }
  }

  if (fields.ownerIds) {
    const wanted = [...new Set(fields.ownerIds.filter((id) => id !== options.creatorId))];
    const users = await db.user.findMany({
      where: { id: { in: wanted }, active: true },
      select: { id: true, roles: { select: { role: true } } },
    });
    const byId = new Map(users.map((user) => [user.id, user.roles.map((row) => row.role)]));
    for (const id of wanted) {
      const roles = byId.get(id);
      if (!roles)
        issues.push(issue("ownerIds", "unknown_user", `Unknown or inactive colleague ${id}`, { id }));
      else if (!canManageCampaigns({ id, roles })) {
        issues.push(issue("ownerIds", "not_a_communicator", `${id} is not a communicator`, { id }));
      }
    }
    fields.ownerIds = [options.creatorId, ...wanted];
  }

  if (issues.length > 0) {
    throw new CampaignError(
      "invalid",
      `Invalid campaign: ${issues.map((p) => `${p.field} ${p.code}`).join(", ")}`,
      {
        issues,
      },
    );
  }
  return fields;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The first free slug for a name: "gent-plus-samen-verder", then "…-2", "…-3". */
async function freeSlug(name: string, db: Prisma.TransactionClient): Promise<string> {
  const base = slugify(name, SLUG_MAX) || "campagne";
  const taken = new Set(
    (
      await db.campaign.findMany({
        where: { OR: [{ slug: base }, { slug: { startsWith: `${base}-` } }] },
        select: { slug: true },
      })
    ).map((row) => row.slug),
  );
  for (const slug of RESERVED_SLUGS) taken.add(slug);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

// ---------------------------------------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------------------------------------

/** Creates a draft campaign; the creator is its first owner. Throws CampaignError (forbidden, invalid). */
export async function createCampaign(
  actor: CampaignActor,
  input: CampaignInput,
  options: { now?: Date } = {},
): Promise<{ id: string; slug: string }> {
  if (!canCreateCampaign(actor)) throw new CampaignError("forbidden", "Only communicators create campaigns");
  const now = options.now ?? new Date();
  const raw: Record<string, unknown> = {
    colour: DEFAULT_CAMPAIGN_COLOUR,
    hashtag: null,
    keyMessages: [],
    audience: {},
    ownerIds: [],
    ...(input as Record<string, unknown>),
    name: input.name ?? "",
    goal: input.goal ?? "",
  };
  const fields = await validateFields(raw, { now, creatorId: actor.id }, prisma);
  // Two communicators naming campaigns alike at the same moment: the loser of the unique index tries again.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await prisma.$transaction(async (tx) => {
        const slug = await freeSlug(fields.name!, tx);
        const campaign = await tx.campaign.create({
          data: {
            slug,
            name: fields.name!,
            goal: fields.goal!,
            keyMessages: fields.keyMessages!,
            audience: fields.audience!,
            startsAt: fields.startsAt!,
            endsAt: fields.endsAt!,
            colour: fields.colour!,
            hashtag: fields.hashtag ?? null,
            createdById: actor.id,
            owners: { create: fields.ownerIds!.map((userId) => ({ userId })) },
          },
          select: { id: true, slug: true },
        });
        await recordCampaignAudit(tx, {
          campaignId: campaign.id,
          actorId: actor.id,
          action: CAMPAIGN_ACTIONS.created,
          details: { name: fields.name!, slug },
        });
        return campaign;
      });
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

const sameAudience = (a: CampaignAudience, b: CampaignAudience) =>
  a.fieldWorkers === b.fieldWorkers &&
  [...a.departmentIds].sort().join() === [...b.departmentIds].sort().join() &&
  [...a.roles].sort().join() === [...b.roles].sort().join();

export type CampaignUpdateResult = {
  id: string;
  slug: string;
  status: CampaignStatus;
  /** Fields that changed (nothing is written when none did). */
  changed: string[];
  /** An approved campaign whose audience or dates changed is a draft again and needs a new approval. */
  returnedToDraft: boolean;
};

/**
 * Changes a campaign that has not ended. An approved campaign whose audience or dates change goes back to
 * draft; a running or paused one keeps its audience and start (people have already been reached on their
 * basis) but may end earlier or later. Throws CampaignError (forbidden, not_found, invalid, wrong_status,
 * conflict when someone else changed it meanwhile).
 */
export async function updateCampaign(
  actor: CampaignActor,
  campaignId: string,
  input: CampaignUpdate,
  options: { now?: Date } = {},
): Promise<CampaignUpdateResult> {
  if (!canManageCampaigns(actor)) throw new CampaignError("forbidden", "Only communicators edit campaigns");
  const now = options.now ?? new Date();
  const current = await prisma.campaign.findUnique({
    where: { id: campaignId },
    include: { owners: { select: { userId: true } } },
  });
  if (!current) throw new CampaignError("not_found", `Campaign ${campaignId} not found`);
  if (current.status === "ended") throw new CampaignError("wrong_status", "An ended campaign is read-only");
  const fields = await validateFields(
    input as Record<string, unknown>,
    { now, current: { startsAt: current.startsAt, endsAt: current.endsAt }, creatorId: current.createdById },
    prisma,
  );

  const currentAudience = parseCampaignAudience(current.audience);
  const changed: string[] = [];
  const data: Prisma.CampaignUpdateManyMutationInput = {};
  if (fields.name !== undefined && fields.name !== current.name) {
    data.name = fields.name;
    changed.push("name");
  }
  if (fields.goal !== undefined && fields.goal !== current.goal) {
    data.goal = fields.goal;
    changed.push("goal");
  }
  if (fields.keyMessages && fields.keyMessages.join("\n") !== current.keyMessages.join("\n")) {
    data.keyMessages = fields.keyMessages;
    changed.push("keyMessages");
  }
  if (fields.colour !== undefined && fields.colour !== current.colour) {
    data.colour = fields.colour;
    changed.push("colour");
  }
  if (fields.hashtag !== undefined && fields.hashtag !== current.hashtag) {
    data.hashtag = fields.hashtag;
    changed.push("hashtag");
  }
  if (fields.audience && !sameAudience(fields.audience, currentAudience)) {
    data.audience = fields.audience;
    changed.push("audience");
  }
  if (fields.startsAt && fields.startsAt.getTime() !== current.startsAt.getTime()) {
    data.startsAt = fields.startsAt;
    changed.push("startsAt");
  }
  if (fields.endsAt && fields.endsAt.getTime() !== current.endsAt.getTime()) {
    data.endsAt = fields.endsAt;
    changed.push("endsAt");
  }
  const currentOwners = current.owners.map((owner) => owner.userId).sort();
  const ownersChanged =
    fields.ownerIds !== undefined && [...fields.ownerIds].sort().join() !== currentOwners.join();
  if (ownersChanged) changed.push("ownerIds");

  const result = {
    id: current.id,
    slug: current.slug,
    status: current.status,
    changed,
    returnedToDraft: false,
  };
  if (changed.length === 0) return result;

  const live = current.status === "running" || current.status === "paused";
  if (live && (changed.includes("audience") || changed.includes("startsAt"))) {
    throw new CampaignError("wrong_status", "A running or paused campaign keeps its audience and start", {
      issues: changed
        .filter((field) => field === "audience" || field === "startsAt")
        .map((field) =>
          issue(field, "locked_while_running", `${field} cannot change once the campaign runs`),
        ),
    });
  }
  const returnedToDraft =
    current.status === "approved" &&
    (changed.includes("audience") || changed.includes("startsAt") || changed.includes("endsAt"));
  if (returnedToDraft) Object.assign(data, { status: "draft", approvedById: null, approvedAt: null });

  await prisma.$transaction(async (tx) => {
    // Only if nobody changed it since it was read (an approval, a pause, another edit): otherwise the
    // approval could end up covering an audience the approver never saw.
    const updated = await tx.campaign.updateMany({
      where: { id: current.id, status: current.status, updatedAt: current.updatedAt },
      data,
    });
    if (updated.count !== 1)
      throw new CampaignError("conflict", "The campaign was changed meanwhile; reload it");
    if (ownersChanged) {
      await tx.campaignOwner.deleteMany({
        where: { campaignId: current.id, userId: { notIn: fields.ownerIds! } },
      });
      await tx.campaignOwner.createMany({
        data: fields.ownerIds!.map((userId) => ({ campaignId: current.id, userId })),
        skipDuplicates: true,
      });
    }
    await recordCampaignAudit(tx, {
      campaignId: current.id,
      actorId: actor.id,
      action: CAMPAIGN_ACTIONS.updated,
      details: { fields: changed },
    });
    if (returnedToDraft) {
      await recordCampaignAudit(tx, {
        campaignId: current.id,
        actorId: actor.id,
        action: CAMPAIGN_ACTIONS.returnedToDraft,
        details: { reason: "audience_or_dates_changed", fields: changed },
      });
    }
  });
  return { ...result, status: returnedToDraft ? "draft" : current.status, returnedToDraft };
}

export const FaqItemSchema = z.object({
  question: z.string().transform(collapse).pipe(z.string().min(5).max(FAQ_QUESTION_MAX)),
  answer: z.string().trim().min(5).max(FAQ_ANSWER_MAX),
});
export const FaqSchema = z.array(FaqItemSchema).max(FAQ_MAX);
export type FaqItem = z.infer<typeof FaqItemSchema>;

/** Reads a stored FAQ; a malformed one (hand-edited) reads as empty rather than breaking the page. */
export function parseFaq(value: unknown): FaqItem[] {
  const parsed = FaqSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** Replaces a campaign's FAQ (the whole list, in order). Throws CampaignError. */
export async function setFaq(actor: CampaignActor, campaignId: string, faq: unknown): Promise<FaqItem[]> {
  if (!canManageCampaigns(actor)) throw new CampaignError("forbidden", "Only communicators edit campaigns");
  const parsed = FaqSchema.safeParse(faq);
  if (!parsed.success) {
    throw new CampaignError("invalid", "Invalid FAQ", {
      issues: issuesFromZod(parsed.error.issues, { input: faq, prefix: "faq" }),
    });
  }
  return prisma.$transaction(async (tx) => {
    const updated = await tx.campaign.updateMany({
      where: { id: campaignId, status: { not: "ended" } },
      data: { faq: parsed.data },
    });
    if (updated.count !== 1) await refuseMissingOrEnded(tx, campaignId);
    await recordCampaignAudit(tx, {
      campaignId,
      actorId: actor.id,
      action: CAMPAIGN_ACTIONS.faqUpdated,
      details: { questions: parsed.data.length },
    });
    return parsed.data;
  });
}

async function refuseMissingOrEnded(db: Prisma.TransactionClient, campaignId: string): Promise<never> {
  const exists = await db.campaign.findUnique({ where: { id: campaignId }, select: { id: true } });
  if (!exists) throw new CampaignError("not_found", `Campaign ${campaignId} not found`);
  throw new CampaignError("wrong_status", "An ended campaign is read-only");
}

/**
 * Sets or removes a campaign's banner. `key` comes from the server's own upload handling (never from the
 * browser); the previous key is returned so the caller can remove that file. Throws CampaignError.
 */
export async function setCampaignBanner(
  actor: CampaignActor,
  campaignId: string,
  banner: { key: string; alt: string } | null,
): Promise<{ previousKey: string | null }> {
  if (!canManageCampaigns(actor)) throw new CampaignError("forbidden", "Only communicators edit campaigns");
  const alt = checkBannerAlt(banner?.alt, banner !== null);
  if (!alt.ok) {
    throw new CampaignError("invalid", "Invalid banner description", {
      issues: [issue("bannerAlt", alt.reason, "A banner needs a description of at most 250 characters")],
    });
  }
  return prisma.$transaction(async (tx) => {
    const current = await tx.campaign.findUnique({
      where: { id: campaignId },
      select: { bannerKey: true, status: true },
    });
    if (!current) throw new CampaignError("not_found", `Campaign ${campaignId} not found`);
    if (current.status === "ended") throw new CampaignError("wrong_status", "An ended campaign is read-only");
    await tx.campaign.update({
      where: { id: campaignId },
      data: { bannerKey: banner?.key ?? null, bannerAlt: alt.alt },
    });
    await recordCampaignAudit(tx, {
      campaignId,
      actorId: actor.id,
      action: CAMPAIGN_ACTIONS.bannerUpdated,
      details: { banner: banner ? "set" : "removed" },
    });
    return { previousKey: current.bannerKey };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

const personSelect = { select: { id: true, displayName: true } } as const;

const campaignSelect = {
  id: true,
  slug: true,
  name: true,
  goal: true,
  keyMessages: true,
  audience: true,
  startsAt: true,
  endsAt: true,
  colour: true,
  bannerKey: true,
  bannerAlt: true,
  hashtag: true,
  status: true,
  createdById: true,
  approvedAt: true,
  pausedAt: true,
  endedAt: true,
  faq: true,
  createdAt: true,
  updatedAt: true,
  createdBy: personSelect,
  approvedBy: personSelect,
  owners: { select: { user: personSelect }, orderBy: { createdAt: "asc" } },
} satisfies Prisma.CampaignSelect;

type CampaignRow = Prisma.CampaignGetPayload<{ select: typeof campaignSelect }>;
type Person = { id: string; displayName: string };

export type CampaignView = Omit<CampaignRow, "audience" | "faq" | "owners"> & {
  audience: CampaignAudience;
  faq: FaqItem[];
  owners: Person[];
  /** A draft submitted for approval and not yet decided. */
  awaitingApproval: boolean;
  can: { manage: boolean; edit: boolean; approve: boolean; submitStory: boolean };
};

function toView(
  row: CampaignRow,
  reader: CampaignReader,
  request: ApprovalRequest | undefined,
): CampaignView {
  const { owners, audience, faq, ...rest } = row;
  const manage = canManageCampaigns(reader);
  return {
    ...rest,
    audience: parseCampaignAudience(audience),
    faq: parseFaq(faq),
    owners: owners.map((owner) => owner.user),
    awaitingApproval: row.status === "draft" && request !== undefined,
    can: {
      manage,
      edit: manage && row.status !== "ended",
      approve:
        row.status === "draft" &&
        request !== undefined &&
        canApproveCampaign(reader, { createdById: row.createdById, submittedById: request.actorId }),
      submitStory: canSubmitStory(reader, row),
    },
  };
}

/** One campaign by its slug, for whoever may see it; not_found for everyone else (drafts included). */
export async function getCampaign(reader: CampaignReader, slug: string): Promise<CampaignView> {
  const row = await prisma.campaign.findUnique({ where: { slug: String(slug) }, select: campaignSelect });
  if (!row || !canSeeCampaign(reader, row))
    throw new CampaignError("not_found", `Campaign ${slug} not found`);
  const pending = await openApprovalRequests(row.status === "draft" ? [row.id] : []);
  return toView(row, reader, pending.get(row.id));
}

const StatusFilterSchema = z.enum(["draft", "approved", "running", "paused", "ended"]).optional();

/**
 * The campaigns a reader may see, newest start first: everything for managers, the running, paused and ended
 * campaigns of their audiences for everyone else. Audiences are JSON, so rows are filtered in memory after
 * the status filter; there are tens of campaigns, not thousands.
 */
export async function listCampaigns(
  reader: CampaignReader,
  options: { status?: string } = {},
): Promise<CampaignView[]> {
  const status = StatusFilterSchema.safeParse(options.status || undefined);
  if (!status.success) {
    throw new CampaignError("invalid", `Unknown campaign status ${options.status}`, {
      issues: [issue("status", "invalid_value", "Unknown status")],
    });
  }
  const rows = await prisma.campaign.findMany({
    where: { AND: [candidateCampaignsWhere(reader), status.data ? { status: status.data } : {}] },
    orderBy: [{ startsAt: "desc" }, { id: "asc" }],
    select: campaignSelect,
  });
  const visible = rows.filter((row) => canSeeCampaign(reader, row));
  const pending = await openApprovalRequests(
    visible.filter((row) => row.status === "draft").map((row) => row.id),
  );
  return visible.map((row) => toView(row, reader, pending.get(row.id)));
}
