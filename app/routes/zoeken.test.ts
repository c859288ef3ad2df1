/**
 * /zoeken: the overview per kind with counts, one kind with pages, the policy per kind (a secret group's
 * post only for its members), a prompt without words, 400 for a broken query, and sign-in required.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import {
  buildDepartment,
  buildPlace,
  buildPost,
  buildPublishedCircular,
  buildUser,
} from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { getRequest, routeContext, settle, signIn, type Visitor } from "../../tests/support/routes";
import { drainSearchIndexQueue } from "../../search/indexer.server";
import { enqueueSearchIndex } from "../../search/queue.server";
import { loader } from "./zoeken";

setupTestDatabase();

type LoaderData = Extract<Awaited<ReturnType<typeof loader>>, { title: string }>;

/** The loader's answer via `settle`, its body typed as the page data. */
async function search(query: string, who: Visitor | null) {
  const { status, body, response } = await settle(
    loader({ request: getRequest(`/zoeken${query}`, who), params: {}, context: routeContext }),
  );
  return { status, body: body as LoaderData | null, response };
}

let member: Visitor;
let outsider: Visitor;
let secretPostId: string;
let openPostIds: string[];
let circularNumber: string;
let expertId: string;

beforeAll(async () => {
  member = await signIn();
  outsider = await signIn();
  const department = await buildDepartment({ name: "Dienst Evenementen" });
  expertId = (
    await buildUser({
      displayName: "Sam Feestvarken",
      departmentId: department.id,
      expertise: ["Stadsfeesten"],
    })
  ).id;
  const secret = await buildPlace({
    ownerIds: [member.id],
    visibility: "secret",
    name: "Geheime stadsfeesten",
  });
  secretPostId = (
    await buildPost({ authorId: member.id, placeId: secret.id, text: "Stadsfeesten: geheim draaiboek" })
  ).id;
  // Seven open posts: more than the overview shows.
  openPostIds = [];
  for (let i = 0; i < 7; i += 1) {
    openPostIds.push(
      (await buildPost({ authorId: outsider.id, text: `Stadsfeesten vrijwilliger ${i + 1}` })).id,
    );
  }
  const circular = await buildPublishedCircular({
    versions: [{ title: "Verlof tijdens de Stadsfeesten", summary: "Wie werkt, wie niet." }],
  });
  circularNumber = circular.number;
  const people = await prisma.user.findMany({ select: { id: true } });
  await prisma.$transaction(async (tx) => {
    await enqueueSearchIndex(tx, "post", [secretPostId, ...openPostIds]);
    await enqueueSearchIndex(tx, "circular", [circular.id]);
    await enqueueSearchIndex(
      tx,
      "person",
      people.map((p) => p.id),
    );
  });
  await drainSearchIndexQueue();
}, 60_000);

describe("/zoeken", () => {
  it("needs a signed-in colleague", async () => {
    const { status, response } = await search("?q=stadsfeesten", null);
    expect(status).toBe(302);
    expect(response?.headers.get("Location")).toMatch(/^\/inloggen\?terug=%2Fzoeken/);
  });

  it("asks for words when there are none", async () => {
    const { status, body } = await search("", outsider);
    expect(status).toBe(200);
    expect(body?.sections).toBeNull();
  });

  it("shows an overview with a count per kind and the first results of each", async () => {
    const { status, body } = await search("?q=stadsfeesten", outsider);
    expect(status).toBe(200);
    const byType = Object.fromEntries(body!.sections!.map((s) => [s.type, s]));
    expect(byType.circular).toMatchObject({ total: 1 });
    expect(byType.circular!.results[0]).toMatchObject({ number: circularNumber, type: "circular" });
    expect(byType.post!.total).toBe(7);
    expect(byType.post!.results).toHaveLength(5);
    expect(byType.post!.results[0]!.post).toMatchObject({ author: { id: outsider.id }, place: null });
    expect(byType.person).toMatchObject({ total: 1 });
    expect(byType.person!.results[0]).toMatchObject({ id: expertId, url: `/mensen/${expertId}` });
    expect(body!.total).toBe(9);
  });

  it("finds a secret group's post for its members only", async () => {
    const forOutsider = await search("?q=draaiboek", outsider);
    expect(forOutsider.body!.total).toBe(0);
    const forMember = await search("?q=draaiboek", member);
    expect(forMember.body!.sections!.find((s) => s.type === "post")!.results.map((r) => r.id)).toEqual([
      secretPostId,
    ]);
    const counts = await search("?q=stadsfeesten&type=post", member);
    expect(counts.body!.sections!.find((s) => s.type === "post")!.total).toBe(8);
  });

  it("pages through one kind and only counts the others", async () => {
    const first = await search("?q=stadsfeesten&type=post", outsider);
    const posts = first.body!.sections!.find((s) => s.type === "post")!;
    expect(posts.results).toHaveLength(7);
    expect(first.body!.sections!.find((s) => s.type === "circular")).toMatchObject({ total: 1, results: [] });
    const later = await search("?q=stadsfeesten&type=post&offset=5", outsider);
    expect(later.body!.sections!.find((s) => s.type === "post")!.results).toHaveLength(2);
  });

  it("refuses a broken query with 400", async () => {
    expect((await search(`?q=${"a".repeat(201)}`, outsider)).status).toBe(400);
    expect((await search("?q=feest&type=document", outsider)).status).toBe(400);
    expect((await search("?q=feest&type=post&type=person", outsider)).status).toBe(400);
  });
});
