/** Test factories: each call creates isolated rows with unique natural keys; pass overrides for what matters. */
import { createECDH, randomBytes } from "node:crypto";
import { prisma } from "../app/db.server";
import { type Prisma } from "../app/generated/prisma/client";
import { type Role } from "../app/modules/identity/permissions";
import { maskPhone } from "../app/modules/channels/contact";
import { personalDataIndex, sealPersonalData } from "../app/modules/channels/keys.server";
import { claimEnrolment, enrolKioskDevice } from "../app/modules/kiosk/devices.server";

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

/** Keys a browser would send with a push subscription: a fresh P-256 public key and a 16-byte auth secret. */
export function pushSubscriptionKeys() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") };
}

/** Creates a push subscription for a user (an FCM-like https endpoint unless one is given). */
export async function buildPushSubscription(
  userId: string,
  overrides: Partial<Omit<Prisma.PushSubscriptionUncheckedCreateInput, "userId">> = {},
) {
  const keys = pushSubscriptionKeys();
  return prisma.pushSubscription.create({
    data: {
      userId,
      endpoint: `https://fcm.googleapis.com/fcm/send/test-${unique()}${unique()}`,
      p256dh: keys.p256dh,
      auth: keys.auth,
      ...overrides,
    },
  });
}

/**
 * Creates a composed digest for a user (two circular items unless given) and its delivery on one channel,
 * queued, written directly as the planner would, so delivery tests do not depend on the planner.
 */
export async function buildDigestDelivery(options: {
  userId: string;
  channel: "push" | "sms" | "email";
  items?: Prisma.InputJsonValue[];
  urgent?: boolean;
  delivery?: Partial<Prisma.DigestDeliveryUncheckedCreateInput>;
}) {
  const now = new Date();
  const items = options.items ?? [
    {
      kind: "circular",
      id: `c-${unique()}`,
      title: "Nieuwe regeling voor werkkledij",
      summary: "Vanaf 1 december bestel je werkkledij via de nieuwe webshop.",
      url: "/circulaires/2026/101",
      priority: 10,
      urgent: false,
      needsAcknowledgement: true,
      date: now.toISOString(),
    },
    {
      kind: "announcement",
      id: `a-${unique()}`,
      title: "Sneeuwruiming: extra permanentie",
      summary: "Wie permanentie heeft, krijgt vanavond een bericht van de ploegbaas.",
      url: "/berichten/abc",
      priority: 5,
      urgent: false,
      date: now.toISOString(),
    },
  ];
  const digest = await prisma.digest.create({
    data: {
      userId: options.userId,
      periodKey: `daily:test-${unique()}`,
      items,
      itemCount: items.length,
      urgent: options.urgent ?? false,
      coversUntil: now,
      tokenExpiresAt: new Date(now.getTime() + 7 * 24 * 3600_000),
    },
  });
  const delivery = await prisma.digestDelivery.create({
    data: {
      digestId: digest.id,
      userId: options.userId,
      channel: options.channel,
      idempotencyKey: `${digest.id}:${options.channel}`,
      ...options.delivery,
    },
  });
  return { digest, delivery };
}

/**
 * A field worker who may sign in with an SMS code: a verified personal mobile number (sealed the way the
 * app seals it) and, unless `consent` is false, a granted sign_in_sms consent.
 */
