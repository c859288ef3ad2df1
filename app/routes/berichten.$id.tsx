/**
 * /berichten/<id>: one post with its comments, who reacted, and every form about it (react, comment and
 * reply, edit and delete one's own comment, delete one's own post, report, share into a place, and for
 * moderators hide and restore). A post the reader may not see is 404, exactly like one that does not exist.
 *
 * The action takes one form at a time, told apart by `intent`; each calls the stream module (which decides
 * who may do what) and redirects (303) back to a validated local path with the anchor of what changed, or
 * answers the refusal with its status and a message key for the form it belongs to. Reactions submitted by
 * the enhanced reactions bar get their counts back as data instead of a redirect.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { CommentThreadList, commentAnchor } from "~/components/stream/comment-thread";
import { PostCard, postAnchor } from "~/components/stream/post-card";
import { failureFor, TextForm } from "~/components/stream/text-form";
import {
  REACTION_EMOJI,
  REACTION_TYPES,
  streamFieldId,
  VIA_FETCHER_FIELD,
  VIA_FETCHER_VALUE,
  type PostActionResult,
  type PostIntent,
} from "~/components/stream/types";
import { prisma } from "~/db.server";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import { addComment, deleteComment, editComment, listComments } from "~/modules/stream/comments.server";
import { COMMENT_LIMITS, POST_LIMITS, postPath } from "~/modules/stream/content";
import { isStreamError, type StreamError } from "~/modules/stream/errors";
import {
  streamErrorHeaders,
  streamErrorMessageKey,
  streamErrorResponse,
  streamErrorStatus,
} from "~/modules/stream/http.server";
import {
  hideComment,
  hidePost,
  reportContent,
  REASON_MAX,
  REASON_MIN,
  restoreComment,
  restorePost,
} from "~/modules/stream/moderation.server";
import { getPlaceView, listPlaces } from "~/modules/stream/places.server";
import { deletePost, getPostView, sharePost } from "~/modules/stream/posts.server";
import { listReactors, removeReaction, setReaction } from "~/modules/stream/reactions.server";
import { safeReturnTo, withHash } from "~/modules/stream/return-to";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

/** Query parameter of the comments' cursor. */
const COMMENTS_CURSOR_PARAM = "reacties";
/** Query parameter set after a report, to thank the reader. */
const REPORTED_PARAM = "gemeld";

const Id = z.string().trim().min(1).max(64);
const Text = z.string().max(COMMENT_LIMITS.maxTextLength * 2);
const Reason = z.string().max(REASON_MAX * 2);

const PostActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("react"), type: z.enum(REACTION_TYPES) }),
  z.object({ intent: z.literal("unreact") }),
  z.object({ intent: z.literal("comment"), plainText: Text, parentId: Id.optional() }),
  z.object({ intent: z.literal("editComment"), commentId: Id, plainText: Text }),
  z.object({ intent: z.literal("deleteComment"), commentId: Id }),
  z.object({ intent: z.literal("deletePost") }),
  z.object({ intent: z.literal("report"), reason: Reason, commentId: Id.optional() }),
  z.object({
    intent: z.literal("share"),
    placeSlug: z.string().trim().min(1).max(120),
    plainText: z
      .string()
      .max(POST_LIMITS.maxTextLength * 2)
      .optional(),
  }),
  z.object({ intent: z.literal("hide"), reason: Reason }),
  z.object({ intent: z.literal("restore"), reason: Reason }),
  z.object({ intent: z.literal("hideComment"), commentId: Id, reason: Reason }),
  z.object({ intent: z.literal("restoreComment"), commentId: Id, reason: Reason }),
]);
type PostAction = z.infer<typeof PostActionSchema>;

const INTENTS = new Set<string>(PostActionSchema.options.map((option) => option.shape.intent.value));

