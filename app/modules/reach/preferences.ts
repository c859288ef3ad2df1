/**
 * Digest preferences as the form and the server agree on them: the choices, their defaults and the zod
 * schema that checks a submission. Shared with the browser (no server imports); the database work is in
 * preferences.server.ts.
 */
import { z } from "zod";
import { type DigestCategory, type DigestChannel, type DigestRhythm } from "~/generated/prisma/client";

export const DIGEST_CHANNEL_CHOICES = ["push", "sms", "email"] as const satisfies readonly DigestChannel[];
export const DIGEST_RHYTHMS = ["daily", "weekly", "urgent_only"] as const satisfies readonly DigestRhythm[];
export const DIGEST_CATEGORIES = [
  "circulars",
  "announcements",
  "campaigns",
  "groups",
  "topics",
  "personal",
] as const satisfies readonly DigestCategory[];

/** "HH:MM", 00:00 to 23:59. */
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** Send times are on a quarter hour: the planner works in quarter-hour slots. */
const QUARTER = /^(?:[01]\d|2[0-3]):(?:00|15|30|45)$/;

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

/** The fields of the form, each with its own error (reach.preferences.errors.<code>). */
export type PreferenceField =
  | "channels"
  | "push"
  | "sms"
  | "email"
  | "rhythm"
  | "sendAt"
  | "weekday"
  | "categories"
  | "quietFrom"
  | "quietUntil";

/**
 * A submission: channels an ordered subset without repeats, the send time on a quarter hour, an ISO
 * weekday, at least one topic, and quiet hours either both set (different) or both empty. The messages are
 * the error codes the page translates.
 */
export const DigestPreferencesSchema = z
  .object({
    channels: z
      .array(z.enum(DIGEST_CHANNEL_CHOICES, { error: "channelUnknown" }))
      .max(DIGEST_CHANNEL_CHOICES.length, { error: "channelUnknown" })
      .refine(unique, { error: "channelRepeated" }),
    rhythm: z.enum(DIGEST_RHYTHMS, { error: "rhythmInvalid" }),
    sendAt: z.string({ error: "sendAtInvalid" }).regex(QUARTER, { error: "sendAtInvalid" }),
    weekday: z.coerce
      .number({ error: "weekdayInvalid" })
      .int({ error: "weekdayInvalid" })
      .min(1, { error: "weekdayInvalid" })
      .max(7, { error: "weekdayInvalid" }),
    categories: z
      .array(z.enum(DIGEST_CATEGORIES, { error: "categoryUnknown" }))
      .min(1, { error: "categoriesEmpty" })
      .refine(unique, { error: "categoryUnknown" }),
    quietFrom: z.string().regex(CLOCK, { error: "quietInvalid" }).nullable(),
    quietUntil: z.string().regex(CLOCK, { error: "quietInvalid" }).nullable(),
    paused: z.boolean(),
  })
  .superRefine((value, ctx) => {
    if ((value.quietFrom === null) !== (value.quietUntil === null)) {
      const missing = value.quietFrom === null ? "quietFrom" : "quietUntil";
      ctx.addIssue({ code: "custom", path: [missing], message: "quietBoth" });
    } else if (value.quietFrom !== null && value.quietFrom === value.quietUntil) {
      ctx.addIssue({ code: "custom", path: ["quietUntil"], message: "quietSame" });
    }
  });

export type DigestPreferencesInput = z.infer<typeof DigestPreferencesSchema>;

export type DigestPreferencesView = DigestPreferencesInput & {
  /** Whether the person saved preferences before (otherwise these are the defaults). */
  stored: boolean;
};

/** What a person who never saved anything has: no channels, daily at 07:00, everything, no quiet hours. */
export const DEFAULT_DIGEST_PREFERENCES: DigestPreferencesView = {
  channels: [],
  rhythm: "daily",
  sendAt: "07:00",
  weekday: 1,
  categories: [...DIGEST_CATEGORIES],
  quietFrom: null,
  quietUntil: null,
  paused: false,
  stored: false,
};

/** The send-time choices the form offers (every quarter hour), so a browser without type="time" still works. */
export function quarterHours(): string[] {
  const times: string[] = [];
  for (let hour = 0; hour < 24; hour += 1) {
    for (const minute of ["00", "15", "30", "45"]) times.push(`${String(hour).padStart(2, "0")}:${minute}`);
  }
  return times;
}
