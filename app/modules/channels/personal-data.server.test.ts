import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type Keyring,
  type PersonalDataErrorCode,
  PersonalDataError,
  blindIndex,
  decryptPersonalData,
  encryptPersonalData,
  isPersonalDataError,
  needsReencryption,
  parseKeyring,
  parseSecretKey,
  reencryptPersonalData,
} from "./personal-data.server";

const k1 = { id: "k1", key: randomBytes(32) };
const k2 = { id: "k2", key: randomBytes(32) };
const ring1: Keyring = { current: k1 };
const ring2: Keyring = { current: k2, previous: [k1] };
const mobile = { purpose: "contact.mobile", userId: "user-1" };

/** The code of the PersonalDataError a call throws, "none" when it does not throw, "other" for another error. */
function failure(fn: () => unknown): PersonalDataErrorCode | "none" | "other" {
  try {
    fn();
  } catch (error) {
    return isPersonalDataError(error) ? error.code : "other";
  }
  return "none";
}

describe("encryptPersonalData / decryptPersonalData", () => {
  it("round-trips a value in the compact v1 format", () => {
    const stored = encryptPersonalData("+32470123456", mobile, ring1);
    expect(stored).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain("470123456");
    expect(decryptPersonalData(stored, mobile, ring1)).toBe("+32470123456");
  });

  it("round-trips non-ASCII text and the empty string", () => {
    for (const value of ["zoë.dhondt@exämple.be", "", "😀 ✓"]) {
      expect(decryptPersonalData(encryptPersonalData(value, mobile, ring1), mobile, ring1)).toBe(value);
    }
  });

  it("uses a fresh IV for every value, so equal numbers do not look equal", () => {
    const a = encryptPersonalData("+32470123456", mobile, ring1);
    const b = encryptPersonalData("+32470123456", mobile, ring1);
    expect(a).not.toBe(b);
    expect(a.split(".")[2]).not.toBe(b.split(".")[2]);
  });

  it("refuses a value copied to another person or another field (associated data)", () => {
    const stored = encryptPersonalData("+32470123456", mobile, ring1);
    expect(failure(() => decryptPersonalData(stored, { ...mobile, userId: "user-2" }, ring1))).toBe(
      "undecryptable",
    );
    expect(failure(() => decryptPersonalData(stored, { ...mobile, purpose: "contact.email" }, ring1))).toBe(
      "undecryptable",
    );
  });

  it("detects a change to any single character of the stored string", () => {
    const stored = encryptPersonalData(
      "jan.peeters@gmail.com",
      { purpose: "contact.email", userId: "u" },
      ring1,
    );
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    for (let at = 0; at < stored.length; at += 1) {
      // Two substitutes per position: the next character of the alphabet and a dot (which breaks the layout).
      const next = alphabet[(alphabet.indexOf(stored[at]!) + 1) % alphabet.length]!;
      for (const substitute of [next, "."]) {
        if (substitute === stored[at]) continue;
        const tampered = stored.slice(0, at) + substitute + stored.slice(at + 1);
        const code = failure(() =>
          decryptPersonalData(tampered, { purpose: "contact.email", userId: "u" }, ring1),
        );
        expect(["malformed", "unknown_key", "undecryptable"], `position ${at} → ${substitute}`).toContain(
          code,
        );
      }
    }
  });

  it("detects a flipped bit in every byte of the IV, ciphertext and tag", () => {
    const stored = encryptPersonalData("+32470123456", mobile, ring1);
    const [version, keyId, ivText, bodyText] = stored.split(".") as [string, string, string, string];
    const iv = Buffer.from(ivText, "base64url");
    const body = Buffer.from(bodyText, "base64url");
    for (const [name, bytes] of [
      ["iv", iv],
      ["body", body],
    ] as const) {
      for (let at = 0; at < bytes.length; at += 1) {
        const copy = Buffer.from(bytes);
        copy[at] = copy[at]! ^ 0x01;
        const tampered =
          name === "iv"
            ? [version, keyId, copy.toString("base64url"), bodyText].join(".")
            : [version, keyId, ivText, copy.toString("base64url")].join(".");
        expect(
          failure(() => decryptPersonalData(tampered, mobile, ring1)),
          `${name}[${at}]`,
        ).toBe("undecryptable");
      }
    }
  });

  it("refuses strings that are not encrypted values", () => {
    for (const value of [
      "",
      "+32470123456",
      "v1.k1",
      "v2.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
      "v1.k1.AAAA.AAAAAAAAAAAAAAAAAAAAAA",
      "v1.k1.AAAAAAAAAAAAAAAA.AAAA",
      "v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.extra",
      "v1.k 1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
      "v1.k1.AAAAAAAAAAAAAAA=.AAAAAAAAAAAAAAAAAAAAAA",
      "v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA+/",
    ]) {
      expect(
        failure(() => decryptPersonalData(value, mobile, ring1)),
        value,
      ).toBe("malformed");
    }
  });

  it("says when the key is unknown", () => {
    const stored = encryptPersonalData("+32470123456", mobile, ring2);
    expect(failure(() => decryptPersonalData(stored, mobile, ring1))).toBe("unknown_key");
  });

  it("fails on the wrong key with the same id rather than returning garbage", () => {
    const stored = encryptPersonalData("+32470123456", mobile, ring1);
    const impostor: Keyring = { current: { id: "k1", key: randomBytes(32) } };
    expect(failure(() => decryptPersonalData(stored, mobile, impostor))).toBe("undecryptable");
  });

  it("refuses bad keys, contexts and oversized values", () => {
    expect(
      failure(() => encryptPersonalData("x", mobile, { current: { id: "k1", key: randomBytes(16) } })),
    ).toBe("invalid_key");
    expect(
      failure(() => encryptPersonalData("x", mobile, { current: { id: "k.1", key: randomBytes(32) } })),
    ).toBe("invalid_key");
    const stored = encryptPersonalData("x", mobile, ring2);
    // A previous key is checked too when it is used.
    expect(
      failure(() =>
        decryptPersonalData(stored, mobile, { current: k1, previous: [{ id: "k2", key: randomBytes(8) }] }),
      ),
    ).toBe("invalid_key");
    expect(failure(() => encryptPersonalData("x", { purpose: "", userId: "u" }, ring1))).toBe(
      "invalid_input",
    );
    expect(failure(() => encryptPersonalData("x", { purpose: "p", userId: "" }, ring1))).toBe(
      "invalid_input",
    );
    expect(failure(() => encryptPersonalData("x".repeat(1025), mobile, ring1))).toBe("invalid_input");
  });

  it("keeps key material and plaintext out of error messages", () => {
    const stored = encryptPersonalData("+32470123456", mobile, ring1);
    try {
      decryptPersonalData(stored, { ...mobile, userId: "user-2" }, ring1);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PersonalDataError);
      const message = (error as PersonalDataError).message;
      expect(message).not.toContain("470123456");
      expect(message).not.toContain(k1.key.toString("base64"));
    }
  });
});

