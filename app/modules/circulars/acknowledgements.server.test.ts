import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildDepartment, buildPublishedCircular, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  acknowledgeCircular,
  acknowledgementCsv,
  acknowledgementCsvFileName,
  acknowledgementOverview,
  acknowledgementStatus,
  pendingAcknowledgements,
} from "./acknowledgements.server";
import { type Reader } from "./policy.server";

setupTestDatabase();

let departmentId: string;
let serviceId: string;
let reader: Reader;
let colleague: Reader;
let outsider: Reader;
let editor: Reader;

const asReader = (
  user: { id: string; isFieldWorker: boolean },
  department: { id: string; parentId: string | null } | null,
  roles: Reader["roles"] = ["employee"],
): Reader => ({ id: user.id, roles, isFieldWorker: user.isFieldWorker, department });

beforeAll(async () => {
  const department = await buildDepartment({ name: "Departement Zorg" });
  const service = await buildDepartment({ parentId: department.id, name: "Dienst Thuiszorg" });
  const other = await buildDepartment({ name: "Departement Anders" });
  departmentId = department.id;
  serviceId = service.id;
  reader = asReader(await buildUser({ departmentId: serviceId, displayName: "Anna Aerts" }), {
    id: serviceId,
    parentId: departmentId,
  });
  colleague = asReader(
    await buildUser({ departmentId, displayName: "=Bert Baert", jobTitle: 'Coördinator "zorg"; team' }),
    { id: departmentId, parentId: null },
  );
  outsider = asReader(await buildUser({ departmentId: other.id }), { id: other.id, parentId: null });
  editor = asReader(
    await buildUser({ departmentId: other.id }, ["editor"]),
    { id: other.id, parentId: null },
    ["employee", "editor"],
  );
});

async function statusFor(who: Reader, number: string) {
  const circular = await prisma.circular.findUniqueOrThrow({ where: { number } });
  return acknowledgementStatus(who, circular, "valid");
}

