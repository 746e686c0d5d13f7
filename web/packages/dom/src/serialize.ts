/**
 * Customer side: DOM → wire nodes (`FullSnapshot`, `SerializedNode`).
 *
 * The walk is iterative (explicit stacks, `firstChild`/`nextSibling` through `ctx.dom`): pages nest
 * thousands of levels deep, and the walker's state is two arrays, which is what time-slicing will
 * need to suspend and resume it.
 *
 * What is never captured: `<script>` (any namespace) and its text, children of `<noscript>`,
 * service elements and their subtrees, processing instructions, `on*` attributes, unsafe URLs,
 * `srcdoc` (see `sanitizeAttribute`). `isCapturedNode` / `capturesChildren` state these rules for
 * the mutation code, which must agree with the walk.
 *
 * Masking (docs/PROTOCOL.md, "What masking does"; the rules are in `mask.ts`): the walk carries the
 * masked state down its stack. A root's state is that of its parent (`MaskScope.isMasked`); an
 * element is masked when it is in `match.mask` or its parent is. Masked nodes are written masked
 * from their very first serialization; elements that match a restriction themselves carry `r`.
 */

import type {
  FullSnapshot,
  SerializedDocument,
  SerializedElement,
  SerializedNode,
  SerializedShadowRoot,
} from '@cobrowse/protocol';
import { FRAME_DEPTH_LIMIT, frameContent, isFrameElement, type CaptureContext } from './context';
import { hasValueMode } from './form';
import {
  createMaskScope,
  hasBackgroundImage,
  isImageElement,
  maskAttribute,
  maskedTitle,
  maskText,
  maskValue,
  renderedSize,
  type MaskScope,
} from './mask';
import type { RestrictionMatch } from './restriction';
import { FALLBACK_DOCTYPE, FALLBACK_TAG, isValidName, isValidQName, nsTag } from './names';
import { absolutizeCss, sanitizeAttribute } from './sanitize';
import { adoptedCss, adoptedSheets, linkElementCss, styleElementCss } from './stylesheet';
import { fontFaceEntries, scriptFontFaces } from './fonts';
import { topLayerOf } from './interaction';
import { mediaState } from './media';
import { chosenSource } from './chosen-source';

/** Values of one document read once per walk (the base URL can change: `<base>` inserted). */
export interface DocumentInfo {
  readonly base: string;
  readonly scrolling: Element | null;
}

/** Per-walk values read once. */
export interface Walk {
  readonly ctx: CaptureContext;
  /** The page document's base URL and scrolling element (`info` has those of frame documents). */
  readonly base: string;
  readonly scrolling: Element | null;
  /** The restriction match this walk masks by (one per snapshot or batch). */
  readonly scope: MaskScope;
  /** Base URL and scrolling element per document met (frame documents). */
  readonly docs: Map<Document, DocumentInfo>;
  /** Whether script changed a sheet through the CSSOM (`ctx.scriptedSheets`). */
  readonly scripted: (sheet: CSSStyleSheet) => boolean;
  /**
   * No scroll offsets (`sc`): a batch's walk over nodes just added, where reading them would force
   * a synchronous layout of the changed page; their scroll events send them (`scroll` ops).
   */
  readonly noScroll?: boolean;
}

/** A walk masking by `match` (computed now by `ctx.match()`, frames included, when absent). */
export function startWalk(ctx: CaptureContext, match?: RestrictionMatch): Walk {
  const doc = ctx.doc;
  const top: DocumentInfo = { base: doc.baseURI || doc.URL, scrolling: scrollingElement(doc) };
  return {
    ctx,
    base: top.base,
    scrolling: top.scrolling,
    scope: createMaskScope(ctx, match ?? ctx.match()),
    docs: new Map([[doc, top]]),
    scripted: (sheet) => ctx.scriptedSheets.has(sheet),
  };
}

/** Base URL and scrolling element of the document `node` belongs to. */
export function documentInfo(w: Walk, node: Node): DocumentInfo {
  const owner = node.nodeType === 9 ? (node as Document) : node.ownerDocument;
  if (owner === null) return w.docs.get(w.ctx.doc) as DocumentInfo;
  let info = w.docs.get(owner);
  if (info === undefined) {
    info = { base: owner.baseURI || owner.URL, scrolling: scrollingElement(owner) };
    w.docs.set(owner, info);
  }
  return info;
}

/**
 * What a frame element's serialization carries: its readable content document (recorded with
 * `ctx.showFrame`), else `xo` (unreadable: another origin) on `out`. Beyond `FRAME_DEPTH_LIMIT`
 * neither. Returns the document whose children come next, or `null`.
 */
