/**
 * Agent side: incremental ops → the replica document.
 *
 * Ops are applied in order with the same sanitizing as a full snapshot. An op that references an
 * unknown id (a node removed earlier in the batch, say), or that the DOM refuses, is skipped and
 * counted; nothing throws.
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

import type { Op, UiState, Viewport } from '@cobrowse/protocol';
import {
  applyAdoptedSheets,
  applyFormState,
  applyTopLayer,
  applyStylesheetText,
  buildTree,
  cssMapper,
  finishAttached,
  mapCss,
  mapStyleChild,
  styleChildText,
  setAttribute,
  restoreImplicitIds,
  startBuild,
  styleInPlaceOfLink,
  type FrameHooks,
} from './build';
import { HTML_NS } from './names';
import { DOCUMENT_ID } from './capture-mirror';
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
      const node = mirror.getNode(op.i);
      if (node === undefined || node.nodeType !== 1 || typeof op.k !== 'string') return false;
      const v = typeof op.v === 'string' ? op.v : null;
      const local = (node as Element).localName;
      const done = setAttribute(node as Element, local, op.k, v, mirror.baseURL, host?.mapUrl);
      // A canvas's bitmap size: its picture's size follows.
      if (done && local === 'canvas' && isHtmlCanvas(node as Element)) sizeCanvasPicture(node as Element);
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
  for (let k = 0; k < ops.length; k++) {
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
