/**
 * What readers see of a circular: its published versions only, never the working copy. Every function
 * takes the reader and asks the policy helpers first; a circular the reader may not read is reported as
 * "not found", exactly like one that does not exist, so its existence is not revealed.
 */
import { prisma } from "~/db.server";
import { parseLexicalDocument, type LexicalDocument } from "~/editor/lexical-schema";
import { renderLexicalHtml, tableOfContents, type TocEntry } from "~/editor/render-html";
import { type Prisma } from "~/generated/prisma/client";
import { CircularError } from "./errors";
import { canManageCirculars, canReadCircular, readableCircularsWhere, type Reader } from "./policy.server";
import { brusselsDay, validityOn, type Validity } from "./validity";
import { versionInForce } from "./workflow.server";

/** The circular fields every reading page needs to decide access and state. */
const circularSelect = {
  id: true,
  number: true,
  status: true,
  title: true,
  publishedVersion: true,
  publishedAudience: true,
  archivedAt: true,
  requiresAcknowledgement: true,
  responsibleUserId: true,
  // The latest published title: the working copy's title may hold an unpublished change.
  versions: { orderBy: { version: "desc" }, take: 1, select: { title: true } },
  ownerDepartment: { select: { id: true, name: true, parent: { select: { name: true } } } },
  responsibleUser: { select: { id: true, displayName: true, jobTitle: true, email: true } },
  themes: { select: { theme: { select: { id: true, slug: true, nameNl: true, nameEn: true } } } },
  supersedes: {
    select: {
      number: true,
      publishedVersion: true,
      publishedAudience: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { title: true } },
    },
  },
  supersededBy: {
    select: {
      number: true,
      publishedVersion: true,
      publishedAudience: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { title: true, validFrom: true } },
    },
  },
} satisfies Prisma.CircularSelect;

export type ReadableCircular = Prisma.CircularGetPayload<{ select: typeof circularSelect }>;

/**
 * Loads a circular the reader may read, or throws `not_found` (also when they may not). With
 * `asOwner`, its responsible person may too, even outside the audience: owners answer for what they own.
 */
export async function requireReadableCircular(
  reader: Reader,
  number: string,
  { asOwner = false }: { asOwner?: boolean } = {},
): Promise<ReadableCircular> {
  const circular = await prisma.circular.findUnique({ where: { number }, select: circularSelect });
  const owns = asOwner && circular?.responsibleUserId === reader.id && circular.publishedVersion > 0;
  if (!circular || !(owns || canReadCircular(reader, circular))) {
    throw new CircularError("not_found", `Circular ${number} does not exist`);
  }
  return circular;
}

/** The title readers know: that of the latest published version (the number when there is none). */
export function publishedTitle(circular: { number: string; versions: { title: string }[] }): string {
  return circular.versions[0]?.title ?? circular.number;
}

/** Whether a person may see who acknowledged a circular, its ratings and questions (owner or editors). */
export function canSeeReaders(reader: Reader, circular: { responsibleUserId: string }): boolean {
  return canManageCirculars(reader) || reader.id === circular.responsibleUserId;
}

type ValiditySource = {
  validFrom: Date | null;
  validUntil: Date | null;
  archivedAt: Date | null;
  supersededBy: { publishedVersion: number; versions: { validFrom: Date | null }[] } | null;
};

/** Today's validity of a published circular, from its latest version and its successor. */
export function currentValidity(source: ValiditySource, day: Date = brusselsDay(new Date())): Validity {
  const successor = source.supersededBy;
  return validityOn(
    {
      validFrom: source.validFrom,
      validUntil: source.validUntil,
      archivedAt: source.archivedAt,
      successorPublished: Boolean(successor && successor.publishedVersion > 0),
      successorValidFrom: successor?.versions[0]?.validFrom ?? null,
    },
    day,
  );
}

const VALIDITY_RANK: Record<Validity, number> = {
  valid: 0,
  not_yet_valid: 1,
  expired: 2,
  superseded: 3,
  archived: 4,
};

export type CircularLink = { number: string; title: string };

export type RelatedCircular = CircularLink & { validity: Validity; sharedThemes: number };

