/**
 * Tree accessors the capture walks with, taken once from a realm's `Node.prototype`.
 *
 * Host pages patch built-ins: frameworks such as Salesforce Lightning redefine `childNodes`,
 * `firstChild` or `parentNode` on `Node.prototype` to hide their synthetic shadow trees (see the
 * corpus page monkey-patched-elements.html). The capture therefore never reads these properties
 * directly: it calls the getters captured here. By default they come from the captured document's
 * own window, which is correct unless the page patched them before the SDK loaded; the SDK can pass
 * a pristine window (for example of a fresh `about:blank` iframe) instead.
 */

export interface DomAccess {
  firstChild(node: Node): Node | null;
  lastChild(node: Node): Node | null;
  nextSibling(node: Node): Node | null;
  previousSibling(node: Node): Node | null;
  parentNode(node: Node): Node | null;
  /**
   * The element's shadow root: its open one, or a closed one `keepShadowRoot` was given; `null`
   * otherwise (none, closed and unknown, or not an element). Never throws.
   */
  shadowRoot(el: Element): ShadowRoot | null;
  /**
   * Keeps `root`, the shadow root `attachShadow` returned for `host` (a closed root cannot be read
   * later): from then on `shadowRoot(host)` gives it. Held weakly, by the host.
   */
  keepShadowRoot(host: Element, root: ShadowRoot): void;
}

type Getter = (this: Node) => Node | null;

function getterOf(proto: object | undefined, name: string): Getter | undefined {
  if (!proto) return undefined;
  const desc = Object.getOwnPropertyDescriptor(proto, name);
  return desc && typeof desc.get === 'function' ? (desc.get as Getter) : undefined;
}

/**
 * Accessors bound from `realm.Node.prototype` (`Function.prototype.call.bind(getter)`: no closure per
 * call, no reliance on the page's `Function.prototype.call` afterwards). Falls back to plain property
 * reads when the realm has no such getters.
 */
export function createDomAccess(
  realm?: { Node?: { prototype: object }; Element?: { prototype: object }; Function?: FunctionConstructor } | null,
): DomAccess {
  const proto = realm?.Node?.prototype;
  const call = (realm?.Function ?? Function).prototype.call;
  const bind = (name: string, fallback: (node: Node) => Node | null): ((node: Node) => Node | null) => {
    const get = getterOf(proto, name);
    return get ? (call.bind(get) as (node: Node) => Node | null) : fallback;
  };
  const elementProto = (realm as { Element?: { prototype: object } } | null | undefined)?.Element?.prototype;
  const shadowGet = getterOf(elementProto, 'shadowRoot') as ((this: Element) => ShadowRoot | null) | undefined;
  const shadowOf = shadowGet ? (call.bind(shadowGet) as (el: Element) => ShadowRoot | null) : (el: Element) => el.shadowRoot;
  /** Closed roots, by host (see `keepShadowRoot`). */
  const kept = new WeakMap<Element, ShadowRoot>();
  /** Whether `kept` ever got a root: most pages have no closed root, and the walk asks every element. */
  let anyKept = false;
  return {
    shadowRoot(el) {
      try {
        const root = shadowOf(el) ?? (anyKept ? kept.get(el) : undefined);
        return root !== undefined && root !== null && root.nodeType === 11 ? root : null;
      } catch {
        return null;
      }
    },
    keepShadowRoot(host, root) {
      anyKept = true;
      kept.set(host, root);
    },
    firstChild: bind('firstChild', (n) => n.firstChild),
    lastChild: bind('lastChild', (n) => n.lastChild),
    nextSibling: bind('nextSibling', (n) => n.nextSibling),
    previousSibling: bind('previousSibling', (n) => n.previousSibling),
    parentNode: bind('parentNode', (n) => n.parentNode),
  };
}
