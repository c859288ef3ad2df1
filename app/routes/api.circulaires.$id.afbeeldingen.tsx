/**
 * POST /api/circulaires/<circularId>/afbeeldingen: an image for a circular's body, from the editor.
 * Multipart field `file`, CSRF token in the `X-CSRF-Token` header (checked before the body is read).
 * Answers `{ url }` (the /bestanden/<id> address the editor puts in its image node) or `{ error }` with
 * 400, 401, 403, 404, 409, 413 or 415. Messages are English: the editor shows its own Dutch text per status.
 */
import { type ActionFunctionArgs } from "@remix-run/node";
import { addCircularAttachment } from "~/modules/circulars/attachments.server";
import { CircularError } from "~/modules/circulars/errors";
import { canManageCirculars } from "~/modules/circulars/policy.server";
import { getEnv } from "~/env.server";
import { FileError } from "~/modules/files/errors";
import { parseUploadForm } from "~/modules/files/upload.server";
import { assertCsrf } from "~/modules/identity/csrf.server";
import { getSessionUser } from "~/modules/identity/session.server";

const CIRCULAR_STATUS: Record<CircularError["code"], number> = {
  not_found: 404,
  forbidden: 403,
  invalid_input: 400,
  invalid_state: 409,
  self_approval: 403,
  duplicate_number: 409,
};

function problem(status: number, error: string, code?: string) {
  return Response.json(
    { error, ...(code ? { code } : {}) },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Method not allowed");
  const user = await getSessionUser(request);
  if (!user) return problem(401, "Sign in first");
  try {
    assertCsrf(request, null);
  } catch (error) {
    if (error instanceof Response) return problem(403, "Invalid or missing CSRF token", "csrf");
    throw error;
  }
  if (!canManageCirculars(user)) return problem(403, "Only editors may add images", "forbidden");
  try {
    const { file } = await parseUploadForm(request, { maxBytes: getEnv().uploadMaxBytes });
    if (!file) return problem(400, "No file in field 'file'", "empty");
    const image = await addCircularAttachment(user, params.id ?? "", file, "image");
    return Response.json({ url: image.url }, { status: 200, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof FileError) return problem(error.status, error.message, error.code);
    if (error instanceof CircularError)
      return problem(CIRCULAR_STATUS[error.code], error.message, error.code);
    throw error;
  }
}

export async function loader() {
  return problem(405, "Use POST to upload an image");
}
