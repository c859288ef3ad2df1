/**
 * Reading legacy files into HTML, the common format the converter takes: DOCX through mammoth (its
 * semantic HTML keeps headings, lists, tables, links, bold and italic), PDF through unpdf's positioned
 * text (paragraphs from line gaps, headings guessed only from a clearly larger font), HTML as is, and
 * Markdown through marked. DOCX and PDF are first checked by content, like any upload.
 */
import mammoth from "mammoth";
import { marked } from "marked";
import { extractTextItems, getDocumentProxy } from "unpdf";
import { escapeHtml } from "~/editor/render-html";
import { assertInflatable } from "~/modules/files/extract.server";
import { validateUpload } from "~/modules/files/validate.server";

export type SourceKind = "docx" | "pdf" | "html" | "md";

/** File extensions the import reads. */
export const SOURCE_EXTENSIONS: Readonly<Record<string, SourceKind>> = {
  ".docx": "docx",
  ".pdf": "pdf",
  ".html": "html",
  ".htm": "html",
  ".md": "md",
  ".markdown": "md",
};

/** Legacy exports are not always UTF-8: fall back to Windows-1252, what the old Windows tools wrote. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

type Line = { text: string; size: number; y: number; page: number; gapAbove: number };

/** Lines of positioned PDF text, with their font size and the vertical gap above them. */
async function pdfLines(bytes: Uint8Array): Promise<Line[]> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const { items } = await extractTextItems(pdf);
    const lines: Line[] = [];
    items.forEach((pageItems, pageIndex) => {
      let current: { parts: string[]; size: number; y: number } | null = null;
      const pageLines: { text: string; size: number; y: number }[] = [];
      for (const item of pageItems) {
        if (!item.str.trim()) {
          if (item.hasEOL && current) {
            pageLines.push({ text: current.parts.join(""), size: current.size, y: current.y });
            current = null;
          }
          continue;
        }
        if (current && Math.abs(current.y - item.y) > Math.max(2, item.fontSize * 0.4)) {
          pageLines.push({ text: current.parts.join(""), size: current.size, y: current.y });
          current = null;
        }
        current ??= { parts: [], size: item.fontSize, y: item.y };
        current.parts.push(item.str);
        current.size = Math.max(current.size, item.fontSize);
        if (item.hasEOL) {
          pageLines.push({ text: current.parts.join(""), size: current.size, y: current.y });
          current = null;
        }
      }
      if (current) pageLines.push({ text: current.parts.join(""), size: current.size, y: current.y });
      pageLines.forEach((line, index) => {
        const previous = pageLines[index - 1];
        lines.push({
          text: line.text.replace(/\s+/g, " ").trim(),
          size: line.size,
          y: line.y,
          page: pageIndex,
          gapAbove: previous ? previous.y - line.y : Number.POSITIVE_INFINITY,
        });
      });
    });
    return lines.filter((line) => line.text.length > 0);
  } finally {
    await pdf.loadingTask.destroy();
  }
}

const BULLET = /^([•▪◦·\-–*]|\d{1,2}[.)])\s+/;

/**
 * PDF text as HTML. Headings are guessed conservatively: a short line in a font at least 15% larger
 * than the body text (the most common size); the first such line on page one is the title (h1).
 * A paragraph ends at a gap clearly larger than the line spacing, at a heading or at a page break.
 */
export function pdfLinesToHtml(lines: readonly Line[]): string {
  if (lines.length === 0) return "";
  const weight = new Map<number, number>();
  for (const line of lines) {
    const size = Math.round(line.size * 2) / 2;
    weight.set(size, (weight.get(size) ?? 0) + line.text.length);
  }
  const bodySize = [...weight.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const isHeading = (line: Line) => line.size >= bodySize * 1.15 && line.text.length <= 120;
  const headingSizes = [...new Set(lines.filter(isHeading).map((l) => l.size))].sort((a, b) => b - a);
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  let titleTaken = false;
  const flush = () => {
    if (paragraph.length) out.push(`<p>${escapeHtml(paragraph.join(" "))}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list.length) out.push(`<ul>${list.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`);
    list = [];
  };
  lines.forEach((line, index) => {
    const previous = lines[index - 1];
    const newBlock = !previous || previous.page !== line.page || line.gapAbove > line.size * 1.7;
    if (isHeading(line)) {
      flush();
      flushList();
      const level =
        !titleTaken && line.page === 0 && index === 0 ? 1 : headingSizes.indexOf(line.size) <= 1 ? 2 : 3;
      if (level === 1) titleTaken = true;
      // Consecutive heading lines of the same size are one wrapped heading.
      const last = out[out.length - 1];
      if (!newBlock && last?.startsWith(`<h${level}>`) && previous && previous.size === line.size) {
        out[out.length - 1] = last.replace(`</h${level}>`, ` ${escapeHtml(line.text)}</h${level}>`);
      } else out.push(`<h${level}>${escapeHtml(line.text)}</h${level}>`);
      return;
    }
    const bullet = BULLET.exec(line.text);
    if (bullet) {
      flush();
      list.push(line.text.slice(bullet[0].length));
      return;
    }
    if (list.length && !newBlock) {
      list[list.length - 1] += ` ${line.text}`;
      return;
    }
    flushList();
    if (newBlock) flush();
    paragraph.push(line.text);
  });
  flush();
  flushList();
  return out.join("\n");
}

/** A legacy file as HTML; throws with an English reason when the file cannot be read as its type. */
export async function sourceToHtml(kind: SourceKind, bytes: Uint8Array, fileName: string): Promise<string> {
  if (kind === "docx" || kind === "pdf") {
    // Refuses a .docx that is not a Word file and a .pdf that is something else, with the reason.
    await validateUpload({ bytes, fileName }, "attachment", Number.MAX_SAFE_INTEGER);
  }
  switch (kind) {
    case "docx": {
      try {
        assertInflatable(bytes);
        const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
        return result.value;
      } catch (error) {
        throw new Error(`DOCX cannot be read: ${(error as Error).message}`);
      }
    }
    case "pdf": {
      let lines: Line[];
      try {
        lines = await pdfLines(bytes);
      } catch (error) {
        throw new Error(`PDF cannot be read: ${(error as Error).message}`);
      }
      if (lines.length === 0) throw new Error("PDF has no text layer (a scan?): nothing to import");
      return pdfLinesToHtml(lines);
    }
    case "html":
      return decodeText(bytes);
    case "md":
      // Raw HTML inside Markdown passes through marked; the converter drops what is not allowed.
      return marked.parse(decodeText(bytes), { async: false, gfm: true });
  }
}
