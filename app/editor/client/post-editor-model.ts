/**
 * The post editor's contract with the server, as pure functions (tested without a browser):
 * - the node classes the editor registers, no more than a post may contain;
 * - `toPostBody`: folds an editor state into the light whitelist of app/modules/stream/content.ts
 *   (paragraphs, bullet and numbered lists, bold and italic, links, mentions) and validates it with the
 *   server's own `parseBody`, so what the hidden `body` field carries is what the server accepts;
 * - `postEditorStateJson`: a stored post as the state the editor loads for editing;
 * - `matchTypeahead`: the @mention or #hashtag being typed before the caret, for the suggestion menu.
 *
 * Deliberately independent of ./editor-config.ts (the circular editor's): that module pulls in table,
 * heading and image nodes, which a post never has and which would only weigh on every phone that opens
 * the home stream.
 */
import { AutoLinkNode, LinkNode } from "@lexical/link";
import { ListItemNode, ListNode } from "@lexical/list";
import { type Klass, type LexicalNode } from "lexical";
import { linkUrlProblem, type LexicalDocument } from "~/editor/lexical-schema";
import { lexicalToPlainText } from "~/editor/plain-text";
import {
  annotateDocument,
  MAX_TAG_LENGTH,
  parseBody,
  POST_LIMITS,
  type BodyLimits,
  type ParsedBody,
} from "~/modules/stream/content";
import { MentionNode } from "./mention-node";

/** Node classes of the post editor (paragraph, text, line break and tab are Lexical's own). */
export const POST_EDITOR_NODES: readonly Klass<LexicalNode>[] = [
  ListNode,
  ListItemNode,
  LinkNode,
  AutoLinkNode,
  MentionNode,
];

/** CSS classes Lexical puts on the editable's elements (the circular editor's, in app.css). */
export const POST_EDITOR_THEME = {
  paragraph: "editor-paragraph",
  list: {
    ul: "editor-ul",
    ol: "editor-ol",
    listitem: "editor-li",
    nested: { listitem: "editor-li--nested" },
  },
  link: "editor-link",
  text: { bold: "editor-bold", italic: "editor-italic" },
};

/** Longest suggestion query the APIs accept. */
export const SUGGESTION_QUERY_MAX = 50;

/** Links the toolbar's prompt accepts: web addresses and e-mail only (the server also takes tel: and paths). */
export function isComposerLinkUrl(url: string): boolean {
  const lower = url.trim().toLowerCase();
  const allowedScheme =
    lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("mailto:");
  return allowedScheme && linkUrlProblem(url.trim()) === null;
}

/** What someone typing an address usually means: "gent.be/x" is a web address, "a@b.be" an e-mail. */
export function completeLinkUrl(input: string): string {
  const value = input.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(value)) return `mailto:${value}`;
  return value ? `https://${value}` : value;
}

