/**
 * Personal contacts: encrypted at rest (the column never holds the number), masked, found by blind index;
 * the replace flow (pending until verified, then the old one wiped in the same transaction); codes by SMS
 * and e-mail through the outbox; wrong codes, attempts, expiry, reuse; rate limits; HR registration.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { personalDataIndex } from "~/modules/channels/keys.server";
import { buildPersonalContact, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { consentHistory } from "./consent.server";
import { CURRENT_CONSENT_VERSION } from "./consent-texts";
import {
  addContact,
  CONTACT_REGISTERED_NOTIFICATION,
  listContacts,
  pendingVerification,
  registerContactForWorker,
  removeContact,
  sendVerificationCode,
  verifyContact,
} from "./contacts.server";
import { isReachError, type ReachError } from "./errors";
import { OTP_TTL_MS } from "./otp.server";
import { activeContact } from "./reachability.server";

setupTestDatabase();

/** The code in the last outbox message to this person (what their phone or mailbox would have received). */
async function lastCode(userId: string): Promise<string> {
  const message = await prisma.outboxMessage.findFirst({
    where: { userId, purpose: "otp_verify" },
    orderBy: { createdAt: "desc" },
    select: { text: true },
  });
  const code = message?.text.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error("no code in the outbox");
  return code;
}

async function refusal(work: Promise<unknown>): Promise<ReachError> {
  try {
    await work;
  } catch (error) {
    if (isReachError(error)) return error;
    throw error;
  }
  throw new Error("expected a ReachError");
}

const rawRows = (userId: string) =>
  prisma.$queryRaw<{ valueEncrypted: string; valueIndex: string; masked: string; removedAt: Date | null }[]>`
    SELECT "valueEncrypted", "valueIndex", "masked", "removedAt" FROM "PersonalContact"
    WHERE "userId" = ${userId} ORDER BY "createdAt"`;

describe("adding a contact", () => {
  it("stores the number encrypted, masked and blind-indexed, never in clear, and texts a code", async () => {
    const worker = await buildUser({ isFieldWorker: true });
    const added = await addContact({ userId: worker.id, kind: "phone", value: "0470 12 34 56" });
    expect(added.masked).toBe("+32 4•• •• •• 56");
    const [row] = await rawRows(worker.id);
    expect(row!.valueEncrypted).not.toContain("470123456");
    expect(row!.valueEncrypted).toMatch(/^v1\./);
    expect(row!.valueIndex).toBe(personalDataIndex("+32470123456"));
    expect(JSON.stringify(await listContacts(worker.id))).not.toContain("470123456");
    const sms = await prisma.outboxMessage.findFirstOrThrow({ where: { userId: worker.id } });
    expect(sms).toMatchObject({ channel: "sms", purpose: "otp_verify", destination: "+32 4•• •• •• 56" });
    expect(sms.idempotencyKey).toMatch(/^otp:/);
    // Pending: not usable for digests until verified.
    expect(await activeContact(worker.id, "phone")).toBeNull();
  });

  it("refuses bad numbers and addresses with the reason, writing nothing", async () => {
    const worker = await buildUser();
    expect(
      (await refusal(addContact({ userId: worker.id, kind: "phone", value: "09 123 45 67" }))).detail,
    ).toBe("not_mobile");
    expect(
      (await refusal(addContact({ userId: worker.id, kind: "phone", value: "0612345678" }))).detail,
    ).toBe("needs_country_code");
    expect(
      (await refusal(addContact({ userId: worker.id, kind: "phone", value: "+44 7700 900123" }))).detail,
    ).toBe("unsupported_country");
    expect((await refusal(addContact({ userId: worker.id, kind: "phone", value: "bel me" }))).code).toBe(
      "invalid_phone",
    );
    expect(
      (await refusal(addContact({ userId: worker.id, kind: "email", value: "jan@localhost" }))).code,
    ).toBe("invalid_email");
    expect(await prisma.personalContact.count({ where: { userId: worker.id } })).toBe(0);
    expect(await prisma.outboxMessage.count({ where: { userId: worker.id } })).toBe(0);
  });

  it("finds duplicates by blind index however the number is typed", async () => {
    const first = await buildUser();
    const second = await buildUser();
    await buildPersonalContact({ userId: first.id, kind: "phone", value: "+32470000011" });
    // The same person typing their verified number again, in another notation.
    expect(
      (await refusal(addContact({ userId: first.id, kind: "phone", value: "0032 470/00.00.11" }))).code,
    ).toBe("already_verified");
    // A colleague's verified number.
    expect(
      (await refusal(addContact({ userId: second.id, kind: "phone", value: "0470 00 00 11" }))).code,
    ).toBe("in_use");
    // E-mail addresses compare without case.
    await buildPersonalContact({ userId: first.id, kind: "email", value: "jan.peeters@example.com" });
    expect(
      (await refusal(addContact({ userId: second.id, kind: "email", value: "Jan.Peeters@EXAMPLE.com" })))
        .code,
    ).toBe("in_use");
  });

  it("mails a code for an e-mail address", async () => {
    const worker = await buildUser({ locale: "en" });
    await addContact({ userId: worker.id, kind: "email", value: "worker@example.org" });
    const mail = await prisma.outboxMessage.findFirstOrThrow({ where: { userId: worker.id } });
    expect(mail).toMatchObject({
      channel: "email",
      destination: "w•••••••r@example.org",
      purpose: "otp_verify",
    });
    expect(mail.subject).toMatch(/^Your Werkplek code: \d{6}$/);
    expect(mail.html).toContain("<strong>");
  });
});

