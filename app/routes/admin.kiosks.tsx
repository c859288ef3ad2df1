/**
 * /admin/kiosks (manage:kiosk): the workshop terminals. Enrolling one gives a one-time link, shown once in
 * the answer to the form (never stored in clear, never shown again); opening it on the terminal enrols it.
 * Revoking a terminal ends its kiosk sessions and makes its cookie worthless.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { getEnv } from "~/env.server";
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requirePermission } from "~/modules/identity/session.server";
import {
  enrolKioskDevice,
  KIOSK_LOCATION_MAX,
  KIOSK_NAME_MAX,
  KioskDeviceError,
  listKioskDevices,
  revokeKioskDevice,
} from "~/modules/kiosk/devices.server";
import { ErrorSummary, type FormProblem } from "~/modules/kiosk/error-summary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("enrol"),
    name: z.string().max(500),
    location: z.string().max(500).optional(),
  }),
  z.object({ intent: z.literal("revoke"), deviceId: z.string().min(1).max(64) }),
]);

type EnrolError = "invalid_name" | "invalid_location";
type ActionResult =
  | { ok: true; enrolled: { name: string; link: string; expires: string } }
  | { ok: false; error: EnrolError | "invalid" | "not_found"; name?: string; location?: string };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "manage:kiosk");
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const format = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Brussels",
  });
  const devices = await listKioskDevices();
  return data(
    {
      title: `${t("kiosk.admin.title")} · Werkplek`,
      revoked: new URL(request.url).searchParams.has("ingetrokken"),
      devices: devices.map((device) => ({
        id: device.id,
        name: device.name,
        location: device.location,
        state: device.state,
        enrolledBy: device.enrolledBy,
        createdAt: format.format(device.createdAt),
        lastSeenAt: device.lastSeenAt ? format.format(device.lastSeenAt) : null,
      })),
    },
    // The answer to an enrolment holds the link: no copy of these pages in any cache.
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "manage:kiosk");
  const form = await readCsrfCheckedForm(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data<ActionResult>({ ok: false, error: "invalid" }, { status: 400 });
  const input = parsed.data;
  if (input.intent === "revoke") {
    try {
      await revokeKioskDevice(input.deviceId);
    } catch (error) {
      if (error instanceof KioskDeviceError) {
        return data<ActionResult>({ ok: false, error: "not_found" }, { status: 404 });
      }
      throw error;
    }
    return redirect("/admin/kiosks?ingetrokken=1", 303);
  }
  try {
    const enrolled = await enrolKioskDevice({
      name: input.name,
      location: input.location ?? null,
      enrolledById: user.id,
    });
    const locale = await getLocale(request, user.locale);
    const format = new Intl.DateTimeFormat(htmlLang(locale), {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "Europe/Brussels",
    });
    return data<ActionResult>(
      {
        ok: true,
        enrolled: {
          name: input.name.trim(),
          link: `${getEnv().APP_URL}/kiosk/koppelen/${enrolled.code}`,
          expires: format.format(enrolled.expiresAt),
        },
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof KioskDeviceError && error.code !== "not_found") {
      return data<ActionResult>(
        { ok: false, error: error.code, name: input.name, location: input.location },
        { status: 400 },
      );
    }
    throw error;
  }
}

export default function AdminKiosks() {
  const { devices, revoked } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const failed = actionData && !actionData.ok ? actionData : null;
  const problems: FormProblem[] = failed
    ? [
        {
          message: t(`kiosk.admin.errors.${failed.error}`, {
            name: KIOSK_NAME_MAX,
            location: KIOSK_LOCATION_MAX,
          }),
          fieldId:
            failed.error === "invalid_name"
              ? "kiosk-naam"
              : failed.error === "invalid_location"
                ? "kiosk-plaats"
                : undefined,
        },
      ]
    : [];
  const fieldError = (id: string) => problems.find((problem) => problem.fieldId === id);
  return (
    <div className="page kiosk-admin">
      <h1>{t("kiosk.admin.title")}</h1>
      <p className="lead">{t("kiosk.admin.intro")}</p>
      <div role="status">
        {revoked ? <p className="notice notice--success">{t("kiosk.admin.revoked")}</p> : null}
      </div>
      <ErrorSummary title={t("kiosk.admin.errors.title")} problems={problems} focusKey={actionData} />
      {actionData?.ok ? (
        <section className="card kiosk-admin__link" aria-labelledby="kiosk-link">
          <h2 id="kiosk-link">{t("kiosk.admin.linkTitle", { name: actionData.enrolled.name })}</h2>
          <p>{t("kiosk.admin.linkHelp", { expires: actionData.enrolled.expires })}</p>
          <p>
            <code className="kiosk-admin__code">{actionData.enrolled.link}</code>
          </p>
          <p className="muted">{t("kiosk.admin.linkOnce")}</p>
        </section>
      ) : null}
      <section className="card" aria-labelledby="kiosk-nieuw">
        <h2 id="kiosk-nieuw">{t("kiosk.admin.enrolTitle")}</h2>
        <Form method="post" className="stack">
          <CsrfInput />
          <input type="hidden" name="intent" value="enrol" />
          <label htmlFor="kiosk-naam">{t("kiosk.admin.name")}</label>
          {fieldError("kiosk-naam") ? (
            <p id="kiosk-naam-fout" className="field__error">
              {fieldError("kiosk-naam")!.message}
            </p>
          ) : null}
          <input
            id="kiosk-naam"
            name="name"
            type="text"
            required
            maxLength={KIOSK_NAME_MAX}
            defaultValue={failed?.name ?? ""}
            aria-invalid={fieldError("kiosk-naam") ? true : undefined}
            aria-describedby={fieldError("kiosk-naam") ? "kiosk-naam-fout" : undefined}
          />
          <label htmlFor="kiosk-plaats">{t("kiosk.admin.location")}</label>
          {fieldError("kiosk-plaats") ? (
            <p id="kiosk-plaats-fout" className="field__error">
              {fieldError("kiosk-plaats")!.message}
            </p>
          ) : null}
          <input
            id="kiosk-plaats"
            name="location"
            type="text"
            maxLength={KIOSK_LOCATION_MAX}
            defaultValue={failed?.location ?? ""}
            aria-invalid={fieldError("kiosk-plaats") ? true : undefined}
            aria-describedby={fieldError("kiosk-plaats") ? "kiosk-plaats-fout" : undefined}
          />
          <button type="submit" className="button button--primary" disabled={navigation.state !== "idle"}>
            {t("kiosk.admin.enrol")}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="kiosk-lijst">
        <h2 id="kiosk-lijst">{t("kiosk.admin.listTitle")}</h2>
        {devices.length === 0 ? (
          <p>{t("kiosk.admin.none")}</p>
        ) : (
          <div className="table-scroll">
            <table className="kiosk-admin__table">
              <thead>
                <tr>
                  <th scope="col">{t("kiosk.admin.name")}</th>
                  <th scope="col">{t("kiosk.admin.location")}</th>
                  <th scope="col">{t("kiosk.admin.state")}</th>
                  <th scope="col">{t("kiosk.admin.lastSeen")}</th>
                  <th scope="col">{t("kiosk.admin.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {devices.map((device) => (
                  <tr key={device.id}>
                    <td>{device.name}</td>
                    <td>{device.location ?? "–"}</td>
                    <td>
                      {t(`kiosk.admin.states.${device.state}`)}
                      <br />
                      <span className="muted">
                        {t("kiosk.admin.enrolledOn", {
                          date: device.createdAt,
                          name: device.enrolledBy ?? "–",
                        })}
                      </span>
                    </td>
                    <td>{device.lastSeenAt ?? "–"}</td>
                    <td>
                      {device.state === "revoked" ? (
                        "–"
                      ) : (
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="deviceId" value={device.id} />
                          <button
                            type="submit"
                            className="button"
                            aria-label={t("kiosk.admin.revokeNamed", { name: device.name })}
                          >
                            {t("kiosk.admin.revoke")}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
