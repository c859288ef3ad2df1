/**
 * The live stream over a real HTTP server built by server/app.ts: the compression middleware must pass
 * each event through at once (gzip would hold it back), and a client that disconnects must leave no
 * subscriber behind. The Remix build is replaced by the two steps Remix's Express adapter performs for a
 * resource route: a Request whose signal aborts when the response closes, and the body piped out as it
 * is produced.
 */
import http from "node:http";
import { type AddressInfo } from "node:net";
import { writeReadableStreamToWritable } from "@remix-run/node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { createApp } from "../../../server/app";
import { LiveHub } from "./hub.server";
import { liveStreamResponse } from "./sse.server";

setupTestDatabase();

let server: http.Server;
let url = "";
let hub: LiveHub;
let readerId = "";

beforeAll(async () => {
  hub = new LiveHub({ connectionString: process.env.DATABASE_URL!, mode: "local" });
  await hub.start();
  readerId = (await buildUser()).id;
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = createApp({
    env: parseEnv({ NODE_ENV: "test", APP_URL: url }),
    logger: pino({ level: "silent" }),
  });
  app.get("/live", (req, res) => {
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const response = liveStreamResponse({
      hub,
      reader: { id: readerId, roles: ["employee"], isFieldWorker: false, department: null, placeIds: [] },
      signal: controller.signal,
    });
    res.status(response.status);
    // Without the no-transform header, to show that server/app.ts exempts the type itself.
    for (const [name, value] of response.headers) if (name !== "cache-control") res.setHeader(name, value);
    void writeReadableStreamToWritable(response.body!, res);
  });
  server.on("request", app);
});

afterAll(async () => {
  await hub.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("the live stream over HTTP", () => {
  it("is not compressed, delivers each event at once, and unsubscribes when the client disconnects", async () => {
    const received: string[] = [];
    const { response, request } = await new Promise<{
      response: http.IncomingMessage;
      request: http.ClientRequest;
    }>((resolve, reject) => {
      const request = http.get(`${url}/live`, { headers: { "Accept-Encoding": "gzip, br" } }, (response) =>
        resolve({ response, request }),
      );
      request.on("error", reject);
    });
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => received.push(chunk));
    response.on("error", () => undefined);
    expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(response.headers["content-encoding"]).toBeUndefined();

    const waitFor = async (text: string) => {
      const deadline = Date.now() + 5_000;
      while (!received.join("").includes(text)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; got ${received.join("")}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await waitFor(": connected");
    expect(hub.subscriberCount(readerId)).toBe(1);
    await hub.dispatch({ type: "notification.created", userId: readerId, notificationId: "n-1" });
    await waitFor('event: notification.created\ndata: {"notificationId":"n-1"}\n\n');

    request.destroy();
    const deadline = Date.now() + 5_000;
    while (hub.subscriberCount(readerId) > 0) {
      if (Date.now() > deadline) throw new Error("the subscriber was not removed after the client left");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(hub.subscriberCount()).toBe(0);
  });
});
