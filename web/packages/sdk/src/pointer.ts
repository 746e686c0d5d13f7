/**
 * The customer's own pointer, sent to the agent: mouse moves over the page, converted to document
 * coordinates (`PagePoint`: the viewport point plus the window's scroll, so the point stays on the
 * same content whichever side scrolls) and coalesced to at most one message per animation frame
 * and per `POINTER_INTERVAL_MS` (a move after a pause goes at the next frame; a moving mouse is
 * sampled every 50 ms, the last position wins: at most 50 ms later than per frame, a third of the
 * messages at 60 frames per second; the agent's viewer glides between positions).
 * A scroll without a mouse move sends the new document point under the resting mouse; leaving the
 * window sends `pointerLeave`. `trackPointer` returns its teardown; it holds no module state.
 */

import type { PagePoint } from '@cobrowse/protocol';

/** A viewport point of `win` as a point of its document, in integer CSS pixels. */
export function clientToPage(clientX: number, clientY: number, scrollX: number, scrollY: number): PagePoint {
  return { x: Math.round(clientX + scrollX), y: Math.round(clientY + scrollY) };
}

/** A document point as a viewport point (for `position: fixed` overlays). */
export function pageToClient(p: PagePoint, scrollX: number, scrollY: number): { x: number; y: number } {
  return { x: p.x - scrollX, y: p.y - scrollY };
}

export interface FrameScheduler {
  request(cb: () => void): number;
  cancel(handle: number): void;
}

export interface Coalescer<T> {
  /** Keeps `value`; it is delivered at the next animation frame unless another replaces it. */
  push(value: T): void;
  /** Drops a pending value. */
  cancel(): void;
}

/** At most one delivery per animation frame, the last value pushed before the frame wins. */
export function coalescePerFrame<T>(frames: FrameScheduler, deliver: (value: T) => void): Coalescer<T> {
  let pending: { value: T } | null = null;
  let handle = 0;
  return {
    push(value) {
      pending = { value };
      if (handle) return;
      handle = frames.request(() => {
        handle = 0;
        const p = pending;
        pending = null;
        if (p) deliver(p.value);
      });
    },
    cancel() {
      pending = null;
      if (handle) frames.cancel(handle);
      handle = 0;
    },
  };
}

/** The customer's pointer: at most one message per this many milliseconds. */
export const POINTER_INTERVAL_MS = 50;

export interface PointerClock extends FrameScheduler {
  now(): number;
  setTimer(cb: () => void, ms: number): number;
  clearTimer(handle: number): void;
}

/**
 * At most one delivery per animation frame and per `intervalMs`, the last value pushed wins: a
 * value pushed at least `intervalMs` after the last delivery goes at the next animation frame;
 * one pushed sooner goes `intervalMs` after the last delivery (a timer), so a steady stream of
 * values is delivered every `intervalMs`, each at most `intervalMs` late.
 */
export function coalesceEvery<T>(clock: PointerClock, intervalMs: number, deliver: (value: T) => void): Coalescer<T> {
  let pending: { value: T } | null = null;
  let frame = 0;
  let timer = 0;
  let last = -Infinity;
  const fire = () => {
    frame = 0;
    timer = 0;
    const p = pending;
    pending = null;
    if (!p) return;
    last = clock.now();
    deliver(p.value);
  };
  return {
    push(value) {
      pending = { value };
      if (frame || timer) return;
      const wait = last + intervalMs - clock.now();
      if (wait <= 0) frame = clock.request(fire);
      else timer = clock.setTimer(fire, wait);
    },
    cancel() {
      pending = null;
      if (frame) clock.cancel(frame);
      if (timer) clock.clearTimer(timer);
      frame = 0;
      timer = 0;
    },
  };
}

/** `win`'s animation frames, clock and timers, taken once (a page may replace them later). */
export function windowClock(win: Window): PointerClock {
  const frames = windowFrames(win);
  const perf = win.performance;
  const now = perf.now.bind(perf);
  const set = win.setTimeout.bind(win);
  const clear = win.clearTimeout.bind(win);
  return { ...frames, now, setTimer: (cb, ms) => set(cb, ms) as unknown as number, clearTimer: (h) => clear(h) };
}

export function windowFrames(win: Window): FrameScheduler {
  // Taken once: a page may replace requestAnimationFrame later.
  const raf = win.requestAnimationFrame.bind(win);
  const caf = win.cancelAnimationFrame.bind(win);
  return { request: raf, cancel: caf };
}

export type PointerMessage = ({ type: 'pointer' } & PagePoint) | { type: 'pointerLeave' };

export interface PointerTracking {
  stop(): void;
}

/**
 * Sends the customer's pointer through `send` until `stop()`. `boundary` wraps every listener so
 * that nothing thrown reaches the page.
 */
export function trackPointer(
  win: Window,
  send: (msg: PointerMessage) => void,
  boundary: <A extends unknown[]>(what: string, fn: (...args: A) => void) => (...args: A) => void,
  clock: PointerClock = windowClock(win),
): PointerTracking {
  const doc = win.document;
  /** The last viewport point of the mouse, while it is over the page. */
  let client: { x: number; y: number } | null = null;
  let lastSent: PagePoint | null = null;
  const out = coalesceEvery<PointerMessage>(clock, POINTER_INTERVAL_MS, boundary('pointer send', (msg: PointerMessage) => send(msg)));

  const emit = () => {
    if (!client) return;
    const p = clientToPage(client.x, client.y, win.scrollX, win.scrollY);
    if (lastSent && lastSent.x === p.x && lastSent.y === p.y) return;
    lastSent = p;
    out.push({ type: 'pointer', x: p.x, y: p.y });
  };
  const onMove = boundary('pointer move', (ev: MouseEvent) => {
    client = { x: ev.clientX, y: ev.clientY };
    emit();
  });
  const onOut = boundary('pointer out', (ev: MouseEvent) => {
    // `relatedTarget` null: the mouse left the window (not just one element for another).
    if (ev.relatedTarget || !client) return;
    client = null;
    lastSent = null;
    out.push({ type: 'pointerLeave' });
  });
  const onScroll = boundary('pointer scroll', () => emit());

  const capture = { capture: true, passive: true };
  doc.addEventListener('mousemove', onMove, capture);
  doc.addEventListener('mouseout', onOut, capture);
  win.addEventListener('scroll', onScroll, capture);
  return {
    stop() {
      doc.removeEventListener('mousemove', onMove, capture);
      doc.removeEventListener('mouseout', onOut, capture);
      win.removeEventListener('scroll', onScroll, capture);
      out.cancel();
    },
  };
}
