// Demo data for the identity model: a believable (but invented) City of Ghent organisation chart and
// staff list. Kept free of database access so that tests and the dev login page can use it directly.
import type { DepartmentKind, Role } from "../app/generated/prisma/enums";

/** A department or service, identified by its stable code. */
export interface SeedDepartment {
  code: string;
  name: string;
  kind: DepartmentKind;
  /** Code of the parent department; null for top-level departments. */
  parentCode: string | null;
}

/** A role that has to be granted; "employee" is implicit for every active user, so it is never stored. */
export type GrantedRole = Exclude<Role, "employee">;

/** A member of staff, identified by the employee number from the HR system. */
export interface SeedUser {
  employeeNumber: string;
  givenName: string;
  familyName: string;
  displayName: string;
  jobTitle: string;
  /** Code of the service the person works in. */
  departmentCode: string;
  isFieldWorker: boolean;
  /** Null for staff without a mailbox (most field workers). */
  email: string | null;
  /** Null for staff who exist only in the HR import and not in Entra ID. */
  entraOid: string | null;
  locale: "nl" | "en";
  roles: readonly GrantedRole[];
}

/** E-mail domain of Stad Gent and OCMW Gent staff. */
export const EMAIL_DOMAIN = "stad.gent";

// Written as a tree for readability; exported flat, parents before their services, as the seed needs.
const ORGANISATION: readonly { code: string; name: string; services: readonly [string, string][] }[] = [
  {
    code: "BV",
    name: "Departement Bedrijfsvoering",
    services: [
      ["BV-HR", "Dienst HR"],
      ["BV-COM", "Dienst Communicatie"],
      ["BV-ICT", "Dienst ICT en Digitale Werkplek"],
      ["BV-JUR", "Juridische Dienst en Secretariaat"],
    ],
  },
  {
    code: "BZ",
    name: "Departement Burgerzaken",
    services: [
      ["BZ-LOK", "Dienst Burgerzaken en Loketten"],
      ["BZ-BST", "Dienst Burgerlijke Stand"],
      ["BZ-CCT", "Contactcenter"],
    ],
  },
  {
    code: "FM",
    name: "Departement Facility Management",
    services: [
      ["FM-GEB", "Dienst Gebouwenbeheer"],
      ["FM-SCH", "Dienst Schoonmaak"],
      ["FM-LOG", "Dienst Logistiek en Magazijn"],
    ],
  },
  {
    code: "MOR",
    name: "Departement Mobiliteit en Openbare Ruimte",
    services: [
      ["MOR-WEG", "Dienst Wegen, Bruggen en Waterlopen"],
      ["MOR-GRO", "Groendienst"],
      ["MOR-MOB", "Mobiliteitsbedrijf"],
    ],
  },
  {
    code: "MK",
    name: "Departement Milieu en Klimaat",
    services: [
      ["MK-KLI", "Klimaatdienst"],
      ["MK-MIL", "Milieudienst"],
    ],
  },
  {
    code: "SO",
    name: "Departement Stedelijke Ontwikkeling",
    services: [
      ["SO-PLA", "Dienst Stedenbouw en Ruimtelijke Planning"],
      ["SO-WON", "Dienst Wonen"],
      ["SO-ECO", "Dienst Economie"],
    ],
  },
  {
    code: "WS",
    name: "Departement Welzijn en Samenleving",
    services: [
      ["WS-WGK", "Dienst Welzijn en Gelijke Kansen"],
      ["WS-BUU", "Dienst Buurtwerk"],
      ["WS-SAM", "Dienst Samenleven en Diversiteit"],
    ],
  },
  {
    code: "CSV",
    name: "Departement Cultuur, Sport en Vrije Tijd",
    services: [
      ["CSV-CUL", "Dienst Cultuur"],
      ["CSV-SPO", "Sportdienst"],
      ["CSV-BIB", "Bibliotheek"],
      ["CSV-JEU", "Jeugddienst"],
    ],
  },
  {
    code: "ZB",
    name: "Zorgbedrijf OCMW Gent",
    services: [
      ["ZB-WZC", "Woonzorgcentra"],
      ["ZB-THU", "Thuiszorg en Dienstencentra"],
      ["ZB-SOC", "Sociale Dienst"],
    ],
  },
];

