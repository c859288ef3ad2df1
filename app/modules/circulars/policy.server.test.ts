import { describe, expect, it } from "vitest";
import {
  AudienceSchema,
  audienceDepartmentIds,
  audienceKeysOf,
  canManageCirculars,
  canReadCircular,
  isInAudience,
  type Reader,
  readableCircularsWhere,
} from "./policy.server";

const gardener: Reader = {
  id: "u1",
  roles: ["employee"],
  isFieldWorker: true,
  department: { id: "service1", parentId: "dept1" },
};
const clerk: Reader = {
  id: "u2",
  roles: ["employee"],
  isFieldWorker: false,
  department: { id: "service2", parentId: "dept2" },
};
const editor: Reader = { id: "u3", roles: ["employee", "editor"], isFieldWorker: false, department: null };
const admin: Reader = { id: "u4", roles: ["employee", "admin"], isFieldWorker: false, department: null };

describe("audience keys", () => {
  it("derive from roles, field-worker flag, service and its department", () => {
    expect(audienceKeysOf(gardener).sort()).toEqual(
      ["all", "department:dept1", "department:service1", "field-workers", "role:employee"].sort(),
    );
    expect(audienceKeysOf(editor)).toContain("role:editor");
    expect(audienceKeysOf(editor)).not.toContain("field-workers");
  });

  it("match a department audience for people in its services", () => {
    expect(isInAudience(gardener, ["department:dept1"])).toBe(true);
    expect(isInAudience(clerk, ["department:dept1"])).toBe(false);
    expect(isInAudience(clerk, ["field-workers", "role:admin"])).toBe(false);
    expect(isInAudience(admin, ["field-workers", "role:admin"])).toBe(true);
  });
});

describe("reading rights", () => {
  const restricted = { publishedAudience: ["field-workers"], publishedVersion: 2 };
  const draft = { publishedAudience: [], publishedVersion: 0 };

  it("let the audience read published circulars and nobody else but editors", () => {
    expect(canReadCircular(gardener, restricted)).toBe(true);
    expect(canReadCircular(clerk, restricted)).toBe(false);
    expect(canReadCircular(editor, restricted)).toBe(true);
    // Admins run the platform; they are not editors of content.
    expect(canReadCircular(admin, restricted)).toBe(false);
  });

  it("hide never-published circulars from everyone but editors", () => {
    expect(canReadCircular(gardener, { ...draft, publishedAudience: ["all"] })).toBe(false);
    expect(canReadCircular(editor, draft)).toBe(true);
    expect(canManageCirculars(editor)).toBe(true);
    expect(canManageCirculars(gardener)).toBe(false);
  });

  it("give list queries the same rule", () => {
    expect(readableCircularsWhere(editor)).toEqual({});
    expect(readableCircularsWhere(clerk)).toEqual({
      publishedVersion: { gt: 0 },
      publishedAudience: { hasSome: audienceKeysOf(clerk) },
    });
  });
});

describe("audience validation", () => {
  it("accepts known keys, dedupes, and collapses to everyone when 'all' is present", () => {
    expect(AudienceSchema.parse(["field-workers", "field-workers", "role:editor"])).toEqual([
      "field-workers",
      "role:editor",
    ]);
    expect(AudienceSchema.parse(["all", "role:editor"])).toEqual(["all"]);
    expect(audienceDepartmentIds(["all", "department:cmabc123def", "role:admin"])).toEqual(["cmabc123def"]);
  });

  it("refuses empty lists, unknown roles and malformed keys", () => {
    expect(AudienceSchema.safeParse([]).success).toBe(false);
    expect(AudienceSchema.safeParse(["role:king"]).success).toBe(false);
    expect(AudienceSchema.safeParse(["department:'; DROP TABLE"]).success).toBe(false);
    expect(AudienceSchema.safeParse(["everyone"]).success).toBe(false);
  });
});
