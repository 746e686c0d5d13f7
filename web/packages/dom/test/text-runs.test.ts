/**
 * Adjacent text nodes are read as one run (`Text.wholeText` of the first, sliced by each node's
 * length: serialize.ts, `walker`): each node must still carry exactly its own `data`, masked like
 * its parent, whatever surrounds the run (comments, CDATA sections, elements, empty texts), in
 * snapshots and in the subtrees of batches.
 */

import { describe, expect, it } from 'vitest';
import type { SerializedNode } from '@cobrowse/protocol';
import { createCaptureContext, maskText, serializeDocument, serializeNode, type RestrictionRule } from '../src/index';
import { parse } from './helpers';
import { mirrored } from './harness';

/** Every text node's `x` (type 3 and 4), in document order. */
function texts(n: SerializedNode | null, out: string[] = []): string[] {
  if (n === null) return out;
  if ((n.t === 3 || n.t === 4) && 'x' in n) out.push(n.x);
  if ('c' in n && n.c) for (const c of n.c) texts(c, out);
  return out;
}

/** What each text node of `root` holds, read one by one. */
function dataOf(root: Node, out: string[] = []): string[] {
  for (let c = root.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 3 || c.nodeType === 4) out.push((c as CharacterData).data);
    else dataOf(c, out);
  }
  return out;
}

const MASK: RestrictionRule[] = [{ id: 1, selector: '.secret', kind: 'mask', urlPattern: null }];

/** A box of runs of text nodes broken up in every way a run ends. */
function fill(d: Document, box: Element): void {
  for (const t of ['one ', '', 'three', ' ', 'fünf ☃ ', 'x']) box.append(d.createTextNode(t));
  box.append(d.createComment('between'));
  box.append(d.createTextNode('after a comment'), d.createTextNode(''), d.createTextNode(' and more'));
  const b = box.appendChild(d.createElement('b'));
  b.append(d.createTextNode('inside'), d.createTextNode(' bold'));
  box.append(d.createTextNode('after an element'), d.createTextNode('!'));
  box.append(d.createElement('br'), d.createTextNode('alone'));
}

describe('runs of adjacent text nodes', () => {
  it('each text node carries its own data, in a snapshot and in an added subtree', () => {
    const d = parse('<!DOCTYPE html><html><head><title>t</title></head><body><div id="box">lead</div></body></html>');
    const box = d.getElementById('box') as HTMLElement;
    fill(d, box);
    const ctx = createCaptureContext(d);
    const snap = serializeDocument(ctx);
    expect(texts(snap.doc)).toEqual(dataOf(d));
    const added = d.createElement('section');
    fill(d, added);
    d.body.append(added);
    expect(texts(serializeNode(added, ctx))).toEqual(dataOf(added));
  });

  it('masked runs are masked node by node', () => {
    const d = parse('<!DOCTYPE html><html><head><title>t</title></head><body><div class="secret" id="box"></div><p id="open"></p></body></html>');
    const box = d.getElementById('box') as HTMLElement;
    fill(d, box);
    fill(d, d.getElementById('open') as HTMLElement);
    const ctx = createCaptureContext(d);
    ctx.restrictions.setRules(MASK);
    const got = texts(serializeDocument(ctx).doc);
    const secret = dataOf(box);
    const open = dataOf(d.getElementById('open') as HTMLElement);
    expect(got).toEqual(['t', ...secret.map(maskText), ...open]);
    const sentSecret = got.slice(1, 1 + secret.length).join('');
    for (const s of secret) if (/\S/.test(s)) expect(sentSecret).not.toContain(s.trim());
  });

  it('CDATA sections inside a run (an XML document)', () => {
    const d = new DOMParser().parseFromString('<root xmlns="http://www.w3.org/1999/xhtml"><p>a<![CDATA[b]]>c<![CDATA[d]]></p></root>', 'application/xhtml+xml');
    const p = d.getElementsByTagName('p')[0] as Element;
    p.append(d.createTextNode('e'), d.createTextNode('f'));
    p.insertBefore(d.createTextNode('0'), p.firstChild);
    const ctx = createCaptureContext(d);
    expect(texts(serializeNode(p, ctx))).toEqual(dataOf(p));
  });

  it('batches: runs added, split and joined converge', () => {
    const m = mirrored('<!DOCTYPE html><html><head><title>t</title></head><body><div id="a">x</div><div id="b" class="secret">y</div></body></html>', { rules: MASK });
    const d = m.src;
    for (const id of ['a', 'b']) {
      const host = d.getElementById(id) as HTMLElement;
      const div = d.createElement('div');
      fill(d, div);
      host.append(div);
      for (let k = 0; k < 5; k++) host.append(d.createTextNode(`t${k}`));
    }
    const { ops, result } = m.sync();
    expect(result.skipped).toBe(0);
    const sent = ops.flatMap((op) => (op.o === 'add' ? texts(op.n) : []));
    expect(sent).toContain('fünf ☃ ');
    // Host a's texts as they are, host b's masked: each unmasked text once.
    expect(sent.filter((x) => x === 'inside').length).toBe(1);
    expect(sent.filter((x) => x === 't3').length).toBe(1);
    (d.getElementById('a') as HTMLElement).normalize();
    m.sync();
  });
});
