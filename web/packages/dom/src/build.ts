/**
 * Agent side: wire nodes → DOM nodes of the replica document. Shared by `rebuildDocument` and the
 * `add` op. The input is untrusted: every field is type-checked, every name validated, every
 * attribute sanitized again, and the safety rules are enforced whatever arrives:
 *
 * - a `<script>` (any namespace, any case) becomes an empty comment registered under its id, its
 *   children are not built;
 * - children of `<noscript>` are not built (the sandbox runs no script, so they would render);
 * - attributes go through `sanitizeAttribute` (no `on*`, no unsafe URL, no `srcdoc`, no frame
 *   `src`/`data`, no `<meta http-equiv>`, no `<base href>`);
 * - a `<link>` with `css` becomes a `<style>` holding those rules (registered under the link's id);
 * - `<video>` / `<audio>` are muted (the property, which no attribute changes), paused unless
 *   `md` says playing (which cancels `autoplay`), seeked and played, muted, as `md` says
 *   (`media.ts`);
 * - `r` becomes the restriction mark, `sz` a grey picture of that size (`marks.ts`); the page's
 *   own `data-cobrowse-*` attributes are dropped;
 * - names the DOM rejects fall back to `span` (elements) / are skipped (attributes), never throw.
 *
 * Sub-resources (docs/PROTOCOL.md, "Resources"): with a `mapUrl` hook, every value that makes the
 * replica load something (`resourceKind` in `replica-resources.ts`: `src`, `srcset`, `poster`,
 * `background`, a `<link>`'s `href`, SVG `href`/`xlink:href` and `url()` presentation attributes,
 * `style`) and all CSS text (`<style>` text, `css` and `as` payloads) is set as the hook maps it,
 * after sanitizing; a `<link>`'s `integrity` is then dropped (the proxy serves a rewritten stylesheet).
 *
 * Frames (docs/PROTOCOL.md, "Frames"): an `<iframe>` / `<frame>` never gets a `src`, its
 * `sandbox` is always `allow-same-origin` (no scripts, whatever the page's frame had), and its
 * fallback children are not built. The document the wire carries as its child is built inside the
 * replica frame's own (`about:blank`) document once the frame is attached, like the top document,
 * to `FRAME_DEPTH_LIMIT` frames deep; a frame marked `xo` gets the viewer's placeholder instead.
 *
 * Large subtrees (the children of an HTML element with `MARKUP_MIN_NODES` nodes or more) are
 * created by the browser's HTML parser from markup written from these same decisions, escaped, with
 * placeholders the builder fills for what the parser would build otherwise; a parsed tree that
 * differs from the wire is thrown away (`parseChildren`, `markup.ts`). The rules above hold either way.
 *
 * Form state (`v`, `k`, `s`) is set as properties once an element's children exist. Things that
 * need the node to be in the document — scroll offsets, CSSOM (`css`) and frame documents — are
 * queued in the `Build` and applied by `finishAttached` once the built tree is inserted.
 */

import type {
  NodeId,
  SerializedDocument,
  SerializedElement,
  SerializedNode,
  SerializedShadowRoot,
  TopLayer,
} from '@cobrowse/protocol';
import { DOCUMENT_ID } from './capture-mirror';
import { FRAME_DEPTH_LIMIT } from './context';
import { FALLBACK_DOCTYPE, FALLBACK_TAG, HTML_NS, isValidName, isValidQName, nsURI, SVG_NS, XLINK_NS, XML_NS } from './names';
import type { ReplicaMirror } from './replica-mirror';
import { sanitizeAttribute } from './sanitize';
import { applyChosenSource } from './chosen-source';
import { hasValueMode } from './form';
import { isReservedAttribute, setRestrictionMark, showMaskedImage } from './marks';
import { applyMediaState, ensureCanvasPicture, isHtmlCanvas } from './media';
import { applyFontFaces } from './fonts';
import { childrenMarkup, hasNodes, MARKUP_MIN_NODES, matchParsed, parsesChildren } from './markup';
import { cssMapper, mapCss, mapStyleChild, mapValue, resourceKindOf, type UrlMapper } from './replica-resources';
import { applyAdoptedSheets, applyStylesheetText } from './replica-sheets';
import { applyTopLayer } from './top-layer';

