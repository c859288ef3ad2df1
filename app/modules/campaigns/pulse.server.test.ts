import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Role } from "~/modules/identity/permissions";
import {
  buildCampaign,
  buildDepartment,
  buildMeasureMessage,
  buildMeasureRecipients,
  buildUser,
} from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { isCampaignError } from "./errors";
import { type CampaignReader } from "./policy.server";
import {
  answerPulse,
  hasAnswered,
  MIN_GROUP,
  mergeSmallGroups,
  mergeSmallPeriods,
  pulseResults,
  respondentHash,
} from "./pulse.server";

setupTestDatabase();

type Person = { id: string; isFieldWorker: boolean; departmentId: string | null };

async function readerOf(user: Person, roles: Role[] = ["employee"]): Promise<CampaignReader> {
  const department = user.departmentId
    ? await prisma.department.findUniqueOrThrow({
        where: { id: user.departmentId },
        select: { id: true, parentId: true },
      })
    : null;
  return { id: user.id, roles, isFieldWorker: user.isFieldWorker, department };
}

async function manager(): Promise<CampaignReader> {
  return readerOf(await buildUser({}, ["communicator"]), ["employee", "communicator"]);
}

/** A running campaign with one sent scale message whose recipients are `people`. */
async function scaleMessage(people: Person[], overrides: Parameters<typeof buildMeasureMessage>[1] = {}) {
  const campaign = await buildCampaign();
  const message = await buildMeasureMessage(campaign.id, {
    pulseQuestion: "Hoe goed voel je je geïnformeerd over de reorganisatie?",
    pulseKind: "scale",
    pulseOptions: ["Helemaal niet", "Heel goed"],
    ...overrides,
  });
  await buildMeasureRecipients(
    message.id,
    people.map((person) => ({ userId: person.id, departmentId: person.departmentId })),
  );
  return { campaign, message };
}

async function people(count: number, departmentId: string | null = null): Promise<Person[]> {
  return Promise.all(Array.from({ length: count }, () => buildUser({ departmentId })));
}

async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCampaignError(error)) return error.code;
    throw error;
  }
  throw new Error("expected a CampaignError");
}

describe("mergeSmallGroups", () => {
  const add = (a: number, b: number) => a + b;
  const group = (key: string, weight: number) => ({ key, weight, data: weight });

  it("shows groups from the minimum and merges smaller ones into the other group", () => {
    const result = mergeSmallGroups([group("a", 7), group("b", 3), group("c", 5), group("d", 2)], 5, add);
    expect(result.shown.map((g) => g.key)).toEqual(["a", "c"]);
    expect(result.other).toEqual({ weight: 5, data: 5 });
  });

  it("adds the smallest shown group when the other group stays under the minimum", () => {
    const result = mergeSmallGroups([group("a", 9), group("b", 6), group("c", 2)], 5, add);
    expect(result.shown.map((g) => g.key)).toEqual(["a"]);
    expect(result.other).toEqual({ weight: 8, data: 8 });
  });

  it("shows nothing when everything together stays under the minimum, and drops empty groups", () => {
    expect(mergeSmallGroups([group("a", 2), group("b", 2)], 5, add)).toEqual({ shown: [], other: null });
    expect(mergeSmallGroups([group("a", 5), group("b", 0)], 5, add)).toEqual({
      shown: [group("a", 5)],
      other: null,
    });
  });
});

describe("mergeSmallPeriods", () => {
  const add = (a: number, b: number) => a + b;
  it("joins small periods to the following ones and a small tail to the last bucket", () => {
    const periods = [
      { key: "W1", weight: 2, data: 2 },
      { key: "W2", weight: 4, data: 4 },
      { key: "W3", weight: 5, data: 5 },
      { key: "W4", weight: 1, data: 1 },
    ];
    expect(mergeSmallPeriods(periods, 5, add)).toEqual([
      { from: "W1", to: "W2", weight: 6, data: 6 },
      { from: "W3", to: "W4", weight: 6, data: 6 },
    ]);
    expect(mergeSmallPeriods([{ key: "W1", weight: 4, data: 4 }], 5, add)).toEqual([]);
  });
});

