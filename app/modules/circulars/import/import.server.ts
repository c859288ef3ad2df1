/**
 * `npm run circulars:import`: legacy circulars (.docx, .pdf, .html, .md plus an optional metadata CSV) into
 * draft or published circulars. Each file is imported in its own transaction and one bad file never stops
 * the run; the report says what was imported, skipped and failed, and why.
 *
 * Decisions (see docs in the report and README):
 * - Idempotent: a file whose number already exists is skipped (never overwritten: editors may have
 *   changed it since), and so is a file whose exact bytes were imported before (the original is kept on
 *   the circular), which covers files without a number.
 * - A file without a number (none in the CSV, none at the start of its name like "2019-014 …") gets the
 *   next number of the year it took effect (valid from), else of the current year.
 * - Who: the importer (`--as`, an editor) creates the circulars and is the author of version 1; a published
 *   import also names a second editor (`--approved-by`) who vouches for it as approver. Four eyes stay
 *   four eyes, and normal publication (approveAndPublishCircular) is untouched.
 * - Version 1 of a published import is not "substantial": the circulars were already in force, so staff
 *   are not asked to acknowledge hundreds of old texts at once. Its change note is fixed (below).
 * - The original DOCX/PDF becomes an attachment of the circular (and of version 1); an original HTML or
 *   Markdown file is kept as kind "original", for editors only, since those types are no attachments.
 */
import path from "node:path";
import fs from "node:fs/promises";
import { createHash } from "node:crypto";
import { prisma } from "~/db.server";
import { deleteFileIfUnused } from "~/modules/files/references.server";
import { parseLexicalDocument, type LexicalDocument } from "~/editor/lexical-schema";
import { lexicalToPlainText } from "~/editor/plain-text";
import { Prisma } from "~/generated/prisma/client";
import { FileError } from "~/modules/files/errors";
import { extractText } from "~/modules/files/extract.server";
import { getFileStorage } from "~/modules/files/storage.server";
import { sanitizeFileName, validateUpload } from "~/modules/files/validate.server";
import { hasPermission, isRole } from "~/modules/identity/permissions";
import { CircularError } from "../errors";
import {
  formatCircularNumber,
  nextCircularSequence,
  parseCircularNumber,
  reserveCircularSequence,
} from "../numbering.server";
import { brusselsDay } from "../validity";
import { CircularDraftSchema } from "../workflow.server";
import { enqueueSearchIndex } from "../../../../search/queue.server";
import { htmlToLexical } from "./html-to-lexical";
import { type MetadataRow, parseMetadataCsv } from "./metadata.server";
import { SOURCE_EXTENSIONS, type SourceKind, sourceToHtml } from "./sources.server";

export const IMPORT_CHANGE_NOTE = "Overgenomen uit het vorige systeem";
export const DEFAULT_METADATA_FILE = "metadata.csv";

export type ImportStatus = "draft" | "published";

export type ImportOptions = {
  folder: string;
  /** Status for files the CSV says nothing about (default draft). */
  status?: ImportStatus;
  dryRun?: boolean;
  /** The CSV (default: metadata.csv in the folder, when present). */
  metadataFile?: string;
  /** User id of the editor running the import. */
  importerId: string;
  /** User id of the second editor who approves published imports. */
  approverId?: string | null;
  now?: Date;
};

export type ImportOutcome = "imported" | "would-import" | "skipped" | "failed";

export type ImportEntry = {
  file: string;
  outcome: ImportOutcome;
  number?: string;
  status?: ImportStatus;
  title?: string;
  reason?: string;
  /** Content left out of the body (images, embedded media, unsafe links). */
  dropped?: string[];
};

export type ImportReport = {
  folder: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  imported: ImportEntry[];
  skipped: ImportEntry[];
  failed: ImportEntry[];
  /** Problems with the CSV that belong to no single file. */
  metadataErrors: string[];
};

/** A setup problem (unknown importer, missing approver): nothing was imported. */
export class ImportSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportSetupError";
  }
}

class SkipFile extends Error {}

/** Finds an active editor by employee number, e-mail or id (for the command line). */
export async function findImportEditor(handle: string): Promise<{ id: string; displayName: string }> {
  const user = await prisma.user.findFirst({
    where: {
      OR: [{ employeeNumber: handle }, { email: handle.toLowerCase() }, { id: handle }],
      active: true,
    },
    select: { id: true, displayName: true, roles: { select: { role: true } } },
  });
  if (!user) throw new ImportSetupError(`No active user ${handle}`);
  const roles = user.roles.map((r) => r.role).filter(isRole);
  if (!hasPermission({ roles }, "create:circular")) {
    throw new ImportSetupError(`${user.displayName} (${handle}) is not an editor of circulars`);
  }
  return { id: user.id, displayName: user.displayName };
}

