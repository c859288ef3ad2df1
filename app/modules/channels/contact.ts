/**
 * What a field worker types as their own contact for digests and sign-in codes: a personal mobile number or
 * e-mail address. Numbers become E.164 ("+32470123456"), the form SMS providers expect and the one the blind
 * index is computed from, so "0470 12 34 56" and "+32 470/12.34.56" are the same person. Only mobile numbers
 * are accepted (an SMS to a landline is lost), from Belgium and, because field workers may live across the
 * border, the Netherlands and France. Like people/phone.ts this is a hand-written check of the numbering
 * plans, as libphonenumber-js is not a dependency. Shared with the browser (no server imports).
 */

/** Longest input considered; anything longer is not a phone number. */
export const MOBILE_INPUT_MAX = 30;
/** Longest e-mail address (RFC 5321 path limit minus the angle brackets). */
export const EMAIL_MAX = 254;

/** Countries whose mobile numbers are accepted, by country calling code. */
const MOBILE_PLANS = {
  /** Belgium: 045x to 049x, nine digits after the trunk 0 (BIPT), as in people/phone.ts. */
  "32": /^4[5-9]\d{7}$/,
  /** The Netherlands: 061 to 065 and 068 (066 is paging, 067 data services), nine digits after the 0. */
  "31": /^6[1-58]\d{7}$/,
  /** France: 06 and 073 to 079 (070 to 072 are not mobile ranges), nine digits after the 0. */
  "33": /^(?:6\d|7[3-9])\d{7}$/,
} as const;

type CountryCode = keyof typeof MOBILE_PLANS;

function isCountryCode(code: string): code is CountryCode {
  return Object.hasOwn(MOBILE_PLANS, code);
}

/** Why a typed number is not accepted; the form shows a message per reason. */
export type MobileProblem =
  /** Nothing, or something that is not a phone number (letters, far too long). */
  | "invalid"
  /** A number without country code that is not Belgian; Dutch and French numbers need +31 or +33. */
  | "needs_country_code"
  /** A country other than Belgium, the Netherlands and France. */
  | "unsupported_country"
  /** A number of a supported country that is not a mobile number (landline, premium rate, wrong length). */
  | "not_mobile";

/** The result of {@link checkMobile}. */
export type MobileCheck =
  { ok: true; e164: string; country: "BE" | "NL" | "FR" } | { ok: false; problem: MobileProblem };

const COUNTRY: Record<CountryCode, "BE" | "NL" | "FR"> = { "32": "BE", "31": "NL", "33": "FR" };

/**
 * Checks a typed mobile number and gives its E.164 form or why it is refused. A number without country code is
 * read as Belgian: "06 12 34 56 78" could be Dutch or French, so those need +31 or +33.
 */
export function checkMobile(input: string): MobileCheck {
  if (input.length > MOBILE_INPUT_MAX) return { ok: false, problem: "invalid" };
  // "(0)" is the trunk prefix people write after the country code; drop it before the separators.
  const compact = input
    .trim()
    .replace(/\(0\)/g, "")
    .replace(/[\s./()\u00a0-]/g, "");
  if (!/^\+?\d{6,}$/.test(compact)) return { ok: false, problem: "invalid" };

  let international: string | null = null;
  if (compact.startsWith("+")) international = compact.slice(1);
  else if (compact.startsWith("00")) international = compact.slice(2);

  if (international === null) {
    if (!compact.startsWith("0")) return { ok: false, problem: "invalid" };
    const national = compact.slice(1);
    if (MOBILE_PLANS["32"].test(national)) return { ok: true, e164: `+32${national}`, country: "BE" };
    // Ten digits starting 06 or 07 is how Dutch and French mobiles are written at home.
    if (/^[67]\d{8}$/.test(national)) return { ok: false, problem: "needs_country_code" };
    return { ok: false, problem: "not_mobile" };
  }

  const code = international.slice(0, 2);
  if (!isCountryCode(code)) return { ok: false, problem: "unsupported_country" };
  // "+32 0470 …" is a common slip; national significant numbers of these countries never start with 0.
  const nsn = international.slice(2).replace(/^0/, "");
  if (!MOBILE_PLANS[code].test(nsn)) return { ok: false, problem: "not_mobile" };
  return { ok: true, e164: `+${code}${nsn}`, country: COUNTRY[code] };
}

