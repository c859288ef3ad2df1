/**
 * SMS text rules per 3GPP TS 23.038 (the GSM 03.38 default alphabet). An SMS that contains a single character
 * outside this alphabet is sent as UCS-2, which more than halves what fits in a segment (70 instead of 160), and
 * field workers pay nothing but the city pays per segment. So digest texts are transliterated to GSM-7 first
 * (ë → e keeps a Dutch word readable, é stays é because the alphabet has it) and then fitted into a fixed
 * number of segments. Shared with the browser (a character counter in a form), so no server imports.
 */

/**
 * The 128 characters of the default alphabet, in table order (0x00 to 0x7F). 0x1B is the escape to the
 * extension table, not a character a text can contain, so it is absent here. 0x09 is the capital Ç: the
 * small ç of early specifications was replaced by the capital in TS 23.038, so a small ç is not GSM-7.
 */
export const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ" +
  " !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§" +
  "¿abcdefghijklmnopqrstuvwxyzäöñüà";

/**
 * The characters of the default extension table: each costs two septets (the escape 0x1B and its code).
 * The form feed (0x0A in this table) is included because it is an extension character, not because a
 * digest would ever contain one.
 */
export const GSM7_EXTENSION = "\f^{}\\[~]|€";

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

/** Septets a single-part GSM-7 message can hold. */
export const GSM7_SINGLE = 160;
/** Septets per part of a concatenated GSM-7 message (seven septets go to the user data header). */
export const GSM7_MULTI = 153;
/** UTF-16 code units a single-part UCS-2 message can hold. */
export const UCS2_SINGLE = 70;
/** UTF-16 code units per part of a concatenated UCS-2 message. */
export const UCS2_MULTI = 67;

/** Whether one character (a single code point) is in the GSM-7 default alphabet or its extension table. */
export function isGsm7Char(char: string): boolean {
  return BASIC.has(char) || EXTENSION.has(char);
}

/** Septets one GSM-7 character costs: 1 for the default alphabet, 2 for the extension table, null otherwise. */
export function gsm7Septets(char: string): 1 | 2 | null {
  if (BASIC.has(char)) return 1;
  if (EXTENSION.has(char)) return 2;
  return null;
}

/** Whether a whole text can be sent as GSM-7 without any change. */
export function isGsm7(text: string): boolean {
  for (const char of text) if (!isGsm7Char(char)) return false;
  return true;
}

/**
 * Explicit replacements for characters that Unicode decomposition does not reduce to GSM-7 (ligatures,
 * typographic punctuation, letters without a decomposition such as ł) or reduces badly. Checked after the
 * alphabet itself, so é, Ç, ø, ß and the other GSM-7 letters never get here.
 */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  // Typographic quotes and apostrophes: Dutch "’s morgens", French « guillemets ».
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201b": "'",
  "\u2032": "'",
  "\u2039": "'",
  "\u203a": "'",
  "`": "'",
  "\u00b4": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u201f": '"',
  "\u2033": '"',
  "\u00ab": '"',
  "\u00bb": '"',
  // Dashes, hyphens and the minus sign.
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
  "\u00ad": "", // soft hyphen: invisible unless a line breaks there
  "\u2026": "...",
  "\u2022": "-", // bullet, as in a list pasted from a document
  "\u00b7": ".",
  "\u2044": "/",
  "\u00d7": "x",
  "\u00f7": "/",
  "\u00b0": "", // "32°C" reads well as "32C"; "o" would read as a letter
  "\u00b2": "2",
  "\u00b3": "3",
  "\u00b9": "1",
  "\u00bc": "1/4",
  "\u00bd": "1/2",
  "\u00be": "3/4",
  "\u00a9": "(c)",
  "\u00ae": "(R)",
  "\u2122": "TM",
  "\u00a2": "c",
  // Letters and ligatures without a useful canonical decomposition.
  "\u0133": "ij", // the Dutch ij ligature
  "\u0132": "IJ",
  "\u0153": "oe",
  "\u0152": "OE",
  "\ufb00": "ff",
  "\ufb01": "fi",
  "\ufb02": "fl",
  "\u1e9e": "SS",
  "\u0141": "L",
  "\u0142": "l",
  "\u0110": "D",
  "\u0111": "d",
  "\u00d0": "D",
  "\u00f0": "d",
  "\u00de": "Th",
  "\u00fe": "th",
  "\u0131": "i", // Turkish dotless i
  "\u0126": "H",
  "\u0127": "h",
  "\u013f": "L",
  "\u0140": "l",
  "\u00e7": "c", // ç: the alphabet has only the capital Ç, and "garcon" reads better than "garÇon"
  // Greek capitals that look like Latin ones map to those (the alphabet's Greek letters stay as they are).
  "\u0391": "A",
  "\u0392": "B",
  "\u0395": "E",
  "\u0396": "Z",
  "\u0397": "H",
  "\u0399": "I",
  "\u039a": "K",
  "\u039c": "M",
  "\u039d": "N",
  "\u039f": "O",
  "\u03a1": "P",
  "\u03a4": "T",
  "\u03a5": "Y",
  "\u03a7": "X",
};

