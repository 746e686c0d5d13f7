/**
 * Customer side: shadow roots as they are attached. `Element.prototype.attachShadow` of one window
 * is wrapped (`prototype-watch.ts`, same contract): each root it returns is kept for its host
 * (`DomAccess.keepShadowRoot`), so that closed roots, which nothing else can read, are captured
 * like open ones; then `onAttach(host)` is told (no mutation record says a root was attached).
 *
 * The SDK keeps the roots of the page's window from the moment it loads (roots attached before
 * stay unreadable when closed) and, while a capture runs, of every frame window it observes too.
 */

import type { DomAccess } from './dom-access';
import { createPrototypeWatch } from './prototype-watch';

export interface ShadowRootWatch {
  /** Stops keeping and reporting; restores the original `attachShadow` (see `prototype-watch.ts`). */
  unwatch(): void;
}

export function watchShadowRoots(
  win: Window,
  dom: Pick<DomAccess, 'keepShadowRoot'>,
  onAttach: (host: Element) => void = () => {},
): ShadowRootWatch {
  const watch = createPrototypeWatch();
  const w = win as unknown as Record<string, { prototype?: object } | undefined>;
  watch.methods(w['Element']?.prototype, ['attachShadow'], (host, root) => {
    // The original returned: `host` is an element, `root` its new shadow root.
    dom.keepShadowRoot(host as Element, root as ShadowRoot);
    onAttach(host as Element);
  });
  return { unwatch: watch.unwatch };
}