/** What the viewer does with the frame documents of the replica (all optional). */
export interface FrameHooks {
  /**
   * A frame's document was built (its content from the wire): the viewer adds its listeners and
   * stylesheet to it. Called after the document's own nested frames.
   */
  frameDocument?(doc: Document): void;
  /**
   * The top document's tree (`depth` 0: the replica's own document) is built and in the document,
   * before anything needs its style or layout (scroll offsets, the top layer, media, frames): the
   * viewer adds what changes the style of the whole document (its restriction stylesheet) here, so
   * that the page is styled and laid out once.
   */
  documentBuilt?(doc: Document): void;
  /** A frame whose content is not shared (`xo`): fill its (empty) document with a placeholder. */
  frameNotShared?(doc: Document): void;
  /**
   * A shadow root was attached to a replica element, before its children are built: the viewer
   * adds its restriction stylesheet to it (as the root's first child, outside the mirror).
   */
  shadowRoot?(root: ShadowRoot): void;
  /**
   * Maps the replica's sub-resource values (see `resourceKind` and `UrlMapper`), in frame
   * documents and shadow roots too; without it the replica keeps the page's URLs.
   */
  mapUrl?: UrlMapper;
}

export interface Build {
  readonly doc: Document;
  readonly mirror: ReplicaMirror;
  /** Base for stray relative URLs: the customer page's URL. */
  readonly base: string;
  /** Work that needs the built nodes to be attached: `[element, css]` or `[element, left, top]`. */
  readonly css: [Element, string][];
  readonly scroll: [Element, number, number][];
  /** Elements to put in the top layer once attached (`tl`). */
  readonly top: [Element, TopLayer][];
  /** Media elements to seek and play or pause once attached (`md`). */
  readonly media: [Element, number, 0 | 1][];
  /** Images and the file the customer's browser chose for them (`cs`), applied once built. */
  readonly chosen: [Element, string][];
  /** Frame elements and the document to build in each (`null`: not shared, a placeholder). */
  readonly frames: [Element, SerializedDocument | null][];
  readonly hooks: FrameHooks;
  /** How many frames deep `doc` is (0: the replica's top document). */
  readonly depth: number;
}

export function startBuild(doc: Document, mirror: ReplicaMirror, hooks: FrameHooks = {}, depth = 0): Build {
  return { doc, mirror, base: mirror.baseURL, css: [], scroll: [], top: [], media: [], chosen: [], frames: [], hooks, depth };
}

function isFrameName(name: string): boolean {
  if (name === 'iframe' || name === 'frame') return true;
  // Without allocating for every other name (called per attribute set).
  if (name.length !== 5 && name.length !== 6) return false;
  const lower = name.toLowerCase();
  return lower === 'iframe' || lower === 'frame';
}

function isId(i: unknown): i is NodeId {
  return typeof i === 'number' && i > 0 && Number.isInteger(i);
}

/**
 * Gives every node of wire tree `root` whose `i` is `0` its implicit id: the id of the node before
 * it in the JSON text (a node, then its children in order: shadow roots, frame documents and the
 * children of elements the replica does not build count too) plus one (docs/PROTOCOL.md, "Nodes").
 * `root` keeps its own; a root without a valid id is left as it is (as are nodes after one that
 * has no valid id: the build skips them). Iterative (any depth), and it only overwrites a number
 * (no new property, no allocation per node); run on a full snapshot's tree and on an `add` op's
 * node before they are built.
 */
