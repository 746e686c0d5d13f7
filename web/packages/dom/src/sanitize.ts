/**
 * Attribute sanitizing and URL rewriting: one set of rules for both halves of the contract.
 *
 * The capture applies them so that nothing unsafe leaves the customer's browser and every URL is
 * absolute; the replica applies them again to whatever arrives, because the agent treats customer
 * content as untrusted. Running them on their own output changes nothing (absolute URLs stay as they
 * are), which is what makes `serialize → rebuild → serialize` an identity.
 *
 * Pure functions of their arguments; no DOM access.
 */

import { isReservedAttribute } from './marks';

/** Elements whose `src` / `data` would load a nested browsing context or plugin. */
function isFrameLike(tag: string): boolean {
  switch (tag) {
    case 'iframe':
    case 'frame':
    case 'object':
    case 'embed':
    case 'portal':
    case 'fencedframe':
      return true;
    default:
      return false;
  }
}

/** SVG animation elements, whose `to`/`from`/`values`/`by` can animate an `href`. */
function isAnimation(tag: string): boolean {
  switch (tag) {
    case 'animate':
    case 'set':
    case 'animatemotion':
    case 'animatetransform':
      return true;
    default:
      return false;
  }
}

/** Characters the URL parser ignores (C0 controls and space around, tab/CR/LF inside); we drop all. */
const IGNORED_URL_CHARS = /[\u0000-\u0020\u007f]+/g;
const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const EDGE_SPACE = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

/**
 * True when `value`, read as a URL the way a browser would, has a `javascript:`, `vbscript:` or
 * `data:text/html` scheme. Whitespace and control characters anywhere are ignored and case does not
 * matter, so ` JaVaScRiPt:`, `java\tscript:` and `\u0001javascript:` are all caught. HTML character
 * references are already decoded in the DOM.
 */
export function isUnsafeUrl(value: string): boolean {
  // Fast path: the first significant character must be j, v or d.
  let i = 0;
  const len = value.length;
  while (i < len && value.charCodeAt(i) <= 0x20) i++;
  if (i === len) return false;
  const c = value.charCodeAt(i) | 0x20;
  if (c !== 0x6a && c !== 0x76 && c !== 0x64) return false;
  const s = value.replace(IGNORED_URL_CHARS, '').toLowerCase();
  return s.startsWith('javascript:') || s.startsWith('vbscript:') || s.startsWith('data:text/html');
}

/** True when an unsafe scheme appears anywhere in `value` (for lists such as SVG `values`). */
function containsUnsafeUrl(value: string): boolean {
  const s = value.replace(IGNORED_URL_CHARS, '').toLowerCase();
  return s.includes('javascript:') || s.includes('vbscript:') || s.includes('data:text/html');
}

/**
 * Relative URLs resolved against `resolvedBase` (by the attribute's value): a page's snapshots and
 * batches serialize the same relative links and sources again, and a `URL` parse costs several
 * microseconds (a tenth of a small page's snapshot). Emptied when the base changes or when full.
 */
const resolved = new Map<string, string>();
let resolvedBase = '';
const RESOLVED_LIMIT = 1024;

/**
 * `value` resolved against `baseURI`. Values that are empty, fragment-only (`#id`, which refers to
 * the same document: SVG `<use>`, `url(#gradient)`), already absolute, or unparsable are returned
 * unchanged.
 */
export function absoluteUrl(value: string, baseURI: string): string {
  const v = value.replace(EDGE_SPACE, '');
  if (v === '' || v.charCodeAt(0) === 0x23 /* # */) return value;
  if (HAS_SCHEME.test(v)) return v;
  if (baseURI !== resolvedBase || resolved.size >= RESOLVED_LIMIT) {
    resolved.clear();
    resolvedBase = baseURI;
  }
  let out = resolved.get(value);
  if (out === undefined) {
    try {
      out = new URL(v, baseURI).href;
    } catch {
      out = value;
    }
    resolved.set(value, out);
  }
  return out;
}

