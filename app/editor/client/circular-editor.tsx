/**
 * The body editor of a circular. Before JavaScript runs (and on the server) it is a plain textarea named
 * `bodyText` whose blank-line separated paragraphs the server turns into Lexical paragraphs; once the
 * page is hydrated, a Lexical rich-text editor takes its place and keeps the hidden field `bodyJson` up to
 * date with a state that the server whitelist accepts (see editor-config.ts).
 */
import { LexicalComposer, type InitialConfigType } from "@lexical/react/LexicalComposer";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { HistoryPlugin } from "@lexical/react/LexicalHistoryPlugin";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { OnChangePlugin } from "@lexical/react/LexicalOnChangePlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { TablePlugin } from "@lexical/react/LexicalTablePlugin";
import { type EditorState } from "lexical";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { parseLexicalDocument } from "../lexical-schema";
import { lexicalToPlainText, plainTextToLexical } from "../plain-text";
import {
  EDITOR_NODES,
  EDITOR_THEME,
  editorStateJson,
  isAllowedLinkUrl,
  normalizeEditorJson,
  toServerDocument,
} from "./editor-config";
import { EditorToolbar } from "./editor-toolbar";

/** What the page learns about the body as the person writes (for the KUS panel and autosave). */
export type BodyContent = {
  /** Plain text of the body (blank lines between blocks), for the KUS checks. */
  text: string;
  /** Why the server would refuse this body (technical, English), or null when it will accept it. */
  problem: string | null;
};

export type CircularBodyEditorProps = {
  /** id of the textarea / editable; the visible label is rendered here with `${id}-label`. */
  id: string;
  label: string;
  /** The stored body as validated Lexical JSON ("" for a new circular). */
  initialJson: string;
  /** The same body as plain text, for the no-JavaScript textarea. */
  initialText: string;
  /** ids of help and error texts, joined into aria-describedby. */
  describedBy?: string;
  invalid?: boolean;
  disabled?: boolean;
  /** Upload address for images (POST, multipart `file`), or null before the circular exists. */
  imageUploadUrl: string | null;
  /** Called after each change (content, not selection). */
  onChange?: (content: BodyContent) => void;
};

function initialDocumentJson(
  json: string,
  text: string,
  typedBeforeHydration: string | null,
): string | undefined {
  // Someone may have typed into the textarea before the scripts arrived: keep their words.
  if (typedBeforeHydration !== null && typedBeforeHydration !== text) {
    return editorStateJson(plainTextToLexical(typedBeforeHydration));
  }
  if (!json) return undefined;
  const parsed = parseLexicalDocument(json);
  if (!parsed.ok || parsed.document.root.children.length === 0) return undefined;
  return editorStateJson(parsed.document);
}

/** The body field: a textarea without JavaScript, the Lexical editor with it. */
export function CircularBodyEditor(props: CircularBodyEditorProps) {
  const { t } = useTranslation();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const [rich, setRich] = useState<{ typed: string | null } | null>(null);

  useEffect(() => {
    setRich({ typed: textareaRef.current?.value ?? null });
  }, []);

  const labelId = `${props.id}-label`;
  const fallbackHelpId = `${props.id}-fallback-help`;
  if (!rich) {
    return (
      <div className="field">
        <label id={labelId} htmlFor={props.id} className="field__label">
          {props.label}
        </label>
        <p id={fallbackHelpId} className="field__help">
          {t("circularEditor.editor.fallbackHelp")}
        </p>
        <textarea
          ref={textareaRef}
          id={props.id}
          name="bodyText"
          rows={16}
          defaultValue={props.initialText}
          disabled={props.disabled}
          aria-invalid={props.invalid || undefined}
          aria-describedby={[fallbackHelpId, props.describedBy].filter(Boolean).join(" ")}
          className="editor-fallback"
        />
      </div>
    );
  }
  return <RichBodyEditor {...props} typedBeforeHydration={rich.typed} labelId={labelId} />;
}

