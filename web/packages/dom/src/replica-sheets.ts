/**
 * Agent side: the replica's stylesheets that are not plain markup: a `<link>` whose sheet script
 * changed (it becomes a `<style>`), CSSOM text set on a `<style>` (`css`), and a document's or
 * shadow root's adopted stylesheets (`as`). Used by the build (`build.ts`) and the ops (`apply.ts`).
 */

import { HTML_NS } from './names';
import type { ReplicaMirror } from './replica-mirror';

/**
 * A replica `<link>` that travelled by URL (no `css`: the replica loads its file) whose sheet
 * script changed since: it becomes a `<style>` with the same attributes in its place, registered
 * under its id, as a `<link>` sent with `css` is built (the caller then applies the rules with
 * `applyStylesheetText`). `null` when the link is not in a tree or has no id.
 */
export function styleInPlaceOfLink(link: Element, mirror: ReplicaMirror): Element | null {
  const parent = link.parentNode;
  const id = mirror.getId(link);
  if (parent === null || id === undefined) return null;
  const style = link.ownerDocument.createElementNS(HTML_NS, 'style');
  for (const attr of Array.from(link.attributes)) style.setAttributeNS(attr.namespaceURI, attr.name, attr.value);
  parent.replaceChild(style, link);
  mirror.set(id, style);
  return style;
}

/**
 * Replaces the CSSOM of a replica `<style>` with the rules of `css`, keeping its text nodes (so
 * `text` ops still address them). Needs the element to be in the document.
 */
export function applyStylesheetText(el: Element, css: string): boolean {
  const sheet = (el as HTMLStyleElement).sheet;
  const parent = el.parentNode;
  if (!sheet || parent === null) return false;
  // Parse with the browser's own parser in a temporary <style> beside the element: this keeps
  // @import, @namespace and everything else that a constructed stylesheet would refuse.
  const tmp = el.ownerDocument.createElement('style');
  tmp.textContent = css;
  const texts: string[] = [];
  parent.insertBefore(tmp, el);
  try {
    const rules = tmp.sheet ? tmp.sheet.cssRules : null;
    if (rules) for (let i = 0; i < rules.length; i++) texts.push((rules[i] as CSSRule).cssText);
  } finally {
    parent.removeChild(tmp);
  }
  while (sheet.cssRules.length > 0) sheet.deleteRule(sheet.cssRules.length - 1);
  for (const text of texts) {
    try {
      sheet.insertRule(text, sheet.cssRules.length);
    } catch {
      // a rule this position does not accept; skip it
    }
  }
  return true;
}

/** At most this many adopted stylesheets per document are built (a bound on hostile input). */
const MAX_ADOPTED_SHEETS = 1000;

/**
 * Makes `root` (a replica document or shadow root) adopt one constructed stylesheet per text of `css` (the wire's
 * `as`), replacing what it adopted; anything but an array of strings counts as none. Sheets are
 * constructed in the root's own window (a sheet adopts only into its constructor's document) and
 * filled with `replaceSync` (which ignores `@import`, as the customer's constructed sheets do),
 * each text first passed through `map` when given (the viewer's `mapUrl`). False when the
 * replica's browser has no constructed stylesheets. Never throws.
 */
export function applyAdoptedSheets(root: Document | ShadowRoot, css: unknown, map?: (css: string) => string): boolean {
  try {
    const target = root as (Document | ShadowRoot) & { adoptedStyleSheets?: CSSStyleSheet[] };
    const doc = root.nodeType === 9 ? (root as Document) : (root.ownerDocument as Document);
    const Sheet = (doc.defaultView as (Window & { CSSStyleSheet?: typeof CSSStyleSheet }) | null)?.CSSStyleSheet;
    if (target.adoptedStyleSheets === undefined || typeof Sheet !== 'function') return false;
    const sheets: CSSStyleSheet[] = [];
    if (Array.isArray(css)) {
      for (let k = 0; k < css.length && sheets.length < MAX_ADOPTED_SHEETS; k++) {
        const text = css[k];
        if (typeof text !== 'string') continue;
        const sheet = new Sheet();
        try {
          sheet.replaceSync(map === undefined ? text : map(text));
        } catch {
          // an unparsable sheet stays empty, in its place
        }
        sheets.push(sheet);
      }
    }
    target.adoptedStyleSheets = sheets;
    return true;
  } catch {
    return false;
  }
}
