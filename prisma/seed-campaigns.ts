/**
 * Demo campaigns (issue 6), in the spirit of the policy note's internal branding (2.5.2) and city-wide
 * internal campaigns (2.5.7-2.5.8): a reorganisation that runs for everyone, a pride campaign for the field
 * workers, and a well-being campaign waiting for a second communicator's approval. Created by Fatima El Amrani,
 * approved by Lotte Van de Velde (both communicators); the texts are fictional.
 *
 * Idempotent: a campaign whose slug exists is left alone (so a demo user's changes survive a re-seed). Dates
 * are relative to `now`, on Brussels day boundaries. Messages and ambassador stories are seeded elsewhere.
 */
import { type Prisma } from "../app/generated/prisma/client";
import { type CampaignAudience, EVERYONE } from "../app/modules/campaigns/audience";
import { CAMPAIGN_ACTIONS, recordCampaignAudit } from "../app/modules/campaigns/audit.server";
import { fromBrusselsWall, toBrusselsWall } from "../app/modules/campaigns/campaigns.server";
import { campaignPath } from "../app/modules/campaigns/identity";
import { notify } from "../app/modules/notifications/notify.server";

type Db = Prisma.TransactionClient;

/** Fatima El Amrani, communicator: creates the demo campaigns. */
export const SEED_CAMPAIGN_CREATOR = "GE-106512";
/** Lotte Van de Velde, communicator (webredacteur): the second pair of eyes. */
export const SEED_CAMPAIGN_APPROVER = "GE-102459";

export type SeedCampaign = {
  slug: string;
  name: string;
  goal: string;
  keyMessages: string[];
  audience: CampaignAudience;
  colour: string;
  hashtag: string | null;
  /** Brussels days from today: the start at 00:00, the end at 00:00 (exclusive). */
  startDay: number;
  endDay: number;
  status: "running" | "draft";
  /** A draft submitted for approval (the other communicators were told). */
  submitted?: boolean;
  faq: { question: string; answer: string }[];
};

export const SEED_CAMPAIGNS: readonly SeedCampaign[] = [
  {
    slug: "gent-plus-samen-verder",
    name: "Gent Plus, samen verder",
    goal:
      "Stad en OCMW Gent worden één organisatie met één structuur. We willen dat elke collega weet wat er " +
      "verandert, wat hetzelfde blijft en waar je met vragen terechtkunt, nog voor de nieuwe structuur ingaat.",
    keyMessages: [
      "Je job, je loon en je anciënniteit blijven behouden.",
      "Je leidinggevende vertelt je persoonlijk wat er voor jouw team verandert.",
      "Met vragen kun je altijd terecht bij je HR-businesspartner of via de FAQ op deze pagina.",
      "We veranderen stap voor stap, en we doen het samen.",
    ],
    audience: EVERYONE,
    colour: "#0b4f8a",
    hashtag: "gentplus",
    startDay: -21,
    endDay: 70,
    status: "running",
    faq: [
      {
        question: "Verandert mijn contract door de nieuwe structuur?",
        answer:
          "Nee. Je contract, je loon en je anciënniteit blijven zoals ze zijn. Verandert je dienst van naam of " +
          "departement, dan krijg je daarover een brief van HR.",
      },
      {
        question: "Krijg ik een nieuwe leidinggevende?",
        answer:
          "Voor de meeste collega's blijft de leidinggevende dezelfde. Wie een nieuwe leidinggevende krijgt, " +
          "hoort dat in een persoonlijk gesprek, nooit eerst via een bericht.",
      },
      {
        question: "Moet ik van werkplek veranderen?",
        answer:
          "Alleen als je team verhuist, en dan pas na overleg met je team. De planning staat op deze pagina " +
          "zodra ze vastligt.",
      },
      {
        question: "Bij wie kan ik terecht met vragen of bezorgdheden?",
        answer:
          "Bij je leidinggevende, je HR-businesspartner of de vertrouwenspersoon. Je kunt je vraag ook anoniem " +
          "stellen via de pulsvragen van deze campagne.",
      },
    ],
  },
  {
    slug: "trots-op-ons-werk",
    name: "Trots op ons werk",
    goal:
      "Het werk van de collega's op het terrein zichtbaar maken: de parken, de wegen, de netheid en de gebouwen " +
      "van Gent. Collega's vertellen zelf hun verhaal, met een foto of een korte video, als ambassadeur van hun vak.",
    keyMessages: [
      "Zonder jullie draait de stad niet.",
      "Vertel je eigen verhaal: wat maakt jou trots op je werk?",
      "Elke week zetten we een ploeg in de kijker.",
    ],
    audience: { departmentIds: [], roles: [], fieldWorkers: "only" },
    colour: "#8a1c4a",
    hashtag: "trotsopgent",
    startDay: -7,
    endDay: 49,
    status: "running",
    faq: [
      {
        question: "Hoe deel ik mijn verhaal?",
        answer:
          "Op de campagnepagina kies je 'Deel je verhaal'. Schrijf een paar zinnen en voeg eventueel een foto " +
          "toe. De communicatiedienst leest mee voor het verhaal verschijnt.",
      },
      {
        question: "Mag ik collega's fotograferen?",
        answer: "Ja, als zij ermee akkoord zijn. Vraag het altijd even voor je de foto deelt.",
      },
      {
        question: "Kan ik meedoen zonder computer?",
        answer:
          "Zeker. Je kunt je verhaal delen vanaf je eigen smartphone of aan de terminal in je werkplaats.",
      },
    ],
  },
  {
    slug: "goed-in-je-vel",
    name: "Goed in je vel",
    goal:
      "Collega's laten weten welke hulp er is voor hun welzijn op het werk, van de vertrouwenspersoon tot " +
      "sport en ontspanning, en de drempel verlagen om er gebruik van te maken.",
    keyMessages: [
      "Je hoeft het niet alleen te doen: er is altijd iemand om mee te praten.",
      "Een korte pauze in beweging doet wonderen.",
      "Alles wat je vertelt aan de vertrouwenspersoon blijft vertrouwelijk.",
    ],
    audience: EVERYONE,
    colour: "#1f6b3a",
    hashtag: "goedinjevel",
    startDay: 14,
    endDay: 74,
    status: "draft",
    submitted: true,
    faq: [
      {
        question: "Wie is de vertrouwenspersoon van mijn dienst?",
        answer:
          "Je vindt de vertrouwenspersonen bij de mensen in Werkplek; je leidinggevende hoeft het niet te weten.",
      },
      {
        question: "Telt een sportmoment als werktijd?",
        answer:
          "De sportmomenten van de campagne vallen buiten de werktijd, behalve de beweegpauzes van tien minuten.",
      },
      {
        question: "Kost het iets?",
        answer: "Nee, alle activiteiten van de campagne zijn gratis voor collega's van Stad en OCMW Gent.",
      },
    ],
  },
];

