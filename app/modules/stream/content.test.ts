import { describe, expect, it } from "vitest";
import { type LexicalDocument } from "~/editor/lexical-schema";
import {
  analyseBody,
  COMMENT_LIMITS,
  extractHashtags,
  extractMentionHandles,
  handlesInDocument,
  internalLinkTarget,
  internalLinkTargets,
  isValidTag,
  normaliseTopicSlug,
  parseBody,
  POST_LIMITS,
  renderBodyHtml,
  scanText,
} from "./content";

const tags = (text: string) => extractHashtags(text).map((topic) => topic.slug);

const doc = (...children: unknown[]) => ({ root: { type: "root", children } });
const paragraph = (...children: unknown[]) => ({ type: "paragraph", children });
const text = (value: string, format = 0) => ({ type: "text", text: value, format });

function parsed(input: Parameters<typeof parseBody>[0]): LexicalDocument {
  const result = parseBody(input);
  if (!result.ok) throw new Error(result.issues.join("; "));
  return result.document;
}

function analysed(input: Parameters<typeof parseBody>[0], handles = new Map<string, string>()) {
  const result = analyseBody(parsed(input), handles);
  if (!result.ok) throw new Error(result.issues.join("; "));
  return result.body;
}

describe("hashtags", () => {
  it("finds Dutch and other letters, digits and underscores, normalised to NFC lower case", () => {
    expect(tags("Op naar de #GentseFeesten en #fietsvergoeding!")).toEqual([
      "gentsefeesten",
      "fietsvergoeding",
    ]);
    expect(tags("#één #café #Ærø #zoë_2026 #_intern")).toEqual(["één", "café", "ærø", "zoë_2026", "_intern"]);
    // "é" as e + combining accent (NFD) is the same topic as the precomposed one.
    expect(tags("#cafe\u0301 en #café")).toEqual(["café"]);
    expect(normaliseTopicSlug("#Cafe\u0301")).toBe("café");
    expect(extractHashtags("#GentseFeesten")[0]).toEqual({ slug: "gentsefeesten", name: "GentseFeesten" });
  });

  it("handles punctuation around tags", () => {
    expect(tags("(#welzijn), “#stadgent”, #fiets. #kaai; #dok! #haven? '#gras' «#plein» [#x1]")).toEqual([
      "welzijn",
      "stadgent",
      "fiets",
      "kaai",
      "dok",
      "haven",
      "gras",
      "plein",
      "x1",
    ]);
    expect(tags("#einde")).toEqual(["einde"]);
    expect(tags("regel\n#nieuwe_regel")).toEqual(["nieuwe_regel"]);
  });

  it("refuses what is not a tag", () => {
    expect(tags("#2026 #1april #_ #__ # leeg ##dubbel")).toEqual([]);
    // Glued to a word, or chained, is not a tag.
    expect(tags("pagina#deel C#programmeur #a#b x&#39;")).toEqual([]);
    // Longer than 50 characters: no tag, not a truncated one.
    expect(tags(`#${"a".repeat(51)}`)).toEqual([]);
    expect(tags(`#${"é".repeat(50)}`)).toEqual(["é".repeat(50)]);
  });

  it("never finds tags in URLs, with or without a scheme", () => {
    expect(
      tags("Zie https://stad.gent/nl/nieuws#feesten en www.gent.be/#top of https://x.be/a?b=#c"),
    ).toEqual([]);
    expect(tags("https://stad.gent/#top #echt")).toEqual(["echt"]);
    expect(tags("/circulaires/2025/017#deel")).toEqual([]);
  });

  it("counts a tag once, keeping the first spelling", () => {
    expect(extractHashtags("#Fiets #fiets #FIETS #fietsen")).toEqual([
      { slug: "fiets", name: "Fiets" },
      { slug: "fietsen", name: "fietsen" },
    ]);
  });

  it("validates single tags", () => {
    expect(isValidTag("gentsefeesten")).toBe(true);
    expect(isValidTag("één")).toBe(true);
    expect(isValidTag("9uur")).toBe(false);
    expect(isValidTag("met spatie")).toBe(false);
    expect(isValidTag("_")).toBe(false);
    expect(isValidTag("a".repeat(51))).toBe(false);
  });
});

