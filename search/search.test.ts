/**
 * The shared search suite: the same Dutch relevance set and visibility rules against every configured
 * engine. PostgreSQL always runs; Meilisearch runs when MEILI_URL points at a server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { resetEnvCache } from "~/env.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { type Validity } from "~/modules/circulars/validity";
import { buildDepartment, buildPublishedCircular, buildUser } from "../tests/factories";
import { setupTestDatabase } from "../tests/setup/database";
import { drainSearchIndexQueue, reindexAll } from "./indexer.server";
import { parseSearchParams } from "./params";
import { enqueueSearchIndex } from "./queue.server";
import { searchDocuments } from "./search.server";

setupTestDatabase();

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const paragraphs = (...texts: string[]) => texts;

let employee: Reader;
let insider: Reader;
let editor: Reader;
let fieldWorker: Reader;
let hrDepartment: { id: string };
let ids: Record<string, { id: string; number: string }>;
let themeHr: string;
let themeMobility: string;

async function find(reader: Reader, query: Record<string, string | string[]>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  const parsed = parseSearchParams(params);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return searchDocuments(reader, parsed.value, { locale: "nl", validityLabel: (v: Validity) => v });
}

const numbers = (response: Awaited<ReturnType<typeof find>>) => response.results.map((r) => r.number);

beforeAll(async () => {
  hrDepartment = await buildDepartment({ name: "Personeel en Organisatie" });
  const otherDepartment = await buildDepartment({ name: "Mobiliteit" });
  const insideService = await buildDepartment({
    parentId: hrDepartment.id,
    name: "Dienst Loonadministratie",
  });
  themeHr = (
    await prisma.theme.create({ data: { slug: "test-personeel", nameNl: "Personeel", nameEn: "Staff" } })
  ).slug;
  themeMobility = (
    await prisma.theme.create({ data: { slug: "test-mobiliteit", nameNl: "Mobiliteit", nameEn: "Mobility" } })
  ).slug;
  employee = {
    id: (await buildUser()).id,
    roles: ["employee"],
    isFieldWorker: false,
    department: { id: otherDepartment.id, parentId: null },
  };
  insider = {
    id: (await buildUser()).id,
    roles: ["employee"],
    isFieldWorker: false,
    department: { id: insideService.id, parentId: hrDepartment.id },
  };
  fieldWorker = {
    id: (await buildUser({ isFieldWorker: true })).id,
    roles: ["employee"],
    isFieldWorker: true,
    department: null,
  };
  editor = {
    id: (await buildUser({}, ["editor"])).id,
    roles: ["employee", "editor"],
    isFieldWorker: false,
    department: null,
  };

  const valid = { validFrom: day("2020-01-01") };
  const make = (options: Parameters<typeof buildPublishedCircular>[0]) => buildPublishedCircular(options);
  ids = {
    stemming: await make({
      ownerDepartmentId: hrDepartment.id,
      themeIds: [],
      versions: [
        {
          ...valid,
          title: "Onthaal van een nieuwe medewerker",
          summary: "Hoe je een nieuwe collega de eerste werkdag verwelkomt.",
          paragraphs: paragraphs("De leidinggevende plant een onthaalgesprek."),
        },
      ],
    }),
    typo: await make({
      ownerDepartmentId: otherDepartment.id,
      versions: [
        {
          ...valid,
          title: "Wat is een circulaire en wie schrijft ze",
          summary: "Uitleg over de kennisbank van interne richtlijnen.",
          paragraphs: paragraphs("Elke richtlijn heeft een eigenaar."),
        },
      ],
    }),
    accents: await make({
      ownerDepartmentId: otherDepartment.id,
      versions: [
        {
          ...valid,
          title: "Budgetopvolging per dienst",
          summary: "Maandelijkse rapportering aan de directie.",
          paragraphs: paragraphs("De financiën van elke dienst worden elk kwartaal besproken."),
        },
      ],
    }),
    prefix: await make({
      ownerDepartmentId: hrDepartment.id,
      versions: [
        {
          ...valid,
          title: "Thuiswerk en plaatsonafhankelijk werken",
          summary: "Wie mag thuiswerken en welke vergoeding krijg je.",
          paragraphs: paragraphs("Vraag thuiswerk aan via je leidinggevende."),
        },
      ],
    }),
    old: await make({
      ownerDepartmentId: otherDepartment.id,
      versions: [
        {
          validFrom: day("2019-01-01"),
          title: "Fietsvergoeding voor woon-werkverkeer",
          summary: "De fietsvergoeding bedraagt 0,25 euro per kilometer.",
          paragraphs: paragraphs("Fietsvergoeding aanvragen via het personeelsportaal."),
        },
      ],
    }),
    expired: await make({
      ownerDepartmentId: otherDepartment.id,
      versions: [
        {
          validFrom: day("2018-01-01"),
          validUntil: day("2021-12-31"),
          title: "Parkeren tijdens de werken aan het Administratief Centrum",
          summary: "Tijdelijke parkeerregeling.",
          paragraphs: paragraphs("Parkeren kan op de site van de Zuid."),
        },
      ],
    }),
    upcoming: await make({
      ownerDepartmentId: otherDepartment.id,
      versions: [
        {
          validFrom: day("2099-01-01"),
          title: "Nieuwe parkeerregeling voor dienstvoertuigen",
          summary: "Parkeren van dienstvoertuigen vanaf 2099.",
        },
      ],
    }),
    restricted: await make({
      ownerDepartmentId: hrDepartment.id,
      audience: [`department:${hrDepartment.id}`],
      themeIds: [],
      versions: [
        {
          ...valid,
          title: "Loonbeslag en vertrouwelijke loondossiers",
          summary: "Alleen voor de loonadministratie.",
          paragraphs: paragraphs("Vertrouwelijke procedure voor loonbeslag."),
        },
      ],
    }),
    fieldOnly: await make({
      ownerDepartmentId: otherDepartment.id,
      audience: ["field-workers"],
      versions: [{ ...valid, title: "Veiligheidsschoenen op de werf", summary: "Voor wie buiten werkt." }],
    }),
    escaped: await make({
      ownerDepartmentId: otherDepartment.id,
      versions: [
        {
          ...valid,
          title: "Codevoorbeeld in een circulaire",
          summary: "Technisch.",
          paragraphs: paragraphs(
            'Typ nooit <script>alert("x")</script> in het zoekveld & zeker geen kwaadaardige code.',
          ),
        },
      ],
    }),
    // A match far down a long text: the snippet shows it (the stemmer turns "feestmaal" into "feestmal").
    deepMatch: await make({
      ownerDepartmentId: otherDepartment.id,
      versions: [
        {
          ...valid,
          title: "Jaarlijkse vrijwilligersdag",
          summary: "Praktische afspraken voor de dag.",
          paragraphs: paragraphs(
            ...Array.from(
              { length: 60 },
              () => "Deze tekst vult de circulaire met algemene uitleg over de diensten.",
            ),
            "Na afloop is er een feestmaal voor alle vrijwilligers en hun gezin.",
          ),
        },
      ],
    }),
    draft: await make({
      ownerDepartmentId: otherDepartment.id,
      versions: [],
      status: "draft",
    }),
    archived: await make({
      ownerDepartmentId: otherDepartment.id,
      status: "archived",
      archivedAt: new Date("2024-01-01T10:00:00Z"),
      versions: [{ ...valid, title: "Faxgebruik in de administratie", summary: "De fax is afgeschaft." }],
    }),
  };
  // Draft text must never be found, also not in a draft that only exists as a working copy.
  await prisma.circular.update({
    where: { id: ids.draft!.id },
    data: { title: "Geheim ontwerp over reorganisatie", summary: "Ontwerp." },
  });
  // Themes for the facet tests.
  const hrTheme = await prisma.theme.findUniqueOrThrow({ where: { slug: themeHr } });
  const mobilityTheme = await prisma.theme.findUniqueOrThrow({ where: { slug: themeMobility } });
  await prisma.circularTheme.createMany({
    data: [
      { circularId: ids.stemming!.id, themeId: hrTheme.id },
      { circularId: ids.prefix!.id, themeId: hrTheme.id },
      { circularId: ids.prefix!.id, themeId: mobilityTheme.id },
      { circularId: ids.old!.id, themeId: mobilityTheme.id },
    ],
  });
  // The successor of "old": valid since 2024, so "old" is superseded today.
  ids.successor = await make({
    ownerDepartmentId: otherDepartment.id,
    supersedesId: ids.old!.id,
    versions: [
      {
        validFrom: day("2024-01-01"),
        publishedAt: new Date("2023-12-01T09:00:00Z"),
        title: "Fietsvergoeding en deelfietsen",
        summary: "Nieuwe regeling: de fietsvergoeding bedraagt 0,35 euro per kilometer.",
        paragraphs: paragraphs("Fietsvergoeding aanvragen via het personeelsportaal."),
      },
    ],
  });
  await prisma.$transaction((tx) =>
    enqueueSearchIndex(
      tx,
      "circular",
      Object.values(ids).map((c) => c.id),
    ),
  );
}, 60_000);

const engines = [
  { name: "postgres", env: "postgres", available: true, reason: "" },
  {
    name: "meilisearch",
    env: "meilisearch",
    available: Boolean(process.env.MEILI_URL),
    reason: "MEILI_URL is not set: no Meilisearch server on this machine (see ../shared/ENVIRONMENT.md)",
  },
] as const;

describe("indexing through the outbox", () => {
  it("indexes the latest published version of every published circular and never a draft", async () => {
    const result = await drainSearchIndexQueue();
    expect(result.indexed).toBe(Object.keys(ids).length - 1);
    expect(result.removed).toBe(0);
    expect(await prisma.searchIndexTask.count()).toBe(0);
    expect(await prisma.searchDocument.count({ where: { sourceId: ids.draft!.id } })).toBe(0);
    const archived = await prisma.searchDocument.findUniqueOrThrow({
      where: { id: `circular:${ids.archived!.id}` },
    });
    expect(archived.status).toBe("archived");
    const old = await prisma.searchDocument.findUniqueOrThrow({ where: { id: `circular:${ids.old!.id}` } });
    expect(old.supersededFrom?.toISOString().slice(0, 10)).toBe("2024-01-01");
    expect(old.meta).toMatchObject({ supersededBy: ids.successor!.number });
  });

  it("leaves no task when the change rolls back", async () => {
    await expect(
      prisma.$transaction(async (tx) => {
        await enqueueSearchIndex(tx, "circular", [ids.prefix!.id]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await prisma.searchIndexTask.count()).toBe(0);
  });

  it("lets several workers drain at once without losing or repeating work", async () => {
    await prisma.$transaction((tx) =>
      enqueueSearchIndex(
        tx,
        "circular",
        Object.values(ids).map((c) => c.id),
      ),
    );
    const [a, b] = await Promise.all([drainSearchIndexQueue(), drainSearchIndexQueue()]);
    expect(a.indexed + b.indexed).toBe(Object.keys(ids).length - 1);
    expect(await prisma.searchIndexTask.count()).toBe(0);
  });

  it("removes the document of a circular that has no published version any more", async () => {
    const stray = await buildPublishedCircular({ versions: [{ title: "Tijdelijke testcirculaire" }] });
    await prisma.$transaction((tx) => enqueueSearchIndex(tx, "circular", [stray.id, "does-not-exist"]));
    expect(await drainSearchIndexQueue()).toEqual({ indexed: 1, removed: 0 });
    // Simulate a source that lost its publication (only possible by hand, but the index must follow).
    await prisma.circular.update({ where: { id: stray.id }, data: { publishedVersion: 0 } });
    await prisma.$transaction((tx) => enqueueSearchIndex(tx, "circular", [stray.id]));
    expect(await drainSearchIndexQueue()).toEqual({ indexed: 0, removed: 1 });
  });
});

for (const engine of engines) {
  const suite = engine.available ? describe : describe.skip;
  suite(
    `search with the ${engine.name} engine${engine.available ? "" : ` (skipped: ${engine.reason})`}`,
    () => {
      let previous: string | undefined;
      beforeAll(async () => {
        previous = process.env.SEARCH_ENGINE;
        process.env.SEARCH_ENGINE = engine.env;
        resetEnvCache();
        const progress: number[] = [];
        const result = await reindexAll((done) => progress.push(done));
        expect(result.indexed).toBeGreaterThanOrEqual(Object.keys(ids).length - 1);
        expect(progress.at(-1)).toBe(result.indexed);
      }, 120_000);
      afterAll(() => {
        if (previous === undefined) delete process.env.SEARCH_ENGINE;
        else process.env.SEARCH_ENGINE = previous;
        resetEnvCache();
      });

      it("stems Dutch: 'medewerkers' finds 'medewerker'", async () => {
        expect(numbers(await find(employee, { q: "medewerkers" }))).toContain(ids.stemming!.number);
      });

      it("tolerates typos: 'circulire' finds 'circulaire'", async () => {
        const response = await find(employee, { q: "circulire" });
        expect(numbers(response)).toContain(ids.typo!.number);
        if (engine.name === "postgres") expect(response.correctedQuery).toBe("circulaire");
      });

      it("ignores accents: 'financien' finds 'financiën' and marks it in the snippet", async () => {
        const response = await find(employee, { q: "financien" });
        expect(numbers(response)).toEqual([ids.accents!.number]);
        expect(response.results[0]!.snippet).toContain("<mark>financiën</mark>");
      });

      it("matches the last word as a prefix while typing: 'thuisw'", async () => {
        expect(numbers(await find(employee, { q: "thuisw" }))).toContain(ids.prefix!.number);
        expect(numbers(await find(employee, { q: "vergoeding thuisw" }))).toEqual([ids.prefix!.number]);
      });

      it("finds a circular by its number", async () => {
        expect(numbers(await find(employee, { q: ids.accents!.number }))[0]).toBe(ids.accents!.number);
      });

      it("ranks a superseded circular below its successor and hides it by default", async () => {
        const all = await find(employee, { q: "fietsvergoeding", include: "all" });
        expect(numbers(all)).toEqual([ids.successor!.number, ids.old!.number]);
        expect(all.results.map((r) => r.validity)).toEqual(["valid", "superseded"]);
        expect(all.results[1]!.supersededBy).toBe(ids.successor!.number);
        expect(numbers(await find(employee, { q: "fietsvergoeding" }))).toEqual([ids.successor!.number]);
      });

      it("shows what is in force by default, the rest with include=all or a validity filter", async () => {
        const byDefault = await find(employee, { q: "parkeren" });
        expect(numbers(byDefault)).toEqual([ids.upcoming!.number]);
        expect(byDefault.results[0]!.validity).toBe("not_yet_valid");
        const all = await find(employee, { q: "parkeren", include: "all" });
        expect(numbers(all)).toEqual([ids.upcoming!.number, ids.expired!.number]);
        expect(numbers(await find(employee, { q: "parkeren", validity: "expired" }))).toEqual([
          ids.expired!.number,
        ]);
        expect(numbers(await find(employee, { q: "fax" }))).toEqual([]);
        const archived = await find(employee, { q: "fax", include: "all" });
        expect(archived.results.map((r) => r.validity)).toEqual(["archived"]);
        // The validity facet counts what the switch hides, so the page can say so.
        expect(byDefault.facets.validity.map((f) => [f.value, f.count])).toEqual([
          ["not_yet_valid", 1],
          ["expired", 1],
        ]);
      });

      it("keeps restricted circulars and drafts from those outside the audience", async () => {
        expect(numbers(await find(employee, { q: "loonbeslag" }))).toEqual([]);
        expect(numbers(await find(insider, { q: "loonbeslag" }))).toEqual([ids.restricted!.number]);
        expect(numbers(await find(editor, { q: "loonbeslag" }))).toEqual([ids.restricted!.number]);
        expect(numbers(await find(employee, { q: "veiligheidsschoenen" }))).toEqual([]);
        expect(numbers(await find(fieldWorker, { q: "veiligheidsschoenen" }))).toEqual([
          ids.fieldOnly!.number,
        ]);
        for (const reader of [employee, editor]) {
          expect(numbers(await find(reader, { q: "geheim ontwerp reorganisatie", include: "all" }))).toEqual(
            [],
          );
        }
        // Browsing without a query obeys the same rules.
        const browse = await find(employee, { include: "all", limit: "50" });
        expect(numbers(browse)).not.toContain(ids.restricted!.number);
        expect(numbers(browse)).not.toContain(ids.draft!.number);
        expect((await find(editor, { include: "all", limit: "50" })).total).toBe(browse.total + 2);
      });

      it("does not offer words of circulars the reader may not see as corrections", async () => {
        const response = await find(employee, { q: "loonbeslg" });
        expect(response.results).toEqual([]);
        expect(response.correctedQuery).toBeNull();
      });

      it("counts facets per theme, department, validity and year, each without its own filter", async () => {
        const response = await find(employee, { q: "", include: "all", limit: "50" });
        const theme = (slug: string) => response.facets.themes.find((f) => f.value === slug);
        expect(theme(themeHr)).toMatchObject({ label: "Personeel", count: 2, selected: false });
        expect(theme(themeMobility)).toMatchObject({ label: "Mobiliteit", count: 2 });
        const hr = response.facets.departments.find((f) => f.value === hrDepartment.id);
        expect(hr).toMatchObject({ label: "Personeel en Organisatie", count: 2 });
        expect(response.facets.years).toHaveLength(1);

        const filtered = await find(employee, { theme: themeHr, include: "all" });
        expect(numbers(filtered).sort()).toEqual([ids.stemming!.number, ids.prefix!.number].sort());
        // Other themes stay countable, so the reader can widen the choice.
        expect(filtered.facets.themes.find((f) => f.value === themeMobility)?.count).toBe(2);
        expect(filtered.facets.themes.find((f) => f.value === themeHr)?.selected).toBe(true);
        const both = await find(employee, { theme: [themeHr, themeMobility], department: hrDepartment.id });
        expect(numbers(both).sort()).toEqual([ids.stemming!.number, ids.prefix!.number].sort());
      });

      it("escapes document text in snippets and marks only the hits", async () => {
        const response = await find(employee, { q: "kwaadaardige" });
        const snippet = response.results[0]!.snippet;
        expect(snippet).toContain("<mark>kwaadaardige</mark>");
        expect(snippet).not.toContain("<script>");
        expect(snippet.replace(/<\/?mark>/g, "")).not.toMatch(/<|>/);
      });

      it("marks a match far down a long text in the snippet, without cutting words", async () => {
        const response = await find(employee, { q: "feestmaal" });
        expect(numbers(response)).toEqual([ids.deepMatch!.number]);
        const snippet = response.results[0]!.snippet;
        expect(snippet).toContain("<mark>feestmaal</mark>");
        expect(snippet).not.toContain("Praktische afspraken");
        // The window around the match starts and ends with whole words of the text.
        const words = new Set(
          "Deze tekst vult de circulaire met algemene uitleg over de diensten Na afloop is er een feestmaal voor alle vrijwilligers en hun gezin".split(
            " ",
          ),
        );
        for (const word of snippet
          .replace(/<\/?mark>/g, "")
          .split(/[^\p{L}]+/u)
          .filter(Boolean)) {
          expect(words).toContain(word);
        }
      });

      it("pages through results", async () => {
        const first = await find(editor, { include: "all", limit: "3" });
        const second = await find(editor, { include: "all", limit: "3", offset: "3" });
        expect(first.results).toHaveLength(3);
        expect(second.results).toHaveLength(3);
        expect(new Set([...numbers(first), ...numbers(second)]).size).toBe(6);
        expect(second.total).toBe(first.total);
      });
    },
  );
}

describe("query parameters", () => {
  it("refuses bad input with English messages", () => {
    const bad = (query: string) => {
      const parsed = parseSearchParams(new URLSearchParams(query));
      return parsed.ok ? [] : parsed.errors;
    };
    expect(bad(`q=${"a".repeat(201)}`)).toEqual(["q: q is longer than 200 characters"]);
    expect(bad("limit=500")[0]).toMatch(/limit must be at most 50/);
    expect(bad("limit=abc")[0]).toMatch(/limit/);
    expect(bad("offset=-1")[0]).toMatch(/offset must not be negative/);
    expect(bad("validity=forever")[0]).toMatch(/validity must be one of/);
    expect(bad("type=document")[0]).toMatch(/type must be one of: circular, post, person/);
    expect(bad("year=twintig")[0]).toMatch(/year/);
    expect(bad("include=some")[0]).toMatch(/include must be 'all'/);
    expect(bad("q=a&q=b")).toEqual(["q: give it once"]);
    expect(bad("theme=<script>")[0]).toMatch(/theme/);
    expect(bad("q=thuiswerk&theme=&validity=valid,expired&year=2025")).toEqual([]);
  });
});
