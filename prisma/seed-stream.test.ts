// The demo places: consistent with the module's rules, visible as the rules say, and idempotent.
import { describe, expect, it } from "vitest";
import { prisma } from "../app/db.server";
import { type Reader } from "../app/modules/circulars/policy.server";
import { getPlaceView, listJoinRequests, listPlaces } from "../app/modules/stream/places.server";
import { listFollowing } from "../app/modules/stream/follows.server";
import { setupTestDatabase } from "../tests/setup/database";
import { seed } from "./seed";
import { SEED_PERSON_FOLLOWS, SEED_PLACE_FOLLOWS, SEED_PLACES, seedStream } from "./seed-stream";

setupTestDatabase();

async function readerOf(employeeNumber: string): Promise<Reader> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { employeeNumber },
    select: { id: true, isFieldWorker: true, department: { select: { id: true, parentId: true } } },
  });
  return { ...user, roles: ["employee"] };
}

const run = () => prisma.$transaction((tx) => seedStream(tx), { timeout: 60_000 });

describe("seedStream", () => {
  it("creates the demo places, members, requests and follows once", async () => {
    // The organisation first; seed() may already call seedStream once it is wired in, so count the result.
    await seed(prisma);
    await run();
    const slugs = SEED_PLACES.map((place) => place.slug);
    expect(await prisma.place.count({ where: { slug: { in: slugs } } })).toBe(SEED_PLACES.length);
    const expectedMembers = SEED_PLACES.reduce((sum, p) => sum + p.owners.length + p.members.length, 0);
    expect(await prisma.placeMembership.count({ where: { place: { slug: { in: slugs } } } })).toBe(
      expectedMembers,
    );
    const expectedRequests = SEED_PLACES.reduce((sum, p) => sum + (p.requests?.length ?? 0), 0);
    expect(
      await prisma.placeJoinRequest.count({ where: { status: "pending", place: { slug: { in: slugs } } } }),
    ).toBe(expectedRequests);
    const placeIds = (
      await prisma.place.findMany({ where: { slug: { in: slugs } }, select: { id: true } })
    ).map((place) => place.id);
    expect(await prisma.follow.count({ where: { targetType: "place", targetId: { in: placeIds } } })).toBe(
      expectedMembers + SEED_PLACE_FOLLOWS.length,
    );
    const ids = new Map(
      (await prisma.user.findMany({ select: { id: true, employeeNumber: true } })).map((u) => [
        u.employeeNumber,
        u.id,
      ]),
    );
    for (const [follower, followed] of SEED_PERSON_FOLLOWS) {
      const key = {
        followerId: ids.get(follower)!,
        targetType: "user" as const,
        targetId: ids.get(followed)!,
      };
      expect(await prisma.follow.count({ where: key })).toBe(1);
    }

    expect(await run()).toEqual({ places: 0, memberships: 0, joinRequests: 0, follows: 0 });
  });

  it("follows the module's rules: owners, no requests from members or to open and secret places", async () => {
    for (const seedPlace of SEED_PLACES) {
      const place = await prisma.place.findUniqueOrThrow({
        where: { slug: seedPlace.slug },
        select: {
          id: true,
          visibility: true,
          memberships: { select: { userId: true, role: true } },
          joinRequests: { select: { userId: true } },
        },
      });
      expect(place.memberships.some((m) => m.role === "owner")).toBe(true);
      const members = new Set(place.memberships.map((m) => m.userId));
      for (const request of place.joinRequests) expect(members.has(request.userId)).toBe(false);
      if (place.joinRequests.length > 0) expect(place.visibility).toBe("closed");
      // Nobody follows a closed or secret place they are not in.
      if (place.visibility !== "open") {
        const strayFollows = await prisma.follow.count({
          where: {
            targetType: "place",
            targetId: place.id,
            follower: { memberships: { none: { placeId: place.id } } },
          },
        });
        expect(strayFollows).toBe(0);
      }
    }
  });

  it("gives the demo accounts something to do, and hides the secret places from them", async () => {
    const jonas = await readerOf("GE-109347");
    const secretSlugs = SEED_PLACES.filter((p) => p.visibility === "secret").map((p) => p.slug);
    const visible = await listPlaces(jonas, { includeArchived: true });
    const slugs = visible.items.map((item) => item.slug);
    for (const slug of secretSlugs) {
      expect(slugs).not.toContain(slug);
      await expect(getPlaceView(jonas, slug)).rejects.toMatchObject({ code: "not_found" });
    }
    expect(visible.items.find((item) => item.slug === "klimaatplan-2030-kantoren-zonder-gas")).toMatchObject({
      myRole: null,
      requestPending: true,
    });
    expect(await listJoinRequests(jonas, "wijkteam-brugse-poort")).toHaveLength(1);
    const following = await listFollowing(jonas);
    expect(following.places.map((p) => p.slug)).toContain("gentse-feesten-vrijwilligers");
    expect(following.users.length).toBeGreaterThan(0);

    const fatima = await readerOf("GE-106512");
    const party = await getPlaceView(fatima, "personeelsfeest-2027-organisatie-7c2e9a");
    expect(party.myRole).toBe("owner");
  });
});
