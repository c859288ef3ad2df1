// The lifecycle: four-eyes approval, the scheduled start and end at their exact edges, pause and resume with
// held messages moved on in Brussels wall-clock time across both daylight-saving changes of 2026, wrong
// transitions refused, and an audit event for every step.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type CampaignStatus } from "~/generated/prisma/client";
import { type Role } from "~/modules/identity/permissions";
import { buildCampaign, buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { campaignAuditLog } from "./audit.server";
import { getCampaign, updateCampaign } from "./campaigns.server";
import { type CampaignErrorCode, isCampaignError } from "./errors";
import {
  advanceCampaignStatuses,
  approveCampaign,
  endCampaign,
  pauseCampaign,
  resumeCampaign,
  shiftByWallClock,
  submitForApproval,
} from "./lifecycle.server";
import { type CampaignReader } from "./policy.server";

setupTestDatabase();

const NOW = new Date("2026-06-01T10:00:00Z");
const at = (iso: string) => new Date(iso);

async function person(roles: Exclude<Role, "employee">[] = [], active = true) {
  const department = await buildDepartment();
  const user = await buildUser({ departmentId: department.id, active }, roles);
  const reader: CampaignReader = {
    id: user.id,
    roles: ["employee", ...roles],
    isFieldWorker: false,
    department: { id: department.id, parentId: null },
  };
  return { user, reader };
}

async function refused(promise: Promise<unknown>, code: CampaignErrorCode) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(isCampaignError(error), String(error)).toBe(true);
  expect(isCampaignError(error) && error.code, isCampaignError(error) ? error.message : "").toBe(code);
}

