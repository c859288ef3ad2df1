/**
 * Personal contact data encrypted at rest (GDPR): a field worker's own phone number and e-mail address are
 * not the city's data, so a database dump, a backup or a read-only SQL session must not reveal them.
 *
 * - Values are sealed with AES-256-GCM, a random 96-bit IV per value, and associated data that binds the
 *   ciphertext to its purpose and its owner: a value copied into another person's row, or from the phone
 *   column into the e-mail column, does not decrypt.
 * - A sealed value is one compact ASCII string, "v1.<keyId>.<iv>.<ciphertext+tag>" (base64url), so it fits a
 *   text column and says which key sealed it. Keys rotate: the keyring has one current key and any number of
 *   previous ones; old values still open and `needsReencryption` tells a rotation job which to rewrite.
 * - Lookups ("who has this verified number?") and uniqueness use a blind index, an HMAC of the normalised
 *   value under a separate key, so they never need to decrypt and do not change when encryption keys rotate.
 *
 * Keys arrive as parameters (the caller reads the environment), never from a global.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/** One AES-256 key and the id stored with every value it sealed. */
export type DataKey = { id: string; key: Buffer };

/** The current key seals new values; previous keys only open old ones. */
export type Keyring = { current: DataKey; previous?: readonly DataKey[] };

/**
 * What a value is bound to: `purpose` names the field ("contact.mobile", "contact.email"), `userId` its owner.
 * Both must be what they were at encryption for the value to decrypt.
 */
export type PersonalDataContext = { purpose: string; userId: string };

/** Why personal data could not be sealed or opened. */
export type PersonalDataErrorCode =
  /** The stored string is not a sealed value of a known version (truncated, edited, not encrypted at all). */
  | "malformed"
  /** It was sealed with a key that is not in the keyring (a key was removed too early, or another environment). */
  | "unknown_key"
  /** Authentication failed: the value was altered, or it belongs to another purpose or person. */
  | "undecryptable"
  /** The keyring or a key is unusable (wrong length, bad id, duplicate id, unparsable configuration). */
  | "invalid_key"
  /** The plaintext or the context is not acceptable (empty purpose or user id, too long). */
  | "invalid_input";

/** A refused seal or open. The message never contains key material or plaintext. */
export class PersonalDataError extends Error {
  constructor(
    readonly code: PersonalDataErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "PersonalDataError";
  }
}

/** Whether a value is a PersonalDataError (optionally with one of the given codes). */
export function isPersonalDataError(
  error: unknown,
  ...codes: PersonalDataErrorCode[]
): error is PersonalDataError {
  return error instanceof PersonalDataError && (codes.length === 0 || codes.includes(error.code));
}

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids go into every stored value and may not contain the "." separator. */
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** Contact data is short; a limit keeps a mistaken caller from sealing a document into a column. */
export const PERSONAL_DATA_MAX_BYTES = 1024;
const CONTEXT_MAX = 200;

function assertKey(key: DataKey): void {
  if (!KEY_ID.test(key.id)) {
    throw new PersonalDataError("invalid_key", "A key id must be 1 to 32 letters, digits, '-' or '_'");
  }
  if (!Buffer.isBuffer(key.key) || key.key.length !== KEY_BYTES) {
    throw new PersonalDataError("invalid_key", `Key ${key.id} must be exactly ${KEY_BYTES} bytes`);
  }
}

/** The key with this id, current first; checked, so a hand-built keyring with a short key fails clearly. */
function findKey(keyring: Keyring, id: string): DataKey | null {
  const key =
    keyring.current.id === id ? keyring.current : keyring.previous?.find((candidate) => candidate.id === id);
  if (!key) return null;
  assertKey(key);
  return key;
}

/**
 * The associated data: version, key id, purpose and user id as a JSON array, which cannot be ambiguous the way
 * a joined string can ("a|b" + "c" versus "a" + "b|c").
 */
function associatedData(keyId: string, context: PersonalDataContext): Buffer {
  for (const [name, value] of [
    ["purpose", context.purpose],
    ["userId", context.userId],
  ] as const) {
    if (typeof value !== "string" || value === "" || value.length > CONTEXT_MAX) {
      throw new PersonalDataError(
        "invalid_input",
        `The ${name} of the context must be 1 to ${CONTEXT_MAX} characters`,
      );
    }
  }
  return Buffer.from(JSON.stringify([VERSION, keyId, context.purpose, context.userId]), "utf8");
}

/**
 * base64url that decodes only if it is canonical: Buffer.from ignores stray characters and unused trailing bits,
 * so without this an edited character could decode to the same bytes and a tampered value would still open.
 */
function decodeBase64Url(text: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

type Sealed = { keyId: string; iv: Buffer; ciphertext: Buffer; tag: Buffer };

function parseSealed(value: string): Sealed {
  const parts = value.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new PersonalDataError("malformed", "Not a sealed personal value of a known version");
  }
  const [, keyId = "", ivText = "", bodyText = ""] = parts;
  const iv = decodeBase64Url(ivText);
  const body = decodeBase64Url(bodyText);
  if (!KEY_ID.test(keyId) || !iv || iv.length !== IV_BYTES || !body || body.length < TAG_BYTES) {
    throw new PersonalDataError("malformed", "Not a sealed personal value of a known version");
  }
  return {
    keyId,
    iv,
    ciphertext: body.subarray(0, body.length - TAG_BYTES),
    tag: body.subarray(body.length - TAG_BYTES),
  };
}

