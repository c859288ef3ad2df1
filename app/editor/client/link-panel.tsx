/**
 * The link panel of both editors (circulars and the stream's composer): adds, changes or removes the link
 * on the selected text, or inserts the address itself when nothing is selected. Each editor brings its own
 * URL rule (the server checks the same one), texts and styling.
 */
import { $createLinkNode, TOGGLE_LINK_COMMAND } from "@lexical/link";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { $createTextNode, $getSelection, $isRangeSelection } from "lexical";
import { useEffect, useId, useRef, useState } from "react";

export type LinkPanelTexts = {
  title: string;
  url: string;
  help: string;
  invalid: string;
  apply: string;
  remove: string;
  cancel: string;
};

export type LinkPanelProps = {
  /** The link on the selection, or null when there is none. */
  currentUrl: string | null;
  onClose: () => void;
  texts: LinkPanelTexts;
  /** What the field starts with when there is no link yet. */
  initialUrl: string;
  /** Turns what was typed into the address to check and use (trimming, adding a scheme …). */
  prepare: (typed: string) => string;
  isAllowed: (url: string) => boolean;
  /** The text of a link inserted without a selection. */
  textOf: (url: string) => string;
  classNames: { help: string; error: string; cancel: string };
};

export function LinkPanel({
  currentUrl,
  onClose,
  texts,
  initialUrl,
  prepare,
  isAllowed,
  textOf,
  classNames,
}: LinkPanelProps) {
  const [editor] = useLexicalComposerContext();
  const [url, setUrl] = useState(currentUrl ?? initialUrl);
  const [error, setError] = useState(false);
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);

  function close() {
    onClose();
    editor.focus();
  }

  function apply() {
    const value = prepare(url);
    if (!isAllowed(value)) {
      setError(true);
      inputRef.current?.focus();
      return;
    }
    let inserted = false;
    // editor.update runs its function synchronously, so `inserted` is known right after.
    editor.update(() => {
      const selection = $getSelection();
      if ($isRangeSelection(selection) && selection.isCollapsed() && currentUrl === null) {
        // Nothing selected: the address itself becomes the link's text.
        selection.insertNodes([$createLinkNode(value).append($createTextNode(textOf(value)))]);
        inserted = true;
      }
    });
    if (!inserted) editor.dispatchCommand(TOGGLE_LINK_COMMAND, value);
    close();
  }

  function remove() {
    editor.dispatchCommand(TOGGLE_LINK_COMMAND, null);
    close();
  }

  return (
    <div className="editor-panel" role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="editor-panel__title">
        {texts.title}
      </p>
      <label htmlFor={`${id}-url`}>{texts.url}</label>
      <input
        ref={inputRef}
        id={`${id}-url`}
        type="text"
        inputMode="url"
        autoComplete="url"
        value={url}
        aria-invalid={error || undefined}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ""}`}
        onChange={(event) => {
          setUrl(event.target.value);
          setError(false);
        }}
        onKeyDown={(event) => {
          // The panel may sit inside a form: Enter applies the link instead of submitting it.
          if (event.key === "Enter") {
            event.preventDefault();
            apply();
          } else if (event.key === "Escape") {
            event.preventDefault();
            close();
          }
        }}
      />
      <p id={`${id}-help`} className={classNames.help}>
        {texts.help}
      </p>
      {error ? (
        <p id={`${id}-error`} className={classNames.error} role="alert">
          {texts.invalid}
        </p>
      ) : null}
      <div className="editor-panel__actions">
        <button type="button" className="button button--primary" onClick={apply}>
          {texts.apply}
        </button>
        {currentUrl !== null ? (
          <button type="button" className="button" onClick={remove}>
            {texts.remove}
          </button>
        ) : null}
        <button type="button" className={classNames.cancel} onClick={close}>
          {texts.cancel}
        </button>
      </div>
    </div>
  );
}
