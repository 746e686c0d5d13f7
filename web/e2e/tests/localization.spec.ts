// The built-in customer UI in German, in French, and with the page's own overrides (lang +
// localization, localization winning): the start question, the "connect first" notice, the toolbar
// and the Write Mode request, read as a customer would see them. Screenshots are attached to the
// report.

import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import { agentMode, expectAgentState, openDesktopAndJoin, requestControlButton } from '../harness/ui';
import type { CobrowseServer } from '../harness/server';

interface Expected {
  query: string;
  areYouOnPhone: string;
  connectBeforeCobrowse: string;
  modalTitle: string;
  modalYes: string;
  modalNo: string;
  modalClose: string;
  toolbarContent: (token: string) => string;
  sessionStarted: (token: string) => string;
  exitBtnTitle: string;
  modeUpgradeRequested: string;
  writeModeInProgress: string;
  downgradeMode: string;
}

const NBSP = '\u00a0';

const GERMAN: Expected = {
  query: 'lang=de',
  areYouOnPhone: 'Telefonieren Sie gerade mit unserem Kundenberater?',
  connectBeforeCobrowse:
    'Um Co-Browsing zu nutzen, müssen Sie mit unserem Kundenberater verbunden sein. Bitte rufen Sie uns an oder starten Sie einen Live-Chat mit uns und starten Sie Co-Browsing dann erneut.',
  modalTitle: 'Co-Browsing',
  modalYes: 'Ja',
  modalNo: 'Nein',
  modalClose: 'Schließen',
  toolbarContent: (t) => `Sitzungs-ID: ${t}`,
  sessionStarted: (t) =>
    `Ihre Co-Browsing-Sitzungs-ID lautet ${t}. Bitte nennen Sie sie unserem Kundenberater, um mit dem Co-Browsing fortzufahren.`,
  exitBtnTitle: 'Co-Browsing-Sitzung beenden',
  modeUpgradeRequested:
    'Der Kundenberater möchte die Co-Browsing-Sitzung in den Schreibmodus versetzen. Im Schreibmodus kann der Kundenberater die Seite steuern.',
  writeModeInProgress: 'Der Kundenberater steuert die Seite.',
  downgradeMode: 'Steuerung entziehen',
};

const FRENCH: Expected = {
  query: 'lang=fr',
  areYouOnPhone: `Êtes-vous au téléphone avec notre conseiller${NBSP}?`,
  connectBeforeCobrowse:
    'Vous devez être en contact avec notre conseiller pour utiliser le co-browsing. Appelez-nous ou démarrez un chat en direct avec nous, puis relancez le co-browsing.',
  modalTitle: 'Co-browsing',
  modalYes: 'Oui',
  modalNo: 'Non',
  modalClose: 'Fermer',
  toolbarContent: (t) => `ID de session${NBSP}: ${t}`,
  sessionStarted: (t) =>
    `Votre identifiant de session de co-browsing est ${t}. Veuillez le communiquer à notre conseiller pour poursuivre le co-browsing.`,
  exitBtnTitle: 'Quitter la session de co-browsing',
  modeUpgradeRequested: `Le conseiller demande à passer la session de co-browsing en mode «${NBSP}écriture${NBSP}». En mode «${NBSP}écriture${NBSP}», le conseiller contrôle la page.`,
  writeModeInProgress: 'Le conseiller contrôle la page.',
  downgradeMode: 'Reprendre le contrôle',
};

/** The guide's example: German, with `modalYes` (and our toolbar text) overridden. */
const OVERRIDDEN: Expected = {
  ...GERMAN,
  query: 'lang=de&override=1',
  modalYes: 'Natürlich!',
  toolbarContent: (t) => `Session token: ${t}`,
};

