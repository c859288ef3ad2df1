/**
 * The attachments of a circular's working copy: list, remove, upload. Plain forms posting to
 * /circulaires/<year>/<seq>/bijlagen, so it works before JavaScript loads; with JavaScript the upload goes
 * through XMLHttpRequest, the only browser API that reports upload progress, and the page's loaders are
 * revalidated afterwards. Embedded in the bijlagen page and in the circular's edit page.
 */
import { Form, useLocation, useRevalidator, useSearchParams } from "@remix-run/react";
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import { circularPath } from "~/modules/circulars/paths";
import {
  acceptAttribute,
  allowedTypesLabel,
  FILE_TYPES,
  fileTypeByMediaType,
} from "~/modules/files/file-types";

export type AttachmentItem = { id: string; fileName: string; mediaType: string; size: number; url: string };

/** A refusal to show: the code picks the message, the params fill it in. */
export type AttachmentError = { code: string; params?: Record<string, string | number>; message?: string };

export type AttachmentManagerProps = {
  circularId: string;
  number: string;
  attachments: AttachmentItem[];
  /** Upload limit in bytes, for the help text and a check before sending (the server checks anyway). */
  maxBytes?: number;
  /** A refusal from the server (the bijlagen page passes its action's error). */
  error?: AttachmentError | null;
  /** Archived circulars: list only. */
  readOnly?: boolean;
};

/** Upload errors the server tells XMLHttpRequest about in headers (the response body is a page). */
export const UPLOAD_ERROR_HEADER = "X-Upload-Error";
/** The translated message, URI-encoded (header values are Latin-1 only). */
export const UPLOAD_ERROR_MESSAGE_HEADER = "X-Upload-Error-Message";

