/**
 * /profiel/kiosk-pin: a worker sets or changes the personal PIN they use at the workshop terminals (typed
 * twice; 4 to 6 digits; no four identical digits, no runs like 1234 or 9876, none of the PINs everyone
 * tries first). Setting a PIN also lifts a lock after too many wrong tries.
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
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import { ErrorSummary, type FormProblem } from "~/modules/kiosk/error-summary";
import { KioskPinError, kioskPinStatus, type PinProblem, setKioskPin } from "~/modules/kiosk/pin.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const ActionSchema = z.object({ pin: z.string().max(20), repeat: z.string().max(20) });
const FIELD = { pin: "pin-nieuw", repeat: "pin-herhaal" } as const;

type ActionResult = { error: PinProblem | "invalid" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const status = await kioskPinStatus(user.id);
  return data(
    {
      title: `${t("kiosk.pin.title")} · Werkplek`,
      hasPin: status.hasPin,
      lockedUntil: status.lockedUntil
        ? new Intl.DateTimeFormat(htmlLang(locale), {
            timeStyle: "short",
            timeZone: "Europe/Brussels",
          }).format(status.lockedUntil)
        : null,
      saved: new URL(request.url).searchParams.has("bewaard"),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data<ActionResult>({ error: "invalid" }, { status: 400 });
  try {
    await setKioskPin(user.id, parsed.data.pin.trim(), parsed.data.repeat.trim());
  } catch (error) {
    if (error instanceof KioskPinError) return data<ActionResult>({ error: error.problem }, { status: 400 });
    throw error;
  }
  return redirect("/profiel/kiosk-pin?bewaard=1", 303);
}

export default function KioskPinPage() {
  const { hasPin, lockedUntil, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const error = actionData?.error;
  const fieldId = error === "mismatch" ? FIELD.repeat : FIELD.pin;
  const problems: FormProblem[] = error ? [{ message: t(`kiosk.pin.errors.${error}`), fieldId }] : [];
  const describedBy = (id: string) =>
    [`${FIELD.pin}-hulp`, error && fieldId === id ? `${id}-fout` : null].filter(Boolean).join(" ");
  return (
    <div className="page page--narrow kiosk-pin-page">
      <p>
        <Link to="/profiel">{t("kiosk.pin.back")}</Link>
      </p>
      <h1>{t("kiosk.pin.title")}</h1>
      <p className="lead">{t("kiosk.pin.intro")}</p>
      <div role="status">
        {saved ? <p className="notice notice--success">{t("kiosk.pin.saved")}</p> : null}
      </div>
      {lockedUntil ? (
        <p className="notice notice--error">{t("kiosk.pin.locked", { time: lockedUntil })}</p>
      ) : null}
      <p>{hasPin ? t("kiosk.pin.hasPin") : t("kiosk.pin.noPin")}</p>
      <ErrorSummary title={t("kiosk.pin.errors.title")} problems={problems} focusKey={actionData} />
      <Form method="post" className="stack" autoComplete="off">
        <CsrfInput />
        <fieldset className="stack">
          <legend>{hasPin ? t("kiosk.pin.change") : t("kiosk.pin.choose")}</legend>
          <p id={`${FIELD.pin}-hulp`} className="muted">
            {t("kiosk.pin.rules")}
          </p>
          <PinField
            id={FIELD.pin}
            name="pin"
            label={t("kiosk.pin.new")}
            error={error && fieldId === FIELD.pin ? problems[0]!.message : null}
            describedBy={describedBy(FIELD.pin)}
          />
          <PinField
            id={FIELD.repeat}
            name="repeat"
            label={t("kiosk.pin.repeat")}
            error={error && fieldId === FIELD.repeat ? problems[0]!.message : null}
            describedBy={describedBy(FIELD.repeat)}
          />
        </fieldset>
        <button type="submit" className="button button--primary" disabled={navigation.state !== "idle"}>
          {t("kiosk.pin.save")}
        </button>
      </Form>
    </div>
  );
}

/** One PIN input with its label and, after a refused form, its error line (linked by aria-describedby). */
function PinField({
  id,
  name,
  label,
  error,
  describedBy,
}: {
  id: string;
  name: string;
  label: string;
  error: string | null;
  describedBy: string;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      {error ? (
        <p id={`${id}-fout`} className="field__error">
          {error}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type="password"
        inputMode="numeric"
        pattern="[0-9]*"
        minLength={4}
        maxLength={6}
        required
        autoComplete="new-password"
        className="kiosk-pin-page__input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    </>
  );
}
