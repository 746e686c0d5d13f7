/**
 * DOM restrictions on the customer's side (docs/PROTOCOL.md, "DOM restrictions"): which elements
 * of the page are masked or DOM controlled, for the rules an administrator defined plus the
 * built-in defaults (password inputs masked, submit controls controlled).
 *
 * The engine holds the rules only; the DOM is read when asked. `match()` answers the elements that
 * match a rule themselves (their descendants inherit the restriction: see `mask.ts` for the walk
 * up); `isMasked(el)` / `isRestricted(el)` answer live for one element and its ancestors.
 *
 * Cost: the rules that apply to a URL are compiled into one selector list per kind and cached per
 * URL and rules version, so `match()` is exactly one `querySelectorAll` per kind, plus a
 * `matches()` for each `<button>` found that is not a submit button of a form.
 *
 * Selectors are joined into lists, so each one must be self-contained: a selector the browser
 * accepts only because the end of input closes it (an open comment `a /*`, string, bracket or
 * parenthesis) would swallow the selectors after it. Such selectors count as invalid.
 *
 * Fail closed: a mask rule whose selector this browser rejects masks `body`; a rule whose URL
 * pattern this browser rejects applies everywhere; a rule of an unknown kind is a mask rule. All
 * are reported. Malformed rules never throw.
 */

import type { Restricted } from '@cobrowse/protocol';

export const NONE = 0 as const;
export const CONTROL = 1 as const;
export const MASK = 2 as const;

/** A rule as the server sends it (`CustomerRule`). */
export interface RestrictionRule {
  id: number;
  selector: string;
  kind: 'mask' | 'control';
  urlPattern: string | null;
}

/** A rule that applies to a URL, as inspect mode lists it (`id` < 0: built-in defaults). */
export interface AppliedRule {
  id: number;
  kind: 'mask' | 'control';
  selector: string;
  builtIn: boolean;
}

/** Elements that match a rule themselves, now. An element in both sets is in `mask` only. */
export interface RestrictionMatch {
  readonly mask: ReadonlySet<Element>;
  readonly control: ReadonlySet<Element>;
}

export interface Restrictions {
  /** Replaces the administrator's rules (the defaults always apply). Never throws. */
  setRules(rules: readonly RestrictionRule[]): void;
  /** Increases with every `setRules`. */
  readonly version: number;
  /** The rules that apply to `url`, built-in defaults first. */
  applicable(url: string): AppliedRule[];
  /** Elements of the document matching a rule that applies to the document's current URL. */
  match(): RestrictionMatch;
  /**
   * `match()` over several documents at once (the page and its same-origin frame documents), each
   * judged by its own URL (see `documentUrl`).
   */
  matchAll(docs: Iterable<Document | ShadowRoot>): RestrictionMatch;
  /** A view on the same rules (and version) whose `match()` covers `doc` (a frame's document). */
  forDocument(doc: Document): Restrictions;
  /** Own mark of `el` in `m`. */
  markOf(el: Element, m: RestrictionMatch): Restricted;
  /**
   * What the rules that apply to document `d` depend on: a match of `d` can be updated from its
   * mutation records (`matchSubtree`) only when the shape is `local`.
   */
  shapeOf(d: Document): SelectorShape;
  /**
   * Adds the elements of `root`'s subtree (or only `root`, when `self`) that match a rule now to
   * `mask` / `control` (each element in one set: mask wins), by the rules of its document's URL.
   * Elements matching `extra` (a selector list, e.g. frame elements) are reported to `found`.
   */
  matchSubtree(
    root: Element,
    mask: Set<Element>,
    control: Set<Element>,
    self: boolean,
    extra: string | null,
    found: ((el: Element) => void) | null,
  ): void;
  /**
   * True when `el` or an ancestor is masked or DOM controlled now (live, not cached): what agent
   * input must refuse. A node that is not an element is judged by its parent element. Ancestors
   * include, for an element of a frame's document, the `<iframe>` that shows it and its own
   * ancestors (each judged by its own document's URL).
   */
  isRestricted(el: Element): boolean;
  /** True when `el` or an ancestor is masked now (live). Non-elements: by their parent element. */
  isMasked(el: Element): boolean;
}

