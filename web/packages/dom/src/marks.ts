/**
 * Restriction marks in the replica (agent side): what the viewer styles and what keeps the agent's
 * input away from restricted elements.
 *
 * - An element that matches a restriction itself (`r` in a snapshot or `add`, or a `restrict` op)
 *   carries `data-cobrowse-restricted="control"` or `"mask"`;
 * - a masked image (`sz`) carries `data-cobrowse-masked-image` and shows a grey picture of its
 *   rendered size instead of its source.
 *
 * Every attribute named `data-cobrowse-*` is reserved: `sanitizeAttribute` drops the page's own on
 * capture and again in the replica, and `attr` ops cannot set or remove them, so only the wire's
 * `r` / `sz` / `restrict` decide the marks.
 */

import type { Restricted } from '@cobrowse/protocol';

/** The mark of an element that matches a restriction itself: `control` or `mask`. */
export const RESTRICTED_ATTRIBUTE = 'data-cobrowse-restricted';
/** Set on masked images (`sz`), which show a grey box. */
export const MASKED_IMAGE_ATTRIBUTE = 'data-cobrowse-masked-image';
const RESERVED_PREFIX = 'data-cobrowse-';

/** True for `data-cobrowse-*` in any case: names only the viewer sets. */
export function isReservedAttribute(name: string): boolean {
  return (
    name.length > RESERVED_PREFIX.length &&
    (name.charCodeAt(0) | 0x20) === 0x64 &&
    name.slice(0, RESERVED_PREFIX.length).toLowerCase() === RESERVED_PREFIX
  );
}

/** Sets (`1` control, `2` mask) or clears (`0`, anything else) the mark of a replica element. */
export function setRestrictionMark(el: Element, r: unknown): void {
  if (r === 1) el.setAttribute(RESTRICTED_ATTRIBUTE, 'control');
  else if (r === 2) el.setAttribute(RESTRICTED_ATTRIBUTE, 'mask');
  else el.removeAttribute(RESTRICTED_ATTRIBUTE);
}

/** The mark a replica element carries itself. */
export function restrictionMark(el: Element): Restricted {
  const v = el.getAttribute(RESTRICTED_ATTRIBUTE);
  return v === 'mask' ? 2 : v === 'control' ? 1 : 0;
}

/**
 * The nearest element at or above `node` in the replica that carries a mark, or `null`: agent input
 * aimed at `node` must not be sent when there is one. Inside a replica frame, the frame element and
 * its ancestors count too; inside a shadow root, its host and the host's ancestors.
 */
export function restrictedAncestor(node: Node | null): Element | null {
  for (let n: Node | null = node; n !== null; ) {
    if (n.nodeType === 1 && (n as Element).hasAttribute(RESTRICTED_ATTRIBUTE)) return n as Element;
    if (n.nodeType === 9) {
      // From a replica frame's document to its frame element (up to the agent's page: no marks).
      try {
        n = (n as Document).defaultView?.frameElement ?? null;
      } catch {
        n = null;
      }
      continue;
    }
    // From the top of a shadow tree to its host.
    n = n.nodeType === 11 ? ((n as ShadowRoot).host ?? null) : n.parentNode;
  }
  return null;
}

/** A grey picture of `w`×`h` CSS pixels (an SVG data URL: its intrinsic size is the box's). */
export function greyImageUrl(w: number, h: number): string {
  const width = Number.isFinite(w) && w > 0 ? Math.min(Math.round(w), 100_000) : 0;
  const height = Number.isFinite(h) && h > 0 ? Math.min(Math.round(h), 100_000) : 0;
  return (
    'data:image/svg+xml,' +
    encodeURIComponent(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#c8c8c8"/></svg>`,
    )
  );
}

/**
 * Shows a masked image as a grey box of `sz` = `[width, height]`: the element's picture (`src` of
 * `img` / `input`, `poster` of `video`, `href` of SVG `image`) becomes a grey SVG of that size, and
 * the element is marked `data-cobrowse-masked-image` (the viewer greys its background, which is
 * what a `canvas` shows). Invalid sizes are ignored.
 */
export function showMaskedImage(el: Element, sz: unknown): void {
  if (!Array.isArray(sz) || typeof sz[0] !== 'number' || typeof sz[1] !== 'number') return;
  const url = greyImageUrl(sz[0], sz[1]);
  el.setAttribute(MASKED_IMAGE_ATTRIBUTE, '');
  const name = el.localName;
  if (el.namespaceURI === 'http://www.w3.org/2000/svg') {
    if (name === 'image') el.setAttribute('href', url);
  } else if (name === 'img' || name === 'input') {
    el.setAttribute('src', url);
  } else if (name === 'video') {
    el.setAttribute('poster', url);
  }
}
