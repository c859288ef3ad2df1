/** The validity of a circular as a badge whose text says it all (colour only supports it). */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { circularPath } from "~/modules/circulars/paths";
import { type Validity } from "~/modules/circulars/validity";

export function ValidityBadge({
  validity,
  supersededBy,
}: {
  validity: Validity;
  /** The successor, when the reader may read it. */
  supersededBy?: { number: string; title: string } | null;
}) {
  const { t } = useTranslation();
  return (
    <span className={`validity-badge validity-badge--${validity}`}>
      {validity === "superseded" && supersededBy ? (
        <>
          {t("circularReading.validity.supersededBy")}{" "}
          <Link to={circularPath(supersededBy.number)}>
            {supersededBy.number}
            <span className="reading-sr-only"> {supersededBy.title}</span>
          </Link>
        </>
      ) : (
        t(`circularReading.validity.${validity}`)
      )}
    </span>
  );
}
