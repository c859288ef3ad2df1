/**
 * Feedback on circulars: "Was dit nuttig?" (one changeable answer per person) and questions to the owner,
 * who answers on the readers page. Readers can only give feedback on what they may read; the owner
 * (responsible person) and editors see the counts and the questions.
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { notify } from "~/modules/notifications/notify.server";
import { consumeRateLimit, type RateLimitRule } from "~/utils/rate-limit.server";
import { requireReadersAccess } from "./acknowledgements.server";
import { CircularError } from "./errors";
import { circularPath } from "./paths";
import { type Reader } from "./policy.server";
import { publishedTitle, requireReadableCircular } from "./reading.server";

/** Questions per person per hour, over all circulars: generous for real questions, a wall for floods. */
export const QUESTION_RATE_LIMIT = {
  name: "circular:question",
  limit: 5,
  windowSeconds: 3600,
} satisfies RateLimitRule;

export const QUESTION_MIN = 10;
export const QUESTION_MAX = 2000;
export const ANSWER_MAX = 4000;

export const QuestionSchema = z
  .string()
  .trim()
  .min(QUESTION_MIN, `a question has at least ${QUESTION_MIN} characters`)
  .max(QUESTION_MAX, `a question has at most ${QUESTION_MAX} characters`);

export const AnswerSchema = z
  .string()
  .trim()
  .min(2, "an answer is required")
  .max(ANSWER_MAX, `an answer has at most ${ANSWER_MAX} characters`);

/** Too many questions in a short time: nothing was saved; try again after `retryAfterSeconds`. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many questions; retry after ${retryAfterSeconds} s`);
    this.name = "RateLimitedError";
  }
}

function invalid(issues: z.ZodError) {
  const messages = issues.issues.map((issue) => issue.message);
  return new CircularError("invalid_input", messages.join("; "), messages);
}

/** Saves (or changes) this reader's "Was dit nuttig?" answer for the published version they read. */
export async function rateCircular(reader: Reader, number: string, useful: boolean) {
  const circular = await requireReadableCircular(reader, number);
  if (circular.publishedVersion === 0)
    throw new CircularError("not_found", `Circular ${number} is not published`);
  const key = { circularId_userId: { circularId: circular.id, userId: reader.id } };
  await prisma.circularRating.upsert({
    where: key,
    create: { circularId: circular.id, userId: reader.id, useful, version: circular.publishedVersion },
    update: { useful, version: circular.publishedVersion },
  });
  return { useful };
}

/** This reader's rating and questions, for the reading page. */
export async function myFeedback(reader: Reader, circularId: string) {
  const [rating, questions] = await Promise.all([
    prisma.circularRating.findUnique({
      where: { circularId_userId: { circularId, userId: reader.id } },
      select: { useful: true },
    }),
    prisma.circularQuestion.findMany({
      where: { circularId, askedById: reader.id },
      orderBy: { createdAt: "desc" },
      select: { id: true, question: true, answer: true, answeredAt: true, createdAt: true },
    }),
  ]);
  return {
    useful: rating?.useful ?? null,
    questions: questions.map((q) => ({
      id: q.id,
      question: q.question,
      answer: q.answer,
      answeredAt: q.answeredAt?.toISOString() ?? null,
      createdAt: q.createdAt.toISOString(),
    })),
  };
}

/**
 * Sends a question to the owner: validated (10-2000 characters), rate limited per person, stored and
 * notified ("circular.question") in one transaction.
 */
