/**
 * CSS animations and transitions in their current state (docs/PROTOCOL.md, "Animations"), both
 * halves.
 *
 * The replica runs the page's CSS (it is inert markup, not script), so its CSS animations and
 * transitions run by themselves — but they start when the replica is built, not when the
 * customer's did. A full snapshot therefore carries, for each running or paused CSS animation and
 * transition of the page's document (shadow trees included), its target's id, its name (the
 * `animation-name`, or the transitioned property) and its current time; the viewer sets the
 * replica's matching animations to that time (and pauses those paused by script). Later batches
 * need nothing: an animation that starts after the snapshot starts on both sides within a frame of
 * the op that starts it. Animations of pseudo-elements are not sent.
 *
 * Animations made by script (`element.animate()`, or `new Animation(new KeyframeEffect(…))`) have
 * no CSS to run in the replica: their keyframes, timing, current time and play state travel
 * (`ScriptAnimation`: `wa` in snapshots, an `anim` op when one starts or is played, paused,
 * finished or cancelled, which the capture notices through `animation-watch.ts`), and the viewer makes
 * each again with the replica element's own `animate()`. Keyframe properties that are not CSS
 * properties are dropped; URLs in values are absolute (capture) and go through the viewer's
 * `mapUrl` as CSS (replica); in masked content, values lose their image references as masked
 * `style` attributes do (`maskStyle`).
 */

import type { AnimationTime, NodeId, Op, ScriptAnimation } from '@cobrowse/protocol';
import type { CaptureContext } from './context';
import type { MaskScope } from './mask';
import { maskStyle } from './mask';
import type { ReplicaMirror } from './replica-mirror';
import { absolutizeCss } from './sanitize';

/** At most this many animations are sent with a snapshot. */
export const MAX_ANIMATIONS = 500;

type CssAnimationLike = Animation & { animationName?: unknown; transitionProperty?: unknown };

/** The name a CSS animation or transition is matched by on both sides, or `undefined`. */
function nameOf(anim: CssAnimationLike): string | undefined {
  if (typeof anim.animationName === 'string') return 'a:' + anim.animationName;
  if (typeof anim.transitionProperty === 'string') return 't:' + anim.transitionProperty;
  return undefined;
}

/** The element a CSS animation runs on (not a pseudo-element's), or `null`. */
function targetOf(anim: Animation): Element | null {
  const effect = anim.effect as (KeyframeEffect & { pseudoElement?: string | null }) | null;
  if (!effect || effect.pseudoElement) return null;
  return effect.target ?? null;
}

/** The time of CSS animation or transition `anim` if its target is one the agent has, or `null`. */
function animationTime(anim: Animation, ctx: CaptureContext): AnimationTime | null {
  const name = nameOf(anim as CssAnimationLike);
  const target = targetOf(anim);
  const time = anim.currentTime;
  if (name === undefined || target === null || typeof time !== 'number' || !Number.isFinite(time)) return null;
  const id = ctx.mirror.getId(target);
  if (id === undefined) return null;
  return [id, name, Math.round(time), anim.playState === 'paused' ? 1 : 0];
}

/**
 * Replica side: sets the current time of each replica animation that matches an entry (same
 * target id, same name; the n-th of a kind matches the n-th) and pauses those paused on the
 * customer's side. Entries that match nothing are ignored. Returns how many were set; never throws.
 */
