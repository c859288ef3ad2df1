/**
 * /profiel/meldingen: which notifications a person gets in Werkplek and in the digest, per type grouped by
 * area. A plain POST form (works before JavaScript loads): the hidden `type` fields name the switchable types
 * on the page, a ticked box sends its type under `inApp` or `digest`, so an unticked box is a "no". Mandatory
 * types have no boxes, only their reason. (`profiel_` keeps this page out of the /profiel page's layout.)
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
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import {
  isNotificationPreferenceError,
  listNotificationPreferences,
  type PreferenceItem,
  type PreferencesInput,
  saveNotificationPreferences,
} from "~/modules/notifications/preferences.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

/** Query parameter of the confirmation after a save ("bewaard" = saved). */
const SAVED_PARAM = "bewaard";
const FIELD = { type: "type", inApp: "inApp", digest: "digest" } as const;

const ActionSchema = z.object({
  intent: z.literal("save"),
  types: z.array(z.string().min(1).max(80)).max(100),
  inApp: z.array(z.string().max(80)).max(100),
  digest: z.array(z.string().max(80)).max(100),
});

type ActionError = "invalid" | "mandatory";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  return {
    title: `${t("notifications.preferences.title")} · Werkplek`,
    groups: await listNotificationPreferences(user.id),
    saved: new URL(request.url).searchParams.has(SAVED_PARAM),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const strings = (name: string) => form.getAll(name).filter((value) => typeof value === "string");
  const parsed = ActionSchema.safeParse({
    intent: form.get("intent"),
    types: strings(FIELD.type),
    inApp: strings(FIELD.inApp),
    digest: strings(FIELD.digest),
  });
  if (!parsed.success) return data({ error: "invalid" as ActionError }, { status: 400 });
  const { types, inApp, digest } = parsed.data;
  // A ticked box for a type the form did not list is a forged or stale form, not a choice.
  const listed = new Set(types);
  if ([...inApp, ...digest].some((type) => !listed.has(type))) {
    return data({ error: "invalid" as ActionError }, { status: 400 });
  }
  const input: PreferencesInput = Object.fromEntries(
    types.map((type) => [type, { inApp: inApp.includes(type), digest: digest.includes(type) }]),
  );
  try {
    await saveNotificationPreferences(user.id, input);
  } catch (error) {
    if (isNotificationPreferenceError(error)) {
      const code: ActionError = error.code === "mandatory" ? "mandatory" : "invalid";
      return data({ error: code }, { status: 400 });
    }
    throw error;
  }
  return redirect(`/profiel/meldingen?${SAVED_PARAM}=1`, 303);
}

export default function NotificationPreferences() {
  const { groups, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const error = actionData?.error;
  return (
    <div className="page">
      <p>
        <Link to="/meldingen">{t("notifications.preferences.back")}</Link>
      </p>
      <h1>{t("notifications.preferences.title")}</h1>
      <p className="lead">{t("notifications.preferences.intro")}</p>
      <p className="muted">{t("notifications.preferences.digestExplained")}</p>
      <div role="status">
        {saved && !error ? (
          <p className="notice notice--success">{t("notifications.preferences.saved")}</p>
        ) : null}
      </div>
      {error ? (
        <p className="notice notice--error" role="alert">
          {t(`notifications.preferences.errors.${error}`)}
        </p>
      ) : null}
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        {groups.map((group) => (
          <section key={group.area} className="card" aria-labelledby={`meldingen-${group.area}`}>
            <h2 id={`meldingen-${group.area}`}>{t(`notifications.preferences.areas.${group.area}`)}</h2>
            {group.items.map((item) => (
              <PreferenceFieldset key={item.type} item={item} />
            ))}
          </section>
        ))}
        <p>
          <button
            type="submit"
            className="button button--primary"
            disabled={navigation.state === "submitting"}
          >
            {t("notifications.preferences.save")}
          </button>
        </p>
      </Form>
    </div>
  );
}

function PreferenceFieldset({ item }: { item: PreferenceItem }) {
  const { t } = useTranslation();
  const id = `voorkeur-${item.type.replace(/[^a-z0-9]+/gi, "-")}`;
  const label = t(`notifications.preferences.types.${item.type}`);
  if (item.mandatory) {
    return (
      <fieldset>
        <legend>{label}</legend>
        <p className="choice">{t("notifications.preferences.always")}</p>
        <p className="muted">{t(`notifications.preferences.mandatory.${item.mandatory}`)}</p>
      </fieldset>
    );
  }
  return (
    <fieldset>
      <legend>{label}</legend>
      <input type="hidden" name={FIELD.type} value={item.type} />
      <label className="choice" htmlFor={`${id}-app`}>
        <input
          id={`${id}-app`}
          type="checkbox"
          name={FIELD.inApp}
          value={item.type}
          defaultChecked={item.inApp}
        />
        {t("notifications.preferences.inApp")}
      </label>
      <label className="choice" htmlFor={`${id}-digest`}>
        <input
          id={`${id}-digest`}
          type="checkbox"
          name={FIELD.digest}
          value={item.type}
          defaultChecked={item.digest}
        />
        {t("notifications.preferences.digest")}
      </label>
    </fieldset>
  );
}
