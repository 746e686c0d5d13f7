// The DOM Restrictions Editor (/admin/) against the real server: an administrator creates, edits,
// moves between groups, disables and deletes restrictions through the UI, and every change is
// stored (it survives a reload, the REST API returns it) and recorded in the audit log. Agents stay
// out. Input the customer's browser could not use is refused before it is sent; what the server
// refuses is shown next to its field.

import type { Page, Request } from '@playwright/test';
import type { InspectLink, RestrictionList } from '@cobrowse/protocol';
import {
  adminLogin,
  adminLoginError,
  auditChange,
  auditRows,
  createRestriction,
  enabledSwitch,
  fieldError,
  fillRestriction,
  groupRows,
  groupToggle,
  restrictionDialog,
  restrictionRow,
  rowAction,
  saveButton,
  sectionLink,
  submitAdminLogin,
} from '../harness/admin';
import { expect, test } from '../harness/fixtures';
import type { CobrowseServer } from '../harness/server';

const ADMINS_ONLY = 'Only administrators can use the DOM Restrictions Editor';

/** What the server stores now, read with the page's own login cookie. */
async function stored(page: Page, cobrowse: CobrowseServer): Promise<RestrictionList['restrictions']> {
  const res = await page.context().request.get(`${cobrowse.origin}/cobrowse/rest/restrictions`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as RestrictionList).restrictions;
}

/**
 * Restrictions are global to a server, and the tests of a worker share one: each test starts
 * without any (deleted through the REST API with an API key, as restrictions managed as code are).
 */
test.beforeEach(async ({ cobrowse, request }) => {
  const key = await cobrowse.createApiKey();
  const headers = { authorization: `Bearer ${key}` };
  const list = await request.get(`${cobrowse.origin}/cobrowse/rest/restrictions`, { headers });
  expect(list.status(), await list.text()).toBe(200);
  for (const r of ((await list.json()) as RestrictionList).restrictions) {
    const res = await request.delete(`${cobrowse.origin}/cobrowse/rest/restrictions/${String(r.id)}`, { headers });
    expect(res.status()).toBe(204);
  }
});

/** Writes to the restrictions API (create, update, delete) the page sends from now on. */
function recordWrites(page: Page): Request[] {
  const writes: Request[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/cobrowse/rest/restrictions') && req.method() !== 'GET') writes.push(req);
  });
  return writes;
}