export function restoreImplicitIds(root: unknown): void {
  if (typeof root !== 'object' || root === null) return;
  let last = (root as { i?: unknown }).i;
  if (!isId(last)) return;
  const lists: unknown[][] = [];
  const at: number[] = [];
  const rootChildren = (root as { c?: unknown }).c;
  if (Array.isArray(rootChildren)) {
    lists.push(rootChildren);
    at.push(0);
  }
  while (lists.length > 0) {
    const depth = lists.length - 1;
    const list = lists[depth] as unknown[];
    const k = at[depth] as number;
    if (k >= list.length) {
      lists.pop();
      at.pop();
      continue;
    }
    at[depth] = k + 1;
    const n = list[k];
    if (typeof n !== 'object' || n === null) continue;
    const node = n as { i?: unknown; c?: unknown };
    if (node.i === 0 && isId(last)) node.i = (last as number) + 1;
    last = node.i;
    if (Array.isArray(node.c)) {
      lists.push(node.c);
      at.push(0);
    }
  }
}

/** Registers a node the build has just created (so never registered before). */
function register(b: Build, i: unknown, node: Node): void {
  if (isId(i)) b.mirror.setNew(i, node);
}

function createElement(b: Build, name: string, ns: string): Element {
  const doc = b.doc;
  try {
    if (ns === HTML_NS) {
      // createElement, not createElementNS: a parsed `a:b` is one local name, not prefix + name.
      if (isValidName(name)) return doc.createElement(name);
    } else if (isValidQName(name)) {
      return doc.createElementNS(ns, name);
    }
  } catch {
    // fall through
  }
  return ns === HTML_NS ? doc.createElement(FALLBACK_TAG) : doc.createElementNS(ns, FALLBACK_TAG);
}

/**
 * What the replica does with attribute `name` = `value` (`null`: removed) of an element `local` in
 * namespace `ns` (its URI, or the element): `undefined` when it is skipped (invalid names;
 * reserved names, `data-cobrowse-*`: the viewer's marks, which no page attribute may set or
 * remove; a frame's `sandbox`), `null` when the attribute must not exist, else the value to set:
 * sanitized, then mapped by `mapUrl` when it loads a sub-resource (a `<link>`'s `integrity` is then
 * dropped). The one decision both ways of building use: `setAttribute` and the parser's markup
 * (`markup.ts`).
 */
export function attributeValue(
  ns: string | null | Element,
  local: string,
  name: string,
  value: string | null,
  base: string,
  mapUrl?: UrlMapper,
): string | null | undefined {
  if (!isValidName(name) || isReservedAttribute(name)) return undefined;
  // A replica frame keeps the sandbox the build gave it.
  if (isFrameName(local) && name.toLowerCase() === 'sandbox') return undefined;
  let clean = value === null ? null : sanitizeAttribute(local, name, value, base);
  if (mapUrl !== undefined && clean !== null) {
    const kind = resourceKindOf(ns, local, name);
    if (kind !== null) clean = mapValue(mapUrl, clean, kind, base);
    // The proxy serves a stylesheet with its references rewritten: its hash is not the page's.
    else if (local === 'link' && name.toLowerCase() === 'integrity') clean = null;
  }
  return clean;
}

/**
 * Sets one attribute as `attributeValue` decides; skipped attributes and DOM refusals return
 * false. `local` is the element's `localName`, which callers read once per element (a DOM getter
 * is a call into the browser; a snapshot sets hundreds of thousands of attributes).
 */
export function setAttribute(
  el: Element,
  local: string,
  name: string,
  value: string | null,
  base: string,
  mapUrl?: UrlMapper,
  ns: string | null | Element = el,
): boolean {
  const clean = attributeValue(ns, local, name, value, base, mapUrl);
  if (clean === undefined) return false;
  try {
    if (clean === null) {
      el.removeAttribute(name);
    } else if (name.startsWith('xlink:')) {
      el.setAttributeNS(XLINK_NS, name, clean);
    } else if (name.startsWith('xml:')) {
      el.setAttributeNS(XML_NS, name, clean);
    } else {
      el.setAttribute(name, clean);
    }
    return true;
  } catch {
    return false;
  }
}