/** The number a file name starts with, as "2019-014 Thuiswerk.docx" or "2019_14.pdf" → 2019/014. */
export function numberFromFileName(fileName: string): string | null {
  const match = /^(\d{4})[-_ ](\d{1,4})(?=\D|$)/.exec(path.basename(fileName));
  if (!match) return null;
  const parsed = parseCircularNumber(`${match[1]}/${match[2]!.padStart(3, "0")}`);
  return parsed ? formatCircularNumber(parsed.year, parsed.sequence) : null;
}

/** A readable title from a file name when the document has none. */
function titleFromFileName(fileName: string): string {
  const stem = path.basename(fileName, path.extname(fileName)).replace(/^\d{4}[-_ ]\d{1,4}\s*/, "");
  const words = stem.replace(/[_-]+/g, " ").replace(/\s+/g, " ").trim();
  return words ? words[0]!.toLocaleUpperCase("nl-BE") + words.slice(1) : "Circulaire zonder titel";
}

/** The first paragraph's text, cut at a word boundary, as a starting summary (at most 300 characters). */
function summaryFrom(document: LexicalDocument): string {
  const first = document.root.children.find((block) => block.type === "paragraph");
  const text = first
    ? lexicalToPlainText({ root: { ...document.root, children: [first] } })
        .replace(/\s+/g, " ")
        .trim()
    : "";
  if (text.length <= 300) return text;
  const cut = text.slice(0, 299);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), 200)).trim()}…`;
}

function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1).trim()}…`;
}

type Prepared = {
  entry: ImportEntry;
  number: string | null;
  year: number;
  status: ImportStatus;
  data: ReturnType<typeof CircularDraftSchema.parse>;
  original: {
    bytes: Uint8Array;
    fileName: string;
    kind: "attachment" | "original";
    mediaType: string;
    sha256: string;
  };
};

