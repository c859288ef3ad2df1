/**
 * Colleagues' profiles: reading one (any signed-in colleague may, as long as the person is active) and
 * editing one's own introduction, expertise tags, work phone and photo. Name, job title, department and
 * e-mail come from HR and Entra ID and are never changed here.
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { deleteFileIfUnused } from "~/modules/files/references.server";
import { FileError } from "~/modules/files/errors";
import { storageKeyFor } from "~/modules/files/storage.server";
import { hasPermission, type Role } from "~/modules/identity/permissions";
import { enqueueSearchIndex } from "../../../search/queue.server";
import { PeopleError, type ProfileFieldErrors } from "./errors";
import { type PersonSummary } from "./person";
import { phoneHref } from "./phone";
import {
  photoDigestOf,
  photoPath,
  processProfilePhoto,
  storeProfilePhoto,
  type PhotoUpload,
  type ProcessedPhoto,
} from "./photo.server";
import { ProfileInputSchema, type ProfileInput } from "./profile-schema";
import { PERSON_SELECT, toPersonSummary } from "./select.server";

type ProfileReader = { id: string; roles: readonly Role[] };

/** User ids are cuids; anything else (or something huge) is simply not a person. */
const UserIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export type Profile = PersonSummary & {
  about: string | null;
  email: string | null;
  workPhone: string | null;
  /** `tel:` link of the work phone. */
  workPhoneHref: string | null;
  /** A field worker without work e-mail: colleagues reach them through the lead of their unit. */
  contactViaTeamLead: boolean;
  isSelf: boolean;
  /** Whether the reader follows this person in the activity stream. */
  followedByReader: boolean;
};

/** A colleague's profile; throws PeopleError(not_found) for an unknown or inactive person. */
export async function getProfile(reader: ProfileReader, userId: unknown): Promise<Profile> {
  if (!hasPermission(reader, "read:directory")) {
    throw new PeopleError("forbidden", "Profiles need the read:directory permission");
  }
  const id = UserIdSchema.safeParse(userId);
  if (!id.success) throw new PeopleError("not_found", "Not a valid person id");
  const { row, follows } = await prisma.$transaction(async (tx) => ({
    row: await tx.user.findFirst({
      where: { id: id.data, active: true },
      select: { ...PERSON_SELECT, about: true, email: true, workPhone: true },
    }),
    follows: await tx.follow.count({
      where: { followerId: reader.id, targetType: "user", targetId: id.data },
    }),
  }));
  // Leavers answer like strangers: their former colleagues' links show "not found", nothing more.
  if (!row) throw new PeopleError("not_found", `No active person ${id.data}`);
  return {
    ...toPersonSummary(row),
    about: row.about,
    email: row.email,
    workPhone: row.workPhone,
    workPhoneHref: row.workPhone ? phoneHref(row.workPhone) : null,
    contactViaTeamLead: row.isFieldWorker && !row.email,
    isSelf: row.id === reader.id,
    followedByReader: follows > 0,
  };
}

export type EditableProfile = {
  displayName: string;
  jobTitle: string | null;
  avatarUrl: string | null;
  initials: string;
  about: string;
  expertise: string[];
  workPhone: string;
};

/** The reader's own profile as the edit form shows it. */
export async function getEditableProfile(reader: ProfileReader): Promise<EditableProfile> {
  const row = await prisma.user.findFirst({
    where: { id: reader.id, active: true },
    select: { ...PERSON_SELECT, about: true, workPhone: true },
  });
  if (!row) throw new PeopleError("not_found", `No active person ${reader.id}`);
  const summary = toPersonSummary(row);
  return {
    displayName: summary.displayName,
    jobTitle: summary.jobTitle,
    avatarUrl: summary.avatarUrl,
    initials: summary.initials,
    about: row.about ?? "",
    expertise: row.expertise,
    workPhone: row.workPhone ?? "",
  };
}

/** Field codes from the schema's issues (the first problem of each field). */
function fieldErrorsOf(error: z.ZodError): ProfileFieldErrors {
  const fields: ProfileFieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (field !== "about" && field !== "expertise" && field !== "workPhone") continue;
    if (fields[field]) continue;
    const params =
      issue.code === "custom" ? (issue.params as Record<string, string | number> | undefined) : undefined;
    fields[field] = {
      code: issue.code === "custom" ? issue.message : "invalid",
      ...(params ? { params } : {}),
    };
  }
  return fields;
}

/**
 * Saves the reader's own profile. Every field is checked (and a photo decoded and converted) before
 * anything is stored; any problem throws PeopleError(invalid_input) with a code per field and nothing is
 * saved, the photo included. Returns the new avatar path.
 */
export async function updateOwnProfile(
  reader: ProfileReader,
  input: ProfileInput,
  photo: PhotoUpload | null = null,
): Promise<{ avatarUrl: string | null }> {
  if (!hasPermission(reader, "update:profile:own")) {
    throw new PeopleError("forbidden", "Editing a profile needs the update:profile:own permission");
  }
  const parsed = ProfileInputSchema.safeParse(input);
  const fields: ProfileFieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  let processed: ProcessedPhoto | null = null;
  if (photo && !(parsed.success && parsed.data.removePhoto)) {
    try {
      processed = await processProfilePhoto(photo);
    } catch (error) {
      if (!(error instanceof FileError)) throw error;
      fields.photo = {
        code: error.code === "malformed_upload" ? "unreadable" : error.code,
        params: error.params,
      };
    }
  }
  if (!parsed.success || Object.keys(fields).length > 0) {
    const summary = Object.entries(fields)
      .map(([field, problem]) => `${field}: ${problem.code}`)
      .join(", ");
    throw new PeopleError("invalid_input", `The profile was not saved (${summary})`, fields);
  }
  const changes = parsed.data;

  // Stored only now that the whole form is valid. Should the update below fail, the file is an unused
  // content-addressed blob that no page can reach (the photo route serves only a user's current digest).
  const digest = processed ? await storeProfilePhoto(processed) : null;

  const { before, after } = await prisma.$transaction(async (tx) => {
    const current = await tx.user.findFirst({
      where: { id: reader.id, active: true },
      select: { avatarUrl: true },
    });
    if (!current) throw new PeopleError("not_found", `No active person ${reader.id}`);
    const avatarUrl = digest ? photoPath(reader.id, digest) : changes.removePhoto ? null : current.avatarUrl;
    await tx.user.update({
      where: { id: reader.id },
      data: { about: changes.about, expertise: changes.expertise, workPhone: changes.workPhone, avatarUrl },
    });
    await enqueueSearchIndex(tx, "person", [reader.id]);
    return { before: current.avatarUrl, after: avatarUrl };
  });

  const oldDigest = photoDigestOf(reader.id, before);
  if (oldDigest && before !== after) await discardPhotoIfUnused(oldDigest);
  return { avatarUrl: after };
}

/**
 * Deletes a replaced or removed photo (it is personal data) unless the same bytes are still in use: keys
 * are shared by identical content, by another person's photo or by a circular's file.
 */
async function discardPhotoIfUnused(digest: string) {
  await deleteFileIfUnused(storageKeyFor(digest));
}

/** The digest of an active person's current photo (for the photo route), or null when there is none. */
export async function currentPhotoDigest(reader: ProfileReader, userId: unknown): Promise<string | null> {
  if (!hasPermission(reader, "read:directory")) return null;
  const id = UserIdSchema.safeParse(userId);
  if (!id.success) return null;
  const row = await prisma.user.findFirst({
    where: { id: id.data, active: true },
    select: { avatarUrl: true },
  });
  return row ? photoDigestOf(id.data, row.avatarUrl) : null;
}