export async function buildFieldWorkerWithPhone(
  options: { phone?: string; consent?: boolean; overrides?: Partial<Prisma.UserUncheckedCreateInput> } = {},
) {
  const user = await buildUser({ isFieldWorker: true, email: null, ...options.overrides });
  const phone = options.phone ?? `+3247${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const contact = await prisma.personalContact.create({
    data: {
      userId: user.id,
      kind: "phone",
      valueEncrypted: sealPersonalData(phone, { purpose: "contact:phone", userId: user.id }),
      valueIndex: personalDataIndex(phone),
      masked: maskPhone(phone),
      verifiedAt: new Date(),
    },
  });
  if (options.consent !== false) {
    await prisma.consentEvent.create({
      data: {
        userId: user.id,
        purpose: "sign_in_sms",
        granted: true,
        method: "self",
        textVersion: "2026-11",
      },
    });
  }
  return { user, phone, contact };
}

/** An enrolled kiosk terminal and the device token its cookie holds. */
export async function buildKioskDevice(overrides: { name?: string; location?: string | null } = {}) {
  const admin = await buildUser({}, ["admin"]);
  const enrolled = await enrolKioskDevice({
    name: overrides.name ?? `Werkplaats ${unique()}`,
    location: overrides.location ?? "Proeftuinstraat",
    enrolledById: admin.id,
  });
  const claimed = await claimEnrolment(enrolled.code);
  if (!claimed) throw new Error("kiosk enrolment failed");
  return { id: enrolled.id, token: claimed.token };
}

// Reach (issue 5): appended with its imports so this section stays one additive block.
import { storedContact } from "../app/modules/reach/contact-storage.server";

/**
 * Creates a personal contact for a user the way the reach module stores it (sealed, blind-indexed, masked),
 * verified unless told otherwise: for tests that need a reachable worker without going through a code.
 */
export async function buildPersonalContact(options: {
  userId: string;
  kind: "phone" | "email";
  /** The normalised value: E.164 for a phone ("+32470000001"), an address for e-mail. */
  value: string;
  verified?: boolean;
}) {
  return prisma.personalContact.create({
    data: {
      userId: options.userId,
      kind: options.kind,
      ...storedContact(options.userId, options.kind, options.value),
      verifiedAt: options.verified === false ? null : new Date(),
    },
  });
}

/**
 * A field worker who gets digests: a DigestPreference (daily 07:00 unless overridden) on the given channels,
 * each made reachable the way the app requires (granted consent, plus a verified contact for SMS and e-mail
 * or a push subscription).
 */
export async function buildDigestSubscriber(
  options: {
    channels?: ("push" | "sms" | "email")[];
    preference?: Partial<Omit<Prisma.DigestPreferenceUncheckedCreateInput, "userId" | "channels">>;
    user?: Partial<Prisma.UserUncheckedCreateInput>;
  } = {},
) {
  const channels = options.channels ?? ["sms"];
  const user = await buildUser({ isFieldWorker: true, email: null, ...options.user });
  const preference = await prisma.digestPreference.create({
    data: { userId: user.id, channels, ...options.preference },
  });
  const purposes = { push: "digest_push", sms: "digest_sms", email: "digest_email" } as const;
  for (const channel of channels) {
    await prisma.consentEvent.create({
      data: {
        userId: user.id,
        purpose: purposes[channel],
        granted: true,
        method: "self",
        textVersion: "2026-11",
      },
    });
    if (channel === "sms") {
      const phone = `+3247${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
      await buildPersonalContact({ userId: user.id, kind: "phone", value: phone });
    } else if (channel === "email") {
      await buildPersonalContact({ userId: user.id, kind: "email", value: `thuis.${unique()}@telenet.be` });
    } else {
      await buildPushSubscription(user.id);
    }
  }
  return { user, preference };
}

/**
 * Creates a campaign written directly (no workflow, no audit), running by default for everyone from yesterday
 * for thirty days. The creator is a new communicator unless given, and is its owner.
 */
export async function buildCampaign(
  overrides: Partial<Prisma.CampaignUncheckedCreateInput> & { ownerIds?: string[] } = {},
) {
  const { ownerIds, ...data } = overrides;
  const id = unique();
  const createdById = data.createdById ?? (await buildUser({}, ["communicator"])).id;
  const day = 24 * 60 * 60 * 1000;
  return prisma.campaign.create({
    data: {
      slug: `testcampagne-${id}`,
      name: `Testcampagne ${id}`,
      goal: "Een testcampagne om collega's te informeren.",
      keyMessages: ["Samen maken we het verschil."],
      audience: { departmentIds: [], roles: [], fieldWorkers: "any" },
      startsAt: new Date(Date.now() - day),
      endsAt: new Date(Date.now() + 30 * day),
      status: "running",
      ...data,
      createdById,
      owners: { create: [...new Set([createdById, ...(ownerIds ?? [])])].map((userId) => ({ userId })) },
    },
  });
}

/**
 * Measurement tests (pulse, stories, dashboard): a campaign message written directly as sent (no workflow,
 * no delivery), with an optional pulse question. Channels default to stream and push.
 */
export async function buildMeasureMessage(
  campaignId: string,
  overrides: Partial<Omit<Prisma.CampaignMessageUncheckedCreateInput, "campaignId">> = {},
) {
  const now = new Date();
  return prisma.campaignMessage.create({
    data: {
      campaignId,
      title: `Testbericht ${unique()}`,
      body: { root: { type: "root", children: [] } },
      bodyText: "Een bericht van de campagne.",
      channels: ["stream", "push"],
      sendAt: now,
      sentAt: now,
      status: "sent",
      ...overrides,
    },
  });
}

/**
 * Measurement tests: CampaignRecipient rows of a message, one per entry, as the sender and the reach marking
 * would leave them (department at sending time, reached when and via what, acknowledged when).
 */
export async function buildMeasureRecipients(
  messageId: string,
  rows: Omit<Prisma.CampaignRecipientCreateManyInput, "messageId">[],
) {
  await prisma.campaignRecipient.createMany({ data: rows.map((row) => ({ ...row, messageId })) });
}

/**
 * Sending tests (campaign messages): a planned message written directly (no planning rules), due a minute ago
 * unless `sendAt` is given, with a one-paragraph Lexical body. Channels default to push.
 */
export async function buildSendingMessage(
  campaignId: string,
  overrides: Partial<Omit<Prisma.CampaignMessageUncheckedCreateInput, "campaignId">> & { text?: string } = {},
) {
  const { text = "Vanaf maandag werken we samen in de nieuwe ploegen.", ...data } = overrides;
  return prisma.campaignMessage.create({
    data: {
      campaignId,
      title: `Campagnebericht ${unique()}`,
      body: {
        root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text }] }] },
      },
      bodyText: text,
      channels: ["push"],
      sendAt: new Date(Date.now() - 60_000),
      ...data,
    },
  });
}
