/**
 * WebGL canvases the agent can see (docs/PROTOCOL.md, "Canvas and media").
 *
 * The capture reads a canvas with `toBlob`. A WebGL context made without
 * `preserveDrawingBuffer: true` (the default) has its drawing buffer cleared once the browser has
 * shown a frame, so a read at any other moment gives a blank picture. While the SDK runs (from the
 * moment it loads, in the top context and in frames that load it: contexts are made when a page
 * starts, usually before any session), `HTMLCanvasElement.prototype.getContext` asks for
 * `webgl`, `webgl2` and `experimental-webgl` contexts with `preserveDrawingBuffer: true`, keeping
 * every other attribute the page gives (the page's dictionary is the prototype of the one passed,
 * so each member it has, own or inherited, is read as before).
 *
 * Trade-off: a preserved buffer costs the customer's GPU a copy per frame shown, and a page that
 * never clears its canvas and counted on the browser doing it would see its old frames stay. The
 * capture's other half (reading canvases inside an animation frame callback, where a page that
 * draws every frame has just drawn) covers contexts made before the SDK loaded.
 *
 * The wrapper calls the original with the same `this` and returns (or throws) what it does; other
 * context types get the page's arguments unchanged. The returned function restores the original
 * when our wrapper is still in place.
 */

const WEBGL_TYPES: ReadonlySet<string> = new Set(['webgl', 'webgl2', 'experimental-webgl']);

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

const apply = Reflect.apply;
const getOwnDescriptor = Object.getOwnPropertyDescriptor;
const defineProperty = Object.defineProperty;
const createObject = Object.create;

/** The context attributes to pass for the page's `attributes` (see the module comment). */
function preserving(attributes: unknown): unknown {
  if (attributes === undefined || attributes === null) return { preserveDrawingBuffer: true };
  if (typeof attributes !== 'object' && typeof attributes !== 'function') return attributes;
  const out = createObject(attributes) as Record<string, unknown>;
  defineProperty(out, 'preserveDrawingBuffer', { value: true, enumerable: true });
  return out;
}

/**
 * Makes `win`'s WebGL contexts keep their drawing buffer (see the module comment). Returns what
 * puts the original `getContext` back. Never throws.
 */
export function keepWebglDrawingBuffers(win: Window): () => void {
  try {
    const proto = (win as Window & { HTMLCanvasElement?: { prototype: object } }).HTMLCanvasElement?.prototype;
    const desc = proto === undefined ? undefined : getOwnDescriptor(proto, 'getContext');
    if (proto === undefined || !desc || typeof desc.value !== 'function' || !desc.configurable) return () => {};
    const original = desc.value as AnyFn;
    const wrapped = {
      getContext(this: unknown, ...args: unknown[]): unknown {
        const type = args[0];
        if (typeof type === 'string' && WEBGL_TYPES.has(type)) {
          const given = [...args];
          given[1] = preserving(args[1]);
          return apply(original, this, given);
        }
        return apply(original, this, args);
      },
    }.getContext as AnyFn;
    defineProperty(wrapped, 'length', { value: original.length });
    const installed: PropertyDescriptor = { ...desc, value: wrapped };
    defineProperty(proto, 'getContext', installed);
    return () => {
      try {
        if (getOwnDescriptor(proto, 'getContext')?.value === wrapped) defineProperty(proto, 'getContext', desc);
      } catch {
        // leave the pass-through in place
      }
    };
  } catch {
    return () => {};
  }
}
