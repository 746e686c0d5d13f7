// What the replica must show as the customer sees it (issue 6): stylesheets of every kind, shadow
// roots, states. Assertions are on the replica's DOM and computed styles, never only on presence.

import type { FrameLocator, Locator } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import { REPLICA_LATENCY_MS, replica, startAndJoin } from '../harness/ui';

/** A computed style property of the element `selector` resolves to (in the page or replica). */
function computed(scope: FrameLocator | { locator(s: string): Locator }, selector: string, property: string): Promise<string> {
  return scope.locator(selector).evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
}

test('stylesheets of every kind: CSSOM rules, CSS-in-JS, adopted constructed sheets, live changes', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('fidelity-styles.html'));
  const view = replica(agent);

  // Present at the snapshot: a rule inserted by script into an empty <style>, an adopted sheet.
  await expect.poll(() => computed(view, '#injected', 'background-color')).toBe('rgb(10, 20, 30)');
  await expect.poll(() => computed(view, '#adopted', 'color')).toBe('rgb(0, 128, 0)');
  expect(await computed(view, '#adopted', 'border-left-width')).toBe('7px');

  // Rules inserted and deleted later, with no DOM mutation at all, keeping the rule count.
  await customer.evaluate(() => {
    const sheet = (document.getElementById('cssinjs') as HTMLStyleElement).sheet as CSSStyleSheet;
    sheet.insertRule('#late { background-color: rgb(200, 100, 50); }', 0);
    sheet.deleteRule(1); // the #injected rule
    sheet.insertRule('@media screen { #media { color: rgb(5, 6, 7); } }', 1);
  });
  await expect
    .poll(() => computed(view, '#late', 'background-color'), { timeout: REPLICA_LATENCY_MS })
    .toBe('rgb(200, 100, 50)');
  expect(await computed(view, '#injected', 'background-color')).toBe('rgba(0, 0, 0, 0)');
  expect(await computed(view, '#media', 'color')).toBe('rgb(5, 6, 7)');
  // A rule inserted into the @media rule itself (a CSSGroupingRule).
  await customer.evaluate(() => {
    const sheet = (document.getElementById('cssinjs') as HTMLStyleElement).sheet as CSSStyleSheet;
    (sheet.cssRules[1] as CSSMediaRule).insertRule('#media { font-weight: 700; }', 1);
  });
  await expect.poll(() => computed(view, '#media', 'font-weight'), { timeout: REPLICA_LATENCY_MS }).toBe('700');

  // The adopted sheet's rules replaced, then another sheet adopted by assignment.
  await customer.evaluate(() => {
    (window as unknown as { __adopted: CSSStyleSheet }).__adopted.replaceSync('#adopted { color: rgb(128, 0, 128); }');
  });
  await expect.poll(() => computed(view, '#adopted', 'color'), { timeout: REPLICA_LATENCY_MS }).toBe('rgb(128, 0, 128)');
  expect(await computed(view, '#adopted', 'border-left-width')).toBe('0px');
  await customer.evaluate(async () => {
    const extra = new CSSStyleSheet();
    await extra.replace('#late { outline: 3px solid rgb(9, 9, 9); }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, extra];
  });
  await expect.poll(() => computed(view, '#late', 'outline-width'), { timeout: REPLICA_LATENCY_MS }).toBe('3px');

  // What the customer sees and what the agent sees agree on every box.
  for (const id of ['#injected', '#adopted', '#late', '#media']) {
    for (const p of ['color', 'background-color', 'font-weight', 'outline-width']) {
      expect(await computed(view, id, p), `${id} ${p}`).toBe(await computed(customer, id, p));
    }
  }
});
