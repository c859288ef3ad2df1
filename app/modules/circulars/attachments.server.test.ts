import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { resetEnvCache } from "~/env.server";
import { createCsrfToken } from "~/modules/identity/csrf.server";
import { createUserSession, getSessionUser, type SessionUser } from "~/modules/identity/session.server";
import { loader as downloadLoader } from "~/routes/bestanden.$id";
import { action as imageAction } from "~/routes/api.circulaires.$id.afbeeldingen";
import {
  action as attachmentsAction,
  loader as attachmentsLoader,
} from "~/routes/circulaires.$year.$seq.bijlagen";
import { buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  addCircularAttachment,
  findReadableFile,
  listCircularAttachments,
  removeCircularAttachment,
} from "./attachments.server";
import { CircularError } from "./errors";
import {
  type Actor,
  approveAndPublishCircular,
  archiveCircular,
  type CircularDraftInput,
  createCircularDraft,
  submitCircularForReview,
} from "./workflow.server";

const context = { cspNonce: "", csrfToken: "" };

process.env.FILE_STORAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-files-"));
resetEnvCache();
setupTestDatabase();

const fixtures = path.resolve(import.meta.dirname, "../../../tests/fixtures/files");
const fixture = (name: string) => ({
  bytes: new Uint8Array(fs.readFileSync(path.join(fixtures, name))),
  fileName: name,
});

let editor: Actor;
let reviewer: Actor;
let reader: SessionUser;
let outsider: SessionUser;
let editorUser: SessionUser;
let base: CircularDraftInput;
let readerDepartmentId: string;

async function sessionUser(userId: string): Promise<{ user: SessionUser; cookie: string }> {
  const setCookie = await createUserSession({ userId, method: "dev" });
  const cookie = setCookie.split(";")[0]!;
  const user = await getSessionUser(new Request("http://localhost/", { headers: { Cookie: cookie } }));
  return { user: user!, cookie };
}

function draftCircular(input: CircularDraftInput = base) {
  return createCircularDraft(editor, input);
}

async function approve(id: string) {
  await submitCircularForReview(editor, id, { changeNote: "Nieuwe versie" });
  await approveAndPublishCircular(reviewer, id);
}

beforeAll(async () => {
  const department = await buildDepartment();
  const readerDepartment = await buildDepartment();
  readerDepartmentId = readerDepartment.id;
  const editorRow = await buildUser({ departmentId: department.id }, ["editor"]);
  editor = { id: editorRow.id, roles: ["employee", "editor"] };
  reviewer = { id: (await buildUser({}, ["editor"])).id, roles: ["employee", "editor"] };
  reader = (await sessionUser((await buildUser({ departmentId: readerDepartment.id })).id)).user;
  outsider = (await sessionUser((await buildUser({ departmentId: department.id })).id)).user;
  editorUser = (await sessionUser(editorRow.id)).user;
  base = {
    title: "Gebruik van dienstvoertuigen",
    summary: "Wie mag een dienstwagen gebruiken en hoe reserveer je er een.",
    body: {
      root: {
        type: "root",
        children: [{ type: "paragraph", children: [{ type: "text", text: "Reserveer tijdig." }] }],
      },
    },
    ownerDepartmentId: department.id,
    responsibleUserId: editor.id,
  };
});

