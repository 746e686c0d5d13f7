import { afterEach, describe, expect, it } from 'vitest';
import { createToolbar } from '../src/ui/toolbar';
import { en } from '../src/strings';

afterEach(() => {
  document.querySelectorAll('.gcb-toolbar-host').forEach((el) => el.remove());
});

describe('toolbar', () => {
  it('survives a page that replaces its body (Turbo Drive, body.innerHTML = …)', () => {
    const toolbar = createToolbar(document, en, () => {});
    toolbar.show('123456789');
    const host = document.querySelector('.gcb-toolbar-host') as HTMLElement;
    expect(host.shadowRoot?.textContent).toContain('Session ID: 123456789');
    document.body.innerHTML = '<p>page two</p>';
    expect(host.isConnected).toBe(true);
    document.documentElement.replaceChild(document.createElement('body'), document.body);
    expect(host.isConnected).toBe(true);
    toolbar.end();
    expect(host.isConnected).toBe(false);
  });
});
