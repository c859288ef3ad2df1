/**
 * The message plan: validation of every field (nothing saved on a refusal), managers only, the send time in
 * Brussels wall-clock time (not in the past, inside the period, the daylight-saving rules), changing and
 * cancelling planned messages only, reminders of sent messages, and who sees which messages.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Role } from "~/modules/identity/permissions";
import { buildCampaign, buildDepartment, buildSendingMessage, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { isCampaignError } from "./errors";
import {
  brusselsWallClockToUtc,
  cancelMessage,
  listMessages,
  planMessage,
  planReminder,
  updateMessage,
  utcToBrusselsWallClock,
} from "./messages.server";

setupTestDatabase();

const body = (text: string) =>
  JSON.stringify({
    root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text }] }] },
  });

async function communicator() {
  const user = await buildUser({}, ["communicator"]);
  return { id: user.id, roles: ["employee", "communicator"] as Role[] };
}

const NOW = new Date("2026-11-23T10:00:00Z");
const inMarch = { startsAt: new Date("2026-03-01T00:00:00Z"), endsAt: new Date("2026-04-30T00:00:00Z") };

async function campaignAround(now: Date, overrides: Parameters<typeof buildCampaign>[0] = {}) {
  return buildCampaign({
    startsAt: new Date(now.getTime() - 24 * 3600_000),
    endsAt: new Date(now.getTime() + 30 * 24 * 3600_000),
    ...overrides,
  });
}

function valid(overrides: Record<string, unknown> = {}) {
  return {
    title: "Gent Plus: wat verandert er?",
    body: body("Vanaf 1 januari werken we in nieuwe ploegen. #gentplus"),
    channels: ["stream", "push"],
    sendAt: "2026-11-24T09:00",
    ...overrides,
  };
}

async function expectInvalid(promise: Promise<unknown>, field: string, code?: string, reason?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isCampaignError(error, "invalid"), String(error)).toBe(true);
  const issue = (
    error as { issues: { field: string; code: string; params?: Record<string, unknown> }[] }
  ).issues.find((i) => i.field === field);
  expect(issue, JSON.stringify((error as { issues: unknown }).issues)).toBeDefined();
  if (code) expect(issue!.code).toBe(code);
  if (reason) expect(issue!.params?.reason).toBe(reason);
}

describe("Brussels wall-clock send times", () => {
  it("converts winter and summer times", () => {
    expect(brusselsWallClockToUtc("2026-01-15T09:00")).toEqual({
      ok: true,
      date: new Date("2026-01-15T08:00:00Z"),
    });
    expect(brusselsWallClockToUtc("2026-07-15T09:00")).toEqual({
      ok: true,
      date: new Date("2026-07-15T07:00:00Z"),
    });
    expect(utcToBrusselsWallClock(new Date("2026-07-15T07:00:00Z"))).toBe("2026-07-15T09:00");
  });

  it("refuses the hour skipped in March and takes the first of the hour repeated in October", () => {
    expect(brusselsWallClockToUtc("2026-03-29T02:30")).toEqual({
      ok: false,
      reason: "nonexistent_local_time",
    });
    expect(brusselsWallClockToUtc("2026-03-29T03:00")).toEqual({
      ok: true,
      date: new Date("2026-03-29T01:00:00Z"),
    });
    expect(brusselsWallClockToUtc("2026-03-29T01:59")).toEqual({
      ok: true,
      date: new Date("2026-03-29T00:59:00Z"),
    });
    // 02:30 happens twice on 25 October: the first time, still summer time (UTC+2).
    expect(brusselsWallClockToUtc("2026-10-25T02:30")).toEqual({
      ok: true,
      date: new Date("2026-10-25T00:30:00Z"),
    });
    expect(brusselsWallClockToUtc("2026-10-25T03:00")).toEqual({
      ok: true,
      date: new Date("2026-10-25T02:00:00Z"),
    });
  });

  it("refuses malformed and impossible values", () => {
    for (const value of [
      "2026-02-30T09:00",
      "2026-13-01T09:00",
      "2026-01-01T24:00",
      "2026-01-01 09:00",
      "morgen",
    ]) {
      expect(brusselsWallClockToUtc(value)).toEqual({ ok: false, reason: "invalid_format" });
    }
  });
});

describe("planMessage", () => {
  it("plans a message: plain text derived on the server, channels in a fixed order, audited", async () => {
    const actor = await communicator();
    const campaign = await campaignAround(NOW);
    const message = await planMessage(
      actor,
      campaign.id,
      valid({
        channels: ["push", "stream", "push"],
        requiresAck: "on",
        bodyText: "ignored",
        pulse: {
          question: "Hoe duidelijk is dit?",
          kind: "scale",
          options: ["Onduidelijk", "Heel duidelijk"],
        },
      }),
      { now: NOW },
    );
    expect(message).toMatchObject({
      status: "planned",
      channels: ["stream", "push"],
      requiresAck: true,
      sendAt: new Date("2026-11-24T08:00:00Z"),
      bodyText: "Vanaf 1 januari werken we in nieuwe ploegen. #gentplus",
      pulseKind: "scale",
      pulseOptions: ["Onduidelijk", "Heel duidelijk"],
    });
    const audit = await prisma.campaignAuditEvent.findMany({ where: { campaignId: campaign.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: "message.planned",
        actorId: actor.id,
        details: expect.objectContaining({ messageId: message.id }),
      }),
    ]);
  });

  it("accepts the plain text of the form without JavaScript", async () => {
    const actor = await communicator();
    const campaign = await campaignAround(NOW);
    const message = await planMessage(
      actor,
      campaign.id,
      valid({ body: undefined, plainText: "Eerste regel\nTweede regel", channels: "email" }),
      { now: NOW },
    );
    expect(message.channels).toEqual(["email"]);
    expect(message.bodyText).toBe("Eerste regel\nTweede regel");
  });

  it("only lets campaign managers plan", async () => {
    const campaign = await campaignAround(NOW);
    for (const roles of [["employee"], ["employee", "editor"], ["employee", "admin"]] as Role[][]) {
      const user = await buildUser();
      const error = await planMessage({ id: user.id, roles }, campaign.id, valid(), { now: NOW }).catch(
        (e: unknown) => e,
      );
      expect(isCampaignError(error, "forbidden")).toBe(true);
    }
    expect(await prisma.campaignMessage.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it("refuses bad input with the field that is wrong, saving nothing", async () => {
    const actor = await communicator();
    const campaign = await campaignAround(NOW);
    const plan = (input: Record<string, unknown>) =>
      planMessage(actor, campaign.id, valid(input), { now: NOW });
    await expectInvalid(plan({ title: "Hi" }), "title", "too_short");
    await expectInvalid(plan({ title: "x".repeat(141) }), "title", "too_long");
    await expectInvalid(plan({ title: undefined }), "title", "required");
    await expectInvalid(plan({ channels: [] }), "channels", "too_short");
    await expectInvalid(plan({ channels: ["fax"] }), "channels.0", "invalid_value");
    await expectInvalid(plan({ body: body("   ") }), "body", "required");
    await expectInvalid(plan({ body: "{not json" }), "body", "invalid_value");
    await expectInvalid(
      plan({
        body: JSON.stringify({
          root: {
            type: "root",
            children: [{ type: "heading", tag: "h2", children: [{ type: "text", text: "Kop" }] }],
          },
        }),
      }),
      "body",
      "invalid_value",
    );
    await expectInvalid(
      plan({
        body: JSON.stringify({
          root: {
            type: "root",
            children: [
              {
                type: "paragraph",
                children: [
                  { type: "link", url: "javascript:alert(1)", children: [{ type: "text", text: "klik" }] },
                ],
              },
            ],
          },
        }),
      }),
      "body",
    );
    await expectInvalid(plan({ sendAt: "24/11/2026 09:00" }), "sendAt", "invalid_format");
    await expectInvalid(plan({ requiresAck: "misschien" }), "requiresAck");
    await expectInvalid(
      plan({ pulse: { question: "Wat?", kind: "scale", options: ["a", "b"] } }),
      "pulse.question",
      "too_short",
    );
    await expectInvalid(
      plan({ pulse: { question: "Hoe duidelijk?", kind: "scale", options: ["Slecht"] } }),
      "pulse.options",
      "too_short",
    );
    await expectInvalid(
      plan({ pulse: { question: "Hoe duidelijk?", kind: "choice", options: ["Ja"] } }),
      "pulse.options",
      "too_short",
    );
    await expectInvalid(
      plan({
        pulse: { question: "Welke dag past?", kind: "choice", options: ["a", "b", "c", "d", "e", "f", "g"] },
      }),
      "pulse.options",
      "too_many",
    );
    await expectInvalid(
      plan({ pulse: { question: "Welke dag past?", kind: "choice", options: ["Maandag", "maandag"] } }),
      "pulse.options",
      "invalid_value",
    );
    await expectInvalid(
      plan({ pulse: { question: "Welke dag past?", kind: "poll", options: ["a", "b"] } }),
      "pulse.kind",
    );
    expect(await prisma.campaignMessage.count({ where: { campaignId: campaign.id } })).toBe(0);
    expect(await prisma.campaignAuditEvent.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it("refuses a time in the past or outside the campaign period, and accepts the current minute", async () => {
    const actor = await communicator();
    const campaign = await campaignAround(NOW);
    const plan = (sendAt: string) => planMessage(actor, campaign.id, valid({ sendAt }), { now: NOW });
    await expectInvalid(plan("2026-11-23T10:59"), "sendAt", "invalid_date", "in_the_past"); // 09:59 UTC
    await expectInvalid(plan("2026-11-21T12:00"), "sendAt", "invalid_date", "in_the_past");
    await expectInvalid(plan("2027-01-15T09:00"), "sendAt", "invalid_date", "after_campaign_end");
    const future = await buildCampaign({
      startsAt: new Date("2026-12-01T08:00:00Z"),
      endsAt: new Date("2026-12-31T08:00:00Z"),
    });
    await expectInvalid(
      planMessage(actor, future.id, valid({ sendAt: "2026-11-30T09:00" }), { now: NOW }),
      "sendAt",
      "invalid_date",
      "before_campaign_start",
    );
    // 10:00:30 UTC is 11:00 in Brussels: "now" entered to the minute is accepted.
    const current = await planMessage(actor, campaign.id, valid({ sendAt: "2026-11-23T11:00" }), {
      now: new Date("2026-11-23T10:00:30Z"),
    });
    expect(current.sendAt).toEqual(new Date("2026-11-23T10:00:00Z"));
  });

  it("refuses 02:30 on the night clocks go forward, with a reason the page can explain", async () => {
    const actor = await communicator();
    const campaign = await buildCampaign(inMarch);
    const now = new Date("2026-03-10T12:00:00Z");
    await expectInvalid(
      planMessage(actor, campaign.id, valid({ sendAt: "2026-03-29T02:30" }), { now }),
      "sendAt",
      "invalid_date",
      "nonexistent_local_time",
    );
    const after = await planMessage(actor, campaign.id, valid({ sendAt: "2026-03-29T03:00" }), { now });
    expect(after.sendAt).toEqual(new Date("2026-03-29T01:00:00Z"));
    const before = await planMessage(actor, campaign.id, valid({ sendAt: "2026-03-28T09:00" }), { now });
    const later = await planMessage(actor, campaign.id, valid({ sendAt: "2026-03-30T09:00" }), { now });
    // 09:00 in Brussels on both sides of the change: an hour apart in UTC.
    expect(before.sendAt).toEqual(new Date("2026-03-28T08:00:00Z"));
    expect(later.sendAt).toEqual(new Date("2026-03-30T07:00:00Z"));
  });

  it("keeps the kiosk for campaigns addressed to everyone", async () => {
    const actor = await communicator();
    const department = await buildDepartment();
    const restricted = await campaignAround(NOW, {
      audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
    });
    await expectInvalid(
      planMessage(actor, restricted.id, valid({ channels: ["kiosk"] }), { now: NOW }),
      "channels",
      "invalid_value",
      "kiosk_needs_open_audience",
    );
    const fieldWorkers = await campaignAround(NOW, {
      audience: { departmentIds: [], roles: [], fieldWorkers: "only" },
    });
    const ok = await planMessage(actor, fieldWorkers.id, valid({ channels: ["kiosk", "stream"] }), {
      now: NOW,
    });
    expect(ok.channels).toEqual(["stream", "kiosk"]);
  });

  it("refuses an ended campaign and one that does not exist", async () => {
    const actor = await communicator();
    const ended = await campaignAround(NOW, { status: "ended", endedAt: NOW });
    const error = await planMessage(actor, ended.id, valid(), { now: NOW }).catch((e: unknown) => e);
    expect(isCampaignError(error, "wrong_status")).toBe(true);
    const missing = await planMessage(actor, "no-such-campaign", valid(), { now: NOW }).catch(
      (e: unknown) => e,
    );
    expect(isCampaignError(missing, "not_found")).toBe(true);
  });
});

describe("updateMessage and cancelMessage", () => {
  it("changes a planned message with an audit event, and refuses one that is sending or sent", async () => {
    const actor = await communicator();
    const campaign = await campaignAround(NOW);
    const planned = await planMessage(actor, campaign.id, valid(), { now: NOW });
    const updated = await updateMessage(
      actor,
      planned.id,
      valid({ title: "Gent Plus: de nieuwe ploegen", sendAt: "2026-11-25T14:30", channels: ["sms"] }),
      { now: NOW },
    );
    expect(updated).toMatchObject({
      title: "Gent Plus: de nieuwe ploegen",
      channels: ["sms"],
      sendAt: new Date("2026-11-25T13:30:00Z"),
    });
    const actions = await prisma.campaignAuditEvent.findMany({
      where: { campaignId: campaign.id },
      orderBy: { createdAt: "asc" },
      select: { action: true, details: true },
    });
    expect(actions.map((a) => a.action)).toEqual(["message.planned", "message.updated"]);
    expect(actions[1]!.details).toMatchObject({ previousSendAt: "2026-11-24T08:00:00.000Z" });

    for (const status of ["sending", "sent", "cancelled"] as const) {
      const message = await buildSendingMessage(campaign.id, { status });
      const error = await updateMessage(actor, message.id, valid(), { now: NOW }).catch((e: unknown) => e);
      expect(isCampaignError(error, "wrong_status")).toBe(true);
    }
    const employee = await buildUser();
    const forbidden = await updateMessage({ id: employee.id, roles: ["employee"] }, planned.id, valid(), {
      now: NOW,
    }).catch((e: unknown) => e);
    expect(isCampaignError(forbidden, "forbidden")).toBe(true);
    // A refused update changed nothing.
    await expectInvalid(updateMessage(actor, planned.id, valid({ title: "x" }), { now: NOW }), "title");
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: planned.id } })).title).toBe(
      "Gent Plus: de nieuwe ploegen",
    );
  });

  it("cancels a planned message once; a sent one cannot be cancelled", async () => {
    const actor = await communicator();
    const campaign = await campaignAround(NOW);
    const planned = await planMessage(actor, campaign.id, valid(), { now: NOW });
    expect((await cancelMessage(actor, planned.id)).status).toBe("cancelled");
    expect((await cancelMessage(actor, planned.id)).status).toBe("cancelled");
    expect(
      await prisma.campaignAuditEvent.count({
        where: { campaignId: campaign.id, action: "message.cancelled" },
      }),
    ).toBe(1);
    const sent = await buildSendingMessage(campaign.id, { status: "sent" });
    const error = await cancelMessage(actor, sent.id).catch((e: unknown) => e);
    expect(isCampaignError(error, "wrong_status")).toBe(true);
  });
});

describe("planReminder", () => {
  it("plans a reminder of a sent message on its targeted channels, pointing at the original", async () => {
    const actor = await communicator();
    const campaign = await campaignAround(NOW);
    const original = await buildSendingMessage(campaign.id, {
      status: "sent",
      sentAt: NOW,
      channels: ["stream", "push", "digest", "kiosk"],
      requiresAck: true,
    });
    const reminder = await planReminder(actor, original.id, { sendAt: "2026-11-26T09:00" }, { now: NOW });
    expect(reminder).toMatchObject({
      reminderOfId: original.id,
      channels: ["push", "digest"],
      title: original.title,
      bodyText: original.bodyText,
      requiresAck: false,
      status: "planned",
    });
    // A reminder of the reminder (once sent) still points at the original.
    await prisma.campaignMessage.update({ where: { id: reminder.id }, data: { status: "sent" } });
    const second = await planReminder(
      actor,
      reminder.id,
      {
        sendAt: "2026-11-27T09:00",
        title: "Nog niet gelezen?",
        plainText: "Lees het even.",
        channels: ["sms"],
      },
      { now: NOW },
    );
    expect(second).toMatchObject({
      reminderOfId: original.id,
      channels: ["sms"],
      bodyText: "Lees het even.",
    });
    expect(
      await prisma.campaignAuditEvent.count({
        where: { campaignId: campaign.id, action: "message.reminder_planned" },
      }),
    ).toBe(2);
  });

  it("refuses a reminder of an unsent or stream-only message and bad input", async () => {
    const actor = await communicator();
    const campaign = await campaignAround(NOW);
    const planned = await buildSendingMessage(campaign.id, { sendAt: new Date("2026-11-30T08:00:00Z") });
    const error = await planReminder(actor, planned.id, { sendAt: "2026-11-26T09:00" }, { now: NOW }).catch(
      (e: unknown) => e,
    );
    expect(isCampaignError(error, "wrong_status")).toBe(true);
    const streamOnly = await buildSendingMessage(campaign.id, { status: "sent", channels: ["stream"] });
    await expectInvalid(
      planReminder(actor, streamOnly.id, { sendAt: "2026-11-26T09:00" }, { now: NOW }),
      "channels",
      "required",
    );
    await expectInvalid(
      planReminder(actor, streamOnly.id, { sendAt: "2026-11-26T09:00", channels: ["stream"] }, { now: NOW }),
      "channels.0",
    );
    await expectInvalid(
      planReminder(actor, streamOnly.id, { sendAt: "2026-11-20T09:00", channels: ["push"] }, { now: NOW }),
      "sendAt",
      "invalid_date",
      "in_the_past",
    );
    expect(
      await prisma.campaignMessage.count({ where: { reminderOfId: { not: null }, campaignId: campaign.id } }),
    ).toBe(0);
  });
});

describe("listMessages", () => {
  it("shows managers the whole plan and the audience only the sent messages, not reminders", async () => {
    const actor = await communicator();
    const department = await buildDepartment();
    const campaign = await campaignAround(NOW, {
      audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
    });
    const sent = await buildSendingMessage(campaign.id, {
      status: "sent",
      sendAt: new Date("2026-11-20T08:00:00Z"),
    });
    await buildSendingMessage(campaign.id, {
      status: "sent",
      reminderOfId: sent.id,
      sendAt: new Date("2026-11-21T08:00:00Z"),
    });
    await buildSendingMessage(campaign.id, { status: "planned", sendAt: new Date("2026-11-28T08:00:00Z") });
    await buildSendingMessage(campaign.id, { status: "cancelled", sendAt: new Date("2026-11-29T08:00:00Z") });

    const manager = { ...actor, isFieldWorker: false, department: null };
    expect((await listMessages(manager, campaign.id)).map((m) => m.status)).toEqual([
      "sent",
      "sent",
      "planned",
      "cancelled",
    ]);

    const member = await buildUser({ departmentId: department.id });
    await prisma.campaignRecipient.create({
      data: { messageId: sent.id, userId: member.id, reachedAt: NOW, reachedVia: "push" },
    });
    const reader = {
      id: member.id,
      roles: ["employee"] as Role[],
      isFieldWorker: false,
      department: { id: department.id, parentId: null },
    };
    const visible = await listMessages(reader, campaign.id);
    expect(visible.map((m) => m.id)).toEqual([sent.id]);
    expect(visible[0]!.own).toEqual({ reachedAt: NOW, openedAt: null, acknowledgedAt: null });

    const outsider = await buildUser();
    const error = await listMessages(
      { id: outsider.id, roles: ["employee"], isFieldWorker: false, department: null },
      campaign.id,
    ).catch((e: unknown) => e);
    expect(isCampaignError(error, "not_found")).toBe(true);
    const draft = await campaignAround(NOW, { status: "draft" });
    const hidden = await listMessages(reader, draft.id).catch((e: unknown) => e);
    expect(isCampaignError(hidden, "not_found")).toBe(true);
  });
});
