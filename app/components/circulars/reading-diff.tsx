/**
 * A readable diff of two circular versions. Insertions and deletions are <ins> and <del> (underlined and
 * struck through, not colour only) with hidden "added:"/"removed:" words for screen readers, which do not
 * announce <ins>/<del> by themselves.
 */
import { useTranslation } from "react-i18next";
import { type CircularDiff, type DiffSegment } from "~/modules/circulars/diff";
import { useReadingFormat } from "./reading-format";

function Segments({ segments }: { segments: readonly DiffSegment[] }) {
  const { t } = useTranslation();
  return (
    <>
      {segments.map((segment, index) => {
        if (segment.kind === "added")
          return (
            <ins key={index}>
              <span className="reading-sr-only">[{t("circularReading.diff.addedMark")} </span>
              {segment.text}
              <span className="reading-sr-only">]</span>
            </ins>
          );
        if (segment.kind === "removed")
          return (
            <del key={index}>
              <span className="reading-sr-only">[{t("circularReading.diff.removedMark")} </span>
              {segment.text}
              <span className="reading-sr-only">]</span>
            </del>
          );
        return <span key={index}>{segment.text}</span>;
      })}
    </>
  );
}

/** The whole comparison: a summary line, changed fields and dates, then the body block by block. */
export function ReadingDiff({ diff }: { diff: CircularDiff }) {
  const { t } = useTranslation();
  const format = useReadingFormat();
  if (!diff.changed) return <p className="notice">{t("circularReading.diff.noChanges")}</p>;
  const day = (value: string | null) => (value ? format.day(value) : t("circularReading.diff.noDate"));
  return (
    <div className="reading-diff">
      <p className="muted">
        {t("circularReading.diff.stats", {
          added: diff.stats.wordsAdded,
          removed: diff.stats.wordsRemoved,
          blocks: diff.stats.blocksChanged,
        })}
      </p>
      <p className="reading-diff__legend">
        {t("circularReading.diff.legend")} <ins>{t("circularReading.diff.legendAdded")}</ins>{" "}
        <del>{t("circularReading.diff.legendRemoved")}</del>
      </p>
      {diff.textFields.length > 0 || diff.dateFields.length > 0 ? (
        <dl className="facts reading-diff__fields">
          {diff.textFields.map((field) => (
            <div key={field.field} className="reading-diff__field">
              <dt>{t(`circularReading.diff.field.${field.field}`)}</dt>
              <dd>
                <Segments segments={field.segments} />
              </dd>
            </div>
          ))}
          {diff.dateFields.map((field) => (
            <div key={field.field} className="reading-diff__field">
              <dt>{t(`circularReading.diff.field.${field.field}`)}</dt>
              <dd>
                <del>
                  <span className="reading-sr-only">[{t("circularReading.diff.removedMark")} </span>
                  {day(field.before)}
                  <span className="reading-sr-only">]</span>
                </del>{" "}
                →{" "}
                <ins>
                  <span className="reading-sr-only">[{t("circularReading.diff.addedMark")} </span>
                  {day(field.after)}
                  <span className="reading-sr-only">]</span>
                </ins>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      <ol className="reading-diff__blocks" aria-label={t("circularReading.diff.bodyLabel")}>
        {diff.blocks.map((block, index) => (
          <li
            key={index}
            className={`reading-diff__block reading-diff__block--${block.kind} reading-diff__block--${block.blockType}`}
          >
            {block.kind !== "same" ? (
              <span className="reading-diff__label">{t(`circularReading.diff.block.${block.kind}`)}</span>
            ) : null}
            <p>
              <Segments segments={block.segments} />
            </p>
          </li>
        ))}
      </ol>
    </div>
  );
}
