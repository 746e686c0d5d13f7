/**
 * The capture's time-sliced full snapshot (`snapshot.ts`): on a page larger than a slice,
 * `fullSnapshot()` returns before the walk ends, the page changes meanwhile, and what the agent
 * gets (the snapshot, then batches, in that order) rebuilds the page exactly, masked content never
 * in the clear; `stop()` and a newer request give a walk up.
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyOps, createCaptureContext, createReplicaMirror, rebuildDocument } from '@cobrowse/dom';
import { decodeFrame, FrameKind, type Batch, type FullSnapshot } from '@cobrowse/protocol';
import { startCapture } from '../src/capture';
import { checkReplica } from '../../dom/test/harness';
import { loadCanvasCode, start, type Session } from './capture-session';

afterEach(() => {
  document.body.replaceChildren();
  document.body.className = '';
});

/** 300 sections of 10 items: far more than one slice of jsdom's time. */
function fill(): void {
  let html = '';
  for (let s = 0; s < 300; s++) {
    html += `<section id="s${s}"><ul>`;
    for (let i = 0; i < 10; i++) html += `<li id="l${s}-${i}"><span>item-${s}-${i}</span></li>`;
    html += '</ul></section>';
  }
  document.body.innerHTML = html;
}

const byId = (id: string) => document.getElementById(id) as Element;

/** The decoded frames; the replica they build, checked against the page. */
async function replay(s: Session): Promise<{ kinds: number[]; text: string }> {
  const frames = await s.payloads();
  const rep = document.implementation.createHTMLDocument('');
  const mirror = createReplicaMirror();
  for (const f of frames) {
    if (f.kind === FrameKind.Full) rebuildDocument(f.payload as FullSnapshot, rep, mirror);
    else applyOps((f.payload as Batch).ops, rep, mirror);
  }
  checkReplica(document, s.ctx, rep, mirror);
  return { kinds: frames.map((f) => f.kind), text: JSON.stringify(frames) };
}

