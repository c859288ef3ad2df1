/**
 * From audience keys to the people they name. The inverse of `audienceKeysOf` in policy.server.ts: a person
 * is a member exactly when `isInAudience` says so, so the owner's overview, campaigns and digests count the
 * same people that the reading rights let in.
 */
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { isRole } from "~/modules/identity/permissions";
import { AUDIENCE_ALL, AUDIENCE_FIELD_WORKERS } from "./policy.server";

/** Matches no row: an empty or unknown audience must never widen to everyone. */
const NOBODY: Prisma.UserWhereInput = { id: { in: [] } };

function keyWhere(key: string): Prisma.UserWhereInput | null {
  if (key === AUDIENCE_ALL) return {};
  if (key === AUDIENCE_FIELD_WORKERS) return { isFieldWorker: true };
  if (key.startsWith("department:")) {
    const id = key.slice("department:".length);
    if (!id) return null;
    // A department includes its services (the reader's keys hold both their service and its parent).
    return { OR: [{ departmentId: id }, { department: { parentId: id } }] };
  }
  if (key.startsWith("role:")) {
    const role = key.slice("role:".length);
    if (!isRole(role)) return null;
    // Every active person is an employee without a stored assignment (see session.server.ts).
    if (role === "employee") return {};
    return { roles: { some: { role } } };
  }
  return null;
}

/** Prisma filter for the active people an audience (a list of keys) names. */
export function audienceMembersWhere(audience: readonly string[]): Prisma.UserWhereInput {
  const parts = audience.map(keyWhere).filter((part): part is Prisma.UserWhereInput => part !== null);
  if (parts.length === 0) return { active: true, ...NOBODY };
  if (parts.some((part) => Object.keys(part).length === 0)) return { active: true };
  return { active: true, OR: parts };
}

/** How many active people an audience names. */
export async function countAudienceMembers(
  audience: readonly string[],
  db: Prisma.TransactionClient = prisma,
): Promise<number> {
  return db.user.count({ where: audienceMembersWhere(audience) });
}
