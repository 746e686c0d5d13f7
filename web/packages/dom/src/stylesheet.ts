/**
 * Reading stylesheets on the customer side (CSSOM → text). Every access that a hostile page or a
 * cross-origin sheet can make throw is caught here; callers get `undefined` / `null` instead.
 */

import { absolutizeCss } from './sanitize';

const IMPORT_RULE = 3; // CSSRule.IMPORT_RULE
const MAX_IMPORT_DEPTH = 8;
const IMPORT_STATEMENT = /@import[^;]*;?/gi;

function rulesOf(sheet: CSSStyleSheet): CSSRuleList | null {
  try {
    return sheet.cssRules ?? null;
  } catch {
    return null; // cross-origin sheet: SecurityError
  }
}

/** Number of rules other than `@import` (which constructed stylesheets do not keep). */
function countOwnRules(rules: CSSRuleList): number {
  let n = 0;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (r && r.type !== IMPORT_RULE) n++;
  }
  return n;
}

/**
 * The text of a stylesheet from its rules, with URLs absolute relative to `baseURI` (the sheet's
 * own URL). Same-origin `@import`s that loaded are inlined (relative to their own URL), so the
 * agent does not need access to them; others stay as `@import` rules. `null` when the sheet's
 * rules cannot be read (cross-origin).
 */
export function stylesheetText(sheet: CSSStyleSheet, baseURI: string, depth = 0): string | null {
  const rules = rulesOf(sheet);
  if (rules === null) return null;
  let out = '';
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!rule) continue;
    let text: string | null = null;
    if (rule.type === IMPORT_RULE && depth < MAX_IMPORT_DEPTH) text = importedText(rule as CSSImportRule, baseURI, depth);
    out += text ?? rule.cssText;
  }
  return absolutizeCss(out, baseURI);
}

function importedText(rule: CSSImportRule, baseURI: string, depth: number): string | null {
  try {
    const inner = rule.styleSheet;
    // Conditional imports (media, layer, supports) keep their rule: inlining would lose the condition.
    if (!inner || (rule.media && rule.media.length > 0)) return null;
    const r = rule as CSSImportRule & { layerName?: string | null; supportsText?: string | null };
    if (r.layerName != null || r.supportsText) return null;
    const text = stylesheetText(inner, inner.href || baseURI, depth + 1);
    // Empty: not loaded (yet); keep the rule so the agent's browser can load it.
    return text === '' ? null : text;
  } catch {
    return null;
  }
}

/** The element's child text content (its direct Text children: what the browser parses). */
function childText(el: Element): string {
  let text = '';
  for (let c = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 3 || c.nodeType === 4) text += (c as CharacterData).data;
  }
  return text;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x20) return false;
  return true;
}

/** Rules a fresh parse of `text` yields (excluding `@import`), or `null` if we cannot parse here. */
function referenceRuleCount(el: Element, text: string): number | null {
  const win = el.ownerDocument.defaultView as (Window & { CSSStyleSheet?: typeof CSSStyleSheet }) | null;
  const Sheet = win?.CSSStyleSheet;
  if (typeof Sheet !== 'function') return null;
  try {
    const ref = new Sheet();
    if (typeof ref.replaceSync !== 'function') return null;
    // Constructed sheets reject @import (with a console warning in browsers): drop them first.
    ref.replaceSync(text.includes('@import') ? text.replace(IMPORT_STATEMENT, '') : text);
    return countOwnRules(ref.cssRules);
  } catch {
    return null;
  }
}

/**
 * `css` of a `<style>` element: the CSSOM text when it no longer matches the element's text, i.e.
 * when script inserted or deleted rules (CSS-in-JS libraries insert into empty `<style>`s).
 *
 * Detection compares rule counts with a fresh parse of the text: cheap (one native parse, no
 * stringifying) and it catches `insertRule`/`deleteRule`. Rules edited in place through the CSSOM
 * (`rule.style.color = …`) keep the count and are not detected; CSSOM patching (a later issue)
 * covers those as they happen.
 */
export function styleElementCss(el: Element, baseURI: string): string | undefined {
  try {
    const sheet = (el as HTMLStyleElement).sheet;
    if (!sheet) return undefined;
    const rules = rulesOf(sheet);
    if (rules === null) return undefined;
    const text = childText(el);
    if (isBlank(text)) {
      if (rules.length === 0) return undefined;
    } else {
      const reference = referenceRuleCount(el, text);
      if (reference === null || reference === countOwnRules(rules)) return undefined;
    }
    return stylesheetText(sheet, baseURI) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * `css` of a `<link rel=stylesheet>`: its rules when the sheet is loaded and readable (same origin),
 * URLs absolute relative to the sheet's URL. Cross-origin or not loaded: `undefined` (the link keeps
 * its absolute `href` and the agent's browser loads it).
 */
export function linkElementCss(el: Element, baseURI: string): string | undefined {
  try {
    const sheet = (el as HTMLLinkElement).sheet;
    if (!sheet) return undefined;
    const text = stylesheetText(sheet, sheet.href || baseURI);
    return text ? text : undefined;
  } catch {
    return undefined;
  }
}
