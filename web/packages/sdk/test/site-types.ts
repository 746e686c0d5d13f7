// Not a test file of vitest: the typecheck compiles it. It is a customer's site written against the
// shipped declarations (gcb.d.ts), with the guide's own examples, so a change of the API that would
// break such a site breaks `npm run typecheck`.

/// <reference path="../gcb.d.ts" />
import type { GcbApi, GcbPrimaryMedia, GcbSession } from '../gcb';

declare function showCobrowseButton(): void;
declare function showCobrowseToolbar(session: GcbSession): void;
declare const myChat: { sendMessage(text: string): void; ready(cb: () => void): void; agentOnline: boolean };

const myPrimaryMedia: GcbPrimaryMedia = {
  initializeAsync(done) {
    myChat.ready(() => done());
  },
  isAgentConnected: () => myChat.agentOnline,
  sendCbSessionToken(token) {
    myChat.sendMessage('{start:' + token + '}');
  },
};

if (!window._genesys) window._genesys = {};
window._genesys.cobrowse = {
  url: 'https://cobrowse.example/cobrowse/',
  debug: true,
  disableBuiltInUI: false,
  primaryMedia: myPrimaryMedia,
  setDocumentDomain: false,
  disableBackForwardCache: true,
  lang: 'de',
  localization: { modalYes: 'Natürlich!', toolbarContent: 'Session token: {sessionId}' },
  onReady: [],
};
window._genesys.widgets = {
  cobrowse: { src: 'https://cobrowse.example/cobrowse/js/gcb.min.js', url: 'https://cobrowse.example/cobrowse/', apikey: 'KEY', lang: 'fr' },
};

const cbEndedMessages: Record<string, string> = {
  self: 'You exited Co-browse session. Co-browse terminated',
  external: 'Co-browse session ended',
  timeout: 'Co-browse session timed out',
  inactivityTimeout: 'Agent did not join. Closing Co-browse session.',
  serverUnavailable: 'Could not reach Co-browse server',
  sessionsOverLimit: 'Agent is busy in another Co-browse session',
};

function createCustomCobrowseUI(cobrowseApi: GcbApi): void {
  const toolbar = document.createElement('div');
  toolbar.className = 'cobrowseToolbar';
  toolbar.textContent = 'Co-browse is going on';
  cobrowseApi.markServiceElement(toolbar);
  cobrowseApi.onConnected.add(function () {
    document.body.appendChild(toolbar);
  });
}

window._genesys.cobrowse.onReady?.push(function (cobrowseApi, isTopContext) {
  cobrowseApi.onMaskedElement.add(function (element) {
    (element as HTMLElement).title = 'Content of this elements is masked for representatives.';
  });
  if (!isTopContext) return;
  console.log(cobrowseApi.VERSION, cobrowseApi.isBrowserSupported());
  createCustomCobrowseUI(cobrowseApi);
  cobrowseApi.onInitialized.add(function (session) {
    if (!session) showCobrowseButton();
    else showCobrowseToolbar(session);
  });
  cobrowseApi.onSessionStarted.add(function (session) {
    alert('Co-browse has started. Spell this session token to our representative: ' + session.token);
  });
  cobrowseApi.onSessionEnded.add(function (details) {
    alert((details.reason && cbEndedMessages[details.reason]) || 'Something went wrong. Co-browse terminated.');
    showCobrowseButton();
  });
  cobrowseApi.onAgentJoined.add(function (_agent, session) {
    alert('Representative has joined the session ' + session.agents.length);
  });
  cobrowseApi.onAgentNavigated.add(function (details) {
    if (details.url) alert('Representative has navigated to the page: ' + details.url);
    else alert('Representative has pressed the "' + details.command + '" button. Page will be refreshed');
  });
  cobrowseApi.onNavigationFailed.add(function () {
    alert('Navigation request by representative has failed');
  });
  cobrowseApi.onModeUpgradeRequested.add(function (done) {
    done(confirm('Representative requests control over the web page. Allow?'));
  });
  cobrowseApi.onModeChanged.addOnce(function (mode) {
    if (mode.write) alert('Representative has now control over the page');
    else if (mode.pointer) alert('Representative can no longer control the page');
  });
  const starter = () => {
    try {
      cobrowseApi.startSession();
    } catch {
      alert('unsupported');
    }
  };
  document.getElementById('cobrowse')?.addEventListener('click', starter);
  document.getElementById('exit')?.addEventListener('click', () => cobrowseApi.exitSession());
  document.getElementById('revoke')?.addEventListener('click', () => cobrowseApi.downgradeMode());
});

// A wrong option type is a compile error for the site.
// @ts-expect-error -- lang is a string
window._genesys.cobrowse.lang = 3;
// @ts-expect-error -- not a key of the localization table
const wrongKey: NonNullable<NonNullable<typeof window._genesys>['cobrowse']>['localization'] = { nope: 'x' };
void wrongKey;

export {};
