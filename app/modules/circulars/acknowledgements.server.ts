/**
 * "Gelezen en begrepen". The audience of a circular that asks for it confirms the latest substantial
 * version; a later substantial version asks again, a non-substantial one does not. Only people in the
 * published audience acknowledge (editors outside it read, but do not confirm), and only while the circular
 * is in force or about to be (nobody confirms an expired, superseded or archived rule).
 */
import { stringify } from "csv-stringify/sync";
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { audienceKeysOf, isInAudience, type Reader } from "./policy.server";
import { audienceMembersWhere } from "./audience.server";
import { CircularError } from "./errors";
import { canSeeReaders, currentValidity, publishedTitle, requireReadableCircular } from "./reading.server";
import { brusselsDay, type Validity } from "./validity";

/** Validities in which the audience is asked to confirm. */
const DUE_VALIDITIES: readonly Validity[] = ["valid", "not_yet_valid"];

/** Whether acknowledging applies to a circular in this state (for anyone in its audience). */
export function acknowledgementApplies(
  circular: { requiresAcknowledgement: boolean; publishedVersion: number; status: string },
  validity: Validity,
): boolean {
  return (
    circular.requiresAcknowledgement &&
    circular.publishedVersion > 0 &&
    circular.status !== "archived" &&
    DUE_VALIDITIES.includes(validity)
  );
}

