/**
 * A campaign's lifecycle: draft → (submitted) → approved → running ⇄ paused → ended.
 * - A draft is submitted for approval (every other active communicator is told) and approved by a second
 *   communicator, never the creator nor the one who submitted it.
 * - advanceCampaignStatuses, run by a job, starts approved campaigns at startsAt and ends them at endsAt.
 * - Pausing holds the planned messages; resuming moves those that fell in the pause on by the pause's length
 *   in Brussels wall-clock time.
 * Every transition is a conditional update on the status it leaves, so two clicks or two job runs never both
 * apply, and writes its audit event in the same transaction. A transition from the wrong status throws
 * CampaignError "wrong_status".
 */
import { prisma } from "~/db.server";
import { type CampaignStatus, type Prisma } from "~/generated/prisma/client";
import { notify } from "~/modules/notifications/notify.server";
import { CAMPAIGN_ACTIONS, openApprovalRequests, recordCampaignAudit } from "./audit.server";
import { fromBrusselsWall, toBrusselsWall } from "./campaigns.server";
import { CampaignError } from "./errors";
import { campaignPath } from "./identity";
import { type CampaignActor, canApproveCampaign, canManageCampaigns } from "./policy.server";

type Options = { now?: Date };

async function loadCampaign(tx: Prisma.TransactionClient, campaignId: string) {
  const campaign = await tx.campaign.findUnique({
    where: { id: campaignId },
    select: {
      id: true,
      slug: true,
      name: true,
      status: true,
      createdById: true,
      startsAt: true,
      endsAt: true,
      pausedAt: true,
      updatedAt: true,
    },
  });
  if (!campaign) throw new CampaignError("not_found", `Campaign ${campaignId} not found`);
  return campaign;
}

function requireStatus(status: CampaignStatus, allowed: readonly CampaignStatus[], action: string): void {
  if (!allowed.includes(status)) {
    throw new CampaignError("wrong_status", `Cannot ${action} a campaign that is ${status}`);
  }
}

/** Moves a campaign from `from` to `data`; a row changed meanwhile (another click, the job) is a conflict. */
async function transition(
  tx: Prisma.TransactionClient,
  campaign: { id: string; status: CampaignStatus },
  data: Prisma.CampaignUpdateManyMutationInput,
): Promise<void> {
  const updated = await tx.campaign.updateMany({ where: { id: campaign.id, status: campaign.status }, data });
  if (updated.count !== 1) throw new CampaignError("conflict", "The campaign changed meanwhile; reload it");
}

/** Cancels the messages still planned when a campaign ends, so no sender picks them up afterwards. */
async function cancelPlannedMessages(tx: Prisma.TransactionClient, campaignId: string): Promise<number> {
  const cancelled = await tx.campaignMessage.updateMany({
    where: { campaignId, status: "planned" },
    data: { status: "cancelled" },
  });
  return cancelled.count;
}

/**
 * Asks for approval of a draft: records the request and notifies every other active communicator.
 * Throws CampaignError (forbidden, not_found, wrong_status, conflict when already waiting).
 */
export async function submitForApproval(
  actor: CampaignActor,
  campaignId: string,
  options: Options = {},
): Promise<{ notified: number }> {
  if (!canManageCampaigns(actor)) throw new CampaignError("forbidden", "Only communicators submit campaigns");
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    // Serialises two submissions of one campaign: the second waits here and then sees the first's request.
    await tx.$queryRaw`SELECT "id" FROM "Campaign" WHERE "id" = ${campaignId} FOR UPDATE`;
    const campaign = await loadCampaign(tx, campaignId);
    requireStatus(campaign.status, ["draft"], "submit");
    const open = await openApprovalRequests([campaign.id], tx);
    if (open.has(campaign.id)) throw new CampaignError("conflict", "The campaign already waits for approval");
    await recordCampaignAudit(tx, {
      campaignId: campaign.id,
      actorId: actor.id,
      action: CAMPAIGN_ACTIONS.submitted,
    });
    const [submitter, communicators] = await Promise.all([
      tx.user.findUnique({ where: { id: actor.id }, select: { displayName: true } }),
      tx.user.findMany({
        where: { active: true, id: { not: actor.id }, roles: { some: { role: "communicator" } } },
        select: { id: true },
        orderBy: { id: "asc" },
      }),
    ]);
    await notify(
      communicators.map((communicator) => ({
        userId: communicator.id,
        type: "campaign.approval_requested",
        data: { actorName: submitter?.displayName ?? "", campaignName: campaign.name },
        url: campaignPath(campaign.slug),
        // Unique over all notifications: one per recipient and request.
        dedupeKey: `campaign.approval_requested:${campaign.id}:${now.getTime()}:${communicator.id}`,
      })),
      tx,
    );
    return { notified: communicators.length };
  });
}