describe('capture, time-sliced full snapshot', () => {
  it('returns before the walk ends; changes made meanwhile follow the snapshot, masked', async () => {
    fill();
    const s = start();
    try {
      s.ctx.restrictions.setRules([{ id: 1, selector: '.secret', kind: 'mask', urlPattern: null }]);
      s.capture.fullSnapshot();
      // The walk has not reached the end of the page: the page runs now, between two slices.
      expect(s.ctx.mirror.getId(byId('s0'))).toBeDefined();
      expect(s.ctx.mirror.getId(byId('l299-9'))).toBeUndefined();
      byId('l299-1').classList.add('secret');
      byId('s299').append(Object.assign(document.createElement('p'), { className: 'secret', textContent: 'confidential' }));
      byId('s0').append(byId('l298-2'));
      byId('s297').prepend(byId('l0-3'));
      byId('l1-1').remove();
      byId('l2-2').setAttribute('title', 'changed');
      await vi.waitFor(() => expect(s.ctx.mirror.getId(byId("l299-9"))).toBeDefined(), { timeout: 20_000 });
      // A change after the walk, in the first batch too.
      byId('l5-5').textContent = 'after';
      await vi.waitFor(async () => expect((await s.payloads()).some((f) => JSON.stringify(f.payload).includes('after'))).toBe(true), { timeout: 20_000 });
      const { kinds, text } = await replay(s);
      expect(kinds[0]).toBe(FrameKind.Full);
      expect(kinds.filter((k) => k === FrameKind.Full)).toHaveLength(1);
      expect(text).not.toContain('item-299-1');
      expect(text).not.toContain('confidential');
      expect(text).toContain('item-299-2');
    } finally {
      s.capture.stop();
    }
  });

  it('a newer request gives the walk up: one snapshot is sent, then batches', async () => {
    fill();
    const s = start();
    try {
      s.capture.fullSnapshot();
      byId('l299-0').textContent = 'changed between the two requests';
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames.length).toBeGreaterThan(0), { timeout: 20_000 });
      byId('s3').remove();
      await vi.waitFor(() => expect(s.frames.length).toBeGreaterThan(1), { timeout: 20_000 });
      const { kinds } = await replay(s);
      expect(kinds).toEqual([FrameKind.Full, FrameKind.Incremental]);
    } finally {
      s.capture.stop();
    }
  });

  it('a later snapshot (a late joiner): batches wait for it, none is sent during its walk', async () => {
    fill();
    const s = start();
    try {
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames.length).toBe(1), { timeout: 20_000 });
      s.capture.fullSnapshot();
      expect(s.ctx.mirror.getId(byId('l299-9'))).toBeDefined();
      byId('s0').append(byId('l299-3'));
      byId('l299-4').textContent = 'changed during the second walk';
      await vi.waitFor(() => expect(s.frames.length).toBeGreaterThan(2), { timeout: 20_000 });
      const frames = await s.payloads();
      expect(frames.map((f) => f.kind).slice(0, 3)).toEqual([FrameKind.Full, FrameKind.Full, FrameKind.Incremental]);
      // The replica of the second snapshot and what follows it.
      const rep = document.implementation.createHTMLDocument('');
      const mirror = createReplicaMirror();
      rebuildDocument(frames[1]?.payload as FullSnapshot, rep, mirror);
      for (const f of frames.slice(2)) applyOps((f.payload as Batch).ops, rep, mirror);
      checkReplica(document, s.ctx, rep, mirror);
    } finally {
      s.capture.stop();
    }
  });

  it('a frame document walked before a pause is observed from then on: its changes follow', async () => {
    fill();
    const frame = document.createElement('iframe');
    document.body.prepend(frame);
    const inner = frame.contentDocument as Document;
    inner.body.innerHTML = '<p id="in">inside the frame</p>';
    const s = start();
    try {
      s.capture.fullSnapshot();
      const p = inner.getElementById('in') as Element;
      expect(s.ctx.mirror.getId(p)).toBeDefined();
      expect(s.ctx.mirror.getId(byId('l299-9'))).toBeUndefined();
      p.textContent = 'changed inside the frame during the walk';
      await vi.waitFor(
        async () => expect(JSON.stringify(await s.payloads())).toContain('changed inside the frame during the walk'),
        { timeout: 20_000 },
      );
      expect((await s.payloads())[0]?.kind).toBe(FrameKind.Full);
    } finally {
      s.capture.stop();
    }
  });

  it('a rule that arrives while the walk pauses masks what the walk has not reached yet', async () => {
    fill();
    byId('l299-5').classList.add('late-rule');
    const s = start();
    try {
      s.capture.fullSnapshot();
      expect(s.ctx.mirror.getId(byId('l299-9'))).toBeUndefined();
      // What the session does on a `restrictions` message.
      s.ctx.restrictions.setRules([{ id: 1, selector: '.late-rule', kind: 'mask', urlPattern: null }]);
      s.capture.restrictionsChanged();
      await vi.waitFor(() => expect(s.frames.length).toBeGreaterThan(0), { timeout: 20_000 });
      const { text } = await replay(s);
      expect(text).not.toContain('item-299-5');
      expect(text).toContain('item-299-4');
    } finally {
      s.capture.stop();
    }
  });

  it('stop() during the walk: nothing is sent', async () => {
    fill();
    const a = start();
    a.capture.fullSnapshot();
    expect(a.ctx.mirror.getId(byId('l299-9'))).toBeUndefined();
    a.capture.stop();
    // Another capture's snapshot, walked while the first one would have gone on.
    const frames: Uint8Array[] = [];
    const sink = { sendFrame: (f: Uint8Array) => frames.push(f), bufferedAmount: () => 0, pageChanged: () => {} };
    const b = startCapture(createCaptureContext(document), sink, () => {}, loadCanvasCode);
    try {
      b.fullSnapshot();
      await vi.waitFor(() => expect(frames).toHaveLength(1), { timeout: 20_000 });
      expect(a.frames).toHaveLength(0);
      expect(a.ctx.mirror.getId(byId('l299-9'))).toBeUndefined();
      expect((await decodeFrame(frames[0] as Uint8Array<ArrayBuffer>))?.header.kind).toBe(FrameKind.Full);
    } finally {
      b.stop();
    }
  });
});
