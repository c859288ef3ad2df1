/**
 * GET /admin: the tools a person may use to run Werkplek, by permission (the outbox and the kiosks for admins,
 * the delivery log and the field workers' reach for HR and admins). Anyone without any of them gets 403.
 * The administration issue will add user and role management here.
 */
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { hasPermission, type Permission } from "~/modules/identity/permissions";
import { requireUser } from "~/modules/identity/session.server";

const TOOLS = [
  { key: "outbox", to: "/admin/outbox", permission: "read:outbox" },
  { key: "delivery", to: "/admin/bezorging", permission: "read:reach" },
  { key: "kiosks", to: "/admin/kiosks", permission: "manage:kiosk" },
  { key: "staff", to: "/personeel", permission: "read:reach" },
] as const satisfies readonly { key: string; to: string; permission: Permission }[];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const tools = TOOLS.filter((tool) => hasPermission(user, tool.permission)).map(({ key, to }) => ({
    key,
    to,
  }));
  if (tools.length === 0) throw new Response("Forbidden", { status: 403 });
  const t = await getFixedT(await getLocale(request, user.locale));
  return { title: `${t("admin.title")} · Werkplek`, tools };
}

export default function AdminIndex() {
  const { tools } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t("admin.title")}</h1>
      <ul className="admin-tools">
        {tools.map((tool) => (
          <li key={tool.key} className="card">
            <h2>
              <Link to={tool.to}>{t(`admin.tools.${tool.key}.title`)}</Link>
            </h2>
            <p>{t(`admin.tools.${tool.key}.help`)}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
