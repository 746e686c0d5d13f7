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
 */

import type {
  FullSnapshot,
  SerializedDocument,
  SerializedElement,
  SerializedNode,
} from '@cobrowse/protocol';
import type { CaptureContext } from './context';
import { hasValueMode } from './form';
import { FALLBACK_DOCTYPE, FALLBACK_TAG, isValidName, isValidQName, nsTag } from './names';
import { absolutizeCss, sanitizeAttribute } from './sanitize';
import { linkElementCss, styleElementCss } from './stylesheet';

/** Per-walk values read once (the base URL can change between walks: `<base>` inserted). */
export interface Walk {
  readonly ctx: CaptureContext;
  readonly base: string;
  readonly scrolling: Element | null;
}

export function startWalk(ctx: CaptureContext): Walk {
  const doc = ctx.doc;
  return { ctx, base: doc.baseURI || doc.URL, scrolling: scrollingElement(doc) };
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
    default:
      return false;
  }
}

/** True when the children of a captured node are serialized too. */
export function capturesChildren(node: Node): boolean {
  const t = node.nodeType;
  if (t === 9) return true;
  if (t !== 1) return false;
  const name = (node as Element).localName;
  return name !== 'noscript' && !isScript(name);
}

/** Form state of an HTML element into `out` (`v` omitted when empty, `k`/`s` only when true). */
function formState(el: Element, name: string, out: SerializedElement, ctx: CaptureContext): void {
  switch (name) {
    case 'input': {
      const input = el as HTMLInputElement;
      const type = input.type;
      if (type === 'checkbox' || type === 'radio') {
        if (input.checked) out.k = true;
      } else if (hasValueMode(type)) {
        const v = input.value;
        if (v !== '') out.v = ctx.maskInputValue(el, v);
      }
      return;
    }
    case 'textarea':
    case 'select': {
      const v = (el as HTMLTextAreaElement | HTMLSelectElement).value;
      if (v !== '' && v != null) out.v = ctx.maskInputValue(el, v);
      return;
    }
    case 'option':
      if ((el as HTMLOptionElement).selected) out.s = true;
      return;
  }
}

/**
 * Sanitized attributes, or `undefined` when none remain. `getAttributeNames` + `getAttribute` avoid
 * creating an `Attr` object per attribute (what iterating `el.attributes` does in browsers).
 */
function readAttributes(el: Element, local: string, base: string): Record<string, string> | undefined {
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
    const value = sanitizeAttribute(local, name, raw, base);
    if (value === null) continue;
    if (a === undefined) a = Object.create(null) as Record<string, string>;
    a[name] = value;
  }
  return a;
}

function serializeElement(el: Element, w: Walk): SerializedElement | null {
  const ctx = w.ctx;
  const local = el.localName;
  if (isScript(local) || ctx.isService(el)) return null;
  const ns = nsTag(el.namespaceURI);
  const valid = ns === undefined ? isValidName(local) : isValidQName(local);
  const out: SerializedElement = { i: ctx.mirror.assign(el), t: 1, n: valid ? local : FALLBACK_TAG };
  if (ns !== undefined) out.ns = ns;

  const a = readAttributes(el, local, w.base);
  if (a !== undefined) out.a = a;

  if (ns === undefined) {
    formState(el, local, out, ctx);
    if (local === 'style') {
      const css = styleElementCss(el, w.base);
      if (css !== undefined) out.css = css;
    } else if (local === 'link') {
      const css = linkElementCss(el, w.base);
      if (css !== undefined) out.css = css;
    }
  } else if (local === 'style') {
    const css = styleElementCss(el, w.base);
    if (css !== undefined) out.css = css;
  }

  // Reading scroll offsets costs a layout check per element: only HTML elements that have content
  // to scroll (children, or an input's text) are asked.
  if (
    ns === undefined &&
    el !== w.scrolling &&
    (ctx.dom.firstChild(el) !== null || local === 'input' || local === 'textarea')
  ) {
    const left = el.scrollLeft;
    const top = el.scrollTop;
    if (left || top) out.sc = [left, top];
  }
  return out;
}

/** One node without its children; `null` when it is not captured. */
function serializeShallow(node: Node, w: Walk, parentIsStyle: boolean): SerializedNode | null {
  switch (node.nodeType) {
    case 1:
      return serializeElement(node as Element, w);
    case 3: {
      const data = (node as Text).data;
      return { i: w.ctx.mirror.assign(node), t: 3, x: parentIsStyle ? absolutizeCss(data, w.base) : data };
    }
    case 4:
      return { i: w.ctx.mirror.assign(node), t: 4, x: (node as CDATASection).data };
    case 8:
      return { i: w.ctx.mirror.assign(node), t: 8, x: (node as Comment).data };
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
    case 9: {
      const doc = node as Document;
      const out: SerializedDocument = { i: w.ctx.mirror.assign(node), t: 9, c: [] };
      if (doc.compatMode === 'BackCompat') out.quirks = true;
      return out;
    }
    default:
      return null;
  }
}

type Parent = SerializedDocument | SerializedElement;

/**
 * Serializes `root` and its captured descendants. Iterative: `parents[k]` is the wire node whose
 * children are being filled and `cursors[k]` the next DOM child to visit under it.
 */
export function serializeTree(root: Node, w: Walk): SerializedNode | null {
  const out = serializeShallow(root, w, false);
  if (out === null || (out.t !== 1 && out.t !== 9) || !capturesChildren(root)) return out;
  const dom = w.ctx.dom;
  const parents: Parent[] = [out];
  const cursors: (Node | null)[] = [dom.firstChild(root)];
  let top = 0;
  while (top >= 0) {
    const node = cursors[top] as Node | null;
    if (node === null) {
      parents.pop();
      cursors.pop();
      top--;
      continue;
    }
    cursors[top] = dom.nextSibling(node);
    const parent = parents[top] as Parent;
    const child = serializeShallow(node, w, parent.t === 1 && parent.n === 'style');
    if (child === null) continue;
    if (parent.c === undefined) parent.c = [child];
    else parent.c.push(child);
    if (child.t === 1 && capturesChildren(node)) {
      const first = dom.firstChild(node);
      if (first !== null) {
        parents.push(child);
        cursors.push(first);
        top++;
      }
    }
  }
  return out;
}

/**
 * A node and its subtree in wire form, assigning ids through `ctx.mirror` (nodes that already have
 * an id keep it, so a moved subtree is re-sent with its ids). `null` for nodes that are not
 * captured (scripts, service elements, processing instructions, …). The caller is responsible for
 * the node being in a captured place (not inside a service element or `<noscript>`).
 */
export function serializeNode(node: Node, ctx: CaptureContext): SerializedNode | null {
  return serializeTree(node, startWalk(ctx));
}

/** The whole document: url, title, viewport, window scroll and tree. */
export function serializeDocument(ctx: CaptureContext): FullSnapshot {
  const doc = ctx.doc;
  const w = startWalk(ctx);
  const tree = serializeTree(doc, w) as SerializedDocument;
  const win = doc.defaultView;
  return {
    url: doc.URL,
    title: doc.title,
    viewport: { w: win ? win.innerWidth : 0, h: win ? win.innerHeight : 0 },
    scroll: [win ? win.scrollX : 0, win ? win.scrollY : 0],
    doc: tree,
  };
}

