// Which canvases were drawn on (`createCanvasDrawings`): drawing calls on contexts, the size
// setters and an offscreen transfer mark their canvas; `take` reports and forgets; unwatching
// restores the prototypes. A fake window stands in for the platform's canvas interfaces.

import { describe, expect, it } from 'vitest';
import { createCanvasDrawings } from '../src/canvas-watch';
import { createPrototypeWatch } from '../src/prototype-watch';

function fakeWindow() {
  class Canvas {
    #width = 300;
    get width(): number {
      return this.#width;
    }
    set width(v: number) {
      this.#width = v;
    }
    transferControlToOffscreen(): object {
      return {};
    }
    getContext(): object {
      return {};
    }
  }
  class Context2D {
    constructor(readonly canvas: Canvas) {}
    fillRect(): string {
      return 'filled';
    }
    beginPath(): void {}
  }
  class WebGL {
    constructor(readonly canvas: Canvas) {}
    drawArrays(): void {}
  }
  return { Canvas, Context2D, WebGL, win: { HTMLCanvasElement: Canvas, CanvasRenderingContext2D: Context2D, WebGLRenderingContext: WebGL } };
}

describe('createCanvasDrawings', () => {
  it('wraps WebGL only once the page asks a canvas for a context (before it gets it), and restores it', () => {
    const { Canvas, WebGL, win } = fakeWindow();
    const drawArrays = WebGL.prototype.drawArrays;
    const drawings = createCanvasDrawings(createPrototypeWatch);
    const unwatch = drawings.watch(win as unknown as Window);
    expect(WebGL.prototype.drawArrays).toBe(drawArrays);
    const c = new Canvas();
    c.getContext();
    expect(WebGL.prototype.drawArrays).not.toBe(drawArrays);
    new WebGL(c).drawArrays();
    expect(drawings.take(c as unknown as Element)).toBe(true);
    unwatch();
    expect(WebGL.prototype.drawArrays).toBe(drawArrays);
    // Unwatched before any context: nothing is wrapped later.
    const again = createCanvasDrawings(createPrototypeWatch);
    again.watch(win as unknown as Window)();
    new Canvas().getContext();
    again.take(c as unknown as Element);
    expect(WebGL.prototype.drawArrays).toBe(drawArrays);
  });

  it('marks the canvas of each drawing call once until taken; paths alone draw nothing', () => {
    const { Canvas, Context2D, WebGL, win } = fakeWindow();
    const fillRect = Context2D.prototype.fillRect;
    const drawings = createCanvasDrawings(createPrototypeWatch);
    const unwatch = drawings.watch(win as unknown as Window);
    const a = new Canvas();
    const b = new Canvas();
    const g = new Context2D(a);
    const asEl = (c: object) => c as unknown as Element;
    g.beginPath();
    // WebGL's members are wrapped once the page asks for a context or a canvas is polled.
    const drawArrays = WebGL.prototype.drawArrays;
    expect(drawings.take(asEl(a))).toBe(false);
    expect(WebGL.prototype.drawArrays).not.toBe(drawArrays);
    expect(g.fillRect()).toBe('filled');
    g.fillRect();
    new WebGL(b).drawArrays();
    expect(drawings.take(asEl(a))).toBe(true);
    expect(drawings.take(asEl(a))).toBe(false);
    // The same context drawing again after a take marks it again.
    g.fillRect();
    expect(drawings.take(asEl(a))).toBe(true);
    expect(drawings.take(asEl(b))).toBe(true);
    // Resizing clears a canvas: a change of picture.
    b.width = 10;
    expect(drawings.take(asEl(b))).toBe(true);
    expect(drawings.untracked(asEl(a))).toBe(false);
    a.transferControlToOffscreen();
    expect(drawings.untracked(asEl(a))).toBe(true);

    unwatch();
    expect(Context2D.prototype.fillRect).toBe(fillRect);
    expect(WebGL.prototype.drawArrays).toBe(drawArrays);
    g.fillRect();
    expect(drawings.take(asEl(a))).toBe(false);
  });
});
