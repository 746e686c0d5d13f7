/**
 * Namespaces and name validity, shared by capture and replica.
 *
 * The wire only carries names that `createElement` / `setAttribute` accept (XML `Name`), so that a
 * snapshot always rebuilds into the same tree. Broken markup such as `<alt="">` or `<html ''>`
 * parses into names the DOM cannot create: the capture sends such elements as `span` (they are
 * unknown, inline elements either way) and drops such attributes; the replica checks again.
 */

export const HTML_NS = 'http://www.w3.org/1999/xhtml';
export const SVG_NS = 'http://www.w3.org/2000/svg';
export const MATH_NS = 'http://www.w3.org/1998/Math/MathML';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Tag name used on the wire for elements whose own name is not a valid XML name. */
export const FALLBACK_TAG = 'span';
/** Doctype name used on the wire when the page's doctype name is not a valid XML name (`<!DOCTYPE >`). */
export const FALLBACK_DOCTYPE = 'html';

// XML 1.0 (5th edition) Name production, the check jsdom and browsers apply in createElement and
// setAttribute. Stateless regexes (no g/y flag), so sharing them is safe.
const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF' +
  '\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD' +
  '\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = NAME_START + '\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040';
const XML_NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');
const NCNAME_START = NAME_START.slice(1);
const NCNAME_CHAR = NAME_CHAR.slice(1);
const QNAME = new RegExp(
  `^(?:[${NCNAME_START}][${NCNAME_CHAR}]*:)?[${NCNAME_START}][${NCNAME_CHAR}]*$`,
  'u',
);

/**
 * Fast path for the names real pages use: an ASCII letter or `_`, then letters, digits, `-`, `_`,
 * `.`. Such a name is a valid Name and QName; anything else goes to the full regexes.
 */
function isSimpleName(name: string): boolean {
  const len = name.length;
  if (len === 0) return false;
  let c = name.charCodeAt(0) | 0x20;
  if (!((c >= 0x61 && c <= 0x7a) || name.charCodeAt(0) === 0x5f)) return false;
  for (let i = 1; i < len; i++) {
    c = name.charCodeAt(i);
    if (
      (c >= 0x61 && c <= 0x7a) || // a-z
      (c >= 0x41 && c <= 0x5a) || // A-Z
      (c >= 0x30 && c <= 0x39) || // 0-9
      c === 0x2d || // -
      c === 0x5f || // _
      c === 0x2e // .
    ) {
      continue;
    }
    return false;
  }
  return true;
}

/** True when `name` matches the XML `Name` production (what `createElement`/`setAttribute` need). */
export function isValidName(name: string): boolean {
  return isSimpleName(name) || XML_NAME.test(name);
}

/** True when `name` is a valid qualified name (what `createElementNS`/`setAttributeNS` need). */
export function isValidQName(name: string): boolean {
  return isSimpleName(name) || QNAME.test(name);
}

/** Wire namespace tag of a DOM namespace URI (`undefined` for HTML and anything unknown). */
export function nsTag(namespaceURI: string | null): 'svg' | 'math' | undefined {
  if (namespaceURI === SVG_NS) return 'svg';
  if (namespaceURI === MATH_NS) return 'math';
  return undefined;
}

/** DOM namespace URI of a wire namespace tag. */
export function nsURI(ns: 'svg' | 'math' | undefined): string {
  if (ns === 'svg') return SVG_NS;
  if (ns === 'math') return MATH_NS;
  return HTML_NS;
}
