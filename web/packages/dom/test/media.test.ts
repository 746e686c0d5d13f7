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
  CANVAS_PICTURE_ATTRIBUTE,
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

describe('canvas pictures in the script-less replica', () => {
  it('a canvas holds only the viewer\'s picture, sized like its bitmap; fallback content is never built', () => {
    const doc = blankDocument();
    const mirror = createReplicaMirror();
    rebuildDocument(
      {
        url: PAGE_URL,
        title: '',
        viewport: { w: 100, h: 100 },
        scroll: [0, 0],
        doc: { i: 1, t: 9, c: [{ i: 2, t: 1, n: 'html', c: [{ i: 3, t: 1, n: 'body', c: [
          { i: 4, t: 1, n: 'canvas', a: { width: '200', height: '100' }, c: [{ i: 5, t: 3, x: 'Your browser does not support canvas' }] },
        ] }] }] },
      },
      doc,
      mirror,
    );
    const canvas = mirror.getNode(4) as HTMLCanvasElement;
    expect(mirror.getNode(5)).toBeUndefined();
    expect(canvas.textContent).toBe('');
    const img = canvas.firstElementChild as HTMLImageElement;
    expect(canvas.children).toHaveLength(1);
    expect(img.getAttribute(CANVAS_PICTURE_ATTRIBUTE)).toBe('');
    expect([img.getAttribute('width'), img.getAttribute('height')]).toEqual(['200', '100']);
    expect(img.getAttribute('style')).toContain('aspect-ratio:200 / 100');
    expect(img.getAttribute('src')).toMatch(/^data:image\/svg\+xml,/);

    const picture = 'data:image/png;base64,iVBORw0KGgo=';
    const ops: Op[] = [
      { o: 'attr', i: 4, k: 'width', v: '64' },
      { o: 'add', p: 4, nx: null, n: { i: 6, t: 3, x: 'more fallback' } },
      { o: 'canvas', i: 4, src: picture },
    ];
    applyOps(ops, doc, mirror);
    expect(img.getAttribute('width')).toBe('64');
    expect(mirror.getNode(6)).toBeUndefined();
    expect(canvas.childNodes).toHaveLength(1);
    expect(img.getAttribute('src')).toBe(picture);
    // Only raster data URLs are pictures.
    applyOps([{ o: 'canvas', i: 4, src: 'https://evil.example/x.png' }], doc, mirror);
    expect(img.getAttribute('src')).toBe(picture);
  });
});

describe('the image file the customer chose from srcset / <picture> (cs)', () => {
  const findImages = (n: { t: number; n?: string; c?: unknown[] }, out: { a?: Record<string, string>; cs?: unknown }[] = []) => {
    if (n.t === 1 && n.n === 'img') out.push(n as { a?: Record<string, string>; cs?: unknown });
    for (const c of n.c ?? []) findImages(c as { t: number }, out);
    return out;
  };

  it('is sent for unmasked images that choose, never for masked ones or plain images', () => {
    const page = new JSDOM(
      '<!DOCTYPE html><body><img id="s" srcset="a-1x.png 1x, a-2x.png 2x" src="a-1x.png">' +
        '<picture><source srcset="b.webp" type="image/webp"><img id="p" src="b.png"></picture>' +
        '<img id="plain" src="c.png"><img id="m" class="private" srcset="d-1x.png 1x, d-2x.png 2x"></body>',
      { url: PAGE_URL },
    );
    const pdoc = page.window.document;
    const chosen: Record<string, string> = { s: 'a-2x.png', p: 'b.webp', plain: 'c.png', m: 'd-2x.png' };
    for (const [id, file] of Object.entries(chosen)) {
      Object.defineProperty(pdoc.getElementById(id)!, 'currentSrc', { value: new URL(file, PAGE_URL).href });
    }
    const ctx = createCaptureContext(pdoc);
    ctx.restrictions.setRules([{ id: 1, selector: '.private', kind: 'mask', urlPattern: null }]);
    const images = findImages(serializeDocument(ctx, ctx.match()).doc);
    const cs = (id: string) => images.find((img) => img.a?.['id'] === id)?.cs;
    expect(cs('s')).toBe(new URL('a-2x.png', PAGE_URL).href);
    expect(cs('p')).toBe(new URL('b.webp', PAGE_URL).href);
    expect(cs('plain')).toBeUndefined();
    expect(images.find((img) => img.cs === new URL('d-2x.png', PAGE_URL).href)).toBeUndefined();
  });

  it('makes the replica show that file: the img and every <source> of its picture; unsafe URLs change nothing', () => {
    const doc = blankDocument();
    const mirror = createReplicaMirror();
    const mapped: string[] = [];
    rebuildDocument(
      {
        url: PAGE_URL,
        title: '',
        viewport: { w: 100, h: 100 },
        scroll: [0, 0],
        doc: {
          i: 1,
          t: 9,
          c: [{ i: 2, t: 1, n: 'html', c: [{ i: 3, t: 1, n: 'body', c: [
            { i: 4, t: 1, n: 'picture', c: [
              { i: 5, t: 1, n: 'source', a: { srcset: 'https://shop.example/b-1x.webp 1x, https://shop.example/b-2x.webp 2x', type: 'image/webp', sizes: '50vw' } },
              { i: 6, t: 1, n: 'img', a: { src: 'https://shop.example/b.png' }, cs: 'https://shop.example/b-2x.webp' },
            ] },
            { i: 7, t: 1, n: 'img', a: { srcset: 'https://shop.example/a-1x.png 1x, https://shop.example/a-2x.png 2x' }, cs: 'https://shop.example/a-2x.png' },
          ] }] }],
        },
      },
      doc,
      mirror,
      {
        mapUrl: (value, kind) => {
          mapped.push(`${kind}:${value}`);
          return kind === 'srcset' ? `/proxy?${value}` : value;
        },
      },
    );
    const img = mirror.getNode(6) as HTMLImageElement;
    const source = mirror.getNode(5) as HTMLSourceElement;
    expect(img.getAttribute('srcset')).toBe('/proxy?https://shop.example/b-2x.webp');
    expect(source.getAttribute('srcset')).toBe('/proxy?https://shop.example/b-2x.webp');
    expect(source.hasAttribute('sizes')).toBe(false);
    expect((mirror.getNode(7) as Element).getAttribute('srcset')).toBe('/proxy?https://shop.example/a-2x.png');
    expect(mapped).toContain('srcset:https://shop.example/a-2x.png');

    // A new choice arrives as an op; an unsafe or malformed one is refused.
    const ops: Op[] = [{ o: 'cs', i: 7, cs: 'https://shop.example/a-1x.png' }];
    applyOps(ops, doc, mirror);
    expect((mirror.getNode(7) as Element).getAttribute('srcset')).toBe('https://shop.example/a-1x.png');
    applyOps([{ o: 'cs', i: 7, cs: 'javascript:alert(1)' }, { o: 'cs', i: 7, cs: 'a.png 2x' }, { o: 'cs', i: 5, cs: 'https://x.example/y.png' }], doc, mirror);
    expect((mirror.getNode(7) as Element).getAttribute('srcset')).toBe('https://shop.example/a-1x.png');
    expect(source.getAttribute('srcset')).toBe('/proxy?https://shop.example/b-2x.webp');
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
