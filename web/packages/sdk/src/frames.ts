/**
 * The SDK in frames (the guide's "Co-browse in iframes"): the top context and child contexts of one
 * page find each other through a hub on the topmost same-origin window.
 *
 * The top context's SDK captures the whole page, frames included, whether a frame loads the SDK or
 * not (docs/PROTOCOL.md, "Frames"): a frame with the SDK is captured exactly like one without. What
 * the SDK in a frame adds is the child context's API — `VERSION`, `onSessionStarted`,
 * `onSessionEnded`, `markServiceElement`, `onMaskedElement` — with no toolbar, no socket and no
 * capture of its own; `onReady` callbacks get `isTopContext` false.
 *
 * The hub (`frameHub`) lives on the topmost window this one may read (`window.parent` walked while
 * same origin), under a non-enumerable `Symbol.for` key, made with that window's own constructors so
 * that it outlives the frame that created it. It holds:
 *
 * - `marked`: the elements `markServiceElement` marked in any context; the top context's capture
 *   treats them as service elements (never sent), whichever context loaded first;
 * - `top`: the top context's restrictions engine and session token, once its SDK runs;
 * - `children`: the child contexts, told when the session starts and ends and when the rules change.
 *   A child evaluates the top's rules for its own document (`Restrictions.forDocument`) while a
 *   session runs, for its `onMaskedElement`.
 *
 * A frame of another origin than the top cannot reach the hub: its SDK runs in child context with no
 * session events (the top context shows such a frame as "not shared" anyway).
 */

import type { Restrictions } from '@cobrowse/dom';
import { SERVICE_ATTRIBUTE } from '@cobrowse/dom';
import type { SdkConfig } from './config';
import { watchMasking, type MaskingWatch } from './masking';
import { createSignal, type Signal } from './signal';
import type { CobrowseSession } from './api';
import type { ApiEndReason } from './session';

const HUB_KEY = Symbol.for('cobrowse.frames');

/** A child context, as the top context sees it. Calls cross realms: each is guarded. */
export interface ChildContext {
  started(token: string): void;
  ended(reason: ApiEndReason | undefined): void;
  restrictionsChanged(): void;
}

export interface TopContext {
  readonly restrictions: Restrictions;
  /** The session's token while a session runs, else `null`. */
  token: string | null;
}

export interface FrameHub {
  readonly marked: WeakSet<Element>;
  top: TopContext | null;
  readonly children: Set<ChildContext>;
}

/** The topmost window `win` may read (itself when its parent is of another origin). */
function topmostReadable(win: Window): Window {
  let cur = win;
  for (let hops = 0; hops < 64; hops++) {
    let parent: Window;
    try {
      parent = cur.parent;
      if (parent === cur || parent === null) return cur;
      // Throws for another origin.
      void parent.document.nodeType;
    } catch {
      return cur;
    }
    cur = parent;
  }
  return cur;
}

/** The page's hub, created on first use; `null` only when the window refuses a property. */
export function frameHub(win: Window): FrameHub | null {
  try {
    const top = topmostReadable(win) as Window & typeof globalThis & { [HUB_KEY]?: FrameHub };
    const existing = top[HUB_KEY];
    if (existing) return existing;
    const hub = new top.Object() as FrameHub;
    Object.assign(hub, { marked: new top.WeakSet<Element>(), top: null, children: new top.Set<ChildContext>() });
    Object.defineProperty(top, HUB_KEY, { value: hub, enumerable: false, configurable: false, writable: false });
    return hub;
  } catch {
    return null;
  }
}

/** Calls `fn` on every child, each guarded (a child whose frame is gone may throw). */
function eachChild(hub: FrameHub, fn: (child: ChildContext) => void): void {
  for (const child of [...hub.children]) {
    try {
      fn(child);
    } catch {
      hub.children.delete(child);
    }
  }
}

/** What the top context's session controller tells the child contexts. */
export interface TopFrames {
  sessionStarted(token: string): void;
  sessionEnded(reason: ApiEndReason | undefined): void;
  restrictionsChanged(): void;
}

