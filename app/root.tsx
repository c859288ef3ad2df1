import { type LinksFunction, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "./components/csrf-input";
import { ServiceWorkerRegistration } from "./components/service-worker-registration";
import { htmlLang, type Locale } from "./i18n/config";
import { getLocale } from "./i18n/i18next.server";
import { hasPermission } from "./modules/identity/permissions";
import { getSessionUser, isKioskPath } from "./modules/identity/session.server";
import { NotificationBell } from "./modules/notifications/notification-bell";
import { countUnreadNotifications } from "./modules/notifications/notifications.server";
import { canModerate } from "./modules/stream/policy.server";
import { openReportCount } from "./modules/stream/moderation-count.server";
import { SiteSearchBox } from "./components/search/site-search-box";
import appStyles from "./styles/app.css";
import composerStyles from "./styles/composer.css";
import moderationStyles from "./styles/moderation.css";
import placesStyles from "./styles/places.css";
import streamStyles from "./styles/stream.css";
import reachStyles from "./styles/reach.css";
import digestStyles from "./styles/digest.css";
import outboxStyles from "./styles/outbox.css";
import kioskStyles from "./styles/kiosk.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  // Per-module styles, kept apart so the modules' authors do not edit one long file.
  ...[
    streamStyles,
    composerStyles,
    placesStyles,
    moderationStyles,
    reachStyles,
    digestStyles,
    outboxStyles,
    kioskStyles,
  ].map((href) => ({
    rel: "stylesheet",
    href,
  })),
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "apple-touch-icon", href: "/icons/apple-touch-icon.png" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  // A kiosk session stays on the kiosk pages, also on pages that do not call requireUser.
  if (user?.sessionKind === "kiosk" && !isKioskPath(new URL(request.url).pathname)) {
    throw redirect("/kiosk/mijn");
  }
  const locale = await getLocale(request, user?.locale);
  return {
    locale,
    csrfToken: context.csrfToken,
    cspNonce: context.cspNonce,
    user: user && {
      id: user.id,
      displayName: user.displayName,
      roles: user.roles,
      unreadNotifications: await countUnreadNotifications(user.id),
      // Communicators and admins see the moderation queue in the navigation, with what waits there.
      openReports: canModerate(user) ? await openReportCount(user) : null,
      // HR's own page, and the administration tools for whoever holds one of them (app/routes/admin._index.tsx).
      staffNav: hasPermission(user, "register:contact:any"),
      adminNav: (["read:outbox", "read:reach", "manage:kiosk"] as const).some((p) => hasPermission(user, p)),
    },
  };
}

/** The Werkplek shell: skip link, header with navigation, main content, footer. */
export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale: Locale = data?.locale ?? "nl";
  const nonce = data?.cspNonce;
  return (
    <html lang={htmlLang(locale)} data-locale={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b4f8a" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * A route whose `handle` is `{ shell: "bare" }` (the kiosk, a digest opened from a link) renders without the
 * header, navigation and footer: a page of its own with a skip link and its main content.
 */
export type ShellHandle = { shell?: "bare" };

function useBareShell(): boolean {
  return useMatches().some((match) => (match.handle as ShellHandle | undefined)?.shell === "bare");
}

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  const location = useLocation();
  const bare = useBareShell();
  const here = location.pathname + location.search;
  const otherLocale = data?.locale === "en" ? "nl" : "en";
  if (bare) {
    return (
      <>
        <a className="skip-link" href="#inhoud">
          {t("app.skipLink")}
        </a>
        <main id="inhoud" tabIndex={-1} className="site-main site-main--bare">
          {children}
        </main>
      </>
    );
  }
  return (
    <>
      <a className="skip-link" href="#inhoud">
        {t("app.skipLink")}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <img src="/favicon.svg" alt="" width="32" height="32" />
            <span className="brand__name">{t("app.name")}</span>
          </Link>
          {user ? (
            <nav aria-label={t("app.mainNav")} className="main-nav">
              <ul>
                <li>
                  <NavLink to="/" end>
                    {t("nav.home")}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/circulaires">{t("nav.circulars")}</NavLink>
                </li>
                <li>
                  <NavLink to="/groepen">{t("nav.places")}</NavLink>
                </li>
                <li>
                  <NavLink to="/organisatie">{t("nav.organisation")}</NavLink>
                </li>
                <li>
                  <NavLink to="/mensen">{t("nav.people")}</NavLink>
                </li>
                <li>
                  <NavLink to="/profiel">{t("nav.profile")}</NavLink>
                </li>
                {user.staffNav ? (
                  <li>
                    <NavLink to="/personeel">{t("nav.staff")}</NavLink>
                  </li>
                ) : null}
                {user.adminNav ? (
                  <li>
                    <NavLink to="/admin">{t("nav.admin")}</NavLink>
                  </li>
                ) : null}
                {user.openReports !== null ? (
                  <li>
                    <NavLink to="/moderatie">
                      {t("nav.moderation")}
                      {user.openReports > 0 ? (
                        <span className="nav-badge">
                          <span className="visually-hidden">{t("nav.openReports")}</span>
                          {user.openReports}
                        </span>
                      ) : null}
                    </NavLink>
                  </li>
                ) : null}
              </ul>
            </nav>
          ) : null}
          {user ? <SiteSearchBox /> : null}
          <div className="site-header__tools">
            {user ? <NotificationBell count={user.unreadNotifications} /> : null}
            <Form method="post" action="/taal" className="inline-form" reloadDocument>
              <CsrfInput />
              <input type="hidden" name="locale" value={otherLocale} />
              <input type="hidden" name="terug" value={here} />
              <button
                type="submit"
                className="button button--quiet"
                lang={otherLocale === "nl" ? "nl-BE" : "en"}
              >
                {t("language.switchTo")}
              </button>
            </Form>
            {user ? (
              <Form method="post" action="/uitloggen" className="inline-form" reloadDocument>
                <CsrfInput />
                <button type="submit" className="button button--quiet">
                  {t("auth.logout")}
                </button>
              </Form>
            ) : null}
          </div>
        </div>
      </header>
      <main id="inhoud" tabIndex={-1} className="site-main">
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("app.footer")}</p>
      </footer>
    </>
  );
}

export default function App() {
  const locale = useLoaderData<typeof loader>().locale;
  const { i18n } = useTranslation();
  // Forms that change language or identity reload the document, so hydration always matches the server;
  // this keeps the browser's i18next instance in step should the locale change on a client navigation.
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
  }, [i18n, locale]);
  return (
    <Shell>
      <Outlet />
      <ServiceWorkerRegistration />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  let message = t("errors.generic");
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) message = t("errors.notFound");
    else if (error.status === 403)
      message = String(error.data).includes("CSRF") ? t("errors.csrf") : t("errors.forbidden");
  }
  return (
    <Shell>
      <div className="page">
        <h1>{t("errors.title")}</h1>
        <p>{message}</p>
        <p>
          <Link to="/">{t("errors.backHome")}</Link>
        </p>
      </div>
    </Shell>
  );
}
