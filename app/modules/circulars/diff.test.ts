import { describe, expect, it } from "vitest";
import { diffCircularContent, diffText, type CircularContent } from "./diff";

const body = (...blocks: ({ h2: string } | string)[]) => ({
  root: {
    type: "root",
    children: blocks.map((block) =>
      typeof block === "string"
        ? { type: "paragraph", children: [{ type: "text", text: block }] }
        : { type: "heading", tag: "h2", children: [{ type: "text", text: block.h2 }] },
    ),
  },
});

const base: CircularContent = {
  title: "Thuiswerk",
  summary: "Wie mag thuiswerken.",
  body: body(
    { h2: "Aanvragen" },
    "Je vraagt thuiswerk aan bij je leidinggevende.",
    "De vergoeding is 20 euro.",
  ),
  validFrom: new Date("2026-01-01T00:00:00Z"),
  validUntil: null,
};

describe("diffText", () => {
  it("keeps amounts, numbers and hyphenated words whole", () => {
    const segments = diffText(
      "Je krijgt 0,27 euro per km, zie 2025/017 en je e-mail.",
      "Je krijgt 0,36 euro per km, zie 2026/003 en je e-mail.",
    );
    expect(segments.filter((s) => s.kind === "removed").map((s) => s.text)).toEqual(["0,27", "2025/017"]);
    expect(segments.filter((s) => s.kind === "added").map((s) => s.text)).toEqual(["0,36", "2026/003"]);
  });

  it("marks changed words and keeps the text readable", () => {
    const segments = diffText("De vergoeding is 20 euro.", "De vergoeding is 30 euro per maand.");
    expect(segments.filter((s) => s.kind === "removed").map((s) => s.text.trim())).toEqual(["20"]);
    expect(
      segments
        .filter((s) => s.kind === "added")
        .map((s) => s.text.trim())
        .join(" "),
    ).toContain("30");
    expect(
      segments
        .filter((s) => s.kind !== "added")
        .map((s) => s.text)
        .join(""),
    ).toBe("De vergoeding is 20 euro.");
    expect(
      segments
        .filter((s) => s.kind !== "removed")
        .map((s) => s.text)
        .join(""),
    ).toBe("De vergoeding is 30 euro per maand.");
  });
});

describe("diffCircularContent", () => {
  it("reports no change for identical versions", () => {
    const result = diffCircularContent(base, { ...base, validFrom: "2026-01-01" });
    expect(result.changed).toBe(false);
    expect(result.blocks.every((block) => block.kind === "same")).toBe(true);
    expect(result.stats).toEqual({ wordsAdded: 0, wordsRemoved: 0, blocksChanged: 0 });
  });

  it("shows an edited paragraph word by word, a new block as added and a gone one as removed", () => {
    const newer: CircularContent = {
      ...base,
      body: body(
        { h2: "Aanvragen" },
        "De vergoeding is 30 euro.",
        "Thuiswerk op vrijdag vraagt een extra akkoord van de directeur.",
      ),
    };
    const result = diffCircularContent(base, newer);
    expect(result.changed).toBe(true);
    expect(result.blocks.map((block) => [block.kind, block.blockType])).toEqual([
      ["same", "heading"],
      ["removed", "paragraph"],
      ["changed", "paragraph"],
      ["added", "paragraph"],
    ]);
    const changed = result.blocks[2]!;
    expect(changed.segments).toContainEqual({ kind: "removed", text: "20" });
    expect(changed.segments).toContainEqual({ kind: "added", text: "30" });
    expect(result.stats.blocksChanged).toBe(3);
  });

  it("shows a rewritten paragraph as removed and added rather than a mangled edit", () => {
    const newer = {
      ...base,
      body: body({ h2: "Aanvragen" }, "Volledig nieuwe regels gelden vanaf nu.", "De vergoeding is 20 euro."),
    };
    const kinds = diffCircularContent(base, newer).blocks.map((block) => block.kind);
    expect(kinds).toEqual(["same", "removed", "added", "same"]);
  });

  it("lists title, summary and validity date changes", () => {
    const newer = {
      ...base,
      title: "Thuiswerk en telewerk",
      summary: "Wie mag thuiswerken en hoe.",
      validFrom: "2026-03-01",
      validUntil: new Date("2027-12-31T00:00:00Z"),
    };
    const result = diffCircularContent(base, newer);
    expect(result.textFields.map((field) => field.field)).toEqual(["title", "summary"]);
    expect(result.textFields[0]!.segments).toContainEqual({ kind: "added", text: " en telewerk" });
    expect(result.dateFields).toEqual([
      { field: "validFrom", before: "2026-01-01", after: "2026-03-01" },
      { field: "validUntil", before: null, after: "2027-12-31" },
    ]);
  });

  it("compares lists and tables on their text", () => {
    const list = (items: string[]) => ({
      root: {
        type: "root",
        children: [
          {
            type: "list",
            listType: "bullet",
            tag: "ul",
            children: items.map((text, i) => ({
              type: "listitem",
              value: i + 1,
              children: [{ type: "text", text }],
            })),
          },
        ],
      },
    });
    const result = diffCircularContent(
      { ...base, body: list(["laptop", "badge"]) },
      { ...base, body: list(["laptop", "badge", "gsm"]) },
    );
    expect(result.blocks).toHaveLength(1);
    expect(result.blocks[0]!.kind).toBe("changed");
    expect(result.blocks[0]!.segments.filter((s) => s.kind === "added").map((s) => s.text.trim())).toEqual([
      "- gsm",
    ]);
  });

  it("refuses a malformed body instead of diffing it wrongly", () => {
    expect(() => diffCircularContent(base, { ...base, body: { root: { type: "script" } } })).toThrow(
      /malformed/,
    );
  });
});