function rethrowAsResponse(error: unknown): never {
  if (isStreamError(error)) throw streamErrorResponse(error);
  throw error;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  const url = new URL(request.url);
  const view = await getPostView(user, params.id).catch(rethrowAsResponse);
  const commentsCursor = url.searchParams.get(COMMENTS_CURSOR_PARAM);
  const comments = commentsCursor
    ? await listComments(user, view.id, { cursor: commentsCursor }).catch(rethrowAsResponse)
    : { threads: view.comments, nextCursor: view.moreCommentsCursor };
  const reactors = view.counts.reactions > 0 ? await listReactors(user, view.id) : [];
  const shareTargets = view.can.share
    ? (await listPlaces(user, { mine: true })).items.map(({ slug, name, kind }) => ({ slug, name, kind }))
    : [];
  // The comments' plain text, to edit them in a textarea: only the reader's own, among the comments the
  // policy just returned (commentThreads leaves out what they may not see).
  const editable = comments.threads
    .flatMap((thread) => [thread, ...thread.replies])
    .filter((comment) => comment.can.edit)
    .map((comment) => comment.id);
  const ownTexts = editable.length
    ? Object.fromEntries(
        (
          await prisma.comment.findMany({
            where: { id: { in: editable }, authorId: user.id, deletedAt: null },
            select: { id: true, text: true },
          })
        ).map((comment) => [comment.id, comment.text]),
      )
    : {};
  const { comments: _firstPage, moreCommentsCursor: _more, ...post } = view;
  return {
    title: `${t("stream.postPage.title", { name: view.author.displayName })} · Werkplek`,
    post,
    comments,
    onLaterCommentsPage: Boolean(commentsCursor),
    reactors,
    shareTargets,
    ownTexts,
    open: {
      share: url.searchParams.has("delen"),
      report: url.searchParams.has("melden"),
      moderate: url.searchParams.has("modereren"),
    },
    reported: url.searchParams.has(REPORTED_PARAM),
    limits: { textMax: COMMENT_LIMITS.maxTextLength, reasonMin: REASON_MIN, reasonMax: REASON_MAX },
  };
}

type Failure = Extract<PostActionResult, { ok: false }>;

function failure(
  status: number,
  result: Omit<Failure, "ok" | "fieldErrors" | "values"> & Partial<Pick<Failure, "fieldErrors" | "values">>,
  headers: Record<string, string> = {},
) {
  return data<PostActionResult>({ ok: false, fieldErrors: {}, values: {}, ...result }, { status, headers });
}

/** The form a refusal belongs to: the comment it is about, or the post's own form. */
function targetOf(input: Partial<Record<string, unknown>>): string | null {
  const intent = input.intent;
  if (intent === "comment")
    return typeof input.parentId === "string" && input.parentId ? input.parentId : null;
  return typeof input.commentId === "string" && input.commentId ? input.commentId : null;
}

/** The field a refused form shows its message next to. */
function fieldOf(intent: PostIntent): string | null {
  switch (intent) {
    case "comment":
    case "editComment":
      return "plainText";
    case "report":
    case "hide":
    case "restore":
    case "hideComment":
    case "restoreComment":
      return "reason";
    case "share":
      return "placeSlug";
    default:
      return null;
  }
}

/** A message more precise than the generic one, where the intent says what went wrong. */
function messageKey(intent: PostIntent, error: StreamError): string {
  if (
    error.code === "invalid_state" &&
    (intent === "comment" || intent === "react" || intent === "unreact")
  ) {
    return "stream.errors.notInteractive";
  }
  if ((error.code === "forbidden" || error.code === "not_found") && intent === "share") {
    return "stream.share.errors.place";
  }
  if (error.code === "conflict" && intent === "report") return "stream.report.errors.already";
  if (error.code === "forbidden" && intent === "report") return "stream.report.errors.own";
  if (error.code === "invalid_input" && (intent === "comment" || intent === "editComment")) {
    return "stream.comments.errors.invalid";
  }
  if (error.code === "invalid_input" && fieldOf(intent) === "reason") return "stream.errors.reason";
  return streamErrorMessageKey(error);
}

function echo(input: Partial<Record<string, unknown>>): Partial<Record<string, string>> {
  const values: Partial<Record<string, string>> = {};
  for (const key of ["plainText", "reason", "placeSlug"]) {
    const value = input[key];
    if (typeof value === "string") values[key] = value;
  }
  return values;
}

