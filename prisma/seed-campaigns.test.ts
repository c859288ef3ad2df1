// The demo campaigns: valid by the same rules the form applies, two running and one waiting for a second
// communicator, created by Fatima and approved by Lotte; a second run changes nothing.
import { describe, expect, it } from "vitest";
import { prisma } from "../app/db.server";
import { parseCampaignAudience } from "../app/modules/campaigns/audience";
import {
  CAMPAIGN_GOAL_MAX,
  CAMPAIGN_GOAL_MIN,
  CAMPAIGN_NAME_MAX,
  FaqSchema,
  getCampaign,
  KEY_MESSAGE_MAX,
  KEY_MESSAGES_MAX,
  toBrusselsWall,
} from "../app/modules/campaigns/campaigns.server";
import { checkCampaignColour, checkCampaignHashtag } from "../app/modules/campaigns/identity";
import { buildUser } from "../tests/factories";
import { setupTestDatabase } from "../tests/setup/database";
import {
  SEED_CAMPAIGN_APPROVER,
  SEED_CAMPAIGN_CREATOR,
  SEED_CAMPAIGNS,
  seedCampaigns,
} from "./seed-campaigns";
import { SEED_USERS } from "./seed-data";

setupTestDatabase();

const NOW = new Date("2026-10-20T10:00:00Z");
const run = () => prisma.$transaction((tx) => seedCampaigns(tx, NOW), { timeout: 60_000 });

describe("seed campaigns data", () => {
  it("follows the campaign form's rules", () => {
    for (const spec of SEED_CAMPAIGNS) {
      expect(spec.name.length, spec.slug).toBeLessThanOrEqual(CAMPAIGN_NAME_MAX);
      expect(spec.goal.length, spec.slug).toBeGreaterThanOrEqual(CAMPAIGN_GOAL_MIN);
      expect(spec.goal.length, spec.slug).toBeLessThanOrEqual(CAMPAIGN_GOAL_MAX);
      expect(spec.keyMessages.length, spec.slug).toBeLessThanOrEqual(KEY_MESSAGES_MAX);
      for (const line of spec.keyMessages) expect(line.length).toBeLessThanOrEqual(KEY_MESSAGE_MAX);
      expect(checkCampaignColour(spec.colour), spec.slug).toMatchObject({ ok: true, colour: spec.colour });
      expect(checkCampaignHashtag(spec.hashtag), spec.slug).toEqual({ ok: true, hashtag: spec.hashtag });
      expect(FaqSchema.parse(spec.faq)).toEqual(spec.faq);
      expect(spec.faq.length).toBeGreaterThanOrEqual(3);
      expect(spec.faq.length).toBeLessThanOrEqual(4);
      expect(parseCampaignAudience(spec.audience)).toEqual(spec.audience);
      expect(spec.startDay).toBeLessThan(spec.endDay);
    }
  });

  it("names two different seeded communicators", () => {
    const byNumber = new Map(SEED_USERS.map((user) => [user.employeeNumber, user]));
    expect(byNumber.get(SEED_CAMPAIGN_CREATOR)?.displayName).toBe("Fatima El Amrani");
    for (const number of [SEED_CAMPAIGN_CREATOR, SEED_CAMPAIGN_APPROVER]) {
      expect(byNumber.get(number)?.roles).toContain("communicator");
    }
    expect(SEED_CAMPAIGN_APPROVER).not.toBe(SEED_CAMPAIGN_CREATOR);
  });
});

describe("seedCampaigns", () => {
  it("seeds the campaigns once, with their approvals, audit and the open request", async () => {
    const seeded = new Map<string, string>();
    for (const user of SEED_USERS.filter((u) => u.roles.includes("communicator"))) {
      const created = await buildUser(
        { employeeNumber: user.employeeNumber, displayName: user.displayName },
        ["communicator"],
      );
      seeded.set(user.employeeNumber, created.id);
    }
    const fatima = seeded.get(SEED_CAMPAIGN_CREATOR)!;
    const lotte = seeded.get(SEED_CAMPAIGN_APPROVER)!;

    expect(await run()).toEqual({ created: 3 });
    const campaigns = await prisma.campaign.findMany({ orderBy: { slug: "asc" }, include: { owners: true } });
    expect(campaigns.map((c) => [c.slug, c.status, c.approvedById])).toEqual([
      ["gent-plus-samen-verder", "running", lotte],
      ["goed-in-je-vel", "draft", null],
      ["trots-op-ons-werk", "running", lotte],
    ]);
    for (const campaign of campaigns) {
      expect(campaign.createdById).toBe(fatima);
      expect(campaign.owners.map((owner) => owner.userId)).toEqual([fatima]);
      // Brussels midnight, whatever the season.
      expect(toBrusselsWall(campaign.startsAt) % 86_400_000).toBe(0);
      expect(toBrusselsWall(campaign.endsAt) % 86_400_000).toBe(0);
      const running = campaign.status === "running";
      expect(campaign.startsAt <= NOW, campaign.slug).toBe(running);
      expect(campaign.endsAt > NOW).toBe(true);
    }
    const gentPlus = campaigns[0]!;
    expect(gentPlus).toMatchObject({
      colour: "#0b4f8a",
      hashtag: "gentplus",
      audience: { fieldWorkers: "any" },
    });
    expect(campaigns[2]!.audience).toMatchObject({ fieldWorkers: "only" });

    const audit = await prisma.campaignAuditEvent.findMany({
      where: { campaignId: gentPlus.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    expect(audit.map((event) => [event.action, event.actorId])).toEqual([
      ["campaign.created", fatima],
      ["campaign.submitted", fatima],
      ["campaign.approved", lotte],
      ["campaign.started", null],
    ]);

    // The draft waits for a second communicator, who was told.
    const lotteReader = {
      id: lotte,
      roles: ["communicator" as const],
      isFieldWorker: false,
      department: null,
    };
    expect(await getCampaign(lotteReader, "goed-in-je-vel")).toMatchObject({
      awaitingApproval: true,
      can: { approve: true },
    });
    const requests = await prisma.notification.findMany({ where: { type: "campaign.approval_requested" } });
    expect(requests.map((note) => note.userId).sort()).toEqual(
      [...seeded.values()].filter((id) => id !== fatima).sort(),
    );

    const before = {
      campaigns: await prisma.campaign.count(),
      audit: await prisma.campaignAuditEvent.count(),
      notifications: await prisma.notification.count(),
    };
    expect(await run()).toEqual({ created: 0 });
    expect({
      campaigns: await prisma.campaign.count(),
      audit: await prisma.campaignAuditEvent.count(),
      notifications: await prisma.notification.count(),
    }).toEqual(before);
  });
});
