// Customer page content is untrusted input for the agent's desktop: whatever script the page
// carries (fixtures/hostile.html, statically and inserted after the agent joined) runs on the
// customer's side, where it belongs, and never in the agent's browser.

import type { Page } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import { REPLICA_SELECTOR, replica, replicaElement, replicaFrame, startAndJoin } from '../harness/ui';

/** Payloads that Chromium runs in an ordinary page (the sanity check that they are live). */
const RUN_ON_CUSTOMER_STATIC = [
  'inline-script',
  'body-script',
  'body-onload',
  'img-onerror',
  'img-onload',
  'iframe-srcdoc',
  'iframe-javascript-src',
  'svg-script',
  'svg-onload',
  'details-ontoggle',
];
const RUN_ON_CUSTOMER_DYNAMIC = [
  'dynamic-script',
  'dynamic-img-onerror',
  'dynamic-innerhtml-onerror',
  'dynamic-iframe-srcdoc',
  'dynamic-svg-script',
];

/**
 * Meta refreshes to /pwned/ (answered 204, so the customer's page stays): the customer's browser
 * follows them after their delay, and so would the replica's if it honoured them.
 */
const REFRESHES_ON_CUSTOMER = ['/pwned/meta-refresh', '/pwned/dynamic-meta-refresh'];

/** Elements of the replica the test clicks: each would run a payload in a live page. */
const CLICK_TARGETS = [
  '#js-link',
  '#js-link-obfuscated',
  '#svg-js-link',
  '#click-me',
  '#safe-div',
  '#safe-link',
  '#dynamic-js-link',
  '#js-form-submit',
  '#js-formaction',
];

type PwnedWindow = Window & { __pwned?: string[] };

/**
 * Looks for `__pwned` in the agent's page, the replica and every same-origin frame inside the
 * replica. Returns the windows it looked at and those where a payload left its mark.
 */
function pwnedInAgent(agent: Page): Promise<{ looked: string[]; pwned: string[] }> {
  return agent.evaluate((selector) => {
    const looked: string[] = [];
    const pwned: string[] = [];
    const visit = (win: Window | null, name: string): void => {
      if (!win) return;
      try {
        const marks = (win as PwnedWindow).__pwned;
        looked.push(name);
        if (marks !== undefined) pwned.push(`${name}: ${JSON.stringify(marks)}`);
        win.document.querySelectorAll('iframe, frame, object, embed').forEach((el, i) => {
          const inner = (el as HTMLIFrameElement).contentWindow;
          if (inner) visit(inner, el.matches(selector) ? 'replica' : `${name} > ${el.localName}#${el.id || i}`);
        });
      } catch {
        // A cross-origin frame inside the replica: its beacons are watched on the network.
      }
    };
    visit(window, 'agent page');
    return { looked, pwned };
  }, REPLICA_SELECTOR);
}

/** Markup in the replica that the capture and the viewer must both have removed. */
function activeMarkupInReplica(agent: Page): Promise<string[]> {
  return replicaFrame(agent).then((frame) =>
    frame.evaluate(() => {
      const problems: string[] = [];
      const describe = (el: Element): string => `<${el.localName}${el.id ? `#${el.id}` : ''}>`;
      for (const el of Array.from(document.querySelectorAll('*'))) {
        if (el.localName === 'script') problems.push(`${describe(el)} element`);
        for (const attr of Array.from(el.attributes)) {
          // Browsers ignore ASCII whitespace and control characters in a URL's scheme.
          const squeezed = attr.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
          if (attr.name.toLowerCase().startsWith('on')) problems.push(`${describe(el)} ${attr.name}`);
          if (attr.name.toLowerCase() === 'srcdoc') problems.push(`${describe(el)} srcdoc`);
          if (/(^|url=)(javascript|vbscript):/.test(squeezed)) problems.push(`${describe(el)} ${attr.name}=${attr.value}`);
        }
      }
      return problems;
    }),
  );
}

