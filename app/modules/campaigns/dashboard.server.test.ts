/**
 * The dashboard on a constructed campaign: reach per message, channel, department and Brussels day, delivery
 * from the digests' log, acknowledgements, pulse, engagement and stories; managers only; aggregates only.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { type Role } from "~/modules/identity/permissions";
import {
  buildCampaign,
  buildDepartment,
  buildMeasureMessage,
  buildMeasureRecipients,
  buildPost,
  buildUser,
} from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { ackList, campaignDashboard, notReachedCount, rate } from "./dashboard.server";
import { isCampaignError } from "./errors";
import { type CampaignActor } from "./policy.server";
import { campaignPeriodKey } from "./reach.server";

setupTestDatabase();

const actorOf = (user: { id: string }, roles: Role[]): CampaignActor => ({ id: user.id, roles });

async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCampaignError(error)) return error.code;
    throw error;
  }
  throw new Error("expected a CampaignError");
}

/** A one-item campaign digest for a person and its delivery on one channel, in the given state. */
async function delivery(
  messageId: string,
  userId: string,
  channel: "push" | "sms" | "email",
  state: Partial<Prisma.DigestDeliveryUncheckedCreateInput>,
  periodKey = campaignPeriodKey(messageId),
) {
  const digest = await prisma.digest.upsert({
    where: { userId_periodKey: { userId, periodKey } },
    update: {},
    create: {
      userId,
      periodKey,
      items: [],
      itemCount: 1,
      coversUntil: new Date(),
      tokenExpiresAt: new Date(Date.now() + 7 * 86_400_000),
    },
  });
  await prisma.digestDelivery.create({
    data: { digestId: digest.id, userId, channel, idempotencyKey: `${digest.id}:${channel}`, ...state },
  });
}

const at = (iso: string) => new Date(iso);
const NOW = at("2026-11-27T10:00:00Z");

type Fixture = Awaited<ReturnType<typeof buildFixture>>;

/**
 * Departments A (4 people + 2 in its service), B (5) and C (2), one inactive colleague in A. Message 1 (stream,
 * push, SMS; please confirm) reaches A's 4 by push on the 23rd, one of the service by stream at 00:30 on the
 * 25th (Brussels), B's 5 by SMS at 23:30 on the 24th and C1 by push on the 23rd. Message 2 (a reminder by
 * e-mail, with a pulse) goes to C1 and C2 and reaches C1 again on the 25th.
 */