/** Checks of typed text the module would refuse too, with a message that says what to change. */
function textProblem(input: PostAction): { field: string; key: string } | null {
  if (input.intent === "comment" || input.intent === "editComment") {
    const length = input.plainText.trim().length;
    if (length === 0) return { field: "plainText", key: "stream.comments.errors.empty" };
    if (length > COMMENT_LIMITS.maxTextLength)
      return { field: "plainText", key: "stream.comments.errors.tooLong" };
  }
  if ("reason" in input) {
    const length = input.reason.trim().length;
    if (length < REASON_MIN) return { field: "reason", key: "stream.errors.reasonTooShort" };
    if (length > REASON_MAX) return { field: "reason", key: "stream.errors.reasonTooLong" };
  }
  return null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const raw = Object.fromEntries(
    [...form.entries()].flatMap(([key, value]) => (typeof value === "string" ? [[key, value]] : [])),
  ) as Partial<Record<string, string>>;
  const postId = params.id ?? "";
  const home = postPath(postId);
  const returnTo = safeReturnTo(raw.returnTo, home);
  const viaFetcher = raw[VIA_FETCHER_FIELD] === VIA_FETCHER_VALUE;
  const knownIntent = raw.intent && INTENTS.has(raw.intent) ? (raw.intent as PostIntent) : null;

  const parsed = PostActionSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<string, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === "string" && !fieldErrors[field]) fieldErrors[field] = "stream.errors.invalidField";
    }
    const error =
      knownIntent === "react" ? "stream.reactions.errors.unknownType" : "stream.errors.invalidInput";
    return failure(400, {
      intent: knownIntent,
      target: targetOf(raw),
      error,
      fieldErrors,
      values: echo(raw),
    });
  }
  const input = parsed.data;
  const target = targetOf(input);
  const problem = textProblem(input);
  if (problem) {
    return failure(400, {
      intent: input.intent,
      target,
      error: problem.key,
      fieldErrors: { [problem.field]: problem.key },
      values: echo(raw),
    });
  }

  try {
    switch (input.intent) {
      case "react":
      case "unreact": {
        const reactions =
          input.intent === "react"
            ? await setReaction(user, postId, input.type)
            : await removeReaction(user, postId);
        if (viaFetcher) return data<PostActionResult>({ ok: true, intent: input.intent, reactions });
        return redirect(withHash(returnTo, postAnchor(postId)), 303);
      }
      case "comment": {
        const written = await addComment(user, postId, {
          plainText: input.plainText,
          parentId: input.parentId ?? null,
        });
        return redirect(withHash(returnTo, commentAnchor(written.id)), 303);
      }
      case "editComment": {
        await editComment(user, input.commentId, { plainText: input.plainText });
        return redirect(withHash(returnTo, commentAnchor(input.commentId)), 303);
      }
      case "deleteComment": {
        await deleteComment(user, input.commentId);
        return redirect(withHash(returnTo, "reacties"), 303);
      }
      case "deletePost": {
        await deletePost(user, postId);
        // The post's own page is gone now: go home instead of to a 404.
        const back = new URL(returnTo, "http://werkplek.invalid").pathname.startsWith(home) ? "/" : returnTo;
        return redirect(withHash(back, null), 303);
      }
      case "report": {
        await reportContent(user, { postId, commentId: input.commentId ?? null, reason: input.reason });
        const back = new URL(returnTo, "http://werkplek.invalid");
        back.searchParams.delete("melden");
        back.searchParams.set(REPORTED_PARAM, "1");
        const anchor = input.commentId ? commentAnchor(input.commentId) : postAnchor(postId);
        return redirect(`${back.pathname}${back.search}#${anchor}`, 303);
      }
      case "share": {
        const place = await getPlaceView(user, input.placeSlug);
        const text = input.plainText?.trim() ? input.plainText : undefined;
        const written = await sharePost(user, postId, { placeId: place.place.id, plainText: text });
        // The new post is the confirmation: the reader sees their share as others will.
        return redirect(withHash(written.url, postAnchor(written.id)), 303);
      }
      case "hide":
      case "restore": {
        if (input.intent === "hide") await hidePost(user, postId, input.reason);
        else await restorePost(user, postId, input.reason);
        const back = new URL(returnTo, "http://werkplek.invalid");
        back.searchParams.delete("modereren");
        return redirect(`${back.pathname}${back.search}#${postAnchor(postId)}`, 303);
      }
      case "hideComment":
      case "restoreComment": {
        if (input.intent === "hideComment") await hideComment(user, input.commentId, input.reason);
        else await restoreComment(user, input.commentId, input.reason);
        return redirect(withHash(returnTo, commentAnchor(input.commentId)), 303);
      }
    }
  } catch (error) {
    if (!isStreamError(error)) throw error;
    const key = messageKey(input.intent, error);
    const field = fieldOf(input.intent);
    return failure(
      streamErrorStatus(error),
      {
        intent: input.intent,
        target,
        error: key,
        fieldErrors: field ? { [field]: key } : {},
        values: echo(raw),
        ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      },
      streamErrorHeaders(error),
    );
  }
}