test("hostile content runs on the customer's side and never in the agent's browser", async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  const beacons = (page: Page): string[] => {
    const paths: string[] = [];
    page.context().on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/pwned/')) paths.push(pathname);
    });
    return paths;
  };
  const agentBeacons = beacons(agent);
  const customerBeacons = beacons(customer);
  const customerPwned = async (): Promise<string[]> =>
    customer.evaluate(() => [...new Set((window as PwnedWindow).__pwned ?? [])]);

  await startAndJoin(customer, agent, cobrowse, site.url('hostile.html'));
  const view = replica(agent);

  // The page's scripts did run for the customer: the payloads are live, the SDK did not stop them.
  expect(await customer.evaluate(() => (window as { __customerScriptRan?: boolean }).__customerScriptRan)).toBe(true);
  await expect.poll(customerPwned).toEqual(expect.arrayContaining(RUN_ON_CUSTOMER_STATIC));

  // The replica is sandboxed without scripts.
  const sandbox = await replicaElement(agent).getAttribute('sandbox');
  expect(sandbox, 'the replica iframe must be sandboxed').not.toBeNull();
  expect(sandbox?.split(/\s+/)).not.toContain('allow-scripts');

  await expect(view.locator('#title')).toHaveText('Hostile content');
  // Markup in text stays text.
  await expect(view.locator('#markup-text')).toHaveText(await customer.locator('#markup-text').innerText());

  // The page's own meta refresh fires on the customer's side (1 s after its load) before the
  // dynamic one is inserted: a refresh scheduled while another is pending replaces it, so inserting
  // first would leave the customer with only the dynamic one.
  await expect.poll(() => customerBeacons).toContain(REFRESHES_ON_CUSTOMER[0]);

  // Hostile content arriving after the agent joined.
  await customer.evaluate(() => (window as unknown as { __insertHostile(): void }).__insertHostile());
  await expect.poll(customerPwned).toEqual(expect.arrayContaining(RUN_ON_CUSTOMER_DYNAMIC));
  await expect(view.locator('#dynamic-done')).toBeVisible();

  // The agent clicks and hovers what would run script in a live page.
  for (const target of CLICK_TARGETS) {
    await view.locator(target).dispatchEvent('click');
  }
  await view.locator('#click-me').hover({ force: true });
  await view.locator('#click-me').dispatchEvent('mouseover');

  // Let anything asynchronous in the replica happen (image errors, frame loads, the customer's
  // refreshes firing), then one more change from the customer: whatever the replica was going to
  // run has had its turn by the time that change shows.
  await expect.poll(() => customerBeacons).toEqual(expect.arrayContaining(REFRESHES_ON_CUSTOMER));
  // A broken image (`/does-not-exist.png`, the dynamic `/nope.png`) is complete once the resource
  // proxy answers 502: the site's 404 makes the server ask the customer's page, which cannot fetch
  // it either and declines at once (`resourceDeclined`), so the proxy answers without waiting for
  // its resource timeout (10 s) and the usual expect timeout is enough.
  await expect
    .poll(() =>
      replicaFrame(agent).then((frame) =>
        // (Images only: the replica's document is left open by the viewer, its readyState stays `loading`.)
        frame.evaluate(() => Array.from(document.images).every((i) => i.complete)),
      ),
    )
    .toBe(true);
  // They failed at once: each proxy answer (502) came well within the proxy's 10-s resource timeout.
  const brokenImageTimes = await replicaFrame(agent).then((frame) =>
    frame.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => e.responseStatus === 502)
        .map((e) => e.duration),
    ),
  );
  expect(brokenImageTimes.length).toBeGreaterThanOrEqual(2);
  expect(Math.max(...brokenImageTimes)).toBeLessThan(5_000);
  await customer.evaluate(() => {
    const p = document.createElement('p');
    p.id = 'final-marker';
    p.textContent = 'last change';
    document.body.append(p);
  });
  await expect(view.locator('#final-marker')).toHaveText('last change');

  const { looked, pwned } = await pwnedInAgent(agent);
  expect(looked).toEqual(expect.arrayContaining(['agent page', 'replica']));
  expect(pwned, 'payloads that ran in the agent browser').toEqual([]);
  expect(agentBeacons, 'requests made by payloads in the agent browser').toEqual([]);
  expect(await activeMarkupInReplica(agent)).toEqual([]);
  // The replica did not navigate away (meta refresh, javascript: or form navigation).
  await expect(view.locator('#title')).toHaveText('Hostile content');
});
