/**
 * /circulaires/<year>/<seq>/bijlagen: the attachments of a circular's working copy (editors only).
 * The action takes the upload form (multipart, read with a size limit before anything else, then the CSRF
 * token is checked before anything is stored) and the remove buttons (ordinary forms). The same forms are
 * embedded in the edit page, so the action redirects back to the page they came from (`terug`).
 */
import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import {
  type AttachmentError,
  AttachmentManager,
  UPLOAD_ERROR_HEADER,
  UPLOAD_ERROR_MESSAGE_HEADER,
} from "~/components/circulars/attachment-manager";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import {
  addCircularAttachment,
  listCircularAttachments,
  removeCircularAttachment,
} from "~/modules/circulars/attachments.server";
import { CircularError } from "~/modules/circulars/errors";
import { circularPath, numberFromParams } from "~/modules/circulars/paths";
import { FileError } from "~/modules/files/errors";
import { isMultipart, parseUploadForm } from "~/modules/files/upload.server";
import { assertCsrf, readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requirePermission, safeRedirectPath } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("upload") }),
  z.object({ intent: z.literal("remove"), attachmentId: z.string().min(1).max(64) }),
]);

async function findCircular(params: LoaderFunctionArgs["params"]) {
  const number = numberFromParams(params);
  const circular = number
    ? await prisma.circular.findUnique({
        where: { number },
        select: { id: true, number: true, title: true, status: true },
      })
    : null;
  if (!circular) throw new Response("Not found", { status: 404 });
  return circular;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "update:circular:any");
  const circular = await findCircular(params);
  const t = await getFixedT(await getLocale(request, user.locale));
  return {
    title: `${t("files.pageTitle", { number: circular.number })} · Werkplek`,
    circular,
    attachments: await listCircularAttachments(circular.id),
    maxBytes: getEnv().uploadMaxBytes,
  };
}

function withStatus(path: string, status: "toegevoegd" | "verwijderd"): string {
  const url = new URL(path, "http://werkplek.invalid");
  url.searchParams.set("bijlage", status);
  return `${url.pathname}${url.search}${url.hash}`;
}

const CIRCULAR_ERROR_CODES: Partial<Record<CircularError["code"], string>> = {
  not_found: "not_found",
  invalid_state: "archived",
  forbidden: "forbidden",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "update:circular:any");
  const circular = await findCircular(params);
  const t = await getFixedT(await getLocale(request, user.locale));
  const refuse = (error: AttachmentError, status: number) => {
    const params = { ...error.params };
    if (params.detected === "unknown") params.detected = t("files.unknownType");
    const message = t(`files.errors.${error.code}`, { defaultValue: t("files.errors.unknown"), ...params });
    return data(
      { error: { ...error, message } },
      {
        status,
        headers: {
          [UPLOAD_ERROR_HEADER]: error.code,
          [UPLOAD_ERROR_MESSAGE_HEADER]: encodeURIComponent(message),
        },
      },
    );
  };

  let fields: Map<string, string>;
  let file: Awaited<ReturnType<typeof parseUploadForm>>["file"] = null;
  if (isMultipart(request)) {
    try {
      ({ fields, file } = await parseUploadForm(request, { maxBytes: getEnv().uploadMaxBytes }));
    } catch (error) {
      // Refused while reading: nothing is stored, so this answer needs no CSRF check first.
      if (error instanceof FileError) return refuse({ code: error.code, params: error.params }, error.status);
      throw error;
    }
    assertCsrf(request, fields.get("csrf") ?? "");
  } else {
    const form = await readCsrfCheckedForm(request);
    fields = new Map(
      [...form.entries()].flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as const] : [])),
    );
  }

  const parsed = IntentSchema.safeParse(Object.fromEntries(fields));
  if (!parsed.success) return refuse({ code: "malformed_upload" }, 400);
  const back = safeRedirectPath(fields.get("terug"), `${circularPath(circular.number)}/bijlagen`);
  try {
    if (parsed.data.intent === "remove") {
      await removeCircularAttachment(user, circular.id, parsed.data.attachmentId);
      return redirect(withStatus(back, "verwijderd"), 303);
    }
    if (!file) return refuse({ code: "empty" }, 400);
    await addCircularAttachment(user, circular.id, file);
    return redirect(withStatus(back, "toegevoegd"), 303);
  } catch (error) {
    if (error instanceof FileError) return refuse({ code: error.code, params: error.params }, error.status);
    if (error instanceof CircularError && CIRCULAR_ERROR_CODES[error.code]) {
      return refuse({ code: CIRCULAR_ERROR_CODES[error.code]! }, error.code === "not_found" ? 404 : 409);
    }
    throw error;
  }
}

/** Passes the upload error headers of the action to the document response (read by the upload script). */
export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const out = new Headers(parentHeaders);
  for (const name of [UPLOAD_ERROR_HEADER, UPLOAD_ERROR_MESSAGE_HEADER]) {
    const value = actionHeaders.get(name);
    if (value) out.set(name, value);
  }
  return out;
};

export default function CircularAttachments() {
  const { circular, attachments, maxBytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="page stack">
      <p>
        <Link to={circularPath(circular.number)}>{t("files.back")}</Link>
      </p>
      <h1>
        {t("files.pageTitle", { number: circular.number })}
        <span className="muted attachment-page__title">{circular.title}</span>
      </h1>
      <p>{t("files.intro")}</p>
      <AttachmentManager
        circularId={circular.id}
        number={circular.number}
        attachments={attachments}
        maxBytes={maxBytes}
        error={actionData && "error" in actionData ? actionData.error : null}
        readOnly={circular.status === "archived"}
      />
    </div>
  );
}
