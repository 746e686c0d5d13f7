// Inspect mode: an administrator creates restrictions through the REST API, asks for an inspect link
// of a page, and opens it: the SDK removes the ticket from the URL, outlines every restricted
// element with its rule and lists the rules of the page with how many elements each matches, live.
// The link works once; inspect mode never opens a co-browse socket of its own, and a crafted link
// does not cut off a session the tab already has.

import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import type { CobrowseServer } from '../harness/server';
import { expectAgentState, replica, startAndJoin, toolbarSessionId } from '../harness/ui';

const PAGE = 'inspect.html';
/** The rules of this test apply to its page only: the server is shared by the worker's tests. */
const ONLY_HERE = 'inspect\\.html';

/** Logs `request` in as a new administrator (the login cookie stays in its context). */
async function logInAsAdmin(request: APIRequestContext, cobrowse: CobrowseServer): Promise<void> {
  const admin = await cobrowse.addAdmin();
  const res = await request.post(`${cobrowse.origin}/cobrowse/rest/auth/login`, { data: admin });
  expect(res.status(), await res.text()).toBe(200);
}

async function createRestriction(request: APIRequestContext, cobrowse: CobrowseServer, body: object, created: number[]): Promise<number> {
  const res = await request.post(`${cobrowse.origin}/cobrowse/rest/restrictions`, { data: body });
  expect(res.status(), await res.text()).toBe(201);
  const id = ((await res.json()) as { id: number }).id;
  created.push(id);
  return id;
}

async function deleteRestrictions(request: APIRequestContext, cobrowse: CobrowseServer, ids: number[]): Promise<void> {
  for (const id of ids) {
    const res = await request.delete(`${cobrowse.origin}/cobrowse/rest/restrictions/${id}`);
    expect(res.status(), await res.text()).toBe(204);
  }
}

async function inspectLink(request: APIRequestContext, cobrowse: CobrowseServer, url: string): Promise<string> {
  const res = await request.post(`${cobrowse.origin}/cobrowse/rest/restrictions/inspect`, { data: { url } });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { url: string }).url;
}

const panel = (page: Page) => page.getByRole('dialog', { name: 'DOM restrictions on this page' });
const outlines = (page: Page) => page.locator('[data-gcb-inspect-outline]:not([hidden])');
const ruleItem = (page: Page, id: number) => panel(page).locator(`[data-gcb-inspect-applicable] li[data-rule-id="${id}"]`);

test('an inspect link outlines the restricted elements of the page and lists its rules, once', async ({ customer, cobrowse, site }) => {
  const request = customer.context().request;
  await logInAsAdmin(request, cobrowse);
  const tag = `${Date.now()}`;
  const created: number[] = [];
  try {
    await inspectPage(customer, request, cobrowse, site.url(PAGE), tag, created);
  } finally {
    await deleteRestrictions(request, cobrowse, created);
  }
});

