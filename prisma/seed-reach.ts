/**
 * Demo data for reaching field workers (issue 5): a few field workers with a verified personal number or
 * e-mail address (fictional: +32 470 00 xx xx numbers, example.com addresses), their consents (given
 * themselves, or recorded by HR from a signed form or a phone call, with the text version), digest
 * preferences (daily at 06:30, weekly on Monday, urgent only; quiet hours 21:00-06:00), and one HR colleague
 * with the hr role. Idempotent: what exists is left alone, so a second run changes nothing and a demo
 * user's own changes survive a re-seed.
 *
 * Two of them (Marc De Wilde by SMS, Jan Bauwens by e-mail) are due right away (nextDueAt = now, last digest
 * a few days back), so the planner's first run after `npm start` composes their digests and /admin/outbox
 * shows what would have been sent.
 */
import { type Prisma } from "../app/generated/prisma/client";
import { CURRENT_CONSENT_VERSION } from "../app/modules/reach/consent-texts";
import { storedContact } from "../app/modules/reach/contact-storage.server";

type Db = Prisma.TransactionClient;
type Purpose = "digest_push" | "digest_sms" | "digest_email" | "sign_in_sms";

/** The HR colleague who registers numbers in the demo (Hanne Maes, loopbaanbegeleider at HR). */
export const SEED_HR_EMPLOYEE_NUMBER = "GE-108215";

export type SeedReachPerson = {
  employeeNumber: string;
  phone?: string;
  email?: string;
  /** Who recorded the consent: the worker in the app, or HR from a form or a phone call. */
  consent: { purposes: Purpose[]; method: "self" | "hr_form" | "hr_phone"; note?: string; daysAgo: number };
  /** A consent given and later withdrawn, to show a history. */
  withdrawn?: { purpose: Purpose; grantedDaysAgo: number; withdrawnDaysAgo: number };
  preference: {
    channels: ("push" | "sms" | "email")[];
    rhythm: "daily" | "weekly" | "urgent_only";
    sendAt: string;
    weekday?: number;
    quiet?: boolean;
    /** Due now, last digest this many days back: the planner composes a digest on its first run. */
    dueNowSinceDays?: number;
  };
};

/** The demo field workers' reach. */
export const SEED_REACH: readonly SeedReachPerson[] = [
  {
    // The field-worker demo account: SMS every morning before the shift, sign-in by SMS code.
    employeeNumber: "GE-111058",
    phone: "+32470001158",
    consent: { purposes: ["digest_sms", "sign_in_sms"], method: "self", daysAgo: 12 },
    preference: { channels: ["sms"], rhythm: "daily", sendAt: "06:30", quiet: true, dueNowSinceDays: 3 },
  },
  {
    // A team leader who prefers a weekly e-mail on Monday.
    employeeNumber: "GE-113158",
    email: "jan.bauwens@example.com",
    consent: { purposes: ["digest_email"], method: "self", daysAgo: 20 },
    preference: { channels: ["email"], rhythm: "weekly", sendAt: "07:00", weekday: 1, dueNowSinceDays: 8 },
  },
  {
    // Registered by HR from a signed form: urgent news only.
    employeeNumber: "GE-113876",
    phone: "+32470003876",
    consent: {
      purposes: ["digest_sms", "sign_in_sms"],
      method: "hr_form",
      note: "Toestemmingsformulier getekend tijdens de ploegvergadering Groen Noord.",
      daysAgo: 9,
    },
    preference: { channels: ["sms"], rhythm: "urgent_only", sendAt: "07:00", quiet: true },
  },
  {
    // Registered by HR on the phone; once asked for e-mail too, then withdrew it.
    employeeNumber: "GE-115871",
    phone: "+32470005871",
    consent: { purposes: ["digest_sms"], method: "hr_phone", note: "Telefonisch bevestigd.", daysAgo: 6 },
    withdrawn: { purpose: "digest_email", grantedDaysAgo: 30, withdrawnDaysAgo: 15 },
    preference: { channels: ["sms"], rhythm: "daily", sendAt: "06:30", quiet: true },
  },
  {
    // Wants notifications on the phone; reachable once the app is installed and push is switched on.
    employeeNumber: "GE-117905",
    consent: { purposes: ["digest_push"], method: "self", daysAgo: 4 },
    preference: { channels: ["push"], rhythm: "daily", sendAt: "06:30", quiet: true },
  },
];

