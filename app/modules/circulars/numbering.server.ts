/** Circular numbers "YYYY/NNN": handed out per year by one atomic counter, so two editors never collide. */
import { type Prisma } from "~/generated/prisma/client";

const NUMBER = /^(\d{4})\/(\d{3,4})$/;

/** Formats year and sequence as the number staff know ("2026/007"). */
export function formatCircularNumber(year: number, sequence: number): string {
  return `${year}/${String(sequence).padStart(3, "0")}`;
}

/** Parses "2026/007" into its parts, or null when it is not a circular number. */
export function parseCircularNumber(value: string): { year: number; sequence: number } | null {
  const match = NUMBER.exec(value.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const sequence = Number(match[2]);
  return sequence > 0 && year >= 1900 && year <= 2999 ? { year, sequence } : null;
}

/** Takes the next sequence of a year inside the caller's transaction. */
export async function nextCircularSequence(tx: Prisma.TransactionClient, year: number): Promise<number> {
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO "CircularNumberSequence" ("year", "last") VALUES (${year}, 1)
    ON CONFLICT ("year") DO UPDATE SET "last" = "CircularNumberSequence"."last" + 1
    RETURNING "last"`;
  return rows[0]!.last;
}

/** Keeps the counter ahead of a number taken over from the legacy system. */
export async function reserveCircularSequence(tx: Prisma.TransactionClient, year: number, sequence: number) {
  await tx.$executeRaw`
    INSERT INTO "CircularNumberSequence" ("year", "last") VALUES (${year}, ${sequence})
    ON CONFLICT ("year") DO UPDATE SET "last" = GREATEST("CircularNumberSequence"."last", ${sequence})`;
}
