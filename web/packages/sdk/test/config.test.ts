import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config';

function fakeWindow(genesys: unknown): Window {
  return { _genesys: genesys, location: { href: 'https://shop.example/cart' } } as unknown as Window;
}

describe('configuration', () => {
  it('reads _genesys.cobrowse and normalises the server URL', () => {
    const c = readConfig(fakeWindow({ cobrowse: { url: 'https://cb.example/cobrowse', debug: true, onReady: [] } }), null);
    expect(c.serverUrl).toBe('https://cb.example/cobrowse/');
    expect(c.debug).toBe(true);
    expect(Array.isArray(c.onReady)).toBe(true);
  });

  it('reads _genesys.widgets.cobrowse', () => {
    const g = { widgets: { cobrowse: { url: 'https://cb.example/cobrowse/', lang: 'de', disableBuiltInUI: true } } };
    const c = readConfig(fakeWindow(g), null);
    expect(c.serverUrl).toBe('https://cb.example/cobrowse/');
    expect(c.lang).toBe('de');
    expect(c.disableBuiltInUI).toBe(true);
  });

  it('falls back to the address the SDK was loaded from', () => {
    const c = readConfig(fakeWindow({}), 'https://cb.example/cobrowse/js/gcb.min.js?apikey=1');
    expect(c.serverUrl).toBe('https://cb.example/cobrowse/');
  });

  it('resolves a relative URL against the page', () => {
    const c = readConfig(fakeWindow({ cobrowse: { url: '/cobrowse/' } }), null);
    expect(c.serverUrl).toBe('https://shop.example/cobrowse/');
  });

  it('a malformed url does not throw (the SDK still boots and runs onReady), it leaves no server URL', () => {
    const c = readConfig(fakeWindow({ cobrowse: { url: 'http://[cb.example/cobrowse/', onReady: [] } }), null);
    expect(c.serverUrl).toBe('');
    expect(Array.isArray(c.onReady)).toBe(true);
  });
});
