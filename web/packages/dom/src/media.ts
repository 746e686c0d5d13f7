/**
 * Canvas and media (docs/PROTOCOL.md, "Canvas and media"), both halves.
 *
 * Customer side: the position and play state of `<video>` / `<audio>` (`md`, `media` op), and a
 * canvas's picture as a data URL, encoded by the browser off the main thread (`toBlob`), never for
 * a masked canvas (the caller checks). Replica side: media elements are always muted (the `muted`
 * property, which attributes do not change) and paused unless the customer's play (pausing
 * cancels `autoplay`); they seek to the customer's position and play (muted) or pause; a canvas draws the picture it is sent (data `image/*` URLs only).
 * Nothing here throws: a hostile or broken element yields "nothing to send" / "not applied".
 */

import type { Op } from '@cobrowse/protocol';
import type { CaptureContext } from './context';
import type { MaskScope } from './mask';

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** True for HTML `<video>` and `<audio>`. */
export function isMediaElement(el: Element): boolean {
  const name = el.localName;
  return (name === 'video' || name === 'audio') && el.namespaceURI === HTML_NS;
}

/** `[currentTime, playing]` of a media element, or `undefined` at 0 and paused (or unreadable). */
export function mediaState(el: Element): [number, 0 | 1] | undefined {
  try {
    const m = el as HTMLMediaElement;
    const t = Number.isFinite(m.currentTime) ? Math.round(m.currentTime * 1000) / 1000 : 0;
    const playing: 0 | 1 = !m.paused && !m.ended ? 1 : 0;
    return t === 0 && playing === 0 ? undefined : [t, playing];
  } catch {
    return undefined;
  }
}

/** The `media` op for a media element the agent has and that is not masked, else `null`. */
export function mediaOp(el: Element, ctx: CaptureContext, scope: MaskScope): Op | null {
  const i = ctx.mirror.getId(el);
  if (i === undefined || !isMediaElement(el) || scope.isMasked(el)) return null;
  const s = mediaState(el) ?? [0, 0];
  return { o: 'media', i, t: s[0], p: s[1] };
}

/** Canvases larger than this many pixels are not sent (a bound on encoding and frame size). */
export const MAX_CANVAS_PIXELS = 4096 * 4096;

/**
 * The picture of `canvas` as a `data:image/webp` (or PNG, where WebP is not encoded) URL, encoded
 * by `toBlob` (off the main thread in browsers) and read with a `FileReader`; `null` when it cannot
 * be read (a canvas tainted by another origin's image, an empty or oversized one, no `toBlob`).
 * WebGL canvases give their drawing buffer, which is blank unless the page preserves it.
 */
export function canvasImage(canvas: Element): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.width * c.height;
      if (!(pixels > 0) || pixels > MAX_CANVAS_PIXELS || typeof c.toBlob !== 'function') {
        resolve(null);
        return;
      }
      const win = canvas.ownerDocument.defaultView as (Window & typeof globalThis) | null;
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
          reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : null);
          reader.onerror = () => resolve(null);
          reader.readAsDataURL(blob);
        },
        'image/webp',
        0.85,
      );
    } catch {
      resolve(null); // SecurityError: tainted canvas
    }
  });
}

/**
 * Replica: seeks a media element to `state`'s position and plays it (muted) or pauses it. False
 * for other elements or malformed state.
 */
export function applyMediaState(el: Element, t: unknown, playing: unknown): boolean {
  if (!isMediaElement(el) || typeof t !== 'number' || !Number.isFinite(t) || t < 0) return false;
  try {
    const m = el as HTMLMediaElement;
    m.muted = true;
    if (Math.abs(m.currentTime - t) > 0.25) m.currentTime = t;
    if (playing === 1) {
      const p = m.play();
      if (p && typeof p.catch === 'function') p.catch(() => undefined);
    } else if (!m.paused || m.autoplay) {
      // Also when not started yet but set to autoplay: pause() clears the can-autoplay flag.
      m.pause();
    }
    return true;
  } catch {
    return false;
  }
}