/** Encrypts a personal value with the current key, bound to its purpose and owner: "v1.<keyId>.<iv>.<data>". */
export function encryptPersonalData(
  plaintext: string,
  context: PersonalDataContext,
  keyring: Keyring,
): string {
  const key = keyring.current;
  assertKey(key);
  const data = Buffer.from(plaintext, "utf8");
  if (data.length > PERSONAL_DATA_MAX_BYTES) {
    throw new PersonalDataError(
      "invalid_input",
      `Personal data is limited to ${PERSONAL_DATA_MAX_BYTES} bytes`,
    );
  }
  const aad = associatedData(key.id, context);
  // A random IV per value: with 96 bits, the chance of a repeat stays negligible far beyond the number of values
  // one key will ever seal here, and a repeat is what breaks GCM.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  const body = Buffer.concat([ciphertext, cipher.getAuthTag()]);
  return [VERSION, key.id, iv.toString("base64url"), body.toString("base64url")].join(".");
}

/** Decrypts a stored value; throws a PersonalDataError (never returns garbage) when it cannot be trusted. */
export function decryptPersonalData(value: string, context: PersonalDataContext, keyring: Keyring): string {
  const sealed = parseSealed(value);
  const key = findKey(keyring, sealed.keyId);
  if (!key) throw new PersonalDataError("unknown_key", `No key with id ${sealed.keyId} in the keyring`);
  const decipher = createDecipheriv(ALGORITHM, key.key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(key.id, context));
  decipher.setAuthTag(sealed.tag);
  let data: Buffer;
  try {
    data = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    // final() throws when the tag does not match; whether the data or the context was wrong cannot be told.
    throw new PersonalDataError(
      "undecryptable",
      "The personal value failed authentication (altered, or another purpose or owner)",
    );
  }
  // Authenticated bytes were sealed from a JS string, so they are valid UTF-8; fatal decoding guards the claim.
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new PersonalDataError("undecryptable", "The personal value is not valid UTF-8");
  }
}

/**
 * Whether a stored value was sealed with a key other than the current one, so a rotation job should rewrite it
 * with {@link reencryptPersonalData}. Throws "malformed" for a string that is not a sealed value.
 */
export function needsReencryption(value: string, keyring: Keyring): boolean {
  return parseSealed(value).keyId !== keyring.current.id;
}

/** Decrypts a value with whichever key encrypted it and encrypts it again with the current key (for key rotation). */
export function reencryptPersonalData(value: string, context: PersonalDataContext, keyring: Keyring): string {
  return encryptPersonalData(decryptPersonalData(value, context, keyring), context, keyring);
}

/** Decodes one base64 or base64url key of exactly 32 bytes, strictly (no stray characters). */
export function parseSecretKey(text: string, label = "key"): Buffer {
  const trimmed = text.trim();
  // Standard base64 (from `openssl rand -base64 32`) or base64url, with or without padding.
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new PersonalDataError("invalid_key", `The ${label} is not base64`);
  }
  const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (bytes.length !== KEY_BYTES) {
    throw new PersonalDataError(
      "invalid_key",
      `The ${label} must be ${KEY_BYTES} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}

/**
 * Parses a keyring from configuration: comma-separated `<id>:<base64 key>` entries, the first one current, the
 * others previous, for example "k2:Qm9…=,k1:cXd…=". A key is 32 random bytes (`openssl rand -base64 32`); an id is
 * 1 to 32 letters, digits, "-" or "_". Refuses empty entries, short or long keys and duplicate ids.
 */
export function parseKeyring(text: string): Keyring {
  const entries = text.split(",").map((entry) => entry.trim());
  if (text.trim() === "" || entries.some((entry) => entry === "")) {
    throw new PersonalDataError("invalid_key", "The keyring is empty or has an empty entry");
  }
  const keys = entries.map((entry, index): DataKey => {
    const colon = entry.indexOf(":");
    const id = colon > 0 ? entry.slice(0, colon).trim() : "";
    if (!KEY_ID.test(id)) {
      throw new PersonalDataError(
        "invalid_key",
        `Keyring entry ${index + 1} needs an id: "<id>:<base64 key>"`,
      );
    }
    return { id, key: parseSecretKey(entry.slice(colon + 1), `key ${id}`) };
  });
  const ids = new Set(keys.map((key) => key.id));
  if (ids.size !== keys.length)
    throw new PersonalDataError("invalid_key", "The keyring has a duplicate key id");
  const [current, ...previous] = keys;
  if (!current) throw new PersonalDataError("invalid_key", "The keyring is empty");
  return { current, previous };
}

/**
 * The blind index of a normalised value (the output of normaliseMobile or normaliseEmail): HMAC-SHA256 under a
 * key of its own, base64url. Equal inputs give equal indexes, so a unique index and a lookup work on it; the key
 * is separate from the encryption keys so rotating those does not change a single index.
 */
export function blindIndex(value: string, key: Buffer): string {
  if (!Buffer.isBuffer(key) || key.length < KEY_BYTES) {
    throw new PersonalDataError("invalid_key", `The blind index key must be at least ${KEY_BYTES} bytes`);
  }
  if (value === "" || value.length > PERSONAL_DATA_MAX_BYTES) {
    throw new PersonalDataError("invalid_input", "A blind index needs a non-empty, normalised value");
  }
  // NFC so that the same text typed on two keyboards (é composed or decomposed) gives the same index.
  return createHmac("sha256", key).update(value.normalize("NFC"), "utf8").digest("base64url");
}
