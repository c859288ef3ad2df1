// Advisory KUS (klantvriendelijk, uniek, simpel) writing checks for circulars, Dutch (nl-BE).
// Pure and dependency-free: runs in the editor (browser) and on the server alike.
import { KUS_JARGON, type KusJargonTerm } from "./kus-jargon";

/** Thresholds used by the KUS checks; exported so the UI can show the same numbers it is judged by. */
export const KUS_LIMITS = {
  maxSentenceWords: 25,
  summaryMaxLength: 300,
  summaryMinLength: 40,
  summaryMinBodyWords: 300,
  titleMaxLength: 120,
  sentencePreviewLength: 120,
} as const;

/** Readability band key for a Flesch-Douma score; the UI translates it ("zeer makkelijk" … "zeer moeilijk"). */
export type KusReadabilityLabel = "veryEasy" | "easy" | "fair" | "difficult" | "veryDifficult";

/** Flesch-Douma readability of the body; `score`/`label` are null when the body has no words. */
export interface KusReadability {
  score: number | null;
  label: KusReadabilityLabel | null;
  words: number;
  sentences: number;
  syllables: number;
  /** Words per sentence, rounded to one decimal (0 for an empty body). */
  averageSentenceLength: number;
}

/** One sentence of the body as found by `splitSentences`, with its start offset in the text. */
export interface KusSentence {
  text: string;
  index: number;
  words: string[];
}

/** A sentence longer than the configured maximum; `text` is trimmed and clipped to 120 characters. */
export interface KusLongSentence {
  index: number;
  text: string;
  words: number;
}

/** A sentence that looks passive, with the auxiliary and participle(s) that triggered it. */
export interface KusPassiveSentence {
  index: number;
  text: string;
  matches: string[];
}

/** Which input field a jargon occurrence was found in. */
export type KusField = "title" | "summary" | "text";

/** One place where a jargon term occurs; `index` is the character offset within `field`. */
export interface KusJargonOccurrence {
  field: KusField;
  index: number;
  match: string;
}

/** A jargon term that occurs at least once, with its alternative and all occurrences. */
export interface KusJargonHit {
  term: string;
  alternative: string;
  count: number;
  occurrences: KusJargonOccurrence[];
}

/** Problems with the summary field. */
export type KusSummaryIssue = "missing" | "tooLong" | "tooShortForBody";

/** Summary length and its problems. */
export interface KusSummaryCheck {
  length: number;
  issues: KusSummaryIssue[];
}

/** Title length and its problems. */
export interface KusTitleCheck {
  length: number;
  issues: "tooLong"[];
}

/** How prominently the editor sidebar shows an issue; all KUS checks are advisory. */
export type KusSeverity = "info" | "warning";

/** One advisory item for the editor sidebar; `checkKus` returns these most important first. */
export type KusIssue =
  | { kind: "summaryMissing"; severity: "warning" }
  | { kind: "titleTooLong"; severity: "warning"; length: number; max: number }
  | { kind: "summaryTooLong"; severity: "warning"; length: number; max: number }
  | { kind: "readability"; severity: KusSeverity; score: number; label: KusReadabilityLabel }
  | { kind: "longSentence"; severity: "warning"; index: number; text: string; words: number; max: number }
  | { kind: "passive"; severity: "info"; index: number; text: string; matches: string[] }
  | {
      kind: "jargon";
      severity: "info";
      term: string;
      alternative: string;
      count: number;
      field: KusField;
      index: number;
    }
  | { kind: "summaryTooShort"; severity: "info"; length: number; min: number; bodyWords: number };

/** Result of `checkKus`: per-check details plus a flat, ordered issue list for the sidebar. */
export interface KusReport {
  readability: KusReadability;
  longSentences: KusLongSentence[];
  passiveSentences: KusPassiveSentence[];
  jargon: KusJargonHit[];
  summary: KusSummaryCheck;
  title: KusTitleCheck;
  issues: KusIssue[];
}

/** Options for `checkKus`; omitted values fall back to `KUS_LIMITS`. */
export interface KusOptions {
  maxSentenceWords?: number;
  /** Override the jargon list (e.g. in tests or for a department-specific list). */
  jargon?: readonly KusJargonTerm[];
}

