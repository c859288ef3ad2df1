import { describe, expect, it } from "vitest";
import { hasPermission, isRole, type Permission, permissionsOf, type Role, ROLES } from "./permissions";

const EMPLOYEE: Permission[] = ["read:intranet", "update:profile:own", "read:directory"];

/** The complete matrix: a change to a role's grants has to be made here too, on purpose. */
const MATRIX: Record<Role, Permission[]> = {
  employee: EMPLOYEE,
  editor: [...EMPLOYEE, "create:circular", "update:circular:any", "approve:circular", "publish:circular"],
  communicator: [
    ...EMPLOYEE,
    "create:campaign",
    "update:campaign:any",
    "approve:campaign",
    "create:announcement",
    "moderate:post",
  ],
  hr: [...EMPLOYEE, "register:contact:any", "read:reach"],
  admin: [
    ...EMPLOYEE,
    "moderate:post",
    "read:admin",
    "update:user-roles",
    "update:department",
    "read:outbox",
    "read:reach",
    "manage:kiosk",
    "read:audit-log",
  ],
};

const ALL = [...new Set(Object.values(MATRIX).flat())];

describe("permissions", () => {
  it.each(ROLES)("%s holds exactly its permissions", (role) => {
    expect([...permissionsOf([role])].sort()).toEqual([...MATRIX[role]].sort());
    for (const permission of ALL) {
      expect(hasPermission({ roles: [role] }, permission), `${role} → ${permission}`).toBe(
        MATRIX[role].includes(permission),
      );
    }
  });

  it("makes every signed-in person an employee, with or without other roles", () => {
    expect([...permissionsOf([])].sort()).toEqual([...EMPLOYEE].sort());
    for (const role of ROLES) {
      for (const permission of EMPLOYEE) expect(hasPermission({ roles: [role] }, permission)).toBe(true);
    }
  });

  it("does not make an admin an editor or a communicator", () => {
    const admin = { roles: ["admin"] as Role[] };
    expect(hasPermission(admin, "read:admin")).toBe(true);
    for (const permission of [
      "create:circular",
      "publish:circular",
      "approve:campaign",
      "create:announcement",
    ] as const) {
      expect(hasPermission(admin, permission)).toBe(false);
    }
  });

  it("combines the grants of several roles", () => {
    const granted = permissionsOf(["editor", "communicator"]);
    expect([...granted].sort()).toEqual([...new Set([...MATRIX.editor, ...MATRIX.communicator])].sort());
    expect(granted.has("read:admin")).toBe(false);
  });

  it("grants nothing to nobody", () => {
    expect(hasPermission(null, "read:intranet")).toBe(false);
    expect(hasPermission(undefined, "read:intranet")).toBe(false);
  });

  it("recognises only the known roles", () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const value of ["Admin", "superuser", "", null, 1, undefined]) expect(isRole(value)).toBe(false);
  });
});
