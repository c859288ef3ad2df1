/**
 * The consent texts a field worker reads (or HR reads out, or the worker signs on paper) before a purpose is
 * switched on. They live in code, not in the translation files, because a text is a legal record: every
 * ConsentEvent stores the version it was given under, so a version's words must never change once used.
 * Changing a text means adding a new version and pointing CURRENT_CONSENT_VERSION at it; the old one stays
 * here so the consent history can still show what people agreed to. Shared with the browser.
 */
import { type ConsentPurpose } from "~/generated/prisma/enums";

export const CONSENT_PURPOSES = [
  "digest_push",
  "digest_sms",
  "digest_email",
  "sign_in_sms",
] as const satisfies readonly ConsentPurpose[];

/** How consent was given or withdrawn: in the app, on a signed form, by phone with HR, at a kiosk. */
export const CONSENT_METHODS = ["self", "hr_form", "hr_phone", "kiosk"] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
/** The methods HR may record on a worker's behalf. */
export const HR_CONSENT_METHODS = ["hr_form", "hr_phone"] as const satisfies readonly ConsentMethod[];

export type ConsentText = {
  /** One line: what the person agrees to. */
  title: string;
  /** What is sent, how often, who sees the number or address, how to withdraw. */
  paragraphs: readonly string[];
};

type VersionTexts = Record<ConsentPurpose, { nl: ConsentText; en: ConsentText }>;

const WITHDRAW_NL =
  "Je kunt je toestemming altijd intrekken: op Werkplek onder Profiel › Berichten buiten Werkplek, aan een kiosk, of door het te vragen aan je leidinggevende of de personeelsdienst. Daarna sturen we niets meer via dit kanaal.";
const WITHDRAW_EN =
  "You can withdraw your consent at any time: in Werkplek under Profile › Messages outside Werkplek, at a kiosk, or by asking your manager or HR. From then on nothing more is sent this way.";
const WHO_NL =
  "Je nummer of adres wordt versleuteld bewaard. Collega's zien het niet; de personeelsdienst ziet alleen een afgeschermde versie (zoals +32 4•• •• •• 56). Het wordt enkel gebruikt om berichten van Werkplek te versturen, nooit voor iets anders, en niet doorgegeven aan anderen dan de verzenddienst.";
const WHO_EN =
  "Your number or address is stored encrypted. Colleagues do not see it; HR only sees a masked version (such as +32 4•• •• •• 56). It is used only to send Werkplek messages, never for anything else, and is not passed on to anyone but the sending service.";

