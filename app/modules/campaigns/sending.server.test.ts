/**
 * Sending campaign messages: recipients are the audience (or, for a reminder, the not-reached), the stream post
 * is for the audience only, push/SMS/e-mail go through the digest delivery layer on reachable channels only and
 * reach the outbox, the digest channel becomes an entry of the next digest, reach is marked when a delivery is
 * sent, a message is sent once even when two runs race or a run died halfway, and paused campaigns wait.
 */
import { pino } from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Role } from "~/modules/identity/permissions";
import { composeDigestItems } from "~/modules/digests/compose.server";
import { deliverDigest } from "~/modules/digests/deliver.server";
import { planDueDigests } from "~/modules/digests/planner.server";
import { DIGESTS_DELIVER_QUEUE } from "~/modules/digests/queues";
import { kioskBoard } from "~/modules/kiosk/board.server";
import { canSeePost, streamReaderOf, visiblePostsWhere } from "~/modules/stream/policy.server";
import { campaignsSendJob } from "../../../server/jobs/campaigns-send";
import {
  buildCampaign,
  buildDepartment,
  buildDigestSubscriber,
  buildSendingMessage,
  buildUser,
} from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { planReminder, utcToBrusselsWallClock } from "./messages.server";
import { campaignPeriodKey, markCampaignReached } from "./reach.server";
import { sendDueMessages, SENDING_LEASE_MINUTES } from "./sending.server";

setupTestDatabase();

beforeEach(async () => {
  // Each test sends only its own messages: whatever an earlier test left due is taken off the plan.
  await prisma.campaignMessage.updateMany({
    where: { status: { in: ["planned", "sending"] } },
    data: { status: "cancelled" },
  });
});

async function readerOf(userId: string) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, isFieldWorker: true, department: { select: { id: true, parentId: true } } },
  });
  return streamReaderOf({ ...user, roles: ["employee"] as Role[] });
}

/** A department with a service, and a campaign for that department. */
async function departmentCampaign(overrides: Parameters<typeof buildCampaign>[0] = {}) {
  const department = await buildDepartment();
  const service = await buildDepartment({ parentId: department.id });
  const campaign = await buildCampaign({
    audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
    ...overrides,
  });
  return { department, service, campaign };
}

async function recipientsOf(messageId: string) {
  return prisma.campaignRecipient.findMany({
    where: { messageId },
    select: { userId: true, departmentId: true, reachedAt: true, reachedVia: true },
    orderBy: { userId: "asc" },
  });
}