/** Form state as properties; `v` absent means empty, `k`/`s` absent mean false. */
export function applyFormState(el: Element, w: { v?: unknown; k?: unknown; s?: unknown }, partial: boolean, local = el.localName): void {
  // The name first: most elements are no form control, and `namespaceURI` is a call into the DOM.
  if (local !== 'input' && local !== 'textarea' && local !== 'select' && local !== 'option') return;
  if (el.namespaceURI !== HTML_NS) return;
  try {
    switch (local) {
      case 'input': {
        const input = el as HTMLInputElement;
        const type = input.type;
        if (type === 'checkbox' || type === 'radio') {
          if (!partial || typeof w.k === 'boolean') input.checked = w.k === true;
        } else if (hasValueMode(type)) {
          if (!partial || typeof w.v === 'string') input.value = typeof w.v === 'string' ? w.v : '';
        }
        return;
      }
      case 'textarea':
        if (!partial || typeof w.v === 'string') {
          (el as HTMLTextAreaElement).value = typeof w.v === 'string' ? w.v : '';
        }
        return;
      case 'select': {
        // Selectedness comes from the options' `s`; `v` only corrects a single select.
        const select = el as HTMLSelectElement;
        if (typeof w.v === 'string' && !select.multiple && select.value !== w.v) select.value = w.v;
        return;
      }
      case 'option':
        if (!partial || typeof w.s === 'boolean') (el as HTMLOptionElement).selected = w.s === true;
        return;
    }
  } catch {
    // A hostile value (e.g. on a file input) is not worth an exception.
  }
}

/**
 * What a replica element `el` (in namespace `ns`, its `localName` `local`) gets from its wire
 * element `n` once its attributes are set, and its registration: a frame's sandbox and document,
 * the restriction mark, a masked image's picture, and what is queued until the tree is attached
 * (CSSOM, top layer, media state, chosen source, scroll offsets). Used for the elements the builder
 * creates and those the parser created from the markup (`markup.ts`).
 */
export function elementCreated(b: Build, el: Element, n: SerializedElement, ns: string, local: string): void {
  if (ns === HTML_NS && isFrameName(local)) {
    // Inert whatever the page's frame had: no scripts, no src (sanitizing dropped both).
    el.setAttribute('sandbox', 'allow-same-origin');
    const content = Array.isArray(n.c) ? n.c.find((c) => typeof c === 'object' && c !== null && c.t === 9) : undefined;
    if (content !== undefined) b.frames.push([el, content as SerializedDocument]);
    else if (n.xo === true) b.frames.push([el, null]);
  }
  if (n.r === 1 || n.r === 2) setRestrictionMark(el, n.r);
  if (n.sz !== undefined) showMaskedImage(el, n.sz);
  if (typeof n.css === 'string' && local === 'style') b.css.push([el, mapCss(b.hooks.mapUrl, n.css, b.base)]);
  if (n.tl === 'modal' || n.tl === 'popover') b.top.push([el, n.tl]);
  if (ns === HTML_NS && (local === 'video' || local === 'audio')) {
    // Muted for good: the `muted` property does not follow the attribute once created, so no
    // `attr` op can unmute it.
    try {
      (el as HTMLMediaElement).muted = true;
    } catch {
      // not a real media element in this document
    }
    // Seeked and played or paused once attached; paused (at 0) when `md` is absent, which also
    // cancels `autoplay` (pause() clears the element's can-autoplay flag).
    const md = n.md;
    const ok = Array.isArray(md) && typeof md[0] === 'number';
    b.media.push([el, ok ? (md[0] as number) : 0, ok && md[1] === 1 ? 1 : 0]);
  }
  if (typeof n.cs === 'string') b.chosen.push([el, n.cs]);
  const sc = n.sc;
  if (Array.isArray(sc) && typeof sc[0] === 'number' && typeof sc[1] === 'number') {
    b.scroll.push([el, sc[0], sc[1]]);
  }
  register(b, n.i, el);
}

