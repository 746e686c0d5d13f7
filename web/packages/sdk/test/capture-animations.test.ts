// Animations made by script (`element.animate()`) reach the agent: `wa` in snapshots, `anim` ops
// when they start or are paused / played / cancelled, and the replica makes them again. jsdom has
// no Web Animations: each test gives it `Element.prototype.animate`, `getAnimations` and an
// `Animation` class with the browser's members and behaviour as far as the capture uses them.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  applyOps,
  applyScriptAnimations,
  createCaptureContext,
  createMaskScope,
  createReplicaMirror,
  EMPTY_MATCH,
  MAX_ANIMATIONS,
  snapshotAnimations,
  serializeDocument,
} from '@cobrowse/dom';
import { type FullSnapshot, type Op, type ScriptAnimation } from '@cobrowse/protocol';
import { batchOps, start } from './capture-session';

type Frame = Record<string, string | number | null>;

class PageKeyframeEffect {
  readonly pseudoElement = null;
  constructor(
    readonly target: Element,
    private readonly frames: Frame[],
    private readonly timing: Record<string, unknown>,
  ) {}
  getKeyframes(): Frame[] {
    const last = Math.max(1, this.frames.length - 1);
    return this.frames.map((f, k) => ({ offset: null, easing: 'linear', composite: 'auto', ...f, computedOffset: k / last }));
  }
  getTiming(): Record<string, unknown> {
    const t = { delay: 0, endDelay: 0, fill: 'auto', iterationStart: 0, iterations: 1, duration: 'auto', direction: 'normal', easing: 'linear' };
    return { ...t, ...this.timing };
  }
}

/** The animations of the test's window, in creation order (a browser's timeline). */
const timeline: PageAnimation[] = [];

class PageAnimation {
  id = '';
  currentTime: number | null = 0;
  playbackRate = 1;
  playState: 'idle' | 'running' | 'paused' | 'finished' = 'running';
  constructor(readonly effect: PageKeyframeEffect) {
    timeline.push(this);
  }
  play(): void {
    this.playState = 'running';
  }
  pause(): void {
    this.playState = 'paused';
  }
  cancel(): void {
    this.playState = 'idle';
    this.currentTime = null;
  }
  finish(): void {
    this.playState = 'finished';
  }
}

const live = (): PageAnimation[] => timeline.filter((a) => a.playState !== 'idle');

beforeEach(() => {
  timeline.length = 0;
  Object.defineProperty(window, 'Animation', { value: PageAnimation, configurable: true, writable: true });
  Object.defineProperty(Element.prototype, 'animate', {
    configurable: true,
    writable: true,
    value(this: Element, frames: Frame[], timing: number | Record<string, unknown>) {
      return new PageAnimation(new PageKeyframeEffect(this, frames, typeof timing === 'number' ? { duration: timing } : timing));
    },
  });
  Object.defineProperty(Element.prototype, 'getAnimations', {
    configurable: true,
    writable: true,
    value(this: Element) {
      return live().filter((a) => a.effect.target === this);
    },
  });
  Object.defineProperty(Document.prototype, 'getAnimations', {
    configurable: true,
    writable: true,
    value(this: Document) {
      return live().filter((a) => a.effect.target.ownerDocument === this);
    },
  });
});

afterEach(() => {
  for (const [proto, name] of [
    [window, 'Animation'],
    [Element.prototype, 'animate'],
    [Element.prototype, 'getAnimations'],
    [Document.prototype, 'getAnimations'],
  ] as const) {
    delete (proto as unknown as Record<string, unknown>)[name];
  }
  document.body.replaceChildren();
});

function box(id: string): HTMLElement {
  const el = document.createElement('div');
  el.id = id;
  document.body.appendChild(el);
  return el;
}