describe("sendDueMessages", () => {
  it("sends to the audience and posts in the stream for the audience only", async () => {
    const { department, service, campaign } = await departmentCampaign({ hashtag: "gentplus" });
    const inDepartment = await buildUser({ departmentId: department.id });
    const inService = await buildUser({ departmentId: service.id });
    const outsider = await buildUser({ departmentId: (await buildDepartment()).id });
    await buildUser({ departmentId: department.id, active: false });
    const message = await buildSendingMessage(campaign.id, {
      channels: ["stream"],
      title: "Gent Plus: de nieuwe ploegen",
      text: "Vanaf maandag werken we samen. #samenverder",
    });

    const result = await sendDueMessages(new Date());
    expect(result).toMatchObject({ claimed: 1, sent: 1, failed: 0, recipients: 2 });

    const sent = await prisma.campaignMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect(sent.status).toBe("sent");
    expect(sent.sentAt).not.toBeNull();
    expect(await recipientsOf(message.id)).toEqual(
      [
        { userId: inDepartment.id, departmentId: department.id, reachedAt: null, reachedVia: null },
        { userId: inService.id, departmentId: service.id, reachedAt: null, reachedVia: null },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    );

    const post = await prisma.post.findUniqueOrThrow({
      where: { id: sent.postId! },
      select: {
        id: true,
        kind: true,
        authorId: true,
        text: true,
        audience: true,
        deletedAt: true,
        hiddenAt: true,
        topics: { select: { topic: { select: { slug: true } } } },
      },
    });
    expect(post).toMatchObject({ kind: "announcement", authorId: campaign.createdById });
    expect(post.text.startsWith("Gent Plus: de nieuwe ploegen\n")).toBe(true);
    expect(post.audience).toEqual([`campaign:${campaign.id}`, `user:${campaign.createdById}`]);
    expect(post.topics.map((t) => t.topic.slug).sort()).toEqual(["gentplus", "samenverder"]);

    for (const user of [inDepartment, inService]) {
      const reader = await readerOf(user.id);
      expect(canSeePost(reader, post)).toBe(true);
      expect(await prisma.post.count({ where: { AND: [visiblePostsWhere(reader), { id: post.id }] } })).toBe(
        1,
      );
    }
    const outside = await readerOf(outsider.id);
    expect(canSeePost(outside, post)).toBe(false);
    expect(await prisma.post.count({ where: { AND: [visiblePostsWhere(outside), { id: post.id }] } })).toBe(
      0,
    );
    // Nor before the campaign runs, or once it is a draft again: only public campaigns give keys.
    await prisma.campaign.update({ where: { id: campaign.id }, data: { status: "approved" } });
    expect(canSeePost(await readerOf(inDepartment.id), post)).toBe(false);
    await prisma.campaign.update({ where: { id: campaign.id }, data: { status: "ended" } });
    expect(canSeePost(await readerOf(inDepartment.id), post)).toBe(true);

    const audit = await prisma.campaignAuditEvent.findFirstOrThrow({
      where: { campaignId: campaign.id, action: "message.sent" },
    });
    expect(audit.details).toMatchObject({ messageId: message.id, recipients: 2, streamPost: true });
  });

  it("claims a message once when two runs race", async () => {
    const { department, campaign } = await departmentCampaign();
    const { user: subscriber } = await buildDigestSubscriber({
      channels: ["push"],
      user: { departmentId: department.id },
    });
    await buildUser({ departmentId: department.id });
    const message = await buildSendingMessage(campaign.id, { channels: ["stream", "push"] });

    const runs = await Promise.all([sendDueMessages(new Date()), sendDueMessages(new Date())]);
    expect(runs.map((run) => run.sent).reduce((a, b) => a + b)).toBe(1);
    expect(runs.flatMap((run) => run.deliveryIds)).toHaveLength(1);
    expect(await prisma.post.count({ where: { audience: { has: `campaign:${campaign.id}` } } })).toBe(1);
    expect(await prisma.campaignRecipient.count({ where: { messageId: message.id } })).toBe(2);
    expect(
      await prisma.digestDelivery.findMany({
        where: { digest: { periodKey: campaignPeriodKey(message.id) } },
        select: { userId: true, channel: true },
      }),
    ).toEqual([{ userId: subscriber.id, channel: "push" }]);
    expect(
      await prisma.campaignAuditEvent.count({ where: { campaignId: campaign.id, action: "message.sent" } }),
    ).toBe(1);
    // A later run finds nothing to do.
    expect((await sendDueMessages(new Date())).claimed).toBe(0);
  });

  it("lets a paused campaign's due message wait and sends it after the resume", async () => {
    const { department, campaign } = await departmentCampaign({ status: "paused", pausedAt: new Date() });
    await buildUser({ departmentId: department.id });
    const message = await buildSendingMessage(campaign.id, { channels: ["stream"] });
    expect((await sendDueMessages(new Date())).claimed).toBe(0);
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: message.id } })).status).toBe(
      "planned",
    );
    // Not yet approved or running: the same.
    await prisma.campaign.update({ where: { id: campaign.id }, data: { status: "approved" } });
    expect((await sendDueMessages(new Date())).claimed).toBe(0);

    await prisma.campaign.update({ where: { id: campaign.id }, data: { status: "running", pausedAt: null } });
    expect(await sendDueMessages(new Date())).toMatchObject({ claimed: 1, sent: 1 });
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: message.id } })).status).toBe(
      "sent",
    );
  });

  it("does not send before its time", async () => {
    const { department, campaign } = await departmentCampaign();
    await buildUser({ departmentId: department.id });
    const message = await buildSendingMessage(campaign.id, { sendAt: new Date(Date.now() + 3600_000) });
    expect((await sendDueMessages(new Date())).claimed).toBe(0);
    expect((await sendDueMessages(new Date(Date.now() + 3601_000))).claimed).toBe(1);
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: message.id } })).status).toBe(
      "sent",
    );
  });

  it("creates push, SMS and e-mail deliveries only where they reach; they go to the outbox and mark reach", async () => {
    const { department, campaign } = await departmentCampaign();
    const { user: bySms } = await buildDigestSubscriber({
      channels: ["sms"],
      user: { departmentId: department.id },
    });
    const { user: byEmailOrPush } = await buildDigestSubscriber({
      channels: ["email", "push"],
      user: { departmentId: department.id },
    });
    const unreachable = await buildUser({ departmentId: department.id, isFieldWorker: true, email: null });
    // Consent withdrawn: the verified number no longer counts.
    const { user: withdrawn } = await buildDigestSubscriber({
      channels: ["sms"],
      user: { departmentId: department.id },
    });
    await prisma.consentEvent.create({
      data: {
        userId: withdrawn.id,
        purpose: "digest_sms",
        granted: false,
        method: "self",
        textVersion: "2026-11",
      },
    });
    const message = await buildSendingMessage(campaign.id, {
      channels: ["sms", "email"],
      title: "Welzijn op het werk",
      text: "Doe mee aan de week van het welzijn. Meer info op de campagnepagina.",
      requiresAck: true,
    });

    const result = await sendDueMessages(new Date());
    expect(result.recipients).toBe(4);
    const deliveries = await prisma.digestDelivery.findMany({
      where: { digest: { periodKey: campaignPeriodKey(message.id) } },
      select: {
        id: true,
        userId: true,
        channel: true,
        status: true,
        destination: true,
        idempotencyKey: true,
        digestId: true,
      },
    });
    expect(deliveries.map((d) => `${d.userId}:${d.channel}`).sort()).toEqual(
      [`${bySms.id}:sms`, `${byEmailOrPush.id}:email`].sort(),
    );
    expect(result.deliveryIds.sort()).toEqual(deliveries.map((d) => d.id).sort());
    for (const delivery of deliveries) {
      expect(delivery.status).toBe("queued");
      expect(delivery.idempotencyKey).toBe(`${delivery.digestId}:${delivery.channel}`);
      // The masked contact, as the delivery log shows it (never the number or address itself).
      expect(delivery.destination).toMatch(/•/);
    }
    const digest = await prisma.digest.findFirstOrThrow({
      where: { userId: bySms.id, periodKey: campaignPeriodKey(message.id) },
    });
    expect(digest.items).toEqual([
      expect.objectContaining({
        kind: "campaign",
        id: message.id,
        title: "Welzijn op het werk",
        url: `/campagnes/${campaign.slug}`,
        urgent: false,
        needsAcknowledgement: true,
      }),
    ]);

    for (const delivery of deliveries) {
      expect(await deliverDigest(delivery.id)).toMatchObject({ result: "sent" });
      expect(await deliverDigest(delivery.id)).toMatchObject({ result: "done" });
    }
    const outbox = await prisma.outboxMessage.findMany({
      where: { userId: { in: [bySms.id, byEmailOrPush.id] } },
      select: { userId: true, channel: true, text: true },
    });
    expect(outbox.map((o) => `${o.userId}:${o.channel}`).sort()).toEqual(
      [`${bySms.id}:sms`, `${byEmailOrPush.id}:email`].sort(),
    );
    expect(outbox.find((o) => o.channel === "email")!.text).toContain("Welzijn op het werk");

    const reach = new Map((await recipientsOf(message.id)).map((r) => [r.userId, r.reachedVia]));
    expect(reach.get(bySms.id)).toBe("sms");
    expect(reach.get(byEmailOrPush.id)).toBe("email");
    expect(reach.get(unreachable.id)).toBeNull();
    expect(reach.get(withdrawn.id)).toBeNull();
  });

  it("puts the message in the next digest of digest subscribers not reached directly, reached via digest", async () => {
    const { department, campaign } = await departmentCampaign();
    const past = new Date(Date.now() - 60_000);
    const { user: byPush } = await buildDigestSubscriber({
      channels: ["push"],
      user: { departmentId: department.id },
    });
    const { user: bySms } = await buildDigestSubscriber({
      channels: ["sms"],
      user: { departmentId: department.id },
      preference: { nextDueAt: past, sendAt: "00:00" },
    });
    const { user: noCampaigns } = await buildDigestSubscriber({
      channels: ["sms"],
      user: { departmentId: department.id },
      preference: { categories: ["circulars"] },
    });
    const withoutDigest = await buildUser({ departmentId: department.id });
    const message = await buildSendingMessage(campaign.id, {
      channels: ["push", "digest", "stream"],
      title: "Trots op ons werk",
    });

    await sendDueMessages(new Date());
    const entries = await prisma.digestEntry.findMany({
      where: { dedupeKey: { startsWith: `${campaignPeriodKey(message.id)}:` } },
      select: { userId: true, type: true, url: true, data: true },
    });
    expect(entries).toEqual([
      {
        userId: bySms.id,
        type: "campaign.message",
        url: `/campagnes/${campaign.slug}`,
        data: expect.objectContaining({
          messageId: message.id,
          campaignName: campaign.name,
          title: "Trots op ons werk",
        }),
      },
    ]);
    expect(entries.map((e) => e.userId)).not.toContain(byPush.id);
    expect(entries.map((e) => e.userId)).not.toContain(noCampaigns.id);
    expect(entries.map((e) => e.userId)).not.toContain(withoutDigest.id);

    const items = await composeDigestItems({ id: bySms.id }, null, new Date());
    expect(items.filter((item) => item.kind === "campaign")).toEqual([
      expect.objectContaining({
        id: message.id,
        title: "Trots op ons werk",
        url: `/campagnes/${campaign.slug}`,
      }),
    ]);
    // The stream post is not an announcement in their digest too, and the entry is not a "personal" item.
    expect(items.filter((item) => item.kind !== "campaign")).toEqual([]);

    const planned = await planDueDigests(new Date());
    const delivery = await prisma.digestDelivery.findFirstOrThrow({
      where: { userId: bySms.id, id: { in: planned.deliveryIds } },
      select: { id: true, digestId: true },
    });
    const carried = await prisma.digestEntry.findFirstOrThrow({
      where: { userId: bySms.id, type: "campaign.message" },
    });
    expect(carried.digestId).toBe(delivery.digestId);
    expect(await deliverDigest(delivery.id)).toMatchObject({ result: "sent" });
    const reach = new Map((await recipientsOf(message.id)).map((r) => [r.userId, r.reachedVia]));
    expect(reach.get(bySms.id)).toBe("digest");
    expect(reach.get(noCampaigns.id)).toBeNull();
  });

  it("sends a reminder only to the recipients not reached, and reaching them marks the original", async () => {
    const { department, campaign } = await departmentCampaign();
    const reached = await buildUser({ departmentId: department.id });
    const notReached = await buildUser({ departmentId: department.id });
    const alsoNotReached = await buildUser({ departmentId: department.id });
    const original = await buildSendingMessage(campaign.id, { channels: ["stream"] });
    const now = new Date();
    await sendDueMessages(now);
    await markCampaignReached(reached.id, original.id, "stream", now);
    const newcomer = await buildUser({ departmentId: department.id });

    const communicator = { id: campaign.createdById, roles: ["employee", "communicator"] as Role[] };
    const reminder = await planReminder(
      communicator,
      original.id,
      { sendAt: utcToBrusselsWallClock(new Date(now.getTime() + 120_000)), channels: ["push"] },
      { now },
    );
    expect((await sendDueMessages(new Date(now.getTime() + 60_000))).claimed).toBe(0);
    expect(await sendDueMessages(new Date(now.getTime() + 180_000))).toMatchObject({ claimed: 1, sent: 1 });
    const targeted = (await recipientsOf(reminder.id)).map((r) => r.userId);
    expect(targeted.sort()).toEqual([notReached.id, alsoNotReached.id].sort());
    expect(targeted).not.toContain(newcomer.id);

    await markCampaignReached(notReached.id, reminder.id, "push", new Date());
    const originalReach = new Map((await recipientsOf(original.id)).map((r) => [r.userId, r.reachedVia]));
    expect(originalReach.get(reached.id)).toBe("stream");
    expect(originalReach.get(notReached.id)).toBe("push");
    expect(originalReach.get(alsoNotReached.id)).toBeNull();
  });

  it("completes a message a dead run left halfway once its lease has passed, without duplicates", async () => {
    const { department, campaign } = await departmentCampaign();
    const { user: subscriber } = await buildDigestSubscriber({
      channels: ["sms"],
      user: { departmentId: department.id },
    });
    const other = await buildUser({ departmentId: department.id });
    const now = new Date();
    const message = await buildSendingMessage(campaign.id, { channels: ["sms", "stream"] });
    // The dead run had claimed it and written one recipient row.
    await prisma.campaignMessage.update({
      where: { id: message.id },
      data: { status: "sending", updatedAt: new Date(now.getTime() - 60_000) },
    });
    await prisma.campaignRecipient.create({
      data: { messageId: message.id, userId: other.id, departmentId: department.id },
    });
    expect((await sendDueMessages(now)).claimed).toBe(0);

    const later = new Date(now.getTime() + SENDING_LEASE_MINUTES * 60_000);
    const result = await sendDueMessages(later);
    expect(result).toMatchObject({ claimed: 1, sent: 1, recipients: 1 });
    expect((await recipientsOf(message.id)).map((r) => r.userId).sort()).toEqual(
      [subscriber.id, other.id].sort(),
    );
    expect(result.deliveryIds).toHaveLength(1);
    expect(await prisma.post.count({ where: { audience: { has: `campaign:${campaign.id}` } } })).toBe(1);
  });

  it("runs as the campaigns.send job: status changes first, then sending, then the deliveries are queued", async () => {
    const { department, campaign } = await departmentCampaign({ status: "approved" });
    await buildDigestSubscriber({ channels: ["sms"], user: { departmentId: department.id } });
    await buildSendingMessage(campaign.id, { channels: ["sms"] });
    const inserted: { name: string; jobs: readonly { data: object; singletonKey?: string }[] }[] = [];
    const job = campaignsSendJob({
      advanceStatuses: async () => {
        await prisma.campaign.update({ where: { id: campaign.id }, data: { status: "running" } });
        return { started: 1 };
      },
    });
    const result = await job.handle([], {
      logger: pino({ level: "silent" }),
      send: async () => null,
      insert: async (name, jobs) => {
        inserted.push({ name, jobs });
      },
    });
    expect(result).toMatchObject({ statuses: { started: 1 }, sent: 1, deliveries: 1 });
    expect(inserted).toHaveLength(1);
    expect(inserted[0]!.name).toBe(DIGESTS_DELIVER_QUEUE);
    expect(inserted[0]!.jobs[0]).toMatchObject({ data: { deliveryId: expect.any(String) } });
    expect(job).toMatchObject({ name: "campaigns.send", cron: "* * * * *", runOnStart: true });
  });
});