/** Up to `limit` other readable circulars sharing a theme: valid ones first, then by themes in common. */
export async function relatedCirculars(
  reader: Reader,
  circular: { id: string; themeIds: readonly string[] },
  limit = 5,
  day: Date = brusselsDay(new Date()),
): Promise<RelatedCircular[]> {
  if (circular.themeIds.length === 0) return [];
  const candidates = await prisma.circular.findMany({
    where: {
      AND: [
        readableCircularsWhere(reader),
        {
          id: { not: circular.id },
          // Editors may read drafts, but a related link always points at published text.
          publishedVersion: { gt: 0 },
          themes: { some: { themeId: { in: [...circular.themeIds] } } },
        },
      ],
    },
    orderBy: { updatedAt: "desc" },
    take: 50,
    select: {
      number: true,
      archivedAt: true,
      themes: { select: { themeId: true } },
      versions: {
        orderBy: { version: "desc" },
        take: 1,
        select: { title: true, validFrom: true, validUntil: true },
      },
      supersededBy: {
        select: {
          publishedVersion: true,
          versions: { orderBy: { version: "desc" }, take: 1, select: { validFrom: true } },
        },
      },
    },
  });
  const wanted = new Set(circular.themeIds);
  return candidates
    .flatMap((candidate) => {
      const latest = candidate.versions[0];
      if (!latest) return [];
      const validity = currentValidity(
        {
          validFrom: latest.validFrom,
          validUntil: latest.validUntil,
          archivedAt: candidate.archivedAt,
          supersededBy: candidate.supersededBy,
        },
        day,
      );
      const sharedThemes = candidate.themes.filter((theme) => wanted.has(theme.themeId)).length;
      return [{ number: candidate.number, title: latest.title, validity, sharedThemes }];
    })
    .sort(
      (a, b) =>
        VALIDITY_RANK[a.validity] - VALIDITY_RANK[b.validity] ||
        b.sharedThemes - a.sharedThemes ||
        b.number.localeCompare(a.number),
    )
    .slice(0, limit);
}

export type AttachmentView = { id: string; fileName: string; mediaType: string; size: number };

