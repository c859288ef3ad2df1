import { describe, expect, it } from "vitest";
import { EnvError, EXAMPLE_SESSION_SECRET, parseEnv as parseProcessEnv, sessionSecrets } from "./env.server";

/** parseEnv on a plain set of variables (NodeJS.ProcessEnv insists on a typed NODE_ENV). */
const parseEnv = (vars: Record<string, string | undefined>) => parseProcessEnv(vars as NodeJS.ProcessEnv);

const SECRET = "k3v9-a-perfectly-random-looking-secret-of-48-chars!";

/** Everything production needs, and nothing unsafe: each test removes or spoils one thing. */
const PRODUCTION = {
  NODE_ENV: "production",
  APP_URL: "https://werkplek.stad.gent",
  SESSION_SECRET: SECRET,
  ENTRA_TENANT_ID: "11111111-2222-3333-4444-555555555555",
  ENTRA_CLIENT_ID: "werkplek",
  ENTRA_CLIENT_SECRET: "client-secret",
  PERSONAL_DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
  PERSONAL_DATA_INDEX_KEY: Buffer.alloc(32, 9).toString("base64"),
};

/** The problems parseEnv reports for these variables (an empty list when it accepts them). */
function problemsOf(vars: Record<string, string | undefined>): string[] {
  try {
    parseEnv(vars);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).problems;
  }
}

describe("parseEnv defaults", () => {
  it("starts a development setup with nothing configured, dev login on", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      isProduction: false,
      HOST: "127.0.0.1",
      PORT: 3000,
      APP_URL: "http://localhost:3000",
      SESSION_IDLE_MINUTES: 120,
      SESSION_ABSOLUTE_HOURS: 12,
      entra: null,
      devLoginEnabled: true,
      seedDemoData: true,
    });
    expect(env.pgliteDataDir).toMatch(/data[/\\]pglite$/);
    expect(sessionSecrets(env)).toHaveLength(1);
  });

  it("keeps dev login on in tests without Entra ID", () => {
    expect(parseEnv({ NODE_ENV: "test" }).devLoginEnabled).toBe(true);
  });

  it("turns dev login off by default once Entra ID is configured", () => {
    const env = parseEnv({ ENTRA_TENANT_ID: "tenant-1", ENTRA_CLIENT_ID: "werkplek" });
    expect(env.devLoginEnabled).toBe(false);
    expect(env.entra).toEqual({
      issuerUrl: "https://login.microsoftonline.com/tenant-1/v2.0",
      clientId: "werkplek",
      clientSecret: undefined,
      roleGroups: {},
      allowHttp: false,
    });
  });

  it("lets DEV_LOGIN switch dev login off, but never on next to Entra ID", () => {
    expect(parseEnv({ DEV_LOGIN: "false" }).devLoginEnabled).toBe(false);
    expect(parseEnv({ DEV_LOGIN: "true" }).devLoginEnabled).toBe(true);
    expect(() => parseEnv({ ENTRA_TENANT_ID: "t", ENTRA_CLIENT_ID: "c", DEV_LOGIN: "true" })).toThrow(
      "DEV_LOGIN=true is not possible while Entra ID is configured",
    );
  });

  it("prefers an explicit issuer URL and treats empty values as unset", () => {
    const env = parseEnv({
      ENTRA_ISSUER_URL: "http://127.0.0.1:4000",
      ENTRA_CLIENT_ID: "c",
      ENTRA_TENANT_ID: "",
      APP_URL: "http://localhost:8080/",
      SESSION_SECRET: "",
    });
    expect(env.entra?.issuerUrl).toBe("http://127.0.0.1:4000");
    expect(env.APP_URL).toBe("http://localhost:8080");
    expect(env.SESSION_SECRET).toBeUndefined();
  });

  it("accepts a complete production configuration", () => {
    const env = parseEnv(PRODUCTION);
    expect(env.isProduction).toBe(true);
    expect(env.devLoginEnabled).toBe(false);
    expect(env.seedDemoData).toBe(false);
    expect(sessionSecrets(env)).toEqual([SECRET]);
  });
});