const statusOf = async (id: string) => (await prisma.campaign.findUniqueOrThrow({ where: { id } })).status;
const actions = async (campaignId: string) =>
  (
    await prisma.campaignAuditEvent.findMany({
      where: { campaignId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { action: true },
    })
  ).map((event) => event.action);

/** A campaign in the far future of NOW by default, so the scheduled job of other tests leaves it alone. */
function campaign(status: CampaignStatus, overrides: Parameters<typeof buildCampaign>[0] = {}) {
  return buildCampaign({
    status,
    startsAt: at("2026-07-01T07:00:00Z"),
    endsAt: at("2026-12-31T23:00:00Z"),
    ...overrides,
  });
}

async function message(campaignId: string, sendAt: Date, status: "planned" | "sent" = "planned") {
  return prisma.campaignMessage.create({
    data: {
      campaignId,
      title: "Bericht",
      body: { root: { type: "root", children: [] } },
      bodyText: "Bericht",
      channels: ["stream"],
      sendAt,
      status,
    },
  });
}

describe("submitForApproval", () => {
  it("records the request and tells every other active communicator", async () => {
    const { user: creator, reader } = await person(["communicator"]);
    const { user: other } = await person(["communicator"]);
    const { user: inactive } = await person(["communicator"], false);
    const { user: employee } = await person();
    const draft = await campaign("draft", { createdById: creator.id, name: "Goed in je vel" });
    const { notified } = await submitForApproval(reader, draft.id, { now: NOW });
    const communicators = await prisma.user.count({
      where: { active: true, roles: { some: { role: "communicator" } }, id: { not: creator.id } },
    });
    expect(notified).toBe(communicators);
    const notes = await prisma.notification.findMany({
      where: { type: "campaign.approval_requested", url: `/campagnes/${draft.slug}` },
    });
    expect(notes).toHaveLength(communicators);
    const recipients = new Set(notes.map((note) => note.userId));
    expect(recipients.has(other.id)).toBe(true);
    for (const id of [creator.id, inactive.id, employee.id]) expect(recipients.has(id)).toBe(false);
    expect(notes.find((note) => note.userId === other.id)).toMatchObject({
      data: { actorName: creator.displayName, campaignName: "Goed in je vel" },
      url: `/campagnes/${draft.slug}`,
    });
    expect(await actions(draft.id)).toEqual(["campaign.submitted"]);
    expect(await getCampaign(reader, draft.slug)).toMatchObject({
      awaitingApproval: true,
      can: { approve: false },
    });
  });

  it("refuses a second request, a campaign that is not a draft, and employees", async () => {
    const { reader } = await person(["communicator"]);
    const { reader: employee } = await person();
    const draft = await campaign("draft");
    await submitForApproval(reader, draft.id, { now: NOW });
    await refused(submitForApproval(reader, draft.id, { now: NOW }), "conflict");
    await refused(submitForApproval(reader, (await campaign("approved")).id, { now: NOW }), "wrong_status");
    await refused(submitForApproval(employee, (await campaign("draft")).id, { now: NOW }), "forbidden");
    await refused(submitForApproval(reader, "no-such-campaign", { now: NOW }), "not_found");
    expect(await actions(draft.id)).toEqual(["campaign.submitted"]);
  });
});

describe("approveCampaign", () => {
  it("refuses the creator and accepts a second communicator", async () => {
    const { user: creator, reader: creatorReader } = await person(["communicator"]);
    const { user: second, reader: secondReader } = await person(["communicator"]);
    const draft = await campaign("draft", { createdById: creator.id });
    await submitForApproval(creatorReader, draft.id, { now: NOW });
    await refused(approveCampaign(creatorReader, draft.id, { now: NOW }), "forbidden");
    expect(await statusOf(draft.id)).toBe("draft");
    expect(await getCampaign(secondReader, draft.slug)).toMatchObject({ can: { approve: true } });

    expect(await approveCampaign(secondReader, draft.id, { now: NOW })).toEqual({ status: "approved" });
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({
      status: "approved",
      approvedById: second.id,
      approvedAt: NOW,
    });
    expect(await actions(draft.id)).toEqual(["campaign.submitted", "campaign.approved"]);
    expect(await getCampaign(secondReader, draft.slug)).toMatchObject({ awaitingApproval: false });
    await refused(approveCampaign(secondReader, draft.id, { now: NOW }), "wrong_status");
  });

  it("refuses the communicator who submitted someone else's campaign", async () => {
    const { user: creator } = await person(["communicator"]);
    const { reader: submitter } = await person(["communicator"]);
    const { reader: third } = await person(["communicator"]);
    const draft = await campaign("draft", { createdById: creator.id });
    await submitForApproval(submitter, draft.id, { now: NOW });
    await refused(approveCampaign(submitter, draft.id, { now: NOW }), "forbidden");
    await approveCampaign(third, draft.id, { now: NOW });
    expect(await statusOf(draft.id)).toBe("approved");
  });

  it("refuses employees, editors and admins whatever they try", async () => {
    const { reader: creator } = await person(["communicator"]);
    const draft = await campaign("draft");
    await submitForApproval(creator, draft.id, { now: NOW });
    const running = await campaign("running");
    const paused = await campaign("paused", { pausedAt: NOW });
    for (const roles of [[], ["editor"], ["admin"], ["hr"]] as Exclude<Role, "employee">[][]) {
      const { reader } = await person(roles);
      await refused(approveCampaign(reader, draft.id, { now: NOW }), "forbidden");
      await refused(submitForApproval(reader, draft.id, { now: NOW }), "forbidden");
      await refused(pauseCampaign(reader, running.id, { now: NOW }), "forbidden");
      await refused(resumeCampaign(reader, paused.id, { now: NOW }), "forbidden");
      await refused(endCampaign(reader, running.id, { now: NOW }), "forbidden");
      await refused(campaignAuditLog(reader, draft.id), "forbidden");
    }
    expect([await statusOf(draft.id), await statusOf(running.id), await statusOf(paused.id)]).toEqual([
      "draft",
      "running",
      "paused",
    ]);
  });

  it("needs a request and an end still ahead", async () => {
    const { reader: creator } = await person(["communicator"]);
    const { reader: second } = await person(["communicator"]);
    const unsubmitted = await campaign("draft");
    await refused(approveCampaign(second, unsubmitted.id, { now: NOW }), "wrong_status");

    const over = await campaign("draft", {
      startsAt: at("2026-05-01T07:00:00Z"),
      endsAt: at("2026-05-31T22:00:00Z"),
    });
    await submitForApproval(creator, over.id, { now: NOW });
    await refused(approveCampaign(second, over.id, { now: NOW }), "invalid");
    expect(await statusOf(over.id)).toBe("draft");
  });

  it("starts a campaign at once when its start has come", async () => {
    const { reader: creator } = await person(["communicator"]);
    const { reader: second } = await person(["communicator"]);
    const draft = await campaign("draft", { startsAt: at("2026-05-20T07:00:00Z") });
    await submitForApproval(creator, draft.id, { now: NOW });
    expect(await approveCampaign(second, draft.id, { now: NOW })).toEqual({ status: "running" });
    expect(await actions(draft.id)).toEqual(["campaign.submitted", "campaign.approved", "campaign.started"]);
  });

  it("asks again after an approved campaign's audience changed", async () => {
    const { reader: creator } = await person(["communicator"]);
    const { reader: second } = await person(["communicator"]);
    const department = await buildDepartment();
    const draft = await campaign("draft");
    await submitForApproval(creator, draft.id, { now: NOW });
    await approveCampaign(second, draft.id, { now: NOW });
    await updateCampaign(creator, draft.id, { audience: { departmentIds: [department.id] } }, { now: NOW });
    expect(await statusOf(draft.id)).toBe("draft");
    // The old request was answered: approval needs a new one.
    await refused(approveCampaign(second, draft.id, { now: NOW }), "wrong_status");
    await submitForApproval(creator, draft.id, { now: NOW });
    await approveCampaign(second, draft.id, { now: NOW });
    expect(await statusOf(draft.id)).toBe("approved");
  });
});

describe("advanceCampaignStatuses", () => {
  const T = at("2027-03-01T08:00:00Z");
  const ms = (offset: number) => new Date(T.getTime() + offset);

  it("starts at startsAt and ends at endsAt, both inclusive, and only once", async () => {
    const startsNow = await campaign("approved", { startsAt: T, endsAt: ms(86_400_000) });
    const startsLater = await campaign("approved", { startsAt: ms(1), endsAt: ms(86_400_000) });
    const endsNow = await campaign("running", { startsAt: ms(-86_400_000), endsAt: T });
    const endsLater = await campaign("running", { startsAt: ms(-86_400_000), endsAt: ms(1) });
    const pausedEnds = await campaign("paused", {
      startsAt: ms(-86_400_000),
      endsAt: ms(-60_000),
      pausedAt: ms(-3_600_000),
    });
    const neverRan = await campaign("approved", { startsAt: ms(-86_400_000), endsAt: ms(-1) });
    const draftLate = await campaign("draft", { startsAt: ms(-86_400_000), endsAt: ms(86_400_000) });
    const held = await message(endsNow.id, ms(3_600_000));
    const sent = await message(endsNow.id, ms(-3_600_000), "sent");

    // Other tests' campaigns end before T too: look at this test's own.
    const mine = new Set(
      [startsNow, startsLater, endsNow, endsLater, pausedEnds, neverRan, draftLate].map((c) => c.id),
    );
    const result = await advanceCampaignStatuses(T);
    expect(result.started.filter((id) => mine.has(id))).toEqual([startsNow.id]);
    expect(result.ended.filter((id) => mine.has(id)).sort()).toEqual(
      [endsNow.id, pausedEnds.id, neverRan.id].sort(),
    );
    expect(await statusOf(startsLater.id)).toBe("approved");
    expect(await statusOf(endsLater.id)).toBe("running");
    expect(await statusOf(draftLate.id)).toBe("draft");
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: endsNow.id } })).toMatchObject({
      status: "ended",
      endedAt: T,
    });
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: pausedEnds.id } })).toMatchObject({
      status: "ended",
      endedAt: ms(-60_000),
      pausedAt: null,
    });
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: held.id } })).status).toBe(
      "cancelled",
    );
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: sent.id } })).status).toBe("sent");
    expect(await actions(startsNow.id)).toEqual(["campaign.started"]);
    expect(await prisma.campaignAuditEvent.findFirst({ where: { campaignId: endsNow.id } })).toMatchObject({
      action: "campaign.ended",
      actorId: null,
      details: { reason: "scheduled", from: "running", cancelledMessages: 1 },
    });

    expect(await advanceCampaignStatuses(T)).toEqual({ started: [], ended: [] });
    expect(await actions(startsNow.id)).toEqual(["campaign.started"]);
    // A millisecond later the next ones move.
    const next = await advanceCampaignStatuses(ms(1));
    expect(next.started).toContain(startsLater.id);
    expect(next.ended).toContain(endsLater.id);
  });
});

