import { describe, expect, it } from 'vitest';
import { createSubmissionGuard } from '../src/submission';

describe('submission guard', () => {
  it('restores the form methods even when the action throws, and is re-entrant', () => {
    const proto = HTMLFormElement.prototype;
    const before = { submit: proto.submit, requestSubmit: proto.requestSubmit };
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'submit');
    const guard = createSubmissionGuard(window);
    expect(() =>
      guard.during(() => {
        guard.during(() => {
          expect(proto.submit).not.toBe(before.submit);
        });
        // Still armed after the inner call returned.
        expect(proto.requestSubmit).not.toBe(before.requestSubmit);
        throw new Error('the page threw');
      }),
    ).toThrow('the page threw');
    expect(proto.submit).toBe(before.submit);
    expect(proto.requestSubmit).toBe(before.requestSubmit);
    expect(Object.getOwnPropertyDescriptor(proto, 'submit')).toEqual(descriptor);
    guard.stop();
  });

  it('cancels submit events only while armed, before the page’s own listeners', () => {
    document.body.innerHTML = '<form></form>';
    const form = document.querySelector('form')!;
    const seen: boolean[] = [];
    form.addEventListener('submit', (e) => {
      seen.push(e.defaultPrevented);
      e.preventDefault();
    });
    const guard = createSubmissionGuard(window);
    guard.during(() => form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    expect(seen).toEqual([]);
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(seen).toEqual([false]);
    guard.stop();
    document.body.replaceChildren();
  });
});
