/**
 * /groepen/nieuw: start a group or project. The creator becomes its owner (member and follower); the
 * address comes from the name. Field errors are shown next to each field and summed up at the top.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import {
  ErrorSummary,
  fieldMessage,
  PlaceTextFields,
  placeMeta,
  VisibilityChoices,
} from "~/components/stream/place-page";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import { isStreamError } from "~/modules/stream/errors";
import { type FieldErrors, placeFieldErrors } from "~/modules/stream/place-route.server";
import {
  createPlace,
  CreatePlaceSchema,
  PLACE_DESCRIPTION_MAX,
  PLACE_NAME_MAX,
  PLACE_NAME_MIN,
} from "~/modules/stream/places.server";

export const meta = placeMeta;

type Values = { name: string; kind: string; visibility: string; description: string };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await getFixedT(await getLocale(request, user.locale));
  return {
    title: `${t("places.create.title")} · Werkplek`,
    kind: new URL(request.url).searchParams.get("soort") === "project" ? "project" : "group",
    limits: { nameMin: PLACE_NAME_MIN, nameMax: PLACE_NAME_MAX, descriptionMax: PLACE_DESCRIPTION_MAX },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const text = (key: string) => {
    const value = form.get(key);
    return typeof value === "string" ? value : "";
  };
  const values: Values = {
    name: text("name"),
    kind: text("kind"),
    visibility: text("visibility"),
    description: text("description"),
  };
  const parsed = CreatePlaceSchema.safeParse(values);
  if (!parsed.success) {
    return data({ errors: placeFieldErrors(parsed.error), values, failed: false }, { status: 400 });
  }
  try {
    const created = await createPlace(user, parsed.data);
    return redirect(`${created.path}?status=created`, 303);
  } catch (error) {
    if (!isStreamError(error, "invalid_input")) throw error;
    return data({ errors: {} as FieldErrors, values, failed: true }, { status: 400 });
  }
}

export default function NewPlace() {
  const { kind, limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors: FieldErrors = result?.errors ?? {};
  const values: Values = result?.values ?? { name: "", kind, visibility: "open", description: "" };
  const kindError = fieldMessage(t, "kind", errors);
  return (
    <div className="page page--narrow places-new">
      <p>
        <Link to="/groepen">{t("places.backToList")}</Link>
      </p>
      <h1>{t("places.create.title")}</h1>
      <p className="lead">{t("places.create.lead")}</p>
      <ErrorSummary errors={errors} idPrefix="new" />
      {result?.failed ? (
        <p className="notice notice--error" role="alert">
          {t("places.errors.invalidRequest")}
        </p>
      ) : null}
      <Form method="post" className="place-form" noValidate>
        <CsrfInput />
        <fieldset
          className="place-form__choices"
          id="new-kind"
          aria-describedby={kindError ? "new-kind-error" : undefined}
        >
          <legend className="place-form__label">{t("places.form.kind")}</legend>
          {kindError ? (
            <p id="new-kind-error" className="field__error place-form__error">
              {kindError}
            </p>
          ) : null}
          {(["group", "project"] as const).map((option) => (
            <div className="place-choice" key={option}>
              <input
                type="radio"
                id={`new-kind-${option}`}
                name="kind"
                value={option}
                defaultChecked={values.kind === option}
                aria-describedby={`new-kind-${option}-help`}
              />
              <label htmlFor={`new-kind-${option}`}>
                <strong>{t(`places.kind.${option}`)}</strong>
                <span id={`new-kind-${option}-help`} className="place-choice__help">
                  {t(`places.create.kindHelp.${option}`)}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
        <PlaceTextFields idPrefix="new" values={values} errors={errors} limits={limits} />
        <VisibilityChoices
          idPrefix="new"
          value={values.visibility}
          errors={errors}
          legend={t("places.form.visibility")}
        />
        <p className="muted">{t("places.create.ownerNote")}</p>
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={navigation.state === "submitting"}
          >
            {t("places.create.submit")}
          </button>
          <Link to="/groepen">{t("places.create.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
