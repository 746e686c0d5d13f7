/**
 * The full snapshot, time-sliced (DESIGN.md principle 6): the walk of the page (`walkTree`) runs
 * for at most `SLICE_MS` per task, then yields to the event loop and goes on in a later task; so
 * does the writing of its frame (`encodeFrameParts`). A page the walk finishes within one slice is
 * serialized in one synchronous go, as before.
 *
 * While the walk pauses, the page runs and changes. The capture's MutationObserver keeps recording
 * (the records stay pending for the first batch after the snapshot, which the capture holds back
 * until the snapshot is sent); on each resume the walk is told the records of the pause
 * (`TreeWalk.resume`): nodes added or moved are left to that batch, levels whose node moved are
 * given up, and when anything changed the restriction match is taken again, so nothing is written
 * unmasked that is masked at the time it is read. What the agent is sent (the elements serialized
 * with a mark) is the match the next batch is diffed against (`Snapshot.sent`).
 *
 * Owned by `capture.ts`: one at a time; `cancel()` when the capture stops or another snapshot
 * starts.
 */

import type { FullSnapshot, SerializedDocument } from '@cobrowse/protocol';
import { documentSnapshot, startWalk, walkTree, type CaptureContext, type LinkCssCache, type MaskScope, type RestrictionMatch, type ScrollWatch } from '@cobrowse/dom';

/** The longest a slice of snapshot work runs before it yields (ms). */
export const SLICE_MS = 8;

/** The clock of the current slice, shared by the walk and the frame encoder. */
export interface Slicer {
  /** Starts a slice now. */
  start(): void;
  /** True when the current slice used its time. */
  over(): boolean;
  /** Resolves in a later task (the page's own tasks run first), with a new slice started. */
  next(): Promise<void>;
}

/**
 * A slicer that yields through a `MessageChannel` message: a task of its own, which background
 * tabs do not throttle as they do timers, nor stall as they do animation frames. The channel is
 * closed while nothing waits (an open port would keep a test runner's process alive).
 */
export function createSlicer(): Slicer {
  let until = 0;
  const start = () => {
    until = performance.now() + SLICE_MS;
  };
  const waiting: (() => void)[] = [];
  let port: MessagePort | null = null;
  return {
    start,
    over: () => performance.now() > until,
    next: () =>
      new Promise<void>((resolve) => {
        if (port === null) {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            start();
            waiting.shift()?.();
            if (waiting.length === 0) {
              ch.port1.close();
              port = null;
            }
          };
          port = ch.port2;
        }
        waiting.push(resolve);
        port.postMessage(0);
      }),
  };
}

/** What a finished walk hands over. */
export interface Snapshot {
  readonly snapshot: FullSnapshot;
  /** The elements serialized with a mark: the match the agent has. */
  readonly sent: RestrictionMatch;
  /** The match of the walk's last slice (for what the capture adds to the snapshot). */
  readonly scope: MaskScope;
  /**
   * Large subtrees (and the snapshot itself): their JSON is written in parts. Absent when the page
   * has no subtree of `BIG_SUBTREE` nodes: the frame is then written in one go (`encodeFrame`).
   */
  readonly split?: Set<object>;
  /** Frame documents met since the walk last paused (all of them when it never did). */
  readonly frames: Document[];
}

export interface SnapshotHooks {
  /** The mutation records since the last call (they stay pending for the capture's next batch). */
  records(): ArrayLike<MutationRecord>;
  /**
   * The walk pauses: the capture observes the frame documents (`frames`, those met since the last
   * pause) and shadow roots met so far, whose changes during the pause must be recorded.
   */
  paused(frames: Document[]): void;
  done(s: Snapshot): void;
  failed(err: unknown): void;
}

/**
 * What the capture keeps from one snapshot to the next, so that a later one does not read again
 * what cannot have changed: stylesheet texts (`LinkCssCache`) and which elements can have scroll
 * offsets (`ScrollWatch`; the capture sets `all` false once a snapshot was sent).
 */
export interface SnapshotMemory {
  readonly linkCss: LinkCssCache;
  readonly scroll: ScrollWatch;
}

/**
 * Walks the page in slices of `slicer` (the first one starting after the match) and calls
 * `hooks.done` once, or `hooks.failed`; nothing after `cancel()`.
 */
export function takeSnapshot(ctx: CaptureContext, slicer: Slicer, hooks: SnapshotHooks, memory?: SnapshotMemory): { cancel(): void } {
  let cancelled = false;
  let version = ctx.restrictions.version;
  let url = ctx.doc.URL;
  const w = startWalk(ctx);
  const sent = { mask: new Set<Element>(), control: new Set<Element>() };
  w.sent = sent;
  w.frames = [];
  w.linkCss = memory?.linkCss;
  w.scrollWatch = memory?.scroll;
  const walk = walkTree(ctx.doc, w);
  // The slice's time counts from here: the match (a query of the whole page per rule kind) is not
  // split, and a page that fits in one slice stays one synchronous walk even where it is slow.
  slicer.start();
  const step = (resumed: boolean): void => {
    if (cancelled) return;
    try {
      if (resumed) {
        const records = hooks.records();
        // The match is taken again when the page changed, or the rules or the URL (URL patterns).
        const rematch = records.length > 0 || ctx.restrictions.version !== version || ctx.doc.URL !== url;
        version = ctx.restrictions.version;
        url = ctx.doc.URL;
        walk.resume(records, rematch ? ctx.match() : null);
      }
      if (!walk.run(slicer.over)) {
        hooks.paused((w.frames as Document[]).splice(0));
        void slicer.next().then(() => step(true));
        return;
      }
      const snapshot = documentSnapshot(w, walk.out as SerializedDocument);
      const split = walk.big.size > 0 ? walk.big.add(snapshot) : undefined;
      hooks.done({ snapshot, sent, scope: w.scope, split, frames: w.frames as Document[] });
    } catch (err) {
      hooks.failed(err);
    }
  };
  step(false);
  return {
    cancel() {
      cancelled = true;
    },
  };
}
