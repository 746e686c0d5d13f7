/**
 * Customer side: animations made by script (`element.animate()`), which no MutationObserver
 * reports. While a capture runs, `Element.prototype.animate` (`changed` with the animation it
 * returned) and `play`, `pause`, `cancel`, `finish` of `Animation` (`changed` with it) of one window
 * are wrapped through `prototype-watch.ts`, same contract: the originals do what they did, reports
 * come after and never throw into the page, `unwatch()` restores them.
 */

import { createPrototypeWatch } from './prototype-watch';

/** What the animation wrappers report (see the module comment). */
export interface AnimationWatch {
  /** An animation was made by `animate()`, or played, paused, cancelled or finished. */
  changed(anim: Animation): void;
}

export interface ScriptAnimationWatch {
  /** Stops reporting and restores the originals (see `prototype-watch.ts`). */
  unwatch(): void;
}

export function watchScriptAnimations(win: Window, animations: AnimationWatch): ScriptAnimationWatch {
  const watch = createPrototypeWatch();
  const w = win as unknown as Record<string, { prototype?: object } | undefined>;
  watch.methods(w['Element']?.prototype, ['animate'], (_el, anim) => animations.changed(anim as Animation));
  watch.methods(w['Animation']?.prototype, ['play', 'pause', 'cancel', 'finish'], (anim) =>
    animations.changed(anim as Animation),
  );
  return { unwatch: watch.unwatch };
}
