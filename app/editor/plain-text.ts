/**
 * Plain text from a validated Lexical document, for the search index, SMS and push notifications:
 * blank lines between blocks, "- " / "1. " before list items, links as "text (url)", tables as
 * tab-separated rows.
 */
import type { BlockNode, InlineNode, LexicalDocument, ListNode, TableNode } from "./lexical-schema";

function sameTarget(text: string, url: string): boolean {
  const strip = (value: string) =>
    value
      .trim()
      .replace(/^(mailto:|tel:|https?:\/\/)/i, "")
      .replace(/\/$/, "")
      .toLowerCase();
  return strip(text) === strip(url);
}

function inlineToText(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case "text":
          return node.text;
        case "linebreak":
          return "\n";
        case "tab":
          return "\t";
        case "mention":
          return node.text.startsWith("@") ? node.text : `@${node.text}`;
        case "hashtag":
          return node.text.startsWith("#") ? node.text : `#${node.text}`;
        case "link":
        case "autolink": {
          const text = inlineToText(node.children);
          if (!text.trim()) return node.url;
          return sameTarget(text, node.url) ? text : `${text} (${node.url})`;
        }
        default:
          return "";
      }
    })
    .join("");
}

function listToText(list: ListNode, indent: string): string[] {
  const lines: string[] = [];
  let number = typeof list.start === "number" ? list.start : 1;
  for (const item of list.children) {
    const inline = item.children.filter((child): child is InlineNode => child.type !== "list");
    const nested = item.children.filter((child): child is ListNode => child.type === "list");
    const text = inlineToText(inline).replace(/\n/g, `\n${indent}  `);
    if (inline.length > 0 || nested.length === 0) {
      let marker = "- ";
      if (list.listType === "number") marker = `${number++}. `;
      else if (list.listType === "check") marker = item.checked ? "- [x] " : "- [ ] ";
      lines.push(`${indent}${marker}${text}`);
    }
    for (const child of nested) lines.push(...listToText(child, `${indent}  `));
  }
  return lines;
}

function tableToText(table: TableNode): string {
  return table.children
    .map((row) =>
      row.children
        .map((cell) =>
          cell.children
            .map((paragraph) => inlineToText(paragraph.children))
            .join(" ")
            .replace(/[\t\n]+/g, " ")
            .trim(),
        )
        .join("\t"),
    )
    .join("\n");
}

function blockToText(block: BlockNode): string {
  switch (block.type) {
    case "paragraph":
    case "heading":
    case "quote":
      return inlineToText(block.children);
    case "list":
      return listToText(block, "").join("\n");
    case "table":
      return tableToText(block);
    case "image":
      return block.decorative ? "" : block.altText;
    default:
      return "";
  }
}

/** Converts a validated Lexical document to plain text for search, SMS and push messages. */
export function lexicalToPlainText(document: LexicalDocument): string {
  return document.root.children
    .map((block) => blockToText(block).replace(/ +$/gm, ""))
    .filter((text) => text.trim().length > 0)
    .join("\n\n")
    .trim();
}

/**
 * Paragraphs of the no-JavaScript textarea as a Lexical document: blank lines separate paragraphs,
 * single line breaks inside a paragraph stay line breaks.
 */
export function plainTextToLexical(value: string): LexicalDocument {
  const paragraphs = value
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return {
    root: {
      type: "root",
      direction: null,
      format: "",
      indent: 0,
      version: 1,
      children: paragraphs.map((paragraph) => ({
        type: "paragraph",
        direction: null,
        format: "",
        indent: 0,
        version: 1,
        textFormat: 0,
        textStyle: "",
        children: paragraph.split("\n").flatMap((line, index) => [
          ...(index > 0 ? [{ type: "linebreak" as const, version: 1 }] : []),
          {
            type: "text" as const,
            text: line,
            format: 0,
            mode: "normal" as const,
            style: "",
            detail: 0,
            version: 1,
          },
        ]),
      })),
    },
  };
}
