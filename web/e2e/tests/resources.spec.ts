// The replica's sub-resources (issue 6): every image, font and stylesheet the agent's replica shows
// loads through the cobrowse server's resource proxy, never from the customer's site; what the
// server cannot fetch (an image behind the customer's login, a `blob:` URL of the page) is
// uploaded by the customer's browser, and the customer's cookie never reaches the server.

import type { Page, Request } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import { PRIVATE_COOKIE } from '../harness/site';
import { leaks } from '../harness/wire';
import { replica, startAndJoin } from '../harness/ui';

/** Every URL the agent's browser requests from now on (the desktop and its replica). */
function recordRequests(agent: Page): string[] {
  const urls: string[] = [];
  agent.on('request', (request: Request) => urls.push(request.url()));
  return urls;
}

/** The rendered width of a replica image once it loaded (0 while broken or loading). */
function replicaImageWidth(agent: Page, selector: string): Promise<number> {
  return replica(agent)
    .locator(selector)
    .evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));
}

test('images behind the login, blob: images and stylesheet backgrounds load through the proxy; the cookie stays with the customer', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  const agentRequests = recordRequests(agent);
  const fromSite = site.requests.length;
  await startAndJoin(customer, agent, cobrowse, site.url('resources.html'));
  // The customer sees the personal image (the site answers it with the login cookie only).
  await expect.poll(() => customer.locator('#private').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);

  // The image behind the login: the server's own fetch is refused (no cookie), the customer's page
  // uploads it, the replica shows it.
  await expect.poll(() => replicaImageWidth(agent, '#private'), { timeout: 20_000 }).toBe(64);
  // The blob: image exists only in the customer's page: uploaded too.
  await expect.poll(() => replicaImageWidth(agent, '#blob'), { timeout: 20_000 }).toBe(120);
  // The stylesheet's url() goes through the proxy.
  const background = await replica(agent)
    .locator('#striped')
    .evaluate((el) => getComputedStyle(el).backgroundImage);
  expect(background).toContain(`${cobrowse.origin}/cobrowse/resource/`);
  expect(decodeURIComponent(background)).toContain(`${site.origin}/img/stripes.svg`);

  const siteRequests = site.requests.slice(fromSite);
  const byProxy = siteRequests.filter((r) => r.userAgent === 'cobrowse-resource-proxy');
  // The server fetched the stylesheet's background and tried the private image itself...
  expect(byProxy.map((r) => r.path)).toEqual(expect.arrayContaining(['/img/stripes.svg', '/private/badge.svg']));
  // ...never with a cookie; the customer's own requests for it carried the login cookie.
  expect(byProxy.filter((r) => r.cookie !== undefined)).toEqual([]);
  expect(
    siteRequests.some((r) => r.path === '/private/badge.svg' && r.userAgent !== 'cobrowse-resource-proxy' && r.cookie?.includes(PRIVATE_COOKIE)),
  ).toBe(true);

  // The agent's browser loaded everything from the cobrowse server (or data: URLs), nothing from
  // the customer's site.
  const elsewhere = agentRequests.filter((url) => !url.startsWith(`${cobrowse.origin}/`) && !url.startsWith('data:'));
  expect(elsewhere).toEqual([]);
  expect(agentRequests.filter((url) => url.includes('/cobrowse/resource/')).length).toBeGreaterThanOrEqual(3);

  // A stylesheet whose CSSOM text lost declarations (a var() shorthand, partly overridden) is
  // loaded from its source by the replica: the borders are there.
  const border = (side: string) =>
    replica(agent)
      .locator('#key')
      .evaluate((el, s) => {
        const cs = getComputedStyle(el);
        return `${cs.getPropertyValue(`border-${s}-width`)} ${cs.getPropertyValue(`border-${s}-color`)}`;
      }, side);
  await expect.poll(() => border('top')).toBe('1px rgb(0, 0, 200)');
  expect(await border('bottom')).toBe('3px rgb(0, 0, 200)');

  // An SVG sprite of the site (<use href="sprite.svg#dot">) renders through the proxy.
  await expect
    .poll(() => replica(agent).locator('#icon-dot').evaluate((use) => Math.round((use as SVGGraphicsElement).getBBox().width)))
    .toBe(20);
  // A lazy image loads in the replica when the customer scrolls to it, as it does for them.
  await customer.locator('#lazy').scrollIntoViewIfNeeded();
  await expect.poll(() => customer.locator('#lazy').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
  await expect.poll(() => replicaImageWidth(agent, '#lazy'), { timeout: 20_000 }).toBe(160);

  // Stylesheets travel by URL (script never changed them): the replica has <link>s loading through
  // the proxy, not <style>s with their text.
  const replicaLinks = await replica(agent)
    .locator('link[rel=stylesheet]')
    .evaluateAll((links) => links.map((l) => decodeURIComponent(l.getAttribute('href') ?? '')));
  for (const file of ['/resources.css', '/pending.css', '/private/account.css']) {
    expect(replicaLinks.some((href) => href.startsWith(`${cobrowse.origin}/cobrowse/resource/`) && href.endsWith(`${site.origin}${file}`)), file).toBe(true);
  }
  // The stylesheet behind the login: the server's fetch is refused (no cookie), the customer's page
  // uploads it; its relative url()s resolve against its own URL, through the proxy: the font at
  // /fonts/…, the background at /private/badge.svg (uploaded too).
  await expect.poll(() => replica(agent).locator('#account-note').evaluate((el) => getComputedStyle(el).color), { timeout: 20_000 }).toBe('rgb(12, 34, 56)');
  await expect
    .poll(() => replica(agent).locator('#account-note').evaluate(async (el) => {
      await el.ownerDocument.fonts.ready;
      return el.ownerDocument.fonts.check('16px "Account Mono"');
    }), { timeout: 20_000 })
    .toBe(true);
  const badge = await replica(agent).locator('#account-badge').evaluate((el) => getComputedStyle(el).backgroundImage);
  expect(decodeURIComponent(badge)).toContain(`${cobrowse.origin}/cobrowse/resource/`);
  expect(decodeURIComponent(badge)).toContain(`${site.origin}/private/badge.svg`);
  const fontRequests = agentRequests.filter((url) => url.includes('/cobrowse/resource/') && decodeURIComponent(url).endsWith(`${site.origin}/fonts/LiberationMono-Regular.ttf`));
  expect(fontRequests.length).toBeGreaterThan(0);
  const laterSite = site.requests.slice(fromSite);
  expect(laterSite.some((r) => r.path === '/private/account.css' && r.userAgent === 'cobrowse-resource-proxy' && r.cookie === undefined)).toBe(true);
  // The page's own load and the SDK's fetch for the upload, both with the login cookie.
  expect(
    laterSite.filter((r) => r.path === '/private/account.css' && r.userAgent !== 'cobrowse-resource-proxy' && r.cookie?.includes(PRIVATE_COOKIE)).length,
  ).toBeGreaterThanOrEqual(2);

  // The cookie is in neither the server's log nor its database.
  expect(leaks([PRIVATE_COOKIE], { 'server log': cobrowse.log.lines.join('\n') })).toEqual([]);
});

