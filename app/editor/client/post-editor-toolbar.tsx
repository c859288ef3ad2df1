/**
 * The post editor's toolbar: bold, italic, bullet and numbered lists and a link, nothing a post cannot
 * hold. An ARIA toolbar (one tab stop, arrow keys between buttons) whose toggles report their state with
 * aria-pressed. The link prompt is a small panel in the page, not a modal: screen readers and the
 * keyboard reach it in reading order, and Escape returns to the text.
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
import { $getNearestNodeOfType, mergeRegister } from "@lexical/utils";
import { $getSelection, $isRangeSelection, COMMAND_PRIORITY_HIGH, FORMAT_TEXT_COMMAND } from "lexical";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { LinkPanel } from "./link-panel";
import { completeLinkUrl, isComposerLinkUrl } from "./post-editor-model";

type ToolbarState = {
  bold: boolean;
  italic: boolean;
  list: "bullet" | "number" | null;
  linkUrl: string | null;
};

const INITIAL_STATE: ToolbarState = { bold: false, italic: false, list: null, linkUrl: null };

function $readToolbarState(): ToolbarState | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return null;
  const anchor = selection.anchor.getNode();
  const list = $getNearestNodeOfType(anchor, ListNode);
  const parent = anchor.getParent();
  const link = $isLinkNode(anchor) ? anchor : $isLinkNode(parent) ? parent : null;
  return {
    bold: selection.hasFormat("bold"),
    italic: selection.hasFormat("italic"),
    list: $isListNode(list) ? (list.getListType() === "number" ? "number" : "bullet") : null,
    linkUrl: link ? link.getURL() : null,
  };
}

/** The formatting toolbar of the post editor and its link panel. */
export function PostEditorToolbar({ editableId }: { editableId: string }) {
  const { t } = useTranslation();
  const [editor] = useLexicalComposerContext();
  const [state, setState] = useState<ToolbarState>(INITIAL_STATE);
  const [linkOpen, setLinkOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(({ editorState }) => {
          const next = editorState.read($readToolbarState);
          if (next) setState(next);
        }),
        // Ctrl+U and friends would show formatting the post cannot keep: refuse them at the source.
        editor.registerCommand(
          FORMAT_TEXT_COMMAND,
          (format) => format !== "bold" && format !== "italic",
          COMMAND_PRIORITY_HIGH,
        ),
      ),
    [editor],
  );

  function toggleList(type: "bullet" | "number") {
    if (state.list === type) editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
    else
      editor.dispatchCommand(
        type === "bullet" ? INSERT_UNORDERED_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND,
        undefined,
      );
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const buttons = Array.from(
      toolbarRef.current?.querySelectorAll<HTMLButtonElement>("button[data-toolbar-item]") ?? [],
    );
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
    setFocusIndex(next);
  }

  let index = 0;
  const item = (pressed: boolean) => {
    const own = index++;
    return {
      "data-toolbar-item": own,
      tabIndex: own === focusIndex ? 0 : -1,
      onFocus: () => setFocusIndex(own),
      type: "button" as const,
      "aria-pressed": pressed,
      className: "editor-toolbar__button",
    };
  };

  return (
    <>
      <div
        ref={toolbarRef}
        role="toolbar"
        aria-label={t("composer.toolbar.label")}
        aria-controls={editableId}
        className="editor-toolbar composer-toolbar"
        onKeyDown={onKeyDown}
      >
        <button
          {...item(state.bold)}
          aria-keyshortcuts="Control+B"
          onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, "bold")}
        >
          <strong>{t("composer.toolbar.bold")}</strong>
        </button>
        <button
          {...item(state.italic)}
          aria-keyshortcuts="Control+I"
          onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, "italic")}
        >
          <em>{t("composer.toolbar.italic")}</em>
        </button>
        <span className="editor-toolbar__separator" aria-hidden="true" />
        <button {...item(state.list === "bullet")} onClick={() => toggleList("bullet")}>
          {t("composer.toolbar.bulletList")}
        </button>
        <button {...item(state.list === "number")} onClick={() => toggleList("number")}>
          {t("composer.toolbar.numberList")}
        </button>
        <span className="editor-toolbar__separator" aria-hidden="true" />
        <button
          {...item(state.linkUrl !== null)}
          aria-expanded={linkOpen}
          aria-controls={panelId}
          onClick={() => setLinkOpen(!linkOpen)}
        >
          {t("composer.toolbar.link")}
        </button>
      </div>
      <div id={panelId} hidden={!linkOpen}>
        {linkOpen ? (
          <ComposerLinkPanel currentUrl={state.linkUrl} onClose={() => setLinkOpen(false)} />
        ) : null}
      </div>
    </>
  );
}

/** Adds, changes or removes the link on the selected words; only web and e-mail addresses. */
function ComposerLinkPanel({ currentUrl, onClose }: { currentUrl: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <LinkPanel
      currentUrl={currentUrl}
      onClose={onClose}
      initialUrl=""
      prepare={completeLinkUrl}
      isAllowed={isComposerLinkUrl}
      textOf={(url) => url.replace(/^mailto:/i, "")}
      classNames={{ help: "composer__help", error: "field__error composer__error", cancel: "button" }}
      texts={{
        title: t("composer.link.title"),
        url: t("composer.link.url"),
        help: t("composer.link.help"),
        invalid: t("composer.link.invalid"),
        apply: t("composer.link.apply"),
        remove: t("composer.link.remove"),
        cancel: t("composer.link.cancel"),
      }}
    />
  );
}
