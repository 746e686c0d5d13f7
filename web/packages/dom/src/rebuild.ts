/**
 * Agent side: a full snapshot → the replica document.
 *
 * The replica lives in a sandboxed `about:blank` iframe (`sandbox="allow-same-origin"`, never
 * `allow-scripts`); the viewer passes its `contentDocument`. The snapshot is untrusted input: see
 * `build.ts` for the rules enforced on every node.
 */

import type { FullSnapshot } from '@cobrowse/protocol';
import { fillDocument, restoreImplicitIds, type FrameHooks } from './build';
import type { ReplicaMirror } from './replica-mirror';

/**
 * Replaces the whole content of `doc` with the snapshot, synchronously, and registers every node in
 * `mirror` (which is reset first; its `baseURL` becomes the snapshot's `url`).
 *
 * `doc.open(); doc.write(…)` gives the document the page's compat mode (quirks when the snapshot
 * says so, standards otherwise; the parser is left open, see `fillDocument`); its children are then replaced by the built tree. Form
 * state is set after each element's children exist, scroll offsets and stylesheet text once the
 * tree is attached; frame documents are built inside their frames then (`hooks` are told). With
 * `hooks.mapUrl`, sub-resource values and CSS text are mapped as `build.ts` describes. The viewer
 * sizes the iframe from `snapshot.viewport` and scrolls its window to `snapshot.scroll` itself.
 */
export function rebuildDocument(snapshot: FullSnapshot, doc: Document, mirror: ReplicaMirror, hooks: FrameHooks = {}): void {
  mirror.reset(typeof snapshot.url === 'string' ? snapshot.url : 'about:blank');
  restoreImplicitIds(snapshot.doc);
  fillDocument(doc, snapshot.doc, mirror, hooks, 0);
}
