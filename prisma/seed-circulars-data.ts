// Demo data for KUS de circulaires: themes and invented internal circulars of the City of Ghent, written in
// plain Dutch (short sentences, "je"-form). Pure data, free of database access, so tests can check it directly.
import type { CircularStatus } from "../app/generated/prisma/enums";

// ---------------------------------------------------------------------------------------------------------
// Lexical nodes, shaped as Lexical serialises them
// ---------------------------------------------------------------------------------------------------------

export interface LexicalTextNode {
  type: "text";
  version: 1;
  text: string;
  /** Bit flags: 0 plain, 1 bold. */
  format: number;
  detail: 0;
  mode: "normal";
  style: "";
}

interface LexicalElementBase {
  version: 1;
  direction: "ltr";
  format: "";
  indent: 0;
}

export interface LexicalParagraphNode extends LexicalElementBase {
  type: "paragraph";
  textFormat: 0;
  textStyle: "";
  children: LexicalTextNode[];
}

export interface LexicalHeadingNode extends LexicalElementBase {
  type: "heading";
  tag: "h2";
  children: LexicalTextNode[];
}

export interface LexicalQuoteNode extends LexicalElementBase {
  type: "quote";
  children: LexicalTextNode[];
}

export interface LexicalListItemNode extends LexicalElementBase {
  type: "listitem";
  value: number;
  children: LexicalTextNode[];
}

export interface LexicalListNode extends LexicalElementBase {
  type: "list";
  listType: "bullet" | "number";
  start: 1;
  tag: "ul" | "ol";
  children: LexicalListItemNode[];
}

export type LexicalBlockNode = LexicalParagraphNode | LexicalHeadingNode | LexicalQuoteNode | LexicalListNode;

export interface LexicalState {
  root: LexicalElementBase & { type: "root"; children: LexicalBlockNode[] };
}

/** A piece of inline text: a plain string, or a span made with b(). */
type Inline = string | LexicalTextNode;

const ELEMENT = { version: 1, direction: "ltr", format: "", indent: 0 } as const;

function span(text: string, format = 0): LexicalTextNode {
  return { type: "text", version: 1, text, format, detail: 0, mode: "normal", style: "" };
}

function spans(parts: readonly Inline[]): LexicalTextNode[] {
  return parts.map((part) => (typeof part === "string" ? span(part) : part));
}

/** Bold text inside a paragraph, list item or quote. */
export function b(text: string): LexicalTextNode {
  return span(text, 1);
}

export function h2(text: string): LexicalHeadingNode {
  return { type: "heading", tag: "h2", ...ELEMENT, children: [span(text)] };
}

export function p(...parts: Inline[]): LexicalParagraphNode {
  return { type: "paragraph", ...ELEMENT, textFormat: 0, textStyle: "", children: spans(parts) };
}

export function quote(...parts: Inline[]): LexicalQuoteNode {
  return { type: "quote", ...ELEMENT, children: spans(parts) };
}

function list(
  listType: "bullet" | "number",
  items: readonly (Inline | readonly Inline[])[],
): LexicalListNode {
  return {
    type: "list",
    listType,
    start: 1,
    tag: listType === "bullet" ? "ul" : "ol",
    ...ELEMENT,
    children: items.map((item, index) => ({
      type: "listitem",
      value: index + 1,
      ...ELEMENT,
      children: spans(Array.isArray(item) ? (item as readonly Inline[]) : [item as Inline]),
    })),
  };
}

/** A bulleted list; an item is a string, a bold span, or an array of both. */
export function ul(...items: (Inline | readonly Inline[])[]): LexicalListNode {
  return list("bullet", items);
}

/** A numbered list (steps). */
export function ol(...items: (Inline | readonly Inline[])[]): LexicalListNode {
  return list("number", items);
}

/** A complete editor state. */
export function doc(...children: LexicalBlockNode[]): LexicalState {
  return { root: { type: "root", ...ELEMENT, children } };
}

// ---------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------

export interface SeedTheme {
  slug: string;
  nameNl: string;
  nameEn: string;
}

/** What a later version changed compared with the version before it. */
export interface SeedCircularChanges {
  title?: string;
  summary?: string;
  body?: LexicalState;
  validUntil?: string | null;
}

/** One publication. The first one publishes the base content; later ones apply their changes on top. */
export interface SeedCircularVersion {
  /** Day of publication (YYYY-MM-DD). */
  publishedOn: string;
  changeNote: string;
  substantial: boolean;
  changes?: SeedCircularChanges;
}

/** A change that waits for review (status in_review), or that an editor is still writing (draft). */
export interface SeedPendingChange {
  changeNote: string;
  substantial: boolean;
  /** Day it was submitted for review (YYYY-MM-DD). */
  submittedOn: string;
  changes?: SeedCircularChanges;
}

