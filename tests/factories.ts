/** Test factories: each call creates isolated rows with unique natural keys; pass overrides for what matters. */
import { randomBytes } from "node:crypto";
import { prisma } from "../app/db.server";
import { type Prisma } from "../app/generated/prisma/client";
import { type Role } from "../app/modules/identity/permissions";

const unique = () => randomBytes(4).toString("hex");

/** Creates a department (or, with parentId, a service). */
export async function buildDepartment(overrides: Partial<Prisma.DepartmentUncheckedCreateInput> = {}) {
  const id = unique();
  return prisma.department.create({
    data: {
      code: `T-${id}`,
      name: `Testdienst ${id}`,
      kind: overrides.parentId ? "service" : "department",
      ...overrides,
    },
  });
}

/** Creates an active user with the given extra roles. */
export async function buildUser(
  overrides: Partial<Prisma.UserUncheckedCreateInput> = {},
  roles: Exclude<Role, "employee">[] = [],
) {
  const id = unique();
  return prisma.user.create({
    data: {
      displayName: `Test Medewerker ${id}`,
      email: `test.${id}@stad.gent`,
      employeeNumber: `T-${id}`,
      ...overrides,
      roles: { create: roles.map((role) => ({ role, source: "seed" })) },
    },
  });
}

let circularSequence = 0;
const circularYear = 2500 + Math.floor(Math.random() * 400);

type VersionSpec = {
  title?: string;
  summary?: string;
  /** Paragraph texts of the body. */
  paragraphs?: string[];
  validFrom?: Date | null;
  validUntil?: Date | null;
  substantial?: boolean;
  changeNote?: string;
  publishedAt?: Date;
  attachmentIds?: string[];
};

/**
 * Creates a circular with published versions written directly (no workflow), for reading tests.
 * Owner department, responsible person and editor are created unless given.
 */
export async function buildPublishedCircular(
  options: {
    versions?: VersionSpec[];
    audience?: string[];
    requiresAcknowledgement?: boolean;
    status?: "draft" | "in_review" | "published" | "archived";
    ownerDepartmentId?: string;
    responsibleUserId?: string;
    themeIds?: string[];
    archivedAt?: Date | null;
    supersedesId?: string | null;
  } = {},
) {
  const ownerDepartmentId = options.ownerDepartmentId ?? (await buildDepartment()).id;
  const editor = await buildUser({}, ["editor"]);
  const responsibleUserId = options.responsibleUserId ?? editor.id;
  const versions = options.versions ?? [{}];
  const audience = options.audience ?? ["all"];
  circularSequence += 1;
  const number = `${circularYear}/${String(circularSequence).padStart(3, "0")}`;
  const bodyOf = (paragraphs: string[]) => ({
    root: {
      type: "root",
      children: paragraphs.map((text) => ({ type: "paragraph", children: [{ type: "text", text }] })),
    },
  });
  const last = versions.at(-1);
  const circular = await prisma.circular.create({
    data: {
      number,
      year: circularYear,
      sequence: circularSequence,
      status: options.status ?? (versions.length > 0 ? "published" : "draft"),
      title: last?.title ?? `Testcirculaire ${number}`,
      summary: last?.summary ?? "Een korte samenvatting.",
      body: bodyOf(last?.paragraphs ?? ["Tekst."]),
      ownerDepartmentId,
      responsibleUserId,
      createdById: editor.id,
      audience,
      publishedAudience: versions.length > 0 ? audience : [],
      publishedVersion: versions.length,
      requiresAcknowledgement: options.requiresAcknowledgement ?? true,
      archivedAt: options.archivedAt ?? null,
      supersedesId: options.supersedesId ?? null,
      themes: { create: (options.themeIds ?? []).map((themeId) => ({ themeId })) },
    },
  });
  for (const [index, spec] of versions.entries()) {
    await prisma.circularVersion.create({
      data: {
        circularId: circular.id,
        version: index + 1,
        title: spec.title ?? `Testcirculaire ${number}`,
        summary: spec.summary ?? "Een korte samenvatting.",
        body: bodyOf(spec.paragraphs ?? ["Tekst."]),
        validFrom: spec.validFrom ?? null,
        validUntil: spec.validUntil ?? null,
        changeNote: spec.changeNote ?? (index === 0 ? "Eerste versie" : "Wijziging"),
        substantial: spec.substantial ?? index === 0,
        audience,
        attachmentIds: spec.attachmentIds ?? [],
        authorId: editor.id,
        approvedById: responsibleUserId,
        publishedAt: spec.publishedAt ?? new Date(Date.UTC(2026, 0, 1 + index)),
      },
    });
  }
  return circular;
}

/**
 * Creates a group or project directly (no module rules), with the given owners and members; the first
 * owner is its creator. Members are not made followers: tests that need follows create them.
 */
export async function buildPlace(options: {
  ownerIds: string[];
  memberIds?: string[];
  visibility?: "open" | "closed" | "secret";
  kind?: "group" | "project";
  name?: string;
  archivedAt?: Date | null;
}) {
  const id = unique();
  const [creatorId] = options.ownerIds;
  if (!creatorId) throw new Error("buildPlace needs at least one owner");
  return prisma.place.create({
    data: {
      slug: `testplaats-${id}`,
      kind: options.kind ?? "group",
      name: options.name ?? `Testplaats ${id}`,
      visibility: options.visibility ?? "open",
      createdById: creatorId,
      archivedAt: options.archivedAt ?? null,
      memberships: {
        create: [
          ...options.ownerIds.map((userId) => ({ userId, role: "owner" as const })),
          ...(options.memberIds ?? []).map((userId) => ({ userId, role: "member" as const })),
        ],
      },
    },
  });
}

/**
 * Creates a post directly (no module rules, no notifications). The audience follows the place as the posts
 * module sets it (open or none: "all"; closed or secret: the place's key) unless given; an announcement
 * defaults to everyone plus its author. Topics are created on first use and linked with the post's time.
 */
export async function buildPost(options: {
  authorId: string;
  placeId?: string | null;
  kind?: "post" | "announcement";
  text?: string;
  audience?: string[];
  createdAt?: Date;
  pinnedUntil?: Date | null;
  topicSlugs?: string[];
  hiddenAt?: Date | null;
  hiddenReason?: string | null;
  deletedAt?: Date | null;
  sharedPostId?: string | null;
}) {
  const text = options.text ?? `Testbericht ${unique()}`;
  const kind = options.kind ?? "post";
  const place = options.placeId
    ? await prisma.place.findUniqueOrThrow({
        where: { id: options.placeId },
        select: { id: true, visibility: true },
      })
    : null;
  const audience =
    options.audience ??
    (kind === "announcement"
      ? ["all", `user:${options.authorId}`]
      : !place || place.visibility === "open"
        ? ["all"]
        : [`place:${place.id}`]);
  const createdAt = options.createdAt ?? new Date();
  const post = await prisma.post.create({
    data: {
      authorId: options.authorId,
      placeId: place?.id ?? null,
      kind,
      body: { root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text }] }] } },
      text,
      audience,
      createdAt,
      pinnedUntil: options.pinnedUntil ?? null,
      hiddenAt: options.hiddenAt ?? null,
      hiddenReason: options.hiddenReason ?? null,
      deletedAt: options.deletedAt ?? null,
      sharedPostId: options.sharedPostId ?? null,
    },
  });
  for (const slug of options.topicSlugs ?? []) {
    const topic = await prisma.topic.upsert({ where: { slug }, create: { slug, name: slug }, update: {} });
    await prisma.postTopic.create({ data: { postId: post.id, topicId: topic.id, createdAt } });
  }
  return post;
}
