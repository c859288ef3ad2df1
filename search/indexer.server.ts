/**
 * Keeps the search index in step with the sources. Writers enqueue tasks in their own transaction
 * (search/queue.server.ts); `drainSearchIndexQueue` (run by the job `search.drain-index`) rebuilds the
 * documents those tasks name and deletes the tasks in one transaction, so a crash or an engine failure
 * leaves the tasks for the next run. `reindexAll` rebuilds everything (npm run search:reindex).
 */
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { buildCircularDocuments } from "./circular-documents.server";
import { getSearchEngine } from "./engine.server";
import { buildPersonDocuments, INDEXABLE_PEOPLE_WHERE } from "./person-documents.server";
import { buildPostDocuments, INDEXABLE_POSTS_WHERE } from "./post-documents.server";
import { SEARCH_TYPES, type SearchType } from "./queue.server";
import { type IndexDocument, type SearchEngine } from "./types";

/** Tasks taken per transaction: small enough to keep transactions short, large enough for bulk writes. */
const DRAIN_BATCH = 200;
const REINDEX_BATCH = 500;
const TRANSACTION = { maxWait: 10_000, timeout: 120_000 };

type Builder = (
  tx: Prisma.TransactionClient,
  sourceIds: readonly string[],
) => Promise<{ documents: IndexDocument[]; remove: string[] }>;

/** One builder per document type; documents add theirs here. */
const BUILDERS: Record<SearchType, Builder> = {
  circular: buildCircularDocuments,
  post: buildPostDocuments,
  person: buildPersonDocuments,
};

const isSearchType = (type: string): type is SearchType => (SEARCH_TYPES as readonly string[]).includes(type);

/** Writes documents in one statement; the trigger computes their search vectors. */
async function upsertDocuments(tx: Prisma.TransactionClient, documents: IndexDocument[]): Promise<void> {
  if (documents.length === 0) return;
  const rows = JSON.stringify(
    documents.map((d) => ({
      ...d,
      validFrom: d.validFrom?.toISOString().slice(0, 10) ?? null,
      validUntil: d.validUntil?.toISOString().slice(0, 10) ?? null,
      supersededFrom: d.supersededFrom?.toISOString().slice(0, 10) ?? null,
      sortDate: d.sortDate.toISOString(),
    })),
  );
  await tx.$executeRaw`
    INSERT INTO "SearchDocument" ("id", "type", "sourceId", "title", "summary", "body", "attachmentText", "url",
      "meta", "audience", "themes", "departmentId", "status", "year", "validFrom", "validUntil",
      "supersededFrom", "sortDate", "indexedAt")
    SELECT x."id", x."type", x."sourceId", x."title", x."summary", x."body", x."attachmentText", x."url",
      x."meta", ARRAY(SELECT jsonb_array_elements_text(x."audience")), ARRAY(SELECT jsonb_array_elements_text(x."themes")),
      x."departmentId", x."status", x."year", x."validFrom", x."validUntil", x."supersededFrom",
      (x."sortDate" AT TIME ZONE 'UTC'), now()
    FROM jsonb_to_recordset(${rows}::jsonb) AS x("id" text, "type" text, "sourceId" text, "title" text,
      "summary" text, "body" text, "attachmentText" text, "url" text, "meta" jsonb, "audience" jsonb,
      "themes" jsonb, "departmentId" text, "status" text, "year" int, "validFrom" date, "validUntil" date,
      "supersededFrom" date, "sortDate" timestamptz)
    ON CONFLICT ("id") DO UPDATE SET
      "type" = EXCLUDED."type", "sourceId" = EXCLUDED."sourceId", "title" = EXCLUDED."title",
      "summary" = EXCLUDED."summary", "body" = EXCLUDED."body", "attachmentText" = EXCLUDED."attachmentText",
      "url" = EXCLUDED."url", "meta" = EXCLUDED."meta", "audience" = EXCLUDED."audience",
      "themes" = EXCLUDED."themes", "departmentId" = EXCLUDED."departmentId", "status" = EXCLUDED."status",
      "year" = EXCLUDED."year", "validFrom" = EXCLUDED."validFrom", "validUntil" = EXCLUDED."validUntil",
      "supersededFrom" = EXCLUDED."supersededFrom", "sortDate" = EXCLUDED."sortDate", "indexedAt" = now()`;
}

