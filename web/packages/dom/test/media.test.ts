// Canvas and media in the replica: media never autoplay and stay muted whatever the wire says;
// canvas pictures are drawn only from raster data URLs; masked media send no position.

import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import type { Op } from '@cobrowse/protocol';
import {
  applyAnimationTimes,
  applyOps,
  createCaptureContext,
  createReplicaMirror,
  drawCanvasPicture,
  rebuildDocument,
  serializeDocument,
} from '../src/index';
import { blankDocument, PAGE_URL } from './helpers';

describe('media and canvas in the replica', () => {
  it('a video is muted whatever the snapshot and attr ops say', () => {
    const doc = blankDocument();
    const mirror = createReplicaMirror();
    rebuildDocument(
      {
        url: PAGE_URL,
        title: '',
        viewport: { w: 100, h: 100 },
        scroll: [0, 0],
        doc: { i: 1, t: 9, c: [{ i: 2, t: 1, n: 'html', c: [{ i: 3, t: 1, n: 'body', c: [{ i: 4, t: 1, n: 'video', a: { autoplay: '', src: 'https://cdn.example/v.mp4' } }] }] }] },
      },
      doc,
      mirror,
    );
    const video = mirror.getNode(4) as HTMLVideoElement;
    expect(video.muted).toBe(true);
    expect(video.paused).toBe(true);
    const ops: Op[] = [
      { o: 'attr', i: 4, k: 'muted', v: '' },
      { o: 'attr', i: 4, k: 'muted', v: null },
      { o: 'media', i: 4, t: 3, p: 0 },
    ];
    expect(applyOps(ops, doc, mirror).skipped).toBe(0);
    expect(video.muted).toBe(true);
    // A media op on something else is refused.
    expect(applyOps([{ o: 'media', i: 3, t: 1, p: 1 }], doc, mirror).skipped).toBe(1);
  });

  it('canvas pictures: only data:image png/webp/jpeg, only on canvases', () => {
    const doc = new JSDOM('<canvas id="c"></canvas><div id="d"></div>').window.document;
    const canvas = doc.getElementById('c') as Element;
    expect(drawCanvasPicture(canvas, 'https://evil.example/track.png')).toBe(false);
    expect(drawCanvasPicture(canvas, 'data:image/svg+xml;base64,PHN2Zz4=')).toBe(false);
    expect(drawCanvasPicture(canvas, 'data:text/html;base64,PHNjcmlwdD4=')).toBe(false);
    expect(drawCanvasPicture(canvas, 42)).toBe(false);
    expect(drawCanvasPicture(doc.getElementById('d') as Element, 'data:image/png;base64,iVBORw0KGgo=')).toBe(false);
    expect(drawCanvasPicture(canvas, 'data:image/png;base64,iVBORw0KGgo=')).toBe(true);
  });

  it('a masked video sends no position; an unmasked playing one does', () => {
    const page = new JSDOM('<!DOCTYPE html><body><video id="v"></video><video id="m" class="private"></video></body>', { url: PAGE_URL });
    const pdoc = page.window.document;
    for (const id of ['v', 'm']) {
      const v = pdoc.getElementById(id) as HTMLVideoElement;
      Object.defineProperty(v, 'currentTime', { value: 12.5 });
      Object.defineProperty(v, 'paused', { value: false });
    }
    const ctx = createCaptureContext(pdoc);
    ctx.restrictions.setRules([{ id: 1, selector: '.private', kind: 'mask', urlPattern: null }]);
    const snap = serializeDocument(ctx, ctx.match());
    const videos: { a?: Record<string, string>; md?: unknown }[] = [];
    const walk = (n: { t: number; n?: string; c?: unknown[] }) => {
      if (n.t === 1 && n.n === 'video') videos.push(n as { a?: Record<string, string>; md?: unknown });
      for (const c of n.c ?? []) walk(c as { t: number });
    };
    walk(snap.doc);
    expect(videos.find((v) => v.a?.['id'] === 'v')?.md).toEqual([12.5, 1]);
    expect(videos.find((v) => v.a?.['id'] === 'm')?.md).toBeUndefined();
    expect(videos).toHaveLength(2);
  });
});

describe('animation times in the replica', () => {
  it('sets the matching animation (same target id and name, in order), pauses paused ones, ignores garbage', () => {
    const doc = new JSDOM('<div id="a"></div><div id="b"></div>').window.document;
    const mirror = createReplicaMirror();
    const a = doc.getElementById('a') as Element;
    const b = doc.getElementById('b') as Element;
    mirror.set(5, a);
    mirror.set(6, b);
    // jsdom runs no CSS animations: stand-ins with the CSSAnimation shape.
    const fake = (target: Element, animationName: string) => ({
      animationName,
      effect: { target, pseudoElement: null },
      currentTime: 0 as number | null,
      paused: false,
      pause() {
        this.paused = true;
      },
    });
    const spinA = fake(a, 'spin');
    const fadeA = fake(a, 'fade');
    const spinB = fake(b, 'spin');
    (doc as unknown as { getAnimations(): unknown[] }).getAnimations = () => [spinA, fadeA, spinB];
    const set = applyAnimationTimes(doc, mirror, [
      [5, 'a:spin', 1500, 0],
      [6, 'a:spin', 9000, 1],
      [7, 'a:spin', 1, 0],
      'garbage',
      [5, 'a:fade', Number.NaN, 0],
    ]);
    expect(set).toBe(2);
    expect([spinA.currentTime, spinA.paused]).toEqual([1500, false]);
    expect([spinB.currentTime, spinB.paused]).toEqual([9000, true]);
    expect(fadeA.currentTime).toBe(0);
    expect(applyAnimationTimes(doc, mirror, { not: 'a list' })).toBe(0);
  });
});
