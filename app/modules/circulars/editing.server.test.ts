import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseLexicalDocument } from "~/editor/lexical-schema";
import { plainTextToLexical } from "~/editor/plain-text";
import { buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  checkCircularReferences,
  circularErrorToFieldErrors,
  loadCircularForEditing,
  loadEditorsDesk,
  parseCircularForm,
} from "./editing.server";
import { CircularError } from "./errors";
import {
  type Actor,
  approveAndPublishCircular,
  createCircularDraft,
  returnCircularToDraft,
  submitCircularForReview,
  updateCircularDraft,
} from "./workflow.server";

setupTestDatabase();

let author: Actor;
let reviewer: Actor;
let departmentId: string;
let serviceId: string;

beforeAll(async () => {
  const department = await buildDepartment();
  departmentId = department.id;
  serviceId = (await buildDepartment({ parentId: department.id })).id;
  author = {
    id: (await buildUser({ displayName: "An Auteur" }, ["editor"])).id,
    roles: ["employee", "editor"],
  };
  reviewer = {
    id: (await buildUser({ displayName: "Rik Recensent" }, ["editor"])).id,
    roles: ["employee", "editor"],
  };
});

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  }
  return data;
}

const valid = () => ({
  title: "Fietsvergoeding voor woon-werkverkeer",
  summary: "Wie met de fiets naar het werk komt, krijgt een vergoeding per kilometer.",
  bodyText: "Je krijgt 0,35 euro per kilometer.\n\nVraag het aan via je leidinggevende.",
  ownerDepartmentId: departmentId,
  responsibleUserId: author.id,
  audienceMode: "all",
  requiresAcknowledgement: "on",
  validFrom: "2026-01-01",
  validUntil: "",
  reviewDate: "2027-01-01",
  supersedesNumber: "",
});

describe("plainTextToLexical", () => {
  it("turns blank-line separated paragraphs into valid Lexical paragraphs with line breaks", () => {
    const document = plainTextToLexical("Eerste alinea\nmet twee regels.\r\n\r\n\n  Tweede alinea.  \n\n");
    expect(parseLexicalDocument(document).ok).toBe(true);
    expect(document.root.children).toHaveLength(2);
    expect(document.root.children[0]).toMatchObject({
      type: "paragraph",
      children: [
        { type: "text", text: "Eerste alinea" },
        { type: "linebreak" },
        { type: "text", text: "met twee regels." },
      ],
    });
    expect(document.root.children[1]).toMatchObject({ children: [{ text: "Tweede alinea." }] });
    expect(plainTextToLexical("   ").root.children).toEqual([]);
  });
});

