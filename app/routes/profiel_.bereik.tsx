/**
 * /profiel/bereik ("Berichten buiten Werkplek"): where a field worker chooses how Werkplek reaches them
 * outside the app: their personal phone number and e-mail address (masked, verified by a code), the digest
 * channels with their consent, rhythm, topics, quiet hours and pause, each consent with its text and version,
 * and the history of what they agreed to. Every form is a plain POST with an `intent` (works before
 * JavaScript loads); success redirects back with a status message, a refusal answers 400 with the problems
 * for the error summary and nothing saved. The clear number or address never reaches this page.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { PushSubscribeControl } from "~/components/pwa/push-subscribe";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
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
import { consentHistory, consentState, grantConsent, withdrawConsent } from "~/modules/reach/consent.server";
import {
  CONSENT_PURPOSES,
  CURRENT_CONSENT_VERSION,
  currentConsentTexts,
  isConsentPurpose,
} from "~/modules/reach/consent-texts";
import {
  addContact,
  listContacts,
  pendingVerification,
  removeContact,
  sendVerificationCode,
  verifyContact,
} from "~/modules/reach/contacts.server";
import { isReachError } from "~/modules/reach/errors";
import { type FormProblem, reachProblem } from "~/modules/reach/form-errors";
import {
  DIGEST_CATEGORIES,
  DIGEST_CHANNEL_CHOICES,
  DIGEST_RHYTHMS,
  type DigestPreferencesView,
  quarterHours,
} from "~/modules/reach/preferences";
import { getDigestPreferences, saveDigestPreferences } from "~/modules/reach/preferences.server";
import { prisma } from "~/db.server";
import { formatMoment } from "~/modules/reach/format";
import { EMAIL_MAX, MOBILE_INPUT_MAX } from "~/modules/channels/contact";
import { PURPOSE_FOR_CHANNEL } from "~/modules/reach/shared";
import { getVapidPublicKey, VapidConfigurationError } from "~/modules/channels/vapid.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Werkplek" }];

const PATH = "/profiel/bereik";
/** Query parameter of the status message after a successful form ("melding" = message). */
const DONE_PARAM = "melding";
/** Query parameter naming the kind of contact no consent uses any more ("aanbod" = offer to delete it). */
const OFFER_PARAM = "aanbod";
const DONE = ["code-verstuurd", "bevestigd", "verwijderd", "bewaard", "toestemming", "ingetrokken"] as const;
type Done = (typeof DONE)[number];

/** Element ids of the fields, for the error summary's links. */
const FIELD = {
  phone: "bereik-phone",
  email: "bereik-email",
  code: "bereik-code",
  contacts: "bereik-contacten",
  channels: "bereik-kanalen",
  push: "bereik-kanaal-push",
  sms: "bereik-kanaal-sms",
  email_channel: "bereik-kanaal-email",
  rhythm: "bereik-ritme",
  sendAt: "bereik-uur",
  weekday: "bereik-dag",
  categories: "bereik-onderwerpen",
  quietFrom: "bereik-stil-van",
  quietUntil: "bereik-stil-tot",
  consents: "bereik-toestemmingen",
} as const;

const IdSchema = z.string().min(1).max(64);
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add-contact"),
    kind: z.enum(["phone", "email"]),
    value: z.string().max(EMAIL_MAX + 10),
  }),
  z.object({ intent: z.literal("resend-code"), contactId: IdSchema }),
  z.object({ intent: z.literal("verify"), code: z.string().max(20) }),
  z.object({ intent: z.literal("remove-contact"), contactId: IdSchema }),
  z.object({ intent: z.literal("save-preferences") }),
  z.object({
    intent: z.literal("grant-consent"),
    purpose: z.enum(CONSENT_PURPOSES),
    textVersion: z.string().max(20),
  }),
  z.object({ intent: z.literal("withdraw-consent"), purpose: z.enum(CONSENT_PURPOSES) }),
]);