export default function PostPage() {
  const { post, comments, onLaterCommentsPage, reactors, shareTargets, ownTexts, open, reported, limits } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as PostActionResult | undefined;
  const { t } = useTranslation();
  const returnTo = post.url;
  const summary = useRef<HTMLDivElement>(null);
  const failed = actionData && !actionData.ok ? actionData : null;

  useEffect(() => {
    if (failed) summary.current?.focus();
  }, [failed]);

  const errorField = failed?.intent ? fieldOf(failed.intent) : null;
  const errorHref =
    failed?.intent && errorField ? `#${streamFieldId(failed.intent, failed.target, errorField)}` : null;
  const moderateIntent = post.hidden ? "restore" : "hide";
  const byType = REACTION_TYPES.map((type) => ({
    type,
    people: reactors.filter((reactor) => reactor.type === type).map((reactor) => reactor.person),
  })).filter((group) => group.people.length > 0);

  return (
    <div className="page post-page">
      <p className="post-page__back">
        <Link to="/">{t("stream.postPage.back")}</Link>
      </p>
      <h1 className="stream-sr-only">{t("stream.postPage.title", { name: post.author.displayName })}</h1>
      <div
        ref={summary}
        tabIndex={-1}
        role={failed ? "alert" : undefined}
        className={failed ? "notice notice--error error-summary" : undefined}
      >
        {failed ? (
          <>
            <p className="error-summary__title">{t("stream.postPage.errorTitle")}</p>
            <ul>
              <li>
                {errorHref ? (
                  <a href={errorHref}>{t(failed.error, { seconds: failed.retryAfterSeconds ?? 60 })}</a>
                ) : (
                  t(failed.error, { seconds: failed.retryAfterSeconds ?? 60 })
                )}
              </li>
            </ul>
          </>
        ) : null}
      </div>
      {reported ? (
        <p className="notice notice--success" role="status">
          {t("stream.report.thanks")}
        </p>
      ) : null}
      <PostCard post={post} returnTo={returnTo} headingLevel={2} can={post.can} links={post.links} />

      {post.can.share ? (
        <details
          id="delen"
          className="card post-page__panel"
          open={open.share || failureFor(failed, "share", null) !== null || undefined}
        >
          <summary>{t("stream.share.title")}</summary>
          {shareTargets.length === 0 ? (
            <p className="muted">
              {t("stream.share.noPlaces")} <Link to="/groepen">{t("stream.share.findPlaces")}</Link>
            </p>
          ) : (
            <ShareForm postUrl={post.url} targets={shareTargets} returnTo={returnTo} failed={failed} />
          )}
        </details>
      ) : null}

      {post.can.report ? (
        <details
          id="melden"
          className="card post-page__panel"
          open={open.report || failureFor(failed, "report", null) !== null || undefined}
        >
          <summary>{t("stream.report.title")}</summary>
          <TextForm
            action={post.url}
            intent="report"
            target={null}
            returnTo={returnTo}
            field="reason"
            label={t("stream.report.reasonLabel")}
            help={t("stream.report.reasonHelp", { min: limits.reasonMin })}
            submitLabel={t("stream.report.submit")}
            required
            minLength={limits.reasonMin}
            maxLength={limits.reasonMax}
            actionData={failed}
          />
        </details>
      ) : null}

      {post.can.moderate ? (
        <details
          id="modereren"
          className="card post-page__panel"
          open={open.moderate || failureFor(failed, moderateIntent, null) !== null || undefined}
        >
          <summary>
            {post.hidden ? t("stream.moderation.restorePost") : t("stream.moderation.hidePost")}
          </summary>
          <TextForm
            action={post.url}
            intent={moderateIntent}
            target={null}
            returnTo={returnTo}
            field="reason"
            label={t("stream.moderation.reasonLabel")}
            help={t("stream.moderation.reasonHelp", { min: limits.reasonMin })}
            submitLabel={
              post.hidden ? t("stream.moderation.restoreSubmit") : t("stream.moderation.hideSubmit")
            }
            required
            minLength={limits.reasonMin}
            maxLength={limits.reasonMax}
            actionData={failed}
            danger={!post.hidden}
          />
        </details>
      ) : null}

      {byType.length > 0 ? (
        <section className="card post-page__reactors" aria-labelledby="wie-reageerde">
          <h2 id="wie-reageerde">{t("stream.reactors.title")}</h2>
          {byType.map((group) => (
            <details key={group.type}>
              <summary>
                <span aria-hidden="true">{REACTION_EMOJI[group.type]} </span>
                {t(`stream.reactions.types.${group.type}`)} ({group.people.length})
              </summary>
              <ul className="post-page__reactor-list">
                {group.people.map((person) => (
                  <li key={person.id}>
                    <Link to={person.url}>{person.displayName}</Link>
                    {person.jobTitle ? <span className="muted"> · {person.jobTitle}</span> : null}
                  </li>
                ))}
              </ul>
            </details>
          ))}
        </section>
      ) : null}

      <section
        id="reacties"
        className="card post-page__comments"
        aria-labelledby="reacties-titel"
        tabIndex={-1}
      >
        <h2 id="reacties-titel">{t("stream.comments.title", { count: post.counts.comments })}</h2>
        {onLaterCommentsPage ? (
          <p>
            <Link to={`${post.url}#reacties`}>{t("stream.comments.first")}</Link>
          </p>
        ) : null}
        <CommentThreadList
          postId={post.id}
          postUrl={post.url}
          threads={comments.threads}
          returnTo={returnTo}
          ownTexts={ownTexts}
          limits={limits}
          actionData={failed}
        />
        {comments.nextCursor ? (
          <p>
            <Link
              className="button"
              to={`${post.url}?${new URLSearchParams({ [COMMENTS_CURSOR_PARAM]: comments.nextCursor }).toString()}#reacties`}
            >
              {t("stream.comments.more")}
            </Link>
          </p>
        ) : null}
        {post.can.comment ? (
          <TextForm
            action={post.url}
            intent="comment"
            target={null}
            returnTo={returnTo}
            field="plainText"
            label={t("stream.comments.newLabel")}
            help={t("stream.comments.newHelp")}
            submitLabel={t("stream.comments.submit")}
            required
            maxLength={limits.textMax}
            rows={4}
            actionData={failed}
          />
        ) : (
          <p className="muted">{t("stream.comments.closed")}</p>
        )}
      </section>
    </div>
  );
}

