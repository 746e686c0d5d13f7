/** A capture of the test's `document` into an in-memory sink, for the capture tests. */

import { expect, vi } from 'vitest';
import { canvasImage, createCanvasDrawings, createCaptureContext, type CaptureContext } from '@cobrowse/dom';
import { decodeFrame, FrameKind, type Batch, type Op } from '@cobrowse/protocol';
import { startCapture, type Capture } from '../src/capture';

export interface Session {
  capture: Capture;
  ctx: CaptureContext;
  frames: Uint8Array[];
  /** Decoded payloads received so far. */
  payloads(): Promise<{ kind: number; payload: unknown }[]>;
}

/** The chunk `canvas` as the capture gets it, here from the same bundle. */
export const loadCanvasCode = () => Promise.resolve({ createCanvasDrawings, canvasImage });

/** Starts a capture of `document` (`loadCanvas`: how it gets the chunk `canvas`); a capture error fails the test. */
export function start(loadCanvas: typeof loadCanvasCode = loadCanvasCode): Session {
  const frames: Uint8Array[] = [];
  const sink = { sendFrame: (b: Uint8Array) => frames.push(b), bufferedAmount: () => 0, pageChanged: () => {} };
  const ctx = createCaptureContext(document);
  const capture = startCapture(
    ctx,
    sink,
    (msg, err) => {
      throw new Error(`${msg}: ${String(err)}`);
    },
    loadCanvas,
  );
  return {
    capture,
    ctx,
    frames,
    async payloads() {
      const out: { kind: number; payload: unknown }[] = [];
      for (const f of frames) {
        const d = await decodeFrame(f as Uint8Array<ArrayBuffer>);
        if (d) out.push({ kind: d.header.kind, payload: d.payload });
      }
      return out;
    },
  };
}

/** The ops of every incremental batch, once at least `count` frames were sent. */
export async function batchOps(s: Session, count: number): Promise<Op[]> {
  await vi.waitFor(() => expect(s.frames.length).toBeGreaterThanOrEqual(count));
  const all = await s.payloads();
  return all.filter((p) => p.kind === FrameKind.Incremental).flatMap((p) => (p.payload as Batch).ops);
}

/** Runs `fn` and returns the errors that reached the page's window meanwhile (none expected). */
export async function pageErrorsDuring(fn: () => unknown): Promise<unknown[]> {
  const errors: unknown[] = [];
  const onError = (ev: ErrorEvent) => {
    errors.push(ev.error);
    ev.preventDefault();
  };
  window.addEventListener('error', onError);
  try {
    await fn();
  } finally {
    window.removeEventListener('error', onError);
  }
  return errors;
}
