/**
 * The editorial workflow of circulars: draft → in review → published (a new immutable version) → archived.
 * A second editor approves; nobody approves a change they submitted. Every function checks the actor's
 * permissions itself, validates its input and runs in one transaction, so a refusal saves nothing.
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { LexicalDocumentSchema } from "~/editor/lexical-schema";
import { Prisma } from "~/generated/prisma/client";
import { hasPermission, type Role } from "~/modules/identity/permissions";
import { CircularError } from "./errors";
import {
  formatCircularNumber,
  nextCircularSequence,
  parseCircularNumber,
  reserveCircularSequence,
} from "./numbering.server";
import { circularPath } from "./paths";
import { AudienceSchema, audienceDepartmentIds } from "./policy.server";
import { brusselsDay, validityOn } from "./validity";
import { notify } from "~/modules/notifications/notify.server";
import { enqueueSearchIndex } from "../../../search/queue.server";

export type Actor = { id: string; roles: readonly Role[] };

const day = z.iso.date().transform((value) => new Date(`${value}T00:00:00.000Z`));

export const CircularDraftSchema = z
  .object({
    title: z.string().trim().min(3, "title is too short").max(200, "title is too long"),
    summary: z.string().trim().max(300, "summary is longer than 300 characters").default(""),
    /** Lexical JSON, checked node by node against the allowed types (app/editor/lexical-schema). */
    body: LexicalDocumentSchema,
    validFrom: day.nullable().default(null),
    validUntil: day.nullable().default(null),
    reviewDate: day.nullable().default(null),
    ownerDepartmentId: z.string().min(1),
    responsibleUserId: z.string().min(1),
    themeIds: z.array(z.string().min(1)).max(10).default([]),
    /** Audience keys (see policy.server.ts); everyone by default. */
    audience: AudienceSchema.default(["all"]),
    /** Whether the audience confirms "gelezen en begrepen" for substantial versions. */
    requiresAcknowledgement: z.boolean().default(true),
    supersedesNumber: z.string().trim().nullable().default(null),
    /** Only for imports from the legacy system: keep its number. */
    number: z.string().trim().optional(),
  })
  .refine((d) => !d.validFrom || !d.validUntil || d.validUntil >= d.validFrom, {
    message: "validUntil is before validFrom",
    path: ["validUntil"],
  });

export type CircularDraftInput = z.input<typeof CircularDraftSchema>;

