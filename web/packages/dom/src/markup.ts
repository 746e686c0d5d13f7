/**
 * Agent side: HTML markup of wire subtrees, for the replica build's parser path (`build.ts`,
 * `parseChildren`). The browser's HTML parser creates a large subtree several times faster than one
 * `createElement` / `setAttribute` / `appendChild` call per node from script, so the build hands it
 * the children of a large element as markup, then maps the wire ids onto the parsed nodes with one
 * walk (`matchParsed`).
 *
 * The markup is written from the same decisions the builder makes, never from the wire text: an
 * attribute's value is what `attributeValue` (sanitizing, then the viewer's `mapUrl`) returns, a
 * `<style>`'s text is mapped as the builder maps it. Everything written is escaped (`&`, `<`, `>`,
 * `"` and CR in text and in double-quoted attribute values), names are checked against strict
 * patterns, so the parser can only create the elements, attributes and texts the builder would.
 *
 * The HTML parser does not create every tree the DOM can hold: it restructures some (a `<div>`
 * inside a `<p>` closes it, `<tr>` needs a table section, an `<a>` inside an `<a>`, a `<form>`
 * inside a `<form>`, table-part tags outside tables, `<li>` in `<li>` …), merges adjacent texts, drops
 * empty ones and a `<pre>`'s or `<textarea>`'s first newline, splits very long texts, nests at most
 * 512 elements deep (Chromium) and treats elements such as `<select>`, `<template>`, `<noscript>`,
 * SVG and MathML specially. Every node whose markup could be parsed into something else, and every
 * node the builder treats specially (scripts, frames, canvases, media, `<link>`s carrying their
 * CSS, hosts of shadow roots), is written as a placeholder (an empty comment) instead: the builder
 * builds it and it replaces the placeholder. `matchParsed` then checks the parsed tree node for
 * node against the wire (node types, element names, no node more or less); any difference fails
 * closed: the parsed nodes are discarded and the builder builds the whole subtree. Adjacent
 * texts are written with an empty comment between them, which the build removes.
 */

import type { SerializedElement, SerializedNode } from '@cobrowse/protocol';

/**
 * What the markup needs of the build: the value of attribute `name` on an HTML element `local`
 * (as `attributeValue`: `undefined` or `null` when it is not set) and a `<style>`'s text as set.
 */
export interface MarkupDecisions {
  attribute(local: string, name: string, value: string): string | null | undefined;
  styleText(text: string): string;
}

export interface Markup {
  /** The children's markup. */
  html: string;
  /** The wire nodes written as placeholders (empty comments), in document order. */
  placeholders: SerializedNode[];
  /**
   * The wire texts that follow a text: each is written after an empty comment, which keeps the
   * parser from merging the two and which the build removes. In document order.
   */
  separated: SerializedNode[];
  /** How many wire nodes the markup itself holds (placeholders not counted). */
  nodes: number;
}

/** Below this many nodes a subtree is built by the builder: a parse has a fixed cost. */
export const MARKUP_MIN_NODES = 64;

/**
 * Markup with more than one placeholder or separator per this many nodes is not parsed (e.g. many
 * adjacent texts, each set by script): each costs DOM calls of its own, the builder is as fast.
 */
const MAX_HOLES = 4;

/** Deeper elements (below the parsed element) are placeholders: Chromium's parser nests 512 deep at most. */
const MAX_DEPTH = 256;

/** Chromium's parser splits a text longer than this into several text nodes. */
const MAX_TEXT = 65_536;

/** Element names written as placeholders wherever they are: the builder builds them. */
const BUILT: ReadonlySet<string> = new Set([
  // treated specially by the builder
  'script',
  'noscript',
  'iframe',
  'frame',
  'canvas',
  'video',
  'audio',
  // parsed in their own ways
  'template',
  'select',
  'option',
  'optgroup',
  'selectedcontent',
  'frameset',
  'xmp',
  'noembed',
  'noframes',
  'plaintext',
  'image',
  'html',
  'head',
  'body',
  'svg',
  'math',
  'nobr',
  'keygen',
  'param',
  'basefont',
  'bgsound',
  'menuitem',
  'isindex',
]);

