/**
 * /kiosk/koppelen/<code>: opened on the terminal with the one-time link from /admin/kiosks. The GET only
 * shows which terminal this will become (a link preview or prefetch must not use up the link); the POST
 * claims the code and sets the terminal's device cookie, then shows the board.
 */
import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { claimEnrolment, kioskDeviceCookie, pendingEnrolment } from "~/modules/kiosk/devices.server";
import { KIOSK_HEADERS } from "~/modules/kiosk/http.server";

export const handle = { shell: "bare" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek kiosk" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers(loaderHeaders);
  out.set("Cache-Control", "no-store");
  // The code is in the URL: never pass it on to another site. Not "no-referrer": that makes the browser
  // send `Origin: null` with the page's own form, which the same-origin check on mutations refuses.
  out.set("Referrer-Policy", "same-origin");
  return out;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const t = await getFixedT(await getLocale(request));
  const device = await pendingEnrolment(params.code ?? "");
  return data(
    { title: `${t("kiosk.enrol.title")} · Werkplek`, device },
    { status: device ? 200 : 404, headers: KIOSK_HEADERS },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  await readCsrfCheckedForm(request);
  const claimed = await claimEnrolment(params.code ?? "");
  if (!claimed) return data({ error: "invalid" as const }, { status: 404, headers: KIOSK_HEADERS });
  return redirect("/kiosk", {
    status: 303,
    headers: { ...KIOSK_HEADERS, "Set-Cookie": await kioskDeviceCookie().serialize(claimed.token) },
  });
}

export default function KioskEnrol() {
  const { device } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  if (!device || actionData?.error) {
    return (
      <div className="kiosk kiosk--plain">
        <h1>{t("kiosk.enrol.title")}</h1>
        <p role="alert">{t("kiosk.enrol.invalid")}</p>
      </div>
    );
  }
  return (
    <div className="kiosk kiosk--plain">
      <h1>{t("kiosk.enrol.title")}</h1>
      <p>{t("kiosk.enrol.explain", { name: device.name })}</p>
      {device.location ? <p>{t("kiosk.enrol.location", { location: device.location })}</p> : null}
      <p>{t("kiosk.enrol.warning")}</p>
      <Form method="post" reloadDocument>
        <CsrfInput />
        <button type="submit" className="kiosk-button kiosk-button--primary">
          {t("kiosk.enrol.confirm")}
        </button>
      </Form>
    </div>
  );
}