function frameChild(el: Element, out: SerializedElement, ctx: CaptureContext): Document | null {
  if (ctx.frameDepth(el.ownerDocument) + 1 > FRAME_DEPTH_LIMIT) {
    ctx.showFrame(el, null);
    return null;
  }
  const content = frameContent(el);
  ctx.showFrame(el, content);
  if (content === null) out.xo = true;
  return content;
}

/** The element whose scroll is the window's (`document.scrollingElement`, computed where missing). */
export function scrollingElement(doc: Document): Element | null {
  const el = doc.scrollingElement;
  if (el !== undefined) return el;
  return doc.compatMode === 'BackCompat' ? doc.body : doc.documentElement;
}

/** `<script>` in any namespace and any case (`createElementNS` keeps the case it is given). */
function isScript(local: string): boolean {
  return local === 'script' || (local.length === 6 && local.toLowerCase() === 'script');
}

/** True when `node` itself is serialized (given that its parent's children are). */
export function isCapturedNode(node: Node, ctx: CaptureContext): boolean {
  switch (node.nodeType) {
    case 1:
      return !isScript((node as Element).localName) && !ctx.isService(node as Element);
    case 3:
    case 4:
    case 8:
    case 10:
      return true;
    case 9:
      // Only reached for a frame's document, under its frame element.
      return true;
    case 11:
      // Only reached for an open shadow root, under its host.
      return true;
    default:
      return false;
  }
}

/** True when the children of a captured node are serialized too. */
export function capturesChildren(node: Node): boolean {
  const t = node.nodeType;
  if (t === 9 || t === 11) return true;
  if (t !== 1) return false;
  const name = (node as Element).localName;
  return name !== 'noscript' && !isScript(name);
}

/**
 * Form state of an HTML element into `out` (`v` omitted when empty, `k`/`s` only when true). A
 * masked element's `v` is asterisks; a masked `<select>` carries no `v` (its value is the value of
 * a masked option; the options' `s` say which one is selected).
 */
function formState(el: Element, name: string, out: SerializedElement, masked: boolean): void {
  switch (name) {
    case 'input': {
      const input = el as HTMLInputElement;
      const type = input.type;
      if (type === 'checkbox' || type === 'radio') {
        if (input.checked) out.k = true;
      } else if (hasValueMode(type)) {
        const v = input.value;
        if (v !== '') out.v = masked ? maskValue(v) : v;
      }
      return;
    }
    case 'textarea': {
      const v = (el as HTMLTextAreaElement).value;
      if (v !== '' && v != null) out.v = masked ? maskValue(v) : v;
      return;
    }
    case 'select': {
      const v = (el as HTMLSelectElement).value;
      if (v !== '' && v != null && !masked) out.v = v;
      return;
    }
    case 'option':
      if ((el as HTMLOptionElement).selected) out.s = true;
      return;
  }
}

/**
 * Sanitized attributes (then masked when `masked`), or `undefined` when none remain.
 * `getAttributeNames` + `getAttribute` avoid creating an `Attr` object per attribute (what iterating
 * `el.attributes` does in browsers).
 */
function readAttributes(el: Element, local: string, base: string, masked: boolean): Record<string, string> | undefined {
  const names = el.getAttributeNames();
  const count = names.length;
  if (count === 0) return undefined;
  // Null prototype: attribute names are page-controlled keys (`__proto__`, setters on Object.prototype).
  let a: Record<string, string> | undefined;
  for (let i = 0; i < count; i++) {
    const name = names[i] as string;
    if (!isValidName(name)) continue;
    // getAttribute lowercases its argument on HTML elements: a mixed-case name set with
    // setAttributeNS needs the attribute node.
    const raw = el.getAttribute(name) ?? el.attributes.getNamedItemNS(null, name)?.value ?? null;
    if (raw === null) continue;
    let value = sanitizeAttribute(local, name, raw, base);
    if (value !== null && masked) value = maskAttribute(name, value);
    if (value === null) continue;
    if (a === undefined) a = Object.create(null) as Record<string, string>;
    a[name] = value;
  }
  return a;
}

