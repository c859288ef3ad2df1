/**
 * The digest planner (job `digests.plan`, every five minutes): decides who gets a digest now, composes it and
 * creates one delivery per reachable channel; the job then queues a `digests.deliver` job per new delivery.
 *
 * 1. Preferences whose `nextDueAt` is null (new, changed, unpaused) get it computed (./schedule.ts).
 * 2. Due preferences (nextDueAt <= now): compose since the last digest; when there is something and a channel
 *    that reaches the person, create the Digest (unique per person and period: a re-run creates nothing new),
 *    mark the DigestEntry rows it carries, create the deliveries, move lastDigestAt/nextDueAt on.
 * 3. Urgent items (./urgency.ts) not yet sent go out as an urgent digest on every run, for everyone whose
 *    preference is active and who is not inside their quiet hours; "urgent only" people get nothing else.
 *
 * Scale: 5,000 people must take well under 30 s on PostgreSQL, so people are handled in batches with one
 * query per source and a few set-based writes per batch. The writes of a batch are one transaction, so each
 * person's digest, entries, deliveries and schedule change together or not at all; if a batch fails, it is
 * retried person by person, so one bad row cannot hold back everyone else's digest.
 */
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { type DigestCategory, type DigestChannel, type Prisma } from "~/generated/prisma/client";
import { audienceMembersWhere } from "~/modules/circulars/audience.server";
import { reachableChannels } from "~/modules/reach/reachability.server";
import { composeDigests, type ComposedDigest, DEFAULT_LOOKBACK_DAYS } from "./compose.server";
import {
  digestPeriodKey,
  endOfQuietHours,
  isInQuietHours,
  nextDigestDueAt,
  type SchedulePreference,
} from "./schedule";
import { urgentAnnouncementsWhere, urgentCircularsWhere } from "./urgency";

type Db = Prisma.TransactionClient;

/** People per batch: large enough for few round trips, small enough for short transactions. */
export const PLAN_BATCH_SIZE = 500;
const DAY = 24 * 3600_000;

export type PlanOptions = {
  /** At most this many due people per run (the rest wait for the next run); default: no limit. */
  limit?: number;
  batchSize?: number;
  /** Called with the error of a person whose digest could not be planned (the job logs it). */
  onError?: (userId: string, error: unknown) => void;
  /** Called after each batch with its size and duration (the benchmark's per-batch figures). */
  onBatch?: (batch: { kind: "regular" | "urgent"; people: number; ms: number }) => void;
};

export type PlanResult = {
  /** Preferences whose nextDueAt was (re)computed. */
  scheduled: number;
  /** Due people looked at. */
  due: number;
  /** Digests created (regular and urgent). */
  digests: number;
  /** Ids of the deliveries created, to enqueue. */
  deliveryIds: string[];
  /** People whose planning failed (see onError). */
  failed: number;
};

type PreferenceRow = SchedulePreference & {
  userId: string;
  channels: DigestChannel[];
  categories: DigestCategory[];
  lastDigestAt: Date | null;
  nextDueAt: Date | null;
};

const PREFERENCE_SELECT = {
  userId: true,
  channels: true,
  rhythm: true,
  sendAt: true,
  weekday: true,
  categories: true,
  quietFrom: true,
  quietUntil: true,
  paused: true,
  lastDigestAt: true,
  nextDueAt: true,
} as const satisfies Prisma.DigestPreferenceSelect;

