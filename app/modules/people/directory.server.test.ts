import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  DIRECTORY_PAGE_SIZE,
  directoryDepartments,
  parseDirectoryParams,
  queryWords,
  searchPeople,
  type DirectoryParams,
} from "./directory.server";

setupTestDatabase();

const reader = { id: "reader", roles: ["employee"] as const };
const ids: Record<string, string> = {};
let departmentCode: string;
let serviceCode: string;
let otherCode: string;

function params(overrides: Partial<DirectoryParams> = {}): DirectoryParams {
  return { q: "", expertise: "", dienst: "", pagina: 1, ...overrides };
}

async function names(overrides: Partial<DirectoryParams>) {
  return (await searchPeople(reader, params(overrides))).people.map((p) => p.displayName);
}

beforeAll(async () => {
  const department = await buildDepartment({ name: "Departement Zorgtest" });
  const service = await buildDepartment({ name: "Dienst Groentest", parentId: department.id });
  const other = await buildDepartment({ name: "Departement Andertest" });
  departmentCode = department.code;
  serviceCode = service.code;
  otherCode = other.code;
  const people = [
    {
      key: "fatima",
      displayName: "Fatima El Amrani",
      departmentId: department.id,
      expertise: ["Subsidies", "Excel"],
    },
    { key: "pieter", displayName: "Pieter De Smet", departmentId: service.id, expertise: ["GIS"] },
    {
      key: "helene",
      displayName: "Hélène Vandeputte",
      departmentId: other.id,
      expertise: ["Overheidsopdrachten"],
    },
    {
      key: "marc",
      displayName: "Marc De Wilde",
      departmentId: service.id,
      isFieldWorker: true,
      email: null,
      expertise: ["Snoeien", "Boomverzorging"],
    },
    { key: "dirk", displayName: "Dirk Desmet", departmentId: other.id },
    { key: "sofie", displayName: "Sofie Vermeulen", departmentId: other.id },
    {
      key: "gone",
      displayName: "Fatma Vertrokken",
      departmentId: department.id,
      active: false,
      expertise: ["GIS"],
    },
  ];
  for (const { key, ...data } of people) ids[key] = (await buildUser(data)).id;
});

describe("parseDirectoryParams", () => {
  it("reads the Dutch parameters and defaults the page", () => {
    expect(parseDirectoryParams(new URLSearchParams("q=%20fatim%20&dienst=MOR-GRO&onbekend=1"))).toEqual({
      ok: true,
      value: { q: "fatim", expertise: "", dienst: "MOR-GRO", pagina: 1 },
    });
  });

  it.each([
    ["pagina=0"],
    ["pagina=abc"],
    ["pagina=100000"],
    ["dienst=%27%3B%20drop"],
    [`q=${"a".repeat(101)}`],
  ])("refuses %s", (query) => {
    expect(parseDirectoryParams(new URLSearchParams(query))).toEqual({ ok: false });
  });
});

describe("queryWords", () => {
  it("keeps letters and digits only, so no regex or SQL syntax reaches the query", () => {
    expect(queryWords("O'Sullivan (.*) [a-z]+ Zoë")).toEqual(["O", "Sullivan", "a", "z", "Zoë"]);
  });
});

describe("searchPeople", () => {
  it("finds a name by the start of a word", async () => {
    expect(await names({ q: "fatim" })).toEqual(["Fatima El Amrani"]);
    expect(await names({ q: "amra" })).toEqual(["Fatima El Amrani"]);
  });

  it("finds family names with particles and several words", async () => {
    // "Desmet" starts with "de" and looks like "smet": it is found, after the exact match.
    expect(await names({ q: "De Smet" })).toEqual(["Pieter De Smet", "Dirk Desmet"]);
    expect(await names({ q: "pieter smet" })).toEqual(["Pieter De Smet"]);
  });

  it("ignores accents both ways", async () => {
    expect(await names({ q: "helene" })).toEqual(["Hélène Vandeputte"]);
    expect(await names({ q: "HÉLÈNE" })).toEqual(["Hélène Vandeputte"]);
    expect(await names({ q: "Fâtïma" })).toEqual(["Fatima El Amrani"]);
  });

  it("tolerates a small typo, but ranks exact prefixes first", async () => {
    expect(await names({ q: "Vandeputta" })).toEqual(["Hélène Vandeputte"]);
    expect(await names({ q: "fatma" })).toEqual(["Fatima El Amrani"]);
    expect(await names({ q: "sofie vermuelen" })).toEqual(["Sofie Vermeulen"]);
    expect(await names({ q: "smet" })).toEqual(["Pieter De Smet", "Dirk Desmet"]);
  });

  it("finds people by the start of an expertise tag typed in the search box", async () => {
    expect(await names({ q: "overheidsopdr" })).toEqual(["Hélène Vandeputte"]);
  });

  it("filters on an expertise tag regardless of case and accents", async () => {
    expect(await names({ expertise: "gis" })).toEqual(["Pieter De Smet"]);
    expect(await names({ expertise: "OVERHEIDSOPDRACHTEN" })).toEqual(["Hélène Vandeputte"]);
    expect(await names({ expertise: "Snoei" })).toEqual([]);
  });

  it("filters on a department including its services, or on one service", async () => {
    expect(await names({ dienst: departmentCode })).toEqual([
      "Fatima El Amrani",
      "Marc De Wilde",
      "Pieter De Smet",
    ]);
    expect(await names({ dienst: serviceCode })).toEqual(["Marc De Wilde", "Pieter De Smet"]);
    expect(await names({ dienst: otherCode, q: "fatima" })).toEqual([]);
    expect(await names({ dienst: "BESTAAT-NIET" })).toEqual([]);
  });

  it("includes field workers and leaves inactive colleagues out", async () => {
    const page = await searchPeople(reader, params({ q: "marc de wilde" }));
    expect(page.people).toEqual([
      expect.objectContaining({
        id: ids.marc,
        isFieldWorker: true,
        initials: "MD",
        unit: { name: "Dienst Groentest", code: serviceCode },
        department: { name: "Departement Zorgtest", code: departmentCode },
      }),
    ]);
    expect(await names({ q: "vertrokken" })).toEqual([]);
    expect(await names({ expertise: "GIS" })).not.toContain("Fatma Vertrokken");
  });

  it("pages through the results with a total", async () => {
    const extra = await buildDepartment();
    for (let i = 0; i < DIRECTORY_PAGE_SIZE + 2; i += 1) {
      await buildUser({ displayName: `Paginatest ${String(i).padStart(2, "0")}`, departmentId: extra.id });
    }
    const first = await searchPeople(reader, params({ dienst: extra.code }));
    expect(first).toMatchObject({ total: DIRECTORY_PAGE_SIZE + 2, page: 1, pageCount: 2 });
    expect(first.people).toHaveLength(DIRECTORY_PAGE_SIZE);
    expect(first.people[0]?.displayName).toBe("Paginatest 00");
    const second = await searchPeople(reader, params({ dienst: extra.code, pagina: 2 }));
    expect(second.people.map((p) => p.displayName)).toEqual(["Paginatest 24", "Paginatest 25"]);
  });
});

describe("directoryDepartments", () => {
  it("lists departments with their services", async () => {
    const departments = await directoryDepartments();
    expect(departments).toContainEqual({
      code: departmentCode,
      name: "Departement Zorgtest",
      services: [{ code: serviceCode, name: "Dienst Groentest" }],
    });
    expect(departments.some((d) => d.code === serviceCode)).toBe(false);
    expect(await prisma.department.count()).toBeGreaterThan(0);
  });
});
