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
  let ids = new WeakMap<Node, NodeId>();
  /** Id → node: `chunks[id >> CHUNK_BITS][id & (CHUNK - 1)]`; `live[k]`: nodes in chunk `k`. */
  let chunks: ((Node | undefined)[] | undefined)[] = [];
  let live: number[] = [];
  let next = DOCUMENT_ID + 1;

  /** The node of `id`; `undefined` for anything but a known id (ids come from the agent too). */
  const nodeOf = (id: NodeId): Node | undefined => {
    if (typeof id !== 'number' || id >>> 0 !== id) return undefined;
    return chunks[id >>> CHUNK_BITS]?.[id & (CHUNK - 1)];
  };

  const forget = (node: Node): void => {
    const id = ids.get(node);
    if (id === undefined) return;
    ids.delete(node);
    const k = id >>> CHUNK_BITS;
    const chunk = chunks[k];
    if (chunk === undefined || chunk[id & (CHUNK - 1)] !== node) return;
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
    getId: (node) => ids.get(node),
    getNode: nodeOf,
    assign(node) {
      const existing = ids.get(node);
      if (existing !== undefined) return existing;
      const id = node.nodeType === 9 && nodeOf(DOCUMENT_ID) === undefined ? DOCUMENT_ID : next++;
      ids.set(node, id);
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
      ids = new WeakMap();
      chunks = [];
      live = [];
      next = DOCUMENT_ID + 1;
    },
  };
}
