import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closedPort,
  startSilentServer,
  startSmtpReceiver,
  type SmtpReceiver,
} from "../../../tests/support/smtp-receiver";
import { DeliveryError } from "./delivery";
import {
  createSmtpTransport,
  deliveryErrorFromSmtp,
  type EmailInput,
  type EmailTransport,
} from "./email.server";

const FROM = "Werkplek Stad Gent <werkplek@stad.gent>";
const subject = "Jouw overzicht: één oproep en 2 circulaires over reïntegratie en financiële steun";
const html =
  '<!doctype html><html lang="nl"><body><h1>Goeiemorgen Marc</h1>' +
  '<p>Nieuw: <a href="https://werkplek.stad.gent/d/abc">Circulaire 2025/014 – reïntegratie na ziekte</a></p>' +
  "</body></html>";
const text =
  "Goeiemorgen Marc\n\nNieuw: Circulaire 2025/014 – reïntegratie na ziekte\nhttps://werkplek.stad.gent/d/abc\n";

function digest(overrides: Partial<EmailInput> = {}): EmailInput {
  return { to: "marc.dewilde@example.be", subject, html, text, ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe("SMTP transport against a real SMTP server", () => {
  let receiver: SmtpReceiver;
  let transport: EmailTransport;

  beforeAll(async () => {
    receiver = await startSmtpReceiver();
    transport = createSmtpTransport({ url: receiver.url, from: FROM, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    transport.close();
    await receiver.close();
  });

  it("delivers a Dutch digest with both parts, the subject intact and our Message-ID", async () => {
    const before = receiver.messages.length;
    const result = await transport.send(
      digest({
        headers: { "X-Werkplek-Delivery": "dlv_123" },
        listUnsubscribeUrl: "https://werkplek.stad.gent/afmelden/t0k3n",
        listUnsubscribeOneClick: true,
      }),
    );
    expect(result.providerMessageId).toMatch(/^<[0-9a-f-]{36}@stad\.gent>$/);
    expect(result.acceptedAt).toBeInstanceOf(Date);

    expect(receiver.messages).toHaveLength(before + 1);
    const mail = receiver.messages.at(-1)!;
    expect(mail.envelope).toEqual({ from: "werkplek@stad.gent", to: ["marc.dewilde@example.be"] });
    expect(mail.parsed.subject).toBe(subject);
    expect(mail.parsed.subject).toContain("financiële");
    expect(mail.parsed.messageId).toBe(result.providerMessageId);
    expect(mail.parsed.from?.value).toEqual([{ name: "Werkplek Stad Gent", address: "werkplek@stad.gent" }]);
    expect(mail.parsed.text?.trim()).toBe(text.trim());
    // Exactly what we sent: no tracking pixel, no rewritten links.
    expect(typeof mail.parsed.html === "string" ? mail.parsed.html.trim() : null).toBe(html);
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.raw).not.toMatch(/<img/i);
    expect(mail.parsed.headers.get("x-werkplek-delivery")).toBe("dlv_123");
    expect(mail.raw).toMatch(/^List-Unsubscribe: <https:\/\/werkplek\.stad\.gent\/afmelden\/t0k3n>\r?$/m);
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  });

  it("uses a Message-ID chosen by the caller and adds no List-Unsubscribe without a URL", async () => {
    const result = await transport.send(digest({ messageId: "<digest-42.email@werkplek.stad.gent>" }));
    expect(result.providerMessageId).toBe("<digest-42.email@werkplek.stad.gent>");
    const mail = receiver.messages.at(-1)!;
    expect(mail.parsed.messageId).toBe("<digest-42.email@werkplek.stad.gent>");
    expect(mail.raw).not.toMatch(/^List-Unsubscribe/im);
  });

  it.each([
    ["rcpt", 450, "transient", "recipient_deferred"],
    ["rcpt", 550, "permanent", "recipient_rejected"],
    ["data", 451, "transient", "message_deferred"],
    ["data", 554, "permanent", "message_rejected"],
  ] as const)("maps an SMTP %s reply %i to a %s error", async (stage, code, kind, reason) => {
    const before = receiver.messages.length;
    receiver.failNext(stage, code);
    const error = await failure(transport.send(digest()));
    expect(error).toMatchObject({ kind, code: reason, status: code });
    expect(receiver.messages).toHaveLength(before);
    // The refusal was for that one message: the next one goes through.
    await transport.send(digest());
    expect(receiver.messages).toHaveLength(before + 1);
  });

  it.each([
    ["not-an-address", "invalid_recipient"],
    ["marc@example.be\r\nBcc: everyone@stad.gent", "invalid_recipient"],
    ["marc@example.be, sofie@example.be", "invalid_recipient"],
  ])("refuses the recipient %j without connecting", async (to, code) => {
    const before = receiver.messages.length;
    const error = await failure(transport.send(digest({ to })));
    expect(error).toMatchObject({ kind: "permanent", code });
    expect(receiver.messages).toHaveLength(before);
  });

  it.each<[string, Partial<EmailInput>]>([
    ["an empty plain-text part", { text: " " }],
    ["an empty HTML part", { html: "" }],
    ["a subject with a line break", { subject: "Overzicht\r\nBcc: x@example.be" }],
    ["a reserved header", { headers: { "Message-ID": "<x@y>" } }],
    ["a header name with a colon", { headers: { "X-A: b": "c" } }],
    ["a header value with a line break", { headers: { "X-Ref": "a\r\nBcc: x@example.be" } }],
    ["a javascript: unsubscribe URL", { listUnsubscribeUrl: "javascript:alert(1)" }],
    ["one-click without a URL", { listUnsubscribeOneClick: true }],
    ["a malformed Message-ID", { messageId: "no-brackets@stad.gent" }],
  ])("refuses %s as a permanent invalid_message", async (_label, overrides) => {
    const error = await failure(transport.send(digest(overrides)));
    expect(error).toMatchObject({ kind: "permanent", code: "invalid_message" });
  });
});

describe("SMTP transport failures without a willing server", () => {
  it("reports an unreachable server as transient", async () => {
    const port = await closedPort();
    const transport = createSmtpTransport({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 2_000 });
    const error = await failure(transport.send(digest()));
    expect(error).toMatchObject({ kind: "transient", code: "network", maybeSent: false });
    transport.close();
  });

  it("gives up on a server that never greets within the timeout, as transient", async () => {
    const silent = await startSilentServer();
    const transport = createSmtpTransport({
      url: `smtp://127.0.0.1:${silent.port}`,
      from: FROM,
      timeoutMs: 300,
    });
    const started = Date.now();
    const error = await failure(transport.send(digest()));
    expect(error).toMatchObject({ kind: "transient", code: "timeout" });
    expect(Date.now() - started).toBeLessThan(5_000);
    transport.close();
    await silent.close();
  });

  it("reports a refused login as transient provider_auth (a configuration fault, not the message's)", async () => {
    const receiver = await startSmtpReceiver({ auth: { user: "werkplek", pass: "juist" } });
    const wrong = createSmtpTransport({
      url: receiver.url.replace("werkplek:juist@", "werkplek:fout@"),
      from: FROM,
      timeoutMs: 5_000,
    });
    const error = await failure(wrong.send(digest()));
    expect(error).toMatchObject({ kind: "transient", code: "provider_auth", status: 535 });
    expect(receiver.messages).toHaveLength(0);

    const right = createSmtpTransport({ url: receiver.url, from: FROM, timeoutMs: 5_000 });
    await right.send(digest());
    expect(receiver.messages).toHaveLength(1);
    wrong.close();
    right.close();
    await receiver.close();
  });
});

describe("createSmtpTransport configuration", () => {
  it.each([
    ["http://127.0.0.1:25", FROM],
    ["not a url", FROM],
    ["smtp://127.0.0.1:25", "Werkplek"],
    ["smtp://127.0.0.1:25", "Werkplek <werkplek@>"],
  ])("refuses url %j with sender %j", (url, from) => {
    expect(() => createSmtpTransport({ url, from })).toThrow(TypeError);
  });

  it("refuses a timeout that is not a positive integer", () => {
    expect(() => createSmtpTransport({ url: "smtp://127.0.0.1:25", from: FROM, timeoutMs: 0 })).toThrow(
      TypeError,
    );
  });

  it("accepts a bare sender address", () => {
    const transport = createSmtpTransport({ url: "smtp://127.0.0.1:25", from: "werkplek@stad.gent" });
    transport.close();
  });
});

describe("deliveryErrorFromSmtp", () => {
  it("treats 503 (bad sequence of commands) as transient", () => {
    const error = Object.assign(new Error("bad sequence"), {
      code: "EPROTOCOL",
      responseCode: 503,
      command: "DATA",
    });
    expect(deliveryErrorFromSmtp(error)).toMatchObject({ kind: "transient", status: 503 });
  });

  it("treats a locally refused envelope as a permanent invalid recipient", () => {
    const error = Object.assign(new Error("No recipients defined"), { code: "EENVELOPE" });
    expect(deliveryErrorFromSmtp(error)).toMatchObject({ kind: "permanent", code: "invalid_recipient" });
  });

  it("wraps something that is not an Error as transient", () => {
    expect(deliveryErrorFromSmtp("boom")).toMatchObject({ kind: "transient", code: "provider_error" });
  });
});