/** Built-in defaults, as selectors (plus `isDefaultSubmit` for type-less buttons in forms). */
export const DEFAULT_MASK_SELECTOR = 'input[type="password" i]';
export const DEFAULT_CONTROL_SELECTOR = 'input[type="submit" i], input[type="image" i], button[type="submit" i]';
/**
 * Candidates for the type-less default: buttons whose `type` attribute is missing or invalid
 * (their `type` property is `submit`); `isDefaultSubmit` then checks that they belong to a form.
 */
const TYPELESS_BUTTON_SELECTOR = 'button:not([type="submit" i]):not([type="button" i]):not([type="reset" i])';
/** What inspect mode shows for the type-less default (a readable approximation). */
const TYPELESS_BUTTON_DESCRIPTION = 'form button:not([type])';
/** The fail-closed target of a mask rule whose selector this browser rejects. */
const FAIL_CLOSED_SELECTOR = 'body';

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** A `<button>` whose missing or invalid `type` makes it a submit button of a form. */
function isDefaultSubmit(el: Element): boolean {
  if (el.localName !== 'button' || el.namespaceURI !== HTML_NS) return false;
  const b = el as HTMLButtonElement;
  try {
    return b.type === 'submit' && b.form !== null;
  } catch {
    return true; // a hostile getter: fail closed
  }
}

/**
 * True when `sel` has no construct that only the end of input closes: comments, strings, brackets
 * and parentheses are all closed, and it does not end with a lone backslash.
 */
export function isSelfContained(sel: string): boolean {
  const len = sel.length;
  const open: number[] = [];
  for (let i = 0; i < len; i++) {
    const c = sel.charCodeAt(i);
    switch (c) {
      case 0x5c: // \ escapes the next character
        if (i + 1 >= len) return false;
        i++;
        break;
      case 0x22: // "
      case 0x27: {
        // '
        let j = i + 1;
        for (; j < len; j++) {
          const d = sel.charCodeAt(j);
          if (d === 0x5c) j++;
          else if (d === c) break;
        }
        if (j >= len) return false;
        i = j;
        break;
      }
      case 0x2f: // /* … */
        if (sel.charCodeAt(i + 1) === 0x2a) {
          const end = sel.indexOf('*/', i + 2);
          if (end < 0) return false;
          i = end + 1;
        }
        break;
      case 0x28: // (
        open.push(0x29);
        break;
      case 0x5b: // [
        open.push(0x5d);
        break;
      case 0x29:
      case 0x5d:
        if (open.pop() !== c) return false;
        break;
    }
  }
  return open.length === 0;
}

interface Compiled {
  id: number;
  kind: 'mask' | 'control';
  /** The selector as the administrator wrote it (for inspect mode). */
  source: string;
  /** `null`: every page (also when the browser rejects the pattern: fail closed). */
  pattern: RegExp | null;
  /** The selector to use (`body` for a mask rule whose selector is unusable), `null`: none. */
  selector: string | null;
  /** What `selector` depends on (see `selectorShape`). */
  shape: SelectorShape;
}

/**
 * What the elements a selector list matches depend on, for updating a match from mutation
 * records (`Restrictions.matchSubtree`). `local`: only the element's own name and attributes and,
 * with `combinators`, those of its ancestors (descendant and child combinators) — no pseudo-class,
 * no sibling combinator, nothing a record does not report. `attributes`: the attribute names
 * (lower case) the selectors read, `null` when unknown (any attribute may matter).
 */
export interface SelectorShape {
  readonly local: boolean;
  readonly combinators: boolean;
  readonly attributes: ReadonlySet<string> | null;
}

