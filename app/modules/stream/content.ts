/**
 * Bodies of posts and comments: light formatting only (paragraphs, bold, italic, links, bullet and numbered
 * lists, mentions and hashtags), a text limit, and the parsing of #hashtags, @handles and bare URLs typed as
 * text (the no-JavaScript textarea, or an editor without the plugins) into hashtag, mention and autolink nodes,
 * so that what is stored, rendered and turned into Topic and PostMention rows is one and the same document.
 *
 * Pure functions, no database: safe to import in the browser (the editor's character counter) and on the
 * server, where posts.server.ts resolves handles and checks mentioned people.
 */
import {
  jsonPath,
  linkUrlProblem,
  parseLexicalDocument,
  type HashtagNode,
  type InlineNode,
  type LexicalDocument,
  type LinkChildNode,
  type ListItemNode,
  type ListNode,
  type MentionNode,
  type TextNode,
} from "~/editor/lexical-schema";
import { lexicalToPlainText, plainTextToLexical } from "~/editor/plain-text";
import { renderLexicalHtml } from "~/editor/render-html";

export type BodyLimits = {
  /** Characters of plain text. */
  maxTextLength: number;
  /** Bytes of Lexical JSON (formatting and ids included). */
  maxBytes: number;
  /** Distinct people mentioned. */
  maxMentions: number;
  /** Distinct hashtags. */
  maxTopics: number;
};

export const POST_LIMITS: BodyLimits = {
  maxTextLength: 5000,
  maxBytes: 200_000,
  maxMentions: 25,
  maxTopics: 20,
};

export const COMMENT_LIMITS: BodyLimits = {
  maxTextLength: 2000,
  maxBytes: 80_000,
  maxMentions: 10,
  maxTopics: 20,
};

/** A hashtag is at most this many characters (without "#"). */
export const MAX_TAG_LENGTH = 50;
/** An @handle (the part of a work e-mail address before "@") is at most this many characters. */
export const MAX_HANDLE_LENGTH = 64;

// ---------------------------------------------------------------------------------------------------
// Paths (shared with the pages; the routes follow next)
// ---------------------------------------------------------------------------------------------------

/** The page of one post. */
export function postPath(postId: string): string {
  return `/berichten/${postId}`;
}

/** A comment on its post's page. */
export function commentPath(postId: string, commentId: string): string {
  return `${postPath(postId)}#reactie-${commentId}`;
}

/** A person's profile. */
export function personPath(userId: string): string {
  return `/mensen/${userId}`;
}

/** The page of a group (/groepen/<slug>) or project (/projecten/<slug>); slugs are unique over both. */
export function placePath(place: { kind: "group" | "project"; slug: string }): string {
  return `/${place.kind === "project" ? "projecten" : "groepen"}/${place.slug}`;
}

/** A topic's page; the slug is the normalised hashtag. */
export function topicPath(slug: string): string {
  return `/onderwerpen/${encodeURIComponent(slug)}`;
}

// ---------------------------------------------------------------------------------------------------
// Scanning text for hashtags, @handles and URLs
// ---------------------------------------------------------------------------------------------------

