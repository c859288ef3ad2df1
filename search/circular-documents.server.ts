/**
 * What the index holds for a circular: its latest published version (never a draft or a pending change),
 * with the circular's themes, owner department, published audience, supersession and the text of that
 * version's attachments. Archived circulars stay indexed with status "archived".
 */
import { parseLexicalDocument } from "~/editor/lexical-schema";
import { lexicalToPlainText } from "~/editor/plain-text";
import { type Prisma } from "~/generated/prisma/client";
import { circularPath } from "~/modules/circulars/paths";
import { brusselsDay } from "~/modules/circulars/validity";
import { stripMarkers } from "./snippet";
import { type IndexDocument } from "./types";

/** Attachment text kept per document: enough for search, without making one row huge. */
const MAX_ATTACHMENT_TEXT = 200_000;
const MAX_BODY_TEXT = 200_000;

/** Id of a circular's search document. */
export const circularDocumentId = (circularId: string) => `circular:${circularId}`;

/** Text of a body that no longer passes today's schema (old imports): every "text" property, in order. */
function looseText(node: unknown): string {
  if (!node || typeof node !== "object") return "";
  const record = node as Record<string, unknown>;
  const own = typeof record.text === "string" ? record.text : "";
  const children = Array.isArray(record.children) ? record.children.map(looseText).join(" ") : "";
  const root = record.root ? looseText(record.root) : "";
  return [own, children, root].filter(Boolean).join(" ");
}

function bodyText(body: unknown): string {
  const parsed = parseLexicalDocument(body);
  return parsed.ok ? lexicalToPlainText(parsed.document) : looseText(body);
}

/**
 * Builds the documents of these circulars; ids without a published version (drafts, unknown ids) come
 * back in `remove`.
 */
export async function buildCircularDocuments(
  tx: Prisma.TransactionClient,
  circularIds: readonly string[],
): Promise<{ documents: IndexDocument[]; remove: string[] }> {
  const circulars = await tx.circular.findMany({
    where: { id: { in: [...circularIds] }, publishedVersion: { gt: 0 } },
    select: {
      id: true,
      number: true,
      year: true,
      status: true,
      publishedAudience: true,
      ownerDepartmentId: true,
      ownerDepartment: { select: { name: true } },
      themes: { select: { theme: { select: { slug: true } } } },
      supersedes: { select: { number: true, publishedVersion: true } },
      supersededBy: {
        select: {
          number: true,
          publishedVersion: true,
          versions: {
            orderBy: { version: "asc" },
            take: 1,
            select: { validFrom: true, publishedAt: true },
          },
        },
      },
      versions: {
        orderBy: { version: "desc" },
        take: 1,
        select: {
          version: true,
          title: true,
          summary: true,
          body: true,
          validFrom: true,
          validUntil: true,
          attachmentIds: true,
          publishedAt: true,
        },
      },
    },
  });
  const attachmentIds = circulars.flatMap((c) => c.versions[0]?.attachmentIds ?? []);
  const attachments = attachmentIds.length
    ? await tx.circularAttachment.findMany({
        where: { id: { in: attachmentIds } },
        select: { id: true, circularId: true, fileName: true, extractedText: true },
      })
    : [];
  const attachmentById = new Map(attachments.map((a) => [a.id, a]));

  const documents: IndexDocument[] = [];
  for (const circular of circulars) {
    const version = circular.versions[0];
    if (!version) continue;
    const successor = circular.supersededBy;
    const successorFirst = successor && successor.publishedVersion > 0 ? successor.versions[0] : undefined;
    const attachmentText = version.attachmentIds
      .map((id) => attachmentById.get(id))
      // An id of another circular's file in the list would be a bug elsewhere; never index it here.
      .filter((a) => a && a.circularId === circular.id)
      .map((a) => `${a!.fileName}\n${a!.extractedText ?? ""}`)
      .join("\n\n")
      .slice(0, MAX_ATTACHMENT_TEXT);
    documents.push({
      id: circularDocumentId(circular.id),
      type: "circular",
      sourceId: circular.id,
      title: stripMarkers(version.title),
      summary: stripMarkers(version.summary),
      body: stripMarkers(bodyText(version.body)).slice(0, MAX_BODY_TEXT),
      attachmentText: stripMarkers(attachmentText),
      url: circularPath(circular.number),
      meta: {
        number: circular.number,
        version: version.version,
        department: circular.ownerDepartment.name,
        publishedAt: version.publishedAt.toISOString(),
        supersedes: circular.supersedes?.publishedVersion ? circular.supersedes.number : null,
        supersededBy: successorFirst ? successor!.number : null,
      },
      audience: circular.publishedAudience,
      themes: circular.themes.map((t) => t.theme.slug).sort(),
      departmentId: circular.ownerDepartmentId,
      status: circular.status === "archived" ? "archived" : "published",
      year: circular.year,
      validFrom: version.validFrom,
      validUntil: version.validUntil,
      // The successor takes over on its first day of validity, or the day it was first published.
      supersededFrom: successorFirst
        ? (successorFirst.validFrom ?? brusselsDay(successorFirst.publishedAt))
        : null,
      sortDate: version.publishedAt,
    });
  }
  const kept = new Set(documents.map((d) => d.sourceId));
  return { documents, remove: circularIds.filter((id) => !kept.has(id)).map(circularDocumentId) };
}