const DAY_MS = 24 * 3600_000;

/** Seeds the demo reach data; returns how many people it describes. */
export async function seedReach(db: Db, now: Date = new Date()): Promise<{ people: number }> {
  const numbers = [SEED_HR_EMPLOYEE_NUMBER, ...SEED_REACH.map((p) => p.employeeNumber)];
  const users = await db.user.findMany({
    where: { employeeNumber: { in: numbers } },
    select: { id: true, employeeNumber: true },
  });
  const idOf = new Map(users.map((u) => [u.employeeNumber, u.id]));
  const id = (employeeNumber: string) => {
    const found = idOf.get(employeeNumber);
    if (!found) throw new Error(`Seed reach refers to unknown employee ${employeeNumber}`);
    return found;
  };
  const hrId = id(SEED_HR_EMPLOYEE_NUMBER);
  // An empty update keeps a role granted elsewhere as it was.
  await db.roleAssignment.upsert({
    where: { userId_role: { userId: hrId, role: "hr" } },
    create: { userId: hrId, role: "hr", source: "seed" },
    update: {},
  });

  for (const person of SEED_REACH) {
    const userId = id(person.employeeNumber);
    const byHr = person.consent.method !== "self";
    const at = (days: number) => new Date(now.getTime() - days * DAY_MS);

    if (person.phone) {
      await ensureContact(db, {
        userId,
        kind: "phone",
        value: person.phone,
        byHr: byHr ? hrId : null,
        at: at(person.consent.daysAgo),
      });
    }
    if (person.email) {
      await ensureContact(db, {
        userId,
        kind: "email",
        value: person.email,
        byHr: byHr ? hrId : null,
        at: at(person.consent.daysAgo),
      });
    }

    const known = new Set(
      (await db.consentEvent.findMany({ where: { userId }, select: { purpose: true } })).map(
        (e) => e.purpose,
      ),
    );
    const events: Prisma.ConsentEventCreateManyInput[] = [];
    if (person.withdrawn && !known.has(person.withdrawn.purpose)) {
      const base = { userId, purpose: person.withdrawn.purpose, textVersion: CURRENT_CONSENT_VERSION };
      events.push(
        {
          ...base,
          granted: true,
          method: "self",
          recordedById: userId,
          createdAt: at(person.withdrawn.grantedDaysAgo),
        },
        {
          ...base,
          granted: false,
          method: "hr_phone",
          recordedById: hrId,
          note: "Wil geen e-mail meer, sms volstaat.",
          createdAt: at(person.withdrawn.withdrawnDaysAgo),
        },
      );
    }
    for (const purpose of person.consent.purposes) {
      if (known.has(purpose)) continue;
      events.push({
        userId,
        purpose,
        granted: true,
        method: person.consent.method,
        textVersion: CURRENT_CONSENT_VERSION,
        recordedById: byHr ? hrId : userId,
        note: person.consent.note ?? null,
        createdAt: at(person.consent.daysAgo),
      });
    }
    if (events.length > 0) await db.consentEvent.createMany({ data: events });

    const existing = await db.digestPreference.findUnique({ where: { userId }, select: { userId: true } });
    if (!existing) {
      const { preference } = person;
      const due = preference.dueNowSinceDays;
      await db.digestPreference.create({
        data: {
          userId,
          channels: preference.channels,
          rhythm: preference.rhythm,
          sendAt: preference.sendAt,
          weekday: preference.weekday ?? 1,
          quietFrom: preference.quiet ? "21:00" : null,
          quietUntil: preference.quiet ? "06:00" : null,
          lastDigestAt: due === undefined ? null : at(due),
          nextDueAt: due === undefined ? null : now,
        },
      });
    }
  }
  return { people: SEED_REACH.length };
}

/** Creates a verified contact unless the person already has an active one of that kind. */
async function ensureContact(
  db: Db,
  input: { userId: string; kind: "phone" | "email"; value: string; byHr: string | null; at: Date },
): Promise<void> {
  const existing = await db.personalContact.findFirst({
    where: { userId: input.userId, kind: input.kind, removedAt: null },
    select: { id: true },
  });
  if (existing) return;
  await db.personalContact.create({
    data: {
      userId: input.userId,
      kind: input.kind,
      ...storedContact(input.userId, input.kind, input.value),
      registeredById: input.byHr,
      verifiedAt: input.at,
      createdAt: input.at,
    },
  });
}
