/**
 * Server-side validation of Lexical's serialised editor state. Only the node types listed here are
 * accepted, each only where Lexical itself would put it (blocks under the root, inline nodes inside
 * blocks); unknown keys are stripped, URLs are checked against a scheme whitelist and the size of a
 * document is bounded. Rendering (render-html.ts) and plain text (plain-text.ts) rely on this shape.
 */
import { z } from "zod";

export const LEXICAL_LIMITS = {
  maxDepth: 12,
  maxNodes: 20_000,
  maxTextLength: 20_000,
  maxBytes: 1_000_000,
  maxUrlLength: 2048,
} as const;

// ---------------------------------------------------------------------------------------------------
// Node types (explicit, so the recursive schemas have a declared shape)
// ---------------------------------------------------------------------------------------------------

type ElementCosmetics = {
  direction?: "ltr" | "rtl" | null;
  format?: string | number;
  indent?: number;
  version?: number;
};

type TextCosmetics = {
  format?: number;
  mode?: "normal" | "token" | "segmented";
  style?: string;
  detail?: number;
  version?: number;
};

export type TextNode = TextCosmetics & { type: "text"; text: string };
export type LineBreakNode = { type: "linebreak"; version?: number };
export type TabNode = TextCosmetics & { type: "tab"; text?: string };
export type MentionNode = TextCosmetics & { type: "mention"; userId: string; text: string };
export type HashtagNode = TextCosmetics & { type: "hashtag"; text: string };
/** Inline nodes allowed inside a link (links do not nest). */
export type LinkChildNode = TextNode | LineBreakNode | TabNode | MentionNode | HashtagNode;
export type LinkNode = ElementCosmetics & {
  type: "link" | "autolink";
  url: string;
  rel?: string | null;
  target?: string | null;
  title?: string | null;
  isUnlinked?: boolean;
  children: LinkChildNode[];
};
export type InlineNode = LinkChildNode | LinkNode;

type TextBlockCosmetics = ElementCosmetics & { textFormat?: number; textStyle?: string };
export type ParagraphNode = TextBlockCosmetics & { type: "paragraph"; children: InlineNode[] };
export type HeadingNode = TextBlockCosmetics & {
  type: "heading";
  tag: "h2" | "h3" | "h4";
  children: InlineNode[];
};
export type QuoteNode = TextBlockCosmetics & { type: "quote"; children: InlineNode[] };
export type ListNode = ElementCosmetics & {
  type: "list";
  listType: "bullet" | "number" | "check";
  start?: number;
  tag?: "ul" | "ol";
  children: ListItemNode[];
};
export type ListItemNode = ElementCosmetics & {
  type: "listitem";
  value?: number;
  checked?: boolean;
  children: (InlineNode | ListNode)[];
};
export type TableCellNode = ElementCosmetics & {
  type: "tablecell";
  headerState?: number;
  colSpan?: number;
  rowSpan?: number;
  width?: number;
  children: ParagraphNode[];
};
export type TableRowNode = ElementCosmetics & {
  type: "tablerow";
  height?: number;
  children: TableCellNode[];
};
export type TableNode = ElementCosmetics & { type: "table"; children: TableRowNode[] };
export type ImageNode = {
  type: "image";
  src: string;
  altText: string;
  decorative?: boolean;
  width?: number;
  height?: number;
  version?: number;
};
export type BlockNode = ParagraphNode | HeadingNode | QuoteNode | ListNode | TableNode | ImageNode;
export type RootNode = ElementCosmetics & { type: "root"; children: BlockNode[] };
/** Every node type a valid document can contain. */
export type LexicalNode = RootNode | BlockNode | ListItemNode | TableRowNode | TableCellNode | InlineNode;
export type LexicalDocument = { root: RootNode };

// ---------------------------------------------------------------------------------------------------
// URL checks (shared with the renderer, which re-validates before emitting an attribute)
// ---------------------------------------------------------------------------------------------------

// Control characters, any whitespace and invisible formatting characters: "java\tscript:" and friends.
const SUSPICIOUS_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\\]/;

