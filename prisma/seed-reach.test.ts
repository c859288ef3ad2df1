// The demo reach data: encrypted contacts that decrypt for their owner only, consents with a text version,
// preferences as described, two workers due at once, an HR colleague; a second run changes nothing.
import { describe, expect, it } from "vitest";
import { prisma } from "../app/db.server";
import { checkMobile, normaliseEmail } from "../app/modules/channels/contact";
import { CURRENT_CONSENT_VERSION } from "../app/modules/reach/consent-texts";
import { activeContact, reachableChannels } from "../app/modules/reach/reachability.server";
import { buildUser } from "../tests/factories";
import { setupTestDatabase } from "../tests/setup/database";
import { SEED_HR_EMPLOYEE_NUMBER, SEED_REACH, seedReach } from "./seed-reach";
import { SEED_USERS } from "./seed-data";

setupTestDatabase();

const run = (now: Date) => prisma.$transaction((tx) => seedReach(tx, now), { timeout: 60_000 });

describe("seed reach data", () => {
  it("describes seeded field workers with fictional, valid contacts", () => {
    const byNumber = new Map(SEED_USERS.map((u) => [u.employeeNumber, u]));
    expect(byNumber.has(SEED_HR_EMPLOYEE_NUMBER)).toBe(true);
    for (const person of SEED_REACH) {
      expect(byNumber.get(person.employeeNumber)?.isFieldWorker, person.employeeNumber).toBe(true);
      if (person.phone) {
        expect(checkMobile(person.phone)).toMatchObject({ ok: true, e164: person.phone });
        expect(person.phone).toMatch(/^\+3247000\d{4}$/);
      }
      if (person.email) {
        expect(normaliseEmail(person.email)).toBe(person.email);
        expect(person.email).toMatch(/@example\.(com|org|net)$/);
      }
    }
    expect(SEED_REACH.filter((p) => p.preference.dueNowSinceDays !== undefined)).toHaveLength(2);
  });

  it("seeds contacts, consents, preferences and the HR role once", async () => {
    for (const user of SEED_USERS.filter(
      (u) =>
        u.employeeNumber === SEED_HR_EMPLOYEE_NUMBER ||
        SEED_REACH.some((p) => p.employeeNumber === u.employeeNumber),
    )) {
      await buildUser({
        employeeNumber: user.employeeNumber,
        displayName: user.displayName,
        isFieldWorker: user.isFieldWorker,
      });
    }
    const now = new Date("2026-11-23T05:00:00Z");
    await run(now);
    const ids = new Map(
      (await prisma.user.findMany({ select: { id: true, employeeNumber: true } })).map((u) => [
        u.employeeNumber,
        u.id,
      ]),
    );
    const counts = async () => ({
      contacts: await prisma.personalContact.count(),
      consents: await prisma.consentEvent.count(),
      preferences: await prisma.digestPreference.count(),
      roles: await prisma.roleAssignment.count({ where: { role: "hr" } }),
    });
    const first = await counts();
    expect(first.contacts).toBe(
      SEED_REACH.filter((p) => p.phone).length + SEED_REACH.filter((p) => p.email).length,
    );
    expect(first.preferences).toBe(SEED_REACH.length);
    expect(first.roles).toBe(1);

    const marc = ids.get("GE-111058")!;
    const raw = await prisma.personalContact.findFirstOrThrow({ where: { userId: marc } });
    expect(raw.valueEncrypted).not.toContain("470001158");
    expect(raw.masked).toBe("+32 4•• •• •• 58");
    expect((await activeContact(marc, "phone"))?.value).toBe("+32470001158");
    expect((await reachableChannels([marc])).get(marc)).toEqual(new Set(["sms"]));
    const due = await prisma.digestPreference.findMany({ where: { nextDueAt: { not: null } } });
    expect(due).toHaveLength(2);
    for (const preference of due) {
      expect(preference.nextDueAt).toEqual(now);
      expect(preference.lastDigestAt!.getTime()).toBeLessThan(now.getTime());
    }
    const marcPreference = await prisma.digestPreference.findUniqueOrThrow({ where: { userId: marc } });
    expect(marcPreference).toMatchObject({
      rhythm: "daily",
      sendAt: "06:30",
      quietFrom: "21:00",
      quietUntil: "06:00",
    });
    const byHr = await prisma.consentEvent.findMany({ where: { method: { in: ["hr_form", "hr_phone"] } } });
    expect(byHr.length).toBeGreaterThan(0);
    expect(byHr.every((e) => e.recordedById === ids.get(SEED_HR_EMPLOYEE_NUMBER))).toBe(true);
    expect(
      await prisma.consentEvent.count({ where: { textVersion: { not: CURRENT_CONSENT_VERSION } } }),
    ).toBe(0);

    // A second run (even a day later) writes nothing.
    await run(new Date("2026-11-24T05:00:00Z"));
    expect(await counts()).toEqual(first);
    expect(await prisma.digestPreference.count({ where: { nextDueAt: now } })).toBe(2);
  });
});
