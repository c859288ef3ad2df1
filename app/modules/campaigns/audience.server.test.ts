// Audience resolution and counts: departments include their services, roles and field workers narrow, the
// inactive never count, and the count, the resolution and the in-memory rule agree.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { type CampaignAudience, EVERYONE, isInCampaignAudience } from "./audience";
import { countCampaignAudience, resolveCampaignAudience, validateAudience } from "./audience.server";
import { isCampaignError } from "./errors";

setupTestDatabase();

const audience = (overrides: Partial<CampaignAudience>): CampaignAudience => ({ ...EVERYONE, ...overrides });

async function organisation() {
  const department = await buildDepartment();
  const service = await buildDepartment({ parentId: department.id });
  const other = await buildDepartment();
  const office = await buildUser({ departmentId: department.id });
  const gardener = await buildUser({ departmentId: service.id, isFieldWorker: true, email: null });
  const communicator = await buildUser({ departmentId: service.id }, ["communicator"]);
  const editor = await buildUser({ departmentId: department.id }, ["editor"]);
  const gone = await buildUser({ departmentId: service.id, active: false });
  const elsewhere = await buildUser({ departmentId: other.id, isFieldWorker: true });
  return { department, service, other, office, gardener, communicator, editor, gone, elsewhere };
}

async function ids(value: CampaignAudience) {
  return (await resolveCampaignAudience(value)).map((person) => person.id);
}

describe("resolveCampaignAudience and countCampaignAudience", () => {
  it("includes a department's services and leaves out the inactive", async () => {
    const org = await organisation();
    const value = audience({ departmentIds: [org.department.id] });
    const expected = [org.office, org.gardener, org.communicator, org.editor].map((u) => u.id).sort();
    expect(await ids(value)).toEqual(expected);
    expect(await countCampaignAudience(value)).toBe(4);
    // A service alone is only the service.
    expect(await ids(audience({ departmentIds: [org.service.id] }))).toEqual(
      [org.gardener.id, org.communicator.id].sort(),
    );
    const resolved = await resolveCampaignAudience(value);
    expect(resolved.find((person) => person.id === org.gardener.id)).toEqual({
      id: org.gardener.id,
      departmentId: org.service.id,
    });
  });

  it("narrows by role, field workers only and none", async () => {
    const org = await organisation();
    const base = { departmentIds: [org.department.id, org.other.id] };
    expect(await ids(audience({ ...base, roles: ["communicator", "editor"] }))).toEqual(
      [org.communicator.id, org.editor.id].sort(),
    );
    // "employee" is everyone: with it among the roles, roles do not narrow.
    expect(await countCampaignAudience(audience({ ...base, roles: ["employee", "editor"] }))).toBe(5);
    expect(await ids(audience({ ...base, fieldWorkers: "only" }))).toEqual(
      [org.gardener.id, org.elsewhere.id].sort(),
    );
    expect(await ids(audience({ ...base, fieldWorkers: "none" }))).toEqual(
      [org.office.id, org.communicator.id, org.editor.id].sort(),
    );
    expect(await countCampaignAudience(audience({ ...base, roles: ["editor"], fieldWorkers: "only" }))).toBe(
      0,
    );
  });

  it("counts everyone active for the default audience, ordered by id", async () => {
    await organisation();
    const everyone = await resolveCampaignAudience(EVERYONE);
    expect(everyone.length).toBe(await prisma.user.count({ where: { active: true } }));
    expect(await countCampaignAudience(EVERYONE)).toBe(everyone.length);
    expect(everyone.map((p) => p.id)).toEqual([...everyone.map((p) => p.id)].sort());
  });

  it("agrees with the in-memory rule the campaign page uses", async () => {
    const org = await organisation();
    const people = await prisma.user.findMany({
      where: { departmentId: { in: [org.department.id, org.service.id, org.other.id] }, active: true },
      select: {
        id: true,
        isFieldWorker: true,
        roles: { select: { role: true } },
        department: { select: { id: true, parentId: true } },
      },
    });
    const values = [
      audience({ departmentIds: [org.department.id] }),
      audience({ departmentIds: [org.service.id], fieldWorkers: "none" }),
      audience({ departmentIds: [org.department.id, org.other.id], roles: ["communicator"] }),
      audience({ departmentIds: [org.other.id, org.service.id], fieldWorkers: "only" }),
    ];
    for (const value of values) {
      const resolved = new Set(await ids(value));
      for (const person of people) {
        const member = { ...person, roles: person.roles.map((row) => row.role) };
        expect(isInCampaignAudience(member, value), JSON.stringify(value)).toBe(resolved.has(person.id));
      }
    }
  });
});

describe("validateAudience", () => {
  it("returns a clean audience with duplicates dropped", async () => {
    const department = await buildDepartment();
    expect(
      await validateAudience({ departmentIds: [department.id, department.id], roles: ["hr", "hr"] }),
    ).toEqual({ departmentIds: [department.id], roles: ["hr"], fieldWorkers: "any" });
    expect(await validateAudience(undefined)).toEqual(EVERYONE);
  });

  it("lists the departments that do not exist", async () => {
    const department = await buildDepartment();
    const error = await validateAudience({ departmentIds: [department.id, "nope-1", "nope-2"] }).catch(
      (caught: unknown) => caught,
    );
    expect(isCampaignError(error, "invalid")).toBe(true);
    expect(isCampaignError(error) && error.issues).toEqual([
      expect.objectContaining({
        field: "audience.departmentIds",
        code: "unknown_departments",
        params: { ids: "nope-1, nope-2", count: 2 },
      }),
    ]);
  });

  it("refuses malformed audiences with a field per problem", async () => {
    const error = await validateAudience({
      roles: ["king"],
      fieldWorkers: "sometimes",
      departmentIds: "x",
    }).catch((caught: unknown) => caught);
    expect(isCampaignError(error, "invalid")).toBe(true);
    const fields = isCampaignError(error) ? error.issues.map((problem) => problem.field).sort() : [];
    expect(fields).toEqual(["audience.departmentIds", "audience.fieldWorkers", "audience.roles.0"]);
  });
});
