// Checks the demo circulars: the data itself (pure), and that seeding a real database is idempotent.
import { describe, expect, it } from "vitest";
import { prisma } from "../app/db.server";
import { CircularDraftSchema } from "../app/modules/circulars/workflow.server";
import { setupTestDatabase } from "../tests/setup/database";
import { seed } from "./seed";
import { SEED_EDITORS, parseSeedNumber, resolveCircular } from "./seed-circulars";
import { SEED_CIRCULARS, SEED_THEMES, type LexicalState } from "./seed-circulars-data";
import { SEED_DEPARTMENTS, SEED_USERS } from "./seed-data";

const byNumber = new Map(SEED_CIRCULARS.map((circular) => [circular.number, circular]));
const departmentCodes = new Set(SEED_DEPARTMENTS.map((department) => department.code));
const usersByNumber = new Map(SEED_USERS.map((user) => [user.employeeNumber, user]));
const themeSlugs = new Set(SEED_THEMES.map((theme) => theme.slug));
// The demo data describes the knowledge base as it stood on the day it was written; judging it against
// the real clock would make these tests fail as the years pass.
const today = "2026-11-23";

function countStatus(status: string): number {
  return SEED_CIRCULARS.filter((circular) => circular.status === status).length;
}

/** Every title, summary and body that ends up in the database: each version and the working copy. */
function storedContents() {
  return SEED_CIRCULARS.flatMap((circular) => {
    const { versions, workingCopy } = resolveCircular(circular);
    return [
      ...versions.map((content) => ({ label: `${circular.number} v${content.version}`, circular, content })),
      { label: `${circular.number} working copy`, circular, content: workingCopy },
    ];
  });
}

function allTexts(state: LexicalState): string[] {
  return state.root.children.flatMap((block) =>
    block.type === "list"
      ? block.children.flatMap((item) => item.children.map((text) => text.text))
      : block.children.map((text) => text.text),
  );
}

