/**
 * Reads the page's configuration: `window._genesys.cobrowse`, or `window._genesys.widgets.cobrowse`
 * for sites integrated through Genesys Widgets. The server URL comes from `url` (e.g.
 * `https://cobrowse.example/cobrowse/`) or, failing that, from the address the SDK was loaded from.
 */

export interface PrimaryMedia {
  initializeAsync?(done: () => void): void;
  isAgentConnected?(): boolean;
  sendCbSessionToken?(token: string): void;
}

export interface SdkConfig {
  /** Base URL of the server's `/cobrowse/` path, with a trailing slash. */
  serverUrl: string;
  debug: boolean;
  disableBuiltInUI: boolean;
  primaryMedia: PrimaryMedia | null;
  lang: string | undefined;
  localization: unknown;
  /** Milliseconds between the announcement of an agent's navigation and the navigation. */
  navigationDelay: number;
  /** The page's `onReady` value (usually an array of callbacks queued before the SDK loaded). */
  onReady: unknown;
  /** The object the page configured, where `onReady` lives. */
  host: Record<string, unknown>;
}

type AnyRecord = Record<string, unknown>;

function asRecord(v: unknown): AnyRecord | null {
  return v && typeof v === 'object' ? (v as AnyRecord) : null;
}

export function readConfig(win: Window, scriptSrc: string | null): SdkConfig {
  const g = asRecord((win as unknown as AnyRecord)['_genesys']) ?? {};
  const direct = asRecord(g['cobrowse']);
  const widgets = asRecord(asRecord(g['widgets'])?.['cobrowse']);
  // A site may configure either object; `_genesys.cobrowse` wins where both set a field.
  const merged: AnyRecord = { ...(widgets ?? {}), ...(direct ?? {}) };
  const host = direct ?? widgets ?? {};
  if (!direct) (g as AnyRecord)['cobrowse'] = host;
  if (!asRecord((win as unknown as AnyRecord)['_genesys'])) (win as unknown as AnyRecord)['_genesys'] = g;

  let serverUrl = typeof merged['url'] === 'string' ? (merged['url'] as string) : '';
  if (!serverUrl && scriptSrc) {
    const i = scriptSrc.indexOf('/cobrowse/');
    if (i >= 0) serverUrl = scriptSrc.slice(0, i + '/cobrowse/'.length);
  }
  if (serverUrl) {
    try {
      serverUrl = new URL(serverUrl, win.location.href).href;
      if (!serverUrl.endsWith('/')) serverUrl += '/';
    } catch {
      // Not a URL: no server (startSession reports it) rather than no SDK at all.
      serverUrl = '';
    }
  }
  const pm = asRecord(merged['primaryMedia']);
  return {
    serverUrl,
    debug: merged['debug'] === true,
    disableBuiltInUI: merged['disableBuiltInUI'] === true,
    primaryMedia: pm as PrimaryMedia | null,
    lang: typeof merged['lang'] === 'string' ? (merged['lang'] as string) : undefined,
    localization: merged['localization'],
    navigationDelay:
      typeof merged['navigationDelay'] === 'number' && Number.isFinite(merged['navigationDelay']) && (merged['navigationDelay'] as number) >= 0
        ? Math.min(merged['navigationDelay'] as number, 60_000)
        : 2000,
    onReady: host['onReady'],
    host,
  };
}