/** The attachments that belonged to a version, in the order they were attached. */
export async function versionAttachments(
  circularId: string,
  attachmentIds: readonly string[],
): Promise<AttachmentView[]> {
  if (attachmentIds.length === 0) return [];
  const rows = await prisma.circularAttachment.findMany({
    // The circular id guards against a version listing another circular's file.
    where: { id: { in: [...attachmentIds] }, circularId },
    select: { id: true, fileName: true, mediaType: true, size: true },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return attachmentIds.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}

function parseBody(number: string, version: number, body: unknown): LexicalDocument {
  const parsed = parseLexicalDocument(body);
  // Bodies are validated before they are stored; a failure here means the database was changed by hand.
  if (!parsed.ok) throw new Error(`Circular ${number} v${version} has a malformed body: ${parsed.issues[0]}`);
  return parsed.document;
}

const day = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : null);

export type PublishedVersionView = {
  version: number;
  title: string;
  summary: string;
  html: string;
  toc: TocEntry[];
  validFrom: string | null;
  validUntil: string | null;
  changeNote: string;
  substantial: boolean;
  publishedAt: string;
  author: string;
  approvedBy: string;
  attachments: AttachmentView[];
};

export type ReadingView = {
  circular: {
    id: string;
    number: string;
    ownerDepartment: { name: string; parentName: string | null };
    responsible: { id: string; displayName: string; jobTitle: string | null; email: string | null };
    themes: { id: string; slug: string; nameNl: string; nameEn: string }[];
    requiresAcknowledgement: boolean;
    latestVersion: number;
    archivedAt: string | null;
    status: "draft" | "in_review" | "published" | "archived";
    /** Server-side use (acknowledgement); routes leave it out of what they send to the browser. */
    publishedAudience: string[];
  };
  /** The version shown: the latest published one unless another was asked for. */
  version: PublishedVersionView;
  isLatest: boolean;
  validity: Validity;
  supersededBy: CircularLink | null;
  supersedes: CircularLink | null;
  related: RelatedCircular[];
  /** Editors only: an unpublished change exists (a draft or one in review). */
  pendingChange: "draft" | "in_review" | null;
  canManage: boolean;
  canSeeReaders: boolean;
};

/** A readable circular's link, or null when the reader may not see it (its title is not revealed). */
function linkIfReadable(
  reader: Reader,
  target: {
    number: string;
    publishedVersion: number;
    publishedAudience: string[];
    versions: { title: string }[];
  } | null,
): CircularLink | null {
  if (!target || target.publishedVersion === 0 || !canReadCircular(reader, target)) return null;
  return { number: target.number, title: target.versions[0]?.title ?? target.number };
}

/**
 * The reading page of a circular: one published version (the latest by default) as safe HTML with its
 * table of contents, validity, links and attachments. Throws `not_found` for anything the reader may
 * not see, and `invalid_state` to an editor for a circular that was never published.
 */
export async function getReadingView(
  reader: Reader,
  number: string,
  options: { version?: number; now?: Date } = {},
): Promise<ReadingView> {
  const circular = await requireReadableCircular(reader, number);
  if (circular.publishedVersion === 0) {
    // Only editors get this far (canReadCircular); the route sends them to the editor instead.
    throw new CircularError("invalid_state", `Circular ${number} has no published version`);
  }
  const wanted = options.version ?? circular.publishedVersion;
  const version = await prisma.circularVersion.findUnique({
    where: { circularId_version: { circularId: circular.id, version: wanted } },
    select: {
      version: true,
      title: true,
      summary: true,
      body: true,
      validFrom: true,
      validUntil: true,
      changeNote: true,
      substantial: true,
      attachmentIds: true,
      publishedAt: true,
      author: { select: { displayName: true } },
      approvedBy: { select: { displayName: true } },
    },
  });
  if (!version) throw new CircularError("not_found", `Circular ${number} has no version ${wanted}`);
  const latest =
    wanted === circular.publishedVersion
      ? version
      : await prisma.circularVersion.findUniqueOrThrow({
          where: { circularId_version: { circularId: circular.id, version: circular.publishedVersion } },
          select: { validFrom: true, validUntil: true },
        });
  const document = parseBody(number, version.version, version.body);
  const today = brusselsDay(options.now ?? new Date());
  const themes = circular.themes.map((entry) => entry.theme);
  const canManage = canManageCirculars(reader);
  const pending =
    canManage && (circular.status === "draft" || circular.status === "in_review") ? circular.status : null;
  const [attachments, related] = await Promise.all([
    versionAttachments(circular.id, version.attachmentIds),
    relatedCirculars(reader, { id: circular.id, themeIds: themes.map((theme) => theme.id) }, 5, today),
  ]);
  return {
    circular: {
      id: circular.id,
      number: circular.number,
      ownerDepartment: {
        name: circular.ownerDepartment.name,
        parentName: circular.ownerDepartment.parent?.name ?? null,
      },
      responsible: circular.responsibleUser,
      themes,
      requiresAcknowledgement: circular.requiresAcknowledgement,
      latestVersion: circular.publishedVersion,
      archivedAt: circular.archivedAt?.toISOString() ?? null,
      status: circular.status,
      publishedAudience: circular.publishedAudience,
    },
    version: {
      version: version.version,
      title: version.title,
      summary: version.summary,
      html: renderLexicalHtml(document),
      toc: tableOfContents(document),
      validFrom: day(version.validFrom),
      validUntil: day(version.validUntil),
      changeNote: version.changeNote,
      substantial: version.substantial,
      publishedAt: version.publishedAt.toISOString(),
      author: version.author.displayName,
      approvedBy: version.approvedBy.displayName,
      attachments,
    },
    isLatest: wanted === circular.publishedVersion,
    validity: currentValidity(
      {
        validFrom: latest.validFrom,
        validUntil: latest.validUntil,
        archivedAt: circular.archivedAt,
        supersededBy: circular.supersededBy,
      },
      today,
    ),
    supersededBy: linkIfReadable(reader, circular.supersededBy),
    supersedes: linkIfReadable(reader, circular.supersedes),
    related,
    pendingChange: pending,
    canManage,
    canSeeReaders: canSeeReaders(reader, circular),
  };
}

export type VersionListItem = {
  version: number;
  title: string;
  publishedAt: string;
  changeNote: string;
  substantial: boolean;
  author: string;
  approvedBy: string;
  validFrom: string | null;
  validUntil: string | null;
};

/** Every published version of a readable circular, newest first. */
export async function listVersions(reader: Reader, number: string) {
  const circular = await requireReadableCircular(reader, number);
  const versions = await prisma.circularVersion.findMany({
    where: { circularId: circular.id },
    orderBy: { version: "desc" },
    select: {
      version: true,
      title: true,
      publishedAt: true,
      changeNote: true,
      substantial: true,
      validFrom: true,
      validUntil: true,
      author: { select: { displayName: true } },
      approvedBy: { select: { displayName: true } },
    },
  });
  if (versions.length === 0)
    throw new CircularError("not_found", `Circular ${number} has no published version`);
  return {
    circular: { id: circular.id, number: circular.number, title: versions[0]!.title },
    versions: versions.map((v): VersionListItem => ({
      version: v.version,
      title: v.title,
      publishedAt: v.publishedAt.toISOString(),
      changeNote: v.changeNote,
      substantial: v.substantial,
      author: v.author.displayName,
      approvedBy: v.approvedBy.displayName,
      validFrom: day(v.validFrom),
      validUntil: day(v.validUntil),
    })),
  };
}

/** The content of two versions of a readable circular, older first, for `diffCircularContent`. */
export async function versionsToCompare(reader: Reader, number: string, from: number, to: number) {
  const circular = await requireReadableCircular(reader, number);
  const [older, newer] = [Math.min(from, to), Math.max(from, to)];
  const rows = await prisma.circularVersion.findMany({
    where: { circularId: circular.id, version: { in: [older, newer] } },
    select: { version: true, title: true, summary: true, body: true, validFrom: true, validUntil: true },
  });
  const find = (n: number) => {
    const row = rows.find((r) => r.version === n);
    if (!row) throw new CircularError("not_found", `Circular ${number} has no version ${n}`);
    return row;
  };
  return { older: find(older), newer: find(newer) };
}

/**
 * "What was in force on day X": the version number valid that day, or null. Checks reading rights first,
 * since `versionInForce` itself does not.
 */
export async function versionInForceFor(reader: Reader, number: string, onDay: Date) {
  await requireReadableCircular(reader, number);
  const version = await versionInForce(number, onDay);
  return version ? { version: version.version, title: version.title } : null;
}

/** Turns a refused operation into the response a route throws: 404 hides, 403 forbids; others rethrow. */
export function throwAsHttpError(error: unknown): never {
  if (error instanceof CircularError) {
    if (error.code === "not_found") throw new Response("Not found", { status: 404, statusText: "Not Found" });
    if (error.code === "forbidden") throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
  throw error;
}
