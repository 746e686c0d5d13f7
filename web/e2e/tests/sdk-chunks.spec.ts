// The SDK's chunks (packages/sdk/src/chunk.ts): the German and French tables and inspect mode are
// not in gcb.min.js; a page loads the one it needs from beside gcb.min.js, and only that one. A
// page in English loads none. Under a strict nonce-based Content Security Policy (no host
// allow-list: only scripts carrying the nonce run) the chunk runs too, because the SDK gives it the
// nonce of its own script element.

import type { Page, Request } from '@playwright/test';
import { expect, test } from '../harness/fixtures';

/** Every request of `page` for an SDK script (`…/cobrowse/js/gcb….js`), by file name, in order. */
function sdkScripts(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (req: Request) => {
    const m = /\/cobrowse\/js\/(gcb[^/?]*\.js)(\?|$)/.exec(req.url());
    if (m?.[1]) seen.push(m[1]);
  });
  return seen;
}

/** The texts of the toolbar's `selector` elements inside its shadow root. */
function toolbarTexts(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    (s) =>
      [...document.querySelectorAll('.gcb-toolbar-host')].flatMap((el) =>
        [...(el.shadowRoot?.querySelectorAll(s) ?? [])].map((n) => n.textContent ?? ''),
      ),
    selector,
  );
}

/** Starts a session through the built-in question (Yes) and answers its token. */
async function startWithQuestion(page: Page, yes: string): Promise<string> {
  await page.locator('#cobrowse-button').click();
  await page.getByRole('dialog').getByRole('button', { name: yes, exact: true }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __started: string[] }).__started.length)).toBe(1);
  return page.evaluate(() => (window as unknown as { __started: string[] }).__started[0] ?? '');
}

test('a page in German loads gcb-de.min.js, and shows the toolbar in German', async ({ customer, site }) => {
  const scripts = sdkScripts(customer);
  await customer.goto(site.url('guide-examples.html?builtin=1&agent=0&lang=de'));
  const token = await startWithQuestion(customer, 'Ja');
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`Sitzungs-ID: ${token}`]);
  await expect(customer.getByRole('button', { name: 'Co-Browsing-Sitzung beenden', exact: true })).toBeVisible();
  expect(scripts).toEqual(['gcb.min.js', 'gcb-de.min.js']);
  // The chunk's script element is gone once it ran.
  expect(await customer.locator('script[src*="gcb-de"]').count()).toBe(0);
});

test('a page in English loads no chunk', async ({ customer, site }) => {
  const scripts = sdkScripts(customer);
  await customer.goto(site.url('guide-examples.html?builtin=1&agent=0'));
  const token = await startWithQuestion(customer, 'Yes');
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`Session ID: ${token}`]);
  expect(scripts).toEqual(['gcb.min.js']);
});

test('under a strict nonce CSP the French chunk runs with the nonce of gcb.min.js', async ({ customer, site }) => {
  const nonce = 'n0nce-Chunk5';
  const blocked: string[] = [];
  customer.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) blocked.push(msg.text());
  });
  await customer.route(/guide-examples\.html/, async (route) => {
    const res = await route.fetch();
    const body = (await res.text()).replaceAll('<script', `<script nonce="${nonce}"`);
    await route.fulfill({
      response: res,
      body,
      headers: { ...res.headers(), 'content-security-policy': `script-src 'nonce-${nonce}'; object-src 'none'; base-uri 'none'` },
    });
  });
  const scripts = sdkScripts(customer);
  await customer.goto(site.url('guide-examples.html?builtin=1&agent=0&lang=fr'));
  const token = await startWithQuestion(customer, 'Oui');
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`ID de session\u00a0: ${token}`]);
  expect(scripts).toEqual(['gcb.min.js', 'gcb-fr.min.js']);
  expect(blocked).toEqual([]);
});

test('a language chunk that cannot be loaded: the built-in UI falls back to English, and works', async ({ customer, site }) => {
  await customer.route(/gcb-de\.min\.js/, (route) => route.abort('blockedbyclient'));
  await customer.goto(site.url('guide-examples.html?builtin=1&agent=0&lang=de'));
  const token = await startWithQuestion(customer, 'Yes');
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`Session ID: ${token}`]);
});
