// Demo content of the activity stream: about sixty posts of the last three weeks by colleagues all over the
// organisation, in the seeded groups and projects and on profiles, three announcements by the communicator
// demo account (one pinned for a week), comments and replies, a few hundred reactions, follows that give
// every demo account a full home stream, one open report for the moderation queue and a handful of unread
// notifications for the demo accounts.
//
// Rows are written with Prisma directly, in batches (the posts module would notify, rate limit and publish
// live events for each one), but with the data the module derives: bodies go through the same parsing and
// annotation as a typed post (content.ts), so Post.text, the mention and hashtag nodes, PostMention and
// PostTopic rows (with the post's createdAt) and the audience keys (policy.server.ts) are what createPost
// would have stored. Counters are set from the rows inserted with them.
//
// Idempotent: every post, comment and report has a stable id. Only posts that this run created get their
// mentions, topics, comments, reactions and notifications, so a second run adds nothing; a post someone
// deleted stays deleted. Dates are relative to the first run ("3 days ago"), so the demo looks alive.
//
// Pending join request for a closed place of a demo account: seed-stream.ts already has one (Jonas Claeys
// decides on Marie Kabongo's request to join "Wijkteam Brugse Poort").
import { createHash } from "node:crypto";
import { type Prisma, type ReactionType } from "../app/generated/prisma/client";
import { isRole, type Role } from "../app/modules/identity/permissions";
import { type KnownNotificationInput } from "../app/modules/notifications/notify.server";
import { NOTIFICATION_DATA_SCHEMAS } from "../app/modules/notifications/types";
import {
  analyseBody,
  COMMENT_LIMITS,
  handlesInDocument,
  parseBody,
  POST_LIMITS,
  postPath,
  commentPath,
  type AnalysedBody,
  type BodyLimits,
} from "../app/modules/stream/content";
import { canSeePost, postAudienceFor, userKey, type StreamReader } from "../app/modules/stream/policy.server";
import { DEMO_ACCOUNTS, SEED_USERS } from "./seed-data";
import { SEED_PLACES } from "./seed-stream";

export interface PostSeedCounts {
  posts: number;
  comments: number;
  reactions: number;
  follows: number;
  reports: number;
  notifications: number;
}

export interface SeedComment {
  /** Stable id. */
  id: string;
  /** Employee number. */
  author: string;
  /** Minutes after the post (or, for a reply, after the comment it answers). */
  after: number;
  text: string;
  replies?: readonly SeedComment[];
}

export interface SeedPost {
  /** Stable id: lower-case letters and digits, like the generated ids. */
  id: string;
  /** Employee number. */
  author: string;
  /** Slug of a seeded place; absent for a post on the author's profile or an announcement. */
  place?: string;
  /** Announcements: the audience (AudienceSchema keys) and, optionally, the days it stays pinned. */
  announcement?: { audience: readonly string[]; pinnedDays?: number };
  /** When, relative to the first seed run: days ago and the hour of the day (Brussels). */
  daysAgo: number;
  hour: number;
  /** Typed text as the no-JavaScript form sends it: blank lines between paragraphs, #tags, @handles. */
  text: string;
  /** A share of another seeded post (into `place`). */
  shares?: string;
  /** How many colleagues reacted. */
  reactions?: number;
  comments?: readonly SeedComment[];
}

const COMMUNICATOR = "GE-106512"; // Fatima El Amrani

