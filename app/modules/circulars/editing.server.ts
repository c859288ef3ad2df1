/**
 * The editorial side of circulars as the pages use it: reading and checking the editor form, turning
 * refusals into field errors, and the queries behind the editor, the review page and the editors' desk.
 * The workflow rules themselves stay in workflow.server.ts; this module only prepares their input and
 * explains their answers.
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { LEXICAL_LIMITS, parseLexicalDocument } from "~/editor/lexical-schema";
import { lexicalToPlainText, plainTextToLexical } from "~/editor/plain-text";
import { ROLES } from "~/modules/identity/permissions";
import { listCircularAttachments } from "./attachments.server";
import { CircularError } from "./errors";
import { parseCircularNumber } from "./numbering.server";
import { AUDIENCE_ALL, AUDIENCE_FIELD_WORKERS } from "./policy.server";
import { brusselsDay } from "./validity";
import { CircularDraftSchema, isStaleWriteError, type CircularDraftInput } from "./workflow.server";

// ---------------------------------------------------------------------------------------------------
// Form values and errors
// ---------------------------------------------------------------------------------------------------

/** Names of the editor form's fields that can carry an error (plus "form" for the whole form). */
export const CIRCULAR_FIELDS = [
  "title",
  "summary",
  "body",
  "ownerDepartmentId",
  "responsibleUserId",
  "themeIds",
  "audience",
  "validFrom",
  "validUntil",
  "reviewDate",
  "supersedesNumber",
  "changeNote",
  "reason",
  "form",
] as const;
export type CircularField = (typeof CIRCULAR_FIELDS)[number];

/**
 * Field → error key (under `circularEditor.errors.` in the translation files). Keys, not texts, so the
 * page shows them in the reader's language and tests can assert on them.
 */
export type CircularFieldErrors = Partial<Record<CircularField, string>>;

export type AudienceMode = "all" | "groups";

/** What the editor form holds, as strings and lists, so a refused form can be shown again unchanged. */
export type CircularFormValues = {
  title: string;
  summary: string;
  /** Lexical JSON from the browser editor ("" when JavaScript did not run). */
  bodyJson: string;
  /** The plain-text fallback: paragraphs separated by blank lines. */
  bodyText: string;
  ownerDepartmentId: string;
  responsibleUserId: string;
  themeIds: string[];
  audienceMode: AudienceMode;
  audienceDepartments: string[];
  audienceRoles: string[];
  audienceFieldWorkers: boolean;
  requiresAcknowledgement: boolean;
  validFrom: string;
  validUntil: string;
  reviewDate: string;
  supersedesNumber: string;
};

export type ParsedCircularForm =
  | { ok: true; values: CircularFormValues; input: CircularDraftInput; expectedUpdatedAt: Date | null }
  | { ok: false; values: CircularFormValues; errors: CircularFieldErrors; bodyDetail?: string };

const MAX_FIELD_LENGTH = 10_000;

function text(form: FormData, name: string, max = MAX_FIELD_LENGTH): string {
  const value = form.get(name);
  // Oversized fields are cut here; the schema then reports them as too long where a limit exists.
  return typeof value === "string" ? value.slice(0, max) : "";
}

function list(form: FormData, name: string): string[] {
  return [
    ...new Set(
      form
        .getAll(name)
        .filter((v): v is string => typeof v === "string" && v.length > 0)
        .slice(0, 200),
    ),
  ];
}

/** Reads the raw values of the editor form (nothing is validated yet). */
export function readCircularFormValues(form: FormData): CircularFormValues {
  return {
    title: text(form, "title", 1000),
    summary: text(form, "summary", 2000),
    bodyJson: text(form, "bodyJson", LEXICAL_LIMITS.maxBytes + 1),
    bodyText: text(form, "bodyText", LEXICAL_LIMITS.maxBytes + 1),
    ownerDepartmentId: text(form, "ownerDepartmentId", 100),
    responsibleUserId: text(form, "responsibleUserId", 100),
    themeIds: list(form, "themeIds"),
    audienceMode: text(form, "audienceMode") === "groups" ? "groups" : "all",
    audienceDepartments: list(form, "audienceDepartments"),
    audienceRoles: list(form, "audienceRoles"),
    audienceFieldWorkers: form.get("audienceFieldWorkers") === "on",
    requiresAcknowledgement: form.get("requiresAcknowledgement") === "on",
    validFrom: text(form, "validFrom", 20).trim(),
    validUntil: text(form, "validUntil", 20).trim(),
    reviewDate: text(form, "reviewDate", 20).trim(),
    supersedesNumber: text(form, "supersedesNumber", 20).trim(),
  };
}

