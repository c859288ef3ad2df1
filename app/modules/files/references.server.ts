/**
 * Which rows still refer to a stored file. The storage is content-addressed, so identical bytes uploaded
 * as a circular's attachment, a post's photo and a profile photo share one key: a module that lets go of
 * a file may delete it only when no other module holds it. Every table that stores a key is listed here,
 * so a new one is added in one place.
 */
import { prisma } from "~/db.server";
import { getFileStorage } from "./storage.server";

/** Whether any circular attachment, post photo, story photo or profile photo uses the file under this key. */
export async function storageKeyInUse(storageKey: string): Promise<boolean> {
  // Profile photos are referenced by their digest in the avatar URL (app/modules/people/photo.server.ts).
  const digest = storageKey.split("/").at(-1) ?? "";
  if ((await prisma.circularAttachment.count({ where: { storageKey } })) > 0) return true;
  if ((await prisma.postImage.count({ where: { storageKey } })) > 0) return true;
  // A submitted ambassador story holds its photo before any post does.
  if ((await prisma.ambassadorStory.count({ where: { photoKey: storageKey } })) > 0) return true;
  return (await prisma.user.count({ where: { avatarUrl: { endsWith: `?v=${digest}` } } })) > 0;
}

/** Deletes the file under this key unless something still refers to it. */
export async function deleteFileIfUnused(storageKey: string): Promise<boolean> {
  if (await storageKeyInUse(storageKey)) return false;
  await getFileStorage().delete(storageKey);
  return true;
}
