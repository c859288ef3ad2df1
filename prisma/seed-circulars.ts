// Seeds the demo themes and circulars of KUS de circulaires, history included. The rows are written directly
// (not through the editorial workflow) because the seed describes publications that happened in the past.
// Idempotent: themes are matched on slug, circulars on number; an existing circular is never touched.
import type { Prisma } from "../app/generated/prisma/client";
import type { CircularStatus } from "../app/generated/prisma/enums";
import {
  SEED_CIRCULARS,
  SEED_THEMES,
  type LexicalState,
  type SeedCircular,
  type SeedCircularChanges,
} from "./seed-circulars-data";
import { SEED_USERS } from "./seed-data";
import { enqueueSearchIndex } from "../search/queue.server";

/** What seedCirculars describes and what it actually wrote in this run. */
export interface CircularSeedCounts {
  themes: number;
  circulars: number;
  created: number;
}

/** The content of a circular at one point of its history. */
export interface CircularContent {
  title: string;
  summary: string;
  body: LexicalState;
  validFrom: string | null;
  validUntil: string | null;
}

/** A version as it will be stored: the content after applying the changes of this and earlier versions. */
export interface ResolvedVersion extends CircularContent {
  version: number;
  publishedOn: string;
  changeNote: string;
  substantial: boolean;
}

/** The history of a seed circular and its working copy (which includes a pending change, if any). */
export interface ResolvedCircular {
  versions: ResolvedVersion[];
  workingCopy: CircularContent;
}

/** Editors (seed-data) in a stable order; they author and approve the seeded versions. */
export const SEED_EDITORS: readonly string[] = SEED_USERS.filter((user) => user.roles.includes("editor")).map(
  (user) => user.employeeNumber,
);

function apply(content: CircularContent, changes: SeedCircularChanges | undefined): CircularContent {
  if (!changes) return content;
  return {
    ...content,
    title: changes.title ?? content.title,
    summary: changes.summary ?? content.summary,
    body: changes.body ?? content.body,
    validUntil: changes.validUntil === undefined ? content.validUntil : changes.validUntil,
  };
}

/** Replays a circular's version history; pure, so the tests can validate every stored body. */
export function resolveCircular(circular: SeedCircular): ResolvedCircular {
  let content: CircularContent = {
    title: circular.title,
    summary: circular.summary,
    body: circular.body,
    validFrom: circular.validFrom,
    validUntil: circular.validUntil,
  };
  const versions = circular.versions.map((version, index): ResolvedVersion => {
    content = apply(content, version.changes);
    return {
      ...content,
      version: index + 1,
      publishedOn: version.publishedOn,
      changeNote: version.changeNote,
      // The first publication always asks the audience to acknowledge.
      substantial: index === 0 || version.substantial,
    };
  });
  return { versions, workingCopy: apply(content, circular.pending?.changes) };
}

/** Splits "2024/006" into year and sequence. */
export function parseSeedNumber(number: string): { year: number; sequence: number } {
  const match = /^(\d{4})\/(\d{3})$/.exec(number);
  if (!match) throw new Error(`Seed circular number ${number} is not of the form YYYY/NNN`);
  return { year: Number(match[1]), sequence: Number(match[2]) };
}

/** Picks the author of a circular (its responsible person when that is an editor) and its approvers. */
function editorsFor(
  circular: SeedCircular,
  index: number,
): { author: string; approver: (n: number) => string } {
  const count = SEED_EDITORS.length;
  if (count < 2) throw new Error("The seed needs at least two editors to author and approve circulars");
  const own = SEED_EDITORS.indexOf(circular.responsibleEmployeeNumber);
  const authorIndex = own >= 0 ? own : index % count;
  return {
    author: SEED_EDITORS[authorIndex]!,
    // Rotate through the other editors so approvals are spread, never by the author.
    approver: (n) => SEED_EDITORS[(authorIndex + 1 + ((index + n) % (count - 1))) % count]!,
  };
}

const day = (value: string): Date => new Date(`${value}T00:00:00.000Z`);
// Publications happen in office hours: 10:00 in Brussels is 09:00 or 08:00 UTC.
const moment = (value: string, hour = 9): Date =>
  new Date(`${value}T${String(hour).padStart(2, "0")}:00:00.000Z`);
const daysBefore = (date: Date, days: number): Date => new Date(date.getTime() - days * 24 * 3600_000);

