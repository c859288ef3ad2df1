/** /admin: each person sees the administration tools their permissions allow; nobody else gets in. */
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../tests/setup/database";
import { getRequest, routeContext, settle, signIn } from "../../tests/support/routes";
import { loader } from "./admin._index";

setupTestDatabase();

const open = async (roles: Parameters<typeof signIn>[1]) => {
  const who = await signIn({}, roles);
  return settle(loader({ request: getRequest("/admin", who), params: {}, context: routeContext }));
};

describe("/admin", () => {
  it("lists the outbox, delivery log, kiosks and reach for an admin", async () => {
    const result = await open(["admin"]);
    expect(result.status).toBe(200);
    expect((result.body as { tools: { key: string }[] }).tools.map((tool) => tool.key)).toEqual([
      "outbox",
      "delivery",
      "kiosks",
      "staff",
    ]);
  });

  it("gives HR the delivery log and reach only", async () => {
    const result = await open(["hr"]);
    expect((result.body as { tools: { key: string }[] }).tools.map((tool) => tool.key)).toEqual([
      "delivery",
      "staff",
    ]);
  });

  it("refuses employees, editors and communicators, and sends visitors to sign in", async () => {
    for (const roles of [[], ["editor"], ["communicator"]] as const) {
      expect((await open([...roles])).status).toBe(403);
    }
    const anonymous = await settle(
      loader({ request: getRequest("/admin", null), params: {}, context: routeContext }),
    );
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/inloggen?terug=%2Fadmin");
  });
});
