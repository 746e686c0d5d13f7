/**
 * Customer side: DOM → wire nodes (`FullSnapshot`, `SerializedNode`).
 *
 * The walk is iterative (explicit stacks, `firstChild`/`nextSibling` through `ctx.dom`): pages nest
 * thousands of levels deep. Its state is a few arrays, so it can pause between nodes and go on after
 * the page ran (`walkTree`, `TreeWalk.resume`: the time-sliced full snapshot, `sdk/src/snapshot.ts`).
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
import { absolutizeCss, isPlainAttribute, sanitizeAttribute } from './sanitize';
import { adoptedCss, adoptedSheets, linkElementCss, linkTravelsByUrl, styleElementCss, type LinkCssCache } from './stylesheet';
import { fontFaceEntries, scriptFontFaces } from './fonts';
import { topLayerOf } from './interaction';
import { mediaState } from './media';
import { chosenSource } from './chosen-source';

/** Values of one document read once per walk (the base URL can change: `<base>` inserted). */
export interface DocumentInfo {
  readonly base: string;
  readonly scrolling: Element | null;
}

/**
 * Which elements a full snapshot asks for scroll offsets (`sc`): reading them costs a layout check
 * per element (a few microseconds; most of a text-heavy page's snapshot), and an element's offsets
 * change only by a scroll, which fires `scroll` at it. The capture owns it: every scroll event it
 * hears adds the target to `scrolled`, and so does a walk that reads nonzero offsets; its first
 * full snapshot reads every element (`all`, set false once one was sent). Later ones read the
 * elements of `scrolled` only, and always those of frame documents, of shadow trees (their
 * listeners come after their first serialization) and text fields (whose text scrolls).
 */
export interface ScrollWatch {
  readonly scrolled: WeakSet<Element>;
  all: boolean;
}

