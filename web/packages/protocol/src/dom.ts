/**
 * DOM wire types: the JSON payload of binary DOM frames (see docs/PROTOCOL.md, "DOM frames").
 * TypeScript owns these types; the server never looks inside a payload.
 *
 * Node ids are positive integers assigned by the customer's mirror. Id 1 is always the document,
 * others count up from 2. A node keeps its id while it stays in the page (also across full
 * snapshots of the same page); an id is never reused for another node while the customer's page
 * lives; a new page (navigation, reload) starts again from 1 with a full snapshot.
 *
 * Optional fields are absent rather than empty. What is never sent and how values are rewritten
 * (absolute URLs, no scripts, no `on*`, …): docs/PROTOCOL.md, "Nodes".
 */

export type NodeId = number;

/** DOM nodeType numbers used in `t`. */
export const NodeType = {
  Element: 1,
  Text: 3,
  CData: 4,
  Comment: 8,
  Document: 9,
  DocumentType: 10,
  ShadowRoot: 11,
} as const;

/**
 * A document: the page's own (id 1, the root of a `FullSnapshot`) or the content document of a
 * same-origin `<iframe>` / `<frame>`, which is then the only child of that element (docs/PROTOCOL.md,
 * "Frames"). Nodes inside frames take ids from the same mirror as the page's, so ops address them
 * like any other node.
 */
export interface SerializedDocument {
  /**
   * The node's id. In every wire node type, `0` on the wire below a tree's root when it is the id
   * of the node written before it plus one (docs/PROTOCOL.md, "Nodes": implicit ids); a receiver
   * restores it (`restoreImplicitIds` of `@cobrowse/dom`) before reading the tree.
   */
  i: NodeId;
  t: 9;
  /** true when the page renders in quirks mode (no doctype or a legacy one). */
  quirks?: boolean;
  c: SerializedNode[];
  /** Frame documents only: the frame's window scroll offsets `[x, y]`, when scrolled. */
  sc?: [number, number];
  /**
   * The document's `adoptedStyleSheets` (constructed stylesheets), in order: the text of each,
   * URLs absolute. Absent when it adopts none. The viewer adopts sheets with these rules.
   */
  as?: string[];
  /**
   * Font faces script added to the document's `fonts` (`new FontFace` + `document.fonts.add`) whose
   * source the capture knows, in the set's order (docs/PROTOCOL.md, "Fonts added by script"). Absent
   * when none.
   */
  ff?: FontFaceEntry[];
  /** How many script-added faces were left out of `ff` (over the size bounds). Absent when none. */
  fx?: number;
}

/**
 * A font face added by script: `f` its family, its source as `s` (the CSS `src` text of a string
 * source: `url(…)` / `local(…)` items, URLs absolute) or `b` (a binary source as a base64 `data:`
 * URL), `d` its descriptors that are not at their default (`style`, `weight`, `stretch`,
 * `unicodeRange`, `featureSettings`, `variationSettings`, `display`, `ascentOverride`,
 * `descentOverride`, `lineGapOverride`, `sizeAdjust`, as the `FontFace` attributes read).
 */
export interface FontFaceEntry {
  f: string;
  s?: string;
  b?: string;
  d?: Record<string, string>;
}

/**
 * An open shadow root (docs/PROTOCOL.md, "Shadow roots"): always the first child `c[0]` of its host
 * element, before the host's own (light) children. Ops address it and its nodes like any other.
 */
export interface SerializedShadowRoot {
  i: NodeId;
  t: 11;
  c?: SerializedNode[];
  /** The root's `adoptedStyleSheets`, as on documents. */
  as?: string[];
}

export interface SerializedDoctype {
  i: NodeId;
  t: 10;
  /** Doctype name (`html` when the page's is not a valid name, e.g. `<!DOCTYPE >`). */
  n: string;
  pub?: string;
  sys?: string;
}

