/**
 * Pulse questions: the anonymous 1-5 or multiple-choice question a campaign message may carry.
 *
 * Anonymity, by construction:
 * - An answer row holds no user id. The respondent is HMAC-SHA256 over (message id, user id) with a key derived
 *   from the session secret for this purpose only, so the database alone cannot say who answered what; the
 *   hash exists to refuse a second answer (unique per message) and to answer "did I already answer?".
 * - One answer per person, final: answering again is refused (`conflict`). Allowing a change would work (the
 *   hash finds the row again) but would let results over time move backwards and invite checking whether an
 *   answer "took"; a pulse is a snapshot.
 * - The row's time is the Brussels day, not the moment, and its id is random rather than a (time-ordered)
 *   cuid, so answer rows cannot be matched to request logs or to each other's order.
 * - No audit event: an audit row names its actor, which is exactly what must not be stored.
 * - Results go to campaign managers only and show a group (overall, a department, a period) only from
 *   MIN_GROUP answers. Smaller departments are merged into "andere"; when "andere" itself stays under the
 *   threshold the next-smallest departments join it, so no group can be worked out by subtracting the shown
 *   ones from the total. Weeks below the threshold are merged with the following week(s).
 * Departments are top-level departments (services roll up to their department), taken from the recipient
 * row, i.e. where the person worked when the message went out.
 */
import { createHmac, randomBytes } from "node:crypto";
import { TZDate } from "@date-fns/tz";
import { startOfDay } from "date-fns";
import { prisma } from "~/db.server";
import { sessionSecrets } from "~/env.server";
import { type Prisma, type PulseKind } from "~/generated/prisma/client";
import { CampaignError } from "./errors";
import { type CampaignActor, type CampaignReader, canManageCampaigns, canSeeCampaign } from "./policy.server";

/** The smallest group whose results are shown (overall, per department, per period). */
export const MIN_GROUP = 5;
/** The key and Dutch label of the merged group of small departments. */
export const OTHER_GROUP = "andere";
export const SCALE_MIN = 1;
export const SCALE_MAX = 5;
const TIME_ZONE = "Europe/Brussels";

/** Domain separation: the pulse key is HMAC(secret, this label), never the secret itself. */
const KEY_LABEL = "werkplek/campaign-pulse/v1";

function respondentHashWith(secret: string, messageId: string, userId: string): string {
  const key = createHmac("sha256", secret).update(KEY_LABEL).digest();
  // A separator that cannot occur in either id keeps ("ab","c") and ("a","bc") apart.
  return createHmac("sha256", key).update(`${messageId}\n${userId}`).digest("base64url");
}

/** The respondent hash under the current secret (what a new answer stores). */
export function respondentHash(messageId: string, userId: string): string {
  return respondentHashWith(sessionSecrets()[0]!, messageId, userId);
}

/** The hashes under every configured secret: an answer given before a rotation still counts as given. */
function respondentHashes(messageId: string, userId: string): string[] {
  return [...new Set(sessionSecrets().map((secret) => respondentHashWith(secret, messageId, userId)))];
}

type Db = Prisma.TransactionClient;

const pulseMessageSelect = {
  id: true,
  status: true,
  pulseQuestion: true,
  pulseKind: true,
  pulseOptions: true,
  campaign: { select: { id: true, status: true, audience: true } },
} satisfies Prisma.CampaignMessageSelect;

function invalidValue(message: string): CampaignError {
  return new CampaignError("invalid", message, {
    issues: [{ field: "value", code: "invalid_value", message }],
  });
}

/** The answer as a number within the question's range, or `invalid`. */
function parseAnswerValue(kind: PulseKind, options: readonly string[], value: unknown): number {
  const number = typeof value === "string" && /^\d{1,2}$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number)) {
    throw invalidValue("A pulse answer is a whole number");
  }
  if (kind === "scale" && (number < SCALE_MIN || number > SCALE_MAX)) {
    throw invalidValue(`A scale answer is between ${SCALE_MIN} and ${SCALE_MAX}`);
  }
  if (kind === "choice" && (number < 0 || number >= options.length)) {
    throw invalidValue(`A choice answer is an option index from 0 to ${options.length - 1}`);
  }
  return number;
}

/**
 * Records the reader's answer to a message's pulse question. The reader must be a recipient of the message
 * (sent or being sent, with a pulse) and the campaign must not have ended; `value` is 1-5 for a scale and an
 * option index for a choice (a number, or its digits from a form). A second answer is `conflict`.
 */
