/**
 * Customer side: a batch of MutationObserver records → ops that bring the replica to the current DOM.
 *
 * Records say what happened, in order, including to nodes that have since left the document. Rather
 * than replaying them, we use them to find which nodes may have changed and then describe the
 * current state of those nodes:
 *
 * - every node the agent has (it has an id) and that appears in a record's `removedNodes` or
 *   `addedNodes` is removed (`rm`): it either left the replica or moved, and a moved node is
 *   re-added with the ids it has. Nodes that are no longer captured (detached, inside a service
 *   element, …) are also forgotten by the mirror;
 * - every node from `addedNodes` that is captured now and whose parent is "stable" (captured, and
 *   neither it nor an ancestor is being added) is added as a whole subtree; nodes below it come
 *   with it. Adds under one parent are emitted in reverse document order, so `nx` (the next
 *   captured sibling) is always a node the agent already has;
 * - attributes, text and form state are sent for stable nodes only (added ones carry their current
 *   state), once each, with current values (consecutive elements whose attribute is now the same
 *   value share one `attr` op, `is`); `css` for `<style>`s whose text changed and whose CSSOM
 *   differs from it.
 *
 * A node added and removed within the batch was never known and is not captured now: nothing is
 * sent. Mutations inside service elements concern nodes that are not captured: nothing is sent.
 * Observe the document with `{childList, attributes, characterData, subtree}`, and every frame
 * document the capture shows (`ctx.documents()`) the same way: records of frame documents walk up
 * to the frame element (`ctx.parentOf`). Frame elements whose content document changed (a load)
 * and hosts that attached a shadow root are passed as `resend` and re-sent (`rm` + `add`, ids
 * kept) with their new content. Open shadow roots are observed the same way (each root the capture
 * sent, `ctx.takeNewShadowRoots()`); their records walk up to the host (`ctx.parentOf`).
 *
 * Restrictions (docs/PROTOCOL.md, "What masking does"): the batch is masked by the match of now
 * (`MatchChange.after`, computed once per batch by the caller) and diffed against the match the
 * agent has (`before`, that of the previous batch or snapshot). A stable element whose own mask
 * mark changed is re-sent (`rm` + `add`, ids kept) so that its subtree arrives masked or unmasked,
 * before any op that carries content; one whose mark changed between none and control only gets a
 * `restrict` op. `attr`, `text` and `val` ops of masked nodes carry masked values, and added
 * subtrees are serialized with the state they inherit.
 */

import type { NodeId, Op, Restricted } from '@cobrowse/protocol';
import { DOCUMENT_ID } from './capture-mirror';
import { isFrameElement, SERVICE_ATTRIBUTE, type CaptureContext } from './context';
import { HTML_NS, isValidName, XLINK_NS, XML_NS, XMLNS_NS } from './names';
import { absolutizeCss, sanitizeAttribute } from './sanitize';
import { hasValueMode } from './form';
import { maskAttribute, maskText, maskValue, type MaskScope } from './mask';
import type { RestrictionMatch } from './restriction';
import {
  capturesChildren,
  documentInfo,
  isCapturedNode,
  scrollingElement,
  serializeTree,
  startWalk,
  type Walk,
} from './serialize';
import { adoptedCss, adoptedSheets, linkElementCss, sameSheets, styleElementCss, stylesheetText } from './stylesheet';
import { topLayerOp } from './interaction';

/** Node is not in the replica after this batch (detached, in a service element, …). */
const OUT = 0;
/** Node is captured and the agent keeps the node it has (neither it nor an ancestor is re-added). */
const STABLE = 1;
/** Node is captured and arrives with an `add` of itself or of an ancestor. */
const COVERED = 2;

