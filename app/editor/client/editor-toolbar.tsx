/**
 * The formatting toolbar of the circular editor: an ARIA toolbar (one tab stop, arrow keys move between
 * buttons) whose toggle buttons report their state with aria-pressed, plus the small inline panels for
 * links and images. Panels are part of the page, not modal dialogs, so a screen reader and the keyboard
 * reach them in reading order.
 */
import { $isLinkNode } from "@lexical/link";
import {
  $isListNode,
  INSERT_ORDERED_LIST_COMMAND,
  INSERT_UNORDERED_LIST_COMMAND,
  ListNode,
  REMOVE_LIST_COMMAND,
} from "@lexical/list";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { $createHeadingNode, $createQuoteNode, $isHeadingNode, $isQuoteNode } from "@lexical/rich-text";
import { $setBlocksType } from "@lexical/selection";
import { INSERT_TABLE_COMMAND } from "@lexical/table";
import { $getNearestNodeOfType, mergeRegister } from "@lexical/utils";
import {
  $createParagraphNode,
  $getRoot,
  $getSelection,
  $isRangeSelection,
  $isRootNode,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  type LexicalNode,
  REDO_COMMAND,
  UNDO_COMMAND,
} from "lexical";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useCsrfToken } from "~/components/csrf-input";
import { imageSrcProblem } from "../lexical-schema";
import { isAllowedLinkUrl } from "./editor-config";
import { $createImageNode } from "./image-node";
import { LinkPanel } from "./link-panel";

type BlockType = "paragraph" | "h2" | "h3" | "quote" | "bullet" | "number" | "other";

type ToolbarState = {
  block: BlockType;
  bold: boolean;
  italic: boolean;
  linkUrl: string | null;
  canUndo: boolean;
  canRedo: boolean;
};

const INITIAL_STATE: ToolbarState = {
  block: "paragraph",
  bold: false,
  italic: false,
  linkUrl: null,
  canUndo: false,
  canRedo: false,
};

/** The element directly under the root that holds a node (tables and lists count as one block). */
function $topLevelBlock(node: LexicalNode): LexicalNode {
  let current = node;
  for (let parent = current.getParent(); parent && !$isRootNode(parent); parent = current.getParent()) {
    current = parent;
  }
  return current;
}

function $readToolbarState(): Omit<ToolbarState, "canUndo" | "canRedo"> | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return null;
  const anchor = selection.anchor.getNode();
  const element = anchor.getKey() === "root" ? anchor : anchor.getTopLevelElementOrThrow();
  let block: BlockType = "other";
  const list = $getNearestNodeOfType(anchor, ListNode);
  if ($isListNode(list)) block = list.getListType() === "number" ? "number" : "bullet";
  else if ($isHeadingNode(element)) {
    const tag = element.getTag();
    block = tag === "h2" || tag === "h3" ? tag : "other";
  } else if ($isQuoteNode(element)) block = "quote";
  else if (element.getType() === "paragraph") block = "paragraph";
  const parent = anchor.getParent();
  const link = $isLinkNode(anchor) ? anchor : $isLinkNode(parent) ? parent : null;
  return {
    block,
    bold: selection.hasFormat("bold"),
    italic: selection.hasFormat("italic"),
    linkUrl: link ? link.getURL() : null,
  };
}

type Panel = "link" | "image" | null;

