/**
 * Reads the page's configuration: `window._genesys.cobrowse`, or `window._genesys.widgets.cobrowse`
 * for sites integrated through Genesys Widgets (where both set a field, `_genesys.cobrowse` wins).
 * The server URL comes from `url` (e.g. `https://cobrowse.example/cobrowse/`), else from the
 * widgets' `src`, else from the address the SDK was loaded from. `apikey` is accepted and unused.
 * Never throws: a value of the wrong type is the option's default.
 */

/** The page's chat adapter (`primaryMedia`, guide: "Integrating Co-browse with Chat"). */
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
  /** Relax `document.domain` to itself (best effort, see `relaxDocumentDomain`). Default false. */
  setDocumentDomain: boolean;
  /** Reconnect a session page restored from the back/forward cache. Default true. */
  disableBackForwardCache: boolean;
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
  for (const src of [merged['src'], scriptSrc]) {
    if (serverUrl || typeof src !== 'string') continue;
    const i = src.indexOf('/cobrowse/');
    if (i >= 0) serverUrl = src.slice(0, i + '/cobrowse/'.length);
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
    setDocumentDomain: merged['setDocumentDomain'] === true,
    disableBackForwardCache: merged['disableBackForwardCache'] !== false,
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

/**
 * `setDocumentDomain: true`: sets `document.domain` to itself, which lets frames of sibling
 * subdomains that do the same reach each other. Best effort: browsers increasingly ignore the
 * setter (origin-keyed agent clusters) or throw (sandboxed frames); either way nothing changes.
 * Returns whether the assignment went through.
 */
export function relaxDocumentDomain(doc: Document): boolean {
  try {
    // eslint-disable-next-line no-self-assign -- the assignment itself is the opt-in.
    doc.domain = doc.domain;
    return true;
  } catch {
    return false;
  }
}
