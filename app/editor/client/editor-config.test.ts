import { $createLinkNode } from "@lexical/link";
import { $createListItemNode, $createListNode } from "@lexical/list";
import { $createHeadingNode, $createQuoteNode } from "@lexical/rich-text";
import { $createTableNodeWithDimensions, type TableCellNode, type TableRowNode } from "@lexical/table";
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  createEditor,
  type LexicalEditor,
  type ParagraphNode,
} from "lexical";
import { describe, expect, it } from "vitest";
import { parseLexicalDocument } from "../lexical-schema";
import { lexicalToPlainText } from "../plain-text";
import { renderLexicalHtml } from "../render-html";
import {
  EDITOR_NODES,
  editorStateJson,
  isAllowedLinkUrl,
  normalizeEditorJson,
  toServerDocument,
} from "./editor-config";
import { $createImageNode } from "./image-node";

function newEditor(): LexicalEditor {
  return createEditor({
    namespace: "test",
    nodes: [...EDITOR_NODES],
    onError: (error) => {
      throw error;
    },
  });
}

function ok(result: ReturnType<typeof toServerDocument>) {
  if (!result.ok) throw new Error(result.issues.join("\n"));
  return result.document;
}

/** Builds, with the editor's own node classes, one of everything the toolbar can make. */
function buildEverything(editor: LexicalEditor) {
  editor.update(
    () => {
      const root = $getRoot();
      root.clear();
      const h2 = $createHeadingNode("h2").append($createTextNode("Wie heeft recht?"));
      const h3 = $createHeadingNode("h3").append($createTextNode("Voorwaarden"));
      const intro = $createParagraphNode().append(
        $createTextNode("Lees ").toggleFormat("bold"),
        $createTextNode("eerst").toggleFormat("italic"),
        $createTextNode(" de "),
        $createLinkNode("https://stad.gent/regels").append($createTextNode("regels")),
        $createTextNode(" of mail "),
        $createLinkNode("mailto:hr@stad.gent").append($createTextNode("HR")),
      );
      const quote = $createQuoteNode().append($createTextNode("Samen maken we de stad."));
      const nested = $createListNode("number").append(
        $createListItemNode().append($createTextNode("Stap a")),
      );
      const bullets = $createListNode("bullet").append(
        $createListItemNode().append($createTextNode("Eén")),
        $createListItemNode().append(nested),
      );
      const numbers = $createListNode("number").append(
        $createListItemNode().append($createTextNode("Eerst")),
      );
      const table = $createTableNodeWithDimensions(2, 2, { rows: true, columns: false });
      let n = 0;
      for (const row of table.getChildren<TableRowNode>()) {
        for (const cell of row.getChildren<TableCellNode>()) {
          cell.getFirstChildOrThrow<ParagraphNode>().append($createTextNode(`cel ${++n}`));
        }
      }
      const image = $createImageNode({ src: "/bestanden/abc123", altText: "Grondplan van de Zuid" });
      root.append(h2, intro, h3, quote, bullets, numbers, table, image);
    },
    { discrete: true },
  );
}