async function screenshot(customer: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(name);
  await customer.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Reads the exact text of the SDK element matching `selector` inside its shadow roots. */
function shadowTexts(customer: Page, host: string, selector: string): Promise<string[]> {
  return customer.evaluate(
    ([h, s]) =>
      [...document.querySelectorAll(h as string)].flatMap((el) =>
        [...(el.shadowRoot?.querySelectorAll(s as string) ?? [])].map((n) => (n as HTMLElement).textContent ?? ''),
      ),
    [host, selector],
  );
}

async function walkThrough(
  expected: Expected,
  { customer, agent, cobrowse, site }: { customer: Page; agent: Page; cobrowse: CobrowseServer; site: { url(p: string): string } },
  testInfo: TestInfo,
): Promise<void> {
  await customer.goto(site.url(`guide-examples.html?builtin=1&agent=0&${expected.query}`));
  await customer.locator('#cobrowse-button').click();

  // The start question, in the language.
  const question = customer.getByRole('dialog', { name: expected.modalTitle });
  await expect(question).toBeVisible();
  expect(await shadowTexts(customer, '.gcb-modal-host', 'p')).toEqual([expected.areYouOnPhone]);
  expect(await shadowTexts(customer, '.gcb-modal-host', 'button')).toEqual([expected.modalYes, expected.modalNo]);
  await screenshot(customer, testInfo, 'start-question.png');
  await question.getByRole('button', { name: expected.modalNo, exact: true }).click();

  // The notice.
  const notice = customer.getByRole('alertdialog', { name: expected.modalTitle });
  await expect(notice).toBeVisible();
  expect(await shadowTexts(customer, '.gcb-modal-host', 'p')).toEqual([expected.connectBeforeCobrowse]);
  await screenshot(customer, testInfo, 'connect-before-cobrowse.png');
  await notice.getByRole('button', { name: expected.modalClose, exact: true }).click();
  await expect(notice).toHaveCount(0);

  // Yes: the toolbar and the "session started" notification.
  await customer.locator('#cobrowse-button').click();
  await question.getByRole('button', { name: expected.modalYes, exact: true }).click();
  await expect.poll(() => customer.evaluate(() => (window as unknown as { __started: string[] }).__started.length)).toBe(1);
  const token = await customer.evaluate(() => (window as unknown as { __started: string[] }).__started[0] ?? '');
  await expect.poll(() => shadowTexts(customer, '.gcb-toolbar-host', '.content')).toEqual([expected.toolbarContent(token)]);
  expect(await shadowTexts(customer, '.gcb-toolbar-host', '.note')).toEqual([expected.sessionStarted(token)]);
  await expect(customer.getByRole('button', { name: expected.exitBtnTitle, exact: true })).toBeVisible();
  await screenshot(customer, testInfo, 'toolbar.png');

  // The agent asks for control: the consent modal in the language; Yes gives Write Mode.
  await openDesktopAndJoin(agent, cobrowse, token);
  await expectAgentState(agent, 'live');
  await requestControlButton(agent).click();
  await expect(question).toBeVisible();
  expect(await shadowTexts(customer, '.gcb-modal-host', 'p')).toEqual([expected.modeUpgradeRequested]);
  await screenshot(customer, testInfo, 'write-mode-request.png');
  await question.getByRole('button', { name: expected.modalYes, exact: true }).click();
  await expect(agentMode(agent)).toHaveText('Write mode');
  await expect(customer.getByRole('button', { name: expected.downgradeMode, exact: true })).toBeVisible();
  expect(await shadowTexts(customer, '.gcb-toolbar-host', '.write-text')).toEqual([expected.writeModeInProgress]);
  await screenshot(customer, testInfo, 'write-mode.png');
}

test("lang: 'de' — the built-in UI in German", async ({ customer, agent, cobrowse, site }, testInfo) => {
  await walkThrough(GERMAN, { customer, agent, cobrowse, site }, testInfo);
});

test("lang: 'fr' — the built-in UI in French", async ({ customer, agent, cobrowse, site }, testInfo) => {
  await walkThrough(FRENCH, { customer, agent, cobrowse, site }, testInfo);
});

test('lang plus localization: the overrides win, the rest stays German', async ({ customer, agent, cobrowse, site }, testInfo) => {
  await walkThrough(OVERRIDDEN, { customer, agent, cobrowse, site }, testInfo);
});