interface BatchState {
  readonly ctx: CaptureContext;
  readonly added: Set<Node>;
  readonly memo: Map<Node, number>;
  /**
   * The last parent `statusOf` judged, and whether a captured child of it is in the replica
   * (`capturesChildren`) and whether it is a frame element (its only captured child is its
   * document): siblings share a parent, and a batch's nodes are mostly siblings (10,000 children
   * of one element whose attribute changed cost two reads of the parent, not 20,000).
   */
  lastParent: Node | null;
  parentCaptures: boolean;
  parentIsFrame: boolean;
  /** `statusOf`'s chain of nodes not yet judged, reused by every call (slots past its count are stale). */
  readonly chain: Node[];
}

function batchState(ctx: CaptureContext): BatchState {
  return { ctx, added: new Set(), memo: new Map(), lastParent: null, parentCaptures: false, parentIsFrame: false, chain: [] };
}

/**
 * OUT / STABLE / COVERED for `node`, its ancestors' memoized per batch: the upward walk stops at
 * the first node already known, so a batch costs O(distinct ancestors), not O(nodes × depth).
 */
function statusOf(node: Node, b: BatchState): number {
  const memo = b.memo;
  const known = memo.get(node);
  if (known !== undefined) return known;
  const dom = b.ctx.dom;
  const doc = b.ctx.doc;
  // One call per changed node of a batch: the chain's array is the batch's, not one per call.
  const chain = b.chain;
  let count = 0;
  let cur: Node | null = node;
  let s = OUT;
  for (;;) {
    if (cur === null) {
      s = OUT;
      break;
    }
    const m = memo.get(cur);
    if (m !== undefined) {
      s = m;
      break;
    }
    if (cur === doc) {
      s = STABLE;
      memo.set(cur, s);
      break;
    }
    chain[count++] = cur;
    cur = cur.nodeType === 9 || cur.nodeType === 11 ? b.ctx.parentOf(cur) : dom.parentNode(cur);
  }
  for (let k = count - 1; k >= 0; k--) {
    const n = chain[k] as Node;
    if (s !== OUT) {
      const parent = (k + 1 < count ? chain[k + 1] : cur) as Node;
      if (parent !== b.lastParent) {
        b.lastParent = parent;
        b.parentCaptures = capturesChildren(parent);
        b.parentIsFrame = parent.nodeType === 1 && isFrameElement(parent as Element);
      }
      if (!b.parentCaptures || !isCapturedNode(n, b.ctx)) s = OUT;
      // A frame element's only captured child is its document (fallback content is not sent).
      else if (b.parentIsFrame !== (n.nodeType === 9)) s = OUT;
      else if (s === STABLE && b.added.has(n)) s = COVERED;
    }
    // `node` itself is not kept: most are asked once (10,000 elements whose attribute changed),
    // and one asked again is a step from its parent, which is.
    if (k > 0) memo.set(n, s);
  }
  return s;
}

/** Qualified name of an attribute from a record (the prefix is lost once it is removed). */
function qualifiedName(ns: string | null, local: string): string {
  if (ns === null || ns === '') return local;
  if (ns === XLINK_NS) return 'xlink:' + local;
  if (ns === XML_NS) return 'xml:' + local;
  if (ns === XMLNS_NS) return local === 'xmlns' ? local : 'xmlns:' + local;
  return local;
}

function isHtml(el: Element): boolean {
  return el.namespaceURI === HTML_NS;
}

/** Attributes whose change also changes form state that the replica holds as properties. */
function affectsFormState(el: Element, local: string): boolean {
  // The name first: most changes (class, style, data-*) are decided without asking the element.
  if (local !== 'value' && local !== 'checked' && local !== 'type' && local !== 'selected' && local !== 'multiple') return false;
  if (!isHtml(el)) return false;
  switch (el.localName) {
    case 'input':
      return local === 'value' || local === 'checked' || local === 'type';
    case 'option':
      return local === 'selected' || local === 'value';
    case 'select':
      return local === 'multiple';
    default:
      return false;
  }
}

