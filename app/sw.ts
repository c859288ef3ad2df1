/// <reference lib="webworker" />
/**
 * Werkplek service worker, bundled to public/sw.js by scripts/build-sw.mjs.
 *
 * Privacy first: the intranet shows personal and internal data, so this worker stores no HTML pages, API
 * data or anything the server marks as private, with one exception the person asked for by opening them:
 * digest pages and circulars that the server marks "private, no-cache" (never no-store) are kept, the last
 * 20 of each, in a separate cache for reading offline (see app/components/pwa/offline-reading.ts). That
 * cache is emptied at sign-out, when the sign-in page is shown, and on a "clear-personal-cache" message.
 * Everything else it keeps is the public app shell (offline page, manifest, icons) and the content-hashed
 * Remix build assets, which are identical for every user.
 *
 * It also shows web push notifications (digests) and opens their page when one is clicked.
 */
import {
  addToIndex,
  CLEAR_PERSONAL_CACHE_MESSAGE,
  escapeHtml,
  invalidatesOfflineCopy,
  isOfflineReadable,
  OFFLINE_READING_CACHE,
  offlineReadingKind,
  pagePathOfDataRequest,
  parseIndex,
  titleFromHtml,
  type OfflineReadingEntry,
  type OfflineReadingKind,
} from "./components/pwa/offline-reading";
import { isInAppUrl, readNotificationPayload } from "./components/pwa/notification-payload";
import enTexts from "./i18n/locales/en/pwa.json";
import nlTexts from "./i18n/locales/nl/pwa.json";

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
const NEVER_CACHE = ["/api", "/auth", "/events", "/healthz", "/readyz", "/kiosk"];

/** Hashed build files never change; icons change only with a new worker version (which empties the cache). */
const CACHE_FIRST = ["/build/", "/icons/"];

/** Pages that show the sign-in form: whoever sees one is signed out, so kept pages must go. */
const SIGN_IN_PATHS = ["/inloggen"];
const SIGN_OUT_PATHS = ["/uitloggen", "/kiosk/afmelden"];

/** Where the list of kept pages lives inside the offline-reading cache (never a real server path). */
const INDEX_KEY = "/__werkplek/offline-reading-index.json";
/** Digest links expire after at most 31 days (DIGEST_LINK_DAYS); an older kept digest is only clutter. */
const DIGEST_MAX_AGE_MS = 31 * 24 * 60 * 60 * 1000;

const NOTIFICATION_ICON = "/icons/icon-192.png";
const NOTIFICATION_BADGE = "/icons/icon-192.png";

const texts = nlTexts.pwa;
const englishTexts = enTexts.pwa;

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

// ---------------------------------------------------------------------------------------------------------
// Offline reading

/**
 * Changes to the offline-reading cache run one after another (the index is read, changed and written), and
 * every clear starts a new generation: a page whose download began before a sign-out is not stored after it.
 */
let queue: Promise<unknown> = Promise.resolve();
let generation = 0;

function serially<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

const keyFor = (path: string) => new URL(path, self.location.origin).href;

async function readIndex(cache: Cache): Promise<OfflineReadingEntry[]> {
  const stored = await cache.match(keyFor(INDEX_KEY));
  if (!stored) return [];
  try {
    return parseIndex(await stored.json());
  } catch {
    return [];
  }
}

async function writeIndex(cache: Cache, index: OfflineReadingEntry[]): Promise<void> {
  await cache.put(
    keyFor(INDEX_KEY),
    new Response(JSON.stringify(index), { headers: { "Content-Type": "application/json" } }),
  );
}

/** The kept pages, newest first, without digests too old to matter. */
async function listKeptPages(): Promise<OfflineReadingEntry[]> {
  if (!(await caches.has(OFFLINE_READING_CACHE))) return [];
  const cache = await caches.open(OFFLINE_READING_CACHE);
  const now = Date.now();
  return (await readIndex(cache)).filter(
    (entry) => entry.kind !== "digest" || now - entry.savedAt <= DIGEST_MAX_AGE_MS,
  );
}

async function keepPage(path: string, kind: OfflineReadingKind, response: Response): Promise<void> {
  const startedIn = generation;
  const html = await response.clone().text();
  await serially(async () => {
    if (startedIn !== generation) return;
    const cache = await caches.open(OFFLINE_READING_CACHE);
    const entry: OfflineReadingEntry = {
      path,
      kind,
      title: titleFromHtml(html) ?? path,
      savedAt: Date.now(),
    };
    const now = Date.now();
    const current = (await readIndex(cache)).filter(
      (existing) => existing.kind !== "digest" || now - existing.savedAt <= DIGEST_MAX_AGE_MS,
    );
    const { index, evicted } = addToIndex(current, entry);
    await cache.put(keyFor(path), response);
    await Promise.all(evicted.map((old) => cache.delete(keyFor(old.path))));
    await writeIndex(cache, index);
  });
}