/** The formatting toolbar and its link and image panels. */
export function EditorToolbar({
  editableId,
  imageUploadUrl,
}: {
  editableId: string;
  /** Where images are uploaded; null on a circular that is not saved yet. */
  imageUploadUrl: string | null;
}) {
  const { t } = useTranslation();
  const [editor] = useLexicalComposerContext();
  const [state, setState] = useState<ToolbarState>(INITIAL_STATE);
  const [panel, setPanel] = useState<Panel>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(({ editorState }) => {
          const next = editorState.read($readToolbarState);
          if (next) setState((previous) => ({ ...previous, ...next }));
        }),
        editor.registerCommand(
          CAN_UNDO_COMMAND,
          (canUndo) => {
            setState((previous) => ({ ...previous, canUndo }));
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
        editor.registerCommand(
          CAN_REDO_COMMAND,
          (canRedo) => {
            setState((previous) => ({ ...previous, canRedo }));
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor],
  );

  const setBlock = useCallback(
    (block: "paragraph" | "h2" | "h3" | "quote") => {
      editor.update(() => {
        const selection = $getSelection();
        if (!$isRangeSelection(selection)) return;
        // Pressing an active block button turns the block back into a paragraph.
        const target = state.block === block ? "paragraph" : block;
        $setBlocksType(selection, () => {
          if (target === "h2" || target === "h3") return $createHeadingNode(target);
          if (target === "quote") return $createQuoteNode();
          return $createParagraphNode();
        });
      });
    },
    [editor, state.block],
  );

  const toggleList = useCallback(
    (type: "bullet" | "number") => {
      if (state.block === type) editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
      else
        editor.dispatchCommand(
          type === "bullet" ? INSERT_UNORDERED_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND,
          undefined,
        );
    },
    [editor, state.block],
  );

  // The ARIA toolbar pattern: one tab stop, arrows move between buttons.
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const buttons = Array.from(
      toolbarRef.current?.querySelectorAll<HTMLButtonElement>("button[data-toolbar-item]") ?? [],
    ).filter((button) => !button.disabled);
    const current = buttons.findIndex((button) => button === document.activeElement);
    if (current < 0) return;
    let next = current;
    if (event.key === "ArrowRight") next = (current + 1) % buttons.length;
    else if (event.key === "ArrowLeft") next = (current - 1 + buttons.length) % buttons.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = buttons.length - 1;
    else return;
    event.preventDefault();
    buttons[next]?.focus();
    setFocusIndex(Number(buttons[next]?.dataset.toolbarItem ?? 0));
  }

  // Undo and redo come last (indexes 10 and 11) because they can be disabled: the toolbar's single tab
  // stop falls back to the first button when the remembered one is disabled, so it never disappears.
  const focusable =
    (focusIndex === 10 && !state.canUndo) || (focusIndex === 11 && !state.canRedo) ? 0 : focusIndex;
  let index = 0;
  const item = () => {
    const own = index++;
    return {
      "data-toolbar-item": own,
      tabIndex: own === focusable ? 0 : -1,
      onFocus: () => setFocusIndex(own),
      type: "button" as const,
    };
  };
  const toggle = (pressed: boolean) => ({ "aria-pressed": pressed, className: "editor-toolbar__button" });

  return (
    <>
      <div
        ref={toolbarRef}
        role="toolbar"
        aria-label={t("circularEditor.editor.toolbar")}
        aria-controls={editableId}
        className="editor-toolbar"
        onKeyDown={onKeyDown}
      >
        <button {...item()} {...toggle(state.block === "h2")} onClick={() => setBlock("h2")}>
          {t("circularEditor.editor.heading2")}
        </button>
        <button {...item()} {...toggle(state.block === "h3")} onClick={() => setBlock("h3")}>
          {t("circularEditor.editor.heading3")}
        </button>
        <button
          {...item()}
          {...toggle(state.bold)}
          onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, "bold")}
        >
          <strong>{t("circularEditor.editor.bold")}</strong>
        </button>
        <button
          {...item()}
          {...toggle(state.italic)}
          onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, "italic")}
        >
          <em>{t("circularEditor.editor.italic")}</em>
        </button>
        <span className="editor-toolbar__separator" aria-hidden="true" />
        <button {...item()} {...toggle(state.block === "bullet")} onClick={() => toggleList("bullet")}>
          {t("circularEditor.editor.bulletList")}
        </button>
        <button {...item()} {...toggle(state.block === "number")} onClick={() => toggleList("number")}>
          {t("circularEditor.editor.numberList")}
        </button>
        <button {...item()} {...toggle(state.block === "quote")} onClick={() => setBlock("quote")}>
          {t("circularEditor.editor.quote")}
        </button>
        <span className="editor-toolbar__separator" aria-hidden="true" />
        <button
          {...item()}
          {...toggle(state.linkUrl !== null)}
          aria-expanded={panel === "link"}
          aria-controls={`${panelId}-link`}
          onClick={() => setPanel(panel === "link" ? null : "link")}
        >
          {t("circularEditor.editor.link")}
        </button>
        <button
          {...item()}
          className="editor-toolbar__button"
          onClick={() =>
            editor.dispatchCommand(INSERT_TABLE_COMMAND, {
              rows: "3",
              columns: "3",
              includeHeaders: { rows: true, columns: false },
            })
          }
        >
          {t("circularEditor.editor.table")}
        </button>
        <button
          {...item()}
          className="editor-toolbar__button"
          aria-expanded={panel === "image"}
          aria-controls={`${panelId}-image`}
          onClick={() => setPanel(panel === "image" ? null : "image")}
        >
          {t("circularEditor.editor.image")}
        </button>
        <span className="editor-toolbar__separator" aria-hidden="true" />
        <button
          {...item()}
          className="editor-toolbar__button"
          disabled={!state.canUndo}
          onClick={() => editor.dispatchCommand(UNDO_COMMAND, undefined)}
        >
          {t("circularEditor.editor.undo")}
        </button>
        <button
          {...item()}
          className="editor-toolbar__button"
          disabled={!state.canRedo}
          onClick={() => editor.dispatchCommand(REDO_COMMAND, undefined)}
        >
          {t("circularEditor.editor.redo")}
        </button>
      </div>
      <div id={`${panelId}-link`} hidden={panel !== "link"}>
        {panel === "link" ? (
          <CircularLinkPanel currentUrl={state.linkUrl} onClose={() => setPanel(null)} />
        ) : null}
      </div>
      <div id={`${panelId}-image`} hidden={panel !== "image"}>
        {panel === "image" ? <ImagePanel uploadUrl={imageUploadUrl} onClose={() => setPanel(null)} /> : null}
      </div>
    </>
  );
}

