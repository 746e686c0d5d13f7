// The SDK's chunks (packages/sdk/src/chunk.ts): the German and French tables, inspect mode, Write
// Mode's input and navigation, the child context of a frame, the resource uploader and the canvas
// capture are not in gcb.min.js; a page loads the one it needs from beside gcb.min.js, and only that one. A page in
// English loads none. Under a strict nonce-based Content Security Policy (no host allow-list: only
// scripts carrying the nonce run) the chunk runs too, because the SDK gives it the nonce of its own
// script element; where Trusted Types are enforced, through the SDK's policy.

import type { Page, Request } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import { agentMode, consentDialog, requestControlButton, revokeControlButton, startAndJoin } from '../harness/ui';

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

test('a resumed session on a German page shows no toolbar until the German table is there', async ({ customer, site }) => {
  await customer.goto(site.url('guide-examples.html?builtin=1&agent=0&lang=de'));
  const token = await startWithQuestion(customer, 'Ja');
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`Sitzungs-ID: ${token}`]);

  // The next page of the tab: the chunk is held back until the session has resumed.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await customer.route(/gcb-de\.min\.js/, async (route) => {
    await held;
    await route.continue();
  });
  await customer.reload({ waitUntil: 'commit' }); // the held chunk keeps the load event back
  await expect.poll(() => customer.evaluate(() => (window as unknown as { __started: string[] }).__started)).toEqual([token]);
  expect(await customer.locator('.gcb-toolbar-host').count()).toBe(0);
  release();
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`Sitzungs-ID: ${token}`]);
});

test('a page in English loads no chunk', async ({ customer, site }) => {
  const scripts = sdkScripts(customer);
  await customer.goto(site.url('guide-examples.html?builtin=1&agent=0'));
  const token = await startWithQuestion(customer, 'Yes');
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`Session ID: ${token}`]);
  expect(scripts).toEqual(['gcb.min.js']);
});

test('an SDK inside a frame loads gcb-frame.min.js there (child context); the top page does not', async ({ customer, site }) => {
  const loads: string[] = [];
  customer.on('request', (req: Request) => {
    const m = /\/cobrowse\/js\/(gcb[^/?]*\.js)/.exec(req.url());
    if (m?.[1]) loads.push(`${new URL(req.frame().url()).pathname} ${m[1]}`);
  });
  await customer.goto(site.url('frames.html'));
  const inner = customer.frame({ url: /frame-inner\.html/ });
  expect(inner).not.toBeNull();
  // The child context's API is there once its chunk ran.
  await expect.poll(() => inner?.evaluate(() => typeof (window as unknown as { _genesys?: { cobrowse?: { VERSION?: unknown } } })._genesys?.cobrowse?.VERSION)).toBe('string');
  expect(loads.sort()).toEqual(['/frame-inner.html gcb-frame.min.js', '/frame-inner.html gcb.min.js', '/frames.html gcb.min.js']);
});

test('under a strict nonce CSP the French chunk runs with the nonce of gcb.min.js', async ({ customer, site }) => {
  const violations: string[] = [];
  customer.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  const scripts = sdkScripts(customer);
  // csp-nonce.html: `script-src 'nonce-…'` only, the SDK's script with the nonce, `lang: 'fr'`.
  await customer.goto(site.url('csp-nonce.html'));
  const token = await startWithQuestion(customer, 'Oui');
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`ID de session\u00a0: ${token}`]);
  expect(scripts).toEqual(['gcb.min.js', 'gcb-fr.min.js']);
  expect(violations).toEqual([]);
  // The policy is enforced: the same chunk without the nonce is refused.
  const refused = await customer.evaluate(
    (src) =>
      new Promise<boolean>((resolve) => {
        document.addEventListener('securitypolicyviolation', (ev) => resolve(ev.blockedURI === src), { once: true });
        const script = document.createElement('script');
        script.src = src;
        document.head.append(script);
      }),
    new URL('gcb-fr.min.js', await customer.evaluate(() => (document.querySelector('script[src*="gcb.min.js"]') as HTMLScriptElement).src)).href,
  );
  expect(refused).toBe(true);
});

test('where Trusted Types are enforced the German chunk loads through the SDK\'s policy', async ({ customer, site }) => {
  const scripts = sdkScripts(customer);
  // csp-trusted-types.html: `require-trusted-types-for 'script'; trusted-types cobrowse`, `lang: 'de'`.
  await customer.goto(site.url('csp-trusted-types.html'));
  const token = await startWithQuestion(customer, 'Ja');
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`Sitzungs-ID: ${token}`]);
  expect(scripts).toEqual(['gcb.min.js', 'gcb-de.min.js']);
  // They are enforced: a plain string as a script's URL is refused.
  const refused = await customer.evaluate(() => {
    try {
      document.createElement('script').src = 'gcb-de.min.js';
      return false;
    } catch (err) {
      return err instanceof TypeError;
    }
  });
  expect(refused).toBe(true);
});

test('a language chunk that cannot be loaded: the built-in UI falls back to English, and works', async ({ customer, site }) => {
  await customer.route(/gcb-de\.min\.js/, (route) => route.abort('blockedbyclient'));
  await customer.goto(site.url('guide-examples.html?builtin=1&agent=0&lang=de'));
  const token = await startWithQuestion(customer, 'Yes');
  await expect.poll(() => toolbarTexts(customer, '.content')).toEqual([`Session ID: ${token}`]);
});

test('a session with an agent in Pointer Mode loads no chunk; Write Mode loads gcb-write.min.js, once', async ({ customer, agent, cobrowse, site }) => {
  const scripts = sdkScripts(customer);
  await startAndJoin(customer, agent, cobrowse, site.url('interaction.html'));
  await expect(agentMode(agent)).toHaveText('Pointer mode');
  expect(scripts).toEqual(['gcb.min.js']);

  await requestControlButton(agent).click();
  await consentDialog(customer).getByRole('button', { name: 'Yes' }).click();
  await expect(agentMode(agent)).toHaveText('Write mode');
  await expect.poll(() => [...scripts]).toEqual(['gcb.min.js', 'gcb-write.min.js']);
  await revokeControlButton(customer).click();
  await expect(agentMode(agent)).toHaveText('Pointer mode');
  await requestControlButton(agent).click();
  await consentDialog(customer).getByRole('button', { name: 'Yes' }).click();
  await expect(agentMode(agent)).toHaveText('Write mode');
  expect(scripts).toEqual(['gcb.min.js', 'gcb-write.min.js']);
});

test('a session on a page with a canvas loads gcb-canvas.min.js', async ({ customer, agent, cobrowse, site }) => {
  const scripts = sdkScripts(customer);
  await startAndJoin(customer, agent, cobrowse, site.url('fidelity-media.html'));
  await expect.poll(() => [...scripts]).toEqual(['gcb.min.js', 'gcb-canvas.min.js']);
  // What the agent then sees of the canvases: fidelity-features.spec.ts.
});

