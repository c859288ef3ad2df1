/**
 * /profiel/bewerken: edit one's own profile (photo, introduction, expertise, work phone). Name, job title
 * and department come from HR and are shown read-only. The form is multipart (the photo): its size is
 * bounded while reading, then the CSRF token is checked before anything is processed or stored, and the
 * module stores the photo only when every field is valid. (`profiel_` keeps this page out of the /profiel
 * page's layout: that page renders no outlet.)
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { FileError } from "~/modules/files/errors";
import { acceptAttribute } from "~/modules/files/file-types";
import { isMultipart, parseUploadForm, type ParsedUpload } from "~/modules/files/upload.server";
import { assertCsrf, readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requirePermission } from "~/modules/identity/session.server";
import { isPeopleError, type ProfileField, type ProfileFieldErrors } from "~/modules/people/errors";
import { profilePath } from "~/modules/people/person";
import { PersonAvatar } from "~/modules/people/person-avatar";
import { PHOTO_MAX_BYTES } from "~/modules/people/photo.server";
import { getEditableProfile, updateOwnProfile } from "~/modules/people/profile.server";
import {
  ABOUT_MAX,
  EXPERTISE_INPUT_MAX,
  EXPERTISE_MAX_TAGS,
  EXPERTISE_TAG_MAX,
  EXPERTISE_TAG_MIN,
} from "~/modules/people/profile-schema";
import { PHONE_INPUT_MAX } from "~/modules/people/phone";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "update:profile:own");
  const t = await getFixedT(await getLocale(request, user.locale));
  const profile = await getEditableProfile(user);
  return {
    title: `${t("people.edit.title")} · Werkplek`,
    profile: { ...profile, id: user.id, department: user.department?.name ?? null },
    photoMaxMb: Math.round(PHOTO_MAX_BYTES / 1024 / 1024),
  };
}

type SubmittedValues = { about: string; expertise: string; workPhone: string };

/** The form's text fields, from a multipart or an ordinary form. */
async function readProfileForm(
  request: Request,
): Promise<{ fields: Map<string, string>; file: ParsedUpload["file"] }> {
  if (isMultipart(request)) {
    const parsed = await parseUploadForm(request, { maxBytes: PHOTO_MAX_BYTES, fileField: "photo" });
    assertCsrf(request, parsed.fields.get("csrf") ?? "");
    return parsed;
  }
  const form = await readCsrfCheckedForm(request);
  const fields = new Map<string, string>();
  for (const [key, value] of form) if (typeof value === "string") fields.set(key, value);
  return { fields, file: null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "update:profile:own");
  let form: Awaited<ReturnType<typeof readProfileForm>>;
  try {
    form = await readProfileForm(request);
  } catch (error) {
    // Refused while reading (too large, malformed): nothing was stored, so no CSRF check is needed first.
    if (error instanceof FileError) {
      const errors: ProfileFieldErrors = { photo: { code: error.code, params: error.params } };
      return data({ errors, values: null }, { status: error.status });
    }
    throw error;
  }
  const values: SubmittedValues = {
    about: form.fields.get("about") ?? "",
    expertise: form.fields.get("expertise") ?? "",
    workPhone: form.fields.get("workPhone") ?? "",
  };
  try {
    await updateOwnProfile(user, { ...values, removePhoto: form.fields.has("removePhoto") }, form.file);
  } catch (error) {
    if (isPeopleError(error, "invalid_input")) {
      return data({ errors: error.fields, values }, { status: 400 });
    }
    throw error;
  }
  return redirect(`${profilePath(user.id)}?bewaard=1`, 303);
}

const FIELD_ORDER: ProfileField[] = ["photo", "about", "expertise", "workPhone"];

