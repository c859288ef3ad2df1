/**
 * Several connections querying the embedded PostgreSQL at the same moment, with parameterised queries
 * (the extended protocol, as Prisma and pg send them): every answer must belong to its own question.
 * Without server/db/socket-queue.ts the transaction case fails with "portal \"\" does not exist" (and the
 * app with "bind message supplies N parameters ...").
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded";

let embedded: EmbeddedPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ port: 0 });
  pool = new pg.Pool({ connectionString: embedded.url, max: 6 });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await embedded?.stop();
});

describe("the embedded PostgreSQL under concurrent connections", () => {
  it("keeps each connection's extended-query batches together", async () => {
    const work = Array.from({ length: 120 }, (_, index) =>
      index % 2 === 0
        ? pool
            .query<{ n: number }>("SELECT $1::int + $2::int + $3::int AS n", [index, 1, 2])
            .then((result) => expect(result.rows[0]?.n).toBe(index + 3))
        : pool
            .query<{ s: string }>("SELECT $1::text || '-x' AS s", [`q${index}`])
            .then((result) => expect(result.rows[0]?.s).toBe(`q${index}-x`)),
    );
    await Promise.all(work);
  });

  it("keeps serving other connections after one connection's query fails", async () => {
    await expect(pool.query("SELECT $1::int AS n", ["not a number"])).rejects.toThrow();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => pool.query<{ n: number }>("SELECT $1::int AS n", [index])),
    );
    expect(results.map((result) => result.rows[0]?.n)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it("keeps a transaction's statements on their connection while others query", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("CREATE TEMP TABLE t (n int) ON COMMIT DROP");
      const others = Promise.all(
        Array.from({ length: 10 }, (_, index) => pool.query<{ n: number }>("SELECT $1::int AS n", [index])),
      );
      await client.query("INSERT INTO t VALUES ($1), ($2)", [1, 2]);
      const sum = await client.query<{ s: number }>("SELECT sum(n)::int AS s FROM t");
      await client.query("COMMIT");
      expect(sum.rows[0]?.s).toBe(3);
      expect((await others).map((result) => result.rows[0]?.n)).toEqual(
        Array.from({ length: 10 }, (_, i) => i),
      );
    } finally {
      client.release();
    }
  });
});