/** The topic slug of a hashtag: NFC (so "é" typed two ways is one topic) and lower case, without "#". */
export function normaliseTopicSlug(tag: string): string {
  return tag.normalize("NFC").replace(/^#/, "").toLowerCase();
}

const TAG_BODY = /[\p{L}_][\p{L}\p{M}\p{N}_]*/uy;
const HANDLE_BODY = /[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}._-]*[\p{L}\p{M}\p{N}])?/uy;
// Tags and handles start a word: after whitespace, opening brackets or quotes, or sentence punctuation.
// Not after a letter or digit ("jonas@stad.gent", "pagina#deel") nor after "/", "&", "=" (URLs, entities).
const STARTS_WORD = /[\s([{"'«‹„“”‘’¡¿,;!?]/u;
const FOLLOWS_TOKEN = /[\p{L}\p{M}\p{N}_#@]/u;
// Bare URLs; their range never yields tags or handles ("https://gent.be/#nieuws").
const URL_PATTERN = /(?:https?:\/\/|www\.)[^\s<>"«»“”]+/giu;
const URL_TRAILING = /[.,;:!?'’”»]+$/u;

/** Whether a string (without "#") is a valid hashtag: a letter or "_" first, a letter somewhere, ≤ 50. */
export function isValidTag(tag: string): boolean {
  const nfc = tag.normalize("NFC");
  TAG_BODY.lastIndex = 0;
  const match = TAG_BODY.exec(nfc);
  return (
    match !== null &&
    match[0].length === nfc.length &&
    /\p{L}/u.test(nfc) &&
    [...nfc].length <= MAX_TAG_LENGTH
  );
}

export type TextToken =
  | { kind: "hashtag"; start: number; end: number; tag: string; slug: string }
  | { kind: "mention"; start: number; end: number; handle: string }
  | { kind: "url"; start: number; end: number; url: string };

function urlTokens(text: string): Extract<TextToken, { kind: "url" }>[] {
  const tokens: Extract<TextToken, { kind: "url" }>[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    // A URL glued to a word ("zie:https://…" is fine, "xhttps://…" is not a URL we recognise).
    if (start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1]!)) continue;
    let raw = match[0].replace(URL_TRAILING, "");
    // A closing parenthesis ends the URL unless the URL opened one itself: "(zie https://gent.be)".
    while (raw.endsWith(")") && raw.split("(").length < raw.split(")").length) {
      raw = raw.slice(0, -1).replace(URL_TRAILING, "");
    }
    const url = /^www\./i.test(raw) ? `https://${raw}` : raw;
    tokens.push({ kind: "url", start, end: start + raw.length, url });
  }
  return tokens;
}

/**
 * Finds hashtags, @handles and bare URLs in a piece of text (NFC-normalise it first), in order.
 * A tag or handle must start a word and must not run into another "#" or "@"; a tag longer than 50
 * characters is no tag at all (it is not cut). URLs that fail the link whitelist are still masked.
 */
export function scanText(text: string): TextToken[] {
  const urls = urlTokens(text);
  const tokens: TextToken[] = urls.filter((token) => !linkUrlProblem(token.url));
  const inUrl = (index: number) => urls.some((url) => index >= url.start && index < url.end);
  for (let index = 0; index < text.length; index += 1) {
    const sigil = text[index];
    if (sigil !== "#" && sigil !== "@") continue;
    if (inUrl(index)) continue;
    if (index > 0 && !STARTS_WORD.test(text[index - 1]!)) continue;
    const body = sigil === "#" ? TAG_BODY : HANDLE_BODY;
    body.lastIndex = index + 1;
    const match = body.exec(text);
    if (!match) continue;
    const end = index + 1 + match[0].length;
    if (end < text.length && FOLLOWS_TOKEN.test(text[end]!)) continue;
    const value = match[0];
    if (sigil === "#") {
      if (!/\p{L}/u.test(value) || [...value].length > MAX_TAG_LENGTH) continue;
      tokens.push({ kind: "hashtag", start: index, end, tag: value, slug: normaliseTopicSlug(value) });
    } else {
      if (value.length > MAX_HANDLE_LENGTH) continue;
      tokens.push({ kind: "mention", start: index, end, handle: value.toLowerCase() });
    }
    index = end - 1;
  }
  return tokens.sort((a, b) => a.start - b.start);
}

/** The distinct hashtags of a text as topics: slug and the tag as first written. */
export function extractHashtags(text: string): { slug: string; name: string }[] {
  const topics = new Map<string, string>();
  for (const token of scanText(text.normalize("NFC"))) {
    if (token.kind === "hashtag" && !topics.has(token.slug)) topics.set(token.slug, token.tag);
  }
  return [...topics].map(([slug, name]) => ({ slug, name }));
}

/** The distinct @handles of a text, lower case (never the part after "@" in an e-mail address). */
export function extractMentionHandles(text: string): string[] {
  const handles = scanText(text.normalize("NFC")).flatMap((token) =>
    token.kind === "mention" ? [token.handle] : [],
  );
  return [...new Set(handles)];
}

// ---------------------------------------------------------------------------------------------------
// Validation: the light whitelist on top of the general Lexical schema
// ---------------------------------------------------------------------------------------------------

/** What a form or API sends: Lexical JSON from the editor, or the no-JavaScript textarea's text. */
export type BodyInput = { body?: unknown; plainText?: unknown };

const BOLD = 1;
const ITALIC = 2;

type Path = (string | number)[];

function formatProblem(format: number | undefined, path: Path): string | null {
  if (!format || (format & ~(BOLD | ITALIC)) === 0) return null;
  return `${jsonPath(path)}: only bold and italic text formatting is allowed`;
}

function checkInlines(nodes: readonly (InlineNode | ListNode)[], path: Path, issues: string[]): void {
  nodes.forEach((node, index) => {
    const at = [...path, index];
    switch (node.type) {
      case "text":
      case "mention":
      case "hashtag": {
        const problem = formatProblem(node.format, at);
        if (problem) issues.push(problem);
        break;
      }
      case "link":
      case "autolink":
        checkInlines(node.children, [...at, "children"], issues);
        break;
      case "list":
        checkList(node, at, issues);
        break;
      default:
        break;
    }
  });
}

function checkList(list: ListNode, path: Path, issues: string[]): void {
  if (list.listType === "check") issues.push(`${jsonPath(path)}: check lists are not allowed here`);
  list.children.forEach((item: ListItemNode, index) =>
    checkInlines(item.children, [...path, "children", index, "children"], issues),
  );
}

/** Problems with the light formatting whitelist (block types, list types, text formats), as JSON paths. */
export function lightFormattingProblems(document: LexicalDocument): string[] {
  const issues: string[] = [];
  document.root.children.forEach((block, index) => {
    const path: Path = ["root", "children", index];
    if (block.type === "paragraph") checkInlines(block.children, [...path, "children"], issues);
    else if (block.type === "list") checkList(block, path, issues);
    else
      issues.push(
        `${jsonPath(path)}: "${block.type}" is not allowed here (allowed: paragraphs and bullet or numbered lists)`,
      );
  });
  return issues;
}

export type ParsedBody = { ok: true; document: LexicalDocument } | { ok: false; issues: string[] };

/**
 * Validates a body's shape: exactly one of `body` (Lexical JSON, string or object) or `plainText`, the
 * general schema, the light whitelist and the byte size. Texts and mentions are checked by `analyseBody`.
 */
export function parseBody(input: BodyInput, limits: BodyLimits = POST_LIMITS): ParsedBody {
  const hasBody = input.body !== undefined && input.body !== null && input.body !== "";
  const hasText = input.plainText !== undefined && input.plainText !== null;
  if (hasBody === hasText) {
    return { ok: false, issues: ["send either a Lexical body or plain text, not both or neither"] };
  }
  if (hasText) {
    if (typeof input.plainText !== "string") return { ok: false, issues: ["plain text must be a string"] };
    // Generous: the text limit proper is checked on the document's text, which counts the same characters.
    if (input.plainText.length > limits.maxTextLength * 2) {
      return { ok: false, issues: [`the text is longer than ${limits.maxTextLength} characters`] };
    }
    return { ok: true, document: plainTextToLexical(input.plainText) };
  }
  const parsed = parseLexicalDocument(input.body, { maxBytes: limits.maxBytes });
  if (!parsed.ok) return parsed;
  const issues = lightFormattingProblems(parsed.document);
  return issues.length > 0 ? { ok: false, issues } : parsed;
}

// ---------------------------------------------------------------------------------------------------
// Annotation: typed tags, handles and URLs become nodes
// ---------------------------------------------------------------------------------------------------

/** Lower-case handle → user id, for the handles that name exactly one active colleague. */
export type ResolvedHandles = ReadonlyMap<string, string>;

function textLike(source: TextNode, text: string): TextNode {
  return { ...source, type: "text", text };
}

function splitText(node: TextNode, handles: ResolvedHandles): InlineNode[] {
  const text = node.text.normalize("NFC");
  const out: InlineNode[] = [];
  let position = 0;
  const flush = (until: number) => {
    if (until > position) out.push(textLike(node, text.slice(position, until)));
  };
  const cosmetics = { format: node.format ?? 0, mode: "normal" as const, style: "", detail: 0, version: 1 };
  for (const token of scanText(text)) {
    const written = text.slice(token.start, token.end);
    let replacement: InlineNode | null = null;
    if (token.kind === "hashtag") {
      replacement = { type: "hashtag", text: written, ...cosmetics } satisfies HashtagNode;
    } else if (token.kind === "mention") {
      const userId = handles.get(token.handle);
      if (userId)
        replacement = { type: "mention", userId, text: written, ...cosmetics } satisfies MentionNode;
    } else {
      replacement = {
        type: "autolink",
        url: token.url,
        rel: null,
        target: null,
        title: null,
        isUnlinked: false,
        direction: null,
        format: "",
        indent: 0,
        version: 1,
        children: [textLike(node, written)],
      };
    }
    if (!replacement) continue;
    flush(token.start);
    out.push(replacement);
    position = token.end;
  }
  flush(text.length);
  return out;
}

function annotateInlines(
  nodes: readonly (InlineNode | ListNode)[],
  handles: ResolvedHandles,
): (InlineNode | ListNode)[] {
  return nodes.flatMap((node): (InlineNode | ListNode)[] => {
    switch (node.type) {
      case "text":
        return splitText(node, handles);
      case "hashtag":
        // An editor's tag that is not one by our rules (too long, a digit first) stays as text.
        return isValidTag(node.text.replace(/^#/, ""))
          ? [{ ...node, text: node.text.normalize("NFC") }]
          : [{ type: "text", text: node.text, format: node.format }];
      case "list":
        return [annotateList(node, handles)];
      default:
        // Links keep their text as written (a link labelled "#tag" is a link), mentions are checked later.
        return [node];
    }
  });
}

function annotateList(list: ListNode, handles: ResolvedHandles): ListNode {
  return {
    ...list,
    children: list.children.map((item) => ({
      ...item,
      children: annotateInlines(item.children, handles) as ListItemNode["children"],
    })),
  };
}

/** Turns typed hashtags, resolved @handles and bare URLs into nodes; the rest of the document is kept. */
export function annotateDocument(document: LexicalDocument, handles: ResolvedHandles): LexicalDocument {
  return {
    root: {
      ...document.root,
      children: document.root.children.map((block) => {
        if (block.type === "paragraph")
          return { ...block, children: annotateInlines(block.children, handles) as InlineNode[] };
        if (block.type === "list") return annotateList(block, handles);
        return block;
      }),
    },
  };
}

type Walkable = InlineNode | ListNode | ListItemNode | LinkChildNode;

function walkInlines(document: LexicalDocument, visit: (node: Walkable) => void): void {
  const walk = (nodes: readonly Walkable[]) => {
    for (const node of nodes) {
      visit(node);
      if ("children" in node && Array.isArray(node.children)) walk(node.children as Walkable[]);
    }
  };
  for (const block of document.root.children) {
    if (block.type === "paragraph" || block.type === "list") walk(block.children);
  }
}

/** Handles typed as text outside links (a link's label stays as written), for the server to resolve. */
export function handlesInDocument(document: LexicalDocument): string[] {
  const handles = new Set<string>();
  const walk = (nodes: readonly Walkable[]) => {
    for (const node of nodes) {
      if (node.type === "link" || node.type === "autolink") continue;
      if (node.type === "text") for (const handle of extractMentionHandles(node.text)) handles.add(handle);
      if ("children" in node && Array.isArray(node.children)) walk(node.children as Walkable[]);
    }
  };
  for (const block of document.root.children) {
    if (block.type === "paragraph" || block.type === "list") walk(block.children);
  }
  return [...handles];
}

/** The analysed body: the document to store, its plain text, the people mentioned and the topics. */
export type AnalysedBody = {
  document: LexicalDocument;
  text: string;
  /** Distinct user ids of mention nodes, in order of appearance (not yet checked against the database). */
  mentionUserIds: string[];
  /** Distinct topics by slug, with the tag as first written. */
  topics: { slug: string; name: string }[];
};

export type AnalyseResult = { ok: true; body: AnalysedBody } | { ok: false; issues: string[] };

/**
 * Annotates a parsed document and checks what only the annotated document tells: the text length, that
 * it is not empty (unless `allowEmpty`, for shares), and the number of mentions and topics.
 */
export function analyseBody(
  document: LexicalDocument,
  handles: ResolvedHandles,
  { limits = POST_LIMITS, allowEmpty = false }: { limits?: BodyLimits; allowEmpty?: boolean } = {},
): AnalyseResult {
  const annotated = annotateDocument(document, handles);
  const text = lexicalToPlainText(annotated);
  const issues: string[] = [];
  if (!allowEmpty && text.trim().length === 0) issues.push("the text is empty");
  if (text.length > limits.maxTextLength)
    issues.push(`the text is longer than ${limits.maxTextLength} characters (${text.length})`);
  const mentionUserIds = new Set<string>();
  const topics = new Map<string, string>();
  walkInlines(annotated, (node) => {
    if (node.type === "mention") mentionUserIds.add(node.userId);
    if (node.type === "hashtag") {
      const tag = node.text.replace(/^#/, "");
      const slug = normaliseTopicSlug(tag);
      if (!topics.has(slug)) topics.set(slug, tag);
    }
  });
  if (mentionUserIds.size > limits.maxMentions)
    issues.push(`at most ${limits.maxMentions} people can be mentioned (${mentionUserIds.size})`);
  if (topics.size > limits.maxTopics)
    issues.push(`at most ${limits.maxTopics} hashtags are allowed (${topics.size})`);
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    body: {
      document: annotated,
      text,
      mentionUserIds: [...mentionUserIds],
      topics: [...topics].map(([slug, name]) => ({ slug, name })),
    },
  };
}

/** The empty document a deleted post or comment keeps. */
export const EMPTY_DOCUMENT: LexicalDocument = { root: { type: "root", children: [] } };

/**
 * Safe HTML of a post or comment: mentions link to profiles and, in posts, hashtags to their topic pages
 * (comments create no topics, so their tags stay text).
 */
export function renderBodyHtml(
  document: LexicalDocument,
  { linkHashtags = true }: { linkHashtags?: boolean } = {},
): string {
  return renderLexicalHtml(document, {
    mentionHref: personPath,
    hashtagHref: (tag) => (linkHashtags && isValidTag(tag) ? topicPath(normaliseTopicSlug(tag)) : null),
  });
}

/** The distinct people a (stored) document mentions. */
export function mentionedUserIds(document: LexicalDocument): string[] {
  const ids = new Set<string>();
  walkInlines(document, (node) => {
    if (node.type === "mention") ids.add(node.userId);
  });
  return [...ids];
}

/** Re-validates a stored body before rendering (a row written by hand must not break the page). */
export function storedDocument(body: unknown): LexicalDocument {
  const parsed = parseLexicalDocument(body);
  return parsed.ok ? parsed.document : EMPTY_DOCUMENT;
}

// ---------------------------------------------------------------------------------------------------
// Internal links: previews of this app's own pages (never fetching anything external)
// ---------------------------------------------------------------------------------------------------

export type InternalLinkTarget =
  { kind: "circular"; number: string } | { kind: "place"; slug: string } | { kind: "person"; userId: string };

export const MAX_LINK_PREVIEWS = 5;

const INTERNAL_PATHS: [RegExp, (match: RegExpExecArray) => InternalLinkTarget][] = [
  [/^\/circulaires\/(\d{4})\/(\d{3,4})\/?$/, (m) => ({ kind: "circular", number: `${m[1]}/${m[2]}` })],
  [
    /^\/(?:groepen|projecten)\/([a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?)\/?$/,
    (m) => ({ kind: "place", slug: m[1]! }),
  ],
  [/^\/mensen\/([a-z0-9]{6,40})\/?$/, (m) => ({ kind: "person", userId: m[1]! })],
];

/** The page a URL names, when it is one of this app's circular, place or person pages. */
export function internalLinkTarget(url: string, appOrigin: string): InternalLinkTarget | null {
  if (linkUrlProblem(url)) return null;
  let path: string;
  try {
    const parsed = new URL(url, appOrigin);
    if (parsed.origin !== new URL(appOrigin).origin) return null;
    path = parsed.pathname;
  } catch {
    return null;
  }
  for (const [pattern, target] of INTERNAL_PATHS) {
    const match = pattern.exec(path);
    if (match) return target(match);
  }
  return null;
}

/** The distinct internal pages a document links to, in order, at most MAX_LINK_PREVIEWS. */
export function internalLinkTargets(document: LexicalDocument, appOrigin: string): InternalLinkTarget[] {
  const seen = new Set<string>();
  const targets: InternalLinkTarget[] = [];
  walkInlines(document, (node) => {
    if (node.type !== "link" && node.type !== "autolink") return;
    const target = internalLinkTarget(node.url, appOrigin);
    if (!target) return;
    const key = JSON.stringify(target);
    if (seen.has(key) || targets.length >= MAX_LINK_PREVIEWS) return;
    seen.add(key);
    targets.push(target);
  });
  return targets;
}