describe("key rotation", () => {
  it("decrypts old values with a previous key and marks them for re-encryption", () => {
    const old = encryptPersonalData("+32470123456", mobile, ring1);
    expect(needsReencryption(old, ring1)).toBe(false);
    expect(needsReencryption(old, ring2)).toBe(true);
    expect(decryptPersonalData(old, mobile, ring2)).toBe("+32470123456");

    const renewed = reencryptPersonalData(old, mobile, ring2);
    expect(renewed.startsWith("v1.k2.")).toBe(true);
    expect(needsReencryption(renewed, ring2)).toBe(false);
    expect(decryptPersonalData(renewed, mobile, { current: k2 })).toBe("+32470123456");
    // Once k1 is retired, what was not rewritten no longer decrypts, and says why.
    expect(failure(() => decryptPersonalData(old, mobile, { current: k2 }))).toBe("unknown_key");
  });

  it("refuses to judge a string that is not an encrypted value", () => {
    expect(failure(() => needsReencryption("+32470123456", ring2))).toBe("malformed");
  });

  it("binds the key id: a value whose id is swapped to another known key does not decrypt", () => {
    const old = encryptPersonalData("+32470123456", mobile, ring1);
    const swapped = old.replace(/^v1\.k1\./, "v1.k2.");
    expect(failure(() => decryptPersonalData(swapped, mobile, ring2))).toBe("undecryptable");
  });
});