test("the demo shop's images and stylesheet come from the server's own files", async ({ customer, agent, cobrowse }) => {
  const agentRequests = recordRequests(agent);
  await startAndJoin(customer, agent, cobrowse, `${cobrowse.origin}/demo/product.html?id=kettle`);
  const view = replica(agent);
  await expect
    .poll(() => view.locator('img').first().evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)))
    .toBeGreaterThan(0);
  const proxied = agentRequests.filter((url) => url.includes('/cobrowse/resource/'));
  expect(proxied.some((url) => decodeURIComponent(url).includes('/demo/img/'))).toBe(true);
  expect(agentRequests.filter((url) => url.includes('/demo/') && !url.includes('/cobrowse/resource/'))).toEqual([]);
});

test("srcset and <picture>: the replica shows the file the customer's browser chose, whatever the agent's screen", async ({
  browser,
  agent,
  cobrowse,
  site,
}) => {
  // The customer's screen has twice the agent's pixel density: left alone, the replica would pick
  // the 1x files.
  const context = await browser.newContext({ deviceScaleFactor: 2 });
  try {
    const customer = await context.newPage();
    await startAndJoin(customer, agent, cobrowse, site.url('responsive.html'));
    const chosen = (page: Page | ReturnType<typeof replica>, selector: string) =>
      page.locator(selector).evaluate((img: HTMLImageElement) => (img.complete ? decodeURIComponent(img.currentSrc) : ''));
    await expect.poll(() => chosen(customer, '#density')).toMatch(/passport-XK7Q\.svg$/);
    await expect.poll(() => chosen(customer, '#art')).toMatch(/badge\.svg$/);
    const view = replica(agent);
    await expect.poll(() => chosen(view, '#density')).toMatch(/passport-XK7Q\.svg$/);
    await expect.poll(() => chosen(view, '#art')).toMatch(/badge\.svg$/);
    // Through the proxy, like every other file.
    expect(await chosen(view, '#density')).toContain(`${cobrowse.origin}/cobrowse/resource/`);
  } finally {
    await context.close();
  }
});
