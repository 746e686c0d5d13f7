/**
 * Write Mode input capture on the replica document: the agent's clicks, key presses, value changes
 * (selects, text fields filled at once), checkbox / radio changes, focus and scrolling, translated
 * to `AgentInput` messages through the replica mirror (replica node → the customer's node id). The
 * replica itself stays inert: every default action is cancelled here or by the viewer's guard, and
 * what the agent did shows up when the customer's page, which performed it, sends its changes.
 *
 * Attached to each replica document by the viewer (`attachInput`, which returns its teardown);
 * active only while `enabled()` says Write Mode. Scroll input is coalesced to one message per
 * scrolled target and animation frame.
 *
 * Frames: attached to each replica frame document too (the same mirror). Points are those of the
 * document the target is in (a frame's own document coordinates), and a wheel that scrolls no
 * element scrolls that document's window (its id).
 *
 * Restrictions: nothing is sent for a target that carries a restriction mark or is inside an element
 * that does (`restrictedAncestor`, a walk up the replica): DOM-controlled and masked elements are
 * not the agent's to operate. The customer's SDK refuses such input anyway; this keeps the agent's
 * desktop from asking.
 */

import type { AgentInput, NodeId, PagePoint } from '@cobrowse/protocol';
import { restrictedAncestor, type ReplicaMirror } from '@cobrowse/dom';

export interface InputCapture {
  /** Whether the agent's input is sent (Write Mode, live session). */
  enabled(): boolean;
  send(input: AgentInput): void;
}

/** The id of the document in the customer's mirror (scroll target "the window"). */
const DOCUMENT_ID: NodeId = 1;

const CHECKABLE = new Set(['checkbox', 'radio']);

