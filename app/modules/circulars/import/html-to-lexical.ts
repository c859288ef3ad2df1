/**
 * HTML → Lexical JSON for the import of legacy circulars. Only the node types the editor whitelist
 * allows are produced (headings h2-h4, paragraphs, bulleted and numbered lists, links, quotes, tables,
 * bold/italic/underline/strikethrough/code); everything else is unwrapped to its text or, for scripts,
 * styles, embedded media and forms, dropped with its content. Links keep only URLs the whitelist accepts.
 * The caller still validates the result with parseLexicalDocument.
 */
import { HTMLElement, type Node, NodeType, parse, type TextNode as HtmlTextNode } from "node-html-parser";
import {
  type BlockNode,
  type HeadingNode,
  type InlineNode,
  type LexicalDocument,
  type LinkChildNode,
  type ListItemNode,
  type ListNode,
  type ParagraphNode,
  type TableCellNode,
  type TableRowNode,
  type TextNode,
  LEXICAL_LIMITS,
  linkUrlProblem,
} from "~/editor/lexical-schema";

export type HtmlConversion = {
  document: LexicalDocument;
  /** The document's title (its leading h1, else <title>), removed from the body. */
  title: string | null;
  /** What was left out, for the import report ("img", "iframe", "link javascript:…"). */
  dropped: string[];
};

const ELEMENT = { version: 1, direction: "ltr", format: "", indent: 0 } as const;

/** Removed together with everything inside them. */
const DROP_WITH_CONTENT = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "title",
  "meta",
  "link",
  "iframe",
  "object",
  "embed",
  "video",
  "audio",
  "canvas",
  "svg",
  "math",
  "img",
  "picture",
  "map",
  "form",
  "input",
  "select",
  "textarea",
  "button",
  "hr",
]);
const HEADINGS: Record<string, HeadingNode["tag"]> = {
  h1: "h2",
  h2: "h2",
  h3: "h3",
  h4: "h4",
  h5: "h4",
  h6: "h4",
};
const FORMAT_BITS: Record<string, number> = {
  b: 1,
  strong: 1,
  i: 2,
  em: 2,
  cite: 2,
  s: 4,
  strike: 4,
  del: 4,
  u: 8,
  ins: 8,
  code: 16,
  kbd: 16,
  tt: 16,
  sub: 32,
  sup: 64,
};
/** Elements that hold blocks; their content is converted in place. */
const CONTAINERS = new Set([
  "html",
  "body",
  "div",
  "section",
  "article",
  "main",
  "header",
  "footer",
  "nav",
  "aside",
  "center",
  "figure",
  "figcaption",
  "details",
  "summary",
  "dl",
  "dd",
  "dt",
  "address",
  "fieldset",
  "legend",
]);
const BLOCK_TAGS = new Set([
  ...CONTAINERS,
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "blockquote",
  "table",
  "pre",
  "tr",
  "td",
  "th",
  "thead",
  "tbody",
  "tfoot",
]);

function tagOf(node: Node): string {
  return node instanceof HTMLElement ? (node.tagName ?? "").toLowerCase() : "";
}

function textNode(text: string, format: number): TextNode {
  return { type: "text", version: 1, text, format, detail: 0, mode: "normal", style: "" };
}

function paragraph(children: InlineNode[]): ParagraphNode {
  return { type: "paragraph", ...ELEMENT, textFormat: 0, textStyle: "", children };
}

class Converter {
  dropped: string[] = [];

  private drop(what: string) {
    if (!this.dropped.includes(what)) this.dropped.push(what);
  }

  /** Inline content of a node, with formatting bits inherited from its ancestors. */
  inline(node: Node, format: number, out: InlineNode[], inLink: boolean) {
    if (node.nodeType === NodeType.TEXT_NODE) {
      const text = (node as HtmlTextNode).text.replace(/\s+/g, " ");
      if (text) pushText(out, text, format);
      return;
    }
    if (!(node instanceof HTMLElement)) return;
    const tag = tagOf(node);
    if (DROP_WITH_CONTENT.has(tag)) {
      if (
        tag !== "script" &&
        tag !== "style" &&
        tag !== "head" &&
        tag !== "title" &&
        tag !== "meta" &&
        tag !== "link"
      )
        this.drop(tag);
      return;
    }
    if (tag === "br") {
      out.push({ type: "linebreak", version: 1 });
      return;
    }
    if (tag === "a" && !inLink) {
      const href = node.getAttribute("href")?.trim() ?? "";
      const children: InlineNode[] = [];
      for (const child of node.childNodes) this.inline(child, format, children, true);
      if (href && linkUrlProblem(href) === null) {
        out.push({
          type: "link",
          ...ELEMENT,
          url: href,
          rel: "noopener noreferrer",
          target: null,
          title: null,
          children: children as LinkChildNode[],
        });
      } else {
        if (href) this.drop(`link ${href.slice(0, 60)}`);
        out.push(...children);
      }
      return;
    }
    const bit = FORMAT_BITS[tag] ?? 0;
    const blockish = BLOCK_TAGS.has(tag);
    // A block inside inline context (a <p> in a table cell or list item) becomes a line of its own.
    if (blockish && out.length > 0 && out[out.length - 1]!.type !== "linebreak")
      out.push({ type: "linebreak", version: 1 });
    for (const child of node.childNodes) this.inline(child, format | bit, out, inLink);
  }

