import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { CircularError } from "./errors";
import {
  type Actor,
  approveAndPublishCircular,
  archiveCircular,
  type CircularDraftInput,
  createCircularDraft,
  isStaleWriteError,
  returnCircularToDraft,
  submitCircularForReview,
  updateCircularDraft,
  versionInForce,
} from "./workflow.server";

setupTestDatabase();

let author: Actor;
let reviewer: Actor;
let employee: Actor;
let base: CircularDraftInput;

const body = (text: string) => ({
  root: { type: "root" as const, children: [{ type: "paragraph", children: [{ type: "text", text }] }] },
});

beforeAll(async () => {
  const department = await buildDepartment();
  author = { id: (await buildUser({}, ["editor"])).id, roles: ["employee", "editor"] };
  reviewer = { id: (await buildUser({}, ["editor"])).id, roles: ["employee", "editor"] };
  employee = { id: (await buildUser()).id, roles: ["employee"] };
  base = {
    title: "Thuiswerk en plaatsonafhankelijk werken",
    summary: "Wie mag thuiswerken, hoe vraag je het aan en welke vergoeding krijg je.",
    body: body("Je vraagt thuiswerk aan bij je leidinggevende."),
    validFrom: "2026-01-01",
    ownerDepartmentId: department.id,
    responsibleUserId: author.id,
  };
});

async function publish(input: CircularDraftInput = base) {
  const draft = await createCircularDraft(author, input, new Date("2026-03-10T10:00:00Z"));
  await submitCircularForReview(author, draft.id, { changeNote: "Eerste versie" });
  await approveAndPublishCircular(reviewer, draft.id);
  return draft;
}

