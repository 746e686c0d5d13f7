import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCaptureContext, type Restrictions } from '@cobrowse/dom';
import { watchMasking, type MaskingWatch } from '../src/masking';

let watch: MaskingWatch | null = null;

afterEach(() => {
  watch?.stop();
  watch = null;
  document.body.replaceChildren();
});

function start(html: string) {
  document.body.innerHTML = html;
  const ctx = createCaptureContext(document);
  let evaluations = 0;
  // The real engine, with its evaluations counted.
  const restrictions = Object.create(ctx.restrictions) as Restrictions;
  Object.defineProperty(restrictions, 'match', {
    value: () => {
      evaluations += 1;
      return ctx.restrictions.match();
    },
  });
  const masked: Element[] = [];
  const present: boolean[] = [];
  const outermost: Element[][] = [];
  watch = watchMasking({
    win: window,
    restrictions,
    isService: (el) => ctx.isService(el),
    masked: (el) => masked.push(el),
    maskedContent: (p) => present.push(p),
    outermost: (els) => outermost.push(els),
    report: () => {},
  });
  return { ctx, masked, present, outermost, evaluations: () => evaluations, watch };
}

const ids = (els: Element[]) => els.map((e) => e.id);

describe('masking watch', () => {
  it('reports the masked elements present at start, in document order, and that the page has some', () => {
    const { masked, present } = start('<input id="pw" type="password"><p>text</p><input id="pw2" type="PASSWORD">');
    expect(ids(masked)).toEqual(['pw', 'pw2']);
    expect(present).toEqual([true]);
  });

  it('reports elements that appear later once, also when a callback changes them', async () => {
    const { masked, present, evaluations } = start('<p id="p">nothing masked</p>');
    expect(masked).toEqual([]);
    expect(present).toEqual([]);
    const before = evaluations();
    // Many mutations in one task: one evaluation.
    for (let i = 0; i < 20; i++) {
      const input = document.createElement('input');
      input.type = 'password';
      input.id = `pw${i}`;
      document.body.append(input);
    }
    await vi.waitFor(() => expect(masked).toHaveLength(20));
    expect(evaluations() - before).toBe(1);
    expect(present).toEqual([true]);
    // What a page's onMaskedElement callback does (the guide's example): no second report.
    for (const el of masked) el.setAttribute('title', 'Content of this element is masked for representatives.');
    document.body.append(document.createElement('span'));
    await vi.waitFor(() => expect(evaluations() - before).toBe(2));
    expect(masked).toHaveLength(20);
  });

  it('follows rule changes, and tells when masked content is gone', async () => {
    const { ctx, masked, present, outermost } = start('<div id="card"><span id="num">4111</span></div><div id="other"></div>');
    expect(present).toEqual([]);
    ctx.restrictions.setRules([
      { id: 1, selector: '#card', kind: 'mask', urlPattern: null },
      { id: 2, selector: '#num', kind: 'mask', urlPattern: null },
      { id: 3, selector: '#other', kind: 'control', urlPattern: null },
    ]);
    watch!.changed();
    await vi.waitFor(() => expect(ids(masked)).toEqual(['card', 'num']));
    expect(present).toEqual([true]);
    // Markers frame the outermost masked element only.
    expect(ids(outermost.at(-1)!)).toEqual(['card']);
    ctx.restrictions.setRules([]);
    watch!.changed();
    await vi.waitFor(() => expect(present).toEqual([true, false]));
    expect(outermost.at(-1)).toEqual([]);
  });

  it('never reports elements inside service elements', async () => {
    const { ctx, masked } = start('<div id="ui" data-gcb-service-node="true"><input id="a" type="password"></div>');
    expect(ids(masked)).toEqual([]);
    // The page's own co-browse UI, marked with markServiceElement before it is added.
    const mine = document.createElement('div');
    mine.innerHTML = '<input id="b" type="password">';
    ctx.markService(mine);
    document.body.append(mine, Object.assign(document.createElement('input'), { type: 'password', id: 'c' }));
    await vi.waitFor(() => expect(ids(masked)).toEqual(['c']));
  });

  it('a URL change re-evaluates rules with a URL pattern', async () => {
    const { ctx, masked } = start('<div id="secret"></div>');
    ctx.restrictions.setRules([{ id: 1, selector: '#secret', kind: 'mask', urlPattern: '#account$' }]);
    watch!.changed();
    const before = location.href;
    history.replaceState(null, '', '#account');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await vi.waitFor(() => expect(ids(masked)).toEqual(['secret']));
    history.replaceState(null, '', before);
  });

  it('stops observing when stopped', async () => {
    const { masked, present, watch: w, evaluations } = start('<input id="pw" type="password">');
    w.stop();
    expect(present).toEqual([true, false]);
    const before = evaluations();
    document.body.append(Object.assign(document.createElement('input'), { type: 'password', id: 'late' }));
    w.changed();
    // Wait for a frame to pass: nothing was scheduled.
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    expect(evaluations()).toBe(before);
    expect(ids(masked)).toEqual(['pw']);
  });
});