describe("the campaigns.send job with the real lifecycle", () => {
  it("starts an approved campaign whose start has come and sends its first message in the same run", async () => {
    const { department, campaign } = await departmentCampaign({ status: "approved" });
    await buildUser({ departmentId: department.id });
    const message = await buildSendingMessage(campaign.id, { channels: ["stream"] });
    const result = await campaignsSendJob().handle([], {
      logger: pino({ level: "silent" }),
      send: async () => null,
      insert: async () => {},
    });
    expect(result).toMatchObject({ statuses: { started: [campaign.id] }, sent: 1 });
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("running");
    expect((await prisma.campaignMessage.findUniqueOrThrow({ where: { id: message.id } })).status).toBe(
      "sent",
    );
  });
});

describe("the kiosk board", () => {
  it("shows kiosk messages of running campaigns for everyone only", async () => {
    const open = await buildCampaign({
      name: "Trots op Gent",
      audience: { departmentIds: [], roles: [], fieldWorkers: "only" },
    });
    const shown = await buildSendingMessage(open.id, {
      channels: ["kiosk"],
      status: "sent",
      sentAt: new Date(),
    });
    const notKiosk = await buildSendingMessage(open.id, {
      channels: ["push"],
      status: "sent",
      sentAt: new Date(),
    });
    const notYet = await buildSendingMessage(open.id, {
      channels: ["kiosk"],
      status: "planned",
      sendAt: new Date(Date.now() + 3600_000),
    });
    const { campaign: restricted } = await departmentCampaign();
    const restrictedMessage = await buildSendingMessage(restricted.id, {
      channels: ["kiosk"],
      status: "sent",
      sentAt: new Date(),
    });
    const paused = await buildCampaign({ status: "paused" });
    const pausedMessage = await buildSendingMessage(paused.id, {
      channels: ["kiosk"],
      status: "sent",
      sentAt: new Date(),
    });

    const board = await kioskBoard();
    const ids = board.campaigns.map((c) => c.id);
    expect(ids).toContain(shown.id);
    for (const hidden of [notKiosk, notYet, restrictedMessage, pausedMessage])
      expect(ids).not.toContain(hidden.id);
    expect(board.campaigns.find((c) => c.id === shown.id)).toMatchObject({
      campaignName: "Trots op Gent",
      title: shown.title,
      colour: open.colour,
    });
  });
});