function parseDraft(input: unknown) {
  const parsed = CircularDraftSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`);
    throw new CircularError("invalid_input", `Invalid circular: ${issues.join("; ")}`, issues);
  }
  return parsed.data;
}

function requireRight(
  actor: Actor,
  permission: "create:circular" | "update:circular:any" | "approve:circular",
) {
  if (!hasPermission(actor, permission))
    throw new CircularError("forbidden", `Missing permission ${permission}`);
}

async function resolveSupersedes(tx: Prisma.TransactionClient, number: string | null, selfId?: string) {
  if (!number) return null;
  const target = await tx.circular.findUnique({
    where: { number },
    select: { id: true, publishedVersion: true, supersededBy: { select: { id: true, number: true } } },
  });
  if (!target || target.id === selfId) {
    throw new CircularError("invalid_input", `Superseded circular ${number} does not exist`, [
      "supersedesNumber",
    ]);
  }
  // A circular has one successor (unique supersedesId): say so instead of a unique-constraint error.
  if (target.supersededBy && target.supersededBy.id !== selfId) {
    throw new CircularError(
      "invalid_input",
      `Circular ${number} is already superseded by ${target.supersededBy.number}`,
      [`supersedesNumber: already superseded by ${target.supersededBy.number}`],
    );
  }
  return target.id;
}

/** The editable fields of a circular, as create and update both write them. */
function workingCopy(data: ReturnType<typeof parseDraft>, supersedesId: string | null) {
  return {
    title: data.title,
    summary: data.summary,
    body: data.body as Prisma.InputJsonValue,
    validFrom: data.validFrom,
    validUntil: data.validUntil,
    reviewDate: data.reviewDate,
    ownerDepartmentId: data.ownerDepartmentId,
    responsibleUserId: data.responsibleUserId,
    supersedesId,
    audience: data.audience,
    requiresAcknowledgement: data.requiresAcknowledgement,
    themes: { create: data.themeIds.map((themeId) => ({ themeId })) },
  };
}

async function checkAudienceDepartments(tx: Prisma.TransactionClient, audience: readonly string[]) {
  const ids = audienceDepartmentIds(audience);
  if (ids.length === 0) return;
  const found = await tx.department.count({ where: { id: { in: ids } } });
  if (found !== ids.length) {
    throw new CircularError("invalid_input", "The audience names an unknown department", ["audience"]);
  }
}

/** Creates a draft with the next number of the current year (or the legacy number on import). */
export async function createCircularDraft(actor: Actor, input: CircularDraftInput, now = new Date()) {
  requireRight(actor, "create:circular");
  const data = parseDraft(input);
  try {
    return await prisma.$transaction(async (tx) => {
      let year: number;
      let sequence: number;
      if (data.number) {
        const parsed = parseCircularNumber(data.number);
        if (!parsed)
          throw new CircularError("invalid_input", `Invalid circular number ${data.number}`, ["number"]);
        ({ year, sequence } = parsed);
        await reserveCircularSequence(tx, year, sequence);
      } else {
        year = brusselsDay(now).getUTCFullYear();
        sequence = await nextCircularSequence(tx, year);
      }
      const supersedesId = await resolveSupersedes(tx, data.supersedesNumber);
      await checkAudienceDepartments(tx, data.audience);
      return tx.circular.create({
        data: {
          number: formatCircularNumber(year, sequence),
          year,
          sequence,
          ...workingCopy(data, supersedesId),
          createdById: actor.id,
        },
        select: { id: true, number: true, status: true },
      });
    });
  } catch (error) {
    throw translatePrismaError(error);
  }
}

/** Issue marker of the CircularError thrown when someone else saved the working copy in between. */
export const STALE_WRITE = "stale";

/** Whether an error means the working copy changed since the editor loaded it (autosave conflict). */
export function isStaleWriteError(error: unknown): boolean {
  return error instanceof CircularError && error.code === "invalid_state" && error.issues[0] === STALE_WRITE;
}

export type UpdateDraftOptions = {
  /**
   * The `updatedAt` the editor loaded. When the row has changed since (another editor saved, or the
   * circular was submitted), the update is refused instead of silently overwriting their work.
   */
  expectedUpdatedAt?: Date | null;
};

/** Changes the working copy. A published circular gets a pending change that readers do not see yet. */
export async function updateCircularDraft(
  actor: Actor,
  circularId: string,
  input: CircularDraftInput,
  options: UpdateDraftOptions = {},
) {
  requireRight(actor, "update:circular:any");
  const data = parseDraft(input);
  try {
    return await prisma.$transaction(async (tx) => {
      const current = await lockCircular(tx, circularId);
      if (current.status === "archived")
        throw new CircularError("invalid_state", "An archived circular cannot change");
      if (current.status === "in_review") {
        throw new CircularError("invalid_state", "The circular is in review: withdraw it before editing");
      }
      // Checked under the row lock, so two autosaves that both loaded the same version cannot both win.
      if (options.expectedUpdatedAt && current.updatedAt.getTime() !== options.expectedUpdatedAt.getTime()) {
        throw new CircularError(
          "invalid_state",
          "The circular was changed by someone else since it was loaded",
          [STALE_WRITE],
        );
      }
      const supersedesId = await resolveSupersedes(tx, data.supersedesNumber, circularId);
      await checkAudienceDepartments(tx, data.audience);
      await tx.circularTheme.deleteMany({ where: { circularId } });
      return tx.circular.update({
        where: { id: circularId },
        data: {
          status: "draft",
          ...workingCopy(data, supersedesId),
        },
        select: { id: true, number: true, status: true, updatedAt: true },
      });
    });
  } catch (error) {
    throw translatePrismaError(error);
  }
}

const SubmitSchema = z.object({
  changeNote: z.string().trim().min(3, "change note is required").max(1000),
  substantial: z.boolean().default(false),
});

/** Asks a second editor to review the working copy, with the note readers will see; tells the other editors. */
export async function submitCircularForReview(
  actor: Actor,
  circularId: string,
  input: z.input<typeof SubmitSchema>,
  now = new Date(),
) {
  requireRight(actor, "update:circular:any");
  const parsed = SubmitSchema.safeParse(input);
  if (!parsed.success) {
    throw new CircularError(
      "invalid_input",
      "A change note is required",
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`),
    );
  }
  return prisma.$transaction(async (tx) => {
    const current = await lockCircular(tx, circularId);
    if (current.status !== "draft")
      throw new CircularError("invalid_state", `Cannot submit a ${current.status} circular`);
    if (!current.summary.trim()) {
      throw new CircularError("invalid_input", "A plain-language summary is required before review", [
        "summary",
      ]);
    }
    const updated = await tx.circular.update({
      where: { id: circularId },
      data: {
        status: "in_review",
        submittedById: actor.id,
        submittedAt: now,
        changeNote: parsed.data.changeNote,
        substantialChange: parsed.data.substantial,
      },
      select: { id: true, status: true },
    });
    // Every other editor may review; the notification is part of the same transaction, so a refused
    // submission notifies nobody. The dedupe key makes a resubmission after a return a new notice.
    const [reviewers, submitter] = await Promise.all([
      tx.user.findMany({
        where: { active: true, id: { not: actor.id }, roles: { some: { role: "editor" } } },
        select: { id: true },
      }),
      tx.user.findUnique({ where: { id: actor.id }, select: { displayName: true } }),
    ]);
    await notify(
      reviewers.map((reviewer) => ({
        userId: reviewer.id,
        type: "circular.submitted",
        data: {
          circularId,
          number: current.number,
          title: current.title,
          changeNote: parsed.data.changeNote,
          substantial: parsed.data.substantial,
          actorName: submitter?.displayName || "—",
        },
        url: `${circularPath(current.number)}/beoordelen`,
        dedupeKey: `circular.submitted:${circularId}:${now.toISOString()}:${reviewer.id}`,
      })),
      tx,
    );
    return updated;
  });
}

