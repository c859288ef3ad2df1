/**
 * What the index holds for a colleague: name (title), job title, unit, department and expertise (summary),
 * the introduction (body). Only active people; a leaver's document is removed, like their profile answers
 * "not found". Everyone who may read the directory may find them (audience "all", see search.server.ts).
 * Never contact data: no e-mail address, no phone number, nothing from the field-worker preferences.
 */
import { type Prisma } from "~/generated/prisma/client";
import { AUDIENCE_ALL } from "~/modules/circulars/policy.server";
import { initialsOf, profilePath } from "~/modules/people/person";
import { stripMarkers } from "./snippet";
import { type IndexDocument } from "./types";

/** Id of a person's search document. */
export const personDocumentId = (userId: string) => `person:${userId}`;

/** Where-clause of the people `reindexAll` rebuilds: exactly those `buildPersonDocuments` keeps. */
export const INDEXABLE_PEOPLE_WHERE = { active: true } satisfies Prisma.UserWhereInput;

/** Builds the documents of these people; unknown and inactive ids come back in `remove`. */
export async function buildPersonDocuments(
  tx: Prisma.TransactionClient,
  userIds: readonly string[],
): Promise<{ documents: IndexDocument[]; remove: string[] }> {
  const people = await tx.user.findMany({
    where: { id: { in: [...userIds] }, ...INDEXABLE_PEOPLE_WHERE },
    select: {
      id: true,
      displayName: true,
      jobTitle: true,
      avatarUrl: true,
      isFieldWorker: true,
      expertise: true,
      about: true,
      createdAt: true,
      departmentId: true,
      department: { select: { name: true, parent: { select: { name: true } } } },
    },
  });
  const documents: IndexDocument[] = people.map((person) => {
    const unit = person.department?.name ?? null;
    const department = person.department?.parent?.name ?? null;
    return {
      id: personDocumentId(person.id),
      type: "person",
      sourceId: person.id,
      title: stripMarkers(person.displayName),
      // Weight B: "wie kent GIS" and "loonadministratie" find people by what they know and where they work.
      summary: stripMarkers(
        [person.jobTitle, unit, department, ...person.expertise].filter(Boolean).join(" · "),
      ),
      body: stripMarkers(person.about ?? ""),
      attachmentText: "",
      url: profilePath(person.id),
      meta: {
        jobTitle: person.jobTitle,
        unit,
        department,
        expertise: person.expertise,
        avatarUrl: person.avatarUrl,
        initials: initialsOf(person.displayName),
        isFieldWorker: person.isFieldWorker,
      },
      audience: [AUDIENCE_ALL],
      themes: [],
      departmentId: person.departmentId,
      status: "active",
      year: null,
      validFrom: null,
      validUntil: null,
      supersededFrom: null,
      sortDate: person.createdAt,
    };
  });
  const kept = new Set(documents.map((d) => d.sourceId));
  return { documents, remove: userIds.filter((id) => !kept.has(id)).map(personDocumentId) };
}
