// Creating, editing and reading campaigns: each bad input refused with a clear field issue and nothing saved,
// Brussels times stored as UTC, approval lost when the audience or dates of an approved campaign change,
// ended campaigns read-only, employees refused, and readers seeing only what the policy lets them.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Role } from "~/modules/identity/permissions";
import { buildCampaign, buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  type CampaignInput,
  createCampaign,
  getCampaign,
  listCampaigns,
  parseBrusselsDateTime,
  setCampaignBanner,
  setFaq,
  updateCampaign,
} from "./campaigns.server";
import { type CampaignErrorCode, type CampaignIssue, isCampaignError } from "./errors";
import { type CampaignReader } from "./policy.server";

setupTestDatabase();

const NOW = new Date("2026-06-01T10:00:00Z");

async function person(roles: Exclude<Role, "employee">[] = [], overrides: { isFieldWorker?: boolean } = {}) {
  const department = await buildDepartment();
  const user = await buildUser({ departmentId: department.id, ...overrides }, roles);
  const reader: CampaignReader = {
    id: user.id,
    roles: ["employee", ...roles],
    isFieldWorker: user.isFieldWorker,
    department: { id: department.id, parentId: null },
  };
  return { user, reader, department };
}

function input(overrides: Partial<CampaignInput> = {}): CampaignInput {
  return {
    name: "Gent Plus, samen verder",
    goal: "Iedereen weet wat de nieuwe structuur betekent.",
    keyMessages: "Je job blijft behouden.\n\nWe veranderen samen.\n",
    audience: { departmentIds: [], roles: [], fieldWorkers: "any" },
    startsAt: "2026-07-01T09:00",
    endsAt: "2026-09-30",
    colour: "#0B4F8A",
    hashtag: "#GentPlus",
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>, code: CampaignErrorCode): Promise<CampaignIssue[]> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(isCampaignError(error), String(error)).toBe(true);
  if (!isCampaignError(error)) return [];
  expect(error.code, error.message).toBe(code);
  return error.issues;
}

const counts = async () => ({
  campaigns: await prisma.campaign.count(),
  owners: await prisma.campaignOwner.count(),
  audit: await prisma.campaignAuditEvent.count(),
});

describe("parseBrusselsDateTime", () => {
  it("reads Brussels wall-clock time in summer and winter", () => {
    expect(parseBrusselsDateTime("2026-07-01T09:00")).toEqual({
      ok: true,
      instant: new Date("2026-07-01T07:00:00Z"),
    });
    expect(parseBrusselsDateTime("2026-12-01 09:00")).toEqual({
      ok: true,
      instant: new Date("2026-12-01T08:00:00Z"),
    });
  });

  it("reads a date alone as the start of the day, or the whole day as an end", () => {
    expect(parseBrusselsDateTime("2026-10-25")).toEqual({
      ok: true,
      instant: new Date("2026-10-24T22:00:00Z"),
    });
    // The day after 25 October starts an hour later in UTC: winter time.
    expect(parseBrusselsDateTime("2026-10-25", { end: true })).toEqual({
      ok: true,
      instant: new Date("2026-10-25T23:00:00Z"),
    });
  });

  it("refuses a time skipped by daylight saving and takes the first of a repeated one", () => {
    expect(parseBrusselsDateTime("2026-03-29T02:30")).toEqual({ ok: false, code: "invalid_date" });
    expect(parseBrusselsDateTime("2026-10-25T02:30")).toEqual({
      ok: true,
      instant: new Date("2026-10-25T00:30:00Z"),
    });
  });

  it("takes absolute instants as they are and refuses nonsense", () => {
    expect(parseBrusselsDateTime("2026-07-01T07:00:00Z")).toEqual({
      ok: true,
      instant: new Date("2026-07-01T07:00:00Z"),
    });
    expect(parseBrusselsDateTime("2026-07-01T09:00:00+02:00")).toEqual({
      ok: true,
      instant: new Date("2026-07-01T07:00:00Z"),
    });
    for (const value of [
      "2026-02-30",
      "2026-13-01",
      "2026-07-01T24:00",
      "morgen",
      "01/07/2026",
      42,
      new Date("x"),
    ]) {
      expect(parseBrusselsDateTime(value), String(value)).toEqual({ ok: false, code: "invalid_date" });
    }
    for (const value of [undefined, null, "", "  "]) {
      expect(parseBrusselsDateTime(value)).toEqual({ ok: false, code: "required" });
    }
  });
});

