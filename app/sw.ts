/// <reference lib="webworker" />
/**
 * Werkplek service worker, bundled to public/sw.js by scripts/build-sw.mjs.
 *
 * Privacy first: the intranet shows personal and internal data, so this worker never stores HTML pages,
 * API data or anything the server marks as private. It only keeps the public app shell (the offline page,
 * manifest and icons) and the content-hashed Remix build assets, which are identical for every user.
 */

// Make this file a module so the declarations below shadow the DOM globals instead of clashing with them.
export type {};

declare const self: ServiceWorkerGlobalScope;
/** Injected by esbuild `define`: changes whenever the worker, the build assets or a public file change. */
declare const __SW_VERSION__: string;
/** Injected by esbuild `define`: URL paths of the Remix client build assets needed to boot the app. */
declare const __PRECACHE__: string[];

const CACHE_NAME = `werkplek-${__SW_VERSION__}`;
const OFFLINE_URL = "/offline.html";

/** Public files that must be available offline; also served from cache when the network fails. */
const SHELL = [OFFLINE_URL, "/manifest.webmanifest", "/icons/icon-192.png", "/favicon.svg"];

/** Dynamic or sensitive endpoints: always straight to the network, never touched by the cache. */
const NEVER_CACHE = ["/api", "/auth", "/events", "/healthz", "/readyz"];

/** Hashed build files never change; icons change only with a new worker version (which empties the cache). */
const CACHE_FIRST = ["/build/", "/icons/"];

function isUnder(pathname: string, prefix: string): boolean {
  return prefix.endsWith("/")
    ? pathname.startsWith(prefix)
    : pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** Only complete, same-origin responses that the server allows shared caches to keep may be stored. */
function isCacheable(response: Response): boolean {
  if (!response.ok || response.type !== "basic") return false;
  const cacheControl = response.headers.get("Cache-Control") ?? "";
  return !/\b(no-store|private)\b/i.test(cacheControl);
}

async function precache(): Promise<void> {
  const cache = await caches.open(CACHE_NAME);
  await Promise.all(
    [...SHELL, ...__PRECACHE__].map(async (path) => {
      // "reload" bypasses the HTTP cache so a new worker never captures an outdated copy.
      const response = await fetch(new Request(path, { cache: "reload" }));
      // A redirect usually means the login wall caught a public file; caching it would break offline use.
      if (!response.ok || response.redirected) {
        throw new Error(`Precache of ${path} failed (${response.status})`);
      }
      if (isCacheable(response)) await cache.put(path, response);
    }),
  );
}

async function offlineFallback(): Promise<Response> {
  const cached = await caches.match(OFFLINE_URL, { cacheName: CACHE_NAME });
  return cached ?? new Response("Je bent offline. / You are offline.", { status: 503 });
}

async function networkFirst(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch {
    // Pages themselves are never stored, so a failed navigation always gets the offline page.
    if (request.mode === "navigate") return offlineFallback();
    return (await caches.match(request, { cacheName: CACHE_NAME })) ?? Response.error();
  }
}

async function cacheFirst(event: FetchEvent): Promise<Response> {
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(event.request);
  if (cached) return cached;
  const response = await fetch(event.request);
  if (isCacheable(response)) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

self.addEventListener("install", (event) => {
  // No automatic skipWaiting: the page decides when to switch (see the message handler), so an open tab
  // never runs old HTML against a new worker mid-session.
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // Drop every other cache on this origin: old versions only waste space and might hold stale assets.
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name !== CACHE_NAME).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER_CACHE.some((prefix) => isUnder(url.pathname, prefix))) return;

  if (request.mode === "navigate" || SHELL.includes(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (CACHE_FIRST.some((prefix) => isUnder(url.pathname, prefix))) {
    event.respondWith(cacheFirst(event));
  }
  // Everything else (Remix data requests, other files) is left to the browser and never cached here.
});

self.addEventListener("message", (event) => {
  const data: unknown = event.data;
  if (typeof data === "object" && data !== null && (data as { type?: unknown }).type === "SKIP_WAITING") {
    void self.skipWaiting();
  }
});