async function forgetPage(path: string): Promise<void> {
  await serially(async () => {
    if (!(await caches.has(OFFLINE_READING_CACHE))) return;
    const cache = await caches.open(OFFLINE_READING_CACHE);
    await cache.delete(keyFor(path));
    await writeIndex(
      cache,
      (await readIndex(cache)).filter((entry) => entry.path !== path),
    );
  });
}

/** Removes every kept page (sign-out, sign-in page, or a page's request). */
function clearKeptPages(): Promise<void> {
  generation += 1;
  return serially(async () => {
    await caches.delete(OFFLINE_READING_CACHE);
  });
}

/** Keeps a fresh copy of an offline-readable page, or forgets the old one when the server says so. */
async function updateKeptPage(path: string, kind: OfflineReadingKind, response: Response): Promise<void> {
  const noStore = /\bno-store\b/i.test(response.headers.get("Cache-Control") ?? "");
  if (isOfflineReadable(response)) await keepPage(path, kind, response);
  else if (noStore || invalidatesOfflineCopy(response.status)) await forgetPage(path);
  // Anything else (a server error, a redirect) leaves the last good copy in place.
}

/**
 * Remix navigates inside the app with single-fetch data requests (`/circulaires/2026/12.data`), which carry
 * no HTML. When one is for a page that may be read offline, the page itself is fetched once in the
 * background, so that it is kept (or, when the server now refuses it, forgotten).
 */
const refreshing = new Set<string>();
async function refreshKeptPage(path: string, kind: OfflineReadingKind): Promise<void> {
  if (refreshing.has(path)) return;
  refreshing.add(path);
  try {
    const response = await fetch(keyFor(path), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      redirect: "manual",
    });
    await updateKeptPage(path, kind, response);
  } catch {
    // Offline or failing: the data request itself reports the problem to the page.
  } finally {
    refreshing.delete(path);
  }
}

async function keptCopy(path: string): Promise<Response | undefined> {
  if (!(await caches.has(OFFLINE_READING_CACHE))) return undefined;
  return caches.match(keyFor(path), { cacheName: OFFLINE_READING_CACHE });
}

const dateFormat = new Intl.DateTimeFormat("nl-BE", {
  dateStyle: "short",
  timeStyle: "short",
  timeZone: "Europe/Brussels",
});

function renderList(entries: OfflineReadingEntry[], heading: string): string {
  if (entries.length === 0) return "";
  const items = entries
    .map(
      (entry) =>
        `<li><a href="${escapeHtml(entry.path)}">${escapeHtml(entry.title)}</a> <small>${escapeHtml(
          texts.offline.savedAt.replace("{{date}}", dateFormat.format(entry.savedAt)),
        )}</small></li>`,
    )
    .join("");
  return `<h3>${escapeHtml(heading)}</h3><ul class="kept">${items}</ul>`;
}

