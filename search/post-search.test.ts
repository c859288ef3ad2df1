/**
 * Posts and people in the search index: documents follow the stream's policy (a secret group's post is
 * found by its members only, also not through typo correction or facets), the writers enqueue in their own
 * transactions (create, edit, delete, hide, restore, a place's visibility, a profile), and people are found
 * by what they know and where they work. PostgreSQL engine (the shared suite covers Meilisearch).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { type Validity } from "~/modules/circulars/validity";
import { updateOwnProfile } from "~/modules/people/profile.server";
import { hidePost, restorePost } from "~/modules/stream/moderation.server";
import { changePlaceVisibility } from "~/modules/stream/places.server";
import {
  createAnnouncement,
  createPost,
  deletePost,
  editPost,
  sharePost,
} from "~/modules/stream/posts.server";
import { buildDepartment, buildPlace, buildPost, buildUser } from "../tests/factories";
import { setupTestDatabase } from "../tests/setup/database";
import { getSearchEngine } from "./engine.server";
import { drainSearchIndexQueue, reindexAll } from "./indexer.server";
import { parseSearchParams } from "./params";
import { postTitleOf } from "./post-documents.server";
import { enqueueSearchIndex } from "./queue.server";
import { searchDocuments, searchEveryType, visibilityFor } from "./search.server";
import { DEFAULT_VALIDITIES } from "./types";

setupTestDatabase();

const asReader = (id: string, extra: Partial<Reader> = {}): Reader => ({
  id,
  roles: ["employee"],
  isFieldWorker: false,
  department: null,
  ...extra,
});

async function find(reader: Reader, query: Record<string, string>) {
  const parsed = parseSearchParams(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return searchDocuments(reader, parsed.value, { locale: "nl", validityLabel: (v: Validity) => v });
}

const ids = (response: Awaited<ReturnType<typeof find>>) => response.results.map((r) => r.id);
const posts = (reader: Reader, q: string) => find(reader, { q, type: "post" }).then(ids);

let member: Reader;
let outsider: Reader;
let moderator: Reader;
let secretPlace: { id: string; slug: string };
let secretPostId: string;

beforeAll(async () => {
  member = asReader((await buildUser({ displayName: "Lotte Vandamme" })).id);
  outsider = asReader((await buildUser({ displayName: "Bram Buiten" })).id);
  moderator = asReader((await buildUser({}, ["communicator"])).id, { roles: ["employee", "communicator"] });
  secretPlace = await buildPlace({
    ownerIds: [member.id],
    visibility: "secret",
    name: "Feestcomité Zuid",
  });
  secretPostId = (
    await createPost(member, {
      placeId: secretPlace.id,
      plainText: "Verrassingsfeest voor Ilse op vrijdag\nNiets verklappen! #verrassingsfeest",
    })
  ).id;
  await drainSearchIndexQueue();
}, 60_000);

describe("post documents", () => {
  it("titles a post with its first line, cut at a word", () => {
    expect(postTitleOf("\n  Fietsdag op vrijdag  \nMeer uitleg volgt.")).toBe("Fietsdag op vrijdag");
    const long = postTitleOf(`${"Woord ".repeat(30)}einde`, 40);
    expect(long.length).toBeLessThanOrEqual(42);
    expect(long).toMatch(/^Woord( Woord)* …$/);
  });

  it("indexes the post's own audience, text, author, place and topics", async () => {
    const doc = await prisma.searchDocument.findUniqueOrThrow({ where: { id: `post:${secretPostId}` } });
    expect(doc.audience).toEqual([`place:${secretPlace.id}`]);
    expect(doc.title).toBe("Verrassingsfeest voor Ilse op vrijdag");
    expect(doc.themes).toEqual(["verrassingsfeest"]);
    expect(doc.attachmentText).toContain("Lotte Vandamme");
    expect(doc.attachmentText).toContain("Feestcomité Zuid");
    expect(doc.url).toBe(`/berichten/${secretPostId}`);
  });
});

describe("who finds a post", () => {
  it("finds a secret group's post for a member and never for anyone else", async () => {
    expect(await posts(member, "verrassingsfeest")).toEqual([secretPostId]);
    expect(await posts(outsider, "verrassingsfeest")).toEqual([]);
    // Also not by the group's or the author's name.
    expect(await posts(outsider, "feestcomité")).toEqual([]);
    expect(await posts(outsider, "vandamme")).toEqual([]);
  });

  it("offers a secret post's words as a typo correction to members only", async () => {
    const forMember = await find(member, { q: "verassingsfeest", type: "post" });
    expect(forMember.correctedQuery).toBe("verrassingsfeest");
    expect(ids(forMember)).toEqual([secretPostId]);
    const forOutsider = await find(outsider, { q: "verassingsfeest", type: "post" });
    expect(forOutsider.correctedQuery).toBeNull();
    expect(forOutsider.results).toEqual([]);
  });

  it("never counts a secret post in totals or facets for a non-member", async () => {
    const visible = async (reader: Reader) =>
      getSearchEngine().search({
        text: "",
        visibility: visibilityFor({ ...reader, placeIds: reader.id === member.id ? [secretPlace.id] : [] }, [
          "post",
        ]),
        themes: [],
        departments: [],
        validities: [...DEFAULT_VALIDITIES],
        years: [],
        limit: 50,
        offset: 0,
        today: new Date(),
      });
    const forMember = await visible(member);
    const forOutsider = await visible(outsider);
    expect(forMember.facets.themes.map((f) => f.value)).toContain("verrassingsfeest");
    expect(forOutsider.facets.themes.map((f) => f.value)).not.toContain("verrassingsfeest");
    expect(forOutsider.hits.map((h) => h.sourceId)).not.toContain(secretPostId);
    expect(forMember.total).toBe(forOutsider.total + 1);
  });

  it("finds an announcement in its audience only (and always for its author)", async () => {
    const department = await buildDepartment({ name: "Groendienst" });
    const gardener = asReader((await buildUser({ departmentId: department.id })).id, {
      department: { id: department.id, parentId: null },
    });
    const { id } = await createAnnouncement(moderator, {
      plainText: "Snoeiwerken in het Citadelpark starten maandag.",
      audience: [`department:${department.id}`],
    });
    await drainSearchIndexQueue();
    expect(await posts(gardener, "snoeiwerken")).toEqual([id]);
    expect(await posts(moderator, "snoeiwerken")).toEqual([id]);
    expect(await posts(outsider, "snoeiwerken")).toEqual([]);
  });

  it("searches posts only when asked: a search without a type stays with circulars", async () => {
    const { id } = await createPost(outsider, { plainText: "Wie heeft er een ladder te leen?" });
    await drainSearchIndexQueue();
    expect(await posts(member, "ladder")).toEqual([id]);
    expect((await find(member, { q: "ladder" })).results).toEqual([]);
  });
});

describe("keeping post documents up to date", () => {
  it("finds a Dutch word form of a post's text (stemming) and follows edits", async () => {
    const { id } = await createPost(member, { plainText: "De vergadering over de nieuwe fietsstallingen." });
    await drainSearchIndexQueue();
    expect(await posts(outsider, "vergaderingen")).toEqual([id]);
    expect(await posts(outsider, "fietsstalling")).toEqual([id]);
    await editPost(member, id, { plainText: "Het overleg over de parkeerplaatsen." });
    await drainSearchIndexQueue();
    expect(await posts(outsider, "vergaderingen")).toEqual([]);
    expect(await posts(outsider, "parkeerplaats")).toEqual([id]);
  });

  it("removes a deleted post from the index at the next drain", async () => {
    const { id } = await createPost(member, { plainText: "Tijdelijke oproep voor een tuinslang." });
    await drainSearchIndexQueue();
    expect(await posts(outsider, "tuinslang")).toEqual([id]);
    await deletePost(member, id);
    expect(await prisma.searchIndexTask.count({ where: { type: "post", sourceId: id } })).toBe(1);
    await drainSearchIndexQueue();
    expect(await posts(outsider, "tuinslang")).toEqual([]);
    expect(await posts(member, "tuinslang")).toEqual([]);
    expect(await prisma.searchDocument.count({ where: { sourceId: id } })).toBe(0);
  });

  it("removes a hidden post and brings it back when a moderator restores it", async () => {
    const { id } = await createPost(outsider, { plainText: "Koop mijn oude grasmaaier, spotgoedkoop." });
    await drainSearchIndexQueue();
    await hidePost(moderator, id, "Geen zoekertjes in de stroom, graag.");
    await drainSearchIndexQueue();
    for (const reader of [member, outsider, moderator]) expect(await posts(reader, "grasmaaier")).toEqual([]);
    await restorePost(moderator, id, "Toch toegelaten na overleg.");
    await drainSearchIndexQueue();
    expect(await posts(member, "grasmaaier")).toEqual([id]);
  });

  it("hides an open group's posts from non-members after it turns secret, once drained", async () => {
    const owner = asReader((await buildUser()).id);
    const place = await buildPlace({ ownerIds: [owner.id], visibility: "open", name: "Koor Stadhuis" });
    const { id } = await createPost(owner, { placeId: place.id, plainText: "Repetitie van het stadskoor." });
    await drainSearchIndexQueue();
    expect(await posts(outsider, "stadskoor")).toEqual([id]);

    await changePlaceVisibility(owner, place.slug, "secret");
    expect(await prisma.searchIndexTask.count({ where: { type: "post", sourceId: id } })).toBe(1);
    await drainSearchIndexQueue();
    expect(await posts(outsider, "stadskoor")).toEqual([]);
    expect(await posts(owner, "stadskoor")).toEqual([id]);
    const doc = await prisma.searchDocument.findUniqueOrThrow({ where: { id: `post:${id}` } });
    expect(doc.audience).toEqual([`place:${place.id}`]);
  });

  it("indexes a share by its own text only, and not at all without one", async () => {
    const owner = asReader((await buildUser()).id);
    const place = await buildPlace({ ownerIds: [owner.id] });
    const original = await createPost(owner, { plainText: "Het nieuwe logo van de stad is klaar." });
    const silent = await sharePost(owner, original.id, { placeId: place.id });
    const commented = await sharePost(owner, original.id, {
      placeId: place.id,
      plainText: "Mooi ontwerp van onze huisstijlploeg.",
    });
    await drainSearchIndexQueue();
    expect(await prisma.searchDocument.count({ where: { sourceId: silent.id } })).toBe(0);
    expect(await posts(outsider, "huisstijlploeg")).toEqual([commented.id]);
    expect(await posts(outsider, "logo")).toEqual([original.id]);
  });

  it("ranks a recent post above an older one with the same words", async () => {
    const author = (await buildUser()).id;
    const old = await buildPost({
      authorId: author,
      text: "Zomerbarbecue van de dienst Wegen",
      createdAt: new Date(Date.now() - 200 * 86_400_000),
    });
    const fresh = await buildPost({ authorId: author, text: "Zomerbarbecue van de dienst Wegen" });
    await prisma.$transaction((tx) => enqueueSearchIndex(tx, "post", [old.id, fresh.id]));
    await drainSearchIndexQueue();
    expect(await posts(outsider, "zomerbarbecue")).toEqual([fresh.id, old.id]);
  });
});

describe("people", () => {
  let expert: Reader;

  beforeAll(async () => {
    const department = await buildDepartment({ name: "Departement Stedelijke Ontwikkeling" });
    const service = await buildDepartment({
      name: "Dienst Geografische Informatie",
      parentId: department.id,
    });
    expert = asReader(
      (
        await buildUser({
          displayName: "Noor Geomatica",
          jobTitle: "GIS-analist",
          departmentId: service.id,
          expertise: ["Overheidsopdrachten", "QGIS"],
          about: "Ik maak kaarten van de stad.",
          workPhone: "+32 9 266 00 00",
        })
      ).id,
    );
    await buildUser({ displayName: "Vertrokken Collega", expertise: ["Overheidsopdrachten"], active: false });
    const everyone = await prisma.user.findMany({ select: { id: true } });
    await prisma.$transaction((tx) =>
      enqueueSearchIndex(
        tx,
        "person",
        everyone.map((u) => u.id),
      ),
    );
    await drainSearchIndexQueue();
  });

  const people = (q: string) => find(outsider, { q, type: "person" }).then(ids);

  it("finds active colleagues by expertise, department, service and introduction", async () => {
    expect(await people("overheidsopdrachten")).toEqual([expert.id]);
    expect(await people("geografische")).toEqual([expert.id]);
    expect(await people("stedelijke ontwikkeling")).toEqual([expert.id]);
    expect(await people("kaarten")).toEqual([expert.id]);
    const [hit] = (await find(outsider, { q: "qgis", type: "person" })).results;
    expect(hit?.person).toMatchObject({
      jobTitle: "GIS-analist",
      unit: "Dienst Geografische Informatie",
      department: "Departement Stedelijke Ontwikkeling",
      expertise: ["Overheidsopdrachten", "QGIS"],
    });
  });

  it("never indexes contact data", async () => {
    const doc = await prisma.searchDocument.findUniqueOrThrow({ where: { id: `person:${expert.id}` } });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: expert.id } });
    const stored = JSON.stringify(doc);
    expect(stored).not.toContain(user.email!);
    // The whole number in its written and its dialled form (a random id may contain a fragment like "266").
    expect(user.workPhone).toBe("+32 9 266 00 00");
    expect(stored).not.toContain("266 00 00");
    expect(stored).not.toContain("92660000");
  });

  it("follows a profile edit through the outbox", async () => {
    await updateOwnProfile(expert, {
      about: "Kaarten en luchtfoto's.",
      expertise: "Luchtfotografie",
      workPhone: "",
      removePhoto: false,
    });
    await drainSearchIndexQueue();
    expect(await people("luchtfotografie")).toEqual([expert.id]);
    expect(await people("overheidsopdrachten")).toEqual([]);
  });
});

describe("the site-wide search and a full rebuild", () => {
  it("counts each type on its own", async () => {
    const result = await searchEveryType(
      member,
      { ...parseOrThrow("q=verrassingsfeest") },
      {
        circular: { limit: 5, offset: 0 },
        post: { limit: 5, offset: 0 },
        person: { limit: 5, offset: 0 },
      },
      { locale: "nl", validityLabel: (v) => v },
    );
    expect(result.post.total).toBe(1);
    expect(result.circular.total).toBe(0);
    expect(result.person.total).toBe(0);
  });

  it("rebuilds posts and people with the circulars, and leaves out what is not indexable", async () => {
    const progress: [number, number][] = [];
    const result = await reindexAll((done, total) => progress.push([done, total]));
    const expected =
      (await prisma.post.count({ where: { deletedAt: null, hiddenAt: null, text: { not: "" } } })) +
      (await prisma.user.count({ where: { active: true } }));
    expect(result.indexed).toBe(expected);
    expect(progress.at(-1)).toEqual([expected, expected]);
    expect(await prisma.searchDocument.count({ where: { type: { in: ["post", "person"] } } })).toBe(expected);
    expect(await posts(member, "verrassingsfeest")).toEqual([secretPostId]);
    expect(await posts(outsider, "verrassingsfeest")).toEqual([]);
  });
});

function parseOrThrow(query: string) {
  const parsed = parseSearchParams(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.value;
}
