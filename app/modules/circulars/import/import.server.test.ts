import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { resetEnvCache } from "~/env.server";
import { lexicalToPlainText } from "~/editor/plain-text";
import { type LexicalDocument } from "~/editor/lexical-schema";
import { buildDepartment, buildUser } from "../../../../tests/factories";
import { setupTestDatabase } from "../../../../tests/setup/database";
import { parseMetadataCsv, parseDay } from "./metadata.server";
import {
  IMPORT_CHANGE_NOTE,
  type ImportEntry,
  ImportSetupError,
  importCirculars,
  numberFromFileName,
} from "./import.server";

process.env.FILE_STORAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-import-files-"));
resetEnvCache();
setupTestDatabase();

const legacy = path.resolve(import.meta.dirname, "../../../../tests/fixtures/import/legacy");
let importerId: string;
let approverId: string;
let importerDepartmentId: string;

beforeAll(async () => {
  const hr = await buildDepartment({ code: "BV-HR", name: "Personeel en Organisatie" });
  importerDepartmentId = (await buildDepartment({ code: "BV-JUR" })).id;
  importerId = (await buildUser({ departmentId: importerDepartmentId }, ["editor"])).id;
  approverId = (await buildUser({ departmentId: hr.id }, ["editor"])).id;
  await prisma.theme.createMany({
    data: [
      { slug: "personeel-en-hr", nameNl: "Personeel en HR", nameEn: "Staff and HR" },
      { slug: "mobiliteit", nameNl: "Mobiliteit", nameEn: "Mobility" },
    ],
  });
});

const byFile = (entries: ImportEntry[]) => Object.fromEntries(entries.map((e) => [e.file, e]));