export async function answerPulse(
  reader: CampaignReader,
  messageId: string,
  value: unknown,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ answered: true }> {
  const message = await prisma.campaignMessage.findUnique({
    where: { id: messageId },
    select: pulseMessageSelect,
  });
  if (!message || !canSeeCampaign(reader, message.campaign)) {
    throw new CampaignError("not_found", `Campaign message ${messageId} not found`);
  }
  if (!message.pulseKind || !message.pulseQuestion) {
    throw new CampaignError("invalid", `Campaign message ${messageId} asks no pulse question`);
  }
  const recipient = await prisma.campaignRecipient.findUnique({
    where: { messageId_userId: { messageId, userId: reader.id } },
    select: { departmentId: true },
  });
  if (!recipient || (message.status !== "sent" && message.status !== "sending")) {
    throw new CampaignError("forbidden", "Only recipients of a sent message answer its pulse question");
  }
  if (message.campaign.status === "ended") {
    throw new CampaignError("wrong_status", "The pulse question closed when the campaign ended");
  }
  const answer = parseAnswerValue(message.pulseKind, message.pulseOptions, value);
  const existing = await prisma.pulseAnswer.count({
    where: { messageId, respondentHash: { in: respondentHashes(messageId, reader.id) } },
  });
  if (existing > 0) throw new CampaignError("conflict", "This pulse question was already answered");
  // ON CONFLICT DO NOTHING: two simultaneous answers by one person store one, the other learns it here.
  const { count } = await prisma.pulseAnswer.createMany({
    data: [
      {
        id: randomBytes(16).toString("base64url"),
        messageId,
        respondentHash: respondentHash(messageId, reader.id),
        value: answer,
        departmentId: recipient.departmentId,
        createdAt: startOfDay(new TZDate(now.getTime(), TIME_ZONE)),
      },
    ],
    skipDuplicates: true,
  });
  if (count === 0) throw new CampaignError("conflict", "This pulse question was already answered");
  return { answered: true };
}

/** Whether the reader already answered the message's pulse question (under the current or an earlier secret). */
export async function hasAnswered(reader: { id: string }, messageId: string): Promise<boolean> {
  const found = await prisma.pulseAnswer.count({
    where: { messageId, respondentHash: { in: respondentHashes(messageId, reader.id) } },
  });
  return found > 0;
}

// ---------------------------------------------------------------------------------------------------
// Groups below the threshold
// ---------------------------------------------------------------------------------------------------

/** One group of rows before the threshold is applied; `weight` is what must reach the minimum. */
export type WeightedGroup<Key, Data> = { key: Key; weight: number; data: Data };

/**
 * Applies the anonymity threshold to a breakdown: groups of at least `min` are shown; smaller ones are
 * merged into one "other" group; when that group stays under `min`, the smallest shown groups join it until
 * it reaches `min` (so it can never be worked out as total minus the shown groups). When even everything
 * together stays under `min`, nothing is shown. Empty groups are dropped.
 */
export function mergeSmallGroups<Key, Data>(
  groups: readonly WeightedGroup<Key, Data>[],
  min: number,
  combine: (a: Data, b: Data) => Data,
): { shown: WeightedGroup<Key, Data>[]; other: { weight: number; data: Data } | null } {
  const present = groups.filter((group) => group.weight > 0);
  const total = present.reduce((sum, group) => sum + group.weight, 0);
  if (total < min) return { shown: [], other: null };
  // Largest first; ties in the given order, so the result is stable.
  const shown = present
    .map((group, index) => ({ group, index }))
    .sort((a, b) => b.group.weight - a.group.weight || a.index - b.index)
    .map(({ group }) => group);
  const small: WeightedGroup<Key, Data>[] = [];
  while (shown.length > 0 && shown[shown.length - 1]!.weight < min) small.push(shown.pop()!);
  if (small.length === 0) return { shown, other: null };
  let otherWeight = small.reduce((sum, group) => sum + group.weight, 0);
  while (otherWeight < min) {
    const next = shown.pop()!; // total >= min, so something is left while the other group is too small
    small.push(next);
    otherWeight += next.weight;
  }
  const data = small.map((group) => group.data).reduce(combine);
  return { shown, other: { weight: otherWeight, data } };
}