describe("@handles", () => {
  it("finds handles at the start of words, without trailing punctuation", () => {
    expect(extractMentionHandles("Dag @Jonas.Claeys, kijk je even? (@an-peeters) @zoë.")).toEqual([
      "jonas.claeys",
      "an-peeters",
      "zoë",
    ]);
  });

  it("does not take e-mail addresses or glued @ for mentions", () => {
    expect(extractMentionHandles("Mail jonas.claeys@stad.gent of info@gent.be")).toEqual([]);
    expect(extractMentionHandles("@jonas@stad.gent")).toEqual([]);
    expect(extractMentionHandles("Zie https://x.be/@jonas en mailto:@x")).toEqual([]);
    expect(extractMentionHandles("@ alleen @ en @.")).toEqual([]);
  });

  it("counts a handle once, case-insensitively", () => {
    expect(extractMentionHandles("@Jonas en @jonas en @JONAS")).toEqual(["jonas"]);
  });
});

describe("URLs typed as text", () => {
  it("are found without trailing punctuation, and www. gets https", () => {
    const urls = scanText(
      "Lees https://stad.gent/nl. Of (www.gent.be/x) en https://nl.wikipedia.org/wiki/Gent_(stad)!",
    )
      .filter((token) => token.kind === "url")
      .map((token) => (token.kind === "url" ? token.url : ""));
    expect(urls).toEqual([
      "https://stad.gent/nl",
      "https://www.gent.be/x",
      "https://nl.wikipedia.org/wiki/Gent_(stad)",
    ]);
  });

  it("become autolinks in the stored document; bad ones stay text", () => {
    const body = analysed({ plainText: "Zie https://stad.gent/nl en http://\\evil" });
    expect(body.document.root.children[0]).toMatchObject({
      children: [
        { type: "text", text: "Zie " },
        {
          type: "autolink",
          url: "https://stad.gent/nl",
          children: [{ type: "text", text: "https://stad.gent/nl" }],
        },
        { type: "text", text: " en http://\\evil" },
      ],
    });
  });
});

describe("parseBody: light formatting", () => {
  it("accepts paragraphs, bold, italic, links, bullet and numbered lists, mentions and hashtags", () => {
    const input = doc(
      paragraph(text("Vet", 1), text(" schuin", 2), text(" beide", 3), {
        type: "link",
        url: "https://stad.gent",
        children: [text("link")],
      }),
      {
        type: "list",
        listType: "bullet",
        children: [{ type: "listitem", children: [text("een")] }],
      },
      {
        type: "list",
        listType: "number",
        children: [{ type: "listitem", children: [{ type: "mention", userId: "u1", text: "An" }] }],
      },
      paragraph({ type: "hashtag", text: "#welzijn" }),
    );
    expect(parseBody({ body: input }).ok).toBe(true);
    expect(parseBody({ body: JSON.stringify(input) }).ok).toBe(true);
  });

  it("refuses headings, quotes, tables, images, check lists and other text formats, naming the place", () => {
    const cases: [unknown, string][] = [
      [doc({ type: "heading", tag: "h2", children: [text("Titel")] }), '$.root.children[0]: "heading"'],
      [doc({ type: "quote", children: [text("Citaat")] }), '"quote" is not allowed'],
      [doc({ type: "image", src: "/bestanden/x", altText: "x" }), '"image" is not allowed'],
      [doc({ type: "table", children: [{ type: "tablerow", children: [] }] }), '"table" is not allowed'],
      [
        doc({ type: "list", listType: "check", children: [{ type: "listitem", children: [text("x")] }] }),
        "check lists are not allowed",
      ],
      [doc(paragraph(text("onderlijnd", 8))), "$.root.children[0].children[0]: only bold and italic"],
      [doc(paragraph(text("code", 16))), "only bold and italic"],
      [
        doc(paragraph({ type: "link", url: "https://x.be", children: [text("s", 4)] })),
        "only bold and italic",
      ],
      [doc(paragraph({ type: "link", url: "javascript:alert(1)", children: [text("x")] })), "only http:"],
      [doc({ type: "script", children: [] }), 'node type "script" is not allowed'],
      ["{not json", "not valid JSON"],
      [{ root: { type: "root" } }, "$.root.children"],
    ];
    for (const [body, message] of cases) {
      const result = parseBody({ body });
      expect(result.ok, JSON.stringify(body)).toBe(false);
      if (!result.ok) expect(result.issues.join("\n")).toContain(message);
    }
  });

  it("needs exactly one of body and plain text, of the right type", () => {
    for (const input of [
      {},
      { body: doc(paragraph(text("x"))), plainText: "x" },
      { plainText: 42 },
      { body: "" },
    ]) {
      expect(parseBody(input as Parameters<typeof parseBody>[0]).ok).toBe(false);
    }
  });

  it("bounds the JSON size", () => {
    const big = doc(...Array.from({ length: 3000 }, () => paragraph(text("x".repeat(100)))));
    const result = parseBody({ body: big });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.join()).toContain("larger than 200000 bytes");
  });
});

