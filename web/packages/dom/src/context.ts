/**
 * The capture context: everything the customer-side functions need, in one object (no module
 * state). The SDK creates one per page and passes it to `serializeDocument`, `mutationsToOps`, …
 */

import { createCaptureMirror, type CaptureMirror } from './capture-mirror';
import { createDomAccess, type DomAccess } from './dom-access';
import type { FontSourceRecord } from './fonts';
import { createRestrictions, type RestrictionMatch, type Restrictions, type SelectorShape } from './restriction';

/** Attribute that marks an element (and its subtree) as part of the co-browse UI. */
export const SERVICE_ATTRIBUTE = 'data-gcb-service-node';

/**
 * Frames nested deeper than this (the page's document is depth 0) are sent without content (no
 * document, no `xo`): a bound on the capture's and the replica's work, far beyond real pages.
 */
export const FRAME_DEPTH_LIMIT = 16;

/**
 * Above this many elements to match again, `updateMatch` queries every document instead (one
 * `querySelectorAll` per rule kind costs less than thousands of `matches`).
 */
const UPDATE_LIMIT = 2_000;

const FRAMES_SELECTOR = 'iframe, frame';

/** True for `<iframe>` and `<frame>` (HTML): elements whose content document the capture sends. */
export function isFrameElement(el: Element): boolean {
  const name = el.localName;
  return (name === 'iframe' || name === 'frame') && el.namespaceURI === 'http://www.w3.org/1999/xhtml';
}

/**
 * The content document of a frame element when this page may read it (same origin, not an opaque
 * sandbox), else `null`. Never throws.
 */
export function frameContent(el: Element): Document | null {
  try {
    const d = (el as HTMLIFrameElement).contentDocument;
    return d !== null && d !== undefined && d.nodeType === 9 ? d : null;
  } catch {
    return null;
  }
}

