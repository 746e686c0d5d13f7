import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCaptureContext } from '@cobrowse/dom';
import { startCapture } from '../src/capture';

afterEach(() => {
  document.body.replaceChildren();
});

describe('capture', () => {
  it('keeps errors of its page listeners inside the SDK', () => {
    const sink = { sendFrame: vi.fn(), bufferedAmount: () => 0, pageChanged: vi.fn() };
    const report = vi.fn();
    const capture = startCapture(createCaptureContext(document), sink, report);
    // A page whose form controls misbehave (a framework's proxy, a patched prototype).
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'shipping';
    Object.defineProperty(radio, 'form', {
      get() {
        throw new Error('hostile getter');
      },
    });
    document.body.appendChild(radio);
    const pageErrors: unknown[] = [];
    const onError = (ev: ErrorEvent) => {
      pageErrors.push(ev.error);
      ev.preventDefault();
    };
    window.addEventListener('error', onError);
    try {
      radio.dispatchEvent(new Event('input', { bubbles: true }));
    } finally {
      window.removeEventListener('error', onError);
      capture.stop();
    }
    expect(pageErrors).toEqual([]);
    expect(report).toHaveBeenCalled();
  });
});