describe("importing the legacy sample", () => {
  it("checks everything in a dry run and writes nothing", async () => {
    const report = await importCirculars({ folder: legacy, importerId, approverId, dryRun: true });
    expect(report.imported.map((e) => e.outcome)).toEqual([
      "would-import",
      "would-import",
      "would-import",
      "would-import",
    ]);
    expect(report.failed.map((e) => e.file).sort()).toEqual(["beschadigd.pdf", "kapot.docx"]);
    expect(await prisma.circular.count()).toBe(0);
    expect(await prisma.circularAttachment.count()).toBe(0);
  });

  it("imports each file type, applies the CSV and reports the corrupt files", async () => {
    const report = await importCirculars({
      folder: legacy,
      importerId,
      approverId,
      now: new Date("2026-05-01T10:00:00Z"),
    });
    const imported = byFile(report.imported);
    expect(Object.keys(imported).sort()).toEqual([
      "2023-012 klachtenbehandeling.md",
      "fietsvergoeding.pdf",
      "onthaal.html",
      "thuiswerk.docx",
    ]);
    const failed = byFile(report.failed);
    expect(failed["kapot.docx"]?.reason).toMatch(
      /claims to be Word \(DOCX\) but its content is of an unknown type/,
    );
    expect(failed["beschadigd.pdf"]?.reason).toMatch(/PDF cannot be read/);
    expect(report.skipped).toEqual([]);

    // DOCX: number, title, dates, theme and summary from the CSV; draft by default; original attached.
    const docx = await prisma.circular.findUniqueOrThrow({
      where: { number: "2019/014" },
      include: { themes: { include: { theme: true } }, attachments: true, ownerDepartment: true },
    });
    expect(docx).toMatchObject({
      status: "draft",
      title: "Thuiswerk en plaatsonafhankelijk werken",
      summary: "Wie mag thuiswerken en hoe vraag je het aan.",
      publishedVersion: 0,
      createdById: importerId,
      responsibleUserId: importerId,
    });
    expect(docx.ownerDepartment.code).toBe("BV-HR");
    expect(docx.validFrom?.toISOString().slice(0, 10)).toBe("2019-03-01");
    expect(docx.reviewDate?.toISOString().slice(0, 10)).toBe("2027-03-01");
    expect(docx.themes.map((t) => t.theme.slug)).toEqual(["personeel-en-hr"]);
    expect(docx.attachments).toMatchObject([
      { kind: "attachment", fileName: "thuiswerk.docx", removedAt: null },
    ]);
    expect(docx.attachments[0]?.extractedText).toContain("Thuiswerk is een gunst");
    const docxBody = docx.body as LexicalDocument;
    expect(docxBody.root.children.map((b) => b.type)).toEqual([
      "paragraph",
      "heading",
      "paragraph",
      "list",
      "heading",
      "table",
      "paragraph",
    ]);
    expect(JSON.stringify(docxBody)).toContain(
      '"url":"https://stad.gent/nl/over-gent-en-stadsbestuur/werken-bij-stad-gent"',
    );

    // PDF: published as version 1 by the importer, approved by the second editor.
    const pdf = await prisma.circular.findUniqueOrThrow({
      where: { number: "2021/007" },
      include: { versions: true, attachments: true, themes: true },
    });
    expect(pdf).toMatchObject({
      status: "published",
      publishedVersion: 1,
      publishedAudience: ["all"],
      title: "Fietsvergoeding voor woon-werkverkeer",
    });
    expect(pdf.validUntil?.toISOString().slice(0, 10)).toBe("2030-12-31");
    expect(pdf.themes).toHaveLength(2);
    expect(pdf.versions).toMatchObject([
      {
        version: 1,
        changeNote: IMPORT_CHANGE_NOTE,
        substantial: false,
        authorId: importerId,
        approvedById: approverId,
        attachmentIds: [pdf.attachments[0]!.id],
      },
    ]);
    const pdfBody = pdf.body as LexicalDocument;
    expect(
      pdfBody.root.children
        .filter((b) => b.type === "heading")
        .map((b) => lexicalToPlainText({ root: { ...pdfBody.root, children: [b] } }).trim()),
    ).toEqual(["Wie heeft recht op de vergoeding?", "Hoeveel bedraagt de vergoeding?"]);
    expect(pdf.summary).toBe(
      "Wie met de fiets naar het werk komt, krijgt een vergoeding per kilometer. De vergoeding geldt voor alle medewerkers van Stad en OCMW Gent.",
    );

    // HTML without a number: the next number of the year it took effect; original kept for editors only.
    const html = await prisma.circular.findUniqueOrThrow({
      where: { number: "2022/001" },
      include: { attachments: true },
    });
    expect(html.title).toBe("Onthaal van nieuwe medewerkers");
    expect(html.attachments).toMatchObject([{ kind: "original", mediaType: "text/html; charset=utf-8" }]);
    expect(imported["onthaal.html"]?.dropped).toEqual(expect.arrayContaining(["img", "iframe"]));

    // Markdown: number from the file name, department of the importer (no CSV row).
    const md = await prisma.circular.findUniqueOrThrow({ where: { number: "2023/012" } });
    expect(md).toMatchObject({
      title: "Klachtenbehandeling aan het loket",
      ownerDepartmentId: importerDepartmentId,
    });
    expect(JSON.stringify(md.body)).not.toContain("script");

    // Every imported circular is queued for the search index, in its own transaction.
    const queued = await prisma.searchIndexTask.findMany({ select: { sourceId: true } });
    expect(new Set(queued.map((q) => q.sourceId))).toEqual(new Set([docx.id, pdf.id, html.id, md.id]));
  });

  it("is idempotent: a second run skips what is there and creates nothing", async () => {
    const circulars = await prisma.circular.count();
    const attachments = await prisma.circularAttachment.count();
    const report = await importCirculars({ folder: legacy, importerId, approverId });
    expect(report.imported).toEqual([]);
    expect(byFile(report.skipped)).toMatchObject({
      "thuiswerk.docx": { reason: "circular 2019/014 already exists" },
      "onthaal.html": { reason: "this file was imported before as 2022/001" },
    });
    expect(report.skipped).toHaveLength(4);
    expect(report.failed).toHaveLength(2);
    expect(await prisma.circular.count()).toBe(circulars);
    expect(await prisma.circularAttachment.count()).toBe(attachments);
  });
});

