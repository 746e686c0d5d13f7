/**
 * What the agent shows on the customer's page in Pointer Mode: the agent's pointer (an arrow that
 * follows the agent's mouse over the replica) and click marks (a short ring). Both live in an open
 * shadow root under a service element attached to `<html>` (never captured, never sent back to the
 * agent, untouched by the page's CSS), with `pointer-events: none`: they are never in the
 * customer's way and nothing on the page is clicked.
 *
 * Points are document points (`PagePoint`); they are drawn at `point − window scroll` with fixed
 * positioning and redrawn when the customer scrolls.
 */

import type { PagePoint } from '@cobrowse/protocol';
import { pageToClient } from '../pointer';
import { element, serviceHost } from './dom';

export interface AgentOverlay {
  /** Shows the agent's pointer at `p`, or hides it (`null`). */
  pointer(p: PagePoint | null): void;
  /** A click of the agent in Pointer Mode: a ring at `p` for about a second. */
  mark(p: PagePoint): void;
  destroy(): void;
}

/** How long a click mark stays on the page. */
export const MARK_MS = 1200;

const STYLE = `
:host { all: initial; }
.pointer, .mark { position: fixed; left: 0; top: 0; pointer-events: none; z-index: 2147483646; }
.pointer { width: 22px; height: 26px; will-change: transform; }
.pointer.moving { transition: transform 80ms linear; }
.pointer svg { display: block; overflow: visible; filter: drop-shadow(0 1px 2px rgba(0,0,0,.35)); }
.mark { width: 36px; height: 36px; margin: -18px 0 0 -18px; border-radius: 50%; box-sizing: border-box;
  border: 3px solid #e8590c; animation: gcb-ring ${MARK_MS}ms ease-out forwards; }
@keyframes gcb-ring {
  0% { transform: var(--at) scale(.3); opacity: 1; }
  70% { opacity: .9; }
  100% { transform: var(--at) scale(1.4); opacity: 0; }
}
@media (prefers-reduced-motion: reduce) { .pointer.moving { transition: none; } .mark { animation: none; } }
[hidden] { display: none !important; }
`;

const ARROW =
  '<svg xmlns="http://www.w3.org/2000/svg" width="22" height="26" viewBox="0 0 22 26" aria-hidden="true">' +
  '<path d="M1 1 L1 21 L6.5 16 L10.5 24.5 L14 23 L10 14.5 L17.5 14.5 Z" fill="#e8590c" stroke="#fff" stroke-width="1.6" stroke-linejoin="round"/>' +
  '</svg>';

export function createAgentOverlay(win: Window): AgentOverlay {
  const doc = win.document;
  let host: HTMLElement | null = null;
  let root: ShadowRoot | null = null;
  let arrow: HTMLElement | null = null;
  let at: PagePoint | null = null;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const ensure = (): ShadowRoot => {
    if (!host || !root) ({ host, root } = serviceHost(doc, 'gcb-agent-overlay', STYLE));
    if (!host.isConnected) doc.documentElement.appendChild(host);
    return root;
  };

  const place = (el: HTMLElement, p: PagePoint) => {
    const c = pageToClient(p, win.scrollX, win.scrollY);
    el.style.transform = `translate(${c.x}px, ${c.y}px)`;
  };

  const onScroll = () => {
    try {
      if (arrow && at) {
        // Scrolling moves the content at once: so does the pointer that points at it.
        arrow.classList.remove('moving');
        place(arrow, at);
      }
    } catch {
      // Never break the page.
    }
  };
  win.addEventListener('scroll', onScroll, { capture: true, passive: true });

  return {
    pointer(p) {
      if (!p) {
        at = null;
        if (arrow) arrow.hidden = true;
        return;
      }
      const r = ensure();
      if (!arrow) {
        arrow = element(doc, 'div', 'pointer');
        arrow.setAttribute('data-gcb-agent-pointer', '');
        arrow.innerHTML = ARROW;
        r.append(arrow);
      }
      // Glide from the last position; appear in place when it was hidden.
      arrow.classList.toggle('moving', at !== null && !arrow.hidden);
      at = { x: p.x, y: p.y };
      arrow.hidden = false;
      place(arrow, at);
    },
    mark(p) {
      const r = ensure();
      const ring = element(doc, 'div', 'mark');
      ring.setAttribute('data-gcb-agent-mark', '');
      const c = pageToClient(p, win.scrollX, win.scrollY);
      ring.style.setProperty('--at', `translate(${c.x}px, ${c.y}px)`);
      ring.style.transform = `translate(${c.x}px, ${c.y}px)`;
      r.append(ring);
      const t = setTimeout(() => {
        timers.delete(t);
        ring.remove();
      }, MARK_MS);
      timers.add(t);
    },
    destroy() {
      win.removeEventListener('scroll', onScroll, { capture: true });
      for (const t of timers) clearTimeout(t);
      timers.clear();
      host?.remove();
      host = root = arrow = null;
      at = null;
    },
  };
}