/** The audience keys chosen in the form: everyone, or the selected departments, roles and field workers. */
export function audienceFromValues(values: CircularFormValues): string[] {
  if (values.audienceMode === "all") return [AUDIENCE_ALL];
  return [
    ...values.audienceDepartments.map((id) => `department:${id}`),
    ...values.audienceRoles.map((role) => `role:${role}`),
    ...(values.audienceFieldWorkers ? [AUDIENCE_FIELD_WORKERS] : []),
  ];
}

/** Maps one zod issue of CircularDraftSchema to a field and an error key. */
function issueToFieldError(issue: z.core.$ZodIssue): [CircularField, string] {
  const field = String(issue.path[0] ?? "form");
  switch (field) {
    case "title":
      return ["title", issue.code === "too_big" ? "titleTooLong" : "titleTooShort"];
    case "summary":
      return ["summary", "summaryTooLong"];
    case "body":
      return ["body", "bodyInvalid"];
    case "validFrom":
    case "reviewDate":
      return [field, "dateInvalid"];
    case "validUntil":
      return ["validUntil", issue.code === "custom" ? "validUntilBeforeFrom" : "dateInvalid"];
    case "ownerDepartmentId":
      return ["ownerDepartmentId", "departmentRequired"];
    case "responsibleUserId":
      return ["responsibleUserId", "responsibleRequired"];
    case "themeIds":
      return ["themeIds", "themesTooMany"];
    case "audience":
      return ["audience", "audienceInvalid"];
    case "supersedesNumber":
      return ["supersedesNumber", "supersedesInvalid"];
    default:
      return ["form", "invalidInput"];
  }
}

/**
 * Parses and checks the editor form. The body comes from the Lexical editor's JSON when JavaScript ran,
 * otherwise from the textarea. Returns the draft input for the workflow, or field errors with the
 * submitted values so the page can show the form again as the person left it.
 */
export function parseCircularForm(form: FormData): ParsedCircularForm {
  const values = readCircularFormValues(form);
  const errors: CircularFieldErrors = {};
  let bodyDetail: string | undefined;

  let body: unknown = null;
  if (values.bodyJson.trim()) {
    const parsed = parseLexicalDocument(values.bodyJson);
    if (parsed.ok) body = parsed.document;
    else {
      errors.body = "bodyInvalid";
      bodyDetail = parsed.issues.slice(0, 3).join("; ");
    }
  } else {
    body = plainTextToLexical(values.bodyText);
  }

  const audience = audienceFromValues(values);
  if (audience.length === 0) errors.audience = "audienceEmpty";
  if (values.supersedesNumber && !parseCircularNumber(values.supersedesNumber)) {
    errors.supersedesNumber = "supersedesInvalid";
  }
  if (values.audienceRoles.some((role) => !(ROLES as readonly string[]).includes(role))) {
    errors.audience = "audienceInvalid";
  }

  const expectedRaw = text(form, "expectedUpdatedAt", 40).trim();
  const expectedUpdatedAt = expectedRaw ? new Date(expectedRaw) : null;
  if (expectedUpdatedAt && Number.isNaN(expectedUpdatedAt.getTime())) errors.form = "invalidInput";

  const input: CircularDraftInput = {
    title: values.title,
    summary: values.summary,
    body,
    validFrom: values.validFrom || null,
    validUntil: values.validUntil || null,
    reviewDate: values.reviewDate || null,
    ownerDepartmentId: values.ownerDepartmentId,
    responsibleUserId: values.responsibleUserId,
    themeIds: values.themeIds,
    audience,
    requiresAcknowledgement: values.requiresAcknowledgement,
    supersedesNumber: values.supersedesNumber || null,
  };
  const checked = CircularDraftSchema.safeParse(input);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const [field, key] = issueToFieldError(issue);
      // The first problem per field is the one to fix first; a body already explained keeps its detail.
      if (!errors[field]) errors[field] = key;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, values, errors, bodyDetail };
  return { ok: true, values, input, expectedUpdatedAt };
}