async function buildFixture() {
  const a = await buildDepartment();
  const service = await buildDepartment({ parentId: a.id });
  const b = await buildDepartment();
  const c = await buildDepartment();
  const makePeople = (count: number, departmentId: string) =>
    Promise.all(Array.from({ length: count }, () => buildUser({ departmentId })));
  const inA = await makePeople(4, a.id);
  const inService = await makePeople(2, service.id);
  const inB = await makePeople(5, b.id);
  const [c1, c2] = await makePeople(2, c.id);
  await buildUser({ departmentId: a.id, active: false });

  const communicator = await buildUser({}, ["communicator"]);
  const campaign = await buildCampaign({
    createdById: communicator.id,
    audience: { departmentIds: [a.id, b.id, c.id], roles: [], fieldWorkers: "any" },
    startsAt: at("2026-11-20T08:00:00Z"),
    endsAt: at("2026-12-20T08:00:00Z"),
  });
  const messagePost = await buildPost({ authorId: communicator.id, kind: "announcement" });
  const first = await buildMeasureMessage(campaign.id, {
    title: "Gent Plus: wat verandert er?",
    channels: ["stream", "push", "sms"],
    requiresAck: true,
    sentAt: at("2026-11-23T07:00:00Z"),
    postId: messagePost.id,
  });
  const reminder = await buildMeasureMessage(campaign.id, {
    title: "Herinnering: Gent Plus",
    channels: ["email"],
    reminderOfId: first.id,
    sentAt: at("2026-11-25T07:00:00Z"),
    pulseQuestion: "Weet je wat er voor jou verandert?",
    pulseKind: "scale",
    pulseOptions: ["Helemaal niet", "Helemaal"],
  });
  await buildMeasureMessage(campaign.id, { status: "cancelled", title: "Geannuleerd" });

  const dept = (id: string) => ({ departmentId: id });
  await buildMeasureRecipients(first.id, [
    ...inA.map((user, index) => ({
      userId: user.id,
      ...dept(a.id),
      reachedAt: at("2026-11-23T07:05:00Z"),
      reachedVia: "push" as const,
      acknowledgedAt: index < 2 ? at(`2026-11-23T0${8 + index}:00:00Z`) : null,
    })),
    {
      userId: inService[0]!.id,
      ...dept(service.id),
      reachedAt: at("2026-11-24T23:30:00Z"),
      reachedVia: "stream",
    },
    { userId: inService[1]!.id, ...dept(service.id) },
    ...inB.map((user, index) => ({
      userId: user.id,
      ...dept(b.id),
      reachedAt: at("2026-11-24T22:30:00Z"),
      reachedVia: "sms" as const,
      acknowledgedAt: index === 0 ? at("2026-11-25T06:00:00Z") : null,
    })),
    { userId: c1!.id, ...dept(c.id), reachedAt: at("2026-11-23T07:10:00Z"), reachedVia: "push" },
    { userId: c2!.id, ...dept(c.id) },
  ]);
  await buildMeasureRecipients(reminder.id, [
    { userId: c1!.id, ...dept(c.id), reachedAt: at("2026-11-25T08:00:00Z"), reachedVia: "email" },
    { userId: c2!.id, ...dept(c.id) },
  ]);

  const sent = at("2026-11-23T07:00:00Z");
  await delivery(first.id, inA[0]!.id, "push", {
    status: "clicked",
    sentAt: sent,
    openedAt: at("2026-11-23T07:05:00Z"),
    clickedAt: at("2026-11-23T07:06:00Z"),
  });
  await delivery(first.id, inA[1]!.id, "push", { status: "sent", sentAt: sent });
  await delivery(first.id, inA[2]!.id, "push", { status: "failed", failedAt: sent, lastError: "gone" });
  await delivery(first.id, inB[0]!.id, "sms", { status: "delivered", sentAt: sent, deliveredAt: sent });
  await delivery(first.id, inB[1]!.id, "sms", { status: "queued" });
  // A regular digest of one of them: not the campaign's.
  await delivery(first.id, inB[2]!.id, "sms", { status: "sent", sentAt: sent }, "daily:2026-11-23");

  for (const [index, value] of [4, 5].entries()) {
    await prisma.pulseAnswer.create({
      data: { messageId: reminder.id, respondentHash: `hash-${index}`, value, departmentId: c.id },
    });
  }

  const reactors = [...inA.slice(0, 3)];
  for (const [index, user] of reactors.entries()) {
    await prisma.reaction.create({
      data: { postId: messagePost.id, userId: user.id, type: index === 2 ? "thanks" : "like" },
    });
  }
  await prisma.post.update({ where: { id: messagePost.id }, data: { reactionCount: 3, commentCount: 2 } });
  const storyPost = await buildPost({ authorId: inB[0]!.id, audience: [`campaign:${campaign.id}`] });
  await prisma.reaction.create({ data: { postId: storyPost.id, userId: inA[0]!.id, type: "love" } });
  await prisma.post.update({ where: { id: storyPost.id }, data: { reactionCount: 1, commentCount: 1 } });
  const story = (status: "submitted" | "approved" | "rejected", postId: string | null = null) =>
    prisma.ambassadorStory.create({
      data: {
        campaignId: campaign.id,
        authorId: inB[0]!.id,
        title: "Mijn verhaal",
        body: "Een verhaal van minstens twintig tekens.",
        status,
        postId,
      },
    });
  await story("approved", storyPost.id);
  await story("submitted");
  await story("submitted");
  await story("rejected");

  return {
    campaign,
    first,
    reminder,
    departments: { a, service, b, c },
    people: { inA, inService, inB, c1: c1!, c2: c2! },
    manager: actorOf(communicator, ["employee", "communicator"]),
  };
}

