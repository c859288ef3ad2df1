import { describe, expect, it } from "vitest";
import {
  buildPushPayload,
  isInAppPath,
  parsePushPayload,
  PUSH_URGENCIES,
} from "~/modules/channels/push-payload";
import { isInAppUrl, readNotificationPayload } from "./notification-payload";
import {
  addToIndex,
  escapeHtml,
  invalidatesOfflineCopy,
  isOfflineReadable,
  OFFLINE_READING_CACHE_CONTROL,
  offlineReadingHeaders,
  offlineReadingKind,
  pagePathOfDataRequest,
  parseIndex,
  titleFromHtml,
  type OfflineReadingEntry,
} from "./offline-reading";

describe("offlineReadingKind", () => {
  it.each([
    ["/d/AbC-12_x", "digest"],
    ["/d/AbC-12_x/", "digest"],
    ["/circulaires/2026/12", "circular"],
    ["/circulaires/2026/012/", "circular"],
  ])("%s is a %s", (path, kind) => {
    expect(offlineReadingKind(path)).toBe(kind);
  });

  it.each([
    "/",
    "/d",
    "/d/",
    "/d/a/b",
    "/d/met spatie",
    "/circulaires",
    "/circulaires/2026",
    "/circulaires/2026/12/versies",
    "/circulaires/2026/12/lezers",
    "/circulaires/nieuw",
    "/kiosk/circulaire/2026/12",
    "/kiosk/mijn",
    "/profiel",
  ])("%s is not kept", (path) => {
    expect(offlineReadingKind(path)).toBeNull();
  });
});

describe("pagePathOfDataRequest", () => {
  it("maps a single-fetch data request to its page", () => {
    expect(pagePathOfDataRequest("/circulaires/2026/12.data")).toBe("/circulaires/2026/12");
    expect(pagePathOfDataRequest("/d/AbC-12_x.data")).toBe("/d/AbC-12_x");
    expect(pagePathOfDataRequest("/_root.data")).toBe("/");
  });

  it("ignores everything else", () => {
    expect(pagePathOfDataRequest("/circulaires/2026/12")).toBeNull();
    expect(pagePathOfDataRequest("/.data")).toBeNull();
    expect(pagePathOfDataRequest("/build/data")).toBeNull();
  });
});

const page = (
  headers: Record<string, string>,
  overrides: Partial<Parameters<typeof isOfflineReadable>[0]> = {},
) => ({
  ok: true,
  status: 200,
  type: "basic",
  redirected: false,
  headers: new Headers({ "Content-Type": "text/html; charset=utf-8", ...headers }),
  ...overrides,
});

describe("isOfflineReadable", () => {
  it("keeps an HTML page marked private, no-cache (the opt-in) or without Cache-Control", () => {
    expect(isOfflineReadable(page(offlineReadingHeaders()))).toBe(true);
    expect(OFFLINE_READING_CACHE_CONTROL).not.toMatch(/no-store/);
    expect(isOfflineReadable(page({}))).toBe(true);
  });

  it("never keeps no-store (the default of every page, kiosk pages included)", () => {
    expect(isOfflineReadable(page({ "Cache-Control": "private, no-store" }))).toBe(false);
    expect(isOfflineReadable(page({ "Cache-Control": "NO-STORE" }))).toBe(false);
  });

  it("never keeps an error, a redirect, another origin or something that is not HTML", () => {
    expect(isOfflineReadable(page(offlineReadingHeaders(), { ok: false, status: 404 }))).toBe(false);
    expect(isOfflineReadable(page(offlineReadingHeaders(), { status: 203 }))).toBe(false);
    expect(isOfflineReadable(page(offlineReadingHeaders(), { redirected: true }))).toBe(false);
    expect(
      isOfflineReadable(page(offlineReadingHeaders(), { type: "opaqueredirect", ok: false, status: 0 })),
    ).toBe(false);
    expect(isOfflineReadable(page(offlineReadingHeaders(), { type: "cors" }))).toBe(false);
    expect(isOfflineReadable(page({ ...offlineReadingHeaders(), "Content-Type": "application/json" }))).toBe(
      false,
    );
  });

  it("drops a kept copy when access is gone, the link expired or the page was removed", () => {
    for (const status of [401, 403, 404, 410]) expect(invalidatesOfflineCopy(status)).toBe(true);
    for (const status of [200, 302, 500, 503]) expect(invalidatesOfflineCopy(status)).toBe(false);
  });
});

describe("titleFromHtml", () => {
  it("reads the title without the Werkplek suffix and decodes entities", () => {
    expect(titleFromHtml("<html><head><title>2026/012 Verlof &amp; ziekte · Werkplek</title>")).toBe(
      "2026/012 Verlof & ziekte",
    );
    expect(titleFromHtml("<title>Dagoverzicht &#233;&#xe9;n – Werkplek</title>")).toBe("Dagoverzicht één");
    expect(titleFromHtml("<title>\n  Zonder   achtervoegsel </title>")).toBe("Zonder achtervoegsel");
  });

  it("returns null without a title", () => {
    expect(titleFromHtml("<html><body>geen titel</body></html>")).toBeNull();
    expect(titleFromHtml("<title> · Werkplek</title>")).toBeNull();
  });
});