describe("answerPulse", () => {
  it("stores one answer per person under a keyed hash, without the user id, at the Brussels day", async () => {
    const department = await buildDepartment();
    const [person] = await people(1, department.id);
    const { message } = await scaleMessage([person!]);
    const reader = await readerOf(person!);
    expect(await hasAnswered(reader, message.id)).toBe(false);

    await answerPulse(reader, message.id, 4, { now: new Date("2026-11-23T23:30:00Z") });

    expect(await hasAnswered(reader, message.id)).toBe(true);
    const rows = await prisma.pulseAnswer.findMany({ where: { messageId: message.id } });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.value).toBe(4);
    expect(row.departmentId).toBe(department.id);
    expect(row.respondentHash).toBe(respondentHash(message.id, person!.id));
    expect(JSON.stringify(row)).not.toContain(person!.id);
    // 23:30 UTC is 00:30 on the 24th in Brussels: the row keeps only that day's start.
    expect(row.createdAt.toISOString()).toBe("2026-11-23T23:00:00.000Z");
    // The id is random, not a cuid whose prefix tells the time.
    expect(row.id).not.toMatch(/^c[a-z0-9]{24}$/);

    expect(await refused(answerPulse(reader, message.id, 2))).toBe("conflict");
    expect(await prisma.pulseAnswer.count({ where: { messageId: message.id } })).toBe(1);
  });

  it("accepts a choice answer given as a form value", async () => {
    const [person] = await people(1);
    const { message } = await scaleMessage([person!], {
      pulseKind: "choice",
      pulseOptions: ["Via mijn ploegbaas", "Via Werkplek", "Via de krant"],
    });
    await answerPulse(await readerOf(person!), message.id, "2");
    const row = await prisma.pulseAnswer.findFirstOrThrow({ where: { messageId: message.id } });
    expect(row.value).toBe(2);
  });

  it("refuses bad values with the field named, saving nothing", async () => {
    const [person] = await people(1);
    const { message } = await scaleMessage([person!]);
    const choice = await scaleMessage([person!], { pulseKind: "choice", pulseOptions: ["Ja", "Nee"] });
    const reader = await readerOf(person!);
    for (const value of [0, 6, 2.5, "abc", null, "", -1]) {
      expect(await refused(answerPulse(reader, message.id, value))).toBe("invalid");
    }
    expect(await refused(answerPulse(reader, choice.message.id, 2))).toBe("invalid");
    try {
      await answerPulse(reader, message.id, 9);
    } catch (error) {
      expect(isCampaignError(error) && error.issues[0]).toMatchObject({
        field: "value",
        code: "invalid_value",
      });
    }
    expect(
      await prisma.pulseAnswer.count({ where: { messageId: { in: [message.id, choice.message.id] } } }),
    ).toBe(0);
  });

  it("refuses non-recipients, outsiders, messages without a pulse and ended campaigns", async () => {
    const [recipient, colleague] = await people(2);
    const { campaign, message } = await scaleMessage([recipient!]);
    // In the audience but not a recipient (joined after sending): forbidden.
    expect(await refused(answerPulse(await readerOf(colleague!), message.id, 3))).toBe("forbidden");

    // Outside the audience: the message does not exist for them.
    const department = await buildDepartment();
    const restricted = await buildCampaign({
      audience: { departmentIds: [department.id], roles: [], fieldWorkers: "any" },
    });
    const hidden = await buildMeasureMessage(restricted.id, { pulseQuestion: "Vraag?", pulseKind: "scale" });
    await buildMeasureRecipients(hidden.id, [{ userId: colleague!.id }]);
    expect(await refused(answerPulse(await readerOf(colleague!), hidden.id, 3))).toBe("not_found");
    expect(await refused(answerPulse(await readerOf(colleague!), "missing", 3))).toBe("not_found");

    const plain = await buildMeasureMessage(campaign.id);
    await buildMeasureRecipients(plain.id, [{ userId: recipient!.id }]);
    expect(await refused(answerPulse(await readerOf(recipient!), plain.id, 3))).toBe("invalid");

    const planned = await buildMeasureMessage(campaign.id, {
      status: "cancelled",
      pulseQuestion: "Vraag?",
      pulseKind: "scale",
    });
    await buildMeasureRecipients(planned.id, [{ userId: recipient!.id }]);
    expect(await refused(answerPulse(await readerOf(recipient!), planned.id, 3))).toBe("forbidden");

    await prisma.campaign.update({ where: { id: campaign.id }, data: { status: "ended" } });
    expect(await refused(answerPulse(await readerOf(recipient!), message.id, 3))).toBe("wrong_status");
    expect(await prisma.pulseAnswer.count({ where: { messageId: message.id } })).toBe(0);
  });
});

