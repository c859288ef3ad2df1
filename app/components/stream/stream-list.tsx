/**
 * A stream of posts (home, group, project, profile, topic): the cards of one page and a plain link to the
 * older ones (`?na=<cursor>`), which works without JavaScript. Once hydrated, the link loads the next page
 * with a fetcher from the same route and appends it, moving focus to the first new post; the link stays,
 * pointing further back, as the fallback.
 *
 * The fetcher reads the route's own loader: whatever key the route returns its StreamPage under, the list
 * finds the one object that has `items` and `nextCursor`.
 */
import { type SerializeFrom } from "@remix-run/node";
import { Link, useFetcher, useLocation, useMatches } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import type { StreamPage } from "~/modules/stream/stream.server";
import { PostCard, postAnchor } from "./post-card";

export type StreamListProps = {
  page: SerializeFrom<StreamPage>;
  /** Accessible name of the feed (e.g. "Berichten in Wijkwerking Brugse Poort"). */
  label: string;
  /** Text when there are no posts. */
  emptyMessage: string;
  /** Local path (with search) to come back to after an action on a post. */
  returnTo: string;
};

type Page = SerializeFrom<StreamPage>;
type Item = Page["items"][number];

/** The id of the list's container, for "nieuwe berichten" and skip links (one stream per page). */
export const STREAM_FEED_ID = "berichtenstroom";
/** The search parameter of the older pages' cursor ("na" = after). */
export const STREAM_CURSOR_PARAM = "na";

function isStreamPage(value: unknown): value is Page {
  return (
    typeof value === "object" &&
    value !== null &&
    "items" in value &&
    Array.isArray(value.items) &&
    "nextCursor" in value
  );
}

/** The StreamPage in a route's loader data: the data itself or one of its top-level values. */
export function findStreamPage(data: unknown): Page | null {
  if (isStreamPage(data)) return data;
  if (typeof data !== "object" || data === null) return null;
  for (const value of Object.values(data)) if (isStreamPage(value)) return value;
  return null;
}

/** The current address with the cursor of the next page (other search parameters kept). */
export function olderPageHref(pathname: string, search: string, cursor: string): string {
  const params = new URLSearchParams(search);
  params.delete("index");
  params.set(STREAM_CURSOR_PARAM, cursor);
  return `${pathname}?${params.toString()}`;
}

export function StreamList({ page, label, emptyMessage, returnTo }: StreamListProps): JSX.Element {
  const { t } = useTranslation();
  const location = useLocation();
  const matches = useMatches();
  const fetcher = useFetcher<unknown>();
  const [older, setOlder] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<string | null>(page.nextCursor);
  const [status, setStatus] = useState("");
  const focusId = useRef<string | null>(null);

  // A new first page (new posts shown, another stream) starts the list over; a revalidation that only
  // changed counts keeps the older posts already loaded.
  const firstIds = page.items.map((item) => item.id).join(",");
  useEffect(() => {
    setOlder([]);
    setCursor(page.nextCursor);
    // page.nextCursor follows from the ids; the ids decide.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [firstIds]);

  useEffect(() => {
    if (fetcher.state !== "idle" || fetcher.data === undefined) return;
    const next = findStreamPage(fetcher.data);
    if (!next) {
      setStatus(t("stream.list.loadFailed"));
      return;
    }
    setOlder((current) => {
      const seen = new Set([...page.items, ...current].map((item) => item.id));
      const added = next.items.filter((item) => !seen.has(item.id));
      focusId.current = added[0]?.id ?? null;
      return [...current, ...added];
    });
    setCursor(next.nextCursor);
    setStatus(t("stream.list.loaded", { count: next.items.length }));
    // Only a new answer matters, not the first page changing underneath.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);

  useEffect(() => {
    if (!focusId.current) return;
    document.getElementById(postAnchor(focusId.current))?.focus();
    focusId.current = null;
  }, [older]);

  const items = useMemo(() => [...page.items, ...older], [page.items, older]);
  const href = cursor ? olderPageHref(location.pathname, location.search, cursor) : null;
  const leafId = matches.at(-1)?.id ?? "";
  const loading = fetcher.state !== "idle";

  function loadOlder(event: MouseEvent<HTMLAnchorElement>) {
    if (!href || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (loading) return;
    // Index routes share their path with their parent layout: "?index" asks for the index route's loader.
    const url = leafId.endsWith("_index") ? `${href}&index` : href;
    setStatus(t("stream.list.loading"));
    fetcher.load(url);
  }

  return (
    <section id={STREAM_FEED_ID} className="stream" aria-label={label} tabIndex={-1} aria-busy={loading}>
      {items.length === 0 ? (
        <p className="stream__empty muted">{emptyMessage}</p>
      ) : (
        <ol className="stream__items">
          {items.map((item) => (
            <li key={item.id}>
              <PostCard post={item} returnTo={returnTo} />
            </li>
          ))}
        </ol>
      )}
      {href ? (
        <p className="stream__more">
          <Link to={href} className="button" onClick={loadOlder} aria-disabled={loading || undefined}>
            {loading ? t("stream.list.loading") : t("stream.list.older")}
          </Link>
        </p>
      ) : items.length > 0 ? (
        <p className="stream__end muted">{t("stream.list.end")}</p>
      ) : null}
      <p className="stream-sr-only" role="status">
        {status}
      </p>
    </section>
  );
}
