/**
 * Ambassador stories: input rules and video hosts, photos processed like stream photos, the daily limit,
 * approval (post + notification + audit in one go), rejection with a reason, and who sees what.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { storageKeyInUse } from "~/modules/files/references.server";
import { getFileStorage } from "~/modules/files/storage.server";
import { type Role } from "~/modules/identity/permissions";
import { canSeePost, streamReaderOf } from "~/modules/stream/policy.server";
import { type PostImageUpload } from "~/modules/stream/post-images.server";
import { buildCampaign, buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { isCampaignError, type CampaignError } from "./errors";
import { type CampaignReader } from "./policy.server";
import {
  decideStory,
  listStories,
  normaliseVideoUrl,
  STORY_ACTIONS,
  storyPhotoFile,
  submitStory,
} from "./stories.server";

const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-stories-"));
process.env.FILE_STORAGE_DIR = storageDir;

setupTestDatabase();

type User = Awaited<ReturnType<typeof buildUser>>;

function readerOf(user: User, roles: Role[] = ["employee"], parentId: string | null = null): CampaignReader {
  return {
    id: user.id,
    roles,
    isFieldWorker: user.isFieldWorker,
    department: user.departmentId ? { id: user.departmentId, parentId } : null,
  };
}

async function employee(overrides: Parameters<typeof buildUser>[0] = {}): Promise<CampaignReader> {
  return readerOf(await buildUser(overrides));
}

async function manager(): Promise<CampaignReader> {
  return readerOf(await buildUser({}, ["communicator"]), ["employee", "communicator"]);
}

const STORY = {
  title: "Trots op onze ploeg",
  body: "Vorige week hebben we samen het Citadelpark klaargemaakt voor de winter. Iedereen stak een hand toe.",
};

async function refusal(promise: Promise<unknown>): Promise<CampaignError> {
  try {
    await promise;
  } catch (error) {
    if (isCampaignError(error)) return error;
    throw error;
  }
  throw new Error("expected a CampaignError");
}

/** A JPEG with EXIF (camera, GPS-like comment) that must not survive processing. */
async function photoWithMetadata(alt = ""): Promise<PostImageUpload> {
  const bytes = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: "#3a7" } })
    .jpeg()
    .withExif({ IFD0: { Make: "Telefoon", ImageDescription: "Thuisadres Veldstraat 1" } })
    .toBuffer();
  return { bytes, fileName: "ploeg.jpg", declaredType: "image/jpeg", alt };
}