/** Creates one node (without children) and registers it; `null` when the input is not a node. */
function createNode(b: Build, n: SerializedNode): Node | null {
  if (typeof n !== 'object' || n === null) return null;
  const doc = b.doc;
  switch (n.t) {
    case 1: {
      const name = typeof n.n === 'string' ? n.n : '';
      if (name.toLowerCase() === 'script') {
        const placeholder = doc.createComment('');
        register(b, n.i, placeholder);
        return placeholder;
      }
      const ns = nsURI(n.ns === 'svg' || n.ns === 'math' ? n.ns : undefined);
      const fromLink = ns === HTML_NS && typeof n.css === 'string' && name.toLowerCase() === 'link';
      const el = createElement(b, fromLink ? 'style' : name, ns);
      // Read once: every check below needs it (the element's namespace is `ns`).
      const local = el.localName;
      const a = n.a;
      if (typeof a === 'object' && a !== null) {
        const keys = Object.keys(a);
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k] as string;
          const value = a[key];
          if (typeof value === 'string') setAttribute(el, local, key, value, b.base, b.hooks.mapUrl, ns);
        }
      }
      elementCreated(b, el, n, ns, local);
      return el;
    }
    case 3: {
      const text = doc.createTextNode(String(n.x ?? ''));
      register(b, n.i, text);
      return text;
    }
    case 4: {
      let node: Node;
      try {
        node = doc.createCDATASection(String(n.x ?? ''));
      } catch {
        node = doc.createTextNode(String(n.x ?? '')); // HTML documents have no CDATA sections
      }
      register(b, n.i, node);
      return node;
    }
    case 8: {
      const comment = doc.createComment(String(n.x ?? ''));
      register(b, n.i, comment);
      return comment;
    }
    case 10: {
      const pub = typeof n.pub === 'string' ? n.pub : '';
      const sys = typeof n.sys === 'string' ? n.sys : '';
      let dt: DocumentType;
      try {
        dt = doc.implementation.createDocumentType(isValidQName(String(n.n)) ? String(n.n) : FALLBACK_DOCTYPE, pub, sys);
      } catch {
        dt = doc.implementation.createDocumentType(FALLBACK_DOCTYPE, '', '');
      }
      register(b, n.i, dt);
      return dt;
    }
    case 9:
      return null; // a document inside a tree
    case 11:
      return null; // a shadow root: `buildTree` attaches it to its host
    default: {
      const unknown: never = n; // exhaustive at compile time; unknown types from the wire at run time
      void unknown;
      return null;
    }
  }
}

/** The `localName` of an element, `''` for other nodes (a wire element may become a comment: `<script>`). */
function localNameOf(node: Node): string {
  return node.nodeType === 1 ? (node as Element).localName : '';
}

/** `local`: the element's `localName` (`''` for a node that is no element). */
function buildsChildren(node: Node, n: SerializedElement, local: string): boolean {
  if (node.nodeType !== 1 || !Array.isArray(n.c) || n.c.length === 0) return false;
  // A canvas's children are fallback content, which the script-less replica would render: its
  // only child is the viewer's picture (`ensureCanvasPicture`).
  return local !== 'noscript' && local !== 'script' && !isFrameName(local) && !(local === 'canvas' && isHtmlCanvas(node as Element));
}

/** `local`: the element's `localName` (`''` for a node that is no element). */
function finishElement(b: Build, node: Node, n: SerializedElement, local: string): void {
  if (node.nodeType !== 1) return;
  applyFormState(node as Element, n, false, local);
  if (local === 'canvas' && isHtmlCanvas(node as Element)) ensureCanvasPicture(node as Element);
  if (b.hooks.mapUrl !== undefined && local === 'style') {
    for (let c = node.firstChild; c !== null; c = c.nextSibling) mapStyleChild(node, c, b.hooks.mapUrl, b.base);
  }
}

/** Appends a finished node to its (parentless) parent; false when the DOM refuses it. */
function attach(b: Build, parent: Node, node: Node): boolean {
  try {
    parent.appendChild(node);
    return true;
  } catch {
    b.mirror.removeSubtree(node); // e.g. a doctype inside an element
    return false;
  }
}

/** How many placeholders deep (`markup.ts`) the children of large elements are parsed from markup. */
const MARKUP_LEVELS = 4;

