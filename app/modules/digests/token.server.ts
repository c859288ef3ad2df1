/**
 * The /d/<token> link in a digest message: opens that one digest without a sign-in, and nothing else.
 *
 * The token is "<digest id>.<HMAC>" with a key derived from the session secret for this purpose only (so it
 * can never pass for a session or CSRF signature, nor they for it). It names its digest and carries no other
 * rights; expiry (Digest.tokenExpiresAt) and revocation (tokenRevokedAt) live in the row, so a link can be
 * withdrawn without rotating any secret. Verification tries every configured secret (rotation) and compares
 * in constant time.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { type DigestChannel } from "~/generated/prisma/client";
import { getEnv, sessionSecrets } from "~/env.server";

/** Domain separation: the key for digest links is HMAC(secret, this label), never the secret itself. */
const KEY_LABEL = "werkplek/digest-link/v1";
/** 128 bits of MAC: unguessable, and short enough to leave room in an SMS. */
const MAC_BYTES = 16;
/** A cuid (what Prisma generates for Digest.id); anything else is not a digest id. */
const DIGEST_ID = /^[a-z0-9]{20,40}$/;
const MAC = /^[A-Za-z0-9_-]{22}$/;

function mac(secret: string, digestId: string): Buffer {
  const key = createHmac("sha256", secret).update(KEY_LABEL).digest();
  return createHmac("sha256", key).update(`digest:${digestId}`).digest().subarray(0, MAC_BYTES);
}

/** The token of a digest's link. */
export function digestToken(digestId: string): string {
  if (!DIGEST_ID.test(digestId)) throw new TypeError("Not a digest id");
  return `${digestId}.${mac(sessionSecrets()[0]!, digestId).toString("base64url")}`;
}

/** The digest id a token names, or null when it is malformed or not signed by us. */
export function verifyDigestToken(token: string | null | undefined): string | null {
  if (typeof token !== "string" || token.length > 80) return null;
  const [digestId, signature, extra] = token.split(".");
  if (!digestId || !signature || extra !== undefined) return null;
  if (!DIGEST_ID.test(digestId) || !MAC.test(signature)) return null;
  // Compared as text, not as decoded bytes: the last base64url character carries spare bits, and a token
  // that differs only there must not verify too.
  const given = Buffer.from(signature);
  let valid = false;
  // Every secret is checked (no early exit), so timing does not tell which one matched.
  for (const secret of sessionSecrets()) {
    valid = timingSafeEqual(given, Buffer.from(mac(secret, digestId).toString("base64url"))) || valid;
  }
  return valid ? digestId : null;
}

/** The in-app path of a digest's page, `/d/<token>?k=<channel>` (the channel records opens and clicks). */
export function digestPath(digestId: string, channel: DigestChannel): string {
  return `/d/${digestToken(digestId)}?k=${channel}`;
}

/** The absolute link that goes into an SMS, e-mail or push message. */
export function digestLink(digestId: string, channel: DigestChannel): string {
  return `${getEnv().APP_URL}${digestPath(digestId, channel)}`;
}
