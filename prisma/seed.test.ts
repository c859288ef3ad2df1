// Checks the demo seed data itself; seeding a real database is covered by the database test harness.
import { describe, it, expect } from "vitest";
import { DEMO_ACCOUNTS, SEED_DEPARTMENTS, SEED_USERS, emailLocalPart } from "./seed-data";

const departments = SEED_DEPARTMENTS.filter((department) => department.kind === "department");
const services = SEED_DEPARTMENTS.filter((department) => department.kind === "service");
const byCode = new Map(SEED_DEPARTMENTS.map((department) => [department.code, department]));

function withRole(role: string): number {
  return SEED_USERS.filter((user) => user.roles.some((granted) => granted === role)).length;
}

describe("seed departments", () => {
  it("has at least 8 departments with at least 2 services each", () => {
    expect(departments.length).toBeGreaterThanOrEqual(8);
    for (const department of departments) {
      const children = services.filter((service) => service.parentCode === department.code);
      expect(children.length, department.code).toBeGreaterThanOrEqual(2);
    }
  });

  it("gives departments no parent and every service an existing department as parent", () => {
    for (const department of departments) expect(department.parentCode, department.code).toBeNull();
    for (const service of services) {
      expect(service.parentCode, service.code).not.toBeNull();
      expect(byCode.get(service.parentCode ?? "")?.kind, service.code).toBe("department");
    }
  });

  it("uses unique codes", () => {
    expect(byCode.size).toBe(SEED_DEPARTMENTS.length);
  });

  it("lists every department before its services", () => {
    const position = new Map(SEED_DEPARTMENTS.map((department, index) => [department.code, index]));
    for (const service of services) {
      expect(position.get(service.parentCode ?? "")).toBeLessThan(position.get(service.code) ?? -1);
    }
  });
});

describe("seed users", () => {
  it("has at least 60 users, at least a third of them field workers", () => {
    expect(SEED_USERS.length).toBeGreaterThanOrEqual(60);
    const fieldWorkers = SEED_USERS.filter((user) => user.isFieldWorker).length;
    expect(fieldWorkers * 3).toBeGreaterThanOrEqual(SEED_USERS.length);
  });

  it("uses unique employee numbers, e-mail addresses and Entra object ids", () => {
    const numbers = SEED_USERS.map((user) => user.employeeNumber);
    const emails = SEED_USERS.flatMap((user) => (user.email ? [user.email] : []));
    const oids = SEED_USERS.flatMap((user) => (user.entraOid ? [user.entraOid] : []));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(oids).size).toBe(oids.length);
    for (const number of numbers) expect(number).toMatch(/^GE-\d{6}$/);
  });

  it("gives office staff a lower-case, accent-free work address and an Entra account", () => {
    for (const user of SEED_USERS.filter((candidate) => !candidate.isFieldWorker)) {
      expect(user.email, user.displayName).toBe(
        `${emailLocalPart(user.givenName, user.familyName)}@stad.gent`,
      );
      expect(user.email, user.displayName).toMatch(/^[a-z-]+\.[a-z-]+@stad\.gent$/);
      expect(user.entraOid, user.displayName).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    }
  });

  it("leaves most field workers without e-mail or Entra account", () => {
    const fieldWorkers = SEED_USERS.filter((user) => user.isFieldWorker);
    const withoutAccount = fieldWorkers.filter((user) => user.email === null && user.entraOid === null);
    expect(withoutAccount.length * 2).toBeGreaterThan(fieldWorkers.length);
  });

  it("places every user in an existing service", () => {
    for (const user of SEED_USERS) {
      expect(byCode.get(user.departmentCode)?.kind, user.displayName).toBe("service");
    }
  });

  it("grants at least 3 editors, 3 communicators and 1 admin", () => {
    expect(withRole("editor")).toBeGreaterThanOrEqual(3);
    expect(withRole("communicator")).toBeGreaterThanOrEqual(3);
    expect(withRole("admin")).toBeGreaterThanOrEqual(1);
  });

  it("uses Dutch for almost everyone", () => {
    const english = SEED_USERS.filter((user) => user.locale === "en").length;
    expect(english).toBeGreaterThanOrEqual(1);
    expect(english * 10).toBeLessThan(SEED_USERS.length);
  });
});

describe("demo accounts", () => {
  it("all exist and lead the user list in the same order", () => {
    expect(DEMO_ACCOUNTS.length).toBeGreaterThanOrEqual(5);
    expect(SEED_USERS.slice(0, DEMO_ACCOUNTS.length).map((user) => user.employeeNumber)).toEqual(
      DEMO_ACCOUNTS,
    );
  });

  it("cover an admin, an editor, a communicator, an office employee and a field worker", () => {
    const demoUsers = SEED_USERS.slice(0, DEMO_ACCOUNTS.length);
    expect(demoUsers.some((user) => user.roles.includes("admin"))).toBe(true);
    expect(demoUsers.some((user) => user.roles.includes("editor"))).toBe(true);
    expect(demoUsers.some((user) => user.roles.includes("communicator"))).toBe(true);
    expect(demoUsers.some((user) => user.roles.length === 0 && !user.isFieldWorker)).toBe(true);
    expect(demoUsers.some((user) => user.isFieldWorker && user.email === null)).toBe(true);
  });
});
