import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { getEnv } from "~/env.server";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { devLoginChoices } from "~/modules/identity/organisation.server";
import { createUserSession, getSessionUser, safeRedirectPath } from "~/modules/identity/session.server";
import { isActiveUser } from "~/modules/identity/users.server";
import { DEMO_ACCOUNTS } from "../../prisma/seed-data";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const DevLoginSchema = z.object({ userId: z.string().min(1).max(64), terug: z.string().optional() });
const ERROR_KEYS = ["entra", "inactive", "expired", "rateLimited"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const back = safeRedirectPath(url.searchParams.get("terug"));
  if (await getSessionUser(request)) throw redirect(back);
  const env = getEnv();
  const t = await getFixedT(await getLocale(request));
  const error = url.searchParams.get("fout");
  return {
    title: `${t("auth.loginTitle")} · Werkplek`,
    back,
    entra: Boolean(env.entra),
    error: ERROR_KEYS.find((key) => key === error) ?? null,
    loggedOut: url.searchParams.has("afgemeld"),
    dev: env.devLoginEnabled ? await devLoginChoices(DEMO_ACCOUNTS) : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  // Without dev login the endpoint does not exist, whatever is posted.
  if (!getEnv().devLoginEnabled) throw new Response("Not Found", { status: 404 });
  const form = await readCsrfCheckedForm(request);
  const parsed = DevLoginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success || !(await isActiveUser(parsed.data.userId))) {
    return data({ error: "unknownUser" as const }, { status: 400 });
  }
  const setCookie = await createUserSession({
    userId: parsed.data.userId,
    method: "dev",
    previousCookieHeader: request.headers.get("Cookie"),
  });
  return redirect(safeRedirectPath(parsed.data.terug), { headers: { "Set-Cookie": setCookie } });
}

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<{ error?: "unknownUser" }>();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const back = params.get("terug") ?? loaderData.back;
  return (
    <div className="page page--narrow">
      <h1>{t("auth.loginTitle")}</h1>
      {loaderData.loggedOut ? (
        <p className="notice notice--success" role="status">
          {t("auth.loggedOut")}
        </p>
      ) : null}
      {loaderData.error ? (
        <p className="notice notice--error" role="alert">
          {t(`auth.errors.${loaderData.error}`)}
        </p>
      ) : null}
      <p className="lead">{t("auth.loginIntro")}</p>
      {loaderData.entra ? (
        <p>
          <a className="button button--primary" href={`/auth/entra?${new URLSearchParams({ terug: back })}`}>
            {t("auth.entraButton")}
          </a>
        </p>
      ) : null}
      <p className="field-sign-in-link">
        <a href={back === "/" ? "/inloggen/code" : `/inloggen/code?${new URLSearchParams({ terug: back })}`}>
          {t("fieldSignIn.loginLink")}
        </a>
        <br />
        <span className="muted">{t("fieldSignIn.loginLinkHelp")}</span>
      </p>
      {loaderData.dev ? (
        <section className="card" aria-labelledby="dev-login">
          <h2 id="dev-login">{t("auth.devTitle")}</h2>
          <p>{t("auth.devIntro")}</p>
          {actionData?.error ? (
            <p className="notice notice--error" role="alert">
              {t(`auth.errors.${actionData.error}`)}
            </p>
          ) : null}
          <h3>{t("auth.devQuick")}</h3>
          <ul className="quick-login">
            {loaderData.dev.demo.map((user) => (
              <li key={user.id}>
                <Form method="post" reloadDocument>
                  <CsrfInput />
                  <input type="hidden" name="userId" value={user.id} />
                  <input type="hidden" name="terug" value={back} />
                  <button type="submit" className="button button--block">
                    <span className="quick-login__name">{user.displayName}</span>
                    <span className="quick-login__meta">
                      {[user.jobTitle, ...user.roles.map((r) => t(`roles.${r.role}`))]
                        .filter(Boolean)
                        .join(" · ")}
                    </span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
          <Form method="post" className="stack" reloadDocument>
            <CsrfInput />
            <input type="hidden" name="terug" value={back} />
            <label htmlFor="dev-user">{t("auth.devChoose")}</label>
            <select id="dev-user" name="userId" required>
              {loaderData.dev.all.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.displayName} ({user.department?.name ?? "–"})
                </option>
              ))}
            </select>
            <button type="submit" className="button button--primary">
              {t("auth.devSubmit")}
            </button>
          </Form>
        </section>
      ) : null}
      {!loaderData.entra && !loaderData.dev ? (
        <p className="notice notice--error">{t("auth.noMethod")}</p>
      ) : null}
    </div>
  );
}
