/**
 * The topic pages: popular topics counted over visible posts only (a topic used only in a secret group does
 * not exist for outsiders), the topics one follows, a topic's stream filtered per reader, 404s, the
 * redirect to a topic's own address and bad cursors.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildPlace, buildPost } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { getRequest, routeContext, settle, signIn, type Visitor } from "../../tests/support/routes";
import { loader as topicLoader } from "./onderwerpen.$slug";
import { loader as topicsLoader } from "./onderwerpen._index";

setupTestDatabase();

const openTag = `fietsen${randomBytes(3).toString("hex")}`;
const secretTag = `geheim${randomBytes(3).toString("hex")}`;
let outsider: Visitor;
let member: Visitor;
let openPost: string;
let secretPost: string;

beforeAll(async () => {
  outsider = await signIn();
  member = await signIn();
  const secret = await buildPlace({ ownerIds: [member.id], visibility: "secret" });
  openPost = (await buildPost({ authorId: member.id, topicSlugs: [openTag] })).id;
  await buildPost({ authorId: member.id, topicSlugs: [openTag] });
  secretPost = (
    await buildPost({ authorId: member.id, placeId: secret.id, topicSlugs: [openTag, secretTag] })
  ).id;
  // The outsider follows the open topic.
  const topic = await prisma.topic.findUniqueOrThrow({ where: { slug: openTag } });
  await prisma.follow.create({ data: { followerId: outsider.id, targetType: "topic", targetId: topic.id } });
});

describe("/onderwerpen", () => {
  it("counts only the posts the reader may see, and marks followed topics", async () => {
    type Body = {
      popular: { slug: string; postCount: number; following: boolean }[];
      following: { slug: string; path: string }[];
    };
    const forOutsider = (
      await settle(
        topicsLoader({ request: getRequest("/onderwerpen", outsider), params: {}, context: routeContext }),
      )
    ).body as Body;
    expect(forOutsider.popular.find((topic) => topic.slug === openTag)).toMatchObject({
      postCount: 2,
      following: true,
    });
    expect(forOutsider.popular.map((topic) => topic.slug)).not.toContain(secretTag);
    expect(forOutsider.following).toEqual([
      expect.objectContaining({ slug: openTag, path: `/onderwerpen/${openTag}` }),
    ]);

    const forMember = (
      await settle(
        topicsLoader({ request: getRequest("/onderwerpen", member), params: {}, context: routeContext }),
      )
    ).body as Body;
    expect(forMember.popular.find((topic) => topic.slug === openTag)).toMatchObject({
      postCount: 3,
      following: false,
    });
    expect(forMember.popular.map((topic) => topic.slug)).toContain(secretTag);
    expect(forMember.following).toEqual([]);
  });
});

describe("/onderwerpen/<slug>", () => {
  it("shows the topic's stream filtered for each reader", async () => {
    const load = (who: Visitor) =>
      settle(
        topicLoader({
          request: getRequest(`/onderwerpen/${openTag}`, who),
          params: { slug: openTag },
          context: routeContext,
        }),
      );
    const outsiderView = await load(outsider);
    expect(outsiderView.status).toBe(200);
    const outsiderBody = outsiderView.body as {
      view: { postCount: number; following: boolean; followerCount: number };
      stream: { items: { id: string }[] };
    };
    expect(outsiderBody.view).toMatchObject({ postCount: 2, following: true, followerCount: 1 });
    const outsiderIds = outsiderBody.stream.items.map((item) => item.id);
    expect(outsiderIds).toContain(openPost);
    expect(outsiderIds).not.toContain(secretPost);

    const memberBody = (await load(member)).body as { stream: { items: { id: string }[] } };
    expect(memberBody.stream.items.map((item) => item.id)).toContain(secretPost);
  });

  it("answers 404 for an unknown topic, and for one used only where the reader cannot look", async () => {
    for (const slug of ["bestaat-niet-xyz", "x".repeat(300)]) {
      const result = await settle(
        topicLoader({
          request: getRequest(`/onderwerpen/x`, outsider),
          params: { slug },
          context: routeContext,
        }),
      );
      expect(result.status).toBe(404);
    }
    const load = (who: Visitor) =>
      settle(
        topicLoader({
          request: getRequest(`/onderwerpen/${secretTag}`, who),
          params: { slug: secretTag },
          context: routeContext,
        }),
      );
    expect((await load(outsider)).status).toBe(404);
    expect(await load(member)).toMatchObject({ status: 200, body: { view: { postCount: 1 } } });
  });

  it("redirects a differently written tag to the topic's own address", async () => {
    const result = await settle(
      topicLoader({
        request: getRequest(`/onderwerpen/%23${openTag.toUpperCase()}?na=`, outsider),
        params: { slug: `#${openTag.toUpperCase()}` },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(301);
    expect(result.location).toBe(`/onderwerpen/${openTag}?na=`);
  });

  it("answers 400 to a cursor it cannot read", async () => {
    const result = await settle(
      topicLoader({
        request: getRequest(`/onderwerpen/${openTag}?na=kapot`, outsider),
        params: { slug: openTag },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ stream: null });
  });
});
