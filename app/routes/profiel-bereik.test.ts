/**
 * /profiel/bereik: signed-in only; every action checks the CSRF token; the forms work as plain POSTs
 * (redirect with a message, or 400 with the problems and nothing saved); the page never carries a clear
 * number, address or code.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createCsrfToken } from "~/modules/identity/csrf.server";
import { CURRENT_CONSENT_VERSION } from "~/modules/reach/consent-texts";
import { buildPersonalContact } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { formPost, getRequest, routeContext, settle, signIn, type Visitor } from "../../tests/support/routes";
import { action, loader } from "./profiel_.bereik";

setupTestDatabase();

type Loaded = Awaited<ReturnType<typeof loader>>;
type Refusal = {
  intent: string;
  problems: { field: string; key: string; values?: Record<string, string> }[];
};

function load(who: Visitor | null, query = "") {
  return settle(
    loader({ request: getRequest(`/profiel/bereik${query}`, who), params: {}, context: routeContext }),
  );
}

function post(who: Visitor, fields: Record<string, string | string[]>, token?: string | null) {
  return settle(
    action({ request: formPost("/profiel/bereik", who, fields, token), params: {}, context: routeContext }),
  );
}

async function lastCode(userId: string) {
  const message = await prisma.outboxMessage.findFirstOrThrow({
    where: { userId, purpose: "otp_verify" },
    orderBy: { createdAt: "desc" },
  });
  return message.text.match(/\b(\d{6})\b/)![1]!;
}

describe("/profiel/bereik", () => {
  it("shows the page to a signed-in person and sends others to sign in", async () => {
    const me = await signIn({ isFieldWorker: true });
    const page = await load(me);
    expect(page.status).toBe(200);
    const body = page.body as Loaded;
    expect(body.contacts).toEqual([]);
    expect(body.consents.map((c) => c.purpose)).toEqual([
      "digest_push",
      "digest_sms",
      "digest_email",
      "sign_in_sms",
    ]);
    expect(body.consentTexts.digest_sms.title).toMatch(/sms/);
    expect((await load(null)).status).toBe(302);
  });

  it("refuses every form without a valid CSRF token", async () => {
    const me = await signIn();
    for (const token of [null, createCsrfToken()]) {
      const result = await post(me, { intent: "add-contact", kind: "phone", value: "0470 00 01 01" }, token);
      expect(result.status).toBe(403);
    }
    expect(await prisma.personalContact.count({ where: { userId: me.id } })).toBe(0);
  });

  it("adds a number, shows it masked and waiting, and confirms it with the code", async () => {
    const me = await signIn({ isFieldWorker: true });
    const added = await post(me, { intent: "add-contact", kind: "phone", value: "0470 00 01 02" });
    expect(added).toMatchObject({ status: 303, location: "/profiel/bereik?melding=code-verstuurd" });
    const page = (await load(me, "?melding=code-verstuurd")).body as Loaded;
    expect(page.done).toBe("code-verstuurd");
    expect(page.contacts).toMatchObject([{ kind: "phone", masked: "+32 4•• •• •• 02", verified: false }]);
    expect(page.pending).toMatchObject({ attemptsLeft: 5, expired: false });
    const code = await lastCode(me.id);
    const json = JSON.stringify(page);
    expect(json).not.toContain("470000102");
    expect(json).not.toContain(code);

    const wrong = await post(me, { intent: "verify", code: code === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    expect((wrong.body as Refusal).problems).toEqual([
      { field: "bereik-code", key: "reach.errors.code.wrong_code", values: { count: "4" } },
    ]);
    expect(await post(me, { intent: "verify", code })).toMatchObject({
      status: 303,
      location: "/profiel/bereik?melding=bevestigd",
    });
    expect(((await load(me)).body as Loaded).contacts).toMatchObject([{ verified: true }]);
  });

  it("answers 400 with the reason for a bad number, keeping what was typed, saving nothing", async () => {
    const me = await signIn();
    const result = await post(me, { intent: "add-contact", kind: "phone", value: "09 210 10 10" });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      problems: [{ field: "bereik-phone", key: "reach.errors.phone.not_mobile" }],
      typed: { kind: "phone", value: "09 210 10 10" },
    });
    expect((await post(me, { intent: "fly" })).status).toBe(400);
    expect(await prisma.personalContact.count({ where: { userId: me.id } })).toBe(0);
  });

  it("saves preferences with the consent box, and says what is missing otherwise", async () => {
    const me = await signIn({ isFieldWorker: true });
    const form = {
      intent: "save-preferences",
      consentVersion: CURRENT_CONSENT_VERSION,
      rhythm: "daily",
      sendAt: "06:30",
      weekday: "1",
      categories: ["circulars", "announcements"],
      quietFrom: "21:00",
      quietUntil: "06:00",
    };
    const missing = await post(me, { ...form, channels: ["push", "sms"], consent: ["digest_push"] });
    expect(missing.status).toBe(400);
    expect((missing.body as Refusal).problems).toEqual([
      { field: "bereik-kanaal-sms", key: "reach.preferences.errors.needsConsent" },
    ]);
    expect(await prisma.digestPreference.count({ where: { userId: me.id } })).toBe(0);
    expect(await prisma.consentEvent.count({ where: { userId: me.id } })).toBe(0);

    const halfQuiet = await post(me, {
      ...form,
      quietUntil: "",
      channels: ["push"],
      consent: ["digest_push"],
    });
    expect((halfQuiet.body as Refusal).problems).toEqual([
      { field: "bereik-stil-tot", key: "reach.preferences.errors.quietBoth" },
    ]);

    const saved = await post(me, { ...form, channels: ["push"], consent: ["digest_push"], paused: "on" });
    expect(saved).toMatchObject({ status: 303, location: "/profiel/bereik?melding=bewaard" });
    const page = (await load(me)).body as Loaded;
    expect(page.preferences).toMatchObject({
      channels: ["push"],
      sendAt: "06:30",
      paused: true,
      stored: true,
    });
    expect(page.consents.find((c) => c.purpose === "digest_push")).toMatchObject({
      granted: true,
      textVersion: CURRENT_CONSENT_VERSION,
    });
    expect(page.history).toHaveLength(1);
  });

  it("withdraws a consent and offers to delete the number nothing uses any more", async () => {
    const me = await signIn({ isFieldWorker: true });
    await buildPersonalContact({ userId: me.id, kind: "phone", value: "+32470000103" });
    expect(
      await post(me, {
        intent: "grant-consent",
        purpose: "sign_in_sms",
        textVersion: CURRENT_CONSENT_VERSION,
      }),
    ).toMatchObject({ status: 303, location: "/profiel/bereik?melding=toestemming" });
    const stale = await post(me, { intent: "grant-consent", purpose: "digest_sms", textVersion: "2001-01" });
    expect((stale.body as Refusal).problems).toEqual([
      { field: "bereik-toestemmingen", key: "reach.errors.consent_version" },
    ]);
    const withdrawn = await post(me, { intent: "withdraw-consent", purpose: "sign_in_sms" });
    expect(withdrawn).toMatchObject({
      status: 303,
      location: "/profiel/bereik?melding=ingetrokken&aanbod=phone",
    });
    const page = (await load(me, "?melding=ingetrokken&aanbod=phone")).body as Loaded;
    expect(page.offerRemove).toBe("phone");
    const contactId = page.contacts[0]!.id;
    expect(await post(me, { intent: "remove-contact", contactId })).toMatchObject({ status: 303 });
    expect(((await load(me)).body as Loaded).contacts).toEqual([]);
  });

  it("does not let someone remove another person's contact", async () => {
    const me = await signIn();
    const other = await signIn();
    const contact = await buildPersonalContact({
      userId: other.id,
      kind: "email",
      value: "other@example.be",
    });
    const result = await post(me, { intent: "remove-contact", contactId: contact.id });
    expect((result.body as Refusal).problems).toEqual([
      { field: "bereik-contacten", key: "reach.errors.contact_not_found" },
    ]);
    expect(
      (await prisma.personalContact.findUniqueOrThrow({ where: { id: contact.id } })).removedAt,
    ).toBeNull();
  });
});