const ReturnSchema = z.object({
  reason: z.string().trim().max(1000, "reason is longer than 1000 characters").default(""),
});

/**
 * Sends a circular in review back to draft: the reviewer's "not yet" (a reason is required and the
 * submitter is notified), or the submitter withdrawing their own submission (no reason needed).
 */
export async function returnCircularToDraft(
  actor: Actor,
  circularId: string,
  input: z.input<typeof ReturnSchema> = {},
) {
  requireRight(actor, "update:circular:any");
  const parsed = ReturnSchema.safeParse(input);
  if (!parsed.success) {
    throw new CircularError(
      "invalid_input",
      "Invalid reason",
      parsed.error.issues.map((i) => `reason: ${i.message}`),
    );
  }
  const { reason } = parsed.data;
  return prisma.$transaction(async (tx) => {
    const current = await lockCircular(tx, circularId);
    if (current.status !== "in_review")
      throw new CircularError("invalid_state", "The circular is not in review");
    const withdrawing = current.submittedById === actor.id;
    if (!withdrawing && reason.length < 3) {
      throw new CircularError("invalid_input", "A reason is required to send a change back", [
        "reason: reason is required",
      ]);
    }
    const updated = await tx.circular.update({
      where: { id: circularId },
      data: { status: "draft", submittedById: null, submittedAt: null },
      select: { id: true, status: true, updatedAt: true },
    });
    if (!withdrawing && current.submittedById) {
      const reviewer = await tx.user.findUnique({ where: { id: actor.id }, select: { displayName: true } });
      await notify(
        {
          userId: current.submittedById,
          type: "circular.returned",
          data: {
            circularId,
            number: current.number,
            title: current.title,
            reason,
            actorName: reviewer?.displayName || "—",
          },
          url: `${circularPath(current.number)}/bewerken`,
        },
        tx,
      );
    }
    return updated;
  });
}

