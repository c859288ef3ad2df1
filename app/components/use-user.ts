/** Hooks for the signed-in person in components; permission checks use the same helper as the server. */
import { useRouteLoaderData } from "@remix-run/react";
import { hasPermission, type Permission } from "~/modules/identity/permissions";
import { type loader as rootLoader } from "~/root";

/** The signed-in user, or null on public pages. */
export function useOptionalUser() {
  return useRouteLoaderData<typeof rootLoader>("root")?.user ?? null;
}

/** Whether the signed-in user holds a permission (for showing controls; the server checks again). */
export function useUserCan(permission: Permission): boolean {
  return hasPermission(useOptionalUser(), permission);
}
