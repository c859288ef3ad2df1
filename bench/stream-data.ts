/**
 * Generates the activity-stream benchmark population in SQL (generate_series), so a million posts take
 * about a minute instead of an hour of round trips: users, departments, places with memberships, follows,
 * topics, posts (profile, open, closed and secret places, announcements) and reactions.
 */
import type pg from "pg";

export type StreamBenchSize = {
  users: number;
  places: number;
  posts: number;
  reactions: number;
  topics: number;
};

export const DEFAULT_SIZE: StreamBenchSize = {
  users: 10_000,
  places: 500,
  posts: 1_000_000,
  reactions: 3_000_000,
  topics: 200,
};

const WORDS = [
  "Vandaag",
  "starten we",
  "met de nieuwe",
  "planning",
  "voor de",
  "wijkwerking",
  "in Gentbrugge.",
  "Wie helpt mee",
  "aan het",
  "project",
  "rond de",
  "fietsstraten?",
  "Dank aan",
  "alle collega's",
  "van de groendienst",
  "voor het",
  "snelle werk",
  "na de storm.",
];

/** Fills an empty, migrated database; returns the ids the measurements need. */
export async function generateStreamPopulation(db: pg.Client, size: StreamBenchSize) {
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    const result = await db.query(sql, params);
    console.log(
      `  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s (${result.rowCount ?? 0} rows)`,
    );
  };
  // Deterministic data: the same figures on every run.
  await db.query("SELECT setseed(0.20261123)");
  await step(
    "departments",
    `INSERT INTO "Department" ("id", "code", "name", "kind", "updatedAt")
     SELECT 'bd' || i, 'BD' || i, 'Benchdepartement ' || i, 'department', now() FROM generate_series(0, 8) i`,
  );
  await step(
    "users",
    `INSERT INTO "User" ("id", "displayName", "employeeNumber", "isFieldWorker", "departmentId", "updatedAt")
     SELECT 'bu' || i, 'Collega ' || i, 'BU-' || i, i % 3 = 0, 'bd' || (i % 9), now()
     FROM generate_series(0, $1::int - 1) i`,
    [size.users],
  );
  await step(
    "communicator role",
    `INSERT INTO "RoleAssignment" ("userId", "role", "source") VALUES ('bu1', 'communicator', 'seed')`,
  );
  await step(
    "places",
    `INSERT INTO "Place" ("id", "slug", "kind", "name", "visibility", "createdById", "updatedAt")
     SELECT 'bp' || i, 'bench-place-' || i, (CASE WHEN i % 4 = 0 THEN 'project' ELSE 'group' END)::"PlaceKind",
            'Groep ' || i,
            (CASE WHEN i % 10 < 6 THEN 'open' WHEN i % 10 < 9 THEN 'closed' ELSE 'secret' END)::"PlaceVisibility",
            'bu' || (i % $2::int), now()
     FROM generate_series(0, $1::int - 1) i`,
    [size.places, size.users],
  );
  // Every user is a member of 5 places and follows them.
  await step(
    "memberships",
    `INSERT INTO "PlaceMembership" ("placeId", "userId", "role")
     SELECT DISTINCT 'bp' || ((u * 7 + k * 101) % $2::int), 'bu' || u,
            (CASE WHEN k = 0 AND u < $2::int THEN 'owner' ELSE 'member' END)::"MembershipRole"
     FROM generate_series(0, $1::int - 1) u, generate_series(0, 4) k
     ON CONFLICT DO NOTHING`,
    [size.users, size.places],
  );
  await step(
    "topics",
    `INSERT INTO "Topic" ("id", "slug", "name") SELECT 'bt' || i, 'onderwerp' || i, 'Onderwerp' || i
     FROM generate_series(0, $1::int - 1) i`,
    [size.topics],
  );
  // Each user follows 40 colleagues, their 5 places and 3 topics.
  await step(
    "follows",
    `INSERT INTO "Follow" ("followerId", "targetType", "targetId")
     SELECT 'bu' || u, 'user'::"FollowTarget", 'bu' || ((u * 31 + k * 977 + 1) % $1::int)
       FROM generate_series(0, $1::int - 1) u, generate_series(0, 39) k
     UNION
     SELECT m."userId", 'place'::"FollowTarget", m."placeId" FROM "PlaceMembership" m
     UNION
     SELECT 'bu' || u, 'topic'::"FollowTarget", 'bt' || ((u + k * 17) % $2::int)
       FROM generate_series(0, $1::int - 1) u, generate_series(0, 2) k
     ON CONFLICT DO NOTHING`,
    [size.users, size.topics],
  );
  // Posts over the last year: 60 % on profiles, 39 % in places, 1 % announcements (some pinned).
  await step(
    "posts",
    `WITH src AS (
       SELECT i, 'bu' || ((i::bigint * 7919) % $2::int) AS author,
              now() - (i::float / $1::int) * interval '365 days' AS at,
              i % 100 AS slot
       FROM generate_series(0, $1::int - 1) i)
     INSERT INTO "Post" ("id", "authorId", "placeId", "kind", "body", "text", "audience", "pinnedUntil", "createdAt")
     SELECT 'bpo' || s.i, CASE WHEN s.slot = 99 THEN 'bu1' ELSE s.author END,
            CASE WHEN s.slot BETWEEN 60 AND 98 THEN p."id" END,
            (CASE WHEN s.slot = 99 THEN 'announcement' ELSE 'post' END)::"PostKind",
            jsonb_build_object('root', jsonb_build_object('type', 'root', 'children', jsonb_build_array(
              jsonb_build_object('type', 'paragraph', 'children', jsonb_build_array(
                jsonb_build_object('type', 'text', 'text', ($3::text[])[1 + s.i % 18] || ' ' || ($3::text[])[1 + (s.i / 18) % 18])))))),
            ($3::text[])[1 + s.i % 18] || ' ' || ($3::text[])[1 + (s.i / 18) % 18],
            CASE WHEN s.slot BETWEEN 60 AND 98 AND p."visibility" <> 'open' THEN ARRAY['place:' || p."id"]
                 WHEN s.slot = 99 AND s.i % 3 = 0 THEN ARRAY['field-workers']
                 ELSE ARRAY['all'] END,
            CASE WHEN s.slot = 99 AND s.i < 3000 THEN now() + interval '7 days' END,
            s.at
     FROM src s
     LEFT JOIN "Place" p ON p."id" = 'bp' || ((s.i * 13) % $4::int)`,
    [size.posts, size.users, WORDS, size.places],
  );
  await step(
    "post topics (every fifth post)",
    `INSERT INTO "PostTopic" ("postId", "topicId", "createdAt")
     SELECT p."id", 'bt' || (abs(hashtext(p."id")) % $1::int), p."createdAt"
     FROM "Post" p WHERE abs(hashtext(p."id")) % 5 = 0`,
    [size.topics],
  );
  await step(
    "reactions",
    `INSERT INTO "Reaction" ("postId", "userId", "type")
     -- Reaction r goes to post r mod P; the k-th round over the posts shifts the reacting user by k * 3331,
     -- so the same (post, person) pair does not come back.
     SELECT 'bpo' || (r % $2::int), 'bu' || ((r * 7 + (r / $2::int) * 3331) % $3::int),
            (ARRAY['like','love','celebrate','thanks','insightful'])[1 + r % 5]::"ReactionType"
     FROM generate_series(0, $1::int - 1) r
     ON CONFLICT DO NOTHING`,
    [size.reactions, size.posts, size.users],
  );
  await step(
    "reaction counts",
    `UPDATE "Post" p SET "reactionCount" = c.n
     FROM (SELECT "postId", count(*)::int AS n FROM "Reaction" GROUP BY "postId") c WHERE c."postId" = p."id"`,
  );
  await step("analyze", "ANALYZE");
}
