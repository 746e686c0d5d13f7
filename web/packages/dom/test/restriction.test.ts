/**
 * DOM restrictions on the customer's side and their marks in the replica (docs/PROTOCOL.md, "DOM
 * restrictions"): the engine (defaults, URL scoping, selector lists, fail closed), masking in
 * snapshots, masking in batches (the match diff: re-sends and `restrict` ops), and the replica's
 * marks and grey boxes.
 */

import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { FullSnapshot, Op, SerializedElement, SerializedNode } from '@cobrowse/protocol';
import {
  applyOps,
  createCaptureContext,
  createReplicaMirror,
  createRestrictions,
  formStateOp,
  MASKED_IMAGE_ATTRIBUTE,
  maskAttribute,
  maskText,
  rebuildDocument,
  RESTRICTED_ATTRIBUTE,
  restrictedAncestor,
  serializeDocument,
  serializeNode,
  type RestrictionRule,
} from '../src/index';
import { mirrored } from './harness';
import { PAGE_URL, wire } from './helpers';

function page(body: string, url = PAGE_URL): { doc: Document; win: Window & typeof globalThis } {
  const dom = new JSDOM(`<!DOCTYPE html><html><head><title>t</title></head><body>${body}</body></html>`, { url });
  return { doc: dom.window.document, win: dom.window as unknown as Window & typeof globalThis };
}

function rule(id: number, selector: string, kind: 'mask' | 'control' = 'mask', urlPattern: string | null = null): RestrictionRule {
  return { id, selector, kind, urlPattern };
}

function ids(set: ReadonlySet<Element>): string[] {
  return [...set].map((el) => el.id).sort();
}

/** The element with `id` in a serialization. */
function find(root: SerializedNode, id: string): SerializedElement {
  const stack: SerializedNode[] = [root];
  while (stack.length) {
    const n = stack.pop() as SerializedNode;
    if (n.t === 1 && n.a?.['id'] === id) return n;
    if ((n.t === 1 || n.t === 9) && n.c) stack.push(...n.c);
  }
  throw new Error(`no element #${id}`);
}

function texts(n: SerializedNode): string {
  if (n.t === 3 || n.t === 4 || n.t === 8) return n.x;
  if ((n.t === 1 || n.t === 9) && n.c) return n.c.map(texts).join('');
  return '';
}

