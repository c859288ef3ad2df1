/**
 * /personeel/<userId>: one field worker's reach for HR. Readers (read:reach) see the masked contacts, the
 * channels that reach the worker, the consent state and history. HR (register:contact:any) also registers a
 * number or e-mail address on the worker's behalf with the consent the worker gave (method, the text version
 * shown, a note), enters the code the worker reads out, asks for a new code, withdraws a consent for the
 * worker, or removes a contact. No code and no clear number ever reaches this page: the code goes to the
 * worker's own phone or mailbox. Plain POST forms with an `intent`; a refusal answers 400 with the problems.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { EMAIL_MAX } from "~/modules/channels/contact";
import { readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import {
  CodeForm,
  ConsentHistory,
  ConsentTextDetails,
  ErrorSummary,
  FieldError,
  fieldAria,
  SubmitButton,
} from "~/modules/reach/components";
import { withdrawConsent } from "~/modules/reach/consent.server";
import {
  CONSENT_PURPOSES,
  CURRENT_CONSENT_VERSION,
  currentConsentTexts,
  HR_CONSENT_METHODS,
  isConsentPurpose,
} from "~/modules/reach/consent-texts";
import {
  pendingVerification,
  registerContactForWorker,
  removeContact,
  sendVerificationCode,
  verifyContact,
} from "~/modules/reach/contacts.server";
import { isReachError } from "~/modules/reach/errors";
import { type FormProblem, reachProblem } from "~/modules/reach/form-errors";
import { formatMoment } from "~/modules/reach/format";
import { CONSENT_NOTE_MAX, PURPOSES_FOR_CONTACT } from "~/modules/reach/shared";
import { workerReach } from "~/modules/reach/overview.server";
import { canReadReach, canRegisterContacts } from "~/modules/reach/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const DONE_PARAM = "melding";
const OFFER_PARAM = "aanbod";
const DONE = ["code-verstuurd", "bevestigd", "verwijderd", "ingetrokken"] as const;
type Done = (typeof DONE)[number];

const FIELD = {
  kind: "personeel-soort",
  value: "personeel-waarde",
  purposes: "personeel-doelen",
  method: "personeel-methode",
  note: "personeel-nota",
  code: "personeel-code",
  contacts: "personeel-contacten",
  withdraw: "personeel-intrekken",
} as const;

const IdSchema = z.string().min(1).max(64);
const Method = z.enum(HR_CONSENT_METHODS);
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("register"),
    kind: z.enum(["phone", "email"]),
    value: z.string().max(EMAIL_MAX + 10),
    method: Method.optional(),
    textVersion: z.string().max(20),
    note: z
      .string()
      .max(CONSENT_NOTE_MAX * 2)
      .default(""),
  }),
  z.object({ intent: z.literal("verify"), code: z.string().max(20) }),
  z.object({ intent: z.literal("resend-code"), contactId: IdSchema }),
  z.object({ intent: z.literal("remove-contact"), contactId: IdSchema }),
  z.object({
    intent: z.literal("withdraw-consent"),
    purpose: z.enum(CONSENT_PURPOSES),
    method: Method,
    note: z
      .string()
      .max(CONSENT_NOTE_MAX * 2)
      .default(""),
  }),
]);

type ActionResult = {
  intent: string;
  problems: FormProblem[];
  typed?: { kind: "phone" | "email"; value: string; note: string };
};

function forbidden(): never {
  throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!canReadReach(user)) forbidden();
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const reach = await workerReach(params.userId ?? "");
  if (!reach) throw new Response("Not Found", { status: 404, statusText: "Not Found" });
  const canRegister = canRegisterContacts(user);
  // Readers without the HR permission do not need to know whether a code is open.
  const pending = canRegister ? await pendingVerification(reach.worker.id) : null;
  const url = new URL(request.url);
  const done = url.searchParams.get(DONE_PARAM);
  const offer = url.searchParams.get(OFFER_PARAM);
  const format = (date: Date) => formatMoment(date, locale);
  return {
    title: `${reach.worker.displayName} · ${t("reach.hr.title")} · Werkplek`,
    canRegister,
    done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
    offerRemove:
      canRegister && (offer === "phone" || offer === "email") && reach.contacts.some((c) => c.kind === offer)
        ? (offer as "phone" | "email")
        : null,
    worker: reach.worker,
    preference: reach.preference,
    reachable: reach.reachable,
    contacts: reach.contacts.map((c) => ({
      id: c.id,
      kind: c.kind,
      masked: c.masked,
      verified: c.verifiedAt !== null,
      at: format(c.verifiedAt ?? c.createdAt),
      registeredBy: c.registeredBy?.displayName ?? null,
    })),
    pending: pending
      ? {
          contactId: pending.contactId,
          attemptsLeft: pending.attemptsLeft,
          expired: pending.expired,
          expiresAt: formatMoment(pending.expiresAt, locale, "time"),
        }
      : null,
    consents: CONSENT_PURPOSES.map((purpose) => ({
      purpose,
      granted: reach.consents[purpose]?.granted ?? false,
      at: reach.consents[purpose] ? format(reach.consents[purpose].at) : null,
      method: reach.consents[purpose]?.method ?? null,
      textVersion: reach.consents[purpose]?.textVersion ?? null,
    })),
    consentVersion: CURRENT_CONSENT_VERSION,
    consentTexts: currentConsentTexts(locale),
    history: reach.history.map((h) => ({
      id: h.id,
      purpose: h.purpose,
      granted: h.granted,
      method: h.method,
      textVersion: h.textVersion,
      note: h.note,
      at: format(h.createdAt),
      recordedBy: h.recordedBy?.displayName ?? null,
    })),
  };
}

function refused(result: ActionResult) {
  return data(result, { status: 400 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  if (!canRegisterContacts(user)) forbidden();
  const reach = await workerReach(params.userId ?? "");
  if (!reach) throw new Response("Not Found", { status: 404, statusText: "Not Found" });
  const workerId = reach.worker.id;
  const back = (what: Done, extra: Record<string, string> = {}) =>
    redirect(`/personeel/${workerId}?${new URLSearchParams({ [DONE_PARAM]: what, ...extra })}`, 303);
  const parsed = ActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return refused({ intent: "invalid", problems: [{ field: FIELD.contacts, key: "reach.errors.invalid" }] });
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "register": {
        const purposes = form.getAll("purposes").filter((p): p is string => typeof p === "string");
        if (!purposes.every(isConsentPurpose)) {
          return refused({
            intent: input.intent,
            problems: [{ field: FIELD.purposes, key: "reach.errors.invalid" }],
          });
        }
        const problems: FormProblem[] = [];
        if (!input.method) problems.push({ field: FIELD.method, key: "reach.hr.register.errors.method" });
        const wanted = purposes.filter((p) => PURPOSES_FOR_CONTACT[input.kind].includes(p));
        if (wanted.length === 0)
          problems.push({ field: FIELD.purposes, key: `reach.hr.register.errors.purposes.${input.kind}` });
        if (problems.length > 0 || !input.method) {
          return refused({
            intent: input.intent,
            problems,
            typed: { kind: input.kind, value: input.value, note: input.note },
          });
        }
        await registerContactForWorker(user, workerId, {
          kind: input.kind,
          value: input.value,
          consent: {
            purposes: wanted,
            method: input.method,
            textVersion: input.textVersion,
            note: input.note,
          },
        });
        return back("code-verstuurd");
      }
      case "verify":
        await verifyContact({ userId: workerId, code: input.code });
        return back("bevestigd");
      case "resend-code":
        await sendVerificationCode({ userId: workerId, contactId: input.contactId });
        return back("code-verstuurd");
      case "remove-contact":
        await removeContact({ userId: workerId, contactId: input.contactId });
        return back("verwijderd");
      case "withdraw-consent": {
        const result = await withdrawConsent({
          userId: workerId,
          purpose: input.purpose,
          method: input.method,
          textVersion: CURRENT_CONSENT_VERSION,
          recordedById: user.id,
          note: input.note,
        });
        return back(
          "ingetrokken",
          result.offerRemoveContact ? { [OFFER_PARAM]: result.offerRemoveContact } : {},
        );
      }
    }
  } catch (error) {
    if (!isReachError(error)) throw error;
    if (input.intent === "register") {
      const field =
        error.code === "consent_required" || error.code === "consent_version"
          ? FIELD.purposes
          : error.code === "note_too_long"
            ? FIELD.note
            : FIELD.value;
      return refused({
        intent: input.intent,
        problems: [reachProblem(field, error)],
        typed: { kind: input.kind, value: input.value, note: input.note },
      });
    }
    const field =
      input.intent === "verify"
        ? FIELD.code
        : input.intent === "withdraw-consent"
          ? FIELD.withdraw
          : FIELD.contacts;
    return refused({ intent: input.intent, problems: [reachProblem(field, error)] });
  }
}

export default function WorkerReach() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useTranslation();
  const problems = actionData?.problems ?? [];
  const { worker } = loaded;
  return (
    <div className="page reach-page">
      <p>
        <Link to="/personeel">{t("reach.hr.back")}</Link>
      </p>
      <h1>{worker.displayName}</h1>
      <p className="lead">
        {[worker.employeeNumber, worker.jobTitle, worker.department].filter(Boolean).join(" · ")}
      </p>
      <div role="status">
        {loaded.done && !actionData ? (
          <p className="notice notice--success">{t(`reach.hr.done.${loaded.done}`)}</p>
        ) : null}
      </div>
      <ErrorSummary problems={problems} />
      <section className="card" aria-labelledby="personeel-bereik-titel">
        <h2 id="personeel-bereik-titel">{t("reach.hr.worker.reach")}</h2>
        <p>
          {loaded.reachable.length === 0 ? (
            <span className="reach-badge">{t("reach.hr.unreachable")}</span>
          ) : (
            loaded.reachable.map((channel) => (
              <span key={channel} className="reach-badge reach-badge--ok">
                {t(`reach.channels.${channel}`)}
              </span>
            ))
          )}
        </p>
        {loaded.preference ? (
          <p className="muted">
            {t("reach.hr.worker.preference", {
              rhythm: t(`reach.rhythms.${loaded.preference.rhythm}`),
              channels:
                loaded.preference.channels.map((c) => t(`reach.channels.${c}`)).join(", ") ||
                t("reach.hr.worker.noChannels"),
            })}
            {loaded.preference.paused ? ` ${t("reach.hr.worker.paused")}` : ""}
          </p>
        ) : (
          <p className="muted">{t("reach.hr.worker.noPreference")}</p>
        )}
      </section>
      <ContactsCard problems={problems} />
      {loaded.canRegister ? <RegisterCard problems={problems} typed={actionData?.typed} /> : null}
      <ConsentCard problems={problems} />
      <ConsentHistory
        history={loaded.history}
        headingId="personeel-geschiedenis-titel"
        title={t("reach.history.titleHr")}
      />
    </div>
  );
}

function ContactsCard({ problems }: { problems: FormProblem[] }) {
  const { contacts, pending, canRegister, offerRemove } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="personeel-contacten-titel" id={FIELD.contacts} tabIndex={-1}>
      <h2 id="personeel-contacten-titel">{t("reach.hr.worker.contacts")}</h2>
      <FieldError field={FIELD.contacts} problems={problems} />
      {offerRemove ? <p className="notice">{t(`reach.hr.offerRemove.${offerRemove}`)}</p> : null}
      {contacts.length === 0 ? <p className="muted">{t("reach.hr.worker.noContacts")}</p> : null}
      <ul className="reach-contact__list">
        {contacts.map((contact) => (
          <li key={contact.id}>
            {t(`reach.contacts.${contact.kind}.short`)}:{" "}
            <span className="reach-contact__value">{contact.masked}</span>{" "}
            <span
              className={
                contact.verified ? "reach-badge reach-badge--ok" : "reach-badge reach-badge--pending"
              }
            >
              {contact.verified ? t("reach.contacts.verified") : t("reach.contacts.waiting")}
            </span>{" "}
            <span className="muted">
              {contact.at}
              {contact.registeredBy
                ? ` · ${t("reach.contacts.registeredBy", { name: contact.registeredBy })}`
                : ""}
            </span>
            {canRegister && !contact.verified ? (
              pending?.contactId === contact.id && !pending.expired && pending.attemptsLeft > 0 ? (
                <CodeForm
                  pending={pending}
                  problems={problems}
                  field={FIELD.code}
                  label={t("reach.hr.worker.codeLabel")}
                  autoComplete="off"
                />
              ) : (
                <p>{t("reach.contacts.codeGone")}</p>
              )
            ) : null}
            {canRegister ? (
              <div className="reach-actions">
                {!contact.verified ? (
                  <Form method="post" className="inline-form">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="resend-code" />
                    <input type="hidden" name="contactId" value={contact.id} />
                    <SubmitButton quiet>{t("reach.contacts.resend")}</SubmitButton>
                  </Form>
                ) : null}
                <Form method="post" className="inline-form">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="remove-contact" />
                  <input type="hidden" name="contactId" value={contact.id} />
                  <SubmitButton quiet>
                    {t("reach.contacts.removeNamed", { masked: contact.masked })}
                  </SubmitButton>
                </Form>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RegisterCard({ problems, typed }: { problems: FormProblem[]; typed: ActionResult["typed"] }) {
  const { consentTexts, consentVersion } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const kinds = ["phone", "email"] as const;
  return (
    <section className="card" aria-labelledby="personeel-registreren-titel">
      <h2 id="personeel-registreren-titel">{t("reach.hr.register.title")}</h2>
      <p>{t("reach.hr.register.intro")}</p>
      <Form method="post" className="stack" key={typed ? "typed" : "empty"}>
        <CsrfInput />
        <input type="hidden" name="intent" value="register" />
        <input type="hidden" name="textVersion" value={consentVersion} />
        <fieldset id={FIELD.kind}>
          <legend>{t("reach.hr.register.kind")}</legend>
          {kinds.map((kind) => (
            <label key={kind} className="choice">
              <input
                type="radio"
                name="kind"
                value={kind}
                defaultChecked={(typed?.kind ?? "phone") === kind}
              />
              {t(`reach.contacts.${kind}.short`)}
            </label>
          ))}
        </fieldset>
        <label htmlFor={FIELD.value}>{t("reach.hr.register.value")}</label>
        <p className="muted" id={`${FIELD.value}-hint`}>
          {t("reach.hr.register.valueHint")}
        </p>
        <FieldError field={FIELD.value} problems={problems} />
        <input
          id={FIELD.value}
          name="value"
          type="text"
          autoComplete="off"
          maxLength={EMAIL_MAX}
          required
          defaultValue={typed?.value ?? ""}
          {...fieldAria(FIELD.value, problems, `${FIELD.value}-hint`)}
        />
        <fieldset id={FIELD.purposes} tabIndex={-1} {...fieldAria(FIELD.purposes, problems)}>
          <legend>{t("reach.hr.register.purposes")}</legend>
          <p className="muted">{t("reach.hr.register.purposesHint", { version: consentVersion })}</p>
          <FieldError field={FIELD.purposes} problems={problems} />
          {(["digest_sms", "sign_in_sms", "digest_email"] as const).map((purpose) => (
            <div key={purpose} className="reach-channel">
              <label className="choice">
                <input type="checkbox" name="purposes" value={purpose} />
                {t(`reach.purposes.${purpose}`)}
              </label>
              <ConsentTextDetails text={consentTexts[purpose]} version={consentVersion} />
            </div>
          ))}
        </fieldset>
        <fieldset id={FIELD.method} tabIndex={-1} {...fieldAria(FIELD.method, problems)}>
          <legend>{t("reach.hr.register.method")}</legend>
          <FieldError field={FIELD.method} problems={problems} />
          {HR_CONSENT_METHODS.map((method) => (
            <label key={method} className="choice">
              <input type="radio" name="method" value={method} />
              {t(`reach.methods.${method}`)}
            </label>
          ))}
        </fieldset>
        <label htmlFor={FIELD.note}>{t("reach.hr.register.note")}</label>
        <FieldError field={FIELD.note} problems={problems} />
        <textarea
          id={FIELD.note}
          name="note"
          rows={2}
          maxLength={CONSENT_NOTE_MAX}
          defaultValue={typed?.note ?? ""}
          {...fieldAria(FIELD.note, problems)}
        />
        <SubmitButton>{t("reach.hr.register.submit")}</SubmitButton>
      </Form>
    </section>
  );
}

function ConsentCard({ problems }: { problems: FormProblem[] }) {
  const { consents, canRegister } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="personeel-toestemming-titel" id={FIELD.withdraw} tabIndex={-1}>
      <h2 id="personeel-toestemming-titel">{t("reach.consent.title")}</h2>
      <FieldError field={FIELD.withdraw} problems={problems} />
      <ul className="reach-consents">
        {consents.map((consent) => (
          <li key={consent.purpose}>
            <h3>{t(`reach.purposes.${consent.purpose}`)}</h3>
            <p>
              <span className={consent.granted ? "reach-badge reach-badge--ok" : "reach-badge"}>
                {consent.granted ? t("reach.consent.granted") : t("reach.consent.notGranted")}
              </span>{" "}
              {consent.at ? (
                <span className="muted">
                  {t(consent.granted ? "reach.consent.grantedAt" : "reach.consent.withdrawnAt", {
                    date: consent.at,
                    version: consent.textVersion ?? "",
                  })}
                  {consent.method
                    ? ` · ${t(`reach.methods.${consent.method}`, { defaultValue: consent.method })}`
                    : ""}
                </span>
              ) : null}
            </p>
            {canRegister && consent.granted ? (
              <Form method="post" className="stack reach-withdraw">
                <CsrfInput />
                <input type="hidden" name="intent" value="withdraw-consent" />
                <input type="hidden" name="purpose" value={consent.purpose} />
                <fieldset>
                  <legend>{t("reach.hr.withdraw.method")}</legend>
                  {HR_CONSENT_METHODS.map((method, index) => (
                    <label key={method} className="choice">
                      <input type="radio" name="method" value={method} defaultChecked={index === 0} />
                      {t(`reach.methods.${method}`)}
                    </label>
                  ))}
                </fieldset>
                <label htmlFor={`${FIELD.withdraw}-${consent.purpose}-nota`}>
                  {t("reach.hr.register.note")}
                </label>
                <textarea
                  id={`${FIELD.withdraw}-${consent.purpose}-nota`}
                  name="note"
                  rows={2}
                  maxLength={CONSENT_NOTE_MAX}
                />
                <SubmitButton quiet>{t("reach.hr.withdraw.submit")}</SubmitButton>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