  /** Block content of a node's children. */
  blocks(parent: Node, out: BlockNode[]) {
    let pending: InlineNode[] = [];
    const flush = () => {
      const children = tidyInline(pending);
      if (children.length) out.push(paragraph(children));
      pending = [];
    };
    for (const node of parent.childNodes) {
      const tag = tagOf(node);
      if (node.nodeType === NodeType.TEXT_NODE || (node instanceof HTMLElement && !BLOCK_TAGS.has(tag))) {
        if (tag === "br" && pending.length) {
          flush();
          continue;
        }
        this.inline(node, 0, pending, false);
        continue;
      }
      if (!(node instanceof HTMLElement)) continue;
      flush();
      if (CONTAINERS.has(tag)) this.blocks(node, out);
      else if (tag === "p" || tag === "pre") this.paragraphs(node, out);
      else if (HEADINGS[tag]) {
        const children = tidyInline(this.inlineOf(node));
        if (children.length) out.push({ type: "heading", tag: HEADINGS[tag], ...ELEMENT, children });
      } else if (tag === "ul" || tag === "ol") {
        const list = this.list(node);
        if (list) out.push(list);
      } else if (tag === "li") {
        this.paragraphs(node, out);
      } else if (tag === "blockquote") {
        this.quote(node, out);
      } else if (tag === "table") {
        const table = this.table(node);
        if (table) out.push(table);
      } else {
        // tr/td/thead outside a table: keep the text.
        this.blocks(node, out);
      }
    }
    flush();
  }

  private inlineOf(node: HTMLElement): InlineNode[] {
    const out: InlineNode[] = [];
    for (const child of node.childNodes) this.inline(child, 0, out, false);
    return out;
  }

  /** A <p> (or <pre>) as a paragraph; nested blocks (invalid HTML, but common) become paragraphs too. */
  private paragraphs(node: HTMLElement, out: BlockNode[]) {
    if (tagOf(node) === "pre") {
      const lines = node.text.replace(/\r\n?/g, "\n").split("\n");
      const children: InlineNode[] = [];
      lines.forEach((line, index) => {
        if (index > 0) children.push({ type: "linebreak", version: 1 });
        if (line) pushText(children, line, 16);
      });
      const tidy = tidyInline(children);
      if (tidy.length) out.push(paragraph(tidy));
      return;
    }
    const hasBlocks = node.childNodes.some((child) => {
      const tag = tagOf(child);
      return BLOCK_TAGS.has(tag) && !CONTAINERS.has(tag);
    });
    if (hasBlocks) {
      this.blocks(node, out);
      return;
    }
    const children = tidyInline(this.inlineOf(node));
    if (children.length) out.push(paragraph(children));
  }

  private list(node: HTMLElement): ListNode | null {
    const ordered = tagOf(node) === "ol";
    const start = ordered ? Number.parseInt(node.getAttribute("start") ?? "1", 10) : 1;
    const items: ListItemNode[] = [];
    let value = Number.isFinite(start) && start >= 0 ? start : 1;
    for (const child of node.childNodes) {
      const tag = tagOf(child);
      if (tag === "ul" || tag === "ol") {
        const nested = this.list(child as HTMLElement);
        if (nested) items.push({ type: "listitem", ...ELEMENT, value, children: [nested] });
        continue;
      }
      const element = child instanceof HTMLElement && tag === "li" ? child : null;
      const inline: InlineNode[] = [];
      const nestedLists: ListNode[] = [];
      if (element) {
        for (const grandchild of element.childNodes) {
          const grandTag = tagOf(grandchild);
          if (grandTag === "ul" || grandTag === "ol") {
            const nested = this.list(grandchild as HTMLElement);
            if (nested) nestedLists.push(nested);
          } else this.inline(grandchild, 0, inline, false);
        }
      } else this.inline(child, 0, inline, false);
      const children = tidyInline(inline);
      if (children.length) items.push({ type: "listitem", ...ELEMENT, value: value++, children });
      // Lexical keeps a nested list in a list item of its own, after the item it belongs to.
      for (const nested of nestedLists)
        items.push({ type: "listitem", ...ELEMENT, value, children: [nested] });
    }
    if (items.length === 0) return null;
    return {
      type: "list",
      ...ELEMENT,
      listType: ordered ? "number" : "bullet",
      start: ordered ? Math.max(0, start || 1) : 1,
      tag: ordered ? "ol" : "ul",
      children: items,
    };
  }