/** Why a link URL is refused, or null when it is acceptable (http(s), mailto, tel or a same-site path). */
export function linkUrlProblem(url: string): string | null {
  if (url.length === 0) return "URL is empty";
  if (url.length > LEXICAL_LIMITS.maxUrlLength) return "URL is too long";
  if (SUSPICIOUS_CHARACTERS.test(url)) return "URL contains whitespace, control characters or backslashes";
  const lower = url.toLowerCase();
  if (lower.startsWith("/")) return lower.startsWith("//") ? "protocol-relative URLs are not allowed" : null;
  if (lower.startsWith("http://") || lower.startsWith("https://")) {
    try {
      const parsed = new URL(url);
      return parsed.hostname ? null : "URL has no host";
    } catch {
      return "URL is malformed";
    }
  }
  if (lower.startsWith("mailto:") || lower.startsWith("tel:")) {
    return url.length > lower.indexOf(":") + 1 ? null : "URL has no address";
  }
  return "only http:, https:, mailto:, tel: and same-site paths starting with / are allowed";
}

/**
 * Same-site paths images may come from: the file download route of app/modules/files (`/bestanden/<id>`,
 * see fileUrl) and the generic upload folders.
 */
export const IMAGE_SRC_PREFIXES = ["/bestanden/", "/uploads/", "/files/"] as const;

