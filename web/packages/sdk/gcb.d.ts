/**
 * TypeScript declarations of the co-browse customer SDK (`gcb.js`, `gcb.min.js`) as a website sees
 * it: the configuration under `window._genesys.cobrowse` (or `window._genesys.widgets.cobrowse`)
 * and the API handed to `onReady` callbacks. Names and semantics are those of the Genesys
 * Co-browse JavaScript API; README.md ("JavaScript API") has examples.
 *
 * Use from a site's TypeScript: `/// <reference types="@cobrowse/sdk" />` (or a path reference to
 * this file); `window._genesys` is then typed.
 */

/** Keys of the customer-facing strings (`localization`), as the guide's default table names them. */
export type GcbStringKey =
  | 'agentJoined'
  | 'youLeft'
  | 'sessionTimedOut'
  | 'sessionInactiveTimedOut'
  | 'agentLeft'
  | 'sessionError'
  | 'sessionsOverLimit'
  | 'serverUnavailable'
  | 'sessionStarted'
  | 'navRefresh'
  | 'navBack'
  | 'navForward'
  | 'navUrl'
  | 'navFailed'
  | 'toolbarContent'
  | 'contentMasked'
  | 'contentMaskedPartially'
  | 'exitBtnTitle'
  | 'areYouOnPhone'
  | 'areYouOnPhoneOrChat'
  | 'connectBeforeCobrowse'
  | 'sessionStartedAutoConnect'
  | 'browserUnsupported'
  | 'modalTitle'
  | 'modalYes'
  | 'modalNo'
  | 'writeModeInProgress'
  | 'downgradeMode'
  | 'modeUpgraded'
  | 'modeDowngraded'
  | 'modeUpgradeRequested'
  /** Ours: the label of the close button of the built-in notices. */
  | 'modalClose';

/** The page's chat adapter (`primaryMedia`); every method is optional. */
export interface GcbPrimaryMedia {
  /** Called once when the SDK loads; call `done` when the chat is ready. */
  initializeAsync?(done: () => void): void;
  /** Whether an agent is connected on the chat now. Only `true` counts as connected. */
  isAgentConnected?(): boolean;
  /** Receives the nine-digit token of a session started while `isAgentConnected()` was true. */
  sendCbSessionToken?(token: string): void;
}

/** `onReady` callback: the API, and whether this is the top context (false in an iframe). */
export type GcbReadyCallback = (api: GcbApi, isTopContext: boolean) => void;

/** The configuration object (`window._genesys.cobrowse` or `window._genesys.widgets.cobrowse`). */
export interface GcbConfig {
  /** The server's `/cobrowse/` URL. Defaults to where `gcb.js` was loaded from (or `src`). */
  url?: string;
  /** The SDK's URL (Genesys Widgets style); also gives the server URL when `url` is absent. */
  src?: string;
  /** Accepted for compatibility; not used. */
  apikey?: string;
  /** Console logs of the SDK. Default false. */
  debug?: boolean;
  /** No toolbar, notifications or modals: the page builds its own UI with the API. Default false. */
  disableBuiltInUI?: boolean;
  /** The chat adapter. Default null. */
  primaryMedia?: GcbPrimaryMedia | null;
  /** Set `document.domain` to itself (best effort; most browsers now ignore it). Default false. */
  setDocumentDomain?: boolean;
  /** Reconnect a session page restored from the back/forward cache. Default true. */
  disableBackForwardCache?: boolean;
  /** Built-in language of the customer UI: `'de'` or `'fr'`; anything else is English. */
  lang?: string;
  /** Overrides of any string (wins over `lang`); `{sessionId}` is replaced by the token. */
  localization?: Partial<Record<GcbStringKey, string>>;
  /**
   * Callbacks to run when the API is ready. Set it to an array before the SDK loads; afterwards
   * `onReady.push(cb)` runs `cb` at once.
   */
  onReady?: GcbReadyCallback[] | { push(...callbacks: GcbReadyCallback[]): number };
  /** Set by the SDK: its version. */
  readonly VERSION?: string;
}

/** A signal: callbacks added after it fired are called at once with its last arguments. */
export interface GcbSignal<A extends unknown[]> {
  add(callback: (...args: A) => void): void;
  addOnce(callback: (...args: A) => void): void;
  remove(callback: (...args: A) => void): void;
}

export interface GcbSession {
  /** The nine-digit token, e.g. "535176834". */
  token: string;
  /** Connected agents; each is an object with no properties. */
  agents: object[];
}

/** `onSessionEnded` reasons; `undefined` when another page of the tab took the session over. */
export type GcbEndReason =
  | 'self'
  | 'external'
  | 'timeout'
  | 'inactivityTimeout'
  | 'serverUnavailable'
  | 'sessionsOverLimit'
  | 'error';

export interface GcbApi {
  /** The SDK's version. */
  VERSION: string;
  /** Whether the browser has the APIs the SDK needs (feature checks, not browser names). */
  isBrowserSupported(): boolean;
  /**
   * Starts a session: through `primaryMedia`, or after asking the customer (built-in UI).
   * Throws when the browser is not supported.
   */
  startSession(): void;
  /** Ends the ongoing session (`onSessionEnded` with reason `self`). */
  exitSession(): void;
  /** Write Mode → Pointer Mode at once. */
  downgradeMode(): void;
  /** Never show this element (and its subtree) to the agent. Mark before it is added. */
  markServiceElement(element: Element): void;
  /** After load: the ongoing session, or null. */
  onInitialized: GcbSignal<[GcbSession | null]>;
  onSessionStarted: GcbSignal<[GcbSession]>;
  onSessionEnded: GcbSignal<[{ reason: GcbEndReason | undefined }]>;
  /** This page is connected to its session (also after a navigation of the customer). */
  onConnected: GcbSignal<[GcbSession]>;
  onAgentJoined: GcbSignal<[object, GcbSession]>;
  onAgentNavigated: GcbSignal<[{ command: 'back' | 'forward' | 'refresh' | 'url'; url?: string }]>;
  onNavigationFailed: GcbSignal<[]>;
  /** Call `done(true)` to allow Write Mode, `done(false)` to refuse. */
  onModeUpgradeRequested: GcbSignal<[(allow: boolean) => void]>;
  onModeChanged: GcbSignal<[{ pointer: boolean; write: boolean }]>;
  /** Each element subject to data masking, once, as the SDK finds it. */
  onMaskedElement: GcbSignal<[Element]>;
}

export interface GcbGlobal {
  cobrowse?: GcbConfig;
  widgets?: { cobrowse?: GcbConfig; [key: string]: unknown };
  [key: string]: unknown;
}

declare global {
  interface Window {
    _genesys?: GcbGlobal;
  }
  // eslint-disable-next-line no-var -- the page's global, as scripts read it (`_genesys.cobrowse`).
  var _genesys: GcbGlobal | undefined;
}
