/**
 * The capture context: everything the customer-side functions need, in one object (no module
 * state). The SDK creates one per page and passes it to `serializeDocument`, `mutationsToOps`, …
 */

import { createCaptureMirror, type CaptureMirror } from './capture-mirror';
import { createDomAccess, type DomAccess } from './dom-access';
import { createRestrictions, type Restrictions } from './restriction';

/** Attribute that marks an element (and its subtree) as part of the co-browse UI. */
export const SERVICE_ATTRIBUTE = 'data-gcb-service-node';

export interface CaptureContext {
  readonly doc: Document;
  readonly mirror: CaptureMirror;
  /** Tree accessors (see `DomAccess`: immune to the page patching `Node.prototype`). */
  readonly dom: DomAccess;
  /**
   * True for elements that belong to the co-browse UI: they and their subtrees are never captured
   * and mutations inside them produce no ops.
   */
  isService(el: Element): boolean;
  /** Registers `el` as a service element (what the SDK's `markServiceElement` uses). */
  markService(el: Element): void;
  /**
   * The page's DOM restrictions (rules from the server plus the built-in defaults). Masking follows
   * them everywhere the capture writes content (`mask.ts`): snapshots, adds, `attr`/`text`/`val`
   * ops, `formStateOp(s)`.
   */
  readonly restrictions: Restrictions;
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
  realm?: { Node?: { prototype: object }; Function?: FunctionConstructor } | null;
  /** Where restriction problems are reported (invalid selectors, …). */
  report?: (msg: string, err?: unknown) => void;
}

export function createCaptureContext(doc: Document, opts: CaptureOptions = {}): CaptureContext {
  const dom = createDomAccess(opts.realm ?? (doc.defaultView as unknown as CaptureOptions['realm']));
  const mirror = opts.mirror ?? createCaptureMirror(dom);
  const marked = new WeakSet<Element>();
  const extra = opts.isService;
  return {
    doc,
    mirror,
    dom,
    isService(el) {
      if (marked.has(el)) return true;
      // getAttribute can be missing on exotic nodes a hostile page hands us.
      if (typeof el.getAttribute === 'function' && el.getAttribute(SERVICE_ATTRIBUTE) === 'true') {
        return true;
      }
      return extra !== undefined && extra(el);
    },
    markService(el) {
      marked.add(el);
    },
    restrictions: createRestrictions(doc, opts.report),
  };
}