describe("createCampaign", () => {
  it("creates a draft with a slug, normalised identity, UTC dates, owners and an audit event", async () => {
    const { user: creator, reader } = await person(["communicator"]);
    const { user: colleague } = await person(["communicator"]);
    const created = await createCampaign(
      reader,
      input({ name: "Trots  op ons werk ", ownerIds: [colleague.id, creator.id] }),
      { now: NOW },
    );
    const campaign = await prisma.campaign.findUniqueOrThrow({
      where: { id: created.id },
      include: { owners: true, audit: true },
    });
    expect(campaign).toMatchObject({
      slug: created.slug,
      name: "Trots op ons werk",
      status: "draft",
      colour: "#0b4f8a",
      hashtag: "gentplus",
      keyMessages: ["Je job blijft behouden.", "We veranderen samen."],
      audience: { departmentIds: [], roles: [], fieldWorkers: "any" },
      startsAt: new Date("2026-07-01T07:00:00Z"),
      endsAt: new Date("2026-09-30T22:00:00Z"),
      createdById: creator.id,
      approvedById: null,
    });
    expect(created.slug).toMatch(/^trots-op-ons-werk(-\d+)?$/);
    expect(campaign.owners.map((owner) => owner.userId).sort()).toEqual([creator.id, colleague.id].sort());
    expect(campaign.audit).toEqual([
      expect.objectContaining({ actorId: creator.id, action: "campaign.created" }),
    ]);
  });

  it("gives a second campaign of the same name its own slug, and never a page name", async () => {
    const { reader } = await person(["communicator"]);
    const first = await createCampaign(reader, input({ name: "Zomer in de stad" }), { now: NOW });
    const second = await createCampaign(reader, input({ name: "Zomer in de stad!" }), { now: NOW });
    expect(first.slug).toBe("zomer-in-de-stad");
    expect(second.slug).toBe("zomer-in-de-stad-2");
    const reserved = await createCampaign(reader, input({ name: "Nieuw" }), { now: NOW });
    expect(reserved.slug).toBe("nieuw-2");
  });

  const bad: [string, Partial<CampaignInput>, Partial<CampaignIssue>][] = [
    ["a missing name", { name: "" }, { field: "name", code: "required" }],
    ["a short name", { name: "Ab" }, { field: "name", code: "too_short", params: { min: 3 } }],
    ["a long name", { name: "x".repeat(121) }, { field: "name", code: "too_long", params: { max: 120 } }],
    ["a short goal", { goal: "Kort" }, { field: "goal", code: "too_short", params: { min: 10 } }],
    ["a long goal", { goal: "x".repeat(2001) }, { field: "goal", code: "too_long" }],
    [
      "eleven key messages",
      { keyMessages: Array.from({ length: 11 }, (_, i) => `Boodschap ${i}`) },
      { field: "keyMessages", code: "too_many", params: { max: 10 } },
    ],
    [
      "a long key message",
      { keyMessages: ["ok", "x".repeat(301)] },
      { field: "keyMessages.1", code: "too_long" },
    ],
    ["a missing start", { startsAt: "" }, { field: "startsAt", code: "required" }],
    ["an impossible date", { endsAt: "2026-02-30" }, { field: "endsAt", code: "invalid_date" }],
    ["a skipped hour", { startsAt: "2026-03-29T02:15" }, { field: "startsAt", code: "invalid_date" }],
    [
      "an end before the start",
      { startsAt: "2026-08-01T09:00", endsAt: "2026-08-01T08:59" },
      { field: "endsAt", code: "ends_before_start" },
    ],
    [
      "an end equal to the start",
      { startsAt: "2026-08-01T09:00", endsAt: "2026-08-01T09:00" },
      { field: "endsAt", code: "ends_before_start" },
    ],
    [
      "an end in the past",
      { startsAt: "2026-01-01", endsAt: "2026-05-31" },
      { field: "endsAt", code: "in_the_past" },
    ],
    [
      "a pale colour",
      { colour: "#f5a623" },
      { field: "colour", code: "low_contrast", params: { ratio: 2.02, min: 4.5 } },
    ],
    ["a colour name", { colour: "blue" }, { field: "colour", code: "invalid_format" }],
    ["a hashtag with a space", { hashtag: "Gent Plus" }, { field: "hashtag", code: "invalid_hashtag" }],
    [
      "an unknown role",
      { audience: { roles: ["king"] } },
      { field: "audience.roles.0", code: "invalid_value" },
    ],
    [
      "an unknown department",
      { audience: { departmentIds: ["no-such-department"] } },
      { field: "audience.departmentIds", code: "unknown_departments" },
    ],
    ["an unknown owner", { ownerIds: ["no-such-user"] }, { field: "ownerIds", code: "unknown_user" }],
  ];

  it.each(bad)("refuses %s with a clear issue and saves nothing", async (_label, overrides, expected) => {
    const { reader } = await person(["communicator"]);
    const before = await counts();
    const issues = await refusal(createCampaign(reader, input(overrides), { now: NOW }), "invalid");
    expect(issues).toEqual([expect.objectContaining(expected)]);
    expect(issues[0]!.message.length).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });

  it("refuses an owner who is not a communicator", async () => {
    const { reader } = await person(["communicator"]);
    const { user: employee } = await person();
    const { user: inactive } = await person(["communicator"]);
    await prisma.user.update({ where: { id: inactive.id }, data: { active: false } });
    const issues = await refusal(
      createCampaign(reader, input({ ownerIds: [employee.id, inactive.id] }), { now: NOW }),
      "invalid",
    );
    expect(issues).toEqual([
      expect.objectContaining({ field: "ownerIds", code: "not_a_communicator", params: { id: employee.id } }),
      expect.objectContaining({ field: "ownerIds", code: "unknown_user", params: { id: inactive.id } }),
    ]);
  });

  it("reports every problem at once for the error summary", async () => {
    const { reader } = await person(["communicator"]);
    const issues = await refusal(
      createCampaign(reader, input({ name: "A", goal: "", colour: "#ffffff", hashtag: "a b", endsAt: "x" }), {
        now: NOW,
      }),
      "invalid",
    );
    expect(issues.map((problem) => `${problem.field}:${problem.code}`).sort()).toEqual([
      "colour:low_contrast",
      "endsAt:invalid_date",
      "goal:required",
      "hashtag:invalid_hashtag",
      "name:too_short",
    ]);
  });

  it("refuses employees, editors and admins", async () => {
    for (const roles of [[], ["editor"], ["admin"], ["hr"]] as Exclude<Role, "employee">[][]) {
      const { reader } = await person(roles);
      const before = await counts();
      await refusal(createCampaign(reader, input(), { now: NOW }), "forbidden");
      expect(await counts()).toEqual(before);
    }
  });
});

