/**
 * Who may do what with field workers' reach, shared by loaders, actions and UI: HR and admins see who can be
 * reached (masked contacts, consent state, totals); only HR registers contacts and records consent on a
 * worker's behalf. Nobody but the worker's own phone ever sees a code or a clear number.
 */
import { hasPermission, type Role } from "~/modules/identity/permissions";

type Actor = { roles: readonly Role[] } | null | undefined;

/** Whether the person may open /personeel (the reach overview and a worker's reach page). */
export function canReadReach(user: Actor): boolean {
  return hasPermission(user, "read:reach") || hasPermission(user, "register:contact:any");
}

/** Whether the person may register contacts, enter codes and record or withdraw consent for a worker. */
export function canRegisterContacts(user: Actor): boolean {
  return hasPermission(user, "register:contact:any");
}
