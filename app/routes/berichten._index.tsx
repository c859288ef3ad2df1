/**
 * /berichten: writing a post. POST is the composer's action everywhere (home stream, group and project
 * pages): multipart with photos or urlencoded, `intent=create`, `body` (the editor's Lexical JSON) or
 * `plainText` (the textarea without JavaScript), optional `place` (a group's or project's slug) and, for
 * communicators, an announcement with its audience and pin. Success redirects (303) back to the page it
 * came from, at the new post (`#bericht-<id>`); a script-driven submission (`enhanced=1`) gets the post's
 * id as data instead, so the composer can clear itself without leaving the page.
 *
 * GET is the "Nieuw bericht" page: where a refused submission without JavaScript lands, with its errors
 * and what was typed, and where communicators choose departments as an announcement's audience.
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
  Composer,
  composerFieldErrors,
  isComposerResult,
  type ComposerDepartment,
  type ComposerFieldErrors,
  type ComposerMessage,
  type ComposerResult,
  type ComposerValues,
} from "~/components/stream/composer";
import { prisma } from "~/db.server";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { AUDIENCE_ALL, AUDIENCE_FIELD_WORKERS } from "~/modules/circulars/policy.server";
import { FileError } from "~/modules/files/errors";
import { hasPermission } from "~/modules/identity/permissions";
import { requireUser, type SessionUser } from "~/modules/identity/session.server";
import { isStreamError, StreamError } from "~/modules/stream/errors";
import { streamErrorHeaders, streamErrorStatus } from "~/modules/stream/http.server";
import { getPlaceView } from "~/modules/stream/places.server";
import { readPostSubmission } from "~/modules/stream/post-images.server";
import { createAnnouncement, createPost } from "~/modules/stream/posts.server";
import { safeReturnTo, withHash } from "~/modules/stream/return-to";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

/** The place a post goes to, as the reader may know it; a StreamError (not_found) when they may not. */
async function placeFor(user: SessionUser, slug: string) {
  const view = await getPlaceView(user, slug).catch((error: unknown) => {
    // A malformed slug names no place, exactly like a secret place the reader is not in.
    if (isStreamError(error, "invalid_input")) throw new StreamError("not_found", `No place ${slug}`);
    throw error;
  });
  return {
    id: view.place.id,
    slug: view.place.slug,
    name: view.place.name,
    path: view.place.path,
    canPost: view.can.post,
  };
}

/**
 * The id behind a place's slug, for createPost, which decides with the policy whether this reader may
 * post there (not_found for a secret place they are not in, exactly as for a slug that names nothing).
 * The id itself never leaves the server, so looking it up reveals nothing.
 */
async function placeIdOf(slug: string): Promise<string | null> {
  if (!slug) return null;
  const place =
    slug.length <= 100 ? await prisma.place.findUnique({ where: { slug }, select: { id: true } }) : null;
  if (!place) throw new StreamError("not_found", `No place ${slug}`);
  return place.id;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  const url = new URL(request.url);
  const slug = url.searchParams.get("plaats");
  let place: Awaited<ReturnType<typeof placeFor>> | null = null;
  if (slug) {
    try {
      place = await placeFor(user, slug);
    } catch (error) {
      if (isStreamError(error, "not_found")) throw new Response("Not found", { status: 404 });
      throw error;
    }
  }
  const canAnnounce = !place && hasPermission(user, "create:announcement");
  const composerDepartments: ComposerDepartment[] = canAnnounce
    ? await prisma.department.findMany({
        where: { kind: "department" },
        orderBy: { name: "asc" },
        select: {
          id: true,
          name: true,
          children: { orderBy: { name: "asc" }, select: { id: true, name: true } },
        },
      })
    : [];
  return {
    title: `${t("composer.page.title")} · Werkplek`,
    place: place && { slug: place.slug, name: place.name, path: place.path, canPost: place.canPost },
    canAnnounce,
    returnTo: safeReturnTo(url.searchParams.get("terug"), place?.path ?? "/"),
    composerDepartments,
  };
}

// ---------------------------------------------------------------------------------------------------
// Action
// ---------------------------------------------------------------------------------------------------

type Fields = Map<string, string[]>;

function valuesOf(fields: Fields, imageCount: number): ComposerValues {
  const first = (name: string) => fields.get(name)?.[0] ?? "";
  return {
    plainText: first("plainText"),
    body: first("body"),
    place: first("place").trim(),
    returnTo: first("returnTo"),
    announcement: first("announcement") === "on",
    audienceMode: first("audienceMode") === "groups" ? "groups" : "all",
    audienceDepartments: fields.get("audienceDepartments") ?? [],
    audienceFieldWorkers: first("audienceFieldWorkers") === "on",
    pinnedUntil: first("pinnedUntil").trim(),
    imageAlts: fields.get("imageAlt") ?? [],
    imageCount,
  };
}

