/**
 * Customer side: notices the stylesheet changes that no MutationObserver reports, by wrapping
 * prototype members of one window while a capture runs:
 *
 * - rules inserted or deleted through the CSSOM: `insertRule`, `deleteRule`, `addRule`,
 *   `removeRule`, `replace`, `replaceSync` of `CSSStyleSheet`, and `insertRule` / `deleteRule` of
 *   `CSSGroupingRule` (`@media`, `@supports`, …), which CSS-in-JS libraries call directly;
 * - assignments of `adoptedStyleSheets` on documents and shadow roots (the setter);
 * - `Element.prototype.attachShadow` (a new shadow root: `onShadow` with its host);
 * - with a `FontFaceWatch`: the window's `FontFace` constructor (`constructed` with each new face
 *   and its source, which a face does not expose; see below) and `add`, `delete`, `clear` of
 *   `FontFaceSet` (`changed`);
 * - with an `AnimationWatch`: `Element.prototype.animate` (`changed` with the animation it
 *   returned) and `play`, `pause`, `cancel`, `finish` of `Animation` (`changed` with it).
 *
 * Contract of each wrapper: it calls the original with the same `this` and arguments and returns
 * (or throws) exactly what the original does; only after the original returned does it report the
 * change — `onSheet` with the top-level sheet that changed (a grouping rule and an `@import` chain
 * walk up to it), `onAdopt` with the document or shadow root. A report never throws into the page
 * (errors are swallowed) and costs a set insertion in the caller: no per-node work, no closure per
 * call. Not seen: declarations edited in place (`rule.style.color = …`), and `push` / `splice` on an
 * `adoptedStyleSheets` array (the capture compares the lists at each flush, so these show with the
 * next change of any kind).
 *
 * The constructor is replaced by a `Proxy` of the original: `new FontFace(…)` (and `super(…)` of a
 * subclass, whose prototype the instance gets) constructs with the original, `instanceof FontFace`,
 * `FontFace.prototype`, `name` and `length` are the original's, and calling it without `new`
 * throws as the original does.
 *
 * `unwatch()` puts back each original that still has our wrapper in place; where the page replaced
 * the member meanwhile (and may call ours underneath), our wrapper stays and becomes a pass-through.
 */

/** What the font wrappers report (see the module comment). */
export interface FontFaceWatch {
  /** `new FontFace(family, source, …)` returned `face` in `win`. */
  constructed(face: object, source: unknown, win: Window): void;
  /** `add`, `delete` or `clear` of a `FontFaceSet` returned. */
  changed(): void;
}

/** What the animation wrappers report (see the module comment). */
export interface AnimationWatch {
  /** An animation was made by `animate()`, or played, paused, cancelled or finished. */
  changed(anim: Animation): void;
}

/** The optional watches of `watchStylesheets`. */
export interface MoreWatches {
  fonts?: FontFaceWatch;
  animations?: AnimationWatch;
}

export interface StylesheetWatch {
  /** Stops reporting and restores the originals (see the module comment). */
  unwatch(): void;
}

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/** `Reflect.apply` taken when this module loads (before a page can patch it, in the common case). */
const apply = Reflect.apply;
const construct = Reflect.construct;
const ProxyOf = Proxy;
const getOwnDescriptor = Object.getOwnPropertyDescriptor;
const defineProperty = Object.defineProperty;

/** The stylesheet a CSSOM object belongs to at top level (`@import`ed sheets walk up), or null. */
export function topLevelSheet(target: unknown): CSSStyleSheet | null {
  try {
    // A sheet has `ownerRule`; a rule has not (it has `parentStyleSheet`).
    let sheet: CSSStyleSheet | null | undefined =
      typeof target === 'object' && target !== null && 'ownerRule' in target
        ? (target as CSSStyleSheet)
        : (target as { parentStyleSheet?: CSSStyleSheet | null }).parentStyleSheet;
    for (let hops = 0; sheet && hops < 16; hops++) {
      const owner: CSSRule | null = sheet.ownerRule;
      if (!owner || !owner.parentStyleSheet) return sheet;
      sheet = owner.parentStyleSheet;
    }
    return sheet ?? null;
  } catch {
    return null;
  }
}

interface Patch {
  proto: object;
  name: string;
  original: PropertyDescriptor;
  installed: PropertyDescriptor;
}

/**
 * Wraps the members of `win`'s prototypes listed in the module comment. `onSheet` / `onAdopt` are
 * called after each successful change (see the contract above).
 */
