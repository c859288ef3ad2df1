/**
 * The bell in the header: a link to /meldingen whose accessible name says how many are unread. The count
 * comes from the root loader; while the page stays open, live `notification.created` events raise it, and
 * a polite status message says a new one arrived (a changed aria-label alone is not announced). It remains
 * a plain link, so it works without JavaScript.
 */
import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLiveEvent } from "~/components/live/live-events";

/** Renders the bell; `count` is the signed-in person's unread notifications. */
export function NotificationBell({ count }: { count: number }) {
  const { t } = useTranslation();
  const [arrived, setArrived] = useState(0);
  // A fresh count from the server already includes what arrived live.
  useEffect(() => setArrived(0), [count]);
  useLiveEvent("notification.created", () => setArrived((n) => n + 1));
  const total = count + arrived;
  const label = total > 0 ? t("notifications.bellUnread", { count: total }) : t("notifications.bell");
  return (
    <>
      <Link
        to="/meldingen"
        className="button button--quiet notification-bell"
        aria-label={label}
        title={label}
      >
        <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {total > 0 ? (
          <span className="notification-bell__count" aria-hidden="true">
            {total > 99 ? "99+" : total}
          </span>
        ) : null}
      </Link>
      <span className="stream-sr-only" role="status">
        {arrived > 0 ? t("stream.live.newNotifications", { count: arrived }) : ""}
      </span>
    </>
  );
}
