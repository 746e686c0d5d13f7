/**
 * Customer side: the state the page shows that the DOM does not hold (docs/PROTOCOL.md,
 * "Interaction state") — the top layer (modal dialogs, open popovers) and the interaction state
 * (`UiState`: hovered, pressed and focused elements, text selection).
 *
 * The capture tracks the hovered and pressed elements from events (`PointerState`) and calls
 * `uiState` at a flush where something changed; everything else is read then, once. Every read of
 * page state is guarded: a hostile getter yields "none", never an exception.
 */

import type { NodeId, Op, TopLayer, UiState } from '@cobrowse/protocol';
import { isFrameElement, frameContent, type CaptureContext } from './context';
import type { MaskScope } from './mask';

/** What the capture saw of the mouse: the element under it and the one pressed (or null). */
export interface PointerState {
  hovered: Element | null;
  active: Element | null;
}

function matches(el: Element, selector: string): boolean {
  try {
    return el.matches(selector);
  } catch {
    return false; // a browser without that pseudo-class
  }
}

/**
 * How `el` is in the top layer now: `'modal'` for a `<dialog>` shown with `showModal()`,
 * `'popover'` for an open popover; `undefined` otherwise. Only dialogs and elements with a
 * `popover` attribute are asked (one selector match each).
 */
export function topLayerOf(el: Element): TopLayer | undefined {
  try {
    if (el.localName === 'dialog' && (el as HTMLDialogElement).open && matches(el, ':modal')) return 'modal';
    if (el.hasAttribute('popover') && matches(el, ':popover-open')) return 'popover';
  } catch {
    // hostile element
  }
  return undefined;
}

/** The `tl` op for an element the agent has (its state now), or `null`. */
export function topLayerOp(el: Element, ctx: CaptureContext): Op | null {
  const i = ctx.mirror.getId(el);
  if (i === undefined) return null;
  return { o: 'tl', i, tl: topLayerOf(el) ?? null };
}

/** The id of the nearest element at or above `node` that the agent has (across roots and frames). */
function nearestElementId(node: Node | null, ctx: CaptureContext): NodeId | undefined {
  for (let cur: Node | null = node, hops = 0; cur !== null && hops < 4096; hops++) {
    if (cur.nodeType === 1) {
      const id = ctx.mirror.getId(cur);
      if (id !== undefined) return id;
    }
    cur = cur.nodeType === 9 || cur.nodeType === 11 ? ctx.parentOf(cur) : ctx.dom.parentNode(cur);
  }
  return undefined;
}

/**
 * The focused element, innermost: through same-origin frames the capture shows and open shadow
 * roots. `null` when nothing but the document (its body or root) has the focus.
 */
export function focusedElement(ctx: CaptureContext): Element | null {
  try {
    let el: Element | null = ctx.doc.activeElement;
    for (let hops = 0; el !== null && hops < 64; hops++) {
      let inner: Element | null = null;
      if (isFrameElement(el)) {
        const content = frameContent(el);
        if (content !== null && ctx.shownIn(el) === content) inner = content.activeElement;
      } else {
        inner = ctx.dom.shadowRoot(el)?.activeElement ?? null;
      }
      if (inner === null || inner === el) break;
      el = inner;
    }
    if (el === null) return null;
    const owner = el.ownerDocument;
    return el === owner.body || el === owner.documentElement ? null : el;
  } catch {
    return null;
  }
}

/**
 * The interaction state now (see `UiState`). The selection is left out when it is collapsed, when
 * an end is a node the agent does not have, or when an end is masked by `scope`.
 */
export function uiState(ctx: CaptureContext, pointer: PointerState, scope: MaskScope, selection?: { sel?: UiState['sel'] }): UiState {
  const out: UiState = {};
  const h = pointer.hovered !== null ? nearestElementId(pointer.hovered, ctx) : undefined;
  if (h !== undefined) out.h = h;
  const a = pointer.active !== null ? nearestElementId(pointer.active, ctx) : undefined;
  if (a !== undefined) out.a = a;
  const focused = focusedElement(ctx);
  if (focused !== null) {
    const f = nearestElementId(focused, ctx);
    if (f !== undefined) {
      out.f = f;
      if (matches(focused, ':focus-visible')) out.fv = true;
    }
  }
  // The selection of `selection` when given (no `selectionchange` since it was read): reading the
  // live one forces a layout of a page that just changed.
  if (selection !== undefined) {
    if (selection.sel !== undefined) out.sel = selection.sel;
    return out;
  }
  try {
    const sel = ctx.doc.getSelection();
    if (sel !== null && sel.rangeCount > 0 && !sel.isCollapsed && sel.anchorNode !== null && sel.focusNode !== null) {
      const anchor = ctx.mirror.getId(sel.anchorNode);
      const focus = ctx.mirror.getId(sel.focusNode);
      if (anchor !== undefined && focus !== undefined && !scope.isMasked(sel.anchorNode) && !scope.isMasked(sel.focusNode)) {
        out.sel = [anchor, sel.anchorOffset, focus, sel.focusOffset];
      }
    }
  } catch {
    // no selection API, or a hostile one
  }
  return out;
}

/** True when two states are the same. */
export function sameUiState(a: UiState, b: UiState): boolean {
  const sa = a.sel;
  const sb = b.sel;
  const sameSel = sa === undefined || sb === undefined ? sa === sb : sa[0] === sb[0] && sa[1] === sb[1] && sa[2] === sb[2] && sa[3] === sb[3];
  return a.h === b.h && a.a === b.a && a.f === b.f && a.fv === b.fv && sameSel;
}

/** True when the state has nothing in it. */
export function isEmptyUiState(s: UiState): boolean {
  return s.h === undefined && s.a === undefined && s.f === undefined && s.sel === undefined;
}
