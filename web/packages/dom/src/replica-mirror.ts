/**
 * The agent side's id ↔ node map for the replica document, plus the customer page's URL (from the
 * last full snapshot), which resolves any relative URL that arrives despite the contract.
 */

import type { NodeId } from '@cobrowse/protocol';

export interface ReplicaMirror {
  getNode(id: NodeId): Node | undefined;
  getId(node: Node): NodeId | undefined;
  /** Registers `node` under `id`, replacing whatever either was registered with. */
  set(id: NodeId, node: Node): void;
  /**
   * `set` for a node that was never registered (just created by the build): one lookup less per
   * node of a snapshot.
   */
  setNew(id: NodeId, node: Node): void;
  /**
   * Unregisters `node` and its descendants (the nodes stay where they are), the documents of
   * frames among them (`setFrame`) included.
   */
  removeSubtree(node: Node): void;
  /** Records the document built inside replica frame element `frame` (for `removeSubtree`). */
  setFrame(frame: Element, doc: Document): void;
  /** Forgets everything; `baseURL` becomes the given page URL. */
  reset(baseURL?: string): void;
  /** URL of the customer's page, used as base for stray relative URLs. */
  readonly baseURL: string;
  /** Number of registered nodes. */
  readonly size: number;
}

export function createReplicaMirror(): ReplicaMirror {
  let ids = new WeakMap<Node, NodeId>();
  let frames = new WeakMap<Element, Document>();
  const nodes = new Map<NodeId, Node>();
  let baseURL = 'about:blank';

  const unregister = (node: Node): void => {
    const id = ids.get(node);
    if (id === undefined) return;
    ids.delete(node);
    if (nodes.get(id) === node) nodes.delete(id);
  };

  const removeSubtree = (root: Node): void => {
    let node: Node | null = root;
    while (node !== null) {
      unregister(node);
      if (node.nodeType === 1) {
        // A frame's document (recursion bounded by the frame depth the build allows).
        const inner = frames.get(node as Element);
        if (inner !== undefined && inner !== root) removeSubtree(inner);
        // An open shadow root the build attached (recursion bounded by how deep roots nest).
        const shadow: ShadowRoot | null = (node as Element).shadowRoot;
        if (shadow !== null && shadow !== undefined && shadow !== root) removeSubtree(shadow);
      }
      let step: Node | null = node.firstChild;
      if (step === null) {
        while (node !== null && node !== root && node.nextSibling === null) node = node.parentNode;
        step = node === null || node === root ? null : node.nextSibling;
      }
      node = step;
    }
  };

  return {
    getNode: (id) => nodes.get(id),
    getId: (node) => ids.get(node),
    set(id, node) {
      const previousNode = nodes.get(id);
      if (previousNode !== undefined && previousNode !== node) ids.delete(previousNode);
      const previousId = ids.get(node);
      if (previousId !== undefined && previousId !== id) nodes.delete(previousId);
      nodes.set(id, node);
      ids.set(node, id);
    },
    setNew(id, node) {
      const previousNode = nodes.get(id);
      if (previousNode !== undefined) ids.delete(previousNode);
      nodes.set(id, node);
      ids.set(node, id);
    },
    removeSubtree,
    setFrame(frame, doc) {
      frames.set(frame, doc);
    },
    reset(url) {
      ids = new WeakMap();
      frames = new WeakMap();
      nodes.clear();
      if (url !== undefined) baseURL = url;
    },
    get baseURL() {
      return baseURL;
    },
    get size() {
      return nodes.size;
    },
  };
}
