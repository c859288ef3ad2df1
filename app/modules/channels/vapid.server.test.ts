import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { resetEnvCache } from "~/env.server";
import { startPushEndpoint, type TestPushEndpoint } from "../../../tests/support/push-endpoint";
import { setupTestDatabase } from "../../../tests/setup/database";
import { sealPersonalData } from "./keys.server";
import { generateVapidKeys, sendPush, validateVapidKeys } from "./push.server";
import {
  ensureVapidKeys,
  getVapidDetails,
  getVapidPublicKey,
  resetVapidCache,
  VAPID_SECRET_NAME,
  VapidConfigurationError,
} from "./vapid.server";

setupTestDatabase();

const ENV_NAMES = ["VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT"] as const;
const saved: Partial<Record<(typeof ENV_NAMES)[number], string | undefined>> = {};

function setEnv(values: Partial<Record<(typeof ENV_NAMES)[number], string>>) {
  for (const name of ENV_NAMES) {
    if (values[name] === undefined) delete process.env[name];
    else process.env[name] = values[name];
  }
  resetEnvCache();
  resetVapidCache();
}

async function storedRow() {
  return prisma.appSecret.findUnique({ where: { name: VAPID_SECRET_NAME } });
}

beforeAll(() => {
  for (const name of ENV_NAMES) saved[name] = process.env[name];
});

beforeEach(async () => {
  setEnv({});
  await prisma.appSecret.deleteMany({ where: { name: VAPID_SECRET_NAME } });
});

afterEach(() => {
  setEnv({});
});

afterAll(() => {
  for (const name of ENV_NAMES) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
  resetVapidCache();
});

describe("generated VAPID keys", () => {
  it("generates a valid pair on first use, stores the private key sealed and reuses it", async () => {
    const details = await getVapidDetails();
    expect(validateVapidKeys(details)).toEqual([]);
    expect(details.subject).toBe("mailto:werkplek@stad.gent");

    const row = await storedRow();
    expect(row).not.toBeNull();
    expect(row!.value).toContain(details.publicKey);
    // The private key never sits in the database in clear.
    expect(row!.value).not.toContain(details.privateKey);
    expect(JSON.parse(row!.value)).toMatchObject({ version: 1, publicKey: details.publicKey });

    // Same process: cached. Another process (cache gone): read back from the database, not regenerated.
    expect(await getVapidDetails()).toBe(await getVapidDetails());
    resetVapidCache();
    expect(await getVapidDetails()).toEqual(details);
    expect(await getVapidPublicKey()).toBe(details.publicKey);
  });

  it("agrees on one pair when several processes generate at the same time", async () => {
    // Each reset stands for another process: all of them find no row and insert their own candidate.
    const attempts = Array.from({ length: 5 }, () => {
      resetVapidCache();
      return getVapidDetails();
    });
    const results = await Promise.all(attempts);
    const publicKeys = new Set(results.map((result) => result.publicKey));
    expect(publicKeys.size).toBe(1);
    expect(await prisma.appSecret.count({ where: { name: VAPID_SECRET_NAME } })).toBe(1);
    expect(JSON.parse((await storedRow())!.value)).toMatchObject({ publicKey: [...publicKeys][0] });
  });

  it("signs push messages that a push service accepts with the stored key", async () => {
    const endpoint: TestPushEndpoint = await startPushEndpoint();
    try {
      const vapid = await getVapidDetails();
      const subscription = endpoint.subscribe({ applicationServerKey: vapid.publicKey });
      await sendPush(subscription, "Hallo", {
        vapid,
        ttlSeconds: 60,
        urgency: "normal",
        allowLocalEndpoints: true,
      });
      expect(endpoint.refused).toEqual([]);
      expect(endpoint.messages.map((message) => message.plaintext)).toEqual(["Hallo"]);
      expect(endpoint.messages[0]!.vapid.publicKey).toBe(vapid.publicKey);
    } finally {
      await endpoint.close();
    }
  });

  it("refuses a stored row that is not what it wrote, and says what to do", async () => {
    await prisma.appSecret.create({ data: { name: VAPID_SECRET_NAME, value: "not json" } });
    await expect(getVapidDetails()).rejects.toThrow(VapidConfigurationError);
    await expect(getVapidDetails()).rejects.toThrow(/delete the row/);
  });

  it("refuses a private key sealed for another purpose (a value copied from elsewhere)", async () => {
    const keys = generateVapidKeys();
    await prisma.appSecret.create({
      data: {
        name: VAPID_SECRET_NAME,
        value: JSON.stringify({
          version: 1,
          publicKey: keys.publicKey,
          privateKeySealed: sealPersonalData(keys.privateKey, { purpose: "contact:phone", userId: "app" }),
        }),
      },
    });
    await expect(getVapidDetails()).rejects.toThrow(/cannot be decrypted/);
    // The failure is not cached: once the row is fixed, the next call succeeds.
    await prisma.appSecret.deleteMany({ where: { name: VAPID_SECRET_NAME } });
    expect(validateVapidKeys(await getVapidDetails())).toEqual([]);
  });

  it("refuses a stored pair whose public key does not belong to the private key", async () => {
    const one = generateVapidKeys();
    const other = generateVapidKeys();
    await prisma.appSecret.create({
      data: {
        name: VAPID_SECRET_NAME,
        value: JSON.stringify({
          version: 1,
          publicKey: other.publicKey,
          privateKeySealed: sealPersonalData(one.privateKey, { purpose: "app-secret:vapid", userId: "app" }),
        }),
      },
    });
    await expect(getVapidDetails()).rejects.toThrow(/does not belong/);
  });
});

describe("VAPID keys from the environment", () => {
  it("uses the configured pair and subject and stores nothing", async () => {
    const keys = generateVapidKeys();
    setEnv({
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
      VAPID_SUBJECT: "https://werkplek.stad.gent/contact",
    });
    await ensureVapidKeys();
    expect(await getVapidDetails()).toEqual({ ...keys, subject: "https://werkplek.stad.gent/contact" });
    expect(await storedRow()).toBeNull();
  });

  it("refuses a swapped or mismatched pair with a message naming the variables", async () => {
    const one = generateVapidKeys();
    const other = generateVapidKeys();
    setEnv({ VAPID_PUBLIC_KEY: other.publicKey, VAPID_PRIVATE_KEY: one.privateKey });
    await expect(getVapidDetails()).rejects.toThrow(/VAPID_PUBLIC_KEY\/VAPID_PRIVATE_KEY: .*does not belong/);
    setEnv({ VAPID_PUBLIC_KEY: one.privateKey, VAPID_PRIVATE_KEY: one.publicKey });
    await expect(getVapidDetails()).rejects.toThrow(VapidConfigurationError);
    expect(await storedRow()).toBeNull();
  });

  it("refuses a subject that push services reject", async () => {
    setEnv({ VAPID_SUBJECT: "mailto: werkplek@stad.gent" });
    await expect(ensureVapidKeys()).rejects.toThrow(/VAPID_SUBJECT: .*whitespace/);
    setEnv({ VAPID_SUBJECT: "https://localhost/contact" });
    await expect(ensureVapidKeys()).rejects.toThrow(/VAPID_SUBJECT/);
    // Nothing was generated for a configuration that cannot be used.
    expect(await storedRow()).toBeNull();
  });
});
