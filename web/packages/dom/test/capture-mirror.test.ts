// The customer side's node ↔ id map (capture-mirror.ts): ids in order, the id → node table in chunks.
import { describe, expect, it } from 'vitest';
import { createCaptureMirror, DOCUMENT_ID } from '../src';

describe('capture mirror', () => {
  it('assigns ids in order, the document 1, and finds nodes by id', () => {
    const m = createCaptureMirror();
    const doc = document.implementation.createHTMLDocument('');
    expect(m.assign(doc)).toBe(DOCUMENT_ID);
    const els = Array.from({ length: 3000 }, () => doc.createElement('div'));
    els.forEach((el, k) => expect(m.assign(el)).toBe(k + 2));
    expect(m.assign(els[5] as Element)).toBe(7);
    for (const [k, el] of els.entries()) expect(m.getNode(k + 2)).toBe(el);
    expect(m.getNode(DOCUMENT_ID)).toBe(doc);
  });

  it('knows no node for an id it never gave: unknown, negative, fractional, not a number', () => {
    const m = createCaptureMirror();
    const doc = document.implementation.createHTMLDocument('');
    m.assign(doc);
    m.assign(doc.body);
    for (const id of [0, 3, 5000, -1, 1.5, 2.25, 2 ** 32 + 2, NaN, Infinity]) expect(m.getNode(id)).toBeUndefined();
    expect(m.getNode('2' as unknown as number)).toBeUndefined();
  });

  it('forgets subtrees, and gives their ids to no other node', () => {
    const m = createCaptureMirror();
    const doc = document.implementation.createHTMLDocument('');
    const box = doc.createElement('div');
    const kids = Array.from({ length: 2500 }, () => box.appendChild(doc.createElement('p')));
    const boxId = m.assign(box);
    const ids = kids.map((k) => m.assign(k));
    m.forgetSubtree(box);
    expect(m.getId(box)).toBeUndefined();
    expect(m.getNode(boxId)).toBeUndefined();
    for (const id of ids) expect(m.getNode(id)).toBeUndefined();
    // Whole chunks emptied and dropped, then new ids after the old ones.
    const again = doc.createElement('span');
    expect(m.assign(again)).toBe((ids[ids.length - 1] as number) + 1);
    expect(m.getNode(m.getId(again) as number)).toBe(again);
    expect(m.assign(box)).toBe((m.getId(again) as number) + 1);
  });

  it('starts again from the document after reset', () => {
    const m = createCaptureMirror();
    const doc = document.implementation.createHTMLDocument('');
    m.assign(doc);
    const p = m.assign(doc.body);
    m.reset();
    expect(m.getNode(p)).toBeUndefined();
    expect(m.assign(doc)).toBe(DOCUMENT_ID);
    expect(m.assign(doc.body)).toBe(2);
  });

  it('counts an id only on the node it was given to: a copy of it on another node is none', () => {
    const m = createCaptureMirror();
    const doc = document.implementation.createHTMLDocument('');
    m.assign(doc);
    const a = doc.createElement('div');
    const b = doc.createElement('div');
    const ida = m.assign(a);
    // What a page copying a node's own properties onto another would do.
    const ours = Object.getOwnPropertySymbols(a).filter((sym) => sym.description === 'cobrowse node id');
    expect(ours.length).toBe(1);
    for (const sym of ours) (b as unknown as Record<symbol, unknown>)[sym] = (a as unknown as Record<symbol, unknown>)[sym];
    expect(m.getId(b)).toBeUndefined();
    expect(m.assign(b)).toBe(ida + 1);
    expect(m.getId(a)).toBe(ida);
    expect(m.getNode(ida)).toBe(a);
    // Forgotten: the property is left on the node, the id is gone, a new one comes next.
    m.forgetSubtree(a);
    expect(m.getId(a)).toBeUndefined();
    expect(m.assign(a)).toBe(ida + 2);
  });

  it('keeps ids of nodes that refuse a property (non-extensible) aside', () => {
    const m = createCaptureMirror();
    const doc = document.implementation.createHTMLDocument('');
    m.assign(doc);
    const frozen = Object.preventExtensions(doc.createElement('p'));
    const id = m.assign(frozen);
    expect(m.getId(frozen)).toBe(id);
    expect(m.assign(frozen)).toBe(id);
    expect(m.getNode(id)).toBe(frozen);
    m.forgetSubtree(frozen);
    expect(m.getId(frozen)).toBeUndefined();
    expect(m.getNode(id)).toBeUndefined();
  });

  it('knows no node of a mirror before its reset', () => {
    const m = createCaptureMirror();
    const doc = document.implementation.createHTMLDocument('');
    m.assign(doc);
    const p = doc.createElement('p');
    m.assign(p);
    m.reset();
    expect(m.getId(p)).toBeUndefined();
    expect(m.getId(doc)).toBeUndefined();
  });
});