/** The demo posts. Texts are invented; places and people are those of seed-stream.ts and seed-data.ts. */
export const SEED_POSTS: readonly SeedPost[] = [
  // ------------------------------------------------------------------ announcements (communicator)
  {
    id: "seedpost0a01",
    author: COMMUNICATOR,
    announcement: { audience: ["all"], pinnedDays: 7 },
    daysAgo: 1,
    hour: 8,
    text: "Werkplek is er voor iedereen! Vanaf vandaag vind je hier het nieuws van de stad, de circulaires en je collega's, ook op je gsm.\n\nVolg de collega's en groepen die jou interesseren, dan verschijnt hun nieuws in je stroom. Wat beter kan, horen we graag in het project Werkplek: het nieuwe intranet. #Werkplek",
    reactions: 31,
    comments: [
      {
        id: "seedcomm0a01",
        author: "GE-113158",
        after: 45,
        text: "Net geprobeerd op de werf: werkt prima op mijn gsm. Nu de rest van de ploeg nog overtuigen.",
        replies: [
          {
            id: "seedcomm0a02",
            author: COMMUNICATOR,
            after: 20,
            text: "@jan.bauwens top! Voor de ploegen komt er volgende week een korte demo in de refter.",
          },
        ],
      },
      {
        id: "seedcomm0a03",
        author: "GE-100315",
        after: 130,
        text: "Kan ik hier ook zien wanneer het loket van Zwijnaarde gesloten is? Dat vragen burgers ons vaak.",
      },
    ],
  },
  {
    id: "seedpost0a02",
    author: COMMUNICATOR,
    announcement: { audience: ["field-workers"] },
    daysAgo: 9,
    hour: 6,
    text: "Voor alle collega's op de baan: de winterkledij bestel je tot 15 november via je ploegbaas. Nieuw dit jaar is een fluojas met afneembare mouwen, op vraag van de wegenploegen. #Veiligheid",
    reactions: 12,
    comments: [
      {
        id: "seedcomm0a04",
        author: "GE-117343",
        after: 90,
        text: "Eindelijk, die oude jassen waren in de zomer veel te warm. Ik verzamel de maten van mijn ploeg tegen vrijdag.",
      },
    ],
  },
  {
    id: "seedpost0a03",
    author: COMMUNICATOR,
    announcement: { audience: ["all"] },
    daysAgo: 16,
    hour: 12,
    text: "De personeelsbevraging 'Hoe werk jij?' loopt nog tot vrijdag. Invullen duurt tien minuten en kan ook op papier in je refter. Elke stem telt, ook die van wie zelden achter een computer zit. #Onthaal",
    reactions: 19,
    comments: [
      {
        id: "seedcomm0a05",
        author: "GE-109085",
        after: 60,
        text: "De papieren versies liggen klaar in alle refters van de schoonmaakploegen, met een gesloten bus ernaast.",
      },
    ],
  },

  // ------------------------------------------------------------------ Werkplek: het nieuwe intranet (open project)
  {
    id: "seedpost0001",
    author: "GE-104233",
    place: "werkplek-het-nieuwe-intranet",
    daysAgo: 20,
    hour: 9,
    text: "Welkom in de projectruimte van Werkplek! Hier delen we wat er verandert, wat we testen en wat we van jullie horen. Geen vraag is te klein. #Werkplek #Digitalisering",
    reactions: 14,
    comments: [
      {
        id: "seedcomm0001",
        author: "GE-107784",
        after: 35,
        text: "Fijn dat dit er is. Ik verzamel de opmerkingen van de testgebruikers voortaan ook hier.",
      },
      {
        id: "seedcomm0002",
        author: "GE-102871",
        after: 80,
        text: "Komen de circulaires hier ook in beeld? Dan hoor ik graag wanneer.",
        replies: [
          {
            id: "seedcomm0003",
            author: "GE-104233",
            after: 25,
            text: "@pieter.desmet ja, KUS zit er vanaf dag één in. We tonen het in de demo van volgende week.",
          },
        ],
      },
    ],
  },
  {
    id: "seedpost0002",
    author: "GE-107784",
    place: "werkplek-het-nieuwe-intranet",
    daysAgo: 17,
    hour: 14,
    text: "Resultaten van de eerste testronde met twaalf collega's van de loketten en de groendienst:\n\nEen collega opzoeken lukt iedereen binnen de minuut. De meldingen bovenaan worden snel gevonden. Op de gsm is het menu nog te druk.\n\nWe passen het menu aan vóór de volgende ronde. Dank aan @hilde.martens en @jan.bauwens om mee te testen! #Werkplek",
    reactions: 11,
    comments: [
      {
        id: "seedcomm0004",
        author: "GE-113158",
        after: 50,
        text: "Op de werf is het scherm in de zon moeilijk leesbaar. Grotere knoppen en meer contrast zouden helpen.",
        replies: [
          {
            id: "seedcomm0005",
            author: "GE-107784",
            after: 15,
            text: "@jan.bauwens goed punt, we testen de volgende versie buiten, in volle zon.",
          },
        ],
      },
    ],
  },
  {
    id: "seedpost0003",
    author: "GE-103390",
    place: "werkplek-het-nieuwe-intranet",
    daysAgo: 12,
    hour: 10,
    text: "Small technical update: Werkplek runs on the new servers since yesterday. If pages feel slower than before, tell us here with the time and the page. Dutch or English, both fine. #Digitalisering",
    reactions: 6,
  },
  {
    id: "seedpost0004",
    author: COMMUNICATOR,
    place: "werkplek-het-nieuwe-intranet",
    daysAgo: 6,
    hour: 11,
    text: "Voor de lancering maken we een korte video voor de collega's zonder computer. Wie wil vertellen hoe hij of zij vandaag een werkrooster of loonbrief opzoekt? Reageer hier of stuur @lotte.vandevelde een berichtje. #Werkplek #Onthaal",
    reactions: 8,
    comments: [
      {
        id: "seedcomm0006",
        author: "GE-102459",
        after: 40,
        text: "De opnames plannen we in de week van de twintigste, telkens een halfuurtje per persoon.",
      },
    ],
  },
  {
    id: "seedpost0005",
    author: "GE-105126",
    place: "werkplek-het-nieuwe-intranet",
    daysAgo: 3,
    hour: 16,
    text: "Vanaf maandag open je Werkplek ook met de QR-code op de affiches in de refters en de stelplaatsen. Je meldt je aan met je gsm, een pc-wachtwoord heb je niet nodig. #Digitalisering #Veiligheid",
    reactions: 9,
  },
  {
    id: "seedpost0006",
    author: "GE-102871",
    place: "werkplek-het-nieuwe-intranet",
    daysAgo: 1,
    hour: 9,
    text: "De zoekfunctie van KUS vindt nu ook circulaires als je een tikfout maakt. Probeer maar eens 'thuiswerk' met één t. #KUS",
    reactions: 10,
    comments: [
      {
        id: "seedcomm0007",
        author: "GE-100782",
        after: 30,
        text: "Handig! Ik zocht net naar 'dienstvrijstelling' met een tikfout en vond meteen de juiste circulaire.",
      },
    ],
  },

  // ------------------------------------------------------------------ Fietsen naar het werk (open group)
  {
    id: "seedpost0007",
    author: "GE-108009",
    place: "fietsen-naar-het-werk",
    daysAgo: 19,
    hour: 8,
    text: "Goed nieuws voor wie met de fiets naar het Administratief Centrum komt: de overdekte stalling aan de achterkant heeft er veertig plaatsen bij, met laadpunten voor elektrische fietsen. #Fietsen #Mobiliteit",
    reactions: 13,
    comments: [
      {
        id: "seedcomm0008",
        author: "GE-104195",
        after: 20,
        text: "Eindelijk! Vorige week stond mijn fiets nog aan een paaltje.",
      },
      {
        id: "seedcomm0009",
        author: "GE-109347",
        after: 65,
        text: "Komen er ook kluisjes voor helmen en regenkledij?",
        replies: [
          {
            id: "seedcomm0010",
            author: "GE-108009",
            after: 30,
            text: "@jonas.claeys de kluisjes komen in het voorjaar, de offerte loopt.",
          },
        ],
      },
    ],
  },
  {
    id: "seedpost0008",
    author: "GE-112005",
    place: "fietsen-naar-het-werk",
    daysAgo: 15,
    hour: 7,
    text: "Wie rijdt 's ochtends vanuit Gentbrugge? Ik zoek fietsmaatjes voor de route langs de Schelde, vertrek rond half acht. #Fietsen",
    reactions: 5,
    comments: [
      {
        id: "seedcomm0011",
        author: "GE-106348",
        after: 55,
        text: "Ik kom uit Ledeberg. Ik sluit graag aan aan de Brusselsepoortstraat.",
      },
    ],
  },
  {
    id: "seedpost0009",
    author: "GE-108760",
    place: "fietsen-naar-het-werk",
    daysAgo: 10,
    hour: 12,
    text: "Herinnering: de fietsvergoeding wordt per maand berekend op basis van je registratie. Geef je kilometers van vorige maand in vóór de vijfde. #Fietsen",
    reactions: 7,
  },
  {
    id: "seedpost0010",
    author: "GE-103024",
    place: "fietsen-naar-het-werk",
    daysAgo: 5,
    hour: 17,
    text: "Vandaag achttien kilometer in de gietende regen. Mijn tip: een tweede paar sokken in je bureaulade. 🚲 #Fietsen",
    reactions: 12,
  },
  {
    id: "seedpost0011",
    author: "GE-111058",
    place: "fietsen-naar-het-werk",
    daysAgo: 2,
    hour: 6,
    text: "Het fietsatelier komt volgende week naar de stelplaats Gent-Zuid voor een gratis nazicht. Inschrijven bij je ploegbaas.",
    reactions: 7,
  },
  {
    id: "seedpost0012",
    author: "GE-108009",
    place: "fietsen-naar-het-werk",
    shares: "seedpost0034",
    daysAgo: 18,
    hour: 16,
    text: "Combineer het met de fiets naar de Blaarmeersen, dan heb je meteen je opwarming. #Fietsen",
    reactions: 4,
  },

  // ------------------------------------------------------------------ Gentse Feesten vrijwilligers (open group)
  {
    id: "seedpost0013",
    author: "GE-100948",
    place: "gentse-feesten-vrijwilligers",
    daysAgo: 18,
    hour: 10,
    text: "De eerste evaluatie van de Feesten is klaar. Onze infostands beantwoordden meer dan drieduizend vragen, vooral over toiletten, eerste hulp en de nachttrams. Dank aan alle vrijwilligers! #GentseFeesten",
    reactions: 17,
    comments: [
      {
        id: "seedcomm0012",
        author: "GE-112698",
        after: 40,
        text: "Het kinderpunt aan het Baudelopark zat elke dag vol. Volgend jaar moet dat groter.",
      },
      {
        id: "seedcomm0013",
        author: "GE-111723",
        after: 95,
        text: "Veel vragen kwamen in het Engels en het Frans. Misschien een badge met de talen die je spreekt?",
        replies: [
          {
            id: "seedcomm0014",
            author: "GE-100948",
            after: 35,
            text: "@samira.bouzian sterk idee, dat nemen we mee in het draaiboek.",
          },
        ],
      },
    ],
  },
  {
    id: "seedpost0014",
    author: "GE-104870",
    place: "gentse-feesten-vrijwilligers",
    daysAgo: 11,
    hour: 13,
    text: "Voor volgend jaar zoeken we nu al trekkers voor de toegankelijkheidsploeg: rolstoelplatformen, rustplekken en begeleiding van bezoekers met een beperking. Interesse? Laat een reactie achter. #GentseFeesten #Toegankelijkheid",
    reactions: 9,
    comments: [
      {
        id: "seedcomm0015",
        author: "GE-100315",
        after: 70,
        text: "Ik doe opnieuw mee. Dit jaar was een van mijn mooiste werkweken.",
      },
    ],
  },
  {
    id: "seedpost0015",
    author: "GE-112698",
    place: "gentse-feesten-vrijwilligers",
    daysAgo: 4,
    hour: 15,
    text: "De cijfers van de afvalploegen zijn binnen: veertien ton gesorteerd afval op tien dagen. Chapeau voor de collega's van de netheid! #GentseFeesten #Klimaat",
    reactions: 12,
  },
  {
    id: "seedpost0016",
    author: "GE-113158",
    place: "gentse-feesten-vrijwilligers",
    daysAgo: 8,
    hour: 7,
    text: "Onze groenploeg herstelt ook dit jaar de grasperken na de Feesten. Het Sint-Baafsplein is klaar, de Kouter volgt volgende week. #Groen #GentseFeesten",
    reactions: 8,
  },

  // ------------------------------------------------------------------ Klimaatplan 2030 (closed project)
  {
    id: "seedpost0017",
    author: "GE-103024",
    place: "klimaatplan-2030-kantoren-zonder-gas",
    daysAgo: 16,
    hour: 10,
    text: "De warmtepomp in de annex van het stadhuis draait nu drie weken. Het verbruik ligt veertig procent lager dan met de oude gasketel. De cijfers per week staan in de gedeelde map. #Klimaat",
    reactions: 4,
    comments: [
      {
        id: "seedcomm0016",
        author: "GE-106348",
        after: 45,
        text: "In de winter wordt het pas echt spannend. Ik stel voor dat we in januari opnieuw meten.",
      },
      {
        id: "seedcomm0017",
        author: "GE-112340",
        after: 120,
        text: "I'll add these figures to the report for our European partners, thanks!",
      },
    ],
  },
  {
    id: "seedpost0018",
    author: "GE-112340",
    place: "klimaatplan-2030-kantoren-zonder-gas",
    daysAgo: 10,
    hour: 14,
    text: "Reminder: the site visit with our partners from Bologna is next Thursday. @nele.coppens will show the new roof insulation of the library. #Klimaat",
    reactions: 3,
  },
  {
    id: "seedpost0019",
    author: "GE-102064",
    place: "klimaatplan-2030-kantoren-zonder-gas",
    daysAgo: 7,
    hour: 9,
    text: "Bij de werken op de zolder van het gebouw aan de Zuid is asbest gevonden in de oude leidingisolatie. De werf ligt stil tot het attest er is. Niemand gaat de zolder op zonder mij te verwittigen. #Veiligheid",
    reactions: 4,
  },
  {
    id: "seedpost0020",
    author: "GE-107455",
    place: "klimaatplan-2030-kantoren-zonder-gas",
    daysAgo: 2,
    hour: 11,
    text: "De planning van de volgende gebouwen staat klaar: eerst de bib in Ledeberg, daarna het dienstencentrum in de Brugse Poort. Opmerkingen graag vóór vrijdag.",
    reactions: 2,
  },

  // ------------------------------------------------------------------ Wijkteam Brugse Poort (closed group)
  {
    id: "seedpost0021",
    author: "GE-107236",
    place: "wijkteam-brugse-poort",
    daysAgo: 14,
    hour: 9,
    text: "Het wijkcafé aan de Ottogracht zit elke dinsdag vol. Bewoners vragen vooral naar de renovatiepremies en de energiefactuur. @jonas.claeys kan jij eens een halve dag meekomen? #BrugsePoort #Wijkcafé",
    reactions: 3,
    comments: [
      {
        id: "seedcomm0018",
        author: "GE-109347",
        after: 30,
        text: "Graag! Ik kom dinsdag met de folders over de huursubsidie.",
      },
      {
        id: "seedcomm0019",
        author: "GE-105003",
        after: 75,
        text: "Ik vraag de collega van het energiepunt om mee te komen, dan beantwoorden we de vragen meteen samen.",
      },
    ],
  },
  {
    id: "seedpost0022",
    author: "GE-110154",
    place: "wijkteam-brugse-poort",
    daysAgo: 9,
    hour: 15,
    text: "Signaal uit de buurt: de speeltuin aan de Phoenixstraat heeft een kapotte schommel. Gemeld bij het meldpunt, het nummer staat in ons teamdossier. #BrugsePoort #Veiligheid",
    reactions: 3,
  },
  {
    id: "seedpost0023",
    author: "GE-105003",
    place: "wijkteam-brugse-poort",
    daysAgo: 5,
    hour: 10,
    text: "Zaterdag ruimen we de buurt op met de school aan de Bevrijdingslaan. Handschoenen en grijpers liggen klaar in het buurthuis. Wie helpt tussen tien en twaalf? #BrugsePoort",
    reactions: 2,
    comments: [
      {
        id: "seedcomm0020",
        author: "GE-110154",
        after: 25,
        text: "Ik ben er, met mijn twee kinderen.",
      },
    ],
  },
  {
    id: "seedpost0024",
    author: "GE-109347",
    place: "wijkteam-brugse-poort",
    daysAgo: 1,
    hour: 14,
    text: "Afspraak voor het teamoverleg van donderdag: we bespreken de signalen per straat, niet per bewoner. Persoonlijke dossiers blijven in het cliëntsysteem. Dank om dat mee te bewaken. #BrugsePoort",
    reactions: 3,
  },

  // ------------------------------------------------------------------ Groenploegen Gent-Zuid (closed group)
  {
    id: "seedpost0025",
    author: "GE-113158",
    place: "groenploegen-gent-zuid",
    daysAgo: 20,
    hour: 6,
    text: "Weekplanning: maandag en dinsdag snoeien in het Citadelpark, woensdag bladblazen langs de Overpoortstraat. Donderdag is er regen voorspeld, dan onderhouden we de machines. #Groen",
    reactions: 4,
  },
  {
    id: "seedpost0026",
    author: "GE-114452",
    place: "groenploegen-gent-zuid",
    daysAgo: 13,
    hour: 7,
    text: "Opgelet in het Citadelpark: twee kastanjes aan de vijver hebben een zwam aan de voet. Ik heb ze afgezet met lint. Niet onder gaan staan bij wind. #Veiligheid #Groen",
    reactions: 6,
    comments: [
      {
        id: "seedcomm0021",
        author: "GE-105742",
        after: 40,
        text: "Dank je, Hasan. Ik laat deze week een boomtechnische keuring inplannen.",
      },
    ],
  },
  {
    id: "seedpost0027",
    author: "GE-111058",
    place: "groenploegen-gent-zuid",
    daysAgo: 6,
    hour: 6,
    text: "Nieuwe werkhandschoenen zijn binnen in het magazijn. Maat 10 is al op, de andere maten kan je vanaf morgen ophalen.",
    reactions: 5,
    comments: [
      {
        id: "seedcomm0022",
        author: "GE-113876",
        after: 35,
        text: "Maat 9 voor mij graag, ik kom deze middag langs.",
      },
    ],
  },
  {
    id: "seedpost0028",
    author: "GE-116172",
    place: "groenploegen-gent-zuid",
    daysAgo: 3,
    hour: 12,
    text: "De bloembakken op de Kouter hebben hun winterbeplanting. Het ziet er prachtig uit, kom zeker eens kijken! #Groen",
    reactions: 6,
  },
  {
    id: "seedpost0029",
    author: "GE-105742",
    place: "groenploegen-gent-zuid",
    daysAgo: 1,
    hour: 8,
    text: "Volgende week starten we met de aanplant van honderdtwintig nieuwe bomen in de Sterre. De planning per straat hangt in de ploegkeet, @jan.bauwens verdeelt de ploegen. #Groen #Klimaat",
    reactions: 5,
  },

  // ------------------------------------------------------------------ Personeelsfeest 2027 (secret group)
  {
    id: "seedpost0030",
    author: "GE-101942",
    place: "personeelsfeest-2027-organisatie-7c2e9a",
    daysAgo: 15,
    hour: 11,
    text: "Drie locaties bezocht voor het feest: een concertzaal, de oude dokken en een grote hal aan het Citadelpark. De hal is mijn favoriet, maar ook de duurste. Jullie mening graag tegen vrijdag.",
    reactions: 3,
    comments: [
      {
        id: "seedcomm0023",
        author: "GE-106093",
        after: 50,
        text: "De hal, zonder twijfel. Daar kan ik echt iets mee voor het decor.",
      },
    ],
  },
  {
    id: "seedpost0031",
    author: "GE-106093",
    place: "personeelsfeest-2027-organisatie-7c2e9a",
    daysAgo: 7,
    hour: 16,
    text: "De eerste schetsen van de uitnodiging staan in de map. Thema 'Gent bij nacht', met de drie torens in neon. Niets delen buiten deze groep!",
    reactions: 4,
  },
  {
    id: "seedpost0032",
    author: COMMUNICATOR,
    place: "personeelsfeest-2027-organisatie-7c2e9a",
    daysAgo: 2,
    hour: 10,
    text: "De datum ligt vast. We maken hem pas bekend na het directiecomité van maandag, tot dan blijft hij hier.",
    reactions: 3,
  },

  // ------------------------------------------------------------------ Herinrichting contactcenter (secret project)
  {
    id: "seedpost0033",
    author: "GE-104870",
    place: "herinrichting-contactcenter-4f81d0",
    daysAgo: 12,
    hour: 9,
    text: "Een eerste versie van de nieuwe teamindeling staat klaar. We bespreken ze eerst met de vakbonden, voor iemand anders ze ziet.",
    reactions: 2,
  },
  {
    id: "seedpost0035",
    author: "GE-111723",
    place: "herinrichting-contactcenter-4f81d0",
    daysAgo: 4,
    hour: 14,
    text: "De wachttijd aan de telefoon zakte vorige maand tot gemiddeld twee minuten. Een goed argument om het terugbelsysteem te houden.",
    reactions: 3,
  },

  // ------------------------------------------------------------------ profiles
  {
    id: "seedpost0034",
    author: "GE-108760",
    daysAgo: 19,
    hour: 12,
    text: "De personeelssportclub loopt weer over de middag: elke dinsdag en donderdag om kwart over twaalf aan de Blaarmeersen. Alle niveaus welkom, we lopen in twee groepen. #Sport #Gezondheid",
    reactions: 15,
    comments: [
      {
        id: "seedcomm0024",
        author: "GE-104195",
        after: 30,
        text: "Ik loop mee! Kan je ergens douchen?",
        replies: [
          {
            id: "seedcomm0025",
            author: "GE-108760",
            after: 20,
            text: "@laura.stevens ja, met je personeelskaart mag je de kleedkamers van de sporthal gebruiken.",
          },
        ],
      },
      {
        id: "seedcomm0026",
        author: "GE-110476",
        after: 140,
        text: "Doen jullie ook zaalvoetbal op maandagavond? Dan ben ik erbij.",
      },
    ],
  },
  {
    id: "seedpost0036",
    author: "GE-109085",
    daysAgo: 18,
    hour: 10,
    text: "Nieuw in de kantine van het Administratief Centrum: elke dag een vegetarische dagschotel en soep van lokale groenten, voor 3,50 euro. Laat gerust weten wat je ervan vindt! #Kantine",
    reactions: 18,
    comments: [
      {
        id: "seedcomm0027",
        author: "GE-100315",
        after: 200,
        text: "De pompoensoep van vandaag was heerlijk.",
      },
      {
        id: "seedcomm0028",
        author: "GE-103657",
        after: 260,
        text: "Komt er ook een glutenvrije keuze?",
        replies: [
          {
            id: "seedcomm0029",
            author: "GE-109085",
            after: 45,
            text: "@wim.dhondt op vraag: geef het 's ochtends even door aan de kassa.",
          },
        ],
      },
    ],
  },
  {
    id: "seedpost0037",
    author: "GE-100782",
    daysAgo: 16,
    hour: 9,
    text: "Nieuw in KUS: de circulaire over dienstverplaatsingen met je eigen wagen is herschreven in eenvoudige taal. Wat vinden jullie van de samenvatting bovenaan? #KUS",
    reactions: 7,
    comments: [
      {
        id: "seedcomm0030",
        author: "GE-102871",
        after: 45,
        text: "De samenvatting scoort goed in het KUS-paneel: korte zinnen en geen jargon.",
      },
    ],
  },
  {
    id: "seedpost0038",
    author: "GE-102871",
    daysAgo: 13,
    hour: 15,
    text: "Tip voor wie een circulaire schrijft: begin met wat de lezer moet doen, pas daarna met het waarom. Dat scheelt veel vragen achteraf. @griet.verbeke deed het al zo voor de nieuwe regeling rond thuiswerk. #KUS",
    reactions: 10,
  },
  {
    id: "seedpost0039",
    author: "GE-109901",
    daysAgo: 17,
    hour: 13,
    text: "Oefening crisiscommunicatie vanmorgen: na elf minuten stond het eerste bericht op de website en op Werkplek. Ons doel is tien. Bijna! #Veiligheid",
    reactions: 9,
  },
  {
    id: "seedpost0040",
    author: "GE-110476",
    daysAgo: 12,
    hour: 11,
    text: "De loonbrieven van deze maand staan donderdag online. Vragen over de eindejaarspremie? Lees eerst even het overzicht, daarna mag je ons altijd bellen.",
    reactions: 12,
  },
  {
    id: "seedpost0041",
    author: "GE-108215",
    daysAgo: 11,
    hour: 10,
    text: "Nieuw in het vormingsaanbod: 'Schrijven in klare taal' en 'Omgaan met agressie aan het loket'. Inschrijven kan tot het einde van de maand. #Vorming #KUS",
    reactions: 8,
    comments: [
      {
        id: "seedcomm0031",
        author: "GE-104870",
        after: 55,
        text: "De vorming over agressie raad ik iedereen aan de loketten aan.",
      },
    ],
  },
  {
    id: "seedpost0042",
    author: "GE-106420",
    daysAgo: 10,
    hour: 8,
    text: "De bewoners van ons woonzorgcentrum zoeken voorleesvrijwilligers voor de zondagnamiddag. Collega's van andere diensten zijn ook welkom! #Welzijn",
    reactions: 11,
    comments: [
      {
        id: "seedcomm0032",
        author: "GE-104195",
        after: 90,
        text: "De bib leent graag boeken met grote letters uit, ik breng er een paar mee.",
      },
    ],
  },
  {
    id: "seedpost0043",
    author: "GE-108642",
    daysAgo: 9,
    hour: 12,
    text: "Drukke zaterdag op de burgerlijke stand: zeven huwelijken en een gouden jubileum. Het koppel is vijftig jaar getrouwd en kwam met de fiets. 💛",
    reactions: 17,
  },
  {
    id: "seedpost0044",
    author: "GE-101377",
    daysAgo: 8,
    hour: 14,
    text: "De heraanleg aan de Dampoort gaat volgende week in fase drie. Wie er met de wagen passeert: reken op een kwartier extra. De omleiding vind je op https://stad.gent #Mobiliteit",
    reactions: 5,
  },
  {
    id: "seedpost0045",
    author: "GE-102459",
    daysAgo: 7,
    hour: 10,
    text: "Het intranetnieuws verschijnt voortaan ook als korte berichten in de stroom. Volg #Werkplek en je mist niets.",
    reactions: 6,
  },
  {
    id: "seedpost0046",
    author: "GE-104512",
    daysAgo: 6,
    hour: 15,
    text: "Vandaag veertig handelaars in de Sleepstraat bezocht. De vraag die het vaakst terugkomt: hoe krijg ik een parkeerkaart voor leveringen?",
    reactions: 4,
  },
  {
    id: "seedpost0047",
    author: "GE-103811",
    daysAgo: 5,
    hour: 19,
    text: "Griepvaccinatie voor het personeel van het zorgbedrijf: donderdag en vrijdag in de cafetaria van het woonzorgcentrum, zonder afspraak. #Gezondheid",
    reactions: 6,
  },
  {
    id: "seedpost0048",
    author: "GE-109347",
    daysAgo: 5,
    hour: 11,
    text: "Wie kent een manier om aanvragen voor huursubsidie sneller te verwerken? We krijgen dubbel zoveel dossiers binnen als vorig jaar. Ik denk aan een digitaal formulier. #Digitalisering #Wonen",
    reactions: 8,
    comments: [
      {
        id: "seedcomm0033",
        author: "GE-107784",
        after: 40,
        text: "Daar kan het project digitale formulieren bij helpen. Zullen we volgende week samenzitten?",
        replies: [
          {
            id: "seedcomm0034",
            author: "GE-109347",
            after: 15,
            text: "@elif.yilmaz graag, ik breng een paar geanonimiseerde dossiers mee.",
          },
        ],
      },
      {
        id: "seedcomm0035",
        author: "GE-110154",
        after: 85,
        text: "Een checklist vooraf zou al veel onvolledige dossiers vermijden.",
      },
    ],
  },
  {
    id: "seedpost0049",
    author: "GE-107784",
    daysAgo: 4,
    hour: 13,
    text: "Het project digitale formulieren zoekt drie diensten voor een proefproject. Wij bouwen, jullie zorgen voor de inhoud en de testers. @jonas.claeys meldde zich al. #Digitalisering",
    reactions: 9,
    comments: [
      {
        id: "seedcomm0036",
        author: "GE-100315",
        after: 60,
        text: "De loketten doen graag mee, wij tikken nog veel over van papier.",
      },
    ],
  },
  {
    id: "seedpost0050",
    author: "GE-106877",
    daysAgo: 4,
    hour: 9,
    text: "Infomarkt over het nieuwe ruimtelijk structuurplan op 3 december in de Sint-Pietersabdij. Collega's mogen vooraf al een kijkje nemen.",
    reactions: 3,
  },
  {
    id: "seedpost0051",
    author: "GE-106093",
    daysAgo: 3,
    hour: 14,
    text: "Nieuwe huisstijlsjablonen voor presentaties staan klaar. Het oude blauwe sjabloon mag met pensioen. 😉 #Huisstijl",
    reactions: 13,
  },
  {
    id: "seedpost0052",
    author: "GE-109662",
    daysAgo: 3,
    hour: 10,
    text: "Het sociaal huis in Nieuw Gent verhuist tijdelijk naar de Jozef Guislainstraat tijdens de renovatie. Bewoners met vragen mag je gerust doorverwijzen. #Welzijn #Onthaal",
    reactions: 5,
  },
  {
    id: "seedpost0053",
    author: "GE-105589",
    daysAgo: 2,
    hour: 13,
    text: "Te koop: twee tickets voor het concert van zaterdag, 45 euro per stuk. Interesse? Stuur me een berichtje.",
    reactions: 0,
  },
  {
    id: "seedpost0054",
    author: "GE-108760",
    daysAgo: 1,
    hour: 16,
    text: "De inschrijvingen voor de Stadsloop zijn open! Vorig jaar liepen 180 collega's mee. Halen we dit jaar de 200? @tom.mertens heeft al een ploeg van de mobiliteitsdienst. #Sport",
    reactions: 14,
    comments: [
      {
        id: "seedcomm0037",
        author: "GE-108009",
        after: 25,
        text: "Team Mobiliteit is klaar, we lopen in fluohesjes.",
      },
    ],
  },
  {
    id: "seedpost0055",
    author: "GE-111489",
    daysAgo: 1,
    hour: 10,
    text: "Het nieuwe actieplan gelijke kansen staat online. Welke acties vinden jullie het belangrijkst voor onze eigen organisatie? #Welzijn",
    reactions: 6,
  },
  {
    id: "seedpost0056",
    author: "GE-110932",
    daysAgo: 0,
    hour: 7,
    text: "Het magazijn is morgen gesloten voor de inventaris. Dringende bestellingen graag vandaag nog doorgeven.",
    reactions: 2,
  },
  {
    id: "seedpost0057",
    author: "GE-104233",
    daysAgo: 0,
    hour: 9,
    text: "Werkplek heeft nu een activiteitenstroom. Schrijf je eerste bericht, volg collega's en groepen, en reageer met een duim of een hartje. @fatima.elamrani en ik lezen alle feedback. #Werkplek",
    reactions: 10,
  },
  {
    id: "seedpost0058",
    author: "GE-112698",
    daysAgo: 3,
    hour: 17,
    text: "De jeugddienst zoekt collega's die één keer per maand willen helpen in de huiswerkklas van de bib in de Brugse Poort. #Welzijn #BrugsePoort",
    reactions: 7,
  },
  {
    id: "seedpost0059",
    author: "GE-101605",
    daysAgo: 6,
    hour: 11,
    text: "Mooie vondst in het archief: plannen van de Korenmarkt uit 1912. Wie had gedacht dat er ooit zoveel tramsporen lagen?",
    reactions: 10,
  },
  {
    id: "seedpost0060",
    author: "GE-102064",
    daysAgo: 14,
    hour: 14,
    text: "Vanaf 1 december zijn de brandoefeningen in de administratieve gebouwen onaangekondigd. Weet jij waar jouw verzamelplaats is? #Veiligheid",
    reactions: 7,
  },
];

