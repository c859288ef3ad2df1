import { describe, expect, it } from "vitest";
import {
  GSM7_BASIC,
  GSM7_EXTENSION,
  SmsTextError,
  fitSms,
  gsm7Septets,
  isGsm7,
  isGsm7Char,
  smsSegments,
  transliterate,
} from "./gsm7";

describe("the GSM 03.38 alphabet", () => {
  it("has 127 characters in the default table (0x1B is the escape) and 10 in the extension table", () => {
    expect([...GSM7_BASIC]).toHaveLength(127);
    expect(new Set(GSM7_BASIC).size).toBe(127);
    expect([...GSM7_EXTENSION]).toHaveLength(10);
  });

  it("puts the characters at their code points", () => {
    // Spot checks against the table of TS 23.038 (the escape at 0x1B is left out, so later codes shift by one).
    const code = (char: string) => {
      const at = [...GSM7_BASIC].indexOf(char);
      return at >= 0x1b ? at + 1 : at;
    };
    expect(code("@")).toBe(0x00);
    expect(code("Ç")).toBe(0x09);
    expect(code("Δ")).toBe(0x10);
    expect(code("É")).toBe(0x1f);
    expect(code("¤")).toBe(0x24);
    expect(code("¡")).toBe(0x40);
    expect(code("§")).toBe(0x5f);
    expect(code("¿")).toBe(0x60);
    expect(code("à")).toBe(0x7f);
  });

  it.each([..."@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà\n\r"])(
    "has %j in the default table (one septet)",
    (char) => {
      expect(isGsm7Char(char)).toBe(true);
      expect(gsm7Septets(char)).toBe(1);
    },
  );

  it.each([..."^{}\\[~]|€\f"])("has %j in the extension table (two septets)", (char) => {
    expect(isGsm7Char(char)).toBe(true);
    expect(gsm7Septets(char)).toBe(2);
  });

  it.each([..."ëïêçœáâíîóôúûÀÁÈÊËÌÍÎÏÒÓÔÙÚÛŒ‘’“”„–—…`´\u00a0\t\u001bαβ😀"])("does not have %j", (char) => {
    expect(isGsm7Char(char)).toBe(false);
    expect(gsm7Septets(char)).toBeNull();
  });

  it("tells whole texts apart", () => {
    expect(isGsm7("Café à Gent: 5 € {ok}")).toBe(true);
    expect(isGsm7("Zoë")).toBe(false);
    expect(isGsm7("")).toBe(true);
  });
});

describe("transliterate", () => {
  it.each([
    ["Zoë en Anaïs", "Zoe en Anais"],
    ["Crêpe, façade, Noël", "Crepe, facade, Noel"],
    ["œuvre, Œdipe", "oeuvre, OEdipe"],
    ["‘s morgens ’t Gent ‚a‘", "'s morgens 't Gent 'a'"],
    ["“Let op” „nu”", '"Let op" "nu"'],
    ["« Attention »", '" Attention "'],
    ["9–12 u — morgen", "9-12 u - morgen"],
    ["Wacht even…", "Wacht even..."],
    ["€\u00a05\u202f000\u2009km\tnu", "€ 5 000 km nu"],
    ["Brandalarm 🔥🚒 nu", "Brandalarm  nu"],
    ["👍🏽 ok 👨‍👩‍👧 🇧🇪", " ok  "],
    ["ĳzel en IJzer (Ĳ)", "ijzel en IJzer (IJ)"],
    ["Łukasz Wałęsa", "Lukasz Walesa"],
    ["Şükrü Yılmaz, İsmail Öztürk, Ağaoğlu", "Sükrü Yilmaz, Ismail Öztürk, Agaoglu"],
    ["Ştefan Ţurcan, Dvořák", "Stefan Turcan, Dvorak"],
    ["Ørsted, Åsa, Æbeltoft, Straße", "Ørsted, Åsa, Æbeltoft, Straße"],
    ["Привет", "??????"],
    ["32°C, ½ liter", "32C, 1/2 liter"],
    ["soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"],
  ])("%j → %j", (input, expected) => {
    expect(transliterate(input)).toBe(expected);
    expect(isGsm7(transliterate(input))).toBe(true);
  });

  it("keeps every GSM-7 character exactly, including the extension table", () => {
    expect(transliterate(GSM7_BASIC)).toBe(GSM7_BASIC);
    expect(transliterate(GSM7_EXTENSION)).toBe(GSM7_EXTENSION);
    expect(transliterate("é è ù ì ò Ç Ø ø Å å Ä Ö Ñ Ü ß É à ä ö ñ ü")).toBe(
      "é è ù ì ò Ç Ø ø Å å Ä Ö Ñ Ü ß É à ä ö ñ ü",
    );
  });

  it("composes decomposed accents first, so a decomposed é stays é and a decomposed ë becomes e", () => {
    expect(transliterate("Rene\u0301 Zoe\u0308")).toBe("René Zoe");
  });

  it("drops control characters such as a raw escape, which would corrupt the encoded message", () => {
    expect(transliterate("a\u001bb\u0000c")).toBe("abc");
  });
});

