/** "Te bevestigen": the circulars the signed-in person still has to confirm as read and understood. */
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useReadingFormat } from "~/components/circulars/reading-format";
import { ValidityBadge } from "~/components/circulars/validity-badge";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { pendingAcknowledgements } from "~/modules/circulars/acknowledgements.server";
import { circularPath } from "~/modules/circulars/paths";
import { requireUser } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  const pending = await pendingAcknowledgements(user);
  return { title: `${t("circularReading.todo.title")} · Werkplek`, pending };
}

export default function ToAcknowledgePage() {
  const { pending } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useReadingFormat();
  return (
    <div className="page">
      <h1>{t("circularReading.todo.title")}</h1>
      <p className="lead">{t("circularReading.todo.intro")}</p>
      {pending.length === 0 ? (
        <p className="notice notice--success">{t("circularReading.todo.none")}</p>
      ) : (
        <>
          <p>{t("circularReading.todo.count", { count: pending.length })}</p>
          <ul className="reading-todo">
            {pending.map((item) => (
              <li key={item.number} className="card">
                <h2>
                  <Link to={`${circularPath(item.number)}#bevestigen`}>
                    {item.number} {item.title}
                  </Link>
                </h2>
                {item.summary ? <p>{item.summary}</p> : null}
                <p className="muted">
                  <ValidityBadge validity={item.validity} />{" "}
                  {t(item.again ? "circularReading.todo.again" : "circularReading.todo.new", {
                    version: item.version,
                    date: format.moment(item.publishedAt),
                  })}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
