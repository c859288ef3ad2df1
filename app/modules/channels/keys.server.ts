/**
 * The keys for personal contact data, from the environment (PERSONAL_DATA_KEYS, PERSONAL_DATA_INDEX_KEY).
 * Production refuses to start without them (app/env.server.ts). Outside production, unset keys are derived
 * from a fixed development secret so the quick start stays two commands, exactly like the session secret:
 * data encrypted that way is demo data and must never be real.
 */
import { hkdfSync } from "node:crypto";
import { getEnv, type Env } from "~/env.server";
import {
  type Keyring,
  parseKeyring,
  parseSecretKey,
  type PersonalDataContext,
  encryptPersonalData,
  decryptPersonalData,
  blindIndex,
} from "./personal-data.server";

const DEVELOPMENT_SECRET = "werkplek-development-only-personal-data-secret-do-not-use-in-production";

function developmentKey(label: string): Buffer {
  return Buffer.from(hkdfSync("sha256", DEVELOPMENT_SECRET, "werkplek", label, 32));
}

let cache: { env: Env; keyring: Keyring; indexKey: Buffer } | undefined;

function keys(env: Env = getEnv()) {
  if (cache?.env !== env) {
    cache = {
      env,
      keyring: env.PERSONAL_DATA_KEYS
        ? parseKeyring(env.PERSONAL_DATA_KEYS)
        : { current: { id: "dev", key: developmentKey("personal-data") } },
      indexKey: env.PERSONAL_DATA_INDEX_KEY
        ? parseSecretKey(env.PERSONAL_DATA_INDEX_KEY, "PERSONAL_DATA_INDEX_KEY")
        : developmentKey("blind-index"),
    };
  }
  return cache;
}

/** The keyring from PERSONAL_DATA_KEYS (the first key encrypts, all decrypt). */
export function personalDataKeyring(env?: Env): Keyring {
  return keys(env).keyring;
}

/** The blind-index key from PERSONAL_DATA_INDEX_KEY. */
export function personalDataIndexKey(env?: Env): Buffer {
  return keys(env).indexKey;
}

/** Encrypts a personal value bound to its owner and purpose (e.g. { purpose: "contact:phone", userId }). */
export function sealPersonalData(value: string, context: PersonalDataContext): string {
  return encryptPersonalData(value, context, personalDataKeyring());
}

/** Decrypts what sealPersonalData produced, for the same owner and purpose. */
export function openPersonalData(value: string, context: PersonalDataContext): string {
  return decryptPersonalData(value, context, personalDataKeyring());
}

/** The blind index of a normalised value (E.164 number, lower-case e-mail address). */
export function personalDataIndex(normalisedValue: string): string {
  return blindIndex(normalisedValue, personalDataIndexKey());
}