export function applyAnimationTimes(doc: Document, mirror: ReplicaMirror, times: unknown): number {
  if (!Array.isArray(times) || typeof doc.getAnimations !== 'function') return 0;
  const wanted = new Map<string, [number, boolean][]>();
  for (const entry of times.slice(0, MAX_ANIMATIONS)) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'number' || typeof entry[1] !== 'string' || typeof entry[2] !== 'number') continue;
    if (!Number.isFinite(entry[2])) continue;
    const key = `${entry[0]} ${entry[1]}`;
    const list = wanted.get(key);
    const value: [number, boolean] = [entry[2], entry[3] === 1];
    if (list === undefined) wanted.set(key, [value]);
    else list.push(value);
  }
  if (wanted.size === 0) return 0;
  let set = 0;
  try {
    for (const anim of doc.getAnimations()) {
      const name = nameOf(anim as CssAnimationLike);
      const target = targetOf(anim);
      if (name === undefined || target === null) continue;
      const id: NodeId | undefined = mirror.getId(target);
      if (id === undefined) continue;
      const next = wanted.get(`${id} ${name}`)?.shift();
      if (next === undefined) continue;
      try {
        anim.currentTime = next[0];
        if (next[1]) anim.pause();
        set++;
      } catch {
        // an animation that refuses the time
      }
    }
  } catch {
    // no animations API here
  }
  return set;
}

// ---- animations made by script ------------------------------------------------------------------

/** At most this many keyframes per animation are sent (and built). */
const MAX_KEYFRAMES = 100;
/** A keyframe value or timing string longer than this is dropped. */
const MAX_VALUE_CHARS = 4096;
/** The replica's animation made for number `n` has this `id` prefix. */
const REPLICA_ID_PREFIX = 'cobrowse-animation-';
/** Keyframe members that are not CSS properties. */
const KEYFRAME_MEMBERS: ReadonlySet<string> = new Set(['offset', 'easing', 'composite']);
const COMPOSITES: ReadonlySet<string> = new Set(['auto', 'replace', 'add', 'accumulate']);
/** `getTiming()` members sent: numbers, and these strings. */
const TIMING_STRINGS: ReadonlySet<string> = new Set(['fill', 'direction', 'easing', 'duration']);
const TIMING_NUMBERS: ReadonlySet<string> = new Set(['delay', 'endDelay', 'iterationStart', 'iterations', 'duration']);
const PLAY_STATES: ReadonlySet<string> = new Set(['idle', 'running', 'paused', 'finished']);

/**
 * True when keyframe member `name` is a CSS property by `style` (a declaration of the element's
 * realm): a custom property, or a string attribute of `CSSStyleDeclaration` (camelCase, as
 * `getKeyframes()` names them) other than `cssText`.
 */
function isCssProperty(style: CSSStyleDeclaration, name: string): boolean {
  if (name.startsWith('--')) return /^--[\w-]+$/.test(name);
  return name !== 'cssText' && typeof (style as unknown as Record<string, unknown>)[name] === 'string';
}

/** A style declaration of `el`'s realm, for `isCssProperty`. */
function styleOf(el: Element): CSSStyleDeclaration | null {
  const style = (el as HTMLElement).style ?? (el.ownerDocument.documentElement as HTMLElement | null)?.style;
  return style ?? null;
}

/** `getTiming()` in wire form: finite numbers, `"Infinity"`, and the strings of `TIMING_STRINGS`. */
function wireTiming(timing: object): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(timing)) {
    if (typeof v === 'number' && TIMING_NUMBERS.has(k)) {
      if (Number.isFinite(v)) out[k] = v;
      else if (v === Infinity) out[k] = 'Infinity';
    } else if (typeof v === 'string' && TIMING_STRINGS.has(k) && v.length <= MAX_VALUE_CHARS) {
      out[k] = v;
    }
  }
  return out;
}

