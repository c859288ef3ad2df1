/**
 * Browser-side helpers for web push: key conversion and support detection. Pure functions on what the
 * browser exposes, so they are tested without a browser.
 */

/** The API path that stores (POST) and removes (DELETE) this browser's push subscription. */
export const PUSH_SUBSCRIPTION_PATH = "/api/push/abonnement";

/**
 * Decodes a base64url VAPID public key into the bytes `pushManager.subscribe` expects as
 * `applicationServerKey` (some browsers refuse the string form). Throws on characters outside base64url.
 */
export function urlBase64ToUint8Array(value: string): Uint8Array<ArrayBuffer> {
  const trimmed = value.trim().replace(/=+$/, "");
  if (!/^[A-Za-z0-9_-]*$/.test(trimmed) || trimmed.length % 4 === 1) {
    throw new TypeError("Not a base64url string");
  }
  const base64 = trimmed.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Whether two keys are the same bytes (an existing subscription made with an older VAPID key must be renewed). */
export function sameKey(left: ArrayBuffer | Uint8Array | null | undefined, right: Uint8Array): boolean {
  if (!left) return false;
  const bytes = left instanceof Uint8Array ? left : new Uint8Array(left);
  return bytes.length === right.length && bytes.every((byte, index) => byte === right[index]);
}

/** What the browser offers, read once after hydration. */
export type PushEnvironment = {
  hasServiceWorker: boolean;
  hasPushManager: boolean;
  hasNotification: boolean;
  userAgent: string;
  maxTouchPoints: number;
  /** Running as an installed app (display-mode standalone, or Safari's navigator.standalone). */
  standalone: boolean;
};

/**
 * - "supported": push can be switched on here;
 * - "install-first": iPhone or iPad in the browser: Apple only offers push to apps added to the home screen;
 * - "unsupported": this browser has no web push at all.
 */
export type PushSupport = "supported" | "install-first" | "unsupported";

/** Whether this is iOS or iPadOS (iPadOS reports itself as a Mac, but a Mac has no touch screen). */
export function isAppleMobile(environment: Pick<PushEnvironment, "userAgent" | "maxTouchPoints">): boolean {
  return (
    /\b(iPhone|iPad|iPod)\b/.test(environment.userAgent) ||
    (/\bMacintosh\b/.test(environment.userAgent) && environment.maxTouchPoints > 1)
  );
}

/** What the control can offer in this environment. */
export function pushSupport(environment: PushEnvironment): PushSupport {
  const complete = environment.hasServiceWorker && environment.hasPushManager && environment.hasNotification;
  if (isAppleMobile(environment) && !environment.standalone) return "install-first";
  return complete ? "supported" : "unsupported";
}

/** Reads the environment from the browser globals (only call after hydration). */
export function readPushEnvironment(): PushEnvironment {
  const navigatorWithStandalone = navigator as Navigator & { standalone?: boolean };
  return {
    hasServiceWorker: "serviceWorker" in navigator,
    hasPushManager: "PushManager" in window,
    hasNotification: "Notification" in window,
    userAgent: navigator.userAgent,
    maxTouchPoints: navigator.maxTouchPoints ?? 0,
    standalone:
      window.matchMedia?.("(display-mode: standalone)").matches === true ||
      navigatorWithStandalone.standalone === true,
  };
}
