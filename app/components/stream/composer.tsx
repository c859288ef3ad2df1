/**
 * Writing a post: the composer on the home stream and on group and project pages, the "Nieuw bericht"
 * page (/berichten, where a form without JavaScript lands with its errors) and the edit page.
 *
 * Before JavaScript runs the body is a plain textarea (`plainText`); after hydration the Lexical editor
 * (app/editor/client/post-editor.tsx, loaded lazily so the server never runs it) takes its place and posts
 * `body`, so exactly one of the two reaches the server. With JavaScript the composer posts through a
 * fetcher: the action answers with data instead of a redirect, the composer clears itself, says so in a
 * status message and puts the focus back in the editor, and the page's loaders revalidate so the new post
 * appears in the stream.
 *
 * Errors arrive as message keys (composer.errors.*) per field and are shown at the field (aria-invalid,
 * aria-describedby) and in a summary that takes focus and links to each field.
 */
import { Form, Link, useActionData, useFetcher, useRouteLoaderData } from "@remix-run/react";
import {
  Component,
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import type { PostEditorChange } from "~/editor/client/post-editor";
import { parseLexicalDocument, type LexicalDocument } from "~/editor/lexical-schema";
import { POST_LIMITS } from "~/modules/stream/content";

// Only the lazy import reaches the editor's modules: Lexical stays out of the page's own bundle.
const PostEditor = lazy(() => import("~/editor/client/post-editor"));

/** Photos in one post (post-images.server.ts MAX_POST_IMAGES, which the browser cannot import; a test keeps them equal). */
export const COMPOSER_MAX_IMAGES = 4;

// ---------------------------------------------------------------------------------------------------
// The form's contract with its actions (routes/berichten._index.tsx and routes/berichten.$id_.bewerken.tsx)
// ---------------------------------------------------------------------------------------------------

export type ComposerField = "body" | "images" | "imageAlt" | "place" | "audience" | "pinnedUntil";

/** A translated message: a key under composer.errors and its interpolation values. */
export type ComposerMessage = { key: string; params?: Record<string, string | number> };

export type ComposerFieldErrors = Partial<Record<ComposerField, ComposerMessage>>;

/** What was submitted, to fill the form again after a refusal (photos cannot be refilled). */
export type ComposerValues = {
  plainText: string;
  /** The editor's JSON, when it was the editor that posted. */
  body: string;
  place: string;
  returnTo: string;
  announcement: boolean;
  audienceMode: "all" | "groups";
  audienceDepartments: string[];
  audienceFieldWorkers: boolean;
  pinnedUntil: string;
  imageAlts: string[];
  imageCount: number;
};

/** The action's answer: the new post, or what was refused and why. `form` tells it from other results. */
export type ComposerResult =
  | { form: "composer"; ok: true; postId: string; url: string }
  | {
      form: "composer";
      ok: false;
      values: ComposerValues;
      error: ComposerMessage | null;
      fieldErrors: ComposerFieldErrors;
    };

/** A department or service an announcement can be addressed to (the /berichten loader provides them). */
export type ComposerDepartment = { id: string; name: string; children: { id: string; name: string }[] };

/** Whether an action result is the composer's (pages also receive results of other forms). */
export function isComposerResult(value: unknown): value is ComposerResult {
  return typeof value === "object" && value !== null && (value as { form?: unknown }).form === "composer";
}

const ISSUE_RULES: [RegExp, ComposerField, (match: RegExpExecArray) => ComposerMessage][] = [
  [/an audience is required/, "audience", () => ({ key: "audienceRequired" })],
  [/^audience\b|department that does not exist/, "audience", () => ({ key: "audienceInvalid" })],
  [/must be in the future/, "pinnedUntil", () => ({ key: "pinnedPast" })],
  [/pinned at most (\d+) days/, "pinnedUntil", (m) => ({ key: "pinnedTooLong", params: { days: m[1]! } })],
  [/^pinnedUntil/, "pinnedUntil", () => ({ key: "pinnedInvalid" })],
  [/^images\.\d+\.alt/, "imageAlt", () => ({ key: "imageAltTooLong" })],
  [/at most (\d+) photos/, "images", (m) => ({ key: "tooManyImages", params: { max: m[1]! } })],
  [/photos.*(place|group|project)/i, "images", () => ({ key: "imagesInvalid" })],
  [/^the text is empty/, "body", () => ({ key: "empty" })],
  [
    /longer than (\d+) characters|larger than \d+ bytes/,
    "body",
    () => ({ key: "tooLong", params: { max: POST_LIMITS.maxTextLength } }),
  ],
  [/URL|protocol-relative|only http/, "body", () => ({ key: "badLink" })],
  [/^mentioned person/, "body", () => ({ key: "mentionGone" })],
  [
    /people can be mentioned/,
    "body",
    () => ({ key: "tooManyMentions", params: { max: POST_LIMITS.maxMentions } }),
  ],
  [/hashtags are allowed/, "body", () => ({ key: "tooManyTopics", params: { max: POST_LIMITS.maxTopics } })],
];

/**
 * The Dutch (or English) messages for a refused input's English issues (StreamError.issues): the first
 * problem of each field; what no rule recognises is a problem with the text.
 */
export function composerFieldErrors(issues: readonly string[]): ComposerFieldErrors {
  const errors: ComposerFieldErrors = {};
  for (const issue of issues) {
    const rule = ISSUE_RULES.find(([pattern]) => pattern.test(issue));
    const [field, message] = rule
      ? [rule[1], rule[2](rule[0].exec(issue)!)]
      : (["body", { key: "invalid" }] as const);
    errors[field] ??= message;
  }
  return errors;
}

/** The POST target of the composer: the index route of /berichten (the no-JavaScript fallback page). */
export function composerAction(place: { slug: string } | null | undefined): string {
  const search = new URLSearchParams({ index: "" });
  if (place) search.set("plaats", place.slug);
  return `/berichten?${search}`;
}

/** Today in Brussels as YYYY-MM-DD (the date input's minimum; the server counts pins in Brussels days). */
function brusselsDay(offsetDays = 0): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" }).format(date);
}

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

