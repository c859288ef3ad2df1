import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { audienceMembersWhere, countAudienceMembers } from "./audience.server";
import { isInAudience, type Reader } from "./policy.server";

setupTestDatabase();

let departmentId: string;
let serviceId: string;
let otherDepartmentId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const department = await buildDepartment();
  const service = await buildDepartment({ parentId: department.id });
  const other = await buildDepartment();
  departmentId = department.id;
  serviceId = service.id;
  otherDepartmentId = other.id;
  ids.inDepartment = (await buildUser({ departmentId })).id;
  ids.inService = (await buildUser({ departmentId: serviceId })).id;
  ids.fieldWorkerElsewhere = (await buildUser({ departmentId: otherDepartmentId, isFieldWorker: true })).id;
  ids.editorElsewhere = (await buildUser({ departmentId: otherDepartmentId }, ["editor"])).id;
  ids.withoutDepartment = (await buildUser()).id;
  ids.inactiveInService = (await buildUser({ departmentId: serviceId, active: false })).id;
});

async function members(audience: string[]): Promise<string[]> {
  const rows = await prisma.user.findMany({
    where: { AND: [audienceMembersWhere(audience), { id: { in: Object.values(ids) } }] },
    select: { id: true },
  });
  const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  return rows.map((row) => names[row.id]!).sort();
}

describe("audienceMembersWhere", () => {
  it("includes the services of a department, and only that service for a service key", async () => {
    expect(await members([`department:${departmentId}`])).toEqual(["inDepartment", "inService"]);
    expect(await members([`department:${serviceId}`])).toEqual(["inService"]);
  });

  it("resolves roles, field workers and everyone, never inactive people", async () => {
    expect(await members(["role:editor"])).toEqual(["editorElsewhere"]);
    expect(await members(["field-workers"])).toEqual(["fieldWorkerElsewhere"]);
    const everyone = [
      "editorElsewhere",
      "fieldWorkerElsewhere",
      "inDepartment",
      "inService",
      "withoutDepartment",
    ];
    expect(await members(["all"])).toEqual(everyone);
    // Every active person is an employee, with or without a stored role.
    expect(await members(["role:employee"])).toEqual(everyone);
  });

  it("combines keys as a union", async () => {
    expect(await members([`department:${serviceId}`, "field-workers"])).toEqual([
      "fieldWorkerElsewhere",
      "inService",
    ]);
  });

  it("never widens an empty or unknown audience to everyone", async () => {
    expect(await members([])).toEqual([]);
    expect(await members(["role:emperor", "nonsense", "department:"])).toEqual([]);
  });

  it("agrees with the reading policy for every person and audience", async () => {
    const people = await prisma.user.findMany({
      where: { id: { in: Object.values(ids) }, active: true },
      select: {
        id: true,
        isFieldWorker: true,
        department: { select: { id: true, parentId: true } },
        roles: { select: { role: true } },
      },
    });
    const audiences = [
      ["all"],
      ["field-workers"],
      ["role:editor"],
      [`department:${departmentId}`],
      [`department:${serviceId}`],
      [`department:${otherDepartmentId}`, "role:admin"],
    ];
    for (const audience of audiences) {
      const resolved = new Set(
        (
          await prisma.user.findMany({
            where: { AND: [audienceMembersWhere(audience), { id: { in: people.map((p) => p.id) } }] },
            select: { id: true },
          })
        ).map((row) => row.id),
      );
      for (const person of people) {
        const reader: Reader = {
          id: person.id,
          roles: ["employee", ...person.roles.map((r) => r.role)],
          isFieldWorker: person.isFieldWorker,
          department: person.department,
        };
        expect(resolved.has(person.id), `${audience.join(",")} / ${person.id}`).toBe(
          isInAudience(reader, audience),
        );
      }
    }
  });

  it("counts members", async () => {
    expect(await countAudienceMembers([`department:${departmentId}`])).toBe(2);
  });
});
