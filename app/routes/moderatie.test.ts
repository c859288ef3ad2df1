/**
 * The moderation page's loader and action: moderators only (404 for others), the queue and its history,
 * hide with a required reason, restore, dismiss, CSRF, unknown items, and a secret group's post that an
 * admin outside the group still handles.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { addComment } from "~/modules/stream/comments.server";
import { decidedReports, openReportCount } from "~/modules/stream/moderation-count.server";
import { reportContent } from "~/modules/stream/moderation.server";
import { createPost } from "~/modules/stream/posts.server";
import { buildPlace, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import {
  formPost,
  getRequest,
  ROUTE_CSRF,
  routeContext,
  settle,
  signIn as signInUser,
  type Visitor as SignedIn,
} from "../../tests/support/routes";
import { action, loader } from "./moderatie";

setupTestDatabase();

type Visitor = SignedIn & { reader: Reader };

/** Signs in a new user with the given roles; `reader` is the same user as the moderation modules see them. */
async function signIn(roles: ("communicator" | "admin")[] = []): Promise<Visitor> {
  const visitor = await signInUser({}, roles);
  return {
    ...visitor,
    reader: { id: visitor.id, roles: ["employee", ...roles], isFieldWorker: false, department: null },
  };
}

const get = (url: string, who: Visitor) =>
  loader({ request: getRequest(url, who), params: {}, context: routeContext });

const post = (who: Visitor, fields: Record<string, string | string[]>, token: string | null = ROUTE_CSRF) =>
  action({ request: formPost("/moderatie", who, fields, token), params: {}, context: routeContext });

type QueueBody = {
  view: string;
  openCount: number;
  queue: {
    key: string;
    postId: string;
    commentId: string | null;
    url: string | null;
    html: string;
    place: { name: string; url: string | null } | null;
    reports: { id: string; reason: string; reporter: { displayName: string } }[];
  }[];
  history: {
    status: string;
    postId: string;
    reason: string | null;
    canRestore: boolean;
    decidedBy: { displayName: string } | null;
    reports: { id: string }[];
  }[];
};

let employee: Visitor;
let communicator: Visitor;
let admin: Visitor;
let author: Reader;
let reporters: Reader[];

beforeAll(async () => {
  employee = await signIn();
  communicator = await signIn(["communicator"]);
  admin = await signIn(["admin"]);
  const asReader = (id: string): Reader => ({
    id,
    roles: ["employee"],
    isFieldWorker: false,
    department: null,
  });
  author = asReader((await buildUser({ displayName: "Auteur Moderatie" })).id);
  reporters = [];
  for (const name of ["Melder Een", "Melder Twee", "Melder Drie"]) {
    reporters.push(asReader((await buildUser({ displayName: name })).id));
  }
});

async function reportedPost(text: string, reasons: string[], placeId?: string) {
  const { id } = await createPost(author, { plainText: text, ...(placeId ? { placeId } : {}) });
  const reportIds: string[] = [];
  for (const [index, reason] of reasons.entries()) {
    reportIds.push((await reportContent(reporters[index]!, { postId: id, reason })).id);
  }
  return { postId: id, reportIds };
}

describe("/moderatie for people who do not moderate", () => {
  it("answers 404 to the page and to every form", async () => {
    expect((await settle(get("/moderatie", employee))).status).toBe(404);
    const { postId } = await reportedPost("Niet voor iedereen", ["Hoort hier niet thuis"]);
    const result = await settle(
      post(employee, { intent: "hide", target: "post", id: postId, reason: "Ik ben geen moderator" }),
    );
    expect(result.status).toBe(404);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).toBeNull();
    expect(await openReportCount(employee.reader)).toBe(0);
  });
});