/** Adds, changes or removes the link on the selected text; the URL is checked like the server does. */
function CircularLinkPanel({ currentUrl, onClose }: { currentUrl: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <LinkPanel
      currentUrl={currentUrl}
      onClose={onClose}
      initialUrl="https://"
      prepare={(typed) => typed.trim()}
      isAllowed={isAllowedLinkUrl}
      textOf={(url) => url}
      classNames={{ help: "field__help", error: "field__error", cancel: "button button--quiet" }}
      texts={{
        title: t("circularEditor.editor.linkTitle"),
        url: t("circularEditor.editor.linkUrl"),
        help: t("circularEditor.editor.linkHelp"),
        invalid: t("circularEditor.editor.linkInvalid"),
        apply: t("circularEditor.editor.linkApply"),
        remove: t("circularEditor.editor.linkRemove"),
        cancel: t("circularEditor.editor.cancel"),
      }}
    />
  );
}

const IMAGE_ACCEPT = "image/png,image/jpeg,image/gif,image/webp";

/** Which Dutch message explains a refused upload (the API's own message is English, for logs). */
function uploadErrorKey(status: number, code: string | undefined): string {
  if (code === "too_large" || status === 413) return "uploadTooLarge";
  if (code === "unsupported_type" || code === "mislabelled" || status === 415) return "uploadType";
  if (code === "csrf" || status === 401) return "uploadSession";
  if (code === "forbidden" || status === 403) return "uploadForbidden";
  if (code === "invalid_state" || status === 409) return "uploadState";
  if (code === "empty") return "uploadEmpty";
  return "uploadFailed";
}