  private quote(node: HTMLElement, out: BlockNode[]) {
    const inner: BlockNode[] = [];
    this.blocks(node, inner);
    for (const block of inner) {
      if (block.type === "paragraph" || block.type === "heading")
        out.push({ type: "quote", ...ELEMENT, children: block.children });
      else out.push(block);
    }
  }

  private table(node: HTMLElement): BlockNode | null {
    const rows = node.querySelectorAll("tr").filter((row) => row.closest("table") === node);
    const tableRows: TableRowNode[] = rows.map((row) => ({
      type: "tablerow",
      ...ELEMENT,
      children: row.childNodes
        .filter((cell): cell is HTMLElement => tagOf(cell) === "td" || tagOf(cell) === "th")
        .map((cell): TableCellNode => {
          const colSpan = Number.parseInt(cell.getAttribute("colspan") ?? "1", 10);
          const rowSpan = Number.parseInt(cell.getAttribute("rowspan") ?? "1", 10);
          const children = tidyInline(this.inlineOf(cell));
          return {
            type: "tablecell",
            ...ELEMENT,
            headerState: tagOf(cell) === "th" ? 1 : 0,
            colSpan: colSpan >= 1 && colSpan <= 100 ? colSpan : 1,
            rowSpan: rowSpan >= 1 && rowSpan <= 1000 ? rowSpan : 1,
            children: [paragraph(children)],
          };
        }),
    }));
    const nonEmpty = tableRows.filter((row) => row.children.length > 0);
    if (nonEmpty.length === 0) return null;
    return { type: "table", ...ELEMENT, children: nonEmpty };
  }
}

/** Appends text, merging with the previous text node of the same format and splitting over-long runs. */
function pushText(out: InlineNode[], text: string, format: number) {
  const last = out[out.length - 1];
  if (
    last?.type === "text" &&
    last.format === format &&
    last.text.length + text.length <= LEXICAL_LIMITS.maxTextLength
  ) {
    last.text += text;
    return;
  }
  for (let i = 0; i < text.length; i += LEXICAL_LIMITS.maxTextLength) {
    out.push(textNode(text.slice(i, i + LEXICAL_LIMITS.maxTextLength), format));
  }
}

/** Trims whitespace at the edges of a block, collapses doubled spaces and drops empty nodes. */
function tidyInline(nodes: InlineNode[]): InlineNode[] {
  const out: InlineNode[] = [];
  for (const node of nodes) {
    const previous = out[out.length - 1];
    const endsWithSpace =
      !previous || previous.type === "linebreak" || (previous.type === "text" && /\s$/.test(previous.text));
    if (node.type === "text") {
      const text = endsWithSpace ? node.text.replace(/^\s+/, "") : node.text;
      if (text) out.push({ ...node, text });
    } else if (node.type === "link") {
      const children = node.children.map((child) =>
        child.type === "text" && endsWithSpace ? { ...child, text: child.text.replace(/^\s+/, "") } : child,
      );
      const kept = children.filter((child) => child.type !== "text" || child.text.length > 0);
      if (kept.length) out.push({ ...node, children: kept });
    } else out.push(node);
  }
  // Trailing whitespace and line breaks at the end of the block carry no meaning.
  while (out.length) {
    const last = out[out.length - 1]!;
    if (last.type === "linebreak") out.pop();
    else if (last.type === "text") {
      const text = last.text.replace(/\s+$/, "");
      if (text) {
        out[out.length - 1] = { ...last, text };
        break;
      }
      out.pop();
    } else break;
  }
  while (out[0]?.type === "linebreak") out.shift();
  return out;
}

function plainText(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) =>
      node.type === "link" ? plainText(node.children) : "text" in node ? (node.text ?? "") : " ",
    )
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

/** Converts an HTML document or fragment to a Lexical document, its title and what was dropped. */
export function htmlToLexical(
  html: string,
  { takeTitle = true }: { takeTitle?: boolean } = {},
): HtmlConversion {
  const root = parse(html, {
    comment: false,
    blockTextElements: { script: true, style: true, noscript: true, pre: true },
  });
  const documentTitle = root.querySelector("title")?.text.replace(/\s+/g, " ").trim() || null;
  const body = root.querySelector("body") ?? root;
  const converter = new Converter();
  const blocks: BlockNode[] = [];
  converter.blocks(body, blocks);
  let title = documentTitle;
  const first = blocks[0];
  // The first h1 is the circular's title: the article page shows the title itself.
  const firstHeading = body.querySelector("h1");
  if (
    takeTitle &&
    first?.type === "heading" &&
    firstHeading &&
    plainText(first.children) === firstHeading.text.replace(/\s+/g, " ").trim()
  ) {
    title = plainText(first.children) || title;
    blocks.shift();
  }
  return {
    document: { root: { type: "root", ...ELEMENT, children: blocks } },
    title,
    dropped: converter.dropped,
  };
}
