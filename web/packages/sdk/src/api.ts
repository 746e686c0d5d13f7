/**
 * The public JavaScript API handed to `onReady` callbacks, named and shaped as in the reference
 * product's guide, so that a site written against it works unchanged.
 */

import type { Signal } from './signal';

export interface CobrowseSession {
  /** The nine-digit token the customer reads to the agent. */
  token: string;
  /** Connected agents; each is an object with no properties. */
  agents: object[];
}

export interface CobrowseApi {
  VERSION: string;
  isBrowserSupported(): boolean;
  startSession(): void;
  exitSession(): void;
  downgradeMode(): void;
  markServiceElement(element: Element): void;
  onInitialized: Signal<[CobrowseSession | null]>;
  onSessionStarted: Signal<[CobrowseSession]>;
  onSessionEnded: Signal<[{ reason: string | undefined }]>;
  onConnected: Signal<[CobrowseSession]>;
  onAgentJoined: Signal<[object, CobrowseSession]>;
  onAgentNavigated: Signal<[{ command: string; url?: string }]>;
  onNavigationFailed: Signal<[]>;
  onModeUpgradeRequested: Signal<[(allow: boolean) => void]>;
  onModeChanged: Signal<[{ pointer: boolean; write: boolean }]>;
  onMaskedElement: Signal<[Element]>;
}

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
