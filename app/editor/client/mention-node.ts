/**
 * A mentioned colleague in a post: a text entity ("@Fatima El Amrani") that serialises to exactly the
 * server's `mention` node ({ type: "mention", userId, text, … }, see ../lexical-schema.ts). It is a token:
 * the caret never lands inside it and Backspace removes it whole, so a half-deleted name never keeps
 * pointing at a person. The server checks the user id again (active colleague) before it notifies anyone.
 */
import {
  $applyNodeReplacement,
  type EditorConfig,
  type LexicalNode,
  type NodeKey,
  type SerializedTextNode,
  type Spread,
  TextNode,
} from "lexical";

export type SerializedMentionNode = Spread<{ type: "mention"; userId: string }, SerializedTextNode>;

/** A colleague named in a post; the text is what the reader sees, the id is who gets notified. */
export class MentionNode extends TextNode {
  __userId: string;

  static override getType(): string {
    return "mention";
  }

  static override clone(node: MentionNode): MentionNode {
    return new MentionNode(node.__userId, node.__text, node.__key);
  }

  static override importJSON(json: SerializedMentionNode): MentionNode {
    return $createMentionNode(json.userId, json.text).updateFromJSON(json);
  }

  constructor(userId: string, text: string, key?: NodeKey) {
    super(text, key);
    this.__userId = userId;
  }

  getUserId(): string {
    return this.getLatest().__userId;
  }

  override exportJSON(): SerializedMentionNode {
    return { ...super.exportJSON(), type: "mention", userId: this.getLatest().__userId };
  }

  override createDOM(config: EditorConfig): HTMLElement {
    const element = super.createDOM(config);
    element.className = "composer-mention";
    element.spellcheck = false;
    return element;
  }

  override isTextEntity(): true {
    return true;
  }

  override canInsertTextBefore(): boolean {
    return false;
  }

  override canInsertTextAfter(): boolean {
    return false;
  }
}

/** A mention node in token mode (one unit for the caret and for deletion). */
export function $createMentionNode(userId: string, text: string): MentionNode {
  return $applyNodeReplacement(new MentionNode(userId, text).setMode("token"));
}

/** Whether a node is a mention. */
export function $isMentionNode(node: LexicalNode | null | undefined): node is MentionNode {
  return node instanceof MentionNode;
}
