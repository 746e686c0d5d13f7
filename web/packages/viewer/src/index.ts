/**
 * The agent-side replica: an inert copy of the customer's page in a sandboxed iframe
 * (`sandbox="allow-same-origin"`, never `allow-scripts`), rebuilt from full snapshots and kept
 * current by incremental batches, sized to the customer's viewport and scaled down to fit.
 *
 * Frames are decoded asynchronously (decompression), each as it arrives, but applied strictly in
 * arrival order: those decoded by then are applied back to back in one task, and what follows
 * batches (interaction state, restriction stylesheet, window size and scroll) is done once per such
 * run, so that a burst of batches costs the agent's browser one style and layout pass, not one per
 * batch. A gap in sequence numbers, or a batch that cannot be applied, asks for a fresh snapshot.
 *
 * Pointers: the agent's mouse over the replica is reported as document points of the customer's
 * page (the replica iframe has the customer's viewport size and is scaled with a CSS transform, so
 * event coordinates inside it are already unscaled: document point = client point + the replica
 * window's scroll), at most once per animation frame. The customer's pointer is drawn by an element
 * of the agent's page laid over the iframe (never inside the replica: the replica stays inert and
 * holds only what the mirror built), at `(point − replica scroll) × scale`.
 *
 * Frames (docs/PROTOCOL.md, "Frames"): the documents of the customer's same-origin frames are built
 * inside the replica's own frames (inert like the replica: `sandbox="allow-same-origin"`, no `src`).
 * Each gets the same guards, input capture and restriction stylesheet as the replica's document;
 * the agent's pointer and clicks there are translated to points of the customer's top document.
 * Frames whose content is not shared (another origin) show a labelled placeholder
 * (`frameNotSharedText`) at the frame's size.
 *
 * Restrictions: the replica carries the marks the customer's SDK sent (`marks.ts` in
 * `@cobrowse/dom`); the viewer adds its own stylesheet that outlines them (purple: masked, green:
 * DOM control, see `restriction-style.ts`), and sends no input aimed at a marked element or its
 * content (`input.ts`).
 *
 * Resources (docs/PROTOCOL.md, "Resources"): with `resourceToken`, every image, font, stylesheet
 * and medium of the replica loads through the server's resource proxy of that session
 * (`resources.ts`), from the agent desktop's own origin; never from the customer's site.
 */

import { FrameKind, decodeFrame, decodeHeader, type Batch, type FullSnapshot, type PagePoint, type UiState } from '@cobrowse/protocol';
import { applyAnimationTimes, applyOps, applyScriptAnimations, createReplicaMirror, cssMapper, rebuildDocument, type FrameHooks, type ReplicaMirror } from '@cobrowse/dom';
import { attachInput, type InputCapture } from './input';
import { addShadowRestrictionStyle, ensureRestrictionStyle, randomLayerName } from './restriction-style';
import { emulateStatesIn, showUiState } from './interaction-state';
import { createResourceMapper } from './resources';

export { attachInput, type InputCapture } from './input';
export { createResourceMapper, proxiedUrl, mapSrcset, mapCssUrls, BLOCKED_URL } from './resources';

export interface ViewerOptions {
  /** Element the replica is placed in; its size decides the scale. */
  container: HTMLElement;
  /** Called when the viewer needs a fresh full snapshot. */
  requestSnapshot(): void;
  /** Called after a full snapshot has been rendered. */
  onSnapshot?(snapshot: FullSnapshot): void;
  onError?(msg: string, err?: unknown): void;
  /**
   * The agent's pointer over the replica, as a point of the customer's document, or `null` when it
   * left the replica. At most once per animation frame; also when the replica scrolls under a
   * resting mouse (the pointer is then over other content).
   */
  onPointer?(p: PagePoint | null): void;
  /** The agent clicked the replica at this document point (the click itself does nothing). */
  onClick?(p: PagePoint): void;
  /**
   * Write Mode input: while `enabled()`, the agent's clicks, keys, values, focus and scrolling on
   * the replica are sent as `AgentInput` (see input.ts).
   */
  input?: InputCapture;
  /** The label of a frame whose content is not shared (another site's). */
  frameNotSharedText?: string;
  /**
   * The live session's token: the replica's sub-resources load through
   * `/cobrowse/resource/{token}?url=…` of the agent page's origin. Without it they keep the
   * page's URLs (which the agent desktop's CSP refuses).
   */
  resourceToken?: string;
}

