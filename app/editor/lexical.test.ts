import { describe, expect, it } from "vitest";
import { LexicalDocumentSchema, parseLexicalDocument, type LexicalDocument } from "./lexical-schema";
import { lexicalToPlainText } from "./plain-text";
import { renderLexicalHtml, tableOfContents } from "./render-html";

const text = (value: string, format = 0) => ({
  type: "text",
  text: value,
  format,
  mode: "normal",
  style: "",
  detail: 0,
  version: 1,
});
const paragraph = (...children: unknown[]) => ({
  type: "paragraph",
  children,
  direction: "ltr",
  format: "",
  indent: 0,
  version: 1,
  textFormat: 0,
  textStyle: "",
});
const link = (url: string, label = "link") => ({
  type: "link",
  url,
  rel: null,
  target: null,
  children: [text(label)],
});
const doc = (...children: unknown[]) => ({
  root: { type: "root", children, direction: "ltr", format: "", indent: 0, version: 1 },
});

function parsed(input: unknown): LexicalDocument {
  const result = parseLexicalDocument(input);
  if (!result.ok) throw new Error(result.issues.join("\n"));
  return result.document;
}

function refused(input: unknown, pattern?: RegExp): string[] {
  const result = parseLexicalDocument(input);
  expect(result.ok).toBe(false);
  const issues = result.ok ? [] : result.issues;
  if (pattern) expect(issues.join("\n")).toMatch(pattern);
  return issues;
}

const everything = doc(
  { type: "heading", tag: "h2", children: [text("Thuiswerk")] },
  paragraph(
    text("Bold", 1),
    text(" and "),
    text("italic code", 2 | 16),
    { type: "linebreak", version: 1 },
    { type: "tab", text: "\t", format: 0, mode: "normal", style: "", detail: 2, version: 1 },
    link("https://example.org/regels", "de regels"),
    text(" "),
    {
      type: "autolink",
      url: "https://example.org",
      isUnlinked: false,
      children: [text("https://example.org")],
    },
    text(" "),
    link("mailto:hr@example.org", "hr@example.org"),
    text(" "),
    link("/circulars/2025-001", "intern"),
    text(" "),
    { type: "mention", userId: "u-1", text: "An Peeters" },
    text(" "),
    { type: "hashtag", text: "#welzijn", format: 0 },
  ),
  { type: "quote", children: [text("Citaat")] },
  {
    type: "list",
    listType: "bullet",
    start: 1,
    tag: "ul",
    children: [
      { type: "listitem", value: 1, children: [text("Eén")] },
      {
        type: "listitem",
        value: 2,
        children: [
          {
            type: "list",
            listType: "number",
            start: 1,
            tag: "ol",
            children: [{ type: "listitem", children: [text("Sub")] }],
          },
        ],
      },
    ],
  },
  {
    type: "list",
    listType: "check",
    tag: "ul",
    children: [{ type: "listitem", checked: true, value: 1, children: [text("Klaar")] }],
  },
  {
    type: "table",
    children: [
      {
        type: "tablerow",
        children: [
          { type: "tablecell", headerState: 1, colSpan: 1, rowSpan: 1, children: [paragraph(text("Naam"))] },
          { type: "tablecell", headerState: 1, children: [paragraph(text("Dagen"))] },
        ],
      },
      {
        type: "tablerow",
        children: [
          { type: "tablecell", headerState: 0, children: [paragraph(text("An"))] },
          { type: "tablecell", headerState: 0, colSpan: 2, children: [paragraph(text("2"))] },
        ],
      },
    ],
  },
  { type: "image", src: "/uploads/plan.png", altText: "Grondplan", width: 640, height: 480 },
  { type: "image", src: "/files/line.svg", altText: "", decorative: true },
  { type: "heading", tag: "h3", children: [text("Thuiswerk")] },
);

