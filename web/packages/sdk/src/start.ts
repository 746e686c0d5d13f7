/**
 * Starting a session with the page's `primaryMedia` adapter, as the guide's "Integrating Co-browse
 * with Chat" describes it. Owns the adapter: its `initializeAsync(done)` is called once at boot
 * (`prepareMedia`), and nothing else of it is used before `done` was called; `decideStart` is the
 * question asked on `startSession()`:
 *
 * - the adapter's `isAgentConnected()` returns true → `'autoConnect'`: the session starts and its
 *   token goes to the agent through `sendCbSessionToken(token)` (`sendToken`);
 * - it returns false → the customer is asked `areYouOnPhone`; no adapter, no `isAgentConnected`, or
 *   an adapter that is not ready → `areYouOnPhoneOrChat`. Yes → `'confirmed'` (the customer reads
 *   the token), No → `'declined'` (the UI shows `connectBeforeCobrowse`).
 * - with no one to ask (`disableBuiltInUI`), the page's own UI has asked before calling
 *   `startSession()`: `'confirmed'`, and the token goes through `onSessionStarted` only.
 *
 * The adapter is the page's code: whatever it throws or returns is contained here.
 */

import type { PrimaryMedia } from './config';

export type StartQuestion = 'areYouOnPhone' | 'areYouOnPhoneOrChat';
export type StartDecision = 'autoConnect' | 'confirmed' | 'declined';

/** How long `startSession()` waits for an adapter's `done` before going on without it. */
export const MEDIA_READY_TIMEOUT_MS = 10_000;

export interface Media {
  /** Resolves once the adapter is ready (`done` called, or no `initializeAsync`); never rejects. */
  ready(): Promise<void>;
  /** Whether the adapter has called `done` (or needs no initialization). */
  isReady(): boolean;
  /** The adapter's answer: true/false, or null when it has no (working) `isAgentConnected`. */
  agentConnected(): boolean | null;
  /** Passes the token to the agent; false when the adapter has no `sendCbSessionToken` or it threw. */
  sendToken(token: string): boolean;
}

export function prepareMedia(media: PrimaryMedia | null, report: (msg: string, err?: unknown) => void): Media {
  let readyNow = true;
  let resolveReady: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  const method = (name: keyof PrimaryMedia): ((...args: never[]) => unknown) | null => {
    if (!media) return null;
    try {
      const fn = (media as Record<string, unknown>)[name];
      return typeof fn === 'function' ? (fn as (...args: never[]) => unknown) : null;
    } catch {
      return null;
    }
  };

  const init = method('initializeAsync');
  if (init) {
    readyNow = false;
    let called = false;
    const done = () => {
      if (called) return;
      called = true;
      readyNow = true;
      resolveReady();
    };
    try {
      (init as (done: () => void) => unknown).call(media, done);
    } catch (err) {
      // A broken adapter is no adapter: the customer is asked, as without one.
      report('primaryMedia.initializeAsync threw', err);
    }
  } else {
    resolveReady();
  }

  return {
    ready: () => readyPromise,
    isReady: () => readyNow,
    agentConnected() {
      const fn = method('isAgentConnected');
      if (!fn || !readyNow) return null;
      try {
        return (fn as () => unknown).call(media) === true;
      } catch (err) {
        report('primaryMedia.isAgentConnected threw', err);
        return null;
      }
    },
    sendToken(token) {
      const fn = method('sendCbSessionToken');
      if (!fn) return false;
      try {
        (fn as (token: string) => unknown).call(media, token);
        return true;
      } catch (err) {
        report('primaryMedia.sendCbSessionToken threw', err);
        return false;
      }
    },
  };
}

export interface StartDeps {
  media: Media;
  /** Asks the customer (the built-in modal); null when the built-in UI is disabled. */
  ask: ((question: StartQuestion) => Promise<boolean>) | null;
  /** Bounded wait for an adapter that is still initializing. */
  timeout(ms: number): Promise<void>;
}

/** Decides how `startSession()` goes on (see the module comment). */
export async function decideStart(deps: StartDeps): Promise<StartDecision> {
  const { media, ask } = deps;
  if (!media.isReady()) await Promise.race([media.ready(), deps.timeout(MEDIA_READY_TIMEOUT_MS)]);
  const connected = media.agentConnected();
  if (connected === true) return 'autoConnect';
  if (!ask) return 'confirmed';
  const yes = await ask(connected === false ? 'areYouOnPhone' : 'areYouOnPhoneOrChat');
  return yes ? 'confirmed' : 'declined';
}
