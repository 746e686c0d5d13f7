/**
 * Capture of the customer's page while an agent is in the session: a full snapshot on request
 * (time-sliced on large pages, `snapshot.ts`; batches wait until it is sent), then incremental
 * batches built from MutationObserver records, form input, scrolling and resizing — flushed in a
 * microtask right after the change (the end of the task that made it), then at most one batch per
 * `FLUSH_INTERVAL_MS` while the page keeps changing. Frames are encoded (and compressed) after the
 * flush and sent strictly in order.
 *
 * Memory stays bounded: when the socket's send buffer backs up (`BACKLOG_LIMIT`), frames wait too
 * long for compression (`IN_FLIGHT_LIMIT`) or more records wait for a later flush than a batch should
 * carry (`PENDING_LIMIT`; `BURST_LIMIT` for the burst of one task flushed at its end), pending
 * changes are dropped and a fresh full snapshot is sent once it has drained, instead of queueing an
 * unbounded backlog. While compression runs behind by two frames,
 * flushes wait and their changes go out together (`ENCODE_AHEAD`).
 *
 * Restrictions: every snapshot computes the match (`ctx.match()`) and every batch that may carry
 * content updates it from the batch's records (`ctx.updateMatch`, which falls back to `match()`
 * for rules records cannot follow) and masks by it; the capture keeps the match the agent has
 * (`sent`) and each batch is diffed against it (`mutationsToOps`), so content that becomes masked
 * is re-sent masked in the next batch. A batch also runs when nothing mutated but the rules changed
 * (`restrictionsChanged()`) or the URL did (`popstate`, `hashchange`, and `pushState` /
 * `replaceState`, seen through the Navigation API where there is one, else by a cheap URL poll).
 *
 * Frames (docs/PROTOCOL.md, "Frames"): every readable frame document the capture shows
 * (`ctx.documents()`, nested) is observed like the page — the same MutationObserver, input, change
 * and scroll listeners — from the snapshot or batch that first carries it; documents that left are
 * let go. A `load` of a frame element (seen in the capture phase of its document) whose document is
 * no longer the one the agent has re-sends that frame with its new content in the next batch. The
 * restriction match covers every frame document (`ctx.match()`).
 *
 * Stylesheets (docs/PROTOCOL.md, "Nodes"): while the capture runs, the CSSOM methods of the page's
 * window and of every watched frame's window report the sheets script changes (`watchStylesheets`:
 * `insertRule`, `replaceSync`, … and `adoptedStyleSheets` assignments); each flush sends `css` for
 * those of `<style>`/`<link>` elements and `adopt` for documents whose adopted sheets changed
 * (`stylesheetOps`, which also compares the adopted lists at every flush). On the same windows,
 * `watchFonts` records the source of each `FontFace` constructed and reports `add` / `delete` /
 * `clear` of font sets; the next flush then sends `fonts` for documents whose script-added faces
 * changed (`fontOps`, docs/PROTOCOL.md, "Fonts added by script"). `stop()` restores them all.
 *
 * Form state (docs/PROTOCOL.md, "Nodes"): `input` and `change` events, and the form-state setters
 * script calls (`watchFormState`: `value`, `checked`, `selectedIndex`, `selected`, … of the same
 * windows), mark the control; the next flush sends its state (`formStateOps`, masked by the
 * batch's match), and that of the other radios of a radio's group.
 *
 * Interaction state (docs/PROTOCOL.md, "Interaction state"): `mouseover`, `mouseout`,
 * `pointerdown`, `pointerup`, `focusin`, `focusout` and `selectionchange` mark it dirty (the
 * hovered and pressed elements are taken from the events; a `mouseout` or `focusout` towards
 * another element leaves it to the `mouseover` or `focusin` that follows in the same task, so
 * that the pair costs one flush); a flush then sends a `ui` op when the
 * state differs from the last one sent. `toggle` events (popovers, dialogs) send the element's
 * top layer state (`tl`).
 *
 * Canvas and media (docs/PROTOCOL.md, "Canvas and media"): `play`, `pause`, `seeked`, `ratechange`
 * and `ended` send a media element's position and play state (`media`). Every 500 ms once a
 * canvas was serialized (`CaptureContext.canvasSerialized`: a page without canvases gets no timer),
 * in an animation frame callback (WebGL drawing buffers, see `webgl.ts`), the capture encodes each canvas
 * the agent has (in documents and shadow roots) that is not masked and was drawn on since its last
 * encoding (`createCanvasDrawings`; every 5 s regardless, for drawing the wrappers miss) —
 * `canvasImage`, one at a time per canvas, off the main thread — and sends a `canvas` op when the
 * picture differs from the last one sent (after a full snapshot, every canvas is encoded and sent
 * again). Those two are the SDK chunk `canvas` (`chunks/canvas.ts`), loaded (`loadCanvasCode`)
 * when the capture first finds a canvas: until then nothing wraps the drawing members, and the
 * first poll after it arrives encodes every canvas (none was encoded yet).
 *
 * Animations (docs/PROTOCOL.md, "Animations"): snapshots carry the CSS animations' times (`an`) and
 * the animations made by script (`wa`); `element.animate()` and `play` / `pause` / `cancel` /
 * `finish` of an animation (`watchScriptAnimations`, on the same windows) send its state (`anim`).
 */