/** Elements the parser never gives children (their end tag is never written). */
const VOID: ReadonlySet<string> = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Start tags that close an open `<p>` (HTML parsing, "in body"; `table` in no-quirks mode). */
const CLOSES_P: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption',
  'figure', 'footer', 'header', 'hgroup', 'main', 'menu', 'nav', 'ol', 'p', 'search', 'section', 'summary', 'ul', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'pre', 'listing', 'form', 'table', 'hr', 'li', 'dd', 'dt',
]);

const HEADINGS: ReadonlySet<string> = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** The only parent each table part is parsed into. */
const TABLE_PART_PARENT: Readonly<Record<string, string | undefined>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    caption: 'table',
    colgroup: 'table',
    thead: 'table',
    tbody: 'table',
    tfoot: 'table',
    col: 'colgroup',
    tr: 'tbody',
    td: 'tr',
    th: 'tr',
  }),
);

/** Parents whose children are only table parts (and whitespace, and comments). */
const TABLE_PARENTS: ReadonlySet<string> = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup']);

/** Elements whose content the parser reads as text: `<style>` raw, `<textarea>` and `<title>` with character references. */
const TEXT_ONLY: ReadonlySet<string> = new Set(['style', 'textarea', 'title']);

/**
 * True for the HTML elements whose children may be given as markup (`childrenMarkup`): those the
 * parser reads children into as it reads the children of a `<body>`, a `<div>` or a table part.
 */
export function parsesChildren(local: string): boolean {
  return (local === 'body' || !BUILT.has(local)) && !VOID.has(local) && !TEXT_ONLY.has(local);
}

// Context flags: which open elements make a start tag restructure the tree.
const IN_P = 1;
const IN_LI = 2;
const IN_DD = 4;
const IN_A = 8;
const IN_BUTTON = 16;
const IN_FORM = 32;

/** The flags below an element `local` given those above it. */
function flagsBelow(local: string, flags: number): number {
  switch (local) {
    case 'p':
      return flags | IN_P;
    case 'li':
      return flags | IN_LI;
    case 'dd':
    case 'dt':
      return flags | IN_DD;
    case 'a':
      return flags | IN_A;
    case 'button':
      return (flags | IN_BUTTON) & ~IN_P;
    case 'form':
      return flags | IN_FORM;
    case 'ul':
    case 'ol':
      return flags & ~IN_LI;
    case 'dl':
      return flags & ~IN_DD;
    case 'table':
    case 'td':
    case 'th':
    case 'caption':
    case 'object':
    case 'applet':
    case 'marquee':
      return flags & ~(IN_P | IN_A | IN_BUTTON);
    default:
      return flags;
  }
}

/** True when a start tag `local` inside `parent` (with `flags`) would be parsed as something else. */
function restructures(local: string, parent: string, flags: number): boolean {
  if (flags & IN_P && CLOSES_P.has(local)) return true;
  const tableParent = TABLE_PART_PARENT[local];
  if (tableParent !== undefined) {
    return tableParent === 'tbody' ? parent !== 'tbody' && parent !== 'thead' && parent !== 'tfoot' : parent !== tableParent;
  }
  if (TABLE_PARENTS.has(parent)) return true;
  switch (local) {
    case 'li':
      return (flags & IN_LI) !== 0;
    case 'dd':
    case 'dt':
      return (flags & IN_DD) !== 0;
    case 'a':
      return (flags & IN_A) !== 0;
    case 'button':
      return (flags & IN_BUTTON) !== 0;
    case 'form':
      return (flags & IN_FORM) !== 0;
    case 'rb':
    case 'rtc':
      return parent !== 'ruby';
    case 'rp':
    case 'rt':
      return parent !== 'ruby' && parent !== 'rtc';
    default:
      return HEADINGS.has(local) && HEADINGS.has(parent);
  }
}

