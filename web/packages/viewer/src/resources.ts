/**
 * The replica's sub-resources through the server's resource proxy (docs/PROTOCOL.md,
 * "Resources"): every URL the replica would load from the customer's site, a CDN or the customer's
 * page (`blob:`) becomes `<origin>/cobrowse/resource/<token>?url=<absolute URL>`, so the agent's
 * browser loads only from the cobrowse server (the `/agent/` CSP allows nothing else).
 *
 * `createResourceMapper` gives the `mapUrl` hook of `@cobrowse/dom`'s replica builder:
 *
 * - `http:`, `https:` and `blob:` URLs go through the proxy; a fragment stays outside the proxied
 *   URL (`…?url=<sprite.svg>#icon`: SVG `<use>` and media fragments still apply);
 * - `data:` URLs, fragment-only references (`#gradient`, `url(#clip)`: the replica's own document)
 *   and empty values stay as they are;
 * - any other scheme (and an unparsable URL) loads nothing: `about:invalid` in an attribute,
 *   `url("")` in CSS;
 * - `srcset` candidates are mapped one by one, descriptors kept;
 * - CSS text is read with the CSS tokenizer's rules (comments, strings, escapes, `url(` written with
 *   escapes): `url(…)` in any form, the string of `@import "…"` and the strings of
 *   `image-set(…)` / `-webkit-image-set(…)` are mapped; everything else is copied as written.
 *
 * Pure functions; no DOM access.
 */

import type { ResourceKind, UrlMapper } from '@cobrowse/dom';

/** What a URL that must load nothing becomes in an attribute. */
export const BLOCKED_URL = 'about:invalid';

const EDGE_SPACE = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

/**
 * The proxy URL for `url` (resolved against `base`), `url` itself when it stays (`data:`,
 * fragment-only, empty), or `null` when it must load nothing.
 */