// ---------------------------------------------------------------------------------------------------
// Editor state → the server's light whitelist
// ---------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const BOLD_AND_ITALIC = 1 | 2;
const TEXT_LIKE = new Set(["text", "mention", "hashtag", "tab"]);
const INLINE_TYPES = new Set([...TEXT_LIKE, "linebreak", "link", "autolink"]);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function childrenOf(node: Json): Json[] {
  return Array.isArray(node.children) ? node.children.filter(isObject) : [];
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

/** Text formats other than bold and italic (Ctrl+U, pasted code or strikethrough) are dropped, not refused. */
function cleanText(node: Json): Json {
  const format = typeof node.format === "number" ? node.format & BOLD_AND_ITALIC : 0;
  return { ...node, format, style: "" };
}

/** The inline content of any node; links keep only safe URLs and never nest. */
function inlineOf(node: Json, insideLink: boolean): Json[] {
  const type = String(node.type);
  if (TEXT_LIKE.has(type)) return [cleanText(node)];
  if (type === "linebreak") return [{ type: "linebreak", version: 1 }];
  if (type === "link" || type === "autolink") {
    const children = childrenOf(node).flatMap((child) => inlineOf(child, true));
    const url = typeof node.url === "string" ? node.url : "";
    // A pasted link to a refused address ("javascript:", Lexical's "about:blank") keeps its words only.
    if (insideLink || linkUrlProblem(url)) return children;
    return [{ ...node, type, url, indent: 0, children }];
  }
  const out: Json[] = [];
  for (const child of childrenOf(node)) {
    const part = inlineOf(child, insideLink);
    // The words of nested blocks (pasted paragraphs in a quote, table cells) stay apart.
    if (!INLINE_TYPES.has(String(child.type)) && out.length > 0 && part.length > 0) {
      out.push({ type: "linebreak", version: 1 });
    }
    out.push(...part);
  }
  return out;
}

function normalizeList(list: Json): Json {
  const listType = list.listType === "number" ? "number" : "bullet";
  const items = childrenOf(list).map((child) => {
    const content =
      child.type === "listitem"
        ? childrenOf(child).flatMap((grandchild) =>
            grandchild.type === "list" ? [normalizeList(grandchild)] : inlineOf(grandchild, false),
          )
        : inlineOf(child, false);
    return {
      type: "listitem",
      direction: null,
      format: "",
      indent: 0,
      version: 1,
      value: typeof child.value === "number" ? child.value : 1,
      children: content,
    };
  });
  return {
    type: "list",
    direction: null,
    format: "",
    indent: 0,
    version: 1,
    listType,
    start: typeof list.start === "number" ? list.start : 1,
    tag: listType === "number" ? "ol" : "ul",
    children: items,
  };
}

function normalizeBlock(block: Json): Json[] {
  const type = String(block.type);
  if (type === "list") return [normalizeList(block)];
  if (type === "paragraph")
    return [{ ...paragraph([]), ...block, indent: 0, children: inlineOf(block, false) }];
  if (type === "table") {
    // One paragraph per cell's content: a pasted table keeps its words, not its grid.
    return childrenOf(block).flatMap((row) =>
      childrenOf(row).flatMap((cell) => {
        const inline = inlineOf(cell, false);
        return inline.length > 0 ? [paragraph(inline)] : [];
      }),
    );
  }
  const inline = inlineOf(block, false);
  return inline.length > 0 ? [paragraph(inline)] : [];
}

/** Folds an editor state's JSON into the shapes a post may have (it validates nothing). */
export function normalizePostJson(state: unknown): unknown {
  if (!isObject(state) || !isObject(state.root)) return state;
  return {
    root: {
      type: "root",
      direction: null,
      format: "",
      indent: 0,
      version: 1,
      children: childrenOf(state.root).flatMap(normalizeBlock),
    },
  };
}

export type PostBody = {
  /** The JSON the form posts as `body`. */
  json: string;
  /** The server's verdict on the shape (the text itself is checked by `postTextLength` and the server). */
  parsed: ParsedBody;
};

/** Normalises an editor state and validates it exactly as the server's parseBody will. */
export function toPostBody(state: unknown, limits: BodyLimits = POST_LIMITS): PostBody {
  const normalized = normalizePostJson(state);
  const json = JSON.stringify(normalized);
  return { json, parsed: parseBody({ body: json }, limits) };
}

/**
 * The length the server's text limit counts: the plain text of the document after typed URLs became
 * links ("text (url)" for labelled links), so the counter and the server agree.
 */
export function postTextLength(document: LexicalDocument): number {
  return lexicalToPlainText(annotateDocument(document, new Map())).length;
}

// ---------------------------------------------------------------------------------------------------
// A stored post → the editor's starting state
// ---------------------------------------------------------------------------------------------------

const TEXT_DEFAULTS = { format: 0, detail: 0, mode: "normal", style: "", version: 1 };
const ELEMENT_DEFAULTS = { direction: null, format: "", indent: 0, version: 1 };

/**
 * Hashtags and automatic links are the server's annotations of typed text ("#fietsen", "https://…"):
 * in the editor they become text again, and the server annotates them anew when the post is saved.
 * Lexical also needs the cosmetic fields the server lets documents omit.
 */
function toEditorNode(node: Json): Json[] {
  const type = String(node.type);
  if (type === "hashtag") return [{ ...TEXT_DEFAULTS, ...node, type: "text", mode: "normal" }];
  if (type === "autolink") return childrenOf(node).flatMap(toEditorNode);
  if (type === "mention") return [{ ...TEXT_DEFAULTS, ...node, mode: "token" }];
  if (type === "text" || type === "tab") return [{ ...TEXT_DEFAULTS, ...node }];
  if (type === "linebreak") return [{ version: 1, ...node }];
  const extra: Json = {};
  if (type === "paragraph") Object.assign(extra, { textFormat: 0, textStyle: "" });
  if (type === "link") Object.assign(extra, { rel: null, target: null, title: null });
  if (type === "list") Object.assign(extra, { start: 1, tag: node.listType === "number" ? "ol" : "ul" });
  if (type === "listitem") Object.assign(extra, { value: 1 });
  return [{ ...ELEMENT_DEFAULTS, ...extra, ...node, children: childrenOf(node).flatMap(toEditorNode) }];
}

/** A stored (validated) post body as the JSON string Lexical's `parseEditorState` expects. */
export function postEditorStateJson(document: LexicalDocument): string {
  const root = document.root as unknown as Json;
  const children = childrenOf(root).flatMap(toEditorNode);
  return JSON.stringify({
    root: { ...ELEMENT_DEFAULTS, type: "root", children: children.length ? children : [paragraph([])] },
  });
}

// ---------------------------------------------------------------------------------------------------
// Typeahead: the @mention or #hashtag before the caret
// ---------------------------------------------------------------------------------------------------

export type TypeaheadKind = "person" | "topic";

export type TypeaheadMatch = {
  kind: TypeaheadKind;
  /** Where the "@" or "#" is in the text. */
  leadOffset: number;
  /** The query without its sign. */
  matchingString: string;
  /** The sign and the query: what a chosen suggestion replaces. */
  replaceableString: string;
};

// A sign starts a word: at the start, after whitespace or an opening bracket or quote (as content.ts).
const BEFORE_SIGN = String.raw`(?:^|[\s(\[{"'«‹„“‘])`;
// "@" and at least two letters, then up to three more words: "@jan", "@Jan Van den Br".
const PERSON_QUERY = new RegExp(
  `${BEFORE_SIGN}(@([\\p{L}\\p{M}][\\p{L}\\p{M}\\p{N}'’.-]+(?: [\\p{L}\\p{M}\\p{N}'’.-]+){0,3} ?))$`,
  "u",
);
const TOPIC_QUERY = new RegExp(`${BEFORE_SIGN}(#([\\p{L}_][\\p{L}\\p{M}\\p{N}_]*))$`, "u");

/**
 * The suggestion query that ends at the caret, given the text before it: "@" plus at least two
 * characters (a person), or "#" plus at least one (a topic). Null when nothing is being typed after a
 * sign, when the sign is inside a word ("jan@stad.gent", "pagina#3") or the query is too long.
 */
export function matchTypeahead(textBeforeCaret: string): TypeaheadMatch | null {
  const person = PERSON_QUERY.exec(textBeforeCaret);
  if (person) {
    const [, replaceable, query] = person as unknown as [string, string, string];
    const letters = query.trim();
    if ([...letters].length >= 2 && letters.length <= SUGGESTION_QUERY_MAX && !query.includes("  ")) {
      return {
        kind: "person",
        leadOffset: textBeforeCaret.length - replaceable.length,
        matchingString: query,
        replaceableString: replaceable,
      };
    }
  }
  const topic = TOPIC_QUERY.exec(textBeforeCaret);
  if (topic) {
    const [, replaceable, query] = topic as unknown as [string, string, string];
    if ([...query].length <= MAX_TAG_LENGTH) {
      return {
        kind: "topic",
        leadOffset: textBeforeCaret.length - replaceable.length,
        matchingString: query,
        replaceableString: replaceable,
      };
    }
  }
  return null;
}

/** Where the suggestions for a query come from. */
export function suggestionUrl(kind: TypeaheadKind, query: string): string {
  const path = kind === "person" ? "/api/mensen/suggesties" : "/api/onderwerpen/suggesties";
  return `${path}?${new URLSearchParams({ q: query.trim() })}`;
}

/** A colleague as the suggestion API returns them. */
export type PersonSuggestion = {
  id: string;
  displayName: string;
  jobTitle: string | null;
  department: string | null;
  handle?: string;
};

/** A topic as the suggestion API returns it. */
export type TopicSuggestion = { slug: string; name: string; postCount: number };

/** The text a mention shows: the name as the directory spells it, after "@". */
export function mentionText(person: Pick<PersonSuggestion, "displayName">): string {
  return `@${person.displayName}`;
}
