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
export function stylesheetText(sheet: CSSStyleSheet, baseURI: string, depth = 0, imports?: { n: number }): string | null {
  const rules = rulesOf(sheet);
  if (rules === null) return null;
  let out = '';
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!rule) continue;
    let text: string | null = null;
    if (rule.type === IMPORT_RULE) {
      if (imports !== undefined) imports.n++;
      if (depth < MAX_IMPORT_DEPTH) text = importedText(rule as CSSImportRule, baseURI, depth);
    }
    out += text ?? rule.cssText;
  }
  return absolutizeCss(out, baseURI);
}

/**
 * An empty declaration value (`border-top-color: ;`): how Chromium serializes a longhand "pending
 * substitution", set by a shorthand written with `var()` (`border: 1px solid var(--line)`) when
 * another declaration overrode part of it. Such text parses back to nothing: the CSSOM has lost the
 * shorthand's text, only the stylesheet's source has it.
 */
const PENDING = /[\w-]:\s*;/;

/** Whether stylesheet text read from the CSSOM lost declarations (see `PENDING`). */
export function lostDeclarations(text: string): boolean {
  return PENDING.test(text);
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

/**
 * The last reference count of each `<style>` (`referenceRuleCount`) and the text it was taken of:
 * a count depends on the text alone, and a page's `<style>` texts rarely change, so each snapshot
 * after the first parses none again (a parse per element was a large share of a small page's).
 */
const referenceCounts = new WeakMap<Element, { readonly text: string; readonly n: number | null }>();

/** Rules a fresh parse of `text` yields (excluding `@import`), or `null` if we cannot parse here. */
function referenceRuleCount(el: Element, text: string): number | null {
  const known = referenceCounts.get(el);
  if (known !== undefined && known.text === text) return known.n;
  const n = parseRuleCount(el, text);
  referenceCounts.set(el, { text, n });
  return n;
}

function parseRuleCount(el: Element, text: string): number | null {
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
 * stringifying) and it catches `insertRule`/`deleteRule` that changed the count. `scripted(sheet)`
 * says whether the capture saw script change this sheet through the CSSOM (`cssom-watch.ts`): such a
 * sheet always carries `css`, whatever the count. Rules edited in place (`rule.style.color = …`)
 * are not detected.
 */
export function styleElementCss(
  el: Element,
  baseURI: string,
  scripted?: (sheet: CSSStyleSheet) => boolean,
): string | undefined {
  try {
    const sheet = (el as HTMLStyleElement).sheet;
    if (!sheet) return undefined;
    const rules = rulesOf(sheet);
    if (rules === null) return undefined;
    if (scripted !== undefined && scripted(sheet)) return stylesheetText(sheet, baseURI) ?? undefined;
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
 * Whether `<link>` element `el` travels without `css` even when its sheet is readable: its document
 * is one whose CSSOM changes were watched for as long as the SDK ran there (`watched`,
 * `CaptureContext.cssomWatched`) and script never changed its sheet through the CSSOM
 * (`scripted`). Its `href` then says everything: the agent's replica loads the file through the
 * resource proxy (from the site, or uploaded by the customer's browser when only it may fetch it),
 * as it does cross-origin sheets, and the snapshot does not carry the sheet's text. Not seen, as in
 * batches: declarations edited in place (`rule.style.color = …`), and CSSOM changes made before the
 * SDK loaded.
 */
export function linkTravelsByUrl(el: Element, watched: WeakSet<Document>, scripted: (sheet: CSSStyleSheet) => boolean): boolean {
  try {
    if (!watched.has(el.ownerDocument)) return false;
    const sheet = (el as HTMLLinkElement).sheet;
    return !sheet || !scripted(sheet);
  } catch {
    return false;
  }
}

/**
 * `css` of a `<link rel=stylesheet>`: its rules when the sheet is loaded and readable (same origin),
 * URLs absolute relative to the sheet's URL. Cross-origin, not loaded, or read without some of its
 * declarations (`lostDeclarations`): `undefined` (the link keeps its absolute `href` and the agent's
 * browser loads it).
 */
export function linkElementCss(el: Element, baseURI: string, cache?: LinkCssCache): string | undefined {
  try {
    const sheet = (el as HTMLLinkElement).sheet;
    if (!sheet) return undefined;
    const base = sheet.href || baseURI;
    const known = cache?.get(sheet);
    if (known !== undefined && known.base === base) return known.css;
    const imports = { n: 0 };
    const text = stylesheetText(sheet, base, 0, imports);
    // Declarations the CSSOM lost: the agent's browser loads the file itself (through the resource
    // proxy), whose source has them.
    const css = text && !lostDeclarations(text) ? text : undefined;
    // A sheet with `@import`s is read again each time: an imported sheet that loads later changes
    // the text (it is inlined then) without any CSSOM call.
    if (cache !== undefined && imports.n === 0) cache.set(sheet, { base, css });
    return css;
  } catch {
    return undefined;
  }
}

/**
 * `linkElementCss` of each `<link>`'s sheet as last read, for the snapshots of one capture: a
 * stylesheet's text is the largest fixed cost of a small page's snapshot (Bootstrap's CSS is most
 * of its page's), and a loaded sheet changes only through the CSSOM calls the capture watches
 * (`cssom-watch.ts`), whose report deletes the sheet's entry. The capture owns it (a new one per
 * capture: changes made while none runs are not seen). Like batches, a later snapshot does not see
 * declarations edited in place (`rule.style.color = …`).
 */
export type LinkCssCache = WeakMap<CSSStyleSheet, { readonly base: string; readonly css: string | undefined }>;

/**
 * The `adoptedStyleSheets` of a document or shadow root as an array (a copy), or `null` where the
 * realm has none (or a hostile getter throws).
 */
export function adoptedSheets(root: Document | ShadowRoot): CSSStyleSheet[] | null {
  try {
    const list = (root as { adoptedStyleSheets?: ArrayLike<CSSStyleSheet> }).adoptedStyleSheets;
    if (list === undefined || list === null || typeof list.length !== 'number') return null;
    const out: CSSStyleSheet[] = [];
    for (let i = 0; i < list.length; i++) {
      const sheet = list[i];
      if (sheet) out.push(sheet);
    }
    return out;
  } catch {
    return null;
  }
}

/** True when two lists hold the same sheets in the same order. */
export function sameSheets(a: readonly CSSStyleSheet[], b: readonly CSSStyleSheet[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The wire form of adopted sheets (`as`): the text of each, URLs absolute relative to `baseURI`
 * (constructed sheets resolve against their document's base). A sheet that cannot be read is sent
 * empty, so that positions (and the cascade order) stay as they are.
 */
export function adoptedCss(sheets: readonly CSSStyleSheet[], baseURI: string): string[] {
  const out: string[] = [];
  for (const sheet of sheets) out.push(stylesheetText(sheet, sheet.href || baseURI) ?? '');
  return out;
}
