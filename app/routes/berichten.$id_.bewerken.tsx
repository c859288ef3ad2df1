/**
 * /berichten/<id>/bewerken: the author edits their post in the same editor, prefilled (`$id_` keeps this
 * page out of the post page's layout). Anyone else, and anyone who may not see the post, gets 404: a 403
 * would confirm that the post exists. Announcements keep or change their pin here; their audience stays.
 * Saving marks the post as edited (editPost) and returns to where the author came from, at the post.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  composerFieldErrors,
  EditPostForm,
  type ComposerFieldErrors,
  type ComposerMessage,
  type EditPostResult,
  type EditPostValues,
} from "~/components/stream/composer";
import { prisma } from "~/db.server";
import { type LexicalDocument, type MentionNode } from "~/editor/lexical-schema";
import { lexicalToPlainText } from "~/editor/plain-text";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser, type SessionUser } from "~/modules/identity/session.server";
import { mentionedUserIds, postPath, storedDocument } from "~/modules/stream/content";
import { isStreamError } from "~/modules/stream/errors";
import { streamErrorHeaders, streamErrorStatus } from "~/modules/stream/http.server";
import { editPost, getPostView } from "~/modules/stream/posts.server";
import { safeReturnTo, withHash } from "~/modules/stream/return-to";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const notFound = () => new Response("Not found", { status: 404 });

/** The post as its author may edit it, or a thrown 404 (also for someone else's post). */
async function requireEditablePost(user: SessionUser, postId: string | undefined) {
  const view = await getPostView(user, postId, { commentLimit: 1 }).catch((error: unknown) => {
    if (isStreamError(error, "not_found")) throw notFound();
    throw error;
  });
  if (!view.can.edit) throw notFound();
  return view;
}

/** Brussels calendar day of a moment (the date input's value). */
function brusselsDate(iso: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" }).format(new Date(iso));
}

/**
 * The textarea's text without JavaScript: mentions become "@handle" (the part of the work address before
 * "@"), which the server resolves to the same colleague again when the text is saved.
 */
async function plainTextForEditing(document: LexicalDocument): Promise<string> {
  const ids = mentionedUserIds(document);
  if (ids.length === 0) return lexicalToPlainText(document);
  const people = await prisma.user.findMany({
    where: { id: { in: ids }, active: true },
    select: { id: true, email: true },
  });
  const handles = new Map(
    people.flatMap((person) => (person.email ? [[person.id, `@${person.email.split("@")[0]}`]] : [])),
  );
  const swap = <T,>(node: T): T => {
    if (typeof node !== "object" || node === null) return node;
    const mention = node as unknown as MentionNode;
    if (mention.type === "mention" && handles.has(mention.userId)) {
      return { ...mention, text: handles.get(mention.userId)! } as unknown as T;
    }
    const children = (node as { children?: unknown }).children;
    return Array.isArray(children) ? { ...node, children: children.map(swap) } : node;
  };
  return lexicalToPlainText({ root: swap(document.root) });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await requireEditablePost(user, params.id);
  const t = await getFixedT(await getLocale(request, user.locale));
  // The policy let this reader edit the post (above); its stored body is what the editor starts from.
  const row = await prisma.post.findUnique({ where: { id: view.id }, select: { body: true } });
  const document = storedDocument(row?.body);
  const url = new URL(request.url);
  return {
    title: `${t("composer.edit.title")} · Werkplek`,
    post: {
      id: view.id,
      url: view.url,
      isAnnouncement: view.kind === "announcement",
      pinnedUntil: view.pinned && view.pinnedUntil ? brusselsDate(view.pinnedUntil) : "",
      document,
      plainText: await plainTextForEditing(document),
    },
    returnTo: safeReturnTo(url.searchParams.get("terug"), view.url),
  };
}

function refused(
  values: EditPostValues,
  status: number,
  { error = null, fieldErrors = {} }: { error?: ComposerMessage | null; fieldErrors?: ComposerFieldErrors },
  headers: Record<string, string> = {},
) {
  return data<EditPostResult>(
    { form: "composer", ok: false, values, error, fieldErrors },
    { status, headers: { "Cache-Control": "no-store", ...headers } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const view = await requireEditablePost(user, params.id);
  const values: EditPostValues = {
    plainText: text("plainText") ?? "",
    body: text("body") ?? "",
    pinnedUntil: (text("pinnedUntil") ?? "").trim(),
    returnTo: text("returnTo") ?? "",
  };
  if (text("intent") !== "edit") return refused(values, 400, { error: { key: "unknownIntent" } });
  const input = {
    body: text("body"),
    plainText: text("plainText"),
    // A cleared date unpins; only announcements have the field at all.
    ...(view.kind === "announcement" && form.has("pinnedUntil")
      ? { pinnedUntil: values.pinnedUntil || null }
      : {}),
  };
  try {
    const written = await editPost(user, view.id, input);
    return redirect(withHash(safeReturnTo(values.returnTo, written.url), `bericht-${written.id}`), 303);
  } catch (error) {
    if (!isStreamError(error)) throw error;
    const status = streamErrorStatus(error);
    switch (error.code) {
      case "invalid_input":
        return refused(values, status, { fieldErrors: composerFieldErrors(error.issues) });
      case "not_found":
      case "forbidden":
        throw notFound();
      case "invalid_state":
        return refused(values, status, { error: { key: "postLocked" } });
      case "rate_limited":
        return refused(
          values,
          status,
          {
            error: {
              key: "rateLimited",
              params: { count: Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60)) },
            },
          },
          streamErrorHeaders(error),
        );
      default:
        return refused(values, status, { error: { key: "unknown" } });
    }
  }
}

export default function EditPostPage() {
  const { post, returnTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  const { t } = useTranslation();
  const back = safeReturnTo(result?.values.returnTo, returnTo);
  return (
    <div className="page page--narrow composer-page">
      <p>
        <Link to={back}>{t("composer.edit.back")}</Link>
      </p>
      <h1>{t("composer.edit.title")}</h1>
      <p className="lead">{t("composer.edit.intro")}</p>
      <EditPostForm
        action={`${postPath(post.id)}/bewerken`}
        post={{
          document: post.document as LexicalDocument,
          plainText: post.plainText,
          isAnnouncement: post.isAnnouncement,
          pinnedUntil: post.pinnedUntil,
        }}
        returnTo={back}
        result={result}
        cancel={
          <Link to={back} className="button">
            {t("composer.edit.cancel")}
          </Link>
        }
      />
    </div>
  );
}