/** `masked`: the element's own state (it is in `match.mask` or inside a masked element). */
function serializeElement(el: Element, w: Walk, masked: boolean): SerializedElement | null {
  const ctx = w.ctx;
  const local = el.localName;
  if (isScript(local) || ctx.isService(el)) return null;
  const ns = nsTag(el.namespaceURI);
  const valid = ns === undefined ? isValidName(local) : isValidQName(local);
  const out: SerializedElement = { i: ctx.mirror.assign(el), t: 1, n: valid ? local : FALLBACK_TAG };
  if (ns !== undefined) out.ns = ns;

  const info = el.ownerDocument === ctx.doc ? w : documentInfo(w, el);
  const base = info.base;
  const a = readAttributes(el, local, base, masked);
  if (a !== undefined) out.a = a;

  const r = w.scope.markOf(el);
  if (r !== 0) out.r = r;
  if (masked && (isImageElement(el) || hasBackgroundImage(el))) out.sz = renderedSize(el);

  if (ns === undefined) {
    formState(el, local, out, masked);
    if (local === 'style') {
      const css = styleElementCss(el, base, w.scripted);
      if (css !== undefined) out.css = css;
    } else if (local === 'link') {
      const css = linkElementCss(el, base);
      if (css !== undefined) out.css = css;
    }
  } else if (local === 'style') {
    const css = styleElementCss(el, base, w.scripted);
    if (css !== undefined) out.css = css;
  }

  // The file the customer's browser chose among an image's candidates (never of masked images).
  if (ns === undefined && !masked && local === 'img') {
    const cs = chosenSource(el);
    if (cs !== undefined) out.cs = cs;
  }

  // Media position and play state (never of masked media).
  if (ns === undefined && !masked && (local === 'video' || local === 'audio')) {
    const md = mediaState(el);
    if (md !== undefined) out.md = md;
  }

  // The top layer (modal dialogs, open popovers): one selector match for the few elements concerned.
  if (ns === undefined && (local === 'dialog' || (a !== undefined && a['popover'] !== undefined))) {
    const tl = topLayerOf(el);
    if (tl !== undefined) out.tl = tl;
  }

  // Reading scroll offsets costs a layout check per element: only HTML elements that have content
  // to scroll (children, or an input's text) are asked.
  if (
    ns === undefined &&
    !w.noScroll &&
    el !== info.scrolling &&
    (ctx.dom.firstChild(el) !== null || local === 'input' || local === 'textarea')
  ) {
    const left = el.scrollLeft;
    const top = el.scrollTop;
    if (left || top) out.sc = [left, top];
  }
  return out;
}

/**
 * One node without its children; `null` when it is not captured. `masked`: for an element its own
 * masked state, for other nodes their parent's. Text of a `<style>` is never masked.
 */
function serializeShallow(node: Node, w: Walk, parentIsStyle: boolean, masked: boolean): SerializedNode | null {
  switch (node.nodeType) {
    case 1:
      return serializeElement(node as Element, w, masked);
    case 3: {
      const data = (node as Text).data;
      const x = parentIsStyle ? absolutizeCss(data, documentInfo(w, node).base) : masked ? maskText(data) : data;
      return { i: w.ctx.mirror.assign(node), t: 3, x };
    }
    case 4: {
      const data = (node as CDATASection).data;
      return { i: w.ctx.mirror.assign(node), t: 4, x: masked ? maskText(data) : data };
    }
    case 8: {
      const data = (node as Comment).data;
      return { i: w.ctx.mirror.assign(node), t: 8, x: masked ? maskText(data) : data };
    }
    case 10: {
      const dt = node as DocumentType;
      const out: SerializedNode = {
        i: w.ctx.mirror.assign(node),
        t: 10,
        n: isValidQName(dt.name) ? dt.name : FALLBACK_DOCTYPE,
      };
      if (dt.publicId) out.pub = dt.publicId;
      if (dt.systemId) out.sys = dt.systemId;
      return out;
    }
    case 11: {
      const root = node as ShadowRoot;
      const out: SerializedShadowRoot = { i: w.ctx.mirror.assign(root), t: 11 };
      // First serialization: the walk's match did not look inside this root.
      if (w.ctx.noteShadowRoot(root)) w.scope.include(w.ctx.restrictions.matchAll([root]));
      const adopted = adoptedSheets(root);
      if (adopted !== null) {
        if (adopted.length > 0) out.as = adoptedCss(adopted, documentInfo(w, root).base);
        w.ctx.adoptedSent.set(root, adopted);
      }
      return out;
    }
    case 9: {
      const doc = node as Document;
      const out: SerializedDocument = { i: w.ctx.mirror.assign(node), t: 9, c: [] };
      if (doc.compatMode === 'BackCompat') out.quirks = true;
      const adopted = adoptedSheets(doc);
      if (adopted !== null) {
        if (adopted.length > 0) out.as = adoptedCss(adopted, documentInfo(w, doc).base);
        w.ctx.adoptedSent.set(doc, adopted);
      }
      const faces = scriptFontFaces(w.ctx, doc);
      w.ctx.fontsSent.set(doc, faces);
      if (faces.length > 0) {
        const { ff, fx } = fontFaceEntries(w.ctx, faces);
        if (ff.length > 0) out.ff = ff;
        if (fx > 0) out.fx = fx;
      }
      if (doc !== w.ctx.doc) {
        const win = doc.defaultView;
        const x = win ? win.scrollX : 0;
        const y = win ? win.scrollY : 0;
        if (x || y) out.sc = [x, y];
      }
      return out;
    }
    default:
      return null;
  }
}

