/**
 * The viewer's own stylesheet in the replica: how restriction marks look to the agent (the
 * reference product's colours), and how a replica canvas shows its picture. Masked elements (`data-cobrowse-restricted="mask"`) get a purple
 * outline, DOM-controlled ones a green one; both show a `not-allowed` cursor over themselves and
 * their content. Masked content draws no CSS background image, and masked images (`sz`, marked
 * `data-cobrowse-masked-image` by the mirror) are grey boxes.
 *
 * Immune to the page's CSS: the rules are `!important` inside a cascade layer with an unguessable
 * name, declared by the first stylesheet of the document (a `<style>` that is the first child of
 * `<html>`). For important declarations the first-declared layer wins over every later layer and
 * over unlayered rules, whatever their specificity; only a page's inline `style="… !important"`
 * on the element itself can still win (cosmetic: masking and control do not depend on it).
 * The element has no id in the replica mirror, so no op can address it; `ensureRestrictionStyle`
 * puts it back after an op removed or moved what held it.
 */

import { MASKED_IMAGE_ATTRIBUTE, RESTRICTED_ATTRIBUTE } from '@cobrowse/dom';
import { FOCUS_ATTRIBUTE, FOCUS_VISIBLE_ATTRIBUTE, HOVER_ATTRIBUTE } from './interaction-state';

/** Outline of masked elements (purple) and DOM-controlled ones (green). */
export const MASK_COLOUR = '#8e24aa';
export const CONTROL_COLOUR = '#2e9d3a';
/** Fill of masked images. */
export const MASKED_IMAGE_FILL = '#c8c8c8';

/**
 * The stylesheet's text for a layer named `layer`; `root` is `:root` in a document, `:host` in a
 * shadow root (where `:root` matches nothing).
 */
export function restrictionStyleText(layer: string, root = ':root'): string {
  const r = RESTRICTED_ATTRIBUTE;
  return (
    `@layer ${layer} {\n` +
    `${root} [${r}="mask"][${r}] { outline: 2px solid ${MASK_COLOUR} !important; outline-offset: -2px !important; }\n` +
    `${root} [${r}="control"][${r}] { outline: 2px solid ${CONTROL_COLOUR} !important; outline-offset: -2px !important; }\n` +
    `${root} [${r}][${r}], ${root} [${r}][${r}] * { cursor: not-allowed !important; }\n` +
    `${root} [${r}="mask"][${r}], ${root} [${r}="mask"][${r}] * { background-image: none !important; }\n` +
    `${root} [${MASKED_IMAGE_ATTRIBUTE}][${MASKED_IMAGE_ATTRIBUTE}] { background: ${MASKED_IMAGE_FILL} !important; }\n` +
    // The browser's focus ring on the customer's focused element (interaction-state.ts); not
    // important: the page's own focus styles, emulated too, win over it.
    `${root} [${FOCUS_VISIBLE_ATTRIBUTE}] { outline: auto 1px -webkit-focus-ring-color; }\n` +
    // The browser's own parts shown on :focus / :hover, which the page's rules do not style: a
    // search field's clear button (as Chromium's built-in stylesheet shows it).
    `${root} input[type="search" i]:enabled:read-write:is([${FOCUS_ATTRIBUTE}], [${HOVER_ATTRIBUTE}])::-webkit-search-cancel-button { opacity: 1; }\n` +
    // A replica <canvas> shows its picture as an <img> child (`ensureCanvasPicture` in
    // @cobrowse/dom: without scripting a canvas renders its fallback content): sized like a canvas
    // (its bitmap size) unless the page's CSS sizes it. Not important: every page rule wins.
    `${root} canvas { display: inline-block; width: max-content; }\n` +
    `}\n`
  );
}

/** A layer name nobody can predict (a page could otherwise add rules to the layer). */
export function randomLayerName(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return 'cobrowse-restrictions-' + hex;
}

/** Attribute that tells the viewer's stylesheet from the page's. */
export const RESTRICTION_STYLE_ATTRIBUTE = 'data-cobrowse-restriction-style';

/**
 * Gives a replica shadow root the restriction stylesheet (document styles do not reach into shadow
 * trees), as its first child, outside the mirror; called by the build before the root's children
 * exist. Inside the root the same layer rule holds: the layer is declared first there.
 */
export function addShadowRestrictionStyle(root: ShadowRoot, layer: string): void {
  const style = root.ownerDocument.createElementNS('http://www.w3.org/1999/xhtml', 'style');
  style.setAttribute(RESTRICTION_STYLE_ATTRIBUTE, '');
  style.textContent = restrictionStyleText(layer, ':host');
  root.insertBefore(style, root.firstChild);
}

/**
 * Makes `doc` hold the restriction stylesheet as the first child of its root element (creating it,
 * or moving back the one it had); returns the element, or `null` when the document has no root
 * element. Cheap when nothing changed (two reads).
 */
export function ensureRestrictionStyle(doc: Document, layer: string, existing: HTMLStyleElement | null): HTMLStyleElement | null {
  const root = doc.documentElement;
  if (root === null) return existing;
  if (existing !== null && existing.ownerDocument === doc && root.firstChild === existing) return existing;
  let style = existing;
  if (style === null || style.ownerDocument !== doc) {
    style = doc.createElementNS('http://www.w3.org/1999/xhtml', 'style') as HTMLStyleElement;
    style.setAttribute(RESTRICTION_STYLE_ATTRIBUTE, '');
    style.textContent = restrictionStyleText(layer);
  }
  root.insertBefore(style, root.firstChild);
  return style;
}