/** The default label of a frame whose content is not shared. */
export const FRAME_NOT_SHARED_TEXT = 'Content from another site is not shared';

/** Marks the viewer's placeholder inside a frame that is not shared. */
export const FRAME_PLACEHOLDER_ATTRIBUTE = 'data-cobrowse-frame-placeholder';

/**
 * Fills the (empty, inert) document of a replica frame whose content is not shared with a
 * labelled placeholder that covers the frame.
 */
export function showFrameNotShared(doc: Document, text: string): void {
  try {
    doc.open();
    doc.write('<!DOCTYPE html>');
    doc.close();
  } catch {
    // keep the document as it is
  }
  while (doc.firstChild !== null) doc.removeChild(doc.firstChild);
  const html = doc.createElement('html');
  const body = doc.createElement('body');
  body.style.cssText =
    'margin:0;min-height:100vh;box-sizing:border-box;display:flex;align-items:center;justify-content:center;' +
    'padding:8px;border:1px dashed #adb5bd;background:repeating-linear-gradient(45deg,#f1f3f5 0 10px,#e9ecef 10px 20px);' +
    'font:13px/1.4 system-ui,sans-serif;color:#495057;text-align:center;';
  const label = doc.createElement('p');
  label.setAttribute(FRAME_PLACEHOLDER_ATTRIBUTE, '');
  label.style.cssText = 'margin:0;padding:4px 8px;background:rgba(255,255,255,.85);border-radius:4px;';
  label.textContent = text;
  body.appendChild(label);
  html.appendChild(body);
  doc.appendChild(html);
}

/** A client point inside the replica as a point of the customer's document (integer CSS px). */
export function replicaToPage(clientX: number, clientY: number, scrollX: number, scrollY: number): PagePoint {
  return { x: Math.round(clientX + scrollX), y: Math.round(clientY + scrollY) };
}

/**
 * A point of the customer's document as a point of the replica's stage (the scaled box of the
 * agent's page that holds the iframe), given the replica window's scroll and the scale.
 */
export function pageToStage(p: PagePoint, scrollX: number, scrollY: number, scale: number): { x: number; y: number } {
  return { x: (p.x - scrollX) * scale, y: (p.y - scrollY) * scale };
}

export interface Viewer {
  /** Feeds one binary DOM frame, as received from the server. */
  handleFrame(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): void;
  /**
   * Forgets the current page (the customer navigates or reconnects, a resync, the session ended);
   * keeps showing the last image. Frames received before the call are dropped, even those still
   * being decoded; the next frame applied is a full snapshot.
   */
  reset(): void;
  /** The replica iframe. */
  readonly frame: HTMLIFrameElement;
  /** Recomputes the scale after the container's size changed. */
  fit(): void;
  /** Draws the customer's pointer at a point of the customer's document, or hides it (`null`). */
  customerPointer(p: PagePoint | null): void;
  destroy(): void;
}

type Decoded = Awaited<ReturnType<typeof decodeFrame>>;

/** A frame received, being decoded or decoded, waiting to be applied in its turn. */
interface Queued {
  full: boolean;
  /** The viewer's `reset()` count when it arrived: a frame of an earlier page is dropped. */
  epoch: number;
  decoded: Promise<Decoded>;
  settled: boolean;
  result?: Decoded;
  error?: unknown;
}

/**
 * Full snapshots in a row that could not be read or rendered before the viewer stops asking for
 * another (a customer page that always produces one would otherwise cost a snapshot every 500 ms).
 */
const MAX_FAILED_SNAPSHOTS = 3;

