/**
 * The customer-facing strings, keyed as in the reference product's localization table: English
 * exactly as its guide lists them (its typos included: sites compare against them), the choice of
 * built-in German (`lang: 'de'`, `strings-de.ts`) or French (`lang: 'fr'`, `strings-fr.ts`) — tables
 * kept out of `gcb.js`, in chunks loaded only by pages in those languages — and the page's
 * `localization` overrides, which win over `lang`. `{sessionId}` is substituted. Owns nothing else:
 * the UI modules only read a `Strings`.
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

/**
 * Keys of ours beyond the guide's table (its dialogs have no "close" label). Overridable like the
 * guide's keys.
 */
export const enExtra = {
  modalClose: 'Close',
};

export type GuideKey = keyof typeof en;
export type StringKey = GuideKey | keyof typeof enExtra;
export type Strings = Record<StringKey, string>;

/** English with our extra keys: the table of every page whose `lang` is not German or French. */
export const english: Strings = { ...en, ...enExtra };

/** The built-in languages besides English, each in a chunk of its own (`chunk.ts`). */
export type OtherLanguage = 'de' | 'fr';

/**
 * The built-in language `lang` asks for besides English: its primary subtag, case-insensitive
 * (`de`, `de-AT`, `FR`); `null` (English) for anything else.
 */
export function languageOf(lang: unknown): OtherLanguage | null {
  const primary = typeof lang === 'string' ? lang.trim().toLowerCase().split(/[-_]/)[0] : '';
  return primary === 'de' || primary === 'fr' ? primary : null;
}

/**
 * The strings of a page: English, then the built-in table of its language (`lang`'s table comes
 * from a chunk, see `languageOf`), then the page's `localization` overrides, which win. Only
 * strings of known keys count in either (unknown keys and other values are ignored). Always a
 * complete, fresh table.
 */
export function resolveStrings(overrides: unknown, table?: unknown): Strings {
  const out: Strings = { ...english };
  for (const layer of [table, overrides]) {
    if (!layer || typeof layer !== 'object') continue;
    for (const key of Object.keys(english) as StringKey[]) {
      let v: unknown;
      try {
        v = (layer as Record<string, unknown>)[key];
      } catch {
        continue; // A throwing getter of the page's object: that key keeps its default.
      }
      if (typeof v === 'string') out[key] = v;
    }
  }
  return out;
}

/** Substitutes every `{sessionId}` of `template` (a `$` in the token is taken literally). */
export function format(template: string, vars: { sessionId?: string }): string {
  const id = vars.sessionId ?? '';
  return template.split('{sessionId}').join(id);
}