/** Approves the change under review and publishes it as the next immutable version. */
export async function approveAndPublishCircular(actor: Actor, circularId: string) {
  requireRight(actor, "approve:circular");
  return prisma.$transaction(async (tx) => {
    const current = await lockCircular(tx, circularId);
    if (current.status !== "in_review")
      throw new CircularError("invalid_state", "Only a circular in review can be approved");
    if (!current.submittedById || current.submittedById === actor.id) {
      throw new CircularError(
        "self_approval",
        "A change must be approved by another editor than the one who submitted it",
      );
    }
    const version = current.publishedVersion + 1;
    const attachments = await tx.circularAttachment.findMany({
      where: { circularId, removedAt: null, kind: "attachment" },
      orderBy: { createdAt: "asc" },
      select: { id: true },
    });
    await tx.circularVersion.create({
      data: {
        circularId,
        version,
        title: current.title,
        summary: current.summary,
        body: current.body as Prisma.InputJsonValue,
        validFrom: current.validFrom,
        validUntil: current.validUntil,
        changeNote: current.changeNote ?? "",
        // The first publication always asks the audience to acknowledge.
        substantial: version === 1 || current.substantialChange,
        audience: current.audience,
        attachmentIds: attachments.map((a) => a.id),
        authorId: current.submittedById,
        approvedById: actor.id,
      },
    });
    await enqueueSearchIndex(tx, "circular", [circularId, current.supersedesId ?? ""]);
    return tx.circular.update({
      where: { id: circularId },
      data: {
        status: "published",
        publishedVersion: version,
        publishedAudience: current.audience,
        submittedById: null,
        submittedAt: null,
        changeNote: null,
        substantialChange: false,
      },
      select: { id: true, number: true, status: true, publishedVersion: true },
    });
  });
}

/** Archives a circular: it stays readable with its history but is no longer in force. */
export async function archiveCircular(actor: Actor, circularId: string, now = new Date()) {
  requireRight(actor, "approve:circular");
  return prisma.$transaction(async (tx) => {
    const current = await lockCircular(tx, circularId);
    if (current.status === "archived") throw new CircularError("invalid_state", "Already archived");
    await enqueueSearchIndex(tx, "circular", [circularId]);
    return tx.circular.update({
      where: { id: circularId },
      data: { status: "archived", archivedAt: now },
      select: { id: true, status: true },
    });
  });
}

/** The published version of a circular that was in force on a day, or null when none was. */
export async function versionInForce(number: string, onDay: Date) {
  const circular = await prisma.circular.findUnique({
    where: { number },
    select: {
      id: true,
      archivedAt: true,
      supersededBy: {
        select: {
          versions: { orderBy: { version: "asc" }, take: 1, select: { validFrom: true, publishedAt: true } },
        },
      },
    },
  });
  if (!circular) throw new CircularError("not_found", `Circular ${number} does not exist`);
  const endOfDay = new Date(onDay.getTime() + 24 * 3600_000);
  const version = await prisma.circularVersion.findFirst({
    where: { circularId: circular.id, publishedAt: { lt: endOfDay } },
    orderBy: { version: "desc" },
  });
  if (!version) return null;
  const successor = circular.supersededBy?.versions[0];
  const successorInPlace = successor && successor.publishedAt < endOfDay;
  const validity = validityOn(
    {
      validFrom: version.validFrom,
      validUntil: version.validUntil,
      archivedAt: circular.archivedAt,
      successorPublished: Boolean(successorInPlace),
      successorValidFrom: successor?.validFrom ?? null,
    },
    onDay,
  );
  return validity === "valid" ? version : null;
}

async function lockCircular(tx: Prisma.TransactionClient, circularId: string) {
  // Row lock: two reviewers approving at once must not both create "version N+1".
  const locked = await tx.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "Circular" WHERE "id" = ${circularId} FOR UPDATE`;
  if (locked.length === 0) throw new CircularError("not_found", `Circular ${circularId} does not exist`);
  return tx.circular.findUniqueOrThrow({ where: { id: circularId } });
}

function translatePrismaError(error: unknown): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002")
      return new CircularError("duplicate_number", "A circular with this number already exists");
    if (error.code === "P2003") {
      return new CircularError("invalid_input", "Unknown department, person or theme", [
        String(error.meta?.field_name ?? ""),
      ]);
    }
  }
  return error;
}
