// A site written against the Genesys Co-browse JavaScript API works unchanged: the guide's own
// examples (fixtures/guide-examples.html) — a custom UI with disableBuiltInUI and a service-element
// toolbar, onMaskedElement setting titles, a primaryMedia chat adapter, onModeUpgradeRequested with
// confirm(), onSessionEnded messages — and the start flow of the built-in UI with each adapter case.

import type { Dialog, Page } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import {
  agentMode,
  exitSessionButton,
  expectAgentState,
  openDesktopAndJoin,
  replica,
  requestControlButton,
  startQuestion,
  tokenInToolbar,
  toolbarSessionId,
} from '../harness/ui';

interface PageRecord {
  chatMessages: string[];
  started: string[];
  ended: string[];
  modes: string[];
}

function pageRecord(customer: Page): Promise<PageRecord> {
  return customer.evaluate(() => {
    const w = window as unknown as Record<string, string[]>;
    return { chatMessages: w['__chatMessages'] ?? [], started: w['__started'] ?? [], ended: w['__ended'] ?? [], modes: w['__modes'] ?? [] };
  });
}

/** Every alert/confirm of the page, answered as `answer(dialog)` says (accept by default). */
function answerDialogs(customer: Page, answer: (d: Dialog) => boolean = () => true): string[] {
  const seen: string[] = [];
  customer.on('dialog', (d) => {
    seen.push(`${d.type()}: ${d.message()}`);
    void (answer(d) ? d.accept() : d.dismiss());
  });
  return seen;
}

/** The SDK's own UI on the customer's page (toolbar, notifications, modals). */
function sdkUi(customer: Page) {
  return customer.locator('.gcb-toolbar-host, .gcb-modal-host');
}

test('custom UI: the adapter gets the token, the service toolbar never reaches the agent, masked fields get a title, confirm() decides Write Mode, onSessionEnded tells why', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  let confirmAnswer = false;
  const dialogs = answerDialogs(customer, (d) => (d.type() === 'confirm' ? confirmAnswer : true));
  await customer.goto(site.url('guide-examples.html'));
  await expect(customer.locator('#cobrowse-button')).toBeEnabled();
  // initializeAsync was called and the chat finished initializing.
  await expect.poll(() => customer.evaluate(() => (window as unknown as { __chatReady: boolean }).__chatReady)).toBe(true);

  await customer.locator('#cobrowse-button').click();
  // isAgentConnected() is true: no question, the token goes through sendCbSessionToken.
  await expect.poll(async () => (await pageRecord(customer)).chatMessages).toHaveLength(1);
  const record = await pageRecord(customer);
  const token = record.started[0] ?? '';
  expect(token).toMatch(/^\d{9}$/);
  expect(record.chatMessages).toEqual([`User has started Co-browse session: ${token}`]);
  // disableBuiltInUI: nothing of the SDK's own UI; the page's toolbar appeared on onConnected.
  await expect(customer.locator('.cobrowseToolbar')).toHaveText('Co-browse is going on');
  await expect(sdkUi(customer)).toHaveCount(0);
  await expect(toolbarSessionId(customer)).toHaveCount(0);
  // onMaskedElement: the password field (masked by default) got the guide's title.
  await expect(customer.locator('#pin')).toHaveAttribute('title', 'Content of this elements is masked for representatives.');
  await expect(customer.locator('#name')).not.toHaveAttribute('title', /./);

  await openDesktopAndJoin(agent, cobrowse, token);
  await expectAgentState(agent, 'live');
  await expect(replica(agent).locator('#public')).toHaveText("Shipping to the customer's address.");
  await expect(replica(agent).locator('#pin')).toBeAttached();
  // The service element is not in the replica, not even as an empty node.
  await expect(replica(agent).locator('.cobrowseToolbar')).toHaveCount(0);
  expect(await replica(agent).locator('body').innerText()).not.toContain('Co-browse is going on');

  // onModeUpgradeRequested with confirm(): declined, then accepted.
  await requestControlButton(agent).click();
  await expect.poll(() => dialogs.filter((d) => d.startsWith('confirm:'))).toHaveLength(1);
  await expect(agentMode(agent)).toHaveText('Pointer mode');
  await expect(requestControlButton(agent)).toBeEnabled();
  confirmAnswer = true;
  await requestControlButton(agent).click();
  await expect(agentMode(agent)).toHaveText('Write mode');
  expect(dialogs.filter((d) => d.startsWith('confirm:'))).toEqual([
    'confirm: Representative requests control over the web page. Allow?',
    'confirm: Representative requests control over the web page. Allow?',
  ]);
  await expect.poll(async () => (await pageRecord(customer)).modes).toEqual(['write']);
  // Still no built-in modal or toolbar.
  await expect(sdkUi(customer)).toHaveCount(0);

  // The agent ends the session: reason external, the page's own message.
  await exitSessionButton(agent).click();
  await expect.poll(async () => (await pageRecord(customer)).ended).toEqual(['Co-browse session ended']);
  expect(dialogs).toContain('alert: Co-browse session ended');
});

