// Demo reading activity on the seeded circulars: "gelezen en begrepen" confirmations, "Was dit nuttig?"
// answers and a few questions to owners. Who did what follows from a hash of the circular number and the
// employee number, so every run picks the same people; existing rows are left alone, so a second run
// creates nothing. The demo accounts get no confirmations or ratings: signing in as them shows a real
// "Te bevestigen" list.
import { createHash } from "node:crypto";
import { type Prisma } from "../app/generated/prisma/client";
import { isInAudience, type Reader } from "../app/modules/circulars/policy.server";
import { isRole } from "../app/modules/identity/permissions";
import { SEED_CIRCULARS } from "./seed-circulars-data";
import { DEMO_ACCOUNTS } from "./seed-data";

export interface AcknowledgementSeedCounts {
  acknowledgements: number;
  ratings: number;
  questions: number;
}

interface SeedQuestion {
  number: string;
  askerEmployeeNumber: string;
  question: string;
  /** Day it was asked (YYYY-MM-DD). */
  askedOn: string;
  /** Answered by the circular's responsible person. */
  answer?: { text: string; answeredOn: string };
}

/** A few realistic questions; the first one is Jonas Claeys's, so the demo account shows an answer. */
export const SEED_QUESTIONS: readonly SeedQuestion[] = [
  {
    number: "2026/002",
    askerEmployeeNumber: "GE-109347",
    question: "Krijg ik de internetvergoeding ook als ik maar één dag per week thuiswerk?",
    askedOn: "2026-02-09",
    answer: {
      text: "Ja. De internetvergoeding hangt niet af van het aantal thuiswerkdagen. Je hebt wel een goedgekeurde thuiswerkregeling nodig in het HR-portaal.",
      answeredOn: "2026-02-11",
    },
  },
  {
    number: "2022/007",
    askerEmployeeNumber: "GE-115263",
    question: "Vanaf welke temperatuur mag mijn ploeg de werkdag vroeger beginnen? En wie beslist dat?",
    askedOn: "2025-06-23",
    answer: {
      text: "Vanaf een voorspelde temperatuur van 30 graden beslist je leidinggevende of de ploeg om 6 uur begint. Hij of zij meldt dat de dag ervoor.",
      answeredOn: "2025-06-24",
    },
  },
  {
    number: "2025/019",
    askerEmployeeNumber: "GE-108642",
    question:
      "Mag ik een verslag van een overleg met burgers laten samenvatten door een AI-tool als ik de namen weglaat?",
    askedOn: "2026-10-14",
  },
  {
    number: "2024/029",
    askerEmployeeNumber: "GE-107784",
    question: "Kan ik een flexplek voor een hele week reserveren als ik een project moet afwerken?",
    askedOn: "2026-11-03",
  },
];

/** A stable number 0..99 for a pair of keys. */
function bucket(...keys: string[]): number {
  return createHash("sha256").update(keys.join("|")).digest().readUInt32BE(0) % 100;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Creates the demo confirmations, ratings and questions that are missing; returns how many it created. */
export async function seedAcknowledgements(
  tx: Prisma.TransactionClient,
  now: Date = new Date(),
): Promise<AcknowledgementSeedCounts> {
  const circulars = await tx.circular.findMany({
    where: { number: { in: SEED_CIRCULARS.map((c) => c.number) }, publishedVersion: { gt: 0 } },
    orderBy: { number: "asc" },
    select: {
      id: true,
      number: true,
      publishedVersion: true,
      publishedAudience: true,
      requiresAcknowledgement: true,
      responsibleUserId: true,
      versions: {
        orderBy: { version: "asc" },
        select: { version: true, substantial: true, publishedAt: true },
      },
    },
  });
  const people = await tx.user.findMany({
    where: { active: true, employeeNumber: { not: null } },
    orderBy: { employeeNumber: "asc" },
    select: {
      id: true,
      employeeNumber: true,
      isFieldWorker: true,
      department: { select: { id: true, parentId: true } },
      roles: { select: { role: true } },
    },
  });
  const demo = new Set(DEMO_ACCOUNTS);
  const readers = people.map((person) => ({
    employeeNumber: person.employeeNumber!,
    reader: {
      id: person.id,
      roles: ["employee", ...person.roles.map((r) => r.role).filter(isRole)],
      isFieldWorker: person.isFieldWorker,
      department: person.department,
    } satisfies Reader,
  }));
  // Never in the future, whatever day the seed runs: confirmations happen after publication.
  const at = (moment: Date) => new Date(Math.min(moment.getTime(), now.getTime()));

  const acknowledgements: Prisma.CircularAcknowledgementCreateManyInput[] = [];
  const ratings: Prisma.CircularRatingCreateManyInput[] = [];
  for (const circular of circulars) {
    // Which versions asked for confirmation (the first publication always does).
    const asking = circular.versions.filter((v) => v.substantial || v.version === 1);
    const latest = asking.at(-1);
    const previous = asking.at(-2);
    for (const { employeeNumber, reader } of readers) {
      if (demo.has(employeeNumber) || !isInAudience(reader, circular.publishedAudience)) continue;
      const share = bucket(circular.number, employeeNumber);
      if (circular.requiresAcknowledgement && latest) {
        // About half confirmed the current version; some only an earlier one, so "again" shows up too.
        const target = share < 55 ? latest : share < 75 ? previous : undefined;
        if (target) {
          acknowledgements.push({
            circularId: circular.id,
            userId: reader.id,
            version: target.version,
            acknowledgedAt: at(
              new Date(target.publishedAt.getTime() + (share % 14) * DAY + (share % 9) * HOUR),
            ),
          });
        }
      }
      const rating = bucket("rating", circular.number, employeeNumber);
      if (rating < 20) {
        ratings.push({
          circularId: circular.id,
          userId: reader.id,
          useful: rating % 5 !== 0,
          version: circular.publishedVersion,
        });
      }
    }
  }
  const createdAcks = await tx.circularAcknowledgement.createMany({
    data: acknowledgements,
    skipDuplicates: true,
  });
  const createdRatings = await tx.circularRating.createMany({ data: ratings, skipDuplicates: true });

  let questions = 0;
  const byNumber = new Map(circulars.map((c) => [c.number, c]));
  const byEmployee = new Map(readers.map((r) => [r.employeeNumber, r.reader]));
  for (const seedQuestion of SEED_QUESTIONS) {
    const circular = byNumber.get(seedQuestion.number);
    const asker = byEmployee.get(seedQuestion.askerEmployeeNumber);
    // Only a reader in the audience could have asked; skip rather than invent an impossible question.
    if (!circular || !asker || !isInAudience(asker, circular.publishedAudience)) continue;
    const exists = await tx.circularQuestion.findFirst({
      where: { circularId: circular.id, askedById: asker.id, question: seedQuestion.question },
      select: { id: true },
    });
    if (exists) continue;
    await tx.circularQuestion.create({
      data: {
        circularId: circular.id,
        askedById: asker.id,
        question: seedQuestion.question,
        createdAt: at(new Date(`${seedQuestion.askedOn}T08:30:00.000Z`)),
        ...(seedQuestion.answer
          ? {
              answer: seedQuestion.answer.text,
              answeredById: circular.responsibleUserId,
              answeredAt: at(new Date(`${seedQuestion.answer.answeredOn}T13:15:00.000Z`)),
            }
          : {}),
      },
    });
    questions += 1;
  }
  return { acknowledgements: createdAcks.count, ratings: createdRatings.count, questions };
}
