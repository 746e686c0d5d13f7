// What a capture keeps from one full snapshot to the next (snapshot.ts, `SnapshotMemory`): a later
// snapshot reads scroll offsets only of the elements seen scrolled (by the first snapshot's reads
// or by a scroll event since), and a <link> sheet's text until script changes the sheet.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FullSnapshot, SerializedNode } from '@cobrowse/protocol';
import { restoreImplicitIds } from '@cobrowse/dom';
import { start, type Session } from './capture-session';

afterEach(() => {
  document.head.replaceChildren();
  document.body.replaceChildren();
});

function find(node: SerializedNode, id: number): SerializedNode | undefined {
  if (node.i === id) return node;
  for (const c of (node as { c?: SerializedNode[] }).c ?? []) {
    const hit = find(c, id);
    if (hit) return hit;
  }
  return undefined;
}

/** Takes a full snapshot and returns it (the `n`th frame sent). */
async function snapshot(s: Session, n: number): Promise<FullSnapshot> {
  s.capture.fullSnapshot();
  await vi.waitFor(() => expect(s.frames.length).toBeGreaterThanOrEqual(n));
  const snap = (await s.payloads())[n - 1]?.payload as FullSnapshot;
  restoreImplicitIds(snap.doc); // as the viewer does: ids left out follow on from the node before
  return snap;
}

describe('snapshots after the first', () => {
  it('carry the scroll offsets of elements scrolled before the capture and of those scrolled since', async () => {
    document.body.innerHTML = '<div id="before"><p>a</p></div><div id="since"><p>b</p></div>';
    const before = document.getElementById('before') as HTMLElement;
    const since = document.getElementById('since') as HTMLElement;
    before.scrollTop = 30; // jsdom keeps the value
    const s = start();
    try {
      const first = await snapshot(s, 1);
      const id = (el: Element) => s.ctx.mirror.getId(el) as number;
      expect((find(first.doc, id(before)) as { sc?: number[] }).sc).toEqual([0, 30]);
      expect((find(first.doc, id(since)) as { sc?: number[] }).sc).toBeUndefined();
      // A browser fires `scroll` at an element whose offsets changed.
      since.scrollTop = 50;
      since.dispatchEvent(new Event('scroll'));
      before.scrollTop = 10;
      before.dispatchEvent(new Event('scroll'));
      await vi.waitFor(() => expect(s.frames.length).toBeGreaterThanOrEqual(2));
      const n = s.frames.length + 1;
      const later = await snapshot(s, n);
      expect((find(later.doc, id(before)) as { sc?: number[] }).sc).toEqual([0, 10]);
      expect((find(later.doc, id(since)) as { sc?: number[] }).sc).toEqual([0, 50]);
    } finally {
      s.capture.stop();
    }
  });

  it('carry a <link> sheet changed through the CSSOM with its new rules', async () => {
    // jsdom loads no linked file: the link is given a parsed sheet of its own.
    const source = document.createElement('style');
    source.textContent = '.a { color: red; }';
    document.head.appendChild(source);
    const sheet = source.sheet as CSSStyleSheet;
    source.remove();
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/site.css';
    Object.defineProperty(link, 'sheet', { value: sheet });
    document.head.appendChild(link);
    const s = start();
    try {
      const id = () => s.ctx.mirror.getId(link) as number;
      const first = await snapshot(s, 1);
      expect((find(first.doc, id()) as { css?: string }).css).toContain('.a');
      // (No batch: the sheet's owner node is the removed <style>, which the agent does not have.)
      sheet.insertRule('.b { color: green; }', 1);
      const later = await snapshot(s, 2);
      expect((find(later.doc, id()) as { css?: string }).css).toContain('.b');
    } finally {
      s.capture.stop();
    }
  });
});
