import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { buildPlace, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { addComment, listComments } from "./comments.server";
import { type StreamErrorCode } from "./errors";
import {
  dismissReport,
  hideComment,
  hidePost,
  moderationQueue,
  reportContent,
  restoreComment,
  restorePost,
} from "./moderation.server";
import { createPost, deletePost, getPostView } from "./posts.server";

setupTestDatabase();

type User = Awaited<ReturnType<typeof buildUser>>;
const asReader = (user: User, roles: Reader["roles"] = ["employee"]): Reader => ({
  id: user.id,
  roles,
  isFieldWorker: false,
  department: null,
});

async function rejects(promise: Promise<unknown>, code: StreamErrorCode) {
  await expect(promise).rejects.toMatchObject({ name: "StreamError", code });
}

let author: Reader;
let reporter: Reader;
let second: Reader;
let outsider: Reader;
let moderator: Reader;
let admin: Reader;

beforeAll(async () => {
  author = asReader(await buildUser({ displayName: "Auteur" }));
  reporter = asReader(await buildUser({ displayName: "Melder" }));
  second = asReader(await buildUser({ displayName: "Tweede Melder" }));
  outsider = asReader(await buildUser());
  moderator = asReader(await buildUser({}, ["communicator"]), ["employee", "communicator"]);
  admin = asReader(await buildUser({}, ["admin"]), ["employee", "admin"]);
});

describe("reportContent", () => {
  it("reports a visible post once per person while open; refuses bad reasons and own posts", async () => {
    const { id } = await createPost(author, { plainText: "Iets twijfelachtigs" });
    for (const reason of ["", "kort", "x".repeat(501), 42, null]) {
      await rejects(reportContent(reporter, { postId: id, reason }), "invalid_input");
    }
    await rejects(reportContent(author, { postId: id, reason: "Mijn eigen bericht" }), "forbidden");
    await reportContent(reporter, { postId: id, reason: "  Bevat persoonsgegevens  " });
    await rejects(reportContent(reporter, { postId: id, reason: "Nog eens gemeld" }), "conflict");
    await reportContent(second, { postId: id, reason: "Ook gezien, niet oké" });
    const reports = await prisma.postReport.findMany({
      where: { postId: id },
      orderBy: { createdAt: "asc" },
    });
    expect(reports.map((r) => r.reason)).toEqual(["Bevat persoonsgegevens", "Ook gezien, niet oké"]);
  });

  it("serialises concurrent reports by one person on one item", async () => {
    const { id } = await createPost(author, { plainText: "Dubbel geklikt" });
    const results = await Promise.allSettled([
      reportContent(reporter, { postId: id, reason: "Eerste klik" }),
      reportContent(reporter, { postId: id, reason: "Tweede klik" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await prisma.postReport.count({ where: { postId: id } })).toBe(1);
  });

  it("reports comments of the post; refuses what the reader cannot see", async () => {
    const place = await buildPlace({ ownerIds: [author.id], memberIds: [reporter.id], visibility: "secret" });
    const { id } = await createPost(author, { placeId: place.id, plainText: "Geheim" });
    const comment = await addComment(author, id, { plainText: "Een reactie" });
    const other = await createPost(author, { plainText: "Ander bericht" });
    await rejects(reportContent(outsider, { postId: id, reason: "Ik zie dit niet" }), "not_found");
    await rejects(
      reportContent(outsider, { postId: other.id, commentId: comment.id, reason: "Verkeerde post" }),
      "not_found",
    );
    await rejects(
      reportContent(reporter, { postId: id, commentId: "bestaat-niet", reason: "Geen reactie" }),
      "not_found",
    );
    const report = await reportContent(reporter, {
      postId: id,
      commentId: comment.id,
      reason: "Kwetsende reactie",
    });
    expect(await prisma.postReport.findUniqueOrThrow({ where: { id: report.id } })).toMatchObject({
      commentId: comment.id,
      status: "open",
    });
  });
});

describe("the moderation queue", () => {
  it("is for moderators only and groups open reports per item, oldest first, with the content", async () => {
    await rejects(moderationQueue(reporter), "forbidden");
    // Communicators and admins moderate (issue 4); the admin sees the same queue.
    await expect(moderationQueue(admin)).resolves.toBeDefined();
    const place = await buildPlace({
      ownerIds: [author.id],
      memberIds: [reporter.id, second.id],
      visibility: "secret",
    });
    const { id } = await createPost(author, { placeId: place.id, plainText: "Geheim maar gemeld #melding" });
    await reportContent(reporter, { postId: id, reason: "Reden één is dit" });
    await reportContent(second, { postId: id, reason: "Reden twee is dat" });
    const queue = await moderationQueue(moderator, { limit: 500 });
    const item = queue.find((entry) => entry.key === `post:${id}`);
    expect(item).toMatchObject({
      target: "post",
      url: `/berichten/${id}`,
      place: { slug: place.slug },
      author: { displayName: "Auteur" },
      hidden: null,
    });
    expect(item!.html).toContain("Geheim maar gemeld");
    expect(item!.reports.map((r) => r.reporter.displayName)).toEqual(["Melder", "Tweede Melder"]);
    // Reports of a post its author deleted leave the queue.
    await deletePost(author, id);
    expect((await moderationQueue(moderator, { limit: 500 })).some((entry) => entry.postId === id)).toBe(
      false,
    );
  });
});

describe("hide, restore and dismiss", () => {
  it("hides a post with a reason: reports decided, author told and still sees it, others not", async () => {
    const { id } = await createPost(author, { plainText: "Over een burger" });
    await reportContent(reporter, { postId: id, reason: "Naam van een burger" });
    await rejects(hidePost(reporter, id, "Ik ben geen moderator"), "forbidden");
    await rejects(hidePost(moderator, id, "kort"), "invalid_input");
    await rejects(hidePost(moderator, "bestaat-niet", "Een goede reden"), "not_found");
    await hidePost(moderator, id, "Persoonsgegevens van een burger");
    await rejects(hidePost(moderator, id, "Nog een keer"), "invalid_state");
    expect(await prisma.postReport.findFirst({ where: { postId: id } })).toMatchObject({
      status: "hidden",
      decisionReason: "Persoonsgegevens van een burger",
      decidedById: moderator.id,
    });
    const notification = await prisma.notification.findFirstOrThrow({
      where: { userId: author.id, type: "post.hidden" },
    });
    expect(notification).toMatchObject({
      url: `/berichten/${id}`,
      data: { reason: "Persoonsgegevens van een burger" },
    });
    expect((await getPostView(author, id)).hidden?.reason).toBe("Persoonsgegevens van een burger");
    await rejects(getPostView(reporter, id), "not_found");
    await rejects(reportContent(second, { postId: id, reason: "Te laat gemeld" }), "not_found");

    await rejects(restorePost(moderator, id, ""), "invalid_input");
    await restorePost(moderator, id, "Na overleg met de auteur aangepast");
    await rejects(restorePost(moderator, id, "Nog eens herstellen"), "invalid_state");
    expect((await getPostView(reporter, id)).hidden).toBeNull();
    expect(await prisma.postReport.findFirst({ where: { postId: id } })).toMatchObject({
      status: "restored",
      decisionReason: "Na overleg met de auteur aangepast",
    });
  });

  it("hides and restores comments, keeping the post's count right", async () => {
    const { id } = await createPost(author, { plainText: "Discussie" });
    const comment = await addComment(reporter, id, { plainText: "Scheldwoord" });
    await addComment(second, id, { plainText: "Gewone reactie" });
    await reportContent(author, { postId: id, commentId: comment.id, reason: "Scheldt iemand uit" });
    await rejects(hideComment(author, comment.id, "Niet mijn taak"), "forbidden");
    await hideComment(moderator, comment.id, "Respectvol blijven aub");
    expect((await prisma.post.findUniqueOrThrow({ where: { id } })).commentCount).toBe(1);
    expect((await listComments(second, id)).threads).toHaveLength(1);
    expect(
      await prisma.notification.findFirst({ where: { userId: reporter.id, type: "comment.hidden" } }),
    ).toMatchObject({
      data: { reason: "Respectvol blijven aub" },
    });
    await rejects(hideComment(moderator, comment.id, "Nog eens verbergen"), "invalid_state");
    await restoreComment(moderator, comment.id, "Toch geen scheldwoord");
    expect((await prisma.post.findUniqueOrThrow({ where: { id } })).commentCount).toBe(2);
    expect((await listComments(second, id)).threads).toHaveLength(2);
    await rejects(restoreComment(moderator, comment.id, "Nog eens herstellen"), "invalid_state");
  });

  it("dismisses open reports only", async () => {
    const { id } = await createPost(author, { plainText: "Niets aan de hand" });
    const report = await reportContent(reporter, { postId: id, reason: "Ik twijfel hierover" });
    await rejects(dismissReport(reporter, report.id), "forbidden");
    await rejects(dismissReport(moderator, report.id, "kort"), "invalid_input");
    await dismissReport(moderator, report.id, "Valt binnen de regels");
    await rejects(dismissReport(moderator, report.id), "invalid_state");
    await rejects(dismissReport(moderator, "bestaat-niet"), "not_found");
    expect(await prisma.postReport.findUniqueOrThrow({ where: { id: report.id } })).toMatchObject({
      status: "dismissed",
      decisionReason: "Valt binnen de regels",
    });
    // After a dismissal the same person may report again.
    await reportContent(reporter, { postId: id, reason: "Nu is het erger" });
  });
});
