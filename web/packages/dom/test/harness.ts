/**
 * Mutation test harness: a source document observed like the SDK does, its replica built from the
 * initial snapshot, and a `sync()` that turns the pending records into ops (through JSON, like the
 * wire), applies them, and asserts that the replica equals the source node for node with the same
 * ids on both sides.
 *
 * Restrictions: like the SDK's capture, the harness keeps the match the agent has (`sent`) and
 * diffs every batch against it. `check()` compares the source serialized masked by its rules with
 * the replica serialized masked by the marks the viewer got (`data-cobrowse-restricted`): masking is
 * idempotent, so they are equal exactly when the replica shows the masked page with the right marks.
 */

import { JSDOM } from 'jsdom';
import { expect } from 'vitest';
import type { NodeId, Op, SerializedNode } from '@cobrowse/protocol';
import {
  RESTRICTED_ATTRIBUTE,
  applyOps,
  createCaptureContext,
  createMaskScope,
  formStateOps,
  createReplicaMirror,
  mutationsToOps,
  rebuildDocument,
  serializeDocument,
  type ApplyResult,
  type CaptureContext,
  type ReplicaMirror,
  type RestrictionMatch,
  type RestrictionRule,
} from '../src/index';
import { lookupMirror, PAGE_URL, wire } from './helpers';

export interface Mirrored {
  src: Document;
  win: Window & typeof globalThis;
  ctx: CaptureContext;
  rep: Document;
  mirror: ReplicaMirror;
  /**
   * Records → ops → replica, without checking; `values`: elements whose form state changed without
   * a record (what the SDK learns from input events), sent after the mutation ops.
   */
  flush(values?: Iterable<Element>): { ops: Op[]; result: ApplyResult };
  /** Asserts that the replica equals the source (structure and ids). */
  check(): void;
  /** flush + check. */
  sync(values?: Iterable<Element>): { ops: Op[]; result: ApplyResult };
  /** The restriction match the replica has (of the last snapshot or flush). */
  readonly sent: RestrictionMatch;
}

/** The marks a replica carries, as a match (what the viewer was told). */
export function replicaMatch(doc: Document): RestrictionMatch {
  const mask = new Set<Element>();
  const control = new Set<Element>();
  for (const el of doc.querySelectorAll(`[${RESTRICTED_ATTRIBUTE}]`)) {
    const v = el.getAttribute(RESTRICTED_ATTRIBUTE);
    if (v === 'mask') mask.add(el);
    else if (v === 'control') control.add(el);
  }
  return { mask, control };
}

/** Ids of nodes a mirror did not know come out negative, from a different range on each side. */
function serializeSide(
  doc: Document,
  lookup: (n: Node) => NodeId | undefined,
  missingFrom: number,
  match: RestrictionMatch,
  isService?: (el: Element) => boolean,
) {
  const mirror = lookupMirror(lookup);
  let missing = missingFrom;
  mirror.assign = (node) => lookup(node) ?? --missing;
  return withoutBackgroundSizes(
    serializeDocument(createCaptureContext(doc, { mirror, ...(isService ? { isService } : {}) }), match).doc,
  );
}

/**
 * Drops `sz` from elements that are not images: on the page it says "this masked element paints a
 * CSS background image", which the replica (whose masked `style`s lost their `url(...)`) cannot say
 * again. Images keep theirs (both sides carry it).
 */
function withoutBackgroundSizes<T extends SerializedNode>(root: T): T {
  const images = new Set(['img', 'video', 'canvas', 'input', 'image']);
  const stack: SerializedNode[] = [root];
  while (stack.length) {
    const node = stack.pop() as SerializedNode;
    if (node.t === 1 && node.sz !== undefined && !images.has(node.n)) delete node.sz;
    if ((node.t === 1 || node.t === 9) && node.c) stack.push(...node.c);
  }
  return root;
}

