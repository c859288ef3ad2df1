/**
 * /kiosk/actief (POST, x-csrf-token): the terminal reports input, so the kiosk session's 60 s idle limit runs
 * from the worker's last tap rather than from the last page load. Reading the session records the activity
 * (kiosk sessions write lastActiveAt on every request). 204 while the session lives on this terminal, 401
 * once it is gone (the browser then returns to the board).
 */
import { type ActionFunctionArgs } from "@remix-run/node";
import { assertCsrf } from "~/modules/identity/csrf.server";
import { KIOSK_HEADERS, requireKioskUser } from "~/modules/kiosk/http.server";

export async function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { ...KIOSK_HEADERS, Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  assertCsrf(request, request.headers.get("x-csrf-token"));
  try {
    await requireKioskUser(request);
  } catch (thrown) {
    if (thrown instanceof Response) return new Response(null, { status: 401, headers: KIOSK_HEADERS });
    throw thrown;
  }
  return new Response(null, { status: 204, headers: KIOSK_HEADERS });
}