describe("verifying and replacing", () => {
  it("keeps a verified number in use until the new one is verified, then wipes the old one", async () => {
    const worker = await buildUser();
    const old = await buildPersonalContact({ userId: worker.id, kind: "phone", value: "+32470000021" });
    const added = await addContact({ userId: worker.id, kind: "phone", value: "0470 00 00 22" });
    expect((await activeContact(worker.id, "phone"))?.value).toBe("+32470000021");
    const verified = await verifyContact({ userId: worker.id, code: await lastCode(worker.id) });
    expect(verified).toMatchObject({ contactId: added.contactId, kind: "phone" });
    expect((await activeContact(worker.id, "phone"))?.value).toBe("+32470000022");
    const gone = await prisma.personalContact.findUniqueOrThrow({ where: { id: old.id } });
    expect(gone.removedAt).not.toBeNull();
    expect(gone.valueEncrypted).toBe("");
    expect(gone.valueIndex).toBe("");
    expect(gone.masked).toBe("+32 4•• •• •• 21");
  });

  it("replaces an earlier pending number of the same kind", async () => {
    const worker = await buildUser();
    const first = await addContact({ userId: worker.id, kind: "phone", value: "0470 00 00 31" });
    const firstCode = await lastCode(worker.id);
    const second = await addContact({ userId: worker.id, kind: "phone", value: "0470 00 00 32" });
    const contacts = await listContacts(worker.id);
    expect(contacts.map((c) => c.id)).toEqual([second.contactId]);
    const wiped = await prisma.personalContact.findUniqueOrThrow({ where: { id: first.contactId } });
    expect(wiped).toMatchObject({ valueEncrypted: "", valueIndex: "" });
    // The first code was voided with it.
    const secondCode = await lastCode(worker.id);
    if (firstCode !== secondCode) {
      expect((await refusal(verifyContact({ userId: worker.id, code: firstCode }))).code).toBe(
        "code_refused",
      );
    }
    await verifyContact({ userId: worker.id, code: secondCode });
    expect((await activeContact(worker.id, "phone"))?.value).toBe("+32470000032");
  });

  it("counts wrong codes, refuses after five, and never accepts a code twice", async () => {
    const worker = await buildUser();
    await addContact({ userId: worker.id, kind: "phone", value: "0470 00 00 41" });
    const code = await lastCode(worker.id);
    const wrong = code === "000000" ? "111111" : "000000";
    const malformed = await refusal(verifyContact({ userId: worker.id, code: "12ab" }));
    expect(malformed).toMatchObject({ code: "code_refused", detail: "malformed", attemptsLeft: 5 });
    const first = await refusal(verifyContact({ userId: worker.id, code: wrong }));
    expect(first).toMatchObject({ detail: "wrong_code", attemptsLeft: 4 });
    expect((await pendingVerification(worker.id))?.attemptsLeft).toBe(4);
    await verifyContact({ userId: worker.id, code: code.replace(/^(\d{3})/, "$1 ") });
    const reuse = await refusal(verifyContact({ userId: worker.id, code }));
    expect(reuse).toMatchObject({ code: "code_refused", detail: "no_code" });

    const other = await buildUser();
    await addContact({ userId: other.id, kind: "phone", value: "0470 00 00 42" });
    const otherCode = await lastCode(other.id);
    const otherWrong = otherCode === "000000" ? "111111" : "000000";
    for (let i = 0; i < 4; i += 1) await refusal(verifyContact({ userId: other.id, code: otherWrong }));
    const last = await refusal(verifyContact({ userId: other.id, code: otherWrong }));
    expect(last).toMatchObject({ detail: "too_many_attempts", attemptsLeft: 0 });
    // Even the right code is refused now.
    expect((await refusal(verifyContact({ userId: other.id, code: otherCode }))).detail).toBe(
      "too_many_attempts",
    );
    expect(await activeContact(other.id, "phone")).toBeNull();
  });

  it("refuses an expired code", async () => {
    const worker = await buildUser();
    await addContact({ userId: worker.id, kind: "email", value: "late@example.be" });
    const code = await lastCode(worker.id);
    const later = new Date(Date.now() + OTP_TTL_MS + 1000);
    expect((await refusal(verifyContact({ userId: worker.id, code, now: later }))).detail).toBe("expired");
    expect((await pendingVerification(worker.id, later))?.expired).toBe(true);
  });

  it("sends a new code that voids the old one", async () => {
    const worker = await buildUser();
    const added = await addContact({ userId: worker.id, kind: "phone", value: "0470 00 00 51" });
    await sendVerificationCode({ userId: worker.id, contactId: added.contactId });
    expect(await prisma.outboxMessage.count({ where: { userId: worker.id } })).toBe(2);
    await verifyContact({ userId: worker.id, code: await lastCode(worker.id) });
    expect(
      (await refusal(sendVerificationCode({ userId: worker.id, contactId: added.contactId }))).code,
    ).toBe("no_pending_contact");
    const stranger = await buildUser();
    expect(
      (await refusal(sendVerificationCode({ userId: stranger.id, contactId: added.contactId }))).code,
    ).toBe("contact_not_found");
  });

  it("limits codes per person and per number", async () => {
    const worker = await buildUser();
    const added = await addContact({ userId: worker.id, kind: "phone", value: "0470 00 00 61" });
    await sendVerificationCode({ userId: worker.id, contactId: added.contactId });
    await sendVerificationCode({ userId: worker.id, contactId: added.contactId });
    // A fourth code to the same number in the hour.
    const perNumber = await refusal(sendVerificationCode({ userId: worker.id, contactId: added.contactId }));
    expect(perNumber.code).toBe("rate_limited");
    expect(perNumber.retryAfterSeconds).toBeGreaterThan(0);
    // Other numbers still work until the person's own limit (5 an hour).
    await addContact({ userId: worker.id, kind: "email", value: "a@example.be" });
    const perPerson = await refusal(addContact({ userId: worker.id, kind: "email", value: "b@example.be" }));
    expect(perPerson.code).toBe("rate_limited");
    // Refused before anything was written: the last pending e-mail is still the first one.
    expect((await listContacts(worker.id)).filter((c) => c.kind === "email")).toHaveLength(1);
  });
});

