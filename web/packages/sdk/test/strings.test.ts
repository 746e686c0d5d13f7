import { describe, expect, it } from 'vitest';
import { en, english, enExtra, format, languageOf, resolveStrings } from '../src/strings';
import { de } from '../src/strings-de';
import { fr } from '../src/strings-fr';

const builtIn = { en: english };

/**
 * The guide's "Default values" table (Localization), copied from
 * genesys-cobrowse-admin-guide.txt; lines the PDF wrapped are joined with one space.
 */
const GUIDE_DEFAULTS: Record<string, string> = {
  "agentJoined": "Representative has joined the session",
  "youLeft": "You have left the session. Co-browse is now terminated.",
  "sessionTimedOut": "Session timed out. Co-browse is now terminated.",
  "sessionInactiveTimedOut": "Session timed out. Co-browse is now terminated.",
  "agentLeft": "Representative has left the session. Co-browse is now terminated.",
  "sessionError": "Unexpected error occured. Co-browse is now terminated.",
  "sessionsOverLimit": "Representative is currently busy with another Co-browse session. Cobrowse is now terminated.",
  "serverUnavailable": "Could not reach Co-browse server. Co-browse is now terminated.",
  "sessionStarted": "Your co-browse session ID is {sessionId}. Please spell it to our representative to continue with co-browsing.",
  "navRefresh": "Representative has refreshed the page. Reloading.",
  "navBack": "Representative has pressed the \"Back\" button. Reloading page.",
  "navForward": "Representative has pressed the \"Forward\" button. Reloading page.",
  "navUrl": "Representative has requested navigation. Reloading page.",
  "navFailed": "Navigation request by representative has failed.",
  "toolbarContent": "Session ID: {sessionId}",
  "contentMasked": "Content is hidden from representative",
  "contentMaskedPartially": "Some content is hidden from representative",
  "exitBtnTitle": "Exit Co-browse session",
  "areYouOnPhone": "Are you on the phone with our representative?",
  "areYouOnPhoneOrChat": "Are you on the phone or chat with our representative?",
  "connectBeforeCobrowse": "You need to be connected with our representative to continue with co-browsing. Please call us or start a live chat with us, and then start Co-browse again.",
  "sessionStartedAutoConnect": "Co-browse session started. Waiting for representative to connect to the session…",
  "browserUnsupported": "Unfortunately, your browser is not currently supported. Supported browsers are: Google Chrome, Mozilla Firefox, Internet Explorer 11 and above, and Safari 6 and above.",
  "modalTitle": "Co-browse",
  "modalYes": "Yes",
  "modalNo": "No",
  "writeModeInProgress": "Agent has control over the page.",
  "downgradeMode": "Revoke control",
  "modeUpgraded": "Co-browse session was upgraded. Agent has control over the page.",
  "modeDowngraded": "Co-browse session was downgraded. Agent has no control",
  "modeUpgradeRequested": "Agent requests upgrading Co-browse session to \"write\" mode. In \"write\" mode agent will have control over the page.",
};

describe('strings', () => {
  it("the English table is the guide's, character for character, key for key", () => {
    expect(en).toEqual(GUIDE_DEFAULTS);
    expect(Object.keys(en)).toEqual(Object.keys(GUIDE_DEFAULTS));
  });

  it('German and French have every key (guide and ours), each a translated, non-empty text', () => {
    const keys = Object.keys({ ...en, ...enExtra }).sort();
    for (const table of [de, fr]) {
      expect(Object.keys(table).sort()).toEqual(keys);
      for (const key of keys) {
        const text = table[key as keyof typeof table];
        expect(text.trim().length, key).toBeGreaterThan(0);
        // Keys with a session id keep the placeholder.
        expect(text.includes('{sessionId}'), key).toBe(builtIn.en[key as keyof typeof table].includes('{sessionId}'));
      }
      // Translated, not copied (the product name and Yes/No-like words aside).
      const same = keys.filter((k) => table[k as keyof typeof table] === builtIn.en[k as keyof typeof table]);
      expect(same).toEqual([]);
    }
  });

  it('lang picks the built-in language by primary subtag; anything else is English', () => {
    expect(languageOf('de')).toBe('de');
    expect(languageOf('de-AT')).toBe('de');
    expect(languageOf(' FR')).toBe('fr');
    expect(languageOf('fr_CA')).toBe('fr');
    expect(languageOf('es')).toBe(null);
    expect(languageOf('deu')).toBe(null);
    expect(languageOf(undefined)).toBe(null);
    expect(languageOf(42)).toBe(null);
    expect(resolveStrings(undefined, fr).modalYes).toBe('Oui');
    expect(resolveStrings(undefined)).toEqual(english);
  });

  it("localization wins over lang, key by key (the guide's example)", () => {
    const s = resolveStrings({ modalYes: 'Natürlich!' }, de);
    expect(s.modalYes).toBe('Natürlich!');
    expect(s.modalNo).toBe('Nein');
  });

  it('applies overrides and ignores unknown keys and non-strings', () => {
    const s = resolveStrings({ toolbarContent: 'Session token: {sessionId}', nope: 'x', modalYes: 3 });
    expect(s.toolbarContent).toBe('Session token: {sessionId}');
    expect(s.modalYes).toBe('Yes');
    expect('nope' in s).toBe(false);
  });

  it('a page object with a throwing getter only loses that key', () => {
    const hostile = {
      get modalNo(): string {
        throw new Error('no');
      },
      modalYes: 'Oui!',
    };
    const s = resolveStrings(hostile);
    expect(s.modalNo).toBe('No');
    expect(s.modalYes).toBe('Oui!');
  });

  it('resolving never changes the built-in tables', () => {
    resolveStrings({ modalYes: 'changed' }, de);
    expect(de.modalYes).toBe('Ja');
    expect(english.modalYes).toBe('Yes');
  });

  it('a malformed language table (from a chunk) only gives its strings of known keys', () => {
    const s = resolveStrings({ modalNo: 'Non!' }, { modalYes: 'Ja', modalNo: 'Nein', modalTitle: 7, nope: 'x' });
    expect(s.modalYes).toBe('Ja');
    expect(s.modalNo).toBe('Non!');
    expect(s.modalTitle).toBe('Co-browse');
    expect('nope' in s).toBe(false);
    expect(resolveStrings(undefined, 'de')).toEqual(english);
  });

  it('substitutes the session id everywhere, taking $ literally', () => {
    expect(format('{sessionId} and {sessionId}', { sessionId: '123456789' })).toBe('123456789 and 123456789');
    expect(format('id {sessionId}', { sessionId: "$&$'" })).toBe("id $&$'");
  });
});
