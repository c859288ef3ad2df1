/**
 * /kiosk/aanmelden: a worker signs in at the terminal with their employee number and personal PIN. Wrong
 * number, no PIN and wrong PIN give one answer; a locked PIN and the limits say how long to wait. Left
 * alone, the form returns to the board after 60 s (with and without JavaScript).
 */
import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { getSessionUser } from "~/modules/identity/session.server";
import { ErrorSummary, type FormProblem } from "~/modules/kiosk/error-summary";
import { requireKioskDevice, KIOSK_HEADERS } from "~/modules/kiosk/http.server";
import { IdleCountdown, KIOSK_IDLE_SECONDS } from "~/modules/kiosk/idle-countdown";
import { signInAtKiosk } from "~/modules/kiosk/sign-in.server";

export const handle = { shell: "bare" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek kiosk" }];

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const out = new Headers(loaderHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) out.set("Retry-After", retryAfter);
  out.set("Cache-Control", "no-store");
  return out;
};

const FIELD = { number: "kiosk-nummer", pin: "kiosk-pin" } as const;

const SignInSchema = z.object({
  employeeNumber: z.string().max(60),
  pin: z.string().max(20),
});

type ActionResult = { error: "wrong" | "locked" | "rateLimited" | "invalid"; waitMinutes?: number };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireKioskDevice(request);
  const user = await getSessionUser(request);
  if (user?.sessionKind === "kiosk") throw redirect("/kiosk/mijn", { headers: KIOSK_HEADERS });
  const t = await getFixedT(await getLocale(request));
  return data({ title: `${t("kiosk.signIn.title")} · Werkplek` }, { headers: KIOSK_HEADERS });
}

export async function action({ request }: ActionFunctionArgs) {
  const device = await requireKioskDevice(request);
  const form = await readCsrfCheckedForm(request);
  const parsed = SignInSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    return data<ActionResult>({ error: "invalid" }, { status: 400, headers: KIOSK_HEADERS });
  const result = await signInAtKiosk({
    device,
    employeeNumber: parsed.data.employeeNumber,
    pin: parsed.data.pin.trim(),
    previousCookieHeader: request.headers.get("Cookie"),
  });
  if (result.ok) {
    return redirect("/kiosk/mijn", {
      status: 303,
      headers: { ...KIOSK_HEADERS, "Set-Cookie": result.setCookie },
    });
  }
  if (result.reason === "wrong") {
    return data<ActionResult>({ error: "wrong" }, { status: 400, headers: KIOSK_HEADERS });
  }
  return data<ActionResult>(
    {
      error: result.reason === "locked" ? "locked" : "rateLimited",
      waitMinutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)),
    },
    { status: 429, headers: { ...KIOSK_HEADERS, "Retry-After": String(result.retryAfterSeconds) } },
  );
}

export default function KioskSignIn() {
  useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const error = actionData?.error;
  const problems: FormProblem[] = error
    ? [
        {
          message: t(`kiosk.signIn.errors.${error}`, { count: actionData?.waitMinutes ?? 15 }),
          fieldId: error === "wrong" ? FIELD.number : undefined,
        },
      ]
    : [];
  return (
    <div className="kiosk">
      <noscript>
        <meta httpEquiv="refresh" content={`${KIOSK_IDLE_SECONDS};url=/kiosk`} />
      </noscript>
      <IdleCountdown mode="board" />
      <header className="kiosk__header">
        <h1>{t("kiosk.signIn.title")}</h1>
        <Link to="/kiosk" className="kiosk-button">
          {t("kiosk.signIn.cancel")}
        </Link>
      </header>
      <ErrorSummary title={t("kiosk.signIn.errors.title")} problems={problems} focusKey={actionData} />
      <Form method="post" className="kiosk-form" autoComplete="off">
        <CsrfInput />
        <div className="kiosk-field">
          <label htmlFor={FIELD.number}>{t("kiosk.signIn.number")}</label>
          <p id={`${FIELD.number}-hulp`} className="kiosk-field__help">
            {t("kiosk.signIn.numberHelp")}
          </p>
          <input
            id={FIELD.number}
            name="employeeNumber"
            type="text"
            required
            maxLength={40}
            autoCapitalize="characters"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error === "wrong" ? true : undefined}
            aria-describedby={`${FIELD.number}-hulp`}
          />
        </div>
        <div className="kiosk-field">
          <label htmlFor={FIELD.pin}>{t("kiosk.signIn.pin")}</label>
          <p id={`${FIELD.pin}-hulp`} className="kiosk-field__help">
            {t("kiosk.signIn.pinHelp")}
          </p>
          <input
            id={FIELD.pin}
            name="pin"
            type="password"
            inputMode="numeric"
            pattern="[0-9]*"
            minLength={4}
            maxLength={6}
            required
            autoComplete="off"
            aria-invalid={error === "wrong" ? true : undefined}
            aria-describedby={`${FIELD.pin}-hulp`}
          />
        </div>
        <button
          type="submit"
          className="kiosk-button kiosk-button--primary"
          disabled={navigation.state !== "idle"}
        >
          {t("kiosk.signIn.submit")}
        </button>
      </Form>
      <p className="kiosk__hint">{t("kiosk.signIn.noPin")}</p>
    </div>
  );
}
