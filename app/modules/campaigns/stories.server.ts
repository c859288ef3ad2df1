/**
 * Ambassador stories: colleagues tell their own story under a campaign, with a photo or a video link; a
 * communicator approves it (it then appears on the campaign page and, as the author's post, in the stream of
 * the campaign's audience) or rejects it with a reason the author reads.
 *
 * - Submitting: whoever may see a running campaign (canSubmitStory), at most RATE_LIMITS.campaignStory a day.
 *   The text is plain (no formatting to review); a photo is processed exactly like a stream photo (checked
 *   by its bytes, turned upright, scaled, re-encoded as WebP without EXIF/GPS) and needs a text alternative.
 *   A video is a link, never fetched or embedded here: https on YouTube, Vimeo or stad.gent only, normalised
 *   so that tracking parameters and look-alike hosts do not pass.
 * - Deciding: campaign managers only, once (a story decided meanwhile is `wrong_status`). Approval writes the
 *   stream post (audience "campaign:<id>", the campaign's hashtag as topic), the notification to the author
 *   and the audit event in one transaction with the status change: all or nothing.
 * - Reading: the audience sees approved stories, authors also their own (with the reason of a rejection),
 *   managers everything.
 */
import { z } from "zod";
import sharp from "sharp";
import { prisma } from "~/db.server";
import { type LexicalDocument, type ParagraphNode } from "~/editor/lexical-schema";
import { plainTextToLexical } from "~/editor/plain-text";
import { type Prisma, type StoryStatus } from "~/generated/prisma/client";
import { type ServedFile } from "~/modules/files/download.server";
import { getFileStorage, StorageKeyNotFound } from "~/modules/files/storage.server";
import { notify } from "~/modules/notifications/notify.server";
import { isStreamError } from "~/modules/stream/errors";
import {
  POST_IMAGE_ALT_MAX,
  POST_IMAGE_MEDIA_TYPE,
  processPostImage,
  withStoredPostImages,
  type PostImageUpload,
  type StoredPostImage,
} from "~/modules/stream/post-images.server";
import { prepareBody, writePostInTransaction, type PreparedBody } from "~/modules/stream/posts.server";
import { campaignKey } from "~/modules/stream/policy.server";
import { consumeRateLimit, RATE_LIMITS } from "~/utils/rate-limit.server";
import { recordCampaignAudit } from "./audit.server";
import { CampaignError, issuesFromZod, type CampaignIssue } from "./errors";
import { campaignPath } from "./identity";
import {
  type CampaignActor,
  type CampaignReader,
  canManageCampaigns,
  canSeeCampaign,
  canSubmitStory,
} from "./policy.server";

export const STORY_LIMITS = {
  titleMin: 3,
  titleMax: 120,
  bodyMin: 20,
  bodyMax: 2000,
  photoAltMax: POST_IMAGE_ALT_MAX,
  videoUrlMax: 500,
  reasonMin: 5,
  reasonMax: 500,
} as const;

/** The audit actions of this file. */
export const STORY_ACTIONS = {
  submitted: "story.submitted",
  approved: "story.approved",
  rejected: "story.rejected",
} as const;

/** Campaign statuses in which an approved story can still go to the stream. */
const APPROVABLE_CAMPAIGN_STATUSES = ["running", "paused"] as const;

// ---------------------------------------------------------------------------------------------------
// Video links
// ---------------------------------------------------------------------------------------------------

const YOUTUBE_HOSTS = new Set(["youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"]);
const VIMEO_HOSTS = new Set(["vimeo.com", "www.vimeo.com", "player.vimeo.com"]);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const VIMEO_ID = /^\d{1,12}$/;
const VIMEO_HASH = /^[0-9a-f]{6,20}$/;

function isStadGent(host: string): boolean {
  return host === "stad.gent" || host.endsWith(".stad.gent");
}

function youtubeId(url: URL): string | null {
  if (url.hostname === "youtu.be") return url.pathname.split("/")[1] ?? null;
  const [, first, second] = url.pathname.split("/");
  if (first === "watch") return url.searchParams.get("v");
  if (first && ["shorts", "embed", "live", "v"].includes(first)) return second ?? null;
  return null;
}