/** Input of `checkKus`: `text` is the plain text of the body, paragraphs separated by blank lines. */
export interface KusInput {
  title: string;
  summary: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------------------
// Words and syllables

const WORD_RE = /[\p{L}\p{N}]+(?:[-'’./][\p{L}\p{N}]+|,\p{N}+)*/gu;

function wordsOf(text: string): string[] {
  return text.match(WORD_RE) ?? [];
}

const PLAIN_VOWEL: Record<string, string> = {
  á: "a",
  à: "a",
  â: "a",
  é: "e",
  è: "e",
  ê: "e",
  í: "i",
  ì: "i",
  î: "i",
  ó: "o",
  ò: "o",
  ô: "o",
  ú: "u",
  ù: "u",
  û: "u",
};
const DIAERESIS_VOWEL: Record<string, string> = { ä: "a", ë: "e", ï: "i", ö: "o", ü: "u", ÿ: "y" };
const VOWELS = new Set(["a", "e", "i", "o", "u", "y"]);
// Vowel combinations pronounced as one syllable; longest first so greedy matching prefers them.
const VOWEL_UNITS = [
  "aai",
  "ooi",
  "oei",
  "eeu",
  "ieu",
  "eau",
  "aa",
  "ee",
  "oo",
  "uu",
  "ie",
  "oe",
  "eu",
  "ui",
  "ij",
  "ei",
  "ou",
  "au",
  "ai",
  "ey",
  "ay",
  "oy",
];

/** Counts Dutch syllables in one word: vowel groups with diphthongs as one, a diaeresis starts a new syllable. */
export function countSyllables(word: string): number {
  const letters: { ch: string; newSyllable: boolean }[] = [];
  for (const raw of word.toLowerCase().replace(/qu/g, "kw")) {
    const diaeresis = DIAERESIS_VOWEL[raw];
    letters.push({ ch: diaeresis ?? PLAIN_VOWEL[raw] ?? raw, newSyllable: diaeresis !== undefined });
  }
  let count = 0;
  let i = 0;
  while (i < letters.length) {
    const letter = letters[i];
    if (!letter || !VOWELS.has(letter.ch)) {
      i += 1;
      continue;
    }
    count += 1;
    let length = 1;
    for (const unit of VOWEL_UNITS) {
      if (unit.length <= length) continue;
      const slice = letters.slice(i, i + unit.length);
      if (slice.length !== unit.length) continue;
      if (slice.map((l) => l.ch).join("") !== unit) continue;
      if (slice.slice(1).some((l) => l.newSyllable)) continue;
      length = unit.length;
      break;
    }
    i += length;
  }
  return Math.max(1, count);
}

// ---------------------------------------------------------------------------------------------------------
// Sentences

// Abbreviations whose final period never ends a sentence.
const ABBREVIATIONS = new Set([
  "bv.",
  "bijv.",
  "vb.",
  "o.a.",
  "m.a.w.",
  "d.w.z.",
  "nr.",
  "nrs.",
  "art.",
  "t.e.m.",
  "t/m.",
  "incl.",
  "excl.",
  "i.p.v.",
  "t.a.v.",
  "m.b.t.",
  "i.v.m.",
  "o.b.v.",
  "t.o.v.",
  "a.d.h.v.",
  "m.i.v.",
  "z.o.z.",
  "p.",
  "pp.",
  "blz.",
  "ca.",
  "resp.",
  "cf.",
  "cfr.",
  "vgl.",
  "dhr.",
  "mevr.",
  "mr.",
  "dr.",
  "prof.",
  "tel.",
  "min.",
  "max.",
  "zgn.",
  "ev.",
  "evt.",
  "bijl.",
  "par.",
  "al.",
  "hfst.",
  "vzw.",
]);
// Abbreviations that may also close a sentence: a boundary only when an upper-case letter follows.
const TERMINAL_ABBREVIATIONS = new Set(["enz.", "e.d.", "e.a.", "etc.", "e.v."]);
const CLOSERS = new Set(['"', "'", "”", "’", ")", "»", "]"]);
const TERMINATORS = new Set([".", "!", "?", "…"]);

function isBoundaryAfterPeriod(text: string, periodIndex: number, next: string | undefined): boolean {
  let start = periodIndex;
  while (start > 0 && !/[\s(["'“‘«]/u.test(text[start - 1] ?? "")) start -= 1;
  const token = text.slice(start, periodIndex + 1).toLowerCase();
  if (ABBREVIATIONS.has(token)) return false;
  if (/^(?:\p{L}\.)+$/u.test(token)) return false; // initials and unknown letter-dot abbreviations
  if (TERMINAL_ABBREVIATIONS.has(token)) {
    const rest = text.slice(periodIndex + 1).trimStart();
    return rest === "" || /^\p{Lu}/u.test(rest);
  }
  // "1." or "a." as a list marker at the start of a line
  if (/^(?:\p{N}+|\p{L})\.$/u.test(token)) {
    const lineStart = text.lastIndexOf("\n", start - 1) + 1;
    if (text.slice(lineStart, start).trim() === "") return false;
  }
  return next === undefined || /\s/u.test(next);
}

/** Splits plain body text into sentences on . ! ? and line breaks, skipping abbreviations and numbers. */
export function splitSentences(text: string): KusSentence[] {
  const sentences: KusSentence[] = [];
  const push = (from: number, to: number) => {
    const raw = text.slice(from, to);
    const trimmed = raw.trim();
    const words = wordsOf(trimmed);
    if (words.length === 0) return;
    sentences.push({ text: trimmed, index: from + raw.indexOf(trimmed), words });
  };
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? "";
    if (ch === "\n") {
      push(start, i);
      start = i + 1;
      continue;
    }
    if (!TERMINATORS.has(ch)) continue;
    let end = i;
    while (TERMINATORS.has(text[end + 1] ?? "")) end += 1;
    while (CLOSERS.has(text[end + 1] ?? "")) end += 1;
    const next = text[end + 1];
    if (next !== undefined && !/\s/u.test(next)) continue; // 1.5, o.a., www.gent.be
    if (ch === "." && end === i && !isBoundaryAfterPeriod(text, i, next)) continue;
    push(start, end + 1);
    start = end + 1;
    i = end;
  }
  push(start, text.length);
  return sentences;
}

// ---------------------------------------------------------------------------------------------------------
// Readability

const round1 = (value: number) => Math.round(value * 10) / 10;

function readabilityLabel(score: number): KusReadabilityLabel {
  if (score >= 80) return "veryEasy";
  if (score >= 60) return "easy";
  if (score >= 50) return "fair";
  if (score >= 30) return "difficult";
  return "veryDifficult";
}

function readabilityOf(sentences: KusSentence[]): KusReadability {
  const words = sentences.flatMap((s) => s.words);
  if (words.length === 0) {
    return { score: null, label: null, words: 0, sentences: 0, syllables: 0, averageSentenceLength: 0 };
  }
  const syllables = words.reduce((sum, word) => sum + countSyllables(word), 0);
  const averageSentenceLength = words.length / sentences.length;
  const score = round1(206.835 - 0.93 * averageSentenceLength - 77 * (syllables / words.length));
  return {
    score,
    label: readabilityLabel(score),
    words: words.length,
    sentences: sentences.length,
    syllables,
    averageSentenceLength: round1(averageSentenceLength),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Passive voice (precision over recall: better to miss a passive than to flag an active sentence)

const WORDEN = new Set(["word", "wordt", "worden", "werd", "werden"]);
const ZIJN = new Set(["is", "zijn", "was", "waren"]);
const HEBBEN = new Set(["heb", "hebt", "heeft", "hebben", "had", "hadden"]);
// Words that open a new (sub)clause: an auxiliary before them does not govern a participle after them.
const CLAUSE_BREAKERS = new Set([
  "dat",
  "die",
  "omdat",
  "als",
  "wanneer",
  "indien",
  "zodat",
  "waardoor",
  "waarbij",
  "wat",
  "welke",
  "terwijl",
  "nadat",
  "voordat",
  "maar",
  "want",
  "hoewel",
  "zodra",
  "tenzij",
  "waarin",
  "waarop",
  "waarmee",
]);
// Words after which a zijn-participle may still end its clause ("is goedgekeurd door …").
const AFTER_ZIJN_PARTICIPLE = new Set([
  "door",
  "en",
  "of",
  "voor",
  "bij",
  "met",
  "naar",
  "tot",
  "sinds",
  "vanaf",
  "om",
  "tegen",
  "zonder",
  "via",
]);
const NOT_PARTICIPLES = new Set([
  "gebied",
  "gebieden",
  "geleden",
  "gevolgen",
  "gesprekken",
  "gebouwen",
  "gemeenten",
  "gezinnen",
  "gebreken",
  "gedeelten",
  "geschillen",
  "gewesten",
  "getuigen",
  "gedachten",
  "gelden",
  "geven",
  "genieten",
  "geloven",
  "gebeuren",
  "gebruiken",
  "gewoonten",
  "geheimen",
  "geboorten",
  "geleiden",
  "gelijken",
  "gemiddeld",
  "gebeurt",
  "geldt",
  "geniet",
  "gelooft",
  "geeft",
  "geweest",
  "geworden",
  "gezicht",
  "gewicht",
  "gerecht",
  "gevecht",
  "gedicht",
  "gebed",
  "geschikt",
  "gepast",
  "gezond",
  "gelegen",
  "gewend",
  "gerust",
  "geduld",
  "geluid",
  "gewest",
  "gemeenschappen",
  "gevangenen",
  "geleidelijk",
  "aangezien",
  "afgelopen",
  "ondergeschikt",
  "gedurende",
]);
// Active perfect tense uses zijn with these verbs ("is gestegen", "is ingegaan"): never passive.
const UNACCUSATIVE = new Set([
  "gegaan",
  "gekomen",
  "gelopen",
  "gekeerd",
  "getreden",
  "gegroeid",
  "gestegen",
  "gedaald",
  "gebleven",
  "gevallen",
  "gestorven",
  "gebeurd",
  "gelukt",
  "geslaagd",
  "gestopt",
  "gestart",
  "gereisd",
  "gevlucht",
  "gereden",
  "gevaren",
  "gebleken",
  "gegroeid",
  "geweest",
  "geworden",
  "genomen",
  "gestaan",
  "geland",
]);
const PARTICLE_RE =
  /^(aan|af|bij|door|in|mee|na|om|onder|op|over|terug|toe|uit|vast|voor|weg|goed|vrij|samen|tegen|achter|rond|neer|bekend|stop|binnen|buiten|open|dicht|los|klaar|teweeg|kennis|plaats|deel|thuis|vrij)(ge\p{L}+)$/u;
const PREFIX_PARTICIPLE_RE = /^(?:be|ver|ont|her|er)\p{L}{3,}[dt]$/u;
const STRONG_PREFIX_PARTICIPLES = new Set([
  "vervangen",
  "ontvangen",
  "besproken",
  "beschreven",
  "verzonden",
  "verkregen",
  "behouden",
  "bewezen",
  "verboden",
  "vergeten",
  "verworpen",
  "ontslagen",
  "bevolen",
  "ontheven",
  "ontbonden",
  "ontnomen",
  "herzien",
  "verbonden",
  "bevonden",
  "vernomen",
  "verschoven",
  "bedongen",
  "verleden",
]);
const NOT_PREFIX_PARTICIPLES = new Set([
  "beleid",
  "bestand",
  "bericht",
  "besluit",
  "verband",
  "bezit",
  "verbod",
  "verstand",
  "bestaat",
  "betekent",
  "bevat",
  "behoort",
  "bedraagt",
  "verdient",
  "verwijst",
  "vertrekt",
  "verschijnt",
  "ontstaat",
  "bevindt",
  "betreft",
  "verblijft",
  "bekend",
  "bereid",
  "ernst",
  "erfgoed",
  "eruit",
  "herfst",
  "verst",
  "beschikt",
  "bestuurt",
  "verleden",
  "verwacht",
  "verandert",
  "verhuist",
  "ontbreekt",
  "betaalt",
  "beslist",
  "bedient",
]);

/** Past participle of the ge- type: "gevraagd", "gegeven", "gedaan", "goedgekeurd", "ingevuld". */
function isGeParticiple(word: string): boolean {
  if (NOT_PARTICIPLES.has(word) || /(?:heid|end|ende)$/u.test(word)) return false;
  const base = PARTICLE_RE.exec(word)?.[2] ?? word;
  if (!base.startsWith("ge") || base.length < 6) return false;
  if (/[dt]$/u.test(base)) return true;
  if (/aan$/u.test(base)) return true;
  return /en$/u.test(base) && base.length <= 14;
}

/** Past participle with an unstressed prefix: "betaald", "verstuurd", "ontvangen"; only trusted after worden. */
function isPrefixParticiple(word: string): boolean {
  if (STRONG_PREFIX_PARTICIPLES.has(word) && word !== "verleden") return true;
  if (NOT_PREFIX_PARTICIPLES.has(word) || /(?:end|heid)$/u.test(word)) return false;
  return PREFIX_PARTICIPLE_RE.test(word);
}

function isUnaccusative(word: string): boolean {
  const base = PARTICLE_RE.exec(word)?.[2] ?? word;
  return UNACCUSATIVE.has(base) || word === "afgenomen" || word === "toegenomen";
}

function passiveMatchesInClause(original: string[]): string[] {
  const words = original.map((w) => w.toLowerCase());
  const matches: string[] = [];
  const add = (...indexes: number[]) => {
    for (const i of indexes) {
      const word = original[i];
      if (word !== undefined && !matches.includes(word)) matches.push(word);
    }
  };
  words.forEach((word, i) => {
    const isWorden = WORDEN.has(word);
    const isZijn = ZIJN.has(word);
    if (!isWorden && !isZijn) return;
    // Subordinate order: "… die door de dienst goedgekeurd wordt / is".
    const before = words[i - 1];
    if (before !== undefined) {
      if (isWorden && (isGeParticiple(before) || isPrefixParticiple(before))) add(i - 1, i);
      if (isZijn && isGeParticiple(before) && !isUnaccusative(before)) add(i - 1, i);
    }
    // Main clause order: "De aanvraag wordt door de leidinggevende goedgekeurd."
    for (let j = i + 1; j < words.length; j += 1) {
      const candidate = words[j] ?? "";
      if (HEBBEN.has(candidate) || CLAUSE_BREAKERS.has(candidate)) break;
      if (WORDEN.has(candidate) || ZIJN.has(candidate)) break;
      if (isWorden && (isGeParticiple(candidate) || isPrefixParticiple(candidate))) {
        add(i, j);
      } else if (isZijn && isGeParticiple(candidate) && !isUnaccusative(candidate)) {
        const after = words[j + 1];
        if (after === undefined || AFTER_ZIJN_PARTICIPLE.has(after)) add(i, j);
      }
    }
  });
  return matches;
}

function passiveMatches(sentence: string): string[] {
  const lower = sentence.toLowerCase();
  // A hebben form anywhere makes a zijn/worden + participle reading unreliable ("Zijn collega heeft … gevraagd").
  const clauses = sentence.split(/[,;:()–—]/u);
  const matches = clauses.flatMap((clause) => passiveMatchesInClause(wordsOf(clause)));
  if (matches.length === 0) return [];
  const onlyZijn = matches.every((m) => !WORDEN.has(m.toLowerCase()) && !isPrefixParticiple(m.toLowerCase()));
  if (onlyZijn && wordsOf(lower).some((w) => HEBBEN.has(w))) return [];
  return [...new Set(matches)];
}

// ---------------------------------------------------------------------------------------------------------
// Jargon

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function jargonPattern(term: string): RegExp {
  const body = term.trim().split(/\s+/u).map(escapeRegExp).join("\\s+");
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, "giu");
}

function findJargon(fields: Record<KusField, string>, list: readonly KusJargonTerm[]): KusJargonHit[] {
  // Longest terms first so a phrase claims its words before a shorter overlapping term can.
  const ordered = [...list].sort((a, b) => b.term.length - a.term.length);
  const taken: Record<KusField, [number, number][]> = { title: [], summary: [], text: [] };
  const hits = new Map<string, KusJargonHit>();
  for (const entry of ordered) {
    const pattern = jargonPattern(entry.term);
    for (const field of ["title", "summary", "text"] as const) {
      for (const match of fields[field].matchAll(pattern)) {
        const start = match.index;
        const end = start + match[0].length;
        if (taken[field].some(([s, e]) => start < e && end > s)) continue;
        taken[field].push([start, end]);
        const hit = hits.get(entry.term) ?? {
          term: entry.term,
          alternative: entry.alternative,
          count: 0,
          occurrences: [],
        };
        hit.count += 1;
        hit.occurrences.push({ field, index: start, match: match[0] });
        hits.set(entry.term, hit);
      }
    }
  }
  const fieldOrder: Record<KusField, number> = { title: 0, summary: 1, text: 2 };
  const first = (hit: KusJargonHit) =>
    hit.occurrences.reduce(
      (best, o) => Math.min(best, fieldOrder[o.field] * 1e9 + o.index),
      Number.POSITIVE_INFINITY,
    );
  for (const hit of hits.values()) {
    hit.occurrences.sort((a, b) => fieldOrder[a.field] - fieldOrder[b.field] || a.index - b.index);
  }
  return [...hits.values()].sort((a, b) => b.count - a.count || first(a) - first(b));
}

// ---------------------------------------------------------------------------------------------------------
// Report

const KIND_RANK: Record<KusIssue["kind"], number> = {
  summaryMissing: 0,
  titleTooLong: 1,
  summaryTooLong: 2,
  readability: 3,
  longSentence: 4,
  passive: 5,
  jargon: 6,
  summaryTooShort: 7,
};

function issuePosition(issue: KusIssue): number {
  return "index" in issue ? issue.index : 0;
}

/**
 * Runs all advisory KUS writing checks on a circular. For an empty body, readability `score` and `label`
 * are null (no readability issue is raised); all other checks simply find nothing in the body.
 */
export function checkKus(input: KusInput, options: KusOptions = {}): KusReport {
  const maxSentenceWords = options.maxSentenceWords ?? KUS_LIMITS.maxSentenceWords;
  const sentences = splitSentences(input.text);
  const readability = readabilityOf(sentences);

  const longSentences: KusLongSentence[] = sentences
    .filter((s) => s.words.length > maxSentenceWords)
    .map((s) => ({
      index: s.index,
      text: s.text.slice(0, KUS_LIMITS.sentencePreviewLength),
      words: s.words.length,
    }));

  const passiveSentences: KusPassiveSentence[] = sentences.flatMap((s) => {
    const matches = passiveMatches(s.text);
    return matches.length > 0 ? [{ index: s.index, text: s.text, matches }] : [];
  });

  const jargon = findJargon(
    { title: input.title, summary: input.summary, text: input.text },
    options.jargon ?? KUS_JARGON,
  );

  const summaryText = input.summary.trim();
  const summary: KusSummaryCheck = { length: summaryText.length, issues: [] };
  if (summaryText.length === 0) summary.issues.push("missing");
  else if (summaryText.length > KUS_LIMITS.summaryMaxLength) summary.issues.push("tooLong");
  else if (
    summaryText.length < KUS_LIMITS.summaryMinLength &&
    readability.words > KUS_LIMITS.summaryMinBodyWords
  )
    summary.issues.push("tooShortForBody");

  const titleText = input.title.trim();
  const title: KusTitleCheck = { length: titleText.length, issues: [] };
  if (titleText.length > KUS_LIMITS.titleMaxLength) title.issues.push("tooLong");

  const issues: KusIssue[] = [];
  if (summary.issues.includes("missing")) issues.push({ kind: "summaryMissing", severity: "warning" });
  if (title.issues.includes("tooLong")) {
    issues.push({
      kind: "titleTooLong",
      severity: "warning",
      length: title.length,
      max: KUS_LIMITS.titleMaxLength,
    });
  }
  if (summary.issues.includes("tooLong")) {
    issues.push({
      kind: "summaryTooLong",
      severity: "warning",
      length: summary.length,
      max: KUS_LIMITS.summaryMaxLength,
    });
  }
  if (summary.issues.includes("tooShortForBody")) {
    issues.push({
      kind: "summaryTooShort",
      severity: "info",
      length: summary.length,
      min: KUS_LIMITS.summaryMinLength,
      bodyWords: readability.words,
    });
  }
  if (readability.score !== null && readability.label !== null && readability.score < 50) {
    issues.push({
      kind: "readability",
      severity: readability.label === "veryDifficult" ? "warning" : "info",
      score: readability.score,
      label: readability.label,
    });
  }
  for (const s of longSentences) {
    issues.push({ kind: "longSentence", severity: "warning", ...s, max: maxSentenceWords });
  }
  for (const s of passiveSentences) issues.push({ kind: "passive", severity: "info", ...s });
  for (const hit of jargon) {
    const firstOccurrence = hit.occurrences[0];
    if (!firstOccurrence) continue;
    issues.push({
      kind: "jargon",
      severity: "info",
      term: hit.term,
      alternative: hit.alternative,
      count: hit.count,
      field: firstOccurrence.field,
      index: firstOccurrence.index,
    });
  }
  const severityRank = (issue: KusIssue) => (issue.severity === "warning" ? 0 : 1);
  issues.sort(
    (a, b) =>
      severityRank(a) - severityRank(b) ||
      KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
      issuePosition(a) - issuePosition(b),
  );

  return { readability, longSentences, passiveSentences, jargon, summary, title, issues };
}
