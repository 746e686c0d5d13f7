/**
 * A pristine realm: the platform's own `MutationObserver` and `Node.prototype` accessors, taken from
 * a fresh same-origin `about:blank` iframe.
 *
 * Pages, and frameworks such as Salesforce Lightning/LWC, replace `window.MutationObserver` or
 * redefine `Node.prototype.childNodes`/`firstChild` before the SDK runs (the corpus pages
 * monkey-patched-mutation.html and monkey-patched-elements.html do both). The capture must not
 * depend on them: it observes with the iframe realm's `MutationObserver` and walks with its
 * accessors (`createCaptureContext`'s `realm` option). The iframe lives only while they are read;
 * its functions keep working on this document after it is removed. Where no iframe can be made
 * (no `<html>` yet, a sandboxed or script-less frame), the page's own are used.
 */

export interface PristineRealm {
  /** The realm's window-like object, for `createCaptureContext({ realm })`; `null`: the page's. */
  readonly realm: { Node: { prototype: object }; Element: { prototype: object }; Function: FunctionConstructor } | null;
  readonly MutationObserver: typeof MutationObserver;
}

type RealmWindow = Window & typeof globalThis;

/** Reads the pristine constructors once; never throws. */
export function pristineRealm(win: Window): PristineRealm {
  const own = win as RealmWindow;
  const fallback: PristineRealm = { realm: null, MutationObserver: own.MutationObserver };
  const doc = win.document;
  const root = doc.documentElement;
  if (!root) return fallback;
  let frame: HTMLIFrameElement | null = null;
  try {
    frame = doc.createElement('iframe');
    frame.setAttribute('data-gcb-service-node', 'true');
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.style.cssText = 'display:none!important';
    root.appendChild(frame);
    const clean = frame.contentWindow as RealmWindow | null;
    if (!clean || typeof clean.MutationObserver !== 'function' || !clean.Node || !clean.Element) return fallback;
    return {
      realm: { Node: clean.Node, Element: clean.Element, Function: clean.Function },
      MutationObserver: clean.MutationObserver,
    };
  } catch {
    return fallback;
  } finally {
    try {
      frame?.remove();
    } catch {
      // Already gone.
    }
  }
}
