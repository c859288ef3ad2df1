/**
 * Review reminders (issue 3, section 5), run daily by the job `circulars.send-review-reminders`.
 * The responsible person of a published circular is told once per review date when that date comes
 * within the notice period; once the date has passed, every editor is told, again once per review date.
 * Days are Brussels calendar days, so a run just after midnight or on a daylight-saving change counts the
 * same day as a person in Ghent would.
 */
import { prisma } from "~/db.server";
import { notify, type KnownNotificationInput } from "../notifications/notify.server";
import { circularPath } from "./paths";
import { brusselsDay } from "./validity";

const DAY_MS = 86_400_000;

export type ReviewCandidate = {
  id: string;
  /** DATE column: UTC midnight of the review day. */
  reviewDate: Date | null;
  /** The review date a reminder was last sent for. */
  reviewReminderSentFor: Date | null;
};

export type ReviewSelection<C extends ReviewCandidate> = {
  /** Review date within the notice period (today up to today + noticeDays) and no reminder sent for it yet. */
  due: C[];
  /** Review date before today. */
  overdue: C[];
};

/** Adds calendar days to a DATE value (UTC midnight), unaffected by daylight saving. */
export function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * DAY_MS);
}

/**
 * Which published circulars need a reminder on the Brussels day of `now`: pure, so the rules are tested
 * without a database. Callers pass published circulars only.
 */
export function selectReviewReminders<C extends ReviewCandidate>(
  circulars: readonly C[],
  now: Date,
  noticeDays: number,
): ReviewSelection<C> {
  const today = brusselsDay(now);
  const horizon = addDays(today, noticeDays);
  const due: C[] = [];
  const overdue: C[] = [];
  for (const circular of circulars) {
    const reviewDate = circular.reviewDate;
    if (!reviewDate) continue;
    if (reviewDate < today) overdue.push(circular);
    else if (reviewDate <= horizon && circular.reviewReminderSentFor?.getTime() !== reviewDate.getTime()) {
      due.push(circular);
    }
  }
  return { due, overdue };
}

const isoDay = (day: Date) => day.toISOString().slice(0, 10);

export type ReviewReminderResult = {
  /** Circulars whose responsible person was reminded in this run. */
  reminded: number;
  /** Overdue circulars seen (editors are told once per circular and review date). */
  overdue: number;
  /** Notification rows created in this run. */
  notifications: number;
};

/**
 * Sends the reminders due on the Brussels day of `now`. Idempotent: the circular records the review
 * date it reminded for and every notification has a dedupe key, so a second run (a retry, two workers)
 * creates nothing new.
 */
export async function sendReviewReminders(options: {
  now?: Date;
  noticeDays: number;
}): Promise<ReviewReminderResult> {
  const now = options.now ?? new Date();
  const horizon = addDays(brusselsDay(now), options.noticeDays);
  const candidates = await prisma.circular.findMany({
    where: { status: "published", reviewDate: { not: null, lte: horizon } },
    select: {
      id: true,
      number: true,
      title: true,
      reviewDate: true,
      reviewReminderSentFor: true,
      responsibleUser: { select: { id: true, displayName: true, active: true } },
    },
    orderBy: { reviewDate: "asc" },
  });
  const { due, overdue } = selectReviewReminders(candidates, now, options.noticeDays);
  let notifications = 0;
  let reminded = 0;

  for (const circular of due) {
    const reviewDate = circular.reviewDate!;
    const day = isoDay(reviewDate);
    const created = await prisma.$transaction(async (tx) => {
      // Claim the reminder: only the run that moves reviewReminderSentFor to this date sends it.
      const claimed = await tx.circular.updateMany({
        where: {
          id: circular.id,
          reviewDate,
          OR: [{ reviewReminderSentFor: null }, { reviewReminderSentFor: { not: reviewDate } }],
        },
        data: { reviewReminderSentFor: reviewDate },
      });
      // Someone who has left cannot act on it; the editors hear about it once the date passes.
      if (claimed.count === 0 || !circular.responsibleUser.active) return null;
      const reminder: KnownNotificationInput = {
        userId: circular.responsibleUser.id,
        type: "circular.review_due",
        data: { number: circular.number, title: circular.title, reviewDate: day },
        url: circularPath(circular.number),
        dedupeKey: `circular.review_due:${circular.id}:${day}`,
      };
      return notify(reminder, tx);
    });
    if (created === null) continue;
    reminded += 1;
    notifications += created;
  }

  if (overdue.length > 0) {
    const editors = await prisma.user.findMany({
      where: { active: true, roles: { some: { role: "editor" } } },
      select: { id: true },
    });
    const flags: KnownNotificationInput[] = overdue.flatMap((circular) => {
      const day = isoDay(circular.reviewDate!);
      return editors.map((editor) => ({
        userId: editor.id,
        type: "circular.review_overdue" as const,
        data: {
          number: circular.number,
          title: circular.title,
          reviewDate: day,
          responsibleName: circular.responsibleUser.displayName,
        },
        url: circularPath(circular.number),
        dedupeKey: `circular.review_overdue:${circular.id}:${day}:${editor.id}`,
      }));
    });
    notifications += await notify(flags);
  }

  return { reminded, overdue: overdue.length, notifications };
}
