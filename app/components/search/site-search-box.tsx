/**
 * The small search form for the header: a plain GET form to /zoeken, so it works before JavaScript loads
 * and the browser's back button returns to the results. The label is for screen readers; the role
 * "search" makes it a landmark.
 */
import { Form } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { MAX_QUERY_LENGTH } from "../../../search/terms";

export function SiteSearchBox() {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Form method="get" action="/zoeken" role="search" className="site-search">
      <label htmlFor={id} className="reading-sr-only">
        {t("search.site.boxLabel")}
      </label>
      <div className="search-form__row">
        <input
          id={id}
          type="search"
          name="q"
          maxLength={MAX_QUERY_LENGTH}
          autoComplete="off"
          enterKeyHint="search"
          // The label is for screen readers; sighted people see the same words in the field.
          placeholder={t("search.site.boxLabel")}
        />
        <button type="submit" className="button">
          {t("search.site.submit")}
        </button>
      </div>
    </Form>
  );
}
