/** The CSV export: Excel-for-Belgium format, one row per message and channel, quoting, aggregates only. */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import {
  buildCampaign,
  buildDepartment,
  buildMeasureMessage,
  buildMeasureRecipients,
  buildUser,
} from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { isCampaignError } from "./errors";
import { campaignCsv, campaignCsvFileName, CSV_COLUMNS, percentCell } from "./export.server";
import { campaignPeriodKey } from "./reach.server";

setupTestDatabase();

const NOW = new Date("2026-11-27T10:00:00Z");

async function setup() {
  const department = await buildDepartment();
  const people = await Promise.all(
    Array.from({ length: 6 }, () => buildUser({ departmentId: department.id })),
  );
  const communicator = await buildUser({}, ["communicator"]);
  const campaign = await buildCampaign({
    createdById: communicator.id,
    slug: `goed-in-je-vel-${department.id}`,
    audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
  });
  const message = await buildMeasureMessage(campaign.id, {
    // Accents, a semicolon, quotes and a formula-like start: everything the format must survive.
    title: '=Goed in je vel; "welzijn" geïnformeerd',
    channels: ["stream", "push"],
    requiresAck: true,
    // 09:15 in Brussels (winter time).
    sentAt: new Date("2026-11-23T08:15:00Z"),
    pulseQuestion: "Hoe voel je je?",
    pulseKind: "scale",
    pulseOptions: ["Slecht", "Goed"],
  });
  await buildMeasureRecipients(
    message.id,
    people.map((person, index) => ({
      userId: person.id,
      departmentId: department.id,
      reachedAt: index < 4 ? new Date("2026-11-23T09:00:00Z") : null,
      reachedVia: index < 3 ? ("push" as const) : index === 3 ? ("stream" as const) : null,
      acknowledgedAt: index < 1 ? new Date("2026-11-23T10:00:00Z") : null,
    })),
  );
  for (const [index, value] of [5, 4, 4, 3, 2].entries()) {
    await prisma.pulseAnswer.create({
      data: {
        messageId: message.id,
        respondentHash: `h-${message.id}-${index}`,
        value,
        departmentId: department.id,
      },
    });
  }
  const digest = await prisma.digest.create({
    data: {
      userId: people[0]!.id,
      periodKey: campaignPeriodKey(message.id),
      items: [],
      itemCount: 1,
      coversUntil: NOW,
      tokenExpiresAt: NOW,
    },
  });
  await prisma.digestDelivery.create({
    data: {
      digestId: digest.id,
      userId: people[0]!.id,
      channel: "push",
      idempotencyKey: `${digest.id}:push`,
      status: "opened",
      sentAt: NOW,
      openedAt: NOW,
    },
  });
  return {
    campaign,
    people,
    manager: { id: communicator.id, roles: ["employee", "communicator"] as const },
  };
}

describe("campaignCsv", () => {
  it("writes one row per message and channel for Excel in Belgium", async () => {
    const { campaign, manager } = await setup();
    const csv = await campaignCsv(manager, campaign.id, { now: NOW });

    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain("\r\n");
    const header = csv.slice(1).split("\r\n")[0]!;
    expect(header.split(";")).toEqual([...CSV_COLUMNS]);
    // Quoted because of the semicolon and quotes, doubled quotes inside, and defused as a formula.
    expect(csv).toContain(`"'=Goed in je vel; ""welzijn"" geïnformeerd"`);

    const rows = parse(csv, { bom: true, delimiter: ";", columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    const [stream, push] = rows as [Record<string, string>, Record<string, string>];
    expect(stream).toMatchObject({
      Bericht: `'=Goed in je vel; "welzijn" geïnformeerd`,
      Soort: "bericht",
      Status: "Verstuurd",
      "Verstuurd op": "2026-11-23 09:15",
      Kanaal: "Berichtenstroom",
      Ontvangers: "6",
      Bereikt: "4",
      "Bereikt (%)": "66,7",
      "Bereikt via dit kanaal": "1",
      "Nog niet bereikt": "2",
      Bevestigd: "1",
      "Bevestigd (%)": "16,7",
      "In wachtrij": "",
      Verzonden: "",
      "Antwoorden peiling": "5",
      "Gemiddelde peiling (1-5)": "3,6",
    });
    expect(push).toMatchObject({
      Kanaal: "Pushmelding",
      "Bereikt via dit kanaal": "3",
      "In wachtrij": "0",
      Verzonden: "1",
      Afgeleverd: "0",
      Mislukt: "0",
      Geopend: "1",
      Aangeklikt: "0",
      "Geopend (%)": "100,0",
      "Aangeklikt (%)": "0,0",
    });
  });

  it("holds aggregates only and is for managers only", async () => {
    const { campaign, people, manager } = await setup();
    const csv = await campaignCsv(manager, campaign.id, { now: NOW });
    for (const person of people) {
      expect(csv).not.toContain(person.id);
      expect(csv).not.toContain(person.displayName);
    }
    for (const actor of [{ id: people[0]!.id, roles: ["employee"] as const }]) {
      const error = await campaignCsv(actor, campaign.id).catch((caught: unknown) => caught);
      expect(isCampaignError(error, "forbidden")).toBe(true);
    }
    const missing = await campaignCsv(manager, "missing").catch((caught: unknown) => caught);
    expect(isCampaignError(missing, "not_found")).toBe(true);
  });

  it("formats percentages and names the file", () => {
    expect(percentCell(0.84615)).toBe("84,6");
    expect(percentCell(1)).toBe("100,0");
    expect(percentCell(null)).toBe("");
    expect(campaignCsvFileName("gent-plus", NOW)).toBe("campagne-gent-plus-2026-11-27.csv");
    expect(campaignCsvFileName("../etc/passwd", NOW)).toBe("campagne----etc-passwd-2026-11-27.csv");
  });
});