/** Only pictures the replica draws: data URLs of raster images (no SVG, no remote URL). */
const CANVAS_PICTURE = /^data:image\/(png|webp|jpeg);base64,[A-Za-z0-9+/=]*$/;

/**
 * The attribute of the viewer's own `<img>` inside a replica `<canvas>` (see `ensureCanvasPicture`).
 * Reserved (`data-cobrowse-*`): no page attribute can forge it.
 */
export const CANVAS_PICTURE_ATTRIBUTE = 'data-cobrowse-canvas';

export function isHtmlCanvas(el: Element): boolean {
  return el.localName === 'canvas' && el.namespaceURI === HTML_NS;
}

/** A canvas's bitmap size from its attributes (the HTML defaults 300×150 when absent or invalid). */
function canvasSize(el: Element): [number, number] {
  const read = (name: string, fallback: number): number => {
    const v = el.getAttribute(name);
    if (v === null || !/^\s*\d+\s*$/.test(v)) return fallback;
    return Math.min(Number(v), 1 << 16);
  };
  return [read('width', 300), read('height', 150)];
}

/** A transparent picture of `w`×`h`: the canvas before any picture arrived. */
function blankPicture(w: number, h: number): string {
  return `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"/>`)}`;
}

/**
 * Replica: the `<img>` that shows `canvas`'s picture, created when missing. The replica document
 * has no scripting (its frame is sandboxed without scripts), and a `<canvas>` there renders its
 * fallback content instead of its bitmap: so the replica canvas's only child is this image (the
 * page's fallback children are never built), filling the canvas box, with the canvas bitmap's size
 * and aspect ratio. The viewer's stylesheet makes the canvas an inline-block of `max-content` width
 * at the lowest priority, so that it takes the size a canvas would (its bitmap size, or what the
 * page's CSS gives it). `null` for other elements.
 */
export function ensureCanvasPicture(canvas: Element): HTMLImageElement | null {
  if (!isHtmlCanvas(canvas)) return null;
  try {
    let img = canvas.firstElementChild as HTMLImageElement | null;
    if (img === null || !img.hasAttribute(CANVAS_PICTURE_ATTRIBUTE)) {
      img = canvas.ownerDocument.createElementNS(HTML_NS, 'img') as HTMLImageElement;
      img.setAttribute(CANVAS_PICTURE_ATTRIBUTE, '');
      img.setAttribute('alt', '');
      const [w, h] = canvasSize(canvas);
      img.setAttribute('src', blankPicture(w, h));
      canvas.replaceChildren(img);
    }
    sizeCanvasPicture(canvas, img);
    return img;
  } catch {
    return null;
  }
}

/** Gives a canvas's picture the canvas bitmap's size (after a `width` / `height` change). */
export function sizeCanvasPicture(canvas: Element, img = canvas.firstElementChild as HTMLImageElement | null): void {
  if (img === null || !img.hasAttribute(CANVAS_PICTURE_ATTRIBUTE)) return;
  const [w, h] = canvasSize(canvas);
  img.setAttribute('width', String(w));
  img.setAttribute('height', String(h));
  img.setAttribute(
    'style',
    `display:block;width:100%;height:100%;${w > 0 && h > 0 ? `aspect-ratio:${w} / ${h};` : ''}margin:0;padding:0;border:0;max-width:none;max-height:none;min-width:0;min-height:0`,
  );
}

/**
 * Replica: shows a picture (`data:image/png|webp|jpeg;base64,…`) as what a canvas shows, scaled to
 * its box (`ensureCanvasPicture`); anything else is refused (false). The canvas keeps its last
 * picture until the new one is decoded.
 */
export function drawCanvasPicture(el: Element, src: unknown): boolean {
  if (!isHtmlCanvas(el) || typeof src !== 'string' || !CANVAS_PICTURE.test(src)) return false;
  const img = ensureCanvasPicture(el);
  if (img === null) return false;
  try {
    img.setAttribute('src', src);
    return true;
  } catch {
    return false;
  }
}
