/**
 * The transactional outbox of the search index. Writers call `enqueueSearchIndex` inside the same
 * transaction as their change; the indexer job (search/indexer.server.ts) drains the rows. If the change
 * rolls back, so does the task; if the job runner is down, the task waits.
 */
import { type Prisma } from "~/generated/prisma/client";
import { type SearchType } from "./document-types";

export { SEARCH_TYPES, type SearchType } from "./document-types";

/** Asks the indexer to rebuild these sources' documents once the calling transaction commits. */
export async function enqueueSearchIndex(
  tx: Prisma.TransactionClient,
  type: SearchType,
  sourceIds: readonly string[],
): Promise<void> {
  const ids = [...new Set(sourceIds.filter(Boolean))];
  if (ids.length === 0) return;
  await tx.searchIndexTask.createMany({ data: ids.map((sourceId) => ({ type, sourceId })) });
}