/** Upserts the themes, creates missing circulars with their history and moves the number counters along. */
export async function seedCirculars(tx: Prisma.TransactionClient): Promise<CircularSeedCounts> {
  const themeIds = await seedThemes(tx);

  const existing = await tx.circular.findMany({
    where: { number: { in: SEED_CIRCULARS.map((circular) => circular.number) } },
    select: { id: true, number: true },
  });
  const idsByNumber = new Map(existing.map((circular) => [circular.number, circular.id]));
  const missing = SEED_CIRCULARS.map((circular, index) => ({ circular, index })).filter(
    ({ circular }) => !idsByNumber.has(circular.number),
  );

  if (missing.length > 0) {
    const departmentIds = await lookUp(
      "department code",
      missing.flatMap(({ circular }) => [
        circular.ownerDepartmentCode,
        ...(circular.audience ?? [])
          .filter((key) => key.startsWith("department:"))
          .map((key) => key.slice("department:".length)),
      ]),
      async (codes) =>
        (
          await tx.department.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } })
        ).map((department) => [department.code, department.id] as const),
    );
    const userIds = await lookUp(
      "employee number",
      [...SEED_EDITORS, ...missing.map(({ circular }) => circular.responsibleEmployeeNumber)],
      async (numbers) =>
        (
          await tx.user.findMany({
            where: { employeeNumber: { in: numbers } },
            select: { id: true, employeeNumber: true },
          })
        ).map((user) => [user.employeeNumber ?? "", user.id] as const),
    );
    const themeId = (slug: string, number: string): string => {
      const id = themeIds.get(slug);
      if (id === undefined) throw new Error(`Seed circular ${number} refers to unknown theme ${slug}`);
      return id;
    };

    const now = new Date();
    /** Audience keys with department codes replaced by ids. */
    const seedAudience = (circular: SeedCircular): string[] =>
      (circular.audience ?? ["all"]).map((key) => {
        if (!key.startsWith("department:")) return key;
        const id = departmentIds.get(key.slice("department:".length));
        if (!id) throw new Error(`Seed circular ${circular.number} names unknown department ${key}`);
        return `department:${id}`;
      });
    const rows: Prisma.CircularCreateManyInput[] = [];
    const versionsByNumber = new Map<string, Omit<Prisma.CircularVersionCreateManyInput, "circularId">[]>();
    for (const { circular, index } of missing) {
      const { year, sequence } = parseSeedNumber(circular.number);
      const { versions, workingCopy } = resolveCircular(circular);
      const { author, approver } = editorsFor(circular, index);
      const authorId = userIds.get(author)!;
      const firstEvent = versions[0]
        ? moment(versions[0].publishedOn)
        : circular.pending
          ? moment(circular.pending.submittedOn)
          : now;
      const lastPublished = versions.at(-1);
      const lastEvent = circular.archivedOn
        ? moment(circular.archivedOn, 14)
        : circular.pending
          ? moment(circular.pending.submittedOn, 11)
          : lastPublished
            ? moment(lastPublished.publishedOn)
            : now;
      const inReview = circular.status === "in_review";
      rows.push({
        number: circular.number,
        year,
        sequence,
        status: circular.status satisfies CircularStatus,
        title: workingCopy.title,
        summary: workingCopy.summary,
        body: workingCopy.body as unknown as Prisma.InputJsonValue,
        validFrom: workingCopy.validFrom === null ? null : day(workingCopy.validFrom),
        validUntil: workingCopy.validUntil === null ? null : day(workingCopy.validUntil),
        reviewDate: circular.reviewDate === null ? null : day(circular.reviewDate),
        ownerDepartmentId: departmentIds.get(circular.ownerDepartmentCode)!,
        responsibleUserId: userIds.get(circular.responsibleEmployeeNumber)!,
        createdById: authorId,
        submittedById: inReview ? authorId : null,
        submittedAt: inReview && circular.pending ? moment(circular.pending.submittedOn, 11) : null,
        changeNote: circular.pending?.changeNote ?? null,
        substantialChange: circular.pending?.substantial ?? false,
        publishedVersion: versions.length,
        audience: seedAudience(circular),
        publishedAudience: versions.length > 0 ? seedAudience(circular) : [],
        archivedAt: circular.archivedOn ? moment(circular.archivedOn, 14) : null,
        // A circular is written a week or two before it is first published or submitted.
        createdAt: firstEvent === now ? now : daysBefore(firstEvent, 10),
        updatedAt: lastEvent,
      });
      versionsByNumber.set(
        circular.number,
        versions.map((version) => ({
          version: version.version,
          title: version.title,
          summary: version.summary,
          body: version.body as unknown as Prisma.InputJsonValue,
          validFrom: version.validFrom === null ? null : day(version.validFrom),
          validUntil: version.validUntil === null ? null : day(version.validUntil),
          changeNote: version.changeNote,
          substantial: version.substantial,
          audience: seedAudience(circular),
          attachmentIds: [],
          authorId,
          approvedById: userIds.get(approver(version.version))!,
          publishedAt: moment(version.publishedOn),
        })),
      );
    }

    // Bulk inserts keep start-up seeding fast: a handful of statements instead of hundreds.
    const created = await tx.circular.createManyAndReturn({ data: rows, select: { id: true, number: true } });
    for (const circular of created) idsByNumber.set(circular.number, circular.id);
    const idOf = (number: string): string => idsByNumber.get(number)!;

    await tx.circularTheme.createMany({
      data: missing.flatMap(({ circular }) =>
        circular.themes.map((slug) => ({
          circularId: idOf(circular.number),
          themeId: themeId(slug, circular.number),
        })),
      ),
    });
    await tx.circularVersion.createMany({
      data: missing.flatMap(({ circular }) =>
        (versionsByNumber.get(circular.number) ?? []).map((version) => ({
          ...version,
          circularId: idOf(circular.number),
        })),
      ),
    });
    for (const { circular } of missing) {
      if (!circular.supersedesNumber) continue;
      const supersedesId = idsByNumber.get(circular.supersedesNumber);
      if (supersedesId === undefined) {
        throw new Error(
          `Seed circular ${circular.number} supersedes unknown circular ${circular.supersedesNumber}`,
        );
      }
      // Keep the seeded updatedAt: Prisma would otherwise stamp the moment of seeding.
      const updatedAt = rows.find((row) => row.number === circular.number)?.updatedAt;
      await tx.circular.update({ where: { id: idOf(circular.number) }, data: { supersedesId, updatedAt } });
    }
  }

  await advanceSequences(tx);
  // The search indexer picks these up like any other change (search/queue.server.ts).
  await enqueueSearchIndex(tx, "circular", [...idsByNumber.values()]);
  return { themes: SEED_THEMES.length, circulars: SEED_CIRCULARS.length, created: missing.length };
}

