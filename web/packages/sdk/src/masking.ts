/**
 * What the customer's page learns about its masked content while a session runs (connected, with
 * or without an agent): `onMaskedElement(element)` once per element that matches a mask rule
 * itself (built-in defaults included), whether the page has masked content now (the toolbar's
 * `contentMaskedPartially`), and which elements the built-in markers frame.
 *
 * The restriction engine (`Restrictions.match()`) is evaluated at start, after `changed()` (new
 * rules), after URL changes (`popstate`, `hashchange`; a `pushState` is seen through the DOM
 * mutations that follow it, or the next evaluation), after the document loads, and after DOM
 * mutations — at most once per animation frame (a timer stands in when frames do not run, as in a
 * background tab). The MutationObserver exists only between `watchMasking` and `stop()`.
 *
 * Elements inside service elements (the page's own co-browse UI) are never reported: they are not
 * sent at all. Markers go to the outermost masked elements only (a masked element inside another
 * is already framed).
 */

import type { Restrictions } from '@cobrowse/dom';

export interface MaskingOptions {
  win: Window;
  restrictions: Restrictions;
  /** Whether `el` itself is a service element (`CaptureContext.isService`). */
  isService(el: Element): boolean;
  /** An element matches a mask rule itself; called once per element for the watch's lifetime. */
  masked(el: Element): void;
  /** The page has masked content now (`true`) or no longer (`false`); called on changes only. */
  maskedContent(present: boolean): void;
  /** The outermost masked elements, in document order, after every evaluation. */
  outermost?(elements: Element[]): void;
  report(msg: string, err?: unknown): void;
  /** The constructor to observe with (default: the window's; see `realm.ts`). */
  MutationObserver?: typeof MutationObserver;
}

export interface MaskingWatch {
  /** The rules changed: evaluate again (next frame). */
  changed(): void;
  stop(): void;
}

/** Fallback delay when animation frames do not run (background tab). */
const FALLBACK_MS = 200;

export function watchMasking(opts: MaskingOptions): MaskingWatch {
  const { win, restrictions } = opts;
  const doc = win.document;
  const reported = new WeakSet<Element>();
  let present = false;
  let stopped = false;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;

  const inService = (el: Element): boolean => {
    for (let cur: Element | null = el; cur !== null; cur = cur.parentElement) {
      if (opts.isService(cur)) return true;
    }
    return false;
  };

  const evaluate = () => {
    unschedule();
    if (stopped) return;
    try {
      const { mask } = restrictions.match();
      const elements: Element[] = [];
      for (const el of mask) if (!inService(el)) elements.push(el);
      for (const el of elements) {
        if (reported.has(el)) continue;
        reported.add(el);
        opts.masked(el);
        // A callback may have ended the session.
        if (stopped) return;
      }
      const now = elements.length > 0;
      if (now !== present) {
        present = now;
        opts.maskedContent(now);
      }
      if (opts.outermost) {
        const set = new Set(elements);
        opts.outermost(
          elements.filter((el) => {
            for (let up = el.parentElement; up !== null; up = up.parentElement) if (set.has(up)) return false;
            return true;
          }),
        );
      }
    } catch (err) {
      opts.report('could not evaluate the masked elements', err);
    }
  };

  const schedule = () => {
    if (stopped || frame || timer) return;
    frame = win.requestAnimationFrame(evaluate);
    timer = setTimeout(evaluate, FALLBACK_MS);
  };

  function unschedule() {
    if (frame) win.cancelAnimationFrame(frame);
    if (timer) clearTimeout(timer);
    frame = 0;
    timer = 0;
  }

  const onEvent = () => {
    try {
      schedule();
    } catch (err) {
      opts.report('could not schedule a masking evaluation', err);
    }
  };

  const observer = new (opts.MutationObserver ?? (win as Window & typeof globalThis).MutationObserver)(onEvent);
  observer.observe(doc, { childList: true, subtree: true, attributes: true });
  const passive = { capture: true, passive: true } as const;
  win.addEventListener('popstate', onEvent, passive);
  win.addEventListener('hashchange', onEvent, passive);
  win.addEventListener('load', onEvent, passive);
  doc.addEventListener('DOMContentLoaded', onEvent, passive);

  evaluate();

  return {
    changed: onEvent,
    stop() {
      if (stopped) return;
      stopped = true;
      unschedule();
      observer.disconnect();
      win.removeEventListener('popstate', onEvent, passive);
      win.removeEventListener('hashchange', onEvent, passive);
      win.removeEventListener('load', onEvent, passive);
      doc.removeEventListener('DOMContentLoaded', onEvent, passive);
      if (present) {
        present = false;
        opts.maskedContent(false);
      }
      opts.outermost?.([]);
    },
  };
}
