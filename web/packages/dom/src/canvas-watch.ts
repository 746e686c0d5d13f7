/**
 * Customer side: which canvases were drawn on, so that the capture's canvas poll encodes only those
 * (docs/PROTOCOL.md, "Canvas and media"). While a capture runs, the drawing members of each watched
 * window's prototypes are wrapped (`prototype-watch.ts`, same contract):
 *
 * - `CanvasRenderingContext2D`: `clearRect`, `fillRect`, `strokeRect`, `fill`, `stroke`,
 *   `fillText`, `strokeText`, `drawImage`, `putImageData`, `drawFocusIfNeeded`, `reset`;
 * - `WebGLRenderingContext` and `WebGL2RenderingContext`: `clear`, `drawArrays`, `drawElements`,
 *   `drawArraysInstanced`, `drawElementsInstanced`, `drawRangeElements`, `blitFramebuffer`;
 * - `ImageBitmapRenderingContext`: `transferFromImageBitmap`;
 * - `HTMLCanvasElement`: the `width` and `height` setters (they clear the canvas), and
 *   `transferControlToOffscreen` (drawing then happens where no wrapper sees it: such a canvas is
 *   `untracked`).
 *
 * A call marks its context's canvas as drawn. The wrappers are on the prototypes, so contexts the
 * page obtained before the capture started are seen too. Drawing that goes around them (a method
 * the page copied before the SDK loaded, extension objects such as ANGLE's instanced draws) is not
 * seen: the capture keeps a slow fallback for it. Per call the cost is one comparison while the page
 * draws on the same context as the last call; otherwise a getter and a weak set insertion.
 */

import { createPrototypeWatch } from './prototype-watch';

export interface CanvasDrawings {
  /** Wraps the drawing members of `win`'s prototypes; returns what restores them. */
  watch(win: Window): () => void;
  /** True when `canvas` was drawn on since the last `take` of it (and forgets that). */
  take(canvas: Element): boolean;
  /** True for a canvas whose control went to an `OffscreenCanvas` while watched. */
  untracked(canvas: Element): boolean;
}

const CONTEXT_2D = [
  'clearRect',
  'fillRect',
  'strokeRect',
  'fill',
  'stroke',
  'fillText',
  'strokeText',
  'drawImage',
  'putImageData',
  'drawFocusIfNeeded',
  'reset',
];
const WEBGL = ['clear', 'drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced', 'drawRangeElements', 'blitFramebuffer'];

export function createCanvasDrawings(): CanvasDrawings {
  const drawn = new WeakSet<object>();
  const offscreen = new WeakSet<object>();
  /** The context of the last call seen, while its canvas is marked: repeated calls cost nothing. */
  let last: unknown = null;

  const contextDrew = (context: unknown): void => {
    if (context === last) return;
    const canvas = (context as { canvas?: unknown }).canvas;
    if (typeof canvas === 'object' && canvas !== null) {
      drawn.add(canvas);
      last = context;
    }
  };
  const canvasCleared = (canvas: unknown): void => {
    drawn.add(canvas as object);
  };
  const transferred = (canvas: unknown): void => {
    offscreen.add(canvas as object);
  };

  return {
    watch(win) {
      const watch = createPrototypeWatch();
      const w = win as unknown as Record<string, { prototype?: object } | undefined>;
      watch.methods(w['CanvasRenderingContext2D']?.prototype, CONTEXT_2D, contextDrew);
      watch.methods(w['WebGLRenderingContext']?.prototype, WEBGL, contextDrew);
      watch.methods(w['WebGL2RenderingContext']?.prototype, WEBGL, contextDrew);
      watch.methods(w['ImageBitmapRenderingContext']?.prototype, ['transferFromImageBitmap'], contextDrew);
      const canvasProto = w['HTMLCanvasElement']?.prototype;
      watch.setters(canvasProto, ['width', 'height'], canvasCleared);
      watch.methods(canvasProto, ['transferControlToOffscreen'], transferred);
      return watch.unwatch;
    },
    take(canvas) {
      if (!drawn.has(canvas)) return false;
      drawn.delete(canvas);
      // The next call on that canvas's context must mark it again.
      last = null;
      return true;
    },
    untracked: (canvas) => offscreen.has(canvas),
  };
}
