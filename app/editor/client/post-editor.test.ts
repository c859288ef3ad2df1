/**
 * The post editor's pure contract: what the editor serialises is exactly what the server's parseBody and
 * analyseBody accept (mentions with their user id, only bold and italic, only safe links, paragraphs and
 * lists), stored posts load back into the editor, and the typeahead recognises "@na" and "#ta" only where
 * content.ts would see a mention or hashtag. Runs Lexical headless, without a browser.
 */
import { $createLinkNode } from "@lexical/link";
import { $createListItemNode, $createListNode } from "@lexical/list";
import { $createParagraphNode, $createTextNode, $getRoot, createEditor, type LexicalEditor } from "lexical";
import { describe, expect, it } from "vitest";
import { analyseBody, parseBody, POST_LIMITS } from "~/modules/stream/content";
import { type LexicalDocument } from "../lexical-schema";
import { $createMentionNode } from "./mention-node";
import {
  completeLinkUrl,
  isComposerLinkUrl,
  matchTypeahead,
  mentionText,
  normalizePostJson,
  POST_EDITOR_NODES,
  postEditorStateJson,
  postTextLength,
  suggestionUrl,
  toPostBody,
} from "./post-editor-model";

function newEditor(): LexicalEditor {
  return createEditor({
    namespace: "post-test",
    nodes: [...POST_EDITOR_NODES],
    onError: (error) => {
      throw error;
    },
  });
}

function build(editor: LexicalEditor, fill: () => void) {
  editor.update(
    () => {
      $getRoot().clear();
      fill();
    },
    { discrete: true },
  );
  return editor.getEditorState().toJSON();
}

function document(body: ReturnType<typeof toPostBody>): LexicalDocument {
  if (!body.parsed.ok) throw new Error(body.parsed.issues.join("\n"));
  return body.parsed.document;
}

describe("serialising the editor for the server", () => {
  it("sends a mention as the server's mention node, which analyseBody turns into a notification target", () => {
    const state = build(newEditor(), () => {
      $getRoot().append(
        $createParagraphNode().append(
          $createTextNode("Dank je "),
          $createMentionNode("ckfatima0001", mentionText({ displayName: "Fatima El Amrani" })),
          $createTextNode(" voor de "),
          $createTextNode("snelle").toggleFormat("bold"),
          $createTextNode(" hulp").toggleFormat("italic"),
        ),
      );
    });
    const body = toPostBody(state);
    const doc = document(body);
    const mention = (doc.root.children[0] as { children: { type: string }[] }).children[1];
    expect(mention).toMatchObject({ type: "mention", userId: "ckfatima0001", text: "@Fatima El Amrani" });
    // The hidden field's JSON is what parseBody receives from the form.
    expect(parseBody({ body: body.json }).ok).toBe(true);
    const analysed = analyseBody(doc, new Map());
    expect(analysed.ok && analysed.body.mentionUserIds).toEqual(["ckfatima0001"]);
    expect(analysed.ok && analysed.body.text).toBe("Dank je @Fatima El Amrani voor de snelle hulp");
  });

  it("keeps bold and italic but drops formats a post cannot have (underline, code)", () => {
    const state = build(newEditor(), () => {
      $getRoot().append(
        $createParagraphNode().append(
          $createTextNode("vet en onderlijnd").toggleFormat("bold").toggleFormat("underline"),
          $createTextNode(" code").toggleFormat("code"),
        ),
      );
    });
    const doc = document(toPostBody(state));
    const [first, second] = (doc.root.children[0] as { children: { format?: number }[] }).children;
    expect(first?.format).toBe(1);
    expect(second?.format).toBe(0);
  });

  it("keeps web and e-mail links and lists; an unsafe pasted link keeps only its words", () => {
    const state = build(newEditor(), () => {
      $getRoot().append(
        $createParagraphNode().append(
          $createLinkNode("https://stad.gent/fietsen").append($createTextNode("fietsplan")),
          $createTextNode(" en "),
          $createLinkNode("javascript:alert(1)").append($createTextNode("klik hier")),
        ),
        $createListNode("number").append(
          $createListItemNode().append($createTextNode("eerst")),
          $createListItemNode().append($createTextNode("dan")),
        ),
      );
    });
    const body = toPostBody(state);
    const doc = document(body);
    expect(body.json).not.toContain("javascript:");
    const inlines = (doc.root.children[0] as { children: { type: string; url?: string }[] }).children;
    expect(inlines.map((node) => node.type)).toEqual(["link", "text", "text"]);
    expect(inlines[0]?.url).toBe("https://stad.gent/fietsen");
    expect(doc.root.children[1]).toMatchObject({ type: "list", listType: "number", tag: "ol" });
  });

  it("folds pasted headings, quotes, tables and check lists into what a post may hold", () => {
    const pasted = {
      root: {
        type: "root",
        children: [
          { type: "heading", tag: "h1", children: [{ type: "text", text: "Titel", format: 1 }] },
          { type: "quote", children: [{ type: "text", text: "Citaat", format: 4 }] },
          {
            type: "table",
            children: [
              {
                type: "tablerow",
                children: [
                  {
                    type: "tablecell",
                    children: [{ type: "paragraph", children: [{ type: "text", text: "A" }] }],
                  },
                ],
              },
            ],
          },
          {
            type: "list",
            listType: "check",
            children: [{ type: "listitem", checked: true, children: [{ type: "text", text: "taak" }] }],
          },
          { type: "image", src: "https://evil.example/x.png", altText: "x" },
        ],
      },
    };
    const normalized = normalizePostJson(pasted) as LexicalDocument;
    expect(normalized.root.children.map((block) => block.type)).toEqual([
      "paragraph",
      "paragraph",
      "paragraph",
      "list",
    ]);
    expect(toPostBody(pasted).parsed.ok).toBe(true);
  });

  it("sends an empty document for an empty editor, which the server calls empty (not malformed)", () => {
    const body = toPostBody(newEditor().getEditorState().toJSON());
    const doc = document(body);
    const analysed = analyseBody(doc, new Map());
    expect(analysed).toEqual({ ok: false, issues: ["the text is empty"] });
  });

  it("counts the characters the way the server's limit does", () => {
    const text = "x".repeat(POST_LIMITS.maxTextLength + 1);
    const state = build(newEditor(), () => {
      $getRoot().append($createParagraphNode().append($createTextNode(text)));
    });
    const doc = document(toPostBody(state));
    expect(postTextLength(doc)).toBe(POST_LIMITS.maxTextLength + 1);
    const analysed = analyseBody(doc, new Map());
    expect(analysed.ok).toBe(false);
    // A typed address becomes a link on the server; it counts as written.
    const withUrl = build(newEditor(), () => {
      $getRoot().append($createParagraphNode().append($createTextNode("zie https://stad.gent")));
    });
    expect(postTextLength(document(toPostBody(withUrl)))).toBe("zie https://stad.gent".length);
  });
});

