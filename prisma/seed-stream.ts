// Demo groups and projects of the activity stream, their members, join requests and follows. Places are
// matched on their slug and only created when missing; a place with a seeded slug that someone else made
// (another name or creator) is left alone, members and all. Memberships, requests and follows are inserted
// with skipDuplicates, so a second run creates nothing. No notifications: the demo bell stays about real
// events. Posts (and topics, which posts create) come from the posts seed.
//
// What the demo accounts meet: Jonas Claeys owns the closed "Wijkteam Brugse Poort" with a request to
// decide, waits for an answer from "Klimaatplan 2030", follows an open group he is not in and cannot see
// the secret places; Fatima El Amrani owns the secret "Personeelsfeest 2027"; Sofie Vermeulen owns the
// Werkplek project; Marc De Wilde is in his crew's closed group.
import { type Prisma } from "../app/generated/prisma/client";
import { seedPosts } from "./seed-posts";

export interface StreamSeedCounts {
  places: number;
  memberships: number;
  joinRequests: number;
  follows: number;
}

export interface SeedPlace {
  slug: string;
  kind: "group" | "project";
  name: string;
  description: string;
  visibility: "open" | "closed" | "secret";
  /** Employee numbers; the first one created the place. */
  owners: readonly string[];
  members: readonly string[];
  /** Pending requests to join (closed places only): employee number and message. */
  requests?: readonly { from: string; message: string }[];
  archived?: boolean;
}

/** The demo places. Secret slugs carry a suffix, as createPlace gives them. */
export const SEED_PLACES: readonly SeedPlace[] = [
  {
    slug: "fietsen-naar-het-werk",
    kind: "group",
    name: "Fietsen naar het werk",
    description:
      "Tips over fietsroutes, fietsstallingen bij de stadsgebouwen, de fietsvergoeding en de fietsleasing. Iedereen welkom, ook wie pas begint.",
    visibility: "open",
    owners: ["GE-108009"],
    members: ["GE-112005", "GE-109347", "GE-103024", "GE-104195", "GE-106348", "GE-108760", "GE-111058"],
  },
  {
    slug: "gentse-feesten-vrijwilligers",
    kind: "group",
    name: "Gentse Feesten vrijwilligers",
    description:
      "Collega's die tijdens de Gentse Feesten een handje toesteken: infostands, toegankelijkheid, afvalploegen. Oproepen en planning komen hier.",
    visibility: "open",
    owners: ["GE-100948"],
    members: ["GE-112698", "GE-102459", "GE-111723", "GE-104870", "GE-100315", "GE-113158"],
  },
  {
    slug: "werkplek-het-nieuwe-intranet",
    kind: "project",
    name: "Werkplek: het nieuwe intranet",
    description:
      "Het project dat Werkplek bouwt en uitrolt. Feedback, vragen en ideeën zijn welkom; wijzigingen kondigen we hier eerst aan.",
    visibility: "open",
    owners: ["GE-104233", "GE-106512"],
    members: ["GE-107784", "GE-103390", "GE-102459", "GE-102871", "GE-105126"],
  },
  {
    slug: "klimaatplan-2030-kantoren-zonder-gas",
    kind: "project",
    name: "Klimaatplan 2030: kantoren zonder gas",
    description:
      "Werkgroep die de stadsgebouwen van aardgas afhaalt: warmtepompen, isolatie en planning per gebouw. Stukken in voorbereiding blijven binnen de groep.",
    visibility: "closed",
    owners: ["GE-103024", "GE-112340"],
    members: ["GE-106348", "GE-102064", "GE-107455"],
    requests: [
      {
        from: "GE-109347",
        message:
          "Ik volg de renovatiepremies voor huurders op en wil graag weten wat er voor sociale woningen speelt.",
      },
      { from: "GE-108009", message: "" },
    ],
  },
  {
    slug: "wijkteam-brugse-poort",
    kind: "group",
    name: "Wijkteam Brugse Poort",
    description:
      "Het wijkteam van Brugse Poort - Ekkergem: afspraken, signalen uit de buurt en wie wat opvolgt. Dossiers van bewoners bespreken we niet hier.",
    visibility: "closed",
    owners: ["GE-109347"],
    members: ["GE-107236", "GE-110154", "GE-105003"],
    requests: [
      {
        from: "GE-102713",
        message: "Ik begin volgende maand als maatschappelijk werker in de Brugse Poort.",
      },
    ],
  },
  {
    slug: "groenploegen-gent-zuid",
    kind: "group",
    name: "Groenploegen Gent-Zuid",
    description: "Planning, weerberichten en praktische afspraken van de groenploegen van Gent-Zuid.",
    visibility: "closed",
    owners: ["GE-113158"],
    members: ["GE-111058", "GE-113876", "GE-114452", "GE-115037", "GE-116172", "GE-105742"],
  },
  {
    slug: "personeelsfeest-2027-organisatie-7c2e9a",
    kind: "group",
    name: "Personeelsfeest 2027 – organisatie",
    description: "Locatie, thema en verrassingen van het personeelsfeest. Niets doorvertellen!",
    visibility: "secret",
    owners: ["GE-101942", "GE-106512"],
    members: ["GE-108215", "GE-106093", "GE-109901"],
  },
  {
    slug: "herinrichting-contactcenter-4f81d0",
    kind: "project",
    name: "Herinrichting contactcenter",
    description: "Voorbereiding van de nieuwe organisatie van het contactcenter, vóór de bekendmaking.",
    visibility: "secret",
    owners: ["GE-104870"],
    members: ["GE-111723", "GE-105589", "GE-101942"],
  },
  {
    slug: "verhuis-administratief-centrum",
    kind: "project",
    name: "Verhuis Administratief Centrum",
    description: "De verhuis van de diensten naar het Administratief Centrum. Afgerond; ter naslag bewaard.",
    visibility: "open",
    owners: ["GE-106348"],
    members: ["GE-102064", "GE-110932", "GE-109085"],
    archived: true,
  },
];