/** The open report in the moderation queue: private sale, reported by a colleague. */
export const SEED_REPORT = {
  id: "seedreport01",
  post: "seedpost0053",
  reporter: "GE-103657",
  reason: "Privéverkoop hoort volgens de gebruiksregels niet in de stroom.",
  hoursAfterPost: 3,
} as const;

/** Extra follows of the demo accounts (seed-stream.ts has the first ones): people and topics. */
export const SEED_DEMO_FOLLOWS: readonly {
  follower: string;
  people: readonly string[];
  topics: readonly string[];
}[] = [
  {
    follower: "GE-104233",
    people: ["GE-107784", "GE-105126", "GE-103390"],
    topics: ["werkplek", "digitalisering"],
  },
  { follower: "GE-102871", people: ["GE-108215", "GE-104233"], topics: ["kus", "vorming"] },
  {
    follower: "GE-106512",
    people: ["GE-109901", "GE-109085", "GE-108760"],
    topics: ["werkplek", "onthaal", "kus"],
  },
  {
    follower: "GE-109347",
    people: ["GE-107784", "GE-107236", "GE-108760", "GE-109085"],
    topics: ["digitalisering", "brugsepoort", "wonen", "welzijn"],
  },
  { follower: "GE-111058", people: ["GE-108760", "GE-114452"], topics: ["groen", "veiligheid", "sport"] },
];

