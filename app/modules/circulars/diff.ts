/**
 * Readable differences between two versions of a circular (or a pending change and the published version):
 * title, summary and validity dates as fields, the body block by block, each changed text word by word.
 * Pure and free of server imports, so the review page and the browser can use it alike.
 */
import { diffArrays } from "diff";
import { parseLexicalDocument, type BlockNode, type LexicalDocument } from "~/editor/lexical-schema";
import { lexicalToPlainText } from "~/editor/plain-text";

/** What one version holds that readers can see change. */
export type CircularContent = {
  title: string;
  summary: string;
  /** Lexical JSON as stored (validated again here, so a broken body fails loudly rather than diffing wrong). */
  body: unknown;
  validFrom: Date | string | null;
  validUntil: Date | string | null;
};

export type DiffSegment = { kind: "same" | "added" | "removed"; text: string };

export type BlockKind = "paragraph" | "heading" | "quote" | "list" | "table" | "image";

/** One block of the body: unchanged, new, gone, or changed (then `segments` holds the word-level diff). */
export type BlockDiff = {
  kind: "same" | "added" | "removed" | "changed";
  blockType: BlockKind;
  segments: DiffSegment[];
};

export type TextFieldDiff = {
  field: "title" | "summary";
  before: string;
  after: string;
  segments: DiffSegment[];
};
export type DateFieldDiff = {
  field: "validFrom" | "validUntil";
  before: string | null;
  after: string | null;
};

export type CircularDiff = {
  /** False when nothing a reader can see differs. */
  changed: boolean;
  textFields: TextFieldDiff[];
  dateFields: DateFieldDiff[];
  blocks: BlockDiff[];
  /** Words added and removed over the whole circular, for a one-line summary. */
  stats: { wordsAdded: number; wordsRemoved: number; blocksChanged: number };
};

type Block = { type: BlockKind; text: string };

function toDocument(body: unknown): LexicalDocument {
  const parsed = parseLexicalDocument(body);
  if (!parsed.ok) throw new Error(`Cannot compare a malformed circular body: ${parsed.issues.join("; ")}`);
  return parsed.document;
}

function blocksOf(document: LexicalDocument): Block[] {
  return document.root.children
    .map((block: BlockNode) => ({
      type: block.type,
      text: lexicalToPlainText({ root: { ...document.root, children: [block] } }),
    }))
    .filter((block) => block.text.length > 0);
}

function isoDay(value: Date | string | null): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value.slice(0, 10);
  return value.toISOString().slice(0, 10);
}

/**
 * Dutch word boundaries (Unicode UAX #29): "0,27", "e-mail" and "2025/017" stay whole words, so a changed
 * amount reads as one replaced amount instead of a changed half.
 */
const WORDS = new Intl.Segmenter("nl", { granularity: "word" });

/** Words, spaces and punctuation in order; a circular number ("2025/017") or date ("1/3/2026") is one token. */
function tokens(text: string): string[] {
  const out: string[] = [];
  for (const { segment } of WORDS.segment(text)) {
    const previous = out.at(-1);
    if (/^\d/.test(segment) && previous?.endsWith("/") && /^\d+(\/\d+)*\/$/.test(previous)) {
      out[out.length - 1] = previous + segment;
    } else if (segment === "/" && previous && /^\d+(\/\d+)*$/.test(previous)) {
      out[out.length - 1] = previous + segment;
    } else {
      out.push(segment);
    }
  }
  return out;
}

/** Word-level diff of two texts; whitespace is kept so the result reads as the original text. */
export function diffText(before: string, after: string): DiffSegment[] {
  const segments: DiffSegment[] = [];
  for (const change of diffArrays(tokens(before), tokens(after))) {
    const kind = change.added ? "added" : change.removed ? "removed" : "same";
    const text = change.value.join("");
    const last = segments.at(-1);
    if (last && last.kind === kind) last.text += text;
    else segments.push({ kind, text });
  }
  return segments;
}

