// The demo reading activity: plausible, idempotent, and only from people who may read what they confirm.
import { describe, expect, it } from "vitest";
import { prisma } from "../app/db.server";
import { pendingAcknowledgements } from "../app/modules/circulars/acknowledgements.server";
import { isInAudience } from "../app/modules/circulars/policy.server";
import { isRole } from "../app/modules/identity/permissions";
import { setupTestDatabase } from "../tests/setup/database";
import { seed } from "./seed";
import { SEED_QUESTIONS, seedAcknowledgements } from "./seed-acknowledgements";
import { DEMO_ACCOUNTS } from "./seed-data";

setupTestDatabase();

describe("seedAcknowledgements", () => {
  it("creates confirmations, ratings and questions once, from audience members only", async () => {
    // seed() writes the organisation, the circulars and then this reading activity.
    await seed(prisma);
    expect(await prisma.circularAcknowledgement.count()).toBeGreaterThan(300);
    expect(await prisma.circularRating.count()).toBeGreaterThan(50);
    expect(await prisma.circularQuestion.count()).toBe(SEED_QUESTIONS.length);

    const again = await prisma.$transaction((tx) => seedAcknowledgements(tx, new Date()), {
      timeout: 60_000,
    });
    expect(again).toEqual({ acknowledgements: 0, ratings: 0, questions: 0 });

    const acknowledgements = await prisma.circularAcknowledgement.findMany({
      select: {
        version: true,
        acknowledgedAt: true,
        circular: { select: { publishedAudience: true, publishedVersion: true } },
        user: {
          select: {
            id: true,
            employeeNumber: true,
            isFieldWorker: true,
            department: { select: { id: true, parentId: true } },
            roles: { select: { role: true } },
          },
        },
      },
    });
    for (const ack of acknowledgements) {
      const { user } = ack;
      expect(DEMO_ACCOUNTS).not.toContain(user.employeeNumber);
      expect(ack.version).toBeLessThanOrEqual(ack.circular.publishedVersion);
      expect(ack.acknowledgedAt.getTime()).toBeLessThanOrEqual(Date.now());
      const reader = {
        id: user.id,
        roles: ["employee" as const, ...user.roles.map((r) => r.role).filter(isRole)],
        isFieldWorker: user.isFieldWorker,
        department: user.department,
      };
      expect(isInAudience(reader, ack.circular.publishedAudience)).toBe(true);
    }
    // Some people confirmed only an earlier substantial version: they are asked again.
    const outdated = await prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "CircularAcknowledgement" a
      WHERE a."version" < (SELECT max(v."version") FROM "CircularVersion" v
                           WHERE v."circularId" = a."circularId" AND (v."substantial" OR v."version" = 1))`;
    expect(Number(outdated[0]!.n)).toBeGreaterThan(0);

    const answered = await prisma.circularQuestion.count({ where: { answer: { not: null } } });
    expect(answered).toBe(SEED_QUESTIONS.filter((q) => q.answer).length);
  });

  it("leaves the demo employee a real list to confirm", async () => {
    const jonas = await prisma.user.findUniqueOrThrow({
      where: { employeeNumber: "GE-109347" },
      select: { id: true, isFieldWorker: true, department: { select: { id: true, parentId: true } } },
    });
    const pending = await pendingAcknowledgements({ ...jonas, roles: ["employee"] });
    expect(pending.length).toBeGreaterThan(5);
  });
});
