import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type RoleGroupMap } from "~/env.server";
import { buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  EntraAccountConflictError,
  isActiveUser,
  rolesFromGroups,
  upsertUserFromEntra,
} from "./users.server";

setupTestDatabase();

const EDITORS = randomUUID();
const EDITORS_TOO = randomUUID();
const ADMINS = randomUUID();
const COMMUNICATORS = randomUUID();
const MAPPING: RoleGroupMap = {
  editor: [EDITORS, EDITORS_TOO],
  admin: [ADMINS],
  communicator: [COMMUNICATORS],
};

const rolesOf = async (userId: string) =>
  (await prisma.roleAssignment.findMany({ where: { userId }, orderBy: { role: "asc" } })).map((r) => ({
    role: r.role,
    source: r.source,
  }));

describe("rolesFromGroups", () => {
  it("grants a role when any of its groups is present", () => {
    expect(rolesFromGroups([EDITORS_TOO], MAPPING)).toEqual(["editor"]);
    expect(rolesFromGroups([ADMINS, "other", EDITORS], MAPPING).sort()).toEqual(["admin", "editor"]);
  });

  it("grants nothing without matching groups or without a mapping", () => {
    expect(rolesFromGroups(undefined, MAPPING)).toEqual([]);
    expect(rolesFromGroups([], MAPPING)).toEqual([]);
    expect(rolesFromGroups(["other"], MAPPING)).toEqual([]);
    expect(rolesFromGroups([EDITORS], {})).toEqual([]);
  });
});

describe("upsertUserFromEntra", () => {
  it("creates a user from the claims, e-mail lower-cased", async () => {
    const oid = randomUUID();
    const { id } = await upsertUserFromEntra(
      {
        oid,
        name: " Sofie Wouters ",
        email: "Sofie.Wouters@Stad.Gent",
        givenName: "Sofie",
        familyName: "Wouters",
      },
      MAPPING,
    );
    expect(await prisma.user.findUniqueOrThrow({ where: { id } })).toMatchObject({
      entraOid: oid,
      displayName: "Sofie Wouters",
      email: "sofie.wouters@stad.gent",
      givenName: "Sofie",
      familyName: "Wouters",
      active: true,
    });
  });

  it("falls back to preferred_username for the e-mail and to the e-mail for the name", async () => {
    const { id } = await upsertUserFromEntra(
      { oid: randomUUID(), preferredUsername: "Bart.Claes@stad.gent" },
      {},
    );
    expect(await prisma.user.findUniqueOrThrow({ where: { id } })).toMatchObject({
      email: "bart.claes@stad.gent",
      displayName: "bart.claes@stad.gent",
    });
    const anonymous = await upsertUserFromEntra({ oid: randomUUID() }, {});
    expect(await prisma.user.findUniqueOrThrow({ where: { id: anonymous.id } })).toMatchObject({
      email: null,
      displayName: "Onbekende medewerker",
    });
  });

  it("links a person known from the HR import by e-mail instead of creating a second user", async () => {
    const imported = await buildUser({ email: "lotte.janssens@stad.gent", employeeNumber: "HR-1001" });
    const oid = randomUUID();
    const { id } = await upsertUserFromEntra(
      { oid, name: "Lotte Janssens", email: "LOTTE.JANSSENS@stad.gent" },
      {},
    );
    expect(id).toBe(imported.id);
    expect(await prisma.user.findUniqueOrThrow({ where: { id } })).toMatchObject({
      entraOid: oid,
      displayName: "Lotte Janssens",
      employeeNumber: "HR-1001",
    });
    expect(await prisma.user.count({ where: { email: "lotte.janssens@stad.gent" } })).toBe(1);
  });

  it("finds a returning user by Entra id, even after a change of e-mail address", async () => {
    const oid = randomUUID();
    const first = await upsertUserFromEntra({ oid, name: "Tom Peeters", email: "tom.peeters@stad.gent" }, {});
    const second = await upsertUserFromEntra(
      { oid, name: "Tom Peeters", email: "tom.peeters2@stad.gent" },
      {},
    );
    expect(second.id).toBe(first.id);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: first.id } })).email).toBe(
      "tom.peeters2@stad.gent",
    );
    // No e-mail in the claims: the known address stays.
    await upsertUserFromEntra({ oid, name: "Tom Peeters" }, {});
    expect((await prisma.user.findUniqueOrThrow({ where: { id: first.id } })).email).toBe(
      "tom.peeters2@stad.gent",
    );
  });

  it("does not take over a user already linked to another Entra id", async () => {
    const linked = await buildUser({ email: "an.smets@stad.gent", entraOid: randomUUID() });
    await expect(
      upsertUserFromEntra({ oid: randomUUID(), name: "Impostor", email: "an.smets@stad.gent" }, {}),
    ).rejects.toBeInstanceOf(EntraAccountConflictError);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: linked.id } })).toMatchObject({
      entraOid: linked.entraOid,
      displayName: linked.displayName,
    });
  });

  it("grants group roles and withdraws them when the group is gone", async () => {
    const oid = randomUUID();
    const { id } = await upsertUserFromEntra({ oid, groups: [EDITORS, COMMUNICATORS] }, MAPPING);
    expect(await rolesOf(id)).toEqual([
      { role: "editor", source: "entra-group" },
      { role: "communicator", source: "entra-group" },
    ]);
    await upsertUserFromEntra({ oid, groups: [EDITORS_TOO] }, MAPPING);
    expect(await rolesOf(id)).toEqual([{ role: "editor", source: "entra-group" }]);
    await upsertUserFromEntra({ oid, groups: [] }, MAPPING);
    expect(await rolesOf(id)).toEqual([]);
  });

  it("leaves roles granted otherwise untouched, also when a group grants the same role", async () => {
    const oid = randomUUID();
    const user = await buildUser({ entraOid: oid }, ["admin", "editor"]);
    await upsertUserFromEntra({ oid, groups: [EDITORS, COMMUNICATORS] }, MAPPING);
    expect(await rolesOf(user.id)).toEqual([
      { role: "editor", source: "seed" },
      { role: "communicator", source: "entra-group" },
      { role: "admin", source: "seed" },
    ]);
    await upsertUserFromEntra({ oid, groups: [] }, MAPPING);
    expect(await rolesOf(user.id)).toEqual([
      { role: "editor", source: "seed" },
      { role: "admin", source: "seed" },
    ]);
  });

  it("keeps a deactivated user deactivated (isActiveUser refuses them)", async () => {
    const oid = randomUUID();
    const user = await buildUser({ entraOid: oid, active: false });
    const { id } = await upsertUserFromEntra({ oid, name: "Oud-medewerker" }, MAPPING);
    expect(id).toBe(user.id);
    expect(await isActiveUser(id)).toBe(false);
    expect(await isActiveUser(randomUUID())).toBe(false);
    expect(await isActiveUser((await buildUser()).id)).toBe(true);
  });
});