/**
 * Merges an ordered series (weeks) so that every bucket holds at least `min`: a small period joins the
 * following ones, a small tail joins the last full bucket. Nothing when the whole series stays under `min`.
 */
export function mergeSmallPeriods<Data>(
  periods: readonly { key: string; weight: number; data: Data }[],
  min: number,
  combine: (a: Data, b: Data) => Data,
): { from: string; to: string; weight: number; data: Data }[] {
  const buckets: { from: string; to: string; weight: number; data: Data }[] = [];
  let open: { from: string; to: string; weight: number; data: Data } | null = null;
  for (const period of periods) {
    if (period.weight <= 0) continue;
    open = open
      ? {
          from: open.from,
          to: period.key,
          weight: open.weight + period.weight,
          data: combine(open.data, period.data),
        }
      : { from: period.key, to: period.key, weight: period.weight, data: period.data };
    if (open.weight >= min) {
      buckets.push(open);
      open = null;
    }
  }
  if (open) {
    const last = buckets.pop();
    if (!last) return [];
    buckets.push({
      from: last.from,
      to: open.to,
      weight: last.weight + open.weight,
      data: combine(last.data, open.data),
    });
  }
  return buckets;
}

// ---------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------

/** The answers of one group: how many gave each value, and for a scale the mean. */
export type PulseDistribution = {
  count: number;
  /** Mean on the 1-5 scale, rounded to two decimals; null for a choice (a mean of options means nothing). */
  mean: number | null;
  /** Every possible value in order, zeros included: 1-5 for a scale, each option for a choice. */
  values: { value: number; label: string | null; count: number }[];
};

export type PulseDepartmentGroup = {
  /** "department": one top-level department (null: people without one); "other": the merged small ones. */
  group: "department" | "other";
  departmentId: string | null;
  name: string | null;
  result: PulseDistribution;
};

/** A period of ISO weeks in Brussels time ("2026-W48"); `from` equals `to` unless small weeks were merged. */
export type PulsePeriod = { from: string; to: string; result: PulseDistribution };

export type PulseResults = {
  messageId: string;
  question: string;
  kind: PulseKind;
  options: string[];
  minGroup: number;
  /** How many answered; shown always, since a count reveals no answer. */
  answerCount: number;
  /** Null below MIN_GROUP answers. */
  overall: PulseDistribution | null;
  departments: PulseDepartmentGroup[];
  weeks: PulsePeriod[];
};

type PulseQuestion = {
  id: string;
  pulseQuestion: string | null;
  pulseKind: PulseKind | null;
  pulseOptions: string[];
};

/** Counts per value, indexed like PulseDistribution.values. */
type Counts = number[];

const addCounts = (a: Counts, b: Counts): Counts => a.map((count, index) => count + (b[index] ?? 0));

function valueRange(kind: PulseKind, options: readonly string[]): { value: number; label: string | null }[] {
  if (kind === "scale") {
    return Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, index) => {
      const value = SCALE_MIN + index;
      // The options of a scale are the labels of its two ends.
      const label =
        value === SCALE_MIN ? (options[0] ?? null) : value === SCALE_MAX ? (options[1] ?? null) : null;
      return { value, label };
    });
  }
  return options.map((label, value) => ({ value, label }));
}

function distribution(kind: PulseKind, options: readonly string[], counts: Counts): PulseDistribution {
  const range = valueRange(kind, options);
  const values = range.map((entry, index) => ({ ...entry, count: counts[index] ?? 0 }));
  const count = values.reduce((sum, entry) => sum + entry.count, 0);
  const mean =
    kind === "scale" && count > 0
      ? Math.round((values.reduce((sum, entry) => sum + entry.value * entry.count, 0) / count) * 100) / 100
      : null;
  return { count, mean, values };
}

type AnswerRow = {
  messageId: string;
  departmentId: string | null;
  week: string;
  value: number;
  count: number;
};

/**
 * Pulse results of several messages at once (the dashboard): one grouped query for all answers, one for
 * the department names. Messages without a pulse question are left out. Callers have checked the policy.
 */
