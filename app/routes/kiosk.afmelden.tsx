/**
 * /kiosk/afmelden (POST): ends the worker's kiosk session (button or timeout) and returns to the board.
 * Clear-Site-Data "cache" empties the browser cache of personal pages; "cookies" and "storage" are not sent,
 * because they would also remove the terminal's enrolment cookie. A GET only goes to the board.
 */
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { logout } from "~/modules/identity/session.server";
import { KIOSK_HEADERS, KIOSK_SIGN_OUT_HEADERS } from "~/modules/kiosk/http.server";

export async function loader() {
  return redirect("/kiosk", { headers: KIOSK_HEADERS });
}

export async function action({ request }: ActionFunctionArgs) {
  await readCsrfCheckedForm(request);
  return redirect("/kiosk", {
    status: 303,
    headers: { ...KIOSK_SIGN_OUT_HEADERS, "Set-Cookie": await logout(request) },
  });
}
