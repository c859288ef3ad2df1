import { beforeAll, describe, expect, it } from "vitest";
import {
  approveAndPublishCircular,
  createCircularDraft,
  submitCircularForReview,
  updateCircularDraft,
  type CircularDraftInput,
} from "~/modules/circulars/workflow.server";
import { createUserSession } from "~/modules/identity/session.server";
import { buildDepartment, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { drainSearchIndexQueue } from "../../search/indexer.server";
import { loader } from "./api.search";

setupTestDatabase();

const body = (text: string) => ({
  root: { type: "root" as const, children: [{ type: "paragraph", children: [{ type: "text", text }] }] },
});

let cookies: { employee: string; insider: string; editor: string };
let publicNumber: string;
let restrictedNumber: string;

async function cookieOf(userId: string) {
  return (await createUserSession({ userId, method: "dev" })).split(";")[0]!;
}

async function get(cookie: string | null, query: string) {
  const response = (await loader({
    request: new Request(`http://localhost:3000/api/search${query}`, {
      headers: cookie ? { Cookie: cookie } : {},
    }),
    params: {},
    context: { cspNonce: "", csrfToken: "" },
  })) as Response;
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      results?: { number: string; title: string }[];
    },
  };
}

beforeAll(async () => {
  const department = await buildDepartment();
  const other = await buildDepartment();
  const author = await buildUser({}, ["editor"]);
  const reviewer = await buildUser({}, ["editor"]);
  const insider = await buildUser({ departmentId: department.id });
  const employee = await buildUser({ departmentId: other.id });
  cookies = {
    employee: await cookieOf(employee.id),
    insider: await cookieOf(insider.id),
    editor: await cookieOf(reviewer.id),
  };
  const actor = (id: string) => ({ id, roles: ["employee", "editor"] as const });
  const base: CircularDraftInput = {
    title: "Dienstreizen met de trein",
    summary: "Hoe je een treinticket voor een dienstreis aanvraagt.",
    body: body("Treintickets voor dienstreizen bestel je bij het reisloket."),
    validFrom: "2020-01-01",
    ownerDepartmentId: department.id,
    responsibleUserId: author.id,
  };
  async function publish(input: CircularDraftInput) {
    const draft = await createCircularDraft(actor(author.id), input);
    await submitCircularForReview(actor(author.id), draft.id, { changeNote: "Eerste versie" });
    await approveAndPublishCircular(actor(reviewer.id), draft.id);
    return draft;
  }
  const published = await publish(base);
  publicNumber = published.number;
  restrictedNumber = (
    await publish({
      ...base,
      title: "Dienstreizen naar het buitenland voor de directie",
      audience: [`department:${department.id}`],
    })
  ).number;
  // A pending change of a published circular stays out of the index until it is approved.
  await updateCircularDraft(actor(author.id), published.id, { ...base, title: "Dienstreizen per vliegtuig" });
  await drainSearchIndexQueue();
});

describe("GET /api/search", () => {
  it("needs a session", async () => {
    const response = await get(null, "?q=dienstreizen");
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "Sign in first" });
  });

  it("answers bad parameters with 400 and English messages", async () => {
    const response = await get(cookies.employee, `?q=${"x".repeat(300)}&limit=1000&validity=someday`);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe("Invalid search parameters");
    expect(response.body.issues).toEqual(
      expect.arrayContaining([
        "q: q is longer than 200 characters",
        "limit: limit must be at most 50",
        expect.stringMatching(/^validity.*must be one of/),
      ]),
    );
  });

  it("finds what the workflow published, with snippet and validity, and hides restricted ones", async () => {
    const response = await get(cookies.employee, "?q=dienstreis&type=circular");
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(1);
    expect(response.body.results).toEqual([
      expect.objectContaining({
        type: "circular",
        number: publicNumber,
        title: "Dienstreizen met de trein",
        url: `/circulaires/${publicNumber}`,
        validity: "valid",
        snippet: expect.stringContaining("<mark>"),
      }),
    ]);
    expect(response.body.facets).toEqual(
      expect.objectContaining({
        themes: [],
        validity: [expect.objectContaining({ value: "valid", count: 1 })],
      }),
    );
    const insider = await get(cookies.insider, "?q=dienstreis");
    expect(insider.body.results?.map((r) => r.number).sort()).toEqual(
      [publicNumber, restrictedNumber].sort(),
    );
  });

  it("never returns the text of a change that is not approved yet", async () => {
    for (const cookie of [cookies.employee, cookies.editor]) {
      expect((await get(cookie, "?q=vliegtuig&include=all")).body.total).toBe(0);
    }
  });
});
