/**
 * A post's comments with one reply level. Every comment is an <article id="reactie-<id>">; deleted ones,
 * and hidden ones the reader may not see, stay as a short placeholder so their replies keep their context.
 * Reply, edit, delete, report and moderate are forms in disclosures (<details>), so they work without
 * JavaScript; a form whose submission was refused opens again with its message and what was typed.
 */
import { type SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { PersonAvatar } from "~/modules/people/person-avatar";
import { initialsOf } from "~/modules/people/person";
import type { CommentThread as Thread, CommentView } from "~/modules/stream/posts.server";
import { RelativeTime } from "./relative-time";
import { failureFor, TextForm } from "./text-form";
import { type PostActionResult, type PostIntent } from "./types";

type Comment = SerializeFrom<CommentView>;

export type CommentLimits = { textMax: number; reasonMin: number; reasonMax: number };

export type CommentThreadProps = {
  postId: string;
  postUrl: string;
  threads: SerializeFrom<Thread>[];
  returnTo: string;
  /** Plain text of the reader's own comments, to edit them in a textarea. */
  ownTexts: Record<string, string>;
  limits: CommentLimits;
  actionData: PostActionResult | null | undefined;
};

/** The anchor id of a comment (`#reactie-<id>`), as commentPath builds it. */
export function commentAnchor(commentId: string): string {
  return `reactie-${commentId}`;
}

function Disclosure({
  summary,
  open,
  children,
  className,
}: {
  summary: string;
  open: boolean;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <details className={`comment__disclosure${className ? ` ${className}` : ""}`} open={open || undefined}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

function CommentItem({
  comment,
  props,
  level,
}: {
  comment: Comment;
  props: CommentThreadProps;
  level: 3 | 4;
}) {
  const { t } = useTranslation();
  const anchor = commentAnchor(comment.id);
  const headingId = `${anchor}-titel`;
  const Heading = level === 3 ? "h3" : "h4";
  const { actionData, postUrl, returnTo, limits } = props;
  const isOpen = (intent: PostIntent) => failureFor(actionData, intent, comment.id) !== null;
  const name = comment.author?.displayName ?? "";

  if (!comment.author) {
    return (
      <article id={anchor} className="comment comment--placeholder" aria-labelledby={headingId} tabIndex={-1}>
        <Heading id={headingId} className="comment__placeholder muted">
          {comment.state === "deleted"
            ? t("stream.comments.deleted")
            : t("stream.comments.hiddenPlaceholder")}
        </Heading>
      </article>
    );
  }

  return (
    <article id={anchor} className="comment" aria-labelledby={headingId} tabIndex={-1}>
      <header className="comment__header">
        <PersonAvatar
          person={{ id: comment.author.id, avatarUrl: comment.author.avatarUrl, initials: initialsOf(name) }}
        />
        <div>
          <Heading id={headingId} className="comment__author">
            <Link to={comment.author.url}>{name}</Link>
          </Heading>
          <p className="comment__meta muted">
            <RelativeTime iso={comment.createdAt} />
            {comment.editedAt ? ` · ${t("stream.post.edited")}` : null}
          </p>
        </div>
      </header>
      {comment.state === "hidden" ? (
        <p className="notice notice--error" role="note">
          {t("stream.comments.hiddenNotice", { reason: comment.hiddenReason ?? "" })}
        </p>
      ) : null}
      <div className="post-body comment__body" dangerouslySetInnerHTML={{ __html: comment.html }} />
      <div className="comment__actions">
        {comment.can.reply ? (
          <Disclosure summary={t("stream.comments.reply")} open={isOpen("comment")}>
            <TextForm
              action={postUrl}
              intent="comment"
              target={comment.id}
              returnTo={returnTo}
              hidden={{ parentId: comment.id }}
              field="plainText"
              label={t("stream.comments.replyLabel", { name })}
              submitLabel={t("stream.comments.replySubmit")}
              required
              maxLength={limits.textMax}
              actionData={actionData}
            />
          </Disclosure>
        ) : null}
        {comment.can.edit ? (
          <Disclosure summary={t("stream.comments.edit")} open={isOpen("editComment")}>
            <TextForm
              action={postUrl}
              intent="editComment"
              target={comment.id}
              returnTo={returnTo}
              hidden={{ commentId: comment.id }}
              field="plainText"
              label={t("stream.comments.editLabel")}
              submitLabel={t("stream.comments.editSubmit")}
              defaultValue={props.ownTexts[comment.id] ?? ""}
              required
              maxLength={limits.textMax}
              actionData={actionData}
            />
          </Disclosure>
        ) : null}
        {comment.can.delete ? <DeleteComment comment={comment} props={props} /> : null}
        {comment.can.report ? (
          <Disclosure summary={t("stream.comments.report")} open={isOpen("report")}>
            <TextForm
              action={postUrl}
              intent="report"
              target={comment.id}
              returnTo={returnTo}
              hidden={{ commentId: comment.id }}
              field="reason"
              label={t("stream.report.reasonLabel")}
              help={t("stream.report.reasonHelp", { min: limits.reasonMin })}
              submitLabel={t("stream.report.submit")}
              required
              minLength={limits.reasonMin}
              maxLength={limits.reasonMax}
              actionData={actionData}
            />
          </Disclosure>
        ) : null}
        {comment.can.moderate ? (
          <Disclosure
            summary={
              comment.state === "hidden"
                ? t("stream.moderation.restoreComment")
                : t("stream.moderation.hideComment")
            }
            open={isOpen(comment.state === "hidden" ? "restoreComment" : "hideComment")}
          >
            <TextForm
              action={postUrl}
              intent={comment.state === "hidden" ? "restoreComment" : "hideComment"}
              target={comment.id}
              returnTo={returnTo}
              hidden={{ commentId: comment.id }}
              field="reason"
              label={t("stream.moderation.reasonLabel")}
              help={t("stream.moderation.reasonHelp", { min: limits.reasonMin })}
              submitLabel={
                comment.state === "hidden"
                  ? t("stream.moderation.restoreSubmit")
                  : t("stream.moderation.hideSubmit")
              }
              required
              minLength={limits.reasonMin}
              maxLength={limits.reasonMax}
              actionData={actionData}
            />
          </Disclosure>
        ) : null}
      </div>
    </article>
  );
}

function DeleteComment({ comment, props }: { comment: Comment; props: CommentThreadProps }) {
  const { t } = useTranslation();
  const failure = failureFor(props.actionData, "deleteComment", comment.id);
  return (
    <Disclosure summary={t("stream.comments.delete")} open={failure !== null}>
      <Form method="post" action={props.postUrl} className="stream-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="deleteComment" />
        <input type="hidden" name="commentId" value={comment.id} />
        <input type="hidden" name="returnTo" value={props.returnTo} />
        <p>{t("stream.comments.deleteConfirm")}</p>
        {failure ? (
          <p className="field__error" role="alert">
            {t(failure.error)}
          </p>
        ) : null}
        <button type="submit" className="button button--danger">
          {t("stream.comments.deleteYes")}
        </button>
      </Form>
    </Disclosure>
  );
}

export function CommentThreadList(props: CommentThreadProps) {
  const { t } = useTranslation();
  if (props.threads.length === 0) return <p className="muted">{t("stream.comments.none")}</p>;
  return (
    <ol className="comments">
      {props.threads.map((thread) => (
        <li key={thread.id} className="comments__thread">
          <CommentItem comment={thread} props={props} level={3} />
          {thread.replies.length > 0 ? (
            <ol
              className="comments__replies"
              aria-label={t("stream.comments.repliesTo", {
                name: thread.author?.displayName ?? t("stream.comments.someone"),
              })}
            >
              {thread.replies.map((reply) => (
                <li key={reply.id}>
                  <CommentItem comment={reply} props={props} level={4} />
                </li>
              ))}
            </ol>
          ) : null}
          {thread.replyCount > thread.replies.length ? (
            <p className="muted comments__more-replies">
              {t("stream.comments.moreReplies", { count: thread.replyCount - thread.replies.length })}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
