/**
 * The customer-facing strings, keyed as in the reference product's localization table. English
 * defaults exactly as its guide lists them; `{sessionId}` is substituted.
 */

export const en = {
  agentJoined: 'Representative has joined the session',
  youLeft: 'You have left the session. Co-browse is now terminated.',
  sessionTimedOut: 'Session timed out. Co-browse is now terminated.',
  sessionInactiveTimedOut: 'Session timed out. Co-browse is now terminated.',
  agentLeft: 'Representative has left the session. Co-browse is now terminated.',
  sessionError: 'Unexpected error occured. Co-browse is now terminated.',
  sessionsOverLimit: 'Representative is currently busy with another Co-browse session. Cobrowse is now terminated.',
  serverUnavailable: 'Could not reach Co-browse server. Co-browse is now terminated.',
  sessionStarted: 'Your co-browse session ID is {sessionId}. Please spell it to our representative to continue with co-browsing.',
  navRefresh: 'Representative has refreshed the page. Reloading.',
  navBack: 'Representative has pressed the "Back" button. Reloading page.',
  navForward: 'Representative has pressed the "Forward" button. Reloading page.',
  navUrl: 'Representative has requested navigation. Reloading page.',
  navFailed: 'Navigation request by representative has failed.',
  toolbarContent: 'Session ID: {sessionId}',
  contentMasked: 'Content is hidden from representative',
  contentMaskedPartially: 'Some content is hidden from representative',
  exitBtnTitle: 'Exit Co-browse session',
  areYouOnPhone: 'Are you on the phone with our representative?',
  areYouOnPhoneOrChat: 'Are you on the phone or chat with our representative?',
  connectBeforeCobrowse:
    'You need to be connected with our representative to continue with co-browsing. Please call us or start a live chat with us, and then start Co-browse again.',
  sessionStartedAutoConnect: 'Co-browse session started. Waiting for representative to connect to the session…',
  browserUnsupported:
    'Unfortunately, your browser is not currently supported. Supported browsers are: Google Chrome, Mozilla Firefox, Internet Explorer 11 and above, and Safari 6 and above.',
  modalTitle: 'Co-browse',
  modalYes: 'Yes',
  modalNo: 'No',
  writeModeInProgress: 'Agent has control over the page.',
  downgradeMode: 'Revoke control',
  modeUpgraded: 'Co-browse session was upgraded. Agent has control over the page.',
  modeDowngraded: 'Co-browse session was downgraded. Agent has no control',
  modeUpgradeRequested:
    'Agent requests upgrading Co-browse session to "write" mode. In "write" mode agent will have control over the page.',
};

export type StringKey = keyof typeof en;
export type Strings = Record<StringKey, string>;

/** Merges the page's `localization` overrides over the defaults; unknown keys are ignored. */
export function resolveStrings(overrides: unknown): Strings {
  const out: Strings = { ...en };
  if (overrides && typeof overrides === 'object') {
    for (const key of Object.keys(en) as StringKey[]) {
      const v = (overrides as Record<string, unknown>)[key];
      if (typeof v === 'string') out[key] = v;
    }
  }
  return out;
}

export function format(template: string, vars: { sessionId?: string }): string {
  return template.replace(/\{sessionId\}/g, vars.sessionId ?? '');
}
