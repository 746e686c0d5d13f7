/**
 * Data masking rules (docs/PROTOCOL.md, "What masking does"), in one place for the snapshot walk and
 * the mutation code: which nodes are masked (`MaskScope`), and how text, values, attributes and
 * images of masked nodes are written. Customer side only; pure functions apart from `MaskScope`'s
 * memo and `renderedSize`'s layout read.
 *
 * A node is masked when it is an element that matches a mask rule itself (`RestrictionMatch.mask`),
 * or when it is inside one. Nothing here reads the rules: callers compute the match once (per full
 * snapshot, per batch) and every decision below derives from it.
 */

import type { Restricted } from '@cobrowse/protocol';
import type { CaptureContext } from './context';
import { CONTROL, MASK, NONE, type RestrictionMatch } from './restriction';

/** The masked state of nodes for one match, memoized (one instance per snapshot or batch). */
export interface MaskScope {
  readonly match: RestrictionMatch;
  /**
   * True when `node` is a masked element or is inside one (the page's document is never masked; a
   * frame's document is inside its frame element), and for nodes that are not in the page's
   * document nor in a frame document the capture shows (nothing of theirs should be sent: fail
   * closed).
   */
  isMasked(node: Node): boolean;
  /** The own mark of `el` (what `r` carries). */
  markOf(el: Element): Restricted;
  /**
   * Adds the matches of a shadow root serialized for the first time (which `match` could not cover)
   * to `match` itself, so that the match the capture keeps as the agent's has them too. A no-op
   * on `EMPTY_MATCH` (whose batches are dropped).
   */
  include(extra: RestrictionMatch): void;
}

/**
 * A scope over `match`. `isMasked` walks up through `ctx.dom` (and from a frame's document to its
 * frame element, `ctx.parentOf`) and memoizes every node it passes,
 * so a batch costs O(distinct ancestors), not O(nodes × depth).
 */
export function createMaskScope(ctx: CaptureContext, match: RestrictionMatch): MaskScope {
  const memo = new Map<Node, boolean>();
  const mask = match.mask;
  const dom = ctx.dom;
  let empty = mask.size === 0;
  return {
    match,
    isMasked(node) {
      if (empty) return false;
      const known = memo.get(node);
      if (known !== undefined) return known;
      const chain: Node[] = [];
      // Fail closed: a node whose ancestors do not reach a document (detached) counts as masked.
      let state = true;
      for (let cur: Node | null = node; ; cur = cur.nodeType === 9 || cur.nodeType === 11 ? ctx.parentOf(cur) : dom.parentNode(cur)) {
        if (cur === null) break;
        if (cur === ctx.doc) {
          state = false;
          break;
        }
        const m = memo.get(cur);
        if (m !== undefined) {
          state = m;
          break;
        }
        if (cur.nodeType === 1 && mask.has(cur as Element)) {
          state = true;
          memo.set(cur, true);
          break;
        }
        chain.push(cur);
      }
      for (let k = 0; k < chain.length; k++) memo.set(chain[k] as Node, state);
      return state;
    },
    markOf(el) {
      return mask.has(el) ? MASK : match.control.has(el) ? CONTROL : NONE;
    },
    include(extra) {
      if (match === EMPTY_MATCH || (extra.mask.size === 0 && extra.control.size === 0)) return;
      const m = match.mask as Set<Element>;
      const c = match.control as Set<Element>;
      for (const el of extra.mask) m.add(el);
      for (const el of extra.control) if (!m.has(el)) c.add(el);
      empty = m.size === 0;
      memo.clear();
    },
  };
}

/** A match with no restricted element (what a caller without restrictions passes). */
export const EMPTY_MATCH: RestrictionMatch = Object.freeze({
  mask: new Set<Element>(),
  control: new Set<Element>(),
});

const NON_SPACE = /\S/g;

/** Masked text: every character but whitespace becomes `*` (length and line breaks stay). */
export function maskText(data: string): string {
  return data.replace(NON_SPACE, '*');
}

/** A masked form value: `*` as many times as the value has characters (UTF-16 units). */
export function maskValue(value: string): string {
  return '*'.repeat(value.length);
}

/** How a masked element's attribute is sent, by name. */
const KEEP = 1;
const ASTERISKS = 2;
const STYLE = 3;

/** Frozen lookup table (null prototype: attribute names are page-controlled). */
const MASKED_ATTRIBUTES: Readonly<Record<string, number | undefined>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, number>, {
    id: KEEP,
    class: KEEP,
    style: STYLE,
    type: KEEP,
    name: KEEP,
    dir: KEEP,
    lang: KEEP,
    hidden: KEEP,
    tabindex: KEEP,
    role: KEEP,
    for: KEEP,
    colspan: KEEP,
    rowspan: KEEP,
    width: KEEP,
    height: KEEP,
    size: KEEP,
    rows: KEEP,
    cols: KEEP,
    disabled: KEEP,
    readonly: KEEP,
    required: KEEP,
    multiple: KEEP,
    checked: KEEP,
    selected: KEEP,
    open: KEEP,
    maxlength: KEEP,
    minlength: KEEP,
    viewBox: KEEP,
    preserveAspectRatio: KEEP,
    value: ASTERISKS,
    placeholder: ASTERISKS,
    title: ASTERISKS,
    alt: ASTERISKS,
    label: ASTERISKS,
    'aria-label': ASTERISKS,
    'aria-description': ASTERISKS,
    'aria-placeholder': ASTERISKS,
    'aria-valuetext': ASTERISKS,
  }),
);