/**
 * Builds the children of `el`, just created for wire element `n` (`local`: its `localName`), with
 * the browser's HTML parser when they are many and can be written as markup (`markup.ts`): `el`'s
 * `innerHTML` is set to markup written from the builder's own decisions (while `el` is detached,
 * in the replica's document: its sandbox runs no script, and the fragment parser never runs the
 * scripts it creates, which the markup never has), the wire ids are mapped onto the parsed nodes,
 * each element gets what `elementCreated` gives, form controls their state, and the placeholders
 * are replaced by the subtrees the builder builds (`levels - 1` placeholders deep). True when done;
 * false when not tried (few nodes, an element whose children the parser reads otherwise, not an HTML
 * document); `null` when the parsed tree differed from the wire: nothing of it is kept (fail closed).
 */
function parseChildren(b: Build, el: Element, n: SerializedElement, local: string, levels: number): boolean | null {
  if (n.ns === 'svg' || n.ns === 'math' || !parsesChildren(local) || !hasNodes(n, MARKUP_MIN_NODES)) return false;
  if (b.doc.contentType !== 'text/html') return false;
  const mapUrl = b.hooks.mapUrl;
  const base = b.base;
  const markup = childrenMarkup(n, local, {
    attribute: (l, name, value) => attributeValue(HTML_NS, l, name, value, base, mapUrl),
    styleText: (text) => mapCss(mapUrl, text, base),
  });
  if (markup === null) return false;
  const pairs: (SerializedNode | Node)[] = [];
  const holes: (SerializedNode | Node | null)[] = [];
  try {
    el.innerHTML = markup.html;
    if (!matchParsed(el, n, markup, pairs, holes)) {
      el.textContent = '';
      return null;
    }
  } catch {
    el.textContent = '';
    return null;
  }
  for (let k = 0; k < pairs.length; k += 2) {
    const w = pairs[k] as SerializedNode;
    const node = pairs[k + 1] as Node;
    if (w.t === 1) {
      // The parsed element's name is the wire's (`matchParsed` checked it).
      const name = w.n;
      elementCreated(b, node as Element, w, HTML_NS, name);
      if (name === 'input' || name === 'textarea') applyFormState(node as Element, w, false, name);
    } else {
      register(b, w.i, node);
    }
  }
  for (let k = 0; k < holes.length; k += 2) {
    const placeholder = holes[k] as Node;
    const parent = placeholder.parentNode as Node;
    const wire = holes[k + 1] as SerializedNode | null;
    // A separator between two texts.
    if (wire === null) {
      parent.removeChild(placeholder);
      continue;
    }
    const node = buildTree(b, wire, levels - 1);
    try {
      if (node === null) parent.removeChild(placeholder);
      else parent.replaceChild(node, placeholder);
    } catch {
      if (node !== null) b.mirror.removeSubtree(node); // e.g. a doctype inside an element
      parent.removeChild(placeholder);
    }
  }
  return true;
}

/**
 * Builds the wire nodes `nodes`, siblings that go into a replica HTML element `local` (a run of
 * `add` ops into one place), through the parser as `parseChildren` builds an element's children:
 * a fragment holding them, or `null` when they are not parsed (few nodes, a parent whose children
 * the parser reads otherwise, or a parse that failed closed: nothing of it is kept or registered).
 */
export function parseSiblings(b: Build, local: string, nodes: SerializedNode[]): DocumentFragment | null {
  if (!parsesChildren(local)) return null;
  const holder = b.doc.createElement(local);
  if (parseChildren(b, holder, { i: 0, t: 1, n: local, c: nodes }, local, MARKUP_LEVELS) !== true) return null;
  const fragment = b.doc.createDocumentFragment();
  while (holder.firstChild !== null) fragment.appendChild(holder.firstChild);
  return fragment;
}

/**
 * Builds `root` and its subtree (detached), registering every node. Iterative: `frames` holds the
 * wire elements whose children are being built, `nodes` their DOM nodes and `next` the index of the
 * next child. The children of large HTML elements are parsed from markup instead (`parseChildren`,
 * to `markupLevels` placeholders deep; after a parse that failed closed, no more in this tree).
 *
 * Bottom-up: a node is appended to its parent once its own children are built, so every append
 * goes into a parentless node. DOM insertion checks and bookkeeping walk the parent's ancestors;
 * top-down building would make a deep tree cost O(nodes × depth).
 */
