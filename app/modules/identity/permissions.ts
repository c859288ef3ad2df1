/**
 * Roles and permissions, shared by loaders, actions and UI. Permissions are typed strings
 * `action:entity[:own|any]`; a role grants a fixed set and every signed-in person is an employee.
 */
export const ROLES = ["employee", "editor", "communicator", "hr", "admin"] as const;
export type Role = (typeof ROLES)[number];

const EMPLOYEE = ["read:intranet", "update:profile:own", "read:directory"] as const;
const EDITOR = ["create:circular", "update:circular:any", "approve:circular", "publish:circular"] as const;
const COMMUNICATOR = [
  "create:campaign",
  "update:campaign:any",
  "approve:campaign",
  "create:announcement",
  "moderate:post",
] as const;
/** HR registers field workers' personal contact data on their behalf, with the worker's consent recorded. */
const HR = ["register:contact:any", "read:reach"] as const;
const ADMIN = [
  // The stream issue names admins next to communicators as moderators (hide or restore a post with a reason).
  "moderate:post",
  "read:admin",
  "update:user-roles",
  "update:department",
  "read:outbox",
  "read:reach",
  "manage:kiosk",
  "read:audit-log",
] as const;

export type Permission =
  | (typeof EMPLOYEE)[number]
  | (typeof EDITOR)[number]
  | (typeof COMMUNICATOR)[number]
  | (typeof HR)[number]
  | (typeof ADMIN)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  employee: EMPLOYEE,
  editor: [...EMPLOYEE, ...EDITOR],
  communicator: [...EMPLOYEE, ...COMMUNICATOR],
  hr: [...EMPLOYEE, ...HR],
  // Admins run the platform; they do not silently become editors or communicators of content (they do
  // moderate the stream).
  admin: [...EMPLOYEE, ...ADMIN],
};

/** Whether a value is one of the known roles. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** The permissions granted by a set of roles (employee is always included). */
export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const granted = new Set<Permission>(GRANTS.employee);
  for (const role of roles) for (const permission of GRANTS[role]) granted.add(permission);
  return granted;
}

/** Whether someone with these roles holds the permission. */
export function hasPermission(
  user: { roles: readonly Role[] } | null | undefined,
  permission: Permission,
): boolean {
  return Boolean(user) && permissionsOf(user!.roles).has(permission);
}
