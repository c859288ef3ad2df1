import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractText, normaliseExtractedText, zipDeclaredSize } from "./extract.server";

const fixtures = path.resolve(import.meta.dirname, "../../../tests/fixtures/files");
const read = (name: string) => new Uint8Array(fs.readFileSync(path.join(fixtures, name)));
const PDF = "application/pdf";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

describe("text extraction", () => {
  it("reads PDF text", async () => {
    const text = await extractText(read("parkeren.pdf"), PDF);
    expect(text).toContain("Parkeerregeling Administratief Centrum");
    expect(text).toContain("ondergrondse parking");
  });

  it("reads DOCX text", async () => {
    expect(await extractText(read("verlof.docx"), DOCX)).toMatch(/Verlofregeling\s+Je vraagt verlof aan/);
  });

  it("reads XLSX sheet names and cell text", async () => {
    const text = await extractText(read("tarieven.xlsx"), XLSX);
    expect(text).toContain("Tarieven 2026");
    expect(text).toContain("tot 10 km 0,35 euro per km");
    expect(text).toContain("Contact");
  });

  it("gives null, not an error, for unreadable content", async () => {
    const garbage = new Uint8Array([
      ...new TextEncoder().encode("%PDF-1.4\n"),
      ...new Uint8Array(300).fill(0x9b),
    ]);
    expect(await extractText(garbage, PDF)).toBeNull();
    expect(await extractText(new TextEncoder().encode("PK not really a zip"), DOCX)).toBeNull();
    expect(await extractText(read("logo.png"), "image/png")).toBeNull();
  });

  it("bounds the output size and the time", async () => {
    expect((await extractText(read("parkeren.pdf"), PDF, { maxChars: 10 }))?.length).toBe(10);
    expect(await extractText(read("verlof.docx"), DOCX, { timeoutMs: 0 })).toBeNull();
  });

  it("does not inflate a zip that declares an absurd size", () => {
    const docx = read("verlof.docx");
    expect(zipDeclaredSize(docx)).toBeGreaterThan(docx.byteLength);
    const bomb = new Uint8Array(docx);
    const view = new DataView(bomb.buffer);
    // Patch the first central directory entry's uncompressed size to 4 GB - 2.
    const centralOffset = view.getUint32(bomb.byteLength - 22 + 16, true);
    view.setUint32(centralOffset + 24, 0xfffffffe, true);
    expect(zipDeclaredSize(bomb)).toBeGreaterThan(200 * 1024 * 1024);
    return expect(extractText(bomb, DOCX)).resolves.toBeNull();
  });

  it("normalises whitespace", () => {
    expect(normaliseExtractedText("a \t b\r\n\r\n\r\n\r\nc  ")).toBe("a b\n\nc");
  });
});