describe('restriction engine', () => {
  it('applies the built-in defaults without any rule', () => {
    const { doc } = page(`
      <input id="pw" type="PassWord"><input id="txt">
      <input id="sub" type="submit"><input id="img" type="image"><button id="bs" type="submit">s</button>
      <form id="f"><button id="in-form">go</button><button id="bad-type" type="bogus">x</button>
        <button id="plain" type="button">b</button><button id="reset" type="reset">r</button></form>
      <button id="outside">o</button><button id="owned" form="f">owned</button>`);
    const r = createRestrictions(doc);
    const m = r.match();
    expect(ids(m.mask)).toEqual(['pw']);
    expect(ids(m.control)).toEqual(['bad-type', 'bs', 'img', 'in-form', 'owned', 'sub']);
    expect(r.isRestricted(doc.getElementById('outside') as Element)).toBe(false);
    expect(r.isRestricted(doc.getElementById('in-form') as Element)).toBe(true);
    expect(r.isMasked(doc.getElementById('pw') as Element)).toBe(true);
    expect(r.isMasked(doc.getElementById('txt') as Element)).toBe(false);
  });

  it('masks an input whose type became password by property', () => {
    const { doc } = page('<input id="a">');
    const r = createRestrictions(doc);
    (doc.getElementById('a') as HTMLInputElement).type = 'password';
    expect(ids(r.match().mask)).toEqual(['a']);
  });

  it('scopes rules by URL pattern, re-evaluated when the URL changes with pushState', () => {
    const { doc, win } = page('<p id="card">4111</p><p id="all">x</p>', 'https://shop.example/cart');
    const r = createRestrictions(doc);
    r.setRules([rule(1, '#card', 'mask', '/checkout$'), rule(2, '#all', 'control')]);
    expect(ids(r.match().mask)).toEqual([]);
    expect(ids(r.match().control)).toEqual(['all']);
    win.history.pushState(null, '', '/checkout');
    expect(ids(r.match().mask)).toEqual(['card']);
    expect(r.isMasked(doc.getElementById('card') as Element)).toBe(true);
    win.history.pushState(null, '', '/checkout/done');
    expect(ids(r.match().mask)).toEqual([]);
    expect(r.applicable('https://shop.example/checkout').map((a) => a.id)).toEqual([-1, -2, 1, 2]);
    expect(r.applicable('https://shop.example/cart').map((a) => a.id)).toEqual([-1, -2, 2]);
  });

  it('an element matched by both kinds is masked only; descendants inherit live checks', () => {
    const { doc } = page('<div id="box" class="a b"><span id="in">x</span></div>');
    const r = createRestrictions(doc);
    r.setRules([rule(1, '.a', 'control'), rule(2, '.b', 'mask')]);
    const m = r.match();
    expect(ids(m.mask)).toEqual(['box']);
    expect(ids(m.control)).toEqual([]);
    const inner = doc.getElementById('in') as Element;
    expect(r.markOf(inner, m)).toBe(0);
    expect(r.isMasked(inner)).toBe(true);
    expect(r.isRestricted(inner.firstChild as unknown as Element)).toBe(true);
  });

  it('fails closed: a rejected mask selector masks body, a rejected pattern applies everywhere', () => {
    const { doc } = page('<p id="p">x</p>');
    const reports: string[] = [];
    const r = createRestrictions(doc, (msg) => reports.push(msg));
    r.setRules([rule(1, 'p[', 'mask'), rule(2, '##', 'control'), rule(3, '#p', 'control', '(')]);
    const m = r.match();
    expect([...m.mask]).toEqual([doc.body]);
    expect(ids(m.control)).toEqual(['p']);
    expect(reports.length).toBe(3);
  });

  it('a selector left open by the end of input cannot swallow the rules after it', () => {
    const { doc } = page('<p id="a">a</p><p id="b">b</p><p id="c">c</p>');
    const r = createRestrictions(doc);
    r.setRules([rule(1, '#a /*', 'mask'), rule(2, '#b', 'mask'), rule(3, '[title="x', 'control'), rule(4, '#c', 'control')]);
    const m = r.match();
    // Rule 1 is unusable: body is masked (fail closed), and rule 2 still matches.
    expect(m.mask.has(doc.body)).toBe(true);
    expect(m.mask.has(doc.getElementById('b') as Element)).toBe(true);
    expect(ids(m.control)).toEqual(['c']);
  });

  it('never throws on malformed rules; an unknown kind masks', () => {
    const { doc } = page('<p id="a">a</p>');
    const r = createRestrictions(doc);
    const junk = [null, 7, { id: 1 }, { id: 2, selector: '#a', kind: 'weird', urlPattern: 5 }] as unknown as RestrictionRule[];
    expect(() => r.setRules(junk)).not.toThrow();
    expect(ids(r.match().mask).includes('a')).toBe(true);
    expect(() => r.setRules('nope' as unknown as RestrictionRule[])).not.toThrow();
    expect(r.version).toBe(2);
    expect(ids(r.match().mask)).toEqual([]);
  });

  it('one querySelectorAll per kind per match, whatever the number of rules', () => {
    const { doc } = page('<p class="a">a</p><p class="b">b</p><button>x</button>');
    const r = createRestrictions(doc);
    r.setRules([rule(1, '.a'), rule(2, '.b'), rule(3, 'p', 'control'), rule(4, 'em', 'control')]);
    let calls = 0;
    const original = doc.querySelectorAll.bind(doc);
    doc.querySelectorAll = ((sel: string) => {
      calls++;
      return original(sel);
    }) as typeof doc.querySelectorAll;
    r.match();
    expect(calls).toBe(2);
  });
});

