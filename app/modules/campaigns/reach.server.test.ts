/**
 * Reach marking: first reach wins and never moves, opening and viewing the stream post, acknowledgements
 * (recipients only, messages that ask for it, idempotent), and the delivery hook's tolerance of other digests.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Role } from "~/modules/identity/permissions";
import {
  buildCampaign,
  buildDepartment,
  buildDigestDelivery,
  buildPost,
  buildSendingMessage,
  buildUser,
} from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { isCampaignError } from "./errors";
import {
  acknowledgeCampaignMessage,
  markCampaignOpened,
  markCampaignPostViewed,
  markCampaignReached,
  markCampaignReachedByDelivery,
} from "./reach.server";

setupTestDatabase();

const T1 = new Date("2026-11-20T08:00:00Z");
const T2 = new Date("2026-11-21T08:00:00Z");

async function recipient(messageId: string, userId: string) {
  return prisma.campaignRecipient.findUniqueOrThrow({ where: { messageId_userId: { messageId, userId } } });
}

function readerOf(user: { id: string; departmentId: string | null }, parentId: string | null = null) {
  return {
    id: user.id,
    roles: ["employee"] as Role[],
    isFieldWorker: false,
    department: user.departmentId ? { id: user.departmentId, parentId } : null,
  };
}

describe("markCampaignReached and markCampaignOpened", () => {
  it("keeps the first reach, opens once, and ignores people who were not recipients", async () => {
    const campaign = await buildCampaign();
    const message = await buildSendingMessage(campaign.id, { status: "sent" });
    const user = await buildUser();
    await prisma.campaignRecipient.create({ data: { messageId: message.id, userId: user.id } });

    expect(await markCampaignReached(user.id, message.id, "sms", T2)).toBe(true);
    expect(await markCampaignReached(user.id, message.id, "push", T1)).toBe(false);
    expect(await recipient(message.id, user.id)).toMatchObject({
      reachedAt: T2,
      reachedVia: "sms",
      openedAt: null,
    });

    expect(await markCampaignOpened(user.id, message.id, "stream", T2)).toBe(true);
    expect(await markCampaignOpened(user.id, message.id, "stream", new Date())).toBe(false);
    expect(await recipient(message.id, user.id)).toMatchObject({ reachedVia: "sms", openedAt: T2 });

    const stranger = await buildUser();
    expect(await markCampaignReached(stranger.id, message.id, "sms", T1)).toBe(false);
    expect(await prisma.campaignRecipient.count({ where: { messageId: message.id } })).toBe(1);
  });

  it("counts a view of the stream post as reached via stream and opened", async () => {
    const campaign = await buildCampaign();
    const post = await buildPost({
      authorId: campaign.createdById,
      kind: "announcement",
      audience: [`campaign:${campaign.id}`],
    });
    const message = await buildSendingMessage(campaign.id, {
      status: "sent",
      channels: ["stream"],
      postId: post.id,
    });
    const user = await buildUser();
    await prisma.campaignRecipient.create({ data: { messageId: message.id, userId: user.id } });
    await markCampaignPostViewed(user.id, post.id, T1);
    expect(await recipient(message.id, user.id)).toMatchObject({
      reachedAt: T1,
      reachedVia: "stream",
      openedAt: T1,
    });
    // Any other post: nothing happens.
    const other = await buildPost({ authorId: user.id });
    await expect(markCampaignPostViewed(user.id, other.id)).resolves.toBeUndefined();
  });
});

describe("acknowledgeCampaignMessage", () => {
  it("lets a recipient confirm once, keeping the first moment", async () => {
    const department = await buildDepartment();
    const campaign = await buildCampaign({
      audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
    });
    const message = await buildSendingMessage(campaign.id, { status: "sent", requiresAck: true });
    const user = await buildUser({ departmentId: department.id });
    await prisma.campaignRecipient.create({
      data: { messageId: message.id, userId: user.id, reachedAt: T1, reachedVia: "push" },
    });
    expect(await acknowledgeCampaignMessage(readerOf(user), message.id, T2)).toEqual({ acknowledgedAt: T2 });
    expect(await acknowledgeCampaignMessage(readerOf(user), message.id, new Date())).toEqual({
      acknowledgedAt: T2,
    });
    expect(await recipient(message.id, user.id)).toMatchObject({
      reachedAt: T1,
      reachedVia: "push",
      openedAt: T2,
      acknowledgedAt: T2,
    });
  });

  it("refuses outsiders, non-recipients and messages that ask no confirmation", async () => {
    const department = await buildDepartment();
    const campaign = await buildCampaign({
      audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
    });
    const message = await buildSendingMessage(campaign.id, { status: "sent", requiresAck: true });
    const noAck = await buildSendingMessage(campaign.id, { status: "sent", requiresAck: false });
    const planned = await buildSendingMessage(campaign.id, { status: "planned", requiresAck: true });
    const member = await buildUser({ departmentId: department.id });
    const outsider = await buildUser();
    await prisma.campaignRecipient.create({ data: { messageId: noAck.id, userId: member.id } });

    const refused = async (promise: Promise<unknown>, code: "not_found" | "forbidden" | "wrong_status") => {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isCampaignError(error, code), String(error)).toBe(true);
    };
    await refused(acknowledgeCampaignMessage(readerOf(outsider), message.id), "not_found");
    await refused(acknowledgeCampaignMessage(readerOf(member), "no-such-message"), "not_found");
    await refused(acknowledgeCampaignMessage(readerOf(member), message.id), "forbidden");
    await refused(acknowledgeCampaignMessage(readerOf(member), noAck.id), "wrong_status");
    await refused(acknowledgeCampaignMessage(readerOf(member), planned.id), "wrong_status");
    expect(
      await prisma.campaignRecipient.count({ where: { userId: member.id, acknowledgedAt: { not: null } } }),
    ).toBe(0);
  });
});

describe("markCampaignReachedByDelivery", () => {
  it("leaves other digests alone and never throws", async () => {
    const user = await buildUser();
    const { digest } = await buildDigestDelivery({ userId: user.id, channel: "sms" });
    await expect(
      markCampaignReachedByDelivery({ digestId: digest.id, userId: user.id, channel: "sms" }, T1),
    ).resolves.toBeUndefined();
    await expect(
      markCampaignReachedByDelivery({ digestId: "no-such-digest", userId: user.id, channel: "email" }, T1),
    ).resolves.toBeUndefined();
    expect(await prisma.campaignRecipient.count({ where: { userId: user.id } })).toBe(0);
  });
});
