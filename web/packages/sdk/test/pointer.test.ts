import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientToPage, coalescePerFrame, pageToClient, trackPointer, type PointerMessage } from '../src/pointer';

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

describe('trackPointer', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    window.scrollTo(0, 0);
  });

  it('sends document points once per frame, re-sends on scroll, and pointerLeave when the mouse leaves', () => {
    const clock = frames();
    vi.stubGlobal('requestAnimationFrame', clock.request);
    vi.stubGlobal('cancelAnimationFrame', clock.cancel);
    const sent: PointerMessage[] = [];
    const tracking = trackPointer(window, (m) => sent.push(m), boundary);

    document.dispatchEvent(new MouseEvent('mousemove', { clientX: 5, clientY: 6 }));
    document.dispatchEvent(new MouseEvent('mousemove', { clientX: 50, clientY: 60 }));
    clock.tick();
    expect(sent).toEqual([{ type: 'pointer', x: 50, y: 60 }]);

    // The customer scrolls with the mouse at rest: the pointer is now over other content.
    Object.defineProperty(window, 'scrollY', { value: 200, configurable: true });
    window.dispatchEvent(new Event('scroll'));
    clock.tick();
    expect(sent.at(-1)).toEqual({ type: 'pointer', x: 50, y: 260 });

    document.dispatchEvent(new MouseEvent('mouseout', { relatedTarget: null }));
    clock.tick();
    expect(sent.at(-1)).toEqual({ type: 'pointerLeave' });

    tracking.stop();
    document.dispatchEvent(new MouseEvent('mousemove', { clientX: 1, clientY: 1 }));
    clock.tick();
    expect(sent).toHaveLength(3);
    Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
  });
});
