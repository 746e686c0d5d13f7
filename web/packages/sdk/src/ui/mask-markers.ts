/**
 * The customer sees what is hidden from the representative: while a session runs, each masked
 * element on screen is framed in purple with a small label carrying the `contentMasked` text
 * ("Content is hidden from representative").
 *
 * Markers are drawn in an open shadow root under a service element attached to `<html>` (never
 * captured, untouched by the page's CSS), with `position: fixed` and `pointer-events: none`: they
 * never take a click from the customer. They follow scrolling (of the window or of any scrollable
 * element) and resizing: layout is read at most once per animation frame, only while something
 * changed, all reads before all writes. At most `MAX_MARKERS` markers are shown: the first masked
 * elements (document order) that intersect the viewport.
 *
 * Accessibility: the frames and labels are a visual duplicate of what the toolbar says in text
 * (`contentMaskedPartially`, announced there), so they are hidden from assistive technology
 * instead of announcing the same sentence once per field. The label is text, not colour alone; in
 * forced-colours mode the frames use system colours.
 */

import type { Strings } from '../strings';
import { element, serviceHost } from './dom';

export interface MaskMarkers {
  /** The elements to frame (outermost masked elements, document order); replaces the last set. */
  set(elements: readonly Element[]): void;
  destroy(): void;
}

/** How many markers are on screen at most. */
export const MAX_MARKERS = 50;
/** How many elements are measured per frame at most, to find the visible ones. */
const MAX_MEASURED = 1000;
/** Fallback delay when animation frames do not run. */
const FALLBACK_MS = 200;

const STYLE = `
:host { all: initial; }
.frame { position: fixed; left: 0; top: 0; box-sizing: border-box; pointer-events: none;
  z-index: 2147483645; border: 2px solid #7048e8; border-radius: 3px;
  box-shadow: 0 0 0 1px rgba(255,255,255,.85); }
.label { position: absolute; right: 4px; top: -9px; max-width: min(260px, calc(100% - 8px));
  padding: 1px 6px; border-radius: 3px; background: #7048e8; color: #fff; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; font: 600 11px/16px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.frame.below .label { top: auto; bottom: -9px; }
@media (forced-colors: active) {
  .frame { border-color: Highlight; box-shadow: none; }
  .label { background: Canvas; color: CanvasText; border: 1px solid Highlight; }
}
[hidden] { display: none !important; }
`;

/** `strings.contentMasked` is read when a marker is made. */
export function createMaskMarkers(win: Window, strings: Pick<Strings, 'contentMasked'>): MaskMarkers {
  const doc = win.document;
  const { host, root } = serviceHost(doc, 'gcb-mask-markers', STYLE);
  host.setAttribute('aria-hidden', 'true');

  let elements: readonly Element[] = [];
  /** Marker elements, reused from frame to frame. */
  const pool: HTMLElement[] = [];
  let dirty = false;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let destroyed = false;

  const marker = (i: number): HTMLElement => {
    let m = pool[i];
    if (!m) {
      m = element(doc, 'div', 'frame');
      m.setAttribute('data-gcb-mask-marker', '');
      m.append(element(doc, 'span', 'label', strings.contentMasked));
      root.append(m);
      pool[i] = m;
    }
    return m;
  };

  const draw = () => {
    unschedule();
    if (destroyed || !dirty) return;
    dirty = false;
    try {
      // Reads first (one layout), then writes.
      const vw = win.innerWidth;
      const vh = win.innerHeight;
      const rects: DOMRect[] = [];
      const n = Math.min(elements.length, MAX_MEASURED);
      for (let i = 0; i < n && rects.length < MAX_MARKERS; i++) {
        const el = elements[i];
        if (!el || !el.isConnected) continue;
        const r = el.getBoundingClientRect();
        if (r.width <= 0 && r.height <= 0) continue;
        if (r.bottom < 0 || r.right < 0 || r.top > vh || r.left > vw) continue;
        rects.push(r);
      }
      if (rects.length > 0 && !host.isConnected) doc.documentElement.appendChild(host);
      rects.forEach((r, i) => {
        const m = marker(i);
        // The frame sits just outside the element, so that it hides none of it.
        m.style.transform = `translate(${Math.round(r.left) - 2}px, ${Math.round(r.top) - 2}px)`;
        m.style.width = `${Math.round(r.width) + 4}px`;
        m.style.height = `${Math.round(r.height) + 4}px`;
        // No room for the label above (top of the viewport): put it below.
        m.classList.toggle('below', r.top < 10);
        m.hidden = false;
      });
      for (let i = rects.length; i < pool.length; i++) {
        const m = pool[i];
        if (m) m.hidden = true;
      }
    } catch {
      // Never break the page; the next change draws again.
    }
  };

  const schedule = () => {
    dirty = true;
    if (destroyed || frame || timer) return;
    frame = win.requestAnimationFrame(draw);
    timer = setTimeout(draw, FALLBACK_MS);
  };

  function unschedule() {
    if (frame) win.cancelAnimationFrame(frame);
    if (timer) clearTimeout(timer);
    frame = 0;
    timer = 0;
  }

  const onLayout = () => {
    if (elements.length > 0) schedule();
  };
  const passive = { capture: true, passive: true } as const;
  win.addEventListener('scroll', onLayout, passive);
  win.addEventListener('resize', onLayout, passive);
  // An image or font that finishes loading moves what follows it (load events do not bubble, but
  // reach the window's capture phase).
  win.addEventListener('load', onLayout, passive);

  return {
    set(next) {
      elements = next.slice();
      schedule();
    },
    destroy() {
      destroyed = true;
      unschedule();
      win.removeEventListener('scroll', onLayout, passive);
      win.removeEventListener('resize', onLayout, passive);
      win.removeEventListener('load', onLayout, passive);
      host.remove();
      pool.length = 0;
      elements = [];
    },
  };
}
