import { useEffect } from "react";

/**
 * Registers the Werkplek service worker (public/sw.js, built from app/sw.ts) once the app has hydrated.
 * Renders nothing. Registration failures are harmless: the site simply works without offline support.
 */
export function ServiceWorkerRegistration() {
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker
      // "none": always check sw.js itself with the server, so fixes roll out without waiting for HTTP caches.
      .register("/sw.js", { scope: "/", updateViaCache: "none" })
      .catch((error: unknown) => {
        console.warn("Service worker registration failed", error);
      });
  }, []);

  return null;
}
