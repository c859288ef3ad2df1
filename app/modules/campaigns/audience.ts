/**
 * A campaign's audience: the intersection of its dimensions, each a union of its values; an empty dimension
 * does not restrict. Departments include their services. The organisation has no sites in the HR data yet,
 * so departments and services stand in for locations (docs/decisions/0010-campaigns.md).
 */
import { z } from "zod";
import { type Prisma } from "~/generated/prisma/client";
import { ROLES, type Role } from "~/modules/identity/permissions";

export const FIELD_WORKER_FILTERS = ["any", "only", "none"] as const;

export const CampaignAudienceSchema = z.object({
  departmentIds: z.array(z.string().trim().min(1).max(64)).max(200).default([]),
  roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]),
  fieldWorkers: z.enum(FIELD_WORKER_FILTERS).default("any"),
});
export type CampaignAudience = z.infer<typeof CampaignAudienceSchema>;

/** Everyone: the default audience. */
export const EVERYONE: CampaignAudience = { departmentIds: [], roles: [], fieldWorkers: "any" };

/** Reads a stored audience (Campaign.audience); throws a ZodError for a malformed one. */
export function parseCampaignAudience(value: unknown): CampaignAudience {
  return CampaignAudienceSchema.parse(value);
}

/** Prisma filter for the active people in an audience (resolution, counts, sending). */
export function campaignAudienceWhere(audience: CampaignAudience): Prisma.UserWhereInput {
  const and: Prisma.UserWhereInput[] = [{ active: true }];
  if (audience.departmentIds.length > 0) {
    and.push({
      OR: [
        { departmentId: { in: audience.departmentIds } },
        { department: { parentId: { in: audience.departmentIds } } },
      ],
    });
  }
  // Everyone is an employee: "employee" among the roles does not restrict.
  const roles = audience.roles.filter((role) => role !== "employee");
  if (roles.length > 0 && roles.length === audience.roles.length) {
    and.push({ roles: { some: { role: { in: roles } } } });
  }
  if (audience.fieldWorkers === "only") and.push({ isFieldWorker: true });
  if (audience.fieldWorkers === "none") and.push({ isFieldWorker: false });
  return { AND: and };
}

export type AudienceMember = {
  roles: readonly Role[];
  isFieldWorker: boolean;
  department: { id: string; parentId: string | null } | null;
};

/** Whether one person belongs to the audience (the same rule as campaignAudienceWhere, in memory). */
export function isInCampaignAudience(person: AudienceMember, audience: CampaignAudience): boolean {
  if (audience.departmentIds.length > 0) {
    const ids = new Set(audience.departmentIds);
    const department = person.department;
    if (!department || !(ids.has(department.id) || (department.parentId && ids.has(department.parentId)))) {
      return false;
    }
  }
  const roles = audience.roles.filter((role) => role !== "employee");
  if (roles.length > 0 && roles.length === audience.roles.length) {
    if (!roles.some((role) => person.roles.includes(role))) return false;
  }
  if (audience.fieldWorkers === "only" && !person.isFieldWorker) return false;
  if (audience.fieldWorkers === "none" && person.isFieldWorker) return false;
  return true;
}
