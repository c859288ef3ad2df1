/**
 * POST /volgen: follow or stop following a colleague, a group or project, or a topic (the FollowButton's
 * form). Without JavaScript it redirects (303) back to the page the form came from; the button's script
 * asks for JSON instead and gets the new state and follower count. The follows module decides who may
 * follow what (a secret place the reader is not in is 404, like everywhere else). There is no page: GET
 * answers 405.
 */
import { type ActionFunctionArgs, data, redirect } from "@remix-run/node";
import { z } from "zod";
import { FOLLOW_RESPOND_FIELD, type FollowResponse } from "~/components/stream/follow-button";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import { isStreamError } from "~/modules/stream/errors";
import {
  followCounts,
  followPlace,
  followTopic,
  followUser,
  type FollowTargetRef,
  unfollowPlace,
  unfollowTopic,
  unfollowUser,
} from "~/modules/stream/follows.server";
import { streamErrorHeaders, streamErrorResponse, streamErrorStatus } from "~/modules/stream/http.server";
import { safeReturnTo } from "~/modules/stream/return-to";

const Ref = z.string().trim().min(1).max(120);
const FollowActionSchema = z.intersection(
  z.object({ intent: z.enum(["follow", "unfollow"]), returnTo: z.string().optional() }),
  z.discriminatedUnion("type", [
    z.object({ type: z.literal("user"), id: Ref }),
    z.object({ type: z.literal("place"), slug: Ref }),
    z.object({ type: z.literal("topic"), slug: Ref }),
  ]),
);

export function loader() {
  throw new Response("Method Not Allowed: POST a follow form here", {
    status: 405,
    headers: { Allow: "POST" },
  });
}

async function apply(
  user: Awaited<ReturnType<typeof requireUser>>,
  follow: boolean,
  target: FollowTargetRef,
) {
  switch (target.type) {
    case "user":
      return follow ? followUser(user, target.id) : unfollowUser(user, target.id);
    case "place":
      return follow ? followPlace(user, target.slug) : unfollowPlace(user, target.slug);
    case "topic":
      return follow ? followTopic(user, target.slug) : unfollowTopic(user, target.slug);
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const wantsJson = form.get(FOLLOW_RESPOND_FIELD) === "json";
  const parsed = FollowActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    if (wantsJson) return data<FollowResponse>({ ok: false, error: "invalidRequest" }, { status: 400 });
    throw new Response("Invalid follow request: intent, type and id or slug are required", { status: 400 });
  }
  const input = parsed.data;
  const target: FollowTargetRef =
    input.type === "user" ? { type: "user", id: input.id } : { type: input.type, slug: input.slug };
  try {
    const { following } = await apply(user, input.intent === "follow", target);
    if (!wantsJson) return redirect(safeReturnTo(input.returnTo, "/"), 303);
    const { followers } = await followCounts(user, target);
    return data<FollowResponse>({ ok: true, following, count: followers });
  } catch (error) {
    if (!isStreamError(error)) throw error;
    if (!wantsJson) throw streamErrorResponse(error);
    const reason =
      error.code === "not_found"
        ? "notFound"
        : error.code === "forbidden"
          ? "forbidden"
          : error.code === "rate_limited"
            ? "rateLimited"
            : "invalidRequest";
    return data<FollowResponse>(
      { ok: false, error: reason },
      { status: streamErrorStatus(error), headers: streamErrorHeaders(error) },
    );
  }
}
