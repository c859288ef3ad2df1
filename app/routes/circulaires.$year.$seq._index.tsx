import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AckPanel } from "~/components/circulars/ack-panel";
import { offlineReadingHeaders } from "~/components/pwa/offline-reading";
import { ReadingArticle } from "~/components/circulars/reading-article";
import { type FeedbackActionResult, ReadingFeedback } from "~/components/circulars/reading-feedback";
import { ValidityBadge } from "~/components/circulars/validity-badge";
import { acknowledgeCircular, acknowledgementStatus } from "~/modules/circulars/acknowledgements.server";
import { CircularError } from "~/modules/circulars/errors";
import {
  askQuestion,
  myFeedback,
  QUESTION_MAX,
  QUESTION_MIN,
  RateLimitedError,
  rateCircular,
} from "~/modules/circulars/feedback.server";
import { circularPath, requireCircularNumber } from "~/modules/circulars/paths";
import { getReadingView, throwAsHttpError } from "~/modules/circulars/reading.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";

// Circulars a person opened stay readable offline on their own phone (the service worker keeps the last 20).
export const headers = offlineReadingHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const ReadingActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("acknowledge") }),
  z.object({ intent: z.literal("rate"), useful: z.enum(["ja", "nee"]) }),
  z.object({ intent: z.literal("ask"), question: z.string().default("") }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const number = requireCircularNumber(params);
  const view = await getReadingView(user, number).catch((error: unknown) => {
    // An editor opening a circular that was never published: the editor is where it can be read.
    if (error instanceof CircularError && error.code === "invalid_state") {
      throw redirect(`${circularPath(number)}/bewerken`);
    }
    return throwAsHttpError(error);
  });
  const { publishedAudience, ...circular } = view.circular;
  const [acknowledgement, feedback] = await Promise.all([
    acknowledgementStatus(
      user,
      {
        id: circular.id,
        status: circular.status,
        publishedVersion: circular.latestVersion,
        publishedAudience,
        requiresAcknowledgement: circular.requiresAcknowledgement,
      },
      view.validity,
    ),
    myFeedback(user, circular.id),
  ]);
  return {
    title: `${circular.number} ${view.version.title} · Werkplek`,
    view: { ...view, circular: { ...circular, publishedAudience: [] as string[] } },
    acknowledgement,
    feedback,
    questionLimits: { min: QUESTION_MIN, max: QUESTION_MAX },
  };
}

type ActionResult = FeedbackActionResult;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const number = requireCircularNumber(params);
  const form = await readCsrfCheckedForm(request);
  const parsed = ReadingActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return data<ActionResult>({ intent: "rate", ok: false, error: "invalidRequest" }, { status: 400 });
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "acknowledge":
        await acknowledgeCircular(user, number);
        return redirect(`${circularPath(number)}#bevestigen`);
      case "rate": {
        const useful = input.useful === "ja";
        await rateCircular(user, number, useful);
        return data<ActionResult>({ intent: "rate", ok: true, useful });
      }
      case "ask": {
        const length = input.question.trim().length;
        if (length < QUESTION_MIN || length > QUESTION_MAX) {
          const error = length < QUESTION_MIN ? "questionTooShort" : "questionTooLong";
          return data<ActionResult>({ intent: "ask", ok: false, error }, { status: 400 });
        }
        await askQuestion(user, number, input.question);
        return data<ActionResult>({ intent: "ask", ok: true });
      }
    }
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return data<ActionResult>(
        {
          intent: "ask",
          ok: false,
          error: "rateLimited",
          retryAfterMinutes: Math.ceil(error.retryAfterSeconds / 60),
        },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    if (error instanceof CircularError && input.intent === "acknowledge") {
      if (error.code === "forbidden")
        return data<ActionResult>(
          { intent: "acknowledge", ok: false, error: "notInAudience" },
          { status: 403 },
        );
      if (error.code === "invalid_state")
        return data<ActionResult>({ intent: "acknowledge", ok: false, error: "notDue" }, { status: 409 });
    }
    if (error instanceof CircularError && error.code === "invalid_input") {
      return data<ActionResult>(
        { intent: input.intent, ok: false, error: "invalidRequest" },
        { status: 400 },
      );
    }
    return throwAsHttpError(error);
  }
}

export default function CircularReadingPage() {
  const { view, acknowledgement, feedback, questionLimits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useTranslation();
  const path = circularPath(view.circular.number);
  const ackError =
    actionData && !actionData.ok && actionData.intent === "acknowledge" ? actionData.error : null;
  return (
    <div className="page reading-page">
      {view.canManage || view.canSeeReaders ? (
        <nav className="reading-tools no-print" aria-label={t("circularReading.editor.tools")}>
          <ul>
            {view.canManage ? (
              <li>
                <Link to={`${path}/bewerken`}>{t("circularReading.editor.edit")}</Link>
              </li>
            ) : null}
            <li>
              <Link to={`${path}/versies`}>{t("circularReading.versions.title")}</Link>
            </li>
            {view.canSeeReaders ? (
              <li>
                <Link to={`${path}/lezers`}>{t("circularReading.readers.link")}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      {view.pendingChange ? (
        <p className="notice reading-pending no-print" role="note">
          {t(`circularReading.editor.pending.${view.pendingChange}`)}{" "}
          <Link to={`${path}/bewerken`}>{t("circularReading.editor.openPending")}</Link>
        </p>
      ) : null}
      {view.validity === "superseded" ? (
        <p className="notice reading-superseded" role="note">
          {t("circularReading.notices.superseded")}{" "}
          <ValidityBadge validity="superseded" supersededBy={view.supersededBy} />
        </p>
      ) : null}
      {view.validity === "expired" || view.validity === "archived" ? (
        <p className="notice reading-superseded" role="note">
          {t(`circularReading.notices.${view.validity}`)}
        </p>
      ) : null}
      <ReadingArticle view={view} beforeBody={<AckPanel status={acknowledgement} error={ackError} />} />
      {view.related.length > 0 ? (
        <section className="card reading-related no-print" aria-labelledby="verwant">
          <h2 id="verwant">{t("circularReading.related")}</h2>
          <ul>
            {view.related.map((item) => (
              <li key={item.number}>
                <Link to={circularPath(item.number)}>
                  {item.number} {item.title}
                </Link>{" "}
                <ValidityBadge validity={item.validity} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="no-print">
        <ReadingFeedback
          useful={feedback.useful}
          questions={feedback.questions}
          responsibleName={view.circular.responsible.displayName}
          questionMin={questionLimits.min}
          questionMax={questionLimits.max}
          fallback={actionData && actionData.intent !== "acknowledge" ? actionData : null}
        />
      </div>
    </div>
  );
}