describe("pause, resume and end", () => {
  it("moves through running → paused → running → ended and refuses wrong transitions", async () => {
    const { reader } = await person(["communicator"]);
    const draft = await campaign("draft");
    const live = await campaign("running", { startsAt: at("2026-05-01T07:00:00Z") });
    await refused(pauseCampaign(reader, draft.id, { now: NOW }), "wrong_status");
    await refused(resumeCampaign(reader, live.id, { now: NOW }), "wrong_status");
    await refused(endCampaign(reader, draft.id, { now: NOW }), "wrong_status");

    await pauseCampaign(reader, live.id, { now: NOW });
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({
      status: "paused",
      pausedAt: NOW,
    });
    await refused(pauseCampaign(reader, live.id, { now: NOW }), "wrong_status");
    await resumeCampaign(reader, live.id, { now: at("2026-06-02T10:00:00Z") });
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({
      status: "running",
      pausedAt: null,
    });
    const planned = await message(live.id, at("2026-06-10T07:00:00Z"));
    expect(await endCampaign(reader, live.id, { now: at("2026-06-03T10:00:00Z") })).toEqual({
      cancelledMessages: 1,
    });
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({
      status: "ended",
      endedAt: at("2026-06-03T10:00:00Z"),
    });
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: planned.id } })).status).toBe(
      "cancelled",
    );
    for (const attempt of [pauseCampaign, resumeCampaign, endCampaign]) {
      await refused(attempt(reader, live.id, { now: NOW }), "wrong_status");
    }
    await refused(submitForApproval(reader, live.id, { now: NOW }), "wrong_status");
    expect(await actions(live.id)).toEqual(["campaign.paused", "campaign.resumed", "campaign.ended"]);
  });

  it("ends an approved campaign before it started, and refuses resuming past the end", async () => {
    const { reader } = await person(["communicator"]);
    const approved = await campaign("approved");
    await endCampaign(reader, approved.id, { now: NOW });
    expect(await statusOf(approved.id)).toBe("ended");
    const paused = await campaign("paused", {
      startsAt: at("2026-05-01T07:00:00Z"),
      endsAt: at("2026-06-01T09:00:00Z"),
      pausedAt: at("2026-05-20T07:00:00Z"),
    });
    await refused(resumeCampaign(reader, paused.id, { now: NOW }), "wrong_status");
    expect(await statusOf(paused.id)).toBe("paused");
  });
});

