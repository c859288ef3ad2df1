// Prisma CLI configuration: the JS engine and the pg driver adapter, so that no native
// engine has to be downloaded (see ../shared/ENVIRONMENT.md and docs/decisions/0002).
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is required for Prisma CLI commands that connect");
    return new PrismaPg({ connectionString });
  },
});
