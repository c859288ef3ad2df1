/**
 * A digest in large, simple type: the /d/<token> page and the kiosk show the same list. Each item names its
 * kind in words ("Circulaire", "Dringend", "Lezen en bevestigen"): colour is never the only sign.
 */
import { useTranslation } from "react-i18next";
import { htmlLang, isLocale } from "~/i18n/config";
import { type DigestItem } from "~/modules/digests/items";

export type DigestViewProps = {
  items: readonly DigestItem[];
  heading: string;
  /** A line under the heading ("Samenvatting van 23 november"). */
  intro?: string;
  /** The heading's level: 1 on a page of its own, 2 inside another page (the kiosk). Items are one deeper. */
  headingLevel?: 1 | 2;
  /** Where an item links to; default its in-app url (the /d page routes clicks through /naar/<index>). */
  linkFor?: (item: DigestItem, index: number) => string;
};

/** The digest list with its heading. */
export function DigestView({ items, heading, intro, headingLevel = 1, linkFor }: DigestViewProps) {
  const { t, i18n } = useTranslation();
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const ItemHeading = headingLevel === 1 ? "h2" : "h3";
  const locale = isLocale(i18n.language) ? i18n.language : "nl";
  // A fixed time zone: the server and the browser format the same day (no hydration mismatch).
  const dateFormat = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "long",
    timeZone: "Europe/Brussels",
  });
  return (
    <section className="digest" aria-labelledby="digest-heading">
      <Heading id="digest-heading" className="digest__heading">
        {heading}
      </Heading>
      {intro ? <p className="digest__intro">{intro}</p> : null}
      {items.length === 0 ? (
        <p className="digest__empty">{t("digest.page.empty")}</p>
      ) : (
        <ol className="digest__items" aria-label={t("digest.page.itemsLabel")}>
          {items.map((item, index) => (
            <li
              key={`${item.kind}:${item.id}`}
              className={item.urgent ? "digest-item digest-item--urgent" : "digest-item"}
            >
              <p className="digest-item__labels">
                <span>{t(`digest.kinds.${item.kind}`)}</span>
                {item.urgent ? (
                  <span className="digest-badge digest-badge--urgent">{t("digest.urgent")}</span>
                ) : null}
                {item.needsAcknowledgement ? (
                  <span className="digest-badge">{t("digest.needsAcknowledgement")}</span>
                ) : null}
                <time dateTime={item.date}>{dateFormat.format(new Date(item.date))}</time>
              </p>
              <ItemHeading className="digest-item__title">
                <a href={linkFor ? linkFor(item, index) : item.url} rel="nofollow">
                  {item.title}
                </a>
              </ItemHeading>
              {item.summary ? <p className="digest-item__summary">{item.summary}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