/**
 * The `val` op for an input, textarea, select or option from its live state, or `null` for other
 * elements and nodes the agent does not have. Checkboxes and radios send `k`, options `s`, the
 * others `v`. A masked element's `v` is asterisks (a masked `<select>` sends none: `null`); masked
 * means per `scope` when given (a batch), else per `ctx.restrictions.isMasked` now.
 */
export function formStateOp(el: Element, ctx: CaptureContext, scope?: MaskScope): Op | null {
  const i = ctx.mirror.getId(el);
  if (i === undefined || !isHtml(el)) return null;
  switch (el.localName) {
    case 'input': {
      const input = el as HTMLInputElement;
      const type = input.type;
      if (type === 'checkbox' || type === 'radio') return { o: 'val', i, k: input.checked };
      if (!hasValueMode(type)) return null;
      const v = input.value;
      return { o: 'val', i, v: isMasked(el, ctx, scope) ? maskValue(v) : v };
    }
    case 'textarea': {
      const v = (el as HTMLTextAreaElement).value;
      return { o: 'val', i, v: isMasked(el, ctx, scope) ? maskValue(v) : v };
    }
    case 'select':
      if (isMasked(el, ctx, scope)) return null;
      return { o: 'val', i, v: (el as HTMLSelectElement).value };
    case 'option':
      return { o: 'val', i, s: (el as HTMLOptionElement).selected };
    default:
      return null;
  }
}

function isMasked(el: Element, ctx: CaptureContext, scope: MaskScope | undefined): boolean {
  return scope !== undefined ? scope.isMasked(el) : ctx.restrictions.isMasked(el);
}

/**
 * `formStateOp` plus, for a `<select>`, one op per option: the whole state of a
 * `<select multiple>` (a single `v` cannot describe several selected options).
 */
export function formStateOps(el: Element, ctx: CaptureContext, scope?: MaskScope): Op[] {
  const out: Op[] = [];
  const op = formStateOp(el, ctx, scope);
  if (op !== null) out.push(op);
  if (isHtml(el) && el.localName === 'select') {
    const options = (el as HTMLSelectElement).options;
    for (let i = 0; i < options.length; i++) {
      const o = options[i];
      const oop = o ? formStateOp(o, ctx, scope) : null;
      if (oop !== null) out.push(oop);
    }
  }
  return out;
}

/**
 * The `scroll` op for an element (its `scrollLeft/Top`) or for a document (its window's scroll: id 1
 * for the page, the frame document's id for a frame; also for the document's `scrollingElement`).
 * `null` for elements and frame documents the agent does not have.
 */
export function scrollOp(target: Element | Document, ctx: CaptureContext): Op | null {
  const doc = target.nodeType === 9 ? (target as Document) : (target as Element).ownerDocument;
  if (target.nodeType === 9 || target === scrollingElement(doc)) {
    const win = doc.defaultView;
    if (!win) return null;
    const known = ctx.mirror.getId(doc);
    // A frame document the agent does not have: nothing to scroll.
    if (known === undefined && doc !== ctx.doc) return null;
    const i = known ?? DOCUMENT_ID;
    return { o: 'scroll', i, x: win.scrollX, y: win.scrollY };
  }
  const i = ctx.mirror.getId(target);
  if (i === undefined) return null;
  const el = target as Element;
  return { o: 'scroll', i, x: el.scrollLeft, y: el.scrollTop };
}

/** Children of `parent` that are in `set`, last first. */
function inReverseOrder(parent: Node, set: Set<Node>, b: BatchState): Node[] {
  const out: Node[] = [];
  const dom = b.ctx.dom;
  for (let c = dom.lastChild(parent); c !== null; c = dom.previousSibling(c)) {
    if (set.has(c)) out.push(c);
  }
  return out;
}

/** Id of the first following sibling the agent has, or `null` (append). */
function nextKnownSibling(node: Node, b: BatchState): NodeId | null {
  const { dom, mirror } = b.ctx;
  for (let s = dom.nextSibling(node); s !== null; s = dom.nextSibling(s)) {
    if (!isCapturedNode(s, b.ctx)) continue;
    const id = mirror.getId(s);
    if (id !== undefined) return id;
  }
  return null;
}