test('an administrator creates, edits, moves, disables and deletes restrictions; each change is stored and audited', async ({
  admin,
  adminAccount,
  cobrowse,
}) => {
  await adminLogin(admin, cobrowse, adminAccount);
  await expect(admin.getByRole('heading', { name: 'No restrictions yet' })).toBeVisible();

  // Create: masked, in group "Payments", on checkout pages only.
  await createRestriction(admin, {
    selector: '#card-number',
    kind: 'mask',
    description: 'Card number',
    group: 'Payments',
    urlPattern: '/checkout',
  });
  const card = restrictionRow(admin, '#card-number');
  await expect(card).toContainText('Card number');
  await expect(card).toContainText('DOM control and Data masking');
  await expect(card).toContainText('/checkout');
  await expect(card).toContainText(adminAccount.username);
  await expect(groupRows(admin, 'Payments')).toHaveCount(1);
  await expect(groupToggle(admin, 'Payments')).toContainText('1');

  await admin.reload();
  await expect(restrictionRow(admin, '#card-number')).toContainText('DOM control and Data masking');
  await expect(enabledSwitch(card)).toBeChecked();
  expect(await stored(admin, cobrowse)).toMatchObject([
    { selector: '#card-number', kind: 'mask', description: 'Card number', group: 'Payments', urlPattern: '/checkout', enabled: true, updatedBy: adminAccount.username },
  ]);

  await sectionLink(admin, 'Audit log').click();
  const created = auditRows(admin).first();
  await expect(created).toContainText('Created');
  await expect(created).toContainText(adminAccount.username);
  await expect(auditChange(created, 'Selector')).toContainText('#card-number');
  await expect(auditChange(created, 'Type')).toContainText('DOM control and Data masking');
  await sectionLink(admin, 'Restrictions').click();

  // Edit: DOM control only, every page, a new description.
  await rowAction(card, 'Edit').click();
  await expect(restrictionDialog(admin).getByLabel('CSS selector')).toHaveValue('#card-number');
  await fillRestriction(admin, { kind: 'control', urlPattern: null, description: 'Card number field' });
  await saveButton(admin).click();
  await expect(restrictionDialog(admin)).toBeHidden();
  await admin.reload();
  await expect(card).toContainText('Card number field');
  await expect(card.locator('.kind')).toHaveText('DOM control');
  await expect(card).toContainText('All pages');

  await sectionLink(admin, 'Audit log').click();
  const edited = auditRows(admin).first();
  await expect(edited).toContainText('Changed');
  await expect(auditChange(edited, 'Type')).toHaveText('Type: DOM control and Data masking → DOM control');
  await expect(auditChange(edited, 'Scope')).toHaveText('Scope: /checkout → All pages');
  await expect(auditChange(edited, 'Description')).toHaveText('Description: Card number → Card number field');
  await expect(auditChange(edited, 'Selector')).toHaveCount(0);
  await sectionLink(admin, 'Restrictions').click();

  // Move with the "Move" control into a new group.
  await rowAction(card, 'Move').click();
  const move = admin.getByRole('dialog', { name: 'Move to group' });
  await move.getByRole('combobox', { name: 'Group' }).fill('Checkout');
  await move.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(move).toBeHidden();
  await expect(groupRows(admin, 'Checkout')).toHaveCount(1);
  await expect(groupToggle(admin, 'Payments')).toHaveCount(0);

  // Move with the edit dialog: a second restriction, created elsewhere, joins "Checkout".
  await createRestriction(admin, { selector: 'button.pay', kind: 'control', description: 'Pay button', group: 'Account' });
  await expect(groupRows(admin, 'Account')).toHaveCount(1);
  await rowAction(restrictionRow(admin, 'button.pay'), 'Edit').click();
  await fillRestriction(admin, { group: 'Checkout' });
  await saveButton(admin).click();
  await expect(restrictionDialog(admin)).toBeHidden();
  await admin.reload();
  await expect(groupRows(admin, 'Checkout')).toHaveCount(2);
  await expect(groupToggle(admin, 'Checkout')).toContainText('2');
  await expect(groupToggle(admin, 'Account')).toHaveCount(0);

  await sectionLink(admin, 'Audit log').click();
  const moved = auditRows(admin).first();
  await expect(moved).toContainText('Pay button');
  await expect(auditChange(moved, 'Group')).toHaveText('Group: Account → Checkout');
  await expect(auditChange(auditRows(admin).nth(2), 'Group')).toHaveText('Group: Payments → Checkout');
  await sectionLink(admin, 'Restrictions').click();

  // A collapsed group hides its rows, and opens again.
  await groupToggle(admin, 'Checkout').click();
  await expect(groupToggle(admin, 'Checkout')).toHaveAttribute('aria-expanded', 'false');
  await expect(groupRows(admin, 'Checkout').first()).toBeHidden();
  await groupToggle(admin, 'Checkout').click();
  await expect(groupRows(admin, 'Checkout').first()).toBeVisible();

  // Disable with the switch.
  await enabledSwitch(card).click();
  await expect(enabledSwitch(card)).not.toBeChecked();
  await expect(enabledSwitch(card)).toBeEnabled();
  await admin.reload();
  await expect(enabledSwitch(card)).not.toBeChecked();
  await expect(enabledSwitch(restrictionRow(admin, 'button.pay'))).toBeChecked();
  expect((await stored(admin, cobrowse)).find((r) => r.selector === '#card-number')?.enabled).toBe(false);
  await sectionLink(admin, 'Audit log').click();
  await expect(auditChange(auditRows(admin).first(), 'Enabled')).toHaveText('Enabled: on → off');
  await sectionLink(admin, 'Restrictions').click();

  // Delete, after a confirmation that can be declined.
  await rowAction(card, 'Delete').click();
  const confirm = admin.getByRole('dialog', { name: 'Delete this restriction?' });
  await expect(confirm).toContainText('Card number field');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(card).toBeVisible();
  await rowAction(card, 'Delete').click();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(card).toHaveCount(0);
  await admin.reload();
  await expect(restrictionRow(admin, 'button.pay')).toBeVisible();
  await expect(restrictionRow(admin, '#card-number')).toHaveCount(0);
  expect((await stored(admin, cobrowse)).map((r) => r.selector)).toEqual(['button.pay']);

  await sectionLink(admin, 'Audit log').click();
  const deleted = auditRows(admin).first();
  await expect(deleted).toContainText('Deleted');
  await expect(deleted).toContainText('Card number field');
  await expect(auditChange(deleted, 'Selector')).toContainText('#card-number');
  // create, update, move, create, move, disable, delete: newest first (older entries are of other
  // tests on this server).
  await expect(auditRows(admin).nth(6)).toContainText('#card-number');
  const actions = await auditRows(admin).locator('.action').allTextContents();
  expect(actions.slice(0, 7)).toEqual(['Deleted', 'Changed', 'Changed', 'Created', 'Changed', 'Changed', 'Created']);
  // A reload stays on the audit section.
  await admin.reload();
  await expect(auditRows(admin).first()).toContainText('Deleted');
});

