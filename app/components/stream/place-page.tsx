/**
 * The pages of a group or project, shared by /groepen/<slug>… and /projecten/<slug>… (the route files
 * re-export these with the loaders of place-route.server.ts): the place page with its stream, the members,
 * the join requests and the settings; plus the form pieces the "new place" page reuses.
 *
 * Every form is a plain POST with a hidden `intent` that works before JavaScript loads; the action
 * redirects back with ?status=… (announced in a status region) or answers with a Dutch error.
 */
import { type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { htmlLang } from "~/i18n/config";
import { PersonAvatar } from "~/modules/people/person-avatar";
import type {
  FieldErrors,
  PlaceActionResult,
  PlaceField,
  membersLoader,
  placeLoader,
  requestsLoader,
  settingsLoader,
} from "~/modules/stream/place-route.server";
import type { PlaceView } from "~/modules/stream/places.server";
import { Composer } from "./composer";
import { FollowButton } from "./follow-button";
import { StreamList } from "./stream-list";

type TFunction = ReturnType<typeof useTranslation>["t"];

/** The page title the loaders put in `title`. */
export const placeMeta: MetaFunction = ({ data }) => {
  const title =
    data && typeof data === "object" && "title" in data && typeof data.title === "string"
      ? data.title
      : "Werkplek";
  return [{ title }];
};

function useDateFormat(): (iso: string) => string {
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(htmlLang(i18n.language === "en" ? "en" : "nl"), {
    dateStyle: "long",
    timeZone: "Europe/Brussels",
  });
  return (iso) => format.format(new Date(iso));
}

// ---------------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------------

/** Kind, visibility and archive state as words (never colour alone). */
export function PlaceBadges({
  place,
}: {
  place: { kind: "group" | "project"; visibility: "open" | "closed" | "secret"; archived: boolean };
}) {
  const { t } = useTranslation();
  return (
    <ul className="place-badges">
      <li className="place-badge place-badge--kind">{t(`places.kind.${place.kind}`)}</li>
      <li className={`place-badge place-badge--${place.visibility}`}>
        <span aria-hidden="true">{VISIBILITY_ICON[place.visibility]} </span>
        {t(`places.visibility.${place.visibility}.badge`)}
      </li>
      {place.archived ? <li className="place-badge place-badge--archived">{t("places.archived")}</li> : null}
    </ul>
  );
}

const VISIBILITY_ICON = { open: "◯", closed: "◐", secret: "●" } as const;

type Section = "posts" | "members" | "requests" | "settings";

function PlaceNav({ view, current }: { view: PlaceView; current: Section }) {
  const { t } = useTranslation();
  const path = view.place.path;
  const links: { section: Section; to: string; label: string }[] = [
    { section: "posts", to: path, label: t("places.nav.posts") },
  ];
  if (view.can.readPosts)
    links.push({ section: "members", to: `${path}/leden`, label: t("places.nav.members") });
  if (view.can.manage) {
    links.push({
      section: "requests",
      to: `${path}/aanvragen`,
      label: t("places.nav.requests", { count: view.pendingRequestCount }),
    });
    links.push({ section: "settings", to: `${path}/instellingen`, label: t("places.nav.settings") });
  }
  if (links.length === 1) return null;
  return (
    <nav className="place-nav" aria-label={t("places.nav.label", { name: view.place.name })}>
      <ul>
        {links.map((link) => (
          <li key={link.section}>
            <Link to={link.to} aria-current={link.section === current ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The top of every place page: back link, the heading, badges, and the section navigation. */
function PlaceHeader({
  view,
  current,
  heading,
  children,
}: {
  view: PlaceView;
  current: Section;
  heading: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <header className="place-header">
      <p className="place-header__back">
        {current === "posts" ? (
          <Link to="/groepen">{t("places.backToList")}</Link>
        ) : (
          <Link to={view.place.path}>{t("places.backToPlace", { name: view.place.name })}</Link>
        )}
      </p>
      <h1>{heading}</h1>
      <PlaceBadges place={view.place} />
      {children}
      <PlaceNav view={view} current={current} />
    </header>
  );
}

/** The outcome of the last action, from ?status=…, in a polite live region that is always present. */
function StatusMessage({ status, name }: { status: string | null; name: string }) {
  const { t } = useTranslation();
  return (
    <div role="status" className="place-status">
      {status ? <p className="notice notice--success">{t(`places.status.${status}`, { name })}</p> : null}
    </div>
  );
}

function ActionError({ result }: { result: PlaceActionResult | undefined }) {
  const { t } = useTranslation();
  if (!result?.error) return null;
  return (
    <p className="notice notice--error" role="alert">
      {t(`places.errors.${result.error}`)}
    </p>
  );
}

/** The Dutch message for a field problem, e.g. "Geef een naam van minstens 3 tekens." */
export function fieldMessage(t: TFunction, field: PlaceField, errors: FieldErrors): string | null {
  const problem = errors[field];
  if (!problem) return null;
  return t(`places.form.errors.${field}.${problem.code}`, {
    min: problem.min,
    max: problem.max,
    defaultValue: t("places.form.errors.invalid"),
  });
}

const FIELD_ORDER: PlaceField[] = ["kind", "name", "description", "visibility"];

/** A summary of the form's errors at the top, each linking to its field; focused when it appears. */
export function ErrorSummary({ errors, idPrefix }: { errors: FieldErrors; idPrefix: string }) {
  const { t } = useTranslation();
  const failed = FIELD_ORDER.filter((field) => errors[field]);
  const summary = useRef<HTMLDivElement>(null);
  // A new set of errors (a new submission) moves focus to the summary, once.
  useEffect(() => summary.current?.focus(), [errors]);
  if (failed.length === 0) return null;
  return (
    <div className="notice notice--error error-summary" role="alert" tabIndex={-1} ref={summary}>
      <p className="error-summary__title">{t("places.form.errorSummary")}</p>
      <ul>
        {failed.map((field) => (
          <li key={field}>
            <a href={`#${idPrefix}-${field}`}>{fieldMessage(t, field, errors)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function FieldErrorText({ id, message }: { id: string; message: string | null }) {
  return message ? (
    <p id={id} className="field__error place-form__error">
      {message}
    </p>
  ) : null;
}

/** Name and description inputs, with limits, hints and errors tied to them. */
export function PlaceTextFields({
  idPrefix,
  values,
  errors,
  limits,
}: {
  idPrefix: string;
  values: { name: string; description: string };
  errors: FieldErrors;
  limits: { nameMin: number; nameMax: number; descriptionMax: number };
}) {
  const { t } = useTranslation();
  const nameError = fieldMessage(t, "name", errors);
  const descriptionError = fieldMessage(t, "description", errors);
  return (
    <>
      <div className="place-form__field">
        <label htmlFor={`${idPrefix}-name`} className="place-form__label">
          {t("places.form.name")}
        </label>
        <p id={`${idPrefix}-name-hint`} className="muted place-form__hint">
          {t("places.form.nameHint", { min: limits.nameMin, max: limits.nameMax })}
        </p>
        <FieldErrorText id={`${idPrefix}-name-error`} message={nameError} />
        <input
          id={`${idPrefix}-name`}
          type="text"
          name="name"
          defaultValue={values.name}
          required
          minLength={limits.nameMin}
          maxLength={limits.nameMax}
          autoComplete="off"
          aria-invalid={nameError ? true : undefined}
          aria-describedby={`${idPrefix}-name-hint${nameError ? ` ${idPrefix}-name-error` : ""}`}
        />
      </div>
      <div className="place-form__field">
        <label htmlFor={`${idPrefix}-description`} className="place-form__label">
          {t("places.form.description")}
        </label>
        <p id={`${idPrefix}-description-hint`} className="muted place-form__hint">
          {t("places.form.descriptionHint", { max: limits.descriptionMax })}
        </p>
        <FieldErrorText id={`${idPrefix}-description-error`} message={descriptionError} />
        <textarea
          id={`${idPrefix}-description`}
          name="description"
          rows={5}
          defaultValue={values.description}
          maxLength={limits.descriptionMax}
          aria-invalid={descriptionError ? true : undefined}
          aria-describedby={`${idPrefix}-description-hint${descriptionError ? ` ${idPrefix}-description-error` : ""}`}
        />
      </div>
    </>
  );
}

/** The three visibilities as radio buttons, each with what it means for colleagues. */
export function VisibilityChoices({
  idPrefix,
  value,
  errors,
  legend,
}: {
  idPrefix: string;
  value: string;
  errors: FieldErrors;
  legend: string;
}) {
  const { t } = useTranslation();
  const error = fieldMessage(t, "visibility", errors);
  return (
    <fieldset
      className="place-form__choices"
      id={`${idPrefix}-visibility`}
      aria-describedby={error ? `${idPrefix}-visibility-error` : undefined}
    >
      <legend className="place-form__label">{legend}</legend>
      <FieldErrorText id={`${idPrefix}-visibility-error`} message={error} />
      {(["open", "closed", "secret"] as const).map((visibility) => (
        <div className="place-choice" key={visibility}>
          <input
            type="radio"
            id={`${idPrefix}-visibility-${visibility}`}
            name="visibility"
            value={visibility}
            defaultChecked={value === visibility}
            required
            aria-describedby={`${idPrefix}-visibility-${visibility}-help`}
          />
          <label htmlFor={`${idPrefix}-visibility-${visibility}`}>
            <strong>{t(`places.visibility.${visibility}.label`)}</strong>
            <span id={`${idPrefix}-visibility-${visibility}-help`} className="place-choice__help">
              {t(`places.visibility.${visibility}.help`)}
            </span>
          </label>
        </div>
      ))}
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------
// The place page
// ---------------------------------------------------------------------------------------------------

export function PlacePage() {
  const { view, followers, stream, badCursor, status, returnTo, limits } =
    useLoaderData<typeof placeLoader>();
  const result = useActionData<PlaceActionResult>();
  const { t } = useTranslation();
  const formatDate = useDateFormat();
  const { place, can } = view;
  const ownerNames = view.owners.map((owner) => owner.displayName).join(", ");
  return (
    <div className="page place-page">
      <PlaceHeader view={view} current="posts" heading={place.name}>
        {place.description ? <p className="place-header__description">{place.description}</p> : null}
        <p className="muted place-header__facts">
          {t("places.page.members", { count: view.memberCount })}
          {ownerNames
            ? ` · ${t("places.page.owners", { names: ownerNames, count: view.owners.length })}`
            : ""}
        </p>
      </PlaceHeader>

      <StatusMessage status={status} name={place.name} />
      <ActionError result={result} />
      {place.archived ? (
        <p className="notice place-notice" role="note">
          {t("places.page.archivedNotice", { date: place.archivedAt ? formatDate(place.archivedAt) : "" })}
        </p>
      ) : null}

      <section className="card place-membership" aria-labelledby="place-membership">
        <h2 id="place-membership">{t("places.page.membership")}</h2>
        <Membership view={view} result={result} messageMax={limits.message} formatDate={formatDate} />
        {can.follow ? (
          <div className="place-membership__follow">
            <p className="muted">{t("places.page.followHint")}</p>
            <FollowButton
              target={{ type: "place", slug: place.slug }}
              following={view.following}
              count={followers}
              returnTo={returnTo}
              name={place.name}
            />
          </div>
        ) : null}
      </section>

      {can.post ? (
        <section className="place-composer" aria-labelledby="place-composer">
          <h2 id="place-composer">{t("places.page.write")}</h2>
          <Composer returnTo={place.path} place={{ slug: place.slug, name: place.name }} />
        </section>
      ) : null}

      {can.readPosts ? (
        <section aria-labelledby="place-posts">
          <h2 id="place-posts">{t("places.page.posts")}</h2>
          {badCursor ? (
            <p className="notice notice--error" role="alert">
              {t("places.page.badCursor")} <Link to={place.path}>{t("places.page.newest")}</Link>
            </p>
          ) : null}
          {stream ? (
            <StreamList
              page={stream}
              label={t("places.page.streamLabel", { name: place.name })}
              emptyMessage={can.post ? t("places.page.emptyMember") : t("places.page.empty")}
              returnTo={returnTo}
            />
          ) : null}
        </section>
      ) : (
        <section className="card" aria-labelledby="place-posts">
          <h2 id="place-posts">{t("places.page.posts")}</h2>
          <p>{t("places.page.closedPosts")}</p>
        </section>
      )}
    </div>
  );
}

function Membership({
  view,
  result,
  messageMax,
  formatDate,
}: {
  view: PlaceView;
  result: PlaceActionResult | undefined;
  messageMax: number;
  formatDate: (iso: string) => string;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { can, place } = view;
  const messageError = result?.intent === "request" && result.error === "messageTooLong";
  return (
    <div className="stack">
      {view.myRole ? (
        <p>{view.myRole === "owner" ? t("places.page.youAreOwner") : t("places.page.youAreMember")}</p>
      ) : null}
      {view.myRole === "owner" && !can.leave ? <p className="muted">{t("places.page.lastOwner")}</p> : null}

      {can.join ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="join" />
          <p>{t("places.page.joinHint")}</p>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("places.page.join")}
          </button>
        </Form>
      ) : null}

      {can.requestToJoin ? (
        <Form method="post" className="place-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="request" />
          <p>{t("places.page.requestHint")}</p>
          <div className="place-form__field">
            <label htmlFor="join-message" className="place-form__label">
              {t("places.page.requestMessage")}
            </label>
            <p id="join-message-hint" className="muted place-form__hint">
              {t("places.page.requestMessageHint", { max: messageMax })}
            </p>
            {messageError ? (
              <p id="join-message-error" className="field__error place-form__error">
                {t("places.errors.messageTooLong", { max: messageMax })}
              </p>
            ) : null}
            <textarea
              id="join-message"
              name="message"
              rows={3}
              maxLength={messageMax}
              defaultValue={result?.intent === "request" ? (result.values?.message ?? "") : ""}
              aria-invalid={messageError || undefined}
              aria-describedby={`join-message-hint${messageError ? " join-message-error" : ""}`}
            />
          </div>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("places.page.request")}
          </button>
        </Form>
      ) : null}

      {view.pendingRequest ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="cancel-request" />
          <p>{t("places.page.requestPending", { date: formatDate(view.pendingRequest.createdAt) })}</p>
          {view.pendingRequest.message ? (
            <blockquote className="place-quote">{view.pendingRequest.message}</blockquote>
          ) : null}
          <button type="submit" className="button" disabled={busy}>
            {t("places.page.cancelRequest")}
          </button>
        </Form>
      ) : null}

      {!view.myRole && place.archived && !view.pendingRequest ? (
        <p className="muted">{t("places.page.archivedNoJoin")}</p>
      ) : null}

      {can.leave ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="leave" />
          <button type="submit" className="button" disabled={busy}>
            {t("places.page.leave")}
          </button>
          {place.visibility !== "open" ? (
            <p className="muted place-form__hint">{t(`places.page.leaveHint.${place.visibility}`)}</p>
          ) : null}
        </Form>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------
// Members
// ---------------------------------------------------------------------------------------------------

export function PlaceMembersPage() {
  const { view, members, me, status } = useLoaderData<typeof membersLoader>();
  const result = useActionData<PlaceActionResult>();
  const { t } = useTranslation();
  const formatDate = useDateFormat();
  const manage = view.can.manage && !view.place.archived;
  const pageField = members.page > 1 ? <input type="hidden" name="pagina" value={members.page} /> : null;
  const membersPath = `${view.place.path}/leden`;
  return (
    <div className="page place-page">
      <PlaceHeader
        view={view}
        current="members"
        heading={t("places.members.heading", { name: view.place.name })}
      >
        <p className="muted">{t("places.page.members", { count: view.memberCount })}</p>
      </PlaceHeader>
      <StatusMessage status={status} name={view.place.name} />
      {result?.intent !== "add" ? <ActionError result={result} /> : null}

      {manage ? <AddMember result={result} pageField={pageField} /> : null}

      <section aria-labelledby="member-list">
        <h2 id="member-list">{t("places.members.list")}</h2>
        <ul className="people-list place-members">
          {members.items.map((member) => {
            const nameId = `lid-${member.id}`;
            return (
              <li key={member.id} className="person-card place-member">
                <PersonAvatar person={member} />
                <div className="person-card__text">
                  <h3 className="person-card__name" id={nameId}>
                    <Link to={`/mensen/${member.id}`}>{member.displayName}</Link>
                    {member.id === me ? <span className="muted"> {t("places.members.you")}</span> : null}
                  </h3>
                  {member.jobTitle ? <p>{member.jobTitle}</p> : null}
                  <p>
                    <span className={`place-role place-role--${member.role}`}>
                      {t(`places.members.role.${member.role}`)}
                    </span>{" "}
                    <span className="muted">
                      {t("places.members.since", { date: formatDate(member.since) })}
                    </span>
                  </p>
                  {manage && member.id !== me ? (
                    <div className="place-member__actions">
                      <Form method="post" className="inline-form">
                        <CsrfInput />
                        {pageField}
                        <input type="hidden" name="userId" value={member.id} />
                        <input
                          type="hidden"
                          name="intent"
                          value={member.role === "owner" ? "demote" : "promote"}
                        />
                        <button type="submit" className="button" aria-describedby={nameId}>
                          {member.role === "owner" ? t("places.members.demote") : t("places.members.promote")}
                        </button>
                      </Form>
                      <Form method="post" className="inline-form">
                        <CsrfInput />
                        {pageField}
                        <input type="hidden" name="userId" value={member.id} />
                        <input type="hidden" name="intent" value="remove" />
                        <button type="submit" className="button" aria-describedby={nameId}>
                          {t("places.members.remove")}
                        </button>
                      </Form>
                    </div>
                  ) : null}
                  {manage && member.id === me && member.role === "owner" ? (
                    <Form method="post" className="inline-form">
                      <CsrfInput />
                      {pageField}
                      <input type="hidden" name="userId" value={member.id} />
                      <input type="hidden" name="intent" value="demote" />
                      <button type="submit" className="button" aria-describedby={nameId}>
                        {t("places.members.demoteSelf")}
                      </button>
                    </Form>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
        {members.page > 1 || members.hasMore ? (
          <nav className="search-pager" aria-label={t("places.members.pagination")}>
            {members.page > 1 ? (
              <Link
                className="button"
                rel="prev"
                to={members.page === 2 ? membersPath : `${membersPath}?pagina=${members.page - 1}`}
              >
                {t("places.members.previous")}
              </Link>
            ) : null}
            {members.hasMore ? (
              <Link className="button" rel="next" to={`${membersPath}?pagina=${members.page + 1}`}>
                {t("places.members.next")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      {view.can.leave ? (
        <section className="card" aria-labelledby="member-leave">
          <h2 id="member-leave">{t("places.members.leaveTitle")}</h2>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="leave" />
            <button type="submit" className="button">
              {t("places.page.leave")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

function AddMember({ result, pageField }: { result: PlaceActionResult | undefined; pageField: ReactNode }) {
  const { t } = useTranslation();
  const addResult = result?.intent === "add" ? result : undefined;
  const error = addResult?.error ?? null;
  const nameError = error === "nameRequired" || error === "noMatch";
  return (
    <section className="card place-add" aria-labelledby="member-add">
      <h2 id="member-add">{t("places.members.addTitle")}</h2>
      <Form method="post" className="place-form">
        <CsrfInput />
        {pageField}
        <input type="hidden" name="intent" value="add" />
        <div className="place-form__field">
          <label htmlFor="member-name" className="place-form__label">
            {t("places.members.addName")}
          </label>
          <p id="member-name-hint" className="muted place-form__hint">
            {t("places.members.addHint")}
          </p>
          {error ? (
            <p id="member-name-error" className="field__error place-form__error" role="alert">
              {t(`places.errors.${error}`, { name: addResult?.values?.name ?? "" })}
            </p>
          ) : null}
          <div className="search-form__row">
            <input
              id="member-name"
              type="text"
              name="name"
              autoComplete="off"
              maxLength={200}
              defaultValue={addResult?.values?.name ?? ""}
              aria-invalid={nameError || undefined}
              aria-describedby={`member-name-hint${error ? " member-name-error" : ""}`}
            />
            <button type="submit" className="button button--primary">
              {t("places.members.add")}
            </button>
          </div>
        </div>
      </Form>
      {addResult?.candidates?.length ? (
        <div className="place-candidates">
          <p role="status">{t("places.members.choose", { count: addResult.candidates.length })}</p>
          <ul>
            {addResult.candidates.map((candidate) => (
              <li key={candidate.id}>
                <Form method="post" className="place-candidate">
                  <CsrfInput />
                  {pageField}
                  <input type="hidden" name="intent" value="add" />
                  <input type="hidden" name="userId" value={candidate.id} />
                  <span>
                    <strong>{candidate.displayName}</strong>
                    {candidate.jobTitle ? <span className="muted"> · {candidate.jobTitle}</span> : null}
                  </span>
                  <button type="submit" className="button">
                    {t("places.members.addPerson", { name: candidate.displayName })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// Join requests
// ---------------------------------------------------------------------------------------------------

export function PlaceRequestsPage() {
  const { view, requests, status } = useLoaderData<typeof requestsLoader>();
  const result = useActionData<PlaceActionResult>();
  const { t } = useTranslation();
  const formatDate = useDateFormat();
  return (
    <div className="page place-page">
      <PlaceHeader
        view={view}
        current="requests"
        heading={t("places.requests.heading", { name: view.place.name })}
      />
      <StatusMessage status={status} name={view.place.name} />
      <ActionError result={result} />
      {requests.length === 0 ? (
        <p className="muted">{t("places.requests.empty")}</p>
      ) : (
        <>
          <p>{t("places.requests.intro", { count: requests.length })}</p>
          <ul className="people-list">
            {requests.map((item) => {
              const nameId = `aanvraag-${item.id}`;
              return (
                <li key={item.id} className="person-card">
                  <PersonAvatar person={item.requester} />
                  <div className="person-card__text">
                    <h2 className="person-card__name" id={nameId}>
                      <Link to={`/mensen/${item.requester.id}`}>{item.requester.displayName}</Link>
                    </h2>
                    {item.requester.jobTitle ? <p>{item.requester.jobTitle}</p> : null}
                    <p className="muted">
                      {t("places.requests.asked", { date: formatDate(item.createdAt) })}
                    </p>
                    {item.message ? (
                      <blockquote className="place-quote">{item.message}</blockquote>
                    ) : (
                      <p className="muted">{t("places.requests.noMessage")}</p>
                    )}
                    {view.place.archived ? null : (
                      <Form method="post" className="place-member__actions">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="decide" />
                        <input type="hidden" name="requestId" value={item.id} />
                        <button
                          type="submit"
                          name="decision"
                          value="approve"
                          className="button button--primary"
                          aria-describedby={nameId}
                        >
                          {t("places.requests.approve")}
                        </button>
                        <button
                          type="submit"
                          name="decision"
                          value="reject"
                          className="button"
                          aria-describedby={nameId}
                        >
                          {t("places.requests.reject")}
                        </button>
                      </Form>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
          {view.place.archived ? <p className="muted">{t("places.requests.archived")}</p> : null}
        </>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------

export function PlaceSettingsPage() {
  const { view, status, limits } = useLoaderData<typeof settingsLoader>();
  const result = useActionData<PlaceActionResult>();
  const { t } = useTranslation();
  const { place } = view;
  const errors = result?.fieldErrors ?? {};
  const values = {
    name: result?.intent === "update" ? (result.values?.name ?? place.name) : place.name,
    description:
      result?.intent === "update" ? (result.values?.description ?? place.description) : place.description,
  };
  return (
    <div className="page place-page">
      <PlaceHeader
        view={view}
        current="settings"
        heading={t("places.settings.heading", { name: place.name })}
      />
      <StatusMessage status={status} name={place.name} />
      <ActionError result={result} />

      {place.archived ? (
        <section className="card" aria-labelledby="settings-archive">
          <h2 id="settings-archive">{t("places.settings.restoreTitle")}</h2>
          <p>{t("places.settings.archivedHint")}</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="restore" />
            <button type="submit" className="button button--primary">
              {t("places.settings.restore")}
            </button>
          </Form>
        </section>
      ) : (
        <>
          <section className="card" aria-labelledby="settings-details">
            <h2 id="settings-details">{t("places.settings.detailsTitle")}</h2>
            {result?.intent === "update" ? <ErrorSummary errors={errors} idPrefix="settings" /> : null}
            <Form method="post" className="place-form" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="update" />
              <PlaceTextFields idPrefix="settings" values={values} errors={errors} limits={limits} />
              <p className="muted">{t("places.settings.addressStays", { path: place.path })}</p>
              <button type="submit" className="button button--primary">
                {t("places.settings.save")}
              </button>
            </Form>
          </section>

          <section className="card" aria-labelledby="settings-visibility-title">
            <h2 id="settings-visibility-title">{t("places.settings.visibilityTitle")}</h2>
            <Form method="post" className="place-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="visibility" />
              <VisibilityChoices
                idPrefix="settings"
                value={place.visibility}
                errors={result?.intent === "visibility" ? errors : {}}
                legend={t("places.form.visibility")}
              />
              <ul className="place-form__consequences">
                <li>{t("places.settings.consequences.open")}</li>
                <li>{t("places.settings.consequences.closed")}</li>
                <li>{t("places.settings.consequences.secret")}</li>
              </ul>
              <button type="submit" className="button button--primary">
                {t("places.settings.changeVisibility")}
              </button>
            </Form>
          </section>

          <section className="card" aria-labelledby="settings-archive">
            <h2 id="settings-archive">{t("places.settings.archiveTitle")}</h2>
            <p>{t("places.settings.archiveHint")}</p>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="archive" />
              <button type="submit" className="button">
                {t("places.settings.archive")}
              </button>
            </Form>
          </section>
        </>
      )}
    </div>
  );
}