const NO_VALUES: ComposerValues = valuesOf(new Map(), 0);

/** The audience keys of AudienceSchema the form's choice stands for. */
function audienceOf(values: ComposerValues): string[] {
  if (values.audienceMode === "all") return [AUDIENCE_ALL];
  return [
    ...(values.audienceFieldWorkers ? [AUDIENCE_FIELD_WORKERS] : []),
    ...values.audienceDepartments.map((id) => `department:${id}`),
  ];
}

function refused(
  values: ComposerValues,
  status: number,
  { error = null, fieldErrors = {} }: { error?: ComposerMessage | null; fieldErrors?: ComposerFieldErrors },
  headers: Record<string, string> = {},
) {
  return data<ComposerResult>(
    { form: "composer", ok: false, values, error, fieldErrors },
    { status, headers: { "Cache-Control": "no-store", ...headers } },
  );
}

/** A refused photo: the message names the limit or the accepted types. */
function photoMessage(error: FileError): ComposerMessage {
  if (error.code === "too_large") {
    return error.params.maxMegapixels !== undefined
      ? { key: "image.tooManyPixels", params: { max: error.params.maxMegapixels } }
      : { key: "image.tooLarge", params: { max: error.params.maxMb ?? 20 } };
  }
  return { key: `image.${error.code}` };
}

function streamRefusal(error: StreamError, values: ComposerValues, announcement: boolean) {
  const status = streamErrorStatus(error);
  switch (error.code) {
    case "invalid_input":
      return refused(values, status, { fieldErrors: composerFieldErrors(error.issues) });
    case "not_found":
      return refused(values, status, { fieldErrors: { place: { key: "placeNotFound" } } });
    case "forbidden":
      return announcement
        ? refused(values, status, { error: { key: "announcementForbidden" } })
        : refused(values, status, { fieldErrors: { place: { key: "notMember" } } });
    case "invalid_state":
      return refused(values, status, { fieldErrors: { place: { key: "placeArchived" } } });
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

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  let submission: Awaited<ReturnType<typeof readPostSubmission>>;
  try {
    submission = await readPostSubmission(request);
  } catch (error) {
    // Refused while reading (too large, malformed): the token was not seen yet and nothing was stored.
    if (error instanceof FileError) {
      return refused(NO_VALUES, error.status, { fieldErrors: { images: photoMessage(error) } });
    }
    throw error;
  }
  const { fields, images } = submission;
  const values = valuesOf(fields, images.length);
  if (fields.get("intent")?.[0] !== "create") {
    return refused(values, 400, { error: { key: "unknownIntent" } });
  }
  // Exactly what was sent: parseBody refuses a form with both or neither (absent stays undefined).
  const bodyInput = { body: fields.get("body")?.[0], plainText: fields.get("plainText")?.[0] };

  try {
    let written;
    if (values.announcement) {
      if (values.place) return refused(values, 400, { error: { key: "announcementInPlace" } });
      written = await createAnnouncement(
        user,
        { ...bodyInput, audience: audienceOf(values), pinnedUntil: values.pinnedUntil || null },
        { images },
      );
    } else {
      written = await createPost(user, { ...bodyInput, placeId: await placeIdOf(values.place) }, { images });
    }
    if (fields.get("enhanced")?.[0] === "1") {
      return data<ComposerResult>({ form: "composer", ok: true, postId: written.id, url: written.url });
    }
    // The card's anchor on the stream pages (components/stream/post-card.tsx postAnchor).
    return redirect(withHash(safeReturnTo(values.returnTo, written.url), `bericht-${written.id}`), 303);
  } catch (error) {
    if (error instanceof FileError) {
      return refused(values, error.status, { fieldErrors: { images: photoMessage(error) } });
    }
    if (isStreamError(error)) return streamRefusal(error, values, values.announcement);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Page
// ---------------------------------------------------------------------------------------------------

export default function NewPostPage() {
  const { place, canAnnounce, returnTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const submitted = isComposerResult(actionData) && !actionData.ok ? actionData.values : null;
  const back = safeReturnTo(submitted?.returnTo, returnTo);
  return (
    <div className="page page--narrow composer-page">
      <p>
        <Link to={back}>{t("composer.page.back")}</Link>
      </p>
      <h1>{t("composer.page.title")}</h1>
      {place ? (
        <p className="lead">{t("composer.page.inPlace", { name: place.name })}</p>
      ) : (
        <p className="lead">{t("composer.page.intro")}</p>
      )}
      {place && !place.canPost ? (
        <p className="notice" role="note">
          {t("composer.page.membersOnly")}{" "}
          <Link to={place.path}>{t("composer.page.toPlace", { name: place.name })}</Link>
        </p>
      ) : (
        <Composer
          returnTo={back}
          place={place ? { slug: place.slug, name: place.name } : null}
          canAnnounce={canAnnounce}
        />
      )}
    </div>
  );
}
