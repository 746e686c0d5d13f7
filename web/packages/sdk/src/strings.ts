/**
 * The customer-facing strings, keyed as in the reference product's localization table: English
 * exactly as its guide lists them (its typos included: sites compare against them), built-in German
 * (`lang: 'de'`) and French (`lang: 'fr'`), and the page's `localization` overrides, which win over
 * `lang`. `{sessionId}` is substituted. Owns nothing else: the UI modules only read a `Strings`.
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

/** German: "Kundenberater" for representative, formal "Sie". */
export const de: Strings = {
  agentJoined: 'Der Kundenberater ist der Sitzung beigetreten',
  youLeft: 'Sie haben die Sitzung verlassen. Co-Browsing ist jetzt beendet.',
  sessionTimedOut: 'Die Sitzung ist abgelaufen. Co-Browsing ist jetzt beendet.',
  sessionInactiveTimedOut: 'Die Sitzung ist abgelaufen. Co-Browsing ist jetzt beendet.',
  agentLeft: 'Der Kundenberater hat die Sitzung verlassen. Co-Browsing ist jetzt beendet.',
  sessionError: 'Ein unerwarteter Fehler ist aufgetreten. Co-Browsing ist jetzt beendet.',
  sessionsOverLimit:
    'Der Kundenberater ist gerade in einer anderen Co-Browsing-Sitzung beschäftigt. Co-Browsing ist jetzt beendet.',
  serverUnavailable: 'Der Co-Browsing-Server ist nicht erreichbar. Co-Browsing ist jetzt beendet.',
  sessionStarted:
    'Ihre Co-Browsing-Sitzungs-ID lautet {sessionId}. Bitte nennen Sie sie unserem Kundenberater, um mit dem Co-Browsing fortzufahren.',
  navRefresh: 'Der Kundenberater hat die Seite aktualisiert. Die Seite wird neu geladen.',
  navBack: 'Der Kundenberater hat auf „Zurück“ geklickt. Die Seite wird neu geladen.',
  navForward: 'Der Kundenberater hat auf „Vorwärts“ geklickt. Die Seite wird neu geladen.',
  navUrl: 'Der Kundenberater hat eine andere Seite aufgerufen. Die Seite wird neu geladen.',
  navFailed: 'Die vom Kundenberater angeforderte Navigation ist fehlgeschlagen.',
  toolbarContent: 'Sitzungs-ID: {sessionId}',
  contentMasked: 'Dieser Inhalt ist für den Kundenberater ausgeblendet',
  contentMaskedPartially: 'Einige Inhalte sind für den Kundenberater ausgeblendet',
  exitBtnTitle: 'Co-Browsing-Sitzung beenden',
  areYouOnPhone: 'Telefonieren Sie gerade mit unserem Kundenberater?',
  areYouOnPhoneOrChat: 'Sind Sie gerade per Telefon oder Chat mit unserem Kundenberater verbunden?',
  connectBeforeCobrowse:
    'Um Co-Browsing zu nutzen, müssen Sie mit unserem Kundenberater verbunden sein. Bitte rufen Sie uns an oder starten Sie einen Live-Chat mit uns und starten Sie Co-Browsing dann erneut.',
  sessionStartedAutoConnect: 'Die Co-Browsing-Sitzung wurde gestartet. Warten, bis sich der Kundenberater verbindet…',
  browserUnsupported:
    'Ihr Browser wird derzeit leider nicht unterstützt. Unterstützte Browser sind: Google Chrome, Mozilla Firefox, Internet Explorer ab Version 11 und Safari ab Version 6.',
  modalTitle: 'Co-Browsing',
  modalYes: 'Ja',
  modalNo: 'Nein',
  writeModeInProgress: 'Der Kundenberater steuert die Seite.',
  downgradeMode: 'Steuerung entziehen',
  modeUpgraded: 'Die Co-Browsing-Sitzung wurde erweitert. Der Kundenberater steuert jetzt die Seite.',
  modeDowngraded: 'Die Co-Browsing-Sitzung wurde eingeschränkt. Der Kundenberater hat keine Steuerung mehr.',
  modeUpgradeRequested:
    'Der Kundenberater möchte die Co-Browsing-Sitzung in den Schreibmodus versetzen. Im Schreibmodus kann der Kundenberater die Seite steuern.',
  modalClose: 'Schließen',
};