describe("LexicalDocumentSchema", () => {
  it("accepts every allowed node type and strips unknown keys", () => {
    const input = structuredClone(everything) as { root: { children: Record<string, unknown>[] } };
    input.root.children[0]!.unexpected = "<script>";
    const document = parsed(input);
    expect(document.root.children).toHaveLength(9);
    expect(document.root.children[0]).not.toHaveProperty("unexpected");
  });

  it("accepts minimal nodes without Lexical's cosmetic fields", () => {
    const minimal = {
      root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "Hi" }] }] },
    };
    expect(LexicalDocumentSchema.safeParse(minimal).success).toBe(true);
  });

  it("accepts a JSON string", () => {
    expect(parseLexicalDocument(JSON.stringify(everything)).ok).toBe(true);
  });

  it("refuses cosmetic fields with the wrong primitive type", () => {
    refused(doc({ type: "paragraph", children: [], indent: "2" }), /\$\.root\.children\[0\]\.indent/);
    refused(doc(paragraph({ type: "text", text: "x", format: 4096 })), /format/);
  });

  it.each([
    ["javascript:alert(1)"],
    ["JaVaScRiPt:alert(1)"],
    ["java\nscript:alert(1)"],
    ["java\tscript:alert(1)"],
    ["\u0000javascript:alert(1)"],
    [" javascript:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["vbscript:msgbox(1)"],
    ["//evil.example"],
    ["/\\evil.example"],
    ["javascript&#58;alert(1)"],
    ["ftp://example.org"],
  ])("refuses the link URL %j", (url) => {
    const issues = refused(doc(paragraph(link(url))));
    expect(issues.join("\n")).toContain("$.root.children[0].children[0].url");
  });

  it("refuses image sources outside /uploads/ and /files/", () => {
    refused(
      doc({ type: "image", src: "https://evil.example/x.png", altText: "x" }),
      /\.src: image src must be/,
    );
    refused(doc({ type: "image", src: "/uploads/../secret", altText: "x" }), /dot segments/);
    refused(doc({ type: "image", src: "javascript:alert(1)", altText: "x" }));
    refused(doc({ type: "image", src: "/uploads/x.png", altText: " " }), /altText is required/);
    refused(doc({ type: "image", src: "/bestanden/../geheim", altText: "x" }), /dot segments/);
    refused(doc({ type: "image", src: "/bestandenx/a.png", altText: "x" }), /image src must be/);
  });

  it("accepts images served by the file route (/bestanden/<id>)", () => {
    expect(
      parseLexicalDocument(doc({ type: "image", src: "/bestanden/clx123abc", altText: "Plan" })).ok,
    ).toBe(true);
  });

  it.each([["html"], ["iframe"], ["script"]])("refuses the unknown node type %s", (type) => {
    refused(doc({ type, children: [] }), /node type "[a-z]+" is not allowed at the top level/);
    refused(doc(paragraph({ type, html: "<b>x</b>" })), /not allowed inside a paragraph/);
  });

  it("refuses heading tags other than h2-h4", () => {
    refused(doc({ type: "heading", tag: "h1", children: [] }), /heading tag must be h2, h3 or h4/);
    refused(doc({ type: "heading", tag: "h6", children: [] }), /heading tag/);
  });

  it("refuses blocks where inline nodes belong and inline nodes at the top level", () => {
    refused(doc(paragraph(paragraph(text("x")))), /"paragraph" is not allowed inside a paragraph/);
    refused(doc(paragraph({ type: "link", url: "/x", children: [link("/y")] })), /inside a link/);
    refused(doc(text("loose")), /"text" is not allowed at the top level/);
    refused(doc({ type: "list", listType: "bullet", children: [paragraph()] }), /inside a list/);
    refused(doc({ type: "table", children: [{ type: "tablecell", children: [] }] }), /inside a table/);
    refused(doc({ type: "root", children: [] }), /"root" is not allowed/);
    refused({ root: { type: "paragraph", children: [] } }, /root/);
  });

  it("enforces the depth limit", () => {
    let list: unknown = {
      type: "list",
      listType: "bullet",
      children: [{ type: "listitem", children: [text("x")] }],
    };
    for (let i = 0; i < 8; i += 1) {
      list = { type: "list", listType: "bullet", children: [{ type: "listitem", children: [list] }] };
    }
    refused(doc(list), /nested deeper than 12 levels/);
    let shallow: unknown = { type: "listitem", children: [text("x")] };
    for (let i = 0; i < 4; i += 1) {
      shallow = { type: "listitem", children: [{ type: "list", listType: "bullet", children: [shallow] }] };
    }
    expect(parseLexicalDocument(doc({ type: "list", listType: "bullet", children: [shallow] })).ok).toBe(
      true,
    );
  });

  it("enforces the node-count and text-length limits", () => {
    const many = Array.from({ length: 10_001 }, () => ({
      type: "paragraph",
      children: [{ type: "text", text: "x" }],
    }));
    refused(doc(...many), /more than 20000 nodes/);
    refused(doc(paragraph(text("x".repeat(20_001)))), /longer than 20000 characters/);
  });

  it("reports malformed JSON and oversized input", () => {
    refused("{ root: ", /not valid JSON/);
    const result = parseLexicalDocument(JSON.stringify(doc(paragraph(text("x".repeat(2000))))), {
      maxBytes: 1000,
    });
    expect(result).toEqual({ ok: false, issues: ["$: document is larger than 1000 bytes"] });
    expect(parseLexicalDocument(doc(paragraph(text("x".repeat(2000)))), { maxBytes: 1000 }).ok).toBe(false);
    const big = doc(...Array.from({ length: 60 }, () => paragraph(text("x".repeat(19_000)))));
    expect(LexicalDocumentSchema.safeParse(big).error?.issues[0]?.message).toBe(
      "document is larger than 1000000 bytes",
    );
    refused(null);
    refused("[]");
  });
});

