/**
 * `npm run db:seed`: seeds the demo organisation (idempotent) into DATABASE_URL or the embedded
 * database, applying pending migrations first so it works on a brand-new database too.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client";
import { getEnv } from "../app/env.server";
import { seed } from "../prisma/seed";
import { withCliDatabase } from "../server/db/cli-database";
import { migrate } from "../server/db/migrate";

await withCliDatabase(getEnv(), async (url) => {
  await migrate(url);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  try {
    const counts = await seed(prisma);
    console.log(
      `Seeded ${counts.departments} departments and services, ${counts.users} users ` +
        `and ${counts.circulars} circulars.`,
    );
  } finally {
    await prisma.$disconnect();
  }
});