describe("campaignDashboard", () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await buildFixture();
  });

  it("counts the audience and the different people reached", async () => {
    const dashboard = await campaignDashboard(fixture.manager, fixture.campaign.id, { now: NOW });
    expect(dashboard.audienceSize).toBe(13);
    expect(dashboard.people).toEqual({ recipients: 13, reached: 11, reachedRate: rate(11, 13) });
    expect(dashboard.people.reachedRate).toBe(0.8462);
    expect(dashboard.messages.map((message) => message.id)).toEqual([fixture.first.id, fixture.reminder.id]);
  });

  it("measures reach, channels, departments and acknowledgements per message", async () => {
    const dashboard = await campaignDashboard(fixture.manager, fixture.campaign.id, { now: NOW });
    const first = dashboard.messages[0]!;
    expect(first).toMatchObject({
      recipients: 13,
      reached: 11,
      reachedRate: 0.8462,
      notReached: 2,
      acknowledged: 3,
      acknowledgedRate: rate(3, 13),
    });
    expect(Object.fromEntries(first.reachedVia.map((entry) => [entry.channel, entry.reached]))).toEqual({
      stream: 1,
      push: 5,
      sms: 5,
      email: 0,
      digest: 0,
      kiosk: 0,
    });
    // A (6 with its service) is shown; C (2) alone in "andere" could be derived, so B (5) joins it.
    expect(first.departments).toEqual([
      {
        group: "department",
        departmentId: fixture.departments.a.id,
        name: fixture.departments.a.name,
        recipients: 6,
        reached: 5,
        reachedRate: rate(5, 6),
      },
      {
        group: "other",
        departmentId: null,
        name: "andere",
        recipients: 7,
        reached: 6,
        reachedRate: rate(6, 7),
      },
    ]);
    const reminder = dashboard.messages[1]!;
    expect(reminder).toMatchObject({ recipients: 2, reached: 1, acknowledged: null, acknowledgedRate: null });
    // Two recipients: no department breakdown at all.
    expect(reminder.departments).toEqual([]);
  });

  it("reads delivery per channel from the digests' log of the message", async () => {
    const dashboard = await campaignDashboard(fixture.manager, fixture.campaign.id, { now: NOW });
    const first = dashboard.messages[0]!;
    expect(first.deliveries).toEqual([
      {
        channel: "push",
        total: 3,
        queued: 0,
        sent: 2,
        delivered: 0,
        failed: 1,
        opened: 1,
        clicked: 1,
        openRate: 0.5,
        clickRate: 0.5,
      },
      {
        channel: "sms",
        total: 2,
        queued: 1,
        sent: 1,
        delivered: 1,
        failed: 0,
        opened: 0,
        clicked: 0,
        openRate: 0,
        clickRate: 0,
      },
    ]);
    expect(dashboard.messages[1]!.deliveries).toEqual([
      expect.objectContaining({ channel: "email", total: 0, openRate: null }),
    ]);
    expect(dashboard.deliveries.map((entry) => [entry.channel, entry.total, entry.sent])).toEqual([
      ["push", 3, 2],
      ["sms", 2, 1],
      ["email", 0, 0],
    ]);
  });

  it("includes pulse results under the threshold rule, engagement and stories", async () => {
    const dashboard = await campaignDashboard(fixture.manager, fixture.campaign.id, { now: NOW });
    expect(dashboard.messages[0]!.pulse).toBeNull();
    expect(dashboard.messages[1]!.pulse).toMatchObject({ answerCount: 2, overall: null, departments: [] });
    expect(dashboard.messages[0]!.engagement).toEqual({ reactions: 3, comments: 2 });
    expect(dashboard.engagement).toEqual({
      messages: { reactions: 3, comments: 2 },
      stories: { reactions: 1, comments: 1 },
      reactionsByType: [
        { type: "like", count: 2 },
        { type: "love", count: 1 },
        { type: "thanks", count: 1 },
      ],
    });
    expect(dashboard.stories).toEqual({ submitted: 2, approved: 1, rejected: 1 });
  });

  it("gives reach per Brussels day up to today, with different people cumulated", async () => {
    const dashboard = await campaignDashboard(fixture.manager, fixture.campaign.id, { now: NOW });
    expect(dashboard.reachByDay.map((day) => [day.day, day.reached, day.cumulativePeople])).toEqual([
      ["2026-11-23", 5, 5],
      // 22:30 UTC on the 24th is 23:30 in Brussels: still the 24th.
      ["2026-11-24", 5, 10],
      // 23:30 UTC on the 24th is 00:30 on the 25th; C1 reached again by the reminder is no new person.
      ["2026-11-25", 2, 11],
      ["2026-11-26", 0, 11],
      ["2026-11-27", 0, 11],
    ]);
    expect(dashboard.reachByDay[2]!.byChannel).toMatchObject({ stream: 1, email: 1, push: 0 });
  });

  it("never names a reader, and is for managers only", async () => {
    const dashboard = await campaignDashboard(fixture.manager, fixture.campaign.id, { now: NOW });
    const json = JSON.stringify(dashboard);
    for (const person of [...fixture.people.inA, ...fixture.people.inB, fixture.people.c1]) {
      expect(json).not.toContain(person.id);
      expect(json).not.toContain(person.displayName);
    }
    const employee = actorOf(fixture.people.inA[0]!, ["employee"]);
    const editor = actorOf(await buildUser({}, ["editor"]), ["employee", "editor"]);
    expect(await refused(campaignDashboard(employee, fixture.campaign.id))).toBe("forbidden");
    expect(await refused(campaignDashboard(editor, fixture.campaign.id))).toBe("forbidden");
    expect(await refused(campaignDashboard(fixture.manager, "missing"))).toBe("not_found");
  });
});

describe("notReachedCount and ackList", () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await buildFixture();
  });

  it("counts who a reminder would reach", async () => {
    expect(await notReachedCount(fixture.manager, fixture.first.id)).toBe(2);
    expect(await notReachedCount(fixture.manager, fixture.reminder.id)).toBe(1);
    const employee = actorOf(fixture.people.inA[0]!, ["employee"]);
    expect(await refused(notReachedCount(employee, fixture.first.id))).toBe("forbidden");
    expect(await refused(notReachedCount(fixture.manager, "missing"))).toBe("not_found");
  });

  it("names who confirmed, in order, and only them", async () => {
    const list = await ackList(fixture.manager, fixture.first.id);
    expect(list.recipients).toBe(13);
    expect(list.acknowledgements.map((ack) => ack.userId)).toEqual([
      fixture.people.inA[0]!.id,
      fixture.people.inA[1]!.id,
      fixture.people.inB[0]!.id,
    ]);
    expect(list.acknowledgements[0]).toMatchObject({
      displayName: fixture.people.inA[0]!.displayName,
      department: fixture.departments.a.name,
    });
    expect(await refused(ackList(fixture.manager, fixture.reminder.id))).toBe("invalid");
    expect(await refused(ackList(actorOf(fixture.people.inA[0]!, ["employee"]), fixture.first.id))).toBe(
      "forbidden",
    );
  });
});
