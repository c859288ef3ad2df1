import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { htmlLang } from "~/i18n/config";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import {
  countUnreadNotifications,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  NotificationCursorError,
} from "~/modules/notifications/notifications.server";
import { renderNotificationText } from "~/modules/notifications/types";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

/** Query parameter of the pagination cursor ("na" = after). */
const CURSOR_PARAM = "na";
const CursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);

const NotificationActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("read"),
    id: z.string().min(1).max(64),
    [CURSOR_PARAM]: z.string().optional(),
  }),
  z.object({ intent: z.literal("read-all"), [CURSOR_PARAM]: z.string().optional() }),
]);

type ActionError = "invalid" | "notFound";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const url = new URL(request.url);
  const cursor = url.searchParams.get(CURSOR_PARAM);
  const readAll = url.searchParams.get("gelezen");
  const common = {
    title: `${t("notifications.title")} · Werkplek`,
    cursor,
    updated: url.searchParams.has("bijgewerkt"),
    markedAll: readAll !== null && /^\d{1,6}$/.test(readAll) ? Number(readAll) : null,
    unreadCount: await countUnreadNotifications(user.id),
  };
  let page;
  try {
    page = await listNotifications(user.id, { cursor });
  } catch (error) {
    if (!(error instanceof NotificationCursorError)) throw error;
    return data({ ...common, badCursor: true, items: [], nextCursor: null }, { status: 400 });
  }
  const when = new Intl.DateTimeFormat(htmlLang(locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Brussels",
  });
  return {
    ...common,
    badCursor: false,
    nextCursor: page.nextCursor,
    items: page.items.map((item) => ({
      id: item.id,
      text: renderNotificationText(item, t, locale),
      url: item.url,
      unread: item.readAt === null,
      createdAt: item.createdAt.toISOString(),
      when: when.format(item.createdAt),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const parsed = NotificationActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ error: "invalid" as ActionError }, { status: 400 });
  // Back to the page the person was on, when that page link is one of ours.
  const params = new URLSearchParams();
  const cursor = CursorSchema.safeParse(parsed.data[CURSOR_PARAM]);
  if (cursor.success) params.set(CURSOR_PARAM, cursor.data);
  if (parsed.data.intent === "read") {
    const found = await markNotificationRead(user.id, parsed.data.id);
    if (!found) return data({ error: "notFound" as ActionError }, { status: 404 });
    params.set("bijgewerkt", "1");
  } else {
    params.set("gelezen", String(await markAllNotificationsRead(user.id)));
  }
  return redirect(`/meldingen?${params}`);
}

export default function Notifications() {
  const { items, nextCursor, cursor, unreadCount, updated, markedAll, badCursor } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<{ error?: ActionError }>();
  const { t } = useTranslation();
  const error = badCursor ? "badCursor" : actionData?.error;
  const status =
    markedAll !== null
      ? t("notifications.updatedAll", { count: markedAll })
      : updated
        ? t("notifications.updated")
        : null;
  return (
    <div className="page">
      <h1>{t("notifications.title")}</h1>
      <p className="lead">{t("notifications.intro")}</p>
      <p>
        <Link to="/profiel/meldingen">{t("notifications.preferences.link")}</Link>
      </p>
      <div role="status">{status ? <p className="notice notice--success">{status}</p> : null}</div>
      {error ? (
        <p className="notice notice--error" role="alert">
          {t(`notifications.errors.${error}`)}
        </p>
      ) : null}
      <div className="notification-summary">
        <p>
          {unreadCount > 0
            ? t("notifications.unreadSummary", { count: unreadCount })
            : t("notifications.allRead")}
        </p>
        {unreadCount > 0 ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="read-all" />
            {cursor ? <input type="hidden" name={CURSOR_PARAM} value={cursor} /> : null}
            <button type="submit" className="button">
              {t("notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      {items.length === 0 && !badCursor && !cursor ? (
        <p className="muted">{t("notifications.empty")}</p>
      ) : null}
      {items.length > 0 ? (
        <ol className="notification-list">
          {items.map((item) => (
            <li key={item.id} className={item.unread ? "notification notification--unread" : "notification"}>
              <p className="notification__text">
                {item.unread ? (
                  <strong className="notification__badge">{t("notifications.unread")}</strong>
                ) : null}
                <Link to={item.url} id={`melding-${item.id}`}>
                  {item.text}
                </Link>
              </p>
              <p className="notification__meta">
                <time dateTime={item.createdAt}>{item.when}</time>
              </p>
              {item.unread ? (
                <Form method="post" className="notification__action">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="id" value={item.id} />
                  {cursor ? <input type="hidden" name={CURSOR_PARAM} value={cursor} /> : null}
                  <button type="submit" className="button" aria-describedby={`melding-${item.id}`}>
                    {t("notifications.markRead")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      <p className="notification-pager">
        {nextCursor ? (
          <Link to={`/meldingen?${CURSOR_PARAM}=${nextCursor}`} className="button">
            {t("notifications.more")}
          </Link>
        ) : null}
        {cursor ? <Link to="/meldingen">{t("notifications.backToNewest")}</Link> : null}
      </p>
    </div>
  );
}