/** Content of an element changed: note what depends on it (stylesheet, textarea/select state). */
function noteContentChange(
  node: Node | null,
  styles: Set<Element>,
  forms: Set<Element>,
): void {
  if (node === null || node.nodeType !== 1) return;
  const el = node as Element;
  const name = el.localName;
  if (name === 'style') styles.add(el);
  else if ((name === 'textarea' || name === 'select') && isHtml(el)) forms.add(el);
}

/** The restriction match the agent has (`before`) and the one of now (`after`). */
export interface MatchChange {
  readonly before: RestrictionMatch;
  readonly after: RestrictionMatch;
}

/** True when `el` is in the document (a hostile `isConnected` getter counts as yes). */
function connected(el: Element): boolean {
  try {
    return el.isConnected !== false;
  } catch {
    return true;
  }
}

/**
 * See the module comment. `change` defaults to no change, with `after` = the restrictions' match
 * now. Never throws on hostile DOM state (CSSOM, URLs, names are guarded).
 */
export function mutationsToOps(
  records: ArrayLike<MutationRecord>,
  ctx: CaptureContext,
  change?: MatchChange,
  resend?: Iterable<Element>,
): Op[] {
  const { mirror, dom } = ctx;
  const after = change !== undefined ? change.after : ctx.match();
  const before = change !== undefined ? change.before : after;
  const b = batchState(ctx);
  const added = b.added;
  const removed = new Set<Node>();
  // Per element, the changed attributes as keys `local` or `namespace local`: the key itself for
  // the first (most elements: one change), an array once there are more (cheaper than a Map or an
  // array per element).
  const attrs = new Map<Element, string | string[]>();
  const texts = new Set<Node>();
  const styles = new Set<Element>();
  const forms = new Set<Element>();

  for (let r = 0; r < records.length; r++) {
    const rec = records[r] as MutationRecord;
    const target = rec.target;
    switch (rec.type) {
      case 'childList': {
        // A parent the agent does not have (added in this batch, or not captured) tells nothing:
        // what it holds now arrives with the add of it or of an ancestor, or is not captured; and a
        // node the agent has was first taken from the parent the agent has it under, whose record
        // says so. Reading the lists makes a `NodeList` per record (a burst that builds or empties
        // a subtree node by node has one record per node).
        if (mirror.getId(target) === undefined) break;
        const removedNodes = rec.removedNodes;
        for (let i = 0; i < removedNodes.length; i++) {
          const n = removedNodes[i] as Node;
          if (mirror.getId(n) !== undefined) removed.add(n);
        }
        const addedNodes = rec.addedNodes;
        for (let i = 0; i < addedNodes.length; i++) {
          const n = addedNodes[i] as Node;
          added.add(n);
          if (mirror.getId(n) !== undefined) removed.add(n);
        }
        noteContentChange(target, styles, forms);
        break;
      }
      case 'characterData': {
        texts.add(target);
        const parent = dom.parentNode(target);
        if (parent !== null && mirror.getId(parent) !== undefined) noteContentChange(parent, styles, forms);
        break;
      }
      case 'attributes': {
        const el = target as Element;
        const local = rec.attributeName ?? '';
        const ns = rec.attributeNamespace;
        if (local === SERVICE_ATTRIBUTE && ns === null) {
          // Became (or stopped being) a service element: re-send it as it is now.
          added.add(el);
          if (mirror.getId(el) !== undefined) removed.add(el);
          break;
        }
        const key = ns ? ns + ' ' + local : local;
        const keys = attrs.get(el);
        if (keys === undefined) attrs.set(el, key);
        else if (typeof keys === 'string') {
          if (keys !== key) attrs.set(el, [keys, key]);
        } else if (!keys.includes(key)) keys.push(key);
        if (affectsFormState(el, local)) forms.add(el);
        break;
      }
    }
  }

  // Frames whose content changed (another document loaded) and hosts that attached a shadow root:
  // re-sent with their new content.
  if (resend !== undefined) {
    for (const el of resend) {
      if (mirror.getId(el) === undefined) continue;
      added.add(el);
      removed.add(el);
    }
  }

  // Own marks that changed since the agent's match. Mask: the element is re-sent with its subtree
  // (like a service toggle). Control only: a `restrict` op once we know the element stays.
  const marks: [Element, Restricted][] = [];
  if (before !== after) {
    const resend = (el: Element) => {
      if (mirror.getId(el) === undefined || !connected(el)) return;
      added.add(el);
      removed.add(el);
    };
    for (const el of before.mask) if (!after.mask.has(el)) resend(el);
    for (const el of after.mask) if (!before.mask.has(el)) resend(el);
    for (const el of before.control) {
      if (!after.control.has(el) && !after.mask.has(el) && mirror.getId(el) !== undefined) marks.push([el, 0]);
    }
    for (const el of after.control) {
      if (!before.control.has(el) && !before.mask.has(el) && mirror.getId(el) !== undefined) marks.push([el, 1]);
    }
  }

  const ops: Op[] = [];

  // A known node that was removed is re-added if it is captured now (it moved): in the normal case
  // an ancestor's record already says so, this makes it hold whatever the records look like.
  for (const n of removed) added.add(n);

  // 1. Removals, in record order.
  const forget: Node[] = [];
  for (const n of removed) {
    const id = mirror.getId(n);
    if (id === undefined || id === DOCUMENT_ID) continue;
    ops.push({ o: 'rm', i: id });
    if (statusOf(n, b) === OUT) forget.push(n);
  }
  for (const n of forget) mirror.forgetSubtree(n);

  // 2. Adds of top-level new/moved nodes, grouped by (stable) parent.
  const groups = new Map<Node, Node[]>();
  for (const n of added) {
    const parent = dom.parentNode(n);
    // A node whose parent is added too is not a top-level add (an added node is never stable): it
    // comes with an ancestor, or not at all. Decided without walking up (a burst that builds deep
    // chains, one record per level, has one top-level node per chain).
    if (parent === null || added.has(parent)) continue;
    if (statusOf(n, b) === OUT || statusOf(parent, b) !== STABLE) continue;
    const group = groups.get(parent);
    if (group === undefined) groups.set(parent, [n]);
    else group.push(n);
  }
  // Added and moved nodes are serialized without scroll offsets: reading one forces a layout of
  // the page just changed (the cost of a whole batch); a scrolled element's scroll event sends it.
  const walk: Walk = { ...startWalk(ctx, after), noScroll: true };
  const scope = walk.scope;
  for (const [parent, group] of groups) {
    const p = mirror.getId(parent);
    if (p === undefined) continue;
    const ordered = group.length === 1 ? group : inReverseOrder(parent, new Set(group), b);
    for (const n of ordered) {
      const nx = nextKnownSibling(n, b);
      const node = serializeTree(n, walk);
      if (node !== null) ops.push({ o: 'add', p, nx, n: node });
    }
  }

  // 3. Own marks changed between none and control, on elements the agent keeps.
  for (const [el, r] of marks) {
    if (statusOf(el, b) !== STABLE) continue;
    const i = mirror.getId(el);
    if (i !== undefined) ops.push({ o: 'restrict', i, r });
  }

  // 4. Attributes of stable elements, current values, sanitized (and masked) like in snapshots.
  // Whether each attribute name is valid, once per name in the batch (usually a handful of names
  // for thousands of elements).
  const validNames = new Map<string, boolean>();
  /** One attribute of `el` (key as in `attrs`), sanitized and masked; `masked` is the element's state. */
  const attrOp = (el: Element, i: NodeId, key: string, masked: boolean, local: string, base: string): void => {
    // Namespace URIs contain no space; local names cannot.
    const space = key.indexOf(' ');
    // Without a namespace the qualified name is the local name: no Attr node to read.
    let k: string;
    let raw: string | null;
    if (space < 0) {
      k = key;
      raw = el.getAttributeNS(null, key);
    } else {
      const ns = key.slice(0, space);
      const name = key.slice(space + 1);
      const attr = el.getAttributeNodeNS(ns, name);
      k = attr ? attr.name : qualifiedName(ns, name);
      raw = attr ? attr.value : null;
    }
    let valid = validNames.get(k);
    if (valid === undefined) validNames.set(k, (valid = isValidName(k)));
    if (!valid) return;
    let v = raw !== null ? sanitizeAttribute(local, k, raw, base) : null;
    if (masked) {
      // An attribute that masking drops is not in the replica: nothing to set nor to remove.
      if (maskAttribute(k, '') === null) return;
      if (v !== null) v = maskAttribute(k, v);
    }
    // The same change as the op before (a class added to a list of elements): one op for the run.
    const last = ops[ops.length - 1];
    if (last !== undefined && last.o === 'attr' && last.k === k && last.v === v) {
      if (last.is === undefined) last.is = [i];
      else last.is.push(i);
      return;
    }
    ops.push({ o: 'attr', i, k, v });
  };
  // Base URL per document, the last one looked up kept (a batch's elements share one document).
  let baseDoc: Document | null = null;
  let base = walk.base;
  for (const [el, keys] of attrs) {
    // The agent has it (an id) and keeps it (stable).
    const i = mirror.getId(el);
    if (i === undefined || statusOf(el, b) !== STABLE) continue;
    const masked = scope.isMasked(el);
    const local = el.localName;
    const owner = el.ownerDocument;
    if (owner !== baseDoc) {
      baseDoc = owner;
      base = documentInfo(walk, el).base;
    }
    if (typeof keys === 'string') attrOp(el, i, keys, masked, local, base);
    else for (const key of keys) attrOp(el, i, key, masked, local, base);
    // A dialog's `open` (showModal, close) or an element's `popover` changed: its top layer state.
    if (typeof keys === 'string' ? keys === 'open' || keys === 'popover' : keys.includes('open') || keys.includes('popover')) {
      const tl = topLayerOp(el, ctx);
      if (tl !== null) ops.push(tl);
    }
  }

  // 5. Text of stable character data nodes.
  for (const t of texts) {
    if (statusOf(t, b) !== STABLE) continue;
    const i = mirror.getId(t);
    if (i === undefined) continue;
    const parent = dom.parentNode(t);
    const data = (t as CharacterData).data;
    const isCss = parent !== null && parent.nodeType === 1 && (parent as Element).localName === 'style';
    const x = isCss ? absolutizeCss(data, documentInfo(walk, t).base) : parent !== null && scope.isMasked(parent) ? maskText(data) : data;
    ops.push({ o: 'text', i, x });
  }

  // 6. Form state that changed with attributes or content.
  for (const el of forms) {
    if (statusOf(el, b) !== STABLE) continue;
    const state = formStateOps(el, ctx, scope);
    for (const op of state) ops.push(op);
  }

  // 7. Stylesheets whose text changed and whose CSSOM differs from it (the text ops above make the
  //    replica re-parse; this restores rules that script inserted).
  for (const el of styles) {
    if (statusOf(el, b) !== STABLE) continue;
    const i = mirror.getId(el);
    if (i === undefined) continue;
    const css = styleElementCss(el, documentInfo(walk, el).base, walk.scripted);
    if (css !== undefined) ops.push({ o: 'css', i, css });
  }

  return ops;
}