export function buildTree(b: Build, root: SerializedNode, markupLevels = MARKUP_LEVELS): Node | null {
  const top = createNode(b, root);
  if (top === null || root.t !== 1) return top;
  const topLocal = localNameOf(top);
  let levels = markupLevels;
  /** True when the children of `node` (for `n`) were parsed; stops parsing once one failed. */
  const parsed = (node: Node, n: SerializedElement, local: string): boolean => {
    if (levels <= 0) return false;
    const done = parseChildren(b, node as Element, n, local, levels);
    if (done === null) levels = 0;
    return done === true;
  };
  if (!buildsChildren(top, root, topLocal) || parsed(top, root, topLocal)) {
    finishElement(b, top, root, topLocal);
    return top;
  }
  const frames: (SerializedElement | SerializedShadowRoot)[] = [root];
  const nodes: Node[] = [top];
  /** The `localName` of each of `nodes` (`''`: a shadow root). */
  const locals: string[] = [topLocal];
  const next: number[] = [0];
  let depth = 0;
  while (depth >= 0) {
    const frame = frames[depth] as SerializedElement;
    const children = frame.c as SerializedNode[];
    const index = next[depth] as number;
    const parent = nodes[depth] as Node;
    if (index >= children.length) {
      if (frame.t === 1) finishElement(b, parent, frame, locals[depth] as string);
      frames.pop();
      nodes.pop();
      locals.pop();
      next.pop();
      depth--;
      // A shadow root is attached to its host already.
      if (depth >= 0 && parent.nodeType !== 11) attach(b, nodes[depth] as Node, parent);
      continue;
    }
    next[depth] = index + 1;
    const child = children[index] as SerializedNode;
    if (typeof child === 'object' && child !== null && child.t === 11) {
      const shadow = attachShadowRoot(b, parent, child);
      if (shadow !== null && Array.isArray(child.c) && child.c.length > 0) {
        frames.push(child);
        nodes.push(shadow);
        locals.push('');
        next.push(0);
        depth++;
      }
      continue;
    }
    const node = createNode(b, child);
    if (node === null) continue;
    if (child.t === 1) {
      const local = localNameOf(node);
      if (buildsChildren(node, child, local) && !parsed(node, child, local)) {
        frames.push(child);
        nodes.push(node);
        locals.push(local);
        next.push(0);
        depth++;
        continue;
      }
      finishElement(b, node, child, local);
    }
    attach(b, parent, node);
  }
  return top;
}

/**
 * Attaches an open shadow root to replica element `host` for the wire root `n` (its children are
 * built by the caller), registers it, adopts its sheets (`as`) and tells the viewer. `null` when
 * the host already has one (a second wire root is ignored) or cannot have one (`attachShadow`
 * refuses, e.g. on `<input>`): the root's content is then not built. The host stays an inert
 * element of the replica: no custom element is ever defined there, nothing upgrades it.
 */
function attachShadowRoot(b: Build, host: Node, n: SerializedShadowRoot): ShadowRoot | null {
  if (host.nodeType !== 1) return null;
  const el = host as Element;
  let root: ShadowRoot;
  try {
    if (el.shadowRoot !== null) return null;
    root = el.attachShadow({ mode: 'open' });
  } catch {
    return null;
  }
  register(b, n.i, root);
  if (n.as !== undefined) applyAdoptedSheets(root, n.as, cssMapper(b.hooks.mapUrl, b.base));
  try {
    b.hooks.shadowRoot?.(root);
  } catch {
    // the viewer's problem; the root is built anyway
  }
  return root;
}

