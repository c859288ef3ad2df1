/**
 * `npm run bench:digests`: composing and queueing the field-worker digests at city scale on a real PostgreSQL.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:digests
 *
 * Creates a scratch database `werkplek_bench_digests` (dropped afterwards unless BENCH_KEEP=1) with
 * BENCH_WORKERS (default 5,000) field workers who all have a digest due now: preferences on SMS, push and
 * e-mail (some on two channels), the consents and verified contacts (sealed like the app seals them) or push
 * subscriptions that make those channels reachable, group memberships and topic follows, three personal items
 * waiting each, and a realistic week of content: 40 circulars for various audiences (some already confirmed),
 * 12 announcements (one pinned: urgent), 30 groups with 3,000 posts and reactions.
 * Then it runs the planner (`planDueDigests`, as the `digests.plan` job does) and queues one pg-boss job per
 * delivery with the same `send` the job uses. Target (issue 5): everything composed and queued in < 30 s.
 * Then four concurrent senders deliver 10 s worth of SMS (BENCH_SMS_RATE, default 10 per second) to the outbox
 * through deliverDigest, to show that together they keep to the provider's rate.
 * Prints p50/p95 per batch of 500 people, the totals, the achieved SMS rate and the load average.
 */
import PgBoss from "pg-boss";
import { personalDataIndex, sealPersonalData } from "../app/modules/channels/keys.server";
import { maskEmail, maskPhone } from "../app/modules/channels/contact";
import { parseEnv } from "../app/env.server";
import { deliverDigest } from "../app/modules/digests/deliver.server";
import { planDueDigests } from "../app/modules/digests/planner.server";
import { DIGESTS_DELIVER_QUEUE } from "../app/modules/digests/queues";
import { contactSealPurpose } from "../app/modules/reach/reachability.server";
import { enqueueDeliveries } from "../server/jobs/digests-plan";
import { loadAverage, openScratchDatabase, percentile, printPercentiles, timed } from "./lib";

const WORKERS = Number(process.env.BENCH_WORKERS ?? 5_000);
const TARGET_MS = 30_000;

const scratch = await openScratchDatabase("werkplek_bench_digests", "bench:digests");
const { db } = scratch;
console.log(`PostgreSQL: ${scratch.version.split(" on ")[0]}`);
console.log(
  `Generating ${WORKERS.toLocaleString("en")} field workers with a digest due and a week of content…`,
);

const step = async (label: string, sql: string, params: unknown[] = []) => {
  const started = performance.now();
  const result = await db.query(sql, params);
  console.log(
    `  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s (${result.rowCount ?? 0} rows)`,
  );
};

