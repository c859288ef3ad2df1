/**
 * GET /api/onderwerpen/suggesties?q=… — topics for the composer's #hashtag typeahead: up to 8 topics
 * whose slug starts with the typed tag (with or without "#"), the exact tag first, then the most used in
 * the last 90 days, as JSON `[{ slug, name, postCount }]`. Only topics of posts the asker may see are
 * offered and counted (visiblePostsWhere): a tag used only in a secret group is not even hinted at. A
 * session is required (401); a query over 50 characters or that cannot start a tag is refused (400).
 */
import { type LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { SUGGESTION_QUERY_MAX, type TopicSuggestion } from "~/editor/client/post-editor-model";
import { getSessionUser } from "~/modules/identity/session.server";
import { normaliseTopicSlug } from "~/modules/stream/content";
import { streamReaderOf, visiblePostsWhere } from "~/modules/stream/policy.server";

const TOPIC_SUGGESTIONS_MAX = 8;
/** Prefix matches looked at before ranking; a prefix of one letter can match many topics. */
const CANDIDATES = 50;
const POPULAR_DAYS = 90;

const HEADERS = { "Cache-Control": "private, no-store" };
// What a tag can start with: the same characters content.ts accepts in a hashtag.
const TAG_PREFIX = /^[\p{L}_][\p{L}\p{M}\p{N}_]*$/u;

function problem(status: number, error: string) {
  return Response.json({ error }, { status, headers: HEADERS });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (!user) return problem(401, "Sign in first");
  const q = new URL(request.url).searchParams.get("q") ?? "";
  if (q.length > SUGGESTION_QUERY_MAX)
    return problem(400, `q is longer than ${SUGGESTION_QUERY_MAX} characters`);
  const prefix = normaliseTopicSlug(q.trim());
  if (!prefix) return Response.json([], { headers: HEADERS });
  if (!TAG_PREFIX.test(prefix)) return problem(400, "q is not the start of a hashtag");

  const reader = await streamReaderOf(user);
  const visible = visiblePostsWhere(reader);
  const candidates = await prisma.topic.findMany({
    where: { slug: { startsWith: prefix }, posts: { some: { post: visible } } },
    orderBy: { slug: "asc" },
    take: CANDIDATES,
    select: { id: true, slug: true, name: true },
  });
  // LIKE reads "_" as any character: keep only true prefixes.
  const topics = candidates.filter((topic) => topic.slug.startsWith(prefix));
  if (topics.length === 0) return Response.json([], { headers: HEADERS });
  const since = new Date(Date.now() - POPULAR_DAYS * 86_400_000);
  const counts = await prisma.postTopic.groupBy({
    by: ["topicId"],
    where: { topicId: { in: topics.map((topic) => topic.id) }, createdAt: { gte: since }, post: visible },
    _count: { _all: true },
  });
  const countOf = new Map(counts.map((row) => [row.topicId, row._count._all]));
  const suggestions: TopicSuggestion[] = topics
    .map((topic) => ({ slug: topic.slug, name: topic.name, postCount: countOf.get(topic.id) ?? 0 }))
    .sort(
      (a, b) =>
        Number(b.slug === prefix) - Number(a.slug === prefix) ||
        b.postCount - a.postCount ||
        a.slug.localeCompare(b.slug, "nl"),
    )
    .slice(0, TOPIC_SUGGESTIONS_MAX);
  return Response.json(suggestions, { headers: HEADERS });
}
