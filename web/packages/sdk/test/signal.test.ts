import { describe, expect, it, vi } from 'vitest';
import { createSignal } from '../src/signal';

describe('signals', () => {
  it('calls callbacks in order with the arguments', () => {
    const s = createSignal<[number, string]>('onX', () => {});
    const seen: string[] = [];
    s.signal.add((n, t) => seen.push(`a${n}${t}`));
    s.signal.add((n, t) => seen.push(`b${n}${t}`));
    s.dispatch(1, 'x');
    expect(seen).toEqual(['a1x', 'b1x']);
  });

  it('behaves like a deferred: a late callback is called at once with the last arguments', () => {
    const s = createSignal<[number]>('onX', () => {});
    s.dispatch(1);
    s.dispatch(2);
    const cb = vi.fn();
    s.signal.add(cb);
    expect(cb).toHaveBeenCalledExactlyOnceWith(2);
    s.dispatch(3);
    expect(cb).toHaveBeenLastCalledWith(3);
  });

  it('addOnce runs once, also when added late', () => {
    const s = createSignal<[number]>('onX', () => {});
    const early = vi.fn();
    s.signal.addOnce(early);
    s.dispatch(1);
    s.dispatch(2);
    expect(early).toHaveBeenCalledExactlyOnceWith(1);
    const late = vi.fn();
    s.signal.addOnce(late);
    s.dispatch(3);
    expect(late).toHaveBeenCalledExactlyOnceWith(2);
  });

  it('remove stops delivery; reset forgets the last arguments', () => {
    const s = createSignal<[number]>('onX', () => {});
    const cb = vi.fn();
    s.signal.add(cb);
    s.signal.remove(cb);
    s.dispatch(1);
    expect(cb).not.toHaveBeenCalled();
    s.reset();
    const late = vi.fn();
    s.signal.add(late);
    expect(late).not.toHaveBeenCalled();
  });

  it('a throwing callback is reported and does not stop the others', () => {
    const report = vi.fn();
    const s = createSignal<[]>('onBoom', report);
    const after = vi.fn();
    s.signal.add(() => {
      throw new Error('boom');
    });
    s.signal.add(after);
    expect(() => s.dispatch()).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    expect(report).toHaveBeenCalledWith('a callback of onBoom threw', expect.any(Error));
  });
});

describe('signal size', () => {
  it('counts registered callbacks (whether the page handles a signal itself)', () => {
    const s = createSignal<[number]>('onX', () => {});
    expect(s.size()).toBe(0);
    const cb = () => {};
    s.signal.add(cb);
    s.signal.addOnce(() => {});
    expect(s.size()).toBe(2);
    s.dispatch(1);
    expect(s.size()).toBe(1);
    s.signal.remove(cb);
    expect(s.size()).toBe(0);
  });
});
