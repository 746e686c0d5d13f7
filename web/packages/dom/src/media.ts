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

/**
 * Marks the picture the viewer shows inside a replica `<canvas>`. The replica runs no script, and
 * a browser renders a canvas's fallback content instead of the canvas where scripting is disabled:
 * the picture is an `<img>`, first child of the canvas, outside the mirror (the viewer's stylesheet
 * sizes the canvas as its width and height attributes would and fills it with the picture).
 */
export const CANVAS_PICTURE_ATTRIBUTE = 'data-cobrowse-canvas-picture';

/** Only pictures the replica draws: data URLs of raster images (no SVG, no remote URL). */
const CANVAS_PICTURE = /^data:image\/(png|webp|jpeg);base64,[A-Za-z0-9+/=]*$/;

/**
 * Replica: draws a picture (`data:image/png|webp|jpeg;base64,…`) into a canvas, scaled to its
 * size, and shows it as the canvas's picture child (`CANVAS_PICTURE_ATTRIBUTE`), once decoded;
 * anything else is refused (false). The canvas keeps its last picture until the new one is decoded.
 */
export function drawCanvasPicture(el: Element, src: unknown): boolean {
  if (el.localName !== 'canvas' || el.namespaceURI !== HTML_NS || typeof src !== 'string' || !CANVAS_PICTURE.test(src)) return false;
  try {
    const canvas = el as HTMLCanvasElement;
    const Img = (el.ownerDocument.defaultView as (Window & typeof globalThis) | null)?.Image;
    if (!Img) return false;
    const img = new Img();
    img.onload = () => {
      try {
        img.setAttribute(CANVAS_PICTURE_ATTRIBUTE, '');
        img.alt = '';
        const shown = canvas.querySelector(`:scope > img[${CANVAS_PICTURE_ATTRIBUTE}]`);
        if (shown !== null) canvas.replaceChild(img, shown);
        else canvas.insertBefore(img, canvas.firstChild);
        const g = canvas.getContext('2d');
        if (!g) return;
        g.clearRect(0, 0, canvas.width, canvas.height);
        g.drawImage(img, 0, 0, canvas.width, canvas.height);
      } catch {
        // a canvas whose context is another kind
      }
    };
    img.src = src;
    return true;
  } catch {
    return false;
  }
}
