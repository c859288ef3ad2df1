/**
 * Feedback on the reading page: "Was dit nuttig?" and a question to the owner. Both are fetcher forms:
 * with JavaScript the page stays put and a live region reports the result; without it they post like
 * any form and the route renders the same result from its action data.
 */
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { useReadingFormat } from "./reading-format";

/** What the reading page's action answers for feedback intents. */
export type FeedbackActionResult =
  | { intent: "rate"; ok: true; useful: boolean }
  | { intent: "ask"; ok: true }
  | { intent: "rate" | "ask" | "acknowledge"; ok: false; error: string; retryAfterMinutes?: number };

type MyQuestion = {
  id: string;
  question: string;
  answer: string | null;
  answeredAt: string | null;
  createdAt: string;
};

export function ReadingFeedback({
  useful,
  questions,
  responsibleName,
  questionMin,
  questionMax,
  fallback,
}: {
  useful: boolean | null;
  questions: MyQuestion[];
  responsibleName: string;
  questionMin: number;
  questionMax: number;
  /** The action's answer after a post without JavaScript. */
  fallback?: FeedbackActionResult | null;
}) {
  const { t } = useTranslation();
  const format = useReadingFormat();
  const rating = useFetcher<FeedbackActionResult>({ key: "circular-rating" });
  const asking = useFetcher<FeedbackActionResult>({ key: "circular-question" });
  const rateResult = rating.data ?? (fallback?.intent === "rate" ? fallback : null);
  const askResult = asking.data ?? (fallback?.intent === "ask" ? fallback : null);
  const questionRef = useRef<HTMLTextAreaElement>(null);
  // Optimistic: the pressed button reflects the choice while it is being saved.
  const pending = rating.formData?.get("useful");
  const current = pending === "ja" ? true : pending === "nee" ? false : useful;

  useEffect(() => {
    if (asking.state === "idle" && asking.data?.ok && questionRef.current) questionRef.current.value = "";
  }, [asking.state, asking.data]);

  const askError = askResult && !askResult.ok ? askResult : null;
  return (
    <section className="card reading-feedback" aria-labelledby="feedback-titel" id="feedback">
      <h2 id="feedback-titel">{t("circularReading.feedback.title")}</h2>
      <rating.Form method="post" className="reading-feedback__rating">
        <CsrfInput />
        <input type="hidden" name="intent" value="rate" />
        <fieldset>
          <legend>{t("circularReading.feedback.usefulQuestion")}</legend>
          <div className="reading-feedback__buttons">
            <button
              type="submit"
              name="useful"
              value="ja"
              className={`button${current === true ? " button--primary" : ""}`}
              aria-pressed={current === true}
            >
              {t("circularReading.feedback.yes")}
            </button>
            <button
              type="submit"
              name="useful"
              value="nee"
              className={`button${current === false ? " button--primary" : ""}`}
              aria-pressed={current === false}
            >
              {t("circularReading.feedback.no")}
            </button>
          </div>
        </fieldset>
        <p role="status" className="muted">
          {rateResult?.ok ? t("circularReading.feedback.thanks") : null}
          {rateResult && !rateResult.ok ? t(`circularReading.errors.${rateResult.error}`) : null}
        </p>
      </rating.Form>

      <asking.Form method="post" className="stack reading-feedback__question" id="vraag">
        <CsrfInput />
        <input type="hidden" name="intent" value="ask" />
        <h3 id="vraag-titel">{t("circularReading.feedback.askTitle")}</h3>
        <label htmlFor="vraag-tekst">
          {t("circularReading.feedback.askLabel", { name: responsibleName })}
        </label>
        <p id="vraag-hulp" className="muted">
          {t("circularReading.feedback.askHelp", { min: questionMin, max: questionMax })}
        </p>
        <textarea
          ref={questionRef}
          id="vraag-tekst"
          name="question"
          rows={4}
          minLength={questionMin}
          maxLength={questionMax}
          required
          aria-invalid={askError ? true : undefined}
          aria-describedby={askError ? "vraag-hulp vraag-fout" : "vraag-hulp"}
        />
        {askError ? (
          <p id="vraag-fout" className="notice notice--error" role="alert">
            {t(`circularReading.errors.${askError.error}`, { minutes: askError.retryAfterMinutes ?? 1 })}
          </p>
        ) : null}
        <p role="status">
          {askResult?.ok ? (
            <span className="notice notice--success">{t("circularReading.feedback.asked")}</span>
          ) : null}
        </p>
        <button type="submit" className="button button--primary" disabled={asking.state !== "idle"}>
          {t("circularReading.feedback.askButton")}
        </button>
      </asking.Form>

      {questions.length > 0 ? (
        <section aria-labelledby="vragen-titel" id="vragen">
          <h3 id="vragen-titel">{t("circularReading.feedback.myQuestions")}</h3>
          <ul className="reading-questions">
            {questions.map((question) => (
              <li key={question.id}>
                <p className="muted">{format.moment(question.createdAt)}</p>
                <p className="reading-questions__text">{question.question}</p>
                {question.answer ? (
                  <div className="reading-questions__answer">
                    <strong>{t("circularReading.feedback.answer")}</strong>
                    <p>{question.answer}</p>
                  </div>
                ) : (
                  <p className="muted">{t("circularReading.feedback.noAnswerYet")}</p>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
