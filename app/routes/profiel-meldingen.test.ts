/**
 * /profiel/meldingen: the form lists every type grouped by area, the action checks the CSRF token, saves the
 * ticked boxes (an unticked box is a "no"), refuses unknown types and forged boxes with 400.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createCsrfToken } from "~/modules/identity/csrf.server";
import { setupTestDatabase } from "../../tests/setup/database";
import { formPost, ROUTE_CSRF, routeContext, settle, signIn, type Visitor } from "../../tests/support/routes";
import { action, loader } from "./profiel_.meldingen";

setupTestDatabase();

/** Posts the form as a browser does: repeated fields, the token unless told otherwise. */
function post(who: Visitor, fields: [string, string][], token: string | null = ROUTE_CSRF) {
  return settle(
    action({
      request: formPost("/profiel/meldingen", who, fields, token),
      params: {},
      context: routeContext,
    }),
  );
}

const rowsOf = (userId: string) =>
  prisma.notificationPreference.findMany({
    where: { userId },
    orderBy: { type: "asc" },
    select: { type: true, inApp: true, digest: true },
  });

describe("/profiel/meldingen", () => {
  it("lists the types by area for a signed-in colleague, and sends others to sign in", async () => {
    const me = await signIn();
    const { status, body } = await settle(
      loader({
        request: new Request("http://localhost:3000/profiel/meldingen", { headers: { Cookie: me.cookie } }),
        params: {},
        context: routeContext,
      }),
    );
    expect(status).toBe(200);
    const { groups, saved } = body as Awaited<ReturnType<typeof loader>>;
    expect(saved).toBe(false);
    expect(groups.map((g) => g.area)).toEqual(["circulars", "stream", "places", "campaigns"]);
    const anonymous = await settle(
      loader({
        request: new Request("http://localhost:3000/profiel/meldingen"),
        params: {},
        context: routeContext,
      }),
    );
    expect(anonymous.status).toBe(302);
  });

  it("refuses a save without the CSRF token", async () => {
    const me = await signIn();
    const { status } = await post(
      me,
      [
        ["intent", "save"],
        ["type", "user.followed"],
      ],
      null,
    );
    expect(status).toBe(403);
    const forged = await post(
      me,
      [
        ["intent", "save"],
        ["type", "user.followed"],
      ],
      createCsrfToken(),
    );
    expect(forged.status).toBe(403);
    expect(await rowsOf(me.id)).toEqual([]);
  });

  it("saves the ticked boxes and treats an unticked box as off", async () => {
    const me = await signIn();
    const { status, response } = await post(me, [
      ["intent", "save"],
      ["type", "user.followed"],
      ["type", "post.reacted"],
      ["type", "post.mentioned"],
      ["inApp", "post.reacted"],
      ["digest", "post.reacted"],
      ["inApp", "post.mentioned"],
      ["digest", "post.mentioned"],
    ]);
    expect(status).toBe(303);
    expect(response?.headers.get("Location")).toBe("/profiel/meldingen?bewaard=1");
    expect(await rowsOf(me.id)).toEqual([
      { type: "post.reacted", inApp: true, digest: true },
      { type: "user.followed", inApp: false, digest: false },
    ]);
  });

  it("answers 400 for an unknown type, a box of an unlisted type, or a mandatory type switched off", async () => {
    const me = await signIn();
    expect(
      (
        await post(me, [
          ["intent", "save"],
          ["type", "lottery.won"],
        ])
      ).status,
    ).toBe(400);
    const unlisted = await post(me, [
      ["intent", "save"],
      ["type", "user.followed"],
      ["inApp", "post.reacted"],
    ]);
    expect(unlisted).toMatchObject({ status: 400, body: { error: "invalid" } });
    const mandatory = await post(me, [
      ["intent", "save"],
      ["type", "post.hidden"],
    ]);
    expect(mandatory).toMatchObject({ status: 400, body: { error: "mandatory" } });
    expect((await post(me, [["intent", "delete"]])).status).toBe(400);
    expect(await rowsOf(me.id)).toEqual([]);
  });
});
