/**
 * The dashboard as CSV for Excel in Belgium: one row per message and channel with the dashboard's aggregates
 * (never a person; the acknowledgement list is not exported here).
 *
 * Format, as the circulars' export (app/modules/circulars/acknowledgements.server.ts): UTF-8 with a byte order
 * mark (Excel otherwise reads "geïnformeerd" as mojibake), semicolons (the list separator of Dutch-language
 * Windows, so Excel opens it in columns on a double click), CRLF line ends, Dutch headers, percentages with a
 * decimal comma ("84,6") so Excel in nl-BE reads them as numbers, times as "YYYY-MM-DD HH:mm" in Brussels time.
 * Message-level values (recipients, reach, acknowledgements, pulse, engagement) repeat on every channel row of
 * their message: filter on one channel before adding them up. Text cells that a spreadsheet would run as a
 * formula get a leading apostrophe (CSV injection).
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { stringify } from "csv-stringify/sync";
import { type CampaignChannel, type CampaignMessageStatus } from "~/generated/prisma/client";
import { type CampaignActor } from "./policy.server";
import { campaignDashboard, type DeliveryMeasures, type Rate } from "./dashboard.server";

const TIME_ZONE = "Europe/Brussels";

export const CSV_COLUMNS = [
  "Bericht",
  "Soort",
  "Status",
  "Verstuurd op",
  "Kanaal",
  "Ontvangers",
  "Bereikt",
  "Bereikt (%)",
  "Bereikt via dit kanaal",
  "Nog niet bereikt",
  "Bevestigd",
  "Bevestigd (%)",
  "In wachtrij",
  "Verzonden",
  "Afgeleverd",
  "Mislukt",
  "Geopend",
  "Aangeklikt",
  "Geopend (%)",
  "Aangeklikt (%)",
  "Antwoorden peiling",
  "Gemiddelde peiling (1-5)",
  "Waarderingen",
  "Reacties",
] as const;

const CHANNEL_LABELS: Record<CampaignChannel, string> = {
  stream: "Berichtenstroom",
  push: "Pushmelding",
  sms: "Sms",
  email: "E-mail",
  digest: "Samenvatting",
  kiosk: "Kiosk",
};

const STATUS_LABELS: Record<CampaignMessageStatus, string> = {
  planned: "Gepland",
  sending: "Wordt verstuurd",
  sent: "Verstuurd",
  cancelled: "Geannuleerd",
};

/** Spreadsheet programs run cells starting with these as formulas (CSV injection): make them plain text. */
function plainCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A rate as a percentage with one decimal and a decimal comma ("84,6"); empty without a denominator. */
export function percentCell(value: Rate): string {
  return value === null ? "" : (Math.round(value * 1000) / 10).toFixed(1).replace(".", ",");
}

function numberCell(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value).replace(".", ",");
}

function brusselsDateTime(at: Date | null): string {
  return at ? format(new TZDate(at.getTime(), TIME_ZONE), "yyyy-MM-dd HH:mm") : "";
}

function deliveryCells(delivery: DeliveryMeasures | undefined): string[] {
  if (!delivery) return ["", "", "", "", "", "", "", ""];
  return [
    numberCell(delivery.queued),
    numberCell(delivery.sent),
    numberCell(delivery.delivered),
    numberCell(delivery.failed),
    numberCell(delivery.opened),
    numberCell(delivery.clicked),
    percentCell(delivery.openRate),
    percentCell(delivery.clickRate),
  ];
}

/**
 * The campaign's measurements as CSV (see the module comment), for campaign managers; throws CampaignError
 * forbidden or not_found like the dashboard.
 */
export async function campaignCsv(
  actor: CampaignActor,
  campaignId: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<string> {
  const dashboard = await campaignDashboard(actor, campaignId, { now });
  const rows = dashboard.messages.flatMap((message) =>
    message.channels.map((channel) => {
      const pulse = message.pulse;
      return [
        plainCell(message.title),
        message.reminderOfId ? "herinnering" : "bericht",
        STATUS_LABELS[message.status],
        brusselsDateTime(message.sentAt),
        CHANNEL_LABELS[channel],
        numberCell(message.recipients),
        numberCell(message.reached),
        percentCell(message.reachedRate),
        numberCell(message.reachedVia.find((entry) => entry.channel === channel)?.reached ?? 0),
        numberCell(message.notReached),
        numberCell(message.acknowledged),
        percentCell(message.acknowledgedRate),
        ...deliveryCells(message.deliveries.find((delivery) => delivery.channel === channel)),
        pulse ? numberCell(pulse.answerCount) : "",
        // The mean only where the dashboard shows it: a scale with at least MIN_GROUP answers.
        numberCell(pulse?.overall?.mean),
        numberCell(message.engagement?.reactions),
        numberCell(message.engagement?.comments),
      ];
    }),
  );
  return stringify(rows, {
    bom: true,
    delimiter: ";",
    record_delimiter: "windows",
    header: true,
    columns: [...CSV_COLUMNS],
  });
}

/** File name of the export, e.g. "campagne-gent-plus-2026-11-23.csv". */
export function campaignCsvFileName(slug: string, now: Date = new Date()): string {
  const safe = slug.replace(/[^a-z0-9-]/gi, "-").slice(0, 80);
  return `campagne-${safe}-${format(new TZDate(now.getTime(), TIME_ZONE), "yyyy-MM-dd")}.csv`;
}
