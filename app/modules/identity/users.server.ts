/** Users: creation and update from Entra ID claims, and the lists the dev login needs. */
import { prisma } from "~/db.server";
import { type RoleGroupMap } from "~/env.server";
import { enqueueAuthorPosts } from "../../../search/post-documents.server";
import { enqueueSearchIndex } from "../../../search/queue.server";
import { type Role } from "./permissions";

export type EntraClaims = {
  oid: string;
  name?: string;
  email?: string;
  preferredUsername?: string;
  givenName?: string;
  familyName?: string;
  groups?: string[];
};

/** Roles granted by Entra group membership, per the ENTRA_ROLE_GROUPS mapping. */
export function rolesFromGroups(groups: readonly string[] | undefined, mapping: RoleGroupMap): Role[] {
  const member = new Set(groups ?? []);
  return (Object.entries(mapping) as [Role, string[]][])
    .filter(([, ids]) => ids.some((id) => member.has(id)))
    .map(([role]) => role);
}

const EXISTING = { id: true, active: true, displayName: true } as const;

/**
 * Finds or creates the user for a set of Entra ID claims. A person already known from the HR import
 * (same work e-mail, no Entra id yet) is linked rather than duplicated. Group-based roles are synced:
 * granted when the group is present, withdrawn when it is gone; roles granted otherwise are untouched.
 */
export async function upsertUserFromEntra(
  claims: EntraClaims,
  mapping: RoleGroupMap,
): Promise<{ id: string }> {
  const email = (claims.email ?? claims.preferredUsername)?.trim().toLowerCase() || null;
  const displayName = claims.name?.trim() || email || "Onbekende medewerker";
  const groupRoles = rolesFromGroups(claims.groups, mapping);
  return prisma.$transaction(async (tx) => {
    const existing =
      (await tx.user.findUnique({ where: { entraOid: claims.oid }, select: EXISTING })) ??
      (email ? await tx.user.findFirst({ where: { email, entraOid: null }, select: EXISTING }) : null);
    if (email) {
      const holder = await tx.user.findUnique({ where: { email }, select: { id: true } });
      if (holder && holder.id !== existing?.id) throw new EntraAccountConflictError();
    }
    const data = {
      entraOid: claims.oid,
      displayName,
      givenName: claims.givenName ?? null,
      familyName: claims.familyName ?? null,
      ...(email ? { email } : {}),
    };
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data, select: { id: true } })
      : await tx.user.create({ data, select: { id: true } });
    // The name is in the person's search document and in the documents of everything they posted.
    await enqueueSearchIndex(tx, "person", [user.id]);
    if (existing && existing.displayName !== displayName) await enqueueAuthorPosts(tx, user.id);
    await tx.roleAssignment.deleteMany({
      where: { userId: user.id, source: "entra-group", role: { notIn: groupRoles } },
    });
    for (const role of groupRoles) {
      await tx.roleAssignment.upsert({
        where: { userId_role: { userId: user.id, role } },
        create: { userId: user.id, role, source: "entra-group" },
        update: {},
      });
    }
    return user;
  });
}

/** The work e-mail of a new Entra account already belongs to a user linked to another Entra account. */
export class EntraAccountConflictError extends Error {
  constructor() {
    super(
      "Work e-mail already linked to another Entra ID account; an administrator must resolve the duplicate",
    );
    this.name = "EntraAccountConflictError";
  }
}

/** Whether the user may sign in (exists and has not been deactivated). */
export async function isActiveUser(userId: string): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { active: true } });
  return Boolean(user?.active);
}