/**
 * Checks that the chosen department, person, themes and audience departments exist, so the form can
 * name the wrong field (the database's foreign keys remain the last line of defence).
 */
export async function checkCircularReferences(input: CircularDraftInput): Promise<CircularFieldErrors> {
  const errors: CircularFieldErrors = {};
  const audienceDepartments = (input.audience ?? [])
    .filter((key) => key.startsWith("department:"))
    .map((key) => key.slice("department:".length));
  const themeIds = input.themeIds ?? [];
  const [owner, person, themes, departments] = await Promise.all([
    prisma.department.count({ where: { id: input.ownerDepartmentId } }),
    prisma.user.count({ where: { id: input.responsibleUserId, active: true } }),
    themeIds.length ? prisma.theme.count({ where: { id: { in: themeIds } } }) : 0,
    audienceDepartments.length ? prisma.department.count({ where: { id: { in: audienceDepartments } } }) : 0,
  ]);
  if (owner === 0) errors.ownerDepartmentId = "departmentUnknown";
  if (person === 0) errors.responsibleUserId = "responsibleUnknown";
  if (themes !== themeIds.length) errors.themeIds = "themeUnknown";
  if (departments !== audienceDepartments.length) errors.audience = "audienceUnknownDepartment";
  return errors;
}

/** Turns a refused workflow call into field errors for the page; rethrows what is not a CircularError. */
export function circularErrorToFieldErrors(error: unknown): CircularFieldErrors {
  if (!(error instanceof CircularError)) throw error;
  if (isStaleWriteError(error)) return { form: "stale" };
  switch (error.code) {
    case "duplicate_number":
      return { form: "duplicateNumber" };
    case "self_approval":
      return { form: "selfApproval" };
    case "forbidden":
      return { form: "forbidden" };
    case "not_found":
      return { form: "notFound" };
    case "invalid_state":
      return { form: "invalidState" };
    case "invalid_input": {
      const errors: CircularFieldErrors = {};
      for (const issue of error.issues) {
        const field = issue.split(":")[0]!.trim();
        if (field === "supersedesNumber") {
          errors.supersedesNumber = issue.includes("already superseded")
            ? "supersedesTaken"
            : "supersedesUnknown";
        } else if (field === "audience") errors.audience = "audienceUnknownDepartment";
        else if (field === "summary") errors.summary = "summaryRequired";
        else if (field === "changeNote") errors.changeNote = "changeNoteRequired";
        else if (field === "reason") errors.reason = "reasonRequired";
        else if (field.includes("ownerDepartment")) errors.ownerDepartmentId = "departmentUnknown";
        else if (field.includes("responsibleUser")) errors.responsibleUserId = "responsibleUnknown";
        else if (field.includes("theme")) errors.themeIds = "themeUnknown";
      }
      return Object.keys(errors).length > 0 ? errors : { form: "invalidInput" };
    }
  }
}

/** Reads the "submit for review" form: the change note and the substantial-change flag. */
export function readSubmitForm(form: FormData) {
  return {
    changeNote: text(form, "changeNote", 2000),
    substantial: form.get("substantial") === "on",
  };
}

// ---------------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------------

const day = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : "");

/** The choices the editor form offers: departments with their services, people and themes. */
export async function loadEditorOptions() {
  const [departments, people, themes] = await Promise.all([
    prisma.department.findMany({
      where: { kind: "department" },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        children: { orderBy: { name: "asc" }, select: { id: true, name: true } },
      },
    }),
    prisma.user.findMany({
      where: { active: true },
      orderBy: { displayName: "asc" },
      select: { id: true, displayName: true, department: { select: { name: true } } },
    }),
    prisma.theme.findMany({ orderBy: { nameNl: "asc" }, select: { id: true, nameNl: true, nameEn: true } }),
  ]);
  return {
    departments,
    people: people.map((p) => ({ id: p.id, name: p.displayName, department: p.department?.name ?? null })),
    themes,
  };
}

