/**
 * Text extraction for search: PDF (unpdf), DOCX (mammoth, raw text) and XLSX (exceljs: sheet names and
 * cell text). Bounded in output size, in time and, for the zip-based formats, in inflated size (a small
 * zip can expand to gigabytes). Failure is not fatal: the file is kept and simply has no text (null).
 */
import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { extractText as extractPdfText, getDocumentProxy } from "unpdf";
import { FILE_TYPES, fileTypeByMediaType } from "./file-types";

export const EXTRACT_LIMITS = {
  /** Characters kept for the index: far more than any ranking needs, small enough for one row. */
  maxChars: 200_000,
  timeoutMs: 15_000,
  maxPdfPages: 500,
  /** Sum of the uncompressed entry sizes a DOCX/XLSX may declare before we refuse to inflate it. */
  maxInflatedBytes: 200 * 1024 * 1024,
} as const;

export type ExtractOptions = { maxChars?: number; timeoutMs?: number };

class ExtractionTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExtractionTimeout(`text extraction took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Collapses runs of spaces, keeps paragraph breaks, and cuts at the limit. */
export function normaliseExtractedText(text: string, maxChars: number = EXTRACT_LIMITS.maxChars): string {
  const cleaned = text
    .replace(/\r\n?/g, "\n")
    .replace(/[^\S\n]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return cleaned.length > maxChars ? cleaned.slice(0, maxChars) : cleaned;
}

/**
 * Sum of the uncompressed sizes a zip's central directory declares, or null when the archive cannot be
 * read that way (no end record, ZIP64): we then do not inflate it at all.
 */
export function zipDeclaredSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const minEnd = Math.max(0, bytes.byteLength - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.byteLength - 22; i >= minEnd; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const entries = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if (entries === 0xffff || offset === 0xffffffff) return null;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > bytes.byteLength || view.getUint32(offset, true) !== 0x02014b50) return null;
    const uncompressed = view.getUint32(offset + 24, true);
    if (uncompressed === 0xffffffff) return null;
    total += uncompressed;
    offset +=
      46 +
      view.getUint16(offset + 28, true) +
      view.getUint16(offset + 30, true) +
      view.getUint16(offset + 32, true);
  }
  return total;
}

/** Throws unless a zip declares a size we are willing to inflate. */
export function assertInflatable(bytes: Uint8Array) {
  const declared = zipDeclaredSize(bytes);
  if (declared === null || declared > EXTRACT_LIMITS.maxInflatedBytes) {
    throw new Error(`zip archive declares ${declared ?? "an unreadable"} uncompressed size`);
  }
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  // pdf.js takes ownership of (and may detach) the buffer it gets: hand it a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    if (pdf.numPages > EXTRACT_LIMITS.maxPdfPages) {
      const pages: string[] = [];
      for (let n = 1; n <= EXTRACT_LIMITS.maxPdfPages; n++) {
        const content = await (await pdf.getPage(n)).getTextContent();
        pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
      }
      return pages.join("\n\n");
    }
    const { text } = await extractPdfText(pdf, { mergePages: false });
    return text.join("\n\n");
  } finally {
    await pdf.loadingTask.destroy();
  }
}

async function docxText(bytes: Uint8Array): Promise<string> {
  assertInflatable(bytes);
  const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return result.value;
}

async function xlsxText(bytes: Uint8Array, maxChars: number): Promise<string> {
  assertInflatable(bytes);
  const workbook = new ExcelJS.Workbook();
  // exceljs's typings predate Node's generic Buffer; the bytes are what it expects.
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const parts: string[] = [];
  let length = 0;
  for (const sheet of workbook.worksheets) {
    parts.push(sheet.name);
    sheet.eachRow({ includeEmpty: false }, (row) => {
      if (length > maxChars) return;
      const cells: string[] = [];
      row.eachCell({ includeEmpty: false }, (cell) => {
        const text = cell.text?.trim();
        if (text) cells.push(text);
      });
      if (cells.length) {
        const line = cells.join(" ");
        parts.push(line);
        length += line.length;
      }
    });
  }
  return parts.join("\n");
}

/**
 * The searchable text of a file, or null when there is none or it cannot be read in time. Never throws:
 * a file whose text cannot be read is still a valid attachment.
 */
export async function extractText(
  bytes: Uint8Array,
  mediaType: string,
  { maxChars = EXTRACT_LIMITS.maxChars, timeoutMs = EXTRACT_LIMITS.timeoutMs }: ExtractOptions = {},
): Promise<string | null> {
  const type = fileTypeByMediaType(mediaType);
  let work: Promise<string>;
  if (type === "pdf") work = pdfText(bytes);
  else if (type === "docx") work = docxText(bytes);
  else if (type === "xlsx") work = xlsxText(bytes, maxChars);
  else return null;
  try {
    const text = normaliseExtractedText(await withTimeout(work, timeoutMs), maxChars);
    return text.length > 0 ? text : null;
  } catch {
    // Keep the rejected work from surfacing as an unhandled rejection after a timeout.
    work.catch(() => undefined);
    return null;
  }
}

/** The label of a media type for messages and reports ("PDF"). */
export function mediaTypeLabel(mediaType: string): string {
  const type = fileTypeByMediaType(mediaType);
  return type ? FILE_TYPES[type].label : mediaType;
}