describe("/moderatie for a communicator", () => {
  it("shows the open queue: the item, its reports with reporters and reasons, the count of items", async () => {
    const { postId } = await reportedPost("Een bericht met #Scheldwoorden", [
      "Kwetsend voor collega's",
      "Taalgebruik kan echt niet",
    ]);
    const { id: commentId } = await addComment(author, postId, { plainText: "En nog een reactie erbij" });
    await reportContent(reporters[2]!, { postId, commentId, reason: "Ook deze reactie is kwetsend" });

    const result = await settle(get("/moderatie", communicator));
    expect(result.status).toBe(200);
    const body = result.body as QueueBody;
    expect(body.view).toBe("open");
    const postItem = body.queue.find((item) => item.key === `post:${postId}`);
    expect(postItem?.reports.map((r) => [r.reporter.displayName, r.reason])).toEqual([
      ["Melder Een", "Kwetsend voor collega's"],
      ["Melder Twee", "Taalgebruik kan echt niet"],
    ]);
    expect(postItem?.html).toContain("/onderwerpen/scheldwoorden");
    expect(postItem?.url).toBe(`/berichten/${postId}`);
    expect(body.queue.find((item) => item.key === `comment:${commentId}`)?.reports).toHaveLength(1);
    // Items, not reports: the post (two reports) and the comment count once each.
    expect(body.openCount).toBe(await openReportCount(communicator.reader));
    expect(body.openCount).toBe(body.queue.length);
  });

  it("refuses to hide without a reason, then hides with one and tells the author", async () => {
    const { postId, reportIds } = await reportedPost("Dit moet weg", ["Persoonsgegevens van een burger"]);
    for (const reason of ["", "   ", "kort"]) {
      const refused = await settle(
        post(communicator, { intent: "hide", target: "post", id: postId, reason }),
      );
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        error: "reasonTooShort",
        form: `hide:post:${postId}`,
        value: reason,
      });
    }
    const tooLong = await settle(
      post(communicator, { intent: "hide", target: "post", id: postId, reason: "x".repeat(501) }),
    );
    expect(tooLong.body).toMatchObject({ error: "reasonTooLong" });
    expect((await prisma.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).toBeNull();

    const reason = "Bevat het adres van een burger";
    const done = await settle(post(communicator, { intent: "hide", target: "post", id: postId, reason }));
    expect(done.status).toBe(302);
    expect(done.response?.headers.get("Location")).toBe("/moderatie?gedaan=verborgen");
    const stored = await prisma.post.findUniqueOrThrow({ where: { id: postId } });
    expect(stored.hiddenAt).not.toBeNull();
    expect(stored.hiddenReason).toBe(reason);
    expect(await prisma.postReport.findUniqueOrThrow({ where: { id: reportIds[0]! } })).toMatchObject({
      status: "hidden",
      decisionReason: reason,
      decidedById: communicator.id,
    });
    expect(
      await prisma.notification.count({
        where: { userId: author.id, type: "post.hidden", url: `/berichten/${postId}` },
      }),
    ).toBe(1);

    const page = (await settle(get("/moderatie?gedaan=verborgen", communicator))).body as QueueBody & {
      done: string;
    };
    expect(page.done).toBe("hidden");
    expect(page.queue.some((item) => item.postId === postId)).toBe(false);
  });

  it("restores a hidden post from the history, with a required reason", async () => {
    const { postId } = await reportedPost("Toch niet zo erg", ["Lijkt me ongepast"]);
    await settle(
      post(communicator, { intent: "hide", target: "post", id: postId, reason: "Eerst even verbergen" }),
    );
    const history = (await settle(get("/moderatie?weergave=afgehandeld", communicator))).body as QueueBody;
    const decision = history.history.find((item) => item.postId === postId);
    expect(decision).toMatchObject({ status: "hidden", canRestore: true, reason: "Eerst even verbergen" });

    const refused = await settle(
      post(communicator, { intent: "restore", target: "post", id: postId, reason: "", view: "handled" }),
    );
    expect(refused.status).toBe(400);
    const done = await settle(
      post(communicator, {
        intent: "restore",
        target: "post",
        id: postId,
        reason: "Na overleg met de auteur in orde",
        view: "handled",
      }),
    );
    expect(done.status).toBe(302);
    expect(done.response?.headers.get("Location")).toBe("/moderatie?weergave=afgehandeld&gedaan=hersteld");
    expect((await prisma.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).toBeNull();

    const after = (await settle(get("/moderatie?weergave=afgehandeld", communicator))).body as QueueBody;
    const latest = after.history.find((item) => item.postId === postId);
    expect(latest).toMatchObject({
      status: "restored",
      canRestore: false,
      reason: "Na overleg met de auteur in orde",
    });
    expect(latest?.decidedBy?.displayName).toBeTruthy();

    const again = await settle(
      post(communicator, { intent: "restore", target: "post", id: postId, reason: "Nog eens herstellen" }),
    );
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: "alreadyDecided" });
  });

  it("dismisses all reports of an item at once; the post stays as it is", async () => {
    const { postId, reportIds } = await reportedPost("Gewoon een mening", [
      "Ik ben het er niet mee eens",
      "Dit is een mening, geen feit",
    ]);
    const done = await settle(
      post(communicator, {
        intent: "dismiss",
        key: `post:${postId}`,
        reportId: reportIds,
        note: "Een mening mag, dit is beleefd verwoord",
      }),
    );
    expect(done.status).toBe(302);
    expect(done.response?.headers.get("Location")).toBe("/moderatie?gedaan=afgewezen&aantal=2");
    const reports = await prisma.postReport.findMany({ where: { id: { in: reportIds } } });
    expect(reports.map((r) => r.status)).toEqual(["dismissed", "dismissed"]);
    expect(reports[0]?.decisionReason).toBe("Een mening mag, dit is beleefd verwoord");
    expect((await prisma.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).toBeNull();

    const history = await decidedReports(communicator.reader);
    const decision = history.items.find((item) => item.postId === postId);
    // One decision settled both reports: one entry in the history.
    expect(decision?.reports.map((r) => r.id).sort()).toEqual([...reportIds].sort());
    expect(history.items.filter((item) => item.postId === postId)).toHaveLength(1);

    const twice = await settle(
      post(communicator, { intent: "dismiss", key: `post:${postId}`, reportId: reportIds[0]! }),
    );
    expect(twice.status).toBe(409);
  });

  it("refuses a form without the CSRF token", async () => {
    const { postId } = await reportedPost("Zonder token", ["Dit is spam"]);
    const result = await settle(
      post(
        communicator,
        { intent: "hide", target: "post", id: postId, reason: "Reclame voor een bedrijf" },
        null,
      ),
    );
    expect(result.status).toBe(403);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).toBeNull();
  });

  it("answers 404 for an unknown report or post, 400 for a malformed form", async () => {
    const report = await settle(
      post(communicator, { intent: "dismiss", key: "post:x", reportId: "bestaat-niet" }),
    );
    expect(report.status).toBe(404);
    expect(report.body).toMatchObject({ error: "notFound" });
    const hidden = await settle(
      post(communicator, { intent: "hide", target: "post", id: "bestaat-niet", reason: "Een geldige reden" }),
    );
    expect(hidden.status).toBe(404);
    const malformed = await settle(post(communicator, { intent: "verwijderen", id: "x" }));
    expect(malformed.status).toBe(400);
  });

  it("pages the history with a cursor and refuses a crafted one", async () => {
    const first = await decidedReports(communicator.reader, { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await decidedReports(communicator.reader, { limit: 1, cursor: first.nextCursor });
    expect(second.items[0]?.key).not.toBe(first.items[0]?.key);
    const bad = await settle(get("/moderatie?weergave=afgehandeld&na=bm9nLWVlbi1rZWVy", communicator));
    expect(bad.status).toBe(400);
  });
});

describe("a report from a secret group", () => {
  it("reaches an admin who is not a member; they hide it, but get no link into the group", async () => {
    const place = await buildPlace({
      ownerIds: [author.id],
      memberIds: [reporters[0]!.id],
      visibility: "secret",
      name: "Geheime werkgroep",
    });
    const { postId } = await reportedPost(
      "Roddel over een collega",
      ["Dit gaat over iemand persoonlijk"],
      place.id,
    );

    const queue = (await settle(get("/moderatie", admin))).body as QueueBody;
    const item = queue.queue.find((entry) => entry.postId === postId);
    expect(item?.html).toContain("Roddel over een collega");
    expect(item?.url).toBeNull();
    expect(item?.place).toEqual({ name: "Geheime werkgroep", url: null });

    const done = await settle(
      post(admin, {
        intent: "hide",
        target: "post",
        id: postId,
        reason: "Persoonlijke roddels horen hier niet",
      }),
    );
    expect(done.status).toBe(302);
    expect(await prisma.post.findUniqueOrThrow({ where: { id: postId } })).toMatchObject({
      hiddenById: admin.id,
      hiddenReason: "Persoonlijke roddels horen hier niet",
    });
  });
});