const NOT_LOCAL: SelectorShape = { local: false, combinators: true, attributes: null };

/**
 * The shape of a selector list. Conservative: anything but type, universal, class, id and
 * attribute selectors joined by descendant or child combinators (pseudo-classes and elements,
 * sibling combinators, escapes, namespaces) makes it not local.
 */
export function selectorShape(sel: string): SelectorShape {
  const attributes = new Set<string>();
  let combinators = false;
  const len = sel.length;
  // After a compound selector (a space then more is a descendant combinator).
  let inCompound = false;
  let spaced = false;
  for (let i = 0; i < len; i++) {
    const c = sel.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) {
      if (inCompound) spaced = true;
      continue;
    }
    if (c === 0x2c) {
      // , a new selector of the list
      inCompound = false;
      spaced = false;
      continue;
    }
    if (c === 0x3e) {
      // > child combinator
      combinators = true;
      inCompound = false;
      spaced = false;
      continue;
    }
    if (spaced) combinators = true;
    spaced = false;
    inCompound = true;
    if (c === 0x2e) {
      attributes.add('class');
      continue;
    }
    if (c === 0x23) {
      attributes.add('id');
      continue;
    }
    if (c === 0x2a || c === 0x2d || c === 0x5f || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0x80) continue;
    if (c === 0x5b) {
      // [name op "value" i]: the name, then skip to the closing bracket outside quotes.
      let j = i + 1;
      while (j < len && /\s/.test(sel[j] as string)) j++;
      const start = j;
      while (j < len && /[A-Za-z0-9_\-\u0080-\uffff]/.test(sel[j] as string)) j++;
      if (j === start) return NOT_LOCAL;
      attributes.add(sel.slice(start, j).toLowerCase());
      let quote = 0;
      for (; j < len; j++) {
        const d = sel.charCodeAt(j);
        if (quote !== 0) {
          if (d === 0x5c) j++;
          else if (d === quote) quote = 0;
        } else if (d === 0x22 || d === 0x27) quote = d;
        else if (d === 0x5d) break;
        else if (d === 0x7c && sel.charCodeAt(j + 1) !== 0x3d) return NOT_LOCAL; // a namespace
      }
      if (j >= len) return NOT_LOCAL;
      i = j;
      continue;
    }
    // : (pseudo-classes), + and ~ (siblings), \ (escapes), | (namespaces), anything else
    return NOT_LOCAL;
  }
  return { local: true, combinators, attributes };
}

/** The shape of several selectors together. */
function joinShapes(shapes: readonly SelectorShape[]): SelectorShape {
  let combinators = false;
  const attributes = new Set<string>();
  for (const s of shapes) {
    if (!s.local) return NOT_LOCAL;
    combinators ||= s.combinators;
    if (s.attributes === null) return { local: true, combinators: true, attributes: null };
    for (const a of s.attributes) attributes.add(a);
  }
  return { local: true, combinators, attributes };
}

/**
 * The shape of the built-in defaults: `type` (and `form`, which decides whether a type-less
 * button submits a form) of the element itself.
 */
const DEFAULT_SHAPE: SelectorShape = { local: true, combinators: false, attributes: new Set(['type', 'form']) };

/** Selector lists for one URL and rules version. */
interface Lists {
  /** Mask rules and the mask default. */
  mask: string;
  /** Control rules and the control defaults, type-less button candidates included. */
  control: string;
  /** `control` without the type-less button candidates: what such a button must match itself. */
  controlRules: string;
  /** `mask` and `controlRules` in one list (the live checks). */
  all: string;
  /** `mask` and `control` in one list (what `matchSubtree` looks for). */
  any: string;
  /** What the rules of these lists depend on (the defaults included). */
  shape: SelectorShape;
  /**
   * `any` with the last `extra` selector `matchSubtree` was given, joined once: the same string
   * for every subtree of a batch (the browser parses a selector string once and caches it by its
   * text; a new string per call is hashed and looked up again).
   */
  anyWith?: { extra: string; sel: string };
}