describe("the browser editor's output", () => {
  it("round-trips: what the editor produces passes the server whitelist unchanged in content", () => {
    const editor = newEditor();
    buildEverything(editor);
    const state = editor.getEditorState().toJSON();
    // The raw state already passes; normalisation is a safety net, not a requirement.
    expect(parseLexicalDocument(state).ok).toBe(true);
    const document = ok(toServerDocument(state));
    const html = renderLexicalHtml(document);
    expect(html).toContain('<h2 id="wie-heeft-recht">Wie heeft recht?</h2>');
    expect(html).toContain("<strong>Lees </strong><em>eerst</em>");
    expect(html).toContain(
      '<a href="https://stad.gent/regels" target="_blank" rel="noopener noreferrer">regels</a>',
    );
    expect(html).toContain('<a href="mailto:hr@stad.gent">HR</a>');
    expect(html).toContain("<blockquote>Samen maken we de stad.</blockquote>");
    expect(html).toContain("<ul><li>Eén</li><li><ol><li>Stap a</li></ol></li></ul>");
    expect(html).toContain("<th><p>cel 1</p></th>");
    expect(html).toContain("<td><p>cel 3</p></td>");
    expect(html).toContain('<img src="/bestanden/abc123" alt="Grondplan van de Zuid" loading="lazy">');
  });

  it("loads a stored document (also a lean imported one) and exports the same content", () => {
    const editor = newEditor();
    buildEverything(editor);
    const stored = ok(toServerDocument(editor.getEditorState().toJSON()));
    const lean = {
      root: {
        type: "root" as const,
        children: [
          { type: "paragraph" as const, children: [{ type: "text" as const, text: "Kort" }] },
          {
            type: "list" as const,
            listType: "bullet" as const,
            children: [{ type: "listitem" as const, children: [{ type: "text" as const, text: "punt" }] }],
          },
        ],
      },
    };
    for (const document of [stored, lean]) {
      const second = newEditor();
      second.setEditorState(second.parseEditorState(editorStateJson(document)));
      const again = ok(toServerDocument(second.getEditorState().toJSON()));
      expect(lexicalToPlainText(again)).toBe(lexicalToPlainText(document));
      expect(renderLexicalHtml(again)).toBe(renderLexicalHtml(document));
    }
  });

  it("folds what the server refuses into allowed shapes", () => {
    const text = (value: string) => ({ type: "text", text: value });
    const odd = {
      root: {
        type: "root",
        children: [
          { type: "heading", tag: "h1", children: [text("Groot")] },
          { type: "heading", tag: "h6", children: [text("Klein")] },
          text("los"),
          { type: "code", children: [text("x = 1")] },
          {
            type: "paragraph",
            children: [text("voor"), { type: "image", src: "/bestanden/a", altText: "A" }, text("na")],
          },
          {
            type: "table",
            children: [
              {
                type: "tablerow",
                children: [
                  {
                    type: "tablecell",
                    children: [
                      {
                        type: "list",
                        listType: "bullet",
                        children: [
                          { type: "listitem", children: [text("a")] },
                          { type: "listitem", children: [text("b")] },
                        ],
                      },
                      { type: "heading", tag: "h2", children: [text("kop")] },
                      { type: "image", src: "/bestanden/b", altText: "B" },
                    ],
                  },
                  { type: "tablecell", children: [] },
                ],
              },
            ],
          },
          {
            type: "paragraph",
            children: [
              {
                type: "link",
                url: "/a",
                children: [{ type: "link", url: "/b", children: [text("dubbel")] }],
              },
            ],
          },
          { type: "listitem", children: [text("verdwaald")] },
        ],
      },
    };
    expect(parseLexicalDocument(odd).ok).toBe(false);
    const document = ok(toServerDocument(odd));
    expect(lexicalToPlainText(document)).toBe(
      ["Groot", "Klein", "los", "x = 1", "voorna", "A", "a b kop\t", "dubbel (/a)", "verdwaald"].join("\n\n"),
    );
    const blocks = document.root.children;
    expect(blocks.map((b) => b.type)).toEqual([
      "heading",
      "heading",
      "paragraph",
      "paragraph",
      "paragraph",
      "image",
      "table",
      "paragraph",
      "paragraph",
    ]);
    expect(blocks.slice(0, 2).map((b) => (b.type === "heading" ? b.tag : null))).toEqual(["h2", "h4"]);
  });

  it("passes non-documents through for the schema to refuse", () => {
    expect(normalizeEditorJson("x")).toBe("x");
    expect(toServerDocument({ root: "x" }).ok).toBe(false);
  });

  it("checks link URLs like the server", () => {
    expect(isAllowedLinkUrl("https://stad.gent")).toBe(true);
    expect(isAllowedLinkUrl("/circulaires/2025/017")).toBe(true);
    expect(isAllowedLinkUrl("mailto:hr@stad.gent")).toBe(true);
    expect(isAllowedLinkUrl("javascript:alert(1)")).toBe(false);
    expect(isAllowedLinkUrl("//evil.example")).toBe(false);
    expect(isAllowedLinkUrl("www.stad.gent")).toBe(false);
  });
});