describe("seed themes", () => {
  it("has 10 to 12 themes with unique kebab-case slugs and both names", () => {
    expect(SEED_THEMES.length).toBeGreaterThanOrEqual(10);
    expect(SEED_THEMES.length).toBeLessThanOrEqual(12);
    expect(themeSlugs.size).toBe(SEED_THEMES.length);
    for (const theme of SEED_THEMES) {
      expect(theme.slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(theme.nameNl.length, theme.slug).toBeGreaterThan(0);
      expect(theme.nameEn.length, theme.slug).toBeGreaterThan(0);
    }
  });
});

describe("seed circulars", () => {
  it("has at least 40 circulars with unique YYYY/NNN numbers from 2019 to 2026", () => {
    expect(SEED_CIRCULARS.length).toBeGreaterThanOrEqual(40);
    expect(byNumber.size).toBe(SEED_CIRCULARS.length);
    const years = new Set<number>();
    for (const circular of SEED_CIRCULARS) {
      expect(circular.number).toMatch(/^\d{4}\/\d{3}$/);
      const { year, sequence } = parseSeedNumber(circular.number);
      expect(sequence, circular.number).toBeGreaterThan(0);
      years.add(year);
    }
    expect([...years].sort()).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  });

  it("has the specified mix of statuses", () => {
    expect(countStatus("draft")).toBe(3);
    expect(countStatus("in_review")).toBe(2);
    expect(countStatus("archived")).toBe(2);
    expect(countStatus("published")).toBe(SEED_CIRCULARS.length - 7);
    const multiVersion = SEED_CIRCULARS.filter((circular) => circular.versions.length >= 2);
    expect(multiVersion.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...SEED_CIRCULARS.map((circular) => circular.versions.length))).toBeLessThanOrEqual(3);
  });

  it("keeps every title, summary and body valid for the editorial workflow", () => {
    for (const { label, circular, content } of storedContents()) {
      const parsed = CircularDraftSchema.safeParse({
        title: content.title,
        summary: content.summary,
        body: content.body,
        validFrom: content.validFrom,
        validUntil: content.validUntil,
        reviewDate: circular.reviewDate,
        ownerDepartmentId: circular.ownerDepartmentCode,
        responsibleUserId: circular.responsibleEmployeeNumber,
        themeIds: circular.themes,
        supersedesNumber: circular.supersedesNumber ?? null,
      });
      expect(parsed.error?.issues ?? [], label).toEqual([]);
      expect(content.summary.length, label).toBeLessThanOrEqual(300);
      if (circular.status !== "draft") expect(content.summary.trim().length, label).toBeGreaterThan(0);
    }
  });

  it("writes bodies of 3 to 8 blocks, shaped as Lexical serialises them", () => {
    const blockTypes = new Set(["heading", "paragraph", "list", "quote"]);
    for (const { label, content } of storedContents()) {
      const { root } = content.body;
      expect(root.children.length, label).toBeGreaterThanOrEqual(3);
      expect(root.children.length, label).toBeLessThanOrEqual(8);
      expect(root).toMatchObject({ type: "root", version: 1, direction: "ltr", format: "", indent: 0 });
      for (const block of root.children) {
        expect(blockTypes.has(block.type), label).toBe(true);
        expect(block).toMatchObject({ version: 1, direction: "ltr", format: "", indent: 0 });
        if (block.type === "heading") expect(block.tag).toBe("h2");
        if (block.type === "list") {
          expect(block.tag).toBe(block.listType === "bullet" ? "ul" : "ol");
          expect(block.children.every((item) => item.type === "listitem")).toBe(true);
        }
      }
      for (const text of allTexts(content.body)) expect(text.trim().length, label).toBeGreaterThan(0);
    }
  });

  it("refers to existing themes, departments and responsible office staff or editors", () => {
    for (const circular of SEED_CIRCULARS) {
      expect(circular.themes.length, circular.number).toBeGreaterThan(0);
      expect(new Set(circular.themes).size, circular.number).toBe(circular.themes.length);
      for (const slug of circular.themes)
        expect(themeSlugs.has(slug), `${circular.number} ${slug}`).toBe(true);
      expect(departmentCodes.has(circular.ownerDepartmentCode), circular.number).toBe(true);
      const responsible = usersByNumber.get(circular.responsibleEmployeeNumber);
      expect(responsible, circular.number).toBeDefined();
      const isEditor = responsible?.roles.includes("editor") ?? false;
      const isOfficeStaffOfOwner =
        responsible?.isFieldWorker === false && responsible.departmentCode === circular.ownerDepartmentCode;
      expect(isEditor || isOfficeStaffOfOwner, circular.number).toBe(true);
    }
    expect(SEED_EDITORS.length).toBeGreaterThanOrEqual(2);
  });

  it("has three supersession pairs that point back in time to existing circulars", () => {
    const superseding = SEED_CIRCULARS.filter((circular) => circular.supersedesNumber);
    expect(superseding).toHaveLength(3);
    const targets = superseding.map((circular) => circular.supersedesNumber);
    expect(new Set(targets).size).toBe(3);
    for (const circular of superseding) {
      const target = byNumber.get(circular.supersedesNumber ?? "");
      expect(target, circular.number).toBeDefined();
      expect(target!.number < circular.number, circular.number).toBe(true);
      expect(target!.versions.length, circular.number).toBeGreaterThan(0);
    }
  });

  it("uses consistent dates: validity, review, publications and archiving", () => {
    const expired = SEED_CIRCULARS.filter(
      (circular) => circular.validUntil !== null && circular.validUntil < today,
    );
    expect(expired.length).toBeGreaterThanOrEqual(4);
    expect(expired.length).toBeLessThanOrEqual(7);
    const overdue = SEED_CIRCULARS.filter(
      (circular) =>
        circular.status === "published" && circular.reviewDate !== null && circular.reviewDate < today,
    );
    expect(overdue.length).toBeGreaterThanOrEqual(2);

    for (const circular of SEED_CIRCULARS) {
      const { year } = parseSeedNumber(circular.number);
      for (const { content } of storedContents().filter((stored) => stored.circular === circular)) {
        if (content.validFrom && content.validUntil) {
          expect(content.validUntil >= content.validFrom, circular.number).toBe(true);
        }
      }
      const published = circular.versions.map((version) => version.publishedOn);
      expect([...published].sort(), circular.number).toEqual(published);
      if (published[0]) expect(Number(published[0].slice(0, 4)), circular.number).toBe(year);
      for (const date of published) expect(date <= today, circular.number).toBe(true);

      const neverPublished =
        circular.status === "draft" || (circular.status === "in_review" && published.length === 0);
      expect(published.length === 0, circular.number).toBe(neverPublished);
      expect(circular.pending !== undefined, circular.number).toBe(circular.status === "in_review");
      expect(circular.archivedOn !== undefined, circular.number).toBe(circular.status === "archived");
      if (circular.archivedOn) expect(circular.archivedOn >= published.at(-1)!, circular.number).toBe(true);
      if (circular.pending && published.length > 0) {
        expect(circular.pending.submittedOn > published.at(-1)!, circular.number).toBe(true);
      }
    }
  });
});