test('an agent gets the server’s refusal at the login and no cookie', async ({ admin, agentAccount, cobrowse }) => {
  const login = admin.waitForResponse((res) => res.url().endsWith('/cobrowse/rest/auth/login'));
  await submitAdminLogin(admin, cobrowse, agentAccount);
  const res = await login;
  expect(res.status()).toBe(403);
  await expect(adminLoginError(admin)).toHaveText(`${ADMINS_ONLY}.`);
  await expect(admin.getByRole('heading', { name: 'DOM restrictions' })).toBeHidden();
  expect((await admin.context().cookies()).map((c) => c.name)).not.toContain('cobrowse_auth');

  // Nothing changed after a reload: still the login form.
  await admin.reload();
  await expect(admin.getByRole('heading', { name: 'Log in' })).toBeVisible();
});

test('an agent logged in on the agent desktop is told the editor is for administrators, and can log in as one', async ({
  agent,
  adminAccount,
  agentAccount,
  cobrowse,
}) => {
  await agent.goto(`${cobrowse.origin}/admin/`);
  await expect(agent.getByText(`${ADMINS_ONLY}.`)).toBeVisible();
  await expect(agent.getByText(`You are logged in as ${agentAccount.username}, an agent.`)).toBeVisible();
  await expect(agent.getByRole('heading', { name: 'DOM restrictions' })).toBeHidden();

  await agent.getByRole('button', { name: 'Log in as someone else' }).click();
  await adminLogin(agent, cobrowse, adminAccount);
  await expect(agent.locator('#who')).toHaveText(`${adminAccount.username} (administrator)`);
});