export type EditorOptions = Awaited<ReturnType<typeof loadEditorOptions>>;

/** Form values for a new circular: everyone as audience, the author's department and the author. */
export function newCircularValues(user: {
  id: string;
  department: { id: string; parentId: string | null } | null;
}) {
  return {
    title: "",
    summary: "",
    bodyJson: "",
    bodyText: "",
    // Circulars belong to a department; the author's own department (or that of their service) is the likely owner.
    ownerDepartmentId: user.department?.parentId ?? user.department?.id ?? "",
    responsibleUserId: user.id,
    themeIds: [],
    audienceMode: "all",
    audienceDepartments: [],
    audienceRoles: [],
    audienceFieldWorkers: false,
    requiresAcknowledgement: true,
    validFrom: "",
    validUntil: "",
    reviewDate: "",
    supersedesNumber: "",
  } satisfies CircularFormValues;
}

/** Form values of a stored circular's working copy. */
export function valuesFromCircular(circular: {
  title: string;
  summary: string;
  body: unknown;
  ownerDepartmentId: string;
  responsibleUserId: string;
  themeIds: string[];
  audience: string[];
  requiresAcknowledgement: boolean;
  validFrom: Date | null;
  validUntil: Date | null;
  reviewDate: Date | null;
  supersedesNumber: string | null;
}): CircularFormValues {
  const parsed = parseLexicalDocument(circular.body);
  const audience = circular.audience;
  return {
    title: circular.title,
    summary: circular.summary,
    bodyJson: parsed.ok ? JSON.stringify(parsed.document) : "",
    bodyText: parsed.ok ? lexicalToPlainText(parsed.document) : "",
    ownerDepartmentId: circular.ownerDepartmentId,
    responsibleUserId: circular.responsibleUserId,
    themeIds: circular.themeIds,
    audienceMode: audience.includes(AUDIENCE_ALL) || audience.length === 0 ? "all" : "groups",
    audienceDepartments: audience.filter((k) => k.startsWith("department:")).map((k) => k.slice(11)),
    audienceRoles: audience.filter((k) => k.startsWith("role:")).map((k) => k.slice(5)),
    audienceFieldWorkers: audience.includes(AUDIENCE_FIELD_WORKERS),
    requiresAcknowledgement: circular.requiresAcknowledgement,
    validFrom: day(circular.validFrom),
    validUntil: day(circular.validUntil),
    reviewDate: day(circular.reviewDate),
    supersedesNumber: circular.supersedesNumber ?? "",
  };
}

const workingCopySelect = {
  id: true,
  number: true,
  status: true,
  title: true,
  summary: true,
  body: true,
  validFrom: true,
  validUntil: true,
  reviewDate: true,
  ownerDepartmentId: true,
  responsibleUserId: true,
  audience: true,
  requiresAcknowledgement: true,
  publishedVersion: true,
  submittedById: true,
  submittedAt: true,
  changeNote: true,
  substantialChange: true,
  updatedAt: true,
  archivedAt: true,
  submittedBy: { select: { displayName: true } },
  supersedes: { select: { number: true } },
  themes: { select: { themeId: true } },
} as const;

