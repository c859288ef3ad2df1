import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "~/env.server";
import { digestLink, digestPath, digestToken, verifyDigestToken } from "./token.server";

const ID = "cmabcdefghijklmnopqrstuvw";
const OTHER = "cmzyxwvutsrqponmlkjihgfed";

afterEach(() => {
  delete process.env.SESSION_SECRET;
  resetEnvCache();
});

describe("digest tokens", () => {
  it("round-trips a digest id and names only that digest", () => {
    const token = digestToken(ID);
    expect(token.startsWith(`${ID}.`)).toBe(true);
    expect(verifyDigestToken(token)).toBe(ID);
    expect(verifyDigestToken(digestToken(OTHER))).toBe(OTHER);
  });

  it("refuses a tampered signature, another digest's id with this signature, and junk", () => {
    const token = digestToken(ID);
    const [, signature] = token.split(".");
    const flipped = `${ID}.${signature!.slice(0, -1)}${signature!.endsWith("A") ? "B" : "A"}`;
    expect(verifyDigestToken(flipped)).toBeNull();
    expect(verifyDigestToken(`${OTHER}.${signature}`)).toBeNull();
    for (const junk of [
      "",
      ID,
      `${ID}.`,
      `${token}.extra`,
      `../${token}`,
      `${ID}.${"A".repeat(22)}`,
      `${ID.toUpperCase()}.${signature}`,
      null,
      undefined,
    ]) {
      expect(verifyDigestToken(junk)).toBeNull();
    }
  });

  it("is not the plain HMAC of the session secret (the key is derived for digest links only)", () => {
    process.env.SESSION_SECRET = "s".repeat(40);
    resetEnvCache();
    const naive = createHmac("sha256", "s".repeat(40)).update(`digest:${ID}`).digest().subarray(0, 16);
    expect(verifyDigestToken(`${ID}.${naive.toString("base64url")}`)).toBeNull();
  });

  it("stops verifying when the session secret changes", () => {
    process.env.SESSION_SECRET = "a".repeat(40);
    resetEnvCache();
    const token = digestToken(ID);
    process.env.SESSION_SECRET = "b".repeat(40);
    resetEnvCache();
    expect(verifyDigestToken(token)).toBeNull();
  });

  it("builds the link with the channel", () => {
    expect(digestPath(ID, "sms")).toMatch(new RegExp(`^/d/${ID}\\.[A-Za-z0-9_-]{22}\\?k=sms$`));
    expect(digestLink(ID, "email")).toMatch(/^https?:\/\/[^/]+\/d\/.+\?k=email$/);
  });

  it("refuses to sign something that is not a digest id", () => {
    expect(() => digestToken("../admin")).toThrow(TypeError);
  });
});
