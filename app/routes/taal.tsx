import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { prisma } from "~/db.server";
import { isLocale } from "~/i18n/config";
import { localeCookie } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { getSessionUser, safeRedirectPath } from "~/modules/identity/session.server";

export async function loader() {
  return redirect("/");
}

/** Switches the interface language: remembered in a cookie, and in the profile of a signed-in person. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readCsrfCheckedForm(request);
  const locale = form.get("locale");
  if (!isLocale(locale)) {
    throw new Response("Unsupported locale: use 'nl' or 'en'", { status: 400 });
  }
  const user = await getSessionUser(request);
  if (user) await prisma.user.update({ where: { id: user.id }, data: { locale } });
  return redirect(safeRedirectPath(form.get("terug")), {
    headers: { "Set-Cookie": await localeCookie.serialize(locale) },
  });
}
