/** CSV export of the owner's overview (/circulaires/<year>/<seq>/lezers.csv): who confirmed, per department. */
import { type LoaderFunctionArgs } from "@remix-run/node";
import {
  acknowledgementCsv,
  acknowledgementCsvFileName,
  acknowledgementOverview,
} from "~/modules/circulars/acknowledgements.server";
import { requireCircularNumber } from "~/modules/circulars/paths";
import { throwAsHttpError } from "~/modules/circulars/reading.server";
import { requireUser } from "~/modules/identity/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const number = requireCircularNumber(params);
  const overview = await acknowledgementOverview(user, number).catch(throwAsHttpError);
  return new Response(acknowledgementCsv(overview), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${acknowledgementCsvFileName(overview)}"`,
      // Names of colleagues: never kept in shared caches.
      "Cache-Control": "private, no-store",
    },
  });
}