const generated = await timed(async () => {
  await db.query("SELECT setseed(0.20261123)");
  await step(
    "departments",
    `INSERT INTO "Department" ("id", "code", "name", "kind", "updatedAt")
     SELECT 'bd' || i, 'BD' || i, 'Benchdepartement ' || i, 'department', now() FROM generate_series(0, 8) i`,
  );
  await step(
    "users (field workers, a communicator, an editor)",
    `INSERT INTO "User" ("id", "displayName", "givenName", "employeeNumber", "isFieldWorker", "departmentId",
                         "locale", "updatedAt")
     SELECT 'bw' || i, 'Veldwerker ' || i, 'Veld' || i, 'BW-' || i, true, 'bd' || (i % 9),
            CASE WHEN i % 20 = 0 THEN 'en' ELSE 'nl' END, now()
     FROM generate_series(0, $1::int - 1) i
     UNION ALL SELECT 'bcomm', 'Communicatie', 'Fatima', 'BC-1', false, 'bd0', 'nl', now()
     UNION ALL SELECT 'bedit', 'Redactie', 'Pieter', 'BE-1', false, 'bd0', 'nl', now()`,
    [WORKERS],
  );
  await step(
    "roles",
    `INSERT INTO "RoleAssignment" ("userId", "role", "source")
     VALUES ('bcomm', 'communicator', 'seed'), ('bedit', 'editor', 'seed')`,
  );
  // Channels: half SMS, a quarter push, a quarter e-mail; every tenth also e-mail as a second channel.
  await step(
    "digest preferences (all due now)",
    `INSERT INTO "DigestPreference" ("userId", "channels", "rhythm", "sendAt", "nextDueAt", "lastDigestAt",
                                     "updatedAt")
     SELECT 'bw' || i,
            (CASE WHEN i % 4 IN (0, 1) THEN ARRAY['sms'] WHEN i % 4 = 2 THEN ARRAY['push'] ELSE ARRAY['email'] END
             || CASE WHEN i % 10 = 0 AND i % 4 <> 3 THEN ARRAY['email'] ELSE ARRAY[]::text[] END)::"DigestChannel"[],
            'daily', '07:00', now() - interval '1 minute',
            CASE WHEN i % 3 = 0 THEN NULL ELSE now() - interval '1 day' END, now()
     FROM generate_series(0, $1::int - 1) i`,
    [WORKERS],
  );
  await step(
    "consents",
    `INSERT INTO "ConsentEvent" ("id", "userId", "purpose", "granted", "method", "textVersion")
     SELECT 'bce' || p."userId" || c, p."userId", ('digest_' || c)::"ConsentPurpose", true, 'self', '2026-11'
     FROM "DigestPreference" p, unnest(p."channels"::text[]) c`,
  );

  // Contacts are sealed by the app's own code (AES-GCM bound to person and kind), as in production.
  const started = performance.now();
  const contacts: unknown[][] = [];
  const prefs = await db.query<{ userId: string; channels: string }>(
    `SELECT "userId", "channels"::text AS "channels" FROM "DigestPreference"`,
  );
  for (const [n, row] of prefs.rows.entries()) {
    if (row.channels.includes("sms")) {
      const phone = `+3247${String(1_000_000 + n).padStart(7, "0")}`;
      contacts.push([
        `bpc-p-${row.userId}`,
        row.userId,
        "phone",
        sealPersonalData(phone, { purpose: contactSealPurpose("phone"), userId: row.userId }),
        personalDataIndex(phone),
        maskPhone(phone),
      ]);
    }
    if (row.channels.includes("email")) {
      const email = `veldwerker.${n}@telenet.be`;
      contacts.push([
        `bpc-e-${row.userId}`,
        row.userId,
        "email",
        sealPersonalData(email, { purpose: contactSealPurpose("email"), userId: row.userId }),
        personalDataIndex(email),
        maskEmail(email),
      ]);
    }
  }
  for (let i = 0; i < contacts.length; i += 1_000) {
    const chunk = contacts.slice(i, i + 1_000);
    await db.query(
      `INSERT INTO "PersonalContact" ("id", "userId", "kind", "valueEncrypted", "valueIndex", "masked",
                                      "verifiedAt", "updatedAt")
       SELECT id, "userId", kind::"ContactKind", enc, idx, masked, now(), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         AS x(id, "userId", kind, enc, idx, masked)`,
      [0, 1, 2, 3, 4, 5].map((column) => chunk.map((row) => row[column])),
    );
  }
  console.log(
    `  personal contacts (sealed): ${((performance.now() - started) / 1000).toFixed(1)} s (${contacts.length} rows)`,
  );
  await step(
    "push subscriptions",
    `INSERT INTO "PushSubscription" ("id", "userId", "endpoint", "p256dh", "auth")
     SELECT 'bps' || p."userId", p."userId", 'https://fcm.googleapis.com/fcm/send/bench-' || p."userId",
            'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
            'tBHItJI5svbpez7KI4CCXg'
     FROM "DigestPreference" p WHERE 'push' = ANY(p."channels")`,
  );

  // Content of the last week.
  await step(
    "circulars (40, various audiences)",
    `INSERT INTO "Circular" ("id", "number", "year", "sequence", "status", "title", "summary", "body",
                             "ownerDepartmentId", "responsibleUserId", "createdById", "audience",
                             "publishedAudience", "publishedVersion", "requiresAcknowledgement", "updatedAt")
     SELECT 'bc' || i, '2026/' || lpad((800 + i)::text, 3, '0'), 2026, 800 + i, 'published',
            'Circulaire ' || i || ': afspraken voor de ploegen van de groendienst en wegenwerken',
            'Wat verandert er voor de ploegen vanaf volgende maand, en wat moet je doen?', '{}'::jsonb,
            'bd0', 'bedit', 'bedit', a.audience, a.audience, 1, i % 3 <> 0, now()
     FROM generate_series(0, 39) i
     CROSS JOIN LATERAL (SELECT CASE WHEN i % 4 = 0 THEN ARRAY['all'] WHEN i % 4 = 1 THEN ARRAY['field-workers']
                                     ELSE ARRAY['department:bd' || (i % 9)] END AS audience) a`,
  );
  await step(
    "circular versions",
    `INSERT INTO "CircularVersion" ("id", "circularId", "version", "title", "summary", "body", "validFrom",
                                    "changeNote", "substantial", "audience", "attachmentIds", "authorId",
                                    "approvedById", "publishedAt")
     SELECT 'bcv' || c."sequence", c."id", 1, c."title", c."summary", '{}'::jsonb,
            CASE WHEN c."sequence" % 10 = 0 THEN current_date + 1 ELSE current_date + 30 END,
            'Eerste versie', true, c."publishedAudience", ARRAY[]::text[], 'bedit', 'bedit',
            CASE WHEN c."sequence" % 10 = 0 THEN now() - interval '2 hours'
                 ELSE now() - ((c."sequence" % 7) || ' days')::interval - interval '1 hour' END
     FROM "Circular" c`,
  );
  await step(
    "acknowledgements (a third of the audience already confirmed)",
    `INSERT INTO "CircularAcknowledgement" ("id", "circularId", "version", "userId")
     SELECT 'bca' || c."sequence" || '-' || u, c."id", 1, 'bw' || u
     FROM "Circular" c, generate_series(0, $1::int - 1) u WHERE u % 3 = 0 AND c."requiresAcknowledgement"`,
    [WORKERS],
  );
  await step(
    "announcements (12, one pinned)",
    `INSERT INTO "Post" ("id", "authorId", "kind", "body", "text", "audience", "pinnedUntil", "createdAt")
     SELECT 'ban' || i, 'bcomm', 'announcement', '{}'::jsonb,
            'Mededeling ' || i || E'\\nDe werf aan de Coupure is vanaf maandag afgesloten; volg de omleiding.',
            CASE WHEN i % 3 = 0 THEN ARRAY['field-workers', 'user:bcomm'] ELSE ARRAY['all', 'user:bcomm'] END,
            CASE WHEN i = 0 THEN now() + interval '1 day' END,
            now() - (i || ' hours')::interval
     FROM generate_series(0, 11) i`,
  );
  await step(
    "groups (30) and memberships (2 per worker)",
    `WITH places AS (
       INSERT INTO "Place" ("id", "slug", "kind", "name", "visibility", "createdById", "updatedAt")
       SELECT 'bp' || i, 'ploeg-' || i, 'group', 'Ploeg ' || i,
              (CASE WHEN i % 5 = 0 THEN 'closed' ELSE 'open' END)::"PlaceVisibility", 'bw' || i, now()
       FROM generate_series(0, 29) i RETURNING "id")
     INSERT INTO "PlaceMembership" ("placeId", "userId", "role")
     SELECT DISTINCT 'bp' || ((u + k * 7) % 30), 'bw' || u, 'member'::"MembershipRole"
     FROM generate_series(0, $1::int - 1) u, generate_series(0, 1) k`,
    [WORKERS],
  );
  await step(
    "topics and follows",
    `WITH t AS (INSERT INTO "Topic" ("id", "slug", "name") SELECT 'bt' || i, 'thema' || i, 'Thema' || i
                FROM generate_series(0, 19) i RETURNING "id")
     INSERT INTO "Follow" ("followerId", "targetType", "targetId")
     SELECT 'bw' || u, 'topic', 'bt' || (u % 20) FROM generate_series(0, $1::int - 1) u`,
    [WORKERS],
  );
  await step(
    "posts (3,000 in the groups, last 2 days)",
    `INSERT INTO "Post" ("id", "authorId", "placeId", "kind", "body", "text", "audience", "reactionCount",
                         "commentCount", "createdAt")
     SELECT 'bpo' || i, 'bw' || ((i * 37) % $1::int), p."id", 'post', '{}'::jsonb,
            'Bericht ' || i || ': de nieuwe veegmachine rijdt vanaf morgen in de binnenstad.',
            CASE WHEN p."visibility" = 'open' THEN ARRAY['all'] ELSE ARRAY['place:' || p."id"] END,
            (i * 13) % 40, (i * 7) % 9, now() - ((i % 2880) || ' minutes')::interval
     FROM generate_series(0, 2999) i JOIN "Place" p ON p."id" = 'bp' || (i % 30)`,
    [WORKERS],
  );
  await step(
    "post topics (every fourth post)",
    `INSERT INTO "PostTopic" ("postId", "topicId", "createdAt")
     SELECT p."id", 'bt' || (substr(p."id", 4)::int % 20), p."createdAt" FROM "Post" p
     WHERE p."kind" = 'post' AND substr(p."id", 4)::int % 4 = 0`,
  );
  await step(
    "personal items waiting (3 per worker)",
    `INSERT INTO "DigestEntry" ("id", "userId", "type", "data", "url", "createdAt")
     SELECT 'bde' || u || '-' || k, 'bw' || u, 'post.mentioned',
            jsonb_build_object('actorName', 'Collega ' || k, 'placeName', 'Ploeg ' || (u % 30)),
            '/berichten/bpo' || ((u + k) % 3000), now() - (k || ' hours')::interval
     FROM generate_series(0, $1::int - 1) u, generate_series(1, 3) k`,
    [WORKERS],
  );
  await db.query("ANALYZE");
});
console.log(`Generated in ${(generated / 1000).toFixed(1)} s`);

