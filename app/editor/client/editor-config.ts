/**
 * The browser editor's configuration and its contract with the server: the registered node types are
 * exactly those the whitelist (../lexical-schema.ts) knows, and every state the editor posts goes through
 * `toServerDocument`, which folds what Lexical may still produce in odd corners (pasted h1 headings,
 * lists inside table cells, images inside cells) into shapes the server accepts, then validates it with
 * the same schema the server uses.
 */
import { AutoLinkNode, LinkNode } from "@lexical/link";
import { ListItemNode, ListNode } from "@lexical/list";
import { HeadingNode, QuoteNode } from "@lexical/rich-text";
import { TableCellNode, TableNode, TableRowNode } from "@lexical/table";
import { type Klass, type LexicalNode } from "lexical";
import {
  linkUrlProblem,
  parseLexicalDocument,
  type LexicalDocument,
  type ParseLexicalResult,
} from "../lexical-schema";
import { ImageNode } from "./image-node";

/** Node classes registered in the editor: one per node type the server whitelist accepts. */
export const EDITOR_NODES: readonly Klass<LexicalNode>[] = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  LinkNode,
  AutoLinkNode,
  TableNode,
  TableRowNode,
  TableCellNode,
  ImageNode,
];

/** CSS classes Lexical puts on the editable's elements (styled in app.css, "circular editor" section). */
export const EDITOR_THEME = {
  paragraph: "editor-paragraph",
  quote: "editor-quote",
  heading: { h2: "editor-h2", h3: "editor-h3", h4: "editor-h4" },
  list: {
    ul: "editor-ul",
    ol: "editor-ol",
    listitem: "editor-li",
    nested: { listitem: "editor-li--nested" },
  },
  link: "editor-link",
  text: { bold: "editor-bold", italic: "editor-italic", underline: "editor-underline" },
  table: "editor-table",
  tableCell: "editor-td",
  tableCellHeader: "editor-th",
  image: "editor-image",
};

/** Whether the link dialog may apply a URL: the same check the server runs. */
export function isAllowedLinkUrl(url: string): boolean {
  return linkUrlProblem(url) === null;
}

// ---------------------------------------------------------------------------------------------------
// Normalisation (pure JSON → JSON)
// ---------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const LINK_CHILD_TYPES = new Set(["text", "linebreak", "tab", "mention", "hashtag"]);
const INLINE_TYPES = new Set([...LINK_CHILD_TYPES, "link", "autolink"]);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function childrenOf(node: Json): Json[] {
  return Array.isArray(node.children) ? node.children.filter(isObject) : [];
}

function clampIndent(node: Json): Json {
  const indent = typeof node.indent === "number" ? Math.min(Math.max(Math.trunc(node.indent), 0), 20) : 0;
  return { ...node, indent };
}

function paragraph(children: Json[]): Json {
  return {
    type: "paragraph",
    direction: null,
    format: "",
    indent: 0,
    version: 1,
    textFormat: 0,
    textStyle: "",
    children,
  };
}

/** The inline content of any node: inline nodes stay, blocks give up their inline children. */
function inlineOf(node: Json, insideLink = false, hoisted?: Json[]): Json[] {
  const type = String(node.type);
  if (LINK_CHILD_TYPES.has(type)) return [node];
  if (type === "link" || type === "autolink") {
    const children = childrenOf(node).flatMap((child) => inlineOf(child, true));
    // Links do not nest: an inner link keeps only its text.
    return insideLink ? children : [{ ...clampIndent(node), children }];
  }
  if (type === "image") {
    if (hoisted) hoisted.push(node);
    return [];
  }
  const parts = childrenOf(node).map((child) => inlineOf(child, insideLink, hoisted));
  // Separate the text of former blocks so words do not run together.
  return parts.flatMap((part, index) =>
    index > 0 && part.length > 0 ? [{ type: "linebreak", version: 1 }, ...part] : part,
  );
}

function inlineChildren(node: Json, hoisted?: Json[]): Json[] {
  return childrenOf(node).flatMap((child) => inlineOf(child, false, hoisted));
}

function normalizeList(list: Json): Json {
  const listType = list.listType === "number" || list.listType === "check" ? list.listType : "bullet";
  const children = childrenOf(list).map((child) =>
    child.type === "listitem"
      ? normalizeListItem(child)
      : { type: "listitem", version: 1, children: inlineOf(child) },
  );
  return { ...clampIndent(list), listType, tag: listType === "number" ? "ol" : "ul", children };
}

