import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createUserSession } from "~/modules/identity/session.server";
import { buildPublishedCircular, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { drainSearchIndexQueue } from "../../search/indexer.server";
import { enqueueSearchIndex } from "../../search/queue.server";
import { loader } from "./circulaires._index";

setupTestDatabase();

let employee: string;
let editor: string;

async function load(cookie: string | null, query = "") {
  let result: unknown;
  try {
    result = await loader({
      request: new Request(`http://localhost:3000/circulaires${query}`, {
        headers: cookie ? { Cookie: cookie } : {},
      }),
      params: {},
      context: { cspNonce: "", csrfToken: "" },
    });
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response)
    return { status: result.status, location: result.headers.get("Location"), body: null };
  const wrapped = result as {
    data: Awaited<ReturnType<typeof loader>>["data"];
    init: { status?: number } | null;
  };
  return { status: wrapped.init?.status ?? 200, location: null, body: wrapped.data };
}

beforeAll(async () => {
  const theme = await prisma.theme.create({
    data: { slug: "test-welzijn", nameNl: "Welzijn", nameEn: "Wellbeing" },
  });
  const circular = await buildPublishedCircular({
    themeIds: [theme.id],
    versions: [
      {
        title: "Werken bij hitte",
        summary: "Wat te doen bij een hittegolf.",
        validFrom: new Date("2020-01-01"),
      },
    ],
  });
  await prisma.$transaction((tx) => enqueueSearchIndex(tx, "circular", [circular.id]));
  await drainSearchIndexQueue();
  employee = (await createUserSession({ userId: (await buildUser()).id, method: "dev" })).split(";")[0]!;
  editor = (await createUserSession({ userId: (await buildUser({}, ["editor"])).id, method: "dev" })).split(
    ";",
  )[0]!;
});

describe("/circulaires", () => {
  it("sends visitors without a session to the login page", async () => {
    const response = await load(null, "?q=hitte");
    expect(response.status).toBe(302);
    expect(response.location).toBe("/inloggen?terug=%2Fcirculaires%3Fq%3Dhitte");
  });

  it("shows themes and recent circulars without a query, and editor links only to editors", async () => {
    const page = await load(employee);
    expect(page.body).toMatchObject({ browse: true, canCreate: false, canManage: false });
    expect(page.body?.response?.facets.themes).toEqual([
      expect.objectContaining({ value: "test-welzijn", label: "Welzijn", count: 1 }),
    ]);
    expect(page.body?.response?.results.map((r) => r.title)).toEqual(["Werken bij hitte"]);
    expect((await load(editor)).body).toMatchObject({ canCreate: true, canManage: true });
  });

  it("renders results for a query server-side", async () => {
    const page = await load(employee, "?q=hittegolf");
    expect(page.body).toMatchObject({ browse: false, error: false });
    expect(page.body?.response?.total).toBe(1);
    expect(page.body?.response?.results[0]?.snippet).toContain("<mark>hittegolf</mark>");
  });

  it("answers a bad query with 400 and the page's own message", async () => {
    const page = await load(employee, `?q=${"x".repeat(201)}`);
    expect(page.status).toBe(400);
    expect(page.body).toMatchObject({ error: true, response: null });
  });
});