/** A tag name written as is: lowercase ASCII (the parser lowercases), nothing the tokenizer ends a name on. */
const TAG_NAME = /^[a-z][a-z0-9._-]*$/;
/** Attribute names the parser could read otherwise: ASCII uppercase (lowercased, maybe into a duplicate), namespaced ones. */
const ODD_ATTRIBUTE_NAME = /[A-Z]|^xml:|^xlink:/;
/** What text and attribute values escape; NUL is never written (the parser drops or replaces it). */
const SPECIAL = /[&<>"\r\0]/;
const ESCAPED = /[&<>"\r]/g;
const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };
const escapeChar = (c: string): string => ENTITY[c] as string;
/** Comments whose data could end early or be changed by the parser. */
const ODD_COMMENT = /--|^-?>|<!-|-$|[\0\r]/;
const ODD_STYLE = /<\/style|[\0\r]/i;
const TABLE_WHITESPACE = /^[\t\n\f\r ]+$/;
const PLACEHOLDER = '<!---->';

/** `s` escaped for text or a double-quoted attribute value; `null` when it holds a NUL. */
function escaped(s: string): string | null {
  if (!SPECIAL.test(s)) return s;
  if (s.indexOf('\0') >= 0) return null;
  return s.replace(ESCAPED, escapeChar);
}

/** Children the builder skips (not a node, a document, an unknown type). */
export function isSkipped(c: unknown): boolean {
  if (typeof c !== 'object' || c === null) return true;
  const t = (c as { t?: unknown }).t;
  return t !== 1 && t !== 3 && t !== 4 && t !== 8 && t !== 10 && t !== 11;
}

/** True when `n` has at least `min` nodes below it (stops counting there). */
export function hasNodes(n: SerializedElement, min: number): boolean {
  let count = 0;
  const stack: SerializedNode[][] = [];
  if (Array.isArray(n.c)) stack.push(n.c);
  while (stack.length > 0) {
    const list = stack.pop() as SerializedNode[];
    count += list.length;
    if (count >= min) return true;
    for (let k = 0; k < list.length; k++) {
      const c = list[k] as SerializedNode;
      if (typeof c === 'object' && c !== null && c.t === 1 && Array.isArray(c.c) && c.c.length > 0) stack.push(c.c);
    }
  }
  return false;
}

/** The start tag of `n` (an HTML element `local`), or `null` when an attribute cannot be written. */
function startTag(n: SerializedElement, local: string, d: MarkupDecisions): string | null {
  let tag = '<' + local;
  const a = n.a;
  if (typeof a === 'object' && a !== null) {
    const keys = Object.keys(a);
    for (let k = 0; k < keys.length; k++) {
      const name = keys[k] as string;
      const value = a[name];
      if (typeof value !== 'string') continue;
      const v = d.attribute(local, name, value);
      if (v === undefined || v === null) continue;
      if (ODD_ATTRIBUTE_NAME.test(name)) return null;
      const e = escaped(v);
      if (e === null) return null;
      tag += ' ' + name + '="' + e + '"';
    }
  }
  return tag + '>';
}

/**
 * The text content of a `<style>`, `<textarea>` or `<title>` as markup (after its start tag), or
 * `null` when its children are not one text the parser gives back as it is.
 */
function textOnlyContent(n: SerializedElement, local: string, d: MarkupDecisions): string | null {
  const c = Array.isArray(n.c) ? n.c.filter((x) => !isSkipped(x)) : [];
  const lead = local === 'textarea' ? '\n' : '';
  if (c.length === 0) return lead;
  const only = c[0] as SerializedNode;
  if (c.length > 1 || only.t !== 3) return null;
  const text = String(only.x ?? '');
  if (text === '') return null;
  if (local === 'style') {
    const css = d.styleText(text);
    return css === '' || ODD_STYLE.test(css) ? null : css;
  }
  if (text.length >= MAX_TEXT) return null;
  const e = escaped(text);
  return e === null ? null : lead + e;
}

/** True when `n` has children the builder would build. */
function hasChildren(n: SerializedElement): boolean {
  return Array.isArray(n.c) && n.c.some((x) => !isSkipped(x));
}

interface Open {
  n: SerializedElement;
  local: string;
  flags: number;
  next: number;
  depth: number;
  /**
   * Where the element's start tag begins in the markup, and the counts of placeholders,
   * separators and nodes before it: a shadow root among its children turns it into a placeholder
   * (the builder builds hosts), the markup written for it taken back.
   */
  at: number;
  placeholders: number;
  separated: number;
  nodes: number;
}

/**
 * The markup of the children of wire element `n`, an HTML element `local` (the parser's context:
 * `parsesChildren(local)`), or `null` when its children are not to be parsed (a shadow root among
 * them; more than one placeholder or separator per `MAX_HOLES` nodes).
 * Iterative: any depth. One pass over the wire: an element found to host a shadow root (a child
 * of type 11) once its markup is being written becomes a placeholder then.
 */
export function childrenMarkup(n: SerializedElement, local: string, d: MarkupDecisions): Markup | null {
  const placeholders: SerializedNode[] = [];
  const separated: SerializedNode[] = [];
  let nodes = 0;
  let html = '';
  const open: Open[] = [{ n, local, flags: flagsBelow(local, 0), next: 0, depth: 0, at: 0, placeholders: 0, separated: 0, nodes: 0 }];
  /** The last thing written inside the current element was a text (the next would merge with it). */
  let afterText = false;
  /** True once there are too many placeholders and separators for what is written (`MAX_HOLES`). */
  const tooMany = (): boolean => (placeholders.length + separated.length) * MAX_HOLES > nodes + MARKUP_MIN_NODES;
  const placeholder = (c: SerializedNode): void => {
    placeholders.push(c);
    html += PLACEHOLDER;
    afterText = false;
  };
  while (open.length > 0) {
    const top = open[open.length - 1] as Open;
    const children = top.n.c as SerializedNode[];
    if (top.next >= children.length) {
      open.pop();
      if (open.length > 0) html += '</' + top.local + '>';
      afterText = false;
      continue;
    }
    const c = children[top.next++] as SerializedNode;
    if (isSkipped(c)) continue;
    // Given up early: the rest would not be parsed either.
    if (tooMany()) return null;
    switch (c.t) {
      case 3: {
        const text = String(c.x ?? '');
        const e = text.length >= MAX_TEXT || (TABLE_PARENTS.has(top.local) && !TABLE_WHITESPACE.test(text)) ? null : escaped(text);
        if (e === null || e === '') placeholder(c);
        else {
          if (afterText) {
            separated.push(c);
            html += PLACEHOLDER;
          }
          html += e;
          nodes++;
          afterText = true;
        }
        continue;
      }
      case 8: {
        const data = String(c.x ?? '');
        if (ODD_COMMENT.test(data)) placeholder(c);
        else {
          html += '<!--' + data + '-->';
          nodes++;
          afterText = false;
        }
        continue;
      }
      case 1:
        break;
      case 11: {
        // A shadow host: `n` itself is not parsed; an element below is a placeholder instead.
        if (open.length === 1) return null;
        open.pop();
        html = html.slice(0, top.at);
        placeholders.length = top.placeholders;
        separated.length = top.separated;
        nodes = top.nodes;
        placeholder(top.n);
        continue;
      }
      default:
        placeholder(c);
        continue;
    }
    const name = c.n;
    if (
      typeof name !== 'string' ||
      c.ns === 'svg' ||
      c.ns === 'math' ||
      !TAG_NAME.test(name) ||
      BUILT.has(name) ||
      (name === 'link' && typeof c.css === 'string') ||
      top.depth >= MAX_DEPTH ||
      restructures(name, top.local, top.flags)
    ) {
      placeholder(c);
      continue;
    }
    const tag = startTag(c, name, d);
    if (tag === null) {
      placeholder(c);
      continue;
    }
    if (VOID.has(name)) {
      if (hasChildren(c)) placeholder(c);
      else {
        html += tag;
        nodes++;
        afterText = false;
      }
      continue;
    }
    if (TEXT_ONLY.has(name)) {
      const content = textOnlyContent(c, name, d);
      if (content === null) placeholder(c);
      else {
        html += tag + content + '</' + name + '>';
        nodes += hasChildren(c) ? 2 : 1;
        afterText = false;
      }
      continue;
    }
    const at = html.length;
    const before = nodes;
    // The parser drops a newline right after these start tags: one is given to drop.
    html += name === 'pre' || name === 'listing' ? tag + '\n' : tag;
    nodes++;
    afterText = false;
    if (Array.isArray(c.c) && c.c.length > 0) {
      open.push({
        n: c,
        local: name,
        flags: flagsBelow(name, top.flags),
        next: 0,
        depth: top.depth + 1,
        at,
        placeholders: placeholders.length,
        separated: separated.length,
        nodes: before,
      });
    } else {
      html += '</' + name + '>';
    }
  }
  return (placeholders.length + separated.length) * MAX_HOLES > nodes ? null : { html, placeholders, separated, nodes };
}

/**
 * Matches the children `root` got from parsing `markup` (`childrenMarkup(n, …)`) against the wire
 * children of `n`, node for node in document order: fills `pairs` (wire node, parsed node, …:
 * texts, comments and elements) and `holes` (placeholder comment, wire node, …; a separator
 * comment, `null`, …). False (fail closed) on any difference: a node type, an element's name, a
 * node more or less, a placeholder or separator that is not a comment.
 */
export function matchParsed(
  root: Node,
  n: SerializedElement,
  markup: Pick<Markup, 'placeholders' | 'separated'>,
  pairs: (SerializedNode | Node)[],
  holes: (SerializedNode | Node | null)[],
): boolean {
  const { placeholders, separated } = markup;
  let s = 0;
  const lists: SerializedNode[][] = [Array.isArray(n.c) ? n.c : []];
  const next: number[] = [0];
  const cursor: (Node | null)[] = [root.firstChild];
  let p = 0;
  let depth = 0;
  while (depth >= 0) {
    const list = lists[depth] as SerializedNode[];
    const k = next[depth] as number;
    let dom = cursor[depth] as Node | null;
    if (k >= list.length) {
      if (dom !== null) return false;
      lists.pop();
      next.pop();
      cursor.pop();
      depth--;
      continue;
    }
    next[depth] = k + 1;
    const c = list[k] as SerializedNode;
    if (isSkipped(c)) continue;
    if (dom === null) return false;
    if (c === separated[s]) {
      if (dom.nodeType !== 8) return false;
      holes.push(dom, null);
      s++;
      dom = dom.nextSibling;
      if (dom === null) return false;
    }
    cursor[depth] = dom.nextSibling;
    const type = dom.nodeType;
    if (c === placeholders[p]) {
      if (type !== 8) return false;
      holes.push(dom, c);
      p++;
      continue;
    }
    if (type !== c.t) return false;
    pairs.push(c, dom);
    if (type !== 1) continue;
    if ((dom as Element).localName !== (c as SerializedElement).n) return false;
    const below = (c as SerializedElement).c;
    if (Array.isArray(below) && below.length > 0) {
      lists.push(below);
      next.push(0);
      cursor.push(dom.firstChild);
      depth++;
    } else if (dom.firstChild !== null) {
      return false;
    }
  }
  return p === placeholders.length && s === separated.length;
}
