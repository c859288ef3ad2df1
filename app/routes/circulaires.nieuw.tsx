/**
 * /circulaires/nieuw: an editor starts a new circular. Creating the draft hands out the next number;
 * the editor then continues on the edit page (with autosave, attachments and review).
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CircularEditorForm, ErrorSummary } from "~/components/circulars/editor-form";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import {
  checkCircularReferences,
  circularErrorToFieldErrors,
  type CircularFieldErrors,
  type CircularFormValues,
  loadEditorOptions,
  newCircularValues,
  parseCircularForm,
} from "~/modules/circulars/editing.server";
import { circularPath } from "~/modules/circulars/paths";
import { createCircularDraft } from "~/modules/circulars/workflow.server";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requirePermission } from "~/modules/identity/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

type ActionData = { values: CircularFormValues; errors: CircularFieldErrors; bodyDetail?: string };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "create:circular");
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  return {
    title: `${t("circularEditor.new.title")} · Werkplek`,
    locale,
    values: newCircularValues(user),
    options: await loadEditorOptions(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "create:circular");
  const form = await readCsrfCheckedForm(request);
  const parsed = parseCircularForm(form);
  if (!parsed.ok) {
    return data<ActionData>(
      { values: parsed.values, errors: parsed.errors, bodyDetail: parsed.bodyDetail },
      { status: 400 },
    );
  }
  const referenceErrors = await checkCircularReferences(parsed.input);
  if (Object.keys(referenceErrors).length > 0) {
    return data<ActionData>({ values: parsed.values, errors: referenceErrors }, { status: 400 });
  }
  try {
    const created = await createCircularDraft(user, parsed.input);
    return redirect(`${circularPath(created.number)}/bewerken?aangemaakt=1`, 303);
  } catch (error) {
    return data<ActionData>(
      { values: parsed.values, errors: circularErrorToFieldErrors(error) },
      { status: 400 },
    );
  }
}

export default function NewCircular() {
  const { values, options, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  const busy = navigation.state === "submitting";
  return (
    <div className="page circular-editor-page">
      <p>
        <Link to="/redactie">{t("circularEditor.desk.backToDesk")}</Link>
      </p>
      <h1>{t("circularEditor.new.title")}</h1>
      <p className="lead">{t("circularEditor.new.intro")}</p>
      <ErrorSummary errors={errors} />
      <CircularEditorForm
        formId="circular-form"
        values={actionData?.values ?? values}
        errors={errors}
        bodyDetail={actionData?.bodyDetail}
        options={options}
        locale={locale}
        imageUploadUrl={null}
        actions={
          <button
            type="submit"
            name="intent"
            value="create"
            className="button button--primary"
            disabled={busy}
          >
            {busy ? t("circularEditor.new.creating") : t("circularEditor.new.create")}
          </button>
        }
      />
    </div>
  );
}
