/**
 * The push control's pure helpers, and its server rendering: what a browser without JavaScript shows.
 */
import { createInstance } from "i18next";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { generateVapidKeys } from "~/modules/channels/push.server";
import { i18nConfig } from "~/i18n/config";
import {
  isAppleMobile,
  pushSupport,
  sameKey,
  urlBase64ToUint8Array,
  type PushEnvironment,
} from "./push-support";

vi.mock("@remix-run/react", () => ({ useRouteLoaderData: () => ({ csrfToken: "token-123" }) }));

const { PushSubscribeControl } = await import("./push-subscribe");

const i18n = createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng: "nl" });
});

describe("urlBase64ToUint8Array", () => {
  it("decodes a VAPID public key to its 65 bytes", () => {
    const { publicKey } = generateVapidKeys();
    const bytes = urlBase64ToUint8Array(publicKey);
    expect(bytes).toHaveLength(65);
    expect(Buffer.from(bytes).equals(Buffer.from(publicKey, "base64url"))).toBe(true);
    expect(bytes[0]).toBe(0x04);
  });

  it("accepts padding and the - and _ characters", () => {
    expect([...urlBase64ToUint8Array("-_8=")]).toEqual([0xfb, 0xff]);
    expect([...urlBase64ToUint8Array("")]).toEqual([]);
  });

  it("refuses what is not base64url", () => {
    expect(() => urlBase64ToUint8Array("ab+c")).toThrow(TypeError);
    expect(() => urlBase64ToUint8Array("a b")).toThrow(TypeError);
    expect(() => urlBase64ToUint8Array("abcde")).toThrow(TypeError);
  });
});

describe("sameKey", () => {
  it("compares an ArrayBuffer or bytes with the expected key", () => {
    const key = urlBase64ToUint8Array(generateVapidKeys().publicKey);
    expect(sameKey(key.slice().buffer, key)).toBe(true);
    expect(sameKey(key.slice(), key)).toBe(true);
    const other = key.slice();
    other[10] = other[10]! ^ 1;
    expect(sameKey(other, key)).toBe(false);
    expect(sameKey(key.slice(0, 64), key)).toBe(false);
    expect(sameKey(null, key)).toBe(false);
  });
});

describe("pushSupport", () => {
  const android: PushEnvironment = {
    hasServiceWorker: true,
    hasPushManager: true,
    hasNotification: true,
    userAgent: "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
    maxTouchPoints: 5,
    standalone: false,
  };
  const iphone = {
    ...android,
    userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4",
  };
  const ipad = {
    ...android,
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.4 Safari",
  };

  it("supports a browser with service worker, PushManager and Notification", () => {
    expect(pushSupport(android)).toBe("supported");
  });

  it("says what is missing otherwise", () => {
    expect(pushSupport({ ...android, hasPushManager: false })).toBe("unsupported");
    expect(pushSupport({ ...android, hasNotification: false })).toBe("unsupported");
    expect(pushSupport({ ...android, hasServiceWorker: false })).toBe("unsupported");
  });

  it("asks iPhone and iPad users to add the app to the home screen first", () => {
    expect(pushSupport(iphone)).toBe("install-first");
    // Safari in the browser tab has no PushManager at all on iOS: the advice is the same.
    expect(pushSupport({ ...iphone, hasPushManager: false })).toBe("install-first");
    expect(pushSupport(ipad)).toBe("install-first");
    expect(pushSupport({ ...iphone, standalone: true })).toBe("supported");
  });

  it("tells an iPad (which says it is a Mac) from a Mac by its touch screen", () => {
    expect(isAppleMobile(ipad)).toBe(true);
    expect(isAppleMobile({ ...ipad, maxTouchPoints: 0 })).toBe(false);
    expect(pushSupport({ ...ipad, maxTouchPoints: 0 })).toBe("supported");
  });
});

describe("PushSubscribeControl on the server", () => {
  it("explains where push works, with a live region and no button (nothing works without JavaScript)", () => {
    const html = renderToString(
      <I18nextProvider i18n={i18n}>
        <PushSubscribeControl vapidPublicKey={generateVapidKeys().publicKey} />
      </I18nextProvider>,
    );
    expect(html).toContain('data-push-state="unknown"');
    expect(html).toContain("geïnstalleerde Werkplek-app");
    expect(html).toContain("beginscherm");
    expect(html).toContain('role="status"');
    expect(html).not.toContain("<button");
  });
});