// pg-boss on the scratch database, with the delivery queue as the runner creates it (no worker: nothing is sent).
const boss = new PgBoss({ connectionString: scratch.url, schema: "pgboss", max: 5 });
boss.on("error", (error) => console.error("pg-boss:", error));
await boss.start();
await boss.createQueue(DIGESTS_DELIVER_QUEUE, { name: DIGESTS_DELIVER_QUEUE, policy: "standard" });

const batches: number[] = [];
const urgentBatches: number[] = [];
const loadBefore = loadAverage();
const now = new Date();
let deliveryIds: string[] = [];
let digests = 0;
let failed = 0;
const planMs = await timed(async () => {
  const result = await planDueDigests(now, {
    onBatch: ({ kind, ms }) => (kind === "regular" ? batches : urgentBatches).push(ms),
    onError: (userId, error) => console.error(`planning failed for ${userId}:`, error),
  });
  deliveryIds = result.deliveryIds;
  digests = result.digests;
  failed = result.failed;
});
const queueMs = await timed(async () => {
  await enqueueDeliveries(deliveryIds, async (name, jobs) => {
    for (let at = 0; at < jobs.length; at += 1000) {
      await boss.insert(jobs.slice(at, at + 1000).map((job) => ({ name, ...job })));
    }
  });
});
const total = planMs + queueMs;

