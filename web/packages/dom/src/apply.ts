/**
 * Agent side: incremental ops → the replica document.
 *
 * Ops are applied in order with the same sanitizing as a full snapshot. An op that references an
 * unknown id (a node removed earlier in the batch, say), or that the DOM refuses, is skipped and
 * counted; nothing throws. A run of `add` ops that put new nodes into the same HTML element before
 * the same sibling is built as one parse of markup (`applyAddRun`, `parseSiblings` in `build.ts`),
 * or by the builder into one fragment when the parser does not take them, and inserted once, with
 * the same result as op by op.
 *
 * Ops address nodes inside frame documents like any other (the replica mirror holds them);
 * a `scroll` of a frame's document scrolls that frame's window.
 *
 * Two ops concern the iframe rather than the document, and are handed to the caller rather than
 * applied: `vp` (the customer's viewport size: the viewer resizes the iframe) and `scroll` on the
 * document (the customer's window scroll: the viewer scrolls the iframe's window). The optional
 * `ReplicaHost` callbacks are called at their place in the batch; `ApplyResult` also carries the
 * last of each, for a caller that prefers to act once after the batch.
 */

import type { NodeId, Op, SerializedNode, UiState, Viewport } from '@cobrowse/protocol';
import { applyFormState, buildTree, finishAttached, parseSiblings, restoreImplicitIds, setAttribute, startBuild, type FrameHooks } from './build';
import { parsesChildren } from './markup';
import { cssMapper, mapCss, mapStyleChild, styleChildText } from './replica-resources';
import { applyAdoptedSheets, applyStylesheetText, styleInPlaceOfLink } from './replica-sheets';
import { applyTopLayer } from './top-layer';
import { DOCUMENT_ID } from './capture-mirror';
import { HTML_NS } from './names';
import { setRestrictionMark } from './marks';
import { applyMediaState, drawCanvasPicture, isHtmlCanvas, sizeCanvasPicture } from './media';
import { applyFontFaces } from './fonts';
import { applyScriptAnimation } from './animation';
import type { ReplicaMirror } from './replica-mirror';
import { applyChosenSource } from './chosen-source';

/**
 * What `applyOps` hands to the viewer (all optional), frame documents built by `add` ops included
 * (`FrameHooks`). Exceptions thrown by callbacks are caught.
 */
export interface ReplicaHost extends FrameHooks {
  /** A `vp` op: the customer's viewport is now `w`×`h` CSS pixels. */
  viewport?(w: number, h: number): void;
  /** A `scroll` op on the document: the customer's window scrolled to (`x`, `y`). */
  windowScroll?(x: number, y: number): void;
  /** A `ui` op: the customer's interaction state (hover, focus, selection) is now `state`. */
  uiState?(state: UiState): void;
}

export interface ApplyResult {
  /** Ops applied. */
  applied: number;
  /** Ops skipped: unknown ids, malformed ops, nodes the DOM refused. */
  skipped: number;
  /** The last `vp` of the batch, if any: resize the replica iframe to it. */
  viewport?: Viewport;
  /** The last window scroll (`scroll` on the document) of the batch, if any: `[x, y]`. */
  windowScroll?: [number, number];
  /** The last interaction state of the batch, if any (`ui`). */
  ui?: UiState;
}

/** An `attr` op on one element (`node` from the mirror): false when it is not an element or the DOM refused. */
function setAttributeOf(node: Node | undefined, name: string, v: string | null, mirror: ReplicaMirror, host: ReplicaHost | undefined): boolean {
  if (node === undefined || node.nodeType !== 1) return false;
  const local = (node as Element).localName;
  const done = setAttribute(node as Element, local, name, v, mirror.baseURL, host?.mapUrl);
  // A canvas's bitmap size: its picture's size follows.
  if (done && local === 'canvas' && isHtmlCanvas(node as Element)) sizeCanvasPicture(node as Element);
  return done;
}

