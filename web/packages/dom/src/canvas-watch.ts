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
 * The WebGL members are wrapped only once the page may draw with WebGL (a `getContext` call, or a
 * canvas the capture polls), see `webglPending`.
 *
 * A call marks its context's canvas as drawn. The wrappers are on the prototypes, so contexts the
 * page obtained before the capture started are seen too. Drawing that goes around them (a method
 * the page copied before the SDK loaded, extension objects such as ANGLE's instanced draws) is not
 * seen: the capture keeps a slow fallback for it. Per call the cost is one comparison while the page
 * draws on the same context as the last call; otherwise a getter and a weak set insertion.
 */

import type { PrototypeWatch } from './prototype-watch';

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

/**
 * `createWatch`: `createPrototypeWatch`, passed in so that the SDK's chunk `canvas` uses the SDK's
 * own copy instead of carrying one.
 */
export function createCanvasDrawings(createWatch: () => PrototypeWatch): CanvasDrawings {
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

  /**
   * The watches of windows whose WebGL prototypes are not wrapped yet. The first read of a
   * window's `WebGL2RenderingContext` makes its interface object (≈ 800 members) and wrapping
   * both costs the page a few ms: on a page without canvases that was a third of a small page's
   * first snapshot. They are wrapped once the page can draw with WebGL: when it asks a canvas for
   * a context (`getContext`, before the context is returned), or when the capture first polls a
   * canvas (`take`: a canvas is in a document; a context it got before the watch began draws
   * unseen until then, which the poll's first encoding of each canvas covers).
   */
  const webglPending = new Map<object, PrototypeWatch>();
  const watchWebgl = (win: object, watch: PrototypeWatch): void => {
    if (!webglPending.delete(win) || !watch.active) return;
    const w = win as Record<string, { prototype?: object } | undefined>;
    watch.methods(w['WebGLRenderingContext']?.prototype, WEBGL, contextDrew);
    watch.methods(w['WebGL2RenderingContext']?.prototype, WEBGL, contextDrew);
  };

  return {
    watch(win) {
      const watch = createWatch();
      const w = win as unknown as Record<string, { prototype?: object } | undefined>;
      watch.methods(w['CanvasRenderingContext2D']?.prototype, CONTEXT_2D, contextDrew);
      watch.methods(w['ImageBitmapRenderingContext']?.prototype, ['transferFromImageBitmap'], contextDrew);
      const canvasProto = w['HTMLCanvasElement']?.prototype;
      watch.setters(canvasProto, ['width', 'height'], canvasCleared);
      watch.methods(canvasProto, ['transferControlToOffscreen'], transferred);
      webglPending.set(win, watch);
      watch.methods(canvasProto, ['getContext'], () => watchWebgl(win, watch));
      return () => {
        webglPending.delete(win);
        watch.unwatch();
      };
    },
    take(canvas) {
      for (const [win, watch] of webglPending) watchWebgl(win, watch);
      if (!drawn.has(canvas)) return false;
      drawn.delete(canvas);
      // The next call on that canvas's context must mark it again.
      last = null;
      return true;
    },
    untracked: (canvas) => offscreen.has(canvas),
  };
}
