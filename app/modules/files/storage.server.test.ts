import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiskStorage, StorageKeyNotFound, storageKeyFor } from "./storage.server";

let root: string;
let storage: LocalDiskStorage;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "werkplek-storage-"));
  storage = new LocalDiskStorage(root);
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe("local disk storage", () => {
  it("stores bytes under their content address and streams them back", async () => {
    const stored = await storage.put(new TextEncoder().encode("omzendbrief"));
    expect(stored.size).toBe(11);
    expect(stored.key).toBe(storageKeyFor(stored.sha256));
    expect(stored.key).toMatch(/^sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(await text(await storage.get(stored.key))).toBe("omzendbrief");
    expect((await storage.read(stored.key)).toString()).toBe("omzendbrief");
  });

  it("accepts a stream, and the same content twice is one file", async () => {
    const first = await storage.put(Readable.from([Buffer.from("a"), Buffer.from("b")]));
    const second = await storage.put(Buffer.from("ab"));
    expect(second.key).toBe(first.key);
    const tmp = await fs.readdir(path.join(root, "tmp"));
    expect(tmp).toEqual([]);
  });

  it("deletes, and reports a missing key as StorageKeyNotFound", async () => {
    const stored = await storage.put(Buffer.from("weg"));
    await storage.delete(stored.key);
    expect(await storage.exists(stored.key)).toBe(false);
    await expect(storage.get(stored.key)).rejects.toBeInstanceOf(StorageKeyNotFound);
    await expect(storage.read(stored.key)).rejects.toBeInstanceOf(StorageKeyNotFound);
    await storage.delete(stored.key);
  });

  it("refuses keys it did not make, so no path can be smuggled in", async () => {
    for (const key of [
      "../../etc/passwd",
      "sha256/ab/cd/../../x",
      `sha256/00/00/${"a".repeat(64)}`,
      "/abs",
    ]) {
      await expect(storage.get(key)).rejects.toThrow(/Invalid storage key/);
    }
  });
});