describe("escapeHtml", () => {
  it("escapes what could break out of text or an attribute", () => {
    expect(escapeHtml(`<img src=x onerror="alert('x')">&`)).toBe(
      "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;",
    );
  });
});

describe("the index of kept pages", () => {
  const entry = (path: string, savedAt: number): OfflineReadingEntry => ({
    path,
    kind: offlineReadingKind(path)!,
    title: path,
    savedAt,
  });

  it("puts the newest first and replaces an earlier copy of the same page", () => {
    const first = addToIndex([], entry("/d/a", 1));
    const second = addToIndex(first.index, entry("/circulaires/2026/1", 2));
    const again = addToIndex(second.index, entry("/d/a", 3));
    expect(again.index.map((e) => [e.path, e.savedAt])).toEqual([
      ["/d/a", 3],
      ["/circulaires/2026/1", 2],
    ]);
    expect(again.evicted).toEqual([]);
  });

  it("keeps the last N of each kind and evicts the oldest of that kind only", () => {
    let index: OfflineReadingEntry[] = [entry("/d/old", 0)];
    for (let n = 1; n <= 4; n += 1) index = addToIndex(index, entry(`/circulaires/2026/${n}`, n), 3).index;
    const result = addToIndex(index, entry("/circulaires/2026/5", 5), 3);
    expect(result.index.map((e) => e.path)).toEqual([
      "/circulaires/2026/5",
      "/circulaires/2026/4",
      "/circulaires/2026/3",
      "/d/old",
    ]);
    expect(result.evicted.map((e) => e.path)).toEqual(["/circulaires/2026/2"]);
  });

  it("drops malformed or foreign entries of a stored index", () => {
    expect(parseIndex("nonsense")).toEqual([]);
    expect(
      parseIndex([
        entry("/d/a", 1),
        { path: "/profiel", kind: "digest", title: "x", savedAt: 1 },
        { path: "/d/b", kind: "circular", title: "x", savedAt: 1 },
        { path: "/d/c", kind: "digest", title: 5, savedAt: 1 },
        null,
      ]),
    ).toEqual([entry("/d/a", 1)]);
  });
});

describe("the worker's push payload reading agrees with parsePushPayload", () => {
  const urls = [
    "/",
    "/d/AbC-12_x",
    "/circulaires/2025/012?tab=versies#v2",
    "/zoeken?q=%C3%A9%C3%A9n",
    "https://evil.example/d/1",
    "http://werkplek.gent.be/d/1",
    "//evil.example/d/1",
    "/\\evil.example/d/1",
    "javascript:alert(1)",
    "data:text/html,hi",
    "d/relative",
    "",
    "/met spatie",
    '/quote"break',
    "/line\nbreak",
    "/" + "a".repeat(2047),
    "/" + "a".repeat(2048),
    "/%",
    "/..//evil",
  ];

  it.each(urls)("isInAppUrl(%j) matches isInAppPath", (url) => {
    expect(isInAppUrl(url)).toBe(isInAppPath(url));
  });

  const valid = { title: "Dagoverzicht", body: "Twee nieuwe circulaires", url: "/d/abc", urgency: "normal" };
  const cases: unknown[] = [
    valid,
    { ...valid, tag: "digest:2026-03-01" },
    { ...valid, tag: "met spatie" },
    { ...valid, tag: "" },
    { ...valid, tag: 5 },
    { ...valid, title: "" },
    { ...valid, title: "x".repeat(120) },
    { ...valid, title: "x".repeat(121) },
    { ...valid, title: 7 },
    { ...valid, body: "" },
    { ...valid, body: null },
    { ...valid, url: "https://evil.example/" },
    { ...valid, urgency: "urgent" },
    ...PUSH_URGENCIES.map((urgency) => ({ ...valid, urgency })),
    { ...valid, extra: "dropped" },
    { title: "Zonder url", body: "x", urgency: "low" },
    [valid],
    "string",
    null,
    42,
  ];

  it.each(cases.map((value) => [JSON.stringify(value)]))("reads %s the same way", (json) => {
    expect(readNotificationPayload(json)).toEqual(parsePushPayload(json));
  });

  it("reads what buildPushPayload sends, and refuses what is not JSON", () => {
    const built = buildPushPayload({
      title: "Nieuwe circulaire",
      body: "Één ogenblik: de coördinator meldt iets.",
      url: "/d/token-1",
      tag: "digest-1",
      urgency: "high",
    });
    expect(readNotificationPayload(built.json)).toEqual(built.payload);
    expect(readNotificationPayload("{not json")).toBeNull();
    expect(readNotificationPayload("")).toBeNull();
  });
});
