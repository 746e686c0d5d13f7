import { afterEach, describe, expect, it } from 'vitest';
import { createToolbar } from '../src/ui/toolbar';
import { english } from '../src/strings';
import { de } from '../src/strings-de';

const builtIn = { en: english, de };

const en = builtIn.en;

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

  it('tells why the session ended even when it never showed (server unreachable)', () => {
    const toolbar = createToolbar(document, en, () => {});
    toolbar.end(en.serverUnavailable);
    const host = document.querySelector('.gcb-toolbar-host') as HTMLElement | null;
    const note = host?.shadowRoot?.querySelector('[role="status"]') as HTMLElement | null;
    expect(note?.hidden).toBe(false);
    expect(note?.textContent).toBe(en.serverUnavailable);
    const bar = host?.shadowRoot?.querySelector('[role="toolbar"]') as HTMLElement | null;
    expect(bar?.hidden).toBe(true);
  });

  it('ending without a text when nothing showed adds nothing to the page', () => {
    createToolbar(document, en, () => {}).end();
    expect(document.querySelector('.gcb-toolbar-host')).toBeNull();
  });
});

describe('toolbar and masked content', () => {
  afterEach(() => {
    document.querySelectorAll('.gcb-toolbar-host').forEach((el) => el.remove());
  });

  it('says that some content is hidden while the page has masked content', () => {
    const toolbar = createToolbar(document, en, () => {});
    toolbar.show('123456789');
    const host = document.querySelector('.gcb-toolbar-host') as HTMLElement;
    const notice = host.shadowRoot?.querySelector('[data-gcb-masked-notice]') as HTMLElement;
    expect(notice.hidden).toBe(true);
    toolbar.setMasked(true);
    expect(notice.hidden).toBe(false);
    expect(notice.textContent).toBe('Some content is hidden from representative');
    expect(notice.getAttribute('aria-live')).toBe('polite');
    toolbar.setMasked(false);
    expect(notice.hidden).toBe(true);
  });
});
