/**
 * Reading and saving a person's digest preferences. A channel can be chosen only with its consent (a
 * consent box ticked on the same form grants it in the same transaction) and, for SMS and e-mail, a
 * verified contact; otherwise the field says what to do and nothing is saved. Saving clears nextDueAt so
 * the planner recomputes when the next digest is due.
 */
import { prisma } from "~/db.server";
import { type ConsentPurpose } from "~/generated/prisma/client";
import { grantConsent } from "./consent.server";
import { isReachError } from "./errors";
import { type ConsentMethod } from "./consent-texts";
import {
  DEFAULT_DIGEST_PREFERENCES,
  DigestPreferencesSchema,
  type DigestPreferencesInput,
  type DigestPreferencesView,
  type PreferenceField,
} from "./preferences";
import { CONSENT_FOR_CHANNEL, CONTACT_FOR_CHANNEL, currentConsents } from "./reachability.server";

/** The person's preferences, or the defaults when they never saved any. */
export async function getDigestPreferences(userId: string): Promise<DigestPreferencesView> {
  const row = await prisma.digestPreference.findUnique({
    where: { userId },
    select: {
      channels: true,
      rhythm: true,
      sendAt: true,
      weekday: true,
      categories: true,
      quietFrom: true,
      quietUntil: true,
      paused: true,
    },
  });
  return row ? { ...row, stored: true } : { ...DEFAULT_DIGEST_PREFERENCES };
}

export type PreferenceErrors = Partial<Record<PreferenceField, string>>;

export type SavePreferencesResult = { ok: true } | { ok: false; errors: PreferenceErrors };

class Refused extends Error {
  constructor(readonly errors: PreferenceErrors) {
    super("preferences refused");
  }
}

/** The first problem per field of a failed parse, as error codes. */
function fieldErrors(issues: readonly { path: PropertyKey[]; message: string }[]): PreferenceErrors {
  const errors: PreferenceErrors = {};
  for (const issue of issues) {
    const field = (issue.path[0] === undefined ? "channels" : String(issue.path[0])) as PreferenceField;
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * Validates and saves the preferences. `grant` are the digest purposes whose consent box was ticked: they
 * are recorded (under `textVersion`, by the person, with `method`) in the same transaction, and rolled
 * back with everything else when a field is refused.
 */
export async function saveDigestPreferences(
  userId: string,
  input: unknown,
  consent: {
    grant: readonly ConsentPurpose[];
    textVersion: string;
    method: ConsentMethod;
    recordedById?: string;
  },
): Promise<SavePreferencesResult> {
  const parsed = DigestPreferencesSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const preferences: DigestPreferencesInput = parsed.data;
  const digestPurposes = new Set<ConsentPurpose>(Object.values(CONSENT_FOR_CHANNEL));
  if (consent.grant.some((purpose) => !digestPurposes.has(purpose))) {
    return { ok: false, errors: { channels: "channelUnknown" } };
  }
  try {
    await prisma.$transaction(async (tx) => {
      for (const purpose of consent.grant) {
        await grantConsent(
          {
            userId,
            purpose,
            method: consent.method,
            textVersion: consent.textVersion,
            recordedById: consent.recordedById ?? userId,
          },
          tx,
        );
      }
      const consents = (await currentConsents([userId], tx)).get(userId) ?? new Set<ConsentPurpose>();
      const verified = new Set(
        (
          await tx.personalContact.findMany({
            where: { userId, removedAt: null, verifiedAt: { not: null } },
            select: { kind: true },
          })
        ).map((c) => c.kind),
      );
      const errors: PreferenceErrors = {};
      for (const channel of preferences.channels) {
        if (!consents.has(CONSENT_FOR_CHANNEL[channel])) errors[channel] = "needsConsent";
        else if (channel !== "push" && !verified.has(CONTACT_FOR_CHANNEL[channel])) {
          errors[channel] = channel === "sms" ? "needsPhone" : "needsEmail";
        }
      }
      if (Object.keys(errors).length > 0) throw new Refused(errors);
      const data = { ...preferences, nextDueAt: null };
      await tx.digestPreference.upsert({ where: { userId }, create: { userId, ...data }, update: data });
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors };
    // The consent text changed while the form was open: the person must read the new one.
    if (isReachError(error) && error.code === "consent_version") {
      return { ok: false, errors: { channels: "consentVersion" } };
    }
    throw error;
  }
  return { ok: true };
}
