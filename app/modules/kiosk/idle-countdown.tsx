/**
 * The kiosk's automatic sign-out in the browser: 60 s after the last input the terminal returns to the board
 * (signing out first when someone is signed in). In the last 15 s a large notice counts down ("Nog 12 s —
 * tik om te blijven"); any tap, key or scroll starts over. Input is reported to the server (at most every
 * few seconds), and the clock runs from that report, so the browser never believes a session alive that the
 * server (60 s idle limit) has already ended. Without JavaScript the pages carry a meta refresh instead.
 */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput, useCsrfToken } from "~/components/csrf-input";

export const KIOSK_IDLE_SECONDS = 60;
const WARN_SECONDS = 15;
/** Input closer together than this is not reported again. */
const TOUCH_INTERVAL_MS = 3_000;
const ACTIVITY_EVENTS = ["pointerdown", "keydown", "touchstart", "wheel", "scroll", "input"] as const;

/**
 * `signOut`: a worker is signed in; the timeout posts to /kiosk/afmelden and input keeps the session alive.
 * `board`: nobody is signed in yet (the PIN form); the timeout only returns to the board.
 */
export function IdleCountdown({ mode }: { mode: "signOut" | "board" }) {
  const { t } = useTranslation();
  const csrf = useCsrfToken();
  const formRef = useRef<HTMLFormElement>(null);
  const lastTouch = useRef(Date.now());
  const done = useRef(false);
  const [remaining, setRemaining] = useState(KIOSK_IDLE_SECONDS);

  useEffect(() => {
    lastTouch.current = Date.now();
    const finish = () => {
      if (done.current) return;
      done.current = true;
      if (mode === "signOut" && formRef.current) formRef.current.requestSubmit();
      else window.location.assign("/kiosk");
    };
    const touch = () => {
      const now = Date.now();
      if (done.current || now - lastTouch.current < TOUCH_INTERVAL_MS) return;
      lastTouch.current = now;
      setRemaining(KIOSK_IDLE_SECONDS);
      if (mode !== "signOut") return;
      fetch("/kiosk/actief", {
        method: "POST",
        headers: { "x-csrf-token": csrf },
        credentials: "same-origin",
      })
        .then((response) => {
          // The server already ended the session (revoked terminal, another tab signed out): back to the board.
          if (response.status === 401) {
            done.current = true;
            window.location.assign("/kiosk");
          }
        })
        .catch(() => {
          // Offline for a moment: the countdown still ends the session on this screen.
        });
    };
    const tick = () => {
      const left = KIOSK_IDLE_SECONDS - Math.floor((Date.now() - lastTouch.current) / 1000);
      setRemaining(Math.max(0, left));
      if (left <= 0) finish();
    };
    const timer = window.setInterval(tick, 250);
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, touch, { passive: true, capture: true });
    return () => {
      window.clearInterval(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch, { capture: true });
    };
  }, [mode, csrf]);

  const warning = remaining <= WARN_SECONDS;
  return (
    <>
      {mode === "signOut" ? (
        <form ref={formRef} method="post" action="/kiosk/afmelden" hidden>
          <CsrfInput />
          <input type="hidden" name="reden" value="tijd" />
        </form>
      ) : null}
      {/* Announced once when the warning starts, not every second. */}
      <p className="visually-hidden" aria-live="assertive">
        {warning ? t("kiosk.idle.announce", { count: WARN_SECONDS }) : ""}
      </p>
      {warning ? (
        <div className="kiosk-idle">
          <p className="kiosk-idle__text">{t("kiosk.idle.countdown", { count: remaining })}</p>
        </div>
      ) : null}
    </>
  );
}