type ActionResult = {
  intent: string;
  problems: FormProblem[];
  /** What the person typed in a refused contact form (their own input, never a stored value). */
  typed?: { kind: "phone" | "email"; value: string };
  /** The preferences as submitted, so a refused form keeps the choices. */
  preferences?: DigestPreferencesView;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user.locale);
  const t = await getFixedT(locale);
  const url = new URL(request.url);
  const done = url.searchParams.get(DONE_PARAM);
  const offer = url.searchParams.get(OFFER_PARAM);
  const [contacts, pending, preferences, consents, history, subscriptions] = await Promise.all([
    listContacts(user.id),
    pendingVerification(user.id),
    getDigestPreferences(user.id),
    consentState(user.id),
    consentHistory(user.id),
    prisma.pushSubscription.count({ where: { userId: user.id } }),
  ]);
  const format = (date: Date) => formatMoment(date, locale);
  return {
    title: `${t("reach.title")} · Werkplek`,
    vapidPublicKey: await vapidPublicKey(),
    locale,
    done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
    offerRemove:
      (offer === "phone" || offer === "email") && contacts.some((c) => c.kind === offer)
        ? (offer as "phone" | "email")
        : null,
    contacts: contacts.map((c) => ({
      id: c.id,
      kind: c.kind,
      masked: c.masked,
      verified: c.verifiedAt !== null,
      verifiedAt: c.verifiedAt ? format(c.verifiedAt) : null,
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
    preferences,
    consents: CONSENT_PURPOSES.map((purpose) => {
      const state = consents[purpose];
      return {
        purpose,
        granted: state?.granted ?? false,
        at: state ? format(state.at) : null,
        textVersion: state?.textVersion ?? null,
      };
    }),
    consentVersion: CURRENT_CONSENT_VERSION,
    consentTexts: currentConsentTexts(locale),
    history: history.map((h) => ({
      id: h.id,
      purpose: h.purpose,
      granted: h.granted,
      method: h.method,
      textVersion: h.textVersion,
      at: format(h.createdAt),
      recordedBy: h.recordedBy?.displayName ?? null,
    })),
    subscriptions,
  };
}

/** The key browsers subscribe with; null when push is misconfigured (the rest of the page still works). */
async function vapidPublicKey(): Promise<string | null> {
  try {
    return await getVapidPublicKey();
  } catch (error) {
    if (error instanceof VapidConfigurationError) return null;
    throw error;
  }
}

function strings(form: FormData, name: string): string[] {
  return form.getAll(name).filter((value): value is string => typeof value === "string");
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** The preference fields as posted (validation is the schema's job). */
function postedPreferences(form: FormData) {
  return {
    channels: strings(form, "channels"),
    rhythm: text(form, "rhythm"),
    sendAt: text(form, "sendAt"),
    weekday: text(form, "weekday"),
    categories: strings(form, "categories"),
    quietFrom: text(form, "quietFrom") || null,
    quietUntil: text(form, "quietUntil") || null,
    paused: form.get("paused") === "on",
  };
}

const PREFERENCE_FIELD: Record<string, string> = {
  channels: FIELD.channels,
  push: FIELD.push,
  sms: FIELD.sms,
  email: FIELD.email_channel,
  rhythm: FIELD.rhythm,
  sendAt: FIELD.sendAt,
  weekday: FIELD.weekday,
  categories: FIELD.categories,
  quietFrom: FIELD.quietFrom,
  quietUntil: FIELD.quietUntil,
};

function refused(result: ActionResult) {
  return data(result, { status: 400 });
}

function done(what: Done, extra: Record<string, string> = {}) {
  return redirect(`${PATH}?${new URLSearchParams({ [DONE_PARAM]: what, ...extra })}`, 303);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readCsrfCheckedForm(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return refused({
      intent: "invalid",
      problems: [{ field: FIELD.contacts, key: "reach.errors.invalid" }],
    });
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "add-contact":
        await addContact({ userId: user.id, kind: input.kind, value: input.value });
        return done("code-verstuurd");
      case "resend-code":
        await sendVerificationCode({ userId: user.id, contactId: input.contactId });
        return done("code-verstuurd");
      case "verify":
        await verifyContact({ userId: user.id, code: input.code });
        return done("bevestigd");
      case "remove-contact":
        await removeContact({ userId: user.id, contactId: input.contactId });
        return done("verwijderd");
      case "grant-consent":
        await grantConsent({
          userId: user.id,
          purpose: input.purpose,
          method: "self",
          textVersion: input.textVersion,
          recordedById: user.id,
        });
        return done("toestemming");
      case "withdraw-consent": {
        const result = await withdrawConsent({
          userId: user.id,
          purpose: input.purpose,
          method: "self",
          textVersion: CURRENT_CONSENT_VERSION,
          recordedById: user.id,
        });
        return done(
          "ingetrokken",
          result.offerRemoveContact ? { [OFFER_PARAM]: result.offerRemoveContact } : {},
        );
      }
      case "save-preferences": {
        const posted = postedPreferences(form);
        const ticked = strings(form, "consent");
        if (!ticked.every(isConsentPurpose)) {
          return refused({
            intent: input.intent,
            problems: [{ field: FIELD.channels, key: "reach.errors.invalid" }],
          });
        }
        // Consent is granted for a channel ticked together with its consent box, not for a box alone.
        const grant = posted.channels
          .filter((c): c is keyof typeof PURPOSE_FOR_CHANNEL => Object.hasOwn(PURPOSE_FOR_CHANNEL, c))
          .map((c) => PURPOSE_FOR_CHANNEL[c])
          .filter((purpose) => ticked.includes(purpose));
        const result = await saveDigestPreferences(user.id, posted, {
          grant,
          textVersion: text(form, "consentVersion"),
          method: "self",
        });
        if (result.ok) return done("bewaard");
        return refused({
          intent: input.intent,
          problems: Object.entries(result.errors).map(([field, code]) => ({
            field: PREFERENCE_FIELD[field] ?? FIELD.channels,
            key: `reach.preferences.errors.${code}`,
          })),
          preferences: {
            ...posted,
            weekday: Number(posted.weekday) || 1,
            stored: true,
          } as DigestPreferencesView,
        });
      }
    }
  } catch (error) {
    if (!isReachError(error)) throw error;
    const field =
      input.intent === "add-contact"
        ? input.kind === "phone"
          ? FIELD.phone
          : FIELD.email
        : input.intent === "verify"
          ? FIELD.code
          : input.intent === "grant-consent" || input.intent === "withdraw-consent"
            ? FIELD.consents
            : FIELD.contacts;
    return refused({
      intent: input.intent,
      problems: [reachProblem(field, error)],
      ...(input.intent === "add-contact" ? { typed: { kind: input.kind, value: input.value } } : {}),
    });
  }
}

export default function Reach() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useTranslation();
  const problems = actionData?.problems ?? [];
  return (
    <div className="page reach-page">
      <h1>{t("reach.title")}</h1>
      <p className="lead">{t("reach.intro")}</p>
      <div role="status">
        {loaded.done && !actionData ? (
          <p className="notice notice--success">{t(`reach.done.${loaded.done}`)}</p>
        ) : null}
      </div>
      <ErrorSummary problems={problems} />
      <ContactsSection
        problems={actionData?.intent === "save-preferences" ? [] : problems}
        typed={actionData?.typed}
      />
      <PushSection />
      <PreferencesSection
        problems={actionData?.intent === "save-preferences" ? problems : []}
        submitted={actionData?.preferences}
      />
      <ConsentSection problems={problems} />
      <ConsentHistory
        history={loaded.history}
        headingId="bereik-geschiedenis-titel"
        title={t("reach.history.title")}
      />
    </div>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function ContactsSection({ problems, typed }: { problems: FormProblem[]; typed: ActionResult["typed"] }) {
  const { contacts, pending, offerRemove } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="bereik-contacten-titel" id={FIELD.contacts} tabIndex={-1}>
      <h2 id="bereik-contacten-titel">{t("reach.contacts.title")}</h2>
      <p>{t("reach.contacts.intro")}</p>
      <FieldError field={FIELD.contacts} problems={problems} />
      {offerRemove ? <OfferRemove kind={offerRemove} /> : null}
      {(["phone", "email"] as const).map((kind) => (
        <ContactKindBlock
          key={kind}
          kind={kind}
          contacts={contacts.filter((c) => c.kind === kind)}
          pending={pending}
          problems={problems}
          typed={typed?.kind === kind ? typed.value : undefined}
        />
      ))}
    </section>
  );
}

function OfferRemove({ kind }: { kind: "phone" | "email" }) {
  const { contacts } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="notice reach-offer">
      <p>{t(`reach.contacts.offerRemove.${kind}`)}</p>
      {contacts
        .filter((c) => c.kind === kind)
        .map((c) => (
          <Form method="post" key={c.id} className="inline-form">
            <CsrfInput />
            <input type="hidden" name="intent" value="remove-contact" />
            <input type="hidden" name="contactId" value={c.id} />
            <SubmitButton quiet>{t("reach.contacts.removeNamed", { masked: c.masked })}</SubmitButton>
          </Form>
        ))}
    </div>
  );
}

function ContactKindBlock({
  kind,
  contacts,
  pending,
  problems,
  typed,
}: {
  kind: "phone" | "email";
  contacts: Loaded["contacts"];
  pending: Loaded["pending"];
  problems: FormProblem[];
  typed: string | undefined;
}) {
  const { t } = useTranslation();
  const verified = contacts.find((c) => c.verified);
  const waiting = contacts.find((c) => !c.verified);
  const field = kind === "phone" ? FIELD.phone : FIELD.email;
  const hint = `${field}-hint`;
  return (
    <div className="reach-contact">
      <h3>{t(`reach.contacts.${kind}.title`)}</h3>
      {contacts.length === 0 ? <p className="muted">{t(`reach.contacts.${kind}.none`)}</p> : null}
      <ul className="reach-contact__list">
        {verified ? (
          <li>
            <span className="reach-contact__value">{verified.masked}</span>{" "}
            <span className="reach-badge reach-badge--ok">{t("reach.contacts.verified")}</span>
            {verified.verifiedAt ? (
              <span className="muted"> {t("reach.contacts.since", { date: verified.verifiedAt })}</span>
            ) : null}
            <RemoveForm contactId={verified.id} masked={verified.masked} />
          </li>
        ) : null}
        {waiting ? (
          <li>
            <span className="reach-contact__value">{waiting.masked}</span>{" "}
            <span className="reach-badge reach-badge--pending">{t("reach.contacts.waiting")}</span>
            {waiting.registeredBy ? (
              <p className="muted">{t("reach.contacts.registeredBy", { name: waiting.registeredBy })}</p>
            ) : null}
            {verified ? <p className="muted">{t(`reach.contacts.${kind}.replaceNote`)}</p> : null}
            {pending?.contactId === waiting.id && !pending.expired && pending.attemptsLeft > 0 ? (
              <CodeForm
                pending={pending}
                problems={problems}
                field={FIELD.code}
                label={t("reach.contacts.codeLabel")}
                autoComplete="one-time-code"
              />
            ) : (
              <p>{t("reach.contacts.codeGone")}</p>
            )}
            <div className="reach-actions">
              <Form method="post" className="inline-form">
                <CsrfInput />
                <input type="hidden" name="intent" value="resend-code" />
                <input type="hidden" name="contactId" value={waiting.id} />
                <SubmitButton quiet>{t("reach.contacts.resend")}</SubmitButton>
              </Form>
              <RemoveForm contactId={waiting.id} masked={waiting.masked} />
            </div>
          </li>
        ) : null}
      </ul>
      <Form method="post" className="stack reach-add">
        <CsrfInput />
        <input type="hidden" name="intent" value="add-contact" />
        <input type="hidden" name="kind" value={kind} />
        <label htmlFor={field}>
          {t(verified || waiting ? `reach.contacts.${kind}.replaceLabel` : `reach.contacts.${kind}.label`)}
        </label>
        <p className="muted" id={hint}>
          {t(`reach.contacts.${kind}.hint`)}
        </p>
        <FieldError field={field} problems={problems} />
        <input
          id={field}
          name="value"
          type={kind === "phone" ? "tel" : "email"}
          inputMode={kind === "phone" ? "tel" : "email"}
          autoComplete={kind === "phone" ? "tel" : "email"}
          maxLength={kind === "phone" ? MOBILE_INPUT_MAX : EMAIL_MAX}
          required
          defaultValue={typed ?? ""}
          {...fieldAria(field, problems, hint)}
        />
        <SubmitButton>{t("reach.contacts.sendCode")}</SubmitButton>
      </Form>
    </div>
  );
}

function PushSection() {
  const { vapidPublicKey } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="bereik-push-titel">
      <h2 id="bereik-push-titel">{t("reach.push.title")}</h2>
      <p>{t("reach.push.intro")}</p>
      {vapidPublicKey ? (
        <PushSubscribeControl vapidPublicKey={vapidPublicKey} />
      ) : (
        <p className="muted">{t("reach.push.unavailable")}</p>
      )}
    </section>
  );
}

function RemoveForm({ contactId, masked }: { contactId: string; masked: string }) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="inline-form">
      <CsrfInput />
      <input type="hidden" name="intent" value="remove-contact" />
      <input type="hidden" name="contactId" value={contactId} />
      <SubmitButton quiet>{t("reach.contacts.removeNamed", { masked })}</SubmitButton>
    </Form>
  );
}