/** Creates missing themes and renames changed ones; returns theme ids by slug. */
async function seedThemes(tx: Prisma.TransactionClient): Promise<Map<string, string>> {
  const existing = await tx.theme.findMany({
    where: { slug: { in: SEED_THEMES.map((theme) => theme.slug) } },
    select: { id: true, slug: true, nameNl: true, nameEn: true },
  });
  const bySlug = new Map(existing.map((theme) => [theme.slug, theme]));
  const toCreate = SEED_THEMES.filter((theme) => !bySlug.has(theme.slug));
  if (toCreate.length > 0) {
    const created = await tx.theme.createManyAndReturn({
      data: toCreate.map(({ slug, nameNl, nameEn }) => ({ slug, nameNl, nameEn })),
      select: { id: true, slug: true, nameNl: true, nameEn: true },
    });
    for (const theme of created) bySlug.set(theme.slug, theme);
  }
  for (const theme of SEED_THEMES) {
    const current = bySlug.get(theme.slug);
    if (current && (current.nameNl !== theme.nameNl || current.nameEn !== theme.nameEn)) {
      await tx.theme.update({
        where: { slug: theme.slug },
        data: { nameNl: theme.nameNl, nameEn: theme.nameEn },
      });
    }
  }
  return new Map([...bySlug].map(([slug, theme]) => [slug, theme.id]));
}

/** Keeps each year's number counter at or beyond the highest seeded number, so new drafts never collide. */
async function advanceSequences(tx: Prisma.TransactionClient): Promise<void> {
  const maxByYear = new Map<number, number>();
  for (const circular of SEED_CIRCULARS) {
    const { year, sequence } = parseSeedNumber(circular.number);
    maxByYear.set(year, Math.max(maxByYear.get(year) ?? 0, sequence));
  }
  for (const [year, sequence] of maxByYear) {
    // The WHERE clause makes a second run write nothing.
    await tx.$executeRaw`
      INSERT INTO "CircularNumberSequence" ("year", "last") VALUES (${year}, ${sequence})
      ON CONFLICT ("year") DO UPDATE SET "last" = GREATEST("CircularNumberSequence"."last", EXCLUDED."last")
      WHERE "CircularNumberSequence"."last" < EXCLUDED."last"`;
  }
}

/** Resolves natural keys to ids, failing clearly when the database lacks one. */
async function lookUp(
  what: string,
  keys: readonly string[],
  find: (keys: string[]) => Promise<(readonly [string, string])[]>,
): Promise<Map<string, string>> {
  const unique = [...new Set(keys)];
  const found = new Map(await find(unique));
  const absent = unique.filter((key) => !found.has(key));
  if (absent.length > 0) {
    throw new Error(
      `Seeding circulars failed: unknown ${what}${absent.length > 1 ? "s" : ""} ${absent.join(", ")}`,
    );
  }
  return found;
}