/** The state of `anim` when it is an animation made by script on an element the agent has. */
function scriptAnimation(anim: Animation, ctx: CaptureContext, scope: MaskScope): ScriptAnimation | null {
  if (nameOf(anim as CssAnimationLike) !== undefined) return null;
  const effect = anim.effect as KeyframeEffect | null;
  if (!effect || typeof effect.getKeyframes !== 'function' || typeof effect.getTiming !== 'function') return null;
  const target = targetOf(anim);
  if (target === null) return null;
  const i = ctx.mirror.getId(target);
  const style = styleOf(target);
  if (i === undefined || style === null) return null;
  const n = ctx.animationId(anim);
  const masked = scope.isMasked(target);
  const base = target.ownerDocument.baseURI || target.ownerDocument.URL;
  const kf: Record<string, string | number | null>[] = [];
  for (const frame of effect.getKeyframes().slice(0, MAX_KEYFRAMES)) {
    const out: Record<string, string | number | null> = {};
    for (const [k, v] of Object.entries(frame)) {
      if (k === 'offset') {
        if (typeof v === 'number' || v === null) out[k] = v;
      } else if (KEYFRAME_MEMBERS.has(k)) {
        if (typeof v === 'string' && v.length <= MAX_VALUE_CHARS) out[k] = v;
      } else if (typeof v === 'string' && v.length <= MAX_VALUE_CHARS && isCssProperty(style, k)) {
        const value = masked ? maskStyle(v) : absolutizeCss(v, base);
        if (value !== null) out[k] = value;
      }
    }
    kf.push(out);
  }
  const time = anim.currentTime;
  const rate = anim.playbackRate;
  const ps = anim.playState;
  const entry: ScriptAnimation = {
    n,
    i,
    kf,
    tm: wireTiming(effect.getTiming()),
    t: typeof time === 'number' && Number.isFinite(time) ? Math.round(time) : null,
    ps: PLAY_STATES.has(ps) ? ps : 'idle',
  };
  if (typeof rate === 'number' && Number.isFinite(rate) && rate !== 1) entry.r = rate;
  return entry;
}

/** What a full snapshot carries of the page's animations (see the module comment). */
export interface SnapshotAnimations {
  /** The current times of the page document's CSS animations and transitions (`an`). */
  an: AnimationTime[];
  /** The animations made by script of every document the capture shows (`wa`). */
  wa: ScriptAnimation[];
}

/**
 * Customer side: the page's animations for a full snapshot, at most `MAX_ANIMATIONS` of each kind,
 * from one `getAnimations()` per document (a call walks the document's animations; the page's
 * document is asked once for both kinds). The documents are those of the snapshot's match
 * (`knownDocuments`: no second query of the page for its frames). Never throws.
 */
export function snapshotAnimations(ctx: CaptureContext, scope: MaskScope): SnapshotAnimations {
  const out: SnapshotAnimations = { an: [], wa: [] };
  for (const doc of ctx.knownDocuments()) {
    let list: Animation[];
    try {
      list = typeof doc.getAnimations === 'function' ? doc.getAnimations() : [];
    } catch {
      continue;
    }
    // CSS animations run by themselves in the replica's frame documents too: only the page's own
    // document's are set to their time.
    const times = doc === ctx.doc;
    for (const anim of list) {
      if (out.wa.length >= MAX_ANIMATIONS && (!times || out.an.length >= MAX_ANIMATIONS)) return out;
      try {
        if (nameOf(anim as CssAnimationLike) !== undefined) {
          if (!times || out.an.length >= MAX_ANIMATIONS) continue;
          const entry = animationTime(anim, ctx);
          if (entry !== null) out.an.push(entry);
        } else if (out.wa.length < MAX_ANIMATIONS) {
          const entry = scriptAnimation(anim, ctx, scope);
          if (entry !== null) out.wa.push(entry);
        }
      } catch {
        // a hostile animation object
      }
    }
  }
  return out;
}

/** Customer side: the `anim` op for `anim` (started, played, paused, …), or `null`. Never throws. */
export function scriptAnimationOp(anim: Animation, ctx: CaptureContext, scope: MaskScope): Op | null {
  try {
    const a = scriptAnimation(anim, ctx, scope);
    return a === null ? null : { o: 'anim', a };
  } catch {
    return null;
  }
}