describe('animations made by script', () => {
  it('snapshots carry `wa`; animate, pause, cancel send `anim`; CSS properties only, URLs absolute', async () => {
    const early = box('early');
    const late = box('late');
    const s = start();
    try {
      const a = early.animate(
        [
          { transform: 'translateX(0px)', backgroundImage: 'url(img/a.png)', notCss: 'x', cssText: 'color: red', '--hue': '10' },
          { transform: 'translateX(100px)', offset: 1, easing: 'ease-in' },
        ] as unknown as Keyframe[],
        { duration: 1000, iterations: Infinity },
      ) as unknown as PageAnimation;
      a.currentTime = 250;
      a.pause();
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
      const snap = (await s.payloads())[0]?.payload as FullSnapshot;
      const earlyId = s.ctx.mirror.getId(early) as number;
      expect(snap.wa).toEqual([
        {
          n: 1,
          i: earlyId,
          kf: [
            { offset: null, easing: 'linear', composite: 'auto', transform: 'translateX(0px)', backgroundImage: `url(${new URL('img/a.png', document.baseURI).href})`, '--hue': '10' },
            { offset: 1, easing: 'ease-in', composite: 'auto', transform: 'translateX(100px)' },
          ],
          tm: { delay: 0, endDelay: 0, fill: 'auto', iterationStart: 0, iterations: 'Infinity', duration: 1000, direction: 'normal', easing: 'linear' },
          t: 250,
          ps: 'paused',
        },
      ]);

      // One started after the snapshot, then the first cancelled.
      const b = late.animate([{ opacity: '0' }, { opacity: '1' }], 500) as unknown as PageAnimation;
      b.currentTime = 100;
      let ops = await batchOps(s, 2);
      expect(ops).toContainEqual({ o: 'anim', a: expect.objectContaining({ n: 2, i: s.ctx.mirror.getId(late), t: 100, ps: 'running' }) });
      a.cancel();
      ops = await batchOps(s, 3);
      expect(ops.at(-1)).toEqual({ o: 'anim', a: expect.objectContaining({ n: 1, ps: 'idle', t: null }) });

      // stop() gives back the page's own animate().
      const wrapped = Element.prototype.animate;
      s.capture.stop();
      expect(Element.prototype.animate).not.toBe(wrapped);
      expect(late.animate([], 1)).toBeInstanceOf(PageAnimation);
    } finally {
      s.capture.stop();
    }
  });

  it('in masked content keyframe values lose their image references', async () => {
    const secret = box('secret');
    const inner = secret.appendChild(document.createElement('span'));
    const s = start();
    try {
      s.ctx.restrictions.setRules([{ id: 1, selector: '#secret', kind: 'mask', urlPattern: null }]);
      inner.animate([{ backgroundImage: 'url(https://shop.example/private.png)', opacity: '0' }, { opacity: '1' }] as unknown as Keyframe[], 100);
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
      const snap = (await s.payloads())[0]?.payload as FullSnapshot;
      expect(snap.wa?.[0]?.kf[0]).toEqual(expect.objectContaining({ backgroundImage: 'none', opacity: '0' }));
      expect(JSON.stringify(snap)).not.toContain('private.png');
    } finally {
      s.capture.stop();
    }
  });

  it('the replica makes them with its own animate(): mapped values, time, pause; replaced and cancelled by number', () => {
    const el = box('target');
    const mirror = createReplicaMirror();
    mirror.set(1, document);
    mirror.set(7, el);
    const a: ScriptAnimation = {
      n: 3,
      i: 7,
      kf: [{ offset: 0, backgroundImage: 'url(https://shop.example/a.png)', onclick: 'x', cssText: 'color: red', transform: 'none' }, { offset: 2, transform: 'scale(2)' }],
      tm: { duration: 1000, iterations: 'Infinity', fill: 'both', bogus: 'x' },
      t: 400,
      ps: 'paused',
      r: 2,
    };
    const map = (css: string) => css.replace('https://shop.example/', 'https://cobrowse.example/r?url=');
    expect(applyScriptAnimations(mirror, [a, { n: 'x' }], map)).toBe(1);
    const made = el.getAnimations() as unknown as PageAnimation[];
    expect(made).toHaveLength(1);
    const anim = made[0] as PageAnimation;
    expect(anim.id).toBe('cobrowse-animation-3');
    expect([anim.currentTime, anim.playState, anim.playbackRate]).toEqual([400, 'paused', 2]);
    expect(anim.effect.getKeyframes()[0]).toEqual(expect.objectContaining({ offset: 0, backgroundImage: 'url(https://cobrowse.example/r?url=a.png)', transform: 'none' }));
    expect(anim.effect.getKeyframes()[0]).not.toHaveProperty('onclick');
    expect(anim.effect.getKeyframes()[0]).not.toHaveProperty('cssText');
    expect(anim.effect.getKeyframes()[1]?.offset).toBeNull(); // an offset outside [0, 1] is dropped
    expect(anim.effect.getTiming()).toEqual(expect.objectContaining({ duration: 1000, iterations: Infinity, fill: 'both' }));
    expect(anim.effect.getTiming()).not.toHaveProperty('bogus');

    // The same number again replaces it; `idle` cancels it.
    const playing: Op = { o: 'anim', a: { ...a, t: 10, ps: 'running' } };
    expect(applyOps([playing], document, mirror).applied).toBe(1);
    expect((el.getAnimations() as unknown as PageAnimation[]).map((x) => [x.currentTime, x.playState])).toEqual([[10, 'running']]);
    expect(applyOps([{ o: 'anim', a: { ...a, ps: 'idle' } }], document, mirror).applied).toBe(1);
    expect(el.getAnimations()).toHaveLength(0);
    // Unknown target, not an element: skipped.
    expect(applyOps([{ o: 'anim', a: { ...a, i: 99 } }, { o: 'anim', a: { ...a, i: 1 } }], document, mirror).skipped).toBe(2);
  });

  it('a snapshot lists at most MAX_ANIMATIONS', () => {
    const el = box('many');
    for (let k = 0; k < MAX_ANIMATIONS + 5; k++) el.animate([{ opacity: '0' }], 1000);
    const ctx = createCaptureContext(document);
    serializeDocument(ctx, EMPTY_MATCH);
    expect(snapshotAnimations(ctx, createMaskScope(ctx, EMPTY_MATCH)).wa).toHaveLength(MAX_ANIMATIONS);
  });
});
