/**
 * The VAPID key pair (RFC 8292) that identifies Werkplek to the browsers' push services.
 *
 * Operators may set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY; when they do not, a pair is generated on first
 * use and stored in AppSecret ("vapid") so that every process, and every restart, signs with the same key:
 * a browser's subscription is bound to the public key it was made with, so a new key would silently orphan
 * every subscription. The private key is sealed with the personal-data keyring (AES-256-GCM) so that a
 * database dump alone cannot be used to push messages in the city's name.
 */
import { prisma } from "~/db.server";
import { getEnv, type Env } from "~/env.server";
import { openPersonalData, sealPersonalData } from "./keys.server";
import {
  generateVapidKeys,
  validateVapidKeys,
  vapidSubjectProblem,
  type VapidDetails,
  type VapidKeys,
} from "./push.server";

/** The AppSecret row that holds generated keys. */
export const VAPID_SECRET_NAME = "vapid";
/** Binds the sealed private key to this use: a value copied from a contact column does not open here. */
const SEAL_CONTEXT = { purpose: "app-secret:vapid", userId: "app" } as const;

/** What the AppSecret row holds (JSON): the public key in clear, the private key sealed. */
type StoredVapid = { version: 1; publicKey: string; privateKeySealed: string };

/** Why the VAPID configuration cannot be used; the message says what an operator should do. */
export class VapidConfigurationError extends Error {
  override name = "VapidConfigurationError";
}

function parseStored(value: string): StoredVapid {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = null;
  }
  const candidate = parsed as Partial<StoredVapid> | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    candidate.version !== 1 ||
    typeof candidate.publicKey !== "string" ||
    typeof candidate.privateKeySealed !== "string"
  ) {
    throw new VapidConfigurationError(
      `The stored VAPID keys (AppSecret "${VAPID_SECRET_NAME}") are unreadable; set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or delete the row to generate new keys (existing push subscriptions then stop working)`,
    );
  }
  return candidate as StoredVapid;
}

function assertValid(keys: VapidKeys, source: string): VapidKeys {
  const problems = validateVapidKeys(keys);
  if (problems.length > 0) {
    throw new VapidConfigurationError(`${source}: ${problems.join("; ")}`);
  }
  return keys;
}

async function readStored(): Promise<VapidKeys | null> {
  const row = await prisma.appSecret.findUnique({ where: { name: VAPID_SECRET_NAME } });
  if (!row) return null;
  const stored = parseStored(row.value);
  let privateKey: string;
  try {
    privateKey = openPersonalData(stored.privateKeySealed, SEAL_CONTEXT);
  } catch (error) {
    // Typically PERSONAL_DATA_KEYS changed without keeping the old key in the keyring.
    throw new VapidConfigurationError(
      `The stored VAPID private key cannot be decrypted with PERSONAL_DATA_KEYS (${(error as Error).message}); keep the previous key in the keyring, or set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY`,
    );
  }
  return assertValid({ publicKey: stored.publicKey, privateKey }, "The stored VAPID keys are invalid");
}

/**
 * Generated keys, created at most once across all processes: every process that finds no row inserts its
 * own candidate with ON CONFLICT DO NOTHING, and all of them then use whichever row won.
 */
async function generatedKeys(): Promise<VapidKeys> {
  const existing = await readStored();
  if (existing) return existing;
  const candidate = generateVapidKeys();
  const value: StoredVapid = {
    version: 1,
    publicKey: candidate.publicKey,
    privateKeySealed: sealPersonalData(candidate.privateKey, SEAL_CONTEXT),
  };
  await prisma.$executeRaw`
    INSERT INTO "AppSecret" ("name", "value", "createdAt")
    VALUES (${VAPID_SECRET_NAME}, ${JSON.stringify(value)}, now())
    ON CONFLICT ("name") DO NOTHING`;
  const stored = await readStored();
  if (!stored) throw new Error("The VAPID keys were stored but cannot be read back");
  return stored;
}

async function loadDetails(env: Env): Promise<VapidDetails> {
  const subjectProblem = vapidSubjectProblem(env.VAPID_SUBJECT);
  if (subjectProblem) throw new VapidConfigurationError(`VAPID_SUBJECT: ${subjectProblem}`);
  const keys =
    env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
      ? assertValid(
          { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY },
          "VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY",
        )
      : await generatedKeys();
  return { ...keys, subject: env.VAPID_SUBJECT };
}

// Per process, per configuration and database (tests switch both); a failure is not cached, so the next
// call retries once the operator fixed the cause.
let cache: { env: Env; databaseUrl: string | undefined; details: Promise<VapidDetails> } | undefined;

/** The VAPID keys and subject for sending (from env, or generated and stored on first use). */
export function getVapidDetails(): Promise<VapidDetails> {
  const env = getEnv();
  const databaseUrl = process.env.DATABASE_URL;
  if (cache && cache.env === env && cache.databaseUrl === databaseUrl) return cache.details;
  const details = loadDetails(env);
  const entry = { env, databaseUrl, details };
  cache = entry;
  details.catch(() => {
    if (cache === entry) cache = undefined;
  });
  return details;
}

/** The public key (base64url) that browsers subscribe with (`applicationServerKey`). */
export async function getVapidPublicKey(): Promise<string> {
  return (await getVapidDetails()).publicKey;
}

/** Loads (and if needed generates) the keys at start-up, so a bad configuration shows at once. */
export async function ensureVapidKeys(): Promise<void> {
  await getVapidDetails();
}

/** Forgets the cached keys (tests). */
export function resetVapidCache(): void {
  cache = undefined;
}