/** The document of the frame element that shows `doc` (same origin only), or `null`. */
function hostDocument(doc: Document): Document | null {
  try {
    const host = doc.defaultView?.frameElement;
    return host ? host.ownerDocument : null;
  } catch {
    return null;
  }
}

/**
 * The URL a document's restrictions are chosen by: its own, except for `about:blank` and
 * `about:srcdoc` documents (frames without a URL of their own, whose content the page wrote), which
 * take the URL of the document that holds their frame.
 */
export function documentUrl(doc: Document): string {
  let cur: Document | null = doc;
  for (let hops = 0; cur !== null && hops < 32; hops++) {
    const url = cur.URL;
    if (!url.startsWith('about:')) return url;
    cur = hostDocument(cur);
  }
  return doc.URL;
}

/** The parent element of `el`, or for the root of a frame's document the frame element. */
function upOf(el: Element): Element | null {
  const parent = el.parentElement;
  if (parent !== null) return parent;
  try {
    // The top of a shadow tree: on to its host.
    const node = el.parentNode;
    if (node !== null && node.nodeType === 11) return (node as ShadowRoot).host ?? null;
    const doc = el.ownerDocument;
    if (doc.documentElement !== el) return null;
    return (doc.defaultView?.frameElement as Element | null | undefined) ?? null;
  } catch {
    return null;
  }
}

