/**
 * The customer side's node ↔ id map.
 *
 * Ids are positive integers, the document is always 1, others count up from 2 in the order nodes
 * are first serialized, and an id is never handed to another node while the mirror lives (one
 * mirror per page). A node keeps its id while it stays in the replica, including when it moves: the
 * capture re-sends a moved subtree with the ids it already has. `forgetSubtree` is called when a
 * node leaves the replica for good.
 *
 * Id → node is kept in chunks of `CHUNK` slots indexed by id (ids are dense: assigned in order), not
 * in a `Map`: a page's first snapshot assigns every node an id, and a `Map` of 150,000 entries
 * allocated about 6 MB of hash tables as it grew (in the large-object space, which brings the
 * major collection that traces every DOM wrapper sooner), against 1.2 MB of chunks. A chunk is
 * dropped once all of its nodes are forgotten, so a long session that replaces its nodes (new ids
 * each time) holds chunks only where nodes still live.
 *
 * Node → id is a property of the node under a symbol of the mirror's own (one per `reset`), not a
 * `WeakMap`: a batch or a snapshot assigns an id to every node it writes, and a `WeakMap` entry
 * (the node's identity hash made, an ephemeron table grown and traced by every collection) costs
 * about ten times a property store (1.4 against 0.1 ms for 10,000 new elements in Chromium). The
 * property only says where to look: an id counts when the table's slot holds that very node, so an
 * id forgotten, or copied onto another node (a page's `Object.assign` of nodes, or a hostile page
 * writing it), is no id. A node that refuses the property (a page made it non-extensible) keeps its
 * id in a `WeakMap`. The symbol is not enumerable by `for…in` nor `Object.keys`; only
 * `Object.getOwnPropertySymbols` shows it to the page.
 */

import type { NodeId } from '@cobrowse/protocol';
import { createDomAccess, type DomAccess } from './dom-access';

export interface CaptureMirror {
  /** The node's id, or `undefined` when the agent does not have it. */
  getId(node: Node): NodeId | undefined;
  getNode(id: NodeId): Node | undefined;
  /** The node's id, assigning the next one when it has none. */
  assign(node: Node): NodeId;
  /** Drop the ids of `node` and its current descendants (frame contents included). */
  forgetSubtree(node: Node): void;
  /** Forget everything and start again from 1 (a new page). */
  reset(): void;
}

export const DOCUMENT_ID: NodeId = 1;

/** Slots per chunk of the id → node table (a power of two). */
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;

/**
 * `dom` is used to walk removed subtrees (default: plain property reads); `content` gives the
 * document a frame element's serialization carried, or an element's open shadow root, so that
 * forgetting the element forgets what is inside it too.
 */
export function createCaptureMirror(
  dom: DomAccess = createDomAccess(null),
  content: (el: Element) => Document | ShadowRoot | null = () => null,
): CaptureMirror {
  /** Where a node keeps its id (see the module comment); a new one per `reset`. */
  let key = Symbol('cobrowse node id');
  /** Ids of nodes that refused the property (non-extensible), made at the first such node. */
  let refused: WeakMap<Node, NodeId> | null = null;
  /** Id → node: `chunks[id >> CHUNK_BITS][id & (CHUNK - 1)]`; `live[k]`: nodes in chunk `k`. */
  let chunks: ((Node | undefined)[] | undefined)[] = [];
  let live: number[] = [];
  let next = DOCUMENT_ID + 1;

  /** The node of `id`; `undefined` for anything but a known id (ids come from the agent too). */
  const nodeOf = (id: NodeId): Node | undefined => {
    if (typeof id !== 'number' || id >>> 0 !== id) return undefined;
    return chunks[id >>> CHUNK_BITS]?.[id & (CHUNK - 1)];
  };

  /** The id of `node`: the one it carries when the table's slot of that id holds `node` itself. */
  const idOf = (node: Node): NodeId | undefined => {
    const id = (node as unknown as Record<symbol, unknown>)[key];
    if (typeof id === 'number' && nodeOf(id) === node) return id;
    if (refused === null) return undefined;
    const kept = refused.get(node);
    return kept !== undefined && nodeOf(kept) === node ? kept : undefined;
  };

  const forget = (node: Node): void => {
    const id = idOf(node);
    if (id === undefined) return;
    // The node's property stays (a `delete` would slow every later read of the node): its slot
    // no longer holds the node, which makes it no id.
    refused?.delete(node);
    const k = id >>> CHUNK_BITS;
    const chunk = chunks[k] as (Node | undefined)[];
    chunk[id & (CHUNK - 1)] = undefined;
    live[k] = (live[k] as number) - 1;
    if (live[k] === 0) chunks[k] = undefined;
  };

  const forgetSubtree = (root: Node): void => {
    // Explicit pre-order walk bounded by `root` (no recursion: trees can be thousands deep).
    let node: Node | null = root;
    while (node !== null) {
      forget(node);
      if (node.nodeType === 1) {
        // Frame content or an open shadow root: recursion bounded by the frame depth and by how
        // deep shadow roots nest.
        const inner = content(node as Element);
        if (inner !== null && inner !== root) forgetSubtree(inner);
      }
      let step: Node | null = dom.firstChild(node);
      if (step === null) {
        while (node !== null && node !== root && dom.nextSibling(node) === null) node = dom.parentNode(node);
        step = node === null || node === root ? null : dom.nextSibling(node);
      }
      node = step;
    }
  };

  return {
    getId: idOf,
    getNode: nodeOf,
    assign(node) {
      const existing = idOf(node);
      if (existing !== undefined) return existing;
      const id = node.nodeType === 9 && nodeOf(DOCUMENT_ID) === undefined ? DOCUMENT_ID : next++;
      const tagged = node as unknown as Record<symbol, unknown>;
      try {
        tagged[key] = id;
      } catch {
        // Non-extensible: see below.
      }
      // A node that refused the property (non-extensible, or an accessor a hostile page put in
      // the way): its id is kept aside.
      if (tagged[key] !== id) (refused ??= new WeakMap()).set(node, id);
      const k = id >>> CHUNK_BITS;
      let chunk = chunks[k];
      if (chunk === undefined) {
        chunk = new Array<Node | undefined>(CHUNK).fill(undefined);
        chunks[k] = chunk;
        live[k] = 0;
      }
      chunk[id & (CHUNK - 1)] = node;
      live[k] = (live[k] as number) + 1;
      return id;
    },
    forgetSubtree,
    reset() {
      key = Symbol('cobrowse node id');
      refused = null;
      chunks = [];
      live = [];
      next = DOCUMENT_ID + 1;
    },
  };
}
