/** The Prisma selection and mapping behind a PersonSummary, shared by the directory and the profile. */
import { type Prisma } from "~/generated/prisma/client";
import { initialsOf, type PersonSummary } from "./person";

export const PERSON_SELECT = {
  id: true,
  displayName: true,
  jobTitle: true,
  avatarUrl: true,
  isFieldWorker: true,
  expertise: true,
  department: {
    select: { name: true, code: true, kind: true, parent: { select: { name: true, code: true } } },
  },
} as const satisfies Prisma.UserSelect;

export type PersonRow = Prisma.UserGetPayload<{ select: typeof PERSON_SELECT }>;

/** Maps a selected row to what the pages show. */
export function toPersonSummary(row: PersonRow): PersonSummary {
  const unit = row.department ? { name: row.department.name, code: row.department.code } : null;
  const parent = row.department?.parent ?? null;
  return {
    id: row.id,
    displayName: row.displayName,
    jobTitle: row.jobTitle,
    avatarUrl: row.avatarUrl,
    initials: initialsOf(row.displayName),
    isFieldWorker: row.isFieldWorker,
    unit,
    department: parent ? { name: parent.name, code: parent.code } : null,
    expertise: row.expertise,
  };
}
