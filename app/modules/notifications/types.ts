/**
 * The notification types and the data each one carries, shared by the modules that create notifications
 * (through `notify`, which validates known types against these schemas) and the pages that show them.
 * The text is never stored: `renderNotificationText` builds it from type + data in the reader's language.
 * Types stay open-ended: a type without an entry here is stored as is and shown with a generic text, so
 * later modules (stream, digests) can start sending before they add their entry.
 */
import { z } from "zod";
import { htmlLang, type Locale } from "~/i18n/config";

const CircularRef = {
  /** Circular number, "2025/017". */
  number: z.string().min(1),
  /** Title at the time of the event. */
  title: z.string().min(1),
};
/** Display name of the person who caused the event (submitter, reviewer, asker, answerer); "" shows "someone". */
const actorName = z.string();
/** A calendar day, "YYYY-MM-DD". */
const isoDay = z.iso.date();
/** Stream events: who caused them and, for posts in a group or project, its name. */
const StreamRef = { actorName, placeName: z.string().optional() };
/** The reaction types of the stream (the ReactionType enum in prisma/schema.prisma). */
const STREAM_REACTIONS = ["like", "love", "celebrate", "thanks", "insightful"] as const;

export const NOTIFICATION_DATA_SCHEMAS = {
  /** To the responsible person: the review date is near (scheduled job). */
  "circular.review_due": z.object({ ...CircularRef, reviewDate: isoDay }),
  /** To every editor: the review date has passed (scheduled job). */
  "circular.review_overdue": z.object({ ...CircularRef, reviewDate: isoDay, responsibleName: z.string() }),
  /** To the editors who may approve: a change awaits review. */
  "circular.submitted": z.object({ ...CircularRef, actorName }),
  /** To the submitter: the reviewer sent the change back, optionally saying why. */
  "circular.returned": z.object({ ...CircularRef, actorName, reason: z.string().optional() }),
  /** To the responsible person: a reader asked a question. */
  "circular.question": z.object({ ...CircularRef, actorName }),
  /** To the reader who asked: the question was answered. */
  "circular.answered": z.object({ ...CircularRef, actorName }),
  // Activity stream (app/modules/stream/): never any post content, only who and where, so a notification
  // cannot leak text the recipient later loses access to. `placeName` is absent on profiles.
  /** To a person mentioned in a post they can see (only people newly mentioned, once per post). */
  "post.mentioned": z.object({ ...StreamRef }),
  /** To a person mentioned in a comment on a post they can see. */
  "comment.mentioned": z.object({ ...StreamRef }),
  /** To the post's author: someone commented. */
  "post.commented": z.object({ ...StreamRef }),
  /** To the author of the comment that was answered. */
  "comment.replied": z.object({ ...StreamRef }),
  /** To the post's author: someone reacted (at most one per post per hour). */
  "post.reacted": z.object({ ...StreamRef, reaction: z.enum(STREAM_REACTIONS) }),
  /** To the author: a moderator hid their post, with the reason. */
  "post.hidden": z.object({ reason: z.string().min(1) }),
  /** To the author: a moderator hid their comment, with the reason. */
  "comment.hidden": z.object({ reason: z.string().min(1) }),
  // Groups and projects (app/modules/stream/places.server.ts) and follows (follows.server.ts).
  /** To the owners of a closed place: someone asks to join. */
  "place.join_requested": z.object({ actorName, placeName: z.string().min(1) }),
  /** To the requester: an owner approved; they are a member now. */
  "place.join_approved": z.object({ actorName, placeName: z.string().min(1) }),
  /** To the requester: an owner rejected the request (the text does not name the owner). */
  "place.join_rejected": z.object({ actorName, placeName: z.string().min(1) }),
  /** To a colleague an owner added directly (the way into a secret place). */
  "place.member_added": z.object({ actorName, placeName: z.string().min(1) }),
  /** To a person: a colleague started following them (once per pair). */
  "user.followed": z.object({ actorName }),
  /** To everyone in an announcement's audience but its author (the digests reuse it for field workers). */
  "announcement.published": z.object({ actorName }),
  /** To a field worker: HR registered a personal number or address for them (app/modules/reach/contacts.server.ts). */
  "reach.contact_registered": z.object({
    actorName,
    kind: z.enum(["phone", "email"]),
    masked: z.string().min(1).max(100),
  }),
  /** To every other communicator: a campaign waits for a second communicator's approval. */
  "campaign.approval_requested": z.object({ actorName, campaignName: z.string().min(1) }),
  /** To an ambassador: their story was approved (it is on the campaign page) or rejected with a reason. */
  "campaign.story_decided": z.object({
    actorName,
    campaignName: z.string().min(1),
    approved: z.boolean(),
    reason: z.string().optional(),
  }),
  // Field-worker digests (app/modules/digests/deliver.server.ts).
  /** To every active admin, once per Brussels day: the SMS budget is used up; SMS digests wait a day. */
  "sms.budget_reached": z.object({
    day: isoDay,
    used: z.number().int().min(0),
    budget: z.number().int().min(0),
  }),
} as const;

