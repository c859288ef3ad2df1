/**
 * GET /bestanden/<id>: a circular's attachment or body image, when the reader may see it. Anything else
 * (unknown id, a draft's file, a restricted audience) answers 404 so the file's existence is not revealed.
 * `?voorbeeld=1` shows a PDF in the browser instead of downloading it.
 */
import { type LoaderFunctionArgs } from "@remix-run/node";
import { findReadableFile } from "~/modules/circulars/attachments.server";
import { fileResponse } from "~/modules/files/download.server";
import { requireUser } from "~/modules/identity/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = params.id ? await findReadableFile(user, params.id) : null;
  if (!file)
    throw new Response("Not found", { status: 404, headers: { "Cache-Control": "private, no-store" } });
  const preview = new URL(request.url).searchParams.has("voorbeeld");
  return fileResponse(request, file, { preview });
}