/**
 * The canonical form of a story's video link, or null when it is not an https link to a YouTube or Vimeo video
 * or a stad.gent page: YouTube → https://www.youtube.com/watch?v=<id> (with a start time in seconds when
 * given), Vimeo → https://vimeo.com/<id>[/<private hash>], stad.gent → the address without credentials,
 * port or fragment. Nothing is fetched.
 */
export function normaliseVideoUrl(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > STORY_LIMITS.videoUrlMax) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  // Credentials and odd ports are how look-alike links (https://youtube.com@evil.example) get through.
  if (url.protocol !== "https:" || url.username || url.password || url.port) return null;
  const host = url.hostname.replace(/\.$/, "");
  if (YOUTUBE_HOSTS.has(host)) {
    const id = youtubeId(url);
    if (!id || !YOUTUBE_ID.test(id)) return null;
    const start = url.searchParams.get("t")?.replace(/s$/, "");
    return `https://www.youtube.com/watch?v=${id}${start && /^\d{1,6}$/.test(start) ? `&t=${start}` : ""}`;
  }
  if (VIMEO_HOSTS.has(host)) {
    const parts = url.pathname.split("/").filter(Boolean);
    const [id, hash] = host === "player.vimeo.com" && parts[0] === "video" ? parts.slice(1) : parts;
    const privateHash = hash ?? (host === "player.vimeo.com" ? url.searchParams.get("h") : null);
    if (!id || !VIMEO_ID.test(id) || parts.length > (host === "player.vimeo.com" ? 3 : 2)) return null;
    if (privateHash && !VIMEO_HASH.test(privateHash)) return null;
    return `https://vimeo.com/${id}${privateHash ? `/${privateHash}` : ""}`;
  }
  if (isStadGent(host)) return `https://${host}${url.pathname}${url.search}`;
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------------

/** Plain text as typed: one kind of line ending, composed characters, no control characters but newlines. */
function cleanText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, "\n")
      .normalize("NFC")
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, "")
      .trim()
  );
}

const StoryInputSchema = z.object({
  // A title is one line: a pasted line break becomes a space.
  title: z
    .string()
    .transform((value) => cleanText(value).replace(/\s*\n\s*/g, " "))
    .pipe(z.string().min(STORY_LIMITS.titleMin).max(STORY_LIMITS.titleMax)),
  body: z.string().transform(cleanText).pipe(z.string().min(STORY_LIMITS.bodyMin).max(STORY_LIMITS.bodyMax)),
  photoAlt: z.string().optional(),
  videoUrl: z.string().nullish(),
});

export type StoryInput = z.input<typeof StoryInputSchema>;

type ValidStory = { title: string; body: string; photoAlt: string; videoUrl: string | null };

/** Checks a story's fields (all problems at once); throws `invalid` with one issue per field. */
function validateStory(input: unknown, photo: PostImageUpload | undefined): ValidStory {
  const parsed = StoryInputSchema.safeParse(input ?? {});
  const issues: CampaignIssue[] = parsed.success ? [] : issuesFromZod(parsed.error.issues, { input });
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;

  const altSource = typeof raw.photoAlt === "string" ? raw.photoAlt : (photo?.alt ?? "");
  const photoAlt = photo ? cleanText(altSource).replace(/\n/g, " ") : "";
  if (photo && photoAlt.length === 0) {
    issues.push({ field: "photoAlt", code: "required", message: "A photo needs a text alternative" });
  } else if (photoAlt.length > STORY_LIMITS.photoAltMax) {
    issues.push({
      field: "photoAlt",
      code: "too_long",
      message: `A text alternative has at most ${STORY_LIMITS.photoAltMax} characters`,
      params: { max: STORY_LIMITS.photoAltMax },
    });
  }

  let videoUrl: string | null = null;
  if (typeof raw.videoUrl === "string" && raw.videoUrl.trim() !== "") {
    videoUrl = normaliseVideoUrl(raw.videoUrl);
    if (!videoUrl) {
      issues.push({
        field: "videoUrl",
        code: "invalid_format",
        message: "A video link is an https link to YouTube, Vimeo or stad.gent",
      });
    }
  }
  if (issues.length > 0 || !parsed.success) {
    const message = issues.map((issue) => `${issue.field}: ${issue.message}`).join("; ");
    throw new CampaignError("invalid", message, { issues });
  }
  return { title: parsed.data.title, body: parsed.data.body, photoAlt, videoUrl };
}