export interface SeedCircular {
  /** "YYYY/NNN". */
  number: string;
  status: CircularStatus;
  /** Title, summary and body of the first version (or of the draft). */
  title: string;
  summary: string;
  body: LexicalState;
  /** Code of the owning department or service (seed-data). */
  ownerDepartmentCode: string;
  /** Employee number of the responsible person (seed-data). */
  responsibleEmployeeNumber: string;
  /** Theme slugs. */
  themes: readonly string[];
  validFrom: string | null;
  validUntil: string | null;
  reviewDate: string | null;
  /** Published versions, oldest first; empty for a circular that was never published. */
  versions: readonly SeedCircularVersion[];
  pending?: SeedPendingChange;
  /** Day it was archived (status archived only). */
  archivedOn?: string;
  /** Audience keys with department codes ("department:FM"); everyone when absent. */
  audience?: readonly string[];
  supersedesNumber?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Themes
// ---------------------------------------------------------------------------------------------------------

export const SEED_THEMES: readonly SeedTheme[] = [
  { slug: "personeel-en-hr", nameNl: "Personeel en HR", nameEn: "Staff and HR" },
  { slug: "welzijn-op-het-werk", nameNl: "Welzijn op het werk", nameEn: "Well-being at work" },
  { slug: "veiligheid", nameNl: "Veiligheid", nameEn: "Safety" },
  {
    slug: "ict-en-digitale-werkplek",
    nameNl: "ICT en digitale werkplek",
    nameEn: "IT and digital workplace",
  },
  { slug: "communicatie", nameNl: "Communicatie", nameEn: "Communication" },
  { slug: "mobiliteit", nameNl: "Mobiliteit", nameEn: "Mobility" },
  { slug: "financien-en-aankoop", nameNl: "Financiën en aankoop", nameEn: "Finance and purchasing" },
  { slug: "klantvriendelijkheid", nameNl: "Klantvriendelijkheid", nameEn: "Customer service" },
  {
    slug: "milieu-en-duurzaamheid",
    nameNl: "Milieu en duurzaamheid",
    nameEn: "Environment and sustainability",
  },
  {
    slug: "organisatie-en-reorganisatie",
    nameNl: "Organisatie en reorganisatie",
    nameEn: "Organisation and reorganisation",
  },
  {
    slug: "privacy-en-informatieveiligheid",
    nameNl: "Privacy en informatieveiligheid",
    nameEn: "Privacy and information security",
  },
  { slug: "gebouwen-en-facility", nameNl: "Gebouwen en facility", nameEn: "Buildings and facilities" },
];

// ---------------------------------------------------------------------------------------------------------
// Circulars
// ---------------------------------------------------------------------------------------------------------

// Responsible people (seed-data). Editors: Griet Verbeke, Katrien Declercq, Nele Coppens (and Pieter De Smet).
const GRIET = "GE-107012"; // editor, BV-HR
const KATRIEN = "GE-100782"; // editor, BV-JUR
const NELE = "GE-102064"; // editor and prevention adviser, FM-GEB
const AN = "GE-101942"; // HR business partner, BV-HR
const HANNE = "GE-108215"; // career coach, BV-HR
const YOUSSEF = "GE-110476"; // payroll, BV-HR
const FATIMA = "GE-106512"; // internal communication, BV-COM
const LOTTE = "GE-102459"; // web editor, BV-COM
const THOMAS = "GE-106093"; // graphic designer, BV-COM
const NATALIA = "GE-109901"; // crisis communication, BV-COM
const SOFIE = "GE-104233"; // functional administrator, BV-ICT
const BRAM = "GE-105126"; // network administrator, BV-ICT
const ELIF = "GE-107784"; // business analyst, BV-ICT
const KOEN = "GE-106348"; // buildings, FM-GEB
const RUDI = "GE-110932"; // warehouse, FM-LOG
const MEHMET = "GE-104870"; // counter team coach, BZ-LOK
const RUBEN = "GE-103024"; // climate adviser, MK-KLI
const EVA = "GE-111489"; // equal opportunities, WS-WGK

const FIRST = "Eerste publicatie.";

export const SEED_CIRCULARS: readonly SeedCircular[] = [
  // ----- 2019 -------------------------------------------------------------------------------------------
  {
    number: "2019/004",
    status: "published",
    title: "Huisstijl en logogebruik",
    summary:
      "Gebruik altijd het logo van Stad Gent zoals het in de huisstijlgids staat. Maak geen eigen logo's voor diensten of projecten.",
    body: doc(
      h2("Waarom één huisstijl?"),
      p(
        "Burgers moeten in één oogopslag zien dat iets van de stad komt. Daarom gebruiken alle diensten dezelfde huisstijl.",
      ),
      h2("Wat moet je doen?"),
      ul(
        "Download het logo alleen uit de huisstijlgids op het intranet.",
        "Verander de kleuren en de verhoudingen van het logo niet.",
        [b("Geen eigen logo's"), " voor diensten, projecten of evenementen."],
      ),
      p("Twijfel je? Vraag raad aan de Dienst Communicatie."),
    ),
    ownerDepartmentCode: "BV-COM",
    responsibleEmployeeNumber: THOMAS,
    themes: ["communicatie"],
    validFrom: "2019-02-01",
    validUntil: null,
    reviewDate: "2023-02-01",
    versions: [{ publishedOn: "2019-01-28", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2019/011",
    status: "published",
    title: "Dienstreizen in binnen- en buitenland",
    summary:
      "Een dienstreis vraag je vooraf aan bij je leidinggevende. Je kiest de trein als dat kan. De stad betaalt je reis- en verblijfkosten terug.",
    body: doc(
      h2("Toestemming vooraf"),
      p(
        "Je vraagt elke dienstreis vooraf aan. Je leidinggevende keurt de aanvraag goed. Voor een reis naar het buitenland keurt ook je departementshoofd goed.",
      ),
      h2("Vervoer"),
      ul(
        "Neem de trein voor reizen tot 700 kilometer.",
        "Vlieg alleen als de trein niet kan of veel duurder is.",
        "Boek via de reisdienst van Logistiek.",
      ),
      h2("Kosten terugvragen"),
      p("Dien je onkostennota in binnen ", b("twee maanden"), " na je reis. Voeg alle bewijsstukken toe."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: YOUSSEF,
    themes: ["personeel-en-hr", "mobiliteit", "financien-en-aankoop"],
    validFrom: "2019-04-01",
    validUntil: "2023-12-31",
    reviewDate: "2023-06-30",
    versions: [{ publishedOn: "2019-03-18", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2019/017",
    status: "archived",
    title: "Gebruik van e-mail en internet op het werk",
    summary:
      "Je mag e-mail en internet beperkt privé gebruiken, zolang het je werk niet stoort. Deze circulaire is vervangen door de regels voor de digitale werkplek.",
    body: doc(
      h2("Privégebruik"),
      p("Kort privégebruik van e-mail en internet is toegestaan. Het mag je werk niet hinderen."),
      h2("Wat mag niet?"),
      ul(
        "Aanstootgevende of illegale websites bezoeken.",
        "Kettingbrieven doorsturen.",
        "Grote privébestanden opslaan op de netwerkschijf.",
      ),
      p("De ICT-dienst kan het gebruik controleren als er een vermoeden van misbruik is."),
    ),
    ownerDepartmentCode: "BV-ICT",
    responsibleEmployeeNumber: BRAM,
    themes: ["ict-en-digitale-werkplek", "privacy-en-informatieveiligheid"],
    validFrom: "2019-06-01",
    validUntil: null,
    reviewDate: null,
    versions: [{ publishedOn: "2019-05-20", changeNote: FIRST, substantial: true }],
    archivedOn: "2023-09-15",
  },

  // ----- 2020 -------------------------------------------------------------------------------------------
  {
    number: "2020/003",
    status: "published",
    title: "Thuiswerk tijdens de coronamaatregelen",
    summary:
      "Tijdens de coronamaatregelen werk je thuis als je job dat toelaat. Je leidinggevende beslist wie op de werkplek moet zijn.",
    body: doc(
      h2("Thuiswerk is de regel"),
      p(
        "Zolang de federale maatregelen gelden, werk je thuis als dat kan. Je leidinggevende maakt een rooster voor wie toch moet komen.",
      ),
      h2("Wat krijg je?"),
      ul(
        "Een laptop van de stad.",
        "Een vergoeding voor internet en kantoorkosten.",
        "Een headset als je veel belt.",
      ),
      p("Blijf bereikbaar tijdens je werkuren via Teams en je telefoon."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: AN,
    themes: ["personeel-en-hr", "welzijn-op-het-werk"],
    validFrom: "2020-03-16",
    validUntil: "2022-03-31",
    reviewDate: null,
    versions: [
      { publishedOn: "2020-03-14", changeNote: FIRST, substantial: true },
      {
        publishedOn: "2020-11-02",
        changeNote: "Thuiswerk opnieuw verplicht na de tweede golf; vergoeding verhoogd.",
        substantial: true,
        changes: {
          body: doc(
            h2("Thuiswerk is verplicht"),
            p(
              "Sinds 2 november is thuiswerk opnieuw verplicht voor iedereen die thuis kan werken. Je leidinggevende maakt een rooster voor wie toch moet komen.",
            ),
            h2("Wat krijg je?"),
            ul(
              "Een laptop van de stad.",
              [b("Een hogere vergoeding"), " voor internet en kantoorkosten."],
              "Een headset als je veel belt.",
            ),
            p("Blijf bereikbaar tijdens je werkuren via Teams en je telefoon."),
          ),
        },
      },
    ],
  },
  {
    number: "2020/009",
    status: "published",
    title: "Fietsvergoeding voor woon-werkverkeer",
    summary:
      "Kom je met de fiets naar het werk? Dan krijg je een vergoeding per kilometer. Je registreert je ritten maandelijks in het HR-portaal.",
    body: doc(
      h2("Wie krijgt de vergoeding?"),
      p("Iedereen die met de fiets, een elektrische fiets of een speedpedelec naar het werk komt."),
      h2("Hoeveel?"),
      p("Je krijgt ", b("0,24 euro per kilometer"), ", heen en terug."),
      h2("Hoe vraag je ze aan?"),
      ol(
        "Registreer je ritten in het HR-portaal.",
        "Doe dat vóór de vijfde van de volgende maand.",
        "De vergoeding staat op je loonbrief.",
      ),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: YOUSSEF,
    themes: ["personeel-en-hr", "mobiliteit", "milieu-en-duurzaamheid"],
    validFrom: "2020-02-01",
    validUntil: null,
    reviewDate: "2027-01-01",
    versions: [
      { publishedOn: "2020-01-13", changeNote: FIRST, substantial: true },
      {
        publishedOn: "2023-01-09",
        changeNote: "Bedrag geïndexeerd naar 0,27 euro per kilometer.",
        substantial: false,
        changes: {
          body: doc(
            h2("Wie krijgt de vergoeding?"),
            p("Iedereen die met de fiets, een elektrische fiets of een speedpedelec naar het werk komt."),
            h2("Hoeveel?"),
            p("Je krijgt ", b("0,27 euro per kilometer"), ", heen en terug."),
            h2("Hoe vraag je ze aan?"),
            ol(
              "Registreer je ritten in het HR-portaal.",
              "Doe dat vóór de vijfde van de volgende maand.",
              "De vergoeding staat op je loonbrief.",
            ),
          ),
        },
      },
      {
        publishedOn: "2025-01-06",
        changeNote: "Nieuw bedrag 0,36 euro per kilometer; registratie via de app van het HR-portaal.",
        substantial: true,
        changes: {
          summary:
            "Kom je met de fiets naar het werk? Dan krijg je 0,36 euro per kilometer. Je registreert je ritten elke maand in de app van het HR-portaal.",
          body: doc(
            h2("Wie krijgt de vergoeding?"),
            p("Iedereen die met de fiets, een elektrische fiets of een speedpedelec naar het werk komt."),
            h2("Hoeveel?"),
            p("Je krijgt ", b("0,36 euro per kilometer"), ", heen en terug. Er is geen maximum per dag."),
            h2("Hoe vraag je ze aan?"),
            ol(
              "Registreer je ritten in de app van het HR-portaal.",
              "Doe dat vóór de vijfde van de volgende maand.",
              "De vergoeding staat op je loonbrief.",
            ),
            quote("Heb je geen smartphone of pc? Je teamleider registreert je ritten voor jou."),
          ),
        },
      },
    ],
  },
  {
    number: "2020/014",
    status: "published",
    title: "Klachten van burgers behandelen",
    summary:
      "Een klacht is een kans om beter te werken. Je registreert elke klacht in het klachtensysteem en de burger krijgt binnen 30 dagen een antwoord.",
    body: doc(
      h2("Wat is een klacht?"),
      p(
        "Een burger is ontevreden over hoe de stad iets deed of niet deed. Een vraag of een melding is geen klacht.",
      ),
      h2("Zo werk je"),
      ol(
        "Registreer de klacht in het klachtensysteem.",
        "Stuur binnen vijf werkdagen een ontvangstbevestiging.",
        [b("Antwoord binnen 30 dagen"), ". Leg uit wat je doet of waarom niet."],
      ),
      p("De klachtencoördinator volgt alle klachten op en rapporteert jaarlijks aan de gemeenteraad."),
    ),
    ownerDepartmentCode: "BZ-LOK",
    responsibleEmployeeNumber: MEHMET,
    themes: ["klantvriendelijkheid", "communicatie"],
    validFrom: "2020-05-01",
    validUntil: null,
    reviewDate: "2027-05-01",
    versions: [
      { publishedOn: "2020-04-20", changeNote: FIRST, substantial: true },
      {
        publishedOn: "2024-02-12",
        changeNote: "Termijn voor de ontvangstbevestiging verkort naar drie werkdagen.",
        substantial: false,
        changes: {
          body: doc(
            h2("Wat is een klacht?"),
            p(
              "Een burger is ontevreden over hoe de stad iets deed of niet deed. Een vraag of een melding is geen klacht.",
            ),
            h2("Zo werk je"),
            ol(
              "Registreer de klacht in het klachtensysteem.",
              "Stuur binnen drie werkdagen een ontvangstbevestiging.",
              [b("Antwoord binnen 30 dagen"), ". Leg uit wat je doet of waarom niet."],
            ),
            p("De klachtencoördinator volgt alle klachten op en rapporteert jaarlijks aan de gemeenteraad."),
          ),
        },
      },
    ],
  },
  {
    number: "2020/021",
    status: "published",
    title: "Opleiding en vorming",
    summary:
      "Je hebt recht op opleiding die je helpt in je job. Je bespreekt je opleidingsplan met je leidinggevende en schrijft je in via de opleidingscatalogus.",
    body: doc(
      h2("Je recht op opleiding"),
      p(
        "Elke medewerker volgt minstens twee opleidingsdagen per jaar. Opleiding tijdens je werkuren is werktijd.",
      ),
      h2("Inschrijven"),
      ol(
        "Bespreek je opleidingsplan in je loopbaangesprek.",
        "Kies een opleiding in de catalogus.",
        "Je leidinggevende keurt je inschrijving goed.",
      ),
      p("Voor een externe opleiding die meer dan 500 euro kost, tekent je departementshoofd mee."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: HANNE,
    themes: ["personeel-en-hr"],
    validFrom: "2020-09-01",
    validUntil: null,
    reviewDate: "2025-06-30",
    versions: [{ publishedOn: "2020-08-24", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2020/026",
    status: "archived",
    title: "Coronamaatregelen op de werkvloer",
    summary:
      "Draag een mondmasker in gedeelde ruimtes, houd afstand en ontsmet je handen. Deze maatregelen gelden niet meer.",
    body: doc(
      h2("Basisregels"),
      ul(
        "Draag een mondmasker in gangen, liften en vergaderzalen.",
        "Houd anderhalve meter afstand.",
        "Ontsmet je handen bij het binnenkomen.",
      ),
      h2("Ziek?"),
      p("Blijf thuis en verwittig je leidinggevende. Laat je testen."),
    ),
    ownerDepartmentCode: "FM-GEB",
    responsibleEmployeeNumber: NELE,
    themes: ["veiligheid", "welzijn-op-het-werk", "gebouwen-en-facility"],
    validFrom: "2020-10-19",
    validUntil: null,
    reviewDate: null,
    versions: [{ publishedOn: "2020-10-16", changeNote: FIRST, substantial: true }],
    archivedOn: "2022-03-14",
  },

  // ----- 2021 -------------------------------------------------------------------------------------------
  {
    number: "2021/002",
    status: "published",
    title: "Onthaal van nieuwe medewerkers",
    summary:
      "Een goed onthaal helpt nieuwe collega's snel op weg. De leidinggevende kiest een meter of peter en volgt een vast onthaalplan voor de eerste zes maanden.",
    body: doc(
      h2("Voor de eerste werkdag"),
      ul(
        "Laptop, badge en accounts zijn klaar.",
        "Het team weet wie er start.",
        "Er is een meter of peter aangeduid.",
      ),
      h2("De eerste week"),
      p("De nieuwe collega volgt de onthaaldag van de stad. Daar leert hij of zij de organisatie kennen."),
      h2("Opvolging"),
      p("De leidinggevende plant een gesprek na ", b("één, drie en zes maanden"), "."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: HANNE,
    themes: ["personeel-en-hr", "welzijn-op-het-werk"],
    validFrom: "2021-02-01",
    validUntil: null,
    reviewDate: "2027-02-01",
    versions: [
      { publishedOn: "2021-01-18", changeNote: FIRST, substantial: true },
      {
        publishedOn: "2023-10-02",
        changeNote: "Onthaaldag ook digitaal; checklist voor terreinwerkers toegevoegd.",
        substantial: false,
        changes: {
          body: doc(
            h2("Voor de eerste werkdag"),
            ul(
              "Laptop, badge en accounts zijn klaar.",
              "Het team weet wie er start.",
              "Er is een meter of peter aangeduid.",
            ),
            h2("De eerste week"),
            p("De nieuwe collega volgt de onthaaldag van de stad, op locatie of online."),
            h2("Terreinwerkers"),
            p(
              "Voor wie geen pc heeft, overloopt de ploegbaas de checklist op papier. Werkkledij en PBM liggen klaar op dag één.",
            ),
            h2("Opvolging"),
            p("De leidinggevende plant een gesprek na ", b("één, drie en zes maanden"), "."),
          ),
        },
      },
    ],
  },
  {
    number: "2021/008",
    status: "published",
    title: "Werken met persoonsgegevens (GDPR)",
    summary:
      "Je gebruikt persoonsgegevens alleen als je ze nodig hebt voor je taak. Je bewaart ze veilig en meldt elk datalek meteen aan de informatieveiligheidsconsulent.",
    body: doc(
      h2("De basisregels"),
      ul(
        "Vraag alleen gegevens die je echt nodig hebt.",
        "Gebruik gegevens alleen voor het doel waarvoor je ze kreeg.",
        "Bewaar ze niet langer dan nodig.",
      ),
      h2("Een datalek melden"),
      p(
        "Stuurde je een mail naar de verkeerde persoon? Verloor je een laptop? ",
        b("Meld het meteen"),
        " via het meldformulier op het intranet.",
      ),
      quote("Een datalek melden is nooit fout. Een datalek verzwijgen wel."),
    ),
    ownerDepartmentCode: "BV-JUR",
    responsibleEmployeeNumber: KATRIEN,
    themes: ["privacy-en-informatieveiligheid"],
    validFrom: "2021-03-01",
    validUntil: null,
    reviewDate: "2027-03-01",
    versions: [
      { publishedOn: "2021-02-22", changeNote: FIRST, substantial: true },
      {
        publishedOn: "2022-06-13",
        changeNote: "Meldtermijn voor datalekken verduidelijkt (binnen 24 uur).",
        substantial: false,
        changes: {
          body: doc(
            h2("De basisregels"),
            ul(
              "Vraag alleen gegevens die je echt nodig hebt.",
              "Gebruik gegevens alleen voor het doel waarvoor je ze kreeg.",
              "Bewaar ze niet langer dan nodig.",
            ),
            h2("Een datalek melden"),
            p(
              "Stuurde je een mail naar de verkeerde persoon? Verloor je een laptop? Meld het ",
              b("binnen 24 uur"),
              " via het meldformulier op het intranet.",
            ),
            quote("Een datalek melden is nooit fout. Een datalek verzwijgen wel."),
          ),
        },
      },
      {
        publishedOn: "2025-05-19",
        changeNote: "Nieuwe regels voor het delen van bestanden met externe partners.",
        substantial: true,
        changes: {
          body: doc(
            h2("De basisregels"),
            ul(
              "Vraag alleen gegevens die je echt nodig hebt.",
              "Gebruik gegevens alleen voor het doel waarvoor je ze kreeg.",
              "Bewaar ze niet langer dan nodig.",
            ),
            h2("Bestanden delen met externen"),
            p(
              "Deel persoonsgegevens alleen via een beveiligde link. Stuur ze ",
              b("nooit als bijlage"),
              " naar een privéadres.",
            ),
            h2("Een datalek melden"),
            p(
              "Stuurde je een mail naar de verkeerde persoon? Verloor je een laptop? Meld het ",
              b("binnen 24 uur"),
              " via het meldformulier op het intranet.",
            ),
            quote("Een datalek melden is nooit fout. Een datalek verzwijgen wel."),
          ),
        },
      },
    ],
  },
  {
    number: "2021/013",
    status: "published",
    title: "Wagenpark en dienstvoertuigen",
    summary:
      "Dienstvoertuigen gebruik je alleen voor je werk. Je reserveert ze in het reservatiesysteem, rijdt voorzichtig en meldt schade dezelfde dag.",
    body: doc(
      h2("Reserveren"),
      p(
        "Reserveer een dienstwagen of bestelwagen in het reservatiesysteem. Kies een elektrische wagen als die vrij is.",
      ),
      h2("Tijdens de rit"),
      ul(
        "Geen privéritten.",
        "Niet roken in het voertuig.",
        "Respecteer de verkeersregels. Boetes betaal je zelf.",
      ),
      h2("Schade of ongeval"),
      p("Vul het aanrijdingsformulier in en meld de schade ", b("dezelfde dag"), " aan de Dienst Logistiek."),
    ),
    ownerDepartmentCode: "FM-LOG",
    responsibleEmployeeNumber: RUDI,
    themes: ["mobiliteit", "veiligheid"],
    validFrom: "2021-04-01",
    validUntil: null,
    reviewDate: "2026-03-31",
    versions: [{ publishedOn: "2021-03-22", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2021/019",
    audience: ["field-workers"],
    status: "published",
    title: "Werkkledij en persoonlijke beschermingsmiddelen voor terreinwerkers",
    summary:
      "Terreinwerkers krijgen gratis werkkledij en beschermingsmiddelen. Je draagt ze altijd tijdens het werk. Versleten kledij ruil je om in het magazijn.",
    body: doc(
      h2("Wat krijg je?"),
      ul(
        "Werkkledij in de kleuren van de stad.",
        "Veiligheidsschoenen.",
        "Handschoenen, gehoor- en oogbescherming volgens je taak.",
      ),
      h2("Je plichten"),
      p(
        "Je draagt je ",
        b("beschermingsmiddelen altijd"),
        " als je taak dat vraagt. Je ploegbaas controleert dat.",
      ),
      h2("Omruilen"),
      p("Is iets versleten of stuk? Ruil het om in het magazijn. Je hoeft daarvoor niets te betalen."),
    ),
    ownerDepartmentCode: "FM-GEB",
    responsibleEmployeeNumber: NELE,
    themes: ["veiligheid", "welzijn-op-het-werk"],
    validFrom: "2021-05-01",
    validUntil: null,
    reviewDate: "2027-05-01",
    versions: [{ publishedOn: "2021-04-19", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2021/025",
    status: "published",
    title: "Verlofaanvragen en afwezigheden",
    summary:
      "Je vraagt verlof aan via het verlofformulier bij je leidinggevende. Ziek? Verwittig je leidinggevende voor 9 uur.",
    body: doc(
      h2("Verlof aanvragen"),
      p(
        "Vraag je verlof minstens een week vooraf aan. Je leidinggevende keurt goed of weigert met een reden.",
      ),
      h2("Ziekte"),
      ol(
        "Verwittig je leidinggevende vóór 9 uur.",
        "Bezorg een ziektebriefje binnen twee werkdagen.",
        "Blijf bereikbaar voor de controlearts.",
      ),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: GRIET,
    themes: ["personeel-en-hr"],
    validFrom: "2021-07-01",
    validUntil: "2025-01-31",
    reviewDate: null,
    versions: [{ publishedOn: "2021-06-21", changeNote: FIRST, substantial: true }],
  },

  // ----- 2022 -------------------------------------------------------------------------------------------
  {
    number: "2022/005",
    status: "published",
    title: "Plaatsonafhankelijk werken",
    summary:
      "Werk je op kantoor? Dan kan je tot twee dagen per week thuis of op een andere plek werken. Je maakt afspraken met je team en blijft bereikbaar.",
    body: doc(
      h2("Voor wie?"),
      p("Voor iedereen met een job die je ook buiten het kantoor kan doen. Je leidinggevende beslist mee."),
      h2("De afspraken"),
      ul(
        [b("Maximaal twee dagen per week"), " buiten het kantoor."],
        "Iedereen is minstens één vaste teamdag samen op kantoor.",
        "Je bent bereikbaar tijdens de stamtijden.",
      ),
      h2("Vergoeding"),
      p("Je krijgt een maandelijkse vergoeding voor internet en kantoorkosten."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: AN,
    themes: ["personeel-en-hr", "welzijn-op-het-werk", "ict-en-digitale-werkplek"],
    validFrom: "2022-04-01",
    validUntil: null,
    reviewDate: "2027-04-01",
    versions: [{ publishedOn: "2022-03-21", changeNote: FIRST, substantial: true }],
    supersedesNumber: "2020/003",
  },
  {
    number: "2022/007",
    audience: ["field-workers", "department:FM"],
    status: "published",
    title: "Hitteplan voor buitendiensten",
    summary:
      "Bij grote hitte pas je je werk buiten aan. Je begint vroeger, drinkt genoeg water en rust in de schaduw. De ploegbaas beslist over het zware werk.",
    body: doc(
      h2("Wanneer geldt het hitteplan?"),
      p("Het hitteplan start als het KMI een warmtegolf of temperaturen boven 30 graden voorspelt."),
      h2("Wat doe je?"),
      ul(
        "Begin om 6 uur en stop om 14 uur.",
        "Drink elk uur minstens een halve liter water.",
        "Neem extra pauzes in de schaduw.",
      ),
      h2("Wat doet je ploegbaas?"),
      p("Hij of zij plant zwaar werk in de ochtend en zorgt voor water en zonnecrème."),
    ),
    ownerDepartmentCode: "FM-GEB",
    responsibleEmployeeNumber: NELE,
    themes: ["veiligheid", "welzijn-op-het-werk"],
    validFrom: "2022-06-01",
    validUntil: null,
    reviewDate: "2027-04-30",
    versions: [
      { publishedOn: "2022-05-23", changeNote: FIRST, substantial: true },
      {
        publishedOn: "2025-06-02",
        changeNote: "Code rood toegevoegd: bij 35 graden of meer stopt zwaar werk buiten om 12 uur.",
        substantial: true,
        changes: {
          title: "Hitteplan voor buitendiensten en terreinwerk",
          body: doc(
            h2("Wanneer geldt het hitteplan?"),
            p("Het hitteplan start als het KMI een warmtegolf of temperaturen boven 30 graden voorspelt."),
            h2("Wat doe je?"),
            ul(
              "Begin om 6 uur en stop om 14 uur.",
              "Drink elk uur minstens een halve liter water.",
              "Neem extra pauzes in de schaduw.",
            ),
            h2("Code rood"),
            p(
              "Bij ",
              b("35 graden of meer"),
              " stopt zwaar werk buiten om 12 uur. Je doet daarna lichter werk binnen.",
            ),
            h2("Wat doet je ploegbaas?"),
            p("Hij of zij plant zwaar werk in de ochtend en zorgt voor water en zonnecrème."),
          ),
        },
      },
    ],
  },
  {
    number: "2022/012",
    status: "published",
    title: "Meldpunt grensoverschrijdend gedrag",
    summary:
      "Word je gepest, bedreigd of lastiggevallen op het werk? Praat erover met de vertrouwenspersoon of meld het bij het meldpunt. Je melding blijft vertrouwelijk.",
    body: doc(
      h2("Wat is grensoverschrijdend gedrag?"),
      p(
        "Pesten, geweld, ongewenst seksueel gedrag en discriminatie. Het maakt niet uit of het van een collega of van een burger komt.",
      ),
      h2("Waar kan je terecht?"),
      ul(
        [b("De vertrouwenspersoon"), " luistert en zoekt samen met jou een oplossing."],
        [b("Het meldpunt"), " neemt je formele klacht op."],
        "De externe preventiedienst als je liever iemand van buiten spreekt.",
      ),
      quote("Je melding is vertrouwelijk. Wie meldt, wordt beschermd."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: GRIET,
    themes: ["welzijn-op-het-werk", "personeel-en-hr"],
    validFrom: "2022-05-01",
    validUntil: null,
    reviewDate: "2026-05-01",
    versions: [{ publishedOn: "2022-04-25", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2022/018",
    status: "published",
    title: "Klare taal in brieven aan burgers",
    summary:
      "Schrijf brieven en mails aan burgers in eenvoudige taal. Gebruik korte zinnen, spreek de lezer aan met 'u' en zet de belangrijkste boodschap bovenaan.",
    body: doc(
      h2("Waarom klare taal?"),
      p(
        "Een burger moet een brief van de stad meteen begrijpen. Dat spaart vragen aan het loket en aan de telefoon.",
      ),
      h2("Zo schrijf je helder"),
      ol(
        "Zet de belangrijkste boodschap in de eerste zin.",
        "Schrijf korte zinnen van maximaal vijftien woorden.",
        "Gebruik gewone woorden. Vermijd vakjargon en afkortingen.",
        "Zeg wat de lezer moet doen en tegen wanneer.",
      ),
      p("Laat een moeilijke brief nalezen door de taaladviseur van de Dienst Communicatie."),
    ),
    ownerDepartmentCode: "BV-COM",
    responsibleEmployeeNumber: FATIMA,
    themes: ["communicatie", "klantvriendelijkheid"],
    validFrom: "2022-09-01",
    validUntil: null,
    reviewDate: "2027-09-01",
    versions: [{ publishedOn: "2022-08-29", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2022/023",
    status: "published",
    title: "Aankoopprocedure voor kleine bestedingen",
    summary:
      "Voor aankopen onder 3.000 euro zonder btw volstaat een vereenvoudigde procedure. Je vraagt minstens één offerte en bestelt via het aankoopsysteem.",
    body: doc(
      h2("Wanneer geldt deze procedure?"),
      p(
        "Voor aankopen van ",
        b("minder dan 3.000 euro zonder btw"),
        ". Daarboven volg je de gewone procedure van de overheidsopdrachten.",
      ),
      h2("Stappen"),
      ol(
        "Kijk eerst of er een raamcontract is.",
        "Vraag minstens één offerte.",
        "Maak een bestelbon in het aankoopsysteem.",
        "Je budgethouder keurt goed.",
      ),
      p("Splits een grote aankoop nooit op om onder de grens te blijven."),
    ),
    ownerDepartmentCode: "FM-LOG",
    responsibleEmployeeNumber: RUDI,
    themes: ["financien-en-aankoop"],
    validFrom: "2022-10-01",
    validUntil: null,
    reviewDate: "2026-10-01",
    versions: [{ publishedOn: "2022-09-19", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2022/030",
    status: "published",
    title: "Energie besparen in stadsgebouwen tijdens de winter 2022-2023",
    summary:
      "Door de hoge energieprijzen verwarmen we kantoren tot 19 graden. Zet je toestellen uit als je vertrekt en laat geen ramen openstaan.",
    body: doc(
      h2("Wat verandert er?"),
      ul(
        "Kantoren worden verwarmd tot 19 graden.",
        "Gangen en archieven worden minder verwarmd.",
        "Buitenverlichting gaat vroeger uit.",
      ),
      h2("Wat kan jij doen?"),
      p("Zet je scherm en lampen uit als je vertrekt. Sluit ramen en deuren."),
    ),
    ownerDepartmentCode: "FM-GEB",
    responsibleEmployeeNumber: KOEN,
    themes: ["milieu-en-duurzaamheid", "gebouwen-en-facility"],
    validFrom: "2022-11-01",
    validUntil: "2023-03-31",
    reviewDate: null,
    versions: [{ publishedOn: "2022-10-24", changeNote: FIRST, substantial: true }],
  },

  // ----- 2023 -------------------------------------------------------------------------------------------
  {
    number: "2023/003",
    status: "published",
    title: "Telefonie en mobiele toestellen",
    summary:
      "Heb je een smartphone van de stad nodig voor je werk? Je leidinggevende vraagt hem aan. Je beschermt het toestel met een code en meldt verlies meteen.",
    body: doc(
      h2("Wie krijgt een toestel?"),
      p(
        "Medewerkers die vaak onderweg zijn of wachtdienst doen. Je leidinggevende vraagt het aan bij de ICT-dienst.",
      ),
      h2("Regels"),
      ul(
        "Beveilig je toestel met een pincode of vingerafdruk.",
        "Installeer alleen apps uit de bedrijfsportal.",
        "Beperkt privégebruik mag.",
      ),
      h2("Verlies of diefstal"),
      p("Meld het ", b("meteen"), " aan de ICT-servicedesk. Zij wissen het toestel op afstand."),
    ),
    ownerDepartmentCode: "BV-ICT",
    responsibleEmployeeNumber: BRAM,
    themes: ["ict-en-digitale-werkplek", "privacy-en-informatieveiligheid"],
    validFrom: "2023-02-01",
    validUntil: null,
    reviewDate: "2026-09-30",
    versions: [{ publishedOn: "2023-01-23", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2023/009",
    status: "published",
    title: "Wachtdiensten en oproepbaarheid",
    summary:
      "Sommige diensten zijn ook buiten de werkuren bereikbaar. Tijdens je wachtdienst ben je binnen 30 minuten ter plaatse. Je krijgt daarvoor een toelage.",
    body: doc(
      h2("Welke diensten?"),
      p("Onder meer wegen, gebouwenbeheer, ICT en crisiscommunicatie. Elke dienst maakt een wachtrooster."),
      h2("Tijdens je wachtdienst"),
      ul(
        "Je bent telefonisch bereikbaar.",
        [b("Je bent binnen 30 minuten"), " ter plaatse als dat nodig is."],
        "Je drinkt geen alcohol.",
      ),
      h2("Vergoeding"),
      p("Je krijgt een toelage per wachtdienst. Een oproep telt als overuren."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: YOUSSEF,
    themes: ["personeel-en-hr", "organisatie-en-reorganisatie"],
    validFrom: "2023-03-01",
    validUntil: null,
    reviewDate: "2027-03-01",
    versions: [{ publishedOn: "2023-02-20", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2023/015",
    status: "published",
    title: "Sociale media voor medewerkers",
    summary:
      "Je mag over je werk bij de stad posten, maar je spreekt niet namens de stad. Deel geen vertrouwelijke informatie en blijf respectvol.",
    body: doc(
      h2("Posten over je werk"),
      p("Ben je trots op een project? Deel het gerust. Maak wel duidelijk dat het je eigen mening is."),
      h2("Wat doe je niet?"),
      ul(
        "Geen vertrouwelijke of persoonlijke gegevens delen.",
        "Geen foto's van burgers zonder hun toestemming.",
        "Niet reageren namens de stad.",
      ),
      h2("Krijg je een vraag of klacht?"),
      p("Verwijs door naar de officiële kanalen van de stad. Het webteam antwoordt."),
    ),
    ownerDepartmentCode: "BV-COM",
    responsibleEmployeeNumber: LOTTE,
    themes: ["communicatie", "privacy-en-informatieveiligheid"],
    validFrom: "2023-04-01",
    validUntil: null,
    reviewDate: "2027-04-01",
    versions: [{ publishedOn: "2023-03-27", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2023/021",
    status: "published",
    title: "Werken in de digitale werkplek",
    summary:
      "De digitale werkplek brengt je mail, Teams, bestanden en het intranet samen. Je bewaart werkbestanden in Teams of OneDrive, niet op je laptop.",
    body: doc(
      h2("Wat is de digitale werkplek?"),
      p(
        "Eén plek waar je kan samenwerken, informatie vindt en nieuws leest. Je logt in met je stadsaccount.",
      ),
      h2("Bestanden bewaren"),
      ul(
        [b("Teams"), " voor bestanden van je team."],
        [b("OneDrive"), " voor je eigen werkdocumenten."],
        "Niet op je bureaublad of een USB-stick.",
      ),
      h2("Hulp nodig?"),
      p("Vraag het aan de digitale ambassadeur in je dienst of bel de ICT-servicedesk."),
    ),
    ownerDepartmentCode: "BV-ICT",
    responsibleEmployeeNumber: SOFIE,
    themes: ["ict-en-digitale-werkplek", "communicatie"],
    validFrom: "2023-06-01",
    validUntil: null,
    reviewDate: "2026-12-31",
    versions: [
      { publishedOn: "2023-05-22", changeNote: FIRST, substantial: true },
      {
        publishedOn: "2024-11-18",
        changeNote: "Werkplek ook op smartphone voor medewerkers zonder pc; nieuwe naam intranet.",
        substantial: false,
        changes: {
          summary:
            "De digitale werkplek brengt je mail, Teams, bestanden en het intranet samen, ook op je smartphone. Bewaar werkbestanden in Teams of OneDrive.",
          body: doc(
            h2("Wat is de digitale werkplek?"),
            p(
              "Eén plek waar je kan samenwerken, informatie vindt en nieuws leest. Je logt in met je stadsaccount.",
            ),
            h2("Ook zonder pc"),
            p(
              "Werk je op het terrein? Je opent de werkplek met de app op je smartphone. Zo lees je nieuws en circulaires waar je ook bent.",
            ),
            h2("Bestanden bewaren"),
            ul(
              [b("Teams"), " voor bestanden van je team."],
              [b("OneDrive"), " voor je eigen werkdocumenten."],
              "Niet op je bureaublad of een USB-stick.",
            ),
            h2("Hulp nodig?"),
            p("Vraag het aan de digitale ambassadeur in je dienst of bel de ICT-servicedesk."),
          ),
        },
      },
    ],
  },
  {
    number: "2023/027",
    status: "published",
    title: "Een arbeidsongeval melden",
    summary:
      "Had je een ongeval op het werk of onderweg? Verwittig je leidinggevende dezelfde dag. De preventiedienst helpt je met de aangifte.",
    body: doc(
      h2("Meteen na het ongeval"),
      ol("Laat je verzorgen.", "Verwittig je leidinggevende dezelfde dag.", "Noteer namen van getuigen."),
      h2("De aangifte"),
      p(
        "Je leidinggevende vult de aangifte in binnen ",
        b("acht dagen"),
        ". De preventiedienst onderzoekt hoe het gebeurde.",
      ),
      p("Ook een ongeval op weg van of naar het werk is een arbeidsongeval."),
    ),
    ownerDepartmentCode: "FM-GEB",
    responsibleEmployeeNumber: NELE,
    themes: ["veiligheid", "welzijn-op-het-werk", "personeel-en-hr"],
    validFrom: "2023-07-01",
    validUntil: null,
    reviewDate: "2027-07-01",
    versions: [{ publishedOn: "2023-06-19", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2023/033",
    status: "published",
    title: "Wachtwoorden en tweestapsverificatie",
    summary:
      "Je stadsaccount beschermt veel gevoelige gegevens. Kies een lange wachtwoordzin, gebruik tweestapsverificatie en geef je code nooit aan iemand anders.",
    body: doc(
      h2("Een sterk wachtwoord"),
      p("Gebruik een wachtwoordzin van minstens ", b("14 tekens"), ". Gebruik hem nergens anders."),
      h2("Tweestapsverificatie"),
      p(
        "Je bevestigt elke aanmelding met de app op je smartphone. Krijg je een vraag die je niet verwacht? Weiger ze en meld het.",
      ),
      quote("De ICT-dienst vraagt nooit naar je wachtwoord."),
    ),
    ownerDepartmentCode: "BV-ICT",
    responsibleEmployeeNumber: BRAM,
    themes: ["privacy-en-informatieveiligheid", "ict-en-digitale-werkplek"],
    validFrom: "2023-10-01",
    validUntil: null,
    reviewDate: "2026-10-01",
    versions: [{ publishedOn: "2023-09-25", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2023/038",
    status: "published",
    title: "Collega's zonder pc bereiken",
    summary:
      "Veel collega's werken op het terrein en lezen geen mail. Zorg dat belangrijke informatie hen ook bereikt: via de ploegbaas, de app en papier in de refter.",
    body: doc(
      h2("Waarom?"),
      p(
        "Bijna de helft van de collega's werkt niet aan een bureau. Zij hebben evenveel recht op informatie.",
      ),
      h2("Zo bereik je hen"),
      ul(
        [b("De ploegbaas"), " bespreekt belangrijk nieuws in het ochtendoverleg."],
        "Berichten staan ook in de app van de digitale werkplek.",
        "Een korte affiche hangt in de refter en de kleedkamer.",
      ),
      h2("Tips voor je bericht"),
      p("Houd het kort. Gebruik een beeld. Zeg wat er verandert voor de lezer."),
    ),
    ownerDepartmentCode: "BV-COM",
    responsibleEmployeeNumber: FATIMA,
    themes: ["communicatie", "organisatie-en-reorganisatie"],
    validFrom: "2023-12-01",
    validUntil: null,
    reviewDate: "2027-12-01",
    versions: [{ publishedOn: "2023-11-27", changeNote: FIRST, substantial: true }],
  },

  // ----- 2024 -------------------------------------------------------------------------------------------
  {
    number: "2024/002",
    status: "published",
    title: "Interne communicatie bij het veranderproject 'Stad in Beweging'",
    summary:
      "Tijdens 'Stad in Beweging' hoor je nieuws over je dienst eerst van je leidinggevende. Daarna volgt het op het intranet. Vragen stel je op de infomomenten.",
    body: doc(
      h2("Wat is Stad in Beweging?"),
      p(
        "Stad in Beweging brengt diensten samen die vandaag gelijkaardig werk doen. Zo werken we eenvoudiger voor de burger.",
      ),
      h2("Hoe hoor je het nieuws?"),
      ol(
        [b("Eerst van je leidinggevende"), ", in een teamoverleg."],
        "Daarna op het intranet en in de app.",
        "Nooit eerst via de pers.",
      ),
      h2("Vragen?"),
      p(
        "Kom naar een infomoment of stel je vraag via het vragenformulier. Je krijgt antwoord binnen een week.",
      ),
    ),
    ownerDepartmentCode: "BV-COM",
    responsibleEmployeeNumber: FATIMA,
    themes: ["organisatie-en-reorganisatie", "communicatie"],
    validFrom: "2024-01-15",
    validUntil: "2025-12-31",
    reviewDate: null,
    versions: [{ publishedOn: "2024-01-08", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2024/006",
    status: "published",
    title: "Huisstijl, logo en beeldgebruik",
    summary:
      "Alles wat de stad maakt, herken je aan één huisstijl. Gebruik de sjablonen van de digitale werkplek. Projecten krijgen geen eigen logo, wel een eigen beeld.",
    body: doc(
      h2("Eén stad, één stijl"),
      p("Burgers herkennen de stad aan het logo, de kleuren en het lettertype. Dat geeft vertrouwen."),
      h2("Zo gebruik je de huisstijl"),
      ul("Maak documenten met de sjablonen in de digitale werkplek.", "Download het logo uit de beeldbank.", [
        b("Geen eigen logo's"),
        ". Een project mag wel een eigen illustratie of foto hebben.",
      ]),
      h2("Interne campagnes"),
      p(
        "Ook affiches en berichten voor collega's volgen de huisstijl. De Dienst Communicatie helpt je graag.",
      ),
    ),
    ownerDepartmentCode: "BV-COM",
    responsibleEmployeeNumber: THOMAS,
    themes: ["communicatie"],
    validFrom: "2024-03-01",
    validUntil: null,
    reviewDate: "2028-03-01",
    versions: [{ publishedOn: "2024-02-19", changeNote: FIRST, substantial: true }],
    supersedesNumber: "2019/004",
  },
  {
    number: "2024/011",
    audience: ["department:BZ", "department:SO"],
    status: "published",
    title: "Agressie aan het loket",
    summary:
      "Wordt een burger agressief? Blijf rustig, zet de grens en haal hulp met de alarmknop. Na elk incident vul je een meldformulier in.",
    body: doc(
      h2("Tijdens een incident"),
      ol(
        "Blijf rustig en spreek kalm.",
        "Zeg duidelijk welk gedrag niet kan.",
        "Druk op de alarmknop als je je onveilig voelt.",
      ),
      h2("Na een incident"),
      p(
        "Vul het meldformulier in. Praat erover met je teamcoach. Je kan ook ",
        b("opvang"),
        " krijgen van een collega van het opvangteam.",
      ),
    ),
    ownerDepartmentCode: "BZ-LOK",
    responsibleEmployeeNumber: MEHMET,
    themes: ["veiligheid", "klantvriendelijkheid", "welzijn-op-het-werk"],
    validFrom: "2024-04-01",
    validUntil: null,
    reviewDate: "2027-04-01",
    versions: [{ publishedOn: "2024-03-25", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2024/016",
    status: "published",
    title: "Duurzame catering bij vergaderingen en evenementen",
    summary:
      "Bij vergaderingen en evenementen kies je voor vegetarisch, lokaal en zonder wegwerpservies. Bestel via de raamcontracten voor catering.",
    body: doc(
      h2("De basis"),
      ul("Vegetarisch is de standaard.", "Kraantjeswater in kannen, geen flesjes.", "Herbruikbaar servies."),
      h2("Bestellen"),
      p("Bestel via de raamcontracten. Die cateraars werken met ", b("lokale en seizoensproducten"), "."),
    ),
    ownerDepartmentCode: "MK-KLI",
    responsibleEmployeeNumber: RUBEN,
    themes: ["milieu-en-duurzaamheid", "financien-en-aankoop"],
    validFrom: "2024-05-01",
    validUntil: null,
    reviewDate: "2027-05-01",
    versions: [{ publishedOn: "2024-04-22", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2024/020",
    status: "published",
    title: "Afval sorteren in stadsgebouwen",
    summary:
      "In elk stadsgebouw sorteer je papier, pmd, gft en restafval. De schoonmaakploeg haalt de centrale afvalpunten op. Bureaus hebben geen eigen vuilbak meer.",
    body: doc(
      h2("Centrale afvalpunten"),
      p("Op elke verdieping staat een afvalpunt met vier bakken. Je eigen vuilbak aan je bureau verdwijnt."),
      ul("Papier en karton.", "Pmd.", "Gft en etensresten.", "Restafval."),
      p("Twijfel je? De sorteerwijzer hangt boven elk afvalpunt."),
    ),
    ownerDepartmentCode: "FM-GEB",
    responsibleEmployeeNumber: KOEN,
    themes: ["milieu-en-duurzaamheid", "gebouwen-en-facility"],
    validFrom: "2024-06-01",
    validUntil: null,
    reviewDate: "2028-06-01",
    versions: [{ publishedOn: "2024-05-21", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2024/024",
    status: "published",
    title: "Evacuatie en brandoefeningen",
    summary:
      "Hoor je het alarm? Verlaat het gebouw via de dichtstbijzijnde uitgang en ga naar de verzamelplaats. Elk gebouw houdt minstens één oefening per jaar.",
    body: doc(
      h2("Bij alarm"),
      ol(
        "Stop je werk meteen.",
        "Gebruik de trap, nooit de lift.",
        "Ga naar de verzamelplaats en meld je bij de evacuatieverantwoordelijke.",
      ),
      h2("Oefeningen"),
      p(
        "Elk gebouw houdt ",
        b("minstens één oefening per jaar"),
        ". Doe altijd mee, ook als je het druk hebt.",
      ),
    ),
    ownerDepartmentCode: "FM-GEB",
    responsibleEmployeeNumber: NELE,
    themes: ["veiligheid", "gebouwen-en-facility"],
    validFrom: "2024-07-01",
    validUntil: null,
    reviewDate: "2027-07-01",
    versions: [{ publishedOn: "2024-06-24", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2024/029",
    status: "published",
    title: "Flexplekken en vergaderzalen",
    summary:
      "In het Administratief Centrum heb je geen vaste bureauplek meer. Je reserveert een flexplek of vergaderzaal in de app en laat je plek netjes achter.",
    body: doc(
      h2("Reserveren"),
      p(
        "Reserveer een flexplek of vergaderzaal in de app van de digitale werkplek. Annuleer als je niet komt.",
      ),
      h2("Clean desk"),
      ul(
        "Neem je spullen mee als je vertrekt.",
        "Bewaar ze in je locker.",
        "Laat geen papieren met persoonsgegevens liggen.",
      ),
    ),
    ownerDepartmentCode: "FM-GEB",
    responsibleEmployeeNumber: KOEN,
    themes: ["gebouwen-en-facility", "ict-en-digitale-werkplek"],
    validFrom: "2024-09-01",
    validUntil: null,
    reviewDate: "2027-09-01",
    versions: [{ publishedOn: "2024-08-26", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2024/033",
    status: "published",
    title: "Dienstverlening tijdens de verkiezingen van oktober 2024",
    summary:
      "Rond de verkiezingen van 13 oktober 2024 zijn de loketten anders open. Medewerkers van Burgerzaken nemen in die periode geen verlof.",
    body: doc(
      h2("Aangepaste openingsuren"),
      p(
        "Van 1 tot 12 oktober zijn de loketten ook op zaterdagvoormiddag open voor volmachten en nieuwe oproepingsbrieven.",
      ),
      h2("Verlofstop"),
      p("Medewerkers van Burgerzaken nemen ", b("geen verlof van 23 september tot 18 oktober"), "."),
    ),
    ownerDepartmentCode: "BZ-LOK",
    responsibleEmployeeNumber: MEHMET,
    themes: ["klantvriendelijkheid", "organisatie-en-reorganisatie"],
    validFrom: "2024-09-23",
    validUntil: "2024-10-31",
    reviewDate: null,
    versions: [{ publishedOn: "2024-09-09", changeNote: FIRST, substantial: true }],
  },

  // ----- 2025 -------------------------------------------------------------------------------------------
  {
    number: "2025/004",
    status: "published",
    title: "Verlof en afwezigheden in het HR-portaal",
    summary:
      "Je vraagt verlof aan in het HR-portaal of in de app. Ziek? Verwittig je leidinggevende voor de start van je dienst en registreer je afwezigheid.",
    body: doc(
      h2("Verlof aanvragen"),
      p(
        "Vraag verlof aan in het HR-portaal of in de app. Je leidinggevende krijgt een melding en beslist binnen vijf werkdagen.",
      ),
      h2("Ziekte"),
      ol(
        [b("Verwittig je leidinggevende"), " vóór de start van je dienst."],
        "Registreer je afwezigheid in het portaal.",
        "Laad je ziektebriefje op binnen twee werkdagen.",
      ),
      quote("Geen toegang tot het portaal? Je teamleider registreert voor jou."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: GRIET,
    themes: ["personeel-en-hr", "ict-en-digitale-werkplek"],
    validFrom: "2025-02-01",
    validUntil: null,
    reviewDate: "2028-02-01",
    versions: [{ publishedOn: "2025-01-20", changeNote: FIRST, substantial: true }],
    supersedesNumber: "2021/025",
  },
  {
    number: "2025/010",
    status: "published",
    title: "Veranderingen aankondigen aan je team",
    summary:
      "Als leidinggevende vertel je een verandering eerst zelf aan je team, voor het op het intranet staat. Leg uit waarom, wat er verandert en wat blijft.",
    body: doc(
      h2("Jij bent de eerste bron"),
      p(
        "Medewerkers willen nieuws over hun job horen van hun leidinggevende. Niet van een collega en niet uit de krant.",
      ),
      h2("Zo pak je het aan"),
      ol(
        "Vertel waarom de verandering nodig is.",
        "Zeg concreet wat er verandert en wat blijft.",
        "Geef een tijdslijn.",
        "Laat ruimte voor vragen en bezorgdheden.",
      ),
      h2("Hulp"),
      p(
        "De Dienst Communicatie maakt een draaiboek en kernboodschappen met je. Vraag het ",
        b("minstens twee weken vooraf"),
        ".",
      ),
    ),
    ownerDepartmentCode: "BV-COM",
    responsibleEmployeeNumber: NATALIA,
    themes: ["communicatie", "organisatie-en-reorganisatie"],
    validFrom: "2025-03-01",
    validUntil: null,
    reviewDate: "2028-03-01",
    versions: [{ publishedOn: "2025-02-24", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2025/015",
    status: "published",
    title: "Werken bij Gent: samen één verhaal vertellen",
    summary:
      "We vertellen binnen en buiten hetzelfde verhaal over werken bij de stad. Vacatures, onthaal en interne campagnes gebruiken dezelfde toon en beelden.",
    body: doc(
      h2("Waarom?"),
      p(
        "Collega's zijn de beste ambassadeurs van de stad als werkgever. Een sterk verhaal helpt ook om nieuwe mensen te vinden.",
      ),
      h2("Wat betekent dat voor jou?"),
      ul(
        "Gebruik de beelden en sjablonen van 'Werken bij Gent'.",
        "Laat echte collega's aan het woord.",
        "Schrijf warm, eerlijk en eenvoudig.",
      ),
    ),
    ownerDepartmentCode: "BV-COM",
    responsibleEmployeeNumber: LOTTE,
    themes: ["communicatie", "personeel-en-hr"],
    validFrom: "2025-05-01",
    validUntil: null,
    reviewDate: "2028-05-01",
    versions: [{ publishedOn: "2025-04-28", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2025/019",
    status: "published",
    title: "Generatieve AI gebruiken in je werk",
    summary:
      "Je mag alleen de AI-assistent van de digitale werkplek gebruiken. Voer nooit persoonsgegevens of vertrouwelijke informatie in publieke AI-tools in.",
    body: doc(
      h2("Welke tools?"),
      p("Gebruik de AI-assistent in de digitale werkplek. Je gegevens blijven dan binnen de stad."),
      h2("Regels"),
      ul(
        [b("Geen persoonsgegevens"), " in publieke AI-tools."],
        "Controleer altijd wat de tool schrijft.",
        "Jij blijft verantwoordelijk voor de tekst die je verstuurt.",
      ),
      p("Twijfel je? Vraag raad aan de informatieveiligheidsconsulent."),
    ),
    ownerDepartmentCode: "BV-ICT",
    responsibleEmployeeNumber: ELIF,
    themes: ["ict-en-digitale-werkplek", "privacy-en-informatieveiligheid"],
    validFrom: "2025-06-01",
    validUntil: null,
    reviewDate: "2026-06-01",
    versions: [
      { publishedOn: "2025-05-26", changeNote: FIRST, substantial: true },
      {
        publishedOn: "2025-10-13",
        changeNote: "Vertaaltool toegevoegd aan de toegelaten tools.",
        substantial: false,
        changes: {
          body: doc(
            h2("Welke tools?"),
            p(
              "Gebruik de AI-assistent en de vertaaltool in de digitale werkplek. Je gegevens blijven dan binnen de stad.",
            ),
            h2("Regels"),
            ul(
              [b("Geen persoonsgegevens"), " in publieke AI-tools."],
              "Controleer altijd wat de tool schrijft.",
              "Jij blijft verantwoordelijk voor de tekst die je verstuurt.",
            ),
            p("Twijfel je? Vraag raad aan de informatieveiligheidsconsulent."),
          ),
        },
      },
    ],
  },
  {
    number: "2025/023",
    status: "published",
    title: "Alcohol en drugs op het werk",
    summary:
      "Op het werk drink je geen alcohol en gebruik je geen drugs. Merkt je leidinggevende dat je niet fit bent? Dan mag je niet verder werken en zoekt hij samen met jou hulp.",
    body: doc(
      h2("De regel"),
      p(
        "Tijdens je werk en je wachtdienst gebruik je geen alcohol of drugs. Ook niet tijdens de middagpauze.",
      ),
      h2("Als het misloopt"),
      ol(
        "Je leidinggevende stopt je werk als je niet veilig kan werken.",
        "Je wordt veilig naar huis gebracht.",
        "Er volgt een gesprek.",
      ),
      h2("Hulp"),
      p("Heb je een probleem? Praat vertrouwelijk met de arbeidsgeneesheer of de vertrouwenspersoon."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: GRIET,
    themes: ["welzijn-op-het-werk", "veiligheid"],
    validFrom: "2025-09-01",
    validUntil: null,
    reviewDate: "2028-09-01",
    versions: [{ publishedOn: "2025-08-25", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2025/027",
    status: "in_review",
    title: "Klantvriendelijk onthaal aan loket en telefoon",
    summary:
      "Elke burger verdient een vriendelijk en duidelijk antwoord. Je neemt de telefoon op met je naam en dienst en verwijst iemand nooit zomaar door.",
    body: doc(
      h2("Aan de telefoon"),
      ul(
        "Neem op binnen drie keer rinkelen.",
        "Zeg je naam en je dienst.",
        "Kan je niet helpen? Zoek wie dat wel kan en verbind door.",
      ),
      h2("Aan het loket"),
      p("Kijk de burger aan, luister en vat samen wat hij vraagt. Leg uit wat de volgende stap is."),
    ),
    ownerDepartmentCode: "BZ-LOK",
    responsibleEmployeeNumber: MEHMET,
    themes: ["klantvriendelijkheid", "communicatie"],
    validFrom: "2025-11-01",
    validUntil: null,
    reviewDate: "2028-11-01",
    versions: [{ publishedOn: "2025-10-27", changeNote: FIRST, substantial: true }],
    pending: {
      changeNote: "Regels voor antwoorden via chat en e-mail toegevoegd.",
      substantial: true,
      submittedOn: "2026-11-16",
      changes: {
        title: "Klantvriendelijk onthaal aan loket, telefoon en chat",
        body: doc(
          h2("Aan de telefoon"),
          ul(
            "Neem op binnen drie keer rinkelen.",
            "Zeg je naam en je dienst.",
            "Kan je niet helpen? Zoek wie dat wel kan en verbind door.",
          ),
          h2("Aan het loket"),
          p("Kijk de burger aan, luister en vat samen wat hij vraagt. Leg uit wat de volgende stap is."),
          h2("Via chat en e-mail"),
          p(
            "Antwoord op een chat binnen ",
            b("vijf minuten"),
            " en op een mail binnen twee werkdagen. Schrijf in klare taal.",
          ),
        ),
      },
    },
  },

  // ----- 2026 -------------------------------------------------------------------------------------------
  {
    number: "2026/002",
    status: "published",
    title: "Thuiswerkvergoeding en internetvergoeding 2026",
    summary:
      "Werk je regelmatig thuis? Dan krijg je in 2026 een vaste maandelijkse vergoeding voor kantoorkosten en internet. Je hoeft daarvoor niets aan te vragen.",
    body: doc(
      h2("Wie krijgt de vergoeding?"),
      p(
        "Iedereen die volgens de afspraken over plaatsonafhankelijk werken minstens vier dagen per maand thuis werkt.",
      ),
      h2("Hoeveel?"),
      ul(
        [b("Kantoorkosten"), ": een vast bedrag per maand."],
        [b("Internet"), ": een vast bedrag per maand."],
      ),
      p("Het bedrag staat automatisch op je loonbrief. De bedragen vind je in het HR-portaal."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: YOUSSEF,
    themes: ["personeel-en-hr", "financien-en-aankoop"],
    validFrom: "2026-01-01",
    validUntil: "2026-12-31",
    reviewDate: "2026-12-01",
    versions: [{ publishedOn: "2026-01-05", changeNote: FIRST, substantial: true }],
  },
  {
    number: "2026/005",
    status: "draft",
    title: "Mantelzorg en flexibel werken",
    summary:
      "Zorg je voor een ziek familielid? Dan kan je je uren flexibeler invullen. Je bespreekt de mogelijkheden vertrouwelijk met je leidinggevende.",
    body: doc(
      h2("Voor wie?"),
      p("Voor collega's die zorgen voor een partner, kind, ouder of vriend met een ziekte of beperking."),
      h2("Mogelijkheden"),
      ul("Glijdende uren buiten de stamtijden.", "Tijdelijk minder uren werken.", "Extra thuiswerkdagen."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: AN,
    themes: ["personeel-en-hr", "welzijn-op-het-werk"],
    validFrom: null,
    validUntil: null,
    reviewDate: null,
    versions: [],
  },
  {
    number: "2026/008",
    status: "draft",
    title: "Onthaal en begeleiding van stagiairs",
    summary: "",
    body: doc(
      h2("Voor de start"),
      p("Elke stagiair krijgt een stagementor in de dienst."),
      p("Nog aan te vullen."),
    ),
    ownerDepartmentCode: "BV-HR",
    responsibleEmployeeNumber: HANNE,
    themes: ["personeel-en-hr"],
    validFrom: null,
    validUntil: null,
    reviewDate: null,
    versions: [],
  },
  {
    number: "2026/011",
    status: "draft",
    title: "Toegankelijke documenten en webpagina's",
    summary:
      "Maak documenten en webpagina's die iedereen kan lezen, ook mensen met een beperking. Gebruik koppen, beschrijf afbeeldingen en kies voldoende contrast.",
    body: doc(
      h2("Waarom?"),
      p(
        "Elke burger en elke collega moet onze informatie kunnen lezen. De wet verplicht het ook voor websites en apps.",
      ),
      h2("Checklist"),
      ul(
        "Gebruik echte koppen.",
        "Geef elke afbeelding een beschrijving.",
        "Kies voldoende contrast.",
        "Maak pdf's toegankelijk of vermijd ze.",
      ),
    ),
    ownerDepartmentCode: "WS-WGK",
    responsibleEmployeeNumber: EVA,
    themes: ["communicatie", "klantvriendelijkheid", "ict-en-digitale-werkplek"],
    validFrom: null,
    validUntil: null,
    reviewDate: null,
    versions: [],
  },
  {
    number: "2026/014",
    audience: ["department:FM", "role:admin"],
    status: "in_review",
    title: "Camerabewaking in stadsgebouwen",
    summary:
      "Sommige stadsgebouwen hebben bewakingscamera's. Een pictogram aan de ingang toont dat. Beelden worden maximaal 30 dagen bewaard en alleen bekeken bij een incident.",
    body: doc(
      h2("Waar hangen camera's?"),
      p("Aan ingangen, parkings en loketzalen. Een pictogram aan de ingang toont dat er camera's zijn."),
      h2("Wie bekijkt de beelden?"),
      p("Alleen de aangeduide medewerkers van Gebouwenbeheer, en ", b("alleen bij een incident"), "."),
      h2("Bewaartermijn"),
      p("De beelden worden na maximaal 30 dagen automatisch gewist."),
    ),
    ownerDepartmentCode: "FM-GEB",
    responsibleEmployeeNumber: KOEN,
    themes: ["veiligheid", "privacy-en-informatieveiligheid", "gebouwen-en-facility"],
    validFrom: "2027-01-01",
    validUntil: null,
    reviewDate: "2029-01-01",
    versions: [],
    pending: {
      changeNote: "Nieuwe circulaire over camerabewaking, na advies van de informatieveiligheidsconsulent.",
      substantial: true,
      submittedOn: "2026-11-19",
    },
  },
];