describe("bad input", () => {
  function folderWith(files: Record<string, string | Buffer>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-import-"));
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    return dir;
  }

  it("fails a file whose metadata is invalid, saves nothing for it and goes on with the rest", async () => {
    const before = await prisma.circular.count();
    const folder = folderWith({
      "a.md": "# Eerste\n\nTekst van de eerste circulaire.",
      "b.md": "# Tweede\n\nTekst van de tweede circulaire.",
      "c.md": "# Derde\n\nTekst van de derde.",
      "notities.txt": "geen circulaire",
      "metadata.csv":
        "bestand;geldig_vanaf;geldig_tot;dienst;themas\na.md;31/02/2024;;BV-HR;\nb.md;2024-05-01;2024-04-01;BV-HR;\nc.md;2024-05-01;;ONBEKEND;\nontbreekt.md;2024-01-01;;BV-HR;",
    });
    const report = await importCirculars({ folder, importerId, status: "draft" });
    const failed = byFile(report.failed);
    expect(failed["a.md"]?.reason).toMatch(/line 2: validFrom "31\/02\/2024" is not a valid date/);
    expect(failed["b.md"]?.reason).toMatch(/validUntil is before validFrom/);
    expect(failed["c.md"]?.reason).toMatch(/unknown department code ONBEKEND/);
    expect(failed["ontbreekt.md"]?.reason).toMatch(/file not found/);
    expect(byFile(report.skipped)["notities.txt"]?.reason).toBe("unsupported file type .txt");
    expect(await prisma.circular.count()).toBe(before);
  });

  it("refuses to start a published import without a second editor, or with the importer as approver", async () => {
    await expect(importCirculars({ folder: legacy, importerId, status: "published" })).rejects.toBeInstanceOf(
      ImportSetupError,
    );
    await expect(
      importCirculars({ folder: legacy, importerId, approverId: importerId, status: "published" }),
    ).rejects.toThrow(/four eyes/);
    const employee = (await buildUser()).id;
    await expect(importCirculars({ folder: legacy, importerId: employee })).rejects.toThrow(/active editor/);
  });
});

describe("helpers", () => {
  it("reads numbers from file names", () => {
    expect(numberFromFileName("2019-014 Thuiswerk.docx")).toBe("2019/014");
    expect(numberFromFileName("2019_7.pdf")).toBe("2019/007");
    expect(numberFromFileName("thuiswerk 2019-014.docx")).toBeNull();
    expect(numberFromFileName("20190-14.docx")).toBeNull();
  });

  it("reads Belgian and ISO dates and refuses impossible ones", () => {
    expect(parseDay("1/3/2026")).toBe("2026-03-01");
    expect(parseDay("01.03.2026")).toBe("2026-03-01");
    expect(parseDay("2026-03-01")).toBe("2026-03-01");
    expect(parseDay("2026-02-30")).toBeNull();
    expect(parseDay("maart 2026")).toBeNull();
  });

  it("reads English headers, comma delimiters and reports unknown columns and duplicates", () => {
    const metadata = parseMetadataCsv(
      "file,number,status,colour\nx.pdf,2026/001,published,red\nx.pdf,,,\ny.pdf,26/1,gepubliceerd,\n",
    );
    expect(metadata.errors).toEqual(["metadata CSV: unknown columns ignored: colour"]);
    expect(metadata.problems.get("x.pdf")).toMatch(/listed twice/);
    expect(metadata.problems.get("y.pdf")).toMatch(/number "26\/1"/);
    expect(parseMetadataCsv("titel\nx").errors).toContain(
      'metadata CSV needs a "bestand" (or "file") column naming each file',
    );
  });
});