/**
 * The part of `mutationsToOps` that a batch which will not be sent still needs (a full snapshot
 * replaces it): the ids of the nodes the records removed or moved that are no longer captured are
 * forgotten, so the mirror holds no node that left. No serialization, no match: cheap enough to
 * run on every record of a burst that overflows.
 */
export function forgetRemoved(records: ArrayLike<MutationRecord>, ctx: CaptureContext): void {
  const { mirror } = ctx;
  const b = batchState(ctx);
  const gone = new Set<Node>();
  for (let r = 0; r < records.length; r++) {
    const rec = records[r] as MutationRecord;
    if (rec.type !== 'childList') continue;
    const removedNodes = rec.removedNodes;
    for (let i = 0; i < removedNodes.length; i++) {
      const n = removedNodes[i] as Node;
      if (mirror.getId(n) !== undefined) gone.add(n);
    }
  }
  for (const n of gone) {
    const id = mirror.getId(n);
    if (id !== undefined && id !== DOCUMENT_ID && statusOf(n, b) === OUT) mirror.forgetSubtree(n);
  }
}

/** True when the node is in its document (a hostile `isConnected` getter counts as yes). */
function attached(node: Node): boolean {
  try {
    return node.isConnected !== false;
  } catch {
    return true;
  }
}

/**
 * Ops for stylesheet changes that no mutation record reports (docs/PROTOCOL.md, "Incremental
 * batch"): `changed` holds the top-level sheets script changed through the CSSOM since the last
 * batch (`cssom-watch.ts`).
 *
 * - a changed sheet of a `<style>` the agent has: `css` with the sheet's CSSOM text; of a
 *   same-origin `<link>`: `css` with its rules (a replica `<link>` sent by URL becomes a `<style>`
 *   with them). The sheet is recorded in `ctx.scriptedSheets`, so later snapshots carry `css` too;
 * - every document the agent has whose `adoptedStyleSheets` is not the list it was sent, or holds
 *   a changed sheet: `adopt` with the whole list (`ctx.adoptedSent` is updated). Documents the agent
 *   no longer has are dropped from `ctx.adoptedSent`.
 *
 * `sent` holds the ids that already got a `css` op in this batch (skipped here). Never throws on
 * hostile CSSOM state.
 */