const FIELD_ORDER: ComposerField[] = ["body", "images", "imageAlt", "place", "audience", "pinnedUntil"];

function fieldIds(prefix: string): Record<ComposerField, string> {
  return {
    body: `${prefix}-tekst`,
    images: `${prefix}-fotos`,
    imageAlt: `${prefix}-fotos`,
    place: `${prefix}-tekst`,
    audience: `${prefix}-doelgroep`,
    pinnedUntil: `${prefix}-vastzetten`,
  };
}

function messageText(t: (key: string, params?: Record<string, unknown>) => string, message: ComposerMessage) {
  return t(`composer.errors.${message.key}`, message.params);
}

/** The problems of a refused submission, linked to their fields; it takes focus so keyboard users land on it. */
function ErrorSummary({
  error,
  fieldErrors,
  ids,
  focusKey,
}: {
  error: ComposerMessage | null;
  fieldErrors: ComposerFieldErrors;
  ids: Record<ComposerField, string>;
  /** Changes with every refused submission, so the summary takes focus again. */
  focusKey: unknown;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const fields = FIELD_ORDER.filter((field) => fieldErrors[field]);
  const any = error !== null || fields.length > 0;
  useEffect(() => {
    if (any) ref.current?.focus();
  }, [focusKey, any]);
  if (!any) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      className="notice notice--error error-summary composer__summary"
    >
      <p className="error-summary__title">{t("composer.errors.summaryTitle")}</p>
      <ul>
        {error ? <li>{messageText(t, error)}</li> : null}
        {fields.map((field) => (
          <li key={field}>
            <a href={`#${ids[field]}`}>{messageText(t, fieldErrors[field]!)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function FieldError({ id, message }: { id: string; message: ComposerMessage | undefined }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <p id={id} className="field__error composer__error">
      {messageText(t, message)}
    </p>
  );
}

// ---------------------------------------------------------------------------------------------------
// The body: textarea without JavaScript, the lazy editor with it
// ---------------------------------------------------------------------------------------------------

type BodyFieldProps = {
  id: string;
  label: string;
  help: string;
  initialText: string;
  initialDocument: LexicalDocument | null;
  error: ComposerMessage | undefined;
  /** Remounts the editor empty (after a successful post). */
  resetKey: number;
  focusOnMount: boolean;
  onChange?: (change: PostEditorChange) => void;
};

function documentFrom(json: string): LexicalDocument | null {
  if (!json) return null;
  const parsed = parseLexicalDocument(json);
  return parsed.ok ? parsed.document : null;
}

function BodyField({
  id,
  label,
  help,
  initialText,
  initialDocument,
  error,
  resetKey,
  focusOnMount,
  onChange,
}: BodyFieldProps) {
  const { t } = useTranslation();
  const hydrated = useHydrated();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const [editorReady, setEditorReady] = useState(false);
  const [focusEditor, setFocusEditor] = useState(false);
  const labelId = `${id}-label`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [helpId, error ? errorId : null].filter(Boolean).join(" ");

  // The editor starts from what was typed into the textarea before the scripts arrived (read when it
  // mounts, so words typed while it loaded are kept too), or else from the submitted or stored body.
  const readTyped = useCallback(() => textareaRef.current?.value ?? "", []);
  const onReady = useCallback(() => {
    setFocusEditor(document.activeElement === textareaRef.current);
    setEditorReady(true);
  }, []);

  return (
    <div className="composer__field">
      <label id={labelId} htmlFor={id} className="composer__label">
        {label}
      </label>
      <p id={helpId} className="composer__help">
        {help}
      </p>
      {editorReady ? null : (
        <textarea
          ref={textareaRef}
          id={id}
          name="plainText"
          rows={5}
          defaultValue={initialText}
          className="composer__textarea"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
      )}
      {hydrated ? (
        <EditorLoadBoundary>
          <Suspense fallback={null}>
            <EditorMount
              key={resetKey}
              id={id}
              labelId={labelId}
              describedBy={describedBy}
              invalid={Boolean(error)}
              initialDocument={resetKey === 0 ? initialDocument : null}
              readTyped={resetKey === 0 ? readTyped : () => ""}
              initialText={resetKey === 0 ? initialText : ""}
              focusOnMount={focusOnMount || focusEditor}
              onReady={onReady}
              onChange={onChange}
            />
          </Suspense>
        </EditorLoadBoundary>
      ) : null}
      <FieldError id={errorId} message={error} />
      {editorReady ? null : (
        <p className="composer__help composer__help--plain">{t("composer.body.plainHelp")}</p>
      )}
    </div>
  );
}

/**
 * When the editor's code cannot be loaded (a field worker's connection dropping), the textarea simply
 * stays: the form keeps working as it does without JavaScript, instead of the page failing.
 */
class EditorLoadBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

function EditorMount({
  readTyped,
  initialText,
  initialDocument,
  onReady,
  ...props
}: {
  id: string;
  labelId: string;
  describedBy: string;
  invalid: boolean;
  initialDocument: LexicalDocument | null;
  readTyped: () => string;
  initialText: string;
  focusOnMount: boolean;
  onReady: () => void;
  onChange?: (change: PostEditorChange) => void;
}) {
  // Read once, while the textarea is still there.
  const [typed] = useState(readTyped);
  const changedByTyping = typed !== initialText;
  useEffect(() => onReady(), [onReady]);
  return (
    <PostEditor
      {...props}
      initialDocument={changedByTyping ? null : initialDocument}
      initialText={changedByTyping ? typed : initialText}
    />
  );
}

// ---------------------------------------------------------------------------------------------------
// Photos
// ---------------------------------------------------------------------------------------------------

const IMAGE_ACCEPT = "image/jpeg,image/png,image/webp";

function PhotosField({
  idPrefix,
  errors,
  values,
  resetKey,
}: {
  idPrefix: string;
  errors: ComposerFieldErrors;
  values: ComposerValues | null;
  resetKey: number;
}) {
  const { t } = useTranslation();
  const hydrated = useHydrated();
  const [files, setFiles] = useState<{ name: string; url: string }[]>([]);
  const inputId = `${idPrefix}-fotos`;
  const errorId = `${inputId}-error`;
  const error = errors.images ?? errors.imageAlt;

  useEffect(() => () => files.forEach((file) => URL.revokeObjectURL(file.url)), [files]);
  useEffect(() => setFiles([]), [resetKey]);

  return (
    <fieldset className="composer__photos">
      <legend className="composer__label">{t("composer.photos.legend")}</legend>
      <label htmlFor={inputId}>{t("composer.photos.choose")}</label>
      <p id={`${inputId}-help`} className="composer__help">
        {t("composer.photos.help", { max: COMPOSER_MAX_IMAGES })}
      </p>
      <input
        key={resetKey}
        id={inputId}
        type="file"
        name="images"
        accept={IMAGE_ACCEPT}
        multiple
        aria-invalid={error ? true : undefined}
        aria-describedby={[`${inputId}-help`, error ? errorId : null].filter(Boolean).join(" ")}
        onChange={(event) =>
          setFiles(
            Array.from(event.target.files ?? []).map((file) => ({
              name: file.name,
              url: URL.createObjectURL(file),
            })),
          )
        }
      />
      {values && values.imageCount > 0 ? (
        <p className="composer__help">{t("composer.photos.chooseAgain", { count: values.imageCount })}</p>
      ) : null}
      {hydrated && files.length > COMPOSER_MAX_IMAGES ? (
        <p className="field__error composer__error" role="alert">
          {t("composer.errors.tooManyImages", { max: COMPOSER_MAX_IMAGES })}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
      {hydrated ? (
        files.length > 0 ? (
          <ul className="composer__previews">
            {files.map((file, index) => (
              <li key={file.url} className="composer__preview">
                {/* The preview's meaning is in the description field right beside it. */}
                <img src={file.url} alt="" className="composer__preview-image" />
                <AltField id={`${inputId}-alt-${index}`} index={index} name={file.name} />
              </li>
            ))}
          </ul>
        ) : null
      ) : (
        // Without JavaScript nobody can add a field per chosen photo: offer one per possible photo.
        <div className="composer__alts">
          {Array.from({ length: COMPOSER_MAX_IMAGES }, (_, index) => (
            <AltField
              key={index}
              id={`${inputId}-alt-${index}`}
              index={index}
              name={null}
              defaultValue={values?.imageAlts[index] ?? ""}
            />
          ))}
        </div>
      )}
    </fieldset>
  );
}

function AltField({
  id,
  index,
  name,
  defaultValue = "",
}: {
  id: string;
  index: number;
  name: string | null;
  defaultValue?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="composer__alt">
      <label htmlFor={id}>
        {t("composer.photos.alt")}{" "}
        <span className="composer__alt-which">
          {name
            ? t("composer.photos.altFor", { name })
            : t("composer.photos.altNumber", { number: index + 1 })}
        </span>
      </label>
      <input id={id} type="text" name="imageAlt" maxLength={300} defaultValue={defaultValue} />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------
// Announcements
// ---------------------------------------------------------------------------------------------------

function AnnouncementFields({
  idPrefix,
  values,
  errors,
  returnTo,
}: {
  idPrefix: string;
  values: ComposerValues | null;
  errors: ComposerFieldErrors;
  returnTo: string;
}) {
  const { t } = useTranslation();
  const hydrated = useHydrated();
  const [announcement, setAnnouncement] = useState(values?.announcement ?? false);
  const [mode, setMode] = useState(values?.audienceMode ?? "all");
  // The department list comes with the /berichten page; elsewhere that page is one link away.
  const pageData = useRouteLoaderData("routes/berichten._index") as
    { composerDepartments?: ComposerDepartment[] } | undefined;
  const departments = pageData?.composerDepartments ?? null;
  const audienceId = `${idPrefix}-doelgroep`;
  const pinId = `${idPrefix}-vastzetten`;
  const chosen = new Set(values?.audienceDepartments ?? []);
  const morePath = `/berichten?${new URLSearchParams({ terug: returnTo })}`;

  return (
    <fieldset className="composer__announcement">
      <legend className="composer__label">{t("composer.announcement.legend")}</legend>
      <label className="choice">
        <input
          type="checkbox"
          name="announcement"
          value="on"
          defaultChecked={values?.announcement ?? false}
          onChange={(event) => setAnnouncement(event.target.checked)}
        />
        <span>{t("composer.announcement.toggle")}</span>
      </label>
      {/* Without JavaScript the choices stay visible; the server ignores them for an ordinary post. */}
      <div className="composer__announcement-details" hidden={hydrated && !announcement}>
        <fieldset
          id={audienceId}
          tabIndex={-1}
          className="composer__audience"
          aria-describedby={errors.audience ? `${audienceId}-error` : undefined}
        >
          <legend>{t("composer.announcement.audience")}</legend>
          <label className="choice">
            <input
              type="radio"
              name="audienceMode"
              value="all"
              defaultChecked={mode === "all"}
              onChange={() => setMode("all")}
            />
            <span>{t("composer.announcement.everyone")}</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="audienceMode"
              value="groups"
              defaultChecked={mode === "groups"}
              onChange={() => setMode("groups")}
            />
            <span>{t("composer.announcement.groups")}</span>
          </label>
          <div className="audience-groups" hidden={hydrated && mode === "all"}>
            <label className="choice">
              <input
                type="checkbox"
                name="audienceFieldWorkers"
                value="on"
                defaultChecked={values?.audienceFieldWorkers ?? false}
              />
              <span>{t("composer.announcement.fieldWorkers")}</span>
            </label>
            {departments ? (
              <details open={chosen.size > 0}>
                <summary>{t("composer.announcement.departments", { count: chosen.size })}</summary>
                {departments.map((department) => (
                  <div key={department.id} className="audience-department">
                    <label className="choice">
                      <input
                        type="checkbox"
                        name="audienceDepartments"
                        value={department.id}
                        defaultChecked={chosen.has(department.id)}
                      />
                      <span>
                        <strong>{department.name}</strong>{" "}
                        <span className="muted">{t("composer.announcement.withServices")}</span>
                      </span>
                    </label>
                    {department.children.map((service) => (
                      <label key={service.id} className="choice choice--nested">
                        <input
                          type="checkbox"
                          name="audienceDepartments"
                          value={service.id}
                          defaultChecked={chosen.has(service.id)}
                        />
                        <span>{service.name}</span>
                      </label>
                    ))}
                  </div>
                ))}
              </details>
            ) : (
              <p className="composer__help">
                <Link to={morePath}>{t("composer.announcement.moreAudiences")}</Link>
              </p>
            )}
          </div>
          <FieldError id={`${audienceId}-error`} message={errors.audience} />
        </fieldset>
        <div className="composer__field">
          <label htmlFor={pinId} className="composer__label">
            {t("composer.announcement.pinnedUntil")}
          </label>
          <p id={`${pinId}-help`} className="composer__help">
            {t("composer.announcement.pinnedHelp")}
          </p>
          <input
            id={pinId}
            type="date"
            name="pinnedUntil"
            className="composer__date"
            min={brusselsDay()}
            max={brusselsDay(365)}
            defaultValue={values?.pinnedUntil ?? ""}
            aria-invalid={errors.pinnedUntil ? true : undefined}
            aria-describedby={[`${pinId}-help`, errors.pinnedUntil ? `${pinId}-error` : null]
              .filter(Boolean)
              .join(" ")}
          />
          <FieldError id={`${pinId}-error`} message={errors.pinnedUntil} />
        </div>
      </div>
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------
// The composer
// ---------------------------------------------------------------------------------------------------

/** What the client checks before posting (the server checks everything again). */
function clientBodyError(change: PostEditorChange | null, photoCount: number): ComposerMessage | null {
  if (!change) return null;
  if (change.length > POST_LIMITS.maxTextLength)
    return { key: "tooLong", params: { max: POST_LIMITS.maxTextLength } };
  if (change.empty && photoCount === 0) return { key: "empty" };
  return null;
}

/**
 * The composer: write a post on one's profile, in a group or project (`place`), or, for communicators
 * (`canAnnounce`, never inside a place), an announcement for everyone or an audience.
 */
export function Composer(props: {
  returnTo: string;
  place?: { slug: string; name: string } | null;
  canAnnounce?: boolean;
}): JSX.Element {
  const { returnTo, place = null, canAnnounce = false } = props;
  const { t } = useTranslation();
  const hydrated = useHydrated();
  const fetcher = useFetcher<ComposerResult>();
  const pageResult = useActionData();
  const idPrefix = `composer-${useId().replace(/[^a-zA-Z0-9]/g, "")}`;
  const ids = useMemo(() => fieldIds(idPrefix), [idPrefix]);
  const formRef = useRef<HTMLFormElement>(null);
  const [resetKey, setResetKey] = useState(0);
  const [status, setStatus] = useState<{ text: string; url: string | null } | null>(null);
  const [clientError, setClientError] = useState<{ error: ComposerMessage; attempt: number } | null>(null);
  const change = useRef<PostEditorChange | null>(null);
  const handled = useRef<unknown>(null);

  // A refusal of a submission without JavaScript is this page's action data; with JavaScript, the fetcher's.
  const result: ComposerResult | null =
    (isComposerResult(fetcher.data) ? fetcher.data : null) ??
    (isComposerResult(pageResult) ? pageResult : null);
  const failure = result && !result.ok ? result : null;
  const values = failure?.values ?? null;
  const fieldErrors: ComposerFieldErrors = {
    ...(failure?.fieldErrors ?? {}),
    ...(clientError ? { body: clientError.error } : {}),
  };
  const busy = fetcher.state !== "idle";

  useEffect(() => {
    const data = fetcher.data;
    if (fetcher.state !== "idle" || !isComposerResult(data) || handled.current === data) return;
    handled.current = data;
    if (data.ok) {
      formRef.current?.reset();
      change.current = null;
      setResetKey((key) => key + 1);
      setStatus({ text: t("composer.status.posted"), url: data.url });
    } else {
      setStatus(null);
    }
  }, [fetcher.state, fetcher.data, t]);

  const announce = canAnnounce && !place;
  return (
    <fetcher.Form
      ref={formRef}
      method="post"
      action={composerAction(place)}
      encType="multipart/form-data"
      className="composer"
      aria-label={place ? t("composer.formLabelIn", { name: place.name }) : t("composer.formLabel")}
      noValidate
      onSubmit={(event) => {
        const photos =
          formRef.current?.querySelector<HTMLInputElement>('input[name="images"]')?.files?.length ?? 0;
        const problem = clientBodyError(change.current, photos);
        if (problem) {
          event.preventDefault();
          setClientError({ error: problem, attempt: (clientError?.attempt ?? 0) + 1 });
          return;
        }
        setClientError(null);
        setStatus(null);
      }}
    >
      <CsrfInput />
      <input type="hidden" name="intent" value="create" />
      <input type="hidden" name="returnTo" value={returnTo} />
      {place ? <input type="hidden" name="place" value={place.slug} /> : null}
      {/* Only a script-driven submission asks for data instead of a redirect. */}
      {hydrated ? <input type="hidden" name="enhanced" value="1" /> : null}
      <ErrorSummary
        error={failure?.error ?? null}
        fieldErrors={fieldErrors}
        ids={ids}
        focusKey={clientError?.attempt ?? result}
      />
      <BodyField
        id={ids.body}
        label={place ? t("composer.body.labelIn", { name: place.name }) : t("composer.body.label")}
        help={t("composer.body.help")}
        initialText={values?.plainText ?? ""}
        initialDocument={documentFrom(values?.body ?? "")}
        error={fieldErrors.body ?? fieldErrors.place}
        resetKey={resetKey}
        focusOnMount={resetKey > 0}
        onChange={(next) => {
          change.current = next;
          if (clientError) setClientError(null);
        }}
      />
      <PhotosField idPrefix={idPrefix} errors={fieldErrors} values={values} resetKey={resetKey} />
      {announce ? (
        <AnnouncementFields
          key={resetKey}
          idPrefix={idPrefix}
          values={values}
          errors={fieldErrors}
          returnTo={returnTo}
        />
      ) : null}
      <div className="composer__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t("composer.submitting") : t("composer.submit")}
        </button>
        <p role="status" className="composer__status">
          {status ? (
            <>
              {status.text} {status.url ? <Link to={status.url}>{t("composer.status.view")}</Link> : null}
            </>
          ) : null}
        </p>
      </div>
    </fetcher.Form>
  );
}

// ---------------------------------------------------------------------------------------------------
// Editing
// ---------------------------------------------------------------------------------------------------

export type EditPostValues = {
  plainText: string;
  body: string;
  pinnedUntil: string;
  returnTo: string;
};

export type EditPostResult = {
  form: "composer";
  ok: false;
  values: EditPostValues;
  error: ComposerMessage | null;
  fieldErrors: ComposerFieldErrors;
};

/** The edit form of a post: the same editor, prefilled; announcements also keep or change their pin. */
export function EditPostForm({
  action,
  post,
  returnTo,
  result,
  cancel,
}: {
  action: string;
  post: { document: LexicalDocument; plainText: string; isAnnouncement: boolean; pinnedUntil: string };
  returnTo: string;
  result: EditPostResult | null;
  cancel: ReactNode;
}) {
  const { t } = useTranslation();
  const ids = fieldIds("bewerken");
  const values = result?.values ?? null;
  const submittedDocument = documentFrom(values?.body ?? "");
  return (
    <Form method="post" action={action} className="composer composer--edit" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="returnTo" value={returnTo} />
      <ErrorSummary
        error={result?.error ?? null}
        fieldErrors={result?.fieldErrors ?? {}}
        ids={ids}
        focusKey={result}
      />
      <BodyField
        id={ids.body}
        label={t("composer.body.editLabel")}
        help={t("composer.body.help")}
        initialText={values?.plainText ?? post.plainText}
        initialDocument={values ? submittedDocument : post.document}
        error={result?.fieldErrors.body}
        resetKey={0}
        focusOnMount={false}
      />
      {post.isAnnouncement ? (
        <div className="composer__field">
          <label htmlFor={ids.pinnedUntil} className="composer__label">
            {t("composer.announcement.pinnedUntil")}
          </label>
          <p id={`${ids.pinnedUntil}-help`} className="composer__help">
            {t("composer.announcement.pinnedEditHelp")}
          </p>
          <input
            id={ids.pinnedUntil}
            type="date"
            name="pinnedUntil"
            className="composer__date"
            min={brusselsDay()}
            max={brusselsDay(365)}
            defaultValue={values?.pinnedUntil ?? post.pinnedUntil}
            aria-invalid={result?.fieldErrors.pinnedUntil ? true : undefined}
            aria-describedby={[
              `${ids.pinnedUntil}-help`,
              result?.fieldErrors.pinnedUntil ? `${ids.pinnedUntil}-error` : null,
            ]
              .filter(Boolean)
              .join(" ")}
          />
          <FieldError id={`${ids.pinnedUntil}-error`} message={result?.fieldErrors.pinnedUntil} />
        </div>
      ) : null}
      <div className="composer__actions">
        <button type="submit" className="button button--primary">
          {t("composer.save")}
        </button>
        {cancel}
      </div>
    </Form>
  );
}
