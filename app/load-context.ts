/** What the Express server hands every loader and action (see server/app.ts). */
import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request nonce for the Content-Security-Policy script-src. */
    cspNonce: string;
    /** This browser's CSRF token, to be embedded in forms. */
    csrfToken: string;
  }
  interface Future {
    v3_singleFetch: true;
  }
}