export function stylesheetOps(ctx: CaptureContext, changed: ReadonlySet<CSSStyleSheet>, sent: ReadonlySet<NodeId> = new Set()): Op[] {
  const ops: Op[] = [];
  for (const sheet of changed) {
    let owner: Node | null = null;
    try {
      owner = sheet.ownerNode;
    } catch {
      owner = null;
    }
    if (owner === null || owner.nodeType !== 1) continue;
    const i = ctx.mirror.getId(owner);
    if (i === undefined || sent.has(i) || !attached(owner)) continue;
    const el = owner as Element;
    const base = el.ownerDocument.baseURI || el.ownerDocument.URL;
    if (el.localName === 'style') {
      ctx.scriptedSheets.add(sheet);
      const css = stylesheetText(sheet, base);
      if (css !== null) ops.push({ o: 'css', i, css });
    } else if (el.localName === 'link') {
      ctx.scriptedSheets.add(sheet);
      const css = linkElementCss(el, base);
      if (css !== undefined) ops.push({ o: 'css', i, css });
    }
  }
  for (const [doc, before] of ctx.adoptedSent) {
    const i = ctx.mirror.getId(doc);
    if (i === undefined) {
      ctx.adoptedSent.delete(doc);
      continue;
    }
    const now = adoptedSheets(doc);
    if (now === null) continue;
    let dirty = !sameSheets(before, now);
    for (let k = 0; !dirty && k < now.length; k++) dirty = changed.has(now[k] as CSSStyleSheet);
    if (!dirty) continue;
    ctx.adoptedSent.set(doc, now);
    const owner = doc.nodeType === 9 ? (doc as Document) : (doc.ownerDocument as Document);
    ops.push({ o: 'adopt', i, as: adoptedCss(now, owner.baseURI || owner.URL) });
  }
  return ops;
}