export default function EditProfile() {
  const { profile, photoMaxMb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors: ProfileFieldErrors = actionData?.errors ?? {};
  const values: SubmittedValues = actionData?.values ?? {
    about: profile.about,
    expertise: profile.expertise.join(", "),
    workPhone: profile.workPhone,
  };

  const message = (field: ProfileField) => {
    const error = errors[field];
    if (!error) return null;
    const params = { ...error.params };
    if (params.detected === "unknown") params.detected = t("files.unknownType");
    return t(`people.edit.errors.${error.code}`, {
      defaultValue: t("people.edit.errors.invalid"),
      ...params,
    });
  };
  const describedBy = (field: ProfileField, help: boolean) =>
    [help ? `profile-${field}-help` : null, errors[field] ? `profile-${field}-error` : null]
      .filter(Boolean)
      .join(" ") || undefined;
  const fieldError = (field: ProfileField) =>
    errors[field] ? (
      <p id={`profile-${field}-error`} className="profile-edit__error">
        {message(field)}
      </p>
    ) : null;
  const failed = FIELD_ORDER.filter((field) => errors[field]);

  return (
    <div className="page profile-edit">
      <p>
        <Link to={profilePath(profile.id)}>{t("people.profile.back")}</Link>
      </p>
      <h1>{t("people.edit.title")}</h1>
      <p className="lead">{t("people.edit.intro")}</p>

      {failed.length ? (
        <div className="notice notice--error" role="alert" tabIndex={-1}>
          <p>{t("people.edit.errorSummary")}</p>
          <ul>
            {failed.map((field) => (
              <li key={field}>
                <a href={`#profile-${field}`}>{message(field)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <section className="card" aria-labelledby="profile-hr">
        <h2 id="profile-hr">{profile.displayName}</h2>
        <dl className="facts">
          <dt>{t("people.edit.jobTitle")}</dt>
          <dd>{profile.jobTitle ?? <span className="muted">{t("people.edit.noJobTitle")}</span>}</dd>
          {profile.department ? (
            <>
              <dt>{t("people.profile.unit")}</dt>
              <dd>{profile.department}</dd>
            </>
          ) : null}
        </dl>
        <p className="muted">{t("people.edit.fromHr")}</p>
      </section>

      <Form method="post" encType="multipart/form-data" className="card stack" noValidate>
        <CsrfInput />
        <fieldset className="profile-edit__photo">
          <legend>{t("people.edit.photo")}</legend>
          <div className="profile-edit__current">
            <PersonAvatar
              person={profile}
              size="large"
              alt={profile.avatarUrl ? t("people.edit.currentPhoto") : ""}
            />
            {profile.avatarUrl ? (
              <label className="choice">
                <input type="checkbox" name="removePhoto" />
                <span>{t("people.edit.removePhoto")}</span>
              </label>
            ) : (
              <p className="muted">{t("people.edit.noPhoto")}</p>
            )}
          </div>
          <label htmlFor="profile-photo">{t("people.edit.choosePhoto")}</label>
          <p id="profile-photo-help" className="muted">
            {t("people.edit.photoHelp", { maxMb: photoMaxMb })}
          </p>
          <input
            id="profile-photo"
            type="file"
            name="photo"
            accept={acceptAttribute("image")}
            aria-describedby={describedBy("photo", true)}
            aria-invalid={errors.photo ? true : undefined}
          />
          {fieldError("photo")}
        </fieldset>

        <div className="profile-edit__field">
          <label htmlFor="profile-about">{t("people.edit.about")}</label>
          <p id="profile-about-help" className="muted">
            {t("people.edit.aboutHelp", { max: ABOUT_MAX })}
          </p>
          <textarea
            id="profile-about"
            name="about"
            rows={5}
            defaultValue={values.about}
            aria-describedby={describedBy("about", true)}
            aria-invalid={errors.about ? true : undefined}
          />
          {fieldError("about")}
        </div>

        <div className="profile-edit__field">
          <label htmlFor="profile-expertise">{t("people.edit.expertise")}</label>
          <p id="profile-expertise-help" className="muted">
            {t("people.edit.expertiseHelp", {
              max: EXPERTISE_MAX_TAGS,
              min: EXPERTISE_TAG_MIN,
              tagMax: EXPERTISE_TAG_MAX,
            })}
          </p>
          <input
            id="profile-expertise"
            type="text"
            name="expertise"
            defaultValue={values.expertise}
            maxLength={EXPERTISE_INPUT_MAX}
            autoComplete="off"
            aria-describedby={describedBy("expertise", true)}
            aria-invalid={errors.expertise ? true : undefined}
          />
          {fieldError("expertise")}
        </div>

        <div className="profile-edit__field">
          <label htmlFor="profile-workPhone">{t("people.edit.workPhone")}</label>
          <p id="profile-workPhone-help" className="muted">
            {t("people.edit.workPhoneHelp")}
          </p>
          <input
            id="profile-workPhone"
            type="tel"
            name="workPhone"
            defaultValue={values.workPhone}
            maxLength={PHONE_INPUT_MAX}
            autoComplete="tel"
            inputMode="tel"
            aria-describedby={describedBy("workPhone", true)}
            aria-invalid={errors.workPhone ? true : undefined}
          />
          {fieldError("workPhone")}
        </div>

        <div className="profile-edit__actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={navigation.state === "submitting"}
          >
            {t("people.edit.save")}
          </button>
          <Link className="button" to={profilePath(profile.id)}>
            {t("people.edit.cancel")}
          </Link>
        </div>
      </Form>
    </div>
  );
}