/** Why an image src is refused, or null when it is a same-site upload path. */
export function imageSrcProblem(src: string): string | null {
  if (src.length > LEXICAL_LIMITS.maxUrlLength) return "image src is too long";
  if (SUSPICIOUS_CHARACTERS.test(src))
    return "image src contains whitespace, control characters or backslashes";
  if (!IMAGE_SRC_PREFIXES.some((prefix) => src.startsWith(prefix))) {
    return "image src must be a same-site path under /bestanden/, /uploads/ or /files/";
  }
  if (src.split(/[/?#]/).some((segment) => segment === ".." || segment === ".")) {
    return "image src must not contain dot segments";
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------------

const version = z.number().optional();
const elementCosmetics = {
  direction: z.enum(["ltr", "rtl"]).nullable().optional(),
  format: z.union([z.string().max(20), z.number().int().min(0)]).optional(),
  indent: z.number().int().min(0).max(20).optional(),
  version,
};
const textBlockCosmetics = {
  ...elementCosmetics,
  textFormat: z.number().int().min(0).max(2047).optional(),
  textStyle: z.string().max(1000).optional(),
};
const text = z.string().max(LEXICAL_LIMITS.maxTextLength, "text is longer than 20000 characters");
const textCosmetics = {
  format: z.number().int().min(0).max(2047).optional(),
  mode: z.enum(["normal", "token", "segmented"]).optional(),
  style: z.string().max(1000).optional(),
  detail: z.number().int().min(0).optional(),
  version,
};

/** A discriminated union on `type` whose failure message names the refused type and the allowed ones. */
function nodeUnion<
  const Options extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]],
>(context: string, allowed: readonly string[], options: Options) {
  return z.discriminatedUnion("type", options, {
    error: (issue) => {
      if (issue.code !== "invalid_union") return undefined;
      const input = issue.input as { type?: unknown } | null;
      const type = input && typeof input === "object" ? input.type : undefined;
      return `node type ${JSON.stringify(type ?? null)} is not allowed ${context} (allowed: ${allowed.join(", ")})`;
    },
  });
}

const TextNodeSchema = z.object({ type: z.literal("text"), text, ...textCosmetics });
const LineBreakNodeSchema = z.object({ type: z.literal("linebreak"), version });
const TabNodeSchema = z.object({ type: z.literal("tab"), text: text.optional(), ...textCosmetics });
const MentionNodeSchema = z.object({
  type: z.literal("mention"),
  userId: z.string().min(1).max(200),
  text: text.min(1),
  ...textCosmetics,
});
const HashtagNodeSchema = z.object({ type: z.literal("hashtag"), text: text.min(1), ...textCosmetics });

const linkUrl = z.string().superRefine((url, ctx) => {
  const problem = linkUrlProblem(url);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const LINK_CHILD_TYPES = ["text", "linebreak", "tab", "mention", "hashtag"] as const;
const LinkChildSchema = nodeUnion("inside a link", LINK_CHILD_TYPES, [
  TextNodeSchema,
  LineBreakNodeSchema,
  TabNodeSchema,
  MentionNodeSchema,
  HashtagNodeSchema,
]);
const linkFields = {
  url: linkUrl,
  rel: z.string().max(200).nullable().optional(),
  target: z.string().max(50).nullable().optional(),
  title: z.string().max(1000).nullable().optional(),
  children: z.array(LinkChildSchema),
  ...elementCosmetics,
};
const LinkNodeSchema = z.object({ type: z.literal("link"), ...linkFields });
const AutoLinkNodeSchema = z.object({
  type: z.literal("autolink"),
  isUnlinked: z.boolean().optional(),
  ...linkFields,
});

const INLINE_TYPES = [...LINK_CHILD_TYPES, "link", "autolink"] as const;
const inlineOptions = [
  TextNodeSchema,
  LineBreakNodeSchema,
  TabNodeSchema,
  MentionNodeSchema,
  HashtagNodeSchema,
  LinkNodeSchema,
  AutoLinkNodeSchema,
] as const;
const inlineChildren = (context: string) => z.array(nodeUnion(context, INLINE_TYPES, inlineOptions));

const ParagraphNodeSchema = z.object({
  type: z.literal("paragraph"),
  children: inlineChildren("inside a paragraph"),
  ...textBlockCosmetics,
});
const HeadingNodeSchema = z.object({
  type: z.literal("heading"),
  tag: z.enum(["h2", "h3", "h4"], { error: "heading tag must be h2, h3 or h4" }),
  children: inlineChildren("inside a heading"),
  ...textBlockCosmetics,
});
const QuoteNodeSchema = z.object({
  type: z.literal("quote"),
  children: inlineChildren("inside a quote"),
  ...textBlockCosmetics,
});

const ListNodeSchema = z.object({
  type: z.literal("list"),
  listType: z.enum(["bullet", "number", "check"]),
  start: z.number().int().min(0).max(1_000_000).optional(),
  tag: z.enum(["ul", "ol"]).optional(),
  children: z.array(
    // A list holds list items only; the lazy reference (with its declared type) closes the recursion.
    z.lazy((): z.ZodType<ListItemNode> => ListItemSchemaForList),
  ),
  ...elementCosmetics,
});
const ListItemNodeSchema = z.object({
  type: z.literal("listitem"),
  value: z.number().int().min(0).max(1_000_000).optional(),
  checked: z.boolean().optional(),
  children: z.array(
    nodeUnion("inside a list item", [...INLINE_TYPES, "list"], [...inlineOptions, ListNodeSchema]),
  ),
  ...elementCosmetics,
});
const ListItemSchemaForList = nodeUnion("inside a list", ["listitem"], [ListItemNodeSchema]);

const TableCellNodeSchema = z.object({
  type: z.literal("tablecell"),
  headerState: z.number().int().min(0).max(3).optional(),
  colSpan: z.number().int().min(1).max(100).optional(),
  rowSpan: z.number().int().min(1).max(1000).optional(),
  width: z.number().min(0).optional(),
  children: z.array(nodeUnion("inside a table cell", ["paragraph"], [ParagraphNodeSchema])),
  ...elementCosmetics,
});
const TableRowNodeSchema = z.object({
  type: z.literal("tablerow"),
  height: z.number().min(0).optional(),
  children: z.array(nodeUnion("inside a table row", ["tablecell"], [TableCellNodeSchema])),
  ...elementCosmetics,
});
const TableNodeSchema = z.object({
  type: z.literal("table"),
  children: z.array(nodeUnion("inside a table", ["tablerow"], [TableRowNodeSchema])),
  ...elementCosmetics,
});

const ImageNodeSchema = z
  .object({
    type: z.literal("image"),
    src: z.string().superRefine((src, ctx) => {
      const problem = imageSrcProblem(src);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    altText: z.string().max(1000),
    decorative: z.boolean().optional(),
    width: z.number().min(0).max(100_000).optional(),
    height: z.number().min(0).max(100_000).optional(),
    version,
  })
  .refine((image) => image.decorative === true || image.altText.trim().length > 0, {
    message: "altText is required unless the image is marked decorative",
    path: ["altText"],
  });

const BlockNodeSchema = nodeUnion(
  "at the top level",
  ["paragraph", "heading", "quote", "list", "table", "image"],
  [ParagraphNodeSchema, HeadingNodeSchema, QuoteNodeSchema, ListNodeSchema, TableNodeSchema, ImageNodeSchema],
);

const RootNodeSchema = z.object({
  type: z.literal("root", { error: 'the root node must have type "root"' }),
  children: z.array(BlockNodeSchema),
  ...elementCosmetics,
});

const DocumentStructureSchema: z.ZodType<LexicalDocument> = z.object({ root: RootNodeSchema });

/** Counts nodes and nesting before the schema runs, so a hostile document cannot exhaust the stack. */
export function lexicalLimitProblem(input: unknown): { message: string; path: (string | number)[] } | null {
  if (!input || typeof input !== "object" || !("root" in input)) return null;
  const stack: { node: unknown; depth: number; path: (string | number)[] }[] = [
    { node: (input as { root: unknown }).root, depth: 0, path: ["root"] },
  ];
  let count = 0;
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    count += 1;
    if (count > LEXICAL_LIMITS.maxNodes) {
      return { message: `document has more than ${LEXICAL_LIMITS.maxNodes} nodes`, path: [] };
    }
    if (depth > LEXICAL_LIMITS.maxDepth) {
      return { message: `nodes are nested deeper than ${LEXICAL_LIMITS.maxDepth} levels`, path };
    }
    const children = node && typeof node === "object" ? (node as { children?: unknown }).children : undefined;
    if (Array.isArray(children)) {
      children.forEach((child, index) =>
        stack.push({ node: child, depth: depth + 1, path: [...path, "children", index] }),
      );
    }
  }
  return null;
}

function jsonByteSize(input: unknown): number | null {
  try {
    const json = JSON.stringify(input);
    return json === undefined ? null : new TextEncoder().encode(json).length;
  } catch {
    return null;
  }
}

/** The document schema with a given size cap: limits are checked before the (recursive) structure. */
function lexicalDocumentSchema(maxBytes: number): z.ZodType<LexicalDocument> {
  return z
    .unknown()
    .superRefine((input, ctx) => {
      const problem = lexicalLimitProblem(input);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
        return;
      }
      const size = jsonByteSize(input);
      if (size === null) ctx.addIssue({ code: "custom", message: "document cannot be serialised as JSON" });
      else if (size > maxBytes)
        ctx.addIssue({ code: "custom", message: `document is larger than ${maxBytes} bytes` });
    })
    .pipe(DocumentStructureSchema);
}

/** The allowed Lexical document: whitelisted nodes in their allowed places, safe URLs, bounded size. */
export const LexicalDocumentSchema = lexicalDocumentSchema(LEXICAL_LIMITS.maxBytes);

/** Formats a zod issue path as a JSON path, e.g. `$.root.children[0].url`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : `${out}.${String(key)}`),
    "$",
  );
}

export type ParseLexicalResult = { ok: true; document: LexicalDocument } | { ok: false; issues: string[] };

/** Parses a Lexical document from a JSON string or an object, for form posts and API input. */
export function parseLexicalDocument(
  input: unknown,
  { maxBytes = LEXICAL_LIMITS.maxBytes }: { maxBytes?: number } = {},
): ParseLexicalResult {
  let value: unknown = input;
  if (typeof input === "string") {
    if (new TextEncoder().encode(input).length > maxBytes) {
      return { ok: false, issues: [`$: document is larger than ${maxBytes} bytes`] };
    }
    try {
      value = JSON.parse(input);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, issues: [`$: document is not valid JSON (${reason})`] };
    }
  }
  const schema =
    maxBytes === LEXICAL_LIMITS.maxBytes ? LexicalDocumentSchema : lexicalDocumentSchema(maxBytes);
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, document: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`),
  };
}
