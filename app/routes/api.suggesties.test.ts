/**
 * The typeahead APIs of the composer: colleagues for @mentions (active ones only, at most 8, never the
 * asker) and topics for #hashtags (by prefix, most used first, and never a topic only a secret group uses).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildDepartment, buildPlace, buildPost, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { getRequest, routeContext, signIn, type Visitor } from "../../tests/support/routes";
import { loader as peopleLoader } from "./api.mensen.suggesties";
import { loader as topicsLoader } from "./api.onderwerpen.suggesties";

setupTestDatabase();

async function ask(
  loader: typeof peopleLoader,
  url: string,
  who: Visitor | null,
): Promise<{ status: number; body: unknown }> {
  const response = await loader({
    request: getRequest(url, who),
    params: {},
    context: routeContext,
  });
  expect(response.headers.get("Content-Type")).toContain("application/json");
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  return { status: response.status, body: await response.json() };
}

type Person = {
  id: string;
  displayName: string;
  jobTitle: string | null;
  department: string | null;
  handle?: string;
};
type Topic = { slug: string; name: string; postCount: number };

describe("GET /api/mensen/suggesties", () => {
  let reader: Visitor;
  let active: { id: string };
  let leaver: { id: string };

  beforeAll(async () => {
    reader = await signIn({ displayName: "Zeynep Suggestievraag" });
    const service = await buildDepartment({ name: "Dienst Typeahead" });
    active = await buildUser({
      displayName: "Quirine Typeahead",
      jobTitle: "Projectleider",
      departmentId: service.id,
      email: "quirine.typeahead@stad.gent",
    });
    leaver = await buildUser({ displayName: "Quirine Vertrokken", active: false });
  });

  it("needs a session (401, JSON)", async () => {
    const result = await ask(peopleLoader, "/api/mensen/suggesties?q=quirine", null);
    expect(result).toEqual({ status: 401, body: { error: "Sign in first" } });
  });

  it("refuses a query over 50 characters (400)", async () => {
    const result = await ask(peopleLoader, `/api/mensen/suggesties?q=${"a".repeat(51)}`, reader);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ error: expect.stringContaining("50") });
  });

  it("finds active colleagues by the start of their name, accents and a leading @ ignored", async () => {
    const result = await ask(
      peopleLoader,
      `/api/mensen/suggesties?q=${encodeURIComponent("@quirïne")}`,
      reader,
    );
    expect(result.status).toBe(200);
    const people = result.body as Person[];
    expect(people).toEqual([
      {
        id: active.id,
        displayName: "Quirine Typeahead",
        jobTitle: "Projectleider",
        department: "Dienst Typeahead",
        handle: "quirine.typeahead",
      },
    ]);
    expect(people.map((person) => person.id)).not.toContain(leaver.id);
  });

  it("returns at most 8, never the asker", async () => {
    for (let i = 0; i < 10; i += 1) await buildUser({ displayName: `Xavera Veelvoud ${i}` });
    const asker = await signIn({ displayName: "Xavera Veelvoud zelf" });
    const result = await ask(peopleLoader, "/api/mensen/suggesties?q=xavera", asker);
    const people = result.body as Person[];
    expect(people).toHaveLength(8);
    expect(people.map((person) => person.id)).not.toContain(asker.id);
  });

  it("answers an empty list to fewer than two letters", async () => {
    const result = await ask(peopleLoader, "/api/mensen/suggesties?q=q", reader);
    expect(result).toEqual({ status: 200, body: [] });
  });
});

describe("GET /api/onderwerpen/suggesties", () => {
  let member: Visitor;
  let outsider: Visitor;

  beforeAll(async () => {
    member = await signIn();
    outsider = await signIn();
    const author = await buildUser();
    const secret = await buildPlace({ ownerIds: [author.id], memberIds: [member.id], visibility: "secret" });
    // "fietsplan" is used most, "fiets" exactly matches, "fietsgeheim" only in a secret group.
    for (let i = 0; i < 3; i += 1) await buildPost({ authorId: author.id, topicSlugs: ["fietsplan"] });
    await buildPost({ authorId: author.id, topicSlugs: ["fiets"] });
    await buildPost({ authorId: author.id, topicSlugs: ["fietsroute"] });
    await buildPost({ authorId: author.id, placeId: secret.id, topicSlugs: ["fietsgeheim"] });
    await buildPost({ authorId: author.id, topicSlugs: ["fietsverwijderd"], deletedAt: new Date() });
  });

  it("needs a session (401, JSON)", async () => {
    const result = await ask(topicsLoader, "/api/onderwerpen/suggesties?q=fiets", null);
    expect(result.status).toBe(401);
  });

  it.each([["a".repeat(51)], ["3de"], ["fiets-plan"]])("refuses %j (400)", async (q) => {
    const result = await ask(
      topicsLoader,
      `/api/onderwerpen/suggesties?q=${encodeURIComponent(q)}`,
      outsider,
    );
    expect(result.status).toBe(400);
  });

  it("offers the exact tag first, then the most used, and only what the reader may see", async () => {
    const result = await ask(
      topicsLoader,
      `/api/onderwerpen/suggesties?q=${encodeURIComponent("#Fiets")}`,
      outsider,
    );
    expect(result.status).toBe(200);
    expect(result.body).toEqual([
      { slug: "fiets", name: "fiets", postCount: 1 },
      { slug: "fietsplan", name: "fietsplan", postCount: 3 },
      { slug: "fietsroute", name: "fietsroute", postCount: 1 },
    ]);
  });

  it("offers a secret group's topic to its members", async () => {
    const result = await ask(topicsLoader, "/api/onderwerpen/suggesties?q=fietsg", member);
    expect((result.body as Topic[]).map((topic) => topic.slug)).toEqual(["fietsgeheim"]);
    const hidden = await ask(topicsLoader, "/api/onderwerpen/suggesties?q=fietsg", outsider);
    expect(hidden.body).toEqual([]);
  });
});