/** Who follows whom (employee numbers), besides the places members follow by joining. */
export const SEED_PERSON_FOLLOWS: readonly (readonly [follower: string, followed: string])[] = [
  ["GE-109347", "GE-106512"],
  ["GE-109347", "GE-108009"],
  ["GE-109347", "GE-110154"],
  ["GE-110154", "GE-109347"],
  ["GE-107236", "GE-109347"],
  ["GE-108009", "GE-109347"],
  ["GE-106512", "GE-102459"],
  ["GE-106512", "GE-101942"],
  ["GE-108009", "GE-112005"],
  ["GE-108009", "GE-103024"],
  ["GE-111058", "GE-113158"],
  ["GE-102871", "GE-100782"],
  ["GE-102871", "GE-107012"],
  ["GE-104233", "GE-106512"],
  ["GE-103024", "GE-112340"],
];

/** Open places followed by people who did not join them (employee number, slug). */
export const SEED_PLACE_FOLLOWS: readonly (readonly [follower: string, slug: string])[] = [
  ["GE-109347", "gentse-feesten-vrijwilligers"],
  ["GE-104233", "fietsen-naar-het-werk"],
];

/** Creates the demo places, memberships, requests and follows that are missing; returns how many it created. */
export async function seedStream(tx: Prisma.TransactionClient): Promise<StreamSeedCounts> {
  const numbers = new Set<string>();
  for (const place of SEED_PLACES) {
    for (const number of [...place.owners, ...place.members, ...(place.requests ?? []).map((r) => r.from)]) {
      numbers.add(number);
    }
  }
  for (const pair of [...SEED_PERSON_FOLLOWS, ...SEED_PLACE_FOLLOWS.map(([follower]) => [follower])]) {
    for (const number of pair) numbers.add(number);
  }
  const people = await tx.user.findMany({
    where: { employeeNumber: { in: [...numbers] } },
    select: { id: true, employeeNumber: true },
  });
  const idOf = new Map(people.map((person) => [person.employeeNumber, person.id]));
  const userId = (number: string): string => {
    const id = idOf.get(number);
    // The demo organisation is seeded first; a missing person is a mistake in this file.
    if (!id) throw new Error(`Stream seed refers to unknown employee ${number}`);
    return id;
  };

  const existing = await tx.place.findMany({
    where: { slug: { in: SEED_PLACES.map((place) => place.slug) } },
    select: { id: true, slug: true, name: true, createdById: true },
  });
  const existingBySlug = new Map(existing.map((place) => [place.slug, place]));
  const placeIds = new Map<string, string>();
  let places = 0;
  const memberships: Prisma.PlaceMembershipCreateManyInput[] = [];
  const requests: Prisma.PlaceJoinRequestCreateManyInput[] = [];
  const follows: Prisma.FollowCreateManyInput[] = [];

  for (const seedPlace of SEED_PLACES) {
    const creatorId = userId(seedPlace.owners[0]!);
    let placeId: string;
    const current = existingBySlug.get(seedPlace.slug);
    if (current) {
      // Someone else's place under a slug we use: not ours to fill with demo members.
      if (current.createdById !== creatorId) continue;
      placeId = current.id;
    } else {
      const created = await tx.place.create({
        data: {
          slug: seedPlace.slug,
          kind: seedPlace.kind,
          name: seedPlace.name,
          description: seedPlace.description,
          visibility: seedPlace.visibility,
          createdById: creatorId,
          archivedAt: seedPlace.archived ? new Date("2025-09-30T16:00:00.000Z") : null,
        },
        select: { id: true },
      });
      placeId = created.id;
      places += 1;
    }
    placeIds.set(seedPlace.slug, placeId);
    for (const [role, numbersOfRole] of [
      ["owner", seedPlace.owners],
      ["member", seedPlace.members],
    ] as const) {
      for (const number of numbersOfRole) {
        const memberId = userId(number);
        memberships.push({ placeId, userId: memberId, role });
        // Joining follows the place (places.server.ts); the demo does the same.
        follows.push({ followerId: memberId, targetType: "place", targetId: placeId });
      }
    }
    for (const request of seedPlace.requests ?? []) {
      requests.push({ placeId, userId: userId(request.from), message: request.message, status: "pending" });
    }
  }
  for (const [follower, followed] of SEED_PERSON_FOLLOWS) {
    follows.push({ followerId: userId(follower), targetType: "user", targetId: userId(followed) });
  }
  for (const [follower, slug] of SEED_PLACE_FOLLOWS) {
    const placeId = placeIds.get(slug);
    if (placeId) follows.push({ followerId: userId(follower), targetType: "place", targetId: placeId });
  }

  const createdMemberships = await tx.placeMembership.createMany({ data: memberships, skipDuplicates: true });
  // One row per person and place: a request someone already decided is not reopened by a second run.
  const createdRequests = await tx.placeJoinRequest.createMany({ data: requests, skipDuplicates: true });
  const createdFollows = await tx.follow.createMany({ data: follows, skipDuplicates: true });
  // The places' posts, comments, reactions and the demo accounts' topic follows (idempotent as well).
  await seedPosts(tx);
  return {
    places,
    memberships: createdMemberships.count,
    joinRequests: createdRequests.count,
    follows: createdFollows.count,
  };
}
