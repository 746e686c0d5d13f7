/**
 * The customer's interaction state in the replica (docs/PROTOCOL.md, "Interaction state"): the
 * replica's elements are never really hovered, pressed nor focused by the customer, so the viewer
 * emulates those pseudo-classes.
 *
 * - State attributes: the hovered element and its ancestors get `data-cobrowse-hover`, the pressed
 *   one and its ancestors `data-cobrowse-active`, the focused one `data-cobrowse-focus` (and
 *   `data-cobrowse-focus-visible` when it matched `:focus-visible`), its ancestors
 *   `data-cobrowse-focus-within`. Ancestors run through shadow hosts and replica frame elements, as
 *   the pseudo-classes do. The page can neither set nor remove these (`data-cobrowse-*` is
 *   reserved).
 * - Stylesheets: after each style rule whose selector uses `:hover`, `:active`, `:focus`,
 *   `:focus-visible` or `:focus-within`, the viewer inserts a copy whose selector uses the state
 *   attribute instead (`a:hover` → `a[data-cobrowse-hover]`), in every readable sheet of the
 *   replica's documents and shadow roots (`<style>` text, `css` and adopted sheets alike),
 *   inside `@media` / `@supports` too. A sheet is rewritten again when its rule count is not the
 *   one it had after the last rewrite (rules replaced by an op); copies already in place are
 *   recognised and not copied twice.
 * - Selection: the replica document's selection is set to the customer's range.
 *
 * The agent's own mouse over the replica still hovers its elements for real: both show.
 */

import type { NodeId, UiState } from '@cobrowse/protocol';
import type { ReplicaMirror } from '@cobrowse/dom';

export const HOVER_ATTRIBUTE = 'data-cobrowse-hover';
export const ACTIVE_ATTRIBUTE = 'data-cobrowse-active';
export const FOCUS_ATTRIBUTE = 'data-cobrowse-focus';
export const FOCUS_VISIBLE_ATTRIBUTE = 'data-cobrowse-focus-visible';
export const FOCUS_WITHIN_ATTRIBUTE = 'data-cobrowse-focus-within';

const PSEUDO = /:(hover|active|focus-visible|focus-within|focus)(?![\w-])/g;
const ATTRIBUTE_OF: Record<string, string> = {
  hover: HOVER_ATTRIBUTE,
  active: ACTIVE_ATTRIBUTE,
  focus: FOCUS_ATTRIBUTE,
  'focus-visible': FOCUS_VISIBLE_ATTRIBUTE,
  'focus-within': FOCUS_WITHIN_ATTRIBUTE,
};

/** `selector` with the emulated pseudo-classes as state attributes, or `null` when it has none. */
export function emulatedSelector(selector: string): string | null {
  if (selector.indexOf(':') < 0) return null;
  let changed = false;
  const out = selector.replace(PSEUDO, (_m, name: string) => {
    changed = true;
    return `[${ATTRIBUTE_OF[name]}]`;
  });
  return changed ? out : null;
}

const STYLE_RULE = 1;
const MEDIA_RULE = 4;
const SUPPORTS_RULE = 12;
/** Rule lists nested deeper than this are left as they are (a bound on hostile input). */
const MAX_DEPTH = 8;

interface RuleContainer {
  readonly cssRules: CSSRuleList;
  insertRule(rule: string, index?: number): number;
}

function rewriteRules(container: RuleContainer, depth: number): void {
  const rules = container.cssRules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as CSSRule;
    if (rule.type === MEDIA_RULE || rule.type === SUPPORTS_RULE) {
      if (depth < MAX_DEPTH) rewriteRules(rule as unknown as RuleContainer, depth + 1);
      continue;
    }
    if (rule.type !== STYLE_RULE) continue;
    const style = rule as CSSStyleRule;
    const copy = emulatedSelector(style.selectorText);
    if (copy === null) continue;
    const next = rules[i + 1] as CSSStyleRule | undefined;
    if (next !== undefined && next.type === STYLE_RULE && next.selectorText === copy) {
      i++; // copied before
      continue;
    }
    try {
      container.insertRule(`${copy} { ${style.style.cssText} }`, i + 1);
      i++;
    } catch {
      // a selector this browser cannot parse once rewritten: leave the rule alone
    }
  }
}

/**
 * Rewrites the readable sheets of `root` (see the module comment); `done` remembers each sheet's
 * rule count after its rewrite. Never throws.
 */