describe("normaliseVideoUrl", () => {
  it.each([
    ["https://youtu.be/dQw4w9WgXcQ?si=tracking", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"],
    [
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=share&t=42s",
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
    ],
    ["https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"],
    ["https://YouTube.com/embed/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"],
    ["https://vimeo.com/76979871", "https://vimeo.com/76979871"],
    ["https://player.vimeo.com/video/76979871?h=8272103f6e", "https://vimeo.com/76979871/8272103f6e"],
    ["https://vimeo.com/76979871/8272103f6e", "https://vimeo.com/76979871/8272103f6e"],
    ["https://stad.gent/nl/gentplus?x=1#top", "https://stad.gent/nl/gentplus?x=1"],
    ["  https://video.stad.gent/film/12  ", "https://video.stad.gent/film/12"],
  ])("accepts %s", (input, expected) => {
    expect(normaliseVideoUrl(input)).toBe(expected);
  });

  it.each([
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
    "https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=short",
    "https://www.youtube.com/channel/UC123",
    "https://vimeo.com/channels/staffpicks",
    "https://vimeo.com/76979871/not-a-hash!",
    "https://evilstad.gent/film",
    "https://stad.gent.evil.example/film",
    "javascript:alert(1)",
    "ftp://stad.gent/film",
    "geen link",
    `https://stad.gent/${"a".repeat(600)}`,
  ])("refuses %s", (input) => {
    expect(normaliseVideoUrl(input)).toBeNull();
  });
});

describe("submitStory", () => {
  it("refuses bad input field by field and saves nothing", async () => {
    const campaign = await buildCampaign();
    const author = await employee();
    const cases: [unknown, string, string][] = [
      [{ ...STORY, title: "  " }, "title", "required"],
      [{ ...STORY, title: "Ok" }, "title", "too_short"],
      [{ ...STORY, title: "x".repeat(121) }, "title", "too_long"],
      [{ ...STORY, body: "Te kort." }, "body", "too_short"],
      [{ ...STORY, body: "x".repeat(2001) }, "body", "too_long"],
      [{ title: STORY.title }, "body", "required"],
      [{ ...STORY, videoUrl: "https://example.com/film" }, "videoUrl", "invalid_format"],
      [{ ...STORY, title: 42 }, "title", "invalid_value"],
    ];
    for (const [input, field, code] of cases) {
      const error = await refusal(submitStory(author, campaign.id, input));
      expect(error.code).toBe("invalid");
      expect(error.issues).toContainEqual(expect.objectContaining({ field, code }));
    }
    const noAlt = await refusal(
      submitStory(author, campaign.id, STORY, { photo: await photoWithMetadata() }),
    );
    expect(noAlt.issues).toContainEqual(expect.objectContaining({ field: "photoAlt", code: "required" }));
    const longAlt = await refusal(
      submitStory(
        author,
        campaign.id,
        { ...STORY, photoAlt: "x".repeat(301) },
        { photo: await photoWithMetadata() },
      ),
    );
    expect(longAlt.issues).toContainEqual(expect.objectContaining({ field: "photoAlt", code: "too_long" }));
    // Too many hashtags for a stream post: refused now, not when a communicator approves.
    const tags = Array.from({ length: 21 }, (_, index) => `#tag${index}`).join(" ");
    const tooManyTags = await refusal(
      submitStory(author, campaign.id, { ...STORY, body: `${STORY.body} ${tags}` }),
    );
    expect(tooManyTags.issues).toContainEqual(expect.objectContaining({ field: "body" }));

    expect(await prisma.ambassadorStory.count({ where: { campaignId: campaign.id } })).toBe(0);
    expect(await prisma.campaignAuditEvent.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it("stores the story with a processed photo, a normalised video link and an audit event", async () => {
    const campaign = await buildCampaign();
    const author = await employee();
    const created = await submitStory(
      author,
      campaign.id,
      {
        ...STORY,
        title: ` ${STORY.title}\r\n `,
        photoAlt: "De ploeg bij de vijver",
        videoUrl: "https://youtu.be/dQw4w9WgXcQ",
      },
      { photo: await photoWithMetadata() },
    );
    expect(created.status).toBe("submitted");
    const story = await prisma.ambassadorStory.findUniqueOrThrow({ where: { id: created.id } });
    expect(story).toMatchObject({
      title: STORY.title,
      authorId: author.id,
      photoAlt: "De ploeg bij de vijver",
      videoUrl: "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    });
    const stored = await getFileStorage().read(story.photoKey!);
    const metadata = await sharp(stored).metadata();
    expect(metadata.format).toBe("webp");
    expect(Math.max(metadata.width!, metadata.height!)).toBe(1600);
    expect(metadata.exif).toBeUndefined();
    expect(stored.includes(Buffer.from("Veldstraat"))).toBe(false);
    // The file is known to be in use, so a post deleted with the same bytes does not take it along.
    expect(await storageKeyInUse(story.photoKey!)).toBe(true);

    const audit = await prisma.campaignAuditEvent.findMany({ where: { campaignId: campaign.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: STORY_ACTIONS.submitted,
        actorId: author.id,
        details: { storyId: created.id, title: STORY.title },
      }),
    ]);
  });

  it("is for the audience of a running campaign, five a day", async () => {
    const department = await buildDepartment();
    const campaign = await buildCampaign({
      audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
    });
    const outsider = await employee();
    expect((await refusal(submitStory(outsider, campaign.id, STORY))).code).toBe("not_found");
    expect((await refusal(submitStory(outsider, "missing", STORY))).code).toBe("not_found");

    const member = await employee({ departmentId: department.id });
    const paused = await buildCampaign({ status: "paused" });
    expect((await refusal(submitStory(member, paused.id, STORY))).code).toBe("wrong_status");
    const draft = await buildCampaign({ status: "draft" });
    expect((await refusal(submitStory(member, draft.id, STORY))).code).toBe("not_found");

    for (let index = 0; index < 5; index += 1) await submitStory(member, campaign.id, STORY);
    const limited = await refusal(submitStory(member, campaign.id, STORY));
    expect(limited.code).toBe("rate_limited");
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    expect(await prisma.ambassadorStory.count({ where: { campaignId: campaign.id } })).toBe(5);
  });
});

describe("decideStory", () => {
  it("approval publishes the author's post to the campaign's audience, notifies and audits", async () => {
    const department = await buildDepartment();
    const campaign = await buildCampaign({
      hashtag: "gentplus",
      audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
    });
    const authorUser = await buildUser({ departmentId: department.id });
    const author = readerOf(authorUser);
    const { id } = await submitStory(
      author,
      campaign.id,
      { ...STORY, photoAlt: "De ploeg", videoUrl: "https://vimeo.com/76979871" },
      { photo: await photoWithMetadata() },
    );
    const boss = await manager();
    const decided = await decideStory(boss, id, { decision: "approve" });
    expect(decided.status).toBe("approved");

    const story = await prisma.ambassadorStory.findUniqueOrThrow({ where: { id } });
    expect(story).toMatchObject({ status: "approved", decidedById: boss.id, postId: decided.postId });
    const post = await prisma.post.findUniqueOrThrow({
      where: { id: decided.postId! },
      include: { images: true, topics: { include: { topic: true } } },
    });
    expect(post.authorId).toBe(authorUser.id);
    expect(post.kind).toBe("post");
    expect(post.audience.sort()).toEqual([`campaign:${campaign.id}`, `user:${authorUser.id}`].sort());
    expect(post.text).toContain(STORY.title);
    expect(post.text).toContain("https://vimeo.com/76979871");
    expect(post.topics.map((link) => link.topic.slug)).toEqual(["gentplus"]);
    expect(post.images).toEqual([
      expect.objectContaining({ storageKey: story.photoKey, alt: "De ploeg", width: 1600, height: 800 }),
    ]);

    // The audience sees it in the stream; someone outside the campaign's audience does not.
    const colleague = await streamReaderOf(readerOf(await buildUser({ departmentId: department.id })));
    const outsider = await streamReaderOf(await employee());
    expect(canSeePost(colleague, post)).toBe(true);
    expect(canSeePost(outsider, post)).toBe(false);

    const notification = await prisma.notification.findFirstOrThrow({
      where: { userId: authorUser.id, type: "campaign.story_decided" },
    });
    expect(notification.data).toMatchObject({ campaignName: campaign.name, approved: true });
    expect(notification.url).toBe(`/campagnes/${campaign.slug}`);
    const audit = await prisma.campaignAuditEvent.findFirstOrThrow({
      where: { campaignId: campaign.id, action: STORY_ACTIONS.approved },
    });
    expect(audit).toMatchObject({ actorId: boss.id, details: { storyId: id, postId: decided.postId } });

    expect((await refusal(decideStory(boss, id, { decision: "reject", reason: "Toch niet" }))).code).toBe(
      "wrong_status",
    );
  });

  it("rejection needs a reason, which the author reads", async () => {
    const campaign = await buildCampaign();
    const authorUser = await buildUser();
    const { id } = await submitStory(readerOf(authorUser), campaign.id, STORY);
    const boss = await manager();
    for (const input of [
      { decision: "reject" },
      { decision: "reject", reason: "Nee" },
      { decision: "later" },
      null,
    ]) {
      const error = await refusal(decideStory(boss, id, input));
      expect(error.code).toBe("invalid");
      expect(error.issues.length).toBeGreaterThan(0);
    }
    expect((await refusal(decideStory(boss, id, { decision: "reject" }))).issues).toContainEqual(
      expect.objectContaining({ field: "reason", code: "required" }),
    );
    expect(await prisma.ambassadorStory.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "submitted",
    });

    const reason = "Er staat een collega herkenbaar op de foto zonder toestemming.";
    const decided = await decideStory(boss, id, { decision: "reject", reason });
    expect(decided).toEqual({ id, status: "rejected", postId: null });
    expect(await prisma.ambassadorStory.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "rejected",
      rejectReason: reason,
      postId: null,
    });
    const notification = await prisma.notification.findFirstOrThrow({
      where: { userId: authorUser.id, type: "campaign.story_decided" },
    });
    expect(notification.data).toMatchObject({ approved: false, reason });
    expect(
      await prisma.campaignAuditEvent.count({
        where: { campaignId: campaign.id, action: STORY_ACTIONS.rejected },
      }),
    ).toBe(1);
  });

  it("is for campaign managers only, and approval needs a campaign that runs", async () => {
    const campaign = await buildCampaign();
    const { id } = await submitStory(await employee(), campaign.id, STORY);
    const editor = readerOf(await buildUser({}, ["editor"]), ["employee", "editor"]);
    expect((await refusal(decideStory(await employee(), id, { decision: "approve" }))).code).toBe(
      "forbidden",
    );
    expect((await refusal(decideStory(editor, id, { decision: "approve" }))).code).toBe("forbidden");
    expect((await refusal(decideStory(await manager(), "missing", { decision: "approve" }))).code).toBe(
      "not_found",
    );

    await prisma.campaign.update({ where: { id: campaign.id }, data: { status: "ended" } });
    expect((await refusal(decideStory(await manager(), id, { decision: "approve" }))).code).toBe(
      "wrong_status",
    );
    // Rejecting still works after the end: the author deserves an answer.
    await decideStory(await manager(), id, { decision: "reject", reason: "De campagne is afgelopen." });
  });
});

describe("listStories and storyPhotoFile", () => {
  it("shows the audience approved stories and their own, managers everything", async () => {
    const campaign = await buildCampaign();
    const authorUser = await buildUser();
    const author = readerOf(authorUser);
    const other = await employee();
    const boss = await manager();
    const approved = await submitStory(author, campaign.id, { ...STORY, title: "Goedgekeurd verhaal" });
    const waiting = await submitStory(
      author,
      campaign.id,
      { ...STORY, title: "Wachtend verhaal" },
      {
        photo: await photoWithMetadata("Foto van de ploeg"),
      },
    );
    const rejected = await submitStory(author, campaign.id, { ...STORY, title: "Afgewezen verhaal" });
    await decideStory(boss, approved.id, { decision: "approve" });
    await decideStory(boss, rejected.id, { decision: "reject", reason: "Past niet bij de campagne." });

    const forOther = await listStories(other, campaign.id);
    expect(forOther.map((story) => story.id)).toEqual([approved.id]);
    expect(forOther[0]).toMatchObject({ own: false, rejectReason: null, status: "approved" });
    expect(forOther[0]!.postId).toBeTruthy();

    const forAuthor = await listStories(author, campaign.id);
    expect(forAuthor.map((story) => story.id).sort()).toEqual([approved.id, waiting.id, rejected.id].sort());
    expect(forAuthor.find((story) => story.id === rejected.id)!.rejectReason).toBe(
      "Past niet bij de campagne.",
    );
    expect(forAuthor.find((story) => story.id === waiting.id)!.photo).toEqual({
      url: `/campagnes/${campaign.slug}/verhalen/${waiting.id}/foto`,
      alt: "Foto van de ploeg",
    });

    expect((await listStories(boss, campaign.id)).length).toBe(3);
    expect((await listStories(boss, campaign.id, { status: "submitted" })).map((story) => story.id)).toEqual([
      waiting.id,
    ]);

    // The waiting story's photo: its author and managers, not the rest of the audience.
    expect(await storyPhotoFile(other, waiting.id)).toBeNull();
    expect(await storyPhotoFile(author, waiting.id)).toMatchObject({ mediaType: "image/webp" });
    expect(await storyPhotoFile(boss, waiting.id)).not.toBeNull();
    expect(await storyPhotoFile(other, "missing")).toBeNull();
  });

  it("hides a campaign's stories from outside its audience", async () => {
    const department = await buildDepartment();
    const campaign = await buildCampaign({
      audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
    });
    expect((await refusal(listStories(await employee(), campaign.id))).code).toBe("not_found");
    expect(await listStories(await employee({ departmentId: department.id }), campaign.id)).toEqual([]);
  });
});