/**
 * Approves a submitted draft (four eyes: see canApproveCampaign). A campaign whose start has come runs at
 * once. Throws CampaignError (forbidden, not_found, wrong_status, invalid when it has already ended, conflict).
 */
export async function approveCampaign(
  actor: CampaignActor,
  campaignId: string,
  options: Options = {},
): Promise<{ status: CampaignStatus }> {
  if (!canManageCampaigns(actor))
    throw new CampaignError("forbidden", "Only communicators approve campaigns");
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const campaign = await loadCampaign(tx, campaignId);
    requireStatus(campaign.status, ["draft"], "approve");
    const request = (await openApprovalRequests([campaign.id], tx)).get(campaign.id);
    if (!request) throw new CampaignError("wrong_status", "The campaign was not submitted for approval");
    if (!canApproveCampaign(actor, { createdById: campaign.createdById, submittedById: request.actorId })) {
      throw new CampaignError(
        "forbidden",
        "A second communicator approves: not the creator, not the submitter",
      );
    }
    if (campaign.endsAt.getTime() <= now.getTime()) {
      throw new CampaignError("invalid", "The campaign's end lies in the past", {
        issues: [{ field: "endsAt", code: "in_the_past", message: "The end lies in the past" }],
      });
    }
    const runsNow = campaign.startsAt.getTime() <= now.getTime();
    const status: CampaignStatus = runsNow ? "running" : "approved";
    // Only the version the approver saw: an edit since it was read would otherwise be approved unseen.
    const updated = await tx.campaign.updateMany({
      where: { id: campaign.id, status: "draft", updatedAt: campaign.updatedAt },
      data: { status, approvedById: actor.id, approvedAt: now },
    });
    if (updated.count !== 1) throw new CampaignError("conflict", "The campaign changed meanwhile; reload it");
    await recordCampaignAudit(tx, {
      campaignId: campaign.id,
      actorId: actor.id,
      action: CAMPAIGN_ACTIONS.approved,
    });
    if (runsNow) {
      await recordCampaignAudit(tx, {
        campaignId: campaign.id,
        actorId: actor.id,
        action: CAMPAIGN_ACTIONS.started,
        details: { reason: "approved_after_start" },
      });
    }
    return { status };
  });
}

/**
 * The scheduled transitions at `now`: approved campaigns start at startsAt (inclusive), and approved, running
 * or paused ones end at endsAt (inclusive; endedAt is endsAt even when the job runs late). Safe to run twice
 * or concurrently: a campaign another run already moved is skipped.
 */
export async function advanceCampaignStatuses(
  now: Date = new Date(),
): Promise<{ started: string[]; ended: string[] }> {
  const due = await prisma.campaign.findMany({
    where: {
      OR: [
        { status: "approved", startsAt: { lte: now } },
        { status: { in: ["approved", "running", "paused"] }, endsAt: { lte: now } },
      ],
    },
    select: { id: true, status: true, startsAt: true, endsAt: true },
    orderBy: { id: "asc" },
  });
  const started: string[] = [];
  const ended: string[] = [];
  for (const campaign of due) {
    const ends = campaign.endsAt.getTime() <= now.getTime();
    await prisma.$transaction(async (tx) => {
      const updated = await tx.campaign.updateMany({
        where: { id: campaign.id, status: campaign.status },
        data: ends ? { status: "ended", endedAt: campaign.endsAt, pausedAt: null } : { status: "running" },
      });
      if (updated.count !== 1) return;
      if (ends) {
        const cancelledMessages = await cancelPlannedMessages(tx, campaign.id);
        await recordCampaignAudit(tx, {
          campaignId: campaign.id,
          actorId: null,
          action: CAMPAIGN_ACTIONS.ended,
          details: { reason: "scheduled", from: campaign.status, cancelledMessages },
        });
        ended.push(campaign.id);
      } else {
        await recordCampaignAudit(tx, {
          campaignId: campaign.id,
          actorId: null,
          action: CAMPAIGN_ACTIONS.started,
          details: { reason: "scheduled" },
        });
        started.push(campaign.id);
      }
    });
  }
  return { started, ended };
}

