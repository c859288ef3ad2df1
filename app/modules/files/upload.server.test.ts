import { describe, expect, it } from "vitest";
import { FileError } from "./errors";
import { parseUploadForm } from "./upload.server";

const BOUNDARY = "----werkplekgrens";

function multipartHead(fields: Record<string, string>, fileName: string, type = "application/pdf") {
  let head = "";
  for (const [name, value] of Object.entries(fields)) {
    head += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`;
  return new TextEncoder().encode(head);
}

const tail = new TextEncoder().encode(`\r\n--${BOUNDARY}--\r\n`);

function request(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request("http://localhost/upload", {
    method: "POST",
    body,
    headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    duplex: "half",
  } as RequestInit);
}

/** A body that produces `total` bytes of file content lazily and counts what was pulled. */
function countingBody(total: number) {
  const head = multipartHead({ csrf: "t" }, "groot.pdf");
  const chunk = new Uint8Array(64 * 1024).fill(0x41);
  let produced = 0;
  let headSent = false;
  const stats = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!headSent) {
        headSent = true;
        stats.pulled += head.byteLength;
        controller.enqueue(head);
        return;
      }
      if (produced >= total) {
        controller.enqueue(tail);
        controller.close();
        return;
      }
      produced += chunk.byteLength;
      stats.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, stats };
}

async function refusal(promise: Promise<unknown>): Promise<FileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileError);
  return error as FileError;
}

describe("multipart uploads", () => {
  it("returns the fields and the file", async () => {
    const body = new Blob([
      multipartHead({ csrf: "token", intent: "upload" }, "nota.pdf"),
      "%PDF-1.4 x",
      tail,
    ]);
    const { fields, file } = await parseUploadForm(request(body), { maxBytes: 1024 });
    expect(fields.get("csrf")).toBe("token");
    expect(fields.get("intent")).toBe("upload");
    expect(file?.fileName).toBe("nota.pdf");
    expect(file?.declaredType).toBe("application/pdf");
    expect(new TextDecoder().decode(file?.bytes)).toBe("%PDF-1.4 x");
  });

  it("refuses an oversized upload by its Content-Length without reading the body", async () => {
    const { stream, stats } = countingBody(50 * 1024 * 1024);
    const error = await refusal(
      parseUploadForm(request(stream, { "Content-Length": String(50 * 1024 * 1024) }), {
        maxBytes: 1024 * 1024,
      }),
    );
    expect(error.code).toBe("too_large");
    // The runtime may buffer the first chunk when the Request is built; no file content is read.
    expect(stats.pulled).toBeLessThan(1024);
  });

  it("stops reading a chunked upload as soon as the file passes the limit", async () => {
    const { stream, stats } = countingBody(50 * 1024 * 1024);
    const error = await refusal(parseUploadForm(request(stream), { maxBytes: 1024 * 1024 }));
    expect(error.code).toBe("too_large");
    expect(error.params.maxMb).toBe(1);
    expect(stats.pulled).toBeLessThan(3 * 1024 * 1024);
  });

  it("refuses a second file, a foreign file field, long fields and non-multipart bodies", async () => {
    const two = new Blob([
      multipartHead({}, "a.pdf"),
      "x",
      `\r\n`,
      multipartHead({}, "b.pdf").slice(0),
      "y",
      tail,
    ]);
    expect((await refusal(parseUploadForm(request(two), { maxBytes: 1024 }))).code).toBe("malformed_upload");
    const long = new Blob([multipartHead({ note: "x".repeat(20_000) }, "a.pdf"), "x", tail]);
    expect((await refusal(parseUploadForm(request(long), { maxBytes: 1024 }))).message).toMatch(
      /note is too long/,
    );
    const plain = new Request("http://localhost/upload", { method: "POST", body: "a=b" });
    expect((await refusal(parseUploadForm(plain, { maxBytes: 1024 }))).code).toBe("malformed_upload");
  });

  it("treats an empty file input as no file", async () => {
    const body = new Blob([multipartHead({ csrf: "t" }, "", "application/octet-stream"), tail]);
    expect((await parseUploadForm(request(body), { maxBytes: 1024 })).file).toBeNull();
  });
});
