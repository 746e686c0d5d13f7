/**
 * Customer side: notices the stylesheet changes that no MutationObserver reports, by wrapping
 * prototype members of one window while a capture runs (and, for the page's window, from the SDK's
 * load on, recording the sheets script changed: `CaptureContext.cssomWatched`):
 *
 * - rules inserted or deleted through the CSSOM: `insertRule`, `deleteRule`, `addRule`,
 *   `removeRule`, `replace`, `replaceSync` of `CSSStyleSheet`, and `insertRule` / `deleteRule` of
 *   `CSSGroupingRule` (`@media`, `@supports`, …), which CSS-in-JS libraries call directly;
 * - assignments of `adoptedStyleSheets` on documents and shadow roots (the setter).
 *
 * Each wrapper follows the contract of `prototype-watch.ts` (calls the original, returns or throws
 * what it does, reports after): `onSheet` with the top-level sheet that changed (a grouping rule
 * and an `@import` chain walk up to it), `onAdopt` with the document or shadow root. A report costs
 * a set insertion in the caller: no per-node work. Not seen: declarations edited in place
 * (`rule.style.color = …`), and `push` / `splice` on an `adoptedStyleSheets` array (the capture
 * compares the lists at each flush, so these show with the next change of any kind).
 */

import { createPrototypeWatch } from './prototype-watch';

export interface StylesheetWatch {
  /** Stops reporting and restores the originals (see the module comment). */
  unwatch(): void;
}

/** The stylesheet a CSSOM object belongs to at top level (`@import`ed sheets walk up), or null. */
export function topLevelSheet(target: unknown): CSSStyleSheet | null {
  try {
    // A sheet has `ownerRule`; a rule has not (it has `parentStyleSheet`).
    let sheet: CSSStyleSheet | null | undefined =
      typeof target === 'object' && target !== null && 'ownerRule' in target
        ? (target as CSSStyleSheet)
        : (target as { parentStyleSheet?: CSSStyleSheet | null }).parentStyleSheet;
    for (let hops = 0; sheet && hops < 16; hops++) {
      const owner: CSSRule | null = sheet.ownerRule;
      if (!owner || !owner.parentStyleSheet) return sheet;
      sheet = owner.parentStyleSheet;
    }
    return sheet ?? null;
  } catch {
    return null;
  }
}

/**
 * Wraps the members of `win`'s prototypes listed in the module comment. `onSheet` / `onAdopt` are
 * called after each successful change (see the contract above).
 */
export function watchStylesheets(
  win: Window,
  onSheet: (sheet: CSSStyleSheet) => void,
  onAdopt: (root: Document | ShadowRoot) => void,
): StylesheetWatch {
  const watch = createPrototypeWatch();
  const w = win as unknown as Record<string, { prototype?: object } | undefined>;

  const sheetChanged = (target: unknown): void => {
    const sheet = topLevelSheet(target);
    if (sheet) onSheet(sheet);
  };
  /** `replace`: the rules change again when its promise settles (the page sees the same promise). */
  const sheetReplaced = (target: unknown, result: unknown): void => {
    sheetChanged(target);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(
        () => {
          try {
            if (watch.active) sheetChanged(target);
          } catch {
            // never into the page
          }
        },
        () => undefined,
      );
    }
  };
  const adopted = (target: unknown): void => onAdopt(target as Document | ShadowRoot);

  const sheetProto = w['CSSStyleSheet']?.prototype;
  watch.methods(sheetProto, ['insertRule', 'deleteRule', 'addRule', 'removeRule', 'replaceSync'], sheetChanged);
  watch.methods(sheetProto, ['replace'], sheetReplaced);
  watch.methods(w['CSSGroupingRule']?.prototype, ['insertRule', 'deleteRule'], sheetChanged);
  watch.setters(w['Document']?.prototype, ['adoptedStyleSheets'], adopted);
  watch.setters(w['ShadowRoot']?.prototype, ['adoptedStyleSheets'], adopted);
  return { unwatch: watch.unwatch };
}