// ---------------------------------------------------------------------------------------------------
// The stream post of an approved story
// ---------------------------------------------------------------------------------------------------

const BOLD = 1;

function paragraph(text: string, format = 0): ParagraphNode {
  return { type: "paragraph", children: [{ type: "text", text, ...(format ? { format } : {}) }] };
}

/** The title in bold, the story, the video link and the campaign's hashtag, as the stream's light formatting. */
function storyDocument(
  story: { title: string; body: string; videoUrl: string | null },
  hashtag: string | null,
): LexicalDocument {
  const children = [paragraph(story.title, BOLD), ...plainTextToLexical(story.body).root.children];
  if (story.videoUrl) children.push(paragraph(story.videoUrl));
  if (hashtag) children.push(paragraph(`#${hashtag}`));
  return { root: { type: "root", children } };
}

/**
 * The post body of a story, validated like any post (mention and hashtag limits). A story the stream would
 * refuse is `invalid` on the body field.
 */
async function storyPostBody(
  story: { title: string; body: string; videoUrl: string | null },
  hashtag: string | null,
): Promise<PreparedBody> {
  try {
    return await prepareBody({ body: storyDocument(story, hashtag) });
  } catch (error) {
    if (!isStreamError(error)) throw error;
    const message = `The story cannot appear in the stream: ${error.message}`;
    throw new CampaignError("invalid", message, {
      issues: [{ field: "body", code: "invalid_value", message }],
    });
  }
}

/** A story's stored photo as a post photo (the stored bytes are already the processed WebP). */
async function storedStoryPhoto(photoKey: string, alt: string): Promise<StoredPostImage> {
  const bytes = await getFileStorage().read(photoKey);
  const { width, height } = await sharp(bytes).metadata();
  return {
    storageKey: photoKey,
    sha256: photoKey.split("/").at(-1)!,
    mediaType: POST_IMAGE_MEDIA_TYPE,
    size: bytes.length,
    width: width ?? 0,
    height: height ?? 0,
    alt,
  };
}

// ---------------------------------------------------------------------------------------------------
// Submitting and deciding
// ---------------------------------------------------------------------------------------------------

const campaignSelect = {
  id: true,
  slug: true,
  name: true,
  status: true,
  audience: true,
  hashtag: true,
} satisfies Prisma.CampaignSelect;

/**
 * Submits a story under a running campaign the reader may see. Input: `{ title, body, photoAlt?, videoUrl? }`
 * (plain text); the photo comes from the form's upload (readPostSubmission) and its text alternative from
 * `photoAlt` or the upload's own alt. Throws CampaignError (not_found, wrong_status, invalid, rate_limited) or
 * FileError for a photo that is refused; nothing is saved then.
 */
export async function submitStory(
  reader: CampaignReader,
  campaignId: string,
  input: unknown,
  { photo }: { photo?: PostImageUpload } = {},
): Promise<{ id: string; status: StoryStatus }> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: campaignSelect });
  if (!campaign || !canSeeCampaign(reader, campaign)) {
    throw new CampaignError("not_found", `Campaign ${campaignId} not found`);
  }
  if (!canSubmitStory(reader, campaign)) {
    throw new CampaignError("wrong_status", "Stories are submitted while the campaign runs");
  }
  const story = validateStory(input, photo);
  // Checked now, so a story that could never be approved is refused while its author is still writing it.
  await storyPostBody(story, campaign.hashtag);
  const limit = await consumeRateLimit(RATE_LIMITS.campaignStory, reader.id);
  if (!limit.allowed) {
    throw new CampaignError("rate_limited", `Too many stories; retry after ${limit.retryAfterSeconds} s`, {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  }
  const processed = photo ? [await processPostImage(photo, story.photoAlt)] : [];
  return withStoredPostImages(processed, (stored) =>
    prisma.$transaction(async (tx) => {
      const created = await tx.ambassadorStory.create({
        data: {
          campaignId: campaign.id,
          authorId: reader.id,
          title: story.title,
          body: story.body,
          photoKey: stored[0]?.storageKey ?? null,
          photoAlt: stored[0] ? story.photoAlt : "",
          videoUrl: story.videoUrl,
        },
        select: { id: true, status: true },
      });
      await recordCampaignAudit(tx, {
        campaignId: campaign.id,
        actorId: reader.id,
        action: STORY_ACTIONS.submitted,
        details: { storyId: created.id, title: story.title },
      });
      return created;
    }),
  );
}

const DecisionSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("approve") }),
  z.object({
    decision: z.literal("reject"),
    reason: z
      .string()
      .transform(cleanText)
      .pipe(z.string().min(STORY_LIMITS.reasonMin).max(STORY_LIMITS.reasonMax)),
  }),
]);

