// Stylesheet changes that no MutationObserver reports reach the agent: CSSOM calls on <style>
// sheets and grouping rules, and adopted stylesheets (jsdom has no `adoptedStyleSheets`: a test
// gives the document one, as a browser's getter/setter pair on Document.prototype).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReplicaMirror, applyOps } from '@cobrowse/dom';
import type { FullSnapshot, Op } from '@cobrowse/protocol';
import { batchOps, start } from './capture-session';

afterEach(() => {
  document.head.replaceChildren();
  document.body.replaceChildren();
});

describe('CSSOM changes without DOM mutations', () => {
  it('insertRule / deleteRule on a <style> and on an @media rule send the CSSOM text', async () => {
    const style = document.createElement('style');
    style.textContent = '.a { color: red; } @media screen { .m { color: blue; } }';
    document.head.appendChild(style);
    const s = start();
    try {
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
      const sheet = style.sheet as CSSStyleSheet;
      // Same rule count as the text (one insert, one delete): the count heuristic alone misses it.
      sheet.insertRule('.b { color: green; }', 1);
      sheet.deleteRule(0);
      const ops = await batchOps(s, 2);
      const id = s.ctx.mirror.getId(style);
      const css = ops.find((o) => o.o === 'css' && o.i === id) as Extract<Op, { o: 'css' }> | undefined;
      expect(css?.css).toContain('.b');
      expect(css?.css).not.toContain('.a');

      (sheet.cssRules[1] as CSSMediaRule).insertRule('.inner { color: purple; }', 0);
      const more = await batchOps(s, 3);
      const last = more.filter((o) => o.o === 'css' && o.i === id).pop() as Extract<Op, { o: 'css' }>;
      expect(last.css).toContain('.inner');

      // A later snapshot (a late joiner) carries the CSSOM text although the counts agree.
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(4));
      const snap = (await s.payloads())[3]?.payload as FullSnapshot;
      expect(JSON.stringify(snap.doc)).toContain('.inner');
    } finally {
      s.capture.stop();
    }
  });

  it('the wrapped methods behave as the originals and are restored by stop()', () => {
    const proto = CSSStyleSheet.prototype;
    const original = proto.insertRule;
    const style = document.createElement('style');
    document.head.appendChild(style);
    const s = start();
    expect(proto.insertRule).not.toBe(original);
    expect(proto.insertRule.name).toBe('insertRule');
    const sheet = style.sheet as CSSStyleSheet;
    expect(sheet.insertRule('.x { color: red; }', 0)).toBe(0);
    // Errors are the originals' (an index out of range).
    expect(() => sheet.insertRule('.y { color: red; }', 9)).toThrow();
    s.capture.stop();
    expect(proto.insertRule).toBe(original);
  });

  it('a page that wraps insertRule after us keeps its wrapper when the capture stops', () => {
    const proto = CSSStyleSheet.prototype;
    const original = proto.insertRule;
    const s = start();
    const ours = proto.insertRule;
    const pages = function (this: CSSStyleSheet, rule: string, index?: number) {
      return ours.call(this, rule, index);
    };
    proto.insertRule = pages;
    try {
      s.capture.stop();
      expect(proto.insertRule).toBe(pages);
      const style = document.createElement('style');
      document.head.appendChild(style);
      expect((style.sheet as CSSStyleSheet).insertRule('.z { color: red; }', 0)).toBe(0);
    } finally {
      proto.insertRule = original;
    }
  });
});

describe('adopted stylesheets', () => {
  /** Gives jsdom's Document.prototype an `adoptedStyleSheets` accessor, as browsers have. */
  function withAdoptedStyleSheets(): () => void {
    const store = new WeakMap<Document, CSSStyleSheet[]>();
    Object.defineProperty(Document.prototype, 'adoptedStyleSheets', {
      configurable: true,
      enumerable: true,
      get(this: Document) {
        return store.get(this) ?? [];
      },
      set(this: Document, v: CSSStyleSheet[]) {
        store.set(this, [...v]);
      },
    });
    return () => {
      delete (Document.prototype as unknown as Record<string, unknown>)['adoptedStyleSheets'];
    };
  }

  it('snapshots carry `as`; assignment and replaceSync send `adopt`; the replica adopts them', async () => {
    const restore = withAdoptedStyleSheets();
    const s = start();
    try {
      const first = new CSSStyleSheet();
      first.replaceSync('body { background: url(img/bg.png); }');
      (document as unknown as { adoptedStyleSheets: CSSStyleSheet[] }).adoptedStyleSheets = [first];
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
      const snap = (await s.payloads())[0]?.payload as FullSnapshot;
      expect(snap.doc.as).toHaveLength(1);
      // URLs absolute, like every stylesheet text.
      expect(snap.doc.as?.[0]).toContain(new URL('img/bg.png', document.baseURI).href);

      const second = new CSSStyleSheet();
      second.replaceSync('.late { color: red; }');
      (document as unknown as { adoptedStyleSheets: CSSStyleSheet[] }).adoptedStyleSheets = [first, second];
      let ops = await batchOps(s, 2);
      expect(ops).toContainEqual({ o: 'adopt', i: 1, as: [expect.stringContaining('bg.png'), expect.stringContaining('.late')] });

      second.replaceSync('.later { color: blue; }');
      ops = await batchOps(s, 3);
      const adopt = ops.filter((o) => o.o === 'adopt').pop() as Extract<Op, { o: 'adopt' }>;
      expect(adopt.as[1]).toContain('.later');

      s.capture.stop();
      // The replica side (here the same jsdom document, which has a window): it adopts
      // constructed sheets holding those rules, in order, replacing what it had.
      (document as unknown as { adoptedStyleSheets: CSSStyleSheet[] }).adoptedStyleSheets = [];
      const mirror = createReplicaMirror();
      mirror.set(1, document);
      const result = applyOps([adopt], document, mirror);
      expect(result.applied).toBe(1);
      const list = (document as unknown as { adoptedStyleSheets: CSSStyleSheet[] }).adoptedStyleSheets;
      expect(list.map((sheet) => (sheet.cssRules[0] as CSSStyleRule).selectorText)).toEqual(['body', '.later']);
      // Garbage from the wire adopts nothing and throws nothing.
      expect(applyOps([{ o: 'adopt', i: 1, as: 'x' as unknown as string[] }], document, mirror).applied).toBe(1);
      expect((document as unknown as { adoptedStyleSheets: CSSStyleSheet[] }).adoptedStyleSheets).toEqual([]);
    } finally {
      s.capture.stop();
      restore();
    }
  });
});
