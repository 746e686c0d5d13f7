/**
 * DOM restrictions on the customer's side (docs/PROTOCOL.md, "DOM restrictions"): which elements
 * of the page are masked or DOM controlled, for the rules an administrator defined plus the
 * built-in defaults (password inputs masked, submit controls controlled).
 *
 * The engine holds the rules only; the DOM is read when asked. `match()` answers the elements that
 * match a rule themselves (their descendants inherit the restriction: callers walk ancestors);
 * `isRestricted(el)` answers live whether an agent action on `el` must be refused.
 *
 * Fail closed: a mask rule whose selector this browser rejects masks `body`; a rule whose URL
 * pattern this browser rejects applies everywhere. Both are reported.
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
  /** Replaces the administrator's rules (the defaults always apply). */
  setRules(rules: readonly RestrictionRule[]): void;
  /** Increases with every `setRules`. */
  readonly version: number;
  /** The rules that apply to `url`, built-in defaults first. */
  applicable(url: string): AppliedRule[];
  /** Elements of the document matching a rule that applies to the document's current URL. */
  match(): RestrictionMatch;
  /** Own mark of `el` in `m`. */
  markOf(el: Element, m: RestrictionMatch): Restricted;
  /**
   * True when `el` or an ancestor is masked or DOM controlled now (live, not cached): what agent
   * input must refuse.
   */
  isRestricted(el: Element): boolean;
}

/** Built-in defaults, as selectors (plus `isDefaultSubmit` for type-less buttons in forms). */
export const DEFAULT_MASK_SELECTOR = 'input[type="password" i]';
export const DEFAULT_CONTROL_SELECTOR = 'input[type="submit" i], input[type="image" i], button[type="submit" i]';

/** A `<button>` whose missing or invalid `type` makes it a submit button of a form. */
function isDefaultSubmit(el: Element): boolean {
  if (el.localName !== 'button' || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') return false;
  const b = el as HTMLButtonElement;
  return b.type === 'submit' && b.form !== null;
}

function isPassword(el: Element): boolean {
  return el.localName === 'input' && (el as HTMLInputElement).type === 'password';
}

interface Compiled {
  rule: RestrictionRule;
  /** `null`: every page (also when the browser rejects the pattern: fail closed). */
  pattern: RegExp | null;
  /** The selector to use (`body` for a mask rule whose selector this browser rejects). */
  selector: string | null;
}

export function createRestrictions(doc: Document, report: (msg: string, err?: unknown) => void = () => {}): Restrictions {
  let compiled: Compiled[] = [];
  let version = 0;

  const validSelector = (sel: string): boolean => {
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

  /** Selector lists (one per kind) of the rules that apply to `url`, defaults included. */
  const lists = (url: string): { mask: string; control: string } => {
    const mask = [DEFAULT_MASK_SELECTOR];
    const control = [DEFAULT_CONTROL_SELECTOR];
    for (const c of compiled) {
      if (c.selector === null || !applies(c, url)) continue;
      (c.rule.kind === 'mask' ? mask : control).push(c.selector);
    }
    return { mask: mask.join(', '), control: control.join(', ') };
  };

  const safeAll = (sel: string): NodeListOf<Element> | Element[] => {
    try {
      return doc.querySelectorAll(sel);
    } catch (err) {
      report('a restriction selector failed', err);
      return [];
    }
  };

  return {
    setRules(rules) {
      version += 1;
      compiled = rules.map((rule) => {
        let pattern: RegExp | null = null;
        if (rule.urlPattern) {
          try {
            pattern = new RegExp(rule.urlPattern);
          } catch (err) {
            report(`restriction ${rule.id}: invalid URL pattern, applied to every page`, err);
          }
        }
        let selector: string | null = rule.selector;
        if (!validSelector(rule.selector)) {
          report(`restriction ${rule.id}: invalid selector`);
          selector = rule.kind === 'mask' ? 'body' : null;
        }
        return { rule, pattern, selector };
      });
    },
    get version() {
      return version;
    },
    applicable(url) {
      const out: AppliedRule[] = [
        { id: -1, kind: 'mask', selector: DEFAULT_MASK_SELECTOR, builtIn: true },
        { id: -2, kind: 'control', selector: DEFAULT_CONTROL_SELECTOR + ', form button:not([type])', builtIn: true },
      ];
      for (const c of compiled) {
        if (applies(c, url)) out.push({ id: c.rule.id, kind: c.rule.kind, selector: c.rule.selector, builtIn: false });
      }
      return out;
    },
    match() {
      const { mask: maskSel, control: controlSel } = lists(doc.URL);
      const mask = new Set<Element>(safeAll(maskSel));
      const control = new Set<Element>();
      for (const el of safeAll(controlSel)) if (!mask.has(el)) control.add(el);
      for (const el of safeAll('button')) if (!mask.has(el) && isDefaultSubmit(el)) control.add(el);
      return { mask, control };
    },
    markOf(el, m) {
      return m.mask.has(el) ? MASK : m.control.has(el) ? CONTROL : NONE;
    },
    isRestricted(el) {
      const { mask, control } = lists(doc.URL);
      const all = mask + ', ' + control;
      for (let cur: Element | null = el; cur !== null; cur = cur.parentElement) {
        try {
          if (cur.matches(all)) return true;
        } catch {
          return true;
        }
        if (isPassword(cur) || isDefaultSubmit(cur)) return true;
      }
      return false;
    },
  };
}