export type StoryDecision = z.input<typeof DecisionSchema>;

const storySelect = {
  id: true,
  campaignId: true,
  authorId: true,
  title: true,
  body: true,
  photoKey: true,
  photoAlt: true,
  videoUrl: true,
  status: true,
  campaign: { select: campaignSelect },
} satisfies Prisma.AmbassadorStorySelect;

async function actorName(tx: Prisma.TransactionClient, userId: string): Promise<string> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { displayName: true } });
  return user?.displayName ?? "";
}

/**
 * A manager's decision on a submitted story: `{ decision: "approve" }` (the campaign running or paused) or
 * `{ decision: "reject", reason }` (5-500 characters, shown to the author). Approval publishes the author's
 * post to the campaign's audience. Throws forbidden, not_found, invalid or wrong_status (already decided).
 */
export async function decideStory(
  actor: CampaignActor,
  storyId: string,
  input: unknown,
): Promise<{ id: string; status: StoryStatus; postId: string | null }> {
  if (!canManageCampaigns(actor)) {
    throw new CampaignError("forbidden", "Only campaign managers decide on stories");
  }
  const parsed = DecisionSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues, { input });
    throw new CampaignError("invalid", issues.map((issue) => `${issue.field}: ${issue.message}`).join("; "), {
      issues,
    });
  }
  const story = await prisma.ambassadorStory.findUnique({ where: { id: storyId }, select: storySelect });
  if (!story) throw new CampaignError("not_found", `Story ${storyId} not found`);
  if (story.status !== "submitted") {
    throw new CampaignError("wrong_status", `Story ${storyId} was already ${story.status}`);
  }
  const decision = parsed.data;
  const campaign = story.campaign;
  if (
    decision.decision === "approve" &&
    !(APPROVABLE_CAMPAIGN_STATUSES as readonly string[]).includes(campaign.status)
  ) {
    throw new CampaignError(
      "wrong_status",
      `Stories are approved while the campaign runs (it is ${campaign.status})`,
    );
  }
  // Everything that reads files or validates is done before the transaction, which stays short.
  const body = decision.decision === "approve" ? await storyPostBody(story, campaign.hashtag) : null;
  let photo: StoredPostImage | null = null;
  if (body && story.photoKey) {
    try {
      photo = await storedStoryPhoto(story.photoKey, story.photoAlt);
    } catch (error) {
      // A photo lost from storage should not block the story; the post goes out without it.
      if (!(error instanceof StorageKeyNotFound)) throw error;
    }
  }
  const now = new Date();
  return prisma.$transaction(async (tx) => {
    // Conditional on the status: of two managers deciding at once, one wins and the other is told.
    const claimed = await tx.ambassadorStory.updateMany({
      where: { id: story.id, status: "submitted" },
      data: {
        status: decision.decision === "approve" ? "approved" : "rejected",
        rejectReason: decision.decision === "reject" ? decision.reason : null,
        decidedById: actor.id,
        decidedAt: now,
      },
    });
    if (claimed.count === 0)
      throw new CampaignError("wrong_status", `Story ${storyId} was decided meanwhile`);
    let postId: string | null = null;
    if (body) {
      const written = await writePostInTransaction(tx, {
        authorId: story.authorId,
        kind: "post",
        audience: [campaignKey(campaign.id)],
        body,
        images: photo ? [photo] : [],
      });
      postId = written.id;
      await tx.ambassadorStory.update({ where: { id: story.id }, data: { postId } });
    }
    await notify(
      {
        userId: story.authorId,
        type: "campaign.story_decided",
        data: {
          actorName: await actorName(tx, actor.id),
          campaignName: campaign.name,
          approved: decision.decision === "approve",
          ...(decision.decision === "reject" ? { reason: decision.reason } : {}),
        },
        url: campaignPath(campaign.slug),
        dedupeKey: `campaign.story_decided:${story.id}`,
      },
      tx,
    );
    await recordCampaignAudit(tx, {
      campaignId: campaign.id,
      actorId: actor.id,
      action: decision.decision === "approve" ? STORY_ACTIONS.approved : STORY_ACTIONS.rejected,
      details:
        decision.decision === "approve"
          ? { storyId: story.id, postId }
          : { storyId: story.id, reason: decision.reason },
    });
    return { id: story.id, status: decision.decision === "approve" ? "approved" : "rejected", postId };
  });
}

