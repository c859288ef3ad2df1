/**
 * Who may read and manage circulars. Every page, API route, search query, notification and digest that
 * touches circulars asks these helpers; none decides on its own.
 *
 * Audience keys: "all", "department:<id>" (a department includes its services), "role:<role>" and
 * "field-workers". A reader's keys are derived from their profile; a circular is readable when it has a
 * published version and the audience of that version shares a key with them (archived ones stay readable). Editors read and manage everything, drafts included.
 */
import { z } from "zod";
import { type Prisma } from "~/generated/prisma/client";
import { hasPermission, isRole, type Role } from "~/modules/identity/permissions";

export type Reader = {
  id: string;
  roles: readonly Role[];
  isFieldWorker: boolean;
  department: { id: string; parentId: string | null } | null;
};

export const AUDIENCE_ALL = "all";
export const AUDIENCE_FIELD_WORKERS = "field-workers";

/** The audience keys a person belongs to. */
export function audienceKeysOf(reader: Reader): string[] {
  const keys = [AUDIENCE_ALL, ...reader.roles.map((role) => `role:${role}`)];
  if (reader.isFieldWorker) keys.push(AUDIENCE_FIELD_WORKERS);
  if (reader.department) {
    keys.push(`department:${reader.department.id}`);
    if (reader.department.parentId) keys.push(`department:${reader.department.parentId}`);
  }
  return keys;
}

/** Whether a person may manage circulars (write, review, see drafts and restricted ones). */
export function canManageCirculars(reader: { roles: readonly Role[] } | null | undefined): boolean {
  return hasPermission(reader, "update:circular:any");
}

/** Whether the circular's audience includes this person (for reading and acknowledging). */
export function isInAudience(reader: Reader, audience: readonly string[]): boolean {
  const keys = new Set(audienceKeysOf(reader));
  return audience.some((key) => keys.has(key));
}

/** Whether a person may read a circular's published text. */
export function canReadCircular(
  reader: Reader,
  circular: { publishedAudience: readonly string[]; publishedVersion: number },
): boolean {
  if (canManageCirculars(reader)) return true;
  return circular.publishedVersion > 0 && isInAudience(reader, circular.publishedAudience);
}

/** Prisma filter for the circulars a person may read (use it in every list query). */
export function readableCircularsWhere(reader: Reader): Prisma.CircularWhereInput {
  if (canManageCirculars(reader)) return {};
  return { publishedVersion: { gt: 0 }, publishedAudience: { hasSome: audienceKeysOf(reader) } };
}

/** Validation of an audience list as editors submit it; department ids are checked against the database. */
export const AudienceSchema = z
  .array(
    z.union([
      z.literal(AUDIENCE_ALL),
      z.literal(AUDIENCE_FIELD_WORKERS),
      z.string().regex(/^department:[a-z0-9]{6,40}$/, "unknown department key"),
      z
        .string()
        .regex(/^role:[a-z]+$/)
        .refine((key) => isRole(key.slice("role:".length)), "unknown role"),
    ]),
  )
  .min(1, "an audience is required")
  .max(50)
  .transform((keys) => (keys.includes(AUDIENCE_ALL) ? [AUDIENCE_ALL] : [...new Set(keys)]));

/** Department ids named by audience keys, to check they exist. */
export function audienceDepartmentIds(audience: readonly string[]): string[] {
  return audience.filter((key) => key.startsWith("department:")).map((key) => key.slice(11));
}