describe("renderLexicalHtml", () => {
  const document = parsed(everything);
  const html = renderLexicalHtml(document);

  it("renders every node type with whitelisted tags", () => {
    expect(html).toContain('<h2 id="thuiswerk">Thuiswerk</h2>');
    expect(html).toContain('<h3 id="thuiswerk-2">Thuiswerk</h3>');
    expect(html).toContain("<strong>Bold</strong>");
    expect(html).toContain("<em><code>italic code</code></em>");
    expect(html).toContain(
      '<a href="https://example.org/regels" target="_blank" rel="noopener noreferrer">de regels</a>',
    );
    expect(html).toContain('<a href="mailto:hr@example.org">hr@example.org</a>');
    expect(html).toContain('<a href="/circulars/2025-001">intern</a>');
    expect(html).toContain('<span class="mention" data-user-id="u-1">@An Peeters</span>');
    expect(html).toContain('<span class="hashtag">#welzijn</span>');
    expect(html).toContain("<blockquote>Citaat</blockquote>");
    expect(html).toContain("<ul><li>Eén</li><li><ol><li>Sub</li></ol></li></ul>");
    expect(html).toContain('<ul class="check-list"><li data-checked="true">Klaar</li></ul>');
    expect(html).toContain("<table><tbody><tr><th><p>Naam</p></th><th><p>Dagen</p></th></tr>");
    expect(html).toContain('<td colspan="2"><p>2</p></td>');
    expect(html).toContain(
      '<img src="/uploads/plan.png" alt="Grondplan" width="640" height="480" loading="lazy">',
    );
    expect(html).toContain('<img src="/files/line.svg" alt="" loading="lazy">');
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    const allowed =
      "p h2 h3 h4 blockquote ul ol li a strong em u s code sub sup br table tbody tr th td img span";
    for (const tag of tags) expect(allowed.split(" ")).toContain(tag);
  });

  it("maps every text format bit", () => {
    const out = renderLexicalHtml(parsed(doc(paragraph(text("x", 1 | 2 | 4 | 8 | 16 | 32 | 64)))));
    expect(out).toBe("<p><strong><em><u><s><sup><sub><code>x</code></sub></sup></s></u></em></strong></p>");
  });

  it("escapes text and attributes instead of passing HTML through", () => {
    const hostile = parsed(
      doc(
        paragraph(text(`<script>alert("x")</script> & 'y'`)),
        paragraph({ type: "mention", userId: `"><img src=x onerror=alert(1)>`, text: "<b>Eve</b>" }),
        paragraph({ type: "link", url: "/a?b=\"c\"&d='e'", title: `"><script>`, children: [text("<i>")] }),
        { type: "image", src: "/uploads/a.png?x=\"'<>", altText: `"><script>alert(1)</script>` },
      ),
    );
    const out = renderLexicalHtml(hostile);
    expect(out).not.toMatch(/<script|<img src=x|<b>|<i>|onerror="/);
    expect(out).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    expect(out).toContain('data-user-id="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(out).toContain('href="/a?b=&quot;c&quot;&amp;d=&#39;e&#39;"');
  });

  it("re-validates URLs of documents that bypassed validation", () => {
    const forged = doc(paragraph(link("javascript:alert(1)", "click")), {
      type: "image",
      src: "https://evil.example/x.png",
      altText: "x",
    }) as unknown as LexicalDocument;
    expect(renderLexicalHtml(forged)).toBe("<p>click</p>\n");
  });

  it("links mentions and hashtags only to same-site paths, never inside a link", () => {
    const tagged = parsed(
      doc(
        paragraph(
          { type: "mention", userId: "u-1", text: "An" },
          { type: "hashtag", text: "#welzijn" },
          link("/x", "in"),
        ),
        paragraph({ type: "link", url: "/y", children: [{ type: "hashtag", text: "#a" }] }),
      ),
    );
    const options = {
      mentionHref: (id: string) => `/mensen/${id}`,
      hashtagHref: (tag: string) => `/t/${tag}`,
    };
    expect(renderLexicalHtml(tagged, options)).toBe(
      '<p><a class="mention" data-user-id="u-1" href="/mensen/u-1">@An</a>' +
        '<a class="hashtag" href="/t/welzijn">#welzijn</a><a href="/x">in</a></p>\n' +
        '<p><a href="/y"><span class="hashtag">#a</span></a></p>',
    );
    const hostile = { mentionHref: () => "javascript:alert(1)", hashtagHref: () => "https://evil.example/" };
    expect(renderLexicalHtml(tagged, hostile)).toContain(
      '<span class="mention" data-user-id="u-1">@An</span>',
    );
    expect(renderLexicalHtml(tagged, hostile)).toContain('<span class="hashtag">#welzijn</span>');
    expect(renderLexicalHtml(tagged, { hashtagHref: () => null })).toContain(
      '<span class="hashtag">#welzijn</span>',
    );
  });

  it("dedupes heading ids and builds a table of contents", () => {
    const withHeadings = parsed(
      doc(
        { type: "heading", tag: "h2", children: [text("Vergoeding & kosten")] },
        { type: "heading", tag: "h3", children: [text("Vergoeding & kosten")] },
        { type: "heading", tag: "h4", children: [text("Vergoeding & kosten")] },
        { type: "heading", tag: "h2", children: [text("Vergoeding & kosten 2")] },
        { type: "heading", tag: "h2", children: [text("!!!")] },
      ),
    );
    expect(tableOfContents(withHeadings)).toEqual([
      { id: "vergoeding-kosten", text: "Vergoeding & kosten", level: 2 },
      { id: "vergoeding-kosten-2", text: "Vergoeding & kosten", level: 3 },
      { id: "vergoeding-kosten-3", text: "Vergoeding & kosten", level: 4 },
      { id: "vergoeding-kosten-2-2", text: "Vergoeding & kosten 2", level: 2 },
      { id: "section", text: "!!!", level: 2 },
    ]);
    expect(renderLexicalHtml(withHeadings)).toContain(
      '<h4 id="vergoeding-kosten-3">Vergoeding &amp; kosten</h4>',
    );
  });
});

describe("lexicalToPlainText", () => {
  it("turns every block into text separated by blank lines", () => {
    expect(lexicalToPlainText(parsed(everything))).toBe(
      [
        "Thuiswerk",
        "Bold and italic code\n\tde regels (https://example.org/regels) https://example.org hr@example.org intern (/circulars/2025-001) @An Peeters #welzijn",
        "Citaat",
        "- Eén\n  1. Sub",
        "- [x] Klaar",
        "Naam\tDagen\nAn\t2",
        "Grondplan",
        "Thuiswerk",
      ].join("\n\n"),
    );
  });

  it("prefixes list items and numbers from start", () => {
    const lists = parsed(
      doc(
        {
          type: "list",
          listType: "number",
          start: 3,
          children: [
            { type: "listitem", children: [text("Drie")] },
            { type: "listitem", children: [text("Vier")] },
          ],
        },
        { type: "list", listType: "bullet", children: [{ type: "listitem", children: [text("Punt")] }] },
      ),
    );
    expect(lexicalToPlainText(lists)).toBe("3. Drie\n4. Vier\n\n- Punt");
  });

  it("writes links as text (url) only when the text differs", () => {
    const links = parsed(
      doc(
        paragraph(
          link("https://example.org/a", "Lees"),
          text(" "),
          link("https://example.org/a", "https://example.org/a"),
        ),
      ),
    );
    expect(lexicalToPlainText(links)).toBe("Lees (https://example.org/a) https://example.org/a");
  });
});