/** Spaces of every width, including the non-breaking ones word processors insert (nl-BE "€ 5", French "« »"). */
const SPACE = /^[\t\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;

/** What stands in for a letter or digit of another script: the reader sees that something was there. */
export const GSM7_FALLBACK = "?";

/** The GSM-7 form of one code point that is not in the alphabet. */
function transliterateChar(char: string): string {
  const replacement = REPLACEMENTS[char];
  if (replacement !== undefined) return replacement;
  if (SPACE.test(char)) return " ";
  // Accented letters: ë = e + U+0308, ą = a + U+0328, ş = s + U+0327. Drop the marks, keep the letter, but
  // only if what remains is GSM-7 (the base of a Cyrillic ё is still Cyrillic).
  const base = char.normalize("NFD").replace(/\p{M}/gu, "");
  if (base !== "" && base !== char && isGsm7(base)) return base;
  // A letter or digit of another script is content: keep its place. Everything else (emoji and their
  // modifiers, zero-width joiners, variation selectors, controls, symbols) is decoration and is dropped.
  if (/^[\p{L}\p{N}]$/u.test(char)) return GSM7_FALLBACK;
  return "";
}

/**
 * The text with every character outside GSM-7 replaced by its closest GSM-7 form (ë → e, ’ → ', – → -,
 * … → ..., œ → oe, non-breaking spaces → space), emoji and invisible characters dropped, and letters of other
 * scripts replaced by "?". Characters that are in the alphabet (é, è, ù, ì, ò, Ç, Ø, ø, Å, å, Ä, Ö, Ñ, Ü,
 * ß, É, à, ä, ö, ñ, ü …) and the extension characters are kept exactly.
 */
export function transliterate(text: string): string {
  // NFC first, so an "e" followed by a combining acute (as macOS stores names) becomes the GSM-7 é.
  let out = "";
  for (const char of text.normalize("NFC")) {
    out += isGsm7Char(char) ? char : transliterateChar(char);
  }
  return out;
}

/** How a text is encoded and how many segments it takes. */
export type SmsSegments =
  | {
      encoding: "GSM-7";
      /** Septets the text takes, extension characters counted twice. */
      septets: number;
      /** Segments (billable messages); 0 for an empty text. */
      segments: number;
      /** Septets still free in the last segment before one more segment is needed. */
      remaining: number;
    }
  | {
      encoding: "UCS-2";
      /** UTF-16 code units the text takes (an emoji outside the BMP takes two). */
      units: number;
      segments: number;
      /** Code units still free in the last segment. */
      remaining: number;
    };

/**
 * Packs items of size 1 or 2 into segments: a single segment holds `single`, a concatenated message `multi`
 * per part, and an item of size 2 (an escape + character pair, or a surrogate pair) never straddles two parts,
 * because receiving phones would show garbage for either half.
 */
function pack(
  sizes: number[],
  single: number,
  multi: number,
): { total: number; segments: number; remaining: number } {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total === 0) return { total, segments: 0, remaining: single };
  if (total <= single) return { total, segments: 1, remaining: single - total };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > multi) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { total, segments, remaining: multi - used };
}

/**
 * The encoding and segment count of a text as an SMS: GSM-7 when every character is in the alphabet (160
 * septets in one segment, 153 per part otherwise), UCS-2 as soon as one is not (70, or 67 per part).
 */
export function smsSegments(text: string): SmsSegments {
  const septets: number[] = [];
  let gsm = true;
  for (const char of text) {
    const size = gsm7Septets(char);
    if (size === null) {
      gsm = false;
      break;
    }
    septets.push(size);
  }
  if (gsm) {
    const { total, segments, remaining } = pack(septets, GSM7_SINGLE, GSM7_MULTI);
    return { encoding: "GSM-7", septets: total, segments, remaining };
  }
  const units: number[] = [];
  for (const char of text) units.push(char.length);
  const { total, segments, remaining } = pack(units, UCS2_SINGLE, UCS2_MULTI);
  return { encoding: "UCS-2", units: total, segments, remaining };
}