export type KnownNotificationType = keyof typeof NOTIFICATION_DATA_SCHEMAS;
export type NotificationDataMap = {
  [Type in KnownNotificationType]: z.infer<(typeof NOTIFICATION_DATA_SCHEMAS)[Type]>;
};

/** Whether the type has a schema and a text of its own. */
export function isKnownNotificationType(type: string): type is KnownNotificationType {
  return Object.hasOwn(NOTIFICATION_DATA_SCHEMAS, type);
}

/** A translation function: i18next's `t` from `useTranslation()` or `getFixedT(locale)`. */
export type Translate = (key: string, values?: Record<string, string>) => string;

function formatDay(day: string, locale: Locale) {
  // DATE values are calendar days; formatting them in UTC keeps the day from shifting.
  return new Intl.DateTimeFormat(htmlLang(locale), { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** The text of a notification in the reader's language; unknown types or malformed data get a generic text. */
export function renderNotificationText(
  notification: { type: string; data: unknown },
  t: Translate,
  locale: Locale,
): string {
  const { type } = notification;
  if (!isKnownNotificationType(type)) return t("notifications.text.generic");
  const parsed = NOTIFICATION_DATA_SCHEMAS[type].safeParse(notification.data);
  if (!parsed.success) return t("notifications.text.generic");
  const data = parsed.data as Record<string, string | undefined>;
  const values: Record<string, string> = {
    number: data.number ?? "",
    title: data.title ?? "",
    actor: data.actorName?.trim() || t("notifications.someone"),
    responsible: data.responsibleName ?? "",
    date: data.reviewDate ? formatDay(data.reviewDate, locale) : "",
    reason: data.reason?.trim() ?? "",
    place: data.placeName?.trim() ?? "",
  };
  if (type === "circular.returned" && values.reason)
    return t("notifications.text.circularReturnedWithReason", values);
  // Stream texts name the group or project when there is one ("… in Fietsersbond Gent").
  if (STREAM_PLACE_TEXTS.has(type) && data.placeName?.trim()) {
    const streamValues = {
      ...values,
      reaction: data.reaction ? t(`notifications.reactions.${data.reaction}`) : "",
    };
    return t(`notifications.text.${TEXT_KEYS[type]}InPlace`, streamValues);
  }
  if (type === "campaign.story_decided") {
    const story = parsed.data as NotificationDataMap["campaign.story_decided"];
    return story.approved
      ? t("notifications.text.campaignStoryApproved", { campaign: story.campaignName })
      : t("notifications.text.campaignStoryRejected", {
          campaign: story.campaignName,
          reason: story.reason ?? "",
        });
  }
  if (type === "campaign.approval_requested") {
    const request = parsed.data as NotificationDataMap["campaign.approval_requested"];
    return t("notifications.text.campaignApprovalRequested", {
      actor: request.actorName || t("notifications.someone"),
      campaign: request.campaignName,
    });
  }
  if (type === "reach.contact_registered") {
    const contact = parsed.data as NotificationDataMap["reach.contact_registered"];
    return t(
      contact.kind === "phone"
        ? "notifications.text.contactRegisteredPhone"
        : "notifications.text.contactRegisteredEmail",
      { actor: contact.actorName, masked: contact.masked },
    );
  }
  if (type === "sms.budget_reached") {
    const budget = parsed.data as NotificationDataMap["sms.budget_reached"];
    return t("notifications.text.smsBudgetReached", {
      date: formatDay(budget.day, locale),
      used: String(budget.used),
      budget: String(budget.budget),
    });
  }
  if (type === "post.reacted")
    return t("notifications.text.postReacted", {
      ...values,
      reaction: t(`notifications.reactions.${data.reaction ?? "like"}`),
    });
  return t(`notifications.text.${TEXT_KEYS[type]}`, values);
}

/** Stream types with a variant text naming the place. */
const STREAM_PLACE_TEXTS: ReadonlySet<string> = new Set([
  "post.mentioned",
  "comment.mentioned",
  "post.commented",
  "comment.replied",
  "post.reacted",
]);

const TEXT_KEYS: Record<KnownNotificationType, string> = {
  "circular.review_due": "circularReviewDue",
  "circular.review_overdue": "circularReviewOverdue",
  "circular.submitted": "circularSubmitted",
  "circular.returned": "circularReturned",
  "circular.question": "circularQuestion",
  "circular.answered": "circularAnswered",
  "post.mentioned": "postMentioned",
  "comment.mentioned": "commentMentioned",
  "post.commented": "postCommented",
  "comment.replied": "commentReplied",
  "post.reacted": "postReacted",
  "post.hidden": "postHidden",
  "comment.hidden": "commentHidden",
  "place.join_requested": "placeJoinRequested",
  "place.join_approved": "placeJoinApproved",
  "place.join_rejected": "placeJoinRejected",
  "place.member_added": "placeMemberAdded",
  "user.followed": "userFollowed",
  "announcement.published": "announcementPublished",
  "sms.budget_reached": "smsBudgetReached",
  "reach.contact_registered": "contactRegisteredPhone",
  "campaign.approval_requested": "campaignApprovalRequested",
  "campaign.story_decided": "campaignStoryApproved",
};