import { FrameKind, encodeFrame, encodeFrameParts, type Op, type PageInfo, type UiState } from '@cobrowse/protocol';
import {
  frameContent,
  isFrameElement,
  createMaskScope,
  formStateOps,
  maskedTitle,
  mutationsToOps,
  forgetRemoved,
  scrollOp,
  serializeDocument,
  stylesheetOps,
  watchStylesheets,
  watchFormState,
  watchShadowRoots,
  createPrototypeWatch,
  formControlOf,
  isEmptyUiState,
  sameUiState,
  topLayerOp,
  uiState,
  mediaOp,
  chosenSourceOp,
  chosenSource,
  recordFontSource,
  fontOps,
  snapshotAnimations,
  scriptAnimationOp,
  watchFonts,
  watchScriptAnimations,
  type FontFaceWatch,
  type AnimationWatch,
  type PointerState,
  type CanvasDrawings,
  EMPTY_MATCH,
  type CaptureContext,
  type RestrictionMatch,
} from '@cobrowse/dom';
import { createSlicer, takeSnapshot, type SnapshotMemory } from './snapshot';
import type { CanvasChunk } from './chunks/canvas';

export interface CaptureSink {
  sendFrame(bytes: Uint8Array<ArrayBuffer>): void;
  /** Bytes queued in the socket but not yet sent. */
  bufferedAmount(): number;
  pageChanged(page: PageInfo): void;
}

/**
 * The node an event was first dispatched to: inside a shadow root, not the host it is
 * retargeted to outside (`composedPath()[0]`); `ev.target` where the path is empty.
 */
function originalTarget(ev: Event): EventTarget | null {
  try {
    const path = ev.composedPath();
    if (path.length > 0) return path[0] ?? ev.target;
  } catch {
    // an event object a page made up
  }
  return ev.target;
}

/**
 * `controls` plus every radio button of the groups of the named radios among them: checking one
 * unchecks the others of its group (its form, or its document or shadow root) without any event
 * or setter call for them. One query per group.
 */
function withRadioGroups(controls: Set<Element>): Set<Element> {
  let out = controls;
  const done = new Map<Node, Set<string>>();
  for (const el of controls) {
    try {
      if (el.localName !== 'input' || (el as HTMLInputElement).type !== 'radio') continue;
      const radio = el as HTMLInputElement;
      const name = radio.name;
      if (!name) continue;
      const scope: ParentNode & Node = radio.form ?? (radio.getRootNode() as Document | ShadowRoot);
      let names = done.get(scope);
      if (names === undefined) done.set(scope, (names = new Set()));
      if (names.has(name)) continue;
      names.add(name);
      if (out === controls) out = new Set(controls);
      for (const other of scope.querySelectorAll('input[type="radio"]')) {
        if ((other as HTMLInputElement).name === name) out.add(other);
      }
    } catch {
      // A control whose properties a hostile page broke: its own state is still sent.
    }
  }
  return out;
}

/** True for an element of any realm (frames have their own `Element`). */
function isElement(t: EventTarget | null): t is Element {
  return t !== null && typeof t === 'object' && (t as Node).nodeType === 1;
}

const OBSERVE = { childList: true, subtree: true, attributes: true, characterData: true } as const;

export interface Capture {
  /** Sends a full snapshot now (replaces whatever the agent had). */
  fullSnapshot(): void;
  /**
   * The rules of `ctx.restrictions` changed (call after `setRules`): the next batch, scheduled now
   * even if nothing else changed, masks (or unmasks) what the agent has accordingly.
   */
  restrictionsChanged(): void;
  stop(): void;
}

/** Above this many buffered bytes, batches are dropped and a full snapshot is sent later. */
const BACKLOG_LIMIT = 8 * 1024 * 1024;
/**
 * Above this many frames queued for encoding and not yet sent (compression runs behind), batches
 * are dropped and a full snapshot is sent instead, as for `BACKLOG_LIMIT`.
 */
const IN_FLIGHT_LIMIT = 32;
/**
 * A flush waits while this many frames are still being encoded (compression runs behind the page:
 * a busy main thread, a slow machine); their changes then go out together in the next batch.
 */
const ENCODE_AHEAD = 2;
/**
 * Above this many mutation records waiting for a later flush (the interval's timer, the encoder),
 * they are dropped (their removed nodes' ids forgotten) and a full snapshot replaces them: what the
 * SDK holds between two flushes stays bounded, and so does the work of one flush.
 */
const PENDING_LIMIT = 25_000;
/**
 * The records of a burst the page made in one task, flushed at the end of that task (the microtask
 * the observer callback queues), are not held for later: up to this many they go out as one batch,
 * which costs about a microsecond per record and per node added, where the full snapshot that
 * replaces them costs the whole page and, time-sliced, comes after the browser's rendering of the
 * changed page (rrweb's deep-nested benchmark: 25,700 records, a 34-ms task of the page's own, then
 * ≈ 120 ms of style and layout). Above it, the burst is dropped for a full snapshot as above: one
 * flush's task stays bounded (at a microsecond or two per record and node, 30,000 keep the SDK's
 * own part of that task near the 50-ms long-task bound on this class of machine).
 */
const BURST_LIMIT = 30_000;
/**
 * The shortest spell between two flushes of a page that keeps changing (one batch per display
 * frame at 60 Hz); the first change after a quiet spell is flushed at once (see `schedule`).
 */
const FLUSH_INTERVAL_MS = 16;
/** How often canvases are encoded and compared (at most two pictures a second per canvas). */
const CANVAS_POLL_MS = 500;
/** How often a canvas nobody was seen drawing on is encoded anyway (drawing the wrappers miss). */
const CANVAS_FALLBACK_MS = 5_000;
/** How often the URL is compared where no Navigation API reports `pushState` (a string compare). */
const URL_POLL_MS = 250;