function RichBodyEditor({
  id,
  label,
  labelId,
  initialJson,
  initialText,
  describedBy,
  invalid,
  disabled,
  imageUploadUrl,
  onChange,
  typedBeforeHydration,
}: CircularBodyEditorProps & { labelId: string; typedBeforeHydration: string | null }) {
  const { t } = useTranslation();
  const hiddenRef = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout>>();
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const initialConfig = useMemo<InitialConfigType>(
    () => ({
      namespace: "circular-body",
      nodes: [...EDITOR_NODES],
      theme: EDITOR_THEME,
      editable: !disabled,
      editorState: initialDocumentJson(initialJson, initialText, typedBeforeHydration),
      onError: (error: Error) => {
        // Lexical reports internal errors here; rethrowing lets the error boundary show them.
        throw error;
      },
    }),
    // The composer reads its configuration once, on mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  // The hidden field carries the body the form posts; it is written synchronously on every change so a
  // save right after typing never posts an older state. Validation and plain text are debounced.
  function handleChange(editorState: EditorState) {
    const normalized = normalizeEditorJson(editorState.toJSON());
    if (hiddenRef.current) hiddenRef.current.value = JSON.stringify(normalized);
    clearTimeout(pending.current);
    pending.current = setTimeout(() => {
      const result = toServerDocument(normalized);
      const nextProblem = result.ok ? null : result.issues.slice(0, 2).join("; ");
      setProblem(nextProblem);
      onChangeRef.current?.({
        text: result.ok ? lexicalToPlainText(result.document) : "",
        problem: nextProblem,
      });
    }, 250);
  }

  useEffect(() => () => clearTimeout(pending.current), []);

  // On mount, tell the page the starting text (for the KUS panel) and fill the hidden field.
  const initialValue = useMemo(() => {
    const json = initialDocumentJson(initialJson, initialText, typedBeforeHydration);
    if (!json) return "";
    const result = toServerDocument(JSON.parse(json));
    return result.ok ? JSON.stringify(result.document) : "";
  }, [initialJson, initialText, typedBeforeHydration]);

  useEffect(() => {
    if (hiddenRef.current) hiddenRef.current.value = initialValue;
    // Only the starting value: later values come from handleChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (typedBeforeHydration !== null && typedBeforeHydration !== initialText) {
      onChangeRef.current?.({ text: typedBeforeHydration, problem: null });
    }
  }, [typedBeforeHydration, initialText]);

  const problemId = `${id}-problem`;
  return (
    <div className="field">
      <span id={labelId} className="field__label">
        {label}
      </span>
      {/* No value/defaultValue prop: for hidden inputs React would write it back on every re-render and
          wipe the value handleChange sets. */}
      <input ref={hiddenRef} type="hidden" name="bodyJson" />
      <LexicalComposer initialConfig={initialConfig}>
        <div className={`editor${invalid || problem ? " editor--invalid" : ""}`}>
          {disabled ? null : <EditorToolbar editableId={id} imageUploadUrl={imageUploadUrl} />}
          <RichTextPlugin
            contentEditable={
              <ContentEditable
                id={id}
                className="editor__editable"
                aria-labelledby={labelId}
                aria-describedby={
                  [problem ? problemId : null, describedBy].filter(Boolean).join(" ") || undefined
                }
                aria-invalid={invalid || problem ? true : undefined}
                aria-multiline
                role="textbox"
              />
            }
            ErrorBoundary={LexicalErrorBoundary}
          />
          <HistoryPlugin />
          <ListPlugin />
          <LinkPlugin validateUrl={isAllowedLinkUrl} />
          {/* Tab keeps moving focus out of the editor (no keyboard trap), also inside tables. */}
          <TablePlugin hasCellMerge={false} hasCellBackgroundColor={false} hasTabHandler={false} />
          <OnChangePlugin onChange={handleChange} ignoreSelectionChange />
        </div>
      </LexicalComposer>
      {problem ? (
        <p id={problemId} className="field__error">
          {t("circularEditor.editor.bodyProblem", { detail: problem })}
        </p>
      ) : null}
    </div>
  );
}