/**
 * The value to send for attribute `name` (already sanitized to `value`) of a masked element, or
 * `null` when it is dropped: structural attributes are kept (`style` with its image references
 * replaced by `none`), visible text attributes become asterisks, every other attribute is dropped.
 */
export function maskAttribute(name: string, value: string): string | null {
  let rule = MASKED_ATTRIBUTES[name];
  if (rule === undefined) rule = MASKED_ATTRIBUTES[name.toLowerCase()];
  if (rule === undefined) {
    return name === 'xmlns' || name.startsWith('xmlns:') ? value : null;
  }
  switch (rule) {
    case KEEP:
      return value;
    case ASTERISKS:
      return maskValue(value);
    case STYLE:
      return maskStyle(value);
    default:
      return null;
  }
}

/** CSS functions that reference an image: `url(`, `src(`, `image(`, `image-set(`, prefixed. */
const IMAGE_FUNCTION = /(?<![\w-])(?:(?:-webkit-)?image-set|image|url|src|(?:-webkit-)?cross-fade)\(/gi;

/**
 * A masked `style` attribute: every image reference (`url(…)`, `image-set(…)`, …) becomes `none`.
 * Text with CSS escapes (which could spell such a function) is dropped altogether (`null`).
 */
export function maskStyle(css: string): string | null {
  if (css.indexOf('\\') >= 0) return null;
  if (css.indexOf('(') < 0) return css;
  let out = '';
  let from = 0;
  IMAGE_FUNCTION.lastIndex = 0;
  for (let m = IMAGE_FUNCTION.exec(css); m !== null; m = IMAGE_FUNCTION.exec(css)) {
    const start = m.index;
    const end = closingParen(css, start + m[0].length);
    out += css.slice(from, start) + 'none';
    from = end;
    IMAGE_FUNCTION.lastIndex = end;
  }
  return out + css.slice(from);
}

/** Index after the `)` that closes the function whose arguments start at `i` (end of text if none). */
function closingParen(css: string, i: number): number {
  let depth = 1;
  const len = css.length;
  while (i < len) {
    const c = css.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      const close = css.indexOf(String.fromCharCode(c), i + 1);
      if (close < 0) return len;
      i = close + 1;
      continue;
    }
    if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return i + 1;
    i++;
  }
  return len;
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * True for elements that render an image of the page's (`img`, `video`, `canvas`,
 * `input type=image`, SVG `image`): masked, they carry `sz` and no source. (`picture`'s `source`s
 * lose their `srcset` through the attribute rules; they render nothing themselves.)
 */
export function isImageElement(el: Element): boolean {
  const ns = el.namespaceURI;
  const name = el.localName;
  if (ns === HTML_NS) {
    if (name === 'img' || name === 'video' || name === 'canvas') return true;
    if (name === 'input') {
      const type = el.getAttribute('type');
      return type !== null && type.toLowerCase() === 'image';
    }
    return false;
  }
  return ns === SVG_NS && name === 'image';
}

/**
 * True when the element paints a CSS background image (`url(...)`, from a stylesheet or its own
 * style): masked, it carries `sz` too, and the viewer fills its box grey (the image itself is not
 * sent: a masked element's `style` loses its `url(...)`s and the viewer draws no background image
 * in masked content). Reads computed style: call for masked elements only.
 */
export function hasBackgroundImage(el: Element): boolean {
  if (el.namespaceURI !== HTML_NS) return false;
  try {
    const view = el.ownerDocument.defaultView;
    const image = view ? view.getComputedStyle(el).backgroundImage : '';
    return typeof image === 'string' && image.includes('url(');
  } catch {
    return false;
  }
}

/** Rendered size `[width, height]` in whole CSS pixels (`[0, 0]` when unknown). */
export function renderedSize(el: Element): [number, number] {
  try {
    const r = el.getBoundingClientRect();
    const w = Math.round(r.width);
    const h = Math.round(r.height);
    return [Number.isFinite(w) && w > 0 ? w : 0, Number.isFinite(h) && h > 0 ? h : 0];
  } catch {
    return [0, 0];
  }
}

/**
 * The document title to send: masked like text when the `<title>` element that gives it is masked.
 */
export function maskedTitle(doc: Document, scope: MaskScope): string {
  const title = doc.title;
  if (title === '' || scope.match.mask.size === 0) return title;
  let el: Element | null = null;
  try {
    el = doc.querySelector('title');
  } catch {
    el = null;
  }
  return el !== null && scope.isMasked(el) ? maskText(title) : title;
}
