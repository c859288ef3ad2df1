import { describe, expect, it } from "vitest";
import { checkKus, countSyllables, splitSentences } from "./kus-checks";
import { KUS_JARGON } from "./kus-jargon";

const body = (text: string) =>
  checkKus({ title: "Thuiswerk", summary: "Zo vraag je thuiswerk aan bij je dienst.", text });

describe("countSyllables", () => {
  it.each([
    ["medewerker", 4], // me-de-wer-ker
    ["circulaire", 4], // cir-cu-lai-re
    ["geïnteresseerd", 5], // ge-ïn-te-res-seerd
    ["reünie", 3], // re-ü-nie
    ["thuiswerk", 2], // thuis-werk
    ["vergoeding", 3], // ver-goe-ding
    ["eeuw", 1],
    ["nieuw", 1],
    ["ui", 1],
    ["België", 3], // Bel-gi-ë
    ["coördinator", 5], // co-ör-di-na-tor
    ["ideeën", 3], // i-dee-ën
    ["draaien", 2], // draai-en
    ["aanvraag", 2],
    ["leidinggevende", 5], // lei-ding-ge-ven-de
    ["januari", 4], // ja-nu-a-ri
    ["bureau", 2], // bu-reau
    ["Gent", 1],
    ["2026", 1], // no vowels: at least one syllable
  ])("%s has %i syllables", (word, expected) => {
    expect(countSyllables(word)).toBe(expected);
  });
});

describe("splitSentences", () => {
  it("does not split on Dutch abbreviations, decimals or circular numbers", () => {
    const text =
      "Je krijgt o.a. een laptop, bv. voor thuiswerk. De vergoeding is 1.5 euro per dag, d.w.z. per gewerkte dag. " +
      "Zie circulaire nr. 2026/017 en art. 3 van het reglement! Klopt dat?";
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      "Je krijgt o.a. een laptop, bv. voor thuiswerk.",
      "De vergoeding is 1.5 euro per dag, d.w.z. per gewerkte dag.",
      "Zie circulaire nr. 2026/017 en art. 3 van het reglement!",
      "Klopt dat?",
    ]);
  });

  it("splits list items on line breaks and keeps offsets into the text", () => {
    const text =
      "Neem mee:\n- je badge\n- je laptop\n\nEen terminal abbreviation ends here enz. Daarna volgt meer.";
    const sentences = splitSentences(text);
    expect(sentences.map((s) => s.text)).toEqual([
      "Neem mee:",
      "- je badge",
      "- je laptop",
      "Een terminal abbreviation ends here enz.",
      "Daarna volgt meer.",
    ]);
    for (const s of sentences) expect(text.slice(s.index, s.index + s.text.length)).toBe(s.text);
  });

  it("does not treat a numbered list marker as a sentence", () => {
    expect(splitSentences("1. Vul het formulier in.\n2. Stuur het op.").map((s) => s.text)).toEqual([
      "1. Vul het formulier in.",
      "2. Stuur het op.",
    ]);
  });
});

describe("readability", () => {
  it("scores a simple text higher than a long bureaucratic one", () => {
    const simple = body("Je mag thuis werken. Vraag het aan je baas. Hij zegt ja of nee.");
    const bureaucratic = body(
      "Teneinde de continuïteit van de dienstverlening te waarborgen, dienen de personeelsleden die in het kader " +
        "van de organisatorische herstructurering een aanvraag tot plaatsonafhankelijk werken indienen, voorafgaandelijk " +
        "de goedkeuring van hun hiërarchische leidinggevende te verkrijgen, conform de geldende reglementering.",
    );
    expect(simple.readability.score).not.toBeNull();
    expect(bureaucratic.readability.score).not.toBeNull();
    expect(simple.readability.score ?? 0).toBeGreaterThan(bureaucratic.readability.score ?? 0);
    expect(simple.readability.label).toBe("veryEasy");
    expect(bureaucratic.readability.label).toBe("veryDifficult");
    expect(simple.readability).toMatchObject({ words: 14, sentences: 3, averageSentenceLength: 4.7 });
    expect(bureaucratic.issues.some((i) => i.kind === "readability" && i.severity === "warning")).toBe(true);
  });

  it("computes the Flesch-Douma formula", () => {
    // 4 words, 1 sentence, syllables: de(1) kat(1) slaapt(1) thuis(1) = 4
    expect(body("De kat slaapt thuis.").readability.score).toBe(
      Math.round((206.835 - 0.93 * 4 - 77) * 10) / 10,
    );
  });

  it("returns a null score and no crash for an empty body", () => {
    const report = checkKus({ title: "", summary: "", text: "  \n\n " });
    expect(report.readability).toEqual({
      score: null,
      label: null,
      words: 0,
      sentences: 0,
      syllables: 0,
      averageSentenceLength: 0,
    });
    expect(report.longSentences).toEqual([]);
    expect(report.passiveSentences).toEqual([]);
    expect(report.issues.map((i) => i.kind)).toEqual(["summaryMissing"]);
  });
});

describe("long sentences", () => {
  const long = Array.from({ length: 30 }, (_, i) => `woord${i}`).join(" ") + ".";

  it("flags sentences over 25 words with a trimmed preview", () => {
    const report = body(`Kort.\n\n   ${long}`);
    expect(report.longSentences).toHaveLength(1);
    expect(report.longSentences[0]?.words).toBe(30);
    expect(report.longSentences[0]?.text).toBe(long.slice(0, 120));
    expect(report.issues.find((i) => i.kind === "longSentence")).toMatchObject({
      severity: "warning",
      words: 30,
    });
  });

  it("respects options.maxSentenceWords", () => {
    const text = "Dit is een zin met acht woorden erin.";
    expect(checkKus({ title: "", summary: "x", text }, { maxSentenceWords: 7 }).longSentences).toHaveLength(
      1,
    );
    expect(checkKus({ title: "", summary: "x", text }, { maxSentenceWords: 8 }).longSentences).toHaveLength(
      0,
    );
  });
});