export function watchStylesheets(
  win: Window,
  onSheet: (sheet: CSSStyleSheet) => void,
  onAdopt: (root: Document | ShadowRoot) => void,
  onShadow: (host: Element) => void = () => {},
  more: MoreWatches = {},
): StylesheetWatch {
  let active = true;
  const patches: Patch[] = [];
  const w = win as unknown as Record<string, { prototype?: object } | undefined>;

  const reportSheet = (target: unknown): void => {
    if (!active) return;
    try {
      const sheet = topLevelSheet(target);
      if (sheet) onSheet(sheet);
    } catch {
      // never into the page
    }
  };

  /** `fn` as a report: nothing once stopped, never an error into the page. */
  const reporter =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (!active) return;
      try {
        fn(...args);
      } catch {
        // never into the page
      }
    };

  /** Wraps a method; `report` gets `this` and the result after each call that returned. */
  const wrapMethod = (
    proto: object | undefined,
    name: string,
    async: boolean,
    report: (self: unknown, result: unknown) => void = reportSheet,
  ): void => {
    if (!proto) return;
    const desc = getOwnDescriptor(proto, name);
    if (!desc || typeof desc.value !== 'function' || !desc.configurable) return;
    const original = desc.value as AnyFn;
    const wrapped = {
      // A method definition: no `prototype`, like native methods; keeps the name.
      [name](this: unknown, ...args: unknown[]): unknown {
        const result = apply(original, this, args);
        report(this, result);
        if (async && result && typeof (result as Promise<unknown>).then === 'function') {
          const self = this;
          // The rules change when the promise settles; the page's own handlers see the same promise.
          (result as Promise<unknown>).then(
            () => report(self, undefined),
            () => undefined,
          );
        }
        return result;
      },
    }[name] as AnyFn;
    try {
      defineProperty(wrapped, 'length', { value: original.length });
    } catch {
      // cosmetic
    }
    const installed: PropertyDescriptor = { ...desc, value: wrapped };
    defineProperty(proto, name, installed);
    patches.push({ proto, name, original: desc, installed });
  };

  const wrapSetter = (proto: object | undefined, name: string): void => {
    if (!proto) return;
    const desc = getOwnDescriptor(proto, name);
    if (!desc || typeof desc.set !== 'function' || !desc.configurable) return;
    const set = desc.set as AnyFn;
    const wrapped = {
      set(this: unknown, value: unknown): void {
        apply(set, this, [value]);
        if (!active) return;
        try {
          onAdopt(this as Document | ShadowRoot);
        } catch {
          // never into the page
        }
      },
    }.set as AnyFn;
    const installed: PropertyDescriptor = { ...desc, set: wrapped };
    defineProperty(proto, name, installed);
    patches.push({ proto, name, original: desc, installed });
  };

  /** `attachShadow`: `onShadow(host)` after a root was attached (no mutation record says so). */
  const wrapAttachShadow = (proto: object | undefined): void => {
    if (!proto) return;
    const desc = getOwnDescriptor(proto, 'attachShadow');
    if (!desc || typeof desc.value !== 'function' || !desc.configurable) return;
    const original = desc.value as AnyFn;
    const wrapped = {
      attachShadow(this: unknown, ...args: unknown[]): unknown {
        const root = apply(original, this, args);
        if (active) {
          try {
            onShadow(this as Element);
          } catch {
            // never into the page
          }
        }
        return root;
      },
    }.attachShadow as AnyFn;
    try {
      defineProperty(wrapped, 'length', { value: original.length });
    } catch {
      // cosmetic
    }
    const installed: PropertyDescriptor = { ...desc, value: wrapped };
    defineProperty(proto, 'attachShadow', installed);
    patches.push({ proto, name: 'attachShadow', original: desc, installed });
  };

  /** `win[name]`, a constructor, becomes a `Proxy` that reports each instance (module comment). */
  const wrapConstructor = (name: string, onConstruct: (instance: object, args: unknown[]) => void): void => {
    const desc = getOwnDescriptor(win, name);
    if (!desc || typeof desc.value !== 'function' || !desc.configurable) return;
    const report = reporter(onConstruct);
    const wrapped: object = new ProxyOf(desc.value as new (...args: unknown[]) => object, {
      construct(target, args, newTarget) {
        const instance = construct(target, args, newTarget === wrapped ? target : newTarget) as object;
        report(instance, args);
        return instance;
      },
    });
    const installed: PropertyDescriptor = { ...desc, value: wrapped };
    defineProperty(win, name, installed);
    patches.push({ proto: win, name, original: desc, installed });
  };

  try {
    const sheetProto = w['CSSStyleSheet']?.prototype;
    wrapMethod(sheetProto, 'insertRule', false);
    wrapMethod(sheetProto, 'deleteRule', false);
    wrapMethod(sheetProto, 'addRule', false);
    wrapMethod(sheetProto, 'removeRule', false);
    wrapMethod(sheetProto, 'replaceSync', false);
    wrapMethod(sheetProto, 'replace', true);
    const groupingProto = w['CSSGroupingRule']?.prototype;
    wrapMethod(groupingProto, 'insertRule', false);
    wrapMethod(groupingProto, 'deleteRule', false);
    wrapSetter(w['Document']?.prototype, 'adoptedStyleSheets');
    wrapAttachShadow(w['Element']?.prototype);
    wrapSetter(w['ShadowRoot']?.prototype, 'adoptedStyleSheets');
    const { fonts, animations } = more;
    if (fonts !== undefined) {
      wrapConstructor('FontFace', (face, args) => fonts.constructed(face, args[1], win));
      const reportFonts = reporter(() => fonts.changed());
      for (const name of ['add', 'delete', 'clear']) wrapMethod(w['FontFaceSet']?.prototype, name, false, reportFonts);
    }
    if (animations !== undefined) {
      wrapMethod(w['Element']?.prototype, 'animate', false, reporter((_el: unknown, anim: unknown) => animations.changed(anim as Animation)));
      const reportAnimation = reporter((anim: unknown) => animations.changed(anim as Animation));
      for (const name of ['play', 'pause', 'cancel', 'finish']) wrapMethod(w['Animation']?.prototype, name, false, reportAnimation);
    }
  } catch {
    // A realm that refuses: fewer changes are seen as they happen; flushes still compare.
  }

  return {
    unwatch() {
      active = false;
      for (const p of patches) {
        try {
          const now = getOwnDescriptor(p.proto, p.name);
          const ours = now !== undefined && (now.value === p.installed.value && now.set === p.installed.set);
          if (ours) defineProperty(p.proto, p.name, p.original);
        } catch {
          // leave the pass-through in place
        }
      }
      patches.length = 0;
    },
  };
}
