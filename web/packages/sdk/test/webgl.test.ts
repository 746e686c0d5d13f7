// While the SDK runs, WebGL contexts are made with `preserveDrawingBuffer: true` (webgl.ts). jsdom
// makes no contexts: the test puts a recording `getContext` on the prototype first, standing for
// the browser's, and checks what reaches it.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepWebglDrawingBuffers } from '../src/webgl';

const proto = HTMLCanvasElement.prototype as unknown as { getContext: (...args: unknown[]) => unknown };
const jsdomGetContext = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, 'getContext') as PropertyDescriptor;
/** What the browser's getContext received, call by call. */
let calls: unknown[][] = [];
const browserGetContext = function (this: unknown, ...args: unknown[]): unknown {
  calls.push([this, ...args]);
  return { kind: args[0] };
};

beforeEach(() => {
  calls = [];
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', { ...jsdomGetContext, value: browserGetContext });
});

afterEach(() => {
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', jsdomGetContext);
});

describe('keepWebglDrawingBuffers', () => {
  it('asks WebGL contexts to preserve their buffer, keeps the page’s attributes, leaves other kinds alone', () => {
    const restore = keepWebglDrawingBuffers(window);
    const canvas = document.createElement('canvas');
    try {
      expect(proto.getContext).not.toBe(browserGetContext);
      expect(proto.getContext.length).toBe(browserGetContext.length);
      // No attributes: preserved.
      expect(canvas.getContext('webgl')).toEqual({ kind: 'webgl' });
      expect(calls[0]?.[0]).toBe(canvas);
      expect({ ...(calls[0]?.[2] as object) }).toEqual({ preserveDrawingBuffer: true });
      // The page's attributes, own and inherited (a getter too), are read through ours; its
      // explicit `false` is overridden.
      const inherited = Object.create({ depth: false }, { alpha: { get: () => false, enumerable: true } }) as Record<string, unknown>;
      inherited['antialias'] = false;
      inherited['preserveDrawingBuffer'] = false;
      canvas.getContext('webgl2', inherited);
      const given = calls[1]?.[2] as Record<string, unknown>;
      expect([given['preserveDrawingBuffer'], given['antialias'], given['alpha'], given['depth']]).toEqual([true, false, false, false]);
      expect(inherited['preserveDrawingBuffer']).toBe(false); // the page's object is not changed
      canvas.getContext('experimental-webgl', null);
      expect(calls[2]?.[2]).toEqual({ preserveDrawingBuffer: true });
      // Other kinds, and values the browser itself refuses, get the page's arguments unchanged.
      const opts = { willReadFrequently: true };
      canvas.getContext('2d', opts);
      expect(calls[3]).toEqual([canvas, '2d', opts]);
      canvas.getContext('webgl', 7 as unknown as WebGLContextAttributes);
      expect(calls[4]).toEqual([canvas, 'webgl', 7]);
    } finally {
      restore();
    }
    expect(proto.getContext).toBe(browserGetContext);
  });

  it('errors of the original reach the page; a wrapper the page put over ours stays', () => {
    const failing = function (): never {
      throw new TypeError('no such context');
    };
    Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', { ...jsdomGetContext, value: failing });
    const restore = keepWebglDrawingBuffers(window);
    expect(() => document.createElement('canvas').getContext('webgl')).toThrow('no such context');
    const ours = proto.getContext;
    const pages = function (this: unknown, ...args: unknown[]) {
      return ours.apply(this, args);
    };
    proto.getContext = pages;
    restore();
    expect(proto.getContext).toBe(pages);
  });
});
