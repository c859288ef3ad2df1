/**
 * Live events: what writers publish (through PostgreSQL NOTIFY, so every web instance hears it) and what a
 * browser receives over Server-Sent Events. Payloads carry ids only, never content: a NOTIFY is visible to
 * every connection that listens, and a browser fetches content through the policy-checked loaders.
 *
 * Pure module (no database), shared by the server and the browser code that listens on /live.
 */
import { z } from "zod";

/** The NOTIFY channel all instances listen on. */
export const LIVE_CHANNEL = "werkplek_live";

const Id = z.string().min(1).max(64);

/** What a writer publishes inside its transaction. */
export const LiveEventSchema = z.discriminatedUnion("type", [
  /** A post was written (a post, an announcement or a share); who may hear it is decided per listener. */
  z.object({ type: z.literal("post.created"), postId: Id }),
  /** A notification row was created for one person; only that person hears it. */
  z.object({ type: z.literal("notification.created"), userId: Id, notificationId: Id }),
]);
export type LiveEvent = z.infer<typeof LiveEventSchema>;
export type LiveEventType = LiveEvent["type"];

/** What a browser receives, per event type (the `event:` name and the JSON in `data:`). */
export type ClientEventMap = {
  "post.created": {
    postId: string;
    authorId: string;
    placeId: string | null;
    kind: "post" | "announcement";
  };
  "notification.created": { notificationId: string };
};
export type ClientEvent = {
  [Type in keyof ClientEventMap]: { type: Type; data: ClientEventMap[Type] };
}[keyof ClientEventMap];

/** The path of the Server-Sent Events endpoint (app/routes/live.tsx). */
export const LIVE_PATH = "/live";

/** One Server-Sent Events message. JSON never contains a raw newline, so `data:` stays one line. */
export function formatSseEvent(event: ClientEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies and load balancers from closing an idle stream. */
export function formatSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, " ")}\n\n`;
}
