/**
 * /d/<token>/naar/<index>?k=<channel>: a click on an item of a digest opened from its link. Records the click
 * (the delivery on that channel moves to "clicked") and redirects to the item's in-app page. The target comes
 * from the stored digest, never from the request, and must be a path of this app: no open redirect. A link
 * that no longer works goes back to the digest page, which says why in the reader's language (404 or 410).
 * (`d.$token_` keeps this route out of the digest page's layout.)
 */
import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { clickDigestLink, DIGEST_LINK_HEADERS, digestChannelParam } from "~/modules/digests/links.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const channel = digestChannelParam(new URL(request.url).searchParams.get("k"));
  const clicked = await clickDigestLink(params.token, params.index, channel, new Date());
  const target =
    clicked.status === "ok"
      ? clicked.value
      : `/d/${encodeURIComponent(params.token ?? "")}${channel ? `?k=${channel}` : ""}`;
  return redirect(target, { status: 303, headers: DIGEST_LINK_HEADERS });
}