export function emulateStatesIn(root: Document | ShadowRoot, done: WeakMap<CSSStyleSheet, number>): void {
  const sheets: CSSStyleSheet[] = [];
  try {
    const own = root.styleSheets;
    for (let i = 0; i < own.length; i++) sheets.push(own[i] as CSSStyleSheet);
    const adopted = (root as { adoptedStyleSheets?: CSSStyleSheet[] }).adoptedStyleSheets;
    if (adopted) for (const s of adopted) sheets.push(s);
  } catch {
    return;
  }
  for (const sheet of sheets) {
    try {
      const count = sheet.cssRules.length;
      if (done.get(sheet) === count) continue;
      rewriteRules(sheet, 0);
      done.set(sheet, sheet.cssRules.length);
    } catch {
      // not readable: a `<link>` loaded from another origin (without the resource proxy), or
      // one still loading (rewritten when it loads: the viewer's `onSheetLoad`)
    }
  }
}

/** The parent in the flat sense the pseudo-classes use: through shadow roots and replica frames. */
function up(node: Node): Node | null {
  if (node.nodeType === 11) return (node as ShadowRoot).host ?? null;
  if (node.nodeType === 9) {
    try {
      return (node as Document).defaultView?.frameElement ?? null;
    } catch {
      return null;
    }
  }
  return node.parentNode;
}

const STATE_ATTRIBUTES = [HOVER_ATTRIBUTE, ACTIVE_ATTRIBUTE, FOCUS_ATTRIBUTE, FOCUS_VISIBLE_ATTRIBUTE, FOCUS_WITHIN_ATTRIBUTE] as const;

/**
 * Applies `state` to the replica and returns the elements now marked: the state attributes go on
 * the elements `state` names and their chains, and off the elements in `marked` (the previous
 * call's result) that no longer need them. Only differences are written: an attribute already in
 * place is left alone (each write invalidates the style of the element and what depends on it),
 * so calling it again after each batch with an unchanged state costs a walk up a few chains.
 * Ids the mirror does not have are ignored. The agent page's top document is never reached: the
 * walk up stops at the replica's top document (`top`).
 *
 * The replica's selection is set only with `selection` (the state's `sel` is new): reading or
 * changing a document's selection makes the browser bring its style and layout up to date, a
 * whole-document cost after every batch.
 */
export function showUiState(state: UiState, mirror: ReplicaMirror, top: Document, marked: readonly Element[], selection = true): Element[] {
  const wanted = new Map<Element, string[]>();
  const want = (el: Element, attribute: string) => {
    const list = wanted.get(el);
    if (list === undefined) wanted.set(el, [attribute]);
    else if (!list.includes(attribute)) list.push(attribute);
  };
  const element = (id: unknown): Element | null => {
    if (typeof id !== 'number') return null;
    const node = mirror.getNode(id as NodeId);
    return node !== undefined && node.nodeType === 1 ? (node as Element) : null;
  };
  const markChain = (start: Element | null, attribute: string): void => {
    for (let n: Node | null = start, hops = 0; n !== null && n !== top && hops < 4096; n = up(n), hops++) {
      if (n.nodeType === 1) want(n as Element, attribute);
    }
  };
  markChain(element(state.h), HOVER_ATTRIBUTE);
  markChain(element(state.a), ACTIVE_ATTRIBUTE);
  const focused = element(state.f);
  if (focused !== null) {
    // `:focus-within` holds for the focused element too.
    markChain(focused, FOCUS_WITHIN_ATTRIBUTE);
    want(focused, FOCUS_ATTRIBUTE);
    if (state.fv === true) want(focused, FOCUS_VISIBLE_ATTRIBUTE);
  }
  for (const el of marked) {
    const keep = wanted.get(el);
    for (const attribute of STATE_ATTRIBUTES) {
      if ((keep === undefined || !keep.includes(attribute)) && el.hasAttribute(attribute)) el.removeAttribute(attribute);
    }
  }
  for (const [el, attributes] of wanted) {
    for (const attribute of attributes) if (!el.hasAttribute(attribute)) el.setAttribute(attribute, '');
  }
  if (selection) showSelection(state.sel, mirror, top);
  return [...wanted.keys()];
}

function showSelection(sel: unknown, mirror: ReplicaMirror, top: Document): void {
  try {
    const selection = top.getSelection();
    if (selection === null) return;
    if (!Array.isArray(sel) || sel.length !== 4) {
      if (selection.rangeCount > 0) selection.removeAllRanges();
      return;
    }
    const anchor = typeof sel[0] === 'number' ? mirror.getNode(sel[0]) : undefined;
    const focus = typeof sel[2] === 'number' ? mirror.getNode(sel[2]) : undefined;
    if (anchor === undefined || focus === undefined || anchor.ownerDocument !== top || focus.ownerDocument !== top) return;
    const length = (n: Node) => (n.nodeType === 1 ? n.childNodes.length : (n.textContent ?? '').length);
    const clamp = (v: unknown, n: Node) => Math.max(0, Math.min(typeof v === 'number' && Number.isFinite(v) ? v : 0, length(n)));
    selection.setBaseAndExtent(anchor, clamp(sel[1], anchor), focus, clamp(sel[3], focus));
  } catch {
    // a range the DOM refuses
  }
}