describe("updateCampaign", () => {
  it("edits a draft, auditing only the fields that changed", async () => {
    const { reader } = await person(["communicator"]);
    const { id } = await createCampaign(reader, input(), { now: NOW });
    const unchanged = await updateCampaign(reader, id, input(), { now: NOW });
    expect(unchanged).toMatchObject({ changed: [], returnedToDraft: false });
    const result = await updateCampaign(reader, id, { name: "Gent Plus", colour: "#1f6b3a" }, { now: NOW });
    expect(result).toMatchObject({ status: "draft", changed: ["name", "colour"], returnedToDraft: false });
    const audit = await prisma.campaignAuditEvent.findMany({
      where: { campaignId: id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((event) => event.action)).toEqual(["campaign.created", "campaign.updated"]);
    expect(audit[1]!.details).toEqual({ fields: ["name", "colour"] });
  });

  it("sends an approved campaign back to draft when its audience or dates change", async () => {
    const { reader } = await person(["communicator"]);
    const { user: approver } = await person(["communicator"]);
    const department = await buildDepartment();
    for (const change of [
      { audience: { departmentIds: [department.id] } },
      { startsAt: "2026-07-02T09:00" },
      { endsAt: "2026-10-31" },
    ] satisfies Partial<CampaignInput>[]) {
      const campaign = await buildCampaign({
        status: "approved",
        approvedById: approver.id,
        approvedAt: NOW,
        startsAt: new Date("2026-07-01T07:00:00Z"),
        endsAt: new Date("2026-09-30T22:00:00Z"),
      });
      const result = await updateCampaign(reader, campaign.id, change, { now: NOW });
      expect(result).toMatchObject({ status: "draft", returnedToDraft: true });
      expect(await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
        status: "draft",
        approvedById: null,
        approvedAt: null,
      });
      const actions = await prisma.campaignAuditEvent.findMany({
        where: { campaignId: campaign.id },
        select: { action: true },
      });
      expect(actions.map((a) => a.action).sort()).toEqual(["campaign.returned_to_draft", "campaign.updated"]);
    }
  });

  it("keeps an approved campaign approved for other changes", async () => {
    const { reader } = await person(["communicator"]);
    const campaign = await buildCampaign({ status: "approved", startsAt: new Date("2026-07-01T07:00:00Z") });
    const result = await updateCampaign(
      reader,
      campaign.id,
      { goal: "Een nieuw, scherper doel voor iedereen." },
      { now: NOW },
    );
    expect(result).toMatchObject({ status: "approved", returnedToDraft: false, changed: ["goal"] });
  });

  it("keeps a running campaign's audience and start but lets its end move", async () => {
    const { reader } = await person(["communicator"]);
    const department = await buildDepartment();
    const campaign = await buildCampaign({ status: "running", startsAt: new Date("2026-05-01T07:00:00Z") });
    const before = await counts();
    const issues = await refusal(
      updateCampaign(reader, campaign.id, { audience: { departmentIds: [department.id] } }, { now: NOW }),
      "wrong_status",
    );
    expect(issues).toEqual([expect.objectContaining({ field: "audience", code: "locked_while_running" })]);
    await refusal(
      updateCampaign(reader, campaign.id, { startsAt: "2026-05-02" }, { now: NOW }),
      "wrong_status",
    );
    expect(await counts()).toEqual(before);
    const result = await updateCampaign(reader, campaign.id, { endsAt: "2026-12-31" }, { now: NOW });
    expect(result).toMatchObject({ status: "running", changed: ["endsAt"] });
    const issuesPast = await refusal(
      updateCampaign(reader, campaign.id, { endsAt: "2026-05-15" }, { now: NOW }),
      "invalid",
    );
    expect(issuesPast).toEqual([expect.objectContaining({ field: "endsAt", code: "in_the_past" })]);
  });

  it("checks a new end against the stored start", async () => {
    const { reader } = await person(["communicator"]);
    const campaign = await buildCampaign({ status: "draft", startsAt: new Date("2026-08-01T07:00:00Z") });
    const issues = await refusal(
      updateCampaign(reader, campaign.id, { endsAt: "2026-07-15" }, { now: NOW }),
      "invalid",
    );
    expect(issues).toEqual([expect.objectContaining({ field: "endsAt", code: "ends_before_start" })]);
  });

  it("replaces the owners but always keeps the creator", async () => {
    const { reader } = await person(["communicator"]);
    const { user: colleague } = await person(["communicator"]);
    const campaign = await buildCampaign({ status: "draft" });
    await updateCampaign(reader, campaign.id, { ownerIds: [colleague.id] }, { now: NOW });
    const owners = await prisma.campaignOwner.findMany({ where: { campaignId: campaign.id } });
    expect(owners.map((owner) => owner.userId).sort()).toEqual([campaign.createdById, colleague.id].sort());
  });

  it("leaves ended campaigns alone and refuses employees and unknown campaigns", async () => {
    const { reader } = await person(["communicator"]);
    const { reader: employee } = await person();
    const ended = await buildCampaign({ status: "ended" });
    const draft = await buildCampaign({ status: "draft" });
    const before = await counts();
    await refusal(updateCampaign(reader, ended.id, { name: "Andere naam" }, { now: NOW }), "wrong_status");
    await refusal(setFaq(reader, ended.id, []), "wrong_status");
    await refusal(setCampaignBanner(reader, ended.id, { key: "k", alt: "Een banner" }), "wrong_status");
    await refusal(updateCampaign(employee, draft.id, { name: "Andere naam" }, { now: NOW }), "forbidden");
    await refusal(setFaq(employee, draft.id, []), "forbidden");
    await refusal(setCampaignBanner(employee, draft.id, null), "forbidden");
    await refusal(
      updateCampaign(reader, "no-such-campaign", { name: "Andere naam" }, { now: NOW }),
      "not_found",
    );
    await refusal(setFaq(reader, "no-such-campaign", []), "not_found");
    expect(await counts()).toEqual(before);
  });
});

describe("setFaq and setCampaignBanner", () => {
  it("stores the FAQ in order and audits it", async () => {
    const { reader } = await person(["communicator"]);
    const campaign = await buildCampaign({ status: "running" });
    const faq = [
      { question: "  Verandert   mijn contract? ", answer: "Nee, je contract blijft hetzelfde." },
      { question: "Waar kan ik terecht?", answer: "Bij je HR-businesspartner." },
    ];
    expect(await setFaq(reader, campaign.id, faq)).toEqual([
      { question: "Verandert mijn contract?", answer: "Nee, je contract blijft hetzelfde." },
      faq[1],
    ]);
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).faq).toHaveLength(2);
    expect(
      await prisma.campaignAuditEvent.count({
        where: { campaignId: campaign.id, action: "campaign.faq_updated" },
      }),
    ).toBe(1);
  });

  it("refuses a bad FAQ with the item's field and keeps the old one", async () => {
    const { reader } = await person(["communicator"]);
    const campaign = await buildCampaign({
      status: "running",
      faq: [{ question: "Oud?", answer: "Oud antwoord." }],
    });
    const issues = await refusal(
      setFaq(reader, campaign.id, [{ question: "Een goede vraag?", answer: "" }]),
      "invalid",
    );
    expect(issues).toEqual([expect.objectContaining({ field: "faq.0.answer", code: "required" })]);
    await refusal(setFaq(reader, campaign.id, "geen lijst"), "invalid");
    const tooMany = Array.from({ length: 21 }, () => ({
      question: "Vraag nummer?",
      answer: "Een antwoord.",
    }));
    expect(await refusal(setFaq(reader, campaign.id, tooMany), "invalid")).toEqual([
      expect.objectContaining({ field: "faq", code: "too_many" }),
    ]);
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).faq).toEqual([
      { question: "Oud?", answer: "Oud antwoord." },
    ]);
  });

  it("needs a description for a banner and returns the previous file", async () => {
    const { reader } = await person(["communicator"]);
    const campaign = await buildCampaign({ status: "draft" });
    expect(await refusal(setCampaignBanner(reader, campaign.id, { key: "b1", alt: " " }), "invalid")).toEqual(
      [expect.objectContaining({ field: "bannerAlt", code: "required" })],
    );
    expect(
      await setCampaignBanner(reader, campaign.id, { key: "b1", alt: "Ploeg Groen plant bomen" }),
    ).toEqual({
      previousKey: null,
    });
    expect(await setCampaignBanner(reader, campaign.id, null)).toEqual({ previousKey: "b1" });
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      bannerKey: null,
      bannerAlt: "",
    });
  });
});

