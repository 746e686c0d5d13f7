/**
 * Entry point of `gcb.js`: reads the page's configuration, builds the API, runs the `onReady`
 * queue, resumes a session of this tab if there is one, and shows the built-in UI (toolbar,
 * notifications and modals, in the page's language). `startSession()` goes through the
 * `primaryMedia` adapter or asks the customer first (`start.ts`). A session page restored from the
 * back/forward cache reconnects its socket (`disableBackForwardCache`, default true). A page opened
 * with an inspect ticket in its fragment (`#gcb-inspect=…`) is in inspect mode: the restrictions
 * overlay, and no new co-browse session can be started on this page load. A session the tab already
 * has goes on (a crafted `#gcb-inspect=` link must not cut a customer's session off). Inspect mode,
 * the German and French tables, Write Mode's input and navigation, the child context of a frame and
 * the resource uploader are chunks loaded only by the pages that need them (`chunk.ts`).
 */

import { createSignal } from './signal';
import { readConfig, relaxDocumentDomain } from './config';
import { resolveStrings, format, languageOf } from './strings';
import { prepareMedia, decideStart, type StartDecision } from './start';
import { createSessionController, modeChangedPayload, type ApiEndReason } from './session';
import { createToolbar, type Toolbar } from './ui/toolbar';
import type { Mode, NavCommand } from '@cobrowse/protocol';
import { createAgentOverlay, type AgentOverlay } from './ui/overlay';
import { openConsentModal, openNotice, openQuestion, type ConsentModal } from './ui/modal';
import type { Navigator } from './navigation';
import type { WriteChunk } from './chunks/write';
import { watchMasking, type MaskingWatch } from './masking';
import { createMaskMarkers, type MaskMarkers } from './ui/mask-markers';
import { isBrowserSupported, type CobrowseApi, type CobrowseSession } from './api';
import { takeInspectTicket, type InspectMode, type startInspect } from './inspect';
import { createChunkLoader } from './chunk';
import type { startChildContext } from './frames';
import { keepWebglDrawingBuffers } from './webgl';

declare const __GCB_VERSION__: string;
/** `.min.js` in `gcb.min.js`, `.js` in the readable `gcb.js`: which build of the chunks it loads. */
declare const __GCB_CHUNK_SUFFIX__: string;

const ENDED_TEXT: Record<ApiEndReason, 'youLeft' | 'agentLeft' | 'sessionTimedOut' | 'sessionInactiveTimedOut' | 'serverUnavailable' | 'sessionsOverLimit' | 'sessionError'> = {
  self: 'youLeft',
  external: 'agentLeft',
  timeout: 'sessionTimedOut',
  inactivityTimeout: 'sessionInactiveTimedOut',
  serverUnavailable: 'serverUnavailable',
  sessionsOverLimit: 'sessionsOverLimit',
  error: 'sessionError',
};

/** The toolbar as `boot` uses it: calls wait for the page's strings (`ui`), texts read late. */
interface LateToolbar {
  show(token: string): void;
  notify(text: () => string): void;
  setMode(mode: Mode): void;
  setMasked(present: boolean): void;
  end(text?: () => string): void;
}

