/**
 * /kiosk/circulaire/<jaar>/<nr>: a circular read at the terminal by the signed-in worker (only what they may
 * read: the circular policy answers 404 otherwise), in large type, with "Ik heb dit gelezen" when they are
 * asked to confirm it. The confirmation is posted to /kiosk/mijn.
 */
import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { pendingAcknowledgements } from "~/modules/circulars/acknowledgements.server";
import { CircularError } from "~/modules/circulars/errors";
import { requireCircularNumber } from "~/modules/circulars/paths";
import { getReadingView } from "~/modules/circulars/reading.server";
import { KIOSK_HEADERS, requireKioskUser } from "~/modules/kiosk/http.server";
import { IdleCountdown, KIOSK_IDLE_SECONDS } from "~/modules/kiosk/idle-countdown";

export const handle = { shell: "bare" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} · Werkplek` : "Werkplek kiosk" },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers(loaderHeaders);
  out.set("Cache-Control", "no-store");
  return out;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireKioskUser(request);
  const number = requireCircularNumber(params);
  try {
    const view = await getReadingView(user, number);
    const pending = await pendingAcknowledgements(user);
    return data(
      {
        number,
        title: view.version.title,
        summary: view.version.summary,
        html: view.version.html,
        toConfirm: pending.some((item) => item.number === number),
      },
      { headers: KIOSK_HEADERS },
    );
  } catch (error) {
    if (error instanceof CircularError) {
      throw new Response("Not found", { status: 404, headers: KIOSK_HEADERS });
    }
    throw error;
  }
}

export default function KioskCircular() {
  const { number, title, summary, html, toConfirm } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="kiosk">
      <noscript>
        <meta httpEquiv="refresh" content={`${KIOSK_IDLE_SECONDS + 1};url=/kiosk`} />
      </noscript>
      <IdleCountdown mode="signOut" />
      <header className="kiosk__header">
        <Link to="/kiosk/mijn" className="kiosk-button">
          {t("kiosk.circular.back")}
        </Link>
      </header>
      <article className="kiosk-article">
        <p className="kiosk-card__meta">{t("kiosk.board.circularNumber", { number })}</p>
        <h1>{title}</h1>
        <p className="kiosk-article__summary">{summary}</p>
        {/* Server-rendered from the validated Lexical tree (circulars/reading.server.ts), never from input. */}
        <div className="kiosk-article__body" dangerouslySetInnerHTML={{ __html: html }} />
      </article>
      {toConfirm ? (
        <Form method="post" action="/kiosk/mijn" className="kiosk-actions">
          <CsrfInput />
          <input type="hidden" name="intent" value="acknowledge" />
          <input type="hidden" name="number" value={number} />
          <button type="submit" className="kiosk-button kiosk-button--primary">
            {t("kiosk.mine.acknowledge")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