test('selectors and patterns the browser cannot use are refused before sending; a server refusal shows at its field', async ({
  admin,
  adminAccount,
  cobrowse,
}) => {
  await adminLogin(admin, cobrowse, adminAccount);
  const writes = recordWrites(admin);
  const newButton = admin.getByRole('button', { name: 'New restriction' });
  await newButton.click();
  const dialog = restrictionDialog(admin);
  const selector = dialog.getByLabel('CSS selector');

  for (const bad of ['a[', 'div[']) {
    await fillRestriction(admin, { selector: bad });
    await saveButton(admin).click();
    await expect(fieldError(admin, 'selector')).toHaveText(`Invalid selector: “${bad}” is not a valid CSS selector.`);
    await expect(selector).toHaveAttribute('aria-invalid', 'true');
    await expect(selector).toBeFocused();
  }

  await fillRestriction(admin, { selector: '#ok', urlPattern: '(' });
  await expect(fieldError(admin, 'selector')).toBeHidden();
  await saveButton(admin).click();
  await expect(fieldError(admin, 'pattern')).toContainText('Invalid regular expression: /(/: Unterminated group');
  await expect(dialog.getByLabel('URL regular expression')).toBeFocused();

  // The test URL field tells whether a pattern matches, as the SDK would decide.
  await fillRestriction(admin, { urlPattern: '^https://shop\\.example/checkout' });
  await dialog.getByLabel('Test a URL').fill('https://shop.example/checkout/payment');
  await expect(dialog.locator('#edit-test-result')).toHaveText('✓ Matches');
  await dialog.getByLabel('Test a URL').fill('https://shop.example/cart');
  await expect(dialog.locator('#edit-test-result')).toHaveText('✗ Does not match');
  expect(writes).toHaveLength(0);

  // A pseudo-element parses in the browser but selects no element: the server refuses it.
  await fillRestriction(admin, { selector: 'p::before', urlPattern: null });
  const refusal = admin.waitForResponse((res) => res.url().endsWith('/cobrowse/rest/restrictions') && res.request().method() === 'POST');
  await saveButton(admin).click();
  const res = await refusal;
  expect(res.status()).toBe(400);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('invalidRestriction');
  await expect(fieldError(admin, 'selector')).toHaveText(body.error.message);
  await expect(dialog).toBeVisible();

  // Escape closes the dialog and gives the focus back; nothing was stored.
  await admin.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(newButton).toBeFocused();
  expect(await stored(admin, cobrowse)).toEqual([]);
  expect(writes.map((req) => req.method())).toEqual(['POST']);
});

test('the dialog keeps the keyboard focus inside it', async ({ admin, adminAccount, cobrowse }) => {
  await adminLogin(admin, cobrowse, adminAccount);
  await admin.getByRole('button', { name: 'New restriction' }).click();
  const dialog = restrictionDialog(admin);
  await expect(dialog.getByLabel('CSS selector')).toBeFocused();
  await admin.keyboard.press('Shift+Tab');
  await expect(saveButton(admin)).toBeFocused();
  await admin.keyboard.press('Tab');
  await expect(dialog.getByLabel('CSS selector')).toBeFocused();
});

test('"View all restrictions on the current web page" opens the one-time inspect link, and says why not', async ({
  admin,
  adminAccount,
  cobrowse,
  site,
}) => {
  await adminLogin(admin, cobrowse, adminAccount);
  const address = admin.getByRole('textbox', { name: 'Page address' });
  const view = admin.getByRole('button', { name: 'View restrictions' });

  // An origin that is not allowed: the server's reason, inline.
  const refused = admin.waitForResponse((res) => res.url().endsWith('/cobrowse/rest/restrictions/inspect'));
  await address.fill('https://elsewhere.example/checkout');
  await view.click();
  const res = await refused;
  expect(res.ok()).toBe(false);
  const message = ((await res.json()) as { error: { message: string } }).error.message;
  await expect(admin.locator('#inspect-error')).toContainText(message.replace(/^url:\s*/, ''));
  await expect(address).toHaveAttribute('aria-invalid', 'true');

  // The site's page: a new tab opens on the returned link, the page with a ticket in its fragment
  // (the SDK may take the ticket out of the address as soon as it loads).
  const page = site.url('session.html');
  await address.fill(page);
  const answered = admin.waitForResponse((r) => r.url().endsWith('/cobrowse/rest/restrictions/inspect'));
  const opened = admin.context().waitForEvent('page');
  await view.click();
  const link = (await (await answered).json()) as InspectLink;
  expect(link.url.slice(0, page.length)).toBe(page);
  expect(link.url.slice(page.length)).toMatch(/^#gcb-inspect=[A-Za-z0-9_-]{43}$/);
  const tab = await opened;
  await tab.waitForURL((url) => url.href.startsWith(page));
  await expect(admin.locator('#inspect-error')).toBeHidden();
  await tab.close();
});