describe("parseEnv refuses unsafe production settings", () => {
  it.each([
    ["no SESSION_SECRET", { SESSION_SECRET: undefined }, "SESSION_SECRET is required in production"],
    ["an empty SESSION_SECRET", { SESSION_SECRET: "" }, "SESSION_SECRET is required in production"],
    [
      "the .env.example placeholder",
      { SESSION_SECRET: EXAMPLE_SESSION_SECRET },
      "SESSION_SECRET is still the example value from .env.example; generate a random one",
    ],
    [
      "DEV_LOGIN=true",
      { DEV_LOGIN: "true" },
      "DEV_LOGIN must not be enabled in production: anybody could sign in as anybody",
    ],
    [
      "no Entra ID",
      { ENTRA_TENANT_ID: undefined, ENTRA_CLIENT_ID: undefined, ENTRA_CLIENT_SECRET: undefined },
      "Microsoft Entra ID is not configured: set ENTRA_TENANT_ID and ENTRA_CLIENT_ID (and ENTRA_CLIENT_SECRET)",
    ],
    ["no client secret", { ENTRA_CLIENT_SECRET: undefined }, "ENTRA_CLIENT_SECRET is required in production"],
    [
      "ENTRA_ALLOW_HTTP",
      { ENTRA_ALLOW_HTTP: "true" },
      "ENTRA_ALLOW_HTTP is for tests against a local provider, never production",
    ],
    [
      "no keys for personal contact data",
      { PERSONAL_DATA_KEYS: undefined },
      "PERSONAL_DATA_KEYS and PERSONAL_DATA_INDEX_KEY are required in production (personal contact data is encrypted at rest)",
    ],
    [
      "an http:// APP_URL",
      { APP_URL: "http://werkplek.stad.gent" },
      "APP_URL must be an https:// URL in production",
    ],
  ])("%s", (_case, change, message) => {
    expect(problemsOf({ ...PRODUCTION, ...change })).toEqual([message]);
  });

  it("lists every problem at once in the error message", () => {
    const { SESSION_SECRET: _omit, ...rest } = PRODUCTION;
    try {
      parseEnv({ ...rest, DEV_LOGIN: "true", APP_URL: "http://x.example" });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe(
        [
          "Invalid configuration:",
          "  - SESSION_SECRET is required in production",
          "  - DEV_LOGIN must not be enabled in production: anybody could sign in as anybody",
          "  - APP_URL must be an https:// URL in production",
        ].join("\n"),
      );
    }
  });
});

describe("parseEnv validation in every environment", () => {
  it("checks the field-worker channels' settings: keys, SMS provider, VAPID pair", () => {
    expect(problemsOf({ PERSONAL_DATA_KEYS: "k1:short" })).toEqual([
      "PERSONAL_DATA_KEYS: The key k1 must be 32 bytes, got 3",
    ]);
    expect(problemsOf({ PERSONAL_DATA_INDEX_KEY: "not base64!" })).toEqual([
      "PERSONAL_DATA_INDEX_KEY: The key is not base64",
    ]);
    expect(problemsOf({ SMS_PROVIDER: "twilio" })).toEqual([
      "SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
      "SMS_PROVIDER=twilio needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID",
    ]);
    expect(problemsOf({ SMS_PROVIDER: "http", SMS_GATEWAY_URL: "https://sms.example" })).toEqual([
      "SMS_PROVIDER=http needs SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN",
    ]);
    expect(problemsOf({ SMS_PROVIDER: "pigeon" })).toHaveLength(1);
    expect(problemsOf({ VAPID_PUBLIC_KEY: "abc" })).toEqual([
      "VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both, or neither to have them generated",
    ]);
    expect(problemsOf({ SMTP_URL: "http://mail.example" })).toEqual([
      "SMTP_URL: must be an smtp:// or smtps:// URL",
    ]);
    const env = parseEnv({ SMTP_URL: "smtp://mail.example:587" });
    expect(env.smtp).toEqual({
      url: "smtp://mail.example:587",
      from: "Werkplek Stad Gent <werkplek@stad.gent>",
    });
    expect(parseEnv({}).smtp).toBeNull();
    expect(parseEnv({}).SMS_PROVIDER).toBe("outbox");
  });

  it("refuses a SESSION_SECRET shorter than 32 characters", () => {
    const message = "SESSION_SECRET must be at least 32 characters long";
    expect(problemsOf({ SESSION_SECRET: "x".repeat(31) })).toEqual([message]);
    expect(problemsOf({ ...PRODUCTION, SESSION_SECRET: "short" })).toEqual([message]);
    expect(problemsOf({ SESSION_SECRET: "x".repeat(32) })).toEqual([]);
  });

  it.each([
    ["an unknown role", "boss=group-1"],
    ["the implicit employee role", "employee=group-1"],
    ["a missing group id", "editor="],
    ["no '='", "editor"],
    ["one bad pair among good ones", "editor=g1,admin"],
  ])("refuses ENTRA_ROLE_GROUPS with %s", (_case, value) => {
    expect(problemsOf({ ENTRA_ROLE_GROUPS: value })).toEqual([
      "ENTRA_ROLE_GROUPS must look like 'editor=<group id>,admin=<group id>' (roles: editor, communicator, hr, admin)",
    ]);
  });

  it("parses ENTRA_ROLE_GROUPS into role → group ids, several groups per role allowed", () => {
    const env = parseEnv({
      ENTRA_TENANT_ID: "t",
      ENTRA_CLIENT_ID: "c",
      ENTRA_ROLE_GROUPS: " editor = g-1 ,admin=g-2, editor=g-3,communicator=g-4",
    });
    expect(env.entra?.roleGroups).toEqual({ editor: ["g-1", "g-3"], admin: ["g-2"], communicator: ["g-4"] });
  });

  it("refuses malformed values with the variable's name", () => {
    expect(problemsOf({ PORT: "http" })[0]).toMatch(/^PORT: /);
    expect(problemsOf({ DATABASE_URL: "mysql://x" })).toEqual(["DATABASE_URL: must be a postgresql:// URL"]);
    expect(problemsOf({ ENTRA_ALLOW_HTTP: "sure" })[0]).toMatch(/^ENTRA_ALLOW_HTTP: /);
  });
});
