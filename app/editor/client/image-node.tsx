/**
 * An image in a circular's body: a block-level decorator that serialises to exactly the server's
 * `image` node ({ type, src, altText, width?, height? }). It has no importDOM on purpose: pasted images
 * point at other sites, which the server refuses; images come in only through the upload dialog.
 */
import {
  $applyNodeReplacement,
  DecoratorNode,
  type DOMExportOutput,
  type EditorConfig,
  type LexicalNode,
  type NodeKey,
  type SerializedLexicalNode,
  type Spread,
} from "lexical";
import { type JSX } from "react";

export type SerializedImageNode = Spread<
  { src: string; altText: string; width?: number; height?: number },
  SerializedLexicalNode
>;

/** An uploaded image with its (required) alternative text. */
export class ImageNode extends DecoratorNode<JSX.Element> {
  __src: string;
  __altText: string;
  __width: number | undefined;
  __height: number | undefined;

  static override getType(): string {
    return "image";
  }

  static override clone(node: ImageNode): ImageNode {
    return new ImageNode(node.__src, node.__altText, node.__width, node.__height, node.__key);
  }

  static override importJSON(json: SerializedImageNode): ImageNode {
    return $createImageNode({
      src: json.src,
      altText: json.altText,
      width: json.width,
      height: json.height,
    }).updateFromJSON(json);
  }

  constructor(src: string, altText: string, width?: number, height?: number, key?: NodeKey) {
    super(key);
    this.__src = src;
    this.__altText = altText;
    this.__width = width;
    this.__height = height;
  }

  override exportJSON(): SerializedImageNode {
    return {
      ...super.exportJSON(),
      type: "image",
      version: 1,
      src: this.__src,
      altText: this.__altText,
      ...(this.__width ? { width: this.__width } : {}),
      ...(this.__height ? { height: this.__height } : {}),
    };
  }

  override exportDOM(): DOMExportOutput {
    const image = document.createElement("img");
    image.setAttribute("src", this.__src);
    image.setAttribute("alt", this.__altText);
    return { element: image };
  }

  override createDOM(config: EditorConfig): HTMLElement {
    const element = document.createElement("div");
    const className = config.theme.image;
    if (typeof className === "string") element.className = className;
    return element;
  }

  override updateDOM(): false {
    return false;
  }

  /** Block level: the server accepts images only directly under the root. */
  override isInline(): false {
    return false;
  }

  getAltText(): string {
    return this.getLatest().__altText;
  }

  override decorate(): JSX.Element {
    return (
      <img
        src={this.__src}
        alt={this.__altText}
        width={this.__width}
        height={this.__height}
        className="editor-image__img"
      />
    );
  }
}

/** Creates an image node (inside an editor update). */
export function $createImageNode(input: {
  src: string;
  altText: string;
  width?: number;
  height?: number;
}): ImageNode {
  return $applyNodeReplacement(new ImageNode(input.src, input.altText, input.width, input.height));
}

/** Whether a node is an image node. */
export function $isImageNode(node: LexicalNode | null | undefined): node is ImageNode {
  return node instanceof ImageNode;
}
