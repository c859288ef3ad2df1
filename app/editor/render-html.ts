/**
 * Server-side HTML for validated Lexical documents. Safe by construction: only whitelisted tags are
 * emitted, every text and attribute value is escaped, URLs are re-validated and no field is ever passed
 * through as raw HTML. Unknown nodes (which validation refuses anyway) render as nothing.
 */
import {
  imageSrcProblem,
  linkUrlProblem,
  type BlockNode,
  type InlineNode,
  type LexicalDocument,
  type LinkChildNode,
  type LinkNode,
  type ListItemNode,
  type ListNode,
  type TableNode,
} from "./lexical-schema";

export type RenderHtmlOptions = {
  /** Prefix for heading ids, to keep them unique when several documents share a page. */
  headingIdPrefix?: string;
  /** Turns mentions into links (e.g. to the person's profile); a same-site path, or null for a plain span. */
  mentionHref?: (userId: string) => string | null;
  /** Turns hashtags into links (e.g. to the topic page); gets the tag without "#". */
  hashtagHref?: (tag: string) => string | null;
};

export type TocEntry = { id: string; text: string; level: 2 | 3 | 4 };

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for use in HTML content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

const FORMAT_TAGS: readonly [bit: number, tag: string][] = [
  [16, "code"],
  [32, "sub"],
  [64, "sup"],
  [4, "s"],
  [8, "u"],
  [2, "em"],
  [1, "strong"],
];

function inlineText(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case "text":
        case "hashtag":
          return node.text;
        case "mention":
          return node.text;
        case "tab":
          return "\t";
        case "linebreak":
          return " ";
        case "link":
        case "autolink":
          return inlineText(node.children);
        default:
          return "";
      }
    })
    .join("");
}

/** A URL-safe slug for a heading, e.g. "Thuiswerk & vergoeding" → "thuiswerk-vergoeding". */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
  return slug || "section";
}

function headingEntries(document: LexicalDocument, prefix: string): TocEntry[] {
  const used = new Set<string>();
  const entries: TocEntry[] = [];
  for (const block of document.root.children) {
    if (block.type !== "heading") continue;
    const text = inlineText(block.children).replace(/\s+/g, " ").trim();
    const base = `${prefix ? `${slugify(prefix)}-` : ""}${slugify(text)}`;
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
    used.add(id);
    entries.push({ id, text, level: Number(block.tag.slice(1)) as 2 | 3 | 4 });
  }
  return entries;
}

/** The document's headings with their (deduplicated) anchor ids, for a table of contents. */
export function tableOfContents(document: LexicalDocument, options: RenderHtmlOptions = {}): TocEntry[] {
  return headingEntries(document, options.headingIdPrefix ?? "");
}

function renderFormattedText(text: string, format: number | undefined): string {
  let html = escapeHtml(text).replace(/\n/g, "<br>");
  const bits = Number.isInteger(format) ? (format as number) : 0;
  for (const [bit, tag] of FORMAT_TAGS) {
    if (bits & bit) html = `<${tag}>${html}</${tag}>`;
  }
  return html;
}

/** A same-site path for a mention or hashtag link, or null (links do not nest, and nothing external). */
function sameSiteHref(href: string | null | undefined): string | null {
  if (!href || !href.startsWith("/") || linkUrlProblem(href)) return null;
  return href;
}

function renderLinkChild(node: LinkChildNode, options: RenderHtmlOptions, insideLink: boolean): string {
  switch (node.type) {
    case "text":
      return renderFormattedText(node.text, node.format);
    case "linebreak":
      return "<br>";
    case "tab":
      return "\t";
    case "mention": {
      const name = node.text.startsWith("@") ? node.text : `@${node.text}`;
      const attributes = `class="mention" data-user-id="${escapeHtml(node.userId)}"`;
      const href = insideLink ? null : sameSiteHref(options.mentionHref?.(node.userId));
      return href
        ? `<a ${attributes} href="${escapeHtml(href)}">${escapeHtml(name)}</a>`
        : `<span ${attributes}>${escapeHtml(name)}</span>`;
    }
    case "hashtag": {
      const tag = node.text.startsWith("#") ? node.text : `#${node.text}`;
      const href = insideLink ? null : sameSiteHref(options.hashtagHref?.(tag.slice(1)));
      return href
        ? `<a class="hashtag" href="${escapeHtml(href)}">${escapeHtml(tag)}</a>`
        : `<span class="hashtag">${escapeHtml(tag)}</span>`;
    }
    default:
      return "";
  }
}

function isLink(node: InlineNode): node is LinkNode {
  return node.type === "link" || node.type === "autolink";
}

