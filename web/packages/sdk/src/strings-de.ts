/**
 * The built-in German table (`lang: 'de'`). Not part of `gcb.js`: the chunk `gcb-de.js`
 * (`chunks/de.ts`) carries it, loaded only by pages configured in German (`chunk.ts`).
 */

import type { Strings } from './strings';

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