/** The working copy of a circular for the edit page, or null when the number does not exist. */
export async function loadCircularForEditing(number: string) {
  const circular = await prisma.circular.findUnique({ where: { number }, select: workingCopySelect });
  if (!circular) return null;
  const byCircular = { path: ["circularId"], equals: circular.id };
  const [attachments, lastReturn, lastSubmission] = await Promise.all([
    listCircularAttachments(circular.id),
    // The reason a reviewer gave lives in the notification to the submitter. It stays on the edit page
    // until the change is submitted again (a newer "submitted" notification), however often it is saved.
    prisma.notification.findFirst({
      where: { type: "circular.returned", data: byCircular },
      orderBy: { createdAt: "desc" },
      select: { data: true, createdAt: true },
    }),
    prisma.notification.findFirst({
      where: { type: "circular.submitted", data: byCircular },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    }),
  ]);
  const returned = z
    .object({ reason: z.string().default(""), actorName: z.string().default("") })
    .safeParse(lastReturn?.data);
  return {
    ...circular,
    values: valuesFromCircular({
      ...circular,
      themeIds: circular.themes.map((t) => t.themeId),
      supersedesNumber: circular.supersedes?.number ?? null,
    }),
    attachments,
    returned:
      circular.status === "draft" &&
      lastReturn &&
      returned.success &&
      (!lastSubmission || lastSubmission.createdAt <= lastReturn.createdAt)
        ? { reason: returned.data.reason, by: returned.data.actorName, at: lastReturn.createdAt }
        : null,
  };
}

/** The pending change and the latest published version of a circular, for the review page. */
export async function loadCircularForReview(number: string) {
  const circular = await prisma.circular.findUnique({
    where: { number },
    select: {
      ...workingCopySelect,
      ownerDepartment: { select: { name: true } },
      responsibleUser: { select: { displayName: true } },
      themes: { select: { theme: { select: { nameNl: true, nameEn: true } } } },
    },
  });
  if (!circular) return null;
  const published =
    circular.publishedVersion > 0
      ? await prisma.circularVersion.findUnique({
          where: { circularId_version: { circularId: circular.id, version: circular.publishedVersion } },
          select: {
            version: true,
            title: true,
            summary: true,
            body: true,
            validFrom: true,
            validUntil: true,
            audience: true,
            publishedAt: true,
          },
        })
      : null;
  return { circular, published };
}

// ---------------------------------------------------------------------------------------------------
// The editors' desk
// ---------------------------------------------------------------------------------------------------

/** The editors' desk: own drafts, changes waiting for this editor's review, recent publications, reviews due. */
export async function loadEditorsDesk(editorId: string, noticeDays: number, now = new Date()) {
  const today = brusselsDay(now);
  const horizon = new Date(today.getTime() + noticeDays * 24 * 3600_000);
  const listSelect = {
    id: true,
    number: true,
    title: true,
    status: true,
    publishedVersion: true,
    updatedAt: true,
    submittedAt: true,
    reviewDate: true,
    submittedBy: { select: { displayName: true } },
    responsibleUser: { select: { displayName: true } },
  } as const;
  const [drafts, toReview, submittedByMe, recentVersions, reviewDue] = await Promise.all([
    prisma.circular.findMany({
      where: { status: "draft", OR: [{ createdById: editorId }, { responsibleUserId: editorId }] },
      orderBy: { updatedAt: "desc" },
      take: 50,
      select: listSelect,
    }),
    prisma.circular.findMany({
      where: { status: "in_review", submittedById: { not: editorId } },
      orderBy: { submittedAt: "asc" },
      take: 50,
      select: listSelect,
    }),
    prisma.circular.findMany({
      where: { status: "in_review", submittedById: editorId },
      orderBy: { submittedAt: "asc" },
      take: 50,
      select: listSelect,
    }),
    prisma.circularVersion.findMany({
      orderBy: { publishedAt: "desc" },
      take: 10,
      select: {
        version: true,
        publishedAt: true,
        changeNote: true,
        circular: { select: { number: true, title: true } },
        approvedBy: { select: { displayName: true } },
      },
    }),
    prisma.circular.findMany({
      where: {
        status: { in: ["published", "draft", "in_review"] },
        publishedVersion: { gt: 0 },
        reviewDate: { lte: horizon },
      },
      orderBy: { reviewDate: "asc" },
      take: 100,
      select: listSelect,
    }),
  ]);
  return {
    drafts,
    toReview,
    submittedByMe,
    recentlyPublished: recentVersions,
    reviewDue: reviewDue.map((c) => ({ ...c, overdue: c.reviewDate !== null && c.reviewDate < today })),
    today,
    noticeDays,
  };
}
