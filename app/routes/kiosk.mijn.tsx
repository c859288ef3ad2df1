/**
 * /kiosk/mijn: the signed-in worker's own page at a terminal: their latest digest (items without links: the
 * kiosk pages are a kiosk session's whole world) and the circulars waiting for "gelezen en begrepen", each
 * readable on the terminal and confirmed with one large button. Signing out is one button; 60 s without
 * input signs out by itself (IdleCountdown, or the meta refresh without JavaScript).
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
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { acknowledgeCircular } from "~/modules/circulars/acknowledgements.server";
import { CircularError } from "~/modules/circulars/errors";
import { circularPath } from "~/modules/circulars/paths";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { kioskPersonalView } from "~/modules/kiosk/board.server";
import { ErrorSummary } from "~/modules/kiosk/error-summary";
import { KIOSK_HEADERS, requireKioskUser } from "~/modules/kiosk/http.server";
import { IdleCountdown, KIOSK_IDLE_SECONDS } from "~/modules/kiosk/idle-countdown";

export const handle = { shell: "bare" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek kiosk" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers(loaderHeaders);
  out.set("Cache-Control", "no-store");
  return out;
};

const CONFIRMED_PARAM = "bevestigd";
const NUMBER = /^\d{4}\/\d{3,4}$/;

const ActionSchema = z.object({
  intent: z.literal("acknowledge"),
  number: z.string().regex(NUMBER),
});

type ActionResult = { error: "invalid" | "notFound" | "notNeeded" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireKioskUser(request);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const view = await kioskPersonalView(user);
  const dateFormat = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "long",
    timeZone: "Europe/Brussels",
  });
  const confirmed = new URL(request.url).searchParams.get(CONFIRMED_PARAM);
  return data(
    {
      title: `${t("kiosk.mine.title")} · Werkplek`,
      name: user.displayName,
      confirmed: confirmed && NUMBER.test(confirmed) ? confirmed : null,
      digest: view.digest && {
        date: dateFormat.format(new Date(view.digest.createdAt)),
        items: view.digest.items.map((item) => ({
          key: `${item.kind}:${item.id}`,
          kind: item.kind,
          title: item.title,
          summary: item.summary,
          urgent: item.urgent,
          date: dateFormat.format(new Date(item.date)),
        })),
      },
      pending: view.pending.map((item) => ({
        number: item.number,
        title: item.title,
        summary: item.summary,
        again: item.again,
        date: dateFormat.format(new Date(item.publishedAt)),
      })),
    },
    { headers: KIOSK_HEADERS },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireKioskUser(request);
  const form = await readCsrfCheckedForm(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    return data<ActionResult>({ error: "invalid" }, { status: 400, headers: KIOSK_HEADERS });
  try {
    await acknowledgeCircular(user, parsed.data.number);
  } catch (error) {
    if (error instanceof CircularError) {
      const notFound = error.code === "not_found" || error.code === "forbidden";
      return data<ActionResult>(
        { error: notFound ? "notFound" : "notNeeded" },
        { status: notFound ? 404 : 409, headers: KIOSK_HEADERS },
      );
    }
    throw error;
  }
  return redirect(`/kiosk/mijn?${new URLSearchParams({ [CONFIRMED_PARAM]: parsed.data.number })}`, {
    status: 303,
    headers: KIOSK_HEADERS,
  });
}

export default function KioskMine() {
  const { name, confirmed, digest, pending } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <div className="kiosk">
      <noscript>
        <meta httpEquiv="refresh" content={`${KIOSK_IDLE_SECONDS + 1};url=/kiosk`} />
      </noscript>
      <IdleCountdown mode="signOut" />
      <header className="kiosk__header">
        <h1>{t("kiosk.mine.title")}</h1>
        <p className="kiosk__place">{t("kiosk.mine.signedInAs", { name })}</p>
        <Form method="post" action="/kiosk/afmelden" reloadDocument>
          <CsrfInput />
          <button type="submit" className="kiosk-button kiosk-button--primary">
            {t("kiosk.mine.signOut")}
          </button>
        </Form>
      </header>
      <div role="status">
        {confirmed ? (
          <p className="notice notice--success kiosk-notice">
            {t("kiosk.mine.confirmed", { number: confirmed })}
          </p>
        ) : null}
      </div>
      <ErrorSummary
        title={t("kiosk.mine.errors.title")}
        problems={actionData?.error ? [{ message: t(`kiosk.mine.errors.${actionData.error}`) }] : []}
        focusKey={actionData}
      />
      <section aria-labelledby="kiosk-bevestigen" className="kiosk__section">
        <h2 id="kiosk-bevestigen">{t("kiosk.mine.toConfirm")}</h2>
        {pending.length === 0 ? (
          <p>{t("kiosk.mine.nothingToConfirm")}</p>
        ) : (
          <ul className="kiosk-list">
            {pending.map((item) => (
              <li key={item.number} className="kiosk-card">
                <p className="kiosk-card__meta">
                  {t("kiosk.board.circularNumber", { number: item.number })} · {item.date}
                  {item.again ? ` · ${t("kiosk.mine.again")}` : ""}
                </p>
                <h3>{item.title}</h3>
                <p>{item.summary}</p>
                <div className="kiosk-actions">
                  <Link
                    to={`/kiosk${circularPath(item.number).replace("/circulaires", "/circulaire")}`}
                    className="kiosk-button"
                  >
                    {t("kiosk.mine.read")}
                  </Link>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="acknowledge" />
                    <input type="hidden" name="number" value={item.number} />
                    <button
                      type="submit"
                      className="kiosk-button kiosk-button--primary"
                      disabled={navigation.state !== "idle"}
                      aria-label={t("kiosk.mine.acknowledgeNamed", { title: item.title })}
                    >
                      {t("kiosk.mine.acknowledge")}
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="kiosk-overzicht" className="kiosk__section">
        <h2 id="kiosk-overzicht">{t("kiosk.mine.digest")}</h2>
        {!digest || digest.items.length === 0 ? (
          <p>{t("kiosk.mine.noDigest")}</p>
        ) : (
          <>
            <p className="kiosk__hint">{t("kiosk.mine.digestOf", { date: digest.date })}</p>
            <ul className="kiosk-list">
              {digest.items.map((item) => (
                <li key={item.key} className={item.urgent ? "kiosk-card kiosk-card--urgent" : "kiosk-card"}>
                  <p className="kiosk-card__meta">
                    {item.urgent ? (
                      <>
                        <span className="kiosk-badge">{t("kiosk.board.urgentBadge")}</span>{" "}
                      </>
                    ) : null}
                    {t(`kiosk.mine.kinds.${item.kind}`)} · {item.date}
                  </p>
                  <h3>{item.title}</h3>
                  {item.summary ? <p>{item.summary}</p> : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
