/** The Express application: middleware order matters (headers, logs, static files, auth, then Remix). */
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import { type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { type Logger } from "pino";
import { prisma } from "../app/db.server";
import { type Env } from "../app/env.server";
import { consumeRateLimit, RATE_LIMITS } from "../app/utils/rate-limit.server";
import { entraRouter, type EntraOptions } from "./auth/entra";
import { pendingMigrations } from "./db/migrate";
import { requestLogger } from "./logger";
import { loginRateLimit } from "./rate-limit";
import { csrfCookie, cspNonce, sameOriginMutations, securityHeaders } from "./security";
import { smsWebhooksRouter } from "./webhooks";

export type AppOptions = {
  env: Env;
  logger: Logger;
  /** The Remix server build; tests of the HTTP layer alone may leave it out. */
  build?: ServerBuild;
  entra?: EntraOptions;
  publicDir?: string;
};

/** Whether the database answers and every migration on disk has been applied. */
export async function readiness(): Promise<{ ok: boolean; pending: string[]; error?: string }> {
  try {
    const rows = await prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const pending = await pendingMigrations(rows.map((row) => row.migration_name));
    return { ok: pending.length === 0, pending };
  } catch (error) {
    return { ok: false, pending: [], error: (error as Error).message };
  }
}

/** Builds the Express app. */
export function createApp(options: AppOptions): express.Express {
  const { env, logger } = options;
  const publicDir = options.publicDir ?? path.resolve("public");
  const app = express();
  app.disable("x-powered-by");
  if (env.TRUST_PROXY) app.set("trust proxy", env.TRUST_PROXY === "true" ? true : env.TRUST_PROXY);

  app.use(cspNonce());
  app.use(securityHeaders(env, publicDir));
  // Server-Sent Events (/live) must reach the browser as they are written; compression would buffer them.
  // The stream also sends Cache-Control: no-transform, which compression honours; this keeps it explicit.
  app.use(
    compression({
      filter: (req, res) =>
        !String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream") &&
        compression.filter(req, res),
    }),
  );

  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const result = await readiness();
    if (result.error) logger.warn({ err: result.error }, "readiness check failed");
    res
      .status(result.ok ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({ status: result.ok ? "ready" : "not ready", pendingMigrations: result.pending });
  });

  // Fingerprinted build output never changes; everything else is revalidated regularly.
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y" }));
  app.get("/sw.js", (_req, res, next) => {
    res.set("Cache-Control", "no-cache");
    res.sendFile(path.join(publicDir, "sw.js"), (error) => error && next());
  });
  app.use(express.static(publicDir, { maxAge: "1h", index: false }));

  app.use(requestLogger(logger));
  // Provider receipts authenticate by signature, not by origin or CSRF token, and need their raw body:
  // mounted before those checks, with body parsing on this path only (Remix reads every other body).
  app.use("/webhooks/sms", smsWebhooksRouter({ env, logger }));
  app.use(sameOriginMutations(env));
  app.use(csrfCookie());

  const limitLogins = loginRateLimit({ ...RATE_LIMITS.loginPerIp, limit: env.LOGIN_RATE_LIMIT }, logger);
  app.get("/auth/entra", limitLogins);
  app.post("/inloggen", limitLogins);
  if (env.entra) app.use("/auth/entra", entraRouter(env, logger, options.entra));
  // Field-worker sign-in: both steps (employee number, code) share one budget per client IP; the page
  // explains the wait (`wacht`, seconds). Limits per employee number live in the route's module.
  const fieldSignInRule = RATE_LIMITS.fieldSignInPerIp;
  app.post("/inloggen/code", (req, res, next) => {
    consumeRateLimit(fieldSignInRule, req.ip ?? "unknown")
      .then((result) => {
        if (result.allowed) return next();
        logger.warn({ rule: fieldSignInRule.name }, "field sign-in rate limit reached");
        res.set("Retry-After", String(result.retryAfterSeconds));
        res.redirect(303, `/inloggen/code?fout=teVeel&wacht=${result.retryAfterSeconds}`);
      })
      .catch(next);
  });

  if (options.build) {
    app.all(
      "*",
      createRequestHandler({
        build: options.build,
        mode: env.NODE_ENV,
        getLoadContext: (_req, res) => ({
          cspNonce: res.locals.cspNonce as string,
          csrfToken: res.locals.csrfToken as string,
        }),
      }),
    );
  }
  return app;
}
