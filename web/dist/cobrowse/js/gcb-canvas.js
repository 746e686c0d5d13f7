"use strict";
(() => {
  // packages/dom/src/media.ts
  var MAX_CANVAS_PIXELS = 4096 * 4096;
  function canvasImage(canvas) {
    return new Promise((resolve) => {
      try {
        const c = canvas;
        const pixels = c.width * c.height;
        if (!(pixels > 0) || pixels > MAX_CANVAS_PIXELS || typeof c.toBlob !== "function") {
          resolve(null);
          return;
        }
        const win = canvas.ownerDocument.defaultView;
        const Reader = win?.FileReader;
        if (!Reader) {
          resolve(null);
          return;
        }
        c.toBlob(
          (blob) => {
            if (!blob) {
              resolve(null);
              return;
            }
            const reader = new Reader();
            reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : null);
            reader.onerror = () => resolve(null);
            reader.readAsDataURL(blob);
          },
          "image/webp",
          0.85
        );
      } catch {
        resolve(null);
      }
    });
  }

  // packages/dom/src/canvas-watch.ts
  var CONTEXT_2D = [
    "clearRect",
    "fillRect",
    "strokeRect",
    "fill",
    "stroke",
    "fillText",
    "strokeText",
    "drawImage",
    "putImageData",
    "drawFocusIfNeeded",
    "reset"
  ];
  var WEBGL = ["clear", "drawArrays", "drawElements", "drawArraysInstanced", "drawElementsInstanced", "drawRangeElements", "blitFramebuffer"];
  function createCanvasDrawings(createWatch) {
    const drawn = /* @__PURE__ */ new WeakSet();
    const offscreen = /* @__PURE__ */ new WeakSet();
    let last = null;
    const contextDrew = (context) => {
      if (context === last) return;
      const canvas = context.canvas;
      if (typeof canvas === "object" && canvas !== null) {
        drawn.add(canvas);
        last = context;
      }
    };
    const canvasCleared = (canvas) => {
      drawn.add(canvas);
    };
    const transferred = (canvas) => {
      offscreen.add(canvas);
    };
    const webglPending = /* @__PURE__ */ new Map();
    const watchWebgl = (win, watch) => {
      if (!webglPending.delete(win) || !watch.active) return;
      const w = win;
      watch.methods(w["WebGLRenderingContext"]?.prototype, WEBGL, contextDrew);
      watch.methods(w["WebGL2RenderingContext"]?.prototype, WEBGL, contextDrew);
    };
    return {
      watch(win) {
        const watch = createWatch();
        const w = win;
        watch.methods(w["CanvasRenderingContext2D"]?.prototype, CONTEXT_2D, contextDrew);
        watch.methods(w["ImageBitmapRenderingContext"]?.prototype, ["transferFromImageBitmap"], contextDrew);
        const canvasProto = w["HTMLCanvasElement"]?.prototype;
        watch.setters(canvasProto, ["width", "height"], canvasCleared);
        watch.methods(canvasProto, ["transferControlToOffscreen"], transferred);
        webglPending.set(win, watch);
        watch.methods(canvasProto, ["getContext"], () => watchWebgl(win, watch));
        return () => {
          webglPending.delete(win);
          watch.unwatch();
        };
      },
      take(canvas) {
        for (const [win, watch] of webglPending) watchWebgl(win, watch);
        if (!drawn.has(canvas)) return false;
        drawn.delete(canvas);
        last = null;
        return true;
      },
      untracked: (canvas) => offscreen.has(canvas)
    };
  }

  // packages/sdk/src/chunk.ts
  var RECEIVE = "__gcbReceive";
  function handOver(value) {
    const script = document.currentScript;
    const receive = script?.[RECEIVE];
    if (typeof receive === "function") receive(value);
  }

  // packages/sdk/src/chunks/canvas.ts
  var chunk = { createCanvasDrawings, canvasImage };
  handOver(chunk);
})();
