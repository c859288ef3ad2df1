/**
 * /kiosk: the board of a workshop terminal, in large type: announcements for everyone and urgent circulars,
 * nothing personal. Only an enrolled terminal shows it; any other browser gets a page explaining what the
 * screen is for. A worker still signed in on this terminal goes on to their own page.
 */
import {
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { htmlLang } from "~/i18n/config";
import { getSessionUser } from "~/modules/identity/session.server";
import { kioskBoard } from "~/modules/kiosk/board.server";
import { kioskDeviceOf } from "~/modules/kiosk/devices.server";
import { KIOSK_HEADERS } from "~/modules/kiosk/http.server";

export const handle = { shell: "bare" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek kiosk" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers(loaderHeaders);
  out.set("Cache-Control", "no-store");
  return out;
};

/** The board reloads itself now and then, so a terminal nobody touches still shows today's news. */
const BOARD_REFRESH_SECONDS = 300;

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const t = await getFixedT(locale);
  const device = await kioskDeviceOf(request);
  if (!device) {
    return data(
      { title: `${t("kiosk.notEnrolled.title")} · Werkplek`, enrolled: false as const },
      { status: 403, headers: KIOSK_HEADERS },
    );
  }
  const user = await getSessionUser(request);
  if (user?.sessionKind === "kiosk") throw redirect("/kiosk/mijn", { headers: KIOSK_HEADERS });
  const board = await kioskBoard();
  const dateFormat = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "long",
    timeZone: "Europe/Brussels",
  });
  return data(
    {
      title: `${t("kiosk.board.title")} · Werkplek`,
      enrolled: true as const,
      device: { name: device.name, location: device.location },
      announcements: board.announcements.map((a) => ({ ...a, date: dateFormat.format(new Date(a.date)) })),
      circulars: board.circulars.map((c) => ({
        ...c,
        validFrom: c.validFrom ? dateFormat.format(new Date(`${c.validFrom}T12:00:00Z`)) : null,
      })),
    },
    { headers: KIOSK_HEADERS },
  );
}

export default function KioskBoard() {
  const loaderData = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (!loaderData.enrolled) {
    return (
      <div className="kiosk kiosk--plain">
        <h1>{t("kiosk.notEnrolled.title")}</h1>
        <p>{t("kiosk.notEnrolled.body")}</p>
        <p>{t("kiosk.notEnrolled.admin")}</p>
        <p>
          <Link to="/" className="kiosk-button">
            {t("kiosk.notEnrolled.home")}
          </Link>
        </p>
      </div>
    );
  }
  const { device, announcements, circulars } = loaderData;
  return (
    <div className="kiosk">
      <BoardRefresh />
      <header className="kiosk__header">
        <h1>{t("kiosk.board.title")}</h1>
        <p className="kiosk__place">{[device.name, device.location].filter(Boolean).join(" · ")}</p>
        <Link to="/kiosk/aanmelden" className="kiosk-button kiosk-button--primary">
          {t("kiosk.board.signIn")}
        </Link>
      </header>
      <section aria-labelledby="kiosk-dringend" className="kiosk__section">
        <h2 id="kiosk-dringend">{t("kiosk.board.urgent")}</h2>
        {circulars.length === 0 ? (
          <p>{t("kiosk.board.noUrgent")}</p>
        ) : (
          <ul className="kiosk-list">
            {circulars.map((circular) => (
              <li key={circular.number} className="kiosk-card kiosk-card--urgent">
                <p className="kiosk-card__meta">
                  <span className="kiosk-badge">{t("kiosk.board.urgentBadge")}</span>{" "}
                  {t("kiosk.board.circularNumber", { number: circular.number })}
                  {circular.validFrom ? ` · ${t("kiosk.board.validFrom", { date: circular.validFrom })}` : ""}
                </p>
                <h3>{circular.title}</h3>
                <p>{circular.summary}</p>
              </li>
            ))}
          </ul>
        )}
        <p className="kiosk__hint">{t("kiosk.board.signInToConfirm")}</p>
      </section>
      <section aria-labelledby="kiosk-aankondigingen" className="kiosk__section">
        <h2 id="kiosk-aankondigingen">{t("kiosk.board.announcements")}</h2>
        {announcements.length === 0 ? (
          <p>{t("kiosk.board.noAnnouncements")}</p>
        ) : (
          <ul className="kiosk-list">
            {announcements.map((announcement) => (
              <li key={announcement.id} className="kiosk-card">
                <p className="kiosk-card__meta">
                  {announcement.pinned ? (
                    <>
                      <span className="kiosk-badge">{t("kiosk.board.pinned")}</span>{" "}
                    </>
                  ) : null}
                  {announcement.date}
                </p>
                <p className="kiosk-card__text">{announcement.text}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/**
 * Keeps the board current: every BOARD_REFRESH_SECONDS the loader runs again and the lists update in place.
 * Not a meta refresh: reloading the whole page on a timer takes focus and place away from whoever is reading
 * (WCAG 2.2.1), while revalidating changes only what changed.
 */
function BoardRefresh() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, BOARD_REFRESH_SECONDS * 1000);
    return () => window.clearInterval(timer);
  }, [revalidator]);
  return null;
}
