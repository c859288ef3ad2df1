/**
 * Delivery receipts from the SMS providers: POST /webhooks/sms/twilio (form-encoded status callbacks) and
 * POST /webhooks/sms/http (the generic gateway's signed JSON). Mounted in server/app.ts before the
 * same-origin and CSRF checks (a provider is no browser and has no CSRF token); the signature is what
 * authenticates these requests, checked over exactly the bytes that arrived (receipts.server.ts).
 *
 * Answers: 204 once handled, also for a message we do not know (so the endpoint is no oracle for which
 * message ids exist); 403 for a missing or wrong signature, logged without the body; 400 for a receipt
 * that is signed but unreadable. A receipt only moves a delivery forward: delivered is never turned back
 * into sent, and opened/clicked (the person read the digest) stay.
 */
import express, { type Request } from "express";
import { type Logger } from "pino";
import { prisma } from "../app/db.server";
import { type Env } from "../app/env.server";
import { type DeliveryStatus, type Prisma } from "../app/generated/prisma/client";
import {
  type DeliveryReceipt,
  parseGatewayReceipt,
  parseTwilioReceipt,
  ReceiptError,
  verifyHttpGatewaySignature,
  verifyTwilioSignature,
} from "../app/modules/channels/receipts.server";

export type WebhookOptions = {
  env: Env;
  logger: Logger;
  /** The clock for the gateway's replay window (tests). */
  now?: () => Date;
};

/** Receipts are a few hundred bytes; anything much larger is not a receipt. */
const BODY_LIMIT = "16kb";

/** From which statuses a receipt may move a delivery to its status. */
const FORWARD_FROM: Record<DeliveryReceipt["status"], DeliveryStatus[]> = {
  // "sent" only confirms what we record ourselves; it matters when the receipt beats our own update.
  sent: ["sending"],
  // A late "delivered" corrects a failure we presumed (a timeout that did reach the phone).
  delivered: ["sending", "sent", "failed"],
  failed: ["sending", "sent"],
};

/**
 * Applies a verified receipt to the SMS delivery it belongs to (by the provider's message id, or by our
 * reference when the receipt arrived before the send was recorded). Returns whether a row changed.
 */
export async function applyReceipt(receipt: DeliveryReceipt): Promise<boolean> {
  const match: Prisma.DigestDeliveryWhereInput[] = [{ providerMessageId: receipt.providerMessageId }];
  if (receipt.reference) {
    match.push({
      idempotencyKey: receipt.reference,
      OR: [{ providerMessageId: null }, { providerMessageId: receipt.providerMessageId }],
    });
  }
  const delivery = await prisma.digestDelivery.findFirst({
    where: { channel: "sms", OR: match },
    select: { id: true },
  });
  if (!delivery) return false;
  const data: Prisma.DigestDeliveryUpdateManyMutationInput =
    receipt.status === "delivered"
      ? { status: "delivered", deliveredAt: receipt.at, lastError: null }
      : receipt.status === "failed"
        ? {
            status: "failed",
            failedAt: receipt.at,
            lastError: `provider receipt: failed${receipt.errorCode ? ` (provider code ${receipt.errorCode})` : ""}`,
          }
        : { status: "sent", sentAt: receipt.at };
  const updated = await prisma.digestDelivery.updateMany({
    where: { id: delivery.id, status: { in: FORWARD_FROM[receipt.status] } },
    data: { ...data, providerMessageId: receipt.providerMessageId },
  });
  return updated.count > 0;
}

/** Form fields as single strings; null when a field is repeated (no provider sends that). */
function singleValues(body: unknown): Record<string, string> | null {
  if (typeof body !== "object" || body === null || Buffer.isBuffer(body)) return {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value !== "string") return null;
    result[key] = value;
  }
  return result;
}

function rawBody(request: Request): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** The router for /webhooks/sms; mount it before sameOriginMutations and csrfCookie. */
export function smsWebhooksRouter(options: WebhookOptions): express.Router {
  const { env } = options;
  const logger = options.logger.child({ component: "sms-webhooks" });
  const now = options.now ?? (() => new Date());
  const router = express.Router();

  router.post(
    "/twilio",
    express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }),
    async (req, res, next) => {
      try {
        const params = singleValues(req.body);
        // Twilio signs the URL it called: the public one we gave it (APP_URL), with our ?ref= query.
        const url = `${env.APP_URL}${req.originalUrl}`;
        const signature = req.get("x-twilio-signature");
        if (
          !params ||
          !verifyTwilioSignature({ authToken: env.TWILIO_AUTH_TOKEN ?? "", url, params, signature })
        ) {
          logger.warn(
            { provider: "twilio", signed: Boolean(signature) },
            "SMS receipt refused: bad signature",
          );
          res.status(403).type("text/plain").send("Invalid signature");
          return;
        }
        const receipt = parseTwilioReceipt(params, { receivedAt: now(), url });
        if (receipt) await record(receipt, "twilio");
        res.status(204).end();
      } catch (error) {
        handleError(error, "twilio", res, next);
      }
    },
  );

  router.post("/http", express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res, next) => {
    try {
      const body = rawBody(req);
      const valid = verifyHttpGatewaySignature({
        secret: env.SMS_GATEWAY_WEBHOOK_SECRET ?? "",
        rawBody: body,
        signature: req.get("x-gateway-signature"),
        timestamp: req.get("x-gateway-timestamp"),
        now: now(),
      });
      if (!valid) {
        logger.warn(
          { provider: "http", signed: Boolean(req.get("x-gateway-signature")) },
          "SMS receipt refused: bad signature or timestamp",
        );
        res.status(403).type("text/plain").send("Invalid signature");
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch (error) {
        throw new ReceiptError("SMS gateway receipt is not JSON", { cause: error });
      }
      await record(parseGatewayReceipt(json), "http");
      res.status(204).end();
    } catch (error) {
      handleError(error, "http", res, next);
    }
  });

  async function record(receipt: DeliveryReceipt, provider: "twilio" | "http") {
    const changed = await applyReceipt(receipt);
    logger.info({ provider, status: receipt.status, changed }, "SMS receipt");
  }

  function handleError(
    error: unknown,
    provider: "twilio" | "http",
    res: express.Response,
    next: express.NextFunction,
  ) {
    if (error instanceof ReceiptError) {
      // Signed by the provider but not understood: say so (the provider may retry), without the body.
      logger.warn({ provider, reason: error.message }, "SMS receipt not understood");
      res.status(400).type("text/plain").send("Unreadable receipt");
      return;
    }
    next(error);
  }

  // Body parsers answer too large or malformed bodies with an error; keep those short and logged.
  router.use((error: unknown, _req: Request, res: express.Response, next: express.NextFunction) => {
    const status =
      typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
        ? error.status
        : 500;
    if (status >= 500) return next(error);
    res.status(status).type("text/plain").send("Bad request");
  });

  return router;
}