function ShareForm({
  postUrl,
  targets,
  returnTo,
  failed,
}: {
  postUrl: string;
  targets: { slug: string; name: string; kind: "group" | "project" }[];
  returnTo: string;
  failed: Failure | null;
}) {
  const { t } = useTranslation();
  const mine = failureFor(failed, "share", null);
  const placeId = streamFieldId("share", null, "placeSlug");
  const textId = streamFieldId("share", null, "plainText");
  const placeError = mine?.fieldErrors.placeSlug;
  return (
    <Form method="post" action={postUrl} className="stream-form">
      <CsrfInput />
      <input type="hidden" name="intent" value="share" />
      <input type="hidden" name="returnTo" value={returnTo} />
      <label htmlFor={placeId} className="stream-form__label">
        {t("stream.share.placeLabel")}
      </label>
      <select
        id={placeId}
        name="placeSlug"
        required
        defaultValue={mine?.values.placeSlug ?? ""}
        aria-invalid={placeError ? true : undefined}
        aria-describedby={placeError ? `${placeId}-fout` : undefined}
      >
        <option value="" disabled>
          {t("stream.share.choose")}
        </option>
        {targets.map((place) => (
          <option key={place.slug} value={place.slug}>
            {place.name} ({t(`stream.home.placeKind.${place.kind}`)})
          </option>
        ))}
      </select>
      {placeError ? (
        <p id={`${placeId}-fout`} className="field__error stream-form__error">
          {t(placeError)}
        </p>
      ) : null}
      <label htmlFor={textId} className="stream-form__label">
        {t("stream.share.textLabel")}
      </label>
      <textarea id={textId} name="plainText" rows={3} defaultValue={mine?.values.plainText ?? ""} />
      <button type="submit" className="button button--primary">
        {t("stream.share.submit")}
      </button>
    </Form>
  );
}
