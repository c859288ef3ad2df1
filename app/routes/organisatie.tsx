import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { departmentTree } from "~/modules/identity/organisation.server";
import { requirePermission } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:directory");
  const t = await getFixedT(await getLocale(request, user.locale));
  return { title: `${t("organisation.title")} · Werkplek`, departments: await departmentTree() };
}

export default function Organisation() {
  const { departments } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t("organisation.title")}</h1>
      <p className="lead">{t("organisation.intro")}</p>
      <ul className="department-list">
        {departments.map((department) => (
          <li key={department.id} className="card">
            <h2 id={`dep-${department.code}`}>{department.name}</h2>
            <p className="muted">
              {t("organisation.people", { count: department.userCount })}
              {department.fieldWorkerCount > 0
                ? ` · ${t("organisation.fieldShare", { count: department.fieldWorkerCount })}`
                : ""}
            </p>
            {department.services.length ? (
              <ul aria-labelledby={`dep-${department.code}`} className="service-list">
                {department.services.map((service) => (
                  <li key={service.id}>
                    <span>{service.name}</span>
                    <span className="muted"> · {t("organisation.people", { count: service.userCount })}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t("organisation.noServices")}</p>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
