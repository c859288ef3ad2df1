import { describe, expect, it } from "vitest";
import { getFixedT } from "~/i18n/i18next.server";
import { type KnownNotificationType, type NotificationDataMap, renderNotificationText } from "./types";

type StreamPostType = Extract<KnownNotificationType, `post.${string}` | `comment.${string}`>;

const samples: { [Type in StreamPostType]: NotificationDataMap[Type] } = {
  "post.mentioned": { actorName: "Jonas Claeys" },
  "comment.mentioned": { actorName: "Jonas Claeys" },
  "post.commented": { actorName: "Jonas Claeys" },
  "comment.replied": { actorName: "Jonas Claeys" },
  "post.reacted": { actorName: "Jonas Claeys", reaction: "celebrate" },
  "post.hidden": { reason: "Persoonsgegevens" },
  "comment.hidden": { reason: "Persoonsgegevens" },
};

describe("stream notification texts", () => {
  it("renders every stream type in Dutch and English, with and without a place", async () => {
    const nl = await getFixedT("nl");
    const en = await getFixedT("en");
    for (const [type, data] of Object.entries(samples)) {
      for (const withPlace of [false, true]) {
        const payload = withPlace ? { ...data, placeName: "Fietsersbond Gent" } : data;
        const dutch = renderNotificationText({ type, data: payload }, nl, "nl");
        const english = renderNotificationText({ type, data: payload }, en, "en");
        for (const text of [dutch, english]) {
          expect(text).not.toMatch(/\{\{|notifications\./);
          expect(text).toMatch("reason" in data ? /Persoonsgegevens/ : /Jonas Claeys/);
          if (withPlace && !("reason" in data)) expect(text).toContain("Fietsersbond Gent");
        }
        expect(dutch).not.toEqual(english);
      }
    }
  });

  it("names the reaction in the reader's language", async () => {
    const nl = await getFixedT("nl");
    const en = await getFixedT("en");
    const data = { actorName: "An", reaction: "thanks", placeName: "Dienst Wegen" };
    expect(renderNotificationText({ type: "post.reacted", data }, nl, "nl")).toBe(
      "An reageerde op je bericht in Dienst Wegen met ‘Bedankt’.",
    );
    expect(
      renderNotificationText({ type: "post.reacted", data: { actorName: "", reaction: "like" } }, en, "en"),
    ).toBe("Someone reacted to your post with ‘Like’.");
    expect(renderNotificationText({ type: "post.hidden", data: { reason: "Scheldwoorden" } }, nl, "nl")).toBe(
      "Een moderator heeft je bericht verborgen: Scheldwoorden",
    );
  });

  it("falls back to the generic text for malformed data", async () => {
    const nl = await getFixedT("nl");
    expect(
      renderNotificationText({ type: "post.reacted", data: { actorName: "An", reaction: "boos" } }, nl, "nl"),
    ).toBe("Je hebt een nieuwe melding.");
    expect(renderNotificationText({ type: "post.hidden", data: {} }, nl, "nl")).toBe(
      "Je hebt een nieuwe melding.",
    );
  });
});