async function inspectPage(customer: Page, request: APIRequestContext, cobrowse: CobrowseServer, pageUrl: string, tag: string, created: number[]): Promise<void> {
  const holderRule = await createRestriction(
    request,
    cobrowse,
    { selector: '#inspect-holder', kind: 'mask', description: `Account holder ${tag}`, group: 'Account', urlPattern: ONLY_HERE },
    created,
  );
  const deleteRule = await createRestriction(request, cobrowse, { selector: '#inspect-delete', kind: 'control', group: 'Account', urlPattern: ONLY_HERE }, created);
  const elsewhere = await createRestriction(
    request,
    cobrowse,
    { selector: '.account-number', kind: 'mask', description: `Elsewhere ${tag}`, urlPattern: 'account-number\\.html$' },
    created,
  );
  const disabled = await createRestriction(request, cobrowse, { selector: 'h1', kind: 'mask', enabled: false, urlPattern: ONLY_HERE }, created);

  const sockets: string[] = [];
  customer.on('websocket', (ws) => sockets.push(ws.url()));
  const link = await inspectLink(request, cobrowse, `${pageUrl}#top`);
  expect(link).toContain('gcb-inspect=');
  await customer.goto(link);

  // The ticket leaves the address bar; the rest of the fragment stays.
  await expect.poll(() => customer.url()).toBe(`${pageUrl}#top`);
  await expect(panel(customer)).toBeVisible();
  await expect(panel(customer)).toBeFocused();

  // The rules of this page, built-in defaults included, with their counts.
  await expect(ruleItem(customer, holderRule)).toContainText(`Account holder ${tag}`);
  await expect(ruleItem(customer, holderRule)).toContainText('Account');
  await expect(ruleItem(customer, holderRule)).toContainText('#inspect-holder');
  await expect(ruleItem(customer, holderRule)).toContainText('1 element');
  await expect(ruleItem(customer, deleteRule)).toContainText('DOM control');
  await expect(panel(customer).locator('[data-gcb-inspect-applicable] li[data-rule-id="-1"]')).toContainText('1 element');
  await expect(panel(customer).locator('[data-gcb-inspect-applicable] li[data-rule-id="-2"]')).toContainText('1 element');
  // A rule for other pages is in the second, collapsed list; a disabled one nowhere.
  await expect(ruleItem(customer, elsewhere)).toHaveCount(0);
  const other = panel(customer).locator('details');
  await expect(other).not.toHaveAttribute('open');
  await expect(other.locator(`li[data-rule-id="${elsewhere}"]`)).toBeHidden();
  await other.locator('summary').click();
  await expect(other.locator(`li[data-rule-id="${elsewhere}"]`)).toContainText(`Elsewhere ${tag}`);
  await expect(panel(customer).locator(`li[data-rule-id="${disabled}"]`)).toHaveCount(0);

  // Outlines: purple for masked, green for DOM control, named after their rule.
  await expect(outlines(customer)).toHaveCount(4);
  await expect(outlines(customer).filter({ hasText: `Account holder ${tag} · Account` })).toHaveAttribute('data-kind', 'mask');
  await expect(outlines(customer).filter({ hasText: 'Password fields · Built-in' })).toHaveAttribute('data-kind', 'mask');
  await expect(outlines(customer).filter({ hasText: 'Submit buttons · Built-in' })).toHaveAttribute('data-kind', 'control');
  await expect(outlines(customer).filter({ hasText: '#inspect-delete · Account' })).toHaveAttribute('data-kind', 'control');
  const holderOutline = await outlines(customer).filter({ hasText: `Account holder ${tag}` }).boundingBox();
  const holderField = await customer.locator('#inspect-holder').boundingBox();
  expect(holderOutline!.x).toBeLessThanOrEqual(holderField!.x);
  expect(holderOutline!.x + holderOutline!.width).toBeGreaterThanOrEqual(holderField!.x + holderField!.width);

  // Live: a new matching element is counted and outlined.
  await customer.evaluate(() => {
    const more = document.createElement('input');
    more.type = 'password';
    document.getElementById('inspect-form')!.append(more);
  });
  await expect(panel(customer).locator('[data-gcb-inspect-applicable] li[data-rule-id="-1"]')).toContainText('2 elements');
  await expect(outlines(customer)).toHaveCount(5);

  // Escape closes the panel and the outlines.
  await panel(customer).press('Escape');
  await expect(panel(customer)).toHaveCount(0);
  await expect(outlines(customer)).toHaveCount(0);

  // The ticket was spent: the same link again says so.
  await customer.goto('about:blank');
  await customer.goto(link);
  await expect(panel(customer).getByRole('alert')).toHaveText('This inspect link is invalid or has expired');
  expect(sockets).toEqual([]);
}

test('a crafted inspect link does not cut a running session off', async ({ customer, agent, cobrowse, site }) => {
  const token = await startAndJoin(customer, agent, cobrowse, site.url('session.html'));
  // The customer follows a link with a bogus ticket: the page shows the inspect panel's refusal,
  // and the session of the tab goes on (the toolbar, the agent's live replica of the new page).
  await customer.goto(`${site.url('live-rule.html')}#gcb-inspect=bogus-ticket`);
  await expect(panel(customer)).toContainText('This inspect link is invalid or has expired');
  await expect(toolbarSessionId(customer)).toHaveText(`Session ID: ${token}`);
  await expect(replica(agent).locator('#reference')).toHaveText('Order reference RX-2041 ships tomorrow');
  await expectAgentState(agent, 'live');
});