describe("parseKeyring", () => {
  const b64 = (bytes: Buffer) => bytes.toString("base64");

  it("reads 'id:base64' entries, the first one current", () => {
    const ring = parseKeyring(` k2:${b64(k2.key)} , k1:${k1.key.toString("base64url")}`);
    expect(ring.current.id).toBe("k2");
    expect(ring.current.key.equals(k2.key)).toBe(true);
    expect(ring.previous?.map((key) => key.id)).toEqual(["k1"]);
    expect(ring.previous?.[0]?.key.equals(k1.key)).toBe(true);
    // What one keyring encrypts, the parsed one decrypts.
    expect(decryptPersonalData(encryptPersonalData("x", mobile, ring2), mobile, ring)).toBe("x");
  });

  it("accepts a single key", () => {
    expect(parseKeyring(`2025-01:${b64(k1.key)}`)).toEqual({
      current: { id: "2025-01", key: k1.key },
      previous: [],
    });
  });

  it.each([
    ["", "empty"],
    ["   ", "blank"],
    [`k1:${b64(randomBytes(16))}`, "a 16-byte key"],
    [`k1:${b64(randomBytes(33))}`, "a 33-byte key"],
    [`k1:${b64(randomBytes(32))},`, "a trailing comma"],
    [`k1:${b64(randomBytes(32))},,k2:${b64(randomBytes(32))}`, "an empty entry"],
    [b64(randomBytes(32)), "no id"],
    [`:${b64(randomBytes(32))}`, "an empty id"],
    [`k.1:${b64(randomBytes(32))}`, "a dot in the id"],
    [`k1:${b64(randomBytes(32))},k1:${b64(randomBytes(32))}`, "a duplicate id"],
    [
      `k1:${b64(randomBytes(32)).slice(0, 20)}!!${b64(randomBytes(32)).slice(20)}`,
      "characters outside base64",
    ],
    ["k1:not a key", "text"],
  ])("refuses %j (%s)", (text) => {
    expect(failure(() => parseKeyring(text))).toBe("invalid_key");
  });

  it("parses a single secret key strictly", () => {
    expect(parseSecretKey(b64(k1.key)).equals(k1.key)).toBe(true);
    expect(failure(() => parseSecretKey(b64(randomBytes(31))))).toBe("invalid_key");
    expect(failure(() => parseSecretKey(`${b64(k1.key)}#`))).toBe("invalid_key");
  });
});

describe("blindIndex", () => {
  const indexKey = randomBytes(32);

  it("is stable for the same value and key, and different for different values", () => {
    const a = blindIndex("+32470123456", indexKey);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(blindIndex("+32470123456", indexKey)).toBe(a);
    expect(blindIndex("+32470123457", indexKey)).not.toBe(a);
    expect(blindIndex("jan@gmail.com", indexKey)).not.toBe(blindIndex("jan@gmail.be", indexKey));
  });

  it("does not depend on the encryption keys, so rotating them changes no index", () => {
    const before = blindIndex("+32470123456", indexKey);
    const stored = encryptPersonalData("+32470123456", mobile, ring1);
    const rotated = reencryptPersonalData(stored, mobile, ring2);
    expect(blindIndex(decryptPersonalData(rotated, mobile, ring2), indexKey)).toBe(before);
  });

  it("depends on its key, so it cannot be recomputed without it", () => {
    expect(blindIndex("+32470123456", randomBytes(32))).not.toBe(blindIndex("+32470123456", indexKey));
  });

  it("treats composed and decomposed accents alike", () => {
    expect(blindIndex("zoe\u0301@example.be", indexKey)).toBe(blindIndex("zoé@example.be", indexKey));
  });

  it("refuses a short key and an empty value", () => {
    expect(failure(() => blindIndex("+32470123456", randomBytes(16)))).toBe("invalid_key");
    expect(failure(() => blindIndex("", indexKey))).toBe("invalid_input");
  });
});
