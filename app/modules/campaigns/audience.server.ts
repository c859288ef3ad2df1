/**
 * From a campaign audience to the people in it: the live count the form shows, the resolution a message is
 * sent to, and the check that the departments named exist. One set-based query each, with the same filter as
 * campaignAudienceWhere, so counts, sending and the page's visibility rule agree.
 */
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { type CampaignAudience, CampaignAudienceSchema, campaignAudienceWhere } from "./audience";
import { CampaignError, issuesFromZod } from "./errors";

export type ResolvedRecipient = { id: string; departmentId: string | null };

/** The active people in an audience, ordered by id (stable batches for senders). */
export async function resolveCampaignAudience(
  audience: CampaignAudience,
  db: Prisma.TransactionClient = prisma,
): Promise<ResolvedRecipient[]> {
  return db.user.findMany({
    where: campaignAudienceWhere(audience),
    select: { id: true, departmentId: true },
    orderBy: { id: "asc" },
  });
}

/** How many active people an audience holds right now. */
export async function countCampaignAudience(
  audience: CampaignAudience,
  db: Prisma.TransactionClient = prisma,
): Promise<number> {
  return db.user.count({ where: campaignAudienceWhere(audience) });
}

/**
 * Parses an audience from a form or the API and checks that every department or service it names exists;
 * throws CampaignError "invalid" (with the unknown ids in the issue's params) otherwise. Duplicates are dropped.
 */
export async function validateAudience(
  input: unknown,
  db: Prisma.TransactionClient = prisma,
): Promise<CampaignAudience> {
  const parsed = CampaignAudienceSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new CampaignError("invalid", "Invalid campaign audience", {
      issues: issuesFromZod(parsed.error.issues, { input: input ?? {}, prefix: "audience" }),
    });
  }
  const audience: CampaignAudience = {
    departmentIds: [...new Set(parsed.data.departmentIds)],
    roles: [...new Set(parsed.data.roles)],
    fieldWorkers: parsed.data.fieldWorkers,
  };
  if (audience.departmentIds.length > 0) {
    const found = await db.department.findMany({
      where: { id: { in: audience.departmentIds } },
      select: { id: true },
    });
    const known = new Set(found.map((department) => department.id));
    const unknown = audience.departmentIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new CampaignError("invalid", `Unknown departments: ${unknown.join(", ")}`, {
        issues: [
          {
            field: "audience.departmentIds",
            code: "unknown_departments",
            message: `Unknown departments: ${unknown.join(", ")}`,
            params: { ids: unknown.join(", "), count: unknown.length },
          },
        ],
      });
    }
  }
  return audience;
}