test("custom UI: exitSession() ends with reason self and the guide's message", async ({ customer, site }) => {
  const dialogs = answerDialogs(customer);
  await customer.goto(site.url('guide-examples.html'));
  await customer.locator('#cobrowse-button').click();
  await expect(customer.locator('.cobrowseToolbar')).toBeVisible();
  await customer.locator('#exit-button').click();
  await expect.poll(async () => (await pageRecord(customer)).ended).toEqual(['You exited Co-browse session. Co-browse terminated']);
  expect(dialogs).toEqual(['alert: You exited Co-browse session. Co-browse terminated']);
});

test('built-in UI with an adapter whose agent is connected: no question, "Waiting for representative", token to the chat', async ({
  customer,
  site,
}) => {
  await customer.goto(site.url('guide-examples.html?builtin=1&agent=1'));
  await customer.locator('#cobrowse-button').click();
  await expect(customer.getByText('Co-browse session started. Waiting for representative to connect to the session…')).toBeVisible();
  const token = await tokenInToolbar(customer);
  await expect(startQuestion(customer)).toHaveCount(0);
  expect((await pageRecord(customer)).chatMessages).toEqual([`User has started Co-browse session: ${token}`]);
});

test('built-in UI with an adapter whose agent is not connected: "Are you on the phone…", No → connect first, Yes → the token is shown', async ({
  customer,
  site,
}) => {
  await customer.goto(site.url('guide-examples.html?builtin=1&agent=0'));
  await customer.locator('#cobrowse-button').click();
  const question = startQuestion(customer);
  await expect(question).toContainText('Are you on the phone with our representative?');
  await expect(question.getByRole('button', { name: 'No' })).toBeFocused();
  await question.getByRole('button', { name: 'No' }).click();

  const notice = customer.getByRole('alertdialog', { name: 'Co-browse' });
  await expect(notice).toContainText(
    'You need to be connected with our representative to continue with co-browsing. Please call us or start a live chat with us, and then start Co-browse again.',
  );
  await customer.keyboard.press('Escape');
  await expect(notice).toHaveCount(0);
  expect(await pageRecord(customer)).toMatchObject({ started: [], chatMessages: [] });

  await customer.locator('#cobrowse-button').click();
  await question.getByRole('button', { name: 'Yes' }).click();
  const token = await tokenInToolbar(customer);
  await expect(
    customer.getByText(`Your co-browse session ID is ${token}. Please spell it to our representative to continue with co-browsing.`),
  ).toBeVisible();
  // The customer reads the token: it does not go through the chat.
  expect((await pageRecord(customer)).chatMessages).toEqual([]);
});

test('built-in UI without an adapter: "Are you on the phone or chat…", answered with the keyboard', async ({ customer, site }) => {
  await customer.goto(site.url('guide-examples.html?builtin=1&adapter=0'));
  await customer.locator('#cobrowse-button').click();
  const question = startQuestion(customer);
  await expect(question).toContainText('Are you on the phone or chat with our representative?');
  // Focus trap: Tab goes to Yes and stays inside the dialog.
  await customer.keyboard.press('Tab');
  await expect(question.getByRole('button', { name: 'Yes' })).toBeFocused();
  await customer.keyboard.press('Enter');
  expect(await tokenInToolbar(customer)).toMatch(/^\d{9}$/);
});
