/**
 * GET /berichten/<id>/fotos/<imageId>: a photo of a post, only for a reader who may see the post. Anything
 * else (unknown post or photo, a secret group's post, a deleted or hidden post) answers 404, so a photo's
 * address reveals nothing. A photo never changes under its address (editing can only remove it), so the
 * browser keeps it for a year; `private` keeps it out of shared caches.
 */
import { type LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { fileResponse } from "~/modules/files/download.server";
import { requireUser } from "~/modules/identity/session.server";
import { isStreamError } from "~/modules/stream/errors";
import { postImageFile } from "~/modules/stream/post-images.server";
import { streamReaderOf } from "~/modules/stream/policy.server";
import { requireVisiblePost } from "~/modules/stream/posts.server";

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { "Cache-Control": "private, no-store" } });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const reader = await streamReaderOf(user);
  let postId: string;
  try {
    postId = (await requireVisiblePost(prisma, reader, params.id)).id;
  } catch (error) {
    if (isStreamError(error, "not_found")) throw notFound();
    throw error;
  }
  const file = await postImageFile(postId, params.imageId);
  if (!file) throw notFound();
  const response = await fileResponse(request, file);
  response.headers.set("Cache-Control", "private, max-age=31536000, immutable");
  return response;
}