export interface SerializedElement {
  i: NodeId;
  t: 1;
  /**
   * Tag name: lowercase for HTML elements, as written for SVG/MathML (e.g. `foreignObject`).
   * Names the DOM cannot create (not XML names, from broken markup) are sent as `span`.
   */
  n: string;
  /** Namespace, only when not HTML. */
  ns?: 'svg' | 'math';
  /** Attributes after sanitizing (no `on*`, no `javascript:` URLs, URLs absolute, valid names only). */
  a?: Record<string, string>;
  /**
   * Children in document order (service elements and scripts are never included). For an
   * `<iframe>` / `<frame>` whose document is readable (same origin): that document, as the only
   * child (the element's own fallback children are not sent). For a host of an open shadow root:
   * that root (`t: 11`) first, then the light children.
   */
  c?: SerializedNode[];
  /**
   * `true` on an `<iframe>` / `<frame>` whose content cannot be read (another origin, or an opaque
   * sandbox): nothing of it is sent; the viewer shows a labelled placeholder of the frame's size.
   */
  xo?: true;
  /**
   * Current value of input / textarea / select (the property, not the attribute); absent when
   * empty. Only for inputs whose value is typed text (not checkbox, radio, hidden, buttons, file).
   */
  v?: string;
  /** Checkedness of checkbox / radio inputs: `true`, or absent when unchecked. */
  k?: boolean;
  /** Selectedness of an `<option>`: `true`, or absent when not selected. */
  s?: boolean;
  /**
   * Text of the element's stylesheet taken from the CSSOM, for `<style>` whose rules differ from
   * its text (CSS-in-JS) and for a readable `<link rel=stylesheet>` that does not travel by URL
   * (script changed its sheet through the CSSOM, or it is in a frame document: docs/PROTOCOL.md).
   * URLs inside are absolute. The viewer renders a `<link>` that has `css` as a `<style>`.
   */
  css?: string;
  /** Scroll offsets of a scrolled element, `[left, top]`. */
  sc?: [number, number];
  /**
   * DOM restriction matched by this element itself (docs/PROTOCOL.md, "DOM restrictions"):
   * `1` DOM control, `2` data masking. Absent: none of its own (it may still be inside a
   * restricted ancestor). The viewer outlines these elements (green / purple) and sends no input
   * to them or their descendants; the SDK refuses such input anyway.
   */
  r?: Restricted;
  /**
   * Rendered size `[width, height]` in CSS pixels of a masked image (`img`, `svg image`, `video`,
   * `canvas`…, sent without its source): the viewer draws a grey box of that size.
   */
  sz?: [number, number];
  /**
   * The element is in the top layer: `'modal'` a `<dialog>` opened with `showModal()` (`:modal`),
   * `'popover'` an open popover (`:popover-open`). Absent otherwise. The viewer shows it the same
   * way in the replica (`showModal()` / `showPopover()` on the inert element).
   */
  tl?: TopLayer;
  /**
   * `<video>` / `<audio>` (not masked): `[currentTime, playing]` — the position in seconds and
   * `1` when playing, `0` when paused. Absent at time 0 and paused. The replica seeks there and
   * plays muted (docs/PROTOCOL.md, "Canvas and media").
   */
  md?: [number, 0 | 1];
  /**
   * An unmasked `<img>` with a `srcset` or in a `<picture>`: the file the customer's browser chose
   * (`currentSrc`, absolute). The replica shows that file whatever its own screen would choose
   * (docs/PROTOCOL.md, "Nodes").
   */
  cs?: string;
}

/** How an element is in the top layer (see `SerializedElement.tl`). */
export type TopLayer = 'modal' | 'popover';

/**
 * What the customer's page shows of its interaction state, which the DOM does not hold: the
 * element under the mouse (`:hover`), the pressed one (`:active`), the focused one (`:focus`, with
 * `fv` when it matches `:focus-visible`) and the text selection. Each id is the nearest node the
 * agent has (a text node's element, …); fields are absent when there is none. The viewer emulates
 * the pseudo-classes (docs/PROTOCOL.md, "Interaction state").
 */
export interface UiState {
  /** Hovered element. */
  h?: NodeId;
  /** Active (pressed) element. */
  a?: NodeId;
  /** Focused element (inside frames and shadow roots: the innermost). */
  f?: NodeId;
  /** `true` when the focused element matches `:focus-visible`. */
  fv?: true;
  /**
   * Text selection of the page's document: `[anchorNode, anchorOffset, focusNode, focusOffset]`.
   * Absent when collapsed, outside what the agent has, or touching masked content.
   */
  sel?: [NodeId, number, NodeId, number];
}

/** Restriction marks: `0` none, `1` DOM control, `2` data masking (which is also DOM control). */
export type Restricted = 0 | 1 | 2;

export interface SerializedText {
  i: NodeId;
  t: 3;
  x: string;
}

export interface SerializedComment {
  i: NodeId;
  t: 8;
  x: string;
}

export interface SerializedCData {
  i: NodeId;
  t: 4;
  x: string;
}

export type SerializedNode =
  | SerializedDocument
  | SerializedShadowRoot
  | SerializedDoctype
  | SerializedElement
  | SerializedText
  | SerializedComment
  | SerializedCData;

export interface Viewport {
  /** `window.innerWidth`, CSS pixels. */
  w: number;
  /** `window.innerHeight`, CSS pixels. */
  h: number;
}

