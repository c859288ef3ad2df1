/**
 * The transactional outbox of the search index. Writers call `enqueueSearchIndex` inside the same
 * transaction as their change; the indexer job (search/indexer.server.ts) drains the rows. If the change
 * rolls back, so does the task; if the job runner is down, the task waits.
 */
import { type Prisma } from "~/generated/prisma/client";

/** Document types the index knows. Posts, documents and people join later. */
export const SEARCH_TYPES = ["circular"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export async function enqueueSearchIndex(
  tx: Prisma.TransactionClient,
  type: SearchType,
  sourceIds: readonly string[],
): Promise<void> {
  const ids = [...new Set(sourceIds.filter(Boolean))];
  if (ids.length === 0) return;
  await tx.searchIndexTask.createMany({ data: ids.map((sourceId) => ({ type, sourceId })) });
}
