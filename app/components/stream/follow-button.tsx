/**
 * Follow or stop following a colleague, a group or project, or a topic. A plain form posting to /volgen
 * (which redirects back to `returnTo`), so it works before JavaScript loads. Once hydrated the same form is
 * sent by a fetcher that asks /volgen for a JSON answer instead of a redirect: the button flips at once
 * (optimistic) and settles on what the server answered, without reloading the page.
 *
 * A toggle button: its label stays "Volgen" and aria-pressed tells whether one follows; a check mark and
 * the pressed style show it visually, so the state never rests on colour alone.
 */
import { useFetcher } from "@remix-run/react";
import { type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";

export type FollowTarget =
  { type: "user"; id: string } | { type: "place"; slug: string } | { type: "topic"; slug: string };

/** What /volgen answers a script: the new state and count, or why it refused (a places.errors key). */
export type FollowResponse =
  | { ok: true; following: boolean; count: number }
  | { ok: false; error: "notFound" | "forbidden" | "invalidRequest" | "rateLimited" };

/** The form field that asks /volgen for JSON instead of a redirect; only the script sets it. */
export const FOLLOW_RESPOND_FIELD = "antwoord";

export function FollowButton({
  target,
  following,
  count,
  returnTo,
  name,
}: {
  target: FollowTarget;
  following: boolean;
  /** Followers, shown next to the button when given. */
  count?: number;
  /** Local path to come back to without JavaScript. */
  returnTo: string;
  /** What is followed, for the button's accessible name ("Volgen: Jonas Claeys"). */
  name?: string;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<FollowResponse>();
  const answered = fetcher.data?.ok ? fetcher.data : null;
  const pending = fetcher.formData?.get("intent");
  // What the server last said (its answer, or the page as loaded); while a request runs, what was asked.
  const known = answered ? answered.following : following;
  const knownCount = answered ? answered.count : count;
  const isFollowing = pending ? pending === "follow" : known;
  const shownCount =
    knownCount === undefined
      ? undefined
      : Math.max(0, knownCount + (isFollowing === known ? 0 : isFollowing ? 1 : -1));
  const error = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    form.set(FOLLOW_RESPOND_FIELD, "json");
    fetcher.submit(form, { method: "post", action: "/volgen" });
  }

  return (
    <fetcher.Form method="post" action="/volgen" className="follow-button" onSubmit={submit}>
      <CsrfInput />
      <input type="hidden" name="intent" value={isFollowing ? "unfollow" : "follow"} />
      <input type="hidden" name="type" value={target.type} />
      {target.type === "user" ? (
        <input type="hidden" name="id" value={target.id} />
      ) : (
        <input type="hidden" name="slug" value={target.slug} />
      )}
      <input type="hidden" name="returnTo" value={returnTo} />
      <button
        type="submit"
        className={`button follow-button__button${isFollowing ? " follow-button__button--on" : ""}`}
        aria-pressed={isFollowing}
        aria-label={name ? t("places.follow.labelFor", { name }) : undefined}
      >
        <span className="follow-button__check" aria-hidden="true">
          {isFollowing ? "✓ " : "+ "}
        </span>
        {t("places.follow.label")}
      </button>
      {shownCount !== undefined ? (
        <span className="follow-button__count">{t("places.follow.followers", { count: shownCount })}</span>
      ) : null}
      {error ? (
        <span className="follow-button__error" role="alert">
          {t(`places.follow.errors.${error}`)}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
