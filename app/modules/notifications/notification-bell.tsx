/** The bell in the header: a link to /meldingen whose accessible name says how many are unread. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Renders the bell; `count` is the signed-in person's unread notifications. */
export function NotificationBell({ count }: { count: number }) {
  const { t } = useTranslation();
  const label = count > 0 ? t("notifications.bellUnread", { count }) : t("notifications.bell");
  return (
    <Link to="/meldingen" className="button button--quiet notification-bell" aria-label={label} title={label}>
      <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {count > 0 ? (
        <span className="notification-bell__count" aria-hidden="true">
          {count > 99 ? "99+" : count}
        </span>
      ) : null}
    </Link>
  );
}