/** The offline page with the list of what can be read offline, in the look of public/offline.html. */
async function offlinePage(): Promise<Response> {
  const cached = await caches.match(OFFLINE_URL, { cacheName: CACHE_NAME });
  const shell = cached ? await cached.text() : null;
  const entries = await listKeptPages().catch(() => []);
  const digests = entries.filter((entry) => entry.kind === "digest");
  const circulars = entries.filter((entry) => entry.kind === "circular");
  const t = texts.offline;
  const main = [
    `<main id="offline-reading">`,
    `<h1>${escapeHtml(t.title)}</h1>`,
    `<p>${escapeHtml(t.intro)}</p>`,
    entries.length > 0
      ? `<h2>${escapeHtml(t.savedHeading)}</h2><p>${escapeHtml(t.savedIntro)}</p>` +
        renderList(digests, t.digests) +
        renderList(circulars, t.circulars)
      : `<p>${escapeHtml(t.nothingSaved)}</p>`,
    `<a class="button" href="/">${escapeHtml(t.retry)}</a>`,
    `<p class="en" lang="en">${escapeHtml(
      `${englishTexts.offline.title}. ${englishTexts.offline.intro} ${
        entries.length > 0 ? englishTexts.offline.savedIntro : englishTexts.offline.nothingSaved
      }`,
    )}</p>`,
    `</main>`,
  ].join("");
  const style =
    "<style>ul.kept{padding-left:1.25rem}ul.kept li{margin:0 0 .75rem}ul.kept small{color:#4a4a4a}</style>";
  const html =
    shell && /<main>[\s\S]*<\/main>/.test(shell)
      ? shell.replace(/<main>[\s\S]*<\/main>/, main).replace("</head>", `${style}</head>`)
      : `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(
          t.title,
        )} – Werkplek</title>${style}</head><body>${main}</body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Fetch strategies

async function navigate(event: FetchEvent): Promise<Response> {
  const { request } = event;
  const url = new URL(request.url);
  const kind = offlineReadingKind(url.pathname);
  let response: Response;
  try {
    response = await fetch(request);
  } catch {
    const kept = kind ? await keptCopy(url.pathname) : undefined;
    return kept ?? offlinePage();
  }
  if (kind) event.waitUntil(updateKeptPage(url.pathname, kind, response.clone()));
  if (response.status === 200 && SIGN_IN_PATHS.some((prefix) => isUnder(url.pathname, prefix))) {
    event.waitUntil(clearKeptPages());
  }
  return response;
}

async function networkFirst(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch {
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
      // Drop every other version's cache: old versions only waste space and might hold stale assets. The
      // offline-reading cache stays: a deploy must not take away what someone kept to read in the field.
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name !== CACHE_NAME && name !== OFFLINE_READING_CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Signing out (with or without JavaScript) empties what was kept, whatever the server answers.
    if (
      request.method === "POST" &&
      SIGN_OUT_PATHS.some((path) => url.pathname === path || url.pathname === `${path}.data`)
    ) {
      event.waitUntil(clearKeptPages());
    }
    return;
  }
  if (NEVER_CACHE.some((prefix) => isUnder(url.pathname, prefix))) return;

  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (CACHE_FIRST.some((prefix) => isUnder(url.pathname, prefix))) {
    event.respondWith(cacheFirst(event));
  } else {
    const pagePath = pagePathOfDataRequest(url.pathname);
    const kind = pagePath === null ? null : offlineReadingKind(pagePath);
    if (pagePath !== null && kind !== null) {
      const pending = fetch(request);
      event.respondWith(pending);
      event.waitUntil(
        pending.then(
          () => refreshKeptPage(pagePath, kind),
          () => undefined,
        ),
      );
    }
  }
  // Everything else (other Remix data requests, other files) is left to the browser and never cached here.
});

self.addEventListener("message", (event) => {
  const data: unknown = event.data;
  const type = typeof data === "object" && data !== null ? (data as { type?: unknown }).type : undefined;
  if (type === "SKIP_WAITING") void self.skipWaiting();
  if (type === CLEAR_PERSONAL_CACHE_MESSAGE) event.waitUntil(clearKeptPages());
});

// ---------------------------------------------------------------------------------------------------------
// Push notifications

/** Notification options beyond what TypeScript's lib declares (actions, renotify). */
type ShowOptions = NotificationOptions & {
  actions?: { action: string; title: string }[];
  renotify?: boolean;
};

self.addEventListener("push", (event) => {
  let text = "";
  try {
    text = event.data?.text() ?? "";
  } catch {
    text = "";
  }
  const payload = readNotificationPayload(text);
  // Every push must show a notification (userVisibleOnly); one this app did not build gets a neutral one.
  const title = payload?.title ?? texts.notification.fallbackTitle;
  const options: ShowOptions = {
    body: payload?.body ?? texts.notification.fallbackBody,
    icon: NOTIFICATION_ICON,
    badge: NOTIFICATION_BADGE,
    lang: "nl-BE",
    data: { url: payload?.url ?? "/" },
    actions: [{ action: "open", title: texts.notification.open }],
    requireInteraction: payload?.urgency === "high",
    ...(payload?.tag ? { tag: payload.tag, renotify: true } : {}),
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

/** Focuses a window already showing `href`, or opens one. */
async function openOrFocus(href: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => client.url === href);
  if (open) {
    await open.focus();
    return;
  }
  await self.clients.openWindow(href);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data: unknown = event.notification.data;
  const url = typeof data === "object" && data !== null ? (data as { url?: unknown }).url : undefined;
  // Only paths inside this app: a notification never sends anyone to another site.
  const path = typeof url === "string" && isInAppUrl(url) ? url : "/";
  event.waitUntil(openOrFocus(new URL(path, self.location.origin).href));
});
