/**
 * Job `campaigns.send`: every minute (and once at start-up, to catch up after a time without a runner), move
 * campaigns through their statuses (approved → running at the start, → ended at the end:
 * app/modules/campaigns/lifecycle.server.ts), then send the campaign messages that are due (app/modules/campaigns/sending.server.ts) and queue
 * one `digests.deliver` job per delivery they created. A message is claimed once, so two runs (two workers,
 * a slow run and the next minute's) never send one twice; queueing a delivery twice sends nothing twice.
 */
import { advanceCampaignStatuses } from "../../app/modules/campaigns/lifecycle.server";
import { sendDueMessages } from "../../app/modules/campaigns/sending.server";
import { enqueueDeliveries } from "./digests-plan";
import { type JobDefinition } from "./runner";

export const CAMPAIGNS_SEND_QUEUE = "campaigns.send";

export type CampaignsSendJobOptions = {
  /** Replaceable clock (tests). */
  now?: () => Date;
  /**
   * Status changes due at `now` (start and end of campaigns; default advanceCampaignStatuses), run before
   * sending so a message due at the campaign's start goes in the same minute.
   */
  advanceStatuses?: (now: Date) => Promise<unknown>;
  /** Messages per run (default: the sender's). */
  limit?: number;
};

/** The job definition. */
export function campaignsSendJob(options: CampaignsSendJobOptions = {}): JobDefinition {
  const clock = options.now ?? (() => new Date());
  const advance = options.advanceStatuses ?? advanceCampaignStatuses;
  return {
    name: CAMPAIGNS_SEND_QUEUE,
    queue: {
      // One run at a time, one waiting: a run sends everything that is due anyway.
      policy: "stately",
      retryLimit: 3,
      retryDelay: 30,
      retryBackoff: true,
      expireInSeconds: 10 * 60,
      retentionMinutes: 24 * 60,
    },
    cron: "* * * * *",
    runOnStart: true,
    pollingIntervalSeconds: 30,
    async handle(_jobs, { logger, insert }) {
      const now = clock();
      const statuses = await advance(now);
      const result = await sendDueMessages(now, {
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        onError: (messageId, error) =>
          logger.error({ err: error, messageId }, "campaign message could not be sent completely"),
      });
      await enqueueDeliveries(result.deliveryIds, insert);
      return {
        statuses,
        claimed: result.claimed,
        sent: result.sent,
        failed: result.failed,
        recipients: result.recipients,
        deliveries: result.deliveryIds.length,
      };
    },
  };
}
