import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FileError } from "./errors";
import { sanitizeFileName, validateUpload } from "./validate.server";

const fixtures = path.resolve(import.meta.dirname, "../../../tests/fixtures/files");
const read = (name: string) => new Uint8Array(fs.readFileSync(path.join(fixtures, name)));

async function refusal(promise: Promise<unknown>): Promise<FileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileError);
  return error as FileError;
}

describe("type detection", () => {
  it.each([
    ["parkeren.pdf", "application/pdf"],
    ["verlof.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ["tarieven.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  ])("accepts %s as an attachment by its content", async (name, mediaType) => {
    const file = await validateUpload(
      { bytes: read(name), fileName: name, declaredType: mediaType },
      "attachment",
    );
    expect(file.mediaType).toBe(mediaType);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["logo.png", "image/png"],
    ["foto.jpg", "image/jpeg"],
    ["foto.webp", "image/webp"],
  ])("accepts %s as an image", async (name, mediaType) => {
    expect((await validateUpload({ bytes: read(name), fileName: name }, "image")).mediaType).toBe(mediaType);
  });

  it("refuses a PDF renamed .docx, saying what it really is", async () => {
    const error = await refusal(
      validateUpload(
        { bytes: read("parkeren-hernoemd.docx"), fileName: "parkeren-hernoemd.docx" },
        "attachment",
      ),
    );
    expect(error.code).toBe("mislabelled");
    expect(error.status).toBe(415);
    expect(error.message).toMatch(/\.docx but its content is PDF/);
  });

  it("refuses a declared type that disagrees with the content", async () => {
    const error = await refusal(
      validateUpload({ bytes: read("logo.png"), fileName: "logo", declaredType: "image/jpeg" }, "image"),
    );
    expect(error.code).toBe("mislabelled");
  });

  it("refuses a document posing as an image, and an image as an attachment", async () => {
    expect(
      (await refusal(validateUpload({ bytes: read("parkeren.pdf"), fileName: "x.png" }, "image"))).code,
    ).toBe("mislabelled");
    const error = await refusal(
      validateUpload({ bytes: read("logo.png"), fileName: "logo.png" }, "attachment"),
    );
    expect(error.code).toBe("unsupported_type");
    expect(error.message).toMatch(/PNG; allowed: PDF, Word \(DOCX\), Excel \(XLSX\)/);
  });

  it("refuses HTML and plain text whatever they are called", async () => {
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    expect((await refusal(validateUpload({ bytes: html, fileName: "brief.pdf" }, "attachment"))).code).toBe(
      "mislabelled",
    );
    expect((await refusal(validateUpload({ bytes: html, fileName: "brief.html" }, "attachment"))).code).toBe(
      "unsupported_type",
    );
  });

  it("refuses empty and oversized files", async () => {
    expect(
      (await refusal(validateUpload({ bytes: new Uint8Array(), fileName: "a.pdf" }, "attachment"))).code,
    ).toBe("empty");
    const error = await refusal(
      validateUpload({ bytes: read("parkeren.pdf"), fileName: "a.pdf" }, "attachment", 100),
    );
    expect(error.code).toBe("too_large");
    expect(error.status).toBe(413);
  });

  it("adds the extension when the name has none and accepts legacy declared types", async () => {
    const file = await validateUpload(
      { bytes: read("tarieven.xlsx"), fileName: "tarieven", declaredType: "application/vnd.ms-excel" },
      "attachment",
    );
    expect(file.fileName).toBe("tarieven.xlsx");
  });
});

describe("file names", () => {
  it.each([
    ["../../etc/passwd.pdf", "passwd.pdf"],
    ["C:\\Users\\jan\\Verlof 2026.docx", "Verlof 2026.docx"],
    ["rapport\u202Efdp.exe", "rapportfdp.exe"],
    ['a<b>:"c"|?*.pdf', "a_b___c____.pdf"],
    ["  ..verborgen.pdf  ", "verborgen.pdf"],
    ["CON.pdf", "_CON.pdf"],
    ["", "bestand"],
    ["Nota\u0000 met\ttab.pdf", "Nota met tab.pdf"],
  ])("cleans %j to %j", (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it("bounds the length and keeps the extension", () => {
    const name = sanitizeFileName(`${"é".repeat(400)}.pdf`);
    expect([...name].length).toBe(150);
    expect(name.endsWith(".pdf")).toBe(true);
  });
});