function PreferencesSection({
  problems,
  submitted,
}: {
  problems: FormProblem[];
  submitted: DigestPreferencesView | undefined;
}) {
  const {
    preferences: stored,
    consents,
    consentTexts,
    consentVersion,
    contacts,
    subscriptions,
  } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const values = submitted ?? stored;
  const granted = new Set(consents.filter((c) => c.granted).map((c) => c.purpose));
  const verifiedKinds = new Set(contacts.filter((c) => c.verified).map((c) => c.kind));
  const weekdays = [1, 2, 3, 4, 5, 6, 7];
  return (
    <section className="card" aria-labelledby="bereik-voorkeuren-titel">
      <h2 id="bereik-voorkeuren-titel">{t("reach.preferences.title")}</h2>
      {/* A refused form remounts with what was posted, so nothing the person chose is lost. */}
      <Form method="post" className="stack" key={submitted ? "posted" : "stored"}>
        <CsrfInput />
        <input type="hidden" name="intent" value="save-preferences" />
        <input type="hidden" name="consentVersion" value={consentVersion} />
        <fieldset id={FIELD.channels} tabIndex={-1}>
          <legend>{t("reach.preferences.channels")}</legend>
          <p className="muted">{t("reach.preferences.channelsHint")}</p>
          <FieldError field={FIELD.channels} problems={problems} />
          {DIGEST_CHANNEL_CHOICES.map((channel) => {
            const purpose = PURPOSE_FOR_CHANNEL[channel];
            const field = channel === "email" ? FIELD.email_channel : FIELD[channel];
            const needsContact =
              channel === "sms"
                ? !verifiedKinds.has("phone")
                : channel === "email"
                  ? !verifiedKinds.has("email")
                  : false;
            return (
              <div key={channel} className="reach-channel">
                <label className="choice" htmlFor={field}>
                  <input
                    id={field}
                    type="checkbox"
                    name="channels"
                    value={channel}
                    defaultChecked={values.channels.includes(channel)}
                    {...fieldAria(field, problems)}
                  />
                  {t(`reach.channels.${channel}`)}
                </label>
                <FieldError field={field} problems={problems} />
                {needsContact ? <p className="muted">{t(`reach.preferences.needs.${channel}`)}</p> : null}
                {channel === "push" ? (
                  <p className="muted">{t("reach.preferences.pushDevices", { count: subscriptions })}</p>
                ) : null}
                {granted.has(purpose) ? (
                  <p className="muted">{t("reach.preferences.consentGiven")}</p>
                ) : (
                  <div className="reach-channel__consent">
                    <ConsentTextDetails text={consentTexts[purpose]} version={consentVersion} />
                    <label className="choice" htmlFor={`${field}-toestemming`}>
                      <input id={`${field}-toestemming`} type="checkbox" name="consent" value={purpose} />
                      {t("reach.preferences.consentBox")}
                    </label>
                  </div>
                )}
              </div>
            );
          })}
        </fieldset>
        <fieldset id={FIELD.rhythm} tabIndex={-1}>
          <legend>{t("reach.preferences.rhythm")}</legend>
          <FieldError field={FIELD.rhythm} problems={problems} />
          {DIGEST_RHYTHMS.map((rhythm) => (
            <label key={rhythm} className="choice">
              <input type="radio" name="rhythm" value={rhythm} defaultChecked={values.rhythm === rhythm} />
              {t(`reach.rhythms.${rhythm}`)}
            </label>
          ))}
        </fieldset>
        <div className="reach-grid">
          <p className="stack">
            <label htmlFor={FIELD.sendAt}>{t("reach.preferences.sendAt")}</label>
            <FieldError field={FIELD.sendAt} problems={problems} />
            <select
              id={FIELD.sendAt}
              name="sendAt"
              defaultValue={values.sendAt}
              {...fieldAria(FIELD.sendAt, problems)}
            >
              {quarterHours().map((time) => (
                <option key={time} value={time}>
                  {time}
                </option>
              ))}
            </select>
          </p>
          <p className="stack">
            <label htmlFor={FIELD.weekday}>{t("reach.preferences.weekday")}</label>
            <FieldError field={FIELD.weekday} problems={problems} />
            <select
              id={FIELD.weekday}
              name="weekday"
              defaultValue={String(values.weekday)}
              {...fieldAria(FIELD.weekday, problems)}
            >
              {weekdays.map((day) => (
                <option key={day} value={day}>
                  {t(`reach.weekdays.${day}`)}
                </option>
              ))}
            </select>
          </p>
        </div>
        <fieldset id={FIELD.categories} tabIndex={-1}>
          <legend>{t("reach.preferences.categories")}</legend>
          <FieldError field={FIELD.categories} problems={problems} />
          {DIGEST_CATEGORIES.map((category) => (
            <label key={category} className="choice">
              <input
                type="checkbox"
                name="categories"
                value={category}
                defaultChecked={values.categories.includes(category)}
              />
              {t(`reach.categories.${category}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("reach.preferences.quiet")}</legend>
          <p className="muted" id="bereik-stil-hint">
            {t("reach.preferences.quietHint")}
          </p>
          <div className="reach-grid">
            <p className="stack">
              <label htmlFor={FIELD.quietFrom}>{t("reach.preferences.quietFrom")}</label>
              <FieldError field={FIELD.quietFrom} problems={problems} />
              <input
                id={FIELD.quietFrom}
                name="quietFrom"
                type="time"
                defaultValue={values.quietFrom ?? ""}
                {...fieldAria(FIELD.quietFrom, problems, "bereik-stil-hint")}
              />
            </p>
            <p className="stack">
              <label htmlFor={FIELD.quietUntil}>{t("reach.preferences.quietUntil")}</label>
              <FieldError field={FIELD.quietUntil} problems={problems} />
              <input
                id={FIELD.quietUntil}
                name="quietUntil"
                type="time"
                defaultValue={values.quietUntil ?? ""}
                {...fieldAria(FIELD.quietUntil, problems, "bereik-stil-hint")}
              />
            </p>
          </div>
        </fieldset>
        <label className="choice">
          <input type="checkbox" name="paused" defaultChecked={values.paused} />
          {t("reach.preferences.paused")}
        </label>
        <SubmitButton>{t("reach.preferences.save")}</SubmitButton>
      </Form>
    </section>
  );
}

function ConsentSection({ problems }: { problems: FormProblem[] }) {
  const { consents, consentTexts, consentVersion } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="bereik-toestemmingen-titel" id={FIELD.consents} tabIndex={-1}>
      <h2 id="bereik-toestemmingen-titel">{t("reach.consent.title")}</h2>
      <p>{t("reach.consent.intro")}</p>
      <FieldError field={FIELD.consents} problems={problems} />
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
                </span>
              ) : null}
            </p>
            <ConsentTextDetails text={consentTexts[consent.purpose]} version={consentVersion} />
            <Form method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="purpose" value={consent.purpose} />
              {consent.granted ? (
                <>
                  <input type="hidden" name="intent" value="withdraw-consent" />
                  <SubmitButton quiet>{t("reach.consent.withdraw")}</SubmitButton>
                </>
              ) : (
                <>
                  <input type="hidden" name="intent" value="grant-consent" />
                  <input type="hidden" name="textVersion" value={consentVersion} />
                  <SubmitButton quiet>{t("reach.consent.grant")}</SubmitButton>
                </>
              )}
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}