function formatSize(bytes: number, locale: string): string {
  const format = (value: number, unit: "kilobyte" | "megabyte") =>
    new Intl.NumberFormat(locale, { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
  return bytes >= 1024 * 1024
    ? format(bytes / 1024 / 1024, "megabyte")
    : format(Math.max(bytes / 1024, 0.1), "kilobyte");
}

function withoutStatusParam(pathname: string, search: string): string {
  const params = new URLSearchParams(search);
  params.delete("bijlage");
  const query = params.toString();
  return `${pathname}${query ? `?${query}` : ""}`;
}

/** The upload form, the list of attachments and their remove buttons. */
export function AttachmentManager({
  circularId,
  number,
  attachments,
  maxBytes,
  error: serverError = null,
  readOnly = false,
}: AttachmentManagerProps) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const revalidator = useRevalidator();
  const id = useId();
  const [progress, setProgress] = useState<number | null>(null);
  const [clientError, setClientError] = useState<AttachmentError | null>(null);
  const [uploadedName, setUploadedName] = useState<string | null>(null);
  const actionUrl = `${circularPath(number)}/bijlagen`;
  const back = withoutStatusParam(location.pathname, location.search);
  const maxMb = maxBytes ? Math.round((maxBytes / 1024 / 1024) * 10) / 10 : null;
  const error = clientError ?? serverError;
  const done = searchParams.get("bijlage");
  const headingId = `${id}-heading`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const inputId = `${id}-file`;

  function onUpload(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    const input = form.elements.namedItem("file") as HTMLInputElement | null;
    const file = input?.files?.[0];
    event.preventDefault();
    setClientError(null);
    setUploadedName(null);
    if (!file || file.size === 0) {
      setClientError({ code: "empty" });
      input?.focus();
      return;
    }
    if (maxBytes && file.size > maxBytes) {
      setClientError({ code: "too_large", params: { maxMb: maxMb ?? 0 } });
      input?.focus();
      return;
    }
    const request = new XMLHttpRequest();
    request.open("POST", actionUrl);
    request.upload.onprogress = (progressEvent) => {
      if (progressEvent.lengthComputable)
        setProgress(Math.round((progressEvent.loaded / progressEvent.total) * 100));
    };
    request.onload = () => {
      setProgress(null);
      const code = request.getResponseHeader(UPLOAD_ERROR_HEADER);
      if (request.status >= 200 && request.status < 300 && !code) {
        setUploadedName(file.name);
        form.reset();
        revalidator.revalidate();
        return;
      }
      const message = request.getResponseHeader(UPLOAD_ERROR_MESSAGE_HEADER);
      setClientError({
        code: code ?? (request.status === 413 ? "too_large" : "unknown"),
        params: { maxMb: maxMb ?? "" },
        message: message ? decodeURIComponent(message) : undefined,
      });
      input?.focus();
    };
    request.onerror = () => {
      setProgress(null);
      setClientError({ code: "network" });
    };
    setProgress(0);
    request.send(new FormData(form));
  }

  const errorMessage = error?.message
    ? error.message
    : error
      ? t(`files.errors.${error.code}`, { defaultValue: t("files.errors.unknown"), ...error.params })
      : null;

  return (
    <section className="card attachment-manager" aria-labelledby={headingId} data-circular-id={circularId}>
      <h2 id={headingId}>{t("files.heading")}</h2>
      <div role="status" aria-live="polite" className="attachment-manager__status">
        {uploadedName ? (
          <p className="notice notice--success">{t("files.uploaded", { name: uploadedName })}</p>
        ) : done === "toegevoegd" ? (
          <p className="notice notice--success">{t("files.added")}</p>
        ) : done === "verwijderd" ? (
          <p className="notice notice--success">{t("files.removed")}</p>
        ) : progress !== null ? (
          <p>{t("files.uploading")}</p>
        ) : null}
      </div>
      {attachments.length === 0 ? (
        <p className="muted">{t("files.empty")}</p>
      ) : (
        <ul className="attachment-list" aria-label={t("files.listLabel", { number })}>
          {attachments.map((attachment) => {
            const type = fileTypeByMediaType(attachment.mediaType);
            return (
              <li key={attachment.id} className="attachment-list__item">
                <span className="attachment-list__file">
                  <a href={attachment.url} download={attachment.fileName}>
                    {attachment.fileName}
                  </a>
                  <span className="muted">
                    {t("files.fileMeta", {
                      type: type ? FILE_TYPES[type].label : attachment.mediaType,
                      size: formatSize(attachment.size, i18n.language === "en" ? "en-GB" : "nl-BE"),
                    })}
                  </span>
                </span>
                {readOnly ? null : (
                  <Form method="post" action={actionUrl} className="attachment-list__remove">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="attachmentId" value={attachment.id} />
                    <input type="hidden" name="terug" value={back} />
                    <button
                      type="submit"
                      className="button"
                      aria-label={t("files.removeLabel", { name: attachment.fileName })}
                    >
                      {t("files.remove")}
                    </button>
                  </Form>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {readOnly ? (
        <p className="muted">{t("files.archived")}</p>
      ) : (
        <Form
          method="post"
          action={actionUrl}
          encType="multipart/form-data"
          className="stack attachment-upload"
          onSubmit={onUpload}
          reloadDocument
        >
          <CsrfInput />
          <input type="hidden" name="intent" value="upload" />
          <input type="hidden" name="terug" value={back} />
          <label htmlFor={inputId}>{t("files.chooseFile")}</label>
          <input
            id={inputId}
            type="file"
            name="file"
            accept={acceptAttribute("attachment")}
            required
            aria-describedby={errorMessage ? `${helpId} ${errorId}` : helpId}
            aria-invalid={errorMessage ? true : undefined}
          />
          <p id={helpId} className="muted">
            {maxMb
              ? t("files.help", { types: allowedTypesLabel("attachment"), max: maxMb })
              : t("files.helpNoMax", { types: allowedTypesLabel("attachment") })}
          </p>
          {errorMessage ? (
            <p id={errorId} className="notice notice--error" role="alert">
              {errorMessage}
            </p>
          ) : null}
          {progress !== null ? (
            <progress max={100} value={progress} aria-label={t("files.progressLabel")}>
              {progress}%
            </progress>
          ) : null}
          <button type="submit" className="button button--primary" disabled={progress !== null}>
            {t("files.upload")}
          </button>
        </Form>
      )}
    </section>
  );
}
