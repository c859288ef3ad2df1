/**
 * Job `circulars.send-review-reminders`: every morning at 07:00 Brussels time, remind owners of circulars
 * whose review date is near and flag overdue ones to the editors. Also once at start-up, so a day on
 * which no runner was up at 07:00 is caught up; the reminders are idempotent, so extra runs send nothing twice.
 */
import { sendReviewReminders } from "../../app/modules/circulars/review-reminders.server";
import { type JobDefinition } from "./runner";

export const CIRCULARS_SEND_REVIEW_REMINDERS = "circulars.send-review-reminders";

/** The job definition, with the notice period from CIRCULAR_REVIEW_NOTICE_DAYS. */
export function circularsReviewRemindersJob(options: { noticeDays: number }): JobDefinition {
  return {
    name: CIRCULARS_SEND_REVIEW_REMINDERS,
    queue: {
      policy: "stately",
      retryLimit: 5,
      retryDelay: 60,
      retryBackoff: true,
      expireInSeconds: 30 * 60,
      retentionMinutes: 7 * 24 * 60,
    },
    cron: "0 7 * * *",
    runOnStart: true,
    pollingIntervalSeconds: 30,
    async handle() {
      return sendReviewReminders({ noticeDays: options.noticeDays });
    },
  };
}