function countWords(segments: readonly DiffSegment[], kind: DiffSegment["kind"]): number {
  return segments
    .filter((segment) => segment.kind === kind)
    .reduce((sum, segment) => sum + (segment.text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0);
}

/** Share of words two texts have in common (0..1): decides whether a replaced block reads as an edit. */
function similarity(segments: readonly DiffSegment[]): number {
  const same = countWords(segments, "same");
  const total = same + Math.max(countWords(segments, "added"), countWords(segments, "removed"));
  return total === 0 ? 1 : same / total;
}

/** Below this share of shared words, a replaced block is shown as removed + added, not as a mangled edit. */
const EDIT_SIMILARITY = 0.3;

/** How many added blocks ahead a removed block looks for its edited form. */
const LOOK_AHEAD = 12;

const removedBlock = (block: Block): BlockDiff => ({
  kind: "removed",
  blockType: block.type,
  segments: [{ kind: "removed", text: block.text }],
});
const addedBlock = (block: Block): BlockDiff => ({
  kind: "added",
  blockType: block.type,
  segments: [{ kind: "added", text: block.text }],
});

/**
 * Pairs a run of removed blocks with the run of added blocks that replaced them: each removed block is
 * matched, in order, with the most similar added block still ahead; unmatched ones stay removed or added.
 */
function pairRun(removed: Block[], added: Block[]): BlockDiff[] {
  const out: BlockDiff[] = [];
  let next = 0;
  for (const before of removed) {
    let best: { index: number; score: number; segments: DiffSegment[] } | null = null;
    // A bounded look-ahead keeps a fully rewritten long circular from costing removed × added diffs.
    for (let index = next; index < Math.min(added.length, next + LOOK_AHEAD); index += 1) {
      const segments = diffText(before.text, added[index]!.text);
      const score = similarity(segments);
      if (score >= EDIT_SIMILARITY && (!best || score > best.score)) best = { index, score, segments };
    }
    if (!best) {
      out.push(removedBlock(before));
      continue;
    }
    for (const block of added.slice(next, best.index)) out.push(addedBlock(block));
    out.push({ kind: "changed", blockType: added[best.index]!.type, segments: best.segments });
    next = best.index + 1;
  }
  for (const block of added.slice(next)) out.push(addedBlock(block));
  return out;
}

function diffBlocks(older: Block[], newer: Block[]): BlockDiff[] {
  const changes = diffArrays(older, newer, {
    comparator: (left, right) => left.type === right.type && left.text === right.text,
  });
  const out: BlockDiff[] = [];
  let removed: Block[] = [];
  let added: Block[] = [];
  const flush = () => {
    out.push(...pairRun(removed, added));
    removed = [];
    added = [];
  };
  for (const change of changes) {
    if (change.removed) removed.push(...change.value);
    else if (change.added) added.push(...change.value);
    else {
      flush();
      for (const block of change.value)
        out.push({ kind: "same", blockType: block.type, segments: [{ kind: "same", text: block.text }] });
    }
  }
  flush();
  return out;
}

/** Compares two versions (older first) for readers: fields, validity dates and the body, word by word. */
export function diffCircularContent(older: CircularContent, newer: CircularContent): CircularDiff {
  const textFields: TextFieldDiff[] = [];
  for (const field of ["title", "summary"] as const) {
    if (older[field] !== newer[field]) {
      textFields.push({
        field,
        before: older[field],
        after: newer[field],
        segments: diffText(older[field], newer[field]),
      });
    }
  }
  const dateFields: DateFieldDiff[] = [];
  for (const field of ["validFrom", "validUntil"] as const) {
    const before = isoDay(older[field]);
    const after = isoDay(newer[field]);
    if (before !== after) dateFields.push({ field, before, after });
  }
  const blocks = diffBlocks(blocksOf(toDocument(older.body)), blocksOf(toDocument(newer.body)));
  const allSegments = [...textFields, ...blocks].flatMap((item) => item.segments);
  const blocksChanged = blocks.filter((block) => block.kind !== "same").length;
  return {
    changed: textFields.length > 0 || dateFields.length > 0 || blocksChanged > 0,
    textFields,
    dateFields,
    blocks,
    stats: {
      wordsAdded: countWords(allSegments, "added"),
      wordsRemoved: countWords(allSegments, "removed"),
      blocksChanged,
    },
  };
}