/** Unread notifications per demo account, at most. */
const NOTIFICATIONS_PER_ACCOUNT = 3;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const REACTION_WEIGHTS: readonly [ReactionType, number][] = [
  ["like", 52],
  ["thanks", 16],
  ["celebrate", 12],
  ["love", 11],
  ["insightful", 9],
];

/** A small deterministic generator, seeded per post, so every run picks the same reactors. */
function randomFor(key: string): () => number {
  let state = createHash("sha256").update(key).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pickReaction(random: () => number): ReactionType {
  let roll = random() * 100;
  for (const [type, weight] of REACTION_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return type;
  }
  return "like";
}

/** A Brussels working hour `daysAgo` days before `now`, never later than a few minutes ago. */
function momentOf(now: Date, daysAgo: number, hour: number, offsetMinutes: number): Date {
  const day = new Date(now.getTime() - daysAgo * DAY);
  // Brussels is UTC+1 or UTC+2; an hour either way does not matter for demo content.
  const moment = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour - 1, offsetMinutes);
  return new Date(Math.min(moment, now.getTime() - 10 * MINUTE + offsetMinutes * 1000));
}

type Person = StreamReader & { displayName: string; number: string };
type ResolvedHandles = Map<string, string>;

/** The body as the posts module would store it, or an error naming the seed item (a mistake in this file). */
function prepare(id: string, text: string, handles: ResolvedHandles, limits: BodyLimits): AnalysedBody {
  const parsed = parseBody({ plainText: text }, limits);
  if (!parsed.ok) throw new Error(`Seed item ${id}: ${parsed.issues.join("; ")}`);
  const wanted = new Map(
    handlesInDocument(parsed.document).flatMap((h) => (handles.has(h) ? [[h, handles.get(h)!]] : [])),
  );
  const analysed = analyseBody(parsed.document, wanted, { limits });
  if (!analysed.ok) throw new Error(`Seed item ${id}: ${analysed.issues.join("; ")}`);
  return analysed.body;
}