/** Number of the latest version that asks for acknowledgement (the first publication always does). */
export async function latestSubstantialVersion(
  circularId: string,
  db: Prisma.TransactionClient = prisma,
): Promise<number | null> {
  const row = await db.circularVersion.findFirst({
    where: { circularId, OR: [{ substantial: true }, { version: 1 }] },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return row?.version ?? null;
}

export type AcknowledgementStatus =
  | { required: false }
  | {
      required: true;
      /** The version to confirm. */
      version: number;
      acknowledgedAt: string | null;
      /** An earlier substantial version this person confirmed, when a new one asks again. */
      previouslyAcknowledged: number | null;
    };

type AckCircular = {
  id: string;
  status: string;
  publishedVersion: number;
  publishedAudience: string[];
  requiresAcknowledgement: boolean;
};

/** Whether this reader is asked to confirm the circular, and whether they already did. */
export async function acknowledgementStatus(
  reader: Reader,
  circular: AckCircular,
  validity: Validity,
): Promise<AcknowledgementStatus> {
  if (!acknowledgementApplies(circular, validity) || !isInAudience(reader, circular.publishedAudience)) {
    return { required: false };
  }
  const version = await latestSubstantialVersion(circular.id);
  if (version === null) return { required: false };
  const mine = await prisma.circularAcknowledgement.findMany({
    where: { circularId: circular.id, userId: reader.id },
    orderBy: { version: "desc" },
    select: { version: true, acknowledgedAt: true },
  });
  const current = mine.find((ack) => ack.version >= version);
  return {
    required: true,
    version,
    acknowledgedAt: current?.acknowledgedAt.toISOString() ?? null,
    previouslyAcknowledged: current ? null : (mine[0]?.version ?? null),
  };
}

async function validityNow(circularId: string, archivedAt: Date | null, db: Prisma.TransactionClient) {
  const row = await db.circular.findUniqueOrThrow({
    where: { id: circularId },
    select: {
      versions: { orderBy: { version: "desc" }, take: 1, select: { validFrom: true, validUntil: true } },
      supersededBy: {
        select: {
          publishedVersion: true,
          versions: { orderBy: { version: "desc" }, take: 1, select: { validFrom: true } },
        },
      },
    },
  });
  const latest = row.versions[0];
  return currentValidity({
    validFrom: latest?.validFrom ?? null,
    validUntil: latest?.validUntil ?? null,
    archivedAt,
    supersededBy: row.supersededBy,
  });
}

/**
 * Records "gelezen en begrepen" for the latest substantial version. Idempotent: confirming twice keeps the
 * first moment. Refuses readers outside the audience and circulars that do not ask for it.
 */
export async function acknowledgeCircular(reader: Reader, number: string) {
  const circular = await requireReadableCircular(reader, number);
  if (!isInAudience(reader, circular.publishedAudience)) {
    throw new CircularError("forbidden", `Only the audience of ${number} acknowledges it`);
  }
  return prisma.$transaction(async (tx) => {
    const validity = await validityNow(circular.id, circular.archivedAt, tx);
    if (!acknowledgementApplies(circular, validity)) {
      throw new CircularError("invalid_state", `Circular ${number} does not ask for acknowledgement now`);
    }
    const version = await latestSubstantialVersion(circular.id, tx);
    if (version === null) throw new CircularError("invalid_state", `Circular ${number} is not published`);
    const created = await tx.circularAcknowledgement.createMany({
      data: [{ circularId: circular.id, userId: reader.id, version }],
      skipDuplicates: true,
    });
    return { version, alreadyAcknowledged: created.count === 0 };
  });
}

export type PendingAcknowledgement = {
  number: string;
  title: string;
  summary: string;
  version: number;
  publishedAt: string;
  validity: Validity;
  /** An earlier version was confirmed: this is a request to confirm again. */
  again: boolean;
};

type PendingRow = {
  id: string;
  number: string;
  archivedAt: Date | null;
  status: string;
  requiresAcknowledgement: boolean;
  publishedVersion: number;
  ackVersion: number;
  ackPublishedAt: Date;
  title: string;
  summary: string;
  validFrom: Date | null;
  validUntil: Date | null;
  successorPublishedVersion: number | null;
  successorValidFrom: Date | null;
  earlierAck: boolean;
};

/** What this person still has to confirm, newest request first. */
export async function pendingAcknowledgements(
  reader: Reader,
  day: Date = brusselsDay(new Date()),
): Promise<PendingAcknowledgement[]> {
  // Only the audience acknowledges, editors included: so the audience keys decide here, not editor rights.
  // For everyone else the same keys are what `readableCircularsWhere` checks, so nothing unreadable is listed.
  const keys = audienceKeysOf(reader);
  // One query instead of one per circular: the latest substantial version, the latest version's text and
  // dates, the successor's start and whether this person confirmed that version (or a later one).
  const rows = await prisma.$queryRaw<PendingRow[]>`
    SELECT c."id", c."number", c."archivedAt", c."status"::text AS "status", c."requiresAcknowledgement",
           c."publishedVersion", s."version" AS "ackVersion", s."publishedAt" AS "ackPublishedAt",
           l."title", l."summary", l."validFrom", l."validUntil",
           succ."publishedVersion" AS "successorPublishedVersion", sv."validFrom" AS "successorValidFrom",
           EXISTS (SELECT 1 FROM "CircularAcknowledgement" e
                   WHERE e."circularId" = c."id" AND e."userId" = ${reader.id}) AS "earlierAck"
    FROM "Circular" c
    JOIN LATERAL (
      SELECT v."version", v."publishedAt" FROM "CircularVersion" v
      WHERE v."circularId" = c."id" AND (v."substantial" OR v."version" = 1)
      ORDER BY v."version" DESC LIMIT 1
    ) s ON TRUE
    JOIN "CircularVersion" l ON l."circularId" = c."id" AND l."version" = c."publishedVersion"
    LEFT JOIN "Circular" succ ON succ."supersedesId" = c."id"
    LEFT JOIN LATERAL (
      SELECT v."validFrom" FROM "CircularVersion" v
      WHERE v."circularId" = succ."id" ORDER BY v."version" DESC LIMIT 1
    ) sv ON TRUE
    WHERE c."requiresAcknowledgement"
      AND c."publishedVersion" > 0
      AND c."status" <> 'archived'
      AND c."publishedAudience" && ${keys}::text[]
      AND NOT EXISTS (
        SELECT 1 FROM "CircularAcknowledgement" a
        WHERE a."circularId" = c."id" AND a."userId" = ${reader.id} AND a."version" >= s."version"
      )
    ORDER BY s."publishedAt" DESC, c."number" DESC`;
  return rows.flatMap((row) => {
    const validity = currentValidity(
      {
        validFrom: row.validFrom,
        validUntil: row.validUntil,
        archivedAt: row.archivedAt,
        supersededBy:
          row.successorPublishedVersion === null
            ? null
            : {
                publishedVersion: row.successorPublishedVersion,
                versions: [{ validFrom: row.successorValidFrom }],
              },
      },
      day,
    );
    if (!acknowledgementApplies(row, validity)) return [];
    return [
      {
        number: row.number,
        title: row.title,
        summary: row.summary,
        version: row.ackVersion,
        publishedAt: row.ackPublishedAt.toISOString(),
        validity,
        again: row.earlierAck,
      },
    ];
  });
}

export type ReaderRow = {
  userId: string;
  displayName: string;
  employeeNumber: string | null;
  jobTitle: string | null;
  service: string | null;
  acknowledgedAt: string | null;
};

export type DepartmentReaders = {
  /** Null for people without a department. */
  id: string | null;
  name: string | null;
  total: number;
  acknowledged: number;
  people: ReaderRow[];
};

export type AcknowledgementOverview = {
  circular: { id: string; number: string; title: string; requiresAcknowledgement: boolean };
  /** The version the audience confirms; null when the circular was never published. */
  version: number | null;
  total: number;
  acknowledged: number;
  departments: DepartmentReaders[];
};

/** Throws `forbidden` unless the person is an editor or the circular's responsible person. */
export function requireReadersAccess(
  reader: Reader,
  circular: { responsibleUserId: string; number: string },
) {
  if (!canSeeReaders(reader, circular)) {
    throw new CircularError("forbidden", `Only editors and the owner see the readers of ${circular.number}`);
  }
}

/**
 * The owner's overview: everyone in the published audience, grouped by department (services fold into
 * their department), with who confirmed the current substantial version and when.
 */
export async function acknowledgementOverview(
  reader: Reader,
  number: string,
): Promise<AcknowledgementOverview> {
  const circular = await requireReadableCircular(reader, number, { asOwner: true });
  requireReadersAccess(reader, circular);
  const version = await latestSubstantialVersion(circular.id);
  const people = await prisma.user.findMany({
    where: audienceMembersWhere(circular.publishedAudience),
    orderBy: [{ displayName: "asc" }, { id: "asc" }],
    select: {
      id: true,
      displayName: true,
      employeeNumber: true,
      jobTitle: true,
      department: {
        select: { id: true, name: true, kind: true, parent: { select: { id: true, name: true } } },
      },
      acknowledgements: {
        where: { circularId: circular.id, version: { gte: version ?? Number.MAX_SAFE_INTEGER } },
        orderBy: { acknowledgedAt: "asc" },
        take: 1,
        select: { acknowledgedAt: true },
      },
    },
  });
  const groups = new Map<string, DepartmentReaders>();
  for (const person of people) {
    const department = person.department;
    const top = department?.parent ?? department ?? null;
    const key = top?.id ?? "";
    let group = groups.get(key);
    if (!group) {
      group = { id: top?.id ?? null, name: top?.name ?? null, total: 0, acknowledged: 0, people: [] };
      groups.set(key, group);
    }
    const acknowledgedAt = person.acknowledgements[0]?.acknowledgedAt ?? null;
    group.total += 1;
    if (acknowledgedAt) group.acknowledged += 1;
    group.people.push({
      userId: person.id,
      displayName: person.displayName,
      employeeNumber: person.employeeNumber,
      jobTitle: person.jobTitle,
      service: department?.parent ? department.name : null,
      acknowledgedAt: acknowledgedAt?.toISOString() ?? null,
    });
  }
  const departments = [...groups.values()].sort((a, b) => {
    if (a.name === null) return 1;
    if (b.name === null) return -1;
    return a.name.localeCompare(b.name, "nl");
  });
  return {
    circular: {
      id: circular.id,
      number: circular.number,
      title: publishedTitle(circular),
      requiresAcknowledgement: circular.requiresAcknowledgement,
    },
    version,
    total: people.length,
    acknowledged: departments.reduce((sum, group) => sum + group.acknowledged, 0),
    departments,
  };
}

const BRUSSELS_PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Brussels",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "2026-11-23 13:41" in Brussels time: spreadsheets read it as a date in any language setting. */
function brusselsDateTime(moment: Date): string {
  const parts = Object.fromEntries(
    BRUSSELS_PARTS.formatToParts(moment).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Spreadsheet programs run cells starting with these as formulas (CSV injection): make them plain text. */
function plainCell(value: string | null): string {
  if (!value) return "";
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The overview as CSV for Excel in Belgium: UTF-8 with a byte order mark, semicolons (the Dutch list
 * separator) and Dutch headers; csv-stringify quotes what needs quoting.
 */
export function acknowledgementCsv(overview: AcknowledgementOverview): string {
  const rows = overview.departments.flatMap((group) =>
    group.people.map((person) => [
      plainCell(group.name ?? "Zonder departement"),
      plainCell(person.service),
      plainCell(person.displayName),
      plainCell(person.employeeNumber),
      plainCell(person.jobTitle),
      person.acknowledgedAt ? "ja" : "nee",
      person.acknowledgedAt ? brusselsDateTime(new Date(person.acknowledgedAt)) : "",
    ]),
  );
  return stringify(rows, {
    bom: true,
    delimiter: ";",
    record_delimiter: "windows",
    header: true,
    columns: [
      "Departement",
      "Dienst",
      "Naam",
      "Personeelsnummer",
      "Functie",
      `Gelezen en begrepen (versie ${overview.version ?? "-"})`,
      "Bevestigd op",
    ],
  });
}

/** File name of the CSV export, e.g. "gelezen-en-begrepen-2025-017-v3.csv". */
export function acknowledgementCsvFileName(overview: AcknowledgementOverview): string {
  return `gelezen-en-begrepen-${overview.circular.number.replace("/", "-")}-v${overview.version ?? 0}.csv`;
}
