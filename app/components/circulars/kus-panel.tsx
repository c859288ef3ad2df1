/**
 * The KUS writing help beside the editor (below it on phones): the Dutch readability score with a
 * plain-language label, long sentences, passive voice, jargon with plainer words and summary problems.
 * Advisory only. It runs kus-checks.ts in the browser on the current text, debounced, and on the server
 * for the first render, so it also works before JavaScript loads. Every finding is a list item with a
 * text label ("Let op", "Tip"), never colour alone.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { checkKus, type KusInput, type KusIssue, type KusReport } from "~/modules/circulars/kus-checks";

const DEBOUNCE_MS = 600;

/** Runs the KUS checks on the latest input at most once per pause in typing. */
export function useDebouncedKus(input: KusInput): KusReport {
  const [report, setReport] = useState(() => checkKus(input));
  useEffect(() => {
    const timer = setTimeout(() => setReport(checkKus(input)), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [input.title, input.summary, input.text]); // eslint-disable-line react-hooks/exhaustive-deps
  return report;
}

function clip(text: string, max = 120) {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function IssueText({ issue }: { issue: KusIssue }) {
  const { t } = useTranslation();
  switch (issue.kind) {
    case "summaryMissing":
      return <>{t("circularEditor.kus.summaryMissing")}</>;
    case "titleTooLong":
      return <>{t("circularEditor.kus.titleTooLong", { length: issue.length, max: issue.max })}</>;
    case "summaryTooLong":
      return <>{t("circularEditor.kus.summaryTooLong", { length: issue.length, max: issue.max })}</>;
    case "summaryTooShort":
      return (
        <>
          {t("circularEditor.kus.summaryTooShort", {
            length: issue.length,
            min: issue.min,
            words: issue.bodyWords,
          })}
        </>
      );
    case "readability":
      return (
        <>
          {t("circularEditor.kus.readabilityIssue", {
            score: Math.round(issue.score),
            label: t(`circularEditor.kus.label.${issue.label}`),
          })}
        </>
      );
    case "longSentence":
      return (
        <>
          {t("circularEditor.kus.longSentence", { words: issue.words, max: issue.max })}{" "}
          <q>{clip(issue.text)}</q>
        </>
      );
    case "passive":
      return (
        <>
          {t("circularEditor.kus.passive", { words: issue.matches.join(" … ") })} <q>{clip(issue.text)}</q>
        </>
      );
    case "jargon":
      return (
        <>
          {t("circularEditor.kus.jargon", {
            term: issue.term,
            alternative: issue.alternative,
            count: issue.count,
            field: t(`circularEditor.kus.field.${issue.field}`),
          })}
        </>
      );
  }
}

/** The KUS side panel for the current title, summary and body text. */
export function KusPanel({ title, summary, text }: KusInput) {
  const { t } = useTranslation();
  const report = useDebouncedKus({ title, summary, text });
  const { readability, issues } = report;
  const warnings = issues.filter((issue) => issue.severity === "warning").length;
  return (
    <aside className="kus-panel card" aria-labelledby="kus-panel-title">
      <h2 id="kus-panel-title">{t("circularEditor.kus.title")}</h2>
      <p className="muted">{t("circularEditor.kus.intro")}</p>
      <h3>{t("circularEditor.kus.readability")}</h3>
      {readability.score === null || readability.label === null ? (
        <p className="muted">{t("circularEditor.kus.noText")}</p>
      ) : (
        <>
          <p className="kus-panel__score">
            <strong>{Math.round(readability.score)}</strong>{" "}
            <span>{t(`circularEditor.kus.label.${readability.label}`)}</span>
          </p>
          <p className="muted">
            {t("circularEditor.kus.readabilityExplained", {
              words: readability.words,
              sentences: readability.sentences,
              average: readability.averageSentenceLength,
            })}
          </p>
        </>
      )}
      <h3 id="kus-panel-issues">{t("circularEditor.kus.issues")}</h3>
      {/* Polite and short: the count, not the whole list, is announced after a pause in typing. */}
      <p role="status" className="muted">
        {issues.length === 0
          ? t("circularEditor.kus.noIssues")
          : t("circularEditor.kus.issueCount", { count: issues.length, warnings })}
      </p>
      {issues.length > 0 ? (
        <ul className="kus-panel__list" aria-labelledby="kus-panel-issues">
          {issues.map((issue, index) => (
            <li key={`${issue.kind}-${index}`} className={`kus-issue kus-issue--${issue.severity}`}>
              <span className="kus-issue__severity">
                {t(`circularEditor.kus.severity.${issue.severity}`)}
              </span>{" "}
              <IssueText issue={issue} />
            </li>
          ))}
        </ul>
      ) : null}
    </aside>
  );
}
