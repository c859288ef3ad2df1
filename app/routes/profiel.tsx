import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { prisma } from "~/db.server";
import { SUPPORTED_LOCALES, htmlLang } from "~/i18n/config";
import { getFixedT, getLocale, localeCookie } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { logout, requirePermission, revokeUserSessions } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const ProfileActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("locale"), locale: z.enum(SUPPORTED_LOCALES) }),
  z.object({ intent: z.literal("sign-out-everywhere") }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "update:profile:own");
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  // The list itself, with a sign-out per device, is on /profiel/sessies.
  const sessionCount = await prisma.session.count({
    where: { userId: user.id, expiresAt: { gt: new Date() } },
  });
  return {
    title: `${t("profile.title")} · Werkplek`,
    saved: new URL(request.url).searchParams.has("bewaard"),
    user: {
      id: user.id,
      displayName: user.displayName,
      email: user.email,
      jobTitle: user.jobTitle,
      isFieldWorker: user.isFieldWorker,
      department: user.department,
      roles: user.roles,
      locale: user.locale,
    },
    sessionCount,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "update:profile:own");
  const form = await readCsrfCheckedForm(request);
  const parsed = ProfileActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return data({ error: "invalidLanguage" as const }, { status: 400 });
  }
  if (parsed.data.intent === "sign-out-everywhere") {
    await revokeUserSessions(user.id);
    return redirect("/inloggen?afgemeld=1", { headers: { "Set-Cookie": await logout(request) } });
  }
  await prisma.user.update({ where: { id: user.id }, data: { locale: parsed.data.locale } });
  return redirect("/profiel?bewaard=1", {
    headers: { "Set-Cookie": await localeCookie.serialize(parsed.data.locale) },
  });
}

export default function Profile() {
  const { user, sessionCount, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ error?: "invalidLanguage" }>();
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t("profile.title")}</h1>
      {saved ? (
        <p className="notice notice--success" role="status">
          {t("profile.saved")}
        </p>
      ) : null}
      <section className="card" aria-labelledby="gegevens">
        <h2 id="gegevens">{user.displayName}</h2>
        <dl className="facts">
          <dt>{t("profile.jobTitle")}</dt>
          <dd>{user.jobTitle ?? "–"}</dd>
          <dt>{t("profile.department")}</dt>
          <dd>{user.department ? user.department.name : "–"}</dd>
          <dt>{t("profile.email")}</dt>
          <dd>{user.email ?? <span className="muted">{t("profile.noEmail")}</span>}</dd>
          <dt>{t("profile.fieldWorker")}</dt>
          <dd>{user.isFieldWorker ? t("profile.yes") : t("profile.no")}</dd>
          <dt>{t("profile.roles")}</dt>
          <dd>{user.roles.map((role) => t(`roles.${role}`)).join(", ")}</dd>
        </dl>
        <p className="inline-links">
          <Link to="/profiel/bewerken">{t("profile.editProfile")}</Link>
          {" · "}
          <Link to={`/mensen/${user.id}`}>{t("profile.viewPublicProfile")}</Link>
          {" · "}
          <Link to="/profiel/bereik">{t("reach.profileLink")}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="taalkeuze">
        <h2 id="taalkeuze">{t("profile.language")}</h2>
        <Form method="post" className="stack" reloadDocument>
          <CsrfInput />
          <input type="hidden" name="intent" value="locale" />
          <fieldset>
            <legend>{t("profile.languageHelp")}</legend>
            {(["nl", "en"] as const).map((locale) => (
              <label key={locale} className="choice">
                <input type="radio" name="locale" value={locale} defaultChecked={user.locale === locale} />
                <span lang={htmlLang(locale)}>{t(`language.${locale}`)}</span>
              </label>
            ))}
          </fieldset>
          {actionData?.error ? (
            <p className="notice notice--error" role="alert">
              {t("errors.invalidLanguage")}
            </p>
          ) : null}
          <button type="submit" className="button button--primary">
            {t("profile.save")}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="sessies">
        <h2 id="sessies">{t("profile.sessions")}</h2>
        <p>{t("profile.sessionsHelp")}</p>
        <p>
          <strong>{t("profile.activeSessions", { count: sessionCount })}</strong>
        </p>
        <p className="inline-links">
          <Link to="/profiel/sessies">{t("fieldSignIn.sessions.profileLink")}</Link>
          {" · "}
          <Link to="/profiel/kiosk-pin">{t("kiosk.pin.profileLink")}</Link>
        </p>
        <Form method="post" reloadDocument>
          <CsrfInput />
          <input type="hidden" name="intent" value="sign-out-everywhere" />
          <button type="submit" className="button">
            {t("profile.signOutEverywhere")}
          </button>
        </Form>
      </section>
    </div>
  );
}
