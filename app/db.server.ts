/** The Prisma client of this process, created on first use from DATABASE_URL (set by the server at start-up). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

const globalKey = Symbol.for("werkplek.prisma");
type Holder = { [globalKey]?: { url: string; client: PrismaClient } };

function create(url: string) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
}

/**
 * Returns the shared client. It lives on globalThis because the Express server and the Remix build
 * are two bundles that would otherwise each open their own pool.
 */
export function getPrisma(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the server sets it before handling requests");
  const holder = globalThis as Holder;
  const current = holder[globalKey];
  if (current && current.url === url) return current.client;
  if (current) void current.client.$disconnect();
  const client = create(url);
  holder[globalKey] = { url, client };
  return client;
}

/** Closes the shared client (graceful shutdown and tests). */
export async function disconnectPrisma() {
  const holder = globalThis as Holder;
  const current = holder[globalKey];
  holder[globalKey] = undefined;
  await current?.client.$disconnect();
}

/** Lazily resolved client: `prisma.user.findMany()` works without calling getPrisma() everywhere. */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getPrisma();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