async function loadPeople(tx: Prisma.TransactionClient): Promise<Map<string, Person>> {
  const users = await tx.user.findMany({
    where: { employeeNumber: { in: SEED_USERS.map((user) => user.employeeNumber) }, active: true },
    select: {
      id: true,
      employeeNumber: true,
      displayName: true,
      isFieldWorker: true,
      department: { select: { id: true, parentId: true } },
      roles: { select: { role: true } },
      memberships: { select: { placeId: true } },
    },
  });
  const byNumber = new Map<string, Person>();
  for (const user of users) {
    if (!user.employeeNumber) continue;
    byNumber.set(user.employeeNumber, {
      id: user.id,
      number: user.employeeNumber,
      displayName: user.displayName,
      isFieldWorker: user.isFieldWorker,
      department: user.department,
      roles: [
        "employee",
        ...user.roles.map((r) => r.role).filter((r): r is Role => isRole(r) && r !== "employee"),
      ],
      placeIds: user.memberships.map((m) => m.placeId),
    });
  }
  return byNumber;
}

/** Handles (work e-mail local parts) that name exactly one active colleague, as posts.server.ts resolves them. */
async function loadHandles(tx: Prisma.TransactionClient): Promise<ResolvedHandles> {
  const users = await tx.user.findMany({
    where: { active: true, email: { not: null } },
    select: { id: true, email: true },
  });
  const byHandle = new Map<string, string[]>();
  for (const user of users) {
    const local = user.email?.toLowerCase().split("@")[0];
    if (local) byHandle.set(local, [...(byHandle.get(local) ?? []), user.id]);
  }
  return new Map([...byHandle].flatMap(([handle, ids]) => (ids.length === 1 ? [[handle, ids[0]!]] : [])));
}

