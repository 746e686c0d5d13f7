/**
 * The agent-side replica: an inert copy of the customer's page in a sandboxed iframe
 * (`sandbox="allow-same-origin"`, never `allow-scripts`), rebuilt from full snapshots and kept
 * current by incremental batches, sized to the customer's viewport and scaled down to fit.
 *
 * Frames are decoded asynchronously (decompression) but applied strictly in arrival order. A gap in
 * sequence numbers, or a batch that cannot be applied, asks for a fresh snapshot.
 */

import { FrameKind, decodeFrame, decodeHeader, type Batch, type FullSnapshot } from '@cobrowse/protocol';
import { applyOps, createReplicaMirror, rebuildDocument, type ReplicaMirror } from '@cobrowse/dom';

export interface ViewerOptions {
  /** Element the replica is placed in; its size decides the scale. */
  container: HTMLElement;
  /** Called when the viewer needs a fresh full snapshot. */
  requestSnapshot(): void;
  /** Called after a full snapshot has been rendered. */
  onSnapshot?(snapshot: FullSnapshot): void;
  onError?(msg: string, err?: unknown): void;
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
  destroy(): void;
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
  stage.appendChild(frame);
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
  let chain: Promise<void> = Promise.resolve();
  let destroyed = false;
  let detachGuards: (() => void) | null = null;

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

  const fit = () => {
    if (!viewport.w || !viewport.h) return;
    const cs = doc.defaultView?.getComputedStyle(container);
    const padX = cs ? parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) : 0;
    const padY = cs ? parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom) : 0;
    const cw = container.clientWidth - padX;
    const ch = container.clientHeight - padY;
    const scale = Math.min(1, cw > 0 ? cw / viewport.w : 1, ch > 0 ? ch / viewport.h : 1);
    frame.style.width = `${viewport.w}px`;
    frame.style.height = `${viewport.h}px`;
    frame.style.transform = scale < 1 ? `scale(${scale})` : '';
    stage.style.width = `${Math.round(viewport.w * scale)}px`;
    stage.style.height = `${Math.round(viewport.h * scale)}px`;
    frame.dataset['scale'] = String(scale);
    stage.hidden = false;
  };

  const scrollWindow = () => {
    // Instant even when the page asks for smooth scrolling: the replica follows, it does not animate.
    frame.contentWindow?.scrollTo({ left: scroll[0], top: scroll[1], behavior: 'instant' });
  };

  /**
   * Keeps the agent's clicks, keys and wheel from doing anything in the replica (links, forms,
   * scrolling away from what the customer sees, ...).
   */
  const guard = (replica: Document) => {
    const stop = (ev: Event) => {
      // Tab moves the focus on, out of the replica too: cancelling it would trap the keyboard.
      if (ev.type === 'keydown' && (ev as KeyboardEvent).key === 'Tab') return;
      ev.preventDefault();
    };
    // The replica shows the customer's viewport: a scroll of the agent's own (scroll bar drag,
    // find in page) is undone, the window goes back to the customer's offsets.
    const onScroll = (ev: Event) => {
      if (ev.target !== replica) return;
      const win = replica.defaultView;
      if (win && (Math.round(win.scrollX) !== Math.round(scroll[0]) || Math.round(win.scrollY) !== Math.round(scroll[1]))) scrollWindow();
    };
    const types = ['click', 'auxclick', 'dblclick', 'submit', 'keydown', 'keypress', 'dragstart', 'drop', 'wheel'];
    const options = { capture: true, passive: false };
    for (const t of types) replica.addEventListener(t, stop, options);
    replica.addEventListener('scroll', onScroll, { capture: true, passive: true });
    return () => {
      for (const t of types) replica.removeEventListener(t, stop, options);
      replica.removeEventListener('scroll', onScroll, { capture: true });
    };
  };

  const applyFull = (snap: FullSnapshot) => {
    const replica = frame.contentDocument;
    if (!replica) throw new Error('the replica frame has no document');
    detachGuards?.();
    mirror = createReplicaMirror();
    rebuildDocument(snap, replica, mirror);
    // document.open() replaced the document's listeners: attach them again.
    detachGuards = guard(frame.contentDocument ?? replica);
    viewport = { w: snap.viewport.w, h: snap.viewport.h };
    scroll = [snap.scroll[0], snap.scroll[1]];
    fit();
    scrollWindow();
    opts.onSnapshot?.(snap);
  };

  const applyBatch = (batch: Batch) => {
    const replica = frame.contentDocument;
    if (!replica) return;
    applyOps(batch.ops, replica, mirror, {
      viewport: (w, h) => {
        viewport = { w, h };
        fit();
        scrollWindow();
      },
      windowScroll: (x, y) => {
        scroll = [x, y];
        scrollWindow();
      },
    });
  };

  const process = async (bytes: Uint8Array<ArrayBuffer>, frameEpoch: number) => {
    if (frameEpoch !== epoch) return;
    const decoded = await decodeFrame(bytes);
    if (destroyed || frameEpoch !== epoch) return;
    if (!decoded) {
      report('a frame with an invalid header was ignored');
      return;
    }
    const { header, payload } = decoded;
    if (header.kind === FrameKind.Full) {
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

  const onResize = () => fit();
  doc.defaultView?.addEventListener('resize', onResize);

  return {
    frame,
    handleFrame(data) {
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
      const full = decodeHeader(bytes)?.kind === FrameKind.Full;
      const frameEpoch = epoch;
      chain = chain
        .then(() => process(bytes, frameEpoch))
        .catch((err) => {
          if (destroyed || frameEpoch !== epoch) return;
          report(full ? 'could not render a snapshot' : 'could not apply a frame', err);
          if (full) snapshotFailed();
          else needSnapshot();
        });
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
    destroy() {
      destroyed = true;
      detachGuards?.();
      doc.defaultView?.removeEventListener('resize', onResize);
      stage.remove();
    },
  };
}
