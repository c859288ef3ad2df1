/** Colleagues found by the site-wide search: photo or initials, name, job, unit and expertise. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PersonAvatar } from "~/modules/people/person-avatar";
import { type SearchResultItem } from "../../../search/search.server";

/** The people as a list of cards, like the directory (/mensen); names are headings with the link. */
export function PersonResultList({
  results,
  headingLevel = 3,
}: {
  results: SearchResultItem[];
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className="people-list">
      {results.map((result) => {
        const person = result.person;
        const place = [person?.unit, person?.department].filter(Boolean).join(" · ");
        return (
          <li key={`${result.type}:${result.id}`}>
            <article className="person-card">
              <PersonAvatar
                person={{
                  id: result.id,
                  avatarUrl: person?.avatarUrl ?? null,
                  initials: person?.initials ?? "?",
                }}
              />
              <div className="person-card__text">
                <Heading className="person-card__name">
                  <Link to={result.url}>{result.title}</Link>
                </Heading>
                {person?.jobTitle ? <p className="person-card__job">{person.jobTitle}</p> : null}
                {place ? <p className="muted person-card__place">{place}</p> : null}
                {person?.isFieldWorker ? (
                  <p className="person-badge">{t("people.directory.fieldWorker")}</p>
                ) : null}
                {person && person.expertise.length > 0 ? (
                  <p>
                    <span className="reading-sr-only">{t("search.site.expertise")}: </span>
                    {person.expertise.join(" · ")}
                  </p>
                ) : null}
                {/* Only a marked snippet says more than the card (a name match shows the summary again).
                    Escaped on the server; only <mark> elements are added (search/snippet.ts). */}
                {result.snippet.includes("<mark>") ? (
                  <p
                    className="search-result__snippet"
                    dangerouslySetInnerHTML={{ __html: result.snippet }}
                  />
                ) : null}
              </div>
            </article>
          </li>
        );
      })}
    </ul>
  );
}
