/**
 * A form of the post page with one text field (a comment, a reply, an edit, a report or a moderator's
 * reason): a plain <Form method="post">, a labelled textarea, the error of its own submission beside the
 * field (aria-invalid, aria-describedby) and what was typed when it came back refused.
 */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { streamFieldId, type PostActionResult, type PostIntent } from "./types";

export type TextFormProps = {
  action: string;
  intent: PostIntent;
  /** The comment this form is about (null: the post). */
  target: string | null;
  returnTo: string;
  hidden?: Record<string, string>;
  field: "plainText" | "reason";
  label: string;
  help?: string;
  submitLabel: string;
  defaultValue?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  rows?: number;
  actionData: PostActionResult | null | undefined;
  danger?: boolean;
};

/** The refusal of this very form, if the last submission was this form's. */
export function failureFor(
  actionData: PostActionResult | null | undefined,
  intent: PostIntent,
  target: string | null,
): Extract<PostActionResult, { ok: false }> | null {
  return actionData && !actionData.ok && actionData.intent === intent && actionData.target === target
    ? actionData
    : null;
}

export function TextForm(props: TextFormProps) {
  const { t } = useTranslation();
  const failure = failureFor(props.actionData, props.intent, props.target);
  const id = streamFieldId(props.intent, props.target, props.field);
  const fieldError = failure?.fieldErrors[props.field] ?? (failure ? failure.error : undefined);
  const errorId = `${id}-fout`;
  const helpId = `${id}-hulp`;
  const describedBy = [props.help ? helpId : null, fieldError ? errorId : null].filter(Boolean).join(" ");
  return (
    <Form method="post" action={props.action} className="stream-form">
      <CsrfInput />
      <input type="hidden" name="intent" value={props.intent} />
      <input type="hidden" name="returnTo" value={props.returnTo} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label htmlFor={id} className="stream-form__label">
        {props.label}
      </label>
      {props.help ? (
        <p id={helpId} className="stream-form__help muted">
          {props.help}
        </p>
      ) : null}
      <textarea
        id={id}
        name={props.field}
        rows={props.rows ?? 3}
        required={props.required}
        minLength={props.minLength}
        maxLength={props.maxLength}
        defaultValue={failure?.values[props.field] ?? props.defaultValue ?? ""}
        aria-invalid={fieldError ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {fieldError ? (
        <p id={errorId} className="field__error stream-form__error">
          {t(fieldError, { seconds: failure?.retryAfterSeconds ?? 60 })}
        </p>
      ) : null}
      <button type="submit" className={`button ${props.danger ? "button--danger" : "button--primary"}`}>
        {props.submitLabel}
      </button>
    </Form>
  );
}
