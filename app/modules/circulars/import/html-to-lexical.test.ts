import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLexicalDocument } from "~/editor/lexical-schema";
import { lexicalToPlainText } from "~/editor/plain-text";
import { renderLexicalHtml } from "~/editor/render-html";
import { htmlToLexical } from "./html-to-lexical";
import { pdfLinesToHtml } from "./sources.server";

const legacy = path.resolve(import.meta.dirname, "../../../../tests/fixtures/import/legacy");

function convert(html: string) {
  const result = htmlToLexical(html);
  const parsed = parseLexicalDocument(result.document);
  if (!parsed.ok) throw new Error(parsed.issues.join("\n"));
  return { ...result, html: renderLexicalHtml(parsed.document), text: lexicalToPlainText(parsed.document) };
}

describe("HTML to Lexical", () => {
  it("maps the legacy HTML sample to allowed nodes only and drops the rest safely", () => {
    const result = convert(fs.readFileSync(path.join(legacy, "onthaal.html"), "utf8"));
    expect(result.title).toBe("Onthaal van nieuwe medewerkers");
    const types = result.document.root.children.map((block) => block.type);
    expect(types).toEqual([
      "paragraph",
      "heading",
      "list",
      "heading",
      "list",
      "quote",
      "table",
      "paragraph",
      "paragraph",
    ]);
    expect(result.html).toContain("<strong>onthaalmeter</strong>");
    expect(result.html).toContain("<em>onthaalmeter</em>");
    expect(result.html).toContain('href="https://stad.gent/intranet"');
    expect(result.html).toContain('href="mailto:onthaal@stad.gent"');
    expect(result.html).not.toMatch(/script|alert|javascript:|onclick|iframe|<img|style=/i);
    expect(result.text).toContain("oude link");
    expect(result.text).toContain("arbeidsreglement");
    expect(result.dropped).toEqual(
      expect.arrayContaining(["link javascript:alert(1)", "link reglement.html", "img", "iframe"]),
    );
    const nested = result.document.root.children[2];
    expect(nested?.type === "list" && nested.children[2]?.children[0]?.type).toBe("list");
  });

  it("keeps table headers, spans and cell text", () => {
    const { document } = convert(
      "<table><tr><th>Dag</th><th colspan='2'>Uur</th></tr><tr><td><p>ma</p><p>di</p></td><td>9</td><td>17</td></tr></table>",
    );
    const table = document.root.children[0];
    expect(table?.type).toBe("table");
    if (table?.type !== "table") return;
    expect(table.children[0]?.children.map((cell) => [cell.headerState, cell.colSpan])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(table.children[1]?.children[0]?.children[0]?.children.map((n) => n.type)).toEqual([
      "text",
      "linebreak",
      "text",
    ]);
  });

  it("maps h1-h6 onto h2-h4, wraps loose text and collapses whitespace", () => {
    const { document, title } = convert(
      "intro   tekst<h3>Deel</h3><h6>Klein</h6><div>los <b> vet </b> einde</div>",
    );
    expect(title).toBeNull();
    expect(document.root.children.map((b) => (b.type === "heading" ? b.tag : b.type))).toEqual([
      "paragraph",
      "h3",
      "h4",
      "paragraph",
    ]);
    expect(lexicalToPlainText(document)).toContain("los vet einde");
  });

  it("returns an empty document for content without text", () => {
    expect(convert("<script>x()</script><img src=x>").document.root.children).toEqual([]);
  });
});

describe("PDF lines to HTML", () => {
  const line = (text: string, size: number, gapAbove: number, page = 0) => ({
    text,
    size,
    y: 0,
    page,
    gapAbove,
  });

  it("guesses the title and headings only from a clearly larger font", () => {
    const html = pdfLinesToHtml([
      line("Titel van de brief", 18, Infinity),
      line("Eerste zin van de tekst die doorloopt", 11, 30),
      line("op de volgende regel.", 11, 14),
      line("Een kopje", 14, 25),
      line("- eerste punt", 11, 18),
      line("- tweede punt", 11, 14),
      line("Slot in 11.5 punten, geen kop.", 11.5, 30),
    ]);
    expect(html).toBe(
      "<h1>Titel van de brief</h1>\n<p>Eerste zin van de tekst die doorloopt op de volgende regel.</p>\n" +
        "<h2>Een kopje</h2>\n<ul><li>eerste punt</li><li>tweede punt</li></ul>\n<p>Slot in 11.5 punten, geen kop.</p>",
    );
  });
});