export async function askQuestion(reader: Reader, number: string, text: unknown) {
  const parsed = QuestionSchema.safeParse(text);
  if (!parsed.success) throw invalid(parsed.error);
  const circular = await requireReadableCircular(reader, number);
  if (circular.publishedVersion === 0)
    throw new CircularError("not_found", `Circular ${number} is not published`);
  const limit = await consumeRateLimit(QUESTION_RATE_LIMIT, reader.id);
  if (!limit.allowed) throw new RateLimitedError(limit.retryAfterSeconds);
  return prisma.$transaction(async (tx) => {
    const question = await tx.circularQuestion.create({
      data: { circularId: circular.id, askedById: reader.id, question: parsed.data },
      select: { id: true, createdAt: true, askedBy: { select: { displayName: true } } },
    });
    if (circular.responsibleUserId !== reader.id) {
      await notify(
        {
          userId: circular.responsibleUserId,
          type: "circular.question",
          // Shape of "circular.question" in app/modules/notifications/types.ts.
          data: {
            number: circular.number,
            title: publishedTitle(circular),
            actorName: question.askedBy.displayName,
            questionId: question.id,
          },
          url: `${circularPath(circular.number)}/lezers#vraag-${question.id}`,
          dedupeKey: `circular.question:${question.id}`,
        },
        tx,
      );
    }
    return { id: question.id };
  });
}

/** Answers (or corrects the answer to) a question; the asker is notified of the first answer. */
export async function answerQuestion(reader: Reader, number: string, questionId: string, text: unknown) {
  const parsed = AnswerSchema.safeParse(text);
  if (!parsed.success) throw invalid(parsed.error);
  const circular = await requireReadableCircular(reader, number, { asOwner: true });
  requireReadersAccess(reader, circular);
  return prisma.$transaction(async (tx) => {
    const question = await tx.circularQuestion.findFirst({
      where: { id: questionId, circularId: circular.id },
      select: { id: true, askedById: true },
    });
    if (!question) throw new CircularError("not_found", `Question ${questionId} does not exist`);
    const answered = await tx.circularQuestion.update({
      where: { id: question.id },
      data: { answer: parsed.data, answeredById: reader.id, answeredAt: new Date() },
      select: { answeredBy: { select: { displayName: true } } },
    });
    if (question.askedById !== reader.id) {
      await notify(
        {
          userId: question.askedById,
          type: "circular.answered",
          data: {
            number: circular.number,
            title: publishedTitle(circular),
            actorName: answered.answeredBy?.displayName ?? "",
            questionId: question.id,
          },
          url: `${circularPath(circular.number)}#vragen`,
          // A corrected answer does not notify again.
          dedupeKey: `circular.answered:${question.id}`,
        },
        tx,
      );
    }
    return { id: question.id };
  });
}

/** Rating counts and all questions of a circular, for the owner and editors. */
export async function feedbackSummary(reader: Reader, number: string) {
  const circular = await requireReadableCircular(reader, number, { asOwner: true });
  requireReadersAccess(reader, circular);
  const [counts, currentCounts, questions] = await Promise.all([
    prisma.circularRating.groupBy({
      by: ["useful"],
      where: { circularId: circular.id },
      _count: { _all: true },
    }),
    prisma.circularRating.groupBy({
      by: ["useful"],
      where: { circularId: circular.id, version: circular.publishedVersion },
      _count: { _all: true },
    }),
    prisma.circularQuestion.findMany({
      where: { circularId: circular.id },
      orderBy: [{ answeredAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }],
      select: {
        id: true,
        question: true,
        answer: true,
        createdAt: true,
        answeredAt: true,
        askedBy: { select: { displayName: true } },
        answeredBy: { select: { displayName: true } },
      },
    }),
  ]);
  const count = (rows: typeof counts, useful: boolean) =>
    rows.find((row) => row.useful === useful)?._count._all ?? 0;
  return {
    useful: count(counts, true),
    notUseful: count(counts, false),
    currentVersion: { useful: count(currentCounts, true), notUseful: count(currentCounts, false) },
    questions: questions.map((q) => ({
      id: q.id,
      question: q.question,
      answer: q.answer,
      askedBy: q.askedBy.displayName,
      answeredBy: q.answeredBy?.displayName ?? null,
      createdAt: q.createdAt.toISOString(),
      answeredAt: q.answeredAt?.toISOString() ?? null,
    })),
  };
}