/** Applies queued stylesheet text and scroll offsets once the built nodes are in the document. */
export function finishAttached(b: Build): void {
  for (const [el, css] of b.css) {
    try {
      applyStylesheetText(el, css);
    } catch {
      // keep going: one broken stylesheet must not stop the rest
    }
  }
  for (const [el, left, top] of b.scroll) {
    try {
      el.scrollLeft = left;
      el.scrollTop = top;
    } catch {
      // ignore
    }
  }
  for (const [el, tl] of b.top) applyTopLayer(el, tl);
  for (const [el, t, playing] of b.media) applyMediaState(el, t, playing);
  b.media.length = 0;
  // After the whole tree: a <picture>'s <source>s are built before its <img>.
  for (const [el, cs] of b.chosen) applyChosenSource(el, cs, b.base, b.hooks.mapUrl);
  b.chosen.length = 0;
  b.css.length = 0;
  b.scroll.length = 0;
  b.top.length = 0;
  const frames = b.frames.splice(0);
  for (const [el, content] of frames) {
    try {
      buildFrame(b, el, content);
    } catch {
      // one broken frame must not stop the rest
    }
  }
}

/** The replica document of a replica frame element, or `null` (not attached, or refused). */
function frameDocument(el: Element): Document | null {
  try {
    return (el as HTMLIFrameElement).contentDocument ?? null;
  } catch {
    return null;
  }
}

function buildFrame(b: Build, el: Element, content: SerializedDocument | null): void {
  const doc = frameDocument(el);
  if (doc === null) return;
  b.mirror.setFrame(el, doc);
  if (content === null) {
    b.hooks.frameNotShared?.(doc);
    return;
  }
  if (b.depth + 1 > FRAME_DEPTH_LIMIT) return;
  fillDocument(doc, content, b.mirror, b.hooks, b.depth + 1);
  b.hooks.frameDocument?.(doc);
}

/**
 * Replaces the content of `doc` with the wire document `root` (registering `doc` under its id and
 * every node built), synchronously: `open(); write()` gives it the page's compat mode (the parser
 * is left open, see below), its children are then replaced by the built tree; its adopted stylesheets and script-added fonts,
 * the viewer's `documentBuilt` hook (top document), then what needs layout (scroll offsets, the top
 * layer, media, chosen sources) and nested frames follow. A frame document's `sc` scrolls its window.
 */
export function fillDocument(doc: Document, root: SerializedDocument, mirror: ReplicaMirror, hooks: FrameHooks, depth: number): void {
  const quirks = typeof root === 'object' && root !== null && root.quirks === true;
  try {
    doc.open();
    // The parser decides the mode on its first token: a doctype (standards) or anything else
    // (quirks). It is left open, never `close()`d: a document whose parsing has ended makes the
    // agent's browser do per-form-control work when form controls are inserted or parsing ends
    // (a page with thousands of form controls took seconds more to style and lay out, superlinearly
    // in their number); an open document's replica is built, styled and laid out like any other.
    // The next snapshot's `open()` aborts the parser. No script ever runs in the replica, so
    // nothing else writes to it.
    doc.write(quirks ? '<html>' : '<!DOCTYPE html>');
  } catch {
    // Not an HTML document, or one that refuses open(): keep its mode, replace its children.
  }
  while (doc.firstChild !== null) doc.removeChild(doc.firstChild);
  mirror.set(typeof root?.i === 'number' && root.i > 0 ? root.i : DOCUMENT_ID, doc);
  const children = typeof root === 'object' && root !== null && Array.isArray(root.c) ? root.c : [];
  const b = startBuild(doc, mirror, hooks, depth);
  for (const child of children) {
    const node = buildTree(b, child);
    if (node === null) continue;
    try {
      doc.appendChild(node);
    } catch {
      mirror.removeSubtree(node); // a second root element, text under the document, …
    }
  }
  // Stylesheets and fonts before anything lays the document out (`finishAttached`).
  applyAdoptedSheets(doc, root?.as, cssMapper(hooks.mapUrl, mirror.baseURL));
  applyFontFaces(doc, root?.ff, cssMapper(hooks.mapUrl, mirror.baseURL));
  if (depth === 0) {
    try {
      hooks.documentBuilt?.(doc);
    } catch {
      // the viewer's problem; the document is built anyway
    }
  }
  finishAttached(b);
  const sc = root?.sc;
  if (depth > 0 && Array.isArray(sc) && typeof sc[0] === 'number' && typeof sc[1] === 'number') {
    try {
      doc.defaultView?.scrollTo({ left: sc[0], top: sc[1], behavior: 'instant' });
    } catch {
      // ignore
    }
  }
}