const VERSION_2026_11: VersionTexts = {
  digest_push: {
    nl: {
      title: "Ik wil meldingen van Werkplek op mijn eigen telefoon.",
      paragraphs: [
        "Werkplek stuurt een melding naar je eigen telefoon met een samenvatting van wat nieuw is voor jou: omzendbrieven, aankondigingen en berichten van je groepen.",
        "Hoe vaak kies je zelf: elke dag op een uur, één keer per week, of alleen bij dringend nieuws. Tijdens je stille uren sturen we niets, ook geen dringend nieuws: dat volgt zodra ze voorbij zijn.",
        "Er wordt geen telefoonnummer bewaard: alleen een adres dat je browser ons geeft om meldingen af te leveren.",
        WITHDRAW_NL,
      ],
    },
    en: {
      title: "I want Werkplek notifications on my own phone.",
      paragraphs: [
        "Werkplek sends a notification to your own phone with a summary of what is new for you: circulars, announcements and posts from your groups.",
        "You choose how often: every day at a set time, once a week, or only for urgent news. Nothing is sent during your quiet hours, not even urgent news: it follows as soon as they end.",
        "No phone number is stored: only an address your browser gives us to deliver notifications.",
        WITHDRAW_EN,
      ],
    },
  },
  digest_sms: {
    nl: {
      title: "Ik wil een sms van Werkplek op mijn eigen gsm-nummer.",
      paragraphs: [
        "Werkplek stuurt een korte sms naar je eigen gsm-nummer met wat nieuw is voor jou en een link om alles te lezen. De stad betaalt de sms; jij betaalt niets.",
        "Hoe vaak kies je zelf: elke dag op een uur, één keer per week, of alleen bij dringend nieuws. Tijdens je stille uren sturen we niets, ook geen dringend nieuws: dat volgt zodra ze voorbij zijn.",
        WHO_NL,
        WITHDRAW_NL,
      ],
    },
    en: {
      title: "I want a text message from Werkplek on my own mobile number.",
      paragraphs: [
        "Werkplek sends a short text message to your own mobile number with what is new for you and a link to read everything. The city pays for it; you pay nothing.",
        "You choose how often: every day at a set time, once a week, or only for urgent news. Nothing is sent during your quiet hours, not even urgent news: it follows as soon as they end.",
        WHO_EN,
        WITHDRAW_EN,
      ],
    },
  },
  digest_email: {
    nl: {
      title: "Ik wil een e-mail van Werkplek op mijn eigen e-mailadres.",
      paragraphs: [
        "Werkplek stuurt een e-mail naar je eigen adres met wat nieuw is voor jou en links om alles te lezen.",
        "Hoe vaak kies je zelf: elke dag op een uur, één keer per week, of alleen bij dringend nieuws. Tijdens je stille uren sturen we niets, ook geen dringend nieuws: dat volgt zodra ze voorbij zijn.",
        WHO_NL,
        WITHDRAW_NL,
      ],
    },
    en: {
      title: "I want an e-mail from Werkplek at my own e-mail address.",
      paragraphs: [
        "Werkplek sends an e-mail to your own address with what is new for you and links to read everything.",
        "You choose how often: every day at a set time, once a week, or only for urgent news. Nothing is sent during your quiet hours, not even urgent news: it follows as soon as they end.",
        WHO_EN,
        WITHDRAW_EN,
      ],
    },
  },
  sign_in_sms: {
    nl: {
      title: "Ik wil me aanmelden met een code per sms op mijn eigen gsm-nummer.",
      paragraphs: [
        "Als je je aanmeldt op je eigen telefoon met je personeelsnummer, stuurt Werkplek een code van 6 cijfers naar je gsm-nummer. De code is 10 minuten geldig en werkt één keer.",
        "We sturen alleen een code als jij erom vraagt. Geef de code nooit aan iemand anders.",
        WHO_NL,
        WITHDRAW_NL,
      ],
    },
    en: {
      title: "I want to sign in with a code sent by text message to my own mobile number.",
      paragraphs: [
        "When you sign in on your own phone with your employee number, Werkplek sends a 6-digit code to your mobile number. The code is valid for 10 minutes and works once.",
        "A code is only sent when you ask for one. Never give the code to anyone else.",
        WHO_EN,
        WITHDRAW_EN,
      ],
    },
  },
};

/** Every version ever used, by id ("2026-11"): the history shows the words of the version given. */
export const CONSENT_TEXTS: Readonly<Record<string, VersionTexts>> = { "2026-11": VERSION_2026_11 };

/** The version new consent is given under. */
export const CURRENT_CONSENT_VERSION = "2026-11";

/** Whether a version id is one we have texts for. */
export function isKnownConsentVersion(version: string): boolean {
  return Object.hasOwn(CONSENT_TEXTS, version);
}

/** The text of a purpose in a version and language (Dutch for anything but English); null for an unknown version. */
export function consentText(
  purpose: ConsentPurpose,
  locale: string,
  version: string = CURRENT_CONSENT_VERSION,
): ConsentText | null {
  const texts = isKnownConsentVersion(version) ? CONSENT_TEXTS[version] : undefined;
  if (!texts) return null;
  return locale === "en" ? texts[purpose].en : texts[purpose].nl;
}

/** Whether a value is a consent purpose. */
export function isConsentPurpose(value: unknown): value is ConsentPurpose {
  return typeof value === "string" && (CONSENT_PURPOSES as readonly string[]).includes(value);
}

/** The current text of every purpose in a language, for the pages that ask for consent. */
export function currentConsentTexts(locale: string): Record<ConsentPurpose, ConsentText> {
  const texts = CONSENT_TEXTS[CURRENT_CONSENT_VERSION]!;
  const pick = (purpose: ConsentPurpose) => (locale === "en" ? texts[purpose].en : texts[purpose].nl);
  return {
    digest_push: pick("digest_push"),
    digest_sms: pick("digest_sms"),
    digest_email: pick("digest_email"),
    sign_in_sms: pick("sign_in_sms"),
  };
}
