/** Express guards built on the shared PostgreSQL rate limiter. */
import type express from "express";
import { type Logger } from "pino";
import { consumeRateLimit, type RateLimitRule } from "../app/utils/rate-limit.server";

/** Limits sign-in attempts per client IP; over the limit the person is sent back to the login page. */
export function loginRateLimit(rule: RateLimitRule, logger: Logger): express.RequestHandler {
  return (req, res, next) => {
    consumeRateLimit(rule, req.ip ?? "unknown")
      .then((result) => {
        if (result.allowed) return next();
        logger.warn({ rule: rule.name }, "sign-in rate limit reached");
        res.set("Retry-After", String(result.retryAfterSeconds));
        res.redirect(303, "/inloggen?fout=rateLimited");
      })
      .catch(next);
  };
}
