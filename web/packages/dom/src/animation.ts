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
 * the op that starts it. Animations made with `element.animate()` (script) have no CSS to run in
 * the replica and are not sent; nor are animations of pseudo-elements.
 */

import type { AnimationTime, NodeId } from '@cobrowse/protocol';
import type { CaptureContext } from './context';
import type { ReplicaMirror } from './replica-mirror';

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

/**
 * Customer side: the current times of the page's CSS animations and transitions whose target the
 * agent has (see the module comment), at most `MAX_ANIMATIONS`. Never throws.
 */
export function animationTimes(ctx: CaptureContext): AnimationTime[] {
  const out: AnimationTime[] = [];
  let list: Animation[];
  try {
    list = typeof ctx.doc.getAnimations === 'function' ? ctx.doc.getAnimations() : [];
  } catch {
    return out;
  }
  for (const anim of list) {
    if (out.length >= MAX_ANIMATIONS) break;
    try {
      const name = nameOf(anim as CssAnimationLike);
      const target = targetOf(anim);
      const time = anim.currentTime;
      if (name === undefined || target === null || typeof time !== 'number' || !Number.isFinite(time)) continue;
      const id = ctx.mirror.getId(target);
      if (id === undefined) continue;
      out.push([id, name, Math.round(time), anim.playState === 'paused' ? 1 : 0]);
    } catch {
      // a hostile animation object
    }
  }
  return out;
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