function renderInline(nodes: readonly InlineNode[], options: RenderHtmlOptions): string {
  return nodes
    .map((node) => {
      if (!isLink(node)) return renderLinkChild(node, options, false);
      const content = node.children.map((child) => renderLinkChild(child, options, true)).join("");
      if (typeof node.url !== "string" || linkUrlProblem(node.url)) return content;
      const external = /^https?:/i.test(node.url);
      const title = node.title ? ` title="${escapeHtml(node.title)}"` : "";
      const newTab = external ? ' target="_blank" rel="noopener noreferrer"' : "";
      return `<a href="${escapeHtml(node.url)}"${title}${newTab}>${content}</a>`;
    })
    .join("");
}

function renderParagraphContent(children: readonly InlineNode[], options: RenderHtmlOptions): string {
  return children.length > 0 ? renderInline(children, options) : "<br>";
}

function renderListItem(item: ListItemNode, checkList: boolean, options: RenderHtmlOptions): string {
  const content = item.children
    .map((child) => (child.type === "list" ? renderList(child, options) : renderInline([child], options)))
    .join("");
  const checked = checkList ? ` data-checked="${item.checked === true ? "true" : "false"}"` : "";
  return `<li${checked}>${content}</li>`;
}

function renderList(list: ListNode, options: RenderHtmlOptions): string {
  const items = list.children
    .filter((item) => item.type === "listitem")
    .map((item) => renderListItem(item, list.listType === "check", options))
    .join("");
  if (list.listType === "number") {
    const start =
      typeof list.start === "number" && Number.isInteger(list.start) && list.start !== 1
        ? ` start="${list.start}"`
        : "";
    return `<ol${start}>${items}</ol>`;
  }
  return list.listType === "check" ? `<ul class="check-list">${items}</ul>` : `<ul>${items}</ul>`;
}

function spanAttribute(name: string, value: number | undefined): string {
  return typeof value === "number" && Number.isInteger(value) && value > 1 ? ` ${name}="${value}"` : "";
}

function renderTable(table: TableNode, options: RenderHtmlOptions): string {
  const rows = table.children
    .filter((row) => row.type === "tablerow")
    .map((row) => {
      const cells = row.children
        .filter((cell) => cell.type === "tablecell")
        .map((cell) => {
          const tag = cell.headerState ? "th" : "td";
          const attributes = spanAttribute("colspan", cell.colSpan) + spanAttribute("rowspan", cell.rowSpan);
          const content = cell.children
            .filter((paragraph) => paragraph.type === "paragraph")
            .map((paragraph) => `<p>${renderParagraphContent(paragraph.children, options)}</p>`)
            .join("");
          return `<${tag}${attributes}>${content}</${tag}>`;
        })
        .join("");
      return `<tr>${cells}</tr>`;
    })
    .join("");
  return `<table><tbody>${rows}</tbody></table>`;
}

function dimension(name: string, value: number | undefined): string {
  return typeof value === "number" && Number.isFinite(value) && value > 0
    ? ` ${name}="${Math.round(value)}"`
    : "";
}

function renderBlock(block: BlockNode, headingIds: Iterator<TocEntry>, options: RenderHtmlOptions): string {
  switch (block.type) {
    case "paragraph":
      return `<p>${renderParagraphContent(block.children, options)}</p>`;
    case "heading": {
      const entry = headingIds.next();
      const tag = block.tag === "h3" || block.tag === "h4" ? block.tag : "h2";
      const id = entry.done ? "" : ` id="${escapeHtml(entry.value.id)}"`;
      return `<${tag}${id}>${renderInline(block.children, options)}</${tag}>`;
    }
    case "quote":
      return `<blockquote>${renderInline(block.children, options)}</blockquote>`;
    case "list":
      return renderList(block, options);
    case "table":
      return renderTable(block, options);
    case "image": {
      if (typeof block.src !== "string" || imageSrcProblem(block.src)) return "";
      const alt = block.decorative ? "" : block.altText;
      return `<img src="${escapeHtml(block.src)}" alt="${escapeHtml(alt)}"${dimension("width", block.width)}${dimension("height", block.height)} loading="lazy">`;
    }
    default:
      return "";
  }
}

/** Renders a validated Lexical document to sanitised HTML for pages, e-mails and print. */
export function renderLexicalHtml(document: LexicalDocument, options: RenderHtmlOptions = {}): string {
  const headingIds = tableOfContents(document, options)[Symbol.iterator]();
  return document.root.children.map((block) => renderBlock(block, headingIds, options)).join("\n");
}
