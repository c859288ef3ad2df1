/**
 * The five reactions under a post. Every button is a small form posting to the post page's action (react or
 * unreact), so it works before JavaScript loads; once hydrated, one fetcher submits them and the counts
 * change at once (optimistically), without a navigation. Each button has a visible label, the emoji is
 * decorative, and aria-pressed says which one is the reader's.
 */
import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { postPath } from "~/modules/stream/content";
import {
  REACTION_EMOJI,
  REACTION_TYPES,
  VIA_FETCHER_FIELD,
  VIA_FETCHER_VALUE,
  isReactionType,
  type PostActionResult,
  type ReactionType,
} from "./types";
import { useHydrated } from "./use-hydrated";

export type ReactionsBarProps = {
  postId: string;
  myReaction: ReactionType | null;
  total: number;
  /** Per type, when known (the post page); a stream card shows only the total. */
  byType?: Record<ReactionType, number> | null;
  returnTo: string;
  /** Hidden posts and posts in archived places take no reactions. */
  disabled?: boolean;
};

type Shown = { myReaction: ReactionType | null; total: number; byType: Record<ReactionType, number> | null };

/** The counts after the reader changes their reaction from `from` to `to` (null: none). */
export function applyReaction(shown: Shown, to: ReactionType | null): Shown {
  const from = shown.myReaction;
  if (from === to) return shown;
  const byType = shown.byType ? { ...shown.byType } : null;
  if (byType && from) byType[from] = Math.max(0, byType[from] - 1);
  if (byType && to) byType[to] += 1;
  const total = Math.max(0, shown.total - (from ? 1 : 0) + (to ? 1 : 0));
  return { myReaction: to, total, byType };
}

function isResult(value: unknown): value is PostActionResult {
  return typeof value === "object" && value !== null && "ok" in value && "intent" in value;
}

export function ReactionsBar({
  postId,
  myReaction,
  total,
  byType = null,
  returnTo,
  disabled,
}: ReactionsBarProps) {
  const { t } = useTranslation();
  const fetcher = useFetcher<PostActionResult>();
  const hydrated = useHydrated();
  const [confirmed, setConfirmed] = useState<Shown | null>(null);

  // Fresh loader data wins over what the last submission returned...
  useEffect(() => setConfirmed(null), [myReaction, total, byType]);
  // ...except right after a submission, whose answer is at least as fresh (a post loaded by "Oudere
  // berichten" is not part of the revalidated loader data).
  const result = isResult(fetcher.data) ? fetcher.data : null;
  useEffect(() => {
    if (result?.ok) {
      setConfirmed({
        myReaction: result.reactions.myReaction,
        total: result.reactions.total,
        byType: byType ? result.reactions.byType : null,
      });
    }
    // Only a new answer counts; byType merely says whether per-type counts are shown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result]);

  let shown: Shown = confirmed ?? { myReaction, total, byType };
  const pending = fetcher.formData;
  if (pending) {
    const type = pending.get("type");
    shown = applyReaction(shown, pending.get("intent") === "react" && isReactionType(type) ? type : null);
  }
  const error = result && !result.ok ? result.error : null;
  const action = postPath(postId);

  return (
    <div className="reactions">
      <ul className="reactions__list" aria-label={t("stream.reactions.label")}>
        {REACTION_TYPES.map((type) => {
          const mine = shown.myReaction === type;
          const count = shown.byType?.[type] ?? 0;
          return (
            <li key={type}>
              <fetcher.Form method="post" action={action} className="reactions__form">
                <CsrfInput />
                <input type="hidden" name="intent" value={mine ? "unreact" : "react"} />
                <input type="hidden" name="type" value={type} />
                <input type="hidden" name="returnTo" value={returnTo} />
                {hydrated ? <input type="hidden" name={VIA_FETCHER_FIELD} value={VIA_FETCHER_VALUE} /> : null}
                <button
                  type="submit"
                  className={`reactions__button${mine ? " reactions__button--mine" : ""}`}
                  aria-pressed={mine}
                  disabled={disabled}
                  title={mine ? t("stream.reactions.undo") : undefined}
                >
                  <span aria-hidden="true" className="reactions__emoji">
                    {REACTION_EMOJI[type]}
                  </span>{" "}
                  {t(`stream.reactions.types.${type}`)}
                  {shown.byType && count > 0 ? (
                    <span className="reactions__count">
                      {" "}
                      <span aria-hidden="true">{count}</span>
                      <span className="stream-sr-only">{t("stream.reactions.countOfType", { count })}</span>
                    </span>
                  ) : null}
                </button>
              </fetcher.Form>
            </li>
          );
        })}
      </ul>
      <p className="reactions__total" aria-live="polite">
        {shown.total > 0 ? t("stream.reactions.total", { count: shown.total }) : t("stream.reactions.none")}
      </p>
      <p className="reactions__error" role="alert">
        {error ? t(error) : null}
      </p>
    </div>
  );
}