/** Number of nodes in a serialization. */
export function countNodes(root: SerializedNode): number {
  let n = 0;
  const stack = [root];
  while (stack.length) {
    const node = stack.pop() as SerializedNode;
    n++;
    if ((node.t === 1 || node.t === 9) && node.c) stack.push(...node.c);
  }
  return n;
}

/** Negative ids (nodes the mirror did not know) in a serialization. */
export function unknownIds(root: SerializedNode): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const node = stack.pop() as SerializedNode;
    if (node.i < 0) out.push(node.i);
    if ((node.t === 1 || node.t === 9) && node.c) stack.push(...node.c);
  }
  return out;
}

/**
 * `html` observed and mirrored. By default each side is a new jsdom window (what a page and the
 * viewer's iframe are); with `shared`, both are window-less documents of that window (DOMParser,
 * createHTMLDocument), which is 30 times faster to set up, for tests that run thousands of cases.
 */
export function mirrored(
  html: string,
  opts: { runScripts?: boolean; shared?: Window & typeof globalThis; rules?: RestrictionRule[] } = {},
): Mirrored {
  let win: Window & typeof globalThis;
  let src: Document;
  let rep: Document;
  const shared = opts.shared;
  if (shared) {
    win = shared;
    src = new shared.DOMParser().parseFromString(html, 'text/html');
    rep = shared.document.implementation.createHTMLDocument('');
  } else {
    const dom = new JSDOM(html, {
      url: PAGE_URL,
      ...(opts.runScripts ? { runScripts: 'dangerously' as const } : {}),
    });
    win = dom.window as unknown as Window & typeof globalThis;
    src = win.document;
    rep = new JSDOM('').window.document;
  }
  const ctx = createCaptureContext(src);
  if (opts.rules) ctx.restrictions.setRules(opts.rules);
  const mirror = createReplicaMirror();
  let sent = ctx.match();
  rebuildDocument(wire(serializeDocument(ctx, sent)), rep, mirror);
  const observer = new win.MutationObserver(() => undefined);
  observer.observe(src, { childList: true, attributes: true, characterData: true, subtree: true });
  // As the capture does: the match updated from the records, computed again when the rules or the
  // URL changed.
  let version = ctx.restrictions.version;
  let url = src.URL;

  const flush = (values?: Iterable<Element>) => {
    const records = observer.takeRecords();
    const stale = ctx.restrictions.version !== version || src.URL !== url;
    version = ctx.restrictions.version;
    url = src.URL;
    const after = stale ? ctx.match() : ctx.updateMatch(sent, records);
    const raw = mutationsToOps(records, ctx, { before: sent, after });
    if (values) {
      const scope = createMaskScope(ctx, after);
      for (const el of values) raw.push(...formStateOps(el, ctx, scope));
    }
    const ops = wire(raw);
    sent = after;
    const result = applyOps(ops, rep, mirror);
    return { ops, result };
  };
  const check = () => {
    // The source is serialized with the capture context's service elements (markService) and
    // rules; the replica with the marks it carries.
    const expected = serializeSide(
      src,
      (n) => ctx.mirror.getId(n),
      -1_000_000,
      ctx.restrictions.match(),
      (el) => ctx.isService(el),
    );
    const actual = serializeSide(rep, (n) => mirror.getId(n), -2_000_000, replicaMatch(rep));
    expect(unknownIds(expected), 'source nodes the capture mirror does not know').toEqual([]);
    expect(unknownIds(actual), 'replica nodes the replica mirror does not know').toEqual([]);
    // Fast path through JSON (also fine for very deep trees); toEqual gives the diff on failure.
    if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual).toEqual(expected);
    // No stale registrations on the replica side: every registered node is in the document.
    expect(mirror.size).toBe(countNodes(actual));
  };
  return {
    src,
    win,
    ctx,
    rep,
    mirror,
    flush,
    check,
    get sent() {
      return sent;
    },
    sync(values?: Iterable<Element>) {
      const r = flush(values);
      check();
      return r;
    },
  };
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
