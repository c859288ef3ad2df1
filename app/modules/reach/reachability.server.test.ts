import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { personalDataIndex, sealPersonalData } from "~/modules/channels/keys.server";
import { buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { activeContact, contactSealPurpose, currentConsents, reachableChannels } from "./reachability.server";

setupTestDatabase();

async function contact(userId: string, kind: "phone" | "email", value: string, verified = true) {
  return prisma.personalContact.create({
    data: {
      userId,
      kind,
      valueEncrypted: sealPersonalData(value, { purpose: contactSealPurpose(kind), userId }),
      valueIndex: personalDataIndex(value),
      masked: "masked",
      verifiedAt: verified ? new Date() : null,
    },
  });
}

async function consent(
  userId: string,
  purpose: "digest_sms" | "digest_email" | "digest_push",
  granted: boolean,
  at: Date,
) {
  await prisma.consentEvent.create({
    data: { userId, purpose, granted, method: "self", textVersion: "2026-11", createdAt: at },
  });
}

describe("reachability", () => {
  it("follows the latest consent event per purpose", async () => {
    const user = await buildUser();
    await consent(user.id, "digest_sms", true, new Date("2026-11-01T08:00:00Z"));
    await consent(user.id, "digest_sms", false, new Date("2026-11-10T08:00:00Z"));
    await consent(user.id, "digest_email", false, new Date("2026-11-01T08:00:00Z"));
    await consent(user.id, "digest_email", true, new Date("2026-11-12T08:00:00Z"));
    const consents = await currentConsents([user.id, "nobody"]);
    expect([...consents.get(user.id)!]).toEqual(["digest_email"]);
    expect(consents.get("nobody")!.size).toBe(0);
  });

  it("needs consent and a verified active contact or a push subscription per channel", async () => {
    const both = await buildUser();
    const unverified = await buildUser();
    const noConsent = await buildUser();
    const at = new Date();
    for (const user of [both, unverified, noConsent]) {
      await contact(user.id, "phone", "+32470000001", user !== unverified);
    }
    await contact(both.id, "email", "an@example.be");
    await prisma.pushSubscription.create({
      data: { userId: both.id, endpoint: "https://push.example/1", p256dh: "k", auth: "a" },
    });
    for (const purpose of ["digest_sms", "digest_email", "digest_push"] as const) {
      await consent(both.id, purpose, true, at);
      await consent(unverified.id, purpose, true, at);
    }
    const reach = await reachableChannels([both.id, unverified.id, noConsent.id]);
    expect([...reach.get(both.id)!].sort()).toEqual(["email", "push", "sms"]);
    expect(reach.get(unverified.id)!.size).toBe(0);
    expect(reach.get(noConsent.id)!.size).toBe(0);
  });

  it("decrypts only the verified active contact, bound to its owner", async () => {
    const user = await buildUser();
    const other = await buildUser();
    await contact(user.id, "phone", "+32470000002");
    expect(await activeContact(user.id, "phone")).toMatchObject({ value: "+32470000002", masked: "masked" });
    expect(await activeContact(user.id, "email")).toBeNull();
    // A ciphertext copied onto someone else's row does not open: it is bound to its owner (AAD).
    const row = await prisma.personalContact.findFirstOrThrow({ where: { userId: user.id } });
    await prisma.personalContact.create({
      data: { ...row, id: undefined, userId: other.id, createdAt: undefined, updatedAt: undefined },
    });
    await expect(activeContact(other.id, "phone")).rejects.toThrow();
  });
});
