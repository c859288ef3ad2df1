/**
 * What the index holds for a post of the activity stream: its own plain text, the first line as title, the
 * author and the place as secondary text (weight D), its topics as tags, and the post's own visibility keys
 * (`Post.audience`, app/modules/stream/policy.server.ts) as the document's audience, so search answers
 * exactly who may read the post. Deleted and hidden posts leave the index; so does a share without text of
 * its own (its original is indexed on its own terms, never through the share).
 */
import { type Prisma } from "~/generated/prisma/client";
import { placePath, postPath } from "~/modules/stream/content";
import { stripMarkers } from "./snippet";
import { type IndexDocument } from "./types";

/** Longest title taken from the first line; a post has no title of its own. */
export const POST_TITLE_MAX = 90;

/** Id of a post's search document. */
export const postDocumentId = (postId: string) => `post:${postId}`;

/**
 * The first line of a text, cut at a word boundary when it is long ("Fietsdag op vrijdag 12 mei: wie
 * doet mee …"), so a result has something to click even though posts have no title.
 */
export function postTitleOf(text: string, max = POST_TITLE_MAX): string {
  const line =
    text
      .split(/\r?\n/)
      .map((part) => part.replace(/\s+/g, " ").trim())
      .find(Boolean) ?? "";
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(" ");
  // A single very long word (a URL) is cut where it is; otherwise at the last whole word.
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/u, "")} …`;
}

/** Builds the documents of these posts; ids of posts that are gone, deleted, hidden or empty come back in `remove`. */
export async function buildPostDocuments(
  tx: Prisma.TransactionClient,
  postIds: readonly string[],
): Promise<{ documents: IndexDocument[]; remove: string[] }> {
  const posts = await tx.post.findMany({
    where: { id: { in: [...postIds] }, deletedAt: null, hiddenAt: null },
    select: {
      id: true,
      kind: true,
      text: true,
      audience: true,
      createdAt: true,
      editedAt: true,
      sharedPostId: true,
      author: { select: { id: true, displayName: true } },
      place: { select: { id: true, slug: true, name: true, kind: true, archivedAt: true } },
      topics: { select: { topic: { select: { slug: true, name: true } } } },
    },
  });
  const documents: IndexDocument[] = [];
  for (const post of posts) {
    const text = stripMarkers(post.text).trim();
    if (!text) continue;
    const topics = post.topics.map((t) => t.topic).sort((a, b) => a.slug.localeCompare(b.slug));
    const place = post.place
      ? {
          name: post.place.name,
          kind: post.place.kind,
          url: placePath(post.place),
          archived: post.place.archivedAt !== null,
        }
      : null;
    documents.push({
      id: postDocumentId(post.id),
      type: "post",
      sourceId: post.id,
      title: postTitleOf(text),
      summary: "",
      body: text,
      // Secondary fields: "fietsdag Gent Fietst" finds the post by its group, "fietsdag De Smet" by its author.
      attachmentText: stripMarkers(
        [post.author.displayName, post.place?.name ?? "", ...topics.map((t) => t.name)].join("\n"),
      ),
      url: postPath(post.id),
      meta: {
        kind: post.kind,
        author: { id: post.author.id, name: post.author.displayName },
        place,
        topics: topics.map((t) => ({ slug: t.slug, name: t.name })),
        shared: post.sharedPostId !== null,
        publishedAt: post.createdAt.toISOString(),
        editedAt: post.editedAt?.toISOString() ?? null,
      },
      audience: post.audience,
      themes: topics.map((t) => t.slug),
      departmentId: null,
      status: "published",
      year: null,
      validFrom: null,
      validUntil: null,
      supersededFrom: null,
      sortDate: post.createdAt,
    });
  }
  const kept = new Set(documents.map((d) => d.sourceId));
  return { documents, remove: postIds.filter((id) => !kept.has(id)).map(postDocumentId) };
}

/** Where-clause of the posts `reindexAll` rebuilds: exactly those `buildPostDocuments` keeps. */
export const INDEXABLE_POSTS_WHERE = {
  deletedAt: null,
  hiddenAt: null,
  text: { not: "" },
} satisfies Prisma.PostWhereInput;

/**
 * Enqueues every post of a place (its visibility, name or archive state changed, and with it what each
 * post's document holds). One INSERT … SELECT inside the caller's transaction: a place may have thousands
 * of posts, and their ids need not travel through the application.
 */
export async function enqueuePlacePosts(tx: Prisma.TransactionClient, placeId: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "SearchIndexTask" ("type", "sourceId")
    SELECT 'post', p."id" FROM "Post" p WHERE p."placeId" = ${placeId} AND p."deletedAt" IS NULL`;
}

/** Enqueues every post of an author (their name, which the posts' documents show, changed). */
export async function enqueueAuthorPosts(tx: Prisma.TransactionClient, authorId: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "SearchIndexTask" ("type", "sourceId")
    SELECT 'post', p."id" FROM "Post" p WHERE p."authorId" = ${authorId} AND p."deletedAt" IS NULL`;
}
