import crypto from "node:crypto";
import webpush from "web-push";
import { describe, expect, test } from "vitest";
import {
  buildPushPayload,
  isInAppPath,
  MAX_PUSH_PLAINTEXT_BYTES,
  parsePushPayload,
  PushPayloadError,
} from "./push-payload";

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

// A user agent's keys, to check the bound against real aes128gcm output.
const userAgent = crypto.createECDH("prime256v1");
const p256dh = userAgent.generateKeys().toString("base64url");
const auth = crypto.randomBytes(16).toString("base64url");

const sentence =
  "Één ogenblik: de coördinator van de groendienst meldt dat de ruïne aan de Coupure geïnspecteerd wordt; " +
  "reeën en een café-eigenaar in België zijn op de hoogte gebracht, €12 per uur. ";

describe("the size bound", () => {
  test("is 3,993 bytes: the 4,096-byte body minus the 86-byte header, the delimiter and the 16-byte tag", () => {
    expect(MAX_PUSH_PLAINTEXT_BYTES).toBe(3993);
  });

  test("a plaintext of exactly the bound encrypts to 4,096 bytes, one byte more does not fit", () => {
    const atBound = webpush.encrypt(p256dh, auth, Buffer.alloc(MAX_PUSH_PLAINTEXT_BYTES, 0x61), "aes128gcm");
    expect(atBound.cipherText.length).toBe(4096);
    const over = webpush.encrypt(p256dh, auth, Buffer.alloc(MAX_PUSH_PLAINTEXT_BYTES + 1, 0x61), "aes128gcm");
    expect(over.cipherText.length).toBe(4097);
  });
});

