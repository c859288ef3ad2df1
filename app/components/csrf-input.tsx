/** The hidden CSRF field every mutating form includes (the token comes from the root loader). */
import { useRouteLoaderData } from "@remix-run/react";
import { type loader as rootLoader } from "~/root";

/** Hook returning this browser's CSRF token, for forms and fetch headers. */
export function useCsrfToken(): string {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  return data?.csrfToken ?? "";
}

/** `<input type="hidden" name="csrf">` with the current token. */
export function CsrfInput() {
  return <input type="hidden" name="csrf" value={useCsrfToken()} />;
}
