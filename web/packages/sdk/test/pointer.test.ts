import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientToPage, coalesceEvery, coalescePerFrame, pageToClient, POINTER_INTERVAL_MS, trackPointer, type PointerMessage } from '../src/pointer';

/** A hand-driven animation frame clock. */
function frames() {
  let next = 1;
  const queue = new Map<number, () => void>();
  return {
    request: (cb: () => void) => {
      const id = next++;
      queue.set(id, cb);
      return id;
    },
    cancel: (id: number) => void queue.delete(id),
    tick() {
      const cbs = [...queue.values()];
      queue.clear();
      for (const cb of cbs) cb();
    },
    pending: () => queue.size,
  };
}

/** Animation frames, a clock and timers, all driven by hand. */
function clock() {
  const f = frames();
  let t = 1000;
  let nextTimer = 1;
  const timers = new Map<number, { at: number; cb: () => void }>();
  return {
    ...f,
    now: () => t,
    setTimer: (cb: () => void, ms: number) => {
      const id = nextTimer++;
      timers.set(id, { at: t + ms, cb });
      return id;
    },
    clearTimer: (id: number) => void timers.delete(id),
    /** Time passes by `ms`: due timers run. */
    advance(ms: number) {
      t += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= t) {
          timers.delete(id);
          timer.cb();
        }
      }
    },
    timers: () => timers.size,
  };
}

const boundary =
  <A extends unknown[]>(_what: string, fn: (...args: A) => void) =>
  (...args: A): void =>
    fn(...args);

describe('pointer coordinates', () => {
  it('a viewport point plus the scroll is a document point, rounded to CSS pixels', () => {
    expect(clientToPage(10, 20, 0, 0)).toEqual({ x: 10, y: 20 });
    expect(clientToPage(10.4, 20.6, 100, 340)).toEqual({ x: 110, y: 361 });
  });

  it('a document point minus the scroll is where a fixed overlay goes', () => {
    expect(pageToClient({ x: 110, y: 361 }, 100, 340)).toEqual({ x: 10, y: 21 });
    expect(pageToClient(clientToPage(7, 9, 30, 40), 30, 40)).toEqual({ x: 7, y: 9 });
  });
});

describe('coalescePerFrame', () => {
  it('delivers at most once per frame, the last value pushed', () => {
    const clock = frames();
    const out: number[] = [];
    const c = coalescePerFrame<number>(clock, (v) => out.push(v));
    c.push(1);
    c.push(2);
    c.push(3);
    expect(out).toEqual([]);
    expect(clock.pending()).toBe(1);
    clock.tick();
    expect(out).toEqual([3]);
    clock.tick();
    expect(out).toEqual([3]);
    c.push(4);
    c.cancel();
    clock.tick();
    expect(out).toEqual([3]);
  });
});

describe('coalesceEvery', () => {
  it('sends a move after a pause at the next frame, then at most one per interval, the last one pushed', () => {
    const c = clock();
    const out: number[] = [];
    const co = coalesceEvery<number>(c, 50, (v) => out.push(v));
    co.push(1);
    co.push(2);
    c.tick();
    expect(out).toEqual([2]);
    // Moves keep coming: the next goes 50 ms after the last delivery, not at the next frame.
    c.advance(16);
    co.push(3);
    c.tick();
    expect(out).toEqual([2]);
    c.advance(16);
    co.push(4);
    c.advance(17);
    expect(out).toEqual([2]);
    c.advance(1);
    expect(out).toEqual([2, 4]);
    expect(c.pending() + c.timers()).toBe(0);
    // After a pause longer than the interval, the next frame again (no added delay).
    c.advance(80);
    co.push(5);
    expect(c.timers()).toBe(0);
    c.tick();
    expect(out).toEqual([2, 4, 5]);
    // Cancel drops what is pending, timer included.
    co.push(6);
    expect(c.timers()).toBe(1);
    co.cancel();
    c.advance(100);
    c.tick();
    expect(out).toEqual([2, 4, 5]);
  });

  it('a steady stream at 60 frames per second is sampled every interval, each value at most an interval late', () => {
    const c = clock();
    const out: Array<[number, number]> = [];
    const co = coalesceEvery<number>(c, POINTER_INTERVAL_MS, (v) => out.push([v, c.now()]));
    for (let k = 0; k < 60; k++) {
      co.push(c.now());
      c.tick();
      c.advance(1000 / 60);
    }
    expect(out.length).toBeGreaterThanOrEqual(19);
    expect(out.length).toBeLessThanOrEqual(21);
    for (const [pushedAt, sentAt] of out) expect(sentAt - pushedAt).toBeLessThanOrEqual(POINTER_INTERVAL_MS);
  });
});

describe('trackPointer', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    window.scrollTo(0, 0);
  });

  it('sends document points at most once per frame and interval, re-sends on scroll, and pointerLeave when the mouse leaves', () => {
    const c = clock();
    const sent: PointerMessage[] = [];
    const tracking = trackPointer(window, (m) => sent.push(m), boundary, c);

    document.dispatchEvent(new MouseEvent('mousemove', { clientX: 5, clientY: 6 }));
    document.dispatchEvent(new MouseEvent('mousemove', { clientX: 50, clientY: 60 }));
    c.tick();
    expect(sent).toEqual([{ type: 'pointer', x: 50, y: 60 }]);

    // The customer scrolls with the mouse at rest: the pointer is now over other content.
    Object.defineProperty(window, 'scrollY', { value: 200, configurable: true });
    window.dispatchEvent(new Event('scroll'));
    c.tick();
    expect(sent).toHaveLength(1);
    c.advance(POINTER_INTERVAL_MS);
    expect(sent.at(-1)).toEqual({ type: 'pointer', x: 50, y: 260 });

    c.advance(POINTER_INTERVAL_MS);
    document.dispatchEvent(new MouseEvent('mouseout', { relatedTarget: null }));
    c.tick();
    expect(sent.at(-1)).toEqual({ type: 'pointerLeave' });

    tracking.stop();
    document.dispatchEvent(new MouseEvent('mousemove', { clientX: 1, clientY: 1 }));
    c.advance(POINTER_INTERVAL_MS);
    c.tick();
    expect(sent).toHaveLength(3);
    Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
  });
});