describe("loading a stored post into the editor", () => {
  const stored: LexicalDocument = {
    root: {
      type: "root",
      children: [
        {
          type: "paragraph",
          children: [
            { type: "text", text: "Met " },
            { type: "mention", userId: "ckjonas00001", text: "@Jonas Peeters" },
            { type: "text", text: " over " },
            { type: "hashtag", text: "#fietsen" },
            { type: "text", text: ", zie " },
            {
              type: "autolink",
              url: "https://stad.gent",
              children: [{ type: "text", text: "https://stad.gent" }],
            },
          ],
        },
      ],
    },
  };

  it("parses in the editor and serialises back to the same post, tags and links as typed text", () => {
    const editor = newEditor();
    editor.setEditorState(editor.parseEditorState(postEditorStateJson(stored)));
    const doc = document(toPostBody(editor.getEditorState().toJSON()));
    const types = (doc.root.children[0] as { children: { type: string }[] }).children.map((n) => n.type);
    expect(types).toContain("mention");
    expect(types).not.toContain("hashtag");
    expect(types).not.toContain("autolink");
    // The server annotates the typed tag and address again: the same topic and link as before.
    const analysed = analyseBody(doc, new Map());
    expect(analysed.ok && analysed.body.topics).toEqual([{ slug: "fietsen", name: "fietsen" }]);
    expect(analysed.ok && analysed.body.mentionUserIds).toEqual(["ckjonas00001"]);
    expect(analysed.ok && analysed.body.text).toBe("Met @Jonas Peeters over #fietsen, zie https://stad.gent");
  });

  it("starts an empty post with one empty paragraph", () => {
    const editor = newEditor();
    const json = postEditorStateJson({ root: { type: "root", children: [] } });
    expect(() => editor.setEditorState(editor.parseEditorState(json))).not.toThrow();
  });
});

describe("the typeahead query", () => {
  it.each([
    ["@fa", { kind: "person", matchingString: "fa", replaceableString: "@fa", leadOffset: 0 }],
    ["Dank je @Fatima El", { kind: "person", matchingString: "Fatima El", leadOffset: 8 }],
    ["(@Élise", { kind: "person", matchingString: "Élise", leadOffset: 1 }],
    ["over #fiets", { kind: "topic", matchingString: "fiets", replaceableString: "#fiets", leadOffset: 5 }],
    ["#_intern", { kind: "topic", matchingString: "_intern" }],
  ])("finds the query in %j", (text, expected) => {
    expect(matchTypeahead(text)).toMatchObject(expected);
  });

  it.each([
    ["@f", "one letter is not enough for people"],
    ["mail jan@stad", "an e-mail address is not a mention"],
    ["pagina#3", "a sign inside a word"],
    ["#3de", "a tag starts with a letter"],
    ["@jan  de", "two spaces end a name"],
    ["@jan de smet van den broeck", "a name has at most four words"],
    [`@${"a".repeat(51)}`, "longer than the API accepts"],
    ["#", "a sign alone"],
    ["gewoon tekst", "no sign"],
  ])("ignores %j (%s)", (text) => {
    expect(matchTypeahead(text)).toBeNull();
  });

  it("asks the right API, without the sign", () => {
    expect(suggestionUrl("person", " Fatima El ")).toBe("/api/mensen/suggesties?q=Fatima+El");
    expect(suggestionUrl("topic", "fiets")).toBe("/api/onderwerpen/suggesties?q=fiets");
  });
});

describe("the link prompt", () => {
  it.each([
    ["https://stad.gent/x", true],
    ["http://intranet.gent.be", true],
    ["mailto:onthaal@stad.gent", true],
    ["tel:+3292661234", false],
    ["javascript:alert(1)", false],
    ["/mensen", false],
    ["https://", false],
  ])("%s allowed: %s", (url, allowed) => {
    expect(isComposerLinkUrl(url)).toBe(allowed);
  });

  it("completes what people usually type", () => {
    expect(completeLinkUrl(" stad.gent/fietsen ")).toBe("https://stad.gent/fietsen");
    expect(completeLinkUrl("onthaal@stad.gent")).toBe("mailto:onthaal@stad.gent");
    expect(completeLinkUrl("https://stad.gent")).toBe("https://stad.gent");
    expect(isComposerLinkUrl(completeLinkUrl("javascript:alert(1)"))).toBe(false);
  });
});