// ---------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------

/** Where a story's photo is served (to those who may see the story; the route asks storyPhotoFile). */
export function storyPhotoUrl(campaignSlug: string, storyId: string): string {
  return `${campaignPath(campaignSlug)}/verhalen/${encodeURIComponent(storyId)}/foto`;
}

export type StoryView = {
  id: string;
  title: string;
  body: string;
  status: StoryStatus;
  photo: { url: string; alt: string } | null;
  videoUrl: string | null;
  author: { id: string; displayName: string };
  createdAt: Date;
  decidedAt: Date | null;
  /** Only for managers and the author. */
  rejectReason: string | null;
  /** The stream post of an approved story. */
  postId: string | null;
  /** Whether this reader wrote it. */
  own: boolean;
};

/** What a reader may see of a campaign's stories (managers: all; others: approved ones and their own). */
function visibleStoriesWhere(reader: CampaignReader, campaignId: string): Prisma.AmbassadorStoryWhereInput {
  if (canManageCampaigns(reader)) return { campaignId };
  return { campaignId, OR: [{ status: "approved" }, { authorId: reader.id }] };
}

/**
 * A campaign's stories for a reader who may see the campaign, newest first: the audience sees approved ones
 * and their own, managers every story (optionally one status, e.g. those waiting for a decision); at most
 * 500 (a campaign gathers tens).
 */
export async function listStories(
  reader: CampaignReader,
  campaignId: string,
  { status }: { status?: StoryStatus } = {},
): Promise<StoryView[]> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: campaignSelect });
  if (!campaign || !canSeeCampaign(reader, campaign)) {
    throw new CampaignError("not_found", `Campaign ${campaignId} not found`);
  }
  const manager = canManageCampaigns(reader);
  const rows = await prisma.ambassadorStory.findMany({
    where: { AND: [visibleStoriesWhere(reader, campaignId), status ? { status } : {}] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 500,
    select: {
      id: true,
      title: true,
      body: true,
      status: true,
      photoKey: true,
      photoAlt: true,
      videoUrl: true,
      createdAt: true,
      decidedAt: true,
      rejectReason: true,
      postId: true,
      author: { select: { id: true, displayName: true } },
    },
  });
  return rows.map((row) => {
    const own = row.author.id === reader.id;
    return {
      id: row.id,
      title: row.title,
      body: row.body,
      status: row.status,
      photo: row.photoKey ? { url: storyPhotoUrl(campaign.slug, row.id), alt: row.photoAlt } : null,
      videoUrl: row.videoUrl,
      author: row.author,
      createdAt: row.createdAt,
      decidedAt: row.decidedAt,
      rejectReason: manager || own ? row.rejectReason : null,
      postId: row.status === "approved" ? row.postId : null,
      own,
    };
  });
}

/**
 * The photo of a story for a reader who may see that story (listStories' rule), or null: a story the reader
 * may not see answers exactly like a missing one.
 */
export async function storyPhotoFile(reader: CampaignReader, storyId: string): Promise<ServedFile | null> {
  const story = await prisma.ambassadorStory.findUnique({
    where: { id: storyId },
    select: { id: true, authorId: true, status: true, photoKey: true, campaign: { select: campaignSelect } },
  });
  if (!story?.photoKey || !canSeeCampaign(reader, story.campaign)) return null;
  if (!canManageCampaigns(reader) && story.status !== "approved" && story.authorId !== reader.id) return null;
  let size: number;
  try {
    size = (await getFileStorage().read(story.photoKey)).length;
  } catch (error) {
    if (error instanceof StorageKeyNotFound) return null;
    throw error;
  }
  return {
    fileName: `verhaal-${story.id}.webp`,
    mediaType: POST_IMAGE_MEDIA_TYPE,
    size,
    sha256: story.photoKey.split("/").at(-1)!,
    storageKey: story.photoKey,
  };
}
