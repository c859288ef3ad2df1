/** Test factories: each call creates isolated rows with unique natural keys; pass overrides for what matters. */
import { randomBytes } from "node:crypto";
import { prisma } from "../app/db.server";
import { type Prisma } from "../app/generated/prisma/client";
import { type Role } from "../app/modules/identity/permissions";

const unique = () => randomBytes(4).toString("hex");

/** Creates a department (or, with parentId, a service). */
export async function buildDepartment(overrides: Partial<Prisma.DepartmentUncheckedCreateInput> = {}) {
  const id = unique();
  return prisma.department.create({
    data: {
      code: `T-${id}`,
      name: `Testdienst ${id}`,
      kind: overrides.parentId ? "service" : "department",
      ...overrides,
    },
  });
}

/** Creates an active user with the given extra roles. */
export async function buildUser(
  overrides: Partial<Prisma.UserUncheckedCreateInput> = {},
  roles: Exclude<Role, "employee">[] = [],
) {
  const id = unique();
  return prisma.user.create({
    data: {
      displayName: `Test Medewerker ${id}`,
      email: `test.${id}@stad.gent`,
      employeeNumber: `T-${id}`,
      ...overrides,
      roles: { create: roles.map((role) => ({ role, source: "seed" })) },
    },
  });
}
