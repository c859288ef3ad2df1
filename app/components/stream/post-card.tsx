/**
 * One post as an <article>: author, place, time, badges, the body (HTML already made safe on the server),
 * topics, a shared post quoted inside, images, reactions, the comment count and the actions the reader
 * may take. The same card serves the streams (a StreamItem) and the post page (a PostView).
 */
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { useOptionalUser } from "~/components/use-user";
import { hasPermission } from "~/modules/identity/permissions";
import { PersonAvatar } from "~/modules/people/person-avatar";
import { initialsOf } from "~/modules/people/person";
import { ReactionsBar } from "./reactions-bar";
import { RelativeTime } from "./relative-time";
import { type ReactionType } from "./types";

type CardPerson = {
  id: string;
  displayName: string;
  jobTitle: string | null;
  avatarUrl: string | null;
  url: string;
};
type CardPlace = { name: string; url: string; kind: "group" | "project" };
type CardShared =
  | { available: false }
  | {
      available: true;
      id: string;
      url: string;
      author: CardPerson;
      place: CardPlace | null;
      createdAt: string;
      editedAt: string | null;
      html: string;
    };

/** What the card needs of a post; both StreamItem and PostView have it. */
export type PostCardPost = {
  id: string;
  url: string;
  kind: "post" | "announcement";
  author: CardPerson;
  place: CardPlace | null;
  createdAt: string;
  editedAt: string | null;
  pinned: boolean;
  html: string;
  topics: { slug: string; name: string; url: string }[];
  hidden: { reason: string } | null;
  shared: CardShared | null;
  counts: { comments: number; reactions: number; byType?: Record<ReactionType, number> };
  myReaction: ReactionType | null;
};

export type PostCardCan = {
  edit: boolean;
  delete: boolean;
  react: boolean;
  share: boolean;
  report: boolean;
  moderate: boolean;
};

/** An uploaded image of a post (helper D adds `images` to StreamItem and PostView). */
export type PostImage = { id: string; url: string; width: number; height: number; alt: string };

function isPostImage(value: unknown): value is PostImage {
  if (typeof value !== "object" || value === null) return false;
  const image = value as Record<string, unknown>;
  return (
    typeof image.id === "string" &&
    typeof image.url === "string" &&
    typeof image.width === "number" &&
    typeof image.height === "number" &&
    typeof image.alt === "string"
  );
}

/** A post's images, read defensively: older data and lists without images simply have none. */
export function imagesOf(post: object): PostImage[] {
  if (!("images" in post) || !Array.isArray(post.images)) return [];
  return post.images.filter(isPostImage);
}

type LinkPreview =
  | { kind: "circular"; url: string; number: string; title: string }
  | { kind: "place"; url: string; name: string; placeKind: "group" | "project"; description: string }
  | { kind: "person"; url: string; displayName: string; jobTitle: string | null; avatarUrl: string | null };

export type PostCardProps = {
  post: PostCardPost;
  /** Where the card's forms send the reader back to (a validated local path). */
  returnTo: string;
  /** h2 on the post page, h3 inside a stream under its own h2. */
  headingLevel?: 2 | 3;
  /** The post page passes the server's flags; streams derive them from the signed-in person. */
  can?: PostCardCan;
  /** Previews of this app's pages the post links to (post page only). */
  links?: LinkPreview[];
};

/** The anchor id of a post's card, for links and redirects (`#bericht-<id>`). */
export function postAnchor(postId: string): string {
  return `bericht-${postId}`;
}