describe("buildPushPayload", () => {
  test("keeps a short payload as it is", () => {
    const built = buildPushPayload({
      title: "Nieuw in Werkplek",
      body: "Twee nieuwe circulaires\nen één aankondiging",
      url: "/d/abc123?bron=push#top",
      tag: "digest:2025-03-30",
      urgency: "normal",
    });
    expect(built.truncated).toBe(false);
    expect(built.payload).toEqual({
      title: "Nieuw in Werkplek",
      body: "Twee nieuwe circulaires en één aankondiging",
      url: "/d/abc123?bron=push#top",
      tag: "digest:2025-03-30",
      urgency: "normal",
    });
    expect(JSON.parse(built.json)).toEqual(built.payload);
    expect(built.bytes).toBe(bytes(built.json));
    expect(parsePushPayload(built.json)).toEqual(built.payload);
  });

  test("shortens a long Dutch body at a word boundary to fit the bound, never the URL", () => {
    const body = sentence.repeat(40); // about 9 KB, mostly multi-byte letters
    const url = "/d/" + "x".repeat(300);
    const built = buildPushPayload({
      title: "Dagoverzicht voor Marc — één nieuwe circulaire",
      body,
      url,
      urgency: "high",
    });

    expect(built.truncated).toBe(true);
    expect(built.bytes).toBeLessThanOrEqual(MAX_PUSH_PLAINTEXT_BYTES);
    expect(built.bytes).toBe(bytes(built.json));
    expect(built.payload.url).toBe(url);
    expect(built.payload.body.endsWith("…")).toBe(true);

    const kept = built.payload.body.slice(0, -1);
    const normalised = body.trim();
    expect(normalised.startsWith(kept)).toBe(true);
    // A word boundary: the original continues with a space or punctuation before the next word.
    expect(normalised.slice(kept.length)).toMatch(/^[\s,;:]/u);
    // Tight: keeping the next word as well would no longer fit.
    const nextWordEnd = normalised.indexOf(" ", kept.length + 2);
    const longer = { ...built.payload, body: normalised.slice(0, nextWordEnd) + "…" };
    expect(bytes(JSON.stringify(longer))).toBeGreaterThan(MAX_PUSH_PLAINTEXT_BYTES);

    // And it really fits in one push message once encrypted.
    expect(webpush.encrypt(p256dh, auth, built.json, "aes128gcm").cipherText.length).toBeLessThanOrEqual(
      4096,
    );
  });

  test("respects a smaller maxBytes", () => {
    const built = buildPushPayload(
      { title: "Melding", body: sentence.repeat(3), url: "/meldingen", urgency: "low" },
      { maxBytes: 200 },
    );
    expect(built.truncated).toBe(true);
    expect(built.bytes).toBeLessThanOrEqual(200);
    expect(built.payload.body).toMatch(/^Één ogenblik.*…$/u);
  });

  test("cuts a body without spaces between graphemes, never inside a letter with a combining accent", () => {
    const body = "e\u0308".repeat(3000); // ë written as e + combining diaeresis, 3 bytes each
    const built = buildPushPayload({ title: "Test", body, url: "/", urgency: "normal" });
    const kept = built.payload.body.slice(0, -1);
    expect(kept.length % 2).toBe(0);
    expect(kept.endsWith("e\u0308")).toBe(true);
    expect(built.bytes).toBeLessThanOrEqual(MAX_PUSH_PLAINTEXT_BYTES);
  });

  test("never splits an emoji's surrogate pair", () => {
    const built = buildPushPayload({ title: "Test", body: "🌳".repeat(2000), url: "/", urgency: "normal" });
    const kept = built.payload.body.slice(0, -1);
    expect(Array.from(kept).every((character) => character === "🌳")).toBe(true);
  });

  test.each([
    "https://evil.example/d/1",
    "http://werkplek.gent.be/d/1",
    "//evil.example/d/1",
    "/\\evil.example/d/1",
    "javascript:alert(1)",
    "data:text/html,hi",
    "d/relative",
    "",
    "/met spatie",
    '/quote"break',
    "/line\nbreak",
    "/" + "a".repeat(2048),
  ])("refuses the URL %j", (url) => {
    expect(isInAppPath(url)).toBe(false);
    expect(() => buildPushPayload({ title: "T", body: "B", url, urgency: "normal" })).toThrow(
      PushPayloadError,
    );
  });

  test.each(["/", "/d/AbC-12_x", "/circulaires/2025/012?tab=versies#v2", "/zoeken?q=%C3%A9%C3%A9n"])(
    "accepts the in-app path %j",
    (url) => {
      expect(isInAppPath(url)).toBe(true);
    },
  );

  test("refuses an empty or overlong title, a bad tag, an unknown urgency and an impossible bound", () => {
    const base = { title: "Titel", body: "Tekst", url: "/d/1", urgency: "normal" as const };
    expect(() => buildPushPayload({ ...base, title: " \n " })).toThrow(PushPayloadError);
    expect(() => buildPushPayload({ ...base, title: "é".repeat(121) })).toThrow(/120 characters/);
    expect(() => buildPushPayload({ ...base, tag: "met spatie" })).toThrow(PushPayloadError);
    expect(() => buildPushPayload({ ...base, tag: "" })).toThrow(PushPayloadError);
    expect(() => buildPushPayload({ ...base, urgency: "urgent" as never })).toThrow(/urgency/);
    expect(() => buildPushPayload(base, { maxBytes: 40 })).toThrow(/do not fit in 40 bytes/);
    expect(() => buildPushPayload(base, { maxBytes: 0 })).toThrow(RangeError);
    expect(() => buildPushPayload(base, { maxBytes: 5000 })).toThrow(RangeError);
  });
});

describe("parsePushPayload", () => {
  test("returns null for anything this app did not send", () => {
    expect(parsePushPayload("not json")).toBeNull();
    expect(parsePushPayload("null")).toBeNull();
    expect(parsePushPayload(JSON.stringify({ title: "T", body: "B", urgency: "normal" }))).toBeNull();
    expect(
      parsePushPayload(
        JSON.stringify({ title: "T", body: "B", url: "https://evil.example/", urgency: "normal" }),
      ),
    ).toBeNull();
    expect(
      parsePushPayload(JSON.stringify({ title: "T", body: "B", url: "/d/1", urgency: "asap" })),
    ).toBeNull();
  });
});
