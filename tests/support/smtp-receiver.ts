/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, a free port): it receives what the e-mail
 * transport sends, parses each message with mailparser, and can be told to refuse the next RCPT TO or DATA
 * with a chosen reply code, so the transport's error mapping is tested against the protocol, not a mock.
 * Also: a TCP server that accepts and never greets (timeouts) and a port where nobody listens.
 */
import net from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedEmail = {
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
};

export type SmtpStage = "rcpt" | "data";

export type SmtpReceiver = {
  /** smtp://127.0.0.1:<port>, with credentials when the receiver requires a login. */
  url: string;
  port: number;
  messages: ReceivedEmail[];
  /** The next command at `stage` is answered with `code` (4xx or 5xx) instead of being accepted. */
  failNext(stage: SmtpStage, code: number, message?: string): void;
  close(): Promise<void>;
};

type Failure = { code: number; message: string };

function smtpError(failure: Failure): Error {
  return Object.assign(new Error(failure.message), { responseCode: failure.code });
}

/** Starts the receiver; with `auth`, only that user and password may send. */
export async function startSmtpReceiver(
  options: { auth?: { user: string; pass: string } } = {},
): Promise<SmtpReceiver> {
  const messages: ReceivedEmail[] = [];
  const failures: Record<SmtpStage, Failure[]> = { rcpt: [], data: [] };
  const auth = options.auth;

  const server = new SMTPServer({
    // No STARTTLS: the self-signed default certificate would make the client refuse the upgrade.
    disabledCommands: auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.pass) {
        callback(null, { user: credentials.username });
      } else {
        callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
      }
    },
    onRcptTo(_address, _session, callback) {
      const failure = failures.rcpt.shift();
      callback(failure ? smtpError(failure) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        // The body must be read to the end before answering, also when the answer is a refusal.
        const failure = failures.data.shift();
        if (failure) {
          callback(smtpError(failure));
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw).then(
          (parsed) => {
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
            messages.push({
              envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) },
              raw,
              parsed,
            });
            callback(null);
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("SMTP receiver has no TCP address");
  const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : "";

  return {
    url: `smtp://${credentials}127.0.0.1:${address.port}`,
    port: address.port,
    messages,
    failNext(stage, code, message = code >= 500 ? "Refused for good" : "Try again later") {
      failures[stage].push({ code, message });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server that accepts connections and says nothing: an SMTP server that never greets. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("silent server has no TCP address");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that was free a moment ago and has no listener now: connections are refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}
