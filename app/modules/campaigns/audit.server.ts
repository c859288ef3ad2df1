/**
 * The campaign audit log: every action on a campaign, its messages and stories, who did it and when. Rows are
 * only ever inserted, always in the transaction of the change they describe, so the log never claims something
 * that was rolled back and never misses something that was saved.
 */
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { CampaignError } from "./errors";
import { type CampaignActor, canManageCampaigns } from "./policy.server";

export type CampaignAuditInput = {
  campaignId: string;
  /** Null for the system (the status job). */
  actorId: string | null;
  /** "campaign.created", "campaign.approved", "message.updated", "story.rejected", … */
  action: string;
  /** What changed; never personal contact data. */
  details?: Prisma.InputJsonObject;
};

/** Appends one audit event; call it inside the transaction of the change it records. */
export async function recordCampaignAudit(
  tx: Prisma.TransactionClient,
  event: CampaignAuditInput,
): Promise<void> {
  await tx.campaignAuditEvent.create({
    data: {
      campaignId: event.campaignId,
      actorId: event.actorId,
      action: event.action,
      details: event.details ?? {},
    },
  });
}

export type CampaignAuditEntry = {
  id: string;
  action: string;
  details: Prisma.JsonValue;
  createdAt: Date;
  actor: { id: string; displayName: string } | null;
};

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

/**
 * One page of a campaign's audit log, newest first, for managers only. `cursor` is the id of the last event
 * of the previous page; `nextCursor` is null on the last page.
 */
export async function campaignAuditLog(
  actor: CampaignActor,
  campaignId: string,
  options: { cursor?: string; limit?: number } = {},
  db: Prisma.TransactionClient = prisma,
): Promise<{ events: CampaignAuditEntry[]; nextCursor: string | null }> {
  if (!canManageCampaigns(actor)) {
    throw new CampaignError("forbidden", "Only campaign managers may read the audit log");
  }
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? AUDIT_PAGE_DEFAULT), 1), AUDIT_PAGE_MAX);
  const campaign = await db.campaign.findUnique({ where: { id: campaignId }, select: { id: true } });
  if (!campaign) throw new CampaignError("not_found", `Campaign ${campaignId} not found`);

  let cursorWhere: Prisma.CampaignAuditEventWhereInput = {};
  if (options.cursor) {
    const last = await db.campaignAuditEvent.findFirst({
      where: { id: options.cursor, campaignId },
      select: { id: true, createdAt: true },
    });
    if (!last) throw new CampaignError("invalid", "Unknown audit cursor");
    // Keyset pagination on (createdAt, id): events of one transaction share their createdAt.
    cursorWhere = {
      OR: [{ createdAt: { lt: last.createdAt } }, { createdAt: last.createdAt, id: { lt: last.id } }],
    };
  }
  const rows = await db.campaignAuditEvent.findMany({
    where: { campaignId, ...cursorWhere },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      action: true,
      details: true,
      createdAt: true,
      actor: { select: { id: true, displayName: true } },
    },
  });
  const events = rows.slice(0, limit);
  return { events, nextCursor: rows.length > limit ? events[events.length - 1]!.id : null };
}

/** The actions this module writes; other parts of the campaigns module add their own ("message.sent", …). */
export const CAMPAIGN_ACTIONS = {
  created: "campaign.created",
  updated: "campaign.updated",
  faqUpdated: "campaign.faq_updated",
  bannerUpdated: "campaign.banner_updated",
  submitted: "campaign.submitted",
  approved: "campaign.approved",
  returnedToDraft: "campaign.returned_to_draft",
  started: "campaign.started",
  paused: "campaign.paused",
  resumed: "campaign.resumed",
  ended: "campaign.ended",
  messageRescheduled: "message.rescheduled",
} as const;

export type ApprovalRequest = { actorId: string | null; at: Date };

/**
 * The open approval requests of some campaigns: a campaign waits for approval when its latest submission is
 * not followed by an approval or a return to draft. The status enum has no "submitted", so the log decides.
 */
export async function openApprovalRequests(
  campaignIds: readonly string[],
  db: Prisma.TransactionClient = prisma,
): Promise<Map<string, ApprovalRequest>> {
  const open = new Map<string, ApprovalRequest>();
  if (campaignIds.length === 0) return open;
  const rows = await db.campaignAuditEvent.findMany({
    where: {
      campaignId: { in: [...campaignIds] },
      action: {
        in: [CAMPAIGN_ACTIONS.submitted, CAMPAIGN_ACTIONS.approved, CAMPAIGN_ACTIONS.returnedToDraft],
      },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { campaignId: true, actorId: true, action: true, createdAt: true },
  });
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.campaignId)) continue;
    seen.add(row.campaignId);
    if (row.action === CAMPAIGN_ACTIONS.submitted) {
      open.set(row.campaignId, { actorId: row.actorId, at: row.createdAt });
    }
  }
  return open;
}