/** Registers the top context (its restrictions engine) with the hub of `win`. */
export function attachTopContext(hub: FrameHub, restrictions: Restrictions): TopFrames {
  const top: TopContext = { restrictions, token: null };
  hub.top = top;
  return {
    sessionStarted(token) {
      top.token = token;
      eachChild(hub, (c) => c.started(token));
    },
    sessionEnded(reason) {
      top.token = null;
      eachChild(hub, (c) => c.ended(reason));
    },
    restrictionsChanged() {
      eachChild(hub, (c) => c.restrictionsChanged());
    },
  };
}

/** The child context's API (the guide's common API). */
export interface ChildApi {
  VERSION: string;
  markServiceElement(element: Element): void;
  onSessionStarted: Signal<[CobrowseSession]>;
  onSessionEnded: Signal<[{ reason: string | undefined }]>;
  onMaskedElement: Signal<[Element]>;
}

export interface ChildOptions {
  win: Window;
  config: SdkConfig;
  version: string;
  report(msg: string, err?: unknown): void;
}

/**
 * Boots the SDK of a frame in child context: the common API, `onReady` callbacks called with
 * `isTopContext` false, session events from the top context. Never throws.
 */
export function startChildContext(opts: ChildOptions): ChildApi {
  const { win, config, report } = opts;
  const hub = frameHub(win);
  const onSessionStarted = createSignal<[CobrowseSession]>('onSessionStarted', report);
  const onSessionEnded = createSignal<[{ reason: string | undefined }]>('onSessionEnded', report);
  const onMaskedElement = createSignal<[Element]>('onMaskedElement', report);
  let masking: MaskingWatch | null = null;

  const isService = (el: Element): boolean =>
    (hub?.marked.has(el) ?? false) || (typeof el.getAttribute === 'function' && el.getAttribute(SERVICE_ATTRIBUTE) === 'true');

  const stopMasking = () => {
    masking?.stop();
    masking = null;
  };

  const child: ChildContext = {
    started(token) {
      onSessionEnded.reset();
      onSessionStarted.dispatch({ token, agents: [] });
      const top = hub?.top;
      if (masking || !top) return;
      try {
        masking = watchMasking({
          win,
          restrictions: top.restrictions.forDocument(win.document),
          isService,
          masked(el) {
            onMaskedElement.dispatch(el);
            onMaskedElement.reset();
          },
          maskedContent: () => {},
          report,
        });
      } catch (err) {
        report('could not watch masked elements in this frame', err);
      }
    },
    ended(reason) {
      stopMasking();
      onSessionStarted.reset();
      onSessionEnded.dispatch({ reason });
    },
    restrictionsChanged() {
      masking?.changed();
    },
  };

  const api: ChildApi = {
    VERSION: opts.version,
    markServiceElement(el: Element) {
      try {
        if (el === null || typeof el !== 'object' || (el as Node).nodeType !== 1) throw new TypeError('not an element');
        hub?.marked.add(el);
      } catch (err) {
        report('markServiceElement needs an element', err);
      }
    },
    onSessionStarted: onSessionStarted.signal,
    onSessionEnded: onSessionEnded.signal,
    onMaskedElement: onMaskedElement.signal,
  };

  if (hub) {
    hub.children.add(child);
    win.addEventListener('pagehide', () => {
      hub.children.delete(child);
      stopMasking();
    });
  }

  config.host['VERSION'] = api.VERSION;
  const runReady = (cb: unknown) => {
    if (typeof cb !== 'function') return;
    try {
      (cb as (a: ChildApi, top: boolean) => void)(api, false);
    } catch (err) {
      report('an onReady callback threw', err);
    }
  };
  const queue = Array.isArray(config.onReady) ? (config.onReady as unknown[]) : [];
  config.host['onReady'] = {
    push: (...cbs: unknown[]) => {
      for (const cb of cbs) runReady(cb);
      return cbs.length;
    },
  };
  for (const cb of queue) runReady(cb);

  // A session already running in the top context.
  const token = hub?.top?.token;
  if (typeof token === 'string') child.started(token);
  return api;
}