/** Rebuilds the documents of some sources of one type inside `tx` and hands the change to the engine. */
async function rebuild(
  tx: Prisma.TransactionClient,
  engine: SearchEngine,
  type: SearchType,
  sourceIds: readonly string[],
): Promise<{ indexed: number; removed: number }> {
  const ids = [...new Set(sourceIds)].sort();
  // Serialises work on the same source across workers: the later one reads what the earlier one committed,
  // so an older state can never overwrite a newer one. Sorted ids, so two workers cannot deadlock.
  for (const id of ids)
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`search:${type}:${id}`}))`;
  const { documents, remove } = await BUILDERS[type](tx, ids);
  await upsertDocuments(tx, documents);
  const removed = remove.length
    ? (await tx.searchDocument.deleteMany({ where: { id: { in: remove } } })).count
    : 0;
  await engine.sync({ upserted: documents, removedIds: remove });
  return { indexed: documents.length, removed };
}

/**
 * Indexes what the outbox names, until it is empty. Rows are locked with FOR UPDATE SKIP LOCKED, so several
 * workers can drain at once without doing the same work; a failure rolls back that batch and keeps its tasks.
 */
export async function drainSearchIndexQueue(): Promise<{ indexed: number; removed: number }> {
  const engine = getSearchEngine();
  const total = { indexed: 0, removed: 0 };
  for (;;) {
    const batch = await prisma.$transaction(async (tx) => {
      const tasks = await tx.$queryRaw<{ id: bigint; type: string; sourceId: string }[]>`
        SELECT "id", "type", "sourceId" FROM "SearchIndexTask" ORDER BY "id"
        LIMIT ${DRAIN_BATCH} FOR UPDATE SKIP LOCKED`;
      if (tasks.length === 0) return null;
      const counts = { indexed: 0, removed: 0 };
      const byType = new Map<SearchType, string[]>();
      for (const task of tasks) {
        // A type this version does not know (written by a newer release) is left for that release.
        if (!isSearchType(task.type)) continue;
        byType.set(task.type, [...(byType.get(task.type) ?? []), task.sourceId]);
      }
      for (const [type, ids] of byType) {
        const done = await rebuild(tx, engine, type, ids);
        counts.indexed += done.indexed;
        counts.removed += done.removed;
      }
      const handled = tasks.filter((t) => isSearchType(t.type)).map((t) => t.id);
      await tx.searchIndexTask.deleteMany({ where: { id: { in: handled } } });
      return { ...counts, tasks: tasks.length, handled: handled.length };
    }, TRANSACTION);
    if (!batch) break;
    total.indexed += batch.indexed;
    total.removed += batch.removed;
    // Only unknown types left in a full batch: stop instead of spinning on them.
    if (batch.handled === 0) break;
  }
  return total;
}

export type ReindexProgress = (done: number, total: number) => void;

/**
 * Per type: how many sources have a document, the next page of their ids after a given id (keyset, so a
 * million posts never sit in memory at once), and the SQL test that a document's source still qualifies.
 */
const SOURCES: Record<
  SearchType,
  {
    count: () => Promise<number>;
    page: (after: string | null, take: number) => Promise<string[]>;
    stillIndexable: Prisma.Sql;
  }
> = {
  circular: {
    count: () => prisma.circular.count({ where: { publishedVersion: { gt: 0 } } }),
    page: async (after, take) =>
      (
        await prisma.circular.findMany({
          where: { publishedVersion: { gt: 0 }, ...(after ? { id: { gt: after } } : {}) },
          select: { id: true },
          orderBy: { id: "asc" },
          take,
        })
      ).map((row) => row.id),
    stillIndexable: Prisma.sql`EXISTS (
      SELECT 1 FROM "Circular" c WHERE c."id" = d."sourceId" AND c."publishedVersion" > 0)`,
  },
  post: {
    count: () => prisma.post.count({ where: INDEXABLE_POSTS_WHERE }),
    page: async (after, take) =>
      (
        await prisma.post.findMany({
          where: { ...INDEXABLE_POSTS_WHERE, ...(after ? { id: { gt: after } } : {}) },
          select: { id: true },
          orderBy: { id: "asc" },
          take,
        })
      ).map((row) => row.id),
    stillIndexable: Prisma.sql`EXISTS (
      SELECT 1 FROM "Post" p WHERE p."id" = d."sourceId" AND p."deletedAt" IS NULL AND p."hiddenAt" IS NULL
        AND p."text" <> '')`,
  },
  person: {
    count: () => prisma.user.count({ where: INDEXABLE_PEOPLE_WHERE }),
    page: async (after, take) =>
      (
        await prisma.user.findMany({
          where: { ...INDEXABLE_PEOPLE_WHERE, ...(after ? { id: { gt: after } } : {}) },
          select: { id: true },
          orderBy: { id: "asc" },
          take,
        })
      ).map((row) => row.id),
    stillIndexable: Prisma.sql`EXISTS (SELECT 1 FROM "User" u WHERE u."id" = d."sourceId" AND u."active")`,
  },
};

/** Rebuilds the whole index from the sources (and the engine's settings). */
export async function reindexAll(
  onProgress?: ReindexProgress,
): Promise<{ indexed: number; removed: number }> {
  const engine = getSearchEngine();
  await engine.prepareFullReindex();
  // The rebuild reads every source after this point, so the tasks that exist now are covered by it.
  const pending = await prisma.searchIndexTask.findMany({ select: { id: true } });
  // The progress bar's total is an estimate taken once: sources written during the rebuild still count.
  let total = 0;
  for (const type of SEARCH_TYPES) total += await SOURCES[type].count();
  const result = { indexed: 0, removed: 0 };
  let done = 0;
  onProgress?.(0, total);
  for (const type of SEARCH_TYPES) {
    for (let after: string | null = null; ;) {
      const ids = await SOURCES[type].page(after, REINDEX_BATCH);
      if (ids.length === 0) break;
      const rebuilt = await prisma.$transaction((tx) => rebuild(tx, engine, type, ids), TRANSACTION);
      result.indexed += rebuilt.indexed;
      result.removed += rebuilt.removed;
      done += ids.length;
      onProgress?.(done, Math.max(total, done));
      after = ids.at(-1)!;
    }
    // Documents whose source is gone or no longer indexable (should not happen, but a rebuild repairs it).
    const stale = await prisma.$queryRaw<{ id: string }[]>`
      SELECT d."id" FROM "SearchDocument" d
      WHERE d."type" = ${type} AND NOT ${SOURCES[type].stillIndexable}`;
    if (stale.length) {
      const ids = stale.map((s) => s.id);
      await prisma.searchDocument.deleteMany({ where: { id: { in: ids } } });
      await engine.sync({ upserted: [], removedIds: ids });
      result.removed += ids.length;
    }
  }
  for (let start = 0; start < pending.length; start += 10_000) {
    const ids = pending.slice(start, start + 10_000).map((p) => p.id);
    await prisma.searchIndexTask.deleteMany({ where: { id: { in: ids } } });
  }
  return result;
}
