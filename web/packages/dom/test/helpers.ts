/**
 * Test helpers: documents from HTML with jsdom (scripts never run), the corpus location, and
 * serializations whose ids are taken from a given mirror so that two trees can be compared node
 * for node, ids included.
 */

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';
import type { FullSnapshot, NodeId, SerializedNode } from '@cobrowse/protocol';
import {
  createCaptureContext,
  createReplicaMirror,
  rebuildDocument,
  restoreImplicitIds,
  serializeDocument,
  type CaptureContext,
  type CaptureMirror,
  type ReplicaMirror,
} from '../src/index';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root: web/packages/dom/test → ../../../.. */
export const repoRoot = path.resolve(here, '../../../..');
/** In CI the repository is cloned with `shared/` beside it. */
export const corpusRoot = path.resolve(repoRoot, '../shared/corpus/rrweb-fixtures');

/** Every `.html` file directly in the given corpus folders; throws when the corpus is missing. */
export function corpusPages(folders: string[]): string[] {
  if (!existsSync(corpusRoot)) {
    throw new Error(`the test corpus is missing: expected it at ${corpusRoot}`);
  }
  const out: string[] = [];
  for (const folder of folders) {
    const dir = path.join(corpusRoot, folder);
    if (!existsSync(dir)) throw new Error(`corpus folder missing: ${dir}`);
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.html')) out.push(path.join(dir, name));
    }
  }
  return out;
}

export const PAGE_URL = 'http://localhost:3030/html/page.html';

/** A document parsed from `html` (scripts are not run: jsdom's default). */
export function parse(html: string, url = PAGE_URL): Document {
  return new JSDOM(html, { url }).window.document;
}

/** A fresh, empty document to rebuild into (what the viewer's about:blank iframe gives). */
export function blankDocument(): Document {
  return new JSDOM('').window.document;
}

/**
 * A capture mirror that reads ids from `lookup` and never stores anything: nodes without an id get
 * negative ids, which can never equal a real one, so a comparison fails on them.
 */
export function lookupMirror(lookup: (node: Node) => NodeId | undefined): CaptureMirror {
  let missing = 0;
  return {
    getId: lookup,
    getNode: () => undefined,
    assign: (node) => lookup(node) ?? --missing,
    forgetSubtree: () => undefined,
    reset: () => undefined,
  };
}

/** Serialization of `doc` with the ids `mirror` has, without touching `mirror`. */
export function serializeWithIds(doc: Document, lookup: (node: Node) => NodeId | undefined): FullSnapshot {
  return serializeDocument(createCaptureContext(doc, { mirror: lookupMirror(lookup) }));
}

/** Rebuilds a snapshot into a fresh document. */
export function replicaOf(snapshot: FullSnapshot): { doc: Document; mirror: ReplicaMirror } {
  const doc = blankDocument();
  const mirror = createReplicaMirror();
  rebuildDocument(snapshot, doc, mirror);
  return { doc, mirror };
}

/** Snapshot minus what legitimately differs between a page and its replica (the URL). */
export function comparable(snapshot: FullSnapshot): Omit<FullSnapshot, 'url'> {
  const { url: _url, ...rest } = snapshot;
  return { ...rest, doc: renumbered(withoutCanvasContent(rest.doc)) };
}

/**
 * A copy of a serialized tree whose ids are renumbered in document order (`1`, `2`, …), as a fresh
 * mirror numbers them: a canvas's fallback content (original) and the viewer's picture (replica)
 * take ids that the comparison leaves out.
 */
function renumbered<T extends SerializedNode>(root: T): T {
  let next = 1;
  const walk = (node: SerializedNode): SerializedNode => {
    const copy = { ...node, i: next++ } as SerializedNode & { c?: SerializedNode[] };
    const c = (node as { c?: SerializedNode[] }).c;
    if (c !== undefined) copy.c = c.map(walk);
    return copy;
  };
  return walk(root) as T;
}

/**
 * A copy of a serialized tree without the children of HTML `<canvas>` elements: fallback content
 * the replica never builds (its canvases hold the viewer's picture instead, `ensureCanvasPicture`).
 */
export function withoutCanvasContent<T extends SerializedNode>(node: T): T {
  if (node.t !== 1 && node.t !== 9 && node.t !== 11) return node;
  const c = (node as { c?: SerializedNode[] }).c;
  if (c === undefined) return node;
  if (node.t === 1 && node.n === 'canvas' && node.ns === undefined) {
    const { c: _c, ...rest } = node as SerializedNode & { c?: SerializedNode[] };
    return rest as T;
  }
  return { ...node, c: c.map((child) => withoutCanvasContent(child)) };
}

/** A JSON copy (what the wire does to a payload). */
export function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A JSON copy of a snapshot with its implicit ids filled in: the tree as a receiver reads it. */
export function received<T extends FullSnapshot>(snapshot: T): T {
  const copy = wire(snapshot);
  restoreImplicitIds(copy.doc);
  return copy;
}

/** Every string value anywhere in a serialization, with the key it is under. */
export function* strings(value: unknown, key = ''): Generator<[string, string]> {
  const stack: [unknown, string][] = [[value, key]];
  while (stack.length) {
    const [v, k] = stack.pop() as [unknown, string];
    if (typeof v === 'string') yield [k, v];
    else if (Array.isArray(v)) for (const item of v) stack.push([item, k]);
    else if (v && typeof v === 'object') for (const [kk, vv] of Object.entries(v)) stack.push([vv, kk]);
  }
}

export type { CaptureContext };