type PostAccessRow = {
  id: string;
  authorId: string;
  audience: string[];
  deletedAt: Date | null;
  hiddenAt: Date | null;
};

/** Seeds the demo posts and everything that hangs on them; returns how many rows it created. */
export async function seedPosts(tx: Prisma.TransactionClient, now = new Date()): Promise<PostSeedCounts> {
  const people = await loadPeople(tx);
  const handles = await loadHandles(tx);
  const person = (number: string): Person | null => people.get(number) ?? null;

  const seededSlugs = new Map(SEED_PLACES.map((place) => [place.slug, place]));
  const places = await tx.place.findMany({
    where: { slug: { in: [...seededSlugs.keys()] } },
    select: { id: true, slug: true, name: true, visibility: true, archivedAt: true, createdById: true },
  });
  // Like seed-stream.ts: a place under a seeded slug that someone else created is not ours to fill.
  const placeBySlug = new Map(
    places
      .filter((place) => place.createdById === person(seededSlugs.get(place.slug)!.owners[0]!)?.id)
      .map((place) => [place.slug, place]),
  );

  // ---- posts
  type Planned = {
    spec: SeedPost;
    row: Prisma.PostCreateManyInput & { id: string; createdAt: Date; audience: string[] };
    body: AnalysedBody;
    author: Person;
    placeName: string | undefined;
  };
  const planned: Planned[] = [];
  SEED_POSTS.forEach((spec, index) => {
    const author = person(spec.author);
    if (!author) return;
    const place = spec.place ? placeBySlug.get(spec.place) : null;
    if (spec.place && (!place || place.archivedAt || !author.placeIds.includes(place.id))) return;
    const body = prepare(spec.id, spec.text, handles, POST_LIMITS);
    const createdAt = momentOf(now, spec.daysAgo, spec.hour, index % 50);
    const audience = spec.announcement
      ? [...spec.announcement.audience, userKey(author.id)]
      : postAudienceFor(place ?? null);
    planned.push({
      spec,
      author,
      body,
      placeName: place?.name,
      row: {
        id: spec.id,
        authorId: author.id,
        placeId: place?.id ?? null,
        kind: spec.announcement ? "announcement" : "post",
        body: body.document as unknown as Prisma.InputJsonObject,
        text: body.text,
        audience,
        pinnedUntil: spec.announcement?.pinnedDays
          ? new Date(now.getTime() + spec.announcement.pinnedDays * DAY)
          : null,
        sharedPostId: null,
        createdAt,
      },
    });
  });
  const created = await tx.post.createManyAndReturn({
    data: planned.map((p) => p.row),
    skipDuplicates: true,
    select: { id: true },
  });
  const fresh = new Set(created.map((row) => row.id));
  const plannedById = new Map(planned.map((p) => [p.spec.id, p]));
  const freshPosts = planned.filter((p) => fresh.has(p.spec.id));
  const access = (p: Planned): PostAccessRow => ({
    id: p.row.id,
    authorId: p.row.authorId,
    audience: p.row.audience,
    deletedAt: null,
    hiddenAt: null,
  });

  // Shares point at their original once both exist (the original may be seeded later in the list).
  for (const p of freshPosts) {
    const original = p.spec.shares ? plannedById.get(p.spec.shares) : undefined;
    if (original) await tx.post.update({ where: { id: p.row.id }, data: { sharedPostId: original.row.id } });
  }

  // ---- topics and mentions
  const topicNames = new Map<string, string>();
  for (const p of freshPosts)
    for (const topic of p.body.topics)
      if (!topicNames.has(topic.slug)) topicNames.set(topic.slug, topic.name);
  if (topicNames.size > 0) {
    await tx.topic.createMany({
      data: [...topicNames].map(([slug, name]) => ({ slug, name })),
      skipDuplicates: true,
    });
  }
  const topics = await tx.topic.findMany({
    where: {
      slug: { in: [...new Set([...topicNames.keys(), ...SEED_DEMO_FOLLOWS.flatMap((f) => f.topics)])] },
    },
    select: { id: true, slug: true },
  });
  const topicId = new Map(topics.map((topic) => [topic.slug, topic.id]));
  await tx.postTopic.createMany({
    data: freshPosts.flatMap((p) =>
      p.body.topics.map((topic) => ({
        postId: p.row.id,
        topicId: topicId.get(topic.slug)!,
        createdAt: p.row.createdAt,
      })),
    ),
    skipDuplicates: true,
  });
  await tx.postMention.createMany({
    data: freshPosts.flatMap((p) => p.body.mentionUserIds.map((userId) => ({ postId: p.row.id, userId }))),
    skipDuplicates: true,
  });

  // ---- comments and replies (one level), only by people who can see the post
  type Event = { userId: string; at: Date; notification: KnownNotificationInput };
  const events: Event[] = [];
  const demoIds = new Set(DEMO_ACCOUNTS.flatMap((number) => person(number)?.id ?? []));
  const comments: Prisma.CommentCreateManyInput[] = [];
  const commentCounts = new Map<string, number>();
  for (const p of freshPosts) {
    const post = access(p);
    const placeData = p.placeName ? { placeName: p.placeName } : {};
    const addComment = (spec: SeedComment, at: Date, parent: { id: string; authorId: string } | null) => {
      const author = person(spec.author);
      if (!author || !canSeePost(author, post)) return;
      const body = prepare(spec.id, spec.text, handles, COMMENT_LIMITS);
      const createdAt = new Date(Math.min(at.getTime() + spec.after * MINUTE, now.getTime() - MINUTE));
      comments.push({
        id: spec.id,
        postId: post.id,
        authorId: author.id,
        parentId: parent?.id ?? null,
        body: body.document as unknown as Prisma.InputJsonObject,
        text: body.text,
        createdAt,
      });
      commentCounts.set(post.id, (commentCounts.get(post.id) ?? 0) + 1);
      const url = commentPath(post.id, spec.id);
      if (parent && parent.authorId !== author.id && demoIds.has(parent.authorId)) {
        events.push({
          userId: parent.authorId,
          at: createdAt,
          notification: {
            userId: parent.authorId,
            type: "comment.replied",
            data: { actorName: author.displayName, ...placeData },
            url,
            dedupeKey: `comment.replied:${spec.id}:${parent.authorId}`,
          },
        });
      }
      for (const userId of body.mentionUserIds) {
        if (userId === author.id || userId === parent?.authorId || !demoIds.has(userId)) continue;
        events.push({
          userId,
          at: createdAt,
          notification: {
            userId,
            type: "comment.mentioned",
            data: { actorName: author.displayName, ...placeData },
            url,
            dedupeKey: `comment.mentioned:${spec.id}:${userId}`,
          },
        });
      }
      for (const reply of spec.replies ?? [])
        addComment(reply, createdAt, { id: spec.id, authorId: author.id });
    };
    for (const spec of p.spec.comments ?? []) addComment(spec, p.row.createdAt, null);
    for (const userId of p.body.mentionUserIds) {
      if (userId === p.author.id || !demoIds.has(userId)) continue;
      events.push({
        userId,
        at: p.row.createdAt,
        notification: {
          userId,
          type: "post.mentioned",
          data: { actorName: p.author.displayName, ...placeData },
          url: postPath(post.id),
          dedupeKey: `post.mentioned:${post.id}:${userId}`,
        },
      });
    }
  }
  const createdComments = await tx.comment.createMany({ data: comments, skipDuplicates: true });

  // ---- reactions: a deterministic choice among the colleagues who can see the post
  const everyone = [...people.values()].sort((a, b) => a.number.localeCompare(b.number));
  const reactions: Prisma.ReactionCreateManyInput[] = [];
  const reactionCounts = new Map<string, number>();
  for (const p of freshPosts) {
    const post = access(p);
    const random = randomFor(p.spec.id);
    const candidates = everyone.filter((reader) => reader.id !== p.author.id && canSeePost(reader, post));
    const wanted = Math.min(p.spec.reactions ?? 0, candidates.length);
    const span = Math.max(MINUTE, Math.min(2 * DAY, now.getTime() - p.row.createdAt.getTime() - MINUTE));
    let latest: { at: Date; reactor: Person; type: ReactionType } | null = null;
    for (let picked = 0; picked < wanted; picked += 1) {
      const [reactor] = candidates.splice(Math.floor(random() * candidates.length), 1);
      const type = pickReaction(random);
      const at = new Date(p.row.createdAt.getTime() + Math.floor(random() * span));
      reactions.push({ postId: post.id, userId: reactor!.id, type, createdAt: at });
      if (!latest || at > latest.at) latest = { at, reactor: reactor!, type };
    }
    reactionCounts.set(post.id, wanted);
    if (latest && demoIds.has(p.author.id)) {
      events.push({
        userId: p.author.id,
        at: latest.at,
        notification: {
          userId: p.author.id,
          type: "post.reacted",
          data: {
            actorName: latest.reactor.displayName,
            reaction: latest.type,
            ...(p.placeName ? { placeName: p.placeName } : {}),
          },
          url: postPath(post.id),
          dedupeKey: `post.reacted:${post.id}:${Math.floor(latest.at.getTime() / HOUR)}`,
        },
      });
    }
  }
  const createdReactions = await tx.reaction.createMany({ data: reactions, skipDuplicates: true });

  // Counters as the modules keep them: every visible comment and every reaction on the post.
  for (const p of freshPosts) {
    const commentCount = commentCounts.get(p.row.id) ?? 0;
    const reactionCount = reactionCounts.get(p.row.id) ?? 0;
    if (commentCount > 0 || reactionCount > 0) {
      await tx.post.update({ where: { id: p.row.id }, data: { commentCount, reactionCount } });
    }
  }

  // ---- follows of the demo accounts: people and topics
  const follows: Prisma.FollowCreateManyInput[] = [];
  for (const entry of SEED_DEMO_FOLLOWS) {
    const follower = person(entry.follower);
    if (!follower) continue;
    for (const number of entry.people) {
      const followed = person(number);
      if (followed) follows.push({ followerId: follower.id, targetType: "user", targetId: followed.id });
    }
    for (const slug of entry.topics) {
      const id = topicId.get(slug);
      if (id) follows.push({ followerId: follower.id, targetType: "topic", targetId: id });
    }
  }
  const createdFollows = await tx.follow.createMany({ data: follows, skipDuplicates: true });

  // ---- one open report for the moderation queue
  let reports = 0;
  const reported = plannedById.get(SEED_REPORT.post);
  const reporter = person(SEED_REPORT.reporter);
  if (reported && reporter && reported.author.id !== reporter.id && canSeePost(reporter, access(reported))) {
    const createdAt = new Date(
      Math.min(reported.row.createdAt.getTime() + SEED_REPORT.hoursAfterPost * HOUR, now.getTime() - MINUTE),
    );
    const { count } = await tx.postReport.createMany({
      data: [
        {
          id: SEED_REPORT.id,
          postId: reported.row.id,
          reporterId: reporter.id,
          reason: SEED_REPORT.reason,
          createdAt,
        },
      ],
      skipDuplicates: true,
    });
    reports = count;
  }

  // ---- a few unread notifications for the demo accounts, the latest events first
  const notifications: Prisma.NotificationCreateManyInput[] = [];
  for (const userId of demoIds) {
    // The latest event of each kind first (a mention, a reply, a reaction), so the bell shows some variety.
    const latestFirst = events
      .filter((event) => event.userId === userId)
      .sort((a, b) => b.at.getTime() - a.at.getTime());
    const kinds = new Set<string>();
    const varied = latestFirst.filter(
      (event) => !kinds.has(event.notification.type) && kinds.add(event.notification.type),
    );
    const mine = [...varied, ...latestFirst.filter((event) => !varied.includes(event))].slice(
      0,
      NOTIFICATIONS_PER_ACCOUNT,
    );
    for (const { notification, at } of mine) {
      // The same check notify() makes: a notification whose data does not fit its type would render badly.
      NOTIFICATION_DATA_SCHEMAS[notification.type].parse(notification.data);
      notifications.push({
        ...notification,
        data: notification.data as Prisma.InputJsonObject,
        createdAt: at,
      });
    }
  }
  const createdNotifications = await tx.notification.createMany({
    data: notifications,
    skipDuplicates: true,
  });

  return {
    posts: created.length,
    comments: createdComments.count,
    reactions: createdReactions.count,
    follows: createdFollows.count,
    reports,
    notifications: createdNotifications.count,
  };
}