/** How many frames deep `node` is below the replica's top document `top`. */
function frameDepthOf(node: Node, top: Document): number {
  let d: Document | null = node.nodeType === 9 ? (node as Document) : node.ownerDocument;
  let depth = 0;
  while (d !== null && d !== top && depth <= 64) {
    const host: Element | null | undefined = d.defaultView?.frameElement;
    d = host ? host.ownerDocument : null;
    depth++;
  }
  return depth;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** A viewer callback's exception must not count the op as skipped nor stop the batch. */
function callHost(f: () => void): void {
  try {
    f();
  } catch {
    // the viewer's problem; the op itself was applied
  }
}

/** Applies one op; false when it is skipped. */
function applyOne(
  op: Op,
  doc: Document,
  mirror: ReplicaMirror,
  result: ApplyResult,
  host: ReplicaHost | undefined,
): boolean {
  if (typeof op !== 'object' || op === null) return false;
  switch (op.o) {
    case 'add': {
      const parent = mirror.getNode(op.p);
      if (parent === undefined || typeof op.n !== 'object' || op.n === null) return false;
      if (parent.nodeType !== 1 && parent.nodeType !== 9 && parent.nodeType !== 11) return false;
      const parentName = (parent as Element).localName;
      if (parentName === 'noscript' || parentName === 'script') return false;
      // A canvas's fallback content is never built (see `ensureCanvasPicture`).
      if (parent.nodeType === 1 && isHtmlCanvas(parent as Element)) return false;
      restoreImplicitIds(op.n);
      // An id that is already present moves: drop the old node first (never the document, nor a
      // node that contains the parent).
      const old = mirror.getNode(op.n.i);
      if (old !== undefined) {
        if (old === doc || old.contains(parent)) return false;
        old.parentNode?.removeChild(old);
        mirror.removeSubtree(old);
      }
      let before: Node | null = null;
      if (op.nx !== null && op.nx !== undefined) {
        const nx = mirror.getNode(op.nx);
        if (nx === undefined || nx.parentNode !== parent) return false;
        before = nx;
      }
      const b = startBuild(doc, mirror, host ?? {}, frameDepthOf(parent, doc));
      const node = buildTree(b, op.n);
      if (node === null) return false;
      // A text added to a `<style>`: its references load through the viewer's mapping too.
      mapStyleChild(parent, node, host?.mapUrl, mirror.baseURL);
      try {
        parent.insertBefore(node, before);
      } catch {
        mirror.removeSubtree(node);
        return false;
      }
      finishAttached(b);
      return true;
    }
    case 'rm': {
      const node = mirror.getNode(op.i);
      // Neither a document nor a shadow root is removed (a host's re-add replaces its root).
      if (node === undefined || node.nodeType === 9 || node.nodeType === 11) return false;
      node.parentNode?.removeChild(node);
      mirror.removeSubtree(node);
      return true;
    }
    case 'attr': {
      if (typeof op.k !== 'string') return false;
      const v = typeof op.v === 'string' ? op.v : null;
      let done = setAttributeOf(mirror.getNode(op.i), op.k, v, mirror, host);
      // The other elements of the run, each set on its own (one unknown id fails the op, not the others).
      const more = op.is;
      if (more !== undefined) {
        if (!Array.isArray(more)) return false;
        for (let k = 0; k < more.length; k++) done = setAttributeOf(mirror.getNode(more[k] as NodeId), op.k, v, mirror, host) && done;
      }
      return done;
    }
    case 'text': {
      const node = mirror.getNode(op.i);
      if (node === undefined) return false;
      const t = node.nodeType;
      if (t !== 3 && t !== 4 && t !== 8) return false;
      (node as CharacterData).data = styleChildText(node.parentNode, node, String(op.x ?? ''), host?.mapUrl, mirror.baseURL);
      return true;
    }
    case 'val': {
      const node = mirror.getNode(op.i);
      if (node === undefined || node.nodeType !== 1) return false;
      applyFormState(node as Element, op, true);
      return true;
    }
    case 'scroll': {
      const node = mirror.getNode(op.i);
      if (op.i === DOCUMENT_ID || node === doc) {
        const x = num(op.x);
        const y = num(op.y);
        result.windowScroll = [x, y];
        callHost(() => host?.windowScroll?.(x, y));
        return true;
      }
      if (node !== undefined && node.nodeType === 9) {
        // A frame's window.
        (node as Document).defaultView?.scrollTo({ left: num(op.x), top: num(op.y), behavior: 'instant' });
        return true;
      }
      if (node === undefined || node.nodeType !== 1) return false;
      (node as Element).scrollLeft = num(op.x);
      (node as Element).scrollTop = num(op.y);
      return true;
    }
    case 'vp': {
      const w = num(op.w);
      const h = num(op.h);
      result.viewport = { w, h };
      callHost(() => host?.viewport?.(w, h));
      return true;
    }
    case 'css': {
      const node = mirror.getNode(op.i);
      if (node === undefined || node.nodeType !== 1 || typeof op.css !== 'string') return false;
      let el: Element | null = node as Element;
      if (el.localName === 'link' && el.namespaceURI === HTML_NS) el = styleInPlaceOfLink(el, mirror);
      if (el === null || el.localName !== 'style') return false;
      return applyStylesheetText(el, mapCss(host?.mapUrl, op.css, mirror.baseURL));
    }
    case 'adopt': {
      const node = mirror.getNode(op.i);
      if (node === undefined || (node.nodeType !== 9 && node.nodeType !== 11)) return false;
      return applyAdoptedSheets(node as Document | ShadowRoot, op.as, cssMapper(host?.mapUrl, mirror.baseURL));
    }
    case 'fonts': {
      const node = mirror.getNode(op.i);
      if (node === undefined || node.nodeType !== 9) return false;
      return applyFontFaces(node as Document, op.ff, cssMapper(host?.mapUrl, mirror.baseURL));
    }
    case 'anim':
      return applyScriptAnimation(mirror, op.a, cssMapper(host?.mapUrl, mirror.baseURL));
    case 'media': {
      const node = mirror.getNode(op.i);
      if (node === undefined || node.nodeType !== 1) return false;
      return applyMediaState(node as Element, op.t, op.p);
    }
    case 'canvas': {
      const node = mirror.getNode(op.i);
      if (node === undefined || node.nodeType !== 1) return false;
      return drawCanvasPicture(node as Element, op.src);
    }
    case 'cs': {
      const node = mirror.getNode(op.i);
      if (node === undefined || node.nodeType !== 1) return false;
      return applyChosenSource(node as Element, op.cs, mirror.baseURL, host?.mapUrl);
    }
    case 'tl': {
      const node = mirror.getNode(op.i);
      if (node === undefined || node.nodeType !== 1) return false;
      return applyTopLayer(node as Element, op.tl);
    }
    case 'ui': {
      const s = op.s;
      if (typeof s !== 'object' || s === null) return false;
      result.ui = s;
      callHost(() => host?.uiState?.(s));
      return true;
    }
    case 'restrict': {
      const node = mirror.getNode(op.i);
      if (node === undefined || node.nodeType !== 1) return false;
      setRestrictionMark(node as Element, op.r);
      return true;
    }
    default: {
      // Exhaustive over the wire type at compile time; garbage from the wire lands here at run time.
      const unknown: never = op;
      void unknown;
      return false;
    }
  }
}

/** Fewer `add` ops in a row are applied one by one. */
const MIN_ADD_RUN = 2;

/**
 * Applies the `add` ops `ops[from]…` that put new nodes next to each other into the same HTML
 * element as one insertion: either each before the node the previous one added (the reverse
 * document order the capture emits, `mutations.ts`) or all before the same sibling. The nodes are
 * built as one parse (`parseSiblings`) or, when the parser does not take them (e.g. many adjacent
 * texts), by the builder node by node into one fragment; the fragment is inserted once and what
 * needs the nodes attached (`finishAttached`) runs once, rather than once per op. A node the builder
 * does not build, or that the fragment refuses, is skipped and counted as its op would be. Counts its ops in
 * `result` and returns how many ops it took, or minus the count of ops of the run when it does not
 * take them (fewer than `MIN_ADD_RUN`, an id already present: a move, a parent whose children the
 * markup does not take, such as `<style>`, `<select>` or a canvas); the caller then applies those
 * one by one, as it would anyway.
 */
function applyAddRun(ops: readonly Op[], from: number, doc: Document, mirror: ReplicaMirror, host: ReplicaHost | undefined, result: ApplyResult): number {
  const first = ops[from] as Op & { o: 'add' };
  const nx = first.nx ?? null;
  const nodes: SerializedNode[] = [];
  const ids = new Set<unknown>();
  /** Each op adds before the previous op's node (reverse order), or before `nx` like the first. */
  let reverse: boolean | null = null;
  for (let k = from; k < ops.length; k++) {
    const op = ops[k] as Op;
    if (typeof op !== 'object' || op === null || op.o !== 'add' || op.p !== first.p) break;
    const n = op.n;
    if (typeof n !== 'object' || n === null || ids.has(n.i) || mirror.getNode(n.i) !== undefined) break;
    // The parse reads the ids of the whole subtree (an `add` op's root id is always written).
    restoreImplicitIds(n);
    if (k > from) {
      const previous = (nodes[nodes.length - 1] as SerializedNode).i;
      const chained = op.nx === previous;
      if (!chained && (op.nx ?? null) !== nx) break;
      if (reverse === null) reverse = chained;
      else if (reverse !== chained) break;
    }
    ids.add(n.i);
    nodes.push(n);
  }
  const rejected = -nodes.length;
  if (nodes.length < MIN_ADD_RUN) return rejected;
  const parent = mirror.getNode(first.p);
  if (parent === undefined || parent.nodeType !== 1 || (parent as Element).namespaceURI !== HTML_NS) return rejected;
  // Also keeps out the parents `applyOne` refuses or treats apart (`<script>`, `<noscript>`, a
  // canvas, a `<style>`'s texts): none is a parent whose children the parser reads as markup.
  const local = (parent as Element).localName;
  if (!parsesChildren(local)) return rejected;
  let before: Node | null = null;
  if (nx !== null) {
    const n = mirror.getNode(nx);
    if (n === undefined || n.parentNode !== parent) return rejected;
    before = n;
  }
  const b = startBuild(doc, mirror, host ?? {}, frameDepthOf(parent, doc));
  if (reverse === true) nodes.reverse();
  let fragment = parseSiblings(b, local, nodes);
  let built = nodes.length;
  if (fragment === null) {
    // The builder, each node as its own op would build it (nothing of a failed parse was kept).
    fragment = doc.createDocumentFragment();
    for (let k = 0; k < nodes.length; k++) {
      const node = buildTree(b, nodes[k] as SerializedNode);
      if (node === null) {
        built--;
        continue;
      }
      try {
        fragment.appendChild(node);
      } catch {
        mirror.removeSubtree(node); // e.g. a doctype
        built--;
      }
    }
  }
  try {
    parent.insertBefore(fragment, before);
  } catch {
    // Not expected (the parent takes these children one by one): forgotten, applied one by one.
    mirror.removeSubtree(fragment);
    return rejected;
  }
  finishAttached(b);
  result.applied += built;
  result.skipped += nodes.length - built;
  return nodes.length;
}

/**
 * Applies `ops` to the replica `doc` in order. `vp` and window `scroll` go to `host` (and into the
 * result); see the module comment. Never throws.
 */
export function applyOps(
  ops: readonly Op[],
  doc: Document,
  mirror: ReplicaMirror,
  host?: ReplicaHost,
): ApplyResult {
  const result: ApplyResult = { applied: 0, skipped: 0 };
  /** Ops before this index are not the start of a run of `add` ops (`applyAddRun` refused theirs). */
  let single = 0;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k] as Op;
    if (k >= single && typeof op === 'object' && op !== null && op.o === 'add') {
      let run: number;
      try {
        run = applyAddRun(ops, k, doc, mirror, host, result);
      } catch {
        run = -1;
      }
      if (run > 0) {
        k += run - 1;
        continue;
      }
      single = k - run;
    }
    let ok = false;
    try {
      ok = applyOne(ops[k] as Op, doc, mirror, result, host);
    } catch {
      ok = false;
    }
    if (ok) result.applied++;
    else result.skipped++;
  }
  return result;
}