describe("parseCircularForm", () => {
  it("reads a valid form without JavaScript (textarea body)", () => {
    const result = parseCircularForm(form(valid()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input).toMatchObject({
      title: "Fietsvergoeding voor woon-werkverkeer",
      audience: ["all"],
      requiresAcknowledgement: true,
      validUntil: null,
      supersedesNumber: null,
    });
    expect((result.input.body as { root: { children: unknown[] } }).root.children).toHaveLength(2);
  });

  it("prefers the editor's JSON over the textarea and builds a group audience", () => {
    const body = plainTextToLexical("Uit de editor.");
    const result = parseCircularForm(
      form({
        ...valid(),
        bodyJson: JSON.stringify(body),
        bodyText: "genegeerd",
        audienceMode: "groups",
        audienceDepartments: [serviceId, serviceId],
        audienceRoles: ["editor"],
        audienceFieldWorkers: "on",
        requiresAcknowledgement: "",
        themeIds: ["t1", "t2"],
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input.body).toEqual(body);
    expect(result.input.audience).toEqual([`department:${serviceId}`, "role:editor", "field-workers"]);
    expect(result.input.requiresAcknowledgement).toBe(false);
    expect(result.input.themeIds).toEqual(["t1", "t2"]);
  });

  it.each([
    ["an impossible date", { validFrom: "2026-02-30" }, { validFrom: "dateInvalid" }],
    ["a date in another format", { reviewDate: "01/02/2026" }, { reviewDate: "dateInvalid" }],
    [
      "valid until before valid from",
      { validFrom: "2026-05-01", validUntil: "2026-04-30" },
      { validUntil: "validUntilBeforeFrom" },
    ],
    ["a short title", { title: "ab" }, { title: "titleTooShort" }],
    ["a summary over 300 characters", { summary: "a".repeat(301) }, { summary: "summaryTooLong" }],
    ["no owning department", { ownerDepartmentId: "" }, { ownerDepartmentId: "departmentRequired" }],
    ["an empty group audience", { audienceMode: "groups" }, { audience: "audienceEmpty" }],
    [
      "an unknown role",
      { audienceMode: "groups", audienceRoles: ["mayor"] },
      { audience: "audienceInvalid" },
    ],
    [
      "a malformed department key",
      { audienceMode: "groups", audienceDepartments: ["x y"] },
      { audience: "audienceInvalid" },
    ],
    [
      "a malformed superseded number",
      { supersedesNumber: "17/2025" },
      { supersedesNumber: "supersedesInvalid" },
    ],
    ["a malformed expectedUpdatedAt", { expectedUpdatedAt: "gisteren" }, { form: "invalidInput" }],
  ])("refuses %s and keeps the input", (_label, change, expected) => {
    const submitted = { ...valid(), ...change };
    const result = parseCircularForm(form(submitted as Record<string, string | string[]>));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject(expected);
    expect(result.values.title).toBe(submitted.title);
    expect(result.values.summary).toBe(submitted.summary);
    expect(result.values.bodyText).toBe(submitted.bodyText);
  });

  it("refuses editor JSON with unsafe links or unknown nodes, with a technical detail", () => {
    const hostile = {
      root: {
        type: "root",
        children: [
          {
            type: "paragraph",
            children: [{ type: "link", url: "javascript:alert(1)", children: [{ type: "text", text: "x" }] }],
          },
        ],
      },
    };
    const result = parseCircularForm(form({ ...valid(), bodyJson: JSON.stringify(hostile) }));
    expect(result).toMatchObject({ ok: false, errors: { body: "bodyInvalid" } });
    expect(result.ok ? "" : result.bodyDetail).toMatch(/url/);
    const broken = parseCircularForm(form({ ...valid(), bodyJson: "{ root:" }));
    expect(broken).toMatchObject({ ok: false, errors: { body: "bodyInvalid" } });
  });
});

describe("checkCircularReferences", () => {
  it("names the unknown department, person, theme or audience department", async () => {
    const result = parseCircularForm(form(valid()));
    if (!result.ok) throw new Error("valid form refused");
    expect(await checkCircularReferences(result.input)).toEqual({});
    expect(
      await checkCircularReferences({
        ...result.input,
        ownerDepartmentId: "nope",
        responsibleUserId: "nobody",
        themeIds: ["missing"],
        audience: ["department:doesnotexist1"],
      }),
    ).toEqual({
      ownerDepartmentId: "departmentUnknown",
      responsibleUserId: "responsibleUnknown",
      themeIds: "themeUnknown",
      audience: "audienceUnknownDepartment",
    });
  });
});

describe("circularErrorToFieldErrors", () => {
  async function draft(title = "Ontwerp om te testen") {
    const parsed = parseCircularForm(form({ ...valid(), title }));
    if (!parsed.ok) throw new Error("valid form refused");
    return { ...(await createCircularDraft(author, parsed.input)), input: parsed.input };
  }

  it("explains a duplicate number, self-approval and editing during review", async () => {
    const made = await draft();
    const duplicate = await createCircularDraft(author, { ...made.input, number: made.number }).catch(
      (e: unknown) => e,
    );
    expect(circularErrorToFieldErrors(duplicate)).toEqual({ form: "duplicateNumber" });

    await submitCircularForReview(author, made.id, { changeNote: "Eerste versie" });
    const self = await approveAndPublishCircular(author, made.id).catch((e: unknown) => e);
    expect(circularErrorToFieldErrors(self)).toEqual({ form: "selfApproval" });
    const inReview = await updateCircularDraft(author, made.id, made.input).catch((e: unknown) => e);
    expect(circularErrorToFieldErrors(inReview)).toEqual({ form: "invalidState" });
    const noReason = await returnCircularToDraft(reviewer, made.id, { reason: " " }).catch((e: unknown) => e);
    expect(circularErrorToFieldErrors(noReason)).toEqual({ reason: "reasonRequired" });
  });

  it("explains a stale autosave, a missing change note and an already superseded circular", async () => {
    const made = await draft();
    const loaded = await prisma.circular.findUniqueOrThrow({ where: { id: made.id } });
    await updateCircularDraft(reviewer, made.id, { ...made.input, title: "Collega was sneller" });
    const stale = await updateCircularDraft(author, made.id, made.input, {
      expectedUpdatedAt: loaded.updatedAt,
    }).catch((e: unknown) => e);
    expect(circularErrorToFieldErrors(stale)).toEqual({ form: "stale" });

    const note = await submitCircularForReview(author, made.id, { changeNote: "" }).catch((e: unknown) => e);
    expect(circularErrorToFieldErrors(note)).toEqual({ changeNote: "changeNoteRequired" });

    await draft().then((successor) =>
      updateCircularDraft(author, successor.id, { ...successor.input, supersedesNumber: made.number }),
    );
    const second = await draft();
    const taken = await updateCircularDraft(author, second.id, {
      ...second.input,
      supersedesNumber: made.number,
    }).catch((e: unknown) => e);
    expect(circularErrorToFieldErrors(taken)).toEqual({ supersedesNumber: "supersedesTaken" });
    const unknown = await updateCircularDraft(author, second.id, {
      ...second.input,
      supersedesNumber: "1999/001",
    }).catch((e: unknown) => e);
    expect(circularErrorToFieldErrors(unknown)).toEqual({ supersedesNumber: "supersedesUnknown" });
  });

  it("rethrows errors that are not refusals", () => {
    expect(() => circularErrorToFieldErrors(new Error("database down"))).toThrow("database down");
    expect(circularErrorToFieldErrors(new CircularError("forbidden", "no"))).toEqual({ form: "forbidden" });
  });
});

describe("loading for the pages", () => {
  it("shows the author why a change came back, and fills the editors' desk", async () => {
    const parsed = parseCircularForm(form({ ...valid(), reviewDate: "2026-03-01" }));
    if (!parsed.ok) throw new Error("valid form refused");
    const made = await createCircularDraft(author, parsed.input);
    await submitCircularForReview(author, made.id, { changeNote: "Nieuw" });

    const deskOfReviewer = await loadEditorsDesk(reviewer.id, 30, new Date("2026-03-10T10:00:00Z"));
    expect(deskOfReviewer.toReview.map((c) => c.id)).toContain(made.id);
    const deskOfAuthor = await loadEditorsDesk(author.id, 30, new Date("2026-03-10T10:00:00Z"));
    expect(deskOfAuthor.toReview.map((c) => c.id)).not.toContain(made.id);
    expect(deskOfAuthor.submittedByMe.map((c) => c.id)).toContain(made.id);

    await returnCircularToDraft(reviewer, made.id, { reason: "Voeg een voorbeeld toe." });
    const editing = await loadCircularForEditing(made.number);
    expect(editing?.returned).toMatchObject({ reason: "Voeg een voorbeeld toe.", by: "Rik Recensent" });
    expect(editing?.values).toMatchObject({
      title: parsed.input.title,
      audienceMode: "all",
      reviewDate: "2026-03-01",
    });
    expect((await loadEditorsDesk(author.id, 30)).drafts.map((c) => c.id)).toContain(made.id);
    // Saving keeps the reviewer's reason in view; resubmitting retires it.
    await updateCircularDraft(author, made.id, { ...parsed.input, title: "Met voorbeeld" });
    expect((await loadCircularForEditing(made.number))?.returned?.reason).toBe("Voeg een voorbeeld toe.");

    await submitCircularForReview(author, made.id, { changeNote: "Voorbeeld toegevoegd" });
    await returnCircularToDraft(author, made.id);
    expect((await loadCircularForEditing(made.number))?.returned).toBeNull();
    await submitCircularForReview(author, made.id, { changeNote: "Voorbeeld toegevoegd" });
    await approveAndPublishCircular(reviewer, made.id);
    const later = await loadEditorsDesk(author.id, 30, new Date("2026-03-10T10:00:00Z"));
    expect(later.recentlyPublished.map((v) => v.circular.number)).toContain(made.number);
    const due = later.reviewDue.find((c) => c.id === made.id);
    expect(due?.overdue).toBe(true);
    const early = await loadEditorsDesk(author.id, 30, new Date("2026-01-15T10:00:00Z"));
    expect(early.reviewDue.find((c) => c.id === made.id)).toBeUndefined();
    const soon = await loadEditorsDesk(author.id, 30, new Date("2026-02-15T10:00:00Z"));
    expect(soon.reviewDue.find((c) => c.id === made.id)?.overdue).toBe(false);
    expect(await loadCircularForEditing("1999/999")).toBeNull();
  });
});
