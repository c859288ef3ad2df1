/**
 * /d/<token>?k=<channel>: a digest opened from the link in its SMS, push message or e-mail, without signing
 * in. The token is scoped to this one digest (app/modules/digests/token.server.ts): an unknown or tampered
 * token is 404, an expired or revoked one 410, and the page links only to /d/<token>/naar/<n>, which records
 * the click and sends the reader on to the item's normal page (where the usual sign-in applies).
 *
 * Private and not cached by proxies (the service worker may keep a copy for offline reading), never indexed,
 * and no Referer leaves it, so the token does not end up in another site's logs.
 */
import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DigestView } from "~/components/digest/digest-view";
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { getSessionUser } from "~/modules/identity/session.server";
import { DIGEST_LINK_HEADERS, digestChannelParam, openDigestLink } from "~/modules/digests/links.server";

export const handle = { shell: "bare" };

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers(loaderHeaders);
  for (const [name, value] of Object.entries(DIGEST_LINK_HEADERS)) out.set(name, value);
  return out;
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Werkplek" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const channel = digestChannelParam(url.searchParams.get("k"));
  const user = await getSessionUser(request);
  const locale = await getLocale(request, user?.locale);
  const t = await getFixedT(locale);
  const opened = await openDigestLink(params.token, channel, new Date());
  if (opened.status !== "ok") {
    const state = opened.status;
    const title = t(state === "gone" ? "digest.page.goneTitle" : "digest.page.notFoundTitle");
    return data(
      { state, title: `${title} · Werkplek`, digest: null },
      { status: state === "gone" ? 410 : 404, headers: DIGEST_LINK_HEADERS },
    );
  }
  const digest = opened.value;
  const date = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "full",
    timeZone: "Europe/Brussels",
  }).format(digest.createdAt);
  const query = channel ? `?k=${channel}` : "";
  const base = `/d/${encodeURIComponent(params.token ?? "")}`;
  return data(
    {
      state: "ok" as const,
      title: `${t(digest.urgent ? "digest.page.urgentTitle" : "digest.page.title")} · Werkplek`,
      digest: {
        urgent: digest.urgent,
        date,
        items: digest.items,
        links: digest.items.map((_, index) => `${base}/naar/${index}${query}`),
      },
    },
    { headers: DIGEST_LINK_HEADERS },
  );
}

export default function DigestPage() {
  const { t } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  if (loaded.state !== "ok" || !loaded.digest) {
    const gone = loaded.state === "gone";
    return (
      <section className="digest" aria-labelledby="digest-heading">
        <h1 id="digest-heading" className="digest__heading">
          {t(gone ? "digest.page.goneTitle" : "digest.page.notFoundTitle")}
        </h1>
        <p className="digest__intro">{t(gone ? "digest.page.goneText" : "digest.page.notFoundText")}</p>
        <a className="button button--primary digest-page__home" href="/">
          {t("digest.page.toWerkplek")}
        </a>
      </section>
    );
  }
  const { digest } = loaded;
  return (
    <>
      <DigestView
        items={digest.items}
        heading={t(digest.urgent ? "digest.page.urgentTitle" : "digest.page.title")}
        intro={t("digest.page.intro", { date: digest.date })}
        linkFor={(_, index) => digest.links[index] ?? "/"}
      />
      <div className="digest">
        <p className="digest-page__hint">{t("digest.page.signInHint")}</p>
        <a className="button button--primary digest-page__home" href="/">
          {t("digest.page.toWerkplek")}
        </a>
      </div>
    </>
  );
}