describe("analyseBody", () => {
  it("turns typed tags and resolved handles into nodes and collects topics and mentions once", () => {
    const body = analysed(
      { plainText: "Hallo @jonas.claeys en @onbekend, #Fiets naar #werk en #fiets.\nMail an@stad.gent" },
      new Map([["jonas.claeys", "user-jonas"]]),
    );
    expect(body.mentionUserIds).toEqual(["user-jonas"]);
    expect(body.topics).toEqual([
      { slug: "fiets", name: "Fiets" },
      { slug: "werk", name: "werk" },
    ]);
    const inlines = body.document.root.children[0]!;
    expect(inlines).toMatchObject({
      children: [
        { type: "text", text: "Hallo " },
        { type: "mention", userId: "user-jonas", text: "@jonas.claeys" },
        { type: "text", text: " en @onbekend, " },
        { type: "hashtag", text: "#Fiets" },
        { type: "text", text: " naar " },
        { type: "hashtag", text: "#werk" },
        { type: "text", text: " en " },
        { type: "hashtag", text: "#fiets" },
        { type: "text", text: "." },
        { type: "linebreak" },
        { type: "text", text: "Mail an@stad.gent" },
      ],
    });
    expect(body.text).toBe(
      "Hallo @jonas.claeys en @onbekend, #Fiets naar #werk en #fiets.\nMail an@stad.gent",
    );
  });

  it("keeps bold on a tag typed in bold, and parses list items too", () => {
    const body = analysed({
      body: doc(paragraph(text("Over #fietsen", 1)), {
        type: "list",
        listType: "bullet",
        children: [{ type: "listitem", children: [text("#één")] }],
      }),
    });
    expect(body.document.root.children[0]).toMatchObject({
      children: [
        { type: "text", text: "Over ", format: 1 },
        { type: "hashtag", text: "#fietsen", format: 1 },
      ],
    });
    expect(body.topics.map((topic) => topic.slug)).toEqual(["fietsen", "één"]);
  });

  it("leaves link labels alone and demotes editor hashtags that are no tags", () => {
    const body = analysed({
      body: doc(
        paragraph(
          { type: "link", url: "https://x.be", children: [text("#geentag @jonas")] },
          { type: "hashtag", text: "#2026" },
          { type: "mention", userId: "user-an", text: "An Peeters" },
        ),
      ),
    });
    expect(body.topics).toEqual([]);
    expect(body.mentionUserIds).toEqual(["user-an"]);
    expect(body.document.root.children[0]).toMatchObject({
      children: [{ type: "link" }, { type: "text", text: "#2026" }, { type: "mention", userId: "user-an" }],
    });
    expect(
      handlesInDocument(
        parsed({
          body: doc(paragraph({ type: "link", url: "/x", children: [text("@a")] }), paragraph(text("@b"))),
        }),
      ),
    ).toEqual(["b"]);
  });

  it("refuses empty bodies (unless allowed), too long texts and too many mentions or tags", () => {
    const empty = parsed({ plainText: "   \n\n  " });
    expect(analyseBody(empty, new Map())).toEqual({ ok: false, issues: ["the text is empty"] });
    expect(analyseBody(empty, new Map(), { allowEmpty: true }).ok).toBe(true);
    const long = analyseBody(parsed({ plainText: "x".repeat(POST_LIMITS.maxTextLength + 1) }), new Map());
    expect(long.ok).toBe(false);
    expect(analyseBody(parsed({ plainText: "x".repeat(POST_LIMITS.maxTextLength) }), new Map()).ok).toBe(
      true,
    );
    const comment = analyseBody(parsed({ plainText: "x".repeat(2001) }), new Map(), {
      limits: COMMENT_LIMITS,
    });
    expect(comment.ok).toBe(false);
    const manyTags = Array.from({ length: 21 }, (_, i) => `#tag${String.fromCharCode(97 + i)}`).join(" ");
    expect(analyseBody(parsed({ plainText: manyTags }), new Map())).toMatchObject({
      ok: false,
      issues: ["at most 20 hashtags are allowed (21)"],
    });
    const handles = new Map(Array.from({ length: 26 }, (_, i) => [`p${i}`, `user-${i}`] as const));
    const manyPeople = [...handles.keys()].map((h) => `@${h}`).join(" ");
    expect(analyseBody(parsed({ plainText: manyPeople }), handles)).toMatchObject({ ok: false });
  });
});