export interface CaptureContext {
  readonly doc: Document;
  readonly mirror: CaptureMirror;
  /** Tree accessors (see `DomAccess`: immune to the page patching `Node.prototype`). */
  readonly dom: DomAccess;
  /**
   * True for elements that belong to the co-browse UI: they and their subtrees are never captured
   * and mutations inside them produce no ops. `names`: the element's attribute names as the caller
   * just read them (`getAttributeNames()`): the service attribute is then read only when it is one
   * of them (one DOM call fewer per element in a walk).
   */
  isService(el: Element, names?: readonly string[]): boolean;
  /** Registers `el` as a service element (what the SDK's `markServiceElement` uses). */
  markService(el: Element): void;
  /**
   * The page's DOM restrictions (rules from the server plus the built-in defaults). Masking follows
   * them everywhere the capture writes content (`mask.ts`): snapshots, adds, `attr`/`text`/`val`
   * ops, `formStateOp(s)`.
   */
  readonly restrictions: Restrictions;
  /** The `MutationObserver` constructor the capture observes with (see `CaptureOptions`). */
  readonly MutationObserver: typeof MutationObserver;
  /**
   * The parent of `node` in the captured tree: its DOM parent, or, for the document of a frame, the
   * frame element that was last serialized with it and still shows it (`null` otherwise: that
   * document is no longer in the replica).
   */
  parentOf(node: Node): Node | null;
  /**
   * Records that the serialization of frame element `el` carries `doc` (`null`: no content). The
   * ids of the document it carried before, if another, are forgotten.
   */
  showFrame(el: Element, doc: Document | null): void;
  /** The document last recorded for `el` by `showFrame` (`undefined`: never serialized). */
  shownIn(el: Element): Document | null | undefined;
  /** How many frames deep `doc` is (0: the page's document), by the recorded frames. */
  frameDepth(doc: Document): number;
  /**
   * The page's document and every readable frame document below it (live, in tree order, at most
   * `FRAME_DEPTH_LIMIT` deep): what the capture observes and masks.
   */
  documents(): Document[];
  /**
   * The restriction match over `documents()`, each document by its own URL, and over the open
   * shadow roots serialized so far that are still their connected host's root (by the URL of the
   * host's document).
   */
  match(): RestrictionMatch;
  /**
   * The restriction match now, from `prev` — the match the last `match()` or `updateMatch()`
   * returned (possibly with shadow roots `include`d since) — and every mutation record of the
   * observed documents and roots since then: `prev` itself when none of them can change it, else
   * an updated copy. Only added subtrees and elements whose attributes changed are matched again
   * (only attributes a rule reads), removed elements are dropped, documents of frames that came
   * or went are matched or dropped whole; the frame documents are looked for again only when a
   * frame element was added, removed or loaded (`framesChanged`). Falls back to `match()` when the
   * rules of a document with records depend on what records do not tell (pseudo-classes, sibling
   * combinators: `SelectorShape`) or when so many elements changed that one query per document is
   * cheaper.
   */
  updateMatch(prev: RestrictionMatch, records: ArrayLike<MutationRecord>): RestrictionMatch;
  /** `documents()` as of the last `match()` or `updateMatch()` (no query of the page). */
  knownDocuments(): readonly Document[];
  /** A frame element loaded a document: the next `updateMatch` looks for frame documents again. */
  framesChanged(): void;
  /**
   * Records that open shadow root `root` was serialized; true the first time (the caller then
   * matches the restrictions inside it itself: the match it masks by did not cover it).
   */
  noteShadowRoot(root: ShadowRoot): boolean;
  /** Shadow roots first serialized since the last call: the capture observes them. */
  takeNewShadowRoots(): ShadowRoot[];
  /**
   * Stylesheets whose rules script changed through the CSSOM while the capture watched, or, in the
   * documents of `cssomWatched`, since the SDK loaded (`cssom-watch.ts`): a `<style>` or `<link>`
   * whose sheet is here always carries `css`. A `<style>` whose text changes gets a new sheet, which
   * is not here until script changes it.
   */
  readonly scriptedSheets: WeakSet<CSSStyleSheet>;
  /**
   * Documents whose CSSOM changes have been recorded in `scriptedSheets` for as long as the SDK
   * ran there (the page's own document: `sdk/src/session.ts` watches its window from the SDK's
   * load). A `<link>` sheet of such a document that is not in `scriptedSheets` holds what its file
   * says, so it travels by URL (its `href`: the agent's replica loads it through the resource
   * proxy) instead of as text. Frame documents are not here: their windows are watched only while a
   * capture runs, so their `<link>` sheets travel as text.
   */
  readonly cssomWatched: WeakSet<Document>;
  /**
   * Documents the agent has, with the adopted stylesheets (`as`) it was last sent for each: written
   * by every serialization of a document, compared at each flush (`stylesheetOps`).
   */
  readonly adoptedSent: Map<Document | ShadowRoot, readonly CSSStyleSheet[]>;
  /**
   * The sources of the font faces constructed while a capture watched (`fonts.ts`), by face: kept
   * as long as this context, so a later capture still knows them.
   */
  readonly fontSources: WeakMap<object, FontSourceRecord>;
  /**
   * Documents the agent has, with the script-added font faces (`ff`) it was last sent for each:
   * written by every serialization of a document, compared when a font set changed (`fontOps`).
   */
  readonly fontsSent: Map<Document, readonly object[]>;
  /** The number of an animation made by script (`ScriptAnimation.n`): assigned on first use. */
  animationId(anim: object): number;
  /**
   * An HTML `<canvas>` was serialized (by a snapshot or with an added subtree): set by the
   * serializer, never cleared. Until then the agent has no canvas, so the capture polls none (it
   * starts its canvas timer then: a page without canvases has no timer waking it twice a second).
   */
  canvasSerialized: boolean;
}

