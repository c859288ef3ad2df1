import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildDepartment, buildPublishedCircular, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  answerQuestion,
  askQuestion,
  feedbackSummary,
  myFeedback,
  QUESTION_RATE_LIMIT,
  RateLimitedError,
  rateCircular,
} from "./feedback.server";
import { type Reader } from "./policy.server";

setupTestDatabase();

let departmentId: string;
let reader: Reader;
let outsider: Reader;
let owner: Reader;
let editor: Reader;

const asReader = (id: string, department: string | null, roles: Reader["roles"] = ["employee"]): Reader => ({
  id,
  roles,
  isFieldWorker: false,
  department: department ? { id: department, parentId: null } : null,
});

beforeAll(async () => {
  departmentId = (await buildDepartment()).id;
  const other = (await buildDepartment()).id;
  reader = asReader((await buildUser({ departmentId, displayName: "Lezer Een" })).id, departmentId);
  outsider = asReader((await buildUser({ departmentId: other })).id, other);
  owner = asReader((await buildUser({ departmentId, displayName: "Eigenaar Twee" })).id, departmentId);
  editor = asReader((await buildUser({}, ["editor"])).id, null, ["employee", "editor"]);
});

describe("Was dit nuttig?", () => {
  it("keeps one changeable answer per person, counted for the owner", async () => {
    const circular = await buildPublishedCircular({ responsibleUserId: owner.id });
    await rateCircular(reader, circular.number, true);
    await rateCircular(reader, circular.number, false);
    await rateCircular(owner, circular.number, true);
    expect((await myFeedback(reader, circular.id)).useful).toBe(false);
    const summary = await feedbackSummary(owner, circular.number);
    expect([summary.useful, summary.notUseful]).toEqual([1, 1]);
    expect(summary.currentVersion).toEqual({ useful: 1, notUseful: 1 });
    await expect(feedbackSummary(reader, circular.number)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("is refused on circulars the reader may not read", async () => {
    const restricted = await buildPublishedCircular({ audience: [`department:${departmentId}`] });
    await expect(rateCircular(outsider, restricted.number, true)).rejects.toMatchObject({
      code: "not_found",
    });
    const draft = await buildPublishedCircular({ versions: [] });
    await expect(rateCircular(reader, draft.number, true)).rejects.toMatchObject({ code: "not_found" });
    await expect(rateCircular(editor, draft.number, true)).rejects.toMatchObject({ code: "not_found" });
    expect(
      await prisma.circularRating.count({ where: { circularId: { in: [restricted.id, draft.id] } } }),
    ).toBe(0);
  });
});

describe("questions", () => {
  it("refuses bad input and saves nothing", async () => {
    const circular = await buildPublishedCircular({ responsibleUserId: owner.id });
    for (const bad of ["", "   kort   ", "x".repeat(2001), 42, null, { text: "Een geldige vraag?" }]) {
      await expect(askQuestion(reader, circular.number, bad)).rejects.toMatchObject({
        code: "invalid_input",
      });
    }
    await expect(askQuestion(outsider, "2999/999", "Een vraag die lang genoeg is.")).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await prisma.circularQuestion.count({ where: { circularId: circular.id } })).toBe(0);
    expect(await prisma.notification.count({ where: { userId: owner.id } })).toBe(0);
  });

  it("hides restricted circulars from askers outside the audience", async () => {
    const restricted = await buildPublishedCircular({ audience: [`department:${departmentId}`] });
    await expect(askQuestion(outsider, restricted.number, "Geldt dit ook voor ons?")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("notifies the owner, who answers; the asker is notified once", async () => {
    const circular = await buildPublishedCircular({
      responsibleUserId: owner.id,
      versions: [{ title: "Fietsvergoeding" }],
    });
    const { id } = await askQuestion(
      reader,
      circular.number,
      "  Geldt de vergoeding ook voor een speedpedelec?  ",
    );
    const stored = await prisma.circularQuestion.findUniqueOrThrow({ where: { id } });
    expect(stored.question).toBe("Geldt de vergoeding ook voor een speedpedelec?");
    const toOwner = await prisma.notification.findFirstOrThrow({
      where: { userId: owner.id, type: "circular.question" },
    });
    expect(toOwner.data).toMatchObject({
      number: circular.number,
      title: "Fietsvergoeding",
      actorName: "Lezer Een",
    });
    expect(toOwner.url).toBe(`/circulaires/${circular.number}/lezers#vraag-${id}`);

    await expect(answerQuestion(reader, circular.number, id, "Ik antwoord zelf.")).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(answerQuestion(owner, circular.number, id, " ")).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(answerQuestion(owner, circular.number, id, "x".repeat(4001))).rejects.toMatchObject({
      code: "invalid_input",
    });
    await answerQuestion(owner, circular.number, id, "Ja, vanaf 1 januari.");
    await answerQuestion(editor, circular.number, id, "Ja, vanaf 1 januari 2026.");
    const answered = await prisma.circularQuestion.findUniqueOrThrow({ where: { id } });
    expect(answered).toMatchObject({ answer: "Ja, vanaf 1 januari 2026.", answeredById: editor.id });
    const toAsker = await prisma.notification.findMany({
      where: { userId: reader.id, type: "circular.answered" },
    });
    expect(toAsker).toHaveLength(1);
    expect(toAsker[0]!.data).toMatchObject({ number: circular.number, actorName: "Eigenaar Twee" });
    expect((await myFeedback(reader, circular.id)).questions[0]).toMatchObject({
      answer: "Ja, vanaf 1 januari 2026.",
    });
    expect((await feedbackSummary(owner, circular.number)).questions).toHaveLength(1);
  });

  it("refuses answering a question through another circular", async () => {
    const first = await buildPublishedCircular({ responsibleUserId: owner.id });
    const second = await buildPublishedCircular({ responsibleUserId: owner.id });
    const { id } = await askQuestion(owner, first.number, "Een vraag aan mezelf, tien tekens.");
    await expect(answerQuestion(owner, second.number, id, "Antwoord")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("rate limits questions per person and saves nothing beyond the limit", async () => {
    const asker = asReader((await buildUser()).id, null);
    const circular = await buildPublishedCircular();
    for (let i = 0; i < QUESTION_RATE_LIMIT.limit; i += 1) {
      await askQuestion(asker, circular.number, `Vraag nummer ${i} met genoeg tekst.`);
    }
    const refused = await askQuestion(asker, circular.number, "Nog een vraag met genoeg tekst.").catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect(await prisma.circularQuestion.count({ where: { askedById: asker.id } })).toBe(
      QUESTION_RATE_LIMIT.limit,
    );
  });
});