/** Uploads an image with its required alternative text and inserts it after the current block. */
function ImagePanel({ uploadUrl, onClose }: { uploadUrl: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [editor] = useLexicalComposerContext();
  const csrfToken = useCsrfToken();
  const [altText, setAltText] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<{ file?: string; alt?: string; upload?: string }>({});
  const [busy, setBusy] = useState(false);
  const id = useId();

  if (!uploadUrl) {
    return (
      <div className="editor-panel" role="group" aria-labelledby={`${id}-title`}>
        <p id={`${id}-title`} className="editor-panel__title">
          {t("circularEditor.editor.imageTitle")}
        </p>
        <p>{t("circularEditor.editor.imageSaveFirst")}</p>
        <button type="button" className="button button--quiet" onClick={onClose}>
          {t("circularEditor.editor.close")}
        </button>
      </div>
    );
  }

  async function upload() {
    const problems: typeof errors = {};
    if (!file) problems.file = "imageFileRequired";
    if (!altText.trim()) problems.alt = "imageAltRequired";
    setErrors(problems);
    if (!file || problems.alt || !uploadUrl) return;
    setBusy(true);
    try {
      const body = new FormData();
      body.append("file", file);
      const response = await fetch(uploadUrl, {
        method: "POST",
        body,
        headers: { "x-csrf-token": csrfToken },
        credentials: "same-origin",
      });
      const answer = (await response.json().catch(() => ({}))) as { url?: unknown; code?: string };
      if (!response.ok || typeof answer.url !== "string") {
        setErrors({ upload: uploadErrorKey(response.status, answer.code) });
        return;
      }
      const src = answer.url;
      if (imageSrcProblem(src)) {
        setErrors({ upload: "uploadFailed" });
        return;
      }
      editor.update(() => {
        const image = $createImageNode({ src, altText: altText.trim() });
        const selection = $getSelection();
        // Images live directly under the root (the server refuses them in paragraphs, lists or cells).
        const block = $isRangeSelection(selection) ? $topLevelBlock(selection.anchor.getNode()) : null;
        if (block && !$isRootNode(block)) block.insertAfter(image);
        else $getRoot().append(image);
        if (!image.getNextSibling()) image.insertAfter($createParagraphNode());
      });
      onClose();
      editor.focus();
    } catch {
      setErrors({ upload: "uploadFailed" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="editor-panel" role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="editor-panel__title">
        {t("circularEditor.editor.imageTitle")}
      </p>
      <label htmlFor={`${id}-file`}>{t("circularEditor.editor.imageFile")}</label>
      <input
        id={`${id}-file`}
        type="file"
        accept={IMAGE_ACCEPT}
        aria-invalid={errors.file ? true : undefined}
        aria-describedby={errors.file ? `${id}-file-error` : undefined}
        onChange={(event) => setFile(event.target.files?.[0] ?? null)}
      />
      {errors.file ? (
        <p id={`${id}-file-error`} className="field__error">
          {t(`circularEditor.editor.${errors.file}`)}
        </p>
      ) : null}
      <label htmlFor={`${id}-alt`}>{t("circularEditor.editor.imageAlt")}</label>
      <input
        id={`${id}-alt`}
        type="text"
        value={altText}
        maxLength={300}
        aria-invalid={errors.alt ? true : undefined}
        aria-describedby={`${id}-alt-help${errors.alt ? ` ${id}-alt-error` : ""}`}
        onChange={(event) => setAltText(event.target.value)}
        onKeyDown={(event) => {
          // The panel sits inside the circular form: Enter must upload, not submit the form.
          if (event.key === "Enter") {
            event.preventDefault();
            void upload();
          }
        }}
      />
      <p id={`${id}-alt-help`} className="field__help">
        {t("circularEditor.editor.imageAltHelp")}
      </p>
      {errors.alt ? (
        <p id={`${id}-alt-error`} className="field__error">
          {t(`circularEditor.editor.${errors.alt}`)}
        </p>
      ) : null}
      <p role="status" className="field__help">
        {busy ? t("circularEditor.editor.uploading") : ""}
      </p>
      {errors.upload ? (
        <p className="field__error" role="alert">
          {t(`circularEditor.editor.${errors.upload}`)}
        </p>
      ) : null}
      <div className="editor-panel__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void upload()}
        >
          {t("circularEditor.editor.imageInsert")}
        </button>
        <button type="button" className="button button--quiet" onClick={onClose}>
          {t("circularEditor.editor.cancel")}
        </button>
      </div>
    </div>
  );
}
