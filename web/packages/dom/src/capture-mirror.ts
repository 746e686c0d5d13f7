/**
 * The customer side's node ↔ id map.
 *
 * Ids are positive integers, the document is always 1, others count up from 2 in the order nodes
 * are first serialized, and an id is never handed to another node while the mirror lives (one
 * mirror per page). A node keeps its id while it stays in the replica, including when it moves: the
 * capture re-sends a moved subtree with the ids it already has. `forgetSubtree` is called when a
 * node leaves the replica for good.
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
  const nodes = new Map<NodeId, Node>();
  let next = DOCUMENT_ID + 1;

  const forget = (node: Node): void => {
    const id = ids.get(node);
    if (id === undefined) return;
    ids.delete(node);
    if (nodes.get(id) === node) nodes.delete(id);
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
    getNode: (id) => nodes.get(id),
    assign(node) {
      const existing = ids.get(node);
      if (existing !== undefined) return existing;
      const id = node.nodeType === 9 && !nodes.has(DOCUMENT_ID) ? DOCUMENT_ID : next++;
      ids.set(node, id);
      nodes.set(id, node);
      return id;
    },
    forgetSubtree,
    reset() {
      ids = new WeakMap();
      nodes.clear();
      next = DOCUMENT_ID + 1;
    },
  };
}