export function createRestrictions(doc: Document, report: (msg: string, err?: unknown) => void = () => {}): Restrictions {
  let compiled: Compiled[] = [];
  let version = 0;
  /** Selector lists per URL for the current version (cleared by `setRules`; bounded). */
  let cache = new Map<string, Lists>();

  const validSelector = (sel: string): boolean => {
    if (sel.trim() === '' || !isSelfContained(sel)) return false;
    try {
      doc.createDocumentFragment().querySelector(sel);
      return true;
    } catch {
      return false;
    }
  };

  const applies = (c: Compiled, url: string): boolean => {
    if (c.pattern === null) return true;
    try {
      c.pattern.lastIndex = 0;
      return c.pattern.test(url);
    } catch {
      return true;
    }
  };

  /** Selector lists of the rules that apply to `url`, defaults included; cached per URL+version. */
  const lists = (url: string): Lists => {
    const known = cache.get(url);
    if (known !== undefined) return known;
    let mask = DEFAULT_MASK_SELECTOR;
    let controlRules = DEFAULT_CONTROL_SELECTOR;
    const shapes: SelectorShape[] = [DEFAULT_SHAPE];
    for (const c of compiled) {
      if (c.selector === null || !applies(c, url)) continue;
      if (c.kind === 'mask') mask += ',\n' + c.selector;
      else controlRules += ',\n' + c.selector;
      shapes.push(c.shape);
    }
    const control = controlRules + ',\n' + TYPELESS_BUTTON_SELECTOR;
    const made: Lists = {
      mask,
      control,
      controlRules,
      all: mask + ',\n' + controlRules,
      any: mask + ',\n' + control,
      shape: joinShapes(shapes),
    };
    if (cache.size >= 64) cache.clear();
    cache.set(url, made);
    return made;
  };

  const safeAll = (d: Document | ShadowRoot, sel: string): ArrayLike<Element> => {
    try {
      return d.querySelectorAll(sel);
    } catch (err) {
      report('a restriction selector failed', err);
      return [];
    }
  };

  /** `el.matches(sel)`, true when the browser throws (fail closed). */
  const safeMatches = (el: Element, sel: string): boolean => {
    try {
      return el.matches(sel);
    } catch {
      return true;
    }
  };

  /** The element to judge for a node: itself, or the parent element of a non-element. */
  const elementOf = (node: Node | null | undefined): Element | null => {
    if (node === null || node === undefined || typeof node !== 'object') return null;
    return node.nodeType === 1 ? (node as Element) : node.parentElement;
  };

  const compile = (raw: unknown): Compiled | null => {
    if (typeof raw !== 'object' || raw === null) return null;
    const rule = raw as Partial<Record<keyof RestrictionRule, unknown>>;
    const id = typeof rule.id === 'number' ? rule.id : 0;
    let kind: 'mask' | 'control' = 'mask';
    if (rule.kind === 'control') kind = 'control';
    else if (rule.kind !== 'mask') report(`restriction ${id}: unknown kind, applied as a mask`);
    let pattern: RegExp | null = null;
    if (typeof rule.urlPattern === 'string' && rule.urlPattern !== '') {
      try {
        pattern = new RegExp(rule.urlPattern);
      } catch (err) {
        report(`restriction ${id}: invalid URL pattern, applied to every page`, err);
      }
    }
    const source = typeof rule.selector === 'string' ? rule.selector : '';
    let selector: string | null = source;
    if (!validSelector(source)) {
      report(`restriction ${id}: invalid selector` + (kind === 'mask' ? ', body masked' : ', ignored'));
      selector = kind === 'mask' ? FAIL_CLOSED_SELECTOR : null;
    }
    return { id, kind, source, pattern, selector, shape: selector === null ? DEFAULT_SHAPE : selectorShape(selector) };
  };

  /** A control candidate `el` (found by `l.control`) that really is DOM controlled. */
  const isControl = (el: Element, l: Lists): boolean =>
    // A button found as a type-less candidate counts only when it submits a form or when a
    // control rule matches it by itself.
    !(el.localName === 'button' && !isDefaultSubmit(el) && !safeMatches(el, l.controlRules));

  /** Matches of every document of `docs`, each by the rules that apply to its own URL. */
  const matchDocs = (docs: Iterable<Document | ShadowRoot>): RestrictionMatch => {
    const mask = new Set<Element>();
    const control = new Set<Element>();
    for (const d of docs) {
      // A shadow root is judged by its document's URL; selectors match inside it only.
      const l = lists(documentUrl(d.nodeType === 9 ? (d as Document) : (d as ShadowRoot).ownerDocument));
      const found = safeAll(d, l.mask);
      for (let k = 0; k < found.length; k++) mask.add(found[k] as Element);
      const candidates = safeAll(d, l.control);
      for (let k = 0; k < candidates.length; k++) {
        const el = candidates[k] as Element;
        if (mask.has(el)) continue;
        if (isControl(el, l)) control.add(el);
      }
    }
    return { mask, control };
  };

  /**
   * Whether `element.querySelectorAll` matches combinators against ancestors outside the element,
   * as the standard says, with the selectors our lists hold (case-insensitive attributes):
   * jsdom's selector engine does not. `null`: not probed yet.
   */
  let scopedQueryWorks: boolean | null = null;
  const probeScopedQuery = (): boolean => {
    try {
      const outer = doc.createElement('section');
      outer.className = 'a';
      const mid = outer.appendChild(doc.createElement('p'));
      mid.appendChild(doc.createElement('i')).className = 'c';
      return mid.querySelectorAll('[x="y" i],\n.a .c').length === 1;
    } catch {
      return false;
    }
  };

  /** Lists for the document of `el` (its own URL; not the cache of `listsOf`). */
  const listsFor = (d: Document): Lists => lists(documentUrl(d));

  /**
   * Adds to `mask` / `control` the elements of the subtree of `root` (itself included, or only
   * itself when `self`) that match a rule; `extra` (a selector) is looked for in the same query
   * and its elements reported to `found`. One `matches` and one `querySelectorAll` per root.
   */
  const matchSubtree = (
    root: Element,
    mask: Set<Element>,
    control: Set<Element>,
    self: boolean,
    extra: string | null,
    found: ((el: Element) => void) | null,
  ): void => {
    const l = listsFor(root.ownerDocument);
    let sel = l.any;
    if (extra !== null) {
      if (l.anyWith?.extra !== extra) l.anyWith = { extra, sel: l.any + ',\n' + extra };
      sel = l.anyWith.sel;
    }
    const judge = (el: Element) => {
      if (safeMatches(el, l.mask)) {
        mask.add(el);
        control.delete(el);
      } else if (safeMatches(el, l.control) && isControl(el, l)) {
        if (!mask.has(el)) control.add(el);
      }
      if (found !== null && extra !== null && safeMatches(el, extra)) found(el);
    };
    if (safeMatches(root, sel)) judge(root);
    if (self) return;
    let all: ArrayLike<Element>;
    try {
      if (scopedQueryWorks === null) scopedQueryWorks = probeScopedQuery();
      if (scopedQueryWorks) all = root.querySelectorAll(sel);
      else {
        // One `matches` per element of the subtree instead.
        const every = root.getElementsByTagName('*');
        const out: Element[] = [];
        for (let k = 0; k < every.length; k++) if (safeMatches(every[k] as Element, sel)) out.push(every[k] as Element);
        all = out;
      }
    } catch (err) {
      report('a restriction selector failed', err);
      // Fail closed: the subtree masked.
      mask.add(root);
      return;
    }
    for (let k = 0; k < all.length; k++) judge(all[k] as Element);
  };

  /** Lists for the document of `el` (the last one looked up is kept: ancestors share it). */
  let lastDoc: Document | null = null;
  let lastLists: Lists | null = null;
  const listsOf = (el: Element): Lists => {
    const d = el.ownerDocument;
    if (d !== lastDoc || lastLists === null) {
      lastDoc = d;
      lastLists = lists(documentUrl(d));
    }
    return lastLists;
  };

  const isRestricted = (el: Element): boolean => {
    lastLists = null;
    for (let cur = elementOf(el); cur !== null; cur = upOf(cur)) {
      if (safeMatches(cur, listsOf(cur).all) || isDefaultSubmit(cur)) return true;
    }
    return false;
  };

  const isMasked = (el: Element): boolean => {
    lastLists = null;
    for (let cur = elementOf(el); cur !== null; cur = upOf(cur)) {
      if (safeMatches(cur, listsOf(cur).mask)) return true;
    }
    return false;
  };

  const engine: Restrictions = {
    setRules(rules) {
      version += 1;
      cache = new Map();
      const next: Compiled[] = [];
      if (Array.isArray(rules)) {
        for (const raw of rules as unknown[]) {
          const c = compile(raw);
          if (c !== null) next.push(c);
        }
      } else {
        report('restrictions: the rules are not a list; only the defaults apply');
      }
      compiled = next;
    },
    get version() {
      return version;
    },
    applicable(url) {
      const out: AppliedRule[] = [
        { id: -1, kind: 'mask', selector: DEFAULT_MASK_SELECTOR, builtIn: true },
        { id: -2, kind: 'control', selector: DEFAULT_CONTROL_SELECTOR + ', ' + TYPELESS_BUTTON_DESCRIPTION, builtIn: true },
      ];
      for (const c of compiled) {
        if (applies(c, url)) out.push({ id: c.id, kind: c.kind, selector: c.source, builtIn: false });
      }
      return out;
    },
    match: () => matchDocs([doc]),
    matchAll: (docs) => matchDocs(docs),
    forDocument: (d) => view(d),
    markOf(el, m) {
      return m.mask.has(el) ? MASK : m.control.has(el) ? CONTROL : NONE;
    },
    shapeOf: (d) => listsFor(d).shape,
    matchSubtree,
    isRestricted,
    isMasked,
  };

  /** `engine` with `match()` over `d`: the same rules, version and answers otherwise. */
  const view = (d: Document): Restrictions =>
    d === doc ? engine : Object.assign(Object.create(engine) as Restrictions, { match: () => matchDocs([d]) });

  return engine;
}
