import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createCsrfToken, csrfCookieName } from "~/modules/identity/csrf.server";
import { createUserSession } from "~/modules/identity/session.server";
import { action as readingAction, loader as readingLoader } from "~/routes/circulaires.$year.$seq._index";
import { loader as csvLoader } from "~/routes/circulaires.$year.$seq.lezers[.]csv";
import { loader as readersLoader } from "~/routes/circulaires.$year.$seq.lezers";
import { loader as versionLoader } from "~/routes/circulaires.$year.$seq.versies.$version";
import { loader as versionsLoader } from "~/routes/circulaires.$year.$seq.versies";
import { buildDepartment, buildPublishedCircular, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { type Reader } from "./policy.server";
import {
  getReadingView,
  listVersions,
  relatedCirculars,
  versionInForceFor,
  versionsToCompare,
} from "./reading.server";

setupTestDatabase();

let departmentId: string;
let insider: Reader;
let outsider: Reader;
let editor: Reader;
let insiderId: string;
let outsiderId: string;
let themeId: string;

const readerOf = (
  id: string,
  departmentId: string | null,
  roles: Reader["roles"] = ["employee"],
): Reader => ({
  id,
  roles,
  isFieldWorker: false,
  department: departmentId ? { id: departmentId, parentId: null } : null,
});

beforeAll(async () => {
  const department = await buildDepartment();
  const other = await buildDepartment();
  departmentId = department.id;
  insiderId = (await buildUser({ departmentId })).id;
  outsiderId = (await buildUser({ departmentId: other.id })).id;
  insider = readerOf(insiderId, departmentId);
  outsider = readerOf(outsiderId, other.id);
  editor = readerOf((await buildUser({ departmentId: other.id }, ["editor"])).id, other.id, [
    "employee",
    "editor",
  ]);
  themeId = (
    await prisma.theme.create({ data: { slug: `t-${Date.now()}`, nameNl: "Thema", nameEn: "Theme" } })
  ).id;
});

const notFound = { code: "not_found" };

describe("reading policy", () => {
  it("hides a never-published draft from readers, and tells editors it has no published version", async () => {
    const draft = await buildPublishedCircular({ versions: [] });
    await expect(getReadingView(insider, draft.number)).rejects.toMatchObject(notFound);
    await expect(listVersions(insider, draft.number)).rejects.toMatchObject(notFound);
    await expect(getReadingView(editor, draft.number)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("hides a restricted circular from everyone outside its audience, on every read", async () => {
    const restricted = await buildPublishedCircular({
      audience: [`department:${departmentId}`],
      versions: [{ title: "Alleen voor de dienst" }, { title: "Alleen voor de dienst (2)" }],
    });
    await expect(getReadingView(outsider, restricted.number)).rejects.toMatchObject(notFound);
    await expect(getReadingView(outsider, restricted.number, { version: 1 })).rejects.toMatchObject(notFound);
    await expect(listVersions(outsider, restricted.number)).rejects.toMatchObject(notFound);
    await expect(versionsToCompare(outsider, restricted.number, 1, 2)).rejects.toMatchObject(notFound);
    await expect(versionInForceFor(outsider, restricted.number, new Date())).rejects.toMatchObject(notFound);
    expect((await getReadingView(insider, restricted.number)).version.title).toBe(
      "Alleen voor de dienst (2)",
    );
    expect((await getReadingView(editor, restricted.number)).canManage).toBe(true);
  });

  it("reports an unknown circular exactly like an unreadable one", async () => {
    await expect(getReadingView(insider, "1999/999")).rejects.toMatchObject(notFound);
  });
});

describe("reading view", () => {
  it("shows the published version, never the working copy, and flags the pending change to editors only", async () => {
    const circular = await buildPublishedCircular({
      versions: [{ title: "Gepubliceerde titel", paragraphs: ["Gepubliceerde tekst."] }],
    });
    await prisma.circular.update({
      where: { id: circular.id },
      data: { status: "draft", title: "Geheime nieuwe titel" },
    });
    const forReader = await getReadingView(insider, circular.number);
    expect(forReader.version.title).toBe("Gepubliceerde titel");
    expect(forReader.version.html).toContain("Gepubliceerde tekst.");
    expect(forReader.pendingChange).toBeNull();
    expect(forReader.canManage).toBe(false);
    const forEditor = await getReadingView(editor, circular.number);
    expect(forEditor.pendingChange).toBe("draft");
    expect(forEditor.version.title).toBe("Gepubliceerde titel");
  });

  it("renders headings with a table of contents and lists the version's own attachments only", async () => {
    const circular = await buildPublishedCircular();
    const other = await buildPublishedCircular();
    const file = (circularId: string, fileName: string) =>
      prisma.circularAttachment.create({
        data: {
          circularId,
          fileName,
          mediaType: "application/pdf",
          size: 1234,
          sha256: "x".repeat(64),
          storageKey: `k/${fileName}`,
          uploadedById: editor.id,
        },
      });
    const own = await file(circular.id, "formulier.pdf");
    const foreign = await file(other.id, "vreemd.pdf");
    await prisma.circular.update({ where: { id: circular.id }, data: { publishedVersion: 2 } });
    await prisma.circularVersion.create({
      data: {
        circularId: circular.id,
        version: 2,
        title: "Met bijlage",
        summary: "",
        body: {
          root: {
            type: "root",
            children: [
              { type: "heading", tag: "h2", children: [{ type: "text", text: "Aanvragen" }] },
              { type: "paragraph", children: [{ type: "text", text: "Zo vraag je het aan." }] },
              { type: "heading", tag: "h2", children: [{ type: "text", text: "Vergoeding" }] },
            ],
          },
        },
        changeNote: "Bijlage toegevoegd",
        substantial: false,
        audience: ["all"],
        attachmentIds: [own.id, foreign.id],
        authorId: editor.id,
        approvedById: editor.id,
      },
    });
    const view = await getReadingView(insider, circular.number);
    expect(view.version.toc.map((entry) => entry.id)).toEqual(["aanvragen", "vergoeding"]);
    expect(view.version.html).toContain('id="aanvragen"');
    expect(view.version.attachments.map((a) => a.fileName)).toEqual(["formulier.pdf"]);
    const old = await getReadingView(insider, circular.number, { version: 1 });
    expect(old.isLatest).toBe(false);
    expect(old.version.attachments).toEqual([]);
  });

  it("computes validity, and links the successor only for those who may read it", async () => {
    const old = await buildPublishedCircular({ versions: [{ validFrom: new Date("2020-01-01T00:00:00Z") }] });
    const successor = await buildPublishedCircular({
      audience: [`department:${departmentId}`],
      supersedesId: old.id,
      versions: [{ title: "De opvolger", validFrom: new Date("2021-01-01T00:00:00Z") }],
    });
    const forInsider = await getReadingView(insider, old.number);
    expect(forInsider.validity).toBe("superseded");
    expect(forInsider.supersededBy).toEqual({ number: successor.number, title: "De opvolger" });
    const forOutsider = await getReadingView(outsider, old.number);
    expect(forOutsider.validity).toBe("superseded");
    expect(forOutsider.supersededBy).toBeNull();

    const future = await buildPublishedCircular({
      versions: [{ validFrom: new Date("2999-01-01T00:00:00Z") }],
    });
    expect((await getReadingView(insider, future.number)).validity).toBe("not_yet_valid");
    const expired = await buildPublishedCircular({
      versions: [{ validUntil: new Date("2001-01-01T00:00:00Z") }],
    });
    expect((await getReadingView(insider, expired.number)).validity).toBe("expired");
  });

  it("relates readable circulars that share a theme, valid ones first", async () => {
    const main = await buildPublishedCircular({ themeIds: [themeId] });
    const expired = await buildPublishedCircular({
      themeIds: [themeId],
      versions: [{ title: "Verlopen verwant", validUntil: new Date("2001-01-01T00:00:00Z") }],
    });
    const valid = await buildPublishedCircular({
      themeIds: [themeId],
      versions: [{ title: "Geldig verwant" }],
    });
    const hidden = await buildPublishedCircular({
      themeIds: [themeId],
      audience: [`department:${departmentId}`],
      versions: [{ title: "Beperkt verwant" }],
    });
    const draft = await buildPublishedCircular({ themeIds: [themeId], versions: [] });
    const numbers = (await relatedCirculars(outsider, { id: main.id, themeIds: [themeId] })).map(
      (r) => r.number,
    );
    expect(numbers.indexOf(valid.number)).toBeLessThan(numbers.indexOf(expired.number));
    expect(numbers).not.toContain(hidden.number);
    expect(numbers).not.toContain(draft.number);
    expect(numbers).not.toContain(main.number);
    const forEditor = (await relatedCirculars(editor, { id: main.id, themeIds: [themeId] })).map(
      (r) => r.number,
    );
    expect(forEditor).toContain(hidden.number);
    expect(forEditor).not.toContain(draft.number);
  });
});

describe("versions", () => {
  it("lists versions newest first and answers what was in force on a day", async () => {
    const circular = await buildPublishedCircular({
      versions: [
        { title: "Eerste", publishedAt: new Date("2024-01-10T09:00:00Z") },
        { title: "Tweede", publishedAt: new Date("2025-03-01T09:00:00Z"), changeNote: "Bedragen aangepast" },
      ],
    });
    const history = await listVersions(insider, circular.number);
    expect(history.versions.map((v) => [v.version, v.changeNote])).toEqual([
      [2, "Bedragen aangepast"],
      [1, "Eerste versie"],
    ]);
    expect(await versionInForceFor(insider, circular.number, new Date("2024-06-01T00:00:00Z"))).toEqual({
      version: 1,
      title: "Eerste",
    });
    expect(
      (await versionInForceFor(insider, circular.number, new Date("2025-06-01T00:00:00Z")))?.version,
    ).toBe(2);
    expect(await versionInForceFor(insider, circular.number, new Date("2023-06-01T00:00:00Z"))).toBeNull();
    const { older, newer } = await versionsToCompare(insider, circular.number, 2, 1);
    expect([older.version, newer.version]).toEqual([1, 2]);
    await expect(versionsToCompare(insider, circular.number, 1, 7)).rejects.toMatchObject(notFound);
  });
});

describe("route loaders", () => {
  const context = { cspNonce: "n", csrfToken: "t" };
  let insiderCookie: string;
  let outsiderCookie: string;

  beforeAll(async () => {
    insiderCookie = (await createUserSession({ userId: insiderId, method: "dev" })).split(";")[0]!;
    outsiderCookie = (await createUserSession({ userId: outsiderId, method: "dev" })).split(";")[0]!;
  });

  const paramsOf = (number: string) => {
    const [year, seq] = number.split("/");
    return { year, seq };
  };
  const get = (path: string, cookie: string) =>
    new Request(`http://localhost:3000${path}`, { headers: { Cookie: cookie } });
  async function statusOf(promise: Promise<unknown>): Promise<number> {
    try {
      const result = await promise;
      return result instanceof Response ? result.status : 200;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    }
  }

  it("answers 404 to a reader outside the audience on every page, and serves the reader inside", async () => {
    const restricted = await buildPublishedCircular({
      audience: [`department:${departmentId}`],
      versions: [{}, {}],
      responsibleUserId: insiderId,
    });
    const params = paramsOf(restricted.number);
    const base = `/circulaires/${restricted.number}`;
    const pages = [
      () => readingLoader({ request: get(base, outsiderCookie), params, context }),
      () => versionsLoader({ request: get(`${base}/versies`, outsiderCookie), params, context }),
      () =>
        versionLoader({
          request: get(`${base}/versies/1`, outsiderCookie),
          params: { ...params, version: "1" },
          context,
        }),
      () => readersLoader({ request: get(`${base}/lezers`, outsiderCookie), params, context }),
      () => csvLoader({ request: get(`${base}/lezers.csv`, outsiderCookie), params, context }),
    ];
    for (const page of pages) expect(await statusOf(page())).toBe(404);

    const ok = (await readingLoader({ request: get(base, insiderCookie), params, context })) as Awaited<
      ReturnType<typeof readingLoader>
    >;
    expect(ok.view.version.version).toBe(2);
    // Audience keys stay on the server.
    expect(ok.view.circular.publishedAudience).toEqual([]);
    expect(ok.acknowledgement).toMatchObject({ required: true, version: 1, acknowledgedAt: null });
  });

  it("answers 404 for a draft, and 403 on the readers overview for a reader who is not the owner", async () => {
    const draft = await buildPublishedCircular({ versions: [] });
    expect(
      await statusOf(
        readingLoader({
          request: get(`/circulaires/${draft.number}`, insiderCookie),
          params: paramsOf(draft.number),
          context,
        }),
      ),
    ).toBe(404);
    const open = await buildPublishedCircular();
    expect(
      await statusOf(
        readersLoader({
          request: get(`/circulaires/${open.number}/lezers`, insiderCookie),
          params: paramsOf(open.number),
          context,
        }),
      ),
    ).toBe(403);
    expect(
      await statusOf(
        readingLoader({
          request: get("/circulaires/abcd/1", insiderCookie),
          params: { year: "abcd", seq: "1" },
          context,
        }),
      ),
    ).toBe(404);
  });

  it("acknowledges through the action with a CSRF token, and refuses without one", async () => {
    const circular = await buildPublishedCircular();
    const params = paramsOf(circular.number);
    const token = createCsrfToken();
    const post = (fields: Record<string, string>, withToken = true) =>
      new Request(`http://localhost:3000/circulaires/${circular.number}`, {
        method: "POST",
        headers: {
          Cookie: `${insiderCookie}; ${csrfCookieName()}=${encodeURIComponent(token)}`,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams(withToken ? { ...fields, csrf: token } : fields),
      });
    expect(
      await statusOf(readingAction({ request: post({ intent: "acknowledge" }, false), params, context })),
    ).toBe(403);
    expect(await prisma.circularAcknowledgement.count({ where: { circularId: circular.id } })).toBe(0);
    const response = await readingAction({ request: post({ intent: "acknowledge" }), params, context });
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(302);
    expect(
      await prisma.circularAcknowledgement.count({ where: { circularId: circular.id, userId: insiderId } }),
    ).toBe(1);
    const bad = await readingAction({ request: post({ intent: "ask", question: "kort" }), params, context });
    expect(bad).toMatchObject({
      data: { intent: "ask", ok: false, error: "questionTooShort" },
      init: { status: 400 },
    });
  });
});
