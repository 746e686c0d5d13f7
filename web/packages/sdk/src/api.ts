/**
 * The public JavaScript API handed to `onReady` callbacks, named and shaped as in the reference
 * product's guide, so that a site written against it works unchanged.
 */

import type { GcbApi, GcbSession } from '../gcb';

// The shipped declarations (`gcb.d.ts`) are the contract; the implementation is checked against
// them by the typecheck (`index.ts` builds a `CobrowseApi`).
export type CobrowseSession = GcbSession;
export type CobrowseApi = GcbApi;

/** Checks for the APIs the SDK needs (not for browser names, as the guide says). */
export function isBrowserSupported(win: Window): boolean {
  const w = win as unknown as Record<string, unknown>;
  return (
    typeof w['MutationObserver'] === 'function' &&
    typeof w['WebSocket'] === 'function' &&
    typeof w['WeakMap'] === 'function' &&
    typeof w['fetch'] === 'function' &&
    typeof w['Promise'] === 'function' &&
    typeof w['requestAnimationFrame'] === 'function' &&
    typeof w['sessionStorage'] === 'object'
  );
}