/** Pauses a running campaign: nothing planned goes out until it resumes. Throws CampaignError. */
export async function pauseCampaign(
  actor: CampaignActor,
  campaignId: string,
  options: Options = {},
): Promise<void> {
  if (!canManageCampaigns(actor)) throw new CampaignError("forbidden", "Only communicators pause campaigns");
  const now = options.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const campaign = await loadCampaign(tx, campaignId);
    requireStatus(campaign.status, ["running"], "pause");
    await transition(tx, campaign, { status: "paused", pausedAt: now });
    await recordCampaignAudit(tx, {
      campaignId: campaign.id,
      actorId: actor.id,
      action: CAMPAIGN_ACTIONS.paused,
    });
  });
}

/**
 * Moves an instant on by a pause measured in Brussels wall-clock time: the local time of day changes by
 * exactly the local length of the pause, so 09:00 stays 09:00 across a whole-day pause over a DST change.
 */
export function shiftByWallClock(instant: Date, pauseStart: Date, pauseEnd: Date): Date {
  const length = toBrusselsWall(pauseEnd) - toBrusselsWall(pauseStart);
  return fromBrusselsWall(toBrusselsWall(instant) + length).instant;
}

export type RescheduledMessage = { id: string; from: Date; to: Date; afterEnd: boolean };

/**
 * Resumes a paused campaign. Planned messages whose send time fell inside the pause move on by the pause's
 * wall-clock length (shiftByWallClock); later ones keep their time. A moved message that now falls after the
 * campaign's end is reported (`afterEnd`) so the page can ask to move it. Throws CampaignError.
 */
export async function resumeCampaign(
  actor: CampaignActor,
  campaignId: string,
  options: Options = {},
): Promise<{ rescheduled: RescheduledMessage[] }> {
  if (!canManageCampaigns(actor)) throw new CampaignError("forbidden", "Only communicators resume campaigns");
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const campaign = await loadCampaign(tx, campaignId);
    requireStatus(campaign.status, ["paused"], "resume");
    if (campaign.endsAt.getTime() <= now.getTime()) {
      throw new CampaignError("wrong_status", "The campaign's end has passed; it ends instead of resuming");
    }
    const pausedAt = campaign.pausedAt ?? now;
    await transition(tx, campaign, { status: "running", pausedAt: null });
    const held = await tx.campaignMessage.findMany({
      where: { campaignId: campaign.id, status: "planned", sendAt: { gte: pausedAt, lt: now } },
      select: { id: true, sendAt: true },
      orderBy: [{ sendAt: "asc" }, { id: "asc" }],
    });
    const rescheduled: RescheduledMessage[] = [];
    for (const message of held) {
      const to = shiftByWallClock(message.sendAt, pausedAt, now);
      await tx.campaignMessage.update({ where: { id: message.id }, data: { sendAt: to } });
      rescheduled.push({
        id: message.id,
        from: message.sendAt,
        to,
        afterEnd: to.getTime() >= campaign.endsAt.getTime(),
      });
    }
    await recordCampaignAudit(tx, {
      campaignId: campaign.id,
      actorId: actor.id,
      action: CAMPAIGN_ACTIONS.resumed,
      details: {
        pausedAt: pausedAt.toISOString(),
        pauseMinutes: Math.round((toBrusselsWall(now) - toBrusselsWall(pausedAt)) / 60_000),
        rescheduled: rescheduled.length,
      },
    });
    for (const message of rescheduled) {
      await recordCampaignAudit(tx, {
        campaignId: campaign.id,
        actorId: actor.id,
        action: CAMPAIGN_ACTIONS.messageRescheduled,
        details: {
          messageId: message.id,
          from: message.from.toISOString(),
          to: message.to.toISOString(),
          reason: "pause",
          afterEnd: message.afterEnd,
        },
      });
    }
    return { rescheduled };
  });
}

/**
 * Ends an approved, running or paused campaign now; its planned messages are cancelled. The campaign stays
 * readable (ended is read-only). Throws CampaignError.
 */
export async function endCampaign(
  actor: CampaignActor,
  campaignId: string,
  options: Options = {},
): Promise<{ cancelledMessages: number }> {
  if (!canManageCampaigns(actor)) throw new CampaignError("forbidden", "Only communicators end campaigns");
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const campaign = await loadCampaign(tx, campaignId);
    requireStatus(campaign.status, ["approved", "running", "paused"], "end");
    await transition(tx, campaign, { status: "ended", endedAt: now, pausedAt: null });
    const cancelledMessages = await cancelPlannedMessages(tx, campaign.id);
    await recordCampaignAudit(tx, {
      campaignId: campaign.id,
      actorId: actor.id,
      action: CAMPAIGN_ACTIONS.ended,
      details: { reason: "manual", from: campaign.status, cancelledMessages },
    });
    return { cancelledMessages };
  });
}
