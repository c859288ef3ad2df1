/**
 * /profiel/sessies: where the person is signed in (office browser, own phone, kiosk), with how, since when
 * and last activity; sign out one of them or every other one. A session is named to the browser by a hash
 * of its id, never the id itself (that is the bearer secret in the session cookie).
 */
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
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { listLiveSessions, sessionRef } from "~/modules/identity/field-sign-in.server";
import { logout, requireUser } from "~/modules/identity/session.server";
import { ErrorSummary } from "~/modules/kiosk/error-summary";
import { kioskNameFromLabel } from "~/modules/kiosk/devices.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("revoke"), session: z.string().regex(/^[A-Za-z0-9_-]{22}$/) }),
  z.object({ intent: z.literal("revoke-others") }),
]);

const KINDS = ["web", "device", "kiosk"] as const;
const METHODS = ["entra", "dev", "sms", "pin"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const format = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Brussels",
  });
  const sessions = await listLiveSessions(user.id);
  const params = new URL(request.url).searchParams;
  return {
    title: `${t("fieldSignIn.sessions.title")} · Werkplek`,
    done: params.has("afgemeld") ? ("one" as const) : params.has("anderen") ? ("others" as const) : null,
    sessions: sessions.map((session) => ({
      ref: sessionRef(session.id),
      current: session.id === user.sessionId,
      kind: (KINDS as readonly string[]).includes(session.kind) ? session.kind : "web",
      method: (METHODS as readonly string[]).includes(session.method) ? session.method : "dev",
      label: session.label
        ? session.kind === "kiosk"
          ? kioskNameFromLabel(session.label)
          : session.label
        : null,
      createdAt: format.format(session.createdAt),
      lastActiveAt: format.format(session.lastActiveAt),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ error: "invalid" as const }, { status: 400 });
  if (parsed.data.intent === "revoke-others") {
    await prisma.session.deleteMany({ where: { userId: user.id, id: { not: user.sessionId } } });
    return redirect("/profiel/sessies?anderen=1", 303);
  }
  const ref = parsed.data.session;
  const sessions = await prisma.session.findMany({ where: { userId: user.id }, select: { id: true } });
  const target = sessions.find((session) => sessionRef(session.id) === ref);
  // Someone else's session, or one that just ended: the same answer, nothing is revealed.
  if (!target) return data({ error: "notFound" as const }, { status: 404 });
  if (target.id === user.sessionId) {
    return redirect("/inloggen?afgemeld=1", {
      status: 303,
      headers: { "Set-Cookie": await logout(request) },
    });
  }
  await prisma.session.deleteMany({ where: { id: target.id, userId: user.id } });
  return redirect("/profiel/sessies?afgemeld=1", 303);
}

export default function Sessions() {
  const { sessions, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const others = sessions.filter((session) => !session.current).length;
  return (
    <div className="page sessions-page">
      <p>
        <Link to="/profiel">{t("fieldSignIn.sessions.back")}</Link>
      </p>
      <h1>{t("fieldSignIn.sessions.title")}</h1>
      <p className="lead">{t("fieldSignIn.sessions.intro")}</p>
      <div role="status">
        {done ? <p className="notice notice--success">{t(`fieldSignIn.sessions.done.${done}`)}</p> : null}
      </div>
      <ErrorSummary
        title={t("fieldSignIn.errors.title")}
        problems={
          actionData?.error ? [{ message: t(`fieldSignIn.sessions.errors.${actionData.error}`) }] : []
        }
        focusKey={actionData}
      />
      <ul className="sessions-list">
        {sessions.map((session) => {
          const name = session.label ?? t(`fieldSignIn.sessions.kinds.${session.kind}`);
          return (
            <li key={session.ref} className="card sessions-list__item">
              <h2 className="sessions-list__name">
                {name}
                {session.current ? (
                  <span className="sessions-list__current"> {t("fieldSignIn.sessions.thisDevice")}</span>
                ) : null}
              </h2>
              <dl className="facts">
                <dt>{t("fieldSignIn.sessions.kind")}</dt>
                <dd>{t(`fieldSignIn.sessions.kinds.${session.kind}`)}</dd>
                <dt>{t("fieldSignIn.sessions.method")}</dt>
                <dd>{t(`fieldSignIn.sessions.methods.${session.method}`)}</dd>
                <dt>{t("fieldSignIn.sessions.created")}</dt>
                <dd>{session.createdAt}</dd>
                <dt>{t("fieldSignIn.sessions.lastActive")}</dt>
                <dd>{session.lastActiveAt}</dd>
              </dl>
              <Form method="post" reloadDocument>
                <CsrfInput />
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="session" value={session.ref} />
                <button
                  type="submit"
                  className="button"
                  aria-label={t("fieldSignIn.sessions.revokeNamed", { name })}
                >
                  {session.current
                    ? t("fieldSignIn.sessions.revokeCurrent")
                    : t("fieldSignIn.sessions.revoke")}
                </button>
              </Form>
            </li>
          );
        })}
      </ul>
      {others > 0 ? (
        <Form method="post" reloadDocument>
          <CsrfInput />
          <input type="hidden" name="intent" value="revoke-others" />
          <button type="submit" className="button button--primary">
            {t("fieldSignIn.sessions.revokeOthers", { count: others })}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