export async function pulseResultsOf(
  messages: readonly PulseQuestion[],
  db: Db = prisma,
): Promise<Map<string, PulseResults>> {
  const questions = messages.filter(
    (message): message is PulseQuestion & { pulseKind: PulseKind; pulseQuestion: string } =>
      message.pulseKind !== null && message.pulseQuestion !== null,
  );
  const results = new Map<string, PulseResults>();
  if (questions.length === 0) return results;
  // Answers are stored at the start of their Brussels day (as UTC in a timestamp column), so the ISO week of
  // the Brussels date is exact.
  const rows = await db.$queryRaw<AnswerRow[]>`
    SELECT pa."messageId",
           COALESCE(d."parentId", d."id") AS "departmentId",
           to_char((pa."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${TIME_ZONE}, 'IYYY-"W"IW') AS "week",
           pa."value",
           count(*)::int AS "count"
    FROM "PulseAnswer" pa
    LEFT JOIN "Department" d ON d."id" = pa."departmentId"
    WHERE pa."messageId" = ANY(${questions.map((message) => message.id)}::text[])
    GROUP BY 1, 2, 3, 4`;
  const names = await departmentNames(
    rows.map((row) => row.departmentId).filter((id): id is string => id !== null),
    db,
  );
  for (const message of questions) {
    const range = valueRange(message.pulseKind, message.pulseOptions);
    const empty = (): Counts => range.map(() => 0);
    const byDepartment = new Map<string | null, Counts>();
    const byWeek = new Map<string, Counts>();
    const overall = empty();
    for (const row of rows) {
      if (row.messageId !== message.id) continue;
      const index = range.findIndex((entry) => entry.value === row.value);
      // A value outside the question's range (options edited after answers came in) counts nowhere.
      if (index < 0) continue;
      overall[index]! += row.count;
      const department = byDepartment.get(row.departmentId) ?? empty();
      department[index]! += row.count;
      byDepartment.set(row.departmentId, department);
      const week = byWeek.get(row.week) ?? empty();
      week[index]! += row.count;
      byWeek.set(row.week, week);
    }
    const answerCount = overall.reduce((sum, count) => sum + count, 0);
    const shown = answerCount >= MIN_GROUP;
    const toDistribution = (counts: Counts) => distribution(message.pulseKind, message.pulseOptions, counts);
    const sum = (counts: Counts) => counts.reduce((total, count) => total + count, 0);
    const departments: PulseDepartmentGroup[] = [];
    let weeks: PulsePeriod[] = [];
    if (shown) {
      const merged = mergeSmallGroups(
        [...byDepartment].map(([key, counts]) => ({ key, weight: sum(counts), data: counts })),
        MIN_GROUP,
        addCounts,
      );
      for (const group of merged.shown) {
        departments.push({
          group: "department",
          departmentId: group.key,
          name: group.key ? (names.get(group.key) ?? null) : null,
          result: toDistribution(group.data),
        });
      }
      if (merged.other) {
        departments.push({
          group: "other",
          departmentId: null,
          name: OTHER_GROUP,
          result: toDistribution(merged.other.data),
        });
      }
      weeks = mergeSmallPeriods(
        [...byWeek]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, counts]) => ({ key, weight: sum(counts), data: counts })),
        MIN_GROUP,
        addCounts,
      ).map((bucket) => ({ from: bucket.from, to: bucket.to, result: toDistribution(bucket.data) }));
    }
    results.set(message.id, {
      messageId: message.id,
      question: message.pulseQuestion,
      kind: message.pulseKind,
      options: message.pulseOptions,
      minGroup: MIN_GROUP,
      answerCount,
      overall: shown ? toDistribution(overall) : null,
      departments,
      weeks,
    });
  }
  return results;
}

/** Names of departments by id, in one query. */
export async function departmentNames(ids: readonly string[], db: Db = prisma): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.department.findMany({
    where: { id: { in: unique } },
    select: { id: true, name: true },
  });
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * The results of one message's pulse question, for campaign managers: overall (from MIN_GROUP answers),
 * per department and per week, each group at least MIN_GROUP answers (see the module comment).
 */
export async function pulseResults(actor: CampaignActor, messageId: string): Promise<PulseResults> {
  if (!canManageCampaigns(actor)) {
    throw new CampaignError("forbidden", "Only campaign managers see pulse results");
  }
  const message = await prisma.campaignMessage.findUnique({
    where: { id: messageId },
    select: { id: true, pulseQuestion: true, pulseKind: true, pulseOptions: true },
  });
  if (!message) throw new CampaignError("not_found", `Campaign message ${messageId} not found`);
  const result = (await pulseResultsOf([message])).get(message.id);
  if (!result) throw new CampaignError("invalid", `Campaign message ${messageId} asks no pulse question`);
  return result;
}
