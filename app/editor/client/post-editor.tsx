/**
 * The post editor: a light Lexical rich-text editor (bold, italic, lists, links, @mentions with
 * suggestions) that writes the post's JSON into the hidden form field `body` on every change. The
 * composer loads this module lazily, only in the browser and only after hydration: until then, and
 * without JavaScript, the form has a plain textarea named `plainText` instead (see
 * app/components/stream/composer.tsx), so exactly one of the two is ever submitted.
 *
 * Under the editor, a character counter against the server's limit; a polite live region speaks the
 * remaining count only when the limit is near, after a pause in typing, never at every keystroke.
 */
import { LexicalComposer, type InitialConfigType } from "@lexical/react/LexicalComposer";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { HistoryPlugin } from "@lexical/react/LexicalHistoryPlugin";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { OnChangePlugin } from "@lexical/react/LexicalOnChangePlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { type EditorState } from "lexical";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type LexicalDocument } from "~/editor/lexical-schema";
import { plainTextToLexical } from "~/editor/plain-text";
import { POST_LIMITS } from "~/modules/stream/content";
import { SuggestionsPlugin } from "./mention-plugin";
import {
  isComposerLinkUrl,
  POST_EDITOR_NODES,
  POST_EDITOR_THEME,
  postEditorStateJson,
  postTextLength,
  toPostBody,
} from "./post-editor-model";
import { PostEditorToolbar } from "./post-editor-toolbar";

/** What the form learns about the text as it changes. */
export type PostEditorChange = { length: number; empty: boolean };

export type PostEditorProps = {
  /** id of the editable; the composer's visible label points at it. */
  id: string;
  /** id of that visible label. */
  labelId: string;
  /** ids of help and error texts, joined into aria-describedby. */
  describedBy?: string;
  invalid?: boolean;
  /** Name of the hidden field that carries the JSON. */
  name?: string;
  /** A stored or submitted body to start from (editing, or a refused submission). */
  initialDocument?: LexicalDocument | null;
  /** Otherwise: text typed into the textarea before the scripts arrived. */
  initialText?: string;
  focusOnMount?: boolean;
  onChange?: (change: PostEditorChange) => void;
};

/** Counts start to be read out when fewer than this many characters are left. */
const ANNOUNCE_REMAINING = 500;

function initialStateJson(document: LexicalDocument | null | undefined, text: string): string | undefined {
  if (document && document.root.children.length > 0) return postEditorStateJson(document);
  if (text.trim()) return postEditorStateJson(plainTextToLexical(text));
  return undefined;
}

function AutoFocus() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => editor.focus(undefined, { defaultSelection: "rootEnd" }), [editor]);
  return null;
}

/** The rich post editor with its hidden `body` field and its counter. */
export default function PostEditor({
  id,
  labelId,
  describedBy,
  invalid,
  name = "body",
  initialDocument,
  initialText = "",
  focusOnMount,
  onChange,
}: PostEditorProps) {
  const { t } = useTranslation();
  const hiddenRef = useRef<HTMLInputElement>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const max = POST_LIMITS.maxTextLength;
  const startJson = useMemo(
    () => initialStateJson(initialDocument, initialText),
    // The composer reads its configuration once, on mount; a new post remounts the editor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const startLength = useMemo(() => {
    if (!startJson) return 0;
    const body = toPostBody(JSON.parse(startJson));
    return body.parsed.ok ? postTextLength(body.parsed.document) : 0;
  }, [startJson]);
  const [length, setLength] = useState(startLength);
  const [problem, setProblem] = useState(false);
  const [announcement, setAnnouncement] = useState("");

  const initialConfig = useMemo<InitialConfigType>(
    () => ({
      namespace: "post-body",
      nodes: [...POST_EDITOR_NODES],
      theme: POST_EDITOR_THEME,
      editorState: startJson,
      onError: (error: Error) => {
        // Lexical reports internal errors here; rethrowing lets the error boundary show them.
        throw error;
      },
    }),
    [startJson],
  );

  // The hidden field is written synchronously on every change, so posting right after typing never
  // sends an older state. It always holds a document, also an empty one, so the server answers
  // "empty" rather than "neither body nor text".
  function handleChange(editorState: EditorState) {
    const body = toPostBody(editorState.toJSON());
    if (hiddenRef.current) hiddenRef.current.value = body.json;
    const nextLength = body.parsed.ok ? postTextLength(body.parsed.document) : 0;
    setLength(nextLength);
    setProblem(!body.parsed.ok);
    onChangeRef.current?.({ length: nextLength, empty: body.parsed.ok && nextLength === 0 });
  }

  useEffect(() => {
    const start = toPostBody(startJson ? JSON.parse(startJson) : { root: { children: [] } });
    if (hiddenRef.current) hiddenRef.current.value = start.json;
    onChangeRef.current?.({ length: startLength, empty: startLength === 0 });
    // Only the starting value: later values come from handleChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const remaining = max - length;
  const counterText =
    remaining >= 0
      ? t("composer.counter.remaining", { count: remaining, max })
      : t("composer.counter.over", { count: -remaining, max });
  useEffect(() => {
    if (remaining > ANNOUNCE_REMAINING) {
      setAnnouncement("");
      return;
    }
    const timer = setTimeout(() => setAnnouncement(counterText), 900);
    return () => clearTimeout(timer);
  }, [counterText, remaining]);

  const counterId = `${id}-counter`;
  const problemId = `${id}-problem`;
  const statusId = `${id}-suggestions-status`;
  return (
    <div className="composer-editor">
      {/* No value prop: React would write it back on every render and wipe what handleChange set. */}
      <input ref={hiddenRef} type="hidden" name={name} />
      <LexicalComposer initialConfig={initialConfig}>
        <div className={`editor composer-editor__frame${invalid || problem ? " editor--invalid" : ""}`}>
          <PostEditorToolbar editableId={id} />
          <RichTextPlugin
            contentEditable={
              <ContentEditable
                id={id}
                className="editor__editable composer-editor__editable"
                aria-labelledby={labelId}
                aria-describedby={[counterId, problem ? problemId : null, describedBy]
                  .filter(Boolean)
                  .join(" ")}
                aria-invalid={invalid || problem || remaining < 0 ? true : undefined}
                aria-multiline
                aria-autocomplete="list"
                role="textbox"
              />
            }
            ErrorBoundary={LexicalErrorBoundary}
          />
          <HistoryPlugin />
          <ListPlugin />
          <LinkPlugin validateUrl={isComposerLinkUrl} />
          <SuggestionsPlugin statusId={statusId} />
          <OnChangePlugin onChange={handleChange} ignoreSelectionChange />
          {focusOnMount ? <AutoFocus /> : null}
        </div>
      </LexicalComposer>
      <p id={counterId} className={`field__counter${remaining < 0 ? " field__counter--over" : ""}`}>
        {counterText}
      </p>
      <p role="status" aria-live="polite" className="editor-sr-only">
        {announcement}
      </p>
      {problem ? (
        <p id={problemId} className="field__error composer__error">
          {t("composer.errors.invalid")}
        </p>
      ) : null}
    </div>
  );
}