/** Per-walk values read once. */
export interface Walk {
  readonly ctx: CaptureContext;
  /** The page document's base URL and scrolling element (`info` has those of frame documents). */
  readonly base: string;
  readonly scrolling: Element | null;
  /**
   * The restriction match this walk masks by (one per batch; a time-sliced snapshot takes another
   * when the page changed while it paused).
   */
  scope: MaskScope;
  /** When present, the frame documents serialized are added to it (a sliced snapshot observes them at each pause). */
  frames?: Document[];
  /** When present, the elements serialized with an own mark, by mark: what the agent was sent. */
  sent?: { readonly mask: Set<Element>; readonly control: Set<Element> };
  /** Base URL and scrolling element per document met (frame documents). */
  readonly docs: Map<Document, DocumentInfo>;
  /** When present, the elements whose scroll offsets are read (a full snapshot's walk; `ScrollWatch`). */
  scrollWatch?: ScrollWatch;
  /** The node being serialized is inside a shadow tree (kept by `walkTree` for `scrollWatch`). */
  inShadow?: boolean;
  /** When present, the `<link>` sheets' text already read by this capture (a full snapshot's walk). */
  linkCss?: LinkCssCache;
  /** Whether script changed a sheet through the CSSOM (`ctx.scriptedSheets`). */
  readonly scripted: (sheet: CSSStyleSheet) => boolean;
  /**
   * No scroll offsets (`sc`): a batch's walk over nodes just added, where reading them would force
   * a synchronous layout of the changed page; their scroll events send them (`scroll` ops).
   */
  readonly noScroll?: boolean;
  /** The stacks `serializeTree` walks with, kept for its next call (see `WalkStacks`). */
  stacks?: WalkStacks;
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
function frameChild(el: Element, out: SerializedElement, w: Walk): Document | null {
  const ctx = w.ctx;
  if (ctx.frameDepth(el.ownerDocument) + 1 > FRAME_DEPTH_LIMIT) {
    ctx.showFrame(el, null);
    return null;
  }
  const content = frameContent(el);
  ctx.showFrame(el, content);
  if (content === null) out.xo = true;
  else w.frames?.push(content);
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

/** `attributeNameFlags`: the name is valid (`isValidName`). */
const VALID_NAME = 1;
/** `attributeNameFlags`: `sanitizeAttribute` keeps any value of the name as it is (`isPlainAttribute`). */
const PLAIN_NAME = 2;
/** What `attributeNameFlags` found per name (a page uses a few dozen names; cleared past 1,024). */
const nameFlags = new Map<string, number>();

/**
 * `VALID_NAME | PLAIN_NAME` of an attribute name: both are functions of the name alone, asked for
 * every attribute of every element written (10,000 elements with two attributes each: ≈ 1 ms
 * less than asking each time).
 */
function attributeNameFlags(name: string): number {
  let f = nameFlags.get(name);
  if (f === undefined) {
    f = (isValidName(name) ? VALID_NAME : 0) | (isPlainAttribute(name) ? PLAIN_NAME : 0);
    if (nameFlags.size >= 1024) nameFlags.clear();
    nameFlags.set(name, f);
  }
  return f;
}

/**
 * Sanitized attributes of `names` (`el.getAttributeNames()`; then masked when `masked`), or
 * `undefined` when none remain.
 * `getAttributeNames` + `getAttribute` avoid creating an `Attr` object per attribute (what iterating
 * `el.attributes` does in browsers).
 */
function readAttributes(el: Element, names: string[], local: string, base: string, masked: boolean): Record<string, string> | undefined {
  const count = names.length;
  if (count === 0) return undefined;
  // Attribute names are page-controlled keys: a name `Object.prototype` has (`__proto__`, a setter
  // the page defined there) moves the attributes to a null-prototype object. Only then: such an
  // object is in dictionary mode, and `JSON.stringify` writes it several times slower.
  let a: Record<string, string> | undefined;
  let bare = false;
  for (let i = 0; i < count; i++) {
    const name = names[i] as string;
    const flags = attributeNameFlags(name);
    if ((flags & VALID_NAME) === 0) continue;
    // getAttribute lowercases its argument on HTML elements: a mixed-case name set with
    // setAttributeNS needs the attribute node.
    const raw = el.getAttribute(name) ?? el.attributes.getNamedItemNS(null, name)?.value ?? null;
    if (raw === null) continue;
    let value = (flags & PLAIN_NAME) !== 0 ? raw : sanitizeAttribute(local, name, raw, base);
    if (value !== null && masked) value = maskAttribute(name, value);
    if (value === null) continue;
    if (!bare && name in Object.prototype) {
      bare = true;
      a = Object.assign(Object.create(null) as Record<string, string>, a);
    }
    a ??= {};
    a[name] = value;
  }
  return a;
}

/** `masked`: the element's own state (it is in `match.mask` or inside a masked element). */
function serializeElement(el: Element, w: Walk, masked: boolean): SerializedElement | null {
  const ctx = w.ctx;
  const local = el.localName;
  const names = el.getAttributeNames();
  if (isScript(local) || ctx.isService(el, names)) return null;
  const ns = nsTag(el.namespaceURI);
  const valid = ns === undefined ? (attributeNameFlags(local) & VALID_NAME) !== 0 : isValidQName(local);
  const out: SerializedElement = { i: ctx.mirror.assign(el), t: 1, n: valid ? local : FALLBACK_TAG };
  if (ns !== undefined) out.ns = ns;

  const info = el.ownerDocument === ctx.doc ? w : documentInfo(w, el);
  const base = info.base;
  const a = readAttributes(el, names, local, base, masked);
  if (a !== undefined) out.a = a;

  const r = w.scope.markOf(el);
  if (r !== 0) {
    out.r = r;
    w.sent?.[r === 2 ? 'mask' : 'control'].add(el);
  }
  if (masked && (isImageElement(el) || hasBackgroundImage(el))) out.sz = renderedSize(el);

  if (ns === undefined) {
    formState(el, local, out, masked);
    if (local === 'canvas') ctx.canvasSerialized = true;
    else if (local === 'style') {
      const css = styleElementCss(el, base, w.scripted);
      if (css !== undefined) out.css = css;
    } else if (local === 'link' && !linkTravelsByUrl(el, w.ctx.cssomWatched, w.scripted)) {
      const css = linkElementCss(el, base, w.linkCss);
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
  // to scroll (children, or an input's text) are asked, and in a full snapshot after the capture's
  // first only those it saw scrolled (`ScrollWatch`).
  if (ns === undefined && !w.noScroll && el !== info.scrolling) {
    const field = local === 'input' || local === 'textarea';
    const sw = w.scrollWatch;
    if (
      (field || ctx.dom.firstChild(el) !== null) &&
      (sw === undefined || sw.all || field || info !== w || w.inShadow === true || sw.scrolled.has(el))
    ) {
      const left = el.scrollLeft;
      const top = el.scrollTop;
      if (left || top) {
        out.sc = [left, top];
        sw?.scrolled.add(el);
      }
    }
  }
  return out;
}

/**
 * One node without its children; `null` when it is not captured. `masked`: for an element its own
 * masked state, for other nodes their parent's. Text of a `<style>` is never masked.
 */
function serializeShallow(node: Node, w: Walk, parentIsStyle: boolean, masked: boolean, text?: string): SerializedNode | null {
  switch (node.nodeType) {
    case 1:
      return serializeElement(node as Element, w, masked);
    case 3: {
      const data = text ?? (node as Text).data;
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
function firstChild(node: Node, out: Parent, w: Walk, frame: boolean): Node | null {
  if (frame) return frameChild(node as Element, out as SerializedElement, w);
  return w.ctx.dom.firstChild(node);
}

/**
 * `isFrameElement` for an element serialized as `wire`, asking the element only when its wire name
 * is a frame's (the name and namespace were read once, by `serializeElement`).
 */
function isFrameWire(node: Node, wire: Parent): boolean {
  return wire.t === 1 && (wire.n === 'iframe' || wire.n === 'frame') && wire.ns === undefined && isFrameElement(node as Element);
}

/** Nodes after which a walk with a `stop` callback asks it whether to pause (a clock read). */
const CHECK_EVERY = 256;
/** Subtrees of at least this many wire nodes are noted in `TreeWalk.big` (their JSON is written in parts). */
export const BIG_SUBTREE = 2048;

/**
 * A walk of `root` and its captured descendants that can pause between nodes and go on after the
 * page ran (a time-sliced full snapshot). `serializeTree` runs one to its end at once.
 */
export interface TreeWalk {
  /** The root's wire node (filled in as the walk goes); `null` when the root is not captured. */
  readonly out: SerializedNode | null;
  /**
   * Wire nodes whose subtree has at least `BIG_SUBTREE` nodes (noted when a walk with `stop` leaves
   * them): what a writer of the JSON splits into parts.
   */
  readonly big: Set<object>;
  /**
   * Walks on until the end (true) or until `stop()` says to pause (false; asked every
   * `CHECK_EVERY` nodes).
   */
  run(stop?: () => boolean): boolean;
  /**
   * Before walking on after the page ran: `records` are the mutation records since the walk
   * started or last resumed, `match` the restriction match of now when they are not empty. Nodes
   * added anywhere (moved ones included) are not walked any more: the batch built from the same
   * records after the snapshot adds them, masked by that batch's match. A level whose parent
   * moved, left or whose frame shows another document is given up (that batch re-sends or removes
   * it); a level whose children changed goes on after the last child walked that is still in place.
   * The mask states of the levels are taken again under `match` (masked stays masked).
   */
  resume(records: ArrayLike<MutationRecord>, match: RestrictionMatch | null): void;
}

/**
 * Serializes `root` and its captured descendants. Iterative: `parents[k]` is the wire node whose
 * children are being filled, `doms[k]` its DOM node, `cursors[k]` the next DOM child to visit under
 * it and `masks[k]` whether those children are inside a masked element. The root's state comes from
 * its parent (`w.scope`), so a subtree added inside a masked element is masked. The wire children
 * of the open levels wait in one shared array (`kids`, from `starts[k]` on); a level gets its `c`
 * when it is left, as an array of exactly their number (a `c` grown by `push` was reallocated with
 * room for 17 at its second child: most of a large page's allocation by the walk itself).
 */
export function walkTree(root: Node, w: Walk): TreeWalk {
  return walker(root, w, newStacks(), new Set());
}

/**
 * The stacks of a walk (`walker`), empty once it ran to its end. `serializeTree` reuses one per
 * `Walk` (`Walk.stacks`): a batch walks a subtree per added node (1,000 in rrweb's benchmarks),
 * and each walk's nine arrays were most of what a small subtree cost beyond its nodes.
 */
interface WalkStacks {
  readonly parents: Parent[];
  readonly doms: Node[];
  readonly cursors: (Node | null)[];
  readonly masks: boolean[];
  readonly shadows: boolean[];
  readonly counts: number[];
  readonly kids: SerializedNode[];
  readonly kidNodes: Node[];
  readonly starts: number[];
}

function newStacks(): WalkStacks {
  return { parents: [], doms: [], cursors: [], masks: [], shadows: [], counts: [], kids: [], kidNodes: [], starts: [] };
}

/** `walkTree` with the stacks given; `big` null when nobody reads `TreeWalk.big`. */
function walker(root: Node, w: Walk, stacks: WalkStacks, big: Set<object> | null): TreeWalk {
  let scope = w.scope;
  let maskSet = scope.match.mask;
  const ctx = w.ctx;
  const dom = ctx.dom;
  const rootParent = ctx.parentOf(root);
  const inherited = rootParent !== null && scope.isMasked(rootParent);
  const rootMasked = inherited || (root.nodeType === 1 && maskSet.has(root as Element));
  const rootIsStyle = rootParent !== null && rootParent.nodeType === 1 && (rootParent as Element).localName === 'style';
  const out = serializeShallow(root, w, rootIsStyle && root.nodeType === 3, rootMasked);
  // `shadows`: whether each level's children are inside a shadow tree (for `w.inShadow`);
  // `counts`: wire nodes under each level's node so far (for `big`); `kids`: the wire children of
  // the open levels, level `k`'s from `starts[k]` on, and their DOM nodes (`kidNodes`, in step:
  // ids written as `0` cannot find them).
  const { parents, doms, cursors, masks, shadows, counts, kids, kidNodes, starts } = stacks;
  /**
   * How many of `kids` / `kidNodes` are in use: slots past it are stale and overwritten (shrinking
   * the arrays' `length` at every level left cost more than the rest of the pop).
   */
  let kidCount = 0;
  /** The id of the last node written (the root keeps its `i`): see `implicitId`. */
  let last = out === null ? 0 : out.i;
  /**
   * Writes `0` for `child`'s id when it is the id of the node written before it plus one (the
   * wire's implicit ids, docs/PROTOCOL.md): nodes are written in the order of the JSON text (a
   * node, then its children), as ids are assigned to a page walked the first time. The same
   * `"i":0` on every such node costs deflate next to nothing, where the digits of each id broke
   * its matches; a number keeps the object's shape on both sides.
   */
  const implicitId = (child: SerializedNode): void => {
    const i = child.i;
    if (i === last + 1) child.i = 0;
    last = i;
  };
  /**
   * The text of a run of adjacent text nodes, read once (`wholeText` of its first), and what of it
   * the nodes walked so far took: `runNext` is the node whose text comes next, from `runAt` on.
   * Reading a text node's `data` makes a string for it in the page's engine (≈ 0.5 µs each in
   * Chromium, half of what a text node costs the walk); a slice of the run's string costs a tenth
   * of it. The nodes of a run share their parent, so they share its masked state. Reset at every
   * `run` (the page may change while a time-sliced walk pauses).
   */
  let runText: string | null = null;
  let runAt = 0;
  let runNext: Node | null = null;
  /** The text of text node `node`, whose next sibling is `next` (see `runText`). */
  const textOf = (node: Node, next: Node | null): string => {
    if (runText !== null && runNext === node) {
      const len = (node as Text).length;
      if (runAt + len <= runText.length) {
        const x = runText.slice(runAt, runAt + len);
        runAt += len;
        runNext = next;
        return x;
      }
    }
    runText = null;
    // A run starts here: a text node follows and none comes before (CDATA sections are text too).
    if (next !== null && next.nodeType === 3) {
      const prev = dom.previousSibling(node);
      if (prev === null || (prev.nodeType !== 3 && prev.nodeType !== 4)) {
        const whole = (node as Text).wholeText;
        const len = (node as Text).length;
        if (len <= whole.length) {
          runText = whole;
          runAt = len;
          runNext = next;
          return whole.slice(0, len);
        }
      }
    }
    return (node as Text).data;
  };
  /** Nodes added since the walk started: never walked (see `resume`; made there). */
  let skipped: Set<Node> | null = null;
  let top = -1;
  const push = (node: Node, wire: Parent, first: Node | null, masked: boolean, shadow: boolean): void => {
    parents.push(wire);
    doms.push(node);
    cursors.push(first);
    masks.push(masked);
    shadows.push(shadow);
    counts.push(1);
    starts.push(kidCount);
    top++;
  };
  const pop = (): void => {
    const n = counts.pop() as number;
    const wire = parents[top] as Parent;
    if (big !== null && n >= BIG_SUBTREE) big.add(wire);
    const start = starts.pop() as number;
    if (kidCount > start) {
      wire.c = kids.slice(start, kidCount);
      kidCount = start;
    }
    parents.pop();
    doms.pop();
    cursors.pop();
    masks.pop();
    shadows.pop();
    top--;
    if (top >= 0) counts[top] = (counts[top] as number) + n;
  };
  /**
   * Makes `node` (serialized as `wire`) the parent whose children come next: its own children,
   * and before them, as `c[0]`, its open shadow root with the root's children (pushed last, so
   * walked first).
   */
  /** Appends a wire child and its DOM node to the open levels' children. */
  const addKid = (child: SerializedNode, node: Node): void => {
    kids[kidCount] = child;
    kidNodes[kidCount] = node;
    kidCount++;
  };
  const enter = (node: Node, wire: Parent, masked: boolean, inShadow: boolean): void => {
    const frame = isFrameWire(node, wire);
    const first = firstChild(node, wire, w, frame);
    const shadow = wire.t === 1 && !frame ? dom.shadowRoot(node as Element) : null;
    if (first !== null || shadow !== null) push(node, wire, first, masked, inShadow);
    if (shadow === null) return;
    const rootWire = serializeShallow(shadow, w, false, masked) as SerializedShadowRoot;
    implicitId(rootWire);
    // `node`'s level is open (pushed above): the root is its first child.
    addKid(rootWire, shadow);
    const rootFirst = dom.firstChild(shadow);
    if (rootFirst !== null) push(shadow, rootWire, rootFirst, masked, true);
  };
  // Only a full snapshot's walk (from the document) asks `inShadow`.
  if (out !== null && (out.t === 1 || out.t === 9 || out.t === 11) && capturesChildren(root)) enter(root, out, rootMasked, root.nodeType === 11);

  const run = (stop?: () => boolean): boolean => {
    let budget = CHECK_EVERY;
    const skip = skipped;
    const skipping = skip !== null && skip.size > 0;
    runText = null;
    while (top >= 0) {
      const node = cursors[top] as Node | null;
      if (node === null) {
        pop();
        continue;
      }
      if (stop !== undefined && --budget === 0) {
        budget = CHECK_EVERY;
        if (stop()) return false;
      }
      const next = dom.nextSibling(node);
      cursors[top] = next;
      if (skipping && (skip as Set<Node>).has(node)) continue;
      const parent = parents[top] as Parent;
      const parentMasked = masks[top] as boolean;
      const type = node.nodeType;
      const masked = parentMasked || (type === 1 && maskSet.has(node as Element));
      const inShadow = shadows[top] as boolean;
      w.inShadow = inShadow;
      const child = serializeShallow(node, w, parent.t === 1 && parent.n === 'style', masked, type === 3 ? textOf(node, next) : undefined);
      if (child === null) continue;
      implicitId(child);
      counts[top] = (counts[top] as number) + 1;
      addKid(child, node);
      // `capturesChildren(node)`, by the wire name: a serialized element is never a script.
      if ((child.t === 1 && child.n !== 'noscript') || child.t === 9) enter(node, child, masked, inShadow);
    }
    // Done: the stale slots of the children arrays hold no node any longer (stacks reused by
    // the next subtree of a batch keep theirs: they go with the batch's `Walk`).
    if (big !== null) {
      kids.length = 0;
      kidNodes.length = 0;
    }
    return true;
  };

  const resume = (records: ArrayLike<MutationRecord>, match: RestrictionMatch | null): void => {
    const dirty = new Set<Node>();
    const skip = (skipped ??= new Set<Node>());
    for (let r = 0; r < records.length; r++) {
      const rec = records[r] as MutationRecord;
      if (rec.type !== 'childList') continue;
      dirty.add(rec.target);
      const added = rec.addedNodes;
      for (let i = 0; i < added.length; i++) skip.add(added[i] as Node);
    }
    // Levels whose node left its place (moved, removed, another frame document): given up.
    for (let k = 1; k <= top; k++) {
      const node = doms[k] as Node;
      if (skip.has(node) || ctx.parentOf(node) !== doms[k - 1]) {
        while (top >= k) pop();
        break;
      }
    }
    if (match !== null) {
      w.scope = scope = createMaskScope(ctx, match);
      maskSet = match.mask;
      for (let k = 0; k <= top; k++) if (!masks[k]) masks[k] = scope.isMasked(doms[k] as Node);
    }
    for (let k = 0; k <= top; k++) {
      const node = doms[k] as Node;
      // A frame element's only child is its document (`firstChild`), decided when it was entered.
      if (!dirty.has(node) || (node.nodeType === 1 && isFrameElement(node as Element))) continue;
      // Children not moved keep their order: go on after the last walked one still in place.
      const end = k < top ? (starts[k + 1] as number) : kidCount;
      let next = dom.firstChild(node);
      for (let j = end - 1; j >= (starts[k] as number); j--) {
        const n = kidNodes[j] as Node;
        if (!skip.has(n) && dom.parentNode(n) === node) {
          next = dom.nextSibling(n);
          break;
        }
      }
      cursors[k] = next;
    }
  };

  return { out, big: big ?? NO_BIG, run, resume };
}

/** `TreeWalk.big` of a walk whose caller does not read it. */
const NO_BIG: Set<object> = new Set();

/** `root` and its captured descendants in wire form, at once (see `walkTree`). */
export function serializeTree(root: Node, w: Walk): SerializedNode | null {
  // The walk's stacks, reused by the next call with the same `w` (taken meanwhile: a walk that
  // throws leaves none, and the next call makes new ones).
  const stacks = w.stacks ?? newStacks();
  w.stacks = undefined;
  const t = walker(root, w, stacks, null);
  t.run();
  w.stacks = stacks;
  return t.out;
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
  const w = startWalk(ctx, match);
  return documentSnapshot(w, serializeTree(ctx.doc, w) as SerializedDocument);
}

/** The full snapshot of the page's document whose tree `w` walked: url, title, viewport and scroll of now. */
export function documentSnapshot(w: Walk, tree: SerializedDocument): FullSnapshot {
  const doc = w.ctx.doc;
  const win = doc.defaultView;
  return {
    url: doc.URL,
    title: maskedTitle(doc, w.scope),
    viewport: { w: win ? win.innerWidth : 0, h: win ? win.innerHeight : 0 },
    scroll: [win ? win.scrollX : 0, win ? win.scrollY : 0],
    doc: tree,
  };
}