describe('masking in snapshots', () => {
  function snap(body: string, rules: RestrictionRule[]): { snapshot: FullSnapshot; doc: Document } {
    const { doc } = page(body);
    const ctx = createCaptureContext(doc);
    ctx.restrictions.setRules(rules);
    return { snapshot: wire(serializeDocument(ctx)), doc };
  }

  it('text, comments and values become asterisks, whitespace and <style> text stay', () => {
    const { snapshot } = snap(
      `<div id="m" class="secret">Card 4111 1111
<b>CVV 123</b><!-- note 42 --><style>b { color: red }</style>
<input id="in" value="x"><textarea id="ta">hidden words</textarea>
<select id="sel"><option value="a">Alpha</option><option value="b" selected>Beta</option></select></div><p id="open">public</p>`,
      [rule(1, '.secret')],
    );
    const m = find(snapshot.doc, 'm');
    expect(texts(m)).not.toMatch(/Card|4111|CVV|123|note|hidden|Alpha|Beta/);
    expect(texts(m)).toContain('**** **** ****\n');
    expect(texts(m)).toContain('b { color: red }');
    expect(find(snapshot.doc, 'in').v).toBe('*');
    expect(find(snapshot.doc, 'in').a?.['value']).toBe('*');
    expect(find(snapshot.doc, 'ta').v).toBe('************');
    expect(find(snapshot.doc, 'sel').v).toBeUndefined();
    expect(texts(find(snapshot.doc, 'open'))).toBe('public');
    expect(m.r).toBe(2);
    expect(find(snapshot.doc, 'in').r).toBeUndefined();
  });

  it('attributes: structural kept, visible text asterisked, the rest dropped', () => {
    const { snapshot } = snap(
      `<a id="m" class="c" href="/secret" title="Secret" data-user="bob" aria-label="Name" aria-hidden="true" role="link"
        style="color:red;background:url(/me.png) no-repeat" lang="en" tabindex="1">x</a>
      <svg id="s" viewBox="0 0 10 10" class="c"><image id="si" href="/x.png" width="10" height="10"/></svg>`,
      [rule(1, '.c')],
    );
    expect(find(snapshot.doc, 'm').a).toEqual({
      id: 'm',
      class: 'c',
      title: '******',
      'aria-label': '****',
      role: 'link',
      style: 'color:red;background:none no-repeat',
      lang: 'en',
      tabindex: '1',
    });
    expect(find(snapshot.doc, 's').a).toEqual({ id: 's', viewBox: '0 0 10 10', class: 'c' });
    expect(maskAttribute('style', 'background-image: image-set("a.png" 1x, url(b.png) 2x); width:3px')).toBe(
      'background-image: none; width:3px',
    );
    expect(maskAttribute('style', 'background: u\\72 l(x.png)')).toBeNull();
    expect(maskAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink')).toBe('http://www.w3.org/1999/xlink');
    expect(maskText(' a\tb\nc ')).toBe(' *\t*\n* ');
  });

  it('masked images carry their rendered size and no source; others keep theirs', () => {
    const { doc } = page(
      `<div class="m"><img id="img" src="/a.png" srcset="/a2.png 2x" alt="Me"><video id="vid" src="/v.mp4" poster="/p.png"></video>
       <canvas id="cv" width="30" height="20"></canvas><input id="ii" type="image" src="/b.png">
       <picture id="pic"><source id="so" srcset="/c.webp"><img id="pimg" src="/c.png"></picture>
       <svg><image id="svgimg" href="/d.png"/></svg></div><img id="free" src="/e.png">`,
    );
    // jsdom has no layout: give the image the box a browser would compute.
    (doc.getElementById('img') as Element).getBoundingClientRect = () => ({ width: 120.4, height: 79.6 }) as DOMRect;
    const ctx = createCaptureContext(doc);
    ctx.restrictions.setRules([rule(1, '.m')]);
    const s = wire(serializeDocument(ctx));
    expect(find(s.doc, 'img').sz).toEqual([120, 80]);
    expect(find(s.doc, 'img').a).toEqual({ id: 'img', alt: '**' });
    for (const id of ['vid', 'cv', 'ii', 'pimg', 'svgimg']) {
      expect(find(s.doc, id).sz, id).toEqual([0, 0]);
      const a = find(s.doc, id).a ?? {};
      expect(Object.keys(a).filter((k) => /src|href|poster/.test(k)), id).toEqual([]);
    }
    expect(find(s.doc, 'so').a).toEqual({ id: 'so' });
    expect(find(s.doc, 'so').sz).toBeUndefined();
    expect(find(s.doc, 'free').sz).toBeUndefined();
    expect(find(s.doc, 'free').a?.['src']).toBe('http://localhost:3030/e.png');
  });

  it('masked elements with a CSS background image carry their size (a grey box), without the image', () => {
    const { doc } = page(
      `<style>.photo { background-image: url(/face-77QX.png); }</style>
       <div class="m"><div id="bg" class="photo"></div><div id="inline" style="background: url(/x-88QX.png) no-repeat; width: 10px"></div>
       <p id="plain">text</p></div><div id="free" class="photo"></div>`,
    );
    (doc.getElementById('bg') as Element).getBoundingClientRect = () => ({ width: 64, height: 48 }) as DOMRect;
    const ctx = createCaptureContext(doc);
    ctx.restrictions.setRules([rule(1, '.m')]);
    const s = wire(serializeDocument(ctx));
    expect(find(s.doc, 'bg').sz).toEqual([64, 48]);
    expect(find(s.doc, 'inline').sz).toEqual([0, 0]);
    expect(find(s.doc, 'inline').a?.['style']).not.toContain('88QX');
    expect(find(s.doc, 'plain').sz).toBeUndefined();
    expect(find(s.doc, 'free').sz).toBeUndefined();
  });

  it('defaults: a password value never leaves, submit buttons are marked control', () => {
    const { doc } = page('<form><input id="pw" type="password"><button id="go">Go</button></form>');
    (doc.getElementById('pw') as HTMLInputElement).value = 'hunter2';
    const s = JSON.stringify(serializeDocument(createCaptureContext(doc)));
    expect(s).not.toContain('hunter2');
    const parsed = JSON.parse(s) as FullSnapshot;
    expect(find(parsed.doc, 'pw').v).toBe('*******');
    expect(find(parsed.doc, 'pw').r).toBe(2);
    expect(find(parsed.doc, 'go').r).toBe(1);
    expect(texts(find(parsed.doc, 'go'))).toBe('Go');
  });

  it('the title is masked when its <title> is', () => {
    const { doc } = page('<p>x</p>');
    doc.title = 'Account 12345';
    const ctx = createCaptureContext(doc);
    ctx.restrictions.setRules([rule(1, 'title')]);
    expect(serializeDocument(ctx).title).toBe('******* *****');
  });

  it('a page attribute named like a restriction mark is dropped', () => {
    const { doc } = page('<p id="p" data-cobrowse-restricted="control" DATA-COBROWSE-MASKED-IMAGE="">x</p>');
    const s = serializeDocument(createCaptureContext(doc));
    expect(find(s.doc, 'p').a).toEqual({ id: 'p' });
  });

  it('a subtree serialized on its own inherits its ancestors’ masking', () => {
    const { doc } = page('<div class="m"><p id="p">deep <i>secret</i></p></div>');
    const ctx = createCaptureContext(doc);
    ctx.restrictions.setRules([rule(1, '.m')]);
    const n = serializeNode(doc.getElementById('p') as Element, ctx) as SerializedElement;
    expect(texts(n)).toBe('**** ******');
    expect(n.r).toBeUndefined();
  });
});

function opKinds(ops: Op[]): string[] {
  return ops.map((o) => o.o);
}

function json(ops: Op[]): string {
  return JSON.stringify(ops);
}

describe('masking in batches', () => {
  const BODY = `<!DOCTYPE html><html><head><title>t</title></head><body>
<div id="box"><p id="p">Visible 1234</p><input id="in"></div><ul id="list"><li>one</li></ul><div id="vault" class="m">safe</div>
</body></html>`;

  it('class added: the element is re-sent masked (ids kept) before its new content', () => {
    const m = mirrored(BODY, { rules: [rule(1, '.m')] });
    const d = m.src;
    const box = d.getElementById('box') as HTMLElement;
    const boxId = m.ctx.mirror.getId(box);
    box.classList.add('m');
    box.append(d.createTextNode('Brand new 9876'));
    const { ops } = m.sync();
    expect(opKinds(ops).slice(0, 2)).toEqual(['rm', 'add']);
    expect(ops[0]).toEqual({ o: 'rm', i: boxId });
    const add = ops[1] as Extract<Op, { o: 'add' }>;
    expect(add.n.i).toBe(boxId);
    expect((add.n as SerializedElement).r).toBe(2);
    expect(json(ops)).not.toMatch(/Visible|1234|Brand|9876/);
    expect(m.rep.getElementById('box')?.getAttribute(RESTRICTED_ATTRIBUTE)).toBe('mask');
  });

  it('a node inserted into a masked container, and text changed in it, are masked', () => {
    const m = mirrored(BODY, { rules: [rule(1, '.m')] });
    const d = m.src;
    const vault = d.getElementById('vault') as HTMLElement;
    const p = d.createElement('p');
    p.title = 'Top secret';
    p.textContent = 'Inserted 5555';
    vault.append(p);
    (vault.firstChild as Text).data = 'Changed 7777';
    vault.setAttribute('aria-label', 'Label 8888');
    vault.setAttribute('data-x', 'Data 9999');
    const { ops } = m.sync();
    expect(json(ops)).not.toMatch(/Inserted|5555|Changed|7777|Top secret|Label|8888|9999/);
    expect(ops).toContainEqual({ o: 'attr', i: m.ctx.mirror.getId(vault), k: 'aria-label', v: '**********' });
    expect(opKinds(ops)).not.toContain('rm');
  });

  it('a restriction removed: the content is re-sent unmasked', () => {
    const m = mirrored(BODY, { rules: [rule(1, '.m')] });
    const vault = m.src.getElementById('vault') as HTMLElement;
    expect(m.rep.getElementById('vault')?.textContent).toBe('****');
    m.ctx.restrictions.setRules([]);
    const { ops } = m.sync();
    expect(opKinds(ops)).toEqual(['rm', 'add']);
    expect(m.rep.getElementById('vault')?.textContent).toBe('safe');
    expect(m.rep.getElementById('vault')?.hasAttribute(RESTRICTED_ATTRIBUTE)).toBe(false);
    expect(m.mirror.getId(m.rep.getElementById('vault') as Element)).toBe(m.ctx.mirror.getId(vault));
  });

  it('control added or removed: a restrict op, nothing re-sent', () => {
    const m = mirrored(BODY, { rules: [] });
    const list = m.src.getElementById('list') as HTMLElement;
    m.ctx.restrictions.setRules([rule(1, '#list', 'control')]);
    let { ops } = m.sync();
    expect(ops).toEqual([{ o: 'restrict', i: m.ctx.mirror.getId(list), r: 1 }]);
    expect(m.rep.getElementById('list')?.getAttribute(RESTRICTED_ATTRIBUTE)).toBe('control');
    m.ctx.restrictions.setRules([]);
    ({ ops } = m.sync());
    expect(ops).toEqual([{ o: 'restrict', i: m.ctx.mirror.getId(list), r: 0 }]);
    expect(m.rep.getElementById('list')?.hasAttribute(RESTRICTED_ATTRIBUTE)).toBe(false);
  });

  it('text typed into a field that becomes masked in the same batch is never sent', () => {
    const m = mirrored(BODY, { rules: [rule(1, '.m')] });
    const input = m.src.getElementById('in') as HTMLInputElement;
    input.value = 'Typed 4242';
    input.classList.add('m');
    const { ops } = m.sync([input]);
    expect(json(ops)).not.toMatch(/Typed|4242/);
    expect(ops.filter((o) => o.o === 'val')).toEqual([{ o: 'val', i: m.ctx.mirror.getId(input), v: '**********' }]);
  });

  it('formStateOp without a batch asks the engine live', () => {
    const m = mirrored(BODY, { rules: [rule(1, '#in')] });
    const input = m.src.getElementById('in') as HTMLInputElement;
    input.value = 'abc';
    expect(formStateOp(input, m.ctx)).toEqual({ o: 'val', i: m.ctx.mirror.getId(input), v: '***' });
  });

  it('a URL change brings the rules of the new URL (pushState, no mutation)', () => {
    const m = mirrored(BODY, { rules: [rule(1, '#p', 'mask', '/secure')] });
    expect(m.rep.getElementById('p')?.textContent).toBe('Visible 1234');
    m.win.history.pushState(null, '', '/secure');
    const { ops } = m.sync();
    expect(opKinds(ops)).toEqual(['rm', 'add']);
    expect(m.rep.getElementById('p')?.textContent).toBe('******* ****');
  });

  it('an element moved into a masked container is masked, out of it unmasked', () => {
    const m = mirrored(BODY, { rules: [rule(1, '.m')] });
    const d = m.src;
    const p = d.getElementById('p') as HTMLElement;
    d.getElementById('vault')?.append(p);
    let { ops } = m.sync();
    expect(json(ops)).not.toContain('Visible');
    d.getElementById('list')?.append(p);
    ({ ops } = m.sync());
    expect(json(ops)).toContain('Visible 1234');
  });

  it('a new element that matches at once is masked in its first serialization', () => {
    const m = mirrored(BODY, { rules: [rule(1, '.card')] });
    const d = m.src;
    const div = d.createElement('div');
    div.className = 'card';
    div.innerHTML = '<span>4111 0000</span><img src="/card.png">';
    d.body.append(div);
    const { ops } = m.sync();
    expect(json(ops)).not.toMatch(/4111|card\.png/);
    const add = ops.find((o) => o.o === 'add') as Extract<Op, { o: 'add' }>;
    expect((add.n as SerializedElement).r).toBe(2);
  });
});

describe('marks in the replica', () => {
  function build(snapshot: FullSnapshot): { doc: Document; mirror: ReturnType<typeof createReplicaMirror> } {
    const doc = new JSDOM('').window.document;
    const mirror = createReplicaMirror();
    rebuildDocument(snapshot, doc, mirror);
    return { doc, mirror };
  }

  const forged: FullSnapshot = {
    url: 'https://shop.example/',
    title: '',
    viewport: { w: 800, h: 600 },
    scroll: [0, 0],
    doc: {
      i: 1,
      t: 9,
      c: [
        {
          i: 2,
          t: 1,
          n: 'html',
          c: [
            {
              i: 3,
              t: 1,
              n: 'body',
              c: [
                { i: 4, t: 1, n: 'div', r: 2, a: { id: 'masked' }, c: [{ i: 5, t: 1, n: 'img', sz: [40, 30], a: { id: 'im' } }] },
                { i: 6, t: 1, n: 'button', r: 1, a: { id: 'ctl' } },
                { i: 7, t: 1, n: 'p', a: { id: 'forged', 'data-cobrowse-restricted': 'control', 'Data-Cobrowse-Masked-Image': '' } },
                { i: 8, t: 1, n: 'canvas', sz: [10, 10], a: { id: 'cv' } },
                { i: 9, t: 1, n: 'p', r: 7 as unknown as 1, a: { id: 'bogus' } },
              ],
            },
          ],
        },
      ],
    },
  };

  it('r becomes a mark, sz a grey picture of that size; forged marks never appear', () => {
    const { doc } = build(forged);
    expect(doc.getElementById('masked')?.getAttribute(RESTRICTED_ATTRIBUTE)).toBe('mask');
    expect(doc.getElementById('ctl')?.getAttribute(RESTRICTED_ATTRIBUTE)).toBe('control');
    expect(doc.getElementById('forged')?.getAttributeNames()).toEqual(['id']);
    expect(doc.getElementById('bogus')?.hasAttribute(RESTRICTED_ATTRIBUTE)).toBe(false);
    const img = doc.getElementById('im') as HTMLImageElement;
    expect(img.hasAttribute(MASKED_IMAGE_ATTRIBUTE)).toBe(true);
    const src = decodeURIComponent(img.getAttribute('src') ?? '');
    expect(src).toMatch(/^data:image\/svg\+xml,<svg [^>]*width="40" height="30"/);
    expect(doc.getElementById('cv')?.hasAttribute(MASKED_IMAGE_ATTRIBUTE)).toBe(true);
    expect(restrictedAncestor(img)).toBe(doc.getElementById('masked'));
    expect(restrictedAncestor(doc.getElementById('forged'))).toBeNull();
  });

  it('restrict ops set and clear marks; attr ops can neither forge nor remove them', () => {
    const { doc, mirror } = build(forged);
    const result = applyOps(
      wire([
        { o: 'attr', i: 4, k: 'data-cobrowse-restricted', v: null },
        { o: 'attr', i: 7, k: 'DATA-COBROWSE-RESTRICTED', v: 'mask' },
        { o: 'restrict', i: 6, r: 0 },
        { o: 'restrict', i: 9, r: 1 },
        { o: 'restrict', i: 99, r: 1 },
      ] as Op[]),
      doc,
      mirror,
    );
    expect(result).toMatchObject({ applied: 2, skipped: 3 });
    expect(doc.getElementById('masked')?.getAttribute(RESTRICTED_ATTRIBUTE)).toBe('mask');
    expect(doc.getElementById('forged')?.hasAttribute(RESTRICTED_ATTRIBUTE)).toBe(false);
    expect(doc.getElementById('ctl')?.hasAttribute(RESTRICTED_ATTRIBUTE)).toBe(false);
    expect(doc.getElementById('bogus')?.getAttribute(RESTRICTED_ATTRIBUTE)).toBe('control');
  });
});
