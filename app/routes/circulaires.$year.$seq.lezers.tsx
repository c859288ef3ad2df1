/**
 * The owner's overview of a circular (responsible person and editors): who in the audience confirmed
 * "gelezen en begrepen", per department, with a CSV export; the "Was dit nuttig?" counts; the readers'
 * questions, answered here.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { useReadingFormat } from "~/components/circulars/reading-format";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { acknowledgementOverview } from "~/modules/circulars/acknowledgements.server";
import { CircularError } from "~/modules/circulars/errors";
import { ANSWER_MAX, answerQuestion, feedbackSummary } from "~/modules/circulars/feedback.server";
import { circularPath, requireCircularNumber } from "~/modules/circulars/paths";
import { throwAsHttpError } from "~/modules/circulars/reading.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const AnswerActionSchema = z.object({
  intent: z.literal("answer"),
  questionId: z.string().min(1).max(64),
  answer: z.string().default(""),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const number = requireCircularNumber(params);
  const overview = await acknowledgementOverview(user, number).catch(throwAsHttpError);
  const feedback = await feedbackSummary(user, number).catch(throwAsHttpError);
  const t = await getFixedT(await getLocale(request, user.locale));
  return {
    title: `${t("circularReading.readers.title")} ${number} · Werkplek`,
    overview,
    feedback,
    answerMax: ANSWER_MAX,
  };
}

type AnswerResult = {
  ok: false;
  questionId: string;
  error: "answerRequired" | "answerTooLong" | "invalidRequest";
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const number = requireCircularNumber(params);
  const form = await readCsrfCheckedForm(request);
  const parsed = AnswerActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return data<AnswerResult>({ ok: false, questionId: "", error: "invalidRequest" }, { status: 400 });
  }
  const { questionId, answer } = parsed.data;
  const length = answer.trim().length;
  if (length < 2 || length > ANSWER_MAX) {
    const error = length < 2 ? "answerRequired" : "answerTooLong";
    return data<AnswerResult>({ ok: false, questionId, error }, { status: 400 });
  }
  try {
    await answerQuestion(user, number, questionId, answer);
  } catch (error) {
    if (error instanceof CircularError && error.code === "invalid_input") {
      return data<AnswerResult>({ ok: false, questionId, error: "invalidRequest" }, { status: 400 });
    }
    return throwAsHttpError(error);
  }
  return redirect(
    `${circularPath(number)}/lezers?beantwoord=${encodeURIComponent(questionId)}#vraag-${questionId}`,
  );
}

export default function CircularReadersPage() {
  const { overview, feedback, answerMax } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AnswerResult | undefined;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const format = useReadingFormat();
  const path = circularPath(overview.circular.number);
  const answered = searchParams.get("beantwoord");
  const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));
  return (
    <div className="page reading-readers">
      <p>
        <Link to={path}>← {t("circularReading.versions.back", { number: overview.circular.number })}</Link>
      </p>
      <h1>
        {t("circularReading.readers.title")}: {overview.circular.number} {overview.circular.title}
      </h1>

      <section className="card" aria-labelledby="bevestigingen">
        <h2 id="bevestigingen">{t("circularReading.readers.ackTitle")}</h2>
        {overview.circular.requiresAcknowledgement && overview.version ? (
          <>
            <p className="reading-readers__total">
              {t("circularReading.readers.total", {
                acknowledged: overview.acknowledged,
                total: overview.total,
                percent: percent(overview.acknowledged, overview.total),
                version: overview.version,
              })}
            </p>
            <p>
              <a href={`${path}/lezers.csv`} className="button" download>
                {t("circularReading.readers.csv")}
              </a>
            </p>
            {overview.departments.map((group) => (
              <details key={group.id ?? "none"} className="reading-readers__department">
                <summary>
                  <span className="reading-readers__name">
                    {group.name ?? t("circularReading.readers.noDepartment")}
                  </span>{" "}
                  <span>
                    {t("circularReading.readers.departmentCount", {
                      acknowledged: group.acknowledged,
                      total: group.total,
                      percent: percent(group.acknowledged, group.total),
                    })}
                  </span>
                  <progress max={group.total} value={group.acknowledged} aria-hidden="true" />
                </summary>
                <div className="reading-table-wrap">
                  <table className="reading-table">
                    <caption className="reading-sr-only">
                      {t("circularReading.readers.tableCaption", {
                        department: group.name ?? t("circularReading.readers.noDepartment"),
                      })}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{t("circularReading.readers.name")}</th>
                        <th scope="col">{t("circularReading.readers.service")}</th>
                        <th scope="col">{t("circularReading.readers.status")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {group.people.map((person) => (
                        <tr key={person.userId}>
                          <th scope="row">
                            {person.displayName}
                            {person.jobTitle ? <span className="muted"> · {person.jobTitle}</span> : null}
                          </th>
                          <td>{person.service ?? "–"}</td>
                          <td>
                            {person.acknowledgedAt
                              ? t("circularReading.readers.acknowledgedOn", {
                                  date: format.moment(person.acknowledgedAt),
                                })
                              : t("circularReading.readers.notYet")}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            ))}
          </>
        ) : (
          <p className="muted">{t("circularReading.readers.noAckAsked", { total: overview.total })}</p>
        )}
      </section>

      <section className="card" aria-labelledby="nuttig">
        <h2 id="nuttig">{t("circularReading.readers.usefulTitle")}</h2>
        <dl className="facts">
          <dt>{t("circularReading.readers.usefulYes")}</dt>
          <dd>{feedback.useful}</dd>
          <dt>{t("circularReading.readers.usefulNo")}</dt>
          <dd>{feedback.notUseful}</dd>
        </dl>
        <p className="muted">
          {t("circularReading.readers.usefulCurrent", {
            yes: feedback.currentVersion.useful,
            no: feedback.currentVersion.notUseful,
          })}
        </p>
      </section>

      <section className="card" aria-labelledby="vragen-titel" id="vragen">
        <h2 id="vragen-titel">
          {t("circularReading.readers.questionsTitle", { count: feedback.questions.length })}
        </h2>
        {feedback.questions.length === 0 ? (
          <p className="muted">{t("circularReading.readers.noQuestions")}</p>
        ) : null}
        <ul className="reading-questions">
          {feedback.questions.map((question) => {
            const error =
              actionData && !actionData.ok && actionData.questionId === question.id ? actionData.error : null;
            const busy = navigation.formData?.get("questionId") === question.id;
            return (
              <li key={question.id} id={`vraag-${question.id}`}>
                <p className="muted">
                  {t("circularReading.readers.askedBy", {
                    name: question.askedBy,
                    date: format.moment(question.createdAt),
                  })}
                </p>
                <p className="reading-questions__text">{question.question}</p>
                {question.answer ? (
                  <div className="reading-questions__answer">
                    <strong>
                      {t("circularReading.readers.answeredBy", {
                        name: question.answeredBy ?? "–",
                        date: question.answeredAt ? format.moment(question.answeredAt) : "",
                      })}
                    </strong>
                    <p>{question.answer}</p>
                  </div>
                ) : null}
                {answered === question.id ? (
                  <p className="notice notice--success" role="status">
                    {t("circularReading.readers.answerSaved")}
                  </p>
                ) : null}
                <Form method="post" className="stack" preventScrollReset>
                  <CsrfInput />
                  <input type="hidden" name="intent" value="answer" />
                  <input type="hidden" name="questionId" value={question.id} />
                  <label htmlFor={`antwoord-${question.id}`}>
                    {question.answer
                      ? t("circularReading.readers.correctAnswer")
                      : t("circularReading.readers.answerLabel")}
                  </label>
                  <textarea
                    id={`antwoord-${question.id}`}
                    name="answer"
                    rows={3}
                    required
                    maxLength={answerMax}
                    defaultValue={question.answer ?? ""}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `antwoord-fout-${question.id}` : undefined}
                  />
                  {error ? (
                    <p id={`antwoord-fout-${question.id}`} className="notice notice--error" role="alert">
                      {t(`circularReading.errors.${error}`, { max: answerMax })}
                    </p>
                  ) : null}
                  <button type="submit" className="button button--primary" disabled={busy}>
                    {t("circularReading.readers.answerButton")}
                  </button>
                </Form>
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
