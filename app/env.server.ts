/**
 * The one place where configuration is read. Everything comes from the environment, is validated here
 * at start-up, and unsafe production settings stop the process with a message that says what to fix.
 */
import path from "node:path";
import { z } from "zod";
import { parseKeyring, parseSecretKey } from "./modules/channels/personal-data.server";

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** Placeholder from .env.example: refused in production so nobody ships it by accident. */
export const EXAMPLE_SESSION_SECRET = "change-me-to-a-long-random-string-of-at-least-32-characters";

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    APP_URL: z.url().optional(),
    TRUST_PROXY: z.string().optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
      .optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    PGLITE_DATA_DIR: z.string().min(1).optional(),
    PGLITE_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
    PGLITE_MAX_CONNECTIONS: z.coerce.number().int().min(2).max(100).default(20),
    SEED_DEMO_DATA: booleanish.optional(),

    SESSION_SECRET: z.string().optional(),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(120),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(12),
    LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),

    ENTRA_TENANT_ID: z.string().min(1).optional(),
    ENTRA_CLIENT_ID: z.string().min(1).optional(),
    ENTRA_CLIENT_SECRET: z.string().min(1).optional(),
    ENTRA_ISSUER_URL: z.url().optional(),
    ENTRA_ROLE_GROUPS: z.string().optional(),
    ENTRA_ALLOW_HTTP: booleanish.default(false),
    DEV_LOGIN: z.enum(["auto", "true", "false"]).default("auto"),

    /** Which search engine answers queries: PostgreSQL full text (default) or Meilisearch when MEILI_URL is set. */
    SEARCH_ENGINE: z.enum(["auto", "postgres", "meilisearch"]).default("auto"),
    MEILI_URL: z.url().optional(),
    MEILI_API_KEY: z.string().min(1).optional(),
    /** Prefix of the Meilisearch index names, so several environments can share one server. */
    MEILI_INDEX_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]*$/, "only lower-case letters, digits, _ and -")
      .default("werkplek"),

    /** Where uploaded files live (local disk); defaults to <DATA_DIR>/files. */
    FILE_STORAGE_DIR: z.string().min(1).optional(),
    /** Largest accepted upload, in megabytes. */
    UPLOAD_MAX_MB: z.coerce.number().min(0.1).max(500).default(20),

    /** Whether this process runs the background job workers (pg-boss); "false" for pure web instances. */
    JOBS_ENABLED: booleanish.optional(),
    /** Days before a circular's review date that its owner is reminded. */
    CIRCULAR_REVIEW_NOTICE_DAYS: z.coerce.number().int().min(1).max(365).default(30),

    /** Keys for personal contact data at rest: "k2:<base64 32 bytes>,k1:<…>" (first encrypts, all decrypt). */
    PERSONAL_DATA_KEYS: z.string().min(1).optional(),
    /** Key (base64, 32 bytes) of the blind index that finds a contact without decrypting it. */
    PERSONAL_DATA_INDEX_KEY: z.string().min(1).optional(),
    /** E-mail digests through SMTP: smtp://user:pass@host:587 or smtps://…:465; unset = the outbox. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    SMTP_FROM: z.string().min(3).default("Werkplek Stad Gent <werkplek@stad.gent>"),
    /** outbox (default: stored and shown at /admin/outbox), twilio or http (a generic gateway). */
    SMS_PROVIDER: z.enum(["outbox", "twilio", "http"]).default("outbox"),
    TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    /** E.164 number or alphanumeric sender ID ("StadGent"); or TWILIO_MESSAGING_SERVICE_SID. */
    TWILIO_FROM: z.string().min(1).optional(),
    TWILIO_MESSAGING_SERVICE_SID: z.string().min(1).optional(),
    /** Twilio's API base URL (tests point it at a local server). */
    TWILIO_API_URL: z.url().optional(),
    SMS_GATEWAY_URL: z.url().optional(),
    SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
    /** Shared secret the gateway signs its delivery receipts with (X-Gateway-Signature). */
    SMS_GATEWAY_WEBHOOK_SECRET: z.string().min(16).optional(),
    /** SMS segments per local day; at the limit digests by SMS wait for the next day and admins are alerted. */
    SMS_DAILY_BUDGET: z.coerce.number().int().min(0).max(10_000_000).default(2000),
    /** What the SMS provider accepts per second (all workers together). */
    SMS_RATE_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(10),
    /** Longest digest SMS, in segments (GSM-7: 153 characters each). */
    SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(2),
    /** Web push: VAPID keys (generated and stored in the database on first start when unset). */
    VAPID_PUBLIC_KEY: z.string().min(1).optional(),
    VAPID_PRIVATE_KEY: z.string().min(1).optional(),
    VAPID_SUBJECT: z.string().min(1).default("mailto:werkplek@stad.gent"),
    /** Days a /d/<token> digest link stays valid. */
    DIGEST_LINK_DAYS: z.coerce.number().int().min(1).max(31).default(7),
    /** Days a field worker's sign-in on their own phone (installed app) lasts without use. */
    DEVICE_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  })
  .transform((raw) => {
    const appUrl = raw.APP_URL ?? `http://localhost:${raw.PORT || 3000}`;
    const entraConfigured = Boolean(raw.ENTRA_CLIENT_ID && (raw.ENTRA_TENANT_ID || raw.ENTRA_ISSUER_URL));
    const issuerUrl =
      raw.ENTRA_ISSUER_URL ??
      (raw.ENTRA_TENANT_ID ? `https://login.microsoftonline.com/${raw.ENTRA_TENANT_ID}/v2.0` : undefined);
    const devLoginEnabled =
      raw.DEV_LOGIN === "true" ||
      (raw.DEV_LOGIN === "auto" && !entraConfigured && raw.NODE_ENV !== "production");
    const pgliteDataDir = raw.PGLITE_DATA_DIR ?? path.join(raw.DATA_DIR, "pglite");
    const searchEngine =
      raw.SEARCH_ENGINE === "auto" ? (raw.MEILI_URL ? "meilisearch" : "postgres") : raw.SEARCH_ENGINE;
    return {
      ...raw,
      APP_URL: appUrl.replace(/\/$/, ""),
      isProduction: raw.NODE_ENV === "production",
      entra: entraConfigured
        ? {
            issuerUrl: issuerUrl as string,
            clientId: raw.ENTRA_CLIENT_ID as string,
            clientSecret: raw.ENTRA_CLIENT_SECRET,
            roleGroups: parseRoleGroups(raw.ENTRA_ROLE_GROUPS) ?? {},
            allowHttp: raw.ENTRA_ALLOW_HTTP,
          }
        : null,
      devLoginEnabled,
      pgliteDataDir,
      searchEngine,
      fileStorageDir: raw.FILE_STORAGE_DIR ?? path.join(raw.DATA_DIR, "files"),
      uploadMaxBytes: Math.round(raw.UPLOAD_MAX_MB * 1024 * 1024),
      // Tests start the job runner themselves when they need it.
      jobsEnabled: raw.JOBS_ENABLED ?? raw.NODE_ENV !== "test",
      seedDemoData: raw.SEED_DEMO_DATA ?? raw.NODE_ENV !== "production",
      smtp: raw.SMTP_URL ? { url: raw.SMTP_URL, from: raw.SMTP_FROM } : null,
    };
  })
  .superRefine((env, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: "custom", message });
    if (parseRoleGroups(env.ENTRA_ROLE_GROUPS) === null) {
      problem(
        "ENTRA_ROLE_GROUPS must look like 'editor=<group id>,admin=<group id>' (roles: editor, communicator, hr, admin)",
      );
    }
    if (env.DEV_LOGIN === "true" && env.entra && !env.isProduction) {
      problem(
        "DEV_LOGIN=true is not possible while Entra ID is configured: unset the ENTRA_* variables to use it",
      );
    }
    if (env.searchEngine === "meilisearch" && !env.MEILI_URL) {
      problem(
        "SEARCH_ENGINE=meilisearch needs MEILI_URL (and MEILI_API_KEY when the server has a master key)",
      );
    }
    if (env.SESSION_SECRET !== undefined && env.SESSION_SECRET.length < 32) {
      problem("SESSION_SECRET must be at least 32 characters long");
    }
    if (env.SMS_PROVIDER === "twilio") {
      if (!env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN) {
        problem("SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
      }
      if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID) {
        problem("SMS_PROVIDER=twilio needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID");
      }
    }
    if (env.SMS_PROVIDER === "http" && (!env.SMS_GATEWAY_URL || !env.SMS_GATEWAY_TOKEN)) {
      problem("SMS_PROVIDER=http needs SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN");
    }
    const keyProblem = (check: () => unknown, name: string) => {
      try {
        check();
      } catch (error) {
        problem(`${name}: ${(error as Error).message}`);
      }
    };
    if (env.PERSONAL_DATA_KEYS) keyProblem(() => parseKeyring(env.PERSONAL_DATA_KEYS!), "PERSONAL_DATA_KEYS");
    if (env.PERSONAL_DATA_INDEX_KEY) {
      keyProblem(() => parseSecretKey(env.PERSONAL_DATA_INDEX_KEY!), "PERSONAL_DATA_INDEX_KEY");
    }
    if (Boolean(env.VAPID_PUBLIC_KEY) !== Boolean(env.VAPID_PRIVATE_KEY)) {
      problem(
        "VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both, or neither to have them generated",
      );
    }
    if (!env.isProduction) return;
    if (!env.PERSONAL_DATA_KEYS || !env.PERSONAL_DATA_INDEX_KEY) {
      problem(
        "PERSONAL_DATA_KEYS and PERSONAL_DATA_INDEX_KEY are required in production (personal contact data is encrypted at rest)",
      );
    }
    if (!env.SESSION_SECRET) problem("SESSION_SECRET is required in production");
    if (env.SESSION_SECRET === EXAMPLE_SESSION_SECRET) {
      problem("SESSION_SECRET is still the example value from .env.example; generate a random one");
    }
    if (env.DEV_LOGIN === "true") {
      problem("DEV_LOGIN must not be enabled in production: anybody could sign in as anybody");
    }
    if (!env.entra) {
      problem(
        "Microsoft Entra ID is not configured: set ENTRA_TENANT_ID and ENTRA_CLIENT_ID (and ENTRA_CLIENT_SECRET)",
      );
    } else {
      if (!env.entra.clientSecret) problem("ENTRA_CLIENT_SECRET is required in production");
      if (env.entra.allowHttp)
        problem("ENTRA_ALLOW_HTTP is for tests against a local provider, never production");
    }
    if (!env.APP_URL.startsWith("https://")) problem("APP_URL must be an https:// URL in production");
  });

export type Env = z.infer<typeof EnvSchema>;
export type RoleGroupMap = Partial<Record<"editor" | "communicator" | "hr" | "admin", string[]>>;

function parseRoleGroups(value: string | undefined): RoleGroupMap | null {
  const map: RoleGroupMap = {};
  if (!value?.trim()) return map;
  for (const pair of value.split(",")) {
    const [role, groupId] = pair.split("=").map((part) => part.trim());
    if ((role !== "editor" && role !== "communicator" && role !== "hr" && role !== "admin") || !groupId)
      return null;
    (map[role] ??= []).push(groupId);
  }
  return map;
}

/** Thrown when the configuration is invalid; `problems` are meant for the operator, one per line. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses and validates a set of environment variables (process.env by default). */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings (as in a copied .env.example) count as unset.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) =>
        issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
      ),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated environment of this process, parsed once. */
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Forget the cached environment (tests change process.env between cases). */
export function resetEnvCache() {
  cached = undefined;
}

/** The session secret; outside production a fixed development secret keeps the quick start to two commands. */
export function sessionSecrets(env: Env = getEnv()): string[] {
  return [env.SESSION_SECRET ?? "werkplek-development-only-secret-do-not-use-in-production"];
}
