/** Structured logs (pino). Request logs carry method, path, status and duration: no query strings, IPs or cookies. */
import { pino, type Logger } from "pino";
import { pinoHttp } from "pino-http";

/** Creates the process logger. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "werkplek" }, redact: ["req.headers", "res.headers"] });
}

/** Express middleware writing one line per request without personal data. */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    // Health probes run every few seconds; logging them drowns the rest.
    autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split("?")[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
  });
}