function normalizeListItem(item: Json): Json {
  const children = childrenOf(item).flatMap((child) =>
    child.type === "list" ? [normalizeList(child)] : inlineOf(child),
  );
  return { ...clampIndent(item), children };
}

function normalizeCell(cell: Json): Json {
  const children = childrenOf(cell).flatMap((child) => {
    if (child.type === "paragraph") return [{ ...clampIndent(child), children: inlineChildren(child) }];
    if (INLINE_TYPES.has(String(child.type))) return [paragraph(inlineOf(child))];
    if (child.type === "list") {
      // One paragraph per item keeps the items apart where the server allows only paragraphs.
      return childrenOf(child).map((item) => paragraph(inlineOf(item)));
    }
    const inline = inlineOf(child);
    return inline.length > 0 ? [paragraph(inline)] : [];
  });
  return {
    ...clampIndent(cell),
    headerState: typeof cell.headerState === "number" ? Math.min(Math.max(cell.headerState, 0), 3) : 0,
    children: children.length > 0 ? children : [paragraph([])],
  };
}

function normalizeTable(table: Json): Json {
  const rows = childrenOf(table)
    .filter((row) => row.type === "tablerow")
    .map((row) => ({
      ...clampIndent(row),
      children: childrenOf(row)
        .filter((cell) => cell.type === "tablecell")
        .map(normalizeCell),
    }));
  return { ...clampIndent(table), children: rows };
}

function normalizeBlock(block: Json): Json[] {
  const type = String(block.type);
  const hoisted: Json[] = [];
  let result: Json[];
  switch (type) {
    case "paragraph":
    case "quote":
      result = [{ ...clampIndent(block), children: inlineChildren(block, hoisted) }];
      break;
    case "heading": {
      // Lexical keeps pasted h1/h5/h6; the page title is the only h1, and h4 is the deepest level.
      const tag = block.tag === "h1" ? "h2" : block.tag === "h5" || block.tag === "h6" ? "h4" : block.tag;
      result = [{ ...clampIndent(block), tag, children: inlineChildren(block, hoisted) }];
      break;
    }
    case "list":
      result = [normalizeList(block)];
      break;
    case "table":
      result = [normalizeTable(block)];
      break;
    case "image":
      result = [block];
      break;
    default: {
      const inline = inlineOf(block, false, hoisted);
      result = inline.length > 0 ? [paragraph(inline)] : [];
    }
  }
  return [...result, ...hoisted];
}

/** Folds an editor state's JSON into the shapes the server whitelist accepts (it validates nothing). */
export function normalizeEditorJson(state: unknown): unknown {
  if (!isObject(state) || !isObject(state.root)) return state;
  const root = state.root;
  return {
    root: { ...clampIndent(root), type: "root", children: childrenOf(root).flatMap(normalizeBlock) },
  };
}

/** Normalises and validates an editor state exactly as the server will: what passes here is saved. */
export function toServerDocument(state: unknown): ParseLexicalResult {
  return parseLexicalDocument(normalizeEditorJson(state));
}

// ---------------------------------------------------------------------------------------------------
// Loading a stored document into the editor
// ---------------------------------------------------------------------------------------------------

const TEXT_DEFAULTS = { format: 0, detail: 0, mode: "normal", style: "", version: 1 };
const ELEMENT_DEFAULTS = { direction: null, format: "", indent: 0, version: 1 };

function withDefaults(node: Json): Json {
  const type = String(node.type);
  if (type === "text" || type === "tab" || type === "mention" || type === "hashtag") {
    return { ...TEXT_DEFAULTS, ...node };
  }
  if (type === "linebreak" || type === "image") return { version: 1, ...node };
  const extra: Json = {};
  if (type === "paragraph") Object.assign(extra, { textFormat: 0, textStyle: "" });
  if (type === "link" || type === "autolink") Object.assign(extra, { rel: null, target: null, title: null });
  if (type === "list") Object.assign(extra, { start: 1, tag: node.listType === "number" ? "ol" : "ul" });
  if (type === "listitem") Object.assign(extra, { value: 1 });
  if (type === "tablecell") Object.assign(extra, { headerState: 0, colSpan: 1, rowSpan: 1 });
  return { ...ELEMENT_DEFAULTS, ...extra, ...node, children: childrenOf(node).map(withDefaults) };
}

/**
 * A stored (validated) document as the JSON string Lexical's `parseEditorState` expects: the server
 * accepts documents without Lexical's cosmetic fields (imports write them lean), Lexical needs them.
 */
export function editorStateJson(document: LexicalDocument): string {
  const root = document.root as unknown as Json;
  return JSON.stringify({ root: { ...withDefaults({ ...root, type: "root" }) } });
}
