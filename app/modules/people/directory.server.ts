/**
 * The people directory (/mensen): active colleagues, field workers included, found by name (accents
 * ignored, word prefixes, small typos), by expertise tag and by department or service. The matching
 * runs in PostgreSQL on the folded name (`search_fold`, lower case without accents) with the trigram
 * indexes of migration 20261123140500_people_search.
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { hasPermission, type Role } from "~/modules/identity/permissions";
import { PeopleError } from "./errors";
import { DIRECTORY_QUERY_MAX, type PersonSummary } from "./person";
import { PERSON_SELECT, toPersonSummary } from "./select.server";

export const DIRECTORY_PAGE_SIZE = 24;
/** More words than this add nothing to a name search and only slow it down. */
const MAX_QUERY_WORDS = 6;
/** Shorter words only match as prefixes: a typo in two or three letters is indistinguishable from another word. */
const TYPO_MIN_LENGTH = 4;
/**
 * How similar (pg_trgm word_similarity) a word must be to part of a name to count as a typo of it. The
 * extension's default of 0.6 misses the typos people make in names: "fatma" for Fatima scores 0.5,
 * "vermuelen" for Vermeulen 0.43. Exact prefixes still rank first, so look-alikes only lead when nothing
 * matches exactly.
 */
const TYPO_SIMILARITY = 0.4;
/** Deep pages are refused rather than scanned: nobody pages past a thousand colleagues. */
const MAX_PAGE = 500;

/** The directory's URL parameters (Dutch names: they are visible in the address bar). */
export const DirectoryParamsSchema = z.object({
  q: z.string().trim().max(DIRECTORY_QUERY_MAX).default(""),
  expertise: z.string().trim().max(80).default(""),
  dienst: z
    .string()
    .trim()
    .max(40)
    .regex(/^[A-Za-z0-9_-]*$/)
    .default(""),
  pagina: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
});

export type DirectoryParams = z.output<typeof DirectoryParamsSchema>;

/** Parses the directory's search parameters; an unknown parameter is ignored, a bad value refused. */
export function parseDirectoryParams(
  searchParams: URLSearchParams,
): { ok: true; value: DirectoryParams } | { ok: false } {
  const raw: Record<string, string> = {};
  for (const key of ["q", "expertise", "dienst", "pagina"] as const) {
    const value = searchParams.get(key);
    if (value !== null && value !== "") raw[key] = value;
  }
  const parsed = DirectoryParamsSchema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}