/** The E.164 form ("+32470123456") of a Belgian, Dutch or French mobile number, or null for anything else. */
export function normaliseMobile(input: string): string | null {
  const check = checkMobile(input);
  return check.ok ? check.e164 : null;
}

/** Characters allowed unquoted in the local part (RFC 5322 atext); quoted local parts are not accepted. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** One DNS label in ASCII (after IDNA): letters, digits and inner hyphens, at most 63 characters. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The ASCII (punycode) form of a domain, or null when it is not a valid host name. */
function asciiDomain(domain: string): string | null {
  if (/^[\x21-\x7e]+$/.test(domain)) return domain.toLowerCase();
  // An internationalised domain ("bücher.de"): the WHATWG URL parser applies IDNA in Node and in browsers.
  // Only letters, digits, dots and hyphens may reach it, or "bücher.de/x" would parse as the host bücher.de.
  if (/[^\p{L}\p{M}\p{N}.-]/u.test(domain)) return null;
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return null;
  }
}

/**
 * A personal e-mail address, trimmed, with its domain lower-cased (and an internationalised domain in its
 * ASCII form), or null when it is not a deliverable-looking address. The local part keeps its case: RFC 5321
 * lets the receiving server tell "Jan" and "jan" apart, although almost none do.
 */
export function normaliseEmail(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > EMAIL_MAX) return null;
  const at = trimmed.lastIndexOf("@");
  if (at <= 0) return null;
  const local = trimmed.slice(0, at);
  const domain = asciiDomain(trimmed.slice(at + 1));
  // Dot-atom local part: no leading, trailing or double dots; at most 64 octets (RFC 5321).
  if (local.length > 64 || !local.split(".").every((atom) => ATEXT.test(atom))) return null;
  if (!domain || domain.length > 253) return null;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  // A top-level domain is letters, or an IDNA one ("xn--…"); this refuses IP literals such as 127.0.0.1.
  const tld = labels[labels.length - 1] ?? "";
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) return null;
  const normalised = `${local}@${domain}`;
  return normalised.length <= EMAIL_MAX ? normalised : null;
}

const DOT = "\u2022";

/**
 * A stored number masked for display ("+32 4•• •• •• 56"): the country, the first digit that says it is a
 * mobile number and the last two digits, enough for the person to recognise their own number.
 */
export function maskPhone(e164: string): string {
  const check = checkMobile(e164);
  if (check.ok) {
    const code = check.e164.slice(1, 3);
    const nsn = check.e164.slice(3);
    const masked = nsn[0] + DOT.repeat(nsn.length - 3) + nsn.slice(-2);
    // Belgian mobiles read as 4xx xx xx xx, Dutch and French ones as 6 xx xx xx xx.
    const groups = code === "32" ? [3, 2, 2, 2] : [1, 2, 2, 2, 2];
    let at = 0;
    const parts = groups.map((size) => masked.slice(at, (at += size)));
    return `+${code} ${parts.join(" ")}`;
  }
  // Not one of ours (an old value, another country): keep only the last two digits.
  const digits = e164.replace(/\D/g, "");
  return digits.length >= 6 ? `${DOT.repeat(6)}${digits.slice(-2)}` : DOT.repeat(6);
}

/**
 * An e-mail address masked for display ("j•••••••s@gmail.com"): the first and, for longer local parts, the last
 * character, a fixed run of dots that does not reveal the length, and the domain.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return DOT.repeat(7);
  const local = [...email.slice(0, at)];
  const domain = email.slice(at + 1);
  const first = local[0] ?? "";
  // Showing the last character of a two- to four-character local part would leave too little hidden.
  const last = local.length >= 5 ? (local[local.length - 1] ?? "") : "";
  return `${first}${DOT.repeat(7)}${last}@${domain}`;
}