export function attachInput(replica: Document, mirror: () => ReplicaMirror, capture: InputCapture): () => void {
  const win = replica.defaultView;
  /** Scroll positions waiting for the next animation frame, by target id. */
  const pendingScroll = new Map<NodeId, PagePoint>();
  let scrollFrame = 0;

  /** The customer's id of the node aimed at, or `undefined` (unknown, or restricted). */
  const idOf = (node: EventTarget | null): NodeId | undefined => {
    let n = node as Node | null;
    if (restrictedAncestor(n) !== null) return undefined;
    // Text nodes and other children without an id: their nearest identified element (a shadow
    // root is not a target: its host is).
    while (n) {
      if (n.nodeType === 11) {
        n = (n as ShadowRoot).host ?? null;
        continue;
      }
      const id = mirror().getId(n);
      if (id !== undefined) return id;
      n = n.parentNode;
    }
    return undefined;
  };

  /** Where an event really happened: inside a shadow root, not the host it is retargeted to. */
  const targetOf = (ev: Event): EventTarget | null => {
    const path = ev.composedPath();
    return path.length > 0 ? (path[0] ?? ev.target) : ev.target;
  };

  /** The focused element, inside shadow roots too. */
  const focusedElement = (): Element | null => {
    let el: Element | null = replica.activeElement;
    for (let hops = 0; el !== null && el.shadowRoot?.activeElement && hops < 64; hops++) el = el.shadowRoot.activeElement;
    return el;
  };

  const point = (ev: MouseEvent): PagePoint => ({
    x: Math.round(ev.clientX + (win?.scrollX ?? 0)),
    y: Math.round(ev.clientY + (win?.scrollY ?? 0)),
  });

  const isCheckable = (el: Element): el is HTMLInputElement =>
    el.localName === 'input' && CHECKABLE.has((el as HTMLInputElement).type);

  const onClick = (ev: MouseEvent) => {
    if (!capture.enabled() || ev.button !== 0) return;
    const el = targetOf(ev) as Element | null;
    if (!el) return;
    const target = idOf(el);
    if (target === undefined) return;
    // Checkboxes and radios too: the customer's browser toggles them with the click, which also
    // is what frameworks listen to.
    capture.send({ kind: 'click', target, point: point(ev) });
  };

  const onKey = (ev: KeyboardEvent) => {
    if (!capture.enabled() || ev.isComposing) return;
    // Bare modifier presses say nothing by themselves: they come with the next key.
    if (ev.key === 'Shift' || ev.key === 'Control' || ev.key === 'Alt' || ev.key === 'Meta') return;
    const focused = focusedElement() ?? targetOf(ev);
    const target = idOf(focused as Node | null);
    if (target === undefined) return;
    ev.preventDefault();
    capture.send({
      kind: 'key',
      target,
      key: ev.key,
      code: ev.code,
      modifiers: { shift: ev.shiftKey, ctrl: ev.ctrlKey, alt: ev.altKey, meta: ev.metaKey },
    });
  };

  /** A value set at once in the replica (select change, paste, autofill, a test's fill()). */
  const onValue = (ev: Event) => {
    if (!capture.enabled()) return;
    const el = targetOf(ev) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
    if (!el || el.nodeType !== 1) return;
    if (isCheckable(el)) {
      // Toggled without a click (none of the replica's clicks toggle anything).
      if (ev.type !== 'change') return;
      const target = idOf(el);
      if (target !== undefined) capture.send({ kind: 'setChecked', target, checked: (el as HTMLInputElement).checked });
      return;
    }
    if (el.localName !== 'select' && el.localName !== 'input' && el.localName !== 'textarea') return;
    // A select reports its change once; text fields on `input` (a `change` follows with the same value).
    if (ev.type === 'change' && el.localName !== 'select') return;
    if (ev.type === 'input' && el.localName === 'select') return;
    const target = idOf(el);
    if (target === undefined) return;
    capture.send({ kind: 'setValue', target, value: el.value });
  };

  const onFocus = (ev: FocusEvent) => {
    if (!capture.enabled()) return;
    const el = targetOf(ev) as Node | null;
    if (!el || el.nodeType !== 1 || restrictedAncestor(el) !== null) return;
    const target = mirror().getId(el);
    if (target !== undefined) capture.send({ kind: 'focus', target });
  };

  const flushScroll = () => {
    scrollFrame = 0;
    if (!capture.enabled()) {
      pendingScroll.clear();
      return;
    }
    for (const [target, p] of pendingScroll) capture.send({ kind: 'scroll', target, point: p });
    pendingScroll.clear();
  };

  /** The element (or the window, `null`) that a wheel over `start` scrolls by `dx, dy`. */
  const scroller = (start: Element | null, dx: number, dy: number): Element | null => {
    for (let el = start; el && el !== replica.documentElement && el !== replica.body; el = el.parentElement) {
      const cs = win?.getComputedStyle(el);
      if (!cs) break;
      const canY = dy !== 0 && /(auto|scroll)/.test(cs.overflowY) && el.scrollHeight > el.clientHeight;
      const canX = dx !== 0 && /(auto|scroll)/.test(cs.overflowX) && el.scrollWidth > el.clientWidth;
      if (canY || canX) return el;
    }
    return null;
  };

  const onWheel = (ev: WheelEvent) => {
    if (!capture.enabled()) return;
    const lineOrPage = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? (win?.innerHeight ?? 600) : 1;
    const dx = ev.deltaX * lineOrPage;
    const dy = ev.deltaY * lineOrPage;
    const el = scroller(targetOf(ev) as Element | null, dx, dy);
    if (el !== null && restrictedAncestor(el) !== null) return;
    // The window: the top document's (1) or a frame document's id.
    const target = el ? mirror().getId(el) : (mirror().getId(replica) ?? DOCUMENT_ID);
    if (target === undefined) return;
    // From the position already asked for in this frame, else from what the replica shows.
    const from = pendingScroll.get(target) ?? (el ? { x: el.scrollLeft, y: el.scrollTop } : { x: win?.scrollX ?? 0, y: win?.scrollY ?? 0 });
    pendingScroll.set(target, { x: Math.max(0, Math.round(from.x + dx)), y: Math.max(0, Math.round(from.y + dy)) });
    if (!scrollFrame && win) scrollFrame = win.requestAnimationFrame(flushScroll);
  };

  const capturing = { capture: true };
  replica.addEventListener('click', onClick, capturing);
  replica.addEventListener('keydown', onKey, capturing);
  replica.addEventListener('input', onValue, capturing);
  replica.addEventListener('change', onValue, capturing);
  replica.addEventListener('focusin', onFocus, capturing);
  replica.addEventListener('wheel', onWheel, { capture: true, passive: true });
  return () => {
    if (scrollFrame) win?.cancelAnimationFrame(scrollFrame);
    replica.removeEventListener('click', onClick, capturing);
    replica.removeEventListener('keydown', onKey, capturing);
    replica.removeEventListener('input', onValue, capturing);
    replica.removeEventListener('change', onValue, capturing);
    replica.removeEventListener('focusin', onFocus, capturing);
    replica.removeEventListener('wheel', onWheel, { capture: true });
  };
}
