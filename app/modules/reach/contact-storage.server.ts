/**
 * How a personal contact is stored: the value sealed to its owner and kind, the blind index for finding
 * duplicates without decrypting, and the mask the pages show. One function, so the module, the seed and the
 * test factories can never store a contact two different ways.
 */
import { type ContactKind } from "~/generated/prisma/client";
import { maskEmail, maskPhone } from "~/modules/channels/contact";
import { personalDataIndex, sealPersonalData } from "~/modules/channels/keys.server";
import { contactSealPurpose } from "./reachability.server";

/** The blind index of a normalised value; e-mail addresses compare without case (almost no server tells them apart). */
export function contactIndex(kind: ContactKind, normalised: string): string {
  return personalDataIndex(kind === "email" ? normalised.toLowerCase() : normalised);
}

/** The stored columns for a normalised value (E.164 number or normalised address) of a person. */
export function storedContact(
  userId: string,
  kind: ContactKind,
  normalised: string,
): { valueEncrypted: string; valueIndex: string; masked: string } {
  return {
    valueEncrypted: sealPersonalData(normalised, { purpose: contactSealPurpose(kind), userId }),
    valueIndex: contactIndex(kind, normalised),
    masked: kind === "phone" ? maskPhone(normalised) : maskEmail(normalised),
  };
}
