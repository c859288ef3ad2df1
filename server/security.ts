/** HTTP hardening: CSP with a per-request nonce, HSTS, framing and referrer rules, and CSRF layer one. */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type express from "express";
import helmet from "helmet";
import { type Env } from "../app/env.server";
import {
  createCsrfToken,
  csrfTokenFromCookieHeader,
  isWellFormedCsrfToken,
  serializeCsrfCookie,
} from "../app/modules/identity/csrf.server";

type Locals = { cspNonce: string; csrfToken: string };

/** Gives every response a fresh nonce for its inline scripts (Remix's hydration data). */
export function cspNonce(): express.RequestHandler {
  return (_req, res, next) => {
    (res.locals as Locals).cspNonce = randomBytes(16).toString("base64");
    next();
  };
}

/** CSP hashes of the inline `<style>` blocks of static pages (the offline page has no external CSS on purpose). */
export function inlineStyleHashes(publicDir: string): string[] {
  const html = fs.readFileSync(path.join(publicDir, "offline.html"), "utf8");
  return [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (match) => `'sha256-${createHash("sha256").update(match[1]!).digest("base64")}'`,
  );
}

/** Security headers; the CSP allows only this origin plus the nonce, and nobody may frame the intranet. */
export function securityHeaders(env: Env, publicDir: string): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
        styleSrc: ["'self'", ...inlineStyleHashes(publicDir)],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(env.isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: env.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    frameguard: { action: "deny" },
    crossOriginEmbedderPolicy: false,
  });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF layer one: a state-changing request must come from our own pages. Browsers send Origin (or at
 * least Sec-Fetch-Site) on every cross-site POST, so a foreign page is refused before any handler runs.
 */
export function sameOriginMutations(env: Env): express.RequestHandler {
  const allowed = new URL(env.APP_URL).origin;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    const site = req.get("sec-fetch-site");
    const hostOrigin = `${req.protocol}://${req.get("host")}`;
    const originOk = origin
      ? origin === allowed || origin === hostOrigin
      : site !== "cross-site" && site !== "same-site";
    if (originOk) return next();
    res.status(403).type("text/plain").send("Cross-origin request refused");
  };
}

/** Makes sure the browser has a CSRF cookie and passes its token on to Remix (forms embed it). */
export function csrfCookie(): express.RequestHandler {
  return (req, res, next) => {
    let token = csrfTokenFromCookieHeader(req.get("cookie") ?? null);
    if (!isWellFormedCsrfToken(token)) {
      token = createCsrfToken();
      res.append("Set-Cookie", serializeCsrfCookie(token));
    }
    (res.locals as Locals).csrfToken = token;
    next();
  };
}