type Parent = SerializedDocument | SerializedElement | SerializedShadowRoot;

/**
 * The first DOM child to serialize under `node`: for a frame element its content document (the
 * document has no siblings, so the walk's `nextSibling` ends there), else its first child.
 */
function firstChild(node: Node, out: Parent, w: Walk): Node | null {
  if (out.t === 1 && isFrameElement(node as Element)) return frameChild(node as Element, out, w.ctx);
  return w.ctx.dom.firstChild(node);
}

/**
 * Serializes `root` and its captured descendants. Iterative: `parents[k]` is the wire node whose
 * children are being filled, `cursors[k]` the next DOM child to visit under it and `masks[k]`
 * whether those children are inside a masked element. The root's state comes from its parent
 * (`w.scope`), so a subtree added inside a masked element is masked.
 */
export function serializeTree(root: Node, w: Walk): SerializedNode | null {
  const scope = w.scope;
  const maskSet = scope.match.mask;
  const dom = w.ctx.dom;
  const rootParent = w.ctx.parentOf(root);
  const inherited = rootParent !== null && scope.isMasked(rootParent);
  const rootMasked = inherited || (root.nodeType === 1 && maskSet.has(root as Element));
  const rootIsStyle = rootParent !== null && rootParent.nodeType === 1 && (rootParent as Element).localName === 'style';
  const out = serializeShallow(root, w, rootIsStyle && root.nodeType === 3, rootMasked);
  if (out === null || (out.t !== 1 && out.t !== 9 && out.t !== 11) || !capturesChildren(root)) return out;
  const parents: Parent[] = [];
  const cursors: (Node | null)[] = [];
  const masks: boolean[] = [];
  let top = -1;
  /**
   * Makes `node` (serialized as `wire`) the parent whose children come next: its own children,
   * and before them, as `c[0]`, its open shadow root with the root's children (pushed last, so
   * walked first).
   */
  const enter = (node: Node, wire: Parent, masked: boolean): void => {
    const first = firstChild(node, wire, w);
    const shadow = wire.t === 1 && !isFrameElement(node as Element) ? dom.shadowRoot(node as Element) : null;
    if (first !== null || shadow !== null) {
      parents.push(wire);
      cursors.push(first);
      masks.push(masked);
      top++;
    }
    if (shadow === null) return;
    const rootWire = serializeShallow(shadow, w, false, masked) as SerializedShadowRoot;
    wire.c = [rootWire];
    const rootFirst = dom.firstChild(shadow);
    if (rootFirst !== null) {
      parents.push(rootWire);
      cursors.push(rootFirst);
      masks.push(masked);
      top++;
    }
  };
  enter(root, out, rootMasked);
  while (top >= 0) {
    const node = cursors[top] as Node | null;
    if (node === null) {
      parents.pop();
      cursors.pop();
      masks.pop();
      top--;
      continue;
    }
    cursors[top] = dom.nextSibling(node);
    const parent = parents[top] as Parent;
    const parentMasked = masks[top] as boolean;
    const masked = parentMasked || (node.nodeType === 1 && maskSet.has(node as Element));
    const child = serializeShallow(node, w, parent.t === 1 && parent.n === 'style', masked);
    if (child === null) continue;
    if (parent.c === undefined) parent.c = [child];
    else parent.c.push(child);
    if ((child.t === 1 || child.t === 9) && capturesChildren(node)) enter(node, child, masked);
  }
  return out;
}

/**
 * A node and its subtree in wire form, assigning ids through `ctx.mirror` (nodes that already have
 * an id keep it, so a moved subtree is re-sent with its ids). `null` for nodes that are not
 * captured (scripts, service elements, processing instructions, …). The caller is responsible for
 * the node being in a captured place (not inside a service element or `<noscript>`). Masked by
 * `match` (default: the restrictions' match now), inherited state included.
 */
export function serializeNode(node: Node, ctx: CaptureContext, match?: RestrictionMatch): SerializedNode | null {
  return serializeTree(node, startWalk(ctx, match));
}

/**
 * The whole document: url, title, viewport, window scroll and tree, masked by `match` (default:
 * `ctx.restrictions.match()`, computed once here). The capture keeps the match it passes: the next
 * batch is diffed against it.
 */
export function serializeDocument(ctx: CaptureContext, match?: RestrictionMatch): FullSnapshot {
  const doc = ctx.doc;
  const w = startWalk(ctx, match);
  const tree = serializeTree(doc, w) as SerializedDocument;
  const win = doc.defaultView;
  return {
    url: doc.URL,
    title: maskedTitle(doc, w.scope),
    viewport: { w: win ? win.innerWidth : 0, h: win ? win.innerHeight : 0 },
    scroll: [win ? win.scrollX : 0, win ? win.scrollY : 0],
    doc: tree,
  };
}