describe("getCampaign and listCampaigns", () => {
  it("shows running campaigns to their audience only, and drafts to managers only", async () => {
    const { reader: manager } = await person(["communicator"]);
    const { reader: gardener } = await person([], { isFieldWorker: true });
    const { reader: office } = await person();
    const forField = await buildCampaign({
      audience: { departmentIds: [], roles: [], fieldWorkers: "only" },
    });
    const draft = await buildCampaign({ status: "draft" });

    const seen = await getCampaign(gardener, forField.slug);
    expect(seen).toMatchObject({
      id: forField.id,
      can: { manage: false, edit: false, approve: false, submitStory: true },
    });
    await refusal(getCampaign(office, forField.slug), "not_found");
    await refusal(getCampaign(gardener, draft.slug), "not_found");
    await refusal(getCampaign(gardener, "no-such-slug"), "not_found");
    expect(await getCampaign(manager, draft.slug)).toMatchObject({ id: draft.id, awaitingApproval: false });

    const gardenerList = (await listCampaigns(gardener)).map((c) => c.id);
    expect(gardenerList).toContain(forField.id);
    expect(gardenerList).not.toContain(draft.id);
    expect((await listCampaigns(office)).map((c) => c.id)).not.toContain(forField.id);
    const drafts = await listCampaigns(manager, { status: "draft" });
    expect(drafts.map((c) => c.id)).toContain(draft.id);
    expect(drafts.every((c) => c.status === "draft")).toBe(true);
    expect(await listCampaigns(gardener, { status: "draft" })).toEqual([]);
    await refusal(listCampaigns(manager, { status: "afgelopen" }), "invalid");
  });

  it("reads the FAQ, owners and audience back", async () => {
    const { reader: manager, user } = await person(["communicator"]);
    const campaign = await buildCampaign({
      createdById: user.id,
      faq: [{ question: "Wat verandert er?", answer: "Weinig voor de meeste collega's." }],
    });
    const view = await getCampaign(manager, campaign.slug);
    expect(view).toMatchObject({
      faq: [{ question: "Wat verandert er?", answer: "Weinig voor de meeste collega's." }],
      owners: [{ id: user.id, displayName: user.displayName }],
      createdBy: { id: user.id },
      audience: { departmentIds: [], roles: [], fieldWorkers: "any" },
      can: { manage: true, edit: true, approve: false },
    });
  });
});