console.log("");
printPercentiles({ "plan, batch of 500 (regular)": batches, "plan, batch of 500 (urgent)": urgentBatches });
console.log(
  `\nDigests created: ${digests.toLocaleString("en")}; deliveries: ${deliveryIds.length.toLocaleString("en")}`,
);
console.log(`Planning failures: ${failed}`);
console.log(`Planner (compose + write): ${(planMs / 1000).toFixed(1)} s`);
console.log(`Queueing ${deliveryIds.length} delivery jobs: ${(queueMs / 1000).toFixed(1)} s`);
console.log(
  `Target: ${WORKERS.toLocaleString("en")} digests composed and queued < ${TARGET_MS / 1000} s: ` +
    `${total < TARGET_MS ? "met" : "MISSED"} (${(total / 1000).toFixed(1)} s; batch p95 ` +
    `${batches.length > 0 ? percentile(batches, 95).toFixed(0) : "-"} ms)`,
);
const rerun = await timed(() => planDueDigests(now));
console.log(`A second run at the same moment (nothing new to create): ${(rerun / 1000).toFixed(1)} s`);

// The sender keeps to the provider's rate: SMS deliveries sent by four workers at once through
// deliverDigest (to the outbox) must together stay at SMS_RATE_PER_SECOND.
const rate = Number(process.env.BENCH_SMS_RATE ?? 10);
const smsEnv = parseEnv({
  ...process.env,
  SMS_PROVIDER: "outbox",
  SMS_RATE_PER_SECOND: String(rate),
  SMS_DAILY_BUDGET: "1000000",
});
const smsDeliveries = (
  await db.query<{ id: string }>(
    `SELECT "id" FROM "DigestDelivery" WHERE "channel" = 'sms' AND "status" = 'queued' ORDER BY "id" LIMIT $1`,
    [Math.round(rate * 10)],
  )
).rows.map((row) => row.id);
let nextSms = 0;
const sentAt: number[] = [];
const sendMs = await timed(async () => {
  const lane = async () => {
    while (nextSms < smsDeliveries.length) {
      const id = smsDeliveries[nextSms++]!;
      const outcome = await deliverDigest(id, { env: smsEnv });
      if (outcome.result === "sent") sentAt.push(performance.now());
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
});
const achieved =
  sentAt.length > 1 ? ((sentAt.length - 1) * 1000) / (Math.max(...sentAt) - Math.min(...sentAt)) : 0;
console.log(
  `SMS pacing: ${sentAt.length} SMS by 4 workers in ${(sendMs / 1000).toFixed(1)} s: ` +
    `${achieved.toFixed(2)} per second (SMS_RATE_PER_SECOND=${rate})`,
);
console.log(`Load average (1 min) before: ${loadBefore}, after: ${loadAverage()}`);

await boss.stop({ graceful: false, wait: true });
await scratch.close();