const DAY = 24 * 60 * 60 * 1000;

/** 00:00 Brussels time, `days` after the Brussels day of `now`. */
function brusselsMidnight(now: Date, days: number): Date {
  const today = Math.floor(toBrusselsWall(now) / DAY) * DAY;
  return fromBrusselsWall(today + days * DAY).instant;
}

/** Seeds the demo campaigns that do not exist yet; returns how many were created. */
export async function seedCampaigns(tx: Db, now: Date = new Date()): Promise<{ created: number }> {
  const people = await tx.user.findMany({
    where: { employeeNumber: { in: [SEED_CAMPAIGN_CREATOR, SEED_CAMPAIGN_APPROVER] } },
    select: { id: true, employeeNumber: true, displayName: true },
  });
  const creator = people.find((person) => person.employeeNumber === SEED_CAMPAIGN_CREATOR);
  const approver = people.find((person) => person.employeeNumber === SEED_CAMPAIGN_APPROVER);
  if (!creator || !approver) {
    throw new Error("seedCampaigns: the demo communicators are missing; seed the users first");
  }
  let created = 0;
  for (const spec of SEED_CAMPAIGNS) {
    const exists = await tx.campaign.findUnique({ where: { slug: spec.slug }, select: { id: true } });
    if (exists) continue;
    const startsAt = brusselsMidnight(now, spec.startDay);
    const running = spec.status === "running";
    const campaign = await tx.campaign.create({
      data: {
        slug: spec.slug,
        name: spec.name,
        goal: spec.goal,
        keyMessages: spec.keyMessages,
        audience: spec.audience,
        startsAt,
        endsAt: brusselsMidnight(now, spec.endDay),
        colour: spec.colour,
        hashtag: spec.hashtag,
        status: spec.status,
        createdById: creator.id,
        approvedById: running ? approver.id : null,
        approvedAt: running ? new Date(startsAt.getTime() - 2 * DAY) : null,
        faq: spec.faq,
        owners: { create: [{ userId: creator.id }] },
      },
      select: { id: true },
    });
    const audit = (action: string, actorId: string | null, details?: Prisma.InputJsonObject) =>
      recordCampaignAudit(tx, { campaignId: campaign.id, actorId, action, details });
    await audit(CAMPAIGN_ACTIONS.created, creator.id, { name: spec.name, slug: spec.slug, seeded: true });
    if (running || spec.submitted) await audit(CAMPAIGN_ACTIONS.submitted, creator.id);
    if (running) {
      await audit(CAMPAIGN_ACTIONS.approved, approver.id);
      await audit(CAMPAIGN_ACTIONS.started, null, { reason: "scheduled" });
    } else if (spec.submitted) {
      const communicators = await tx.user.findMany({
        where: { active: true, id: { not: creator.id }, roles: { some: { role: "communicator" } } },
        select: { id: true },
      });
      await notify(
        communicators.map((communicator) => ({
          userId: communicator.id,
          type: "campaign.approval_requested",
          data: { actorName: creator.displayName, campaignName: spec.name },
          url: campaignPath(spec.slug),
          dedupeKey: `campaign.approval_requested:seed:${spec.slug}:${communicator.id}`,
        })),
        tx,
      );
    }
    created += 1;
  }
  return { created };
}