/** Keyframes of the wire for replica element `el`: known members, CSS properties, values mapped. */
function replicaKeyframes(el: Element, kf: unknown, map: ((css: string) => string) | undefined): Keyframe[] | null {
  const style = styleOf(el);
  if (!Array.isArray(kf) || style === null) return null;
  const out: Keyframe[] = [];
  for (const frame of kf.slice(0, MAX_KEYFRAMES)) {
    if (typeof frame !== 'object' || frame === null) return null;
    const k: Keyframe = {};
    for (const [name, v] of Object.entries(frame as Record<string, unknown>)) {
      if (name === 'offset') {
        if (v === null || (typeof v === 'number' && v >= 0 && v <= 1)) k.offset = v;
      } else if (name === 'easing') {
        if (typeof v === 'string' && v.length <= MAX_VALUE_CHARS) k.easing = v;
      } else if (name === 'composite') {
        if (typeof v === 'string' && COMPOSITES.has(v)) k.composite = v as CompositeOperationOrAuto;
      } else if (typeof v === 'string' && v.length <= MAX_VALUE_CHARS && isCssProperty(style, name)) {
        k[name] = map === undefined ? v : map(v);
      }
    }
    out.push(k);
  }
  return out;
}

/** Timing of the wire: the members `wireTiming` sends, `"Infinity"` read back as a number. */
function replicaTiming(tm: unknown): OptionalEffectTiming {
  const out: Record<string, string | number> = {};
  if (typeof tm !== 'object' || tm === null) return out;
  for (const [k, v] of Object.entries(tm as Record<string, unknown>)) {
    if (TIMING_NUMBERS.has(k) && (typeof v === 'number' ? Number.isFinite(v) : v === 'Infinity')) out[k] = v === 'Infinity' ? Infinity : (v as number);
    else if (TIMING_STRINGS.has(k) && typeof v === 'string' && v.length <= MAX_VALUE_CHARS) out[k] = v;
  }
  return out as OptionalEffectTiming;
}

/**
 * Replica: makes the replica's animation number `a.n` the wire's `a` (an `anim` op's, or a `wa`
 * entry): the one made before for that number is cancelled, then, unless `a.ps` is `idle`, the
 * target makes it again with its own `animate()` (keyframe values through `map`, the viewer's
 * `mapUrl` as CSS), at the customer's current time, paused when paused. False when malformed or the
 * target is unknown. Never throws.
 */
export function applyScriptAnimation(mirror: ReplicaMirror, a: unknown, map?: (css: string) => string): boolean {
  try {
    if (typeof a !== 'object' || a === null) return false;
    const { n, i, kf, tm, t, ps, r } = a as Record<string, unknown>;
    if (typeof n !== 'number' || typeof i !== 'number' || typeof ps !== 'string' || !PLAY_STATES.has(ps)) return false;
    const el = mirror.getNode(i);
    if (el === undefined || el.nodeType !== 1 || typeof (el as Element).animate !== 'function') return false;
    const target = el as Element;
    const id = REPLICA_ID_PREFIX + n;
    for (const old of target.getAnimations()) if (old.id === id) old.cancel();
    if (ps === 'idle') return true;
    const keyframes = replicaKeyframes(target, kf, map);
    if (keyframes === null) return false;
    const anim = target.animate(keyframes, replicaTiming(tm));
    anim.id = id;
    if (typeof r === 'number' && Number.isFinite(r)) anim.playbackRate = r;
    if (typeof t === 'number' && Number.isFinite(t)) anim.currentTime = t;
    if (ps === 'paused') anim.pause();
    return true;
  } catch {
    return false;
  }
}

/** Replica: `applyScriptAnimation` for each of a snapshot's `wa` (at most `MAX_ANIMATIONS`); how many. */
export function applyScriptAnimations(mirror: ReplicaMirror, list: unknown, map?: (css: string) => string): number {
  if (!Array.isArray(list)) return 0;
  let applied = 0;
  for (const a of list.slice(0, MAX_ANIMATIONS)) if (applyScriptAnimation(mirror, a, map)) applied++;
  return applied;
}