/** Plans every digest that is due at `now` and every urgent digest; see the module comment. */
export async function planDueDigests(now: Date, options: PlanOptions = {}): Promise<PlanResult> {
  const result: PlanResult = { scheduled: 0, due: 0, digests: 0, deliveryIds: [], failed: 0 };
  const batchSize = options.batchSize ?? PLAN_BATCH_SIZE;
  result.scheduled = await scheduleMissing(now, batchSize, options);
  await planRegular(now, batchSize, options, result);
  await planUrgent(now, batchSize, options, result);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// 1. nextDueAt where it is missing

async function scheduleMissing(now: Date, batchSize: number, options: PlanOptions): Promise<number> {
  let scheduled = 0;
  let cursor: string | undefined;
  for (;;) {
    const rows = await prisma.digestPreference.findMany({
      where: { nextDueAt: null, paused: false, rhythm: { not: "urgent_only" }, userId: { gt: cursor } },
      select: PREFERENCE_SELECT,
      orderBy: { userId: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) return scheduled;
    cursor = rows.at(-1)!.userId;
    const ids: string[] = [];
    const dues: string[] = [];
    for (const row of rows) {
      try {
        const due = nextDigestDueAt(row, now);
        if (!due) continue;
        ids.push(row.userId);
        dues.push(due.toISOString());
      } catch (error) {
        // A malformed stored time cannot be scheduled; it stays null until the person saves again.
        reportError(options, row.userId, error);
      }
    }
    if (ids.length > 0) {
      // Only where it is still null: a preference saved meanwhile keeps its own value.
      scheduled += await prisma.$executeRaw`
        UPDATE "DigestPreference" AS p SET "nextDueAt" = (x."due" AT TIME ZONE 'UTC'), "updatedAt" = now()
        FROM unnest(${ids}::text[], ${dues}::timestamptz[]) AS x("userId", "due")
        WHERE p."userId" = x."userId" AND p."nextDueAt" IS NULL`;
    }
    if (rows.length < batchSize) return scheduled;
  }
}

function reportError(options: PlanOptions, userId: string, error: unknown) {
  options.onError?.(userId, error);
}

// ---------------------------------------------------------------------------------------------------------
// 2. Regular digests

/** What one person's planning writes. */
type PersonPlan = {
  userId: string;
  /** The digest to create, or null (nothing new, or no channel reaches them). */
  digest: {
    periodKey: string;
    composed: ComposedDigest;
    channels: DigestChannel[];
    destinations: Map<DigestChannel, string | null>;
  } | null;
  /**
   * The schedule update, guarded by the nextDueAt the planner saw (a concurrent change wins); lastDigestAt
   * moves to now only when this run created the digest.
   */
  schedule: { expected: Date | null; next: Date | null } | null;
};

async function planRegular(now: Date, batchSize: number, options: PlanOptions, out: PlanResult) {
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  let cursor: { nextDueAt: Date; userId: string } | null = null;
  while (remaining > 0) {
    const started = performance.now();
    const rows: PreferenceRow[] = await prisma.digestPreference.findMany({
      where: {
        paused: false,
        rhythm: { not: "urgent_only" },
        nextDueAt: { lte: now },
        ...(cursor
          ? {
              OR: [
                { nextDueAt: { gt: cursor.nextDueAt } },
                { nextDueAt: cursor.nextDueAt, userId: { gt: cursor.userId } },
              ],
            }
          : {}),
      },
      select: PREFERENCE_SELECT,
      orderBy: [{ nextDueAt: "asc" }, { userId: "asc" }],
      take: Math.min(batchSize, remaining),
    });
    if (rows.length === 0) return;
    const last = rows.at(-1)!;
    cursor = { nextDueAt: last.nextDueAt!, userId: last.userId };
    remaining -= rows.length;
    out.due += rows.length;

    const plans: PersonPlan[] = [];
    const toCompose: PreferenceRow[] = [];
    for (const row of rows) {
      // Due, but the planner runs inside the quiet hours (it was late, or they changed): wait until they end.
      if (isInQuietHours(row, now)) {
        plans.push({
          userId: row.userId,
          digest: null,
          schedule: { expected: row.nextDueAt, next: endOfQuietHours(row, now) },
        });
      } else {
        toCompose.push(row);
      }
    }
    const planned = await planDigestsFor(toCompose, now, "regular", options, out);
    await writeInBatch([...plans, ...planned], now, options, out);
    options.onBatch?.({ kind: "regular", people: rows.length, ms: performance.now() - started });
    if (rows.length < batchSize) return;
  }
}

/** Channels, composition and the schedule change for people whose digest is due now. */
async function planDigestsFor(
  rows: readonly PreferenceRow[],
  now: Date,
  kind: "regular" | "urgent",
  options: PlanOptions,
  out: PlanResult,
): Promise<PersonPlan[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.userId);
  const reachable = await reachableChannels(ids);
  const reached = rows.filter((row) => channelsFor(row, reachable).length > 0);
  const composed = await composeDigests(
    reached.map((row) => ({
      userId: row.userId,
      // Urgent items are checked over the last week whatever the last digest was: they matter until sent.
      since: kind === "urgent" ? null : row.lastDigestAt,
      categories: row.categories,
    })),
    now,
    { urgentOnly: kind === "urgent" },
  );
  const destinations = await maskedDestinations([...composed.keys()]);
  return rows.flatMap((row): PersonPlan[] => {
    try {
      const channels = channelsFor(row, reachable);
      const digest = composed.get(row.userId);
      const schedule =
        kind === "regular"
          ? {
              expected: row.nextDueAt,
              // From now, not from the due moment: a planner that was down does not send a backlog of digests.
              next: nextDigestDueAt(row, now),
            }
          : null;
      if (!digest || channels.length === 0) return [{ userId: row.userId, digest: null, schedule }];
      return [
        {
          userId: row.userId,
          digest: {
            // The due moment names the period, so a late run still files the digest under its own day.
            periodKey: digestPeriodKey(row, kind === "regular" ? (row.nextDueAt ?? now) : now, kind),
            composed: digest,
            channels,
            destinations: destinations.get(row.userId) ?? new Map(),
          },
          schedule,
        },
      ];
    } catch (error) {
      out.failed += 1;
      reportError(options, row.userId, error);
      return [];
    }
  });
}

/** The person's channels in their own order, those that reach them now (consent + contact/subscription). */
function channelsFor(row: PreferenceRow, reachable: Map<string, Set<DigestChannel>>): DigestChannel[] {
  const available = reachable.get(row.userId) ?? new Set();
  return [...new Set(row.channels)].filter((channel) => available.has(channel));
}

/** The masked SMS number and e-mail address per person (what the delivery log shows; never the value). */
async function maskedDestinations(
  userIds: string[],
): Promise<Map<string, Map<DigestChannel, string | null>>> {
  const result = new Map<string, Map<DigestChannel, string | null>>();
  if (userIds.length === 0) return result;
  const contacts = await prisma.personalContact.findMany({
    where: { userId: { in: userIds }, removedAt: null, verifiedAt: { not: null } },
    select: { userId: true, kind: true, masked: true },
  });
  for (const contact of contacts) {
    const own = result.get(contact.userId) ?? new Map<DigestChannel, string | null>();
    own.set(contact.kind === "phone" ? "sms" : "email", contact.masked);
    result.set(contact.userId, own);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Writing: one transaction per batch, person by person when a batch fails

async function writeInBatch(plans: PersonPlan[], now: Date, options: PlanOptions, out: PlanResult) {
  if (plans.length === 0) return;
  try {
    const written = await prisma.$transaction((tx) => writePlans(tx, plans, now));
    out.digests += written.digests;
    out.deliveryIds.push(...written.deliveryIds);
  } catch (batchError) {
    if (plans.length === 1) {
      out.failed += 1;
      reportError(options, plans[0]!.userId, batchError);
      return;
    }
    for (const plan of plans) {
      try {
        const written = await prisma.$transaction((tx) => writePlans(tx, [plan], now));
        out.digests += written.digests;
        out.deliveryIds.push(...written.deliveryIds);
      } catch (error) {
        out.failed += 1;
        reportError(options, plan.userId, error);
      }
    }
  }
}

async function writePlans(
  tx: Db,
  plans: readonly PersonPlan[],
  now: Date,
): Promise<{ digests: number; deliveryIds: string[] }> {
  const withDigest = plans.filter((plan) => plan.digest !== null);
  const tokenExpiresAt = new Date(now.getTime() + getEnv().DIGEST_LINK_DAYS * DAY);
  // The unique (userId, periodKey) makes a re-run (or a second planner) create nothing: only the digests
  // this run created come back, and only those get entries and deliveries.
  const created =
    withDigest.length === 0
      ? []
      : await tx.digest.createManyAndReturn({
          data: withDigest.map((plan) => {
            const { composed, periodKey } = plan.digest!;
            return {
              userId: plan.userId,
              periodKey,
              items: composed.items as unknown as Prisma.InputJsonArray,
              itemCount: composed.items.length,
              urgent: composed.urgent,
              coversFrom: composed.coversFrom,
              coversUntil: now,
              tokenExpiresAt,
            };
          }),
          skipDuplicates: true,
          select: { id: true, userId: true },
        });
  const digestOf = new Map(created.map((digest) => [digest.userId, digest.id]));

  const entryIds: string[] = [];
  const entryDigests: string[] = [];
  const deliveries: Prisma.DigestDeliveryCreateManyInput[] = [];
  for (const plan of withDigest) {
    const digestId = digestOf.get(plan.userId);
    if (!digestId) continue;
    const { composed, channels, destinations } = plan.digest!;
    for (const entryId of composed.entryIds) {
      entryIds.push(entryId);
      entryDigests.push(digestId);
    }
    for (const channel of channels) {
      deliveries.push({
        digestId,
        userId: plan.userId,
        channel,
        idempotencyKey: `${digestId}:${channel}`,
        destination: destinations.get(channel) ?? null,
        queuedAt: now,
      });
    }
  }
  if (entryIds.length > 0) {
    // Only entries still waiting: one a parallel run already carried stays with that digest.
    await tx.$executeRaw`
      UPDATE "DigestEntry" AS e SET "digestId" = x."digestId"
      FROM unnest(${entryIds}::text[], ${entryDigests}::text[]) AS x("id", "digestId")
      WHERE e."id" = x."id" AND e."digestId" IS NULL`;
  }
  const createdDeliveries =
    deliveries.length === 0
      ? []
      : await tx.digestDelivery.createManyAndReturn({
          data: deliveries,
          skipDuplicates: true,
          select: { id: true },
        });

  const schedules = plans.filter((plan) => plan.schedule !== null);
  if (schedules.length > 0) {
    const ids = schedules.map((plan) => plan.userId);
    const expected = schedules.map((plan) => plan.schedule!.expected?.toISOString() ?? null);
    const next = schedules.map((plan) => plan.schedule!.next?.toISOString() ?? null);
    const last = schedules.map((plan) => (digestOf.has(plan.userId) ? now.toISOString() : null));
    // Guarded by the nextDueAt the planner read: if the person changed their preference meanwhile (which
    // sets it to null), their change wins and the next run schedules it afresh.
    await tx.$executeRaw`
      UPDATE "DigestPreference" AS p
      SET "nextDueAt" = (x."next" AT TIME ZONE 'UTC'),
          "lastDigestAt" = COALESCE((x."last" AT TIME ZONE 'UTC'), p."lastDigestAt"),
          "updatedAt" = now()
      FROM unnest(${ids}::text[], ${expected}::timestamptz[], ${next}::timestamptz[], ${last}::timestamptz[])
        AS x("userId", "expected", "next", "last")
      WHERE p."userId" = x."userId" AND p."nextDueAt" IS NOT DISTINCT FROM (x."expected" AT TIME ZONE 'UTC')`;
  }
  return { digests: created.length, deliveryIds: createdDeliveries.map((d) => d.id) };
}

// ---------------------------------------------------------------------------------------------------------
// 3. Urgent digests

/** Whether anything urgent appeared in the last week (when nothing did, the urgent pass costs one query). */
async function urgentAudiences(now: Date): Promise<string[][]> {
  const since = new Date(now.getTime() - DEFAULT_LOOKBACK_DAYS * DAY);
  const [circulars, announcements] = await Promise.all([
    prisma.circular.findMany({
      where: {
        ...urgentCircularsWhere(now),
        versions: {
          some: { publishedAt: { gt: since, lte: now }, OR: [{ substantial: true }, { version: 1 }] },
        },
      },
      select: { publishedAudience: true },
      take: 100,
    }),
    prisma.post.findMany({
      where: { ...urgentAnnouncementsWhere(now), createdAt: { gt: since, lte: now } },
      select: { audience: true },
      take: 100,
    }),
  ]);
  return [...circulars.map((c) => c.publishedAudience), ...announcements.map((a) => a.audience)];
}

async function planUrgent(now: Date, batchSize: number, options: PlanOptions, out: PlanResult) {
  const audiences = await urgentAudiences(now);
  if (audiences.length === 0) return;
  // Only people in the audience of some urgent item; the composition decides what each may actually see.
  const inAudience = { OR: audiences.map((audience) => audienceMembersWhere(audience)) };
  let cursor: string | undefined;
  for (;;) {
    const started = performance.now();
    const rows: PreferenceRow[] = await prisma.digestPreference.findMany({
      where: {
        paused: false,
        NOT: { channels: { isEmpty: true } },
        userId: { gt: cursor },
        user: inAudience,
      },
      select: PREFERENCE_SELECT,
      orderBy: { userId: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) return;
    cursor = rows.at(-1)!.userId;
    // Urgent items wait for the end of quiet hours too; without quiet hours they go at once.
    const awake = rows.filter((row) => !isInQuietHours(row, now));
    const planned = await planDigestsFor(awake, now, "urgent", options, out);
    await writeInBatch(
      planned.filter((plan) => plan.digest !== null),
      now,
      options,
      out,
    );
    options.onBatch?.({ kind: "urgent", people: rows.length, ms: performance.now() - started });
    if (rows.length < batchSize) return;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Safety net

/**
 * Deliveries that were created but never picked up: the planner stopped between its commit and queueing the
 * jobs. Never claimed (no attempt, no sendingAt, no note), older than `graceMinutes`, younger than a day.
 * Queueing one twice is harmless: the delivery job claims a row only once.
 */
export async function orphanedDeliveryIds(now: Date, graceMinutes = 30): Promise<string[]> {
  const rows = await prisma.digestDelivery.findMany({
    where: {
      status: "queued",
      attempts: 0,
      sendingAt: null,
      lastError: null,
      queuedAt: { lt: new Date(now.getTime() - graceMinutes * 60_000), gt: new Date(now.getTime() - DAY) },
    },
    select: { id: true },
    orderBy: { queuedAt: "asc" },
    take: 5_000,
  });
  return rows.map((row) => row.id);
}