describe("smsSegments", () => {
  it("counts an empty text as no segment", () => {
    expect(smsSegments("")).toEqual({ encoding: "GSM-7", septets: 0, segments: 0, remaining: 160 });
  });

  it("fits 160 septets in one segment and needs two at 161", () => {
    expect(smsSegments("a".repeat(160))).toEqual({
      encoding: "GSM-7",
      septets: 160,
      segments: 1,
      remaining: 0,
    });
    expect(smsSegments("a".repeat(161))).toEqual({
      encoding: "GSM-7",
      septets: 161,
      segments: 2,
      remaining: 145,
    });
  });

  it("fits 306 septets (153 × 2) in two segments and needs three at 307", () => {
    expect(smsSegments("a".repeat(306))).toMatchObject({ segments: 2, remaining: 0 });
    expect(smsSegments("a".repeat(307))).toMatchObject({ segments: 3, remaining: 152 });
    expect(smsSegments("a".repeat(459))).toMatchObject({ segments: 3 });
    expect(smsSegments("a".repeat(460))).toMatchObject({ segments: 4 });
  });

  it("counts extension characters as two septets", () => {
    expect(smsSegments("€".repeat(80))).toMatchObject({ encoding: "GSM-7", septets: 160, segments: 1 });
    expect(smsSegments("a".repeat(159) + "€")).toMatchObject({ septets: 161, segments: 2 });
    expect(smsSegments("[x]{y}")).toMatchObject({ septets: 10 });
  });

  it("never splits an escape and its character across two parts", () => {
    // 152 septets, then € (2): it cannot start at septet 153, so it moves to the second part, which then
    // overflows by one septet.
    const straddling = "a".repeat(152) + "€" + "a".repeat(152);
    expect(smsSegments(straddling)).toMatchObject({ septets: 306, segments: 3, remaining: 152 });
    // The same septets without the straddle fit in two parts.
    expect(smsSegments("a".repeat(151) + "€" + "a".repeat(153))).toMatchObject({ septets: 306, segments: 2 });
    expect(smsSegments("a".repeat(304) + "€")).toMatchObject({ septets: 306, segments: 2, remaining: 0 });
  });

  it("switches to UCS-2 for a single character outside GSM-7, at 70/67 code units", () => {
    expect(smsSegments("Zoë")).toEqual({ encoding: "UCS-2", units: 3, segments: 1, remaining: 67 });
    expect(smsSegments("ë".repeat(70))).toMatchObject({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(smsSegments("ë".repeat(71))).toMatchObject({ units: 71, segments: 2 });
    expect(smsSegments("ë".repeat(134))).toMatchObject({ segments: 2 });
    expect(smsSegments("ë".repeat(135))).toMatchObject({ segments: 3 });
    // Extension characters cost one unit in UCS-2, like any other BMP character.
    expect(smsSegments("€ë")).toMatchObject({ encoding: "UCS-2", units: 2 });
  });

  it("counts an emoji as two UCS-2 units and never splits the surrogate pair", () => {
    expect(smsSegments("😀")).toMatchObject({ encoding: "UCS-2", units: 2, segments: 1 });
    expect(smsSegments("ë".repeat(66) + "😀" + "ë".repeat(66))).toMatchObject({ units: 134, segments: 3 });
    expect(smsSegments("ë".repeat(65) + "😀" + "ë".repeat(67))).toMatchObject({ units: 134, segments: 2 });
  });

  it("shows why transliteration matters for a Dutch text", () => {
    const text =
      "Oefening brandalarm in de loods Eeklo: maak je klaar … Coördinator: Anaïs. Zoë’s ploeg eerst.";
    expect(smsSegments(text).encoding).toBe("UCS-2");
    const gsm = transliterate(text);
    expect(gsm).toBe(
      "Oefening brandalarm in de loods Eeklo: maak je klaar ... Coördinator: Anais. Zoe's ploeg eerst.",
    );
    expect(smsSegments(gsm)).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });
});

describe("fitSms", () => {
  const septets = (text: string) => {
    const counted = smsSegments(text);
    if (counted.encoding !== "GSM-7") throw new Error("expected a GSM-7 text");
    return counted.septets;
  };
  const link = "https://werkplek.stad.gent/d/AbC-123_xyz";

  it("keeps short parts whole, one per line, with the link last", () => {
    const result = fitSms(["Werkplek: 2 nieuw voor jou", "Circulaire 2025/014: Hitteplan"], { link });
    expect(result).toEqual({
      text: `Werkplek: 2 nieuw voor jou\nCirculaire 2025/014: Hitteplan\n${link}`,
      segments: 1,
      dropped: [],
      shortened: null,
    });
  });

  it("transliterates the Dutch sample to GSM-7", () => {
    const result = fitSms(
      ["Oefening brandalarm in de loods Eeklo: maak je klaar … (coördinatie: Anaïs’ ploeg)"],
      {
        link,
      },
    );
    expect(result.text).toBe(
      `Oefening brandalarm in de loods Eeklo: maak je klaar ... (coördinatie: Anais' ploeg)\n${link}`,
    );
    expect(isGsm7(result.text)).toBe(true);
    expect(result.segments).toBe(1);
  });

  it("shortens the first part that does not fit at a word boundary and drops what follows", () => {
    const parts = [
      "Werkplek: 4 nieuw",
      "Nieuwe circulaire over het gebruik van persoonlijke beschermingsmiddelen bij het snoeien van bomen ".repeat(
        4,
      ),
      "Bericht van je ploeg",
    ];
    const result = fitSms(parts, { link, maxSegments: 2 });
    expect(result.segments).toBe(2);
    expect(smsSegments(result.text).segments).toBeLessThanOrEqual(2);
    expect(result.shortened).toBe(1);
    expect(result.dropped).toEqual([2]);
    const lines = result.text.split("\n");
    expect(lines[0]).toBe("Werkplek: 4 nieuw");
    expect(lines[1]).toMatch(/^Nieuwe circulaire .*[a-z]\.\.\.$/);
    // Cut at a whole word: what precedes "..." is a word of the original text.
    const lastWord = lines[1]!.slice(0, -3).split(" ").pop();
    expect(parts[1]!.split(" ")).toContain(lastWord);
    expect(lines[2]).toBe(link);
    // It used the room: one more word would not have fitted.
    expect(septets(result.text)).toBeGreaterThan(306 - 15);
  });

  it("drops a part that would be too short once cut, yet keeps a later part that fits", () => {
    // Room for 12 more septets: not enough for 16 characters and "...", enough for "\nKort".
    const filler = "x".repeat(306 - link.length - 1 - 13);
    const result = fitSms([filler, "Een lange titel die nergens meer past in dit bericht", "Kort"], { link });
    expect(result.dropped).toEqual([1]);
    expect(result.shortened).toBeNull();
    expect(result.text).toBe(`${filler}\nKort\n${link}`);
    expect(result.segments).toBe(2);
  });

  it("drops empty parts and tidies whitespace", () => {
    const result = fitSms(["  Hitte\u00a0 plan \n vandaag ", "", "  \t "], { link });
    expect(result).toMatchObject({ text: `Hitte plan vandaag\n${link}`, dropped: [1, 2] });
  });

  it("never cuts the link, even with extension characters at a segment boundary", () => {
    const tricky = "https://werkplek.stad.gent/d/~token~{x}";
    for (let size = 100; size < 320; size += 1) {
      const result = fitSms(["é".repeat(size), "€ nog iets"], { link: tricky, maxSegments: 2 });
      expect(result.text.endsWith(`\n${tricky}`)).toBe(true);
      expect(smsSegments(result.text).segments).toBeLessThanOrEqual(2);
      expect(result.segments).toBe(smsSegments(result.text).segments);
      expect(isGsm7(result.text)).toBe(true);
    }
  });

  it("respects maxSegments 1", () => {
    const result = fitSms(["a ".repeat(200)], { link, maxSegments: 1 });
    expect(result.segments).toBe(1);
    expect(septets(result.text)).toBeLessThanOrEqual(160);
    expect(result.shortened).toBe(0);
  });

  it("returns only the link when no part fits", () => {
    const longLink = "https://werkplek.stad.gent/d/" + "a".repeat(120);
    const result = fitSms(["Een titel die niet meer past"], { link: longLink, maxSegments: 1 });
    expect(result).toEqual({ text: longLink, segments: 1, dropped: [0], shortened: null });
  });

  it("refuses a link that is not GSM-7, has spaces, is empty or does not fit", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof SmsTextError ? error.code : "other";
      }
      return "none";
    };
    expect(code(() => fitSms(["x"], { link: "https://werkplek.stad.gent/d/zoë" }))).toBe("link_not_gsm7");
    expect(code(() => fitSms(["x"], { link: "https://a b" }))).toBe("link_not_gsm7");
    expect(code(() => fitSms(["x"], { link: "  " }))).toBe("link_not_gsm7");
    expect(code(() => fitSms(["x"], { link: "h".repeat(161), maxSegments: 1 }))).toBe("link_too_long");
    expect(code(() => fitSms(["x"], { link, maxSegments: 0 }))).toBe("invalid_max_segments");
    expect(code(() => fitSms(["x"], { link, maxSegments: 1.5 }))).toBe("invalid_max_segments");
    expect(code(() => fitSms(["x"], { link, maxSegments: 11 }))).toBe("invalid_max_segments");
  });
});