const TEXT_MEDIA: Record<SourceKind, string> = {
  docx: "",
  pdf: "",
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

/** Reads, converts and validates one file; throws SkipFile or an Error with the reason. */
async function prepare(
  filePath: string,
  kind: SourceKind,
  meta: MetadataRow | undefined,
  options: Required<Pick<ImportOptions, "status" | "importerId">> & ImportOptions & { now: Date },
  lookups: Lookups,
): Promise<Prepared> {
  const fileName = path.basename(filePath);
  const bytes = new Uint8Array(await fs.readFile(filePath));
  const number = meta?.number ?? numberFromFileName(fileName);
  if (number) {
    const existing = await prisma.circular.findUnique({ where: { number }, select: { id: true } });
    if (existing) throw new SkipFile(`circular ${number} already exists`);
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const before = await prisma.circularAttachment.findFirst({
    where: { sha256, kind: { in: ["attachment", "original"] } },
    select: { circular: { select: { number: true } } },
  });
  if (before) throw new SkipFile(`this file was imported before as ${before.circular.number}`);

  const html = await sourceToHtml(kind, bytes, fileName);
  const converted = htmlToLexical(html);
  const parsed = parseLexicalDocument(converted.document);
  if (!parsed.ok)
    throw new Error(`the converted text is not a valid document: ${parsed.issues.slice(0, 3).join("; ")}`);
  if (parsed.document.root.children.length === 0) throw new Error("the file has no text to import");

  const status = meta?.status ?? options.status;
  if (status === "published" && !options.approverId) {
    throw new Error("a published import needs a second editor as approver (--approved-by)");
  }
  const departmentCode = meta?.departmentCode ?? null;
  const ownerDepartmentId = departmentCode
    ? lookups.departments.get(departmentCode.toLowerCase())
    : lookups.importerDepartmentId;
  if (!ownerDepartmentId) {
    throw new Error(
      departmentCode
        ? `unknown department code ${departmentCode}`
        : "no department: add a dienst column to the CSV",
    );
  }
  const themeIds = (meta?.themes ?? []).map((slug) => {
    const id = lookups.themes.get(slug.toLowerCase());
    if (!id) throw new Error(`unknown theme ${slug}`);
    return id;
  });
  let responsibleUserId = options.importerId;
  if (meta?.responsible) {
    const user = await prisma.user.findFirst({
      where: {
        OR: [{ employeeNumber: meta.responsible }, { email: meta.responsible.toLowerCase() }],
        active: true,
      },
      select: { id: true },
    });
    if (!user) throw new Error(`unknown responsible person ${meta.responsible}`);
    responsibleUserId = user.id;
  }
  const title = clip(meta?.title ?? converted.title ?? titleFromFileName(fileName), 200);
  const draft = CircularDraftSchema.safeParse({
    title,
    summary: clip(meta?.summary ?? summaryFrom(parsed.document), 300),
    body: parsed.document,
    validFrom: meta?.validFrom ?? null,
    validUntil: meta?.validUntil ?? null,
    reviewDate: meta?.reviewDate ?? null,
    ownerDepartmentId,
    responsibleUserId,
    themeIds,
    audience: ["all"],
    number: number ?? undefined,
  });
  if (!draft.success) {
    throw new Error(draft.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
  }
  const year = draft.data.validFrom?.getUTCFullYear() ?? brusselsDay(options.now).getUTCFullYear();

  let original: Prepared["original"];
  if (kind === "docx" || kind === "pdf") {
    const file = await validateUpload({ bytes, fileName }, "attachment", Number.MAX_SAFE_INTEGER);
    original = { bytes, fileName: file.fileName, kind: "attachment", mediaType: file.mediaType, sha256 };
  } else {
    original = {
      bytes,
      fileName: sanitizeFileName(fileName),
      kind: "original",
      mediaType: TEXT_MEDIA[kind],
      sha256,
    };
  }
  return {
    entry: {
      file: fileName,
      outcome: options.dryRun ? "would-import" : "imported",
      number: number ?? undefined,
      status,
      title,
      ...(converted.dropped.length ? { dropped: converted.dropped } : {}),
    },
    number,
    year,
    status,
    data: draft.data,
    original,
  };
}

/** Writes one prepared file as a circular (and version 1 when published) in one transaction. */
async function write(prepared: Prepared, options: ImportOptions & { now: Date }): Promise<string> {
  const { data, original } = prepared;
  const extractedText =
    original.kind === "attachment" ? await extractText(original.bytes, original.mediaType) : null;
  const stored = await getFileStorage().put(original.bytes);
  try {
    return await prisma.$transaction(async (tx) => {
      let year: number;
      let sequence: number;
      if (prepared.number) {
        ({ year, sequence } = parseCircularNumber(prepared.number)!);
        await reserveCircularSequence(tx, year, sequence);
      } else {
        year = prepared.year;
        sequence = await nextCircularSequence(tx, year);
      }
      const published = prepared.status === "published";
      const circular = await tx.circular.create({
        data: {
          number: formatCircularNumber(year, sequence),
          year,
          sequence,
          status: prepared.status,
          title: data.title,
          summary: data.summary,
          body: data.body as Prisma.InputJsonValue,
          validFrom: data.validFrom,
          validUntil: data.validUntil,
          reviewDate: data.reviewDate,
          ownerDepartmentId: data.ownerDepartmentId,
          responsibleUserId: data.responsibleUserId,
          createdById: options.importerId,
          audience: data.audience,
          publishedAudience: published ? data.audience : [],
          publishedVersion: published ? 1 : 0,
          themes: { create: data.themeIds.map((themeId) => ({ themeId })) },
        },
        select: { id: true, number: true },
      });
      const attachment = await tx.circularAttachment.create({
        data: {
          circularId: circular.id,
          kind: original.kind,
          fileName: original.fileName,
          mediaType: original.mediaType,
          size: original.bytes.byteLength,
          sha256: stored.sha256,
          storageKey: stored.key,
          extractedText,
          uploadedById: options.importerId,
        },
        select: { id: true },
      });
      if (published) {
        await tx.circularVersion.create({
          data: {
            circularId: circular.id,
            version: 1,
            title: data.title,
            summary: data.summary,
            body: data.body as Prisma.InputJsonValue,
            validFrom: data.validFrom,
            validUntil: data.validUntil,
            changeNote: IMPORT_CHANGE_NOTE,
            substantial: false,
            audience: data.audience,
            attachmentIds: original.kind === "attachment" ? [attachment.id] : [],
            authorId: options.importerId,
            approvedById: options.approverId!,
          },
        });
      }
      await enqueueSearchIndex(tx, "circular", [circular.id]);
      return circular.number;
    });
  } catch (error) {
    await deleteFileIfUnused(stored.key);
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new Error(`circular number ${prepared.number ?? ""} was taken meanwhile`);
    }
    throw error;
  }
}

type Lookups = {
  departments: Map<string, string>;
  themes: Map<string, string>;
  importerDepartmentId: string | undefined;
};

/** Imports every supported file of a folder; never throws for a bad file (see the report). */
export async function importCirculars(input: ImportOptions): Promise<ImportReport> {
  const options = { status: "draft" as const, ...input, now: input.now ?? new Date() };
  const startedAt = new Date().toISOString();
  const importer = await prisma.user.findUnique({
    where: { id: options.importerId },
    select: { id: true, active: true, departmentId: true, roles: { select: { role: true } } },
  });
  if (
    !importer?.active ||
    !hasPermission({ roles: importer.roles.map((r) => r.role).filter(isRole) }, "create:circular")
  ) {
    throw new ImportSetupError("The importer must be an active editor of circulars");
  }
  if (options.approverId) {
    if (options.approverId === options.importerId) {
      throw new ImportSetupError("The approver must be another editor than the importer (four eyes)");
    }
    const approver = await prisma.user.findUnique({
      where: { id: options.approverId },
      select: { active: true, roles: { select: { role: true } } },
    });
    if (
      !approver?.active ||
      !hasPermission({ roles: approver.roles.map((r) => r.role).filter(isRole) }, "approve:circular")
    ) {
      throw new ImportSetupError("The approver must be an active editor who may approve circulars");
    }
  } else if (options.status === "published") {
    throw new ImportSetupError("A published import needs a second editor as approver (--approved-by)");
  }

  let names: string[];
  try {
    names = (await fs.readdir(options.folder, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
      .map((entry) => entry.name)
      .sort((a, b) => a.localeCompare(b, "nl"));
  } catch (error) {
    throw new ImportSetupError(`Cannot read folder ${options.folder}: ${(error as Error).message}`);
  }
  const metadataPath = options.metadataFile ?? path.join(options.folder, DEFAULT_METADATA_FILE);
  let metadataText: string | null = null;
  try {
    metadataText = await fs.readFile(metadataPath, "utf8");
  } catch (error) {
    if (options.metadataFile)
      throw new ImportSetupError(`Cannot read ${metadataPath}: ${(error as Error).message}`);
  }
  const metadata = metadataText === null ? null : parseMetadataCsv(metadataText);

  const [departments, themes] = await Promise.all([
    prisma.department.findMany({ select: { id: true, code: true } }),
    prisma.theme.findMany({ select: { id: true, slug: true } }),
  ]);
  const lookups: Lookups = {
    departments: new Map(departments.map((d) => [d.code.toLowerCase(), d.id])),
    themes: new Map(themes.map((t) => [t.slug.toLowerCase(), t.id])),
    importerDepartmentId: importer.departmentId ?? undefined,
  };

  const report: ImportReport = {
    folder: options.folder,
    dryRun: Boolean(options.dryRun),
    startedAt,
    finishedAt: startedAt,
    imported: [],
    skipped: [],
    failed: [],
    metadataErrors: metadata?.errors ?? [],
  };
  const metadataName = path.resolve(metadataPath);
  const seen = new Set<string>();
  for (const name of names) {
    const filePath = path.join(options.folder, name);
    if (path.resolve(filePath) === metadataName) continue;
    seen.add(name.toLowerCase());
    const kind = SOURCE_EXTENSIONS[path.extname(name).toLowerCase()];
    if (!kind) {
      report.skipped.push({
        file: name,
        outcome: "skipped",
        reason: `unsupported file type ${path.extname(name) || "(none)"}`,
      });
      continue;
    }
    const problem = metadata?.problems.get(name.toLowerCase());
    if (problem) {
      report.failed.push({ file: name, outcome: "failed", reason: problem });
      continue;
    }
    try {
      const prepared = await prepare(
        filePath,
        kind,
        metadata?.rows.get(name.toLowerCase()),
        options,
        lookups,
      );
      if (!options.dryRun) {
        prepared.entry.number = await write(prepared, options);
        if (!prepared.number) prepared.number = prepared.entry.number;
      } else if (!prepared.number) {
        prepared.entry.reason = `gets the next number of ${prepared.year}`;
      }
      report.imported.push(prepared.entry);
    } catch (error) {
      if (error instanceof SkipFile)
        report.skipped.push({ file: name, outcome: "skipped", reason: error.message });
      else report.failed.push({ file: name, outcome: "failed", reason: reasonOf(error) });
    }
  }
  for (const [key, row] of metadata?.rows ?? []) {
    if (!seen.has(key))
      report.failed.push({
        file: row.file,
        outcome: "failed",
        reason: `metadata CSV line ${row.line}: file not found in the folder`,
      });
  }
  for (const [key, problem] of metadata?.problems ?? []) {
    if (!seen.has(key))
      report.failed.push({
        file: key,
        outcome: "failed",
        reason: `${problem} (file not found in the folder)`,
      });
  }
  report.finishedAt = new Date().toISOString();
  return report;
}

function reasonOf(error: unknown): string {
  if (error instanceof FileError || error instanceof CircularError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
