/**
 * Who may do what with campaigns. Every page, API route, job, notification and digest that touches
 * campaigns asks these helpers; none decides on its own.
 * - Communicators create and manage campaigns (create:campaign, update:campaign:any); approval needs a
 *   second communicator (approve:campaign, never the creator).
 * - A campaign's page is for its audience once it runs (running, paused, ended); managers see everything.
 * - Owners see aggregates of reach and pulse results, never what one person read (acknowledgements excepted).
 */
import { type CampaignStatus, type Prisma } from "~/generated/prisma/client";
import { hasPermission, type Role } from "~/modules/identity/permissions";
import { type AudienceMember, isInCampaignAudience, parseCampaignAudience } from "./audience";

export type CampaignActor = { id: string; roles: readonly Role[] };
export type CampaignReader = CampaignActor & AudienceMember;

/** Statuses in which the audience sees the campaign page. */
export const PUBLIC_STATUSES = ["running", "paused", "ended"] as const satisfies readonly CampaignStatus[];

export function canCreateCampaign(actor: CampaignActor | null | undefined): boolean {
  return hasPermission(actor, "create:campaign");
}

/** Manage: edit, plan messages, pause and resume, decide on stories, see the dashboard. */
export function canManageCampaigns(actor: CampaignActor | null | undefined): boolean {
  return hasPermission(actor, "update:campaign:any");
}

/**
 * Approve: a communicator other than the one who created it (four eyes), and other than the one who asked
 * for approval when that was someone else (a second communicator who changed and submitted it).
 */
export function canApproveCampaign(
  actor: CampaignActor | null | undefined,
  campaign: { createdById: string; submittedById?: string | null },
): boolean {
  return (
    Boolean(actor) &&
    hasPermission(actor, "approve:campaign") &&
    actor!.id !== campaign.createdById &&
    actor!.id !== campaign.submittedById
  );
}

/** Whether a person may see the campaign page (and its messages, stories and FAQ). */
export function canSeeCampaign(
  reader: CampaignReader,
  campaign: { status: CampaignStatus; audience: unknown },
): boolean {
  if (canManageCampaigns(reader)) return true;
  if (!(PUBLIC_STATUSES as readonly string[]).includes(campaign.status)) return false;
  return isInCampaignAudience(reader, parseCampaignAudience(campaign.audience));
}

/** Whether a person may submit an ambassador story: someone who may see the campaign while it runs. */
export function canSubmitStory(
  reader: CampaignReader,
  campaign: { status: CampaignStatus; audience: unknown },
): boolean {
  return campaign.status === "running" && canSeeCampaign(reader, campaign);
}

/**
 * Prisma filter narrowing campaigns to those the reader might see; the audience itself is JSON, so a list
 * query must still pass each row through canSeeCampaign.
 */
export function candidateCampaignsWhere(reader: CampaignActor): Prisma.CampaignWhereInput {
  if (canManageCampaigns(reader)) return {};
  return { status: { in: [...PUBLIC_STATUSES] } };
}
