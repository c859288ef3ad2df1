/**
 * Attachments (PDF, DOCX, XLSX listed under a circular) and body images of a circular's working copy.
 * Editors add and remove them; removal only sets `removedAt`, so published versions that list the file
 * (CircularVersion.attachmentIds) keep serving it. Readers get a file only through `findReadableFile`.
 *
 * The search index holds the attachment text of the published version only (search/circular-documents),
 * so changes to the working copy enqueue nothing: publication (approveAndPublishCircular) does, in its
 * own transaction, once the new attachment list is what readers see.
 */
import { prisma } from "~/db.server";
import { deleteFileIfUnused } from "~/modules/files/references.server";
import { type Prisma } from "~/generated/prisma/client";
import { FileError } from "~/modules/files/errors";
import { extractText } from "~/modules/files/extract.server";
import { fileUrl } from "~/modules/files/file-types";
import { getFileStorage } from "~/modules/files/storage.server";
import { type UploadInput, validateUpload } from "~/modules/files/validate.server";
import { CircularError } from "./errors";
import { canManageCirculars, canReadCircular, type Reader } from "./policy.server";
import { type Actor } from "./workflow.server";

export type AttachmentKind = "attachment" | "image";

export type AttachmentSummary = {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
  url: string;
};

const SUMMARY_SELECT = { id: true, fileName: true, mediaType: true, size: true } as const;

function summary(row: { id: string; fileName: string; mediaType: string; size: number }): AttachmentSummary {
  return { ...row, url: fileUrl(row.id) };
}

function requireManager(actor: Actor) {
  if (!canManageCirculars(actor)) throw new CircularError("forbidden", "Only editors manage attachments");
}

async function lockEditableCircular(tx: Prisma.TransactionClient, circularId: string) {
  // Row lock: publication snapshots the attachment list; an upload must land before or after, not during.
  const rows = await tx.$queryRaw<{ status: string }[]>`
    SELECT "status"::text AS "status" FROM "Circular" WHERE "id" = ${circularId} FOR UPDATE`;
  const circular = rows[0];
  if (!circular) throw new CircularError("not_found", `Circular ${circularId} does not exist`);
  if (circular.status === "archived") {
    throw new CircularError("invalid_state", "An archived circular's attachments cannot change");
  }
  return circular;
}

/** Removes a stored file unless some row still points at it (keys are shared by identical content). */
async function discardUnreferenced(storageKey: string) {
  await deleteFileIfUnused(storageKey);
}

/**
 * Adds a file to a circular's working copy: validated by content, text extracted for search (attachments
 * only), stored, then recorded in one transaction. Throws FileError for a refused file and CircularError
 * for a missing or archived circular or a non-editor; nothing is kept in either case.
 */
export async function addCircularAttachment(
  actor: Actor,
  circularId: string,
  upload: UploadInput,
  kind: AttachmentKind = "attachment",
): Promise<AttachmentSummary> {
  requireManager(actor);
  const circular = await prisma.circular.findUnique({ where: { id: circularId }, select: { status: true } });
  if (!circular) throw new CircularError("not_found", `Circular ${circularId} does not exist`);
  if (circular.status === "archived") {
    throw new CircularError("invalid_state", "An archived circular's attachments cannot change");
  }
  const file = await validateUpload(upload, kind === "image" ? "image" : "attachment");
  const duplicate = await prisma.circularAttachment.findFirst({
    where: { circularId, sha256: file.sha256, kind, removedAt: null },
    select: { fileName: true },
  });
  if (duplicate) {
    throw new FileError("duplicate", `This file is already attached as ${duplicate.fileName}`, {
      name: duplicate.fileName,
    });
  }
  const extractedText = kind === "attachment" ? await extractText(file.bytes, file.mediaType) : null;
  const stored = await getFileStorage().put(file.bytes);
  try {
    return await prisma.$transaction(async (tx) => {
      await lockEditableCircular(tx, circularId);
      const row = await tx.circularAttachment.create({
        data: {
          circularId,
          kind,
          fileName: file.fileName,
          mediaType: file.mediaType,
          size: file.size,
          sha256: stored.sha256,
          storageKey: stored.key,
          extractedText,
          uploadedById: actor.id,
        },
        select: SUMMARY_SELECT,
      });
      return summary(row);
    });
  } catch (error) {
    await discardUnreferenced(stored.key);
    throw error;
  }
}

/** Takes a file off the working copy; published versions that list it keep it. */
export async function removeCircularAttachment(actor: Actor, circularId: string, attachmentId: string) {
  requireManager(actor);
  return prisma.$transaction(async (tx) => {
    await lockEditableCircular(tx, circularId);
    const attachment = await tx.circularAttachment.findFirst({
      where: { id: attachmentId, circularId, removedAt: null },
      select: { id: true, kind: true, fileName: true },
    });
    if (!attachment)
      throw new CircularError("not_found", `Attachment ${attachmentId} is not on this circular`);
    await tx.circularAttachment.update({ where: { id: attachment.id }, data: { removedAt: new Date() } });
    return { id: attachment.id, fileName: attachment.fileName };
  });
}

/** The attachments of a circular's working copy, oldest first (for editors). */
export async function listCircularAttachments(circularId: string): Promise<AttachmentSummary[]> {
  const rows = await prisma.circularAttachment.findMany({
    where: { circularId, kind: "attachment", removedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: SUMMARY_SELECT,
  });
  return rows.map(summary);
}

export type ReadableFile = {
  id: string;
  kind: AttachmentKind;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  storageKey: string;
};

/**
 * The file a person may download, or null (answer 404, so existence is not revealed). Editors get every
 * file. Others need a readable circular, and then either a body image or an attachment that one of its
 * published versions lists: files of drafts and pending changes stay invisible.
 */
export async function findReadableFile(reader: Reader, fileId: string): Promise<ReadableFile | null> {
  if (!/^[a-z0-9]{10,40}$/.test(fileId)) return null;
  const row = await prisma.circularAttachment.findUnique({
    where: { id: fileId },
    select: {
      id: true,
      kind: true,
      fileName: true,
      mediaType: true,
      size: true,
      sha256: true,
      storageKey: true,
      circularId: true,
      circular: { select: { publishedAudience: true, publishedVersion: true } },
    },
  });
  if (!row) return null;
  const file: ReadableFile = {
    id: row.id,
    kind: row.kind === "image" ? "image" : "attachment",
    fileName: row.fileName,
    mediaType: row.mediaType,
    size: row.size,
    sha256: row.sha256,
    storageKey: row.storageKey,
  };
  if (canManageCirculars(reader)) return file;
  if (!canReadCircular(reader, row.circular)) return null;
  if (file.kind === "image") return file;
  const listed = await prisma.circularVersion.count({
    where: { circularId: row.circularId, attachmentIds: { has: row.id } },
  });
  return listed > 0 ? file : null;
}