/** The innermost element of `doc` under the mouse now (light DOM), or null. Never throws. */
function hoveredNow(doc: Document): Element | null {
  try {
    const all = doc.querySelectorAll(':hover');
    return all.length > 0 ? (all[all.length - 1] ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * Runs `fn` (which serializes JSON synchronously) with `Array.prototype.toJSON` out of the way:
 * old Prototype.js versions define it, and `JSON.stringify` would then write every array as a
 * string. Restored before returning, so the page never sees the difference.
 */
function withoutArrayToJSON<T>(fn: () => T): T {
  const proto = Array.prototype as unknown as Record<string, unknown>;
  const desc = Object.getOwnPropertyDescriptor(proto, 'toJSON');
  if (!desc?.configurable) return fn();
  delete proto['toJSON'];
  try {
    return fn();
  } finally {
    Object.defineProperty(proto, 'toJSON', desc);
  }
}

export function startCapture(
  ctx: CaptureContext,
  sink: CaptureSink,
  report: (msg: string, err: unknown) => void,
  loadCanvasCode: () => Promise<CanvasChunk>,
): Capture {
  const win = ctx.doc.defaultView as Window;
  const doc = ctx.doc;
  let stopped = false;
  let seq = 0;
  let sentFull = false;
  let needFull = false;
  let pending: MutationRecord[] = [];
  const values = new Set<Element>();
  const scrolls = new Set<Element | Document>();
  let viewportChanged = false;
  /** Top-level stylesheets script changed through the CSSOM since the last flush. */
  const sheets = new Set<CSSStyleSheet>();
  /** Animations made by script that started, played, paused, … since the last flush. */
  const animations = new Set<Animation>();
  /** A font set changed (`add`, `delete`, `clear`) since the last flush. */
  let fontsDirty = false;
  /** Elements that attached a shadow root since the last flush: re-sent with it. */
  const shadowHosts = new Set<Element>();
  /** Shadow roots observed (mutations, input, change, scroll), as the capture sent them. */
  const watchedRoots = new Set<ShadowRoot>();
  /**
   * The hovered and pressed elements, from events; at the start, the element the mouse already
   * rests on (no event tells it until the mouse moves): the deepest `:hover` match.
   */
  const pointer: PointerState = { hovered: hoveredNow(doc), active: null };
  /** Hover, press, focus or selection may have changed since the last flush. */
  let uiDirty = false;
  /** The selection may have changed since the last flush (`selectionchange`). */
  let selectionDirty = false;
  /** The interaction state the agent has. */
  let uiSent: UiState = {};
  /** Elements that fired `toggle` (popovers, dialogs) since the last flush. */
  const toggled = new Set<Element>();
  /** Media elements that played, paused or seeked since the last flush. */
  const media = new Set<Element>();
  /** Images that chose among candidates and loaded a file since the last flush (`cs`). */
  const chosen = new Set<Element>();
  /** The picture last sent per canvas, and the canvases being encoded now. */
  let canvasSent = new WeakMap<Element, string>();
  const encoding = new WeakSet<Element>();
  /** When each canvas was last encoded (`performance.now()`), since the last full snapshot. */
  let canvasEncoded = new WeakMap<Element, number>();
  /** The chunk `canvas`, once the capture found a canvas and loaded it. */
  let canvasCode: CanvasChunk | null = null;
  let canvasLoading = false;
  /** Which canvases were drawn on (wrappers of the drawing calls, `canvas-watch.ts`), with `canvasCode`. */
  let drawings: CanvasDrawings | null = null;
  /** The windows whose prototypes the capture wraps, with what restores their drawing members. */
  const drawingWatches = new Map<Window, (() => void) | null>();
  /** Canvas pictures ready to go with the next flush. */
  const pictures = new Map<Element, string>();
  /** Frame elements that fired `load` since the last flush (their document may have changed). */
  const loaded = new Set<Element>();
  /** Frame documents observed now, with what removes their listeners. */
  const watched = new Map<Document, () => void>();
  /** The restriction match the agent has: that of the last snapshot or batch. */
  let sent: RestrictionMatch = EMPTY_MATCH;
  /** Rules changed, or the URL did: the next flush must recompute the match. */
  let restrictionsDirty = false;
  let lastUrl = doc.URL;
  let lastPage = { url: doc.URL, title: doc.title };
  /** A flush is queued as a microtask (cancelled by clearing the flag), or on a timer. */
  let microtaskQueued = false;
  let timerHandle: ReturnType<typeof setTimeout> | 0 = 0;
  /** When the last flush ran (`performance.now()`). */
  let lastFlush = -Infinity;
  let sendChain: Promise<void> = Promise.resolve();

  /** Wraps a callback the page's event loop calls: an error is reported, never thrown at the page. */
  const boundary =
    <A extends unknown[]>(what: string, fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (err) {
        report(`error in ${what}`, err);
      }
    };

  /**
   * Counts full snapshots queued. A frame still waiting for its turn when a newer full snapshot is
   * queued is not encoded nor sent: that snapshot replaces it (and the viewer expects nothing
   * before a full snapshot), so a snapshot request that arrives while an earlier one is still being
   * encoded costs one large frame, not two.
   */
  let fullGeneration = 0;

  /** Frames queued by `send` and not yet sent or dropped (see `IN_FLIGHT_LIMIT`). */
  let inFlight = 0;
  /** A flush was put off until the encoder catches up (`ENCODE_AHEAD`). */
  let waitingForEncoder = false;

  /** The clock of time-sliced work (`snapshot.ts`): the snapshot's walk and the writing of its frame. */
  const slicer = createSlicer();
  /**
   * What snapshots need not read again (`SnapshotMemory`): `<link>` sheets' text until script
   * changes the sheet (`onSheet`), and the elements seen scrolled (`onScroll`).
   */
  const memory: SnapshotMemory = { linkCss: new WeakMap(), scroll: { scrolled: new WeakSet(), all: true } };
  /** The snapshot being walked (time-sliced): batches wait until it is sent. */
  let snapshotRun: { cancel(): void } | null = null;
  /** How many of `pending` the snapshot's walk has been told of. */
  let seen = 0;
  /**
   * The walk paused: the match the agent has (`sent`, the marks the walk sent) mixes moments of the
   * walk, so the next batch takes the whole match again instead of updating it from the records.
   */
  let matchWhole = false;

  /**
   * `split`: the frame is written in parts, yielding between slices (a large full snapshot).
   * Otherwise, when no frame is queued ahead of it, the frame is written now, and sent now when it
   * is not compressed (`encodeFrame`): a small snapshot or batch goes out in the task that made
   * it, without the queue's promise hops.
   */
  const send = (kind: FrameKind, payload: unknown, split?: Set<object>) => {
    if (canvasPoll === 0 && ctx.canvasSerialized) canvasPoll = setInterval(canvasTick, CANVAS_POLL_MS);
    const frameSeq = seq;
    seq = (seq + 1) >>> 0;
    if (kind === FrameKind.Full) fullGeneration += 1;
    let ready: ReturnType<typeof encodeFrame> | null = null;
    if (split === undefined && inFlight === 0 && !stopped) {
      try {
        ready = withoutArrayToJSON(() => encodeFrame(kind, frameSeq, payload));
        if (ready instanceof Uint8Array) {
          sink.sendFrame(ready);
          return;
        }
      } catch (err) {
        report('could not encode a frame', err);
        return;
      }
    }
    inFlight += 1;
    const generation = fullGeneration;
    const current = () => !stopped && generation === fullGeneration;
    sendChain = sendChain
      .then(() => {
        if (!current()) return null;
        if (ready !== null) return ready;
        // encodeFrame serializes at once, inside the guard.
        if (split === undefined) return withoutArrayToJSON(() => encodeFrame(kind, frameSeq, payload));
        return encodeFrameParts(kind, frameSeq, payload, {
          split,
          stringify: (v) => withoutArrayToJSON(() => JSON.stringify(v)),
          // A newer snapshot or stop() gives this one up.
          pause: () => (slicer.over() ? slicer.next().then(current) : null),
        });
      })
      .then((bytes) => {
        if (bytes && !stopped) sink.sendFrame(bytes);
      })
      .catch((err) => report('could not encode a frame', err))
      .finally(() => {
        inFlight -= 1;
        // A flush that waited for the encoder (see `ENCODE_AHEAD`) runs now.
        if (waitingForEncoder && inFlight < ENCODE_AHEAD) {
          waitingForEncoder = false;
          schedule();
        }
      });
  };

  /**
   * Asks for a flush. The first change after a quiet spell is flushed in a microtask queued now:
   * from the MutationObserver callback, that is at the end of the task that changed the page,
   * after the records of its script and earlier microtasks (rrweb emits from the callback
   * itself). Changes that come sooner than `FLUSH_INTERVAL_MS` after the last flush wait for a
   * timer at that interval, so a page that changes in every task or every microtask gets at most
   * one batch per interval plus one, not one per change. No animation frame is involved: a
   * background tab flushes too.
   */
  const schedule = () => {
    if (stopped || microtaskQueued || timerHandle) return;
    const wait = lastFlush + FLUSH_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      microtaskQueued = true;
      queueMicrotask(() => {
        if (!microtaskQueued) return;
        microtaskQueued = false;
        flushSafely();
      });
    } else {
      timerHandle = setTimeout(flushSafely, Math.ceil(wait));
    }
  };

  /**
   * True when a flush asked for now runs in this task (a microtask, see `schedule`) and will not
   * wait for the encoder: the records pending are not held beyond it.
   */
  const flushesNow = () =>
    snapshotRun === null &&
    inFlight < ENCODE_AHEAD &&
    (microtaskQueued || (timerHandle === 0 && lastFlush + FLUSH_INTERVAL_MS - performance.now() <= 0));

  const unschedule = () => {
    microtaskQueued = false;
    if (timerHandle) clearTimeout(timerHandle);
    timerHandle = 0;
  };

  const clearPending = () => {
    const records = observer.takeRecords();
    // Their ops are superseded (a full snapshot follows): only the ids of removed nodes are
    // forgotten, without serializing anything.
    if (pending.length) forgetRemoved(pending, ctx);
    if (records.length) forgetRemoved(records, ctx);
    pending = [];
    // A walk in progress has been told of none of the new list (a full snapshot follows it).
    seen = 0;
    values.clear();
    scrolls.clear();
    loaded.clear();
    sheets.clear();
    fontsDirty = false;
    animations.clear();
    shadowHosts.clear();
    toggled.clear();
    media.clear();
    chosen.clear();
    pictures.clear();
    viewportChanged = false;
  };

  /**
   * Takes a full snapshot, time-sliced (`snapshot.ts`); replaces one still being walked. Until it
   * is sent, batches wait (`flush` does nothing); the records of the walk's pauses stay pending for
   * the first batch after it, diffed against the marks the snapshot carried.
   */
  const fullSnapshot = () => {
    if (stopped) return;
    try {
      snapshotRun?.cancel();
      snapshotRun = null;
      unschedule();
      clearPending();
      needFull = false;
      restrictionsDirty = false;
      lastUrl = doc.URL;
      seen = 0;
      /** False once the walk ended (at once on a page that fits in one slice). */
      let walking = true;
      /** The walk paused at least once: flushes were held back meanwhile. */
      let paused = false;
      const run = takeSnapshot(ctx, slicer, {
        records() {
          for (const r of observer.takeRecords()) pending.push(r);
          const out = pending.slice(seen);
          seen = pending.length;
          return out;
        },
        paused(frames) {
          paused = true;
          // Frame documents and shadow roots walked so far: their changes while the walk pauses
          // are recorded too.
          watchFrames(frames);
          syncShadowRoots();
        },
        done({ snapshot, sent: marks, scope, split, frames }) {
          walking = false;
          snapshotRun = null;
          uiSent = uiState(ctx, pointer, scope);
          uiDirty = false;
          selectionDirty = false;
          if (!isEmptyUiState(uiSent)) snapshot.ui = uiSent;
          const { an, wa } = snapshotAnimations(ctx, scope);
          if (an.length > 0) snapshot.an = an;
          if (wa.length > 0) snapshot.wa = wa;
          send(FrameKind.Full, snapshot, split);
          // Every element was read once, and the scroll listeners heard since: later snapshots
          // read the offsets of the elements seen scrolled only.
          memory.scroll.all = false;
          sent = marks;
          // The new replica's canvases are blank: send every picture again.
          canvasSent = new WeakMap();
          canvasEncoded = new WeakMap();
          // Every frame document the snapshot carries is observed (those that left are let go
          // by the next batch's `syncFrames`): no query of the whole page here.
          watchFrames(frames);
          syncShadowRoots();
          sentFull = true;
          // Changes made while the walk paused, and batches held back meanwhile.
          if (paused) {
            matchWhole = true;
            schedule();
          }
        },
        failed(err) {
          walking = false;
          snapshotRun = null;
          report('could not take a snapshot', err);
        },
      }, memory);
      if (walking) snapshotRun = run;
    } catch (err) {
      report('could not take a snapshot', err);
    }
  };

  /**
   * Tells the server a new URL or title (the title masked like the `<title>` it comes from, by
   * `match` or, when none was computed, by the match of now).
   */
  const checkPage = (match: RestrictionMatch | null) => {
    if (doc.URL !== lastPage.url || doc.title !== lastPage.title) {
      lastPage = { url: doc.URL, title: doc.title };
      const scope = createMaskScope(ctx, match ?? ctx.match());
      sink.pageChanged({ url: lastPage.url, title: maskedTitle(doc, scope) });
    }
  };

  function flush() {
    unschedule();
    // A snapshot being walked: it schedules a flush when it is done.
    if (stopped || snapshotRun !== null) return;
    if (inFlight >= ENCODE_AHEAD && !needFull) {
      // The encoder is behind: the changes wait and go out as one larger batch when it has
      // caught up, rather than as a queue of frames (records stay bounded by PENDING_LIMIT).
      waitingForEncoder = true;
      return;
    }
    lastFlush = performance.now();
    try {
      if (doc.URL !== lastUrl) {
        lastUrl = doc.URL;
        restrictionsDirty = true;
      }
      pending.push(...observer.takeRecords());
      // Frames whose document is not the one the agent has (a load, a navigation inside the frame).
      const reloaded: Element[] = [];
      for (const el of loaded) {
        const shown = ctx.shownIn(el);
        if (shown !== undefined && ctx.mirror.getId(el) !== undefined && frameContent(el) !== shown) reloaded.push(el);
      }
      loaded.clear();
      for (const host of shadowHosts) {
        if (ctx.mirror.getId(host) !== undefined && ctx.dom.shadowRoot(host) !== null) reloaded.push(host);
      }
      shadowHosts.clear();
      // Scroll and resize alone change no content: they keep the match the agent has. Otherwise
      // the match is updated from the records (`updateMatch`: the agent's match, `sent`, is that
      // of the last batch or snapshot, and `pending` holds every record since), or computed again
      // when the rules or the URL changed.
      const contentChanged = pending.length > 0 || values.size > 0 || restrictionsDirty || reloaded.length > 0;
      // (A full snapshot due replaces the batch and computes its own match.)
      const fresh =
        contentChanged && sentFull && !needFull ? (restrictionsDirty || matchWhole ? ctx.match() : ctx.updateMatch(sent, pending)) : null;
      if (fresh !== null) matchWhole = false;
      checkPage(fresh);
      if (!sentFull) return;
      if (sink.bufferedAmount() > BACKLOG_LIMIT || inFlight > IN_FLIGHT_LIMIT) {
        // The network cannot keep up: drop the detail, resend the whole page once it has drained.
        clearPending();
        needFull = true;
        schedule();
        return;
      }
      if (needFull) {
        fullSnapshot();
        return;
      }
      const match = fresh ?? sent;
      const ops: Op[] = contentChanged ? mutationsToOps(pending, ctx, { before: sent, after: match }, reloaded) : [];
      if (contentChanged) {
        syncFrames();
        syncShadowRoots();
      }
      // Stylesheet changes no record reports (CSSOM calls, adopted sheets): not content, no match.
      const cssSent = new Set<number>();
      for (const op of ops) if (op.o === 'css') cssSent.add(op.i);
      for (const op of stylesheetOps(ctx, sheets, cssSent)) ops.push(op);
      sheets.clear();
      if (fontsDirty) {
        fontsDirty = false;
        for (const op of fontOps(ctx)) ops.push(op);
      }
      for (const el of toggled) {
        const op = topLayerOp(el, ctx);
        if (op !== null) ops.push(op);
      }
      toggled.clear();
      if (media.size > 0 || chosen.size > 0 || pictures.size > 0 || animations.size > 0) {
        const scope = createMaskScope(ctx, match);
        for (const anim of animations) {
          const op = scriptAnimationOp(anim, ctx, scope);
          if (op !== null) ops.push(op);
        }
        animations.clear();
        for (const el of media) {
          const op = mediaOp(el, ctx, scope);
          if (op !== null) ops.push(op);
        }
        for (const el of chosen) {
          const op = chosenSourceOp(el, ctx, scope);
          if (op !== null) ops.push(op);
        }
        for (const [el, src] of pictures) {
          const i = ctx.mirror.getId(el);
          // Masked since it was encoded (or gone): never sent.
          if (i === undefined || scope.isMasked(el)) continue;
          canvasSent.set(el, src);
          ops.push({ o: 'canvas', i, src });
        }
        media.clear();
        chosen.clear();
        pictures.clear();
      }
      if (uiDirty) {
        uiDirty = false;
        // Hover, press and focus alone keep the selection the agent has (reading it forces a
        // layout: a page changing under a resting mouse gets a mouseover every frame).
        const now = uiState(ctx, pointer, createMaskScope(ctx, match), selectionDirty ? undefined : uiSent);
        selectionDirty = false;
        if (!sameUiState(now, uiSent)) {
          uiSent = now;
          ops.push({ o: 'ui', s: now });
        }
      }
      sent = match;
      restrictionsDirty = false;
      pending = [];
      if (values.size) {
        const scope = createMaskScope(ctx, match);
        for (const el of withRadioGroups(values)) ops.push(...formStateOps(el, ctx, scope));
      }
      values.clear();
      for (const target of scrolls) {
        const op = scrollOp(target, ctx);
        if (op) ops.push(op);
      }
      scrolls.clear();
      if (viewportChanged) {
        ops.push({ o: 'vp', w: win.innerWidth, h: win.innerHeight });
        viewportChanged = false;
      }
      if (ops.length) send(FrameKind.Incremental, { ops });
    } catch (err) {
      report('could not capture changes', err);
      needFull = true;
    }
  }

  const flushSafely = boundary('a capture flush', flush);

  // The context's constructor: a pristine one when the page replaced `window.MutationObserver`.
  const observer = new ctx.MutationObserver(
    boundary('the mutation observer', (records: MutationRecord[]) => {
      if (needFull) {
        // A full snapshot replaces these changes: nothing is kept of them but forgotten ids.
        forgetRemoved(records, ctx);
      } else {
        // The callback's array is ours: the first records since a flush are kept as they come
        // (a burst's 10,000 records are not copied one by one).
        if (pending.length === 0) pending = records;
        else for (const r of records) pending.push(r);
        if (pending.length > (pending.length <= BURST_LIMIT && flushesNow() ? BURST_LIMIT : PENDING_LIMIT)) {
          // More than one batch should carry (memory, and a flush's task): resync.
          if (snapshotRun !== null) {
            // A walk in progress could not be told of dropped records (which nodes moved, what
            // to match again): it starts over.
            fullSnapshot();
            return;
          }
          clearPending();
          needFull = true;
        }
      }
      schedule();
    }),
  );
  observer.observe(doc, OBSERVE);

  /**
   * The form state of `el` changed (an `input` or `change` event, or a setter script called): the
   * next batch sends its control's state (`formStateOps`), for elements the agent has.
   */
  const noteValue = (el: Element): void => {
    const control = formControlOf(el, ctx.dom);
    if (ctx.mirror.getId(control) === undefined) return;
    values.add(control);
    schedule();
  };
  const onInput = boundary('an input listener', (ev: Event) => {
    const t = originalTarget(ev);
    if (isElement(t)) noteValue(t);
  });
  const onScroll = boundary('a scroll listener', (ev: Event) => {
    const t = originalTarget(ev);
    if (isElement(t) || (t !== null && (t as Node).nodeType === 9)) {
      if (isElement(t)) memory.scroll.scrolled.add(t);
      scrolls.add(t as Element | Document);
      schedule();
    }
  });
  const onLoad = boundary('a load listener', (ev: Event) => {
    const t = ev.target;
    if (!isElement(t)) return;
    if (isFrameElement(t)) {
      loaded.add(t);
      ctx.framesChanged();
      schedule();
    } else if (chosenSource(t) !== undefined) {
      // An image that chooses among candidates loaded a file: maybe another one (`cs`). Plain
      // images' loads cost no flush.
      chosen.add(t);
      schedule();
    }
  });
  const onInteraction = boundary('an interaction listener', (ev: Event) => {
    switch (ev.type) {
      case 'mouseover': {
        const t = originalTarget(ev);
        pointer.hovered = isElement(t) ? t : null;
        break;
      }
      case 'mouseout':
      case 'focusout':
        // Towards another element: its `mouseover` / `focusin` follows in the same task and says
        // where the pointer or focus went. Flushing here too would send a state in between and
        // put the real one off by `FLUSH_INTERVAL_MS` (a layout that moves content under a resting
        // mouse ends with this pair).
        if ((ev as MouseEvent | FocusEvent).relatedTarget !== null) return;
        // Out of the page's window (towards no element): nothing is hovered.
        if (ev.type === 'mouseout' && (ev.target as Node | null)?.ownerDocument === doc) pointer.hovered = null;
        break;
      case 'pointerdown': {
        const t = originalTarget(ev);
        pointer.active = isElement(t) ? t : null;
        break;
      }
      case 'pointerup':
      case 'pointercancel':
        pointer.active = null;
        break;
      case 'selectionchange':
        selectionDirty = true;
        break;
    }
    uiDirty = true;
    schedule();
  });
  const onToggle = boundary('a toggle listener', (ev: Event) => {
    const t = originalTarget(ev);
    if (isElement(t)) {
      toggled.add(t);
      schedule();
    }
  });
  const onMedia = boundary('a media listener', (ev: Event) => {
    const t = originalTarget(ev);
    if (isElement(t)) {
      media.add(t);
      schedule();
    }
  });
  const mediaEvents = ['play', 'pause', 'seeked', 'ratechange', 'ended'];
  /**
   * Encodes the canvases of `d` (a document or a shadow root the capture observes) that the agent
   * has, that are not masked and whose picture may have changed: drawn on since their last
   * encoding, never encoded since the last full snapshot, drawn where no wrapper sees it
   * (`untracked`), or last encoded `CANVAS_FALLBACK_MS` ago (drawing the wrappers missed).
   */
  const pollCanvases = (d: ParentNode, scope: ReturnType<typeof createMaskScope>, now: number, code: CanvasChunk, drawn: CanvasDrawings) => {
    const canvases = d.querySelectorAll('canvas');
    for (let k = 0; k < canvases.length; k++) {
      const canvas = canvases[k] as Element;
      if (encoding.has(canvas) || ctx.mirror.getId(canvas) === undefined || scope.isMasked(canvas)) continue;
      const encoded = canvasEncoded.get(canvas);
      const due = drawn.take(canvas) || encoded === undefined || drawn.untracked(canvas) || now - encoded >= CANVAS_FALLBACK_MS;
      if (!due) continue;
      canvasEncoded.set(canvas, now);
      encoding.add(canvas);
      void code.canvasImage(canvas).then((src) => {
        encoding.delete(canvas);
        if (stopped || src === null || canvasSent.get(canvas) === src) return;
        pictures.set(canvas, src);
        schedule();
      });
    }
  };
  const pollAllCanvases = boundary('the canvas watch', () => {
    if (!sentFull || stopped || canvasCode === null || drawings === null) return;
    const scope = createMaskScope(ctx, sent);
    const now = performance.now();
    pollCanvases(doc, scope, now, canvasCode, drawings);
    for (const d of watched.keys()) pollCanvases(d, scope, now, canvasCode, drawings);
    for (const root of watchedRoots) pollCanvases(root, scope, now, canvasCode, drawings);
  });
  let canvasLoadFailed = false;
  /** Loads the chunk `canvas` (once; a failed load is tried again at the next poll), then watches drawing. */
  const loadCanvases = () => {
    if (canvasLoading) return;
    canvasLoading = true;
    loadCanvasCode().then(
      (code) => {
        if (stopped) return;
        canvasCode = code;
        drawings = code.createCanvasDrawings(createPrototypeWatch);
        for (const w of drawingWatches.keys()) drawingWatches.set(w, drawings.watch(w));
        pollSoon();
      },
      (err: unknown) => {
        if (!canvasLoadFailed) report('could not load the canvas code', err);
        canvasLoadFailed = true;
        canvasLoading = false;
      },
    );
  };
  // Read inside an animation frame callback: a WebGL canvas whose page draws every frame (in its
  // own callback, registered earlier, so run first) has its picture there even when its drawing
  // buffer is not preserved (webgl.ts). A hidden page runs no frame callbacks: read at once.
  // At most one frame callback waits (a page whose frames are throttled does not pile them up).
  let canvasFrame = 0;
  /** A page without canvases (shadow roots aside) asks for no frame: an idle frame costs the page. */
  const maybeCanvases = (): boolean => {
    if (watchedRoots.size > 0 || doc.getElementsByTagName('canvas').length > 0) return true;
    for (const d of watched.keys()) if (d.getElementsByTagName('canvas').length > 0) return true;
    return false;
  };
  const pollSoon = () => {
    if (doc.visibilityState === 'hidden') pollAllCanvases();
    else if (canvasFrame === 0) {
      canvasFrame = win.requestAnimationFrame(() => {
        canvasFrame = 0;
        pollAllCanvases();
      });
    }
  };
  const canvasTick = boundary('the canvas timer', () => {
    if (!sentFull || stopped || !maybeCanvases()) return;
    if (canvasCode === null) loadCanvases();
    else pollSoon();
  });
  /** The canvas timer, started by the first frame sent after a canvas was serialized (`send`). */
  let canvasPoll: ReturnType<typeof setInterval> | 0 = 0;
  const interactionEvents = ['mouseover', 'mouseout', 'pointerdown', 'pointerup', 'pointercancel', 'focusin', 'focusout', 'selectionchange'];
  const listenerOptions = { capture: true, passive: true } as const;
  /**
   * What the capture listens to on the page's document, each watched frame document and each
   * watched shadow root (in a shadow root, scroll does not reach the document, and hover and focus
   * moving inside one tree never leave it: handled twice when they do, idempotent — the state is
   * taken from the event's original target).
   */
  const nodeListeners: [string, (ev: Event) => void][] = [
    ['input', onInput],
    ['change', onInput],
    ['scroll', onScroll],
    ['load', onLoad],
    ['toggle', onToggle],
    ...interactionEvents.map((t): [string, (ev: Event) => void] => [t, onInteraction]),
    ...mediaEvents.map((t): [string, (ev: Event) => void] => [t, onMedia]),
  ];
  /** Adds (`on`) or removes the capture's listeners (`nodeListeners`) on `target`. */
  const listen = (target: EventTarget, on: boolean): void => {
    for (const [type, handler] of nodeListeners) {
      if (on) target.addEventListener(type, handler, listenerOptions);
      else target.removeEventListener(type, handler, listenerOptions);
    }
  };

  /** Observes frame document `d` like the page: mutations, input, scroll, frame loads. */
  const watch = (d: Document): (() => void) => {
    observer.observe(d, OBSERVE);
    const frameWin = d.defaultView;
    const unwatchFrame = frameWin !== null && frameWin !== win ? watchWindow(frameWin) : null;
    listen(d, true);
    return () => {
      listen(d, false);
      unwatchFrame?.();
    };
  };

  /**
   * Watches the frame documents the capture shows now and lets go of those it no longer does (a
   * MutationObserver cannot stop observing one node: records of a document that left walk up to
   * nothing and produce no ops).
   */
  /**
   * Observes the shadow roots serialized since the last call (input and change inside a root reach
   * the document retargeted to the host, scroll not at all: the root gets its own listeners) and
   * lets go of roots whose host left the page.
   */
  function syncShadowRoots(): void {
    for (const root of ctx.takeNewShadowRoots()) {
      if (watchedRoots.has(root)) continue;
      watchedRoots.add(root);
      observer.observe(root, OBSERVE);
      listen(root, true);
    }
    for (const root of watchedRoots) {
      if (!root.host.isConnected) unwatchRoot(root);
    }
  }

  function unwatchRoot(root: ShadowRoot): void {
    watchedRoots.delete(root);
    listen(root, false);
  }

  function watchFrames(docs: readonly Document[]): void {
    for (const d of docs) if (d !== doc && !watched.has(d)) watched.set(d, watch(d));
  }

  function syncFrames(): void {
    // The documents of the flush's match (no query of the page).
    const docs = ctx.knownDocuments();
    for (const d of docs) {
      if (d !== doc && !watched.has(d)) watched.set(d, watch(d));
    }
    for (const [d, off] of watched) {
      if (!docs.includes(d)) {
        off();
        watched.delete(d);
      }
    }
  }
  const onSheet = (sheet: CSSStyleSheet): void => {
    sheets.add(sheet);
    memory.linkCss.delete(sheet);
    schedule();
  };
  const onShadow = (host: Element): void => {
    shadowHosts.add(host);
    schedule();
  };
  const fontWatch: FontFaceWatch = {
    constructed: (face, source, w) => recordFontSource(ctx, face, source, w.document.baseURI),
    changed: () => {
      fontsDirty = true;
      schedule();
    },
  };
  const animationWatch: AnimationWatch = {
    changed: (anim) => {
      animations.add(anim);
      schedule();
    },
  };
  /**
   * Wraps the prototypes of window `w` (the page's, or a watched frame's) for what no observer or
   * event reports: CSSOM calls and adopted sheets, shadow roots (closed ones kept, so that they are
   * captured), form state set by script, drawing on canvases, font faces and animations made by
   * script. Returns what restores them.
   */
  function watchWindow(w: Window): () => void {
    const sheetWatch = watchStylesheets(w, onSheet, schedule);
    const shadowWatch = watchShadowRoots(w, ctx.dom, onShadow);
    const formWatch = watchFormState(w, noteValue);
    drawingWatches.set(w, drawings !== null ? drawings.watch(w) : null);
    const fontsWatch = watchFonts(w, fontWatch);
    const animationsWatch = watchScriptAnimations(w, animationWatch);
    return () => {
      sheetWatch.unwatch();
      shadowWatch.unwatch();
      formWatch.unwatch();
      drawingWatches.get(w)?.();
      drawingWatches.delete(w);
      fontsWatch.unwatch();
      animationsWatch.unwatch();
    };
  }
  const unwatchTop = watchWindow(win);
  const onResize = boundary('a resize listener', () => {
    viewportChanged = true;
    scrolls.add(doc);
    schedule();
  });
  const onNavigation = boundary('a navigation listener', schedule);
  // pushState / replaceState fire no window event: the Navigation API reports them where it
  // exists; elsewhere a timer compares the URL (a string compare, only while capturing).
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  const watchesNavigation = typeof navigation?.addEventListener === 'function';
  if (watchesNavigation) navigation.addEventListener('currententrychange', onNavigation);
  const urlPoll = watchesNavigation
    ? 0
    : setInterval(
        boundary('the URL watch', () => {
          if (doc.URL !== lastUrl) schedule();
        }),
        URL_POLL_MS,
      );
  listen(doc, true);
  win.addEventListener('resize', onResize, listenerOptions);
  win.addEventListener('popstate', onNavigation, listenerOptions);
  win.addEventListener('hashchange', onNavigation, listenerOptions);

  return {
    fullSnapshot,
    restrictionsChanged() {
      restrictionsDirty = true;
      schedule();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      snapshotRun?.cancel();
      unschedule();
      if (watchesNavigation) navigation?.removeEventListener('currententrychange', onNavigation);
      if (urlPoll) clearInterval(urlPoll);
      observer.disconnect();
      unwatchTop();
      for (const root of [...watchedRoots]) unwatchRoot(root);
      for (const off of watched.values()) off();
      watched.clear();
      listen(doc, false);
      if (canvasPoll) clearInterval(canvasPoll);
      if (canvasFrame !== 0) win.cancelAnimationFrame(canvasFrame);
      win.removeEventListener('resize', onResize, listenerOptions);
      win.removeEventListener('popstate', onNavigation, listenerOptions);
      win.removeEventListener('hashchange', onNavigation, listenerOptions);
    },
  };
}
