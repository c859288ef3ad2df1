/**
 * Constants of the reach module that pages render as well as the server checks: they live here, not in a
 * `.server.ts` file, because the classic Remix compiler empties those in the browser bundle and a
 * component reading one would get `undefined` only at run time.
 */
import { type ConsentPurpose, type ContactKind, type DigestChannel } from "~/generated/prisma/client";

/** Longest note HR can add to a consent event ("formulier getekend op 12/11, ploeg Groen Noord"). */
export const CONSENT_NOTE_MAX = 500;

/** Longest code a form accepts: six digits, perhaps typed with a space or a dash ("123 456"). */
export const CODE_INPUT_MAX = 8;

/** The consent purpose each digest channel needs (the same map as reachability.server's CONSENT_FOR_CHANNEL). */
export const PURPOSE_FOR_CHANNEL = {
  push: "digest_push",
  sms: "digest_sms",
  email: "digest_email",
} as const satisfies Record<DigestChannel, ConsentPurpose>;

/** The purposes that use a contact of each kind: without any of them, keeping the contact has no reason. */
export const PURPOSES_FOR_CONTACT: Record<ContactKind, readonly ConsentPurpose[]> = {
  phone: ["digest_sms", "sign_in_sms"],
  email: ["digest_email"],
};

/** Longest search text on /personeel; more is not a name or an employee number. */
export const WORKER_QUERY_MAX = 100;
/** Rows per result page on /personeel. */
export const WORKER_PAGE_SIZE = 50;
