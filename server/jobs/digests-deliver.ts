/**
 * Job `digests.deliver`: one job per DigestDelivery (`{ deliveryId }`, queued by the planner with
 * `singletonKey: deliveryId`). The state machine is `deliverDigest` (app/modules/digests/deliver.server.ts):
 * a transient failure throws, so pg-boss retries with exponential backoff up to DELIVERY_RETRY_LIMIT times
 * (the row itself gives up after as many attempts); a digest held back by the daily SMS budget is enqueued
 * again for the next Brussels morning. SMS pacing happens inside sendSms (SendSlot), not here.
 */
import { z } from "zod";
import {
  deliverDigest,
  type DeliverOptions,
  type DeliverOutcome,
  DELIVERY_LEASE_SECONDS,
  DELIVERY_RETRY_LIMIT,
} from "../../app/modules/digests/deliver.server";
import { type DeliverDigestJob, DIGESTS_DELIVER_QUEUE } from "../../app/modules/digests/queues";
import { type JobDefinition } from "./runner";

const JobDataSchema = z.object({ deliveryId: z.string().min(1).max(64) });

export type DeliverDigest = (deliveryId: string, options?: DeliverOptions) => Promise<DeliverOutcome>;

/** The job definition; `deliver` is replaceable for tests of the job wiring. */
export function digestsDeliverJob(deliver: DeliverDigest = deliverDigest): JobDefinition<DeliverDigestJob> {
  return {
    name: DIGESTS_DELIVER_QUEUE,
    queue: {
      policy: "standard",
      retryLimit: DELIVERY_RETRY_LIMIT,
      retryDelay: 30,
      retryBackoff: true,
      // A run that outlives this is presumed dead; deliverDigest uses the same figure as its lease.
      expireInSeconds: DELIVERY_LEASE_SECONDS,
      retentionMinutes: 7 * 24 * 60,
    },
    pollingIntervalSeconds: 2,
    async handle(jobs, { logger, send }) {
      const outcomes: string[] = [];
      for (const job of jobs) {
        const parsed = JobDataSchema.safeParse(job.data);
        if (!parsed.success) {
          // Retrying a malformed job cannot help; log and drop it.
          logger.warn({ jobId: job.id }, "digest delivery job without a valid deliveryId; dropped");
          outcomes.push("invalid");
          continue;
        }
        const { deliveryId } = parsed.data;
        const outcome = await deliver(deliveryId);
        if (outcome.result === "deferred") {
          await send(DIGESTS_DELIVER_QUEUE, { deliveryId } satisfies DeliverDigestJob, {
            startAfter: outcome.until,
            singletonKey: deliveryId,
          });
          logger.info(
            { deliveryId, until: outcome.until, reason: outcome.reason },
            outcome.reason === "sms_budget"
              ? "SMS budget reached; delivery waits for tomorrow"
              : "recipient's quiet hours; delivery waits until they end",
          );
        } else if (outcome.result === "failed") {
          logger.warn({ deliveryId, reason: outcome.reason }, "digest delivery failed");
        }
        outcomes.push(outcome.result);
      }
      return { outcomes };
    },
  };
}
