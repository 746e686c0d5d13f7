// The wrapper contract of `createPrototypeWatch` (what the CSSOM, form-state and canvas watches
// install on a page's prototypes): originals called with the same `this` and arguments, results and
// errors unchanged, reports after the original and never into the caller, restore on unwatch.

import { describe, expect, it } from 'vitest';
import { createPrototypeWatch } from '../src/prototype-watch';

/** A prototype like a platform interface's: a method and an accessor, both configurable. */
function platformLike() {
  const calls: string[] = [];
  class Thing {
    stored = 0;
    add(a: number, b?: number): number {
      calls.push(`add ${a} ${String(b)} ${arguments.length}`);
      if (a < 0) throw new RangeError('negative');
      this.stored += a + (b ?? 0);
      return this.stored;
    }
    get level(): number {
      return this.stored;
    }
    set level(v: number) {
      calls.push(`set ${v}`);
      if (v < 0) throw new RangeError('negative');
      this.stored = v;
    }
  }
  return { Thing, calls };
}

describe('createPrototypeWatch', () => {
  it('methods: same this, arguments, result and error; reported after, with the result', () => {
    const { Thing, calls } = platformLike();
    const original = Thing.prototype.add;
    const watch = createPrototypeWatch();
    const seen: unknown[] = [];
    watch.methods(Thing.prototype, ['add'], (self, result) => {
      calls.push('after');
      seen.push([self, result]);
    });
    expect(Thing.prototype.add).not.toBe(original);
    expect(Thing.prototype.add.name).toBe('add');
    expect(Thing.prototype.add.length).toBe(original.length);
    expect('prototype' in Thing.prototype.add).toBe(false);
    const t = new Thing();
    expect(t.add(2)).toBe(2);
    expect(t.add(1, 4)).toBe(7);
    // The argument count is the caller's (natives distinguish a missing argument).
    expect(calls).toEqual(['add 2 undefined 1', 'after', 'add 1 4 2', 'after']);
    expect(seen).toEqual([
      [t, 2],
      [t, 7],
    ]);
    expect(() => t.add(-1)).toThrow(RangeError);
    expect(seen).toHaveLength(2);
    watch.unwatch();
    expect(Thing.prototype.add).toBe(original);
  });

  it('setters: the getter is kept, errors unchanged, reported after; a throwing report stays inside', () => {
    const { Thing, calls } = platformLike();
    const before = Object.getOwnPropertyDescriptor(Thing.prototype, 'level');
    const watch = createPrototypeWatch();
    watch.setters(Thing.prototype, ['level'], () => {
      calls.push('after');
      throw new Error('a broken report');
    });
    const now = Object.getOwnPropertyDescriptor(Thing.prototype, 'level');
    expect(now?.get).toBe(before?.get);
    expect(now?.set).not.toBe(before?.set);
    const t = new Thing();
    t.level = 5;
    expect(t.level).toBe(5);
    expect(() => {
      t.level = -1;
    }).toThrow(RangeError);
    expect(calls).toEqual(['set 5', 'after', 'set -1']);
    watch.unwatch();
    expect(Object.getOwnPropertyDescriptor(Thing.prototype, 'level')).toEqual(before);
  });

  it('a setter the page copied (or a member it replaced after us) stays as a silent pass-through', () => {
    const { Thing } = platformLike();
    const watch = createPrototypeWatch();
    let reports = 0;
    watch.setters(Thing.prototype, ['level'], () => {
      reports += 1;
    });
    watch.methods(Thing.prototype, ['add'], () => {
      reports += 1;
    });
    // React's value tracking: an own accessor on the instance calling the prototype's setter.
    const t = new Thing();
    const copied = Object.getOwnPropertyDescriptor(Thing.prototype, 'level') as PropertyDescriptor;
    Object.defineProperty(t, 'level', { configurable: true, get: copied.get, set: copied.set });
    // A page that wraps the method after us.
    const ours = Thing.prototype.add;
    const pages = function (this: InstanceType<typeof Thing>, a: number) {
      return ours.call(this, a) * 10;
    };
    Thing.prototype.add = pages;
    t.level = 1;
    expect(reports).toBe(1);
    watch.unwatch();
    expect(watch.active).toBe(false);
    expect(Thing.prototype.add).toBe(pages);
    t.level = 3;
    expect(t.level).toBe(3);
    expect(t.add(1)).toBe(40);
    expect(reports).toBe(1);
  });

  it('leaves members alone that are missing, not configurable or not of the expected kind', () => {
    const proto = {};
    Object.defineProperty(proto, 'fixed', { value() {}, configurable: false });
    Object.defineProperty(proto, 'data', { value: 1, configurable: true });
    const fixed = (proto as { fixed: unknown }).fixed;
    const watch = createPrototypeWatch();
    watch.methods(proto, ['fixed'], () => {});
    watch.methods(proto, ['data'], () => {});
    watch.setters(proto, ['data'], () => {});
    watch.methods(proto, ['missing'], () => {});
    watch.methods(undefined, ['x'], () => {});
    expect((proto as { fixed: unknown }).fixed).toBe(fixed);
    expect(Object.getOwnPropertyDescriptor(proto, 'data')?.value).toBe(1);
    expect('missing' in proto).toBe(false);
    watch.unwatch();
  });

  it('constructors: a Proxy with the original\'s prototype, name and no-`new` error; subclasses keep theirs; restored', () => {
    class Face {
      constructor(
        readonly family: string,
        readonly source: string,
      ) {}
    }
    const owner: Record<string, unknown> = {};
    Object.defineProperty(owner, 'Face', { value: Face, configurable: true, writable: true });
    const watch = createPrototypeWatch();
    const seen: unknown[][] = [];
    watch.constructors(owner, ['Face'], (instance, args) => {
      seen.push([instance, ...args]);
      throw new Error('a report that throws stays inside');
    });
    const Wrapped = owner['Face'] as typeof Face;
    expect(Wrapped).not.toBe(Face);
    expect(Wrapped.prototype).toBe(Face.prototype);
    expect(Wrapped.name).toBe('Face');
    const face = new Wrapped('A', 'url(a.woff2)');
    expect(Object.getPrototypeOf(face)).toBe(Face.prototype);
    expect(face).toBeInstanceOf(Wrapped);
    expect(seen).toEqual([[face, 'A', 'url(a.woff2)']]);
    class Derived extends Wrapped {}
    const derived = new Derived('D', 'local(Arial)');
    expect(Object.getPrototypeOf(derived)).toBe(Derived.prototype);
    expect(seen[1]?.[0]).toBe(derived);
    expect(() => (Wrapped as unknown as () => unknown)()).toThrow(TypeError);

    watch.unwatch();
    expect(owner['Face']).toBe(Face);
    new Derived('E', 'local(Arial)');
    expect(seen).toHaveLength(2);
  });
});
