/**
 * GET /mensen/<id>/foto?v=<sha256>: a colleague's profile photo, for signed-in staff only. The address in
 * `User.avatarUrl` carries the photo's digest, so the current photo is cached for a year and a new photo
 * gets a new address. Unknown or inactive people, and people without a photo, answer 404.
 */
import { type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/modules/identity/session.server";
import { photoResponse } from "~/modules/people/photo.server";
import { currentPhotoDigest } from "~/modules/people/profile.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:directory");
  const digest = await currentPhotoDigest(user, params.id);
  if (!digest) {
    throw new Response("Not found", { status: 404, headers: { "Cache-Control": "private, no-store" } });
  }
  return photoResponse(request, digest);
}
