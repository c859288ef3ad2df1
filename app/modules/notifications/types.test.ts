import { describe, expect, it } from "vitest";
import { getFixedT } from "~/i18n/i18next.server";
import { type KnownNotificationType, type NotificationDataMap, renderNotificationText } from "./types";

// The circular types (every text names the number and title); stream and place types have their own tests
// beside their modules.
type CircularType = Extract<KnownNotificationType, `circular.${string}`>;
const samples: { [Type in CircularType]: NotificationDataMap[Type] } = {
  "circular.review_due": { number: "2025/017", title: "Thuiswerk", reviewDate: "2026-12-01" },
  "circular.review_overdue": {
    number: "2025/017",
    title: "Thuiswerk",
    reviewDate: "2026-03-29",
    responsibleName: "Pieter De Smet",
  },
  "circular.submitted": { number: "2025/017", title: "Thuiswerk", actorName: "Pieter De Smet" },
  "circular.returned": { number: "2025/017", title: "Thuiswerk", actorName: "Sofie Vermeulen" },
  "circular.question": { number: "2025/017", title: "Thuiswerk", actorName: "Jonas Claeys" },
  "circular.answered": { number: "2025/017", title: "Thuiswerk", actorName: "Pieter De Smet" },
};

describe("renderNotificationText", () => {
  it("renders every known type in Dutch and English with its data", async () => {
    const nl = await getFixedT("nl");
    const en = await getFixedT("en");
    for (const [type, data] of Object.entries(samples)) {
      const dutch = renderNotificationText({ type, data }, nl, "nl");
      const english = renderNotificationText({ type, data }, en, "en");
      for (const text of [dutch, english]) {
        expect(text).toContain("2025/017");
        expect(text).toContain("Thuiswerk");
        expect(text).not.toMatch(/\{\{|notifications\./);
      }
      expect(dutch).not.toEqual(english);
    }
    expect(
      renderNotificationText({ type: "circular.review_due", data: samples["circular.review_due"] }, nl, "nl"),
    ).toBe(
      "Circulaire 2025/017 ‘Thuiswerk’ moet uiterlijk op 1 december 2026 herzien worden. Jij bent de verantwoordelijke.",
    );
    expect(
      renderNotificationText(
        { type: "circular.review_overdue", data: samples["circular.review_overdue"] },
        en,
        "en",
      ),
    ).toBe(
      "The review of circular 2025/017 ‘Thuiswerk’ is overdue: its review date was 29 March 2026 (responsible: Pieter De Smet).",
    );
  });

  it("adds the reason a change was returned, when there is one", async () => {
    const nl = await getFixedT("nl");
    const text = renderNotificationText(
      {
        type: "circular.returned",
        data: { ...samples["circular.returned"], reason: "De samenvatting is te lang." },
      },
      nl,
      "nl",
    );
    expect(text).toBe(
      "Sofie Vermeulen heeft circulaire 2025/017 ‘Thuiswerk’ teruggestuurd naar ontwerp: De samenvatting is te lang.",
    );
  });

  it("names 'someone' when the actor's name is unknown", async () => {
    const nl = await getFixedT("nl");
    const data = { ...samples["circular.answered"], actorName: "" };
    expect(renderNotificationText({ type: "circular.answered", data }, nl, "nl")).toBe(
      "Iemand heeft je vraag over circulaire 2025/017 ‘Thuiswerk’ beantwoord.",
    );
  });

  it("shows a generic text for types of later modules and for malformed data, never raw data", async () => {
    const nl = await getFixedT("nl");
    expect(renderNotificationText({ type: "stream.mentioned", data: { who: "x" } }, nl, "nl")).toBe(
      "Je hebt een nieuwe melding.",
    );
    expect(renderNotificationText({ type: "circular.submitted", data: { number: 17 } }, nl, "nl")).toBe(
      "Je hebt een nieuwe melding.",
    );
    expect(renderNotificationText({ type: "toString", data: null }, nl, "nl")).toBe(
      "Je hebt een nieuwe melding.",
    );
  });
});