describe("pulseResults", () => {
  it("shows nothing below five answers and everything from five", async () => {
    const department = await buildDepartment();
    const group = await people(5, department.id);
    const { message } = await scaleMessage(group);
    const values = [5, 4, 4, 2, 1];
    const boss = await manager();
    for (const [index, person] of group.slice(0, 4).entries()) {
      await answerPulse(await readerOf(person), message.id, values[index]);
    }
    const four = await pulseResults(boss, message.id);
    expect(four.answerCount).toBe(4);
    expect(four.overall).toBeNull();
    expect(four.departments).toEqual([]);
    expect(four.weeks).toEqual([]);

    await answerPulse(await readerOf(group[4]!), message.id, values[4]);
    const five = await pulseResults(boss, message.id);
    expect(five.minGroup).toBe(MIN_GROUP);
    expect(five.overall).toMatchObject({ count: 5, mean: 3.2 });
    expect(five.overall!.values).toEqual([
      { value: 1, label: "Helemaal niet", count: 1 },
      { value: 2, label: null, count: 1 },
      { value: 3, label: null, count: 0 },
      { value: 4, label: null, count: 2 },
      { value: 5, label: "Heel goed", count: 1 },
    ]);
    expect(five.departments).toEqual([
      expect.objectContaining({ group: "department", departmentId: department.id, name: department.name }),
    ]);
    expect(five.weeks).toHaveLength(1);
  });

  it("rolls services up to their department and merges small departments into 'andere'", async () => {
    const big = await buildDepartment();
    const service = await buildDepartment({ parentId: big.id });
    const middle = await buildDepartment();
    const small = await buildDepartment();
    const tiny = await buildDepartment();
    const everyone = [
      ...(await people(3, big.id)),
      ...(await people(3, service.id)),
      ...(await people(5, middle.id)),
      ...(await people(3, small.id)),
      ...(await people(2, tiny.id)),
    ];
    const { message } = await scaleMessage(everyone);
    for (const person of everyone) await answerPulse(await readerOf(person), message.id, 3);

    const results = await pulseResults(await manager(), message.id);
    expect(results.overall!.count).toBe(16);
    expect(results.departments.map((group) => [group.group, group.departmentId, group.result.count])).toEqual(
      [
        ["department", big.id, 6],
        ["department", middle.id, 5],
        ["other", null, 5],
      ],
    );
    expect(results.departments[2]!.name).toBe("andere");
  });

  it("merges 'andere' with the smallest department when it would stay under five", async () => {
    const large = await buildDepartment();
    const medium = await buildDepartment();
    const small = await buildDepartment();
    const everyone = [
      ...(await people(7, large.id)),
      ...(await people(5, medium.id)),
      ...(await people(2, small.id)),
    ];
    const { message } = await scaleMessage(everyone);
    for (const person of everyone) await answerPulse(await readerOf(person), message.id, 4);
    const results = await pulseResults(await manager(), message.id);
    // 2 alone in "andere" could be worked out as 14 - 7 - 5: the 5 of `medium` join them.
    expect(results.departments.map((group) => [group.departmentId, group.result.count])).toEqual([
      [large.id, 7],
      [null, 7],
    ]);
  });

  it("groups answers by Brussels ISO week, merging weeks with fewer than five", async () => {
    const everyone = await people(12);
    const { message } = await scaleMessage(everyone);
    const days = [
      ...Array(3).fill("2026-11-16T10:00:00Z"), // W47
      ...Array(3).fill("2026-11-23T10:00:00Z"), // W48
      ...Array(5).fill("2026-11-29T23:30:00Z"), // Sunday 23:30 UTC is Monday 00:30 in Brussels: W49
      "2026-12-08T10:00:00Z", // W50, alone: joins W49
    ];
    for (const [index, person] of everyone.entries()) {
      await answerPulse(await readerOf(person), message.id, 1 + (index % 5), { now: new Date(days[index]!) });
    }
    const results = await pulseResults(await manager(), message.id);
    expect(results.weeks.map((week) => [week.from, week.to, week.result.count])).toEqual([
      ["2026-W47", "2026-W48", 6],
      ["2026-W49", "2026-W50", 6],
    ]);
  });

  it("is for campaign managers only", async () => {
    const [person] = await people(1);
    const { message } = await scaleMessage([person!]);
    expect(await refused(pulseResults(await readerOf(person!), message.id))).toBe("forbidden");
    expect(await refused(pulseResults(await manager(), "missing"))).toBe("not_found");
    const campaign = await buildCampaign();
    const plain = await buildMeasureMessage(campaign.id);
    expect(await refused(pulseResults(await manager(), plain.id))).toBe("invalid");
  });
});
