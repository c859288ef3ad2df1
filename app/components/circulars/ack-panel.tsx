/**
 * "Gelezen en begrepen": the reader's confirmation of the latest substantial version. A plain form post,
 * so it works before JavaScript loads; the button keeps one stable accessible name for tests and users.
 */
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/csrf-input";
import type { AcknowledgementStatus } from "~/modules/circulars/acknowledgements.server";
import { useReadingFormat } from "./reading-format";

export function AckPanel({ status, error }: { status: AcknowledgementStatus; error?: string | null }) {
  const { t } = useTranslation();
  const format = useReadingFormat();
  const navigation = useNavigation();
  if (!status.required) return null;
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "acknowledge";
  return (
    <section className="card ack-panel" aria-labelledby="bevestigen-titel" id="bevestigen">
      <h2 id="bevestigen-titel">{t("circularReading.ack.title")}</h2>
      <div role="status">
        {status.acknowledgedAt ? (
          <p className="notice notice--success">
            {t("circularReading.ack.done", {
              version: status.version,
              date: format.moment(status.acknowledgedAt),
            })}
          </p>
        ) : null}
      </div>
      {status.acknowledgedAt ? null : (
        <Form method="post" className="stack" aria-describedby="bevestigen-uitleg">
          <CsrfInput />
          <input type="hidden" name="intent" value="acknowledge" />
          <p id="bevestigen-uitleg">
            {status.previouslyAcknowledged
              ? t("circularReading.ack.again", {
                  version: status.version,
                  previous: status.previouslyAcknowledged,
                })
              : t("circularReading.ack.explain", { version: status.version })}
          </p>
          {error ? (
            <p className="notice notice--error" role="alert">
              {t(`circularReading.errors.${error}`)}
            </p>
          ) : null}
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("circularReading.ack.button")}
          </button>
        </Form>
      )}
    </section>
  );
}
