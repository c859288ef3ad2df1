/**
 * /personeel and /personeel/<id>: only HR and admins see reach (a worker gets 403), only HR changes it; HR
 * registers a number only with consent, and never sees a code or a clear number; CSRF on every action.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { CURRENT_CONSENT_VERSION } from "~/modules/reach/consent-texts";
import { buildPersonalContact, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { formPost, getRequest, routeContext, settle, signIn, type Visitor } from "../../tests/support/routes";
import { loader as overviewLoader } from "./personeel._index";
import { action, loader } from "./personeel.$userId";

setupTestDatabase();

type Overview = {
  totals: { sms: number; any: number };
  result: { rows: { id: string; contacts: unknown[] }[] };
};
type Worker = Awaited<ReturnType<typeof loader>>;
type Refusal = { problems: { field: string; key: string }[] };

const overview = (who: Visitor, query = "") =>
  settle(
    overviewLoader({ request: getRequest(`/personeel${query}`, who), params: {}, context: routeContext }),
  );
const workerPage = (who: Visitor, id: string) =>
  settle(
    loader({ request: getRequest(`/personeel/${id}`, who), params: { userId: id }, context: routeContext }),
  );
const post = (who: Visitor, id: string, fields: Record<string, string | string[]>, token?: string | null) =>
  settle(
    action({
      request: formPost(`/personeel/${id}`, who, fields, token),
      params: { userId: id },
      context: routeContext,
    }),
  );

const register = {
  intent: "register",
  kind: "phone",
  value: "0470 00 02 01",
  purposes: ["digest_sms", "sign_in_sms"],
  method: "hr_form",
  textVersion: CURRENT_CONSENT_VERSION,
  note: "Formulier getekend",
};

describe("/personeel", () => {
  it("is closed to a worker, on every path", async () => {
    const colleague = await buildUser({ isFieldWorker: true });
    const worker = await signIn({ isFieldWorker: true });
    expect((await overview(worker)).status).toBe(403);
    expect((await workerPage(worker, colleague.id)).status).toBe(403);
    expect((await post(worker, colleague.id, register)).status).toBe(403);
    expect(await prisma.personalContact.count({ where: { userId: colleague.id } })).toBe(0);
  });

  it("shows HR the totals and finds field workers by name or employee number, masked", async () => {
    const worker = await buildUser({
      isFieldWorker: true,
      displayName: "Rita Van Laere",
      employeeNumber: "GE-990001",
    });
    await buildPersonalContact({ userId: worker.id, kind: "phone", value: "+32470000202" });
    await prisma.consentEvent.create({
      data: {
        userId: worker.id,
        purpose: "digest_sms",
        granted: true,
        method: "self",
        textVersion: CURRENT_CONSENT_VERSION,
      },
    });
    await buildUser({ isFieldWorker: false, displayName: "Rita Kantoor" });
    const hr = await signIn({}, ["hr"]);
    const all = await overview(hr);
    expect(all.status).toBe(200);
    const totals = (all.body as Overview).totals;
    expect(totals.sms).toBeGreaterThanOrEqual(1);
    expect(totals.any).toBeGreaterThanOrEqual(totals.sms);
    const byName = (await overview(hr, "?q=rita")).body as Overview;
    expect(byName.result.rows.map((r) => r.id)).toEqual([worker.id]);
    expect(byName.result.rows[0]).toMatchObject({
      reachable: ["sms"],
      contacts: [{ kind: "phone", masked: "+32 4•• •• •• 02", verified: true }],
    });
    expect(JSON.stringify(byName)).not.toContain("470000202");
    const byNumber = (await overview(hr, "?q=990001")).body as Overview;
    expect(byNumber.result.rows.map((r) => r.id)).toEqual([worker.id]);
    expect((await overview(hr, `?q=${"x".repeat(101)}`)).status).toBe(400);
  });

  it("lets an admin read a worker's reach but not change it", async () => {
    const worker = await buildUser({ isFieldWorker: true });
    const admin = await signIn({}, ["admin"]);
    const page = await workerPage(admin, worker.id);
    expect(page.status).toBe(200);
    expect((page.body as Worker).canRegister).toBe(false);
    expect((await post(admin, worker.id, register)).status).toBe(403);
    const office = await buildUser({ isFieldWorker: false });
    expect((await workerPage(admin, office.id)).status).toBe(404);
  });

  it("refuses a registration without consent or without a method, saving nothing", async () => {
    const worker = await buildUser({ isFieldWorker: true });
    const hr = await signIn({}, ["hr"]);
    const noConsent = await post(hr, worker.id, { ...register, purposes: [] });
    expect(noConsent.status).toBe(400);
    expect((noConsent.body as Refusal).problems).toEqual([
      { field: "personeel-doelen", key: "reach.hr.register.errors.purposes.phone" },
    ]);
    const { method: _method, ...withoutMethod } = register;
    const noMethod = await post(hr, worker.id, withoutMethod);
    expect((noMethod.body as Refusal).problems).toEqual([
      { field: "personeel-methode", key: "reach.hr.register.errors.method" },
    ]);
    const emailForSms = await post(hr, worker.id, { ...register, kind: "email", value: "x@example.be" });
    expect((emailForSms.body as Refusal).problems[0]!.key).toBe("reach.hr.register.errors.purposes.email");
    expect(await prisma.personalContact.count({ where: { userId: worker.id } })).toBe(0);
    expect(await prisma.consentEvent.count({ where: { userId: worker.id } })).toBe(0);
    expect((await post(hr, worker.id, register, null)).status).toBe(403);
  });

  it("registers with consent; HR never sees the code or the number and enters the code the worker reads out", async () => {
    const worker = await buildUser({ isFieldWorker: true });
    const hr = await signIn({}, ["hr"]);
    expect(await post(hr, worker.id, register)).toMatchObject({
      status: 303,
      location: `/personeel/${worker.id}?melding=code-verstuurd`,
    });
    const sms = await prisma.outboxMessage.findFirstOrThrow({
      where: { userId: worker.id, purpose: "otp_verify" },
    });
    const code = sms.text.match(/\b(\d{6})\b/)![1]!;
    const page = (await workerPage(hr, worker.id)).body as Worker;
    expect(page.contacts).toMatchObject([{ kind: "phone", masked: "+32 4•• •• •• 01", verified: false }]);
    expect(page.pending).toMatchObject({ attemptsLeft: 5 });
    expect(page.history.map((h) => [h.purpose, h.method, h.note])).toEqual(
      expect.arrayContaining([
        ["digest_sms", "hr_form", "Formulier getekend"],
        ["sign_in_sms", "hr_form", "Formulier getekend"],
      ]),
    );
    const json = JSON.stringify(page);
    expect(json).not.toContain(code);
    expect(json).not.toContain("470000201");
    expect(await post(hr, worker.id, { intent: "verify", code })).toMatchObject({ status: 303 });
    const after = (await workerPage(hr, worker.id)).body as Worker;
    expect(after.contacts).toMatchObject([{ verified: true }]);
    expect(after.reachable).toEqual(["sms"]);

    // Withdrawing on the worker's behalf, with method and note.
    const withdrawn = await post(hr, worker.id, {
      intent: "withdraw-consent",
      purpose: "digest_sms",
      method: "hr_phone",
      note: "Belde om te stoppen",
    });
    expect(withdrawn).toMatchObject({ status: 303, location: `/personeel/${worker.id}?melding=ingetrokken` });
    const last = await prisma.consentEvent.findFirstOrThrow({
      where: { userId: worker.id, purpose: "digest_sms" },
      orderBy: { createdAt: "desc" },
    });
    expect(last).toMatchObject({
      granted: false,
      method: "hr_phone",
      recordedById: hr.id,
      note: "Belde om te stoppen",
    });
  });
});