/** Why an SMS could not be built; these are mistakes in the caller's input, not in what a person wrote. */
export type SmsTextErrorCode = "invalid_max_segments" | "link_not_gsm7" | "link_too_long";

/** A refused SMS text. */
export class SmsTextError extends Error {
  constructor(
    readonly code: SmsTextErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SmsTextError";
  }
}

/** Options of {@link fitSms}. */
export type FitSmsOptions = {
  /** The link that ends the message; it is never shortened or transliterated. */
  link: string;
  /** At most this many segments (default 2). */
  maxSegments?: number;
};

/** The fitted SMS. */
export type FittedSms = {
  /** The GSM-7 text: the parts that fit, one per line, then the link on its own line. */
  text: string;
  segments: number;
  /** Indexes (into the given parts) of the parts left out entirely, in order. */
  dropped: number[];
  /** Index of the part that was cut short and ends in "...", or null when none was. */
  shortened: number | null;
};

/** Longest message anyone should build; a guard against a typo like maxSegments: 20. */
export const SMS_MAX_SEGMENTS = 10;
/** A part cut shorter than this many characters says too little to keep; it is dropped instead. */
const MIN_SHORTENED = 16;
const ELLIPSIS = "...";

/** One part as one tidy GSM-7 line: transliterated, with runs of whitespace (line breaks too) as one space. */
function toLine(part: string): string {
  return transliterate(part)
    .replace(/[\s\f]+/g, " ")
    .trim();
}

/** The part cut at a word boundary where possible, followed by "...". */
function cut(line: string, length: number): string {
  let prefix = line.slice(0, length);
  const space = prefix.lastIndexOf(" ");
  // Prefer a whole word, unless that would throw away more than a third of what fits.
  if (space >= (length * 2) / 3 && line[length] !== " ") prefix = prefix.slice(0, space);
  return prefix.replace(/[\s.,;:!?-]+$/, "") + ELLIPSIS;
}

/**
 * Builds an SMS from ordered text parts (most important first) and a link that always fits: the parts are
 * transliterated to GSM-7 and put one per line, lower parts are shortened (ending in "...") or dropped until
 * the whole is at most `maxSegments` segments. A lower part that is short enough may still follow a dropped
 * one. Throws an SmsTextError when the link alone is not GSM-7 or does not fit.
 */
export function fitSms(parts: readonly string[], options: FitSmsOptions): FittedSms {
  const maxSegments = options.maxSegments ?? 2;
  if (!Number.isInteger(maxSegments) || maxSegments < 1 || maxSegments > SMS_MAX_SEGMENTS) {
    throw new SmsTextError(
      "invalid_max_segments",
      `maxSegments must be an integer from 1 to ${SMS_MAX_SEGMENTS}, got ${maxSegments}`,
    );
  }
  const link = options.link.trim();
  // A link is not text: transliterating it would break it, so it has to be GSM-7 (percent-encoded) already.
  if (link === "" || !isGsm7(link) || /\s/.test(link)) {
    throw new SmsTextError("link_not_gsm7", "The SMS link must be a non-empty GSM-7 string without spaces");
  }
  const fits = (lines: readonly string[]): number | null => {
    const { segments } = smsSegments([...lines, link].join("\n"));
    return segments <= maxSegments ? segments : null;
  };
  if (fits([]) === null) {
    throw new SmsTextError("link_too_long", `The SMS link alone takes more than ${maxSegments} segment(s)`);
  }

  const kept: string[] = [];
  const dropped: number[] = [];
  let shortened: number | null = null;
  for (const [index, part] of parts.entries()) {
    const line = toLine(part);
    // Once a part has been cut the message is full: anything after it would read as if it came first.
    if (line === "" || shortened !== null) {
      dropped.push(index);
      continue;
    }
    if (fits([...kept, line]) !== null) {
      kept.push(line);
      continue;
    }
    // The longest raw prefix that fits with "..." after it. Adding a character never lowers the segment
    // count, so a binary search finds it; cutting back to a word boundary afterwards only makes it shorter.
    let low = 0;
    let high = line.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (fits([...kept, line.slice(0, mid) + ELLIPSIS]) !== null) low = mid;
      else high = mid - 1;
    }
    const shorter = cut(line, low);
    if (shorter.length - ELLIPSIS.length >= MIN_SHORTENED) {
      kept.push(shorter);
      shortened = index;
    } else {
      // Too little would be left to mean anything; a shorter lower part may still fit after it.
      dropped.push(index);
    }
  }

  const text = [...kept, link].join("\n");
  return { text, segments: smsSegments(text).segments, dropped, shortened };
}
