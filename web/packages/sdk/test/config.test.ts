import { describe, expect, it } from 'vitest';
import { readConfig, relaxDocumentDomain } from '../src/config';

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

describe('configuration options of the guide', () => {
  it('defaults: debug, disableBuiltInUI, setDocumentDomain off; disableBackForwardCache on; no adapter', () => {
    const c = readConfig(fakeWindow({ cobrowse: {} }), null);
    expect(c).toMatchObject({
      debug: false,
      disableBuiltInUI: false,
      setDocumentDomain: false,
      disableBackForwardCache: true,
      primaryMedia: null,
      lang: undefined,
    });
  });

  it('reads every option; only `false` turns the back/forward cache handling off', () => {
    const media = { isAgentConnected: () => true };
    const c = readConfig(
      fakeWindow({
        cobrowse: { setDocumentDomain: true, disableBackForwardCache: false, primaryMedia: media, lang: 'fr', localization: { modalYes: 'Oui!' } },
      }),
      null,
    );
    expect(c.setDocumentDomain).toBe(true);
    expect(c.disableBackForwardCache).toBe(false);
    expect(c.primaryMedia).toBe(media);
    expect(c.lang).toBe('fr');
    expect(c.localization).toEqual({ modalYes: 'Oui!' });
    expect(readConfig(fakeWindow({ cobrowse: { disableBackForwardCache: 'no' } }), null).disableBackForwardCache).toBe(true);
  });

  it('widgets: the server URL comes from `src` when there is no `url`; apikey is accepted', () => {
    const g = { widgets: { cobrowse: { src: 'https://cb.example/cobrowse/js/gcb.min.js?apikey=K', apikey: 'K' } } };
    expect(readConfig(fakeWindow(g), null).serverUrl).toBe('https://cb.example/cobrowse/');
  });

  it('_genesys.cobrowse wins over the widgets object field by field, and becomes the onReady host', () => {
    const direct = { lang: 'de', onReady: [] };
    const g = { cobrowse: direct, widgets: { cobrowse: { lang: 'fr', url: 'https://cb.example/cobrowse/' } } };
    const c = readConfig(fakeWindow(g), null);
    expect(c.lang).toBe('de');
    expect(c.serverUrl).toBe('https://cb.example/cobrowse/');
    expect(c.host).toBe(direct);
  });

  it('with the widgets object only, _genesys.cobrowse is made to point at it (onReady.push works there)', () => {
    const widgets = { url: 'https://cb.example/cobrowse/', onReady: [] };
    const g: Record<string, unknown> = { widgets: { cobrowse: widgets } };
    const c = readConfig(fakeWindow(g), null);
    expect(c.host).toBe(widgets);
    expect(g['cobrowse']).toBe(widgets);
  });

  it('no _genesys at all: defaults, and the global is created for the API', () => {
    const win = { location: { href: 'https://shop.example/' } } as unknown as Window & { _genesys?: { cobrowse?: unknown } };
    const c = readConfig(win, null);
    expect(c.serverUrl).toBe('');
    expect(win._genesys?.cobrowse).toBe(c.host);
  });
});

describe('setDocumentDomain', () => {
  it('assigns document.domain to itself and reports whether the browser let it', () => {
    const doc = { domain: 'shop.example' } as Document;
    expect(relaxDocumentDomain(doc)).toBe(true);
    expect(doc.domain).toBe('shop.example');
    const refusing = Object.defineProperty({}, 'domain', {
      get: () => 'shop.example',
      set: () => {
        throw new DOMException('sandboxed', 'SecurityError');
      },
    }) as Document;
    expect(relaxDocumentDomain(refusing)).toBe(false);
  });
});