function boot(win: Window): void {
  const flag = '__gcbLoaded';
  const w = win as unknown as Record<string, unknown>;
  if (w[flag]) return;
  w[flag] = true;
  // Before anything else of the page's can make a WebGL context: keep its drawing buffer readable.
  keepWebglDrawingBuffers(win);

  const doc = win.document;
  const script = doc.currentScript as HTMLScriptElement | null;
  const config = readConfig(win, script?.src ?? null);
  const log = (msg: string, err?: unknown) => {
    if (config.debug) console.warn('[cobrowse]', msg, err ?? '');
  };
  const report = (msg: string, err?: unknown) => {
    if (config.debug) console.error('[cobrowse]', msg, err ?? '');
  };
  const isTopContext = win === win.top;
  if (config.setDocumentDomain && !relaxDocumentDomain(doc)) log('document.domain could not be set');
  const chunks = createChunkLoader(doc, {
    scriptSrc: script?.src ?? null,
    serverUrl: config.serverUrl,
    nonce: script?.nonce ?? '',
    suffix: __GCB_CHUNK_SUFFIX__,
  });
  if (!isTopContext) {
    // In a frame: the child context (frames.ts, the chunk `gcb-frame.js`), the common API only; the
    // top context captures. It learns of a session already running when it starts.
    chunks
      .load<typeof startChildContext>('frame')
      .then((start) => start({ win, config, version: __GCB_VERSION__, report }))
      .catch((err: unknown) => report('could not start in this frame', err));
    return;
  }

  // The strings: English with the page's overrides at once; a page in German or French first loads
  // its table (a chunk), and until then everything the built-in UI would show waits (`ui`), in
  // order. The UI reads `strings` only when it shows something.
  const strings = resolveStrings(config.localization);
  const language = config.disableBuiltInUI ? null : languageOf(config.lang);
  /** The end of the queue of UI work waiting for the strings; `null`: nothing waits. */
  let waiting: Promise<void> | null = null;
  const enqueue = (next: Promise<void>) => {
    waiting = next;
    void next.then(() => {
      if (waiting === next) waiting = null; // the last one ran: later UI work runs at once
    });
  };
  if (language) {
    enqueue(
      chunks.load(language).then(
        (table) => {
          Object.assign(strings, resolveStrings(config.localization, table));
        },
        (err: unknown) => report(`the ${language} strings could not be loaded: English instead`, err),
      ),
    );
  }
  /** Runs `show` once the page's strings are there: at once, or after the UI work waiting before it. */
  const ui = (show: () => void) => {
    if (!waiting) {
      show();
      return;
    }
    enqueue(
      waiting.then(() => {
        try {
          show();
        } catch (err) {
          report('the built-in UI failed', err);
        }
      }),
    );
  };
  /** A dialog opened through `ui`: `close()` before it showed means it never shows. */
  const dialog = (open: () => ConsentModal): ConsentModal => {
    let closed = false;
    let opened: ConsentModal | null = null;
    ui(() => {
      if (!closed) opened = open();
    });
    return {
      close() {
        closed = true;
        opened?.close();
      },
    };
  };

  // The adapter's initializeAsync runs now; startSession() waits for its done.
  const media = prepareMedia(config.primaryMedia, report);

  const onInitialized = createSignal<[CobrowseSession | null]>('onInitialized', report);
  const onSessionStarted = createSignal<[CobrowseSession]>('onSessionStarted', report);
  const onSessionEnded = createSignal<[{ reason: ApiEndReason | undefined }]>('onSessionEnded', report);
  const onConnected = createSignal<[CobrowseSession]>('onConnected', report);
  const onAgentJoined = createSignal<[object, CobrowseSession]>('onAgentJoined', report);
  const onAgentNavigated = createSignal<[{ command: 'back' | 'forward' | 'refresh' | 'url'; url?: string }]>('onAgentNavigated', report);
  const onNavigationFailed = createSignal<[]>('onNavigationFailed', report);
  const onModeUpgradeRequested = createSignal<[(allow: boolean) => void]>('onModeUpgradeRequested', report);
  const onModeChanged = createSignal<[{ pointer: boolean; write: boolean }]>('onModeChanged', report);
  const onMaskedElement = createSignal<[Element]>('onMaskedElement', report);

  let session: CobrowseSession | null = null;
  /** This page load is in inspect mode (decided before any session could start). */
  let inspecting = false;
  /** The agent's pointer and click marks; created when the agent first points. */
  let overlay: AgentOverlay | null = null;
  /** The built-in consent dialog of a pending Write Mode request. */
  let modal: ConsentModal | null = null;
  /** The built-in start question or notice (`areYouOnPhone`, `connectBeforeCobrowse`, …). */
  let startDialog: ConsentModal | null = null;
  /** A `startSession()` is being decided (adapter, question): later calls are ignored. */
  let deciding = false;
  /** The session being started was decided by the adapter: its token goes to `sendCbSessionToken`. */
  let autoConnect = false;
  const closeStartDialog = () => {
    startDialog?.close();
    startDialog = null;
  };
  /** Shows a built-in notice (no-op without the built-in UI); `text` is read when it shows. */
  const notice = (text: () => string) => {
    if (config.disableBuiltInUI) return;
    closeStartDialog();
    const opened = dialog(() =>
      openNotice(doc, strings, text(), () => {
        if (startDialog === opened) startDialog = null;
      }),
    );
    startDialog = opened;
  };
  const agentOverlay = () => (overlay ??= createAgentOverlay(win));
  const closeModal = () => {
    modal?.close();
    modal = null;
  };

  /** Masked content while a session runs: `onMaskedElement`, the markers and the toolbar text. */
  let masking: MaskingWatch | null = null;
  let markers: MaskMarkers | null = null;
  const startMasking = () => {
    if (masking) return;
    const ctx = controller.captureContext();
    if (toolbar) markers = createMaskMarkers(win, strings);
    masking = watchMasking({
      win,
      MutationObserver: ctx.MutationObserver,
      restrictions: ctx.restrictions,
      isService: (el) => ctx.isService(el),
      masked(el) {
        onMaskedElement.dispatch(el);
        // Each element is reported once: a callback added later is not handed the last one.
        onMaskedElement.reset();
      },
      maskedContent: (present) => toolbar?.setMasked(present),
      outermost: markers ? (elements) => ui(() => markers?.set(elements)) : undefined,
      report,
    });
  };
  const stopMasking = () => {
    masking?.stop();
    masking = null;
    markers?.destroy();
    markers = null;
  };

  /** The toolbar through `ui`: texts are read when they show. */
  const toolbar: LateToolbar | null = config.disableBuiltInUI
    ? null
    : ((bar: Toolbar): LateToolbar => ({
        show: (token) => ui(() => bar.show(token)),
        notify: (text) => ui(() => bar.notify(text())),
        setMode: (mode) => ui(() => bar.setMode(mode)),
        setMasked: (present) => ui(() => bar.setMasked(present)),
        end: (text) => ui(() => bar.end(text?.())),
      }))(
        createToolbar(
          doc,
          strings,
          () => api.exitSession(),
          () => api.downgradeMode(),
        ),
      );

  const NAV_TEXT = { back: 'navBack', forward: 'navForward', refresh: 'navRefresh', url: 'navUrl' } as const;
  const navFailed = (command: NavCommand, reason: string) => {
    onNavigationFailed.dispatch();
    toolbar?.notify(() => strings.navFailed);
    controller.navigationFailed(command, reason);
  };
  // Write Mode's navigation is in the chunk `gcb-write.js`, loaded when the mode becomes write (or at
  // the first navigation). Made before the controller (which calls it); it reads the controller only
  // when a delay ends. `null` once the session ended (a navigation still loading is dropped).
  let navigator: Promise<Navigator | null> | null = null;
  const navigation = (): Promise<Navigator | null> => {
    if (navigator) return navigator;
    const loading: Promise<Navigator | null> = chunks.load<WriteChunk>('write').then(
      ({ createNavigator }) =>
        createNavigator({
          win,
          delay: config.navigationDelay,
          allowed: () => controller.mode() === 'write' && controller.agentPresent() && controller.token() !== null,
          announced(command, url) {
            onAgentNavigated.dispatch(command === 'url' ? { command, url } : { command });
            toolbar?.notify(() => strings[NAV_TEXT[command]]);
          },
          failed: navFailed,
          report,
        }),
      (err: unknown) => {
        report('could not load the navigation code', err);
        if (navigator === loading) navigator = null; // the next navigation tries again
        return null;
      },
    );
    navigator = loading;
    return loading;
  };

  const controller = createSessionController(win, config.serverUrl, {
    connected(token, resumed) {
      session = { token, agents: [] };
      onSessionEnded.reset();
      onSessionStarted.dispatch(session);
      onConnected.dispatch(session);
      toolbar?.show(token);
      const viaAdapter = autoConnect && !resumed;
      autoConnect = false;
      if (viaAdapter) media.sendToken(token);
      if (!resumed) toolbar?.notify(() => (viaAdapter ? strings.sessionStartedAutoConnect : format(strings.sessionStarted, { sessionId: token })));
      startMasking();
      log(`session ${token} ${resumed ? 'resumed' : 'started'}`);
    },
    agentJoined(already) {
      if (!session) return;
      const agent = {};
      session.agents = [agent];
      onAgentJoined.dispatch(agent, session);
      if (!already) toolbar?.notify(() => strings.agentJoined);
    },
    agentLeft() {
      if (session) session.agents = [];
    },
    agentPointer(p) {
      if (p) agentOverlay().pointer(p);
      else overlay?.pointer(null);
    },
    agentMark(p) {
      agentOverlay().mark(p);
    },
    modeUpgradeRequested(answer) {
      closeModal();
      if (onModeUpgradeRequested.size() > 0) {
        // The page decides (its own dialog, or a policy); the built-in modal stays closed.
        onModeUpgradeRequested.dispatch(answer);
        // A callback added later must not get this request's (stale) `done`.
        onModeUpgradeRequested.reset();
        return;
      }
      if (!toolbar) {
        // No built-in UI and nobody to ask: the customer cannot consent, so the answer is no.
        answer(false);
        return;
      }
      const opened = dialog(() =>
        openConsentModal(doc, strings, (allow) => {
          if (modal === opened) modal = null;
          answer(allow);
        }),
      );
      modal = opened;
    },
    navigate(command, url) {
      const loading = navigation();
      loading
        .then((nav) => {
          if (navigator !== loading && nav) return; // the session ended meanwhile
          if (nav) nav.navigate(command, url);
          else navFailed(command, 'the SDK could not load its navigation code');
        })
        .catch((err: unknown) => report('navigation failed', err));
    },
    navigationRefused() {
      // The agent already knows (the server told it); the page and the customer learn it here.
      onNavigationFailed.dispatch();
      toolbar?.notify(() => strings.navFailed);
    },
    modeRequestWithdrawn() {
      closeModal();
    },
    restrictionsChanged() {
      masking?.changed();
    },
    modeChanged(mode, notify) {
      if (mode === 'write') void navigation(); // ready before the agent navigates
      onModeChanged.dispatch(modeChangedPayload(mode));
      toolbar?.setMode(mode);
      if (notify) toolbar?.notify(() => (mode === 'write' ? strings.modeUpgraded : strings.modeDowngraded));
    },
    ended(reason) {
      session = null;
      autoConnect = false;
      stopMasking();
      void navigator?.then((nav) => nav?.stop());
      navigator = null;
      closeModal();
      overlay?.destroy();
      overlay = null;
      onModeChanged.reset();
      toolbar?.setMode('pointer');
      onSessionStarted.reset();
      onConnected.reset();
      onAgentJoined.reset();
      onSessionEnded.dispatch({ reason });
      toolbar?.end(reason ? () => strings[ENDED_TEXT[reason]] : undefined);
      log(`session ended: ${reason}`);
    },
    report,
  }, chunks);

  const api: CobrowseApi = {
    VERSION: __GCB_VERSION__,
    isBrowserSupported: () => isBrowserSupported(win),
    startSession() {
      if (!isBrowserSupported(win)) {
        notice(() => strings.browserUnsupported);
        throw new Error('Co-browse: this browser is not supported');
      }
      if (inspecting) {
        report('this page is in inspect mode: no new co-browse session on this page load');
        return;
      }
      if (!config.serverUrl) {
        report('no server URL configured (_genesys.cobrowse.url)');
        onSessionEnded.dispatch({ reason: 'error' });
        return;
      }
      if (deciding || controller.token()) return;
      deciding = true;
      decideStart({
        media,
        ask: config.disableBuiltInUI
          ? null
          : (question) =>
              new Promise<boolean>((resolve) => {
                closeStartDialog();
                const opened = dialog(() =>
                  openQuestion(doc, strings, strings[question], (yes) => {
                    if (startDialog === opened) startDialog = null;
                    resolve(yes);
                  }),
                );
                startDialog = opened;
              }),
        timeout: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      })
        .then((decision: StartDecision) => {
          deciding = false;
          log(`startSession: ${decision}`);
          if (decision === 'declined') {
            notice(() => strings.connectBeforeCobrowse);
            return;
          }
          autoConnect = decision === 'autoConnect';
          return controller.start();
        })
        .catch((err: unknown) => {
          deciding = false;
          report('could not start a session', err);
        });
    },
    exitSession: () => {
      try {
        controller.exit();
      } catch (err) {
        report('could not exit the session', err);
      }
    },
    downgradeMode: () => {
      try {
        controller.downgradeMode();
      } catch (err) {
        report('could not downgrade the mode', err);
      }
    },
    markServiceElement: (el: Element) => {
      try {
        controller.captureContext().markService(el);
      } catch (err) {
        report('markServiceElement needs an element', err);
      }
    },
    onInitialized: onInitialized.signal,
    onSessionStarted: onSessionStarted.signal,
    onSessionEnded: onSessionEnded.signal,
    onConnected: onConnected.signal,
    onAgentJoined: onAgentJoined.signal,
    onAgentNavigated: onAgentNavigated.signal,
    onNavigationFailed: onNavigationFailed.signal,
    onModeUpgradeRequested: onModeUpgradeRequested.signal,
    onModeChanged: onModeChanged.signal,
    onMaskedElement: onMaskedElement.signal,
  };

  config.host['VERSION'] = api.VERSION;

  // Run the callbacks queued before we loaded, and every later `onReady.push(cb)` at once.
  const runReady = (cb: unknown) => {
    if (typeof cb !== 'function') return;
    try {
      (cb as (a: CobrowseApi, top: boolean) => void)(api, isTopContext);
    } catch (err) {
      report('an onReady callback threw', err);
    }
  };
  const queue = Array.isArray(config.onReady) ? (config.onReady as unknown[]) : [];
  const ready = {
    push: (...cbs: unknown[]) => {
      for (const cb of cbs) runReady(cb);
      return cbs.length;
    },
  };
  config.host['onReady'] = ready;

  if (isTopContext) {
    try {
      const ticket = takeInspectTicket(win, report);
      if (ticket !== null) {
        inspecting = true;
        chunks
          .load<typeof startInspect>('inspect')
          .then((start): InspectMode =>
            start(
              {
                win,
                MutationObserver: controller.captureContext().MutationObserver,
                serverUrl: config.serverUrl,
                isService: (el) => controller.captureContext().isService(el),
                report,
              },
              ticket,
            ),
          )
          .catch((err: unknown) => report('could not start inspect mode', err));
      }
    } catch (err) {
      report('could not start inspect mode', err);
    }
  }
  if (isTopContext) controller.resume();
  // Back/forward cache: a page restored with a session gets a new socket, and the agent a fresh
  // snapshot (the old socket was closed or frozen while the page was cached). While a session runs
  // its open socket already keeps Chromium from caching the page; no `unload` listener is added
  // (it would disable the cache for the whole site and is deprecated).
  win.addEventListener('pageshow', (ev: PageTransitionEvent) => {
    try {
      if (ev.persisted && config.disableBackForwardCache && controller.token()) controller.pageRestored();
    } catch (err) {
      report('could not reconnect a page restored from the back/forward cache', err);
    }
  });
  for (const cb of queue) runReady(cb);
  onInitialized.dispatch(controller.token() ? { token: controller.token() as string, agents: [] } : null);
}

try {
  boot(window);
} catch (err) {
  // The SDK must never break the site it is embedded in.
  if (typeof console !== 'undefined') console.error('[cobrowse] failed to start', err);
}
