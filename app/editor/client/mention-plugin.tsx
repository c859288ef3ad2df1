/**
 * Suggestions while typing: "@" and two letters offer colleagues (choosing one inserts a mention node),
 * "#" and a letter offers topics (choosing one inserts the tag as plain text: the server turns typed tags
 * into hashtags itself). Built on Lexical's typeahead menu, which gives the listbox its keyboard (up,
 * down, Enter, Tab, Escape) and points aria-activedescendant at the highlighted option; this plugin
 * fetches the options (debounced, the previous request aborted), names the listbox and announces how
 * many suggestions there are.
 */
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import {
  LexicalTypeaheadMenuPlugin,
  MenuOption,
  type MenuTextMatch,
} from "@lexical/react/LexicalTypeaheadMenuPlugin";
import { mergeRegister } from "@lexical/utils";
import {
  $createTextNode,
  COMMAND_PRIORITY_NORMAL,
  KEY_ARROW_DOWN_COMMAND,
  KEY_ARROW_UP_COMMAND,
  type TextNode,
} from "lexical";
import { useCallback, useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { $createMentionNode } from "./mention-node";
import {
  matchTypeahead,
  mentionText,
  suggestionUrl,
  type PersonSuggestion,
  type TopicSuggestion,
  type TypeaheadKind,
} from "./post-editor-model";

/** Wait this long after the last keystroke before asking the server. */
const DEBOUNCE_MS = 200;

class SuggestionOption extends MenuOption {
  constructor(
    readonly suggestion:
      { kind: "person"; person: PersonSuggestion } | { kind: "topic"; topic: TopicSuggestion },
  ) {
    super(suggestion.kind === "person" ? `person:${suggestion.person.id}` : `topic:${suggestion.topic.slug}`);
  }
}

type Query = { kind: TypeaheadKind; text: string };

function isPersonList(value: unknown): value is PersonSuggestion[] {
  return (
    Array.isArray(value) &&
    value.every((item: unknown) => {
      const person = item as Partial<PersonSuggestion> | null;
      return typeof person?.id === "string" && typeof person.displayName === "string";
    })
  );
}

function isTopicList(value: unknown): value is TopicSuggestion[] {
  return (
    Array.isArray(value) &&
    value.every((item: unknown) => {
      const topic = item as Partial<TopicSuggestion> | null;
      return typeof topic?.slug === "string" && typeof topic.name === "string";
    })
  );
}

/** The typeahead for @mentions and #hashtags; `statusId` is the live region's id for the editable. */
export function SuggestionsPlugin({ statusId }: { statusId: string }) {
  const { t } = useTranslation();
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState<Query | null>(null);
  const [options, setOptions] = useState<SuggestionOption[]>([]);
  const [status, setStatus] = useState("");
  const kindRef = useRef<TypeaheadKind>("person");
  // Queries that found nothing: longer queries starting with them will not either, so the menu stays
  // closed instead of following someone who is simply writing "@ 10 uur" or an e-mail address.
  const emptyQueries = useRef<Query[]>([]);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const menuOpen = useRef(false);

  const triggerFn = useCallback((text: string): MenuTextMatch | null => {
    const match = matchTypeahead(text);
    if (!match) return null;
    const typed = match.matchingString.trim().toLocaleLowerCase("nl-BE");
    const dead = emptyQueries.current.some(
      (empty) => empty.kind === match.kind && typed.startsWith(empty.text) && typed !== empty.text,
    );
    if (dead) return null;
    kindRef.current = match.kind;
    return match;
  }, []);

  const onQueryChange = useCallback((matching: string | null) => {
    setQuery(matching === null ? null : { kind: kindRef.current, text: matching.trim() });
  }, []);

  useEffect(() => {
    if (!query || !query.text) {
      setOptions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(suggestionUrl(query.kind, query.text), {
        signal: controller.signal,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? response.json() : []))
        .then((body: unknown) => {
          const next =
            query.kind === "person"
              ? isPersonList(body)
                ? body.map((person) => new SuggestionOption({ kind: "person", person }))
                : []
              : isTopicList(body)
                ? body.map((topic) => new SuggestionOption({ kind: "topic", topic }))
                : [];
          if (next.length === 0) {
            emptyQueries.current = [
              ...emptyQueries.current.slice(-20),
              { kind: query.kind, text: query.text.toLocaleLowerCase("nl-BE") },
            ];
          }
          setOptions(next);
          setStatus(
            next.length === 0
              ? t(query.kind === "person" ? "composer.suggestions.noPeople" : "composer.suggestions.noTopics")
              : t("composer.suggestions.count", { count: next.length }),
          );
        })
        .catch((error: unknown) => {
          // A newer keystroke aborted this request; any other failure simply offers nothing.
          if (!(error instanceof DOMException && error.name === "AbortError")) setOptions([]);
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, t]);

  // While nothing is offered (still loading, or no match) the arrow keys move the caret as usual: the
  // typeahead would otherwise swallow them for an empty list.
  useEffect(
    () =>
      mergeRegister(
        editor.registerCommand(
          KEY_ARROW_DOWN_COMMAND,
          () => menuOpen.current && optionsRef.current.length === 0,
          COMMAND_PRIORITY_NORMAL,
        ),
        editor.registerCommand(
          KEY_ARROW_UP_COMMAND,
          () => menuOpen.current && optionsRef.current.length === 0,
          COMMAND_PRIORITY_NORMAL,
        ),
      ),
    [editor],
  );

  const onSelectOption = useCallback(
    (option: SuggestionOption, nodeToReplace: TextNode | null, closeMenu: () => void) => {
      editor.update(() => {
        const space = $createTextNode(" ");
        if (option.suggestion.kind === "person") {
          const { person } = option.suggestion;
          const mention = $createMentionNode(person.id, mentionText(person));
          if (nodeToReplace) nodeToReplace.replace(mention);
          mention.insertAfter(space);
          setStatus(t("composer.suggestions.mentioned", { name: person.displayName }));
        } else {
          const tag = $createTextNode(`#${option.suggestion.topic.name}`);
          if (nodeToReplace) nodeToReplace.replace(tag);
          tag.insertAfter(space);
          setStatus("");
        }
        space.select(1, 1);
        closeMenu();
      });
    },
    [editor, t],
  );

  return (
    <>
      <LexicalTypeaheadMenuPlugin<SuggestionOption>
        options={options}
        onQueryChange={onQueryChange}
        onSelectOption={onSelectOption}
        triggerFn={triggerFn}
        anchorClassName="composer-suggestions"
        onOpen={() => {
          menuOpen.current = true;
        }}
        onClose={() => {
          menuOpen.current = false;
          setOptions([]);
        }}
        menuRenderFn={(anchorRef, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex }) => {
          const anchor = anchorRef.current;
          if (!anchor || options.length === 0) return null;
          // Lexical names its listbox in English; ours speaks the page's language.
          anchor.setAttribute(
            "aria-label",
            t(kindRef.current === "person" ? "composer.suggestions.people" : "composer.suggestions.topics"),
          );
          return createPortal(
            <ul className="composer-suggestions__list" role="presentation">
              {options.map((option, index) => (
                // The keyboard never focuses an option: Up, Down, Enter and Tab work in the editor, which
                // points aria-activedescendant at the highlighted one. The click is for pointers.
                // eslint-disable-next-line jsx-a11y/click-events-have-key-events
                <li
                  key={option.key}
                  id={`typeahead-item-${index}`}
                  ref={(element) => option.setRefElement(element)}
                  role="option"
                  aria-selected={selectedIndex === index}
                  tabIndex={-1}
                  className={`composer-suggestion${selectedIndex === index ? " composer-suggestion--active" : ""}`}
                  onMouseEnter={() => setHighlightedIndex(index)}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => {
                    setHighlightedIndex(index);
                    selectOptionAndCleanUp(option);
                  }}
                >
                  <SuggestionLabel option={option} />
                </li>
              ))}
            </ul>,
            anchor,
          );
        }}
      />
      <p id={statusId} role="status" className="editor-sr-only">
        {status}
      </p>
    </>
  );
}

function SuggestionLabel({ option }: { option: SuggestionOption }) {
  const { t } = useTranslation();
  if (option.suggestion.kind === "topic") {
    const { topic } = option.suggestion;
    return (
      <>
        <span className="composer-suggestion__name">#{topic.name}</span>{" "}
        <span className="composer-suggestion__meta">
          {t("composer.suggestions.posts", { count: topic.postCount })}
        </span>
      </>
    );
  }
  const { person } = option.suggestion;
  const details = [person.jobTitle, person.department].filter(Boolean).join(", ");
  return (
    <>
      <span className="composer-suggestion__name">{person.displayName}</span>
      {details ? (
        <>
          {" "}
          <span className="composer-suggestion__meta">{details}</span>
        </>
      ) : null}
    </>
  );
}
