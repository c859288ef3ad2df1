/**
 * The editable part of a profile and its rules, shared by the server (validation) and the edit page
 * (maxLength, help texts). The job title, name, department and e-mail come from HR and Entra ID and are
 * not editable here.
 */
import { z } from "zod";
import { formatBelgianPhone } from "./phone";

export const ABOUT_MAX = 1000;
export const EXPERTISE_MAX_TAGS = 15;
export const EXPERTISE_TAG_MIN = 2;
export const EXPERTISE_TAG_MAX = 40;
/** Room for 15 tags of 40 characters with separators; longer input is refused without splitting it. */
export const EXPERTISE_INPUT_MAX = EXPERTISE_MAX_TAGS * (EXPERTISE_TAG_MAX + 2);

/** Letters and digits of any script, and the few joiners tags need ("C#", "R&D", "EHBO-verantwoordelijke"). */
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} .&+#/'’()-]*$/u;
// Controls other than line breaks and tabs are never part of an honest text.
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Lower case without accents: tags that differ only in that are the same tag. */
export function foldTag(tag: string): string {
  return tag.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("nl-BE");
}

/** Splits the expertise field ("GIS, openbare verlichting; Excel") into cleaned tags, duplicates dropped. */
export function splitExpertise(input: string | readonly string[]): string[] {
  const pieces = (typeof input === "string" ? [input] : input).flatMap((value) => value.split(/[,;\n]/));
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const piece of pieces) {
    const tag = piece.normalize("NFC").replace(CONTROL, "").replace(/\s+/g, " ").trim();
    if (!tag || seen.has(foldTag(tag))) continue;
    seen.add(foldTag(tag));
    tags.push(tag);
  }
  return tags;
}

/** Normalises the introduction: one kind of line break, no controls, at most one empty line in a row. */
export function cleanAbout(input: string): string {
  return input
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * The profile form's text fields. Each issue's message is a code the page translates (`people.edit.errors.*`);
 * params travel in the issue's `params`.
 */
export const ProfileInputSchema = z
  .object({
    about: z.string().default(""),
    expertise: z.union([z.string(), z.array(z.string())]).default(""),
    workPhone: z.string().default(""),
    removePhoto: z.boolean().default(false),
  })
  .transform((input, ctx) => {
    const about = cleanAbout(input.about);
    if ([...about].length > ABOUT_MAX) {
      ctx.addIssue({ code: "custom", path: ["about"], message: "too_long", params: { max: ABOUT_MAX } });
    }

    const rawExpertise = typeof input.expertise === "string" ? input.expertise : input.expertise.join(",");
    const expertise = rawExpertise.length > EXPERTISE_INPUT_MAX ? [] : splitExpertise(input.expertise);
    if (rawExpertise.length > EXPERTISE_INPUT_MAX || expertise.length > EXPERTISE_MAX_TAGS) {
      ctx.addIssue({
        code: "custom",
        path: ["expertise"],
        message: "too_many",
        params: { max: EXPERTISE_MAX_TAGS },
      });
    } else {
      const badLength = expertise.find((tag) => {
        const length = [...tag].length;
        return length < EXPERTISE_TAG_MIN || length > EXPERTISE_TAG_MAX;
      });
      const badCharacters = expertise.find((tag) => !TAG_PATTERN.test(tag));
      if (badLength !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["expertise"],
          message: "tag_length",
          params: { tag: badLength, min: EXPERTISE_TAG_MIN, max: EXPERTISE_TAG_MAX },
        });
      } else if (badCharacters !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["expertise"],
          message: "tag_characters",
          params: { tag: badCharacters },
        });
      }
    }

    const phoneInput = input.workPhone.trim();
    const workPhone = phoneInput ? formatBelgianPhone(phoneInput) : null;
    if (phoneInput && !workPhone) {
      ctx.addIssue({ code: "custom", path: ["workPhone"], message: "invalid_phone" });
    }

    return { about: about || null, expertise, workPhone, removePhoto: input.removePhoto };
  });

export type ProfileInput = z.input<typeof ProfileInputSchema>;
export type ProfileChanges = z.output<typeof ProfileInputSchema>;