export type DirectoryPage = {
  people: PersonSummary[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
};

type DirectoryReader = { id: string; roles: readonly Role[] };

/** The words of a name query: letters and digits only, so nothing in them means anything to a regex. */
export function queryWords(q: string): string[] {
  return q
    .normalize("NFC")
    .split(/[^\p{L}\p{M}\p{Nd}]+/u)
    .filter(Boolean)
    .slice(0, MAX_QUERY_WORDS);
}

const foldedName = Prisma.sql`public."search_fold"(u."displayName")`;

/** A word of the query, folded like the names; anything unaccent turned into punctuation is dropped. */
function foldedWord(word: string): Prisma.Sql {
  return Prisma.sql`regexp_replace(public."search_fold"(${word}), '[^[:alnum:]]', '', 'g')`;
}

/** `text` has a word starting with `word` (word boundaries: start, space, hyphen, apostrophe …). */
function startsWord(text: Prisma.Sql, word: string): Prisma.Sql {
  return Prisma.sql`${text} ~ ('(^|[^[:alnum:]])' || ${foldedWord(word)})`;
}

function hasTagStartingWith(word: string): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM unnest(public."people_fold_tags"(u."expertise")) AS tag WHERE ${startsWord(Prisma.sql`tag`, word)})`;
}

/** A word matches a name word's start, a similar name word (typo), or the start of an expertise tag. */
function wordMatches(word: string): Prisma.Sql {
  const alternatives = [startsWord(foldedName, word), hasTagStartingWith(word)];
  if ([...word].length >= TYPO_MIN_LENGTH) {
    // `<%`: the word is at least pg_trgm.word_similarity_threshold (TYPO_SIMILARITY) similar to part of
    // the name; the operator, unlike a comparison with word_similarity(), can use the trigram index.
    alternatives.push(Prisma.sql`${foldedWord(word)} OPERATOR(public.<%) ${foldedName}`);
  }
  return Prisma.sql`(${Prisma.join(alternatives, " OR ")})`;
}

/** How well a word matches: a name prefix beats a tag, which beats a look-alike. */
function wordScore(word: string): Prisma.Sql {
  return Prisma.sql`CASE
    WHEN ${startsWord(foldedName, word)} THEN 1.0
    WHEN ${hasTagStartingWith(word)} THEN 0.6
    ELSE public.word_similarity(${foldedWord(word)}, ${foldedName}) * 0.5
  END`;
}

/**
 * One page of the directory for a reader with the directory permission; throws PeopleError(forbidden)
 * otherwise. A filter on a department includes the people of its services.
 */
export async function searchPeople(reader: DirectoryReader, params: DirectoryParams): Promise<DirectoryPage> {
  if (!hasPermission(reader, "read:directory")) {
    throw new PeopleError("forbidden", "The directory needs the read:directory permission");
  }
  const words = queryWords(params.q);
  const conditions: Prisma.Sql[] = [Prisma.sql`u."active"`];
  if (params.dienst) {
    conditions.push(Prisma.sql`(d."code" = ${params.dienst} OR p."code" = ${params.dienst})`);
  }
  if (params.expertise) {
    conditions.push(
      Prisma.sql`public."people_fold_tags"(u."expertise") @> ARRAY[public."search_fold"(${params.expertise.replace(/\s+/g, " ")})]`,
    );
  }
  for (const word of words) conditions.push(wordMatches(word));
  // Without words there is nothing to rank (and a bare 0 would be read as a column position).
  const order = words.length
    ? Prisma.sql`${Prisma.join(words.map(wordScore), " + ")} DESC, ${foldedName}, u."id"`
    : Prisma.sql`${foldedName}, u."id"`;
  const offset = (params.pagina - 1) * DIRECTORY_PAGE_SIZE;

  const { rows, found, total } = await prisma.$transaction(
    async (tx) => {
      // Count, page and details come from one snapshot (repeatable read), so "12 colleagues" matches the list below it.
      await tx.$queryRaw`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_SIMILARITY)}, true)`;
      const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT u."id"
      FROM "User" u
      LEFT JOIN "Department" d ON d."id" = u."departmentId"
      LEFT JOIN "Department" p ON p."id" = d."parentId"
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY ${order}
      LIMIT ${DIRECTORY_PAGE_SIZE} OFFSET ${offset}`;
      const counted = await tx.$queryRaw<{ total: number }[]>`
      SELECT count(*)::int AS "total"
      FROM "User" u
      LEFT JOIN "Department" d ON d."id" = u."departmentId"
      LEFT JOIN "Department" p ON p."id" = d."parentId"
      WHERE ${Prisma.join(conditions, " AND ")}`;
      const found = await tx.user.findMany({
        where: { id: { in: rows.map((row) => row.id) } },
        select: PERSON_SELECT,
      });
      return { rows, found, total: counted[0]?.total ?? 0 };
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
  );

  const byId = new Map(found.map((row) => [row.id, row]));
  const people = rows.flatMap((row) => {
    const person = byId.get(row.id);
    return person ? [toPersonSummary(person)] : [];
  });
  return {
    people,
    total,
    page: params.pagina,
    pageCount: Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE)),
    pageSize: DIRECTORY_PAGE_SIZE,
  };
}

export type DirectoryDepartment = { code: string; name: string; services: { code: string; name: string }[] };

/** The departments and their services, for the directory's filter. */
export async function directoryDepartments(): Promise<DirectoryDepartment[]> {
  const departments = await prisma.department.findMany({
    where: { kind: "department" },
    orderBy: { name: "asc" },
    select: {
      code: true,
      name: true,
      children: { orderBy: { name: "asc" }, select: { code: true, name: true } },
    },
  });
  return departments.map((d) => ({ code: d.code, name: d.name, services: d.children }));
}
