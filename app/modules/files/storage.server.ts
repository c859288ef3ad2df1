/**
 * Where uploaded files live. A small interface (put / get as a stream / delete) so an S3-compatible
 * store can replace the local disk later (documents issue) without touching callers.
 *
 * Keys are content addresses (`sha256/ab/cd/<hex>`) computed here, never derived from anything a user
 * sent, so a crafted file name cannot reach another path. The same bytes uploaded twice share one
 * stored file: callers must only delete a key that no row references any more.
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getEnv } from "~/env.server";

export type StoredFile = { key: string; sha256: string; size: number };

/** The operations every storage backend offers. */
export interface FileStorage {
  /** Stores bytes (or a stream of them) and returns their content address. */
  put(source: Uint8Array | Readable): Promise<StoredFile>;
  /** A stream of a stored file; throws StorageKeyNotFound when it does not exist. */
  get(key: string): Promise<Readable>;
  /** The whole file in memory (text extraction, tests); same errors as get. */
  read(key: string): Promise<Buffer>;
  /** Whether a key is stored. */
  exists(key: string): Promise<boolean>;
  /** Removes a stored file; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/** Thrown when a key is not stored (callers answer 404). */
export class StorageKeyNotFound extends Error {
  constructor(key: string) {
    super(`No stored file for key ${key}`);
    this.name = "StorageKeyNotFound";
  }
}

/** The content address of a SHA-256 digest. */
export function storageKeyFor(sha256: string): string {
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** Refuses anything that is not a key this module made (defence in depth against path tricks). */
function checkKey(key: string): string {
  const match = KEY_PATTERN.exec(key);
  if (!match || match[1] !== match[3]!.slice(0, 2) || match[2] !== match[3]!.slice(2, 4)) {
    throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  }
  return key;
}

/** Files on local disk under one root directory. */
export class LocalDiskStorage implements FileStorage {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split("/"));
  }

  async put(source: Uint8Array | Readable): Promise<StoredFile> {
    const tmpDir = path.join(this.root, "tmp");
    await fs.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${Date.now()}-${randomBytes(8).toString("hex")}`);
    const hash = createHash("sha256");
    let size = 0;
    const input = source instanceof Readable ? source : Readable.from([Buffer.from(source)]);
    try {
      await pipeline(
        input,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(tmp, { mode: 0o640 }),
      );
      const sha256 = hash.digest("hex");
      const key = storageKeyFor(sha256);
      const target = this.pathOf(key);
      await fs.mkdir(path.dirname(target), { recursive: true });
      if (await this.exists(key)) await fs.rm(tmp, { force: true });
      // rename is atomic on one file system: readers never see a half-written file.
      else await fs.rename(tmp, target);
      return { key, sha256, size };
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      const handle = await fs.open(file, "r");
      // Opening first turns a missing file into an error here rather than in the middle of a response.
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new StorageKeyNotFound(key);
      throw error;
    }
  }

  async read(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new StorageKeyNotFound(key);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}

/** The configured storage (local disk under FILE_STORAGE_DIR; S3-compatible storage joins later). */
export function getFileStorage(): FileStorage {
  return new LocalDiskStorage(path.resolve(getEnv().fileStorageDir));
}
