/**
 * Job `digests.plan`: every five minutes (and once at start-up), compose the digests that are due and the
 * urgent ones (app/modules/digests/planner.server.ts), then queue one `digests.deliver` job per new delivery.
 * Deliveries left unqueued by a run that died between its commit and the queueing are queued again; the
 * delivery job claims a row once, so a job queued twice sends nothing twice.
 */
import { orphanedDeliveryIds, planDueDigests } from "../../app/modules/digests/planner.server";
import {
  type DeliverDigestJob,
  DIGESTS_DELIVER_QUEUE,
  DIGESTS_PLAN_QUEUE,
} from "../../app/modules/digests/queues";
import { type JobContext, type JobDefinition } from "./runner";

/** Queues one `digests.deliver` job per delivery, keyed by the delivery, in a few bulk inserts. */
export async function enqueueDeliveries(
  deliveryIds: readonly string[],
  insert: JobContext["insert"],
): Promise<void> {
  await insert(
    DIGESTS_DELIVER_QUEUE,
    deliveryIds.map((deliveryId) => ({
      data: { deliveryId } satisfies DeliverDigestJob,
      singletonKey: deliveryId,
    })),
  );
}

/** The job definition; `now` is replaceable for tests. */
export function digestsPlanJob(options: { now?: () => Date } = {}): JobDefinition {
  const clock = options.now ?? (() => new Date());
  return {
    name: DIGESTS_PLAN_QUEUE,
    queue: {
      // One run at a time, one waiting: a run plans everything that is due anyway.
      policy: "stately",
      retryLimit: 3,
      retryDelay: 30,
      retryBackoff: true,
      expireInSeconds: 10 * 60,
      retentionMinutes: 24 * 60,
    },
    cron: "*/5 * * * *",
    runOnStart: true,
    pollingIntervalSeconds: 30,
    async handle(_jobs, { logger, insert }) {
      const now = clock();
      const planned = await planDueDigests(now, {
        onError: (userId, error) =>
          logger.error({ err: error, userId }, "digest planning failed for a person"),
      });
      const orphans = await orphanedDeliveryIds(now);
      const deliveryIds = [...new Set([...planned.deliveryIds, ...orphans])];
      await enqueueDeliveries(deliveryIds, insert);
      return {
        scheduled: planned.scheduled,
        due: planned.due,
        digests: planned.digests,
        deliveries: planned.deliveryIds.length,
        requeued: orphans.length,
        failed: planned.failed,
      };
    },
  };
}
