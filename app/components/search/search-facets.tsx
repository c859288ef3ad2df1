/**
 * Facet filters as plain form controls (checkboxes), so they work without JavaScript: the surrounding
 * GET form submits them; with JavaScript the page refreshes the results as soon as one changes.
 */
import { useTranslation } from "react-i18next";
import { type Validity } from "~/modules/circulars/validity";
import { type FacetOption, type SearchResponse } from "../../../search/search.server";

function FacetGroup<K extends string | number>({
  name,
  legend,
  options,
  help,
}: {
  name: string;
  legend: string;
  options: FacetOption<K>[];
  help?: string;
}) {
  if (options.length === 0) return null;
  const helpId = help ? `facet-${name}-help` : undefined;
  return (
    <fieldset className="search-facet" aria-describedby={helpId}>
      <legend>{legend}</legend>
      {help ? (
        <p id={helpId} className="muted search-facet__help">
          {help}
        </p>
      ) : null}
      {options.map((option) => (
        <label key={String(option.value)} className="choice search-facet__option">
          <input type="checkbox" name={name} value={String(option.value)} defaultChecked={option.selected} />
          <span>
            {option.label} <span className="muted">({option.count})</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** Theme, department, validity and year filters plus the "include expired and archived" switch. */
export function SearchFacets({
  facets,
  includeAll,
  hiddenCount,
}: {
  facets: SearchResponse["facets"];
  includeAll: boolean;
  /** Results the default validity filter hides (shown as a hint next to the switch). */
  hiddenCount: number;
}) {
  const { t } = useTranslation();
  return (
    <div className="search-facets">
      <div className="search-switch">
        <label className="choice">
          <input type="checkbox" name="include" value="all" defaultChecked={includeAll} />
          <span>{t("search.includeAll")}</span>
        </label>
        {!includeAll && hiddenCount > 0 ? (
          <p className="muted search-switch__hint">{t("search.hidden", { count: hiddenCount })}</p>
        ) : null}
      </div>
      {includeAll ? (
        <FacetGroup<Validity>
          name="validity"
          legend={t("search.validityLabel")}
          options={facets.validity}
          help={t("search.validityAll")}
        />
      ) : null}
      <FacetGroup name="theme" legend={t("search.themes")} options={facets.themes} />
      <FacetGroup name="department" legend={t("search.departments")} options={facets.departments} />
      <FacetGroup name="year" legend={t("search.years")} options={facets.years} />
    </div>
  );
}