describe("passive sentences", () => {
  it.each([
    ["De aanvraag wordt door de leidinggevende goedgekeurd.", ["wordt", "goedgekeurd"]],
    ["De vergoeding werd vorige maand betaald.", ["werd", "betaald"]],
    ["De formulieren zijn door de dienst gecontroleerd.", ["zijn", "gecontroleerd"]],
    ["Het dossier dat door HR goedgekeurd wordt, gaat naar de directie.", ["goedgekeurd", "wordt"]],
    ["Er worden geen kosten gegeven.", ["worden", "gegeven"]],
  ])("flags %s", (sentence, matches) => {
    const report = body(sentence);
    expect(report.passiveSentences).toEqual([{ index: 0, text: sentence, matches }]);
  });

  it.each([
    "De leidinggevende keurt de aanvraag goed.",
    "Het aantal aanvragen is sterk gestegen.",
    "De regeling is op 1 januari ingegaan.",
    "Zijn collega heeft het formulier gevraagd.",
    "Het is belangrijk dat de medewerker gemotiveerd blijft.",
    "Hij wordt directeur van de dienst.",
    "Wat de vergoeding betreft, wordt alles duidelijk.",
    "De gevolgen zijn groot.",
  ])("does not flag the active sentence %s", (sentence) => {
    expect(body(sentence).passiveSentences).toEqual([]);
  });
});

describe("jargon", () => {
  it("has at least 40 unique, lower-case entries with alternatives", () => {
    expect(KUS_JARGON.length).toBeGreaterThanOrEqual(40);
    expect(new Set(KUS_JARGON.map((j) => j.term)).size).toBe(KUS_JARGON.length);
    for (const j of KUS_JARGON) {
      expect(j.term).toBe(j.term.toLowerCase().trim());
      expect(j.alternative.length).toBeGreaterThan(0);
    }
  });

  it("flags whole words case-insensitively with alternative, positions and counts", () => {
    const text = "Werk conform de regels. Conform het reglement werk je thuis.";
    const hit = body(text).jargon.find((j) => j.term === "conform");
    expect(hit).toMatchObject({ alternative: "volgens", count: 2 });
    expect(hit?.occurrences).toEqual([
      { field: "text", index: 5, match: "conform" },
      { field: "text", index: 24, match: "Conform" },
    ]);
  });

  it("does not flag inside longer words", () => {
    expect(body("De conformiteit van de reedsheid is getoetst.").jargon).toEqual([]);
  });

  it("flags multi-word phrases, also across line breaks, before their shorter parts", () => {
    const report = body(
      "Dit budget is ten behoeve van de dienst.\nIn het\nkader van de reorganisatie dient te worden gemeld.",
    );
    expect(report.jargon.map((j) => [j.term, j.alternative, j.count])).toEqual([
      ["ten behoeve van", "voor", 1],
      ["in het kader van", "bij, voor", 1],
      ["dient te", "moet", 1],
    ]);
    expect(report.issues.filter((i) => i.kind === "jargon")).toHaveLength(3);
  });

  it("also checks the title and summary", () => {
    const report = checkKus({
      title: "Regeling inzake thuiswerk",
      summary: "Reeds van toepassing.",
      text: "",
    });
    expect(report.jargon.map((j) => [j.term, j.occurrences[0]?.field])).toEqual([
      ["inzake", "title"],
      ["reeds", "summary"],
    ]);
  });
});

describe("summary and title", () => {
  it("reports a missing summary as the most important issue", () => {
    const report = checkKus({ title: "Titel", summary: "   ", text: "Indien nodig bel je ons." });
    expect(report.summary).toEqual({ length: 0, issues: ["missing"] });
    expect(report.issues[0]).toEqual({ kind: "summaryMissing", severity: "warning" });
  });

  it("reports a summary over 300 characters and a title over 120 characters", () => {
    const report = checkKus({ title: "t".repeat(121), summary: "s".repeat(301), text: "Korte tekst." });
    expect(report.summary.issues).toEqual(["tooLong"]);
    expect(report.title.issues).toEqual(["tooLong"]);
    expect(report.issues.map((i) => i.kind)).toEqual(["titleTooLong", "summaryTooLong"]);
  });

  it("accepts a summary of exactly 300 characters", () => {
    expect(checkKus({ title: "t", summary: "s".repeat(300), text: "" }).summary.issues).toEqual([]);
  });

  it("reports a very short summary for a long body as info", () => {
    const text = Array.from({ length: 50 }, () => "Je werkt thuis op maandag en dinsdag.").join(" ");
    const report = checkKus({ title: "Thuiswerk", summary: "Thuiswerk.", text });
    expect(report.summary.issues).toEqual(["tooShortForBody"]);
    expect(report.issues.at(-1)).toMatchObject({ kind: "summaryTooShort", severity: "info" });
  });
});

describe("issues", () => {
  it("orders warnings before info items", () => {
    const long = Array.from({ length: 30 }, () => "woord").join(" ") + ".";
    const report = checkKus({
      title: "Titel",
      summary: "",
      text: `Indien nodig wordt de aanvraag goedgekeurd. ${long}`,
    });
    expect(report.issues.map((i) => `${i.severity}:${i.kind}`)).toEqual([
      "warning:summaryMissing",
      "warning:longSentence",
      "info:passive",
      "info:jargon",
    ]);
  });
});