describe("numbering", () => {
  it("numbers drafts per year, also when editors create them at the same time", async () => {
    const made = await Promise.all(
      Array.from({ length: 5 }, () => createCircularDraft(author, base, new Date("2031-06-01T10:00:00Z"))),
    );
    expect(made.map((c) => c.number).sort()).toEqual([
      "2031/001",
      "2031/002",
      "2031/003",
      "2031/004",
      "2031/005",
    ]);
    const nextYear = await createCircularDraft(author, base, new Date("2032-01-01T00:30:00+01:00"));
    expect(nextYear.number).toBe("2032/001");
  });

  it("keeps a legacy number on import and continues after it; a duplicate number is refused", async () => {
    await createCircularDraft(author, { ...base, number: "2030/041" });
    expect((await createCircularDraft(author, base, new Date("2030-05-01T10:00:00Z"))).number).toBe(
      "2030/042",
    );
    await expect(createCircularDraft(author, { ...base, number: "2030/041" })).rejects.toMatchObject({
      code: "duplicate_number",
    });
    await expect(createCircularDraft(author, { ...base, number: "41/2030" })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });
});

describe("bad input saves nothing", () => {
  it.each([
    ["malformed Lexical JSON", { body: { root: { type: "paragraph" } } }],
    ["a summary over 300 characters", { summary: "a".repeat(301) }],
    ["validUntil before validFrom", { validFrom: "2026-05-01", validUntil: "2026-04-30" }],
    ["an impossible date", { validFrom: "2026-02-30" }],
    ["an unknown department", { ownerDepartmentId: "nope" }],
    ["an unknown superseded circular", { supersedesNumber: "1999/001" }],
  ])("refuses %s", async (_label, change) => {
    const before = await prisma.circular.count();
    await expect(
      createCircularDraft(author, { ...base, ...change } as CircularDraftInput),
    ).rejects.toBeInstanceOf(CircularError);
    expect(await prisma.circular.count()).toBe(before);
  });

  it("refuses employees without the editor role", async () => {
    await expect(createCircularDraft(employee, base)).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("review and publication", () => {
  it("never lets the submitter approve their own change", async () => {
    const draft = await createCircularDraft(author, base);
    await submitCircularForReview(author, draft.id, { changeNote: "Nieuw" });
    await expect(approveAndPublishCircular(author, draft.id)).rejects.toMatchObject({
      code: "self_approval",
    });
    expect(await prisma.circularVersion.count({ where: { circularId: draft.id } })).toBe(0);
    expect((await prisma.circular.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("in_review");
  });

  it("requires a summary and a change note before review, and no edits during review", async () => {
    const draft = await createCircularDraft(author, { ...base, summary: "" });
    await expect(submitCircularForReview(author, draft.id, { changeNote: "Nieuw" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    await updateCircularDraft(author, draft.id, base);
    await expect(submitCircularForReview(author, draft.id, { changeNote: "" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    await submitCircularForReview(author, draft.id, { changeNote: "Nieuw" });
    await expect(updateCircularDraft(author, draft.id, base)).rejects.toMatchObject({
      code: "invalid_state",
    });
    await returnCircularToDraft(reviewer, draft.id, { reason: "Graag eerst de vergoeding nakijken." });
    await updateCircularDraft(author, draft.id, { ...base, title: "Thuiswerk: nieuwe regels" });
  });

  it("publishes immutable numbered versions; a change stays invisible until approved", async () => {
    const draft = await publish();
    await updateCircularDraft(author, draft.id, { ...base, body: body("Nieuwe vergoeding vanaf 2027.") });
    expect(await prisma.circularVersion.count({ where: { circularId: draft.id } })).toBe(1);
    await submitCircularForReview(author, draft.id, {
      changeNote: "Vergoeding aangepast",
      substantial: true,
    });
    const published = await approveAndPublishCircular(reviewer, draft.id);
    expect(published).toMatchObject({ status: "published", publishedVersion: 2 });
    const versions = await prisma.circularVersion.findMany({
      where: { circularId: draft.id },
      orderBy: { version: "asc" },
    });
    expect(versions.map((v) => [v.version, v.substantial, v.authorId, v.approvedById])).toEqual([
      [1, true, author.id, reviewer.id],
      [2, true, author.id, reviewer.id],
    ]);
    await expect(
      prisma.circularVersion.update({ where: { id: versions[0]!.id }, data: { title: "Herschreven" } }),
    ).rejects.toThrow(/immutable/);
    await expect(prisma.circularVersion.delete({ where: { id: versions[0]!.id } })).rejects.toThrow(
      /immutable/,
    );
  });
});

describe("what was in force on a date", () => {
  it("answers per day with validity dates, successors and archiving", async () => {
    const old = await publish({ ...base, validFrom: "2026-01-01" });
    const number = (await prisma.circular.findUniqueOrThrow({ where: { id: old.id } })).number;
    // Published on 10 March 2026 (the clock of the test is the database's now()).
    const publishedAt = (await prisma.circularVersion.findFirstOrThrow({ where: { circularId: old.id } }))
      .publishedAt;
    const dayBefore = new Date(
      Date.UTC(publishedAt.getUTCFullYear(), publishedAt.getUTCMonth(), publishedAt.getUTCDate() - 1),
    );
    expect(await versionInForce(number, dayBefore)).toBeNull();
    const today = new Date(
      Date.UTC(publishedAt.getUTCFullYear(), publishedAt.getUTCMonth(), publishedAt.getUTCDate()),
    );
    expect((await versionInForce(number, today))?.version).toBe(1);

    const successor = await publish({ ...base, supersedesNumber: number, validFrom: "2099-01-01" });
    expect((await versionInForce(number, today))?.version).toBe(1);
    expect(await versionInForce(number, new Date("2099-01-02T00:00:00Z"))).toBeNull();
    expect(successor.id).not.toBe(old.id);

    await archiveCircular(reviewer, old.id, new Date(today.getTime() + 48 * 3600_000));
    expect((await versionInForce(number, today))?.version).toBe(1);
    expect(await versionInForce(number, new Date(today.getTime() + 72 * 3600_000))).toBeNull();
    await expect(versionInForce("1999/999", today)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("autosave conflicts", () => {
  it("refuses a save based on an outdated copy and keeps the other editor's work", async () => {
    const draft = await createCircularDraft(author, base);
    const loaded = await prisma.circular.findUniqueOrThrow({ where: { id: draft.id } });
    const first = await updateCircularDraft(
      reviewer,
      draft.id,
      { ...base, title: "Versie van de collega" },
      { expectedUpdatedAt: loaded.updatedAt },
    );
    expect(first.updatedAt.getTime()).toBeGreaterThanOrEqual(loaded.updatedAt.getTime());
    const stale = await updateCircularDraft(
      author,
      draft.id,
      { ...base, title: "Mijn versie" },
      { expectedUpdatedAt: loaded.updatedAt },
    ).catch((error: unknown) => error);
    expect(isStaleWriteError(stale)).toBe(true);
    expect((await prisma.circular.findUniqueOrThrow({ where: { id: draft.id } })).title).toBe(
      "Versie van de collega",
    );
    // With the current timestamp the save goes through.
    await updateCircularDraft(
      author,
      draft.id,
      { ...base, title: "Mijn versie" },
      { expectedUpdatedAt: first.updatedAt },
    );
  });
});

describe("review notifications", () => {
  it("tells the other editors about a submission, and the submitter why it came back", async () => {
    const draft = await createCircularDraft(author, base);
    await submitCircularForReview(author, draft.id, { changeNote: "Nieuwe regels", substantial: true });
    const submitted = await prisma.notification.findMany({
      where: { type: "circular.submitted", data: { path: ["circularId"], equals: draft.id } },
    });
    const recipients = submitted.map((n) => n.userId);
    expect(recipients).toContain(reviewer.id);
    expect(recipients).not.toContain(author.id);
    expect(recipients).not.toContain(employee.id);
    expect(submitted[0]!.url).toMatch(/^\/circulaires\/\d{4}\/\d{3}\/beoordelen$/);
    expect(submitted[0]!.data).toMatchObject({ changeNote: "Nieuwe regels", substantial: true });

    await expect(returnCircularToDraft(reviewer, draft.id, { reason: "" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    expect((await prisma.circular.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("in_review");
    await returnCircularToDraft(reviewer, draft.id, { reason: "De datum klopt niet." });
    const returned = await prisma.notification.findMany({
      where: { type: "circular.returned", data: { path: ["circularId"], equals: draft.id } },
    });
    expect(returned).toHaveLength(1);
    expect(returned[0]).toMatchObject({ userId: author.id, data: { reason: "De datum klopt niet." } });
  });

  it("lets the submitter withdraw without a reason and without notifying anyone", async () => {
    const draft = await createCircularDraft(author, base);
    await submitCircularForReview(author, draft.id, { changeNote: "Nieuw" });
    await returnCircularToDraft(author, draft.id);
    expect((await prisma.circular.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("draft");
    expect(
      await prisma.notification.count({
        where: { type: "circular.returned", data: { path: ["circularId"], equals: draft.id } },
      }),
    ).toBe(0);
  });

  it("notifies nobody when the submission is refused", async () => {
    const draft = await createCircularDraft(author, { ...base, summary: "" });
    await expect(submitCircularForReview(author, draft.id, { changeNote: "Nieuw" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    expect(
      await prisma.notification.count({ where: { data: { path: ["circularId"], equals: draft.id } } }),
    ).toBe(0);
  });
});