export function createViewer(opts: ViewerOptions): Viewer {
  const { container } = opts;
  const doc = container.ownerDocument;
  const stage = doc.createElement('div');
  stage.className = 'replica-stage';
  const frame = doc.createElement('iframe');
  frame.setAttribute('data-cobrowse-replica', '');
  // Same origin so that the viewer can build the DOM; no scripts, no forms, no popups, no
  // top navigation: the replica is inert markup.
  frame.setAttribute('sandbox', 'allow-same-origin');
  frame.setAttribute('title', 'Replica of the customer\u2019s page');
  frame.setAttribute('src', 'about:blank');
  frame.style.cssText = 'border:0;display:block;transform-origin:0 0;background:#fff;';
  stage.style.position = 'relative';
  stage.style.overflow = 'hidden';
  stage.appendChild(frame);
  // The customer's pointer: over the iframe, in the agent's page, never a target of the mouse.
  const customerArrow = doc.createElement('div');
  customerArrow.className = 'customer-pointer';
  customerArrow.setAttribute('data-cobrowse-customer-pointer', '');
  customerArrow.setAttribute('aria-hidden', 'true');
  customerArrow.hidden = true;
  customerArrow.style.cssText =
    'position:absolute;left:0;top:0;pointer-events:none;z-index:1;will-change:transform;';
  customerArrow.innerHTML =
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="24" viewBox="0 0 22 26" style="display:block;overflow:visible;filter:drop-shadow(0 1px 2px rgba(0,0,0,.35))">' +
    '<path d="M1 1 L1 21 L6.5 16 L10.5 24.5 L14 23 L10 14.5 L17.5 14.5 Z" fill="#2563eb" stroke="#fff" stroke-width="1.6" stroke-linejoin="round"/></svg>';
  stage.appendChild(customerArrow);
  // Nothing to show until the first snapshot says how large the customer's viewport is (an empty
  // 300×150 default iframe looks like a broken page).
  stage.hidden = true;
  container.appendChild(stage);

  let mirror: ReplicaMirror = createReplicaMirror();
  let viewport = { w: 0, h: 0 };
  let scroll: [number, number] = [0, 0];
  let expectedSeq: number | null = null;
  /** Incremental frames are dropped until the next full snapshot. */
  let waitingForFull = true;
  /** A snapshot was asked for and has not come yet. */
  let requested = false;
  let failedSnapshots = 0;
  /** Counts `reset()`s: a frame that arrived before the last one belongs to a page that is gone. */
  let epoch = 0;
  /**
   * Frames received and not applied yet, in arrival order, each already being decoded (frames
   * decompress in parallel; they are applied strictly in order).
   */
  const queue: Queued[] = [];
  /** The loop that applies `queue` runs (one at a time). */
  let pumping = false;
  /**
   * Batches were applied whose follow-up (interaction state, restriction stylesheet, frame
   * documents, the window's size and scroll) is not done yet: it is done once per run of batches
   * applied back to back, before the agent page can render.
   */
  let batchesPending = false;
  let fitPending = false;
  let scrollPending = false;
  let destroyed = false;
  let detachGuards: (() => void) | null = null;
  let scale = 1;
  /** Where the customer's pointer is (document point), while it is over the customer's page. */
  let customerAt: PagePoint | null = null;
  /** The agent's mouse in the replica's client coordinates, while it is over the replica. */
  let agentClient: { x: number; y: number } | null = null;
  let agentSent: PagePoint | null = null;
  let pointerFrame = 0;
  const win = doc.defaultView;
  /** The restriction stylesheet of the current replica document, and its layer's name. */
  const restrictionLayer = randomLayerName();
  let restrictionStyle: HTMLStyleElement | null = null;
  /** Documents of the replica's frames, with their restriction stylesheet and guards' teardown. */
  const frameDocs = new Map<Document, { style: HTMLStyleElement | null; detach: () => void }>();
  const notSharedText = opts.frameNotSharedText ?? FRAME_NOT_SHARED_TEXT;
  /** Shadow roots the replica built (their sheets get the interaction-state rewrite). */
  const shadowRoots = new Set<ShadowRoot>();
  /** Rule counts of the sheets rewritten for the interaction state (`interaction-state.ts`). */
  let rewritten = new WeakMap<CSSStyleSheet, number>();
  /** The customer's interaction state, and the replica elements that show it. */
  let ui: UiState = {};
  let uiMarked: Element[] = [];
  /** The replica's selection is to be set again (a snapshot or a `ui` op came since). */
  let uiSelection = true;

  const report = (msg: string, err?: unknown) => opts.onError?.(msg, err);

  const needSnapshot = () => {
    waitingForFull = true;
    if (requested) return;
    requested = true;
    opts.requestSnapshot();
  };

  /** A full snapshot could not be read or rendered: ask for another, a bounded number of times. */
  const snapshotFailed = () => {
    requested = false;
    failedSnapshots += 1;
    if (failedSnapshots <= MAX_FAILED_SNAPSHOTS) needSnapshot();
    else {
      waitingForFull = true;
      report(`${failedSnapshots} snapshots in a row could not be rendered; waiting for the next one`);
    }
  };

  /** Sizes and scales the replica to the customer's viewport; `place`: the customer's pointer too. */
  const fit = (place = true) => {
    if (!viewport.w || !viewport.h) return;
    const cs = doc.defaultView?.getComputedStyle(container);
    const padX = cs ? parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) : 0;
    const padY = cs ? parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom) : 0;
    const cw = container.clientWidth - padX;
    const ch = container.clientHeight - padY;
    scale = Math.min(1, cw > 0 ? cw / viewport.w : 1, ch > 0 ? ch / viewport.h : 1);
    frame.style.width = `${viewport.w}px`;
    frame.style.height = `${viewport.h}px`;
    frame.style.transform = scale < 1 ? `scale(${scale})` : '';
    stage.style.width = `${Math.round(viewport.w * scale)}px`;
    stage.style.height = `${Math.round(viewport.h * scale)}px`;
    frame.dataset['scale'] = String(scale);
    stage.hidden = false;
    if (place) placeCustomerPointer(false);
  };

  /**
   * A client point of replica document `d` (a frame's, nested to any depth) as a client point of
   * the replica's top document: each frame element's content box offset is added.
   */
  const toTopClient = (d: Document, x: number, y: number): { x: number; y: number } => {
    const top = frame.contentDocument;
    let cur: Document | null = d;
    for (let hops = 0; cur !== null && cur !== top && hops < 64; hops++) {
      const host: Element | null | undefined = cur.defaultView?.frameElement;
      if (!host) break;
      const r = host.getBoundingClientRect();
      const cs = host.ownerDocument.defaultView?.getComputedStyle(host);
      x += r.left + host.clientLeft + (cs ? parseFloat(cs.paddingLeft) || 0 : 0);
      y += r.top + host.clientTop + (cs ? parseFloat(cs.paddingTop) || 0 : 0);
      cur = host.ownerDocument;
    }
    return { x, y };
  };

  const replicaScroll = (): [number, number] => {
    const w = frame.contentWindow;
    return w ? [w.scrollX, w.scrollY] : [0, 0];
  };

  /** `glide`: animate from the last position (moves); jumps (scroll, scale) are immediate. */
  const placeCustomerPointer = (glide: boolean) => {
    if (!customerAt) {
      customerArrow.hidden = true;
      return;
    }
    const [sx, sy] = replicaScroll();
    const at = pageToStage(customerAt, sx, sy, scale);
    customerArrow.style.transition = glide && !customerArrow.hidden ? 'transform 80ms linear' : 'none';
    customerArrow.style.transform = `translate(${at.x}px, ${at.y}px)`;
    customerArrow.hidden = false;
  };

  /** Reports the agent's pointer at the next animation frame (one report per frame at most). */
  const reportAgentPointer = () => {
    if (!opts.onPointer || pointerFrame || !win) return;
    pointerFrame = win.requestAnimationFrame(() => {
      pointerFrame = 0;
      if (destroyed) return;
      if (!agentClient) {
        if (agentSent) {
          agentSent = null;
          opts.onPointer?.(null);
        }
        return;
      }
      const [sx, sy] = replicaScroll();
      const p = replicaToPage(agentClient.x, agentClient.y, sx, sy);
      if (agentSent && agentSent.x === p.x && agentSent.y === p.y) return;
      agentSent = p;
      opts.onPointer?.(p);
    });
  };

  const scrollWindow = () => {
    // Instant even when the page asks for smooth scrolling: the replica follows, it does not animate.
    frame.contentWindow?.scrollTo({ left: scroll[0], top: scroll[1], behavior: 'instant' });
    // Both pointers are document points: the content under them moved.
    placeCustomerPointer(false);
    if (agentClient) reportAgentPointer();
  };

  /**
   * Keeps the agent's clicks, keys and wheel from doing anything in the replica (links, forms,
   * scrolling away from what the customer sees, ...).
   */
  const guard = (replica: Document, isTop = true) => {
    const stop = (ev: Event) => {
      // Tab moves the focus on, out of the replica too: cancelling it would trap the keyboard.
      if (ev.type === 'keydown' && (ev as KeyboardEvent).key === 'Tab') return;
      ev.preventDefault();
    };
    // The replica shows the customer's viewport: a scroll of the agent's own (scroll bar drag,
    // find in page) is undone, the window goes back to the customer's offsets.
    const onScroll = (ev: Event) => {
      if (!isTop || ev.target !== replica) return;
      const win = replica.defaultView;
      if (win && (Math.round(win.scrollX) !== Math.round(scroll[0]) || Math.round(win.scrollY) !== Math.round(scroll[1]))) scrollWindow();
    };
    const onMove = (ev: MouseEvent) => {
      // Inside the iframe, client coordinates are the customer's CSS pixels (the scale is a
      // transform of the iframe element).
      agentClient = isTop ? { x: ev.clientX, y: ev.clientY } : toTopClient(replica, ev.clientX, ev.clientY);
      reportAgentPointer();
    };
    const onOut = (ev: MouseEvent) => {
      // `relatedTarget` null: the mouse left the replica, not one element for another (inside a
      // frame: it left the frame, into its parent document, which reports the next move).
      if (ev.relatedTarget || !isTop) return;
      agentClient = null;
      reportAgentPointer();
    };
    const onClick = (ev: MouseEvent) => {
      if (ev.button !== 0) return;
      const [sx, sy] = replicaScroll();
      const at = isTop ? { x: ev.clientX, y: ev.clientY } : toTopClient(replica, ev.clientX, ev.clientY);
      opts.onClick?.(replicaToPage(at.x, at.y, sx, sy));
    };
    const types = ['click', 'auxclick', 'dblclick', 'submit', 'keydown', 'keypress', 'dragstart', 'drop', 'wheel'];
    const options = { capture: true, passive: false };
    const passive = { capture: true, passive: true };
    for (const t of types) replica.addEventListener(t, stop, options);
    replica.addEventListener('load', onSheetLoad, passive);
    replica.addEventListener('scroll', onScroll, passive);
    replica.addEventListener('mousemove', onMove, passive);
    replica.addEventListener('mouseout', onOut, passive);
    replica.addEventListener('click', onClick, passive);
    const detachInput = opts.input ? attachInput(replica, () => mirror, opts.input) : null;
    return () => {
      detachInput?.();
      for (const t of types) replica.removeEventListener(t, stop, options);
      replica.removeEventListener('scroll', onScroll, { capture: true });
      replica.removeEventListener('mousemove', onMove, { capture: true });
      replica.removeEventListener('mouseout', onOut, { capture: true });
      replica.removeEventListener('click', onClick, { capture: true });
      replica.removeEventListener('load', onSheetLoad, { capture: true });
    };
  };

  /**
   * A `<link>` stylesheet of the replica loaded (through the resource proxy: same-origin, so its
   * rules are readable): its `:hover` / `:focus` / … rules get their emulation copies now.
   * Listened for on each replica document and shadow root (`load` does not leave a shadow tree).
   */
  const onSheetLoad = (ev: Event) => {
    const target = ev.target as Element | null;
    if (destroyed || target?.localName !== 'link') return;
    const top = frame.contentDocument;
    if (top) showInteraction(top);
  };

  const detachFrames = () => {
    for (const f of frameDocs.values()) f.detach();
    frameDocs.clear();
  };

  /** The replica builds a frame's document, or a placeholder for a frame that is not shared. */
  const frameHooks: FrameHooks = {
    frameDocument(d) {
      frameDocs.get(d)?.detach();
      frameDocs.set(d, { style: ensureRestrictionStyle(d, restrictionLayer, null), detach: guard(d, false) });
    },
    frameNotShared(d) {
      showFrameNotShared(d, notSharedText);
    },
    shadowRoot(root) {
      addShadowRestrictionStyle(root, restrictionLayer);
      shadowRoots.add(root);
      root.addEventListener('load', onSheetLoad, { capture: true, passive: true });
    },
    ...(opts.resourceToken === undefined ? {} : { mapUrl: createResourceMapper(opts.resourceToken, doc.location.origin) }),
  };

  /**
   * Shows the customer's interaction state on the replica as it is now: the pseudo-class rules of
   * every document and shadow root rewritten, the state attributes set (again: an op may have
   * replaced the elements that had them).
   */
  const showInteraction = (replica: Document) => {
    emulateStatesIn(replica, rewritten);
    for (const d of frameDocs.keys()) emulateStatesIn(d, rewritten);
    for (const root of shadowRoots) {
      if (!root.host.isConnected) shadowRoots.delete(root);
      else emulateStatesIn(root, rewritten);
    }
    uiMarked = showUiState(ui, mirror, replica, uiMarked, uiSelection);
    uiSelection = false;
  };

  /**
   * Runs `apply` and gives the focus back to the agent's page element that had it, if building the
   * replica took it (a modal dialog shown with `showModal()` focuses inside the replica).
   */
  const keepingAgentFocus = (apply: () => void) => {
    const had = doc.activeElement;
    try {
      apply();
    } finally {
      if (had !== null && had !== frame && doc.activeElement !== had && typeof (had as HTMLElement).focus === 'function') {
        (had as HTMLElement).focus({ preventScroll: true });
      }
    }
  };

  /** Frame documents gone from the replica are let go; the others keep their stylesheet. */
  const refreshFrames = () => {
    for (const [d, f] of frameDocs) {
      const host = d.defaultView?.frameElement ?? null;
      if (host === null || !host.isConnected) {
        f.detach();
        frameDocs.delete(d);
        continue;
      }
      f.style = ensureRestrictionStyle(d, restrictionLayer, f.style);
    }
  };

  const applyFull = (snap: FullSnapshot) => {
    const replica = frame.contentDocument;
    if (!replica) throw new Error('the replica frame has no document');
    detachGuards?.();
    detachFrames();
    mirror = createReplicaMirror();
    shadowRoots.clear();
    rewritten = new WeakMap();
    uiMarked = [];
    ui = typeof snap.ui === 'object' && snap.ui !== null ? snap.ui : {};
    // A new document has no selection to clear: only a customer's selection is set.
    uiSelection = ui.sel !== undefined;
    restrictionStyle = null;
    // The replica's size first (and the stage shown: a hidden replica has no animations), so that
    // the page is laid out at its size once.
    viewport = { w: snap.viewport.w, h: snap.viewport.h };
    scroll = [snap.scroll[0], snap.scroll[1]];
    fit(false);
    // Nothing below makes the browser style or lay out the replica until the whole page is in it
    // with everything that changes its style (the restriction stylesheet, the interaction state):
    // the window's scroll is then the one layout of the snapshot (a page styled twice costs twice).
    keepingAgentFocus(() =>
      rebuildDocument(snap, replica, mirror, {
        ...frameHooks,
        documentBuilt: (d) => {
          restrictionStyle = ensureRestrictionStyle(d, restrictionLayer, null);
        },
      }),
    );
    const rebuilt = frame.contentDocument ?? replica;
    restrictionStyle = ensureRestrictionStyle(rebuilt, restrictionLayer, restrictionStyle);
    showInteraction(rebuilt);
    // document.open() replaced the document's listeners: attach them again.
    detachGuards = guard(rebuilt);
    // Scrolls the window and places the customer's pointer.
    scrollWindow();
    // CSS animations started with the replica: bring them to the customer's current times.
    applyAnimationTimes(rebuilt, mirror, snap.an);
    // Animations made by script: made again by the replica elements (their keyframes' URLs mapped).
    applyScriptAnimations(mirror, snap.wa, cssMapper(frameHooks.mapUrl, mirror.baseURL));
    opts.onSnapshot?.(snap);
  };

  /** Applies one batch's ops; its follow-up waits for `finishBatches` (see `batchesPending`). */
  const applyBatch = (batch: Batch) => {
    const replica = frame.contentDocument;
    if (!replica) return;
    batchesPending = true;
    keepingAgentFocus(() => applyOps(batch.ops, replica, mirror, {
      ...frameHooks,
      uiState: (s) => {
        ui = s;
        uiSelection = true;
      },
      viewport: (w, h) => {
        viewport = { w, h };
        fitPending = true;
        scrollPending = true;
      },
      windowScroll: (x, y) => {
        scroll = [x, y];
        scrollPending = true;
      },
    }));
  };

  /**
   * What follows the batches applied since the last call: the last viewport size and window
   * scroll of those batches, the interaction state, the restriction stylesheet (an op may have
   * removed or replaced what held it: `<html>` re-added), the frame documents. Once per run of
   * batches rather than per batch: each of these makes the browser bring the replica's style and
   * layout up to date, a cost that grows with the page, not with the batch.
   */
  const finishBatches = () => {
    if (!batchesPending) return;
    batchesPending = false;
    const replica = frame.contentDocument;
    if (!replica) return;
    keepingAgentFocus(() => showInteraction(replica));
    restrictionStyle = ensureRestrictionStyle(replica, restrictionLayer, restrictionStyle);
    refreshFrames();
    // Last: scrolling lays the page out.
    if (fitPending) fit(false); // the scroll below places the pointer
    if (scrollPending) scrollWindow();
    fitPending = false;
    scrollPending = false;
  };

  /** Applies one decoded frame (throws when it cannot be applied). */
  const process = (decoded: Decoded) => {
    if (!decoded) {
      report('a frame with an invalid header was ignored');
      return;
    }
    const { header, payload } = decoded;
    if (header.kind === FrameKind.Full) {
      // The batches before it are replaced with the page.
      batchesPending = false;
      fitPending = false;
      scrollPending = false;
      applyFull(payload as FullSnapshot);
      waitingForFull = false;
      requested = false;
      failedSnapshots = 0;
      expectedSeq = (header.seq + 1) >>> 0;
      return;
    }
    if (waitingForFull) return;
    if (header.seq !== expectedSeq) {
      report(`sequence gap: expected ${expectedSeq}, got ${header.seq}`);
      needSnapshot();
      return;
    }
    expectedSeq = (header.seq + 1) >>> 0;
    applyBatch(payload as Batch);
  };

  /** A frame that could not be decoded or applied: a snapshot is asked for (a bounded number of times for snapshots). */
  const failed = (item: Queued, err: unknown) => {
    report(item.full ? 'could not render a snapshot' : 'could not apply a frame', err);
    if (item.full) snapshotFailed();
    else needSnapshot();
  };

  /**
   * Applies the queued frames in order, each as soon as it is decoded. Frames decoded by then are
   * applied back to back in one task (a catch-up burst renders once); the batches' follow-up runs
   * before the loop waits for a frame still being decoded, and when the queue is empty.
   */
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0 && !destroyed) {
        const item = queue[0] as Queued;
        if (!item.settled) {
          finishBatches();
          await item.decoded.then(
            () => undefined,
            () => undefined,
          );
          if (destroyed) return;
        }
        queue.shift();
        if (item.epoch !== epoch) continue;
        try {
          if (item.error !== undefined) throw item.error;
          process(item.result ?? null);
        } catch (err) {
          if (item.epoch === epoch) failed(item, err);
        }
      }
      if (!destroyed) {
        try {
          finishBatches();
        } catch (err) {
          report('could not apply a frame', err);
        }
      }
    } finally {
      pumping = false;
    }
  };

  const onResize = () => fit();
  doc.defaultView?.addEventListener('resize', onResize);
  // The container also changes size without a window resize (the session bar wraps to two lines
  // when its texts change): refit then too, so the replica always fits.
  const ResizeObserverCtor = doc.defaultView?.ResizeObserver;
  const containerObserver = ResizeObserverCtor ? new ResizeObserverCtor(() => fit()) : null;
  containerObserver?.observe(container);

  return {
    frame,
    handleFrame(data) {
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
      const item: Queued = {
        full: decodeHeader(bytes)?.kind === FrameKind.Full,
        epoch,
        settled: false,
        decoded: decodeFrame(bytes),
      };
      item.decoded.then(
        (result) => {
          item.settled = true;
          item.result = result;
        },
        (err: unknown) => {
          item.settled = true;
          item.error = err ?? new Error('the frame could not be decoded');
        },
      );
      queue.push(item);
      void pump();
    },
    reset() {
      // The server sends a snapshot of its own after a navigation, reconnect or resync.
      epoch += 1;
      waitingForFull = true;
      requested = false;
      failedSnapshots = 0;
      expectedSeq = null;
    },
    fit,
    customerPointer(p) {
      customerAt = p ? { x: p.x, y: p.y } : null;
      placeCustomerPointer(true);
    },
    destroy() {
      destroyed = true;
      if (pointerFrame) win?.cancelAnimationFrame(pointerFrame);
      detachGuards?.();
      detachFrames();
      doc.defaultView?.removeEventListener('resize', onResize);
      containerObserver?.disconnect();
      stage.remove();
    },
  };
}