/** French: "conseiller" for representative, "vous"; a no-break space before ? : and inside « ». */
export const fr: Strings = {
  agentJoined: 'Le conseiller a rejoint la session',
  youLeft: 'Vous avez quitté la session. Le co-browsing est terminé.',
  sessionTimedOut: 'La session a expiré. Le co-browsing est terminé.',
  sessionInactiveTimedOut: 'La session a expiré. Le co-browsing est terminé.',
  agentLeft: 'Le conseiller a quitté la session. Le co-browsing est terminé.',
  sessionError: 'Une erreur inattendue s’est produite. Le co-browsing est terminé.',
  sessionsOverLimit: 'Le conseiller est actuellement occupé par une autre session de co-browsing. Le co-browsing est terminé.',
  serverUnavailable: 'Impossible de joindre le serveur de co-browsing. Le co-browsing est terminé.',
  sessionStarted:
    'Votre identifiant de session de co-browsing est {sessionId}. Veuillez le communiquer à notre conseiller pour poursuivre le co-browsing.',
  navRefresh: 'Le conseiller a actualisé la page. Rechargement en cours.',
  navBack: 'Le conseiller a cliqué sur «\u00a0Précédent\u00a0». Rechargement de la page.',
  navForward: 'Le conseiller a cliqué sur «\u00a0Suivant\u00a0». Rechargement de la page.',
  navUrl: 'Le conseiller a demandé l’ouverture d’une autre page. Rechargement de la page.',
  navFailed: 'La navigation demandée par le conseiller a échoué.',
  toolbarContent: 'ID de session\u00a0: {sessionId}',
  contentMasked: 'Ce contenu est masqué pour le conseiller',
  contentMaskedPartially: 'Une partie du contenu est masquée pour le conseiller',
  exitBtnTitle: 'Quitter la session de co-browsing',
  areYouOnPhone: 'Êtes-vous au téléphone avec notre conseiller\u00a0?',
  areYouOnPhoneOrChat: 'Êtes-vous en contact avec notre conseiller par téléphone ou par chat\u00a0?',
  connectBeforeCobrowse:
    'Vous devez être en contact avec notre conseiller pour utiliser le co-browsing. Appelez-nous ou démarrez un chat en direct avec nous, puis relancez le co-browsing.',
  sessionStartedAutoConnect: 'La session de co-browsing a démarré. En attente de la connexion du conseiller…',
  browserUnsupported:
    'Malheureusement, votre navigateur n’est pas pris en charge actuellement. Navigateurs pris en charge\u00a0: Google Chrome, Mozilla Firefox, Internet Explorer 11 et versions ultérieures, Safari 6 et versions ultérieures.',
  modalTitle: 'Co-browsing',
  modalYes: 'Oui',
  modalNo: 'Non',
  writeModeInProgress: 'Le conseiller contrôle la page.',
  downgradeMode: 'Reprendre le contrôle',
  modeUpgraded: 'La session de co-browsing a été étendue. Le conseiller contrôle la page.',
  modeDowngraded: 'La session de co-browsing a été restreinte. Le conseiller ne contrôle plus la page.',
  modeUpgradeRequested:
    'Le conseiller demande à passer la session de co-browsing en mode «\u00a0écriture\u00a0». En mode «\u00a0écriture\u00a0», le conseiller contrôle la page.',
  modalClose: 'Fermer',
};

/** The built-in tables by language, English included. */
export const builtIn: Readonly<Record<'en' | 'de' | 'fr', Strings>> = { en: { ...en, ...enExtra }, de, fr };

/**
 * The built-in table of `lang`: its primary subtag, case-insensitive (`de`, `de-AT`, `FR`);
 * anything else is English.
 */
export function tableFor(lang: unknown): Strings {
  const primary = typeof lang === 'string' ? lang.trim().toLowerCase().split(/[-_]/)[0] : '';
  return primary === 'de' || primary === 'fr' ? builtIn[primary] : builtIn.en;
}

/**
 * The strings of a page: the built-in table of `lang`, then the page's `localization` overrides
 * (strings only; unknown keys and other values are ignored). Always a complete, fresh table.
 */
export function resolveStrings(overrides: unknown, lang?: unknown): Strings {
  const out: Strings = { ...tableFor(lang) };
  if (overrides && typeof overrides === 'object') {
    for (const key of Object.keys(out) as StringKey[]) {
      let v: unknown;
      try {
        v = (overrides as Record<string, unknown>)[key];
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
