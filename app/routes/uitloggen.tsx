import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { logout } from "~/modules/identity/session.server";

export async function loader() {
  // Signing out changes state, so it is a POST; a GET (a link, a prefetch) only goes home.
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await readCsrfCheckedForm(request);
  return redirect("/inloggen?afgemeld=1", { headers: { "Set-Cookie": await logout(request) } });
}