function Byline({
  person,
  place,
  headingId,
  level,
}: {
  person: CardPerson;
  place: CardPlace | null;
  headingId?: string;
  level: 2 | 3 | 4;
}) {
  const { t } = useTranslation();
  const Heading = level === 2 ? "h2" : level === 3 ? "h3" : "h4";
  return (
    <div className="post-card__byline">
      <PersonAvatar
        person={{ id: person.id, avatarUrl: person.avatarUrl, initials: initialsOf(person.displayName) }}
      />
      <div>
        <Heading id={headingId} className="post-card__author">
          <Link to={person.url}>{person.displayName}</Link>
          {place ? (
            <>
              {" "}
              <span className="post-card__in">{t("stream.post.in")}</span>{" "}
              <Link to={place.url}>{place.name}</Link>
            </>
          ) : null}
        </Heading>
        {person.jobTitle ? <p className="post-card__job muted">{person.jobTitle}</p> : null}
      </div>
    </div>
  );
}

function PostImages({ images }: { images: PostImage[] }) {
  if (images.length === 0) return null;
  return (
    <ul className={`post-card__images post-card__images--${Math.min(images.length, 4)}`}>
      {images.map((image) => (
        <li key={image.id}>
          <a href={image.url}>
            <img
              src={image.url}
              alt={image.alt}
              width={image.width}
              height={image.height}
              loading="lazy"
              decoding="async"
            />
          </a>
        </li>
      ))}
    </ul>
  );
}

function SharedPost({ shared, level }: { shared: CardShared; level: 3 | 4 }) {
  const { t } = useTranslation();
  if (!shared.available) {
    return (
      <p className="post-card__shared post-card__shared--gone muted">{t("stream.post.sharedUnavailable")}</p>
    );
  }
  return (
    <blockquote className="post-card__shared" cite={shared.url}>
      <Byline person={shared.author} place={shared.place} level={level} />
      <p className="post-card__meta">
        <Link to={shared.url}>
          <RelativeTime iso={shared.createdAt} />
        </Link>
        {shared.editedAt ? <span className="post-card__edited"> · {t("stream.post.edited")}</span> : null}
      </p>
      <div className="post-body" dangerouslySetInnerHTML={{ __html: shared.html }} />
      <PostImages images={imagesOf(shared)} />
    </blockquote>
  );
}

function LinkPreviews({ links }: { links: LinkPreview[] }) {
  const { t } = useTranslation();
  if (links.length === 0) return null;
  return (
    <ul className="post-card__previews" aria-label={t("stream.post.previews")}>
      {links.map((link) => (
        <li key={link.url} className="post-card__preview">
          <Link to={link.url}>
            {link.kind === "circular"
              ? `${link.number} · ${link.title}`
              : link.kind === "place"
                ? link.name
                : link.displayName}
          </Link>
          <span className="muted">
            {" "}
            {link.kind === "circular"
              ? t("stream.post.previewCircular")
              : link.kind === "place"
                ? t(`stream.post.previewPlace.${link.placeKind}`)
                : (link.jobTitle ?? t("stream.post.previewPerson"))}
          </span>
          {link.kind === "place" && link.description ? <p className="muted">{link.description}</p> : null}
        </li>
      ))}
    </ul>
  );
}

function PostActions({ post, can, returnTo }: { post: PostCardPost; can: PostCardCan; returnTo: string }) {
  const { t } = useTranslation();
  if (!can.edit && !can.delete && !can.share && !can.report && !can.moderate) return null;
  return (
    <details className="post-actions">
      <summary className="button post-actions__toggle">
        {t("stream.post.actions")}
        <span className="stream-sr-only">
          {" "}
          {t("stream.post.actionsFor", { name: post.author.displayName })}
        </span>
      </summary>
      <ul className="post-actions__list">
        {can.edit ? (
          <li>
            <Link to={`${post.url}/bewerken`}>{t("stream.post.edit")}</Link>
          </li>
        ) : null}
        {can.share ? (
          <li>
            <Link to={`${post.url}?delen=1#delen`}>{t("stream.post.share")}</Link>
          </li>
        ) : null}
        {can.report ? (
          <li>
            <Link to={`${post.url}?melden=1#melden`}>{t("stream.post.report")}</Link>
          </li>
        ) : null}
        {can.moderate ? (
          <li>
            <Link to={`${post.url}?modereren=1#modereren`}>
              {post.hidden ? t("stream.moderation.restorePost") : t("stream.moderation.hidePost")}
            </Link>
          </li>
        ) : null}
        {can.delete ? (
          <li>
            <details className="post-actions__confirm">
              <summary>{t("stream.post.delete")}</summary>
              <Form method="post" action={post.url} className="stack">
                <CsrfInput />
                <input type="hidden" name="intent" value="deletePost" />
                <input type="hidden" name="returnTo" value={returnTo} />
                <p>{t("stream.post.deleteConfirm")}</p>
                <button type="submit" className="button button--danger">
                  {t("stream.post.deleteYes")}
                </button>
              </Form>
            </details>
          </li>
        ) : null}
      </ul>
    </details>
  );
}