/** A URL attribute value made absolute, or `null` when its scheme is unsafe. */
export function safeUrl(value: string, baseURI: string): string | null {
  if (isUnsafeUrl(value)) return null;
  return absoluteUrl(value, baseURI);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/**
 * A `srcset` with every candidate URL made absolute (parsing per the HTML standard, so URLs that
 * contain commas survive), or `null` when a candidate has an unsafe scheme.
 */
export function safeSrcset(value: string, baseURI: string): string | null {
  const len = value.length;
  let out = '';
  let i = 0;
  for (;;) {
    while (i < len && (isSpace(value.charCodeAt(i)) || value.charCodeAt(i) === 0x2c)) i++;
    if (i >= len) break;
    const urlStart = i;
    while (i < len && !isSpace(value.charCodeAt(i))) i++;
    let url = value.slice(urlStart, i);
    let descriptors = '';
    let endsCandidate = false;
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
      endsCandidate = true;
    }
    if (!endsCandidate) {
      // Descriptors run to the next comma outside parentheses.
      const dStart = i;
      let depth = 0;
      while (i < len) {
        const c = value.charCodeAt(i);
        if (c === 0x28) depth++;
        else if (c === 0x29) depth = depth > 0 ? depth - 1 : 0;
        else if (c === 0x2c && depth === 0) break;
        i++;
      }
      descriptors = value.slice(dStart, i).replace(EDGE_SPACE, '').replace(/\s+/g, ' ');
      i++;
    }
    if (url === '') continue;
    if (isUnsafeUrl(url)) return null;
    const abs = absoluteUrl(url, baseURI);
    if (out !== '') out += ', ';
    out += descriptors === '' ? abs : abs + ' ' + descriptors;
  }
  return out === '' ? value : out;
}

