import { describe, expect, it } from "vitest";
import { MAX_PUSH_PLAINTEXT_BYTES, parsePushPayload } from "~/modules/channels/push-payload";
import { isGsm7, smsSegments } from "~/modules/channels/gsm7";
import { type DigestItem } from "./items";
import {
  type DigestForRender,
  digestItemLink,
  escapeHtml,
  renderDigestEmail,
  renderDigestPush,
  renderDigestSms,
} from "./render.server";

const LINK = "https://werkplek.gent.be/d/cmabcdefghijklmnopqrstuvw.AAAAAAAAAAAAAAAAAAAAAA?k=sms";

function item(overrides: Partial<DigestItem> = {}): DigestItem {
  return {
    kind: "circular",
    id: `c${Math.random().toString(36).slice(2)}`,
    title: "2026/041 Coördinatie van de naïeve ploegindeling",
    summary: "Vanaf maandag geldt een nieuwe ploegindeling voor de groendienst.",
    url: "/circulaires/2026/041",
    priority: 0,
    urgent: false,
    needsAcknowledgement: true,
    date: "2026-11-23T06:00:00.000Z",
    ...overrides,
  };
}

function digest(items: DigestItem[], overrides: Partial<DigestForRender> = {}): DigestForRender {
  return {
    id: "cmabcdefghijklmnopqrstuvw",
    userId: "u1",
    locale: "nl",
    givenName: "Marc",
    items,
    urgent: false,
    createdAt: new Date("2026-11-23T06:00:00Z"),
    ...overrides,
  };
}

describe("renderDigestSms", () => {
  it("stays GSM-7 within two segments with ë and ï transliterated and the link whole at the end", () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      item({ title: `Titel ${i}: reïntegratie in België, één “aanhalingsteken”` }),
    );
    const sms = renderDigestSms(digest(many), LINK, 2);
    expect(sms.segments).toBeLessThanOrEqual(2);
    expect(smsSegments(sms.text).segments).toBe(sms.segments);
    expect(isGsm7(sms.text)).toBe(true);
    expect(sms.text).toContain("reintegratie in Belgie");
    expect(sms.text).not.toMatch(/[ëï“”]/u);
    expect(sms.text.split("\n").at(-1)).toBe(LINK);
    expect(sms.text.startsWith("Werkplek: 12 nieuwe items voor jou")).toBe(true);
  });

  it("keeps to one segment when asked and writes English for English readers", () => {
    const sms = renderDigestSms(digest([item()], { locale: "en" }), LINK, 1);
    expect(sms.segments).toBe(1);
    expect(sms.text.startsWith("Werkplek: 1 new item for you")).toBe(true);
  });

  it("marks an urgent digest in the headline", () => {
    const sms = renderDigestSms(digest([item({ urgent: true })], { urgent: true }), LINK, 2);
    expect(sms.text.startsWith("Werkplek DRINGEND: 1 item")).toBe(true);
  });
});

describe("renderDigestPush", () => {
  it("fits the 4 KB bound even with many long titles, with the in-app link path", () => {
    const many = Array.from({ length: 80 }, () => item({ title: "é".repeat(119) }));
    const built = renderDigestPush(digest(many), LINK);
    expect(built.bytes).toBeLessThanOrEqual(MAX_PUSH_PLAINTEXT_BYTES);
    const payload = parsePushPayload(built.json);
    expect(payload?.url).toBe("/d/cmabcdefghijklmnopqrstuvw.AAAAAAAAAAAAAAAAAAAAAA?k=sms");
    expect(payload?.urgency).toBe("normal");
    expect(built.ttlSeconds).toBe(12 * 3600);
    expect(payload?.body).toContain("en nog 77 items");
  });

  it("is high urgency with a day's TTL when urgent", () => {
    const built = renderDigestPush(digest([item({ urgent: true })], { urgent: true }), LINK);
    expect(built.payload.urgency).toBe("high");
    expect(built.ttlSeconds).toBe(24 * 3600);
    expect(built.payload.title).toBe("Dringend in Werkplek");
  });
});

describe("renderDigestEmail", () => {
  it("has an accessible HTML part and a plain-text part with the same items", () => {
    const items = [
      item({ title: "<script>alert(1)</script> & co", urgent: true }),
      item({ kind: "announcement", title: "Sneeuw", needsAcknowledgement: undefined, url: "/berichten/p1" }),
    ];
    const mail = renderDigestEmail(digest(items, { urgent: true }), LINK);
    expect(mail.subject).toBe("Dringend in Werkplek: 2 items");
    expect(mail.html).toContain('<html lang="nl-BE">');
    expect(mail.html).toMatch(/<h1[^>]*>/);
    expect(mail.html).toMatch(/<h2[^>]*><a href="https:\/\/werkplek\.gent\.be\/d\/[^"]+\/naar\/0\?k=sms"/);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
    expect(mail.html).not.toMatch(/<style/);
    expect(mail.html).toContain("Dag Marc,");
    expect(mail.text).toContain("<script>alert(1)</script> & co");
    expect(mail.text).toContain(`${LINK.replace("?k=sms", "/naar/1?k=sms")}`);
    expect(mail.text).toContain(LINK);
    expect(mail.text).toContain("Dringend");
  });

  it("greets without a name and in English", () => {
    const mail = renderDigestEmail(digest([item()], { givenName: null, locale: "en" }), LINK);
    expect(mail.subject).toBe("Werkplek: 1 new item for you");
    expect(mail.text.startsWith("Hello,")).toBe(true);
    expect(mail.html).toContain('lang="en-GB"');
  });
});

describe("helpers", () => {
  it("escapes HTML and builds item links under the digest path", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(digestItemLink(LINK, 3)).toBe(
      "https://werkplek.gent.be/d/cmabcdefghijklmnopqrstuvw.AAAAAAAAAAAAAAAAAAAAAA/naar/3?k=sms",
    );
  });
});
