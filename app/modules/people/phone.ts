/**
 * Belgian work phone numbers. libphonenumber-js is not a dependency of the project, so this is a careful
 * hand-written check of the Belgian numbering plan (BIPT): it accepts what staff type ("09 266 12 34",
 * "09/266.12.34", "+32 (0)9 266 12 34", "0032 478 12 34 56") and stores one international form
 * ("+32 9 266 12 34") that reads well in Belgium and dials from anywhere. Premium-rate numbers (090x)
 * and foreign numbers are refused: a work number of the city is a Belgian geographic, mobile,
 * non-geographic (070/078) or freephone (0800) number. Shared with the browser (no server imports).
 */

/** Longest input considered; anything longer is not a phone number. */
export const PHONE_INPUT_MAX = 30;

/**
 * Zones with a one-digit prefix: Brussels (2), Antwerp (3), Liège (4), Ghent (9); 8-digit numbers whose
 * subscriber part never starts with 0 or 1 (09 00… is premium rate). An 8-digit number starting 045 to
 * 049 is refused: it is a mobile number with a digit missing far more often than a Liège number.
 */
const ONE_DIGIT_ZONE = /^(?:[239][2-9]|4[2-4])\d{6}$/;
/** Two-digit geographic zones, plus 070 and 078 (non-geographic). 8-digit numbers. */
const TWO_DIGIT_ZONE = /^(?:1[0-69]|5\d|6[0134579]|7[018]|8[0-79])\d{6}$/;
/** Mobile numbers: 045x to 049x, 9 digits after the 0. */
const MOBILE = /^4[5-9]\d{7}$/;
/** Freephone: 0800 and five digits. */
const FREEPHONE = /^800\d{5}$/;

/** The national significant number (digits after +32 or the trunk 0), or null when it is not Belgian. */
function nationalNumber(input: string): string | null {
  if (input.length > PHONE_INPUT_MAX) return null;
  // "(0)" is the trunk prefix people write after +32; drop it before anything else.
  const compact = input.replace(/\(0\)/g, "").replace(/[\s./()\u00a0-]/g, "");
  let rest: string;
  if (compact.startsWith("+32")) rest = compact.slice(3);
  else if (compact.startsWith("0032")) rest = compact.slice(4);
  else if (compact.startsWith("0")) rest = compact.slice(1);
  else return null;
  return /^\d+$/.test(rest) ? rest : null;
}

/** Groups digits: group("2661234", [3, 2, 2]) → "266 12 34". */
function group(digits: string, sizes: number[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join(" ");
}

/**
 * The stored form of a Belgian number ("+32 9 266 12 34", "+32 478 12 34 56", "+32 50 12 34 56",
 * "+32 800 12 345"), or null when the input is not a valid Belgian work number.
 */
export function formatBelgianPhone(input: string): string | null {
  const nsn = nationalNumber(input.trim());
  if (!nsn) return null;
  if (MOBILE.test(nsn)) return `+32 ${group(nsn, [3, 2, 2, 2])}`;
  if (FREEPHONE.test(nsn)) return `+32 ${group(nsn, [3, 2, 3])}`;
  if (ONE_DIGIT_ZONE.test(nsn)) return `+32 ${group(nsn, [1, 3, 2, 2])}`;
  if (TWO_DIGIT_ZONE.test(nsn)) return `+32 ${group(nsn, [2, 2, 2, 2])}`;
  return null;
}

/** The `tel:` link of a stored number ("tel:+3292661234"). */
export function phoneHref(stored: string): string {
  return `tel:${stored.replace(/[^\d+]/g, "")}`;
}
