/** Read models of the organisation chart: the department tree and headcounts. */
import { prisma } from "~/db.server";

/** Headcounts shown on the home page (active staff only). */
export async function organisationFigures() {
  const [users, fieldWorkers, departments, services] = await Promise.all([
    prisma.user.count({ where: { active: true } }),
    prisma.user.count({ where: { active: true, isFieldWorker: true } }),
    prisma.department.count({ where: { kind: "department" } }),
    prisma.department.count({ where: { kind: "service" } }),
  ]);
  return { users, fieldWorkers, departments, services };
}

/** Departments with their services and active headcounts, alphabetical. */
export async function departmentTree() {
  const [departments, counts] = await Promise.all([
    prisma.department.findMany({
      where: { kind: "department" },
      orderBy: { name: "asc" },
      select: {
        id: true,
        code: true,
        name: true,
        children: { orderBy: { name: "asc" }, select: { id: true, code: true, name: true } },
      },
    }),
    prisma.user.groupBy({
      by: ["departmentId", "isFieldWorker"],
      where: { active: true, departmentId: { not: null } },
      _count: { _all: true },
    }),
  ]);
  const staff = new Map<string, { all: number; field: number }>();
  for (const row of counts) {
    const entry = staff.get(row.departmentId!) ?? { all: 0, field: 0 };
    entry.all += row._count._all;
    if (row.isFieldWorker) entry.field += row._count._all;
    staff.set(row.departmentId!, entry);
  }
  return departments.map((department) => {
    const ids = [department.id, ...department.children.map((c) => c.id)];
    const total = ids.reduce(
      (sum, id) => ({
        all: sum.all + (staff.get(id)?.all ?? 0),
        field: sum.field + (staff.get(id)?.field ?? 0),
      }),
      { all: 0, field: 0 },
    );
    return {
      id: department.id,
      code: department.code,
      name: department.name,
      userCount: total.all,
      fieldWorkerCount: total.field,
      services: department.children.map((service) => ({
        ...service,
        userCount: staff.get(service.id)?.all ?? 0,
      })),
    };
  });
}

/** Active users to choose from in the development login, demo accounts first. */
export async function devLoginChoices(demoEmployeeNumbers: readonly string[]) {
  const users = await prisma.user.findMany({
    where: { active: true },
    orderBy: { displayName: "asc" },
    select: {
      id: true,
      displayName: true,
      employeeNumber: true,
      jobTitle: true,
      isFieldWorker: true,
      department: { select: { name: true } },
      roles: { select: { role: true } },
    },
  });
  const rank = (n: string | null) => {
    const index = n ? demoEmployeeNumbers.indexOf(n) : -1;
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  const demo = users.filter((u) => rank(u.employeeNumber) !== Number.MAX_SAFE_INTEGER);
  demo.sort((a, b) => rank(a.employeeNumber) - rank(b.employeeNumber));
  return { demo, all: users };
}