export interface CaptureOptions {
  /** Use this mirror instead of a new one (e.g. to keep ids across contexts). */
  mirror?: CaptureMirror;
  /** Extra service predicate, checked after the attribute and `markService`. */
  isService?: (el: Element) => boolean;
  /**
   * A window whose `Node.prototype` getters are pristine (e.g. of a fresh iframe). Default: the
   * document's own window.
   */
  realm?: { Node?: { prototype: object }; Element?: { prototype: object }; Function?: FunctionConstructor } | null;
  /** Where restriction problems are reported (invalid selectors, …). */
  report?: (msg: string, err?: unknown) => void;
  /**
   * The `MutationObserver` to observe with (e.g. of a fresh iframe: pages replace
   * `window.MutationObserver`). Default: the document's window's.
   */
  MutationObserver?: typeof MutationObserver;
}

/** `node.isConnected`; true when a hostile getter throws (then its lists are read as before). */
function stillConnected(node: Node): boolean {
  try {
    return node.isConnected !== false;
  } catch {
    return true;
  }
}

export function createCaptureContext(doc: Document, opts: CaptureOptions = {}): CaptureContext {
  const dom = createDomAccess(opts.realm ?? (doc.defaultView as unknown as CaptureOptions['realm']));
  /** Frame element → the document its serialization carries; document → that frame element. */
  const shown = new WeakMap<Element, Document | null>();
  const hosts = new WeakMap<Document, Element>();
  const mirror = opts.mirror ?? createCaptureMirror(dom, (el) => shown.get(el) ?? dom.shadowRoot(el));
  /** Open shadow roots serialized while they are in the page (see `shadowRoots`). */
  const shadowRoots = new Set<ShadowRoot>();
  /** Roots serialized since the last `takeNewShadowRoots`. */
  let newRoots: ShadowRoot[] = [];
  const marked = new WeakSet<Element>();
  const extra = opts.isService;
  const restrictions = createRestrictions(doc, opts.report);
  const animationIds = new WeakMap<object, number>();
  let nextAnimationId = 1;

  const parentOf = (node: Node): Node | null => {
    const parent = dom.parentNode(node);
    if (parent !== null) return parent;
    if (node.nodeType === 11) {
      // A shadow root's parent in the captured tree is its host (while it is the host's open root).
      const host = (node as ShadowRoot).host;
      return host !== undefined && host !== null && dom.shadowRoot(host) === node ? host : null;
    }
    if (node.nodeType !== 9 || node === doc) return parent;
    const host = hosts.get(node as Document);
    return host !== undefined && frameContent(host) === node ? host : null;
  };

  const documents = (): Document[] => {
    const out: Document[] = [doc];
    const depths: number[] = [0];
    for (let k = 0; k < out.length; k++) {
      const d = out[k] as Document;
      const depth = depths[k] as number;
      if (depth >= FRAME_DEPTH_LIMIT) continue;
      let frames: ArrayLike<Element>;
      try {
        frames = d.querySelectorAll(FRAMES_SELECTOR);
      } catch {
        continue;
      }
      for (let i = 0; i < frames.length; i++) {
        const content = frameContent(frames[i] as Element);
        if (content !== null && !out.includes(content)) {
          out.push(content);
          depths.push(depth + 1);
        }
      }
    }
    return out;
  };

  /** The documents of the last match (`knownDocuments`), and whether a frame loaded since. */
  let known: Document[] | null = null;
  let framesDirty = false;

  const match = (): RestrictionMatch => {
    const docs = documents();
    known = docs;
    framesDirty = false;
    const roots: (Document | ShadowRoot)[] = [...docs];
    for (const root of shadowRoots) {
      if (root.host.isConnected && dom.shadowRoot(root.host) === root) roots.push(root);
      else shadowRoots.delete(root);
    }
    return restrictions.matchAll(roots);
  };

  /** True when every known frame document is still shown by a connected frame element. */
  const knownFramesHold = (docs: readonly Document[]): boolean => {
    const set = new Set(docs);
    for (const d of docs) {
      if (d === doc) continue;
      let host: Element | null | undefined;
      try {
        host = d.defaultView?.frameElement;
      } catch {
        return false;
      }
      if (!host || !host.isConnected || frameContent(host) !== d || !set.has(host.ownerDocument)) return false;
    }
    return true;
  };

  /** `next`, or `prev` when both hold the same elements (the capture then has nothing to diff). */
  const unlessSame = (prev: RestrictionMatch, next: RestrictionMatch): RestrictionMatch => {
    if (next.mask.size !== prev.mask.size || next.control.size !== prev.control.size) return next;
    for (const el of next.mask) if (!prev.mask.has(el)) return next;
    for (const el of next.control) if (!prev.control.has(el)) return next;
    return prev;
  };

  const updateMatch = (prev: RestrictionMatch, records: ArrayLike<MutationRecord>): RestrictionMatch => {
    if (known === null) return unlessSame(prev, match());
    const knownSet = new Set<Document>(known);
    const shapes = new Map<Document, SelectorShape>();
    /** Subtrees to match again, and elements to match again on their own. */
    const roots = new Set<Element>();
    const selves = new Set<Element>();
    let removals = false;
    // Records come in runs of one document: its shape is looked up once per run.
    let lastDoc: Document | null | undefined;
    let shape: SelectorShape | null | undefined;
    for (let r = 0; r < records.length; r++) {
      const rec = records[r] as MutationRecord;
      const target = rec.target;
      const d = target.nodeType === 9 ? (target as Document) : target.ownerDocument;
      if (d !== lastDoc) {
        lastDoc = d;
        // Records of a document that left (still observed until the capture lets it go): none.
        shape = d === null || !knownSet.has(d) ? null : shapes.get(d);
        if (shape === undefined && d !== null) {
          shape = restrictions.shapeOf(d);
          shapes.set(d, shape);
        }
      }
      if (shape === null || shape === undefined) continue;
      if (!shape.local) return unlessSame(prev, match());
      if (rec.type === 'childList') {
        // A parent out of the document now: what it holds is not matched (nothing out of the
        // document is), and what left it had left the document by a record of a parent still
        // in it (the top of what left). Its lists are not read (a `NodeList` each: a subtree
        // emptied node by node has one record per node).
        if (!stillConnected(target)) continue;
        // Whether any element left, once: a burst of removals has one record per node.
        if (!removals) {
          const removedNodes = rec.removedNodes;
          for (let i = 0; i < removedNodes.length && !removals; i++) if ((removedNodes[i] as Node).nodeType === 1) removals = true;
        }
        const addedNodes = rec.addedNodes;
        for (let i = 0; i < addedNodes.length; i++) {
          const n = addedNodes[i] as Node;
          if (n.nodeType === 1) roots.add(n as Element);
        }
      } else if (rec.type === 'attributes') {
        const names = shape.attributes;
        if (names !== null) {
          const name = rec.attributeName ?? '';
          if (!names.has(name) && !names.has(name.toLowerCase())) continue;
        }
        if (shape.combinators) roots.add(target as Element);
        else selves.add(target as Element);
      }
      if (roots.size + selves.size > UPDATE_LIMIT) return unlessSame(prev, match());
    }
    let docs: readonly Document[] = known;
    const framesMoved = framesDirty || (removals && !knownFramesHold(docs));
    if (roots.size === 0 && selves.size === 0 && !removals && !framesMoved) return prev;

    // Inside a root (the root itself included), walking up the tree (not out of a shadow tree:
    // selectors do not cross it either), memoized.
    const memo = new Map<Node, boolean>();
    const inRoot = (start: Node | null): boolean => {
      const chain: Node[] = [];
      let state = false;
      for (let cur = start; cur !== null; cur = cur.parentNode) {
        const m = memo.get(cur);
        if (m !== undefined) {
          state = m;
          break;
        }
        chain.push(cur);
        if (cur.nodeType === 1 && roots.has(cur as Element)) {
          state = true;
          break;
        }
      }
      for (const n of chain) memo.set(n, state);
      return state;
    };
    const keep = (el: Element): boolean => {
      try {
        return el.isConnected && !selves.has(el) && !(roots.size > 0 && inRoot(el));
      } catch {
        return false;
      }
    };
    const mask = new Set<Element>();
    const control = new Set<Element>();
    for (const el of prev.mask) if (keep(el)) mask.add(el);
    for (const el of prev.control) if (keep(el)) control.add(el);
    let framesFound = framesMoved;
    const onFrame = () => {
      framesFound = true;
    };
    for (const root of roots) {
      // Added and removed again, or inside another root (matched with it).
      if (!root.isConnected || inRoot(root.parentNode)) continue;
      restrictions.matchSubtree(root, mask, control, false, FRAMES_SELECTOR, onFrame);
    }
    for (const el of selves) {
      if (el.isConnected) restrictions.matchSubtree(el, mask, control, true, null, null);
    }
    if (framesFound) {
      const now = documents();
      const before = new Set(docs);
      const after = new Set(now);
      const fresh = now.filter((d) => !before.has(d));
      if (fresh.length > 0) {
        const m = restrictions.matchAll(fresh);
        for (const el of m.mask) {
          mask.add(el);
          control.delete(el);
        }
        for (const el of m.control) if (!mask.has(el)) control.add(el);
      }
      if (docs.some((d) => !after.has(d))) {
        for (const el of mask) if (!after.has(el.ownerDocument)) mask.delete(el);
        for (const el of control) if (!after.has(el.ownerDocument)) control.delete(el);
      }
      docs = now;
      known = now;
      framesDirty = false;
    }
    return unlessSame(prev, { mask, control });
  };

  return {
    doc,
    mirror,
    dom,
    parentOf,
    showFrame(el, content) {
      const before = shown.get(el);
      if (before !== undefined && before !== null && before !== content) {
        mirror.forgetSubtree(before);
        if (hosts.get(before) === el) hosts.delete(before);
      }
      shown.set(el, content);
      if (content !== null) hosts.set(content, el);
    },
    shownIn: (el) => shown.get(el),
    frameDepth(d) {
      let depth = 0;
      for (let cur: Document | undefined = d; cur !== undefined && cur !== doc && depth <= FRAME_DEPTH_LIMIT; depth++) {
        const host = hosts.get(cur);
        cur = host?.ownerDocument;
      }
      return depth;
    },
    documents,
    match,
    updateMatch,
    knownDocuments: () => known ?? (known = documents()),
    framesChanged() {
      framesDirty = true;
    },
    noteShadowRoot(root) {
      if (shadowRoots.has(root)) return false;
      shadowRoots.add(root);
      newRoots.push(root);
      return true;
    },
    takeNewShadowRoots() {
      const out = newRoots;
      newRoots = [];
      return out;
    },
    scriptedSheets: new WeakSet(),
    cssomWatched: new WeakSet(),
    adoptedSent: new Map(),
    fontSources: new WeakMap(),
    fontsSent: new Map(),
    canvasSerialized: false,
    animationId(anim) {
      let n = animationIds.get(anim);
      if (n === undefined) {
        n = nextAnimationId++;
        animationIds.set(anim, n);
      }
      return n;
    },
    isService(el, names) {
      if (marked.has(el)) return true;
      // getAttribute can be missing on exotic nodes a hostile page hands us. Where the names are
      // known, the attribute is there when its name is one of them (`getAttribute` finds the
      // first attribute of that qualified name, as the list gives them).
      if ((names === undefined || names.includes(SERVICE_ATTRIBUTE)) && typeof el.getAttribute === 'function' && el.getAttribute(SERVICE_ATTRIBUTE) === 'true') {
        return true;
      }
      return extra !== undefined && extra(el);
    },
    markService(el) {
      marked.add(el);
    },
    restrictions,
    MutationObserver:
      opts.MutationObserver ?? (doc.defaultView as (Window & typeof globalThis) | null)?.MutationObserver ?? MutationObserver,
  };
}
