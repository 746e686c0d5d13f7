/**
 * Agent side: a full snapshot → the replica document.
 *
 * The replica lives in a sandboxed `about:blank` iframe (`sandbox="allow-same-origin"`, never
 * `allow-scripts`); the viewer passes its `contentDocument`. The snapshot is untrusted input: see
 * `build.ts` for the rules enforced on every node.
 */

import type { FullSnapshot } from '@cobrowse/protocol';
import { buildTree, finishAttached, startBuild } from './build';
import { DOCUMENT_ID } from './capture-mirror';
import type { ReplicaMirror } from './replica-mirror';

/**
 * Replaces the whole content of `doc` with the snapshot, synchronously, and registers every node in
 * `mirror` (which is reset first; its `baseURL` becomes the snapshot's `url`).
 *
 * `doc.open(); doc.write(…); doc.close()` gives the document the page's compat mode (quirks when the
 * snapshot says so, standards otherwise); its children are then replaced by the built tree. Form
 * state is set after each element's children exist, scroll offsets and stylesheet text once the
 * tree is attached. The viewer sizes the iframe from `snapshot.viewport` and scrolls its window to
 * `snapshot.scroll` itself.
 */
export function rebuildDocument(snapshot: FullSnapshot, doc: Document, mirror: ReplicaMirror): void {
  const root = snapshot.doc;
  mirror.reset(typeof snapshot.url === 'string' ? snapshot.url : 'about:blank');
  const quirks = typeof root === 'object' && root !== null && root.quirks === true;
  try {
    doc.open();
    doc.write(quirks ? '' : '<!DOCTYPE html>');
    doc.close();
  } catch {
    // Not an HTML document, or one that refuses open(): keep its mode, replace its children.
  }
  while (doc.firstChild !== null) doc.removeChild(doc.firstChild);
  mirror.set(typeof root?.i === 'number' && root.i > 0 ? root.i : DOCUMENT_ID, doc);
  const children = typeof root === 'object' && root !== null && Array.isArray(root.c) ? root.c : [];
  const b = startBuild(doc, mirror);
  for (const child of children) {
    const node = buildTree(b, child);
    if (node === null) continue;
    try {
      doc.appendChild(node);
    } catch {
      mirror.removeSubtree(node); // a second root element, text under the document, …
    }
  }
  finishAttached(b);
}