describe("acknowledging", () => {
  it("refuses readers outside the audience, editors included", async () => {
    const circular = await buildPublishedCircular({ audience: [`department:${departmentId}`] });
    await expect(acknowledgeCircular(outsider, circular.number)).rejects.toMatchObject({ code: "not_found" });
    await expect(acknowledgeCircular(editor, circular.number)).rejects.toMatchObject({ code: "forbidden" });
    expect(await statusFor(editor, circular.number)).toEqual({ required: false });
    expect(await prisma.circularAcknowledgement.count({ where: { circularId: circular.id } })).toBe(0);
  });

  it("is idempotent and keeps the first moment", async () => {
    const circular = await buildPublishedCircular({ audience: [`department:${departmentId}`] });
    expect(await acknowledgeCircular(reader, circular.number)).toEqual({
      version: 1,
      alreadyAcknowledged: false,
    });
    const first = await prisma.circularAcknowledgement.findFirstOrThrow({
      where: { circularId: circular.id },
    });
    expect(await acknowledgeCircular(reader, circular.number)).toEqual({
      version: 1,
      alreadyAcknowledged: true,
    });
    const rows = await prisma.circularAcknowledgement.findMany({ where: { circularId: circular.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.acknowledgedAt).toEqual(first.acknowledgedAt);
  });

  it("asks again after a substantial version, not after a non-substantial one", async () => {
    const circular = await buildPublishedCircular();
    await acknowledgeCircular(reader, circular.number);
    // Version 2: a typo fixed. Still confirmed.
    await prisma.circularVersion.create({
      data: {
        circularId: circular.id,
        version: 2,
        title: "t",
        summary: "",
        body: { root: { type: "root", children: [] } },
        changeNote: "Tikfout",
        substantial: false,
        audience: ["all"],
        attachmentIds: [],
        authorId: editor.id,
        approvedById: editor.id,
      },
    });
    await prisma.circular.update({ where: { id: circular.id }, data: { publishedVersion: 2 } });
    expect(await statusFor(reader, circular.number)).toMatchObject({ required: true, version: 1 });
    expect((await statusFor(reader, circular.number)) as { acknowledgedAt: string | null }).not.toMatchObject(
      {
        acknowledgedAt: null,
      },
    );
    expect((await pendingAcknowledgements(reader)).map((p) => p.number)).not.toContain(circular.number);

    // Version 3: new rules. Asked again.
    await prisma.circularVersion.create({
      data: {
        circularId: circular.id,
        version: 3,
        title: "t3",
        summary: "",
        body: { root: { type: "root", children: [] } },
        changeNote: "Nieuwe regels",
        substantial: true,
        audience: ["all"],
        attachmentIds: [],
        authorId: editor.id,
        approvedById: editor.id,
      },
    });
    await prisma.circular.update({ where: { id: circular.id }, data: { publishedVersion: 3 } });
    expect(await statusFor(reader, circular.number)).toEqual({
      required: true,
      version: 3,
      acknowledgedAt: null,
      previouslyAcknowledged: 1,
    });
    const pending = (await pendingAcknowledgements(reader)).find((p) => p.number === circular.number);
    expect(pending).toMatchObject({ version: 3, again: true, title: "t3" });
    expect(await acknowledgeCircular(reader, circular.number)).toEqual({
      version: 3,
      alreadyAcknowledged: false,
    });
    expect(await statusFor(reader, circular.number)).toMatchObject({
      version: 3,
      previouslyAcknowledged: null,
    });
  });

  it("is not asked for circulars that do not require it, or that are no longer in force", async () => {
    const optional = await buildPublishedCircular({ requiresAcknowledgement: false });
    const archived = await buildPublishedCircular({ status: "archived", archivedAt: new Date("2020-01-01") });
    const expired = await buildPublishedCircular({
      versions: [{ validUntil: new Date("2001-01-01T00:00:00Z") }],
    });
    for (const circular of [optional, archived, expired]) {
      await expect(acknowledgeCircular(reader, circular.number)).rejects.toMatchObject({
        code: "invalid_state",
      });
    }
    const numbers = (await pendingAcknowledgements(reader)).map((p) => p.number);
    for (const circular of [optional, archived, expired]) expect(numbers).not.toContain(circular.number);
  });
});

describe("pendingAcknowledgements", () => {
  it("lists what is left for this person only, newest first, never drafts or other audiences", async () => {
    const older = await buildPublishedCircular({
      versions: [{ publishedAt: new Date("2030-01-01T09:00:00Z") }],
    });
    const newer = await buildPublishedCircular({
      audience: [`department:${departmentId}`],
      versions: [{ title: "Voor Zorg", publishedAt: new Date("2030-02-01T09:00:00Z") }],
    });
    const notForReader = await buildPublishedCircular({
      audience: ["field-workers"],
      versions: [{ publishedAt: new Date("2030-03-01T09:00:00Z") }],
    });
    const draft = await buildPublishedCircular({ versions: [] });
    const mine = (await pendingAcknowledgements(reader)).map((p) => p.number);
    expect(mine.indexOf(newer.number)).toBeGreaterThanOrEqual(0);
    expect(mine.indexOf(newer.number)).toBeLessThan(mine.indexOf(older.number));
    expect(mine).not.toContain(notForReader.number);
    expect(mine).not.toContain(draft.number);
    const theirs = (await pendingAcknowledgements(outsider)).map((p) => p.number);
    expect(theirs).toContain(older.number);
    expect(theirs).not.toContain(newer.number);
    // Editors see everything, but only confirm what is addressed to them.
    expect((await pendingAcknowledgements(editor)).map((p) => p.number)).not.toContain(newer.number);
  });
});

describe("owner's overview and CSV", () => {
  it("is for editors and the responsible person only", async () => {
    const circular = await buildPublishedCircular({ responsibleUserId: colleague.id });
    await expect(acknowledgementOverview(reader, circular.number)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(acknowledgementOverview(colleague, circular.number)).resolves.toBeTruthy();
    await expect(acknowledgementOverview(editor, circular.number)).resolves.toBeTruthy();
  });

  it("lets the responsible person see it even outside the audience, but nobody else outside it", async () => {
    const circular = await buildPublishedCircular({
      audience: [`department:${departmentId}`],
      responsibleUserId: outsider.id,
    });
    await expect(acknowledgementOverview(outsider, circular.number)).resolves.toMatchObject({ total: 2 });
    const stranger = asReader(await buildUser(), null);
    await expect(acknowledgementOverview(stranger, circular.number)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("counts per department, services folded in, and exports a properly quoted Dutch CSV", async () => {
    const circular = await buildPublishedCircular({ audience: [`department:${departmentId}`] });
    await acknowledgeCircular(reader, circular.number);
    const overview = await acknowledgementOverview(editor, circular.number);
    expect(overview.total).toBe(2);
    expect(overview.acknowledged).toBe(1);
    expect(overview.departments).toHaveLength(1);
    const group = overview.departments[0]!;
    expect(group).toMatchObject({ name: "Departement Zorg", total: 2, acknowledged: 1 });
    expect(group.people.map((p) => [p.displayName, p.service, Boolean(p.acknowledgedAt)])).toEqual(
      [
        ["=Bert Baert", null, false],
        ["Anna Aerts", "Dienst Thuiszorg", true],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

    const csv = acknowledgementCsv(overview);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const rows = parse(csv.slice(1), { delimiter: ";" }) as string[][];
    expect(rows[0]).toEqual([
      "Departement",
      "Dienst",
      "Naam",
      "Personeelsnummer",
      "Functie",
      "Gelezen en begrepen (versie 1)",
      "Bevestigd op",
    ]);
    const anna = rows.find((row) => row[2] === "Anna Aerts")!;
    expect(anna.slice(0, 3)).toEqual(["Departement Zorg", "Dienst Thuiszorg", "Anna Aerts"]);
    expect(anna[5]).toBe("ja");
    expect(anna[6]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const bert = rows.find((row) => row[2]?.includes("Bert"))!;
    // A leading "=" would make spreadsheets run a formula; the quote and semicolon survive quoting.
    expect(bert[2]).toBe("'=Bert Baert");
    expect(bert[4]).toBe('Coördinator "zorg"; team');
    expect(bert[5]).toBe("nee");
    expect(acknowledgementCsvFileName(overview)).toBe(
      `gelezen-en-begrepen-${circular.number.replace("/", "-")}-v1.csv`,
    );
  });
});
