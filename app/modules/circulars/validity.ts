/** The validity badge of a published circular, shared by pages, search results and digests. */
export type Validity = "not_yet_valid" | "valid" | "expired" | "superseded" | "archived";

export type ValidityInput = {
  validFrom: Date | null;
  validUntil: Date | null;
  archivedAt: Date | null;
  /** Start of validity of the circular that replaces this one, if any and published. */
  successorValidFrom?: Date | null;
  successorPublished?: boolean;
};

/** Calendar day (UTC midnight) of a moment in Europe/Brussels, to compare with DATE columns. */
export function brusselsDay(moment: Date): Date {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" }).format(moment);
  return new Date(`${parts}T00:00:00.000Z`);
}

/** Validity on a given day (default: today in Brussels). Archived and superseded win over dates. */
export function validityOn(input: ValidityInput, day: Date = brusselsDay(new Date())): Validity {
  if (input.archivedAt && brusselsDay(input.archivedAt) <= day) return "archived";
  if (input.successorPublished && (!input.successorValidFrom || input.successorValidFrom <= day))
    return "superseded";
  if (input.validFrom && input.validFrom > day) return "not_yet_valid";
  if (input.validUntil && input.validUntil < day) return "expired";
  return "valid";
}