/** Payload of a frame of kind 1 (full snapshot). */
export interface FullSnapshot {
  url: string;
  title: string;
  viewport: Viewport;
  /** Window scroll offsets `[x, y]`. */
  scroll: [number, number];
  doc: SerializedDocument;
  /** Interaction state at the snapshot (absent: nothing hovered, focused nor selected). */
  ui?: UiState;
  /** Current times of the page's CSS animations and transitions (docs/PROTOCOL.md, "Animations"). */
  an?: AnimationTime[];
  /** The page's animations made by script (`element.animate()`; docs/PROTOCOL.md, "Animations"). */
  wa?: ScriptAnimation[];
}

/**
 * A Web Animation made by script (a `KeyframeEffect` on an element, not a CSS animation or
 * transition) in its current state: `n` its number (stable while the capture runs), `i` its target,
 * `kf` its keyframes (`effect.getKeyframes()`: `offset`, `easing`, `composite` and CSS properties in
 * camelCase with their values, URLs absolute), `tm` its timing (`effect.getTiming()`; an infinite
 * number is the string `"Infinity"`), `t` its current time in ms (`null`: none), `ps` its play state
 * and `r` its playback rate when not 1.
 */
export interface ScriptAnimation {
  n: number;
  i: NodeId;
  kf: Record<string, string | number | null>[];
  tm: Record<string, string | number>;
  t: number | null;
  ps: 'idle' | 'running' | 'paused' | 'finished';
  r?: number;
}

/**
 * A CSS animation or transition in its current state: `[target id, name, current time in ms,
 * paused]` where name is `a:` + the animation name or `t:` + the transitioned property, and paused
 * is `1` when script paused it.
 */
export type AnimationTime = [NodeId, string, number, 0 | 1];

/** Operations of an incremental batch, applied in order. */
export type Op =
  /** Insert `node` (a whole subtree) into `p` before `nx` (append when `nx` is null). */
  | { o: 'add'; p: NodeId; nx: NodeId | null; n: SerializedNode }
  /** Remove a node and its subtree. Unknown ids are ignored. */
  | { o: 'rm'; i: NodeId }
  /**
   * Set (`v` string) or remove (`v` null) an attribute of `i`, and of every element of `is` when
   * present (a run of elements whose attribute changed to the same value: one op for all).
   */
  | { o: 'attr'; i: NodeId; k: string; v: string | null; is?: NodeId[] }
  /** Set the data of a text, comment or CDATA node. */
  | { o: 'text'; i: NodeId; x: string }
  /** Form state of an input, textarea, select or option; each field present is set. */
  | { o: 'val'; i: NodeId; v?: string; k?: boolean; s?: boolean }
  /** Scroll offsets of an element, or of the window when `i` is the document's id (1). */
  | { o: 'scroll'; i: NodeId; x: number; y: number }
  /** The customer's viewport was resized. */
  | { o: 'vp'; w: number; h: number }
  /** The CSSOM text of a `<style>` or `<link>` element changed. */
  | { o: 'css'; i: NodeId; css: string }
  /**
   * The adopted stylesheets of document or shadow root `i` changed (another list, or rules of one of them): `as`
   * replaces the whole list (empty: none), each entry the text of one sheet.
   */
  | { o: 'adopt'; i: NodeId; as: string[] }
  /**
   * The script-added font faces of document `i` changed: `ff` replaces the whole list (empty: none),
   * `fx` how many were left out (absent when none).
   */
  | { o: 'fonts'; i: NodeId; ff: FontFaceEntry[]; fx?: number }
  /**
   * An animation made by script started, or was played, paused, finished or cancelled (`ps:
   * "idle"`): `a` is its whole state; the replica's animation number `a.n` is replaced by it.
   */
  | { o: 'anim'; a: ScriptAnimation }
  /** A media element's position (seconds) and play state changed (`p`: `1` playing). */
  | { o: 'media'; i: NodeId; t: number; p: 0 | 1 }
  /**
   * What a `<canvas>` shows now, as a `data:image/…` URL (never a masked canvas; at most twice a
   * second per canvas, only when the picture changed).
   */
  | { o: 'canvas'; i: NodeId; src: string }
  /** The image `i` loaded another file chosen from its candidates (see `SerializedElement.cs`). */
  | { o: 'cs'; i: NodeId; cs: string }
  /** The element entered (`tl` set) or left (`tl` null) the top layer. */
  | { o: 'tl'; i: NodeId; tl: TopLayer | null }
  /** The interaction state is now `s` (the whole state: absent fields are none). */
  | { o: 'ui'; s: UiState }
  /**
   * The element's own restriction mark changed without its content changing (DOM control added or
   * removed). A change of masking is sent as `rm` + `add` of the element instead, so that its
   * content is re-sent masked (or unmasked).
   */
  | { o: 'restrict'; i: NodeId; r: Restricted };

/** Payload of a frame of kind 2 (incremental batch). */
export interface Batch {
  ops: Op[];
}
