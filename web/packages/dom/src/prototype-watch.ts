/**
 * Customer side: wrappers of prototype members, installed while a capture runs, that report calls
 * no MutationObserver or event reports (CSSOM calls, `attachShadow`, form-state setters, canvas
 * drawing, font faces, script animations). The watches of one window (`cssom-watch.ts`,
 * `shadow-watch.ts`, `form-watch.ts`, `canvas-watch.ts`, `font-watch.ts`, `animation-watch.ts`)
 * each install theirs through one `PrototypeWatch`.
 *
 * Contract of each wrapper: it calls the original with the same `this` and arguments and returns
 * (or throws) exactly what the original does; only after the original returned does it report, by
 * calling the watch's `after` callback with `this` (and, for methods, the result). A report never
 * throws into the page (errors are swallowed) and allocates no closure per call; a setter wrapper
 * allocates nothing (the original is called through `Function.prototype.call` bound once). After
 * `unwatch()` nothing is reported.
 *
 * A constructor (`constructors`: a global such as `FontFace`) is replaced by a `Proxy` of the
 * original: `new C(…)` (and `super(…)` of a subclass, whose prototype the instance gets) constructs
 * with the original, `instanceof C`, `C.prototype`, `name` and `length` are the original's, and
 * calling it without `new` throws as the original does; `after(instance, args)` once it returned.
 *
 * `unwatch()` puts back each original that still has our wrapper in place; where the page replaced
 * the member meanwhile (and may call ours underneath), or copied our setter into an object of its
 * own (React's value tracking does), our wrapper stays and becomes a pass-through.
 */

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/** Built-ins taken when this module loads (before a page can patch them, in the common case). */
const apply = Reflect.apply;
const construct = Reflect.construct;
const ProxyOf = Proxy;
const call = Function.prototype.call;
const bind = Function.prototype.bind;
const getOwnDescriptor = Object.getOwnPropertyDescriptor;
const defineProperty = Object.defineProperty;

export interface PrototypeWatch {
  /** False once `unwatch()` ran: callbacks that run later (promises) check it. */
  readonly active: boolean;
  /**
   * Wraps each method `names` of `proto` (an own, configurable function property; others are left
   * alone): `after(this, result)` once the original returned.
   */
  methods(proto: object | undefined, names: readonly string[], after: (self: unknown, result: unknown) => void): void;
  /**
   * Wraps the setter of each accessor `names` of `proto` (own, configurable; the getter is kept):
   * `after(this)` once the original setter returned.
   */
  setters(proto: object | undefined, names: readonly string[], after: (self: unknown) => void): void;
  /**
   * Replaces each constructor `names` of `owner` (an own, configurable function property, e.g. a
   * window's `FontFace`) by a `Proxy` (see the module comment): `after(instance, args)` once the
   * original constructed it.
   */
  constructors(owner: object | undefined, names: readonly string[], after: (instance: object, args: unknown[]) => void): void;
  /** Stops reporting and restores the originals (see the module comment). */
  unwatch(): void;
}

interface Patch {
  proto: object;
  name: string;
  original: PropertyDescriptor;
  installed: PropertyDescriptor;
}

/** The own configurable descriptor of `proto[name]`, or undefined (never throws). */
function descriptorOf(proto: object | undefined, name: string): PropertyDescriptor | undefined {
  if (!proto) return undefined;
  try {
    const desc = getOwnDescriptor(proto, name);
    return desc?.configurable ? desc : undefined;
  } catch {
    return undefined;
  }
}

export function createPrototypeWatch(): PrototypeWatch {
  let active = true;
  const patches: Patch[] = [];

  const install = (proto: object, name: string, original: PropertyDescriptor, installed: PropertyDescriptor): void => {
    try {
      defineProperty(proto, name, installed);
      patches.push({ proto, name, original, installed });
    } catch {
      // A frozen prototype: fewer changes are seen as they happen.
    }
  };

  const wrapMethod = (proto: object | undefined, name: string, after: (self: unknown, result: unknown) => void): void => {
    const desc = descriptorOf(proto, name);
    if (!proto || !desc || typeof desc.value !== 'function') return;
    const original = desc.value as AnyFn;
    const wrapped = {
      // A method definition: no `prototype`, like native methods; keeps the name.
      [name](this: unknown, ...args: unknown[]): unknown {
        const result = apply(original, this, args);
        if (active) {
          try {
            after(this, result);
          } catch {
            // never into the page
          }
        }
        return result;
      },
    }[name] as AnyFn;
    try {
      defineProperty(wrapped, 'length', { value: original.length });
    } catch {
      // cosmetic
    }
    install(proto, name, desc, { ...desc, value: wrapped });
  };

  const wrapSetter = (proto: object | undefined, name: string, after: (self: unknown) => void): void => {
    const desc = descriptorOf(proto, name);
    if (!proto || !desc || typeof desc.set !== 'function') return;
    // `set(this, value)`: no arguments array per call, immune to later patches of `call`.
    const set = apply(bind, call, [desc.set]) as (self: unknown, value: unknown) => void;
    const wrapped = {
      set(this: unknown, value: unknown): void {
        set(this, value);
        if (!active) return;
        try {
          after(this);
        } catch {
          // never into the page
        }
      },
    }.set as AnyFn;
    try {
      defineProperty(wrapped, 'name', { value: `set ${name}` });
    } catch {
      // cosmetic
    }
    install(proto, name, desc, { ...desc, set: wrapped });
  };

  const wrapConstructor = (
    owner: object | undefined,
    name: string,
    after: (instance: object, args: unknown[]) => void,
  ): void => {
    const desc = descriptorOf(owner, name);
    if (!owner || !desc || typeof desc.value !== 'function') return;
    const wrapped: object = new ProxyOf(desc.value as new (...args: unknown[]) => object, {
      construct(target, args, newTarget) {
        // `new Wrapped(…)` constructs the original itself; a subclass keeps its own `newTarget`.
        const instance = construct(target, args, newTarget === wrapped ? target : newTarget) as object;
        if (active) {
          try {
            after(instance, args);
          } catch {
            // never into the page
          }
        }
        return instance;
      },
    });
    install(owner, name, desc, { ...desc, value: wrapped });
  };

  return {
    get active() {
      return active;
    },
    methods(proto, names, after) {
      for (const name of names) wrapMethod(proto, name, after);
    },
    setters(proto, names, after) {
      for (const name of names) wrapSetter(proto, name, after);
    },
    constructors(owner, names, after) {
      for (const name of names) wrapConstructor(owner, name, after);
    },
    unwatch() {
      active = false;
      for (const p of patches) {
        try {
          const now = getOwnDescriptor(p.proto, p.name);
          const ours = now !== undefined && now.value === p.installed.value && now.set === p.installed.set;
          if (ours) defineProperty(p.proto, p.name, p.original);
        } catch {
          // leave the pass-through in place
        }
      }
      patches.length = 0;
    },
  };
}
