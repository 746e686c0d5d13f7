/**
 * Customer side: fonts added by script, which no MutationObserver reports. While a capture runs,
 * one window's `FontFace` constructor is replaced by a `Proxy` of the original (`constructed` with
 * each new face and its source, which a face does not expose) and `add`, `delete`, `clear` of
 * `FontFaceSet` are wrapped (`changed`). Both through `prototype-watch.ts`, same contract: the
 * originals do what they did, reports come after and never throw into the page, `unwatch()`
 * restores them.
 */

import { createPrototypeWatch } from './prototype-watch';

/** What the font wrappers report (see the module comment). */
export interface FontFaceWatch {
  /** `new FontFace(family, source, …)` returned `face` in `win`. */
  constructed(face: object, source: unknown, win: Window): void;
  /** `add`, `delete` or `clear` of a `FontFaceSet` returned. */
  changed(): void;
}

export interface FontWatch {
  /** Stops reporting and restores the originals (see `prototype-watch.ts`). */
  unwatch(): void;
}

export function watchFonts(win: Window, fonts: FontFaceWatch): FontWatch {
  const watch = createPrototypeWatch();
  const w = win as unknown as Record<string, { prototype?: object } | undefined>;
  watch.constructors(win, ['FontFace'], (face, args) => fonts.constructed(face, args[1], win));
  watch.methods(w['FontFaceSet']?.prototype, ['add', 'delete', 'clear'], () => fonts.changed());
  return { unwatch: watch.unwatch };
}
