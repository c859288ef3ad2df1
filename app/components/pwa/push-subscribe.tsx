/**
 * Switches web push on or off for this browser. Progressive enhancement: the server renders an explanation
 * of where push works (it needs JavaScript, a supporting browser, and on iPhone the app on the home screen);
 * after hydration the control replaces it with the actual state and a button. Permission is asked only when
 * the person presses the button, never on page load (browsers penalise, and people refuse, unasked prompts).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCsrfToken } from "~/components/csrf-input";
import {
  PUSH_SUBSCRIPTION_PATH,
  pushSupport,
  readPushEnvironment,
  sameKey,
  urlBase64ToUint8Array,
} from "./push-support";

type PushState =
  /** Server render and before the check: the no-JavaScript explanation. */
  | "unknown"
  | "unsupported"
  | "install-first"
  | "off"
  | "on"
  /** The person (or a policy) blocked notifications for this site in the browser settings. */
  | "blocked";

type Announcement =
  "turnedOn" | "turnedOff" | "notAllowed" | "blocked" | "failed" | "serverFailed" | "noWorker" | null;

const WORKER_TIMEOUT_MS = 10_000;

/** The active service worker registration, or an error when none becomes active in time. */
async function activeRegistration(): Promise<ServiceWorkerRegistration> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      navigator.serviceWorker.ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("no active service worker")), WORKER_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function sendToServer(method: "POST" | "DELETE", body: unknown, csrfToken: string): Promise<boolean> {
  try {
    const response = await fetch(PUSH_SUBSCRIPTION_PATH, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    // DELETE answers 404 when the server no longer had it: that is what was asked for.
    return response.ok || (method === "DELETE" && response.status === 404);
  } catch {
    return false;
  }
}

/** The on/off control for push notifications on this device. */
export function PushSubscribeControl({ vapidPublicKey }: { vapidPublicKey: string }) {
  const { t } = useTranslation();
  const csrfToken = useCsrfToken();
  const [state, setState] = useState<PushState>("unknown");
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState<Announcement>(null);
  // The state check runs once per key; the CSRF token may change without a new check.
  const tokenRef = useRef(csrfToken);
  tokenRef.current = csrfToken;

  useEffect(() => {
    let cancelled = false;
    const settle = (next: PushState) => {
      if (!cancelled) setState(next);
    };
    void (async () => {
      const support = pushSupport(readPushEnvironment());
      if (support !== "supported") return settle(support);
      if (Notification.permission === "denied") return settle("blocked");
      const registration = await navigator.serviceWorker.getRegistration("/").catch(() => undefined);
      const subscription = await registration?.pushManager.getSubscription().catch(() => null);
      if (!registration || !subscription || Notification.permission !== "granted") return settle("off");
      let key: Uint8Array<ArrayBuffer>;
      try {
        key = urlBase64ToUint8Array(vapidPublicKey);
      } catch {
        return settle("unsupported");
      }
      if (!sameKey(subscription.options.applicationServerKey, key)) {
        // Made with an earlier server key: the server can no longer push to it. Renew it silently, since
        // permission was already given.
        await subscription.unsubscribe().catch(() => false);
        try {
          const renewed = await registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: key,
          });
          const saved = await sendToServer("POST", renewed.toJSON(), tokenRef.current);
          return settle(saved ? "on" : "off");
        } catch {
          return settle("off");
        }
      }
      // Confirms the subscription to the server (lastSeenAt), and re-attaches it to whoever is signed in.
      void sendToServer("POST", subscription.toJSON(), tokenRef.current);
      settle("on");
    })();
    return () => {
      cancelled = true;
    };
  }, [vapidPublicKey]);

  const turnOn = useCallback(async () => {
    const permission = await Notification.requestPermission();
    if (permission === "denied") {
      setState("blocked");
      return setAnnouncement("blocked");
    }
    if (permission !== "granted") return setAnnouncement("notAllowed");
    let registration: ServiceWorkerRegistration;
    try {
      registration = await activeRegistration();
    } catch {
      return setAnnouncement("noWorker");
    }
    let subscription: PushSubscription;
    try {
      subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: urlBase64ToUint8Array(vapidPublicKey),
        }));
    } catch {
      return setAnnouncement("failed");
    }
    if (!(await sendToServer("POST", subscription.toJSON(), csrfToken))) {
      // A subscription the server does not know would never receive anything: do not leave it behind.
      await subscription.unsubscribe().catch(() => false);
      return setAnnouncement("serverFailed");
    }
    setState("on");
    setAnnouncement("turnedOn");
  }, [csrfToken, vapidPublicKey]);

  const turnOff = useCallback(async () => {
    const registration = await navigator.serviceWorker.getRegistration("/").catch(() => undefined);
    const subscription = await registration?.pushManager.getSubscription().catch(() => null);
    if (subscription) {
      const removed = await sendToServer("DELETE", { endpoint: subscription.endpoint }, csrfToken);
      // Unsubscribe locally whatever the server said: the push service then answers 410 and the server
      // drops the row on its next attempt.
      await subscription.unsubscribe().catch(() => false);
      setState("off");
      return setAnnouncement(removed ? "turnedOff" : "serverFailed");
    }
    setState("off");
    setAnnouncement("turnedOff");
  }, [csrfToken]);

  const toggle = async () => {
    if (busy) return;
    setBusy(true);
    setAnnouncement(null);
    try {
      await (state === "on" ? turnOff() : turnOn());
    } finally {
      setBusy(false);
    }
  };

  const canToggle = state === "on" || state === "off";

  return (
    <div className="push-control" data-push-state={state}>
      <p className="push-control__state">
        {state === "on" ? (
          <span className="push-control__badge push-control__badge--on">{t("pwa.push.badgeOn")}</span>
        ) : state === "off" || state === "blocked" ? (
          <span className="push-control__badge">{t("pwa.push.badgeOff")}</span>
        ) : null}{" "}
        {t(`pwa.push.state.${state}`)}
      </p>
      {state === "blocked" ? <p className="push-control__hint">{t("pwa.push.blockedHelp")}</p> : null}
      {canToggle ? (
        <button
          type="button"
          className={state === "on" ? "button" : "button button--primary"}
          onClick={() => void toggle()}
          disabled={busy}
          aria-busy={busy}
        >
          {busy ? t("pwa.push.busy") : state === "on" ? t("pwa.push.turnOff") : t("pwa.push.turnOn")}
        </button>
      ) : null}
      <p className="push-control__status" role="status" aria-live="polite">
        {announcement ? t(`pwa.push.announce.${announcement}`) : ""}
      </p>
    </div>
  );
}