describe("resuming across daylight-saving changes", () => {
  it("shifts by the pause's wall-clock length (unit)", () => {
    // Saturday 09:00 to Monday 09:00 over 25 October: 49 real hours, 48 on the clock.
    expect(
      shiftByWallClock(at("2026-10-25T08:00:00Z"), at("2026-10-24T07:00:00Z"), at("2026-10-26T08:00:00Z")),
    ).toEqual(at("2026-10-27T08:00:00Z"));
  });

  async function pausedCampaign(pausedAt: Date) {
    return campaign("paused", {
      startsAt: at("2026-01-01T07:00:00Z"),
      endsAt: at("2027-01-31T23:00:00Z"),
      pausedAt,
    });
  }

  it("keeps 09:00 at 09:00 over a whole-day pause across 25 October 2026", async () => {
    const { reader } = await person(["communicator"]);
    // Paused Saturday 24 October 09:00 (summer time), resumed Monday 26 October 09:00 (winter time).
    const paused = await pausedCampaign(at("2026-10-24T07:00:00Z"));
    const sunday0900 = await message(paused.id, at("2026-10-25T08:00:00Z"));
    const saturday1200 = await message(paused.id, at("2026-10-24T10:00:00Z"));
    const before = await message(paused.id, at("2026-10-24T06:59:00Z"));
    const after = await message(paused.id, at("2026-10-26T09:00:00Z"));
    const { rescheduled } = await resumeCampaign(reader, paused.id, { now: at("2026-10-26T08:00:00Z") });
    expect(rescheduled).toEqual([
      {
        id: saturday1200.id,
        from: at("2026-10-24T10:00:00Z"),
        to: at("2026-10-26T11:00:00Z"),
        afterEnd: false,
      },
      {
        id: sunday0900.id,
        from: at("2026-10-25T08:00:00Z"),
        to: at("2026-10-27T08:00:00Z"),
        afterEnd: false,
      },
    ]);
    const sendAt = async (id: string) =>
      (await prisma.campaignMessage.findUniqueOrThrow({ where: { id } })).sendAt;
    // Tuesday 27 October 09:00 Brussels (winter time) is 08:00 UTC; Monday 12:00 is 11:00 UTC.
    expect(await sendAt(sunday0900.id)).toEqual(at("2026-10-27T08:00:00Z"));
    expect(await sendAt(saturday1200.id)).toEqual(at("2026-10-26T11:00:00Z"));
    expect(await sendAt(before.id)).toEqual(at("2026-10-24T06:59:00Z"));
    expect(await sendAt(after.id)).toEqual(at("2026-10-26T09:00:00Z"));
    expect(await actions(paused.id)).toEqual([
      "campaign.resumed",
      "message.rescheduled",
      "message.rescheduled",
    ]);
    const resumed = await prisma.campaignAuditEvent.findFirst({
      where: { campaignId: paused.id, action: "campaign.resumed" },
    });
    expect(resumed?.details).toMatchObject({ pauseMinutes: 48 * 60, rescheduled: 2 });
  });

  it("keeps 09:00 at 09:00 over a whole-day pause across 29 March 2026", async () => {
    const { reader } = await person(["communicator"]);
    // Paused Saturday 28 March 09:00 (winter time), resumed Monday 30 March 09:00 (summer time).
    const paused = await pausedCampaign(at("2026-03-28T08:00:00Z"));
    const sunday0900 = await message(paused.id, at("2026-03-29T07:00:00Z"));
    await resumeCampaign(reader, paused.id, { now: at("2026-03-30T07:00:00Z") });
    // Tuesday 31 March 09:00 Brussels (summer time) is 07:00 UTC.
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: sunday0900.id } })).sendAt).toEqual(
      at("2026-03-31T07:00:00Z"),
    );
  });

  it("shifts a partial-day pause over the change by its exact local duration", async () => {
    const { reader } = await person(["communicator"]);
    // 25 October, 01:30 summer time to 03:30 winter time: three real hours, two on the clock.
    const autumn = await pausedCampaign(at("2026-10-24T23:30:00Z"));
    const first0215 = await message(autumn.id, at("2026-10-25T00:15:00Z"));
    await resumeCampaign(reader, autumn.id, { now: at("2026-10-25T02:30:00Z") });
    // 02:15 (the first one) + 2 h on the clock = 04:15 winter time = 03:15 UTC.
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: first0215.id } })).sendAt).toEqual(
      at("2026-10-25T03:15:00Z"),
    );
    // 29 March, 01:00 winter time to 04:00 summer time: two real hours, three on the clock.
    const spring = await pausedCampaign(at("2026-03-29T00:00:00Z"));
    const at0130 = await message(spring.id, at("2026-03-29T00:30:00Z"));
    await resumeCampaign(reader, spring.id, { now: at("2026-03-29T02:00:00Z") });
    // 01:30 + 3 h on the clock = 04:30 summer time = 02:30 UTC.
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: at0130.id } })).sendAt).toEqual(
      at("2026-03-29T02:30:00Z"),
    );
  });

  it("reports a message moved past the campaign's end", async () => {
    const { reader } = await person(["communicator"]);
    const paused = await campaign("paused", {
      startsAt: at("2026-05-01T07:00:00Z"),
      endsAt: at("2026-06-10T22:00:00Z"),
      pausedAt: at("2026-06-01T07:00:00Z"),
    });
    const late = await message(paused.id, at("2026-06-05T07:00:00Z"));
    const { rescheduled } = await resumeCampaign(reader, paused.id, { now: at("2026-06-08T07:00:00Z") });
    expect(rescheduled).toEqual([
      { id: late.id, from: at("2026-06-05T07:00:00Z"), to: at("2026-06-12T07:00:00Z"), afterEnd: true },
    ]);
  });
});

describe("campaignAuditLog", () => {
  it("pages through the log newest first for managers", async () => {
    const { reader, user } = await person(["communicator"]);
    const live = await campaign("running", { startsAt: at("2026-05-01T07:00:00Z") });
    await pauseCampaign(reader, live.id, { now: NOW });
    await resumeCampaign(reader, live.id, { now: NOW });
    await pauseCampaign(reader, live.id, { now: NOW });
    const first = await campaignAuditLog(reader, live.id, { limit: 2 });
    expect(first.events.map((event) => event.action)).toEqual(["campaign.paused", "campaign.resumed"]);
    expect(first.events[0]!.actor).toEqual({ id: user.id, displayName: user.displayName });
    expect(first.nextCursor).toBe(first.events[1]!.id);
    const second = await campaignAuditLog(reader, live.id, { limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ events: [{ action: "campaign.paused" }], nextCursor: null });
    await refused(campaignAuditLog(reader, live.id, { cursor: "no-such-event" }), "invalid");
    await refused(campaignAuditLog(reader, "no-such-campaign"), "not_found");
  });
});
