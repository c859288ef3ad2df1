/**
 * /inloggen/code: field workers sign in on their own phone with their employee number and a code by SMS.
 * Step 1 asks the number and always answers the same way; step 2 asks the code, with the number kept in a
 * signed cookie scoped to this path (never a user id from the browser). Both steps also count against a
 * limit per client IP (server/app.ts), which sends the browser back here with `?fout=teVeel&wacht=<s>`.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { getEnv } from "~/env.server";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import {
  checkSignInCode,
  clearPendingSignIn,
  isPendingFresh,
  readPendingSignIn,
  requestSignInCode,
  serializePendingSignIn,
} from "~/modules/identity/field-sign-in.server";
import { getSessionUser, safeRedirectPath } from "~/modules/identity/session.server";
import { ErrorSummary, type FormProblem } from "~/modules/kiosk/error-summary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const FIELD = { number: "personeelsnummer", code: "code" } as const;

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("request"),
    employeeNumber: z.string().max(60),
    terug: z.string().optional(),
  }),
  z.object({ intent: z.literal("verify"), code: z.string().max(20), terug: z.string().optional() }),
  z.object({ intent: z.literal("restart"), terug: z.string().optional() }),
]);

type ErrorCode = "numberInvalid" | "tooMany" | "codeMalformed" | "codeWrong" | "codeUsedUp" | "invalid";
type ActionResult = { error: ErrorCode; waitMinutes?: number; employeeNumber?: string };

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

function selfUrl(back: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (back !== "/") params.set("terug", back);
  const query = params.toString();
  return `/inloggen/code${query ? `?${query}` : ""}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const back = safeRedirectPath(url.searchParams.get("terug"));
  if (await getSessionUser(request)) throw redirect(back);
  const t = await getFixedT(await getLocale(request));
  const pending = await readPendingSignIn(request.headers.get("Cookie"));
  const wait = Number(url.searchParams.get("wacht"));
  return data(
    {
      title: `${t("fieldSignIn.title")} · Werkplek`,
      back,
      step: pending && isPendingFresh(pending) ? ("code" as const) : ("number" as const),
      sent: url.searchParams.has("verstuurd"),
      ipLimited:
        url.searchParams.get("fout") === "teVeel"
          ? { waitMinutes: minutes(Number.isFinite(wait) && wait > 0 ? Math.min(wait, 3600) : 900) }
          : null,
      entra: Boolean(getEnv().entra),
    },
    // The step depends on a cookie: never a stored copy of this page.
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readCsrfCheckedForm(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data<ActionResult>({ error: "invalid" }, { status: 400 });
  const back = safeRedirectPath(parsed.data.terug);
  const input = parsed.data;

  if (input.intent === "restart") {
    return redirect(selfUrl(back), { headers: { "Set-Cookie": await clearPendingSignIn() } });
  }

  if (input.intent === "request") {
    const result = await requestSignInCode({ employeeNumber: input.employeeNumber });
    if (!result.ok && result.reason === "malformed") {
      return data<ActionResult>(
        { error: "numberInvalid", employeeNumber: input.employeeNumber },
        { status: 400 },
      );
    }
    if (!result.ok) {
      const retryAfter = result.reason === "rate_limited" ? result.retryAfterSeconds : 900;
      return data<ActionResult>(
        { error: "tooMany", waitMinutes: minutes(retryAfter), employeeNumber: input.employeeNumber },
        { status: 429, headers: { "Retry-After": String(retryAfter) } },
      );
    }
    return redirect(selfUrl(back, { verstuurd: "1" }), {
      status: 303,
      headers: { "Set-Cookie": await serializePendingSignIn(result.pending) },
    });
  }

  const pending = await readPendingSignIn(request.headers.get("Cookie"));
  if (!pending) {
    return data<ActionResult>(
      { error: "codeUsedUp" },
      { status: 400, headers: { "Set-Cookie": await clearPendingSignIn() } },
    );
  }
  const result = await checkSignInCode({
    pending,
    code: input.code,
    userAgent: request.headers.get("User-Agent"),
    previousCookieHeader: request.headers.get("Cookie"),
  });
  if (result.ok) {
    const headers = new Headers();
    headers.append("Set-Cookie", result.setCookie);
    headers.append("Set-Cookie", await clearPendingSignIn());
    return redirect(back, { status: 303, headers });
  }
  if (result.reason === "used_up") {
    return data<ActionResult>(
      { error: "codeUsedUp", employeeNumber: pending.n },
      { status: 400, headers: { "Set-Cookie": await clearPendingSignIn() } },
    );
  }
  return data<ActionResult>(
    { error: result.reason === "malformed" ? "codeMalformed" : "codeWrong" },
    { status: 400, headers: { "Set-Cookie": await serializePendingSignIn(result.pending) } },
  );
}

export default function FieldSignIn() {
  const { back, step, sent, ipLimited, entra } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const busy = navigation.state === "submitting";
  const error = actionData?.error;
  const problems: FormProblem[] = [];
  if (ipLimited)
    problems.push({ message: t("fieldSignIn.errors.tooMany", { count: ipLimited.waitMinutes }) });
  if (error === "tooMany") {
    problems.push({ message: t("fieldSignIn.errors.tooMany", { count: actionData?.waitMinutes ?? 15 }) });
  } else if (error === "numberInvalid") {
    problems.push({ message: t("fieldSignIn.errors.numberInvalid"), fieldId: FIELD.number });
  } else if (error === "codeMalformed" || error === "codeWrong") {
    problems.push({ message: t(`fieldSignIn.errors.${error}`), fieldId: FIELD.code });
  } else if (error === "codeUsedUp" || error === "invalid") {
    problems.push({ message: t(`fieldSignIn.errors.${error}`) });
  }
  const fieldError = (id: string) => problems.find((problem) => problem.fieldId === id);
  return (
    <div className="page page--narrow field-sign-in">
      <p>
        <Link to={back === "/" ? "/inloggen" : `/inloggen?${new URLSearchParams({ terug: back })}`}>
          {t("fieldSignIn.back")}
        </Link>
      </p>
      <h1>{t("fieldSignIn.title")}</h1>
      <ErrorSummary title={t("fieldSignIn.errors.title")} problems={problems} focusKey={actionData} />
      {step === "number" ? (
        <>
          <p className="lead">{t("fieldSignIn.intro")}</p>
          <Form method="post" className="stack" reloadDocument>
            <CsrfInput />
            <input type="hidden" name="intent" value="request" />
            <input type="hidden" name="terug" value={back} />
            <label htmlFor={FIELD.number}>{t("fieldSignIn.numberLabel")}</label>
            <p id={`${FIELD.number}-hulp`} className="muted">
              {t("fieldSignIn.numberHelp")}
            </p>
            {fieldError(FIELD.number) ? (
              <p id={`${FIELD.number}-fout`} className="field__error">
                {fieldError(FIELD.number)!.message}
              </p>
            ) : null}
            <input
              id={FIELD.number}
              name="employeeNumber"
              type="text"
              autoComplete="username"
              autoCapitalize="characters"
              spellCheck={false}
              required
              maxLength={40}
              defaultValue={actionData?.employeeNumber ?? ""}
              aria-invalid={fieldError(FIELD.number) ? true : undefined}
              aria-describedby={[
                `${FIELD.number}-hulp`,
                fieldError(FIELD.number) ? `${FIELD.number}-fout` : null,
              ]
                .filter(Boolean)
                .join(" ")}
            />
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("fieldSignIn.sendCode")}
            </button>
          </Form>
        </>
      ) : (
        <>
          <p className="notice notice--success" role="status">
            {sent ? t("fieldSignIn.sentMaybe") : t("fieldSignIn.codeIntro")}
          </p>
          <Form method="post" className="stack" reloadDocument>
            <CsrfInput />
            <input type="hidden" name="intent" value="verify" />
            <input type="hidden" name="terug" value={back} />
            <label htmlFor={FIELD.code}>{t("fieldSignIn.codeLabel")}</label>
            <p id={`${FIELD.code}-hulp`} className="muted">
              {t("fieldSignIn.codeHelp")}
            </p>
            {fieldError(FIELD.code) ? (
              <p id={`${FIELD.code}-fout`} className="field__error">
                {fieldError(FIELD.code)!.message}
              </p>
            ) : null}
            <input
              id={FIELD.code}
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={8}
              required
              className="field-sign-in__code"
              aria-invalid={fieldError(FIELD.code) ? true : undefined}
              aria-describedby={[`${FIELD.code}-hulp`, fieldError(FIELD.code) ? `${FIELD.code}-fout` : null]
                .filter(Boolean)
                .join(" ")}
            />
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("fieldSignIn.signIn")}
            </button>
          </Form>
          <Form method="post" reloadDocument className="field-sign-in__restart">
            <CsrfInput />
            <input type="hidden" name="intent" value="restart" />
            <input type="hidden" name="terug" value={back} />
            <button type="submit" className="button">
              {t("fieldSignIn.restart")}
            </button>
          </Form>
        </>
      )}
      {entra ? (
        <p className="field-sign-in__other">
          <a href={`/auth/entra?${new URLSearchParams({ terug: back })}`}>{t("fieldSignIn.entra")}</a>
        </p>
      ) : null}
    </div>
  );
}