/** All departments first, then all services, so every parent precedes its children. */
export const SEED_DEPARTMENTS: readonly SeedDepartment[] = [
  ...ORGANISATION.map(({ code, name }): SeedDepartment => ({
    code,
    name,
    kind: "department",
    parentCode: null,
  })),
  ...ORGANISATION.flatMap(({ code: parentCode, services }) =>
    services.map(([code, name]): SeedDepartment => ({ code, name, kind: "service", parentCode })),
  ),
];

const LETTER_FALLBACKS: Readonly<Record<string, string>> = { ı: "i", ł: "l", ø: "o", đ: "d", ß: "ss" };

/** Lower-case, accent-free e-mail local part, e.g. "Joëlle Van den Bossche" -> "joelle.vandenbossche". */
export function emailLocalPart(givenName: string, familyName: string): string {
  const clean = (part: string): string =>
    part
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      // These letters have no decomposition, so NFD alone would drop them.
      .replace(/[ıłøđß]/g, (letter) => LETTER_FALLBACKS[letter] ?? "")
      .replace(/[^a-z-]/g, "");
  return `${clean(givenName)}.${clean(familyName)}`;
}

// Entra object ids are opaque; deriving them from the employee number keeps them stable across runs
// and unique without listing 50 random UUIDs by hand.
function fakeEntraOid(employeeNumber: string): string {
  const digits = employeeNumber.replace(/\D/g, "").padStart(12, "0");
  return `5e6d0a1c-9b47-4c2e-8f3a-${digits}`;
}

interface PersonOptions {
  roles?: readonly GrantedRole[];
  locale?: "nl" | "en";
}

function officeWorker(
  employeeNumber: string,
  givenName: string,
  familyName: string,
  jobTitle: string,
  departmentCode: string,
  { roles = [], locale = "nl" }: PersonOptions = {},
): SeedUser {
  return {
    employeeNumber,
    givenName,
    familyName,
    displayName: `${givenName} ${familyName}`,
    jobTitle,
    departmentCode,
    isFieldWorker: false,
    email: `${emailLocalPart(givenName, familyName)}@${EMAIL_DOMAIN}`,
    entraOid: fakeEntraOid(employeeNumber),
    locale,
    roles,
  };
}

// Most field workers only exist in the HR import; team leaders usually do have a mailbox and an Entra account.
function fieldWorker(
  employeeNumber: string,
  givenName: string,
  familyName: string,
  jobTitle: string,
  departmentCode: string,
  { hasAccount = false }: { hasAccount?: boolean } = {},
): SeedUser {
  return {
    ...officeWorker(employeeNumber, givenName, familyName, jobTitle, departmentCode),
    isFieldWorker: true,
    email: hasAccount ? `${emailLocalPart(givenName, familyName)}@${EMAIL_DOMAIN}` : null,
    entraOid: hasAccount ? fakeEntraOid(employeeNumber) : null,
  };
}