describe("seeding circulars into a database", () => {
  setupTestDatabase();

  async function counts() {
    const [circulars, themes, links, versions, sequences] = await Promise.all([
      prisma.circular.count(),
      prisma.theme.count(),
      prisma.circularTheme.count(),
      prisma.circularVersion.count(),
      prisma.circularNumberSequence.findMany({ orderBy: { year: "asc" } }),
    ]);
    return { circulars, themes, links, versions, sequences };
  }

  it("writes the circulars with their history once, and nothing on a second run", async () => {
    const first = await seed(prisma);
    expect(first.circulars).toBe(SEED_CIRCULARS.length);
    const afterFirst = await counts();
    const versionRows = await prisma.circularVersion.findMany({
      orderBy: [{ circularId: "asc" }, { version: "asc" }],
    });
    const updatedAt = await prisma.circular.findMany({ select: { number: true, updatedAt: true } });

    expect(afterFirst.circulars).toBe(SEED_CIRCULARS.length);
    expect(afterFirst.themes).toBe(SEED_THEMES.length);
    expect(afterFirst.links).toBe(SEED_CIRCULARS.reduce((sum, circular) => sum + circular.themes.length, 0));
    expect(afterFirst.versions).toBe(
      SEED_CIRCULARS.reduce((sum, circular) => sum + circular.versions.length, 0),
    );

    await seed(prisma);
    expect(await counts()).toEqual(afterFirst);
    expect(
      await prisma.circularVersion.findMany({ orderBy: [{ circularId: "asc" }, { version: "asc" }] }),
    ).toEqual(versionRows);
    expect(await prisma.circular.findMany({ select: { number: true, updatedAt: true } })).toEqual(updatedAt);

    for (const [year, last] of maxSequenceByYear()) {
      const row = afterFirst.sequences.find((sequence) => sequence.year === year);
      expect(row?.last, String(year)).toBeGreaterThanOrEqual(last);
    }
  });

  it("stores status, versions, approvals and supersession as the data describes", async () => {
    const stored = await prisma.circular.findMany({
      include: {
        versions: { orderBy: { version: "asc" } },
        supersedes: { select: { number: true } },
        ownerDepartment: { select: { code: true } },
        responsibleUser: { select: { employeeNumber: true } },
      },
    });
    const storedByNumber = new Map(stored.map((circular) => [circular.number, circular]));
    for (const circular of SEED_CIRCULARS) {
      const row = storedByNumber.get(circular.number);
      expect(row, circular.number).toBeDefined();
      if (!row) continue;
      expect(row.status).toBe(circular.status);
      expect(row.publishedVersion).toBe(circular.versions.length);
      expect(row.versions.map((version) => version.version)).toEqual(
        circular.versions.map((_, index) => index + 1),
      );
      expect(row.versions[0]?.substantial ?? true).toBe(true);
      for (const version of row.versions) expect(version.approvedById).not.toBe(version.authorId);
      expect(row.supersedes?.number ?? null).toBe(circular.supersedesNumber ?? null);
      expect(row.ownerDepartment.code).toBe(circular.ownerDepartmentCode);
      expect(row.responsibleUser.employeeNumber).toBe(circular.responsibleEmployeeNumber);
      if (circular.status === "in_review") {
        expect(row.submittedById).not.toBeNull();
        expect(row.changeNote).toBe(circular.pending?.changeNote);
      }
      if (circular.status === "archived") expect(row.archivedAt).not.toBeNull();
    }
  });

  it("keeps published versions immutable", async () => {
    const version = await prisma.circularVersion.findFirstOrThrow();
    await expect(
      prisma.circularVersion.update({ where: { id: version.id }, data: { title: "Gewijzigd" } }),
    ).rejects.toThrow();
  });
});

function maxSequenceByYear(): Map<number, number> {
  const max = new Map<number, number>();
  for (const circular of SEED_CIRCULARS) {
    const { year, sequence } = parseSeedNumber(circular.number);
    max.set(year, Math.max(max.get(year) ?? 0, sequence));
  }
  return max;
}