describe("rendering", () => {
  it("links mentions to profiles and tags to topic pages, escaping everything", () => {
    const body = analysed({ plainText: "Voor @an en #Café <b>" }, new Map([["an", "cl0an1234567"]]));
    const html = renderBodyHtml(body.document);
    expect(html).toBe(
      '<p>Voor <a class="mention" data-user-id="cl0an1234567" href="/mensen/cl0an1234567">@an</a> en ' +
        '<a class="hashtag" href="/onderwerpen/caf%C3%A9">#Café</a> &lt;b&gt;</p>',
    );
  });

  it("does not nest links", () => {
    const html = renderBodyHtml(
      parsed({
        body: doc(paragraph({ type: "link", url: "/x", children: [{ type: "hashtag", text: "#a" }] })),
      }),
    );
    expect(html).toBe('<p><a href="/x"><span class="hashtag">#a</span></a></p>');
  });
});

describe("internal links", () => {
  const origin = "https://werkplek.stad.gent";

  it("recognises this app's circular, place and person pages, relative or absolute", () => {
    expect(internalLinkTarget("/circulaires/2025/017", origin)).toEqual({
      kind: "circular",
      number: "2025/017",
    });
    expect(internalLinkTarget("https://werkplek.stad.gent/groepen/fietsers-gent?x=1#y", origin)).toEqual({
      kind: "place",
      slug: "fietsers-gent",
    });
    expect(internalLinkTarget("/mensen/cl0abc123456/", origin)).toEqual({
      kind: "person",
      userId: "cl0abc123456",
    });
  });

  it("ignores other sites, other paths and unsafe URLs", () => {
    for (const url of [
      "https://evil.example/circulaires/2025/017",
      "//werkplek.stad.gent/groepen/x",
      "/circulaires/2025",
      "/groepen/Hoofd-Letters",
      "/mensen/../admin",
      "javascript:alert(1)",
      "mailto:x@stad.gent",
      "http://werkplek.stad.gent/groepen/x",
    ]) {
      expect(internalLinkTarget(url, origin), url).toBeNull();
    }
  });

  it("collects distinct targets from links and typed URLs, at most five", () => {
    const body = analysed({
      plainText:
        "https://werkplek.stad.gent/groepen/a /x https://werkplek.stad.gent/groepen/a " +
        ["b", "c", "d", "e", "f"].map((slug) => `https://werkplek.stad.gent/groepen/${slug}`).join(" "),
    });
    expect(internalLinkTargets(body.document, origin)).toEqual(
      ["a", "b", "c", "d", "e"].map((slug) => ({ kind: "place", slug })),
    );
  });
});