/** Staff list; the demo accounts come first so the dev login page shows them at the top. */
export const SEED_USERS: readonly SeedUser[] = [
  // Demo accounts, in the order of DEMO_ACCOUNTS.
  officeWorker("GE-104233", "Sofie", "Vermeulen", "Functioneel beheerder Werkplek", "BV-ICT", {
    roles: ["admin"],
  }),
  officeWorker("GE-102871", "Pieter", "De Smet", "Beleidsadviseur omzendbrieven", "BV-JUR", {
    roles: ["editor"],
  }),
  officeWorker("GE-106512", "Fatima", "El Amrani", "Communicatiemedewerker interne communicatie", "BV-COM", {
    roles: ["communicator"],
  }),
  officeWorker("GE-109347", "Jonas", "Claeys", "Dossierbehandelaar huursubsidies", "SO-WON"),
  fieldWorker("GE-111058", "Marc", "De Wilde", "Tuinier", "MOR-GRO"),

  // Bedrijfsvoering
  officeWorker("GE-103390", "Liam", "O'Sullivan", "Cloud engineer", "BV-ICT", { locale: "en" }),
  officeWorker("GE-105126", "Bram", "Goossens", "Netwerkbeheerder", "BV-ICT", { roles: ["admin"] }),
  officeWorker("GE-107784", "Elif", "Yilmaz", "Business analist", "BV-ICT"),
  officeWorker("GE-101942", "An", "Peeters", "HR-businesspartner", "BV-HR", { roles: ["communicator"] }),
  officeWorker("GE-108215", "Hanne", "Maes", "Loopbaanbegeleider", "BV-HR"),
  officeWorker("GE-110476", "Youssef", "Benali", "Payrollspecialist", "BV-HR"),
  officeWorker("GE-107012", "Griet", "Verbeke", "HR-beleidsadviseur reglementering", "BV-HR", {
    roles: ["editor"],
  }),
  officeWorker("GE-102459", "Lotte", "Van de Velde", "Webredacteur", "BV-COM", { roles: ["communicator"] }),
  officeWorker("GE-106093", "Thomas", "Verhaeghe", "Grafisch vormgever", "BV-COM"),
  officeWorker("GE-109901", "Natalia", "Kowalska", "Communicatieadviseur crisiscommunicatie", "BV-COM"),
  officeWorker("GE-100782", "Katrien", "Declercq", "Jurist", "BV-JUR", { roles: ["editor"] }),
  officeWorker("GE-103657", "Wim", "Dhondt", "Secretariaatsmedewerker", "BV-JUR"),

  // Burgerzaken
  officeWorker("GE-100315", "Hilde", "Martens", "Loketmedewerker", "BZ-LOK"),
  officeWorker("GE-104870", "Mehmet", "Kaya", "Teamcoach loketten", "BZ-LOK"),
  officeWorker("GE-108642", "Iris", "De Meyer", "Ambtenaar burgerlijke stand", "BZ-BST"),
  officeWorker("GE-111723", "Samira", "Bouzian", "Medewerker contactcenter", "BZ-CCT"),
  officeWorker("GE-105589", "Dimitar", "Petrov", "Medewerker contactcenter", "BZ-CCT"),

  // Facility Management
  officeWorker("GE-102064", "Nele", "Coppens", "Preventieadviseur", "FM-GEB", { roles: ["editor"] }),
  officeWorker("GE-106348", "Koen", "Wouters", "Projectleider gebouwen", "FM-GEB"),
  officeWorker("GE-109085", "Ellen", "Van Acker", "Teamleider schoonmaak", "FM-SCH"),
  officeWorker("GE-110932", "Rudi", "Vandenberghe", "Magazijnverantwoordelijke", "FM-LOG"),
  fieldWorker("GE-113402", "Danny", "Verschueren", "Elektricien", "FM-GEB"),
  fieldWorker("GE-114018", "Steven", "Lievens", "Sanitair technieker", "FM-GEB"),
  fieldWorker("GE-114790", "Dragan", "Jovanović", "Schrijnwerker", "FM-GEB"),
  fieldWorker("GE-115263", "Joëlle", "Hermans", "Ploegverantwoordelijke schoonmaak", "FM-SCH", {
    hasAccount: true,
  }),
  fieldWorker("GE-115871", "Rita", "Van Laere", "Schoonmaakmedewerker", "FM-SCH"),
  fieldWorker("GE-116305", "Gülsen", "Arslan", "Schoonmaakmedewerker", "FM-SCH"),
  fieldWorker("GE-116944", "Monique", "De Rycke", "Schoonmaakmedewerker", "FM-SCH"),
  fieldWorker("GE-117520", "Elena", "Dimitrova", "Schoonmaakmedewerker", "FM-SCH"),
  fieldWorker("GE-118137", "Aïcha", "Bennani", "Schoonmaakmedewerker", "FM-SCH"),
  fieldWorker("GE-118609", "Geert", "Deprez", "Chauffeur", "FM-LOG"),
  fieldWorker("GE-119254", "Yassine", "Haddouchi", "Magazijnier", "FM-LOG"),

  // Mobiliteit en Openbare Ruimte
  officeWorker("GE-101377", "Jeroen", "De Vos", "Ingenieur wegenbouw", "MOR-WEG"),
  officeWorker("GE-105742", "Sarah", "Jacobs", "Landschapsarchitect", "MOR-GRO"),
  officeWorker("GE-108009", "Tom", "Mertens", "Mobiliteitsplanner", "MOR-MOB"),
  officeWorker("GE-112005", "Aylin", "Demir", "Verkeerskundige", "MOR-MOB"),
  fieldWorker("GE-113158", "Jan", "Bauwens", "Ploegbaas groenonderhoud", "MOR-GRO", { hasAccount: true }),
  fieldWorker("GE-113876", "Kevin", "Verstraete", "Tuinier", "MOR-GRO"),
  fieldWorker("GE-114452", "Hasan", "Aydın", "Boomverzorger", "MOR-GRO"),
  fieldWorker("GE-115037", "Gert", "Van Hoecke", "Tuinier", "MOR-GRO"),
  fieldWorker("GE-115619", "Milan", "Horváth", "Medewerker groenonderhoud", "MOR-GRO"),
  fieldWorker("GE-116172", "Siska", "De Pauw", "Tuinier", "MOR-GRO"),
  fieldWorker("GE-116788", "Abdelkader", "Mansouri", "Medewerker begraafplaatsen", "MOR-GRO"),
  fieldWorker("GE-117343", "Patrick", "Van den Bossche", "Ploegbaas wegenwerken", "MOR-WEG", {
    hasAccount: true,
  }),
  fieldWorker("GE-117905", "Dries", "Vercruysse", "Wegenwerker", "MOR-WEG"),
  fieldWorker("GE-118461", "Mustafa", "Şahin", "Wegenwerker", "MOR-WEG"),
  fieldWorker("GE-119012", "Nico", "De Groote", "Machinist", "MOR-WEG"),
  fieldWorker("GE-119587", "Luc", "Van Hoorebeke", "Straatmaker", "MOR-WEG"),
  fieldWorker("GE-120143", "Filip", "Roels", "Signalisatiemedewerker", "MOR-WEG"),
  fieldWorker("GE-120726", "Bilal", "Ouali", "Wegenwerker", "MOR-WEG"),

  // Milieu en Klimaat
  officeWorker("GE-103024", "Ruben", "Willems", "Klimaatadviseur", "MK-KLI"),
  officeWorker("GE-112340", "Ana", "Ribeiro", "Projectcoördinator Europese klimaatprojecten", "MK-KLI", {
    locale: "en",
  }),
  officeWorker("GE-107455", "Leen", "De Backer", "Milieuhandhaver", "MK-MIL"),

  // Stedelijke Ontwikkeling
  officeWorker("GE-101605", "Bart", "Van Hecke", "Stedenbouwkundige", "SO-PLA"),
  officeWorker("GE-106877", "Zeynep", "Öztürk", "Ruimtelijk planner", "SO-PLA"),
  officeWorker("GE-110154", "Jolien", "Desmet", "Woonconsulent", "SO-WON"),
  officeWorker("GE-104512", "Olivier", "Lambrecht", "Accountmanager ondernemers", "SO-ECO"),

  // Welzijn en Samenleving
  officeWorker("GE-102713", "Marie", "Kabongo", "Maatschappelijk werker", "WS-WGK"),
  officeWorker("GE-111489", "Eva", "Dewulf", "Beleidsmedewerker gelijke kansen", "WS-WGK"),
  officeWorker("GE-107236", "Ahmad", "Rahimi", "Buurtwerker", "WS-BUU"),
  officeWorker("GE-105003", "Karim", "El Idrissi", "Opbouwwerker", "WS-SAM"),

  // Cultuur, Sport en Vrije Tijd
  officeWorker("GE-100948", "Stijn", "Van Damme", "Cultuurconsulent", "CSV-CUL"),
  officeWorker("GE-108760", "Kenan", "Çelik", "Sportfunctionaris", "CSV-SPO"),
  officeWorker("GE-104195", "Laura", "Stevens", "Bibliothecaris", "CSV-BIB"),
  officeWorker("GE-112698", "Femke", "De Clercq", "Jeugdconsulent", "CSV-JEU"),

  // Zorgbedrijf OCMW Gent
  officeWorker("GE-106420", "Joke", "Vanhove", "Directeur woonzorgcentrum", "ZB-WZC"),
  officeWorker("GE-103811", "Lieve", "Bogaert", "Hoofdverpleegkundige", "ZB-WZC"),
  officeWorker("GE-111904", "Annelies", "Pauwels", "Coördinator thuiszorg", "ZB-THU"),
  officeWorker("GE-109662", "Grace", "Mbuyi", "Maatschappelijk assistent", "ZB-SOC"),
];

/** Employee numbers of the demo accounts, in the order the dev login page lists them. */
export const DEMO_ACCOUNTS: readonly string[] = [
  "GE-104233", // Sofie Vermeulen: admin
  "GE-102871", // Pieter De Smet: editor (omzendbrieven)
  "GE-106512", // Fatima El Amrani: communicator
  "GE-109347", // Jonas Claeys: office employee
  "GE-111058", // Marc De Wilde: field worker without e-mail or Entra account
];
