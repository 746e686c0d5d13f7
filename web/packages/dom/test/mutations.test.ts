/**
 * Mutation convergence: scripted scenarios and the corpus benchmark workloads, each observed with a
 * MutationObserver, turned into ops, applied to a replica built from the initial snapshot; the
 * replica must then equal the source, ids included (see harness.ts).
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Op } from '@cobrowse/protocol';
import { applyOps, formStateOp, scrollOp } from '../src/index';
import { corpusRoot } from './helpers';
import { mirrored } from './harness';

const BASIC = `<!DOCTYPE html><html><head><title>t</title></head><body>
<div id="a"><p id="p1">one</p><p id="p2">two</p></div>
<div id="b"><span id="s1">x</span></div>
<ul id="list"><li>1</li><li>2</li><li>3</li><li>4</li><li>5</li></ul>
</body></html>`;

function kinds(ops: Op[]): string[] {
  return ops.map((o) => o.o);
}

describe('childList', () => {
  it('appends, prepends and inserts in the middle', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const a = d.getElementById('a') as HTMLElement;
    a.append(d.createElement('hr'), 'tail text');
    a.prepend(d.createElement('h1'));
    a.insertBefore(d.createElement('em'), d.getElementById('p2'));
    const { ops, result } = m.sync();
    expect(kinds(ops)).toEqual(['add', 'add', 'add', 'add']);
    expect(result.skipped).toBe(0);
  });

  it('nested inserts: into a new node before and after it is attached', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const outer = d.createElement('section');
    const inner = d.createElement('div');
    inner.textContent = 'before attach';
    outer.append(inner);
    d.body.append(outer);
    const later = d.createElement('b');
    inner.append(later); // after attach: a record whose target is a new node
    later.append('deep text');
    const { ops } = m.sync();
    expect(kinds(ops)).toEqual(['add']); // only the top-level new node
  });

  it('removals of elements and text', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    d.getElementById('p1')?.remove();
    (d.getElementById('s1')?.firstChild as Text).remove();
    const { ops, result } = m.sync();
    expect(kinds(ops)).toEqual(['rm', 'rm']);
    expect(result.skipped).toBe(0);
  });

  it('moves between parents keep ids', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const p1 = d.getElementById('p1') as HTMLElement;
    const id = m.ctx.mirror.getId(p1);
    d.getElementById('b')?.append(p1);
    m.sync();
    expect(m.ctx.mirror.getId(p1)).toBe(id);
    expect(m.mirror.getNode(id as number)?.parentNode).toBe(m.mirror.getNode(m.ctx.mirror.getId(d.getElementById('b') as Node) as number));
  });

  it('a node added and removed within one batch produces nothing', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const x = d.createElement('div');
    d.body.append(x);
    x.append(d.createElement('span'));
    x.setAttribute('class', 'c');
    x.remove();
    const t = d.createTextNode('t');
    d.getElementById('a')?.append(t);
    t.data = 'changed';
    t.remove();
    expect(m.sync().ops).toEqual([]);
  });

  it('reorders: reverse and shuffle', () => {
    const m = mirrored(BASIC);
    const list = m.src.getElementById('list') as HTMLElement;
    const items = [...list.children];
    for (const li of items.reverse()) list.append(li);
    m.sync();
    const order = [2, 4, 0, 3, 1];
    const now = [...list.children];
    for (const k of order) list.append(now[k] as Node);
    const { result } = m.sync();
    expect(result.skipped).toBe(0);
  });

  it('corpus shuffle.html: random shuffles', () => {
    const file = path.join(corpusRoot, 'rrweb/html/shuffle.html');
    const m = mirrored(readFileSync(file, 'utf8'));
    const ul = m.src.querySelector('ul') as HTMLElement;
    let seed = 7;
    for (let round = 0; round < 20; round++) {
      const lis = [...ul.children];
      for (let i = lis.length - 1; i > 0; i--) {
        seed = (seed * 16807) % 2147483647;
        const j = seed % (i + 1);
        [lis[i], lis[j]] = [lis[j] as Element, lis[i] as Element];
      }
      for (const li of lis) ul.append(li);
      m.sync();
    }
  });

  it('corpus move-node.html: moves in and out of nested nodes', () => {
    const m = mirrored(readFileSync(path.join(corpusRoot, 'rrweb/html/move-node.html'), 'utf8'));
    const d = m.src;
    const div = d.querySelector('div') as HTMLElement;
    const span = d.querySelector('span') as HTMLElement;
    const b = d.querySelector('b') as HTMLElement;
    div.append(b);
    span.remove();
    div.querySelector('p')?.append(span);
    m.sync();
    span.querySelector('i')?.append(b);
    d.body.prepend(div.querySelector('p') as Node);
    m.sync();
  });

  it('replacing the document element', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const html = d.createElement('html');
    html.innerHTML = '<head><title>new</title></head><body><p>new page</p></body>';
    d.documentElement.remove();
    d.append(html);
    m.sync();
    expect(m.rep.title).toBe('new');
  });

  it('changes inside a removed subtree, then re-inserted', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const a = d.getElementById('a') as HTMLElement;
    const p2 = d.getElementById('p2') as HTMLElement;
    a.remove();
    a.prepend(p2); // not observed: a is detached (except through transient observers)
    p2.textContent = 'changed while detached';
    a.setAttribute('title', 'detached');
    d.getElementById('b')?.append(a);
    m.sync();
    // A known node moved out of a removed subtree into the document.
    const b = d.getElementById('b') as HTMLElement;
    b.remove();
    d.body.append(b.querySelector('#p1') as Node);
    m.sync();
    d.body.append(b);
    m.sync();
  });

  it('parents the agent does not have: what they hold arrives with them, known nodes moved through them arrive where they end', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const p1 = d.getElementById('p1') as HTMLElement;
    const s1 = d.getElementById('s1') as HTMLElement;
    // A new parent, filled after it is attached, with a known node among its children.
    const box = d.body.appendChild(d.createElement('section'));
    const inner = box.appendChild(d.createElement('div'));
    inner.append(p1, d.createElement('i'));
    // A new parent filled and emptied node by node, then removed (rrweb's add-and-remove).
    const gone = d.body.appendChild(d.createElement('div'));
    for (let k = 0; k < 5; k++) gone.append(d.createElement('span'));
    for (const c of Array.from(gone.children)) c.remove();
    gone.remove();
    // A known node through a new parent and out of it again.
    const through = d.body.appendChild(d.createElement('div'));
    through.append(s1);
    (d.getElementById('a') as HTMLElement).append(s1);
    through.remove();
    const { ops, result } = m.sync();
    expect(result.skipped).toBe(0);
    expect(ops.filter((o) => o.o === 'rm').length).toBe(2);
    expect(kinds(ops).filter((k) => k === 'add').length).toBe(2);
  });

  it('innerHTML replacement', () => {
    const m = mirrored(BASIC);
    (m.src.getElementById('a') as HTMLElement).innerHTML = '<p>new <b>bold</b></p><!-- c --><p>2</p>';
    m.sync();
    m.src.body.innerHTML = '';
    m.sync();
    m.src.body.innerHTML = BASIC;
    m.sync();
  });

  it('text node batches', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const host = d.getElementById('b') as HTMLElement;
    const texts: Text[] = [];
    for (let i = 0; i < 500; i++) {
      const t = d.createTextNode('t' + i);
      texts.push(t);
      host.append(t);
    }
    m.sync();
    for (let i = 0; i < texts.length; i += 3) (texts[i] as Text).data += '!';
    for (let i = 1; i < texts.length; i += 7) (texts[i] as Text).remove();
    for (let i = 2; i < texts.length; i += 11) {
      if (texts[i]?.parentNode === host) host.insertBefore(d.createTextNode('n' + i), texts[i] as Text);
    }
    const { result } = m.sync();
    expect(result.skipped).toBe(0);
    host.normalize();
    m.sync();
  });

  it('scripts, comments and processing instructions', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const script = d.createElement('script');
    script.textContent = 'alert(1)';
    d.body.insertBefore(script, d.getElementById('b'));
    d.body.insertBefore(d.createComment('note'), script);
    d.getElementById('a')?.append(d.createProcessingInstruction('x', 'y'));
    script.append('more');
    script.setAttribute('src', 'x.js');
    // A node added right before the script: its next known sibling is past the script.
    d.body.insertBefore(d.createElement('aside'), script);
    const { ops } = m.sync();
    expect(JSON.stringify(ops)).not.toContain('alert');
    expect(JSON.stringify(ops)).not.toContain('x.js');
  });
});

describe('attributes and text', () => {
  it('sends current values, once, sanitized', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const a = d.getElementById('a') as HTMLElement;
    a.setAttribute('class', 'one');
    a.setAttribute('class', 'two');
    a.setAttribute('title', 'x');
    a.removeAttribute('title');
    a.setAttribute('style', 'background: url(img/bg.png)');
    a.setAttribute('onclick', 'alert(1)');
    const link = d.createElement('a');
    d.body.append(link);
    m.sync();
    link.setAttribute('href', 'rel/path');
    m.sync();
    link.setAttribute('href', ' JaVaScRiPt:alert(1)');
    const { ops } = m.sync();
    expect(ops).toEqual([{ o: 'attr', i: m.ctx.mirror.getId(link), k: 'href', v: null }]);
    expect(m.rep.querySelector('a')?.hasAttribute('href')).toBe(false);
  });

  it('a run of elements whose attribute changed to the same value makes one op, applied to each', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const items = Array.from(d.querySelectorAll('#list li'));
    for (const li of items) li.classList.add('done');
    items[2]?.setAttribute('title', 'x');
    items[4]?.classList.add('last');
    const { ops, result } = m.sync();
    const id = (k: number) => m.ctx.mirror.getId(items[k] as Element) as number;
    // In the order of the changes; another name or value ends a run.
    expect(ops).toEqual([
      { o: 'attr', i: id(0), k: 'class', v: 'done', is: [id(1), id(2)] },
      { o: 'attr', i: id(2), k: 'title', v: 'x' },
      { o: 'attr', i: id(3), k: 'class', v: 'done' },
      { o: 'attr', i: id(4), k: 'class', v: 'done last' },
    ]);
    expect(result.skipped).toBe(0);
    expect(Array.from(m.rep.querySelectorAll('#list li'), (li) => li.className)).toEqual(['done', 'done', 'done', 'done', 'done last']);
    // An id of the run the replica does not have: that op counts as skipped, the others are set.
    const again = applyOps([{ o: 'attr', i: id(0), k: 'class', v: 'again', is: [999_999, id(1)] }], m.rep, m.mirror);
    expect(again.skipped).toBe(1);
    expect(Array.from(m.rep.querySelectorAll('#list li'), (li) => li.className).slice(0, 2)).toEqual(['again', 'again']);
  });

  it('deduplicates and skips nodes added in the batch', () => {
    const m = mirrored(BASIC);
    const d = m.src;
    const x = d.createElement('div');
    d.body.append(x);
    x.setAttribute('a', '1');
    x.setAttribute('a', '2');
    const { ops } = m.sync();
    expect(kinds(ops)).toEqual(['add']);
  });

  it('namespaced attributes (xlink:href) and SVG', () => {
    const m = mirrored('<!DOCTYPE html><body><svg><use xlink:href="#a"></use><image href="i.png"/></svg></body>');
    const use = m.src.querySelector('use') as Element;
    use.setAttributeNS('http://www.w3.org/1999/xlink', 'xlink:href', 'sprite.svg#b');
    m.sync();
    use.removeAttributeNS('http://www.w3.org/1999/xlink', 'href');
    m.sync();
    m.src.querySelector('svg')?.setAttribute('viewBox', '0 0 10 10');
    m.sync();
  });

  it('text changes: one op with the last value', () => {
    const m = mirrored(BASIC);
    const t = m.src.getElementById('p1')?.firstChild as Text;
    t.data = 'a';
    t.data = 'b';
    t.appendData('c');
    const { ops } = m.sync();
    expect(ops).toEqual([{ o: 'text', i: m.ctx.mirror.getId(t), x: 'bc' }]);
  });

  it('style text: URLs absolute, css when the CSSOM differs', () => {
    const m = mirrored('<!DOCTYPE html><head><style>p { color: red }</style><style></style></head><body></body>');
    const [s1, s2] = [...m.src.querySelectorAll('style')] as HTMLStyleElement[];
    (s1?.firstChild as Text).data = 'p { background: url(bg.png) }';
    const { ops } = m.sync();
    expect(ops).toEqual([{ o: 'text', i: m.ctx.mirror.getId(s1?.firstChild as Node), x: 'p { background: url(http://localhost:3030/html/bg.png) }' }]);
    // CSS-in-JS: rules inserted into an empty <style>, then a text node appended. The snapshot
    // (taken by `sync` through a fresh serialization) and the ops must agree.
    s2?.sheet?.insertRule('b { color: blue }', 0);
    s2?.append('i { color: green }');
    s2?.sheet?.insertRule('u { color: red }', 1);
    const next = m.sync();
    expect(kinds(next.ops)).toEqual(['add', 'css']);
    const rules = (el: Element | undefined) => [...((el as HTMLStyleElement).sheet?.cssRules ?? [])].map((r) => r.cssText);
    expect(rules(s2)).toHaveLength(2);
    expect(rules(m.rep.querySelectorAll('style')[1])).toEqual(rules(s2));
  });
});

describe('form state', () => {
  it('value, checked and selected follow attributes and content', () => {
    const m = mirrored(`<!DOCTYPE html><body><input id="i" value="a"><input id="c" type="checkbox">
      <textarea id="t">x</textarea><select id="s"><option>1</option><option>2</option></select></body>`);
    const d = m.src;
    (d.getElementById('i') as HTMLInputElement).setAttribute('value', 'b');
    (d.getElementById('c') as HTMLInputElement).setAttribute('checked', '');
    (d.getElementById('t') as HTMLTextAreaElement).textContent = 'new default';
    const select = d.getElementById('s') as HTMLSelectElement;
    const opt = d.createElement('option');
    opt.textContent = '3';
    opt.selected = true;
    select.append(opt);
    m.sync();
    expect((m.rep.getElementById('i') as HTMLInputElement).value).toBe('b');
    expect((m.rep.getElementById('c') as HTMLInputElement).checked).toBe(true);
    expect((m.rep.getElementById('t') as HTMLTextAreaElement).value).toBe('new default');
    expect((m.rep.getElementById('s') as HTMLSelectElement).value).toBe('3');
  });

  it('formStateOp and scrollOp', () => {
    const m = mirrored(`<!DOCTYPE html><body><input id="i"><input id="r" type="radio" name="g">
      <input id="f" type="file"><select id="s" multiple><option>1</option><option>2</option></select>
      <div id="d" style="overflow: auto"></div><p id="p">x</p></body>`);
    const d = m.src;
    const input = d.getElementById('i') as HTMLInputElement;
    input.value = 'typed';
    const radio = d.getElementById('r') as HTMLInputElement;
    radio.checked = true;
    const ops: Op[] = [];
    for (const el of [input, radio, d.getElementById('s')?.querySelectorAll('option')[1] as Element]) {
      if (el === d.getElementById('s')?.querySelectorAll('option')[1]) (el as HTMLOptionElement).selected = true;
      ops.push(formStateOp(el, m.ctx) as Op);
    }
    expect(formStateOp(d.getElementById('f') as Element, m.ctx)).toBeNull();
    expect(formStateOp(d.getElementById('p') as Element, m.ctx)).toBeNull();
    const div = d.getElementById('d') as HTMLElement;
    div.scrollTop = 40; // jsdom keeps the value
    ops.push(scrollOp(div, m.ctx) as Op, scrollOp(d, m.ctx) as Op, { o: 'vp', w: 800, h: 600 });
    expect(ops[3]).toEqual({ o: 'scroll', i: m.ctx.mirror.getId(div), x: 0, y: 40 });
    expect(ops[4]).toEqual({ o: 'scroll', i: 1, x: 0, y: 0 });
    const seen: string[] = [];
    const result = applyOps(ops, m.rep, m.mirror, {
      viewport: (w, h) => seen.push(`vp ${w}x${h}`),
      windowScroll: (x, y) => seen.push(`scroll ${x},${y}`),
    });
    expect(result).toEqual({ applied: 6, skipped: 0, viewport: { w: 800, h: 600 }, windowScroll: [0, 0] });
    expect(seen).toEqual(['scroll 0,0', 'vp 800x600']);
    expect((m.rep.getElementById('d') as HTMLElement).scrollTop).toBe(40);
    m.check();
  });
});

describe('service elements', () => {
  const PAGE = `<!DOCTYPE html><body><div id="app"><p id="p">x</p></div>
    <div id="ui" data-gcb-service-node="true"><button id="btn">Stop</button></div></body>`;

  it('mutations inside service elements produce no ops', () => {
    const m = mirrored(PAGE);
    const d = m.src;
    const ui = d.getElementById('ui') as HTMLElement;
    ui.append(d.createElement('div'));
    (d.getElementById('btn') as HTMLElement).textContent = 'Stopping';
    (d.getElementById('btn') as HTMLElement).setAttribute('class', 'busy');
    ui.firstElementChild?.remove();
    expect(m.sync().ops).toEqual([]);
  });

  it('elements registered with markService, added later', () => {
    const m = mirrored(PAGE);
    const d = m.src;
    const panel = d.createElement('div');
    m.ctx.markService(panel);
    panel.innerHTML = '<span>agent is viewing</span>';
    d.body.append(panel);
    panel.firstElementChild?.setAttribute('title', 'x');
    expect(m.sync().ops).toEqual([]);
  });

  it('a node moved into a service element is removed and forgotten', () => {
    const m = mirrored(PAGE);
    const d = m.src;
    const p = d.getElementById('p') as HTMLElement;
    const id = m.ctx.mirror.getId(p);
    d.getElementById('ui')?.append(p);
    const { ops } = m.sync();
    expect(ops).toEqual([{ o: 'rm', i: id }]);
    expect(m.ctx.mirror.getId(p)).toBeUndefined();
    // And back out: a new node for the agent, with a new id.
    d.getElementById('app')?.append(p);
    m.sync();
    expect(m.ctx.mirror.getId(p)).toBeGreaterThan(id as number);
  });

  it('toggling the service attribute', () => {
    const m = mirrored(PAGE);
    const app = m.src.getElementById('app') as HTMLElement;
    app.setAttribute('data-gcb-service-node', 'true');
    m.sync();
    expect(m.rep.getElementById('app')).toBeNull();
    app.setAttribute('data-gcb-service-node', 'false');
    m.src.getElementById('ui')?.removeAttribute('data-gcb-service-node');
    m.sync();
    expect(m.rep.getElementById('app')).not.toBeNull();
    expect(m.rep.getElementById('btn')).not.toBeNull();
  });
});
