/**
 * "3 nieuwe berichten" above the home stream. A live `post.created` event (already filtered per reader by
 * the server) only says that something happened; the count comes from /api/stream/nieuw, which asks the
 * policy for posts newer than the first page's newest one, the reader's own left out. The button reloads
 * the first page and moves focus to the feed. Without JavaScript nothing shows: reloading does the same.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLiveEvent } from "~/components/live/live-events";

export type NewPostsIndicatorProps = {
  /** The first home page's `newestSeen` cursor (an empty stream has none, and no indicator). */
  newestSeen: string;
  /** The feed to focus after showing the new posts. */
  feedId: string;
};

type Count = { count: number; more: boolean };

/** The API's path for a cursor. */
export function newPostsUrl(newestSeen: string): string {
  return `/api/stream/nieuw?${new URLSearchParams({ sinds: newestSeen }).toString()}`;
}

function isCount(value: unknown): value is Count {
  return (
    typeof value === "object" &&
    value !== null &&
    "count" in value &&
    typeof value.count === "number" &&
    "more" in value &&
    typeof value.more === "boolean"
  );
}

// Several posts arriving together (a busy morning) are counted once.
const DEBOUNCE_MS = 800;

export function NewPostsIndicator({ newestSeen, feedId }: NewPostsIndicatorProps) {
  const { t } = useTranslation();
  const revalidator = useRevalidator();
  const [fresh, setFresh] = useState<Count>({ count: 0, more: false });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const focusAfterLoad = useRef(false);
  const seen = useRef(newestSeen);

  useEffect(() => {
    seen.current = newestSeen;
    setFresh({ count: 0, more: false });
  }, [newestSeen]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  async function refreshCount() {
    const cursor = seen.current;
    try {
      const response = await fetch(newPostsUrl(cursor), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const body: unknown = await response.json();
      // The page may have reloaded meanwhile; an answer for an old cursor is stale.
      if (isCount(body) && seen.current === cursor) setFresh(body);
    } catch {
      // Offline or the server restarting: the next event tries again.
    }
  }

  useLiveEvent("post.created", () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void refreshCount(), DEBOUNCE_MS);
  });

  useEffect(() => {
    if (revalidator.state === "idle" && focusAfterLoad.current) {
      focusAfterLoad.current = false;
      document.getElementById(feedId)?.focus();
    }
  }, [revalidator.state, feedId]);

  function show() {
    focusAfterLoad.current = true;
    setFresh({ count: 0, more: false });
    revalidator.revalidate();
  }

  return (
    <div className="new-posts" aria-live="polite">
      {fresh.count > 0 ? (
        <button type="button" className="button button--primary new-posts__button" onClick={show}>
          {fresh.more
            ? t("stream.newPosts.more", { count: fresh.count })
            : t("stream.newPosts.count", { count: fresh.count })}
        </button>
      ) : null}
    </div>
  );
}