describe("removing a contact", () => {
  it("wipes the value, voids its codes and switches off the channel that needed it", async () => {
    const worker = await buildUser();
    const contact = await buildPersonalContact({ userId: worker.id, kind: "phone", value: "+32470000071" });
    await prisma.digestPreference.create({
      data: { userId: worker.id, channels: ["push", "sms"], nextDueAt: new Date() },
    });
    await removeContact({ userId: worker.id, contactId: contact.id });
    const row = await prisma.personalContact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(row).toMatchObject({ valueEncrypted: "", valueIndex: "" });
    expect(row.removedAt).not.toBeNull();
    const preference = await prisma.digestPreference.findUniqueOrThrow({ where: { userId: worker.id } });
    expect(preference).toMatchObject({ channels: ["push"], nextDueAt: null });
    const stranger = await buildUser();
    const other = await buildPersonalContact({ userId: worker.id, kind: "email", value: "keep@example.be" });
    expect((await refusal(removeContact({ userId: stranger.id, contactId: other.id }))).code).toBe(
      "contact_not_found",
    );
  });
});

describe("HR registration", () => {
  const consent = {
    purposes: ["digest_sms" as const],
    method: "hr_form" as const,
    textVersion: CURRENT_CONSENT_VERSION,
    note: "Formulier getekend in de ploegloods",
  };

  it("is refused without the permission or without a recorded consent, writing nothing", async () => {
    const worker = await buildUser({ isFieldWorker: true });
    const hr = { ...(await buildUser({}, ["hr"])), roles: ["employee", "hr"] as const };
    const clerk = { ...(await buildUser()), roles: ["employee"] as const };
    const value = "0470 00 00 81";
    expect(
      (await refusal(registerContactForWorker(clerk, worker.id, { kind: "phone", value, consent }))).code,
    ).toBe("forbidden");
    expect(
      (await refusal(registerContactForWorker(hr, worker.id, { kind: "phone", value, consent: null }))).code,
    ).toBe("consent_required");
    expect(
      (
        await refusal(
          registerContactForWorker(hr, worker.id, {
            kind: "phone",
            value,
            consent: { ...consent, purposes: [] },
          }),
        )
      ).code,
    ).toBe("consent_required");
    // Consent for e-mail digests does not cover a phone number.
    expect(
      (
        await refusal(
          registerContactForWorker(hr, worker.id, {
            kind: "phone",
            value,
            consent: { ...consent, purposes: ["digest_email"] },
          }),
        )
      ).code,
    ).toBe("consent_required");
    expect(
      (
        await refusal(
          registerContactForWorker(hr, worker.id, {
            kind: "phone",
            value,
            consent: { ...consent, textVersion: "2019-01" },
          }),
        )
      ).code,
    ).toBe("consent_version");
    expect(await prisma.personalContact.count({ where: { userId: worker.id } })).toBe(0);
    expect(await prisma.consentEvent.count({ where: { userId: worker.id } })).toBe(0);
  });

  it("records consent and the pending contact, tells the worker, texts the code; verifying switches SMS on", async () => {
    const worker = await buildUser({ isFieldWorker: true });
    const hrRow = await buildUser({ displayName: "Hanne Maes" }, ["hr"]);
    const hr = { ...hrRow, roles: ["employee", "hr"] as const };
    const added = await registerContactForWorker(hr, worker.id, {
      kind: "phone",
      value: "0470 00 00 82",
      consent,
    });
    const contact = await prisma.personalContact.findUniqueOrThrow({ where: { id: added.contactId } });
    expect(contact).toMatchObject({ registeredById: hr.id, verifiedAt: null });
    const history = await consentHistory(worker.id);
    expect(history).toMatchObject([
      {
        purpose: "digest_sms",
        granted: true,
        method: "hr_form",
        note: consent.note,
        recordedBy: { id: hr.id },
      },
    ]);
    const notification = await prisma.notification.findFirstOrThrow({ where: { userId: worker.id } });
    expect(notification).toMatchObject({ type: CONTACT_REGISTERED_NOTIFICATION, url: "/profiel/bereik" });
    expect(JSON.stringify(notification.data)).not.toContain("470000082");
    // HR enters the code the worker reads out.
    await verifyContact({ userId: worker.id, code: await lastCode(worker.id) });
    const preference = await prisma.digestPreference.findUniqueOrThrow({ where: { userId: worker.id } });
    expect(preference.channels).toEqual(["sms"]);
    expect(preference.nextDueAt).toBeNull();
  });

  it("refuses a worker who has left", async () => {
    const gone = await buildUser({ active: false });
    const hr = { ...(await buildUser({}, ["hr"])), roles: ["employee", "hr"] as const };
    const error = await refusal(
      registerContactForWorker(hr, gone.id, { kind: "phone", value: "0470 00 00 83", consent }),
    );
    expect(error.code).toBe("worker_not_found");
  });
});