// url(...) in its three forms, and @import with a string.
const CSS_REFERENCE =
  /url\(\s*(?:'([^']*)'|"([^"]*)"|([^)'"\s]*))\s*\)|@import\s*(?:'([^']*)'|"([^"]*)")/gi;
const CSS_HAS_REFERENCE = /url\(|@import/i;
const CSS_URL_SPECIAL = /['"()\s\\]/g;

function encodeCssUrlChar(c: string): string {
  return '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
}

function absoluteCssUrl(url: string, baseURI: string): string {
  if (url.includes('\\')) return url; // CSS escapes: leave as written
  const abs = absoluteUrl(url, baseURI);
  if (abs === url) return url;
  // A base URL may contain quotes or parentheses that would end the token early.
  return abs.replace(CSS_URL_SPECIAL, encodeCssUrlChar);
}

/** `match` with its URL made absolute, or unchanged (as written, case included) if it already is. */
function rewritten(match: string, url: string, open: string, close: string, baseURI: string): string {
  const abs = absoluteCssUrl(url, baseURI);
  return abs === url ? match : open + abs + close;
}

/**
 * CSS text with every `url(...)` and `@import "..."` reference made absolute relative to
 * `baseURI` (the stylesheet's own URL; the document's base URL for `<style>` and `style=""`).
 * `data:` URLs and fragment references (`url(#id)`) are kept as written.
 */
export function absolutizeCss(css: string, baseURI: string): string {
  if (!CSS_HAS_REFERENCE.test(css)) return css;
  return css.replace(
    CSS_REFERENCE,
    (
      match: string,
      single: string | undefined,
      double: string | undefined,
      bare: string | undefined,
      importSingle: string | undefined,
      importDouble: string | undefined,
    ): string => {
      if (single !== undefined) return rewritten(match, single, "url('", "')", baseURI);
      if (double !== undefined) return rewritten(match, double, 'url("', '")', baseURI);
      if (bare !== undefined) return bare === '' ? match : rewritten(match, bare, 'url(', ')', baseURI);
      if (importSingle !== undefined) return rewritten(match, importSingle, "@import '", "'", baseURI);
      if (importDouble !== undefined) return rewritten(match, importDouble, '@import "', '"', baseURI);
      return match;
    },
  );
}

/** What `sanitizeAttribute` does with an attribute, by (lowercase) name. */
const Rule = {
  Href: 1,
  Src: 2,
  Data: 3,
  Url: 4,
  Srcset: 5,
  Style: 6,
  Drop: 7,
  HttpEquiv: 8,
  CheckUrl: 9,
  Animation: 10,
  MetaContent: 11,
  FramePolicy: 12,
} as const;

/** Frozen lookup table (null prototype: attribute names are page-controlled). */
const RULES: Readonly<Record<string, number | undefined>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, number>, {
    href: Rule.Href,
    src: Rule.Src,
    data: Rule.Data,
    'xlink:href': Rule.Url,
    action: Rule.Url,
    formaction: Rule.Url,
    poster: Rule.Url,
    background: Rule.Url,
    cite: Rule.Url,
    longdesc: Rule.Url,
    srcset: Rule.Srcset,
    imagesrcset: Rule.Srcset,
    style: Rule.Style,
    srcdoc: Rule.Drop,
    sandbox: Rule.FramePolicy,
    allow: Rule.FramePolicy,
    csp: Rule.FramePolicy,
    autofocus: Rule.Drop,
    'http-equiv': Rule.HttpEquiv,
    content: Rule.MetaContent,
    ping: Rule.CheckUrl,
    codebase: Rule.CheckUrl,
    classid: Rule.CheckUrl,
    archive: Rule.CheckUrl,
    profile: Rule.CheckUrl,
    manifest: Rule.CheckUrl,
    lowsrc: Rule.CheckUrl,
    dynsrc: Rule.CheckUrl,
    icon: Rule.CheckUrl,
    usemap: Rule.CheckUrl,
    'xml:base': Rule.CheckUrl,
    to: Rule.Animation,
    from: Rule.Animation,
    values: Rule.Animation,
    by: Rule.Animation,
  }),
);

/**
 * True when `sanitizeAttribute` returns any value of attribute `attrName` unchanged, whatever the
 * element: not `on*`, not reserved, no rule for the name in any case. A function of the name alone.
 */
export function isPlainAttribute(attrName: string): boolean {
  if ((attrName.charCodeAt(0) | 0x20) === 0x6f && (attrName.charCodeAt(1) | 0x20) === 0x6e) return false;
  if (isReservedAttribute(attrName)) return false;
  return RULES[attrName] === undefined && RULES[attrName.toLowerCase()] === undefined;
}

/**
 * The value to send (capture) or set (replica) for attribute `attrName` of an element `tagName`,
 * or `null` when the attribute must not exist.
 *
 * - attributes named `data-cobrowse-*` (any case) are reserved for the viewer's restriction marks
 *   (`marks.ts`): a page's own are dropped, so that it can neither forge nor remove a mark;
 * - `on*` event handlers, `srcdoc` and `autofocus` (it would steal focus from the agent's desktop)
 *   are dropped everywhere; `http-equiv` on `<meta>` (refresh, CSP, cookies) and `href` on `<base>`
 *   (every URL is absolute already) are dropped;
 * - `src`/`data` of `iframe`, `frame`, `object`, `embed` are dropped: the replica never loads
 *   customer frames or plugins (a same-origin frame's document travels as the element's child);
 *   their `sandbox`, `allow` and `csp` too: the replica gives its frames its own sandbox;
 * - URL attributes (`href`, `src`, `xlink:href`, `action`, `formaction`, `poster`, `background`,
 *   `cite`, `longdesc`) are made absolute, and dropped when their scheme is `javascript:`,
 *   `vbscript:` or `data:text/html`; each `srcset`/`imagesrcset` candidate likewise; other
 *   URL-valued attributes (`ping`, `codebase`, `manifest`, …) and SVG animation values are dropped
 *   when unsafe;
 * - `url(...)` in `style` is made absolute;
 * - `content` of `<meta>` is dropped when it names a `javascript:`/`vbscript:`/`data:text/html` URL.
 *
 * `tagName` is the element's local name (any case); `baseURI` resolves relative URLs.
 */
export function sanitizeAttribute(
  tagName: string,
  attrName: string,
  value: string,
  baseURI: string,
): string | null {
  // on*, in any case, without allocating.
  if ((attrName.charCodeAt(0) | 0x20) === 0x6f && (attrName.charCodeAt(1) | 0x20) === 0x6e) return null;
  if (isReservedAttribute(attrName)) return null;
  let rule = RULES[attrName];
  if (rule === undefined) {
    const lower = attrName.toLowerCase();
    if (lower === attrName || (rule = RULES[lower]) === undefined) return value;
  }
  switch (rule) {
    case Rule.Href:
      return tagName.toLowerCase() === 'base' ? null : safeUrl(value, baseURI);
    case Rule.Src:
      return isFrameLike(tagName.toLowerCase()) ? null : safeUrl(value, baseURI);
    case Rule.Data:
      // A URL only on <object>, which never loads in the replica.
      return isFrameLike(tagName.toLowerCase()) ? null : value;
    case Rule.Url:
      return safeUrl(value, baseURI);
    case Rule.Srcset:
      return safeSrcset(value, baseURI);
    case Rule.Style:
      return absolutizeCss(value, baseURI);
    case Rule.Drop:
      return null;
    case Rule.FramePolicy:
      // The replica sets its frames' sandbox itself (no scripts); the page's policy means nothing there.
      return isFrameLike(tagName.toLowerCase()) ? null : value;
    case Rule.HttpEquiv:
      return tagName.toLowerCase() === 'meta' ? null : value;
    case Rule.CheckUrl:
      return containsUnsafeUrl(value) ? null : value;
    case Rule.Animation:
      return isAnimation(tagName.toLowerCase()) && containsUnsafeUrl(value) ? null : value;
    case Rule.MetaContent:
      // Inert without http-equiv (dropped above), but a refresh target never needs to reach the
      // agent: drop it when it names a script URL.
      return tagName.toLowerCase() === 'meta' && containsUnsafeUrl(value) ? null : value;
    default:
      return value;
  }
}