describe("adding and removing attachments", () => {
  it("adds a validated file with its extracted text and lists the working copy", async () => {
    const draft = await draftCircular();
    const added = await addCircularAttachment(editor, draft.id, fixture("parkeren.pdf"));
    expect(added).toMatchObject({
      fileName: "parkeren.pdf",
      mediaType: "application/pdf",
      url: `/bestanden/${added.id}`,
    });
    const row = await prisma.circularAttachment.findUniqueOrThrow({ where: { id: added.id } });
    expect(row.extractedText).toContain("ondergrondse parking");
    expect(row.uploadedById).toBe(editor.id);
    expect(await listCircularAttachments(draft.id)).toEqual([added]);
    // The index holds published versions only: a working-copy change enqueues nothing.
    expect(await prisma.searchIndexTask.count({ where: { sourceId: draft.id } })).toBe(0);
  });

  it("refuses a mislabelled file, a duplicate and a non-editor, and saves nothing", async () => {
    const draft = await draftCircular();
    await expect(
      addCircularAttachment(editor, draft.id, fixture("parkeren-hernoemd.docx")),
    ).rejects.toMatchObject({
      code: "mislabelled",
    });
    await addCircularAttachment(editor, draft.id, fixture("verlof.docx"));
    await expect(addCircularAttachment(editor, draft.id, fixture("verlof.docx"))).rejects.toMatchObject({
      code: "duplicate",
    });
    await expect(
      addCircularAttachment({ id: reader.id, roles: ["employee"] }, draft.id, fixture("tarieven.xlsx")),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await prisma.circularAttachment.count({ where: { circularId: draft.id } })).toBe(1);
  });

  it("keeps a removed attachment for the published version that lists it", async () => {
    const draft = await draftCircular();
    const kept = await addCircularAttachment(editor, draft.id, fixture("tarieven.xlsx"));
    await approve(draft.id);
    const before = await prisma.searchIndexTask.count({ where: { sourceId: draft.id } });
    await removeCircularAttachment(editor, draft.id, kept.id);
    expect(await listCircularAttachments(draft.id)).toEqual([]);
    expect(
      (await prisma.circularAttachment.findUniqueOrThrow({ where: { id: kept.id } })).removedAt,
    ).not.toBeNull();
    // The published version (and so the index) still lists it until the next publication.
    expect(await prisma.searchIndexTask.count({ where: { sourceId: draft.id } })).toBe(before);
    expect(await findReadableFile(reader, kept.id)).toMatchObject({ id: kept.id });
    await expect(removeCircularAttachment(editor, draft.id, kept.id)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("refuses changes to an archived circular", async () => {
    const draft = await draftCircular();
    const file = await addCircularAttachment(editor, draft.id, fixture("parkeren.pdf"));
    await archiveCircular(reviewer, draft.id);
    await expect(addCircularAttachment(editor, draft.id, fixture("verlof.docx"))).rejects.toMatchObject({
      code: "invalid_state",
    });
    await expect(removeCircularAttachment(editor, draft.id, file.id)).rejects.toBeInstanceOf(CircularError);
  });
});

describe("who may download a file", () => {
  it("hides a draft's attachment from readers but not from editors", async () => {
    const draft = await draftCircular();
    const file = await addCircularAttachment(editor, draft.id, fixture("parkeren.pdf"));
    expect(await findReadableFile(reader, file.id)).toBeNull();
    expect(await findReadableFile(editorUser, file.id)).not.toBeNull();
  });

  it("shows a published version's attachment, but not one added after publication", async () => {
    const draft = await draftCircular();
    const listed = await addCircularAttachment(editor, draft.id, fixture("parkeren.pdf"));
    await approve(draft.id);
    const pending = await addCircularAttachment(editor, draft.id, fixture("verlof.docx"));
    expect(await findReadableFile(reader, listed.id)).not.toBeNull();
    expect(await findReadableFile(reader, pending.id)).toBeNull();
  });

  it("follows a restricted audience", async () => {
    const restricted = await draftCircular({ ...base, audience: [`department:${readerDepartmentId}`] });
    const file = await addCircularAttachment(editor, restricted.id, fixture("parkeren.pdf"));
    const image = await addCircularAttachment(editor, restricted.id, fixture("logo.png"), "image");
    await approve(restricted.id);
    expect(await findReadableFile(reader, file.id)).not.toBeNull();
    expect(await findReadableFile(reader, image.id)).not.toBeNull();
    expect(await findReadableFile(outsider, file.id)).toBeNull();
    expect(await findReadableFile(outsider, image.id)).toBeNull();
    expect(await findReadableFile(reader, "../../etc/passwd")).toBeNull();
  });
});

describe("GET /bestanden/<id>", () => {
  async function get(fileId: string, cookie: string, query = "", headers: Record<string, string> = {}) {
    const request = new Request(`http://localhost/bestanden/${fileId}${query}`, {
      headers: { Cookie: cookie, ...headers },
    });
    try {
      return await downloadLoader({ request, params: { id: fileId }, context });
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }

  it("streams a readable file with safe headers, and 404 otherwise", async () => {
    const draft = await draftCircular({ ...base, title: "Dienstreizen naar het buitenland" });
    const file = await addCircularAttachment(editor, draft.id, {
      ...fixture("verlof.docx"),
      fileName: "Reisverzekering één.docx",
    });
    await approve(draft.id);
    const { cookie } = await sessionUser(reader.id);
    const response = await get(file.id, cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="Reisverzekering een.docx"; filename*=UTF-8''Reisverzekering%20%C3%A9%C3%A9n.docx`,
    );
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Content-Security-Policy")).toContain("sandbox");
    expect(response.headers.get("Cache-Control")).toMatch(/^private/);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(fixture("verlof.docx").bytes));

    const etag = response.headers.get("ETag")!;
    expect((await get(file.id, cookie, "", { "If-None-Match": etag })).status).toBe(304);

    const { cookie: outsiderCookie } = await sessionUser(outsider.id);
    const hiddenDraft = await draftCircular();
    const hidden = await addCircularAttachment(editor, hiddenDraft.id, fixture("parkeren.pdf"));
    expect((await get(hidden.id, outsiderCookie)).status).toBe(404);
    expect((await get("onbestaand0000", outsiderCookie)).status).toBe(404);
  });

  it("shows images and PDF previews inline", async () => {
    const draft = await draftCircular();
    const image = await addCircularAttachment(editor, draft.id, fixture("logo.png"), "image");
    const pdf = await addCircularAttachment(editor, draft.id, fixture("parkeren.pdf"));
    const { cookie } = await sessionUser(editor.id);
    const imageResponse = await get(image.id, cookie);
    expect(imageResponse.headers.get("Content-Type")).toBe("image/png");
    expect(imageResponse.headers.get("Content-Disposition")).toMatch(/^inline;/);
    expect((await get(pdf.id, cookie)).headers.get("Content-Disposition")).toMatch(/^attachment;/);
    const preview = await get(pdf.id, cookie, "?voorbeeld=1");
    expect(preview.headers.get("Content-Disposition")).toMatch(/^inline;/);
    expect(preview.headers.get("Content-Type")).toBe("application/pdf");
  });

  it("sends people who are not signed in to the login page", async () => {
    const response = await get("whatever00000", "");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/inloggen/);
  });
});

describe("upload routes", () => {
  const csrf = createCsrfToken();

  function multipart(
    fields: Record<string, string>,
    file?: { bytes: Uint8Array; fileName: string; type?: string },
  ) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (file)
      form.append("file", new Blob([Buffer.from(file.bytes)], { type: file.type ?? "" }), file.fileName);
    return form;
  }

  async function post(
    url: string,
    cookie: string,
    body: FormData | URLSearchParams,
    headers: Record<string, string> = {},
  ) {
    const request = new Request(url, {
      method: "POST",
      body,
      headers: { Cookie: `${cookie}; werkplek_csrf=${csrf}`, ...headers },
    });
    const params = Object.fromEntries(
      Object.entries(/\/circulaires\/(?<year>\d{4})\/(?<seq>\d+)/.exec(url)?.groups ?? {}).concat(
        Object.entries(/\/api\/circulaires\/(?<id>[^/]+)/.exec(url)?.groups ?? {}),
      ),
    );
    const handler = url.includes("/api/") ? imageAction : attachmentsAction;
    try {
      return (await handler({ request, params, context })) as
        Response | { data: unknown; init: ResponseInit | null };
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }

  const statusOf = (result: Response | { init: ResponseInit | null }) =>
    result instanceof Response ? result.status : (result.init?.status ?? 200);

  it("uploads and removes through /circulaires/<year>/<seq>/bijlagen with the CSRF token", async () => {
    const draft = await draftCircular();
    const [year, seq] = draft.number.split("/");
    const url = `http://localhost/circulaires/${year}/${seq}/bijlagen`;
    const { cookie } = await sessionUser(editor.id);

    const refused = await post(
      url,
      cookie,
      multipart({ csrf: "vals", intent: "upload" }, fixture("parkeren.pdf")),
    );
    expect(statusOf(refused)).toBe(403);
    expect(await listCircularAttachments(draft.id)).toEqual([]);

    const mislabelled = await post(
      url,
      cookie,
      multipart({ csrf, intent: "upload" }, fixture("parkeren-hernoemd.docx")),
    );
    expect(statusOf(mislabelled)).toBe(415);
    expect(JSON.stringify((mislabelled as { data: unknown }).data)).toMatch(
      /doet zich voor als .docx, maar de inhoud is PDF/,
    );

    const edit = `/circulaires/${year}/${seq}/bewerken`;
    const uploaded = await post(
      url,
      cookie,
      multipart({ csrf, intent: "upload", terug: edit }, fixture("parkeren.pdf")),
    );
    expect(statusOf(uploaded)).toBe(303);
    expect((uploaded as Response).headers.get("Location")).toBe(`${edit}?bijlage=toegevoegd`);
    const [attachment] = await listCircularAttachments(draft.id);
    expect(attachment?.fileName).toBe("parkeren.pdf");

    const page = await attachmentsLoader({
      request: new Request(url, { headers: { Cookie: cookie } }),
      params: { year, seq },
      context,
    });
    expect(page.attachments).toEqual([attachment]);

    const removed = await post(
      url,
      cookie,
      new URLSearchParams({ csrf, intent: "remove", attachmentId: attachment!.id, terug: "//evil.example" }),
    );
    expect((removed as Response).headers.get("Location")).toBe(
      `/circulaires/${year}/${seq}/bijlagen?bijlage=verwijderd`,
    );
    expect(await listCircularAttachments(draft.id)).toEqual([]);
  });

  it("refuses an upload over the limit before storing anything", async () => {
    process.env.UPLOAD_MAX_MB = "0.1";
    resetEnvCache();
    try {
      const draft = await draftCircular();
      const [year, seq] = draft.number.split("/");
      const { cookie } = await sessionUser(editor.id);
      const big = { bytes: new Uint8Array(200 * 1024).fill(65), fileName: "groot.pdf" };
      const result = await post(
        `http://localhost/circulaires/${year}/${seq}/bijlagen`,
        cookie,
        multipart({ csrf, intent: "upload" }, big),
      );
      expect(statusOf(result)).toBe(413);
      expect((result as { init: ResponseInit }).init.headers).toMatchObject({
        "X-Upload-Error": "too_large",
      });
      expect(await listCircularAttachments(draft.id)).toEqual([]);
    } finally {
      delete process.env.UPLOAD_MAX_MB;
      resetEnvCache();
    }
  });

  it("answers the editor's image API with a URL or a JSON error", async () => {
    const draft = await draftCircular();
    const url = `http://localhost/api/circulaires/${draft.id}/afbeeldingen`;
    const { cookie } = await sessionUser(editor.id);
    const ok = (await post(url, cookie, multipart({}, fixture("foto.webp")), {
      "x-csrf-token": csrf,
    })) as Response;
    expect(ok.status).toBe(200);
    const { url: imageUrl } = (await ok.json()) as { url: string };
    expect(imageUrl).toMatch(/^\/bestanden\/[a-z0-9]+$/);
    expect(await listCircularAttachments(draft.id)).toEqual([]);

    const noToken = (await post(url, cookie, multipart({}, fixture("foto.webp")))) as Response;
    expect(noToken.status).toBe(403);
    const wrongType = (await post(url, cookie, multipart({}, fixture("parkeren.pdf")), {
      "x-csrf-token": csrf,
    })) as Response;
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({ code: "unsupported_type" });
    const { cookie: readerCookie } = await sessionUser(reader.id);
    expect(
      statusOf(await post(url, readerCookie, multipart({}, fixture("foto.webp")), { "x-csrf-token": csrf })),
    ).toBe(403);
    const missing = await post(
      `http://localhost/api/circulaires/onbestaand/afbeeldingen`,
      cookie,
      multipart({}, fixture("foto.webp")),
      { "x-csrf-token": csrf },
    );
    expect(statusOf(missing)).toBe(404);
  });
});