export function PostCard({ post, returnTo, headingLevel = 3, can, links }: PostCardProps) {
  const { t } = useTranslation();
  const user = useOptionalUser();
  const own = user?.id === post.author.id;
  const hidden = post.hidden !== null;
  const flags: PostCardCan = can ?? {
    edit: own && (post.kind === "post" || hasPermission(user, "create:announcement")),
    delete: own,
    react: !hidden,
    share: !hidden && (post.shared === null || post.shared.available),
    report: !own && !hidden,
    moderate: hasPermission(user, "moderate:post"),
  };
  const anchor = postAnchor(post.id);
  const headingId = `${anchor}-titel`;
  return (
    <article
      id={anchor}
      tabIndex={-1}
      aria-labelledby={headingId}
      className={`card post-card${post.kind === "announcement" ? " post-card--announcement" : ""}${hidden ? " post-card--hidden" : ""}`}
    >
      <header className="post-card__header">
        <Byline person={post.author} place={post.place} headingId={headingId} level={headingLevel} />
        <p className="post-card__meta">
          <Link to={post.url} className="post-card__permalink">
            <RelativeTime iso={post.createdAt} />
          </Link>
          {post.editedAt ? (
            <span className="post-card__edited" title={new Date(post.editedAt).toISOString()}>
              {" "}
              · {t("stream.post.edited")}
            </span>
          ) : null}
        </p>
        {post.kind === "announcement" || post.pinned ? (
          <ul className="tag-list post-card__badges">
            {post.kind === "announcement" ? (
              <li className="tag post-card__badge">{t("stream.post.announcement")}</li>
            ) : null}
            {post.pinned ? (
              <li className="tag post-card__badge post-card__badge--pinned">
                <span aria-hidden="true">📌 </span>
                {t("stream.post.pinned")}
              </li>
            ) : null}
          </ul>
        ) : null}
      </header>
      {post.hidden ? (
        <p className="notice notice--error post-card__hidden" role="note">
          {t("stream.post.hiddenNotice", { reason: post.hidden.reason })}
        </p>
      ) : null}
      {post.html ? <div className="post-body" dangerouslySetInnerHTML={{ __html: post.html }} /> : null}
      <PostImages images={imagesOf(post)} />
      {post.shared ? <SharedPost shared={post.shared} level={headingLevel === 2 ? 3 : 4} /> : null}
      {links ? <LinkPreviews links={links} /> : null}
      {post.topics.length > 0 ? (
        <ul className="tag-list post-card__topics" aria-label={t("stream.post.topics")}>
          {post.topics.map((topic) => (
            <li key={topic.slug}>
              <Link to={topic.url} className="tag">
                #{topic.name}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      <footer className="post-card__footer">
        <ReactionsBar
          postId={post.id}
          myReaction={post.myReaction}
          total={post.counts.reactions}
          byType={post.counts.byType ?? null}
          returnTo={returnTo}
          disabled={!flags.react}
        />
        <p className="post-card__comments">
          <Link to={`${post.url}#reacties`}>
            {t("stream.post.comments", { count: post.counts.comments })}
          </Link>
        </p>
        <PostActions post={post} can={flags} returnTo={returnTo} />
      </footer>
    </article>
  );
}