export function proxiedUrl(url: string, token: string, origin: string, base: string): string | null {
  const v = url.replace(EDGE_SPACE, '');
  if (v === '' || v.startsWith('#')) return url;
  let parsed: URL;
  try {
    parsed = new URL(v, base);
  } catch {
    return null;
  }
  const scheme = parsed.protocol;
  if (scheme === 'data:') return url;
  if (scheme !== 'http:' && scheme !== 'https:' && scheme !== 'blob:') return null;
  const hash = parsed.hash;
  parsed.hash = '';
  const target = encodeURIComponent(parsed.href).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${origin}/cobrowse/resource/${encodeURIComponent(token)}?url=${target}${hash}`;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/** A `srcset` with each candidate's URL mapped by `map` (HTML's parsing: URLs may hold commas). */
export function mapSrcset(value: string, map: (url: string) => string): string {
  const len = value.length;
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (i < len && (isSpace(value.charCodeAt(i)) || value.charCodeAt(i) === 0x2c)) i++;
    if (i >= len) break;
    const start = i;
    while (i < len && !isSpace(value.charCodeAt(i))) i++;
    let url = value.slice(start, i);
    let descriptors = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
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
    const mapped = map(url);
    out.push(descriptors === '' ? mapped : `${mapped} ${descriptors}`);
  }
  return out.join(', ');
}

// ---- CSS ----------------------------------------------------------------------------------------

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function isNameStart(c: number): boolean {
  return ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f || c >= 0x80;
}

function isName(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}

function isNewline(c: number): boolean {
  return c === 0x0a || c === 0x0c || c === 0x0d;
}

/** A valid escape at `i` (a backslash not followed by a newline or the end). */
function isEscape(s: string, i: number): boolean {
  return s.charCodeAt(i) === 0x5c && i + 1 < s.length && !isNewline(s.charCodeAt(i + 1));
}

/** Reads the escape at `i` (after its backslash check); returns [code point text, next index]. */
function readEscape(s: string, i: number): [string, number] {
  let j = i + 1;
  const c = s.charCodeAt(j);
  if (isHex(c)) {
    let hex = '';
    while (j < s.length && hex.length < 6 && isHex(s.charCodeAt(j))) hex += s[j++];
    if (j < s.length && isSpace(s.charCodeAt(j))) {
      // One whitespace ends the escape (CR LF counts as one).
      j += s.charCodeAt(j) === 0x0d && s.charCodeAt(j + 1) === 0x0a ? 2 : 1;
    }
    const cp = parseInt(hex, 16);
    const ok = cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    return [ok ? String.fromCodePoint(cp) : '\uFFFD', j];
  }
  const cp = s.codePointAt(j) ?? 0xfffd;
  const ch = String.fromCodePoint(cp);
  return [ch, j + ch.length];
}

/** Reads a name (identifier characters and escapes) from `i`: [decoded name, next index]. */
function readName(s: string, i: number): [string, number] {
  let name = '';
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isName(c)) {
      name += s[i];
      i++;
    } else if (isEscape(s, i)) {
      const [ch, next] = readEscape(s, i);
      name += ch;
      i = next;
    } else {
      break;
    }
  }
  return [name, i];
}

/** Whether an identifier starts at `i` (CSS "would start an identifier"). */
function startsIdent(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c === 0x2d) {
    const d = s.charCodeAt(i + 1);
    return isNameStart(d) || d === 0x2d || isEscape(s, i + 1);
  }
  return isNameStart(c) || isEscape(s, i);
}

/** Reads a string token whose quote is at `i`: [decoded value, next index]. */
function readString(s: string, i: number): [string, number] {
  const quote = s.charCodeAt(i);
  let value = '';
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === quote) return [value, j + 1];
    if (isNewline(c)) return [value, j]; // a bad string: ends before the newline
    if (c === 0x5c) {
      if (j + 1 >= s.length) {
        j++;
        continue;
      }
      const d = s.charCodeAt(j + 1);
      if (isNewline(d)) {
        // A line continuation.
        j += d === 0x0d && s.charCodeAt(j + 2) === 0x0a ? 3 : 2;
        continue;
      }
      const [ch, next] = readEscape(s, j);
      value += ch;
      j = next;
      continue;
    }
    value += s[j];
    j++;
  }
  return [value, j];
}

/**
 * Reads the rest of an unquoted `url(` from `i` (just after the parenthesis and any whitespace):
 * [decoded URL or `null` for a bad URL, index after the closing parenthesis].
 */
function readUnquotedUrl(s: string, i: number): [string | null, number] {
  let value = '';
  let j = i;
  let bad = false;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x29) return [bad ? null : value, j + 1];
    if (bad) {
      // Remnants of a bad URL: escapes are skipped, up to the closing parenthesis.
      j += isEscape(s, j) ? readEscape(s, j)[1] - j : 1;
      continue;
    }
    if (isSpace(c)) {
      while (j < s.length && isSpace(s.charCodeAt(j))) j++;
      if (j >= s.length || s.charCodeAt(j) === 0x29) continue;
      bad = true;
      continue;
    }
    if (c === 0x22 || c === 0x27 || c === 0x28 || c < 0x09 || c === 0x0b || (c > 0x0d && c < 0x20) || c === 0x7f) {
      bad = true;
      continue;
    }
    if (c === 0x5c) {
      if (!isEscape(s, j)) {
        bad = true;
        continue;
      }
      const [ch, next] = readEscape(s, j);
      value += ch;
      j = next;
      continue;
    }
    value += s[j];
    j++;
  }
  return [bad ? null : value, j];
}

/** `value` as a CSS string in double quotes. */
function cssString(value: string): string {
  return '"' + value.replace(/[\\"\n\r\f]/g, (c) => '\\' + c.charCodeAt(0).toString(16) + ' ') + '"';
}

/**
 * CSS text with every reference that loads something mapped by `map` (which returns the URL to
 * use, or `null`: load nothing). Mapped references are written `url("…")` / `"…"`; the rest of
 * the text is copied as written.
 */
export function mapCssUrls(css: string, map: (url: string) => string | null): string {
  // Only a function (`url(`, `image-set(`) or an `@import` loads anything, and neither can be
  // written without a literal `(` or `@` (escaped, they are identifier characters): most inline
  // styles have neither, and are used as written without scanning them.
  if (css.indexOf('(') < 0 && css.indexOf('@') < 0) return css;
  const len = css.length;
  let out = '';
  let copied = 0; // css[copied, i) is still to copy
  let i = 0;
  // Parenthesis depth of each open image-set( function; strings directly inside are URLs.
  const imageSets: number[] = [];
  let depth = 0;
  let afterImport = false;
  const emit = (from: number, text: string, to: number) => {
    out += css.slice(copied, from) + text;
    copied = to;
  };
  while (i < len) {
    const c = css.charCodeAt(i);
    if (c === 0x2f && css.charCodeAt(i + 1) === 0x2a) {
      const end = css.indexOf('*/', i + 2);
      i = end < 0 ? len : end + 2;
      continue;
    }
    if (c === 0x22 || c === 0x27) {
      const start = i;
      const [value, next] = readString(css, i);
      i = next;
      const inImageSet = imageSets.length > 0 && imageSets[imageSets.length - 1] === depth;
      if (afterImport || inImageSet) {
        const mapped = map(value);
        emit(start, cssString(mapped ?? ''), i);
      }
      afterImport = false;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 0x40 /* @ */ && startsIdent(css, i + 1)) {
      const [name, next] = readName(css, i + 1);
      i = next;
      afterImport = name.toLowerCase() === 'import';
      continue;
    }
    if (c === 0x23 /* # */) {
      // A hash token: its name is not a function (`#url(` is no URL).
      i = readName(css, i + 1)[1];
      afterImport = false;
      continue;
    }
    if ((c >= 0x30 && c <= 0x39) || (c === 0x2e && css.charCodeAt(i + 1) >= 0x30 && css.charCodeAt(i + 1) <= 0x39)) {
      // A number and its unit (`1url(` is a dimension, not a function).
      while (i < len && ((css.charCodeAt(i) >= 0x30 && css.charCodeAt(i) <= 0x39) || css.charCodeAt(i) === 0x2e)) i++;
      if (i < len && startsIdent(css, i)) i = readName(css, i)[1];
      afterImport = false;
      continue;
    }
    if (startsIdent(css, i)) {
      const start = i;
      const [name, next] = readName(css, i);
      i = next;
      const lower = name.toLowerCase();
      if (css.charCodeAt(i) !== 0x28) {
        afterImport = false;
        continue;
      }
      i++; // (
      if (lower === 'url') {
        let j = i;
        while (j < len && isSpace(css.charCodeAt(j))) j++;
        const q = css.charCodeAt(j);
        if (q === 0x22 || q === 0x27) {
          // url("…"): a function whose argument is a string.
          const [value, afterString] = readString(css, j);
          let k = afterString;
          while (k < len && isSpace(css.charCodeAt(k))) k++;
          if (css.charCodeAt(k) === 0x29) {
            const mapped = map(value);
            emit(start, `url(${cssString(mapped ?? '')})`, k + 1);
            i = k + 1;
          } else {
            // Something after the string: not a URL the browser would load. Loads nothing.
            depth++;
            emit(start, 'url(""', afterString);
            i = afterString;
          }
        } else {
          const [value, after] = readUnquotedUrl(css, j);
          const mapped = value === null ? null : map(value);
          emit(start, `url(${cssString(mapped ?? '')})`, after);
          i = after;
        }
        afterImport = false;
        continue;
      }
      depth++;
      if (lower === 'image-set' || lower === '-webkit-image-set') imageSets.push(depth);
      afterImport = false;
      continue;
    }
    if (c === 0x28) depth++;
    else if (c === 0x29) {
      if (imageSets.length > 0 && imageSets[imageSets.length - 1] === depth) imageSets.pop();
      depth = depth > 0 ? depth - 1 : 0;
    }
    if (c === 0x5c) {
      // A backslash that starts no identifier (before a newline): a delimiter.
      i++;
      afterImport = false;
      continue;
    }
    afterImport = false;
    i++;
  }
  return out + css.slice(copied);
}

/**
 * The replica builder's `mapUrl` hook (`@cobrowse/dom`) for the live session `token`: resources
 * load from `origin` (the cobrowse server's, the agent desktop's own), see the module comment.
 */
export function createResourceMapper(token: string, origin: string): UrlMapper {
  return (value: string, kind: ResourceKind, base: string): string => {
    const one = (url: string): string | null => proxiedUrl(url, token, origin, base);
    switch (kind) {
      case 'url':
        return one(value) ?? BLOCKED_URL;
      case 'srcset':
        return mapSrcset(value, (url) => one(url) ?? BLOCKED_URL);
      case 'css':
        return mapCssUrls(value, one);
      default:
        return value;
    }
  };
}
