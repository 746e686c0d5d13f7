// The fidelity suite: for every page of the corpus (corpus.ts), our replica and rrweb's live
// replay, each compared with the customer's viewport after load and after the page's scripted
// interactions (compare.ts). One test per page; each writes its figures to
// fidelity-results/results/<page>.json and its screenshots and diff images next to it. The test
// fails when the suite cannot measure (a page or replica that never settles, a screenshot of the
// wrong size, an interaction that cannot be performed); it never fails on the percentages.

import { test as base, expect, type Page } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startCobrowseServer, type CobrowseServer } from '../e2e/harness/server';
import { CORPUS, type Action, type CorpusPage } from './corpus';
import {
  compareScreens,
  ReplicaBehind,
  restrictedBoxes,
  settleCustomer,
  settleReplica,
  syncReplica,
  waitUntil,
  type Box,
  type Comparison,
} from './compare';
import { NoReplica, openOurs, openRrweb, type Mirror, type MirrorName } from './mirror';
import { snippetConfig, startSites, type FidelitySites } from './sites';
import { OUTPUT_DIR, type PageResult, type MirrorResult } from './results';

const test = base.extend<object, { sites: FidelitySites; cobrowse: CobrowseServer }>({
  sites: [
    async ({}, use) => {
      const sites = await startSites();
      await use(sites);
      await sites.stop();
    },
    { scope: 'worker' },
  ],
  cobrowse: [
    async ({ sites }, use) => {
      const server = await startCobrowseServer(Object.values(sites.origins));
      snippetConfig.cobrowseUrl = server.cobrowseUrl;
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

/**
 * Performs `action` on the customer's page. When another element covers the middle of the target
 * (the SDK's toolbar lies over the top of the page), the action is tried at the target's left and
 * right edges, as a person would aim beside the toolbar; a click still covered is dispatched to
 * the element. Either is said in the returned note.
 */
async function perform(customer: Page, action: Action): Promise<string | null> {
  try {
    await performOnce(customer, action, 5_000);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!('selector' in action) || !/intercepts pointer events/.test(message)) throw error;
    if (action.do !== 'click' && action.do !== 'check' && action.do !== 'hover') throw error;
    const blocker = /(<[^\n]*?>) (?:from <[^\n]*?> subtree )?intercepts pointer events/.exec(message)?.[1] ?? 'another element';
    const target = customer.locator(action.selector);
    const box = await target.boundingBox();
    for (const x of box ? [2, box.width - 2] : []) {
      const position = { x, y: (box?.height ?? 0) / 2 };
      try {
        if (action.do === 'hover') await target.hover({ position, timeout: 2_000 });
        else if (action.do === 'check') await target.check({ position, timeout: 2_000 });
        else await target.click({ position, timeout: 2_000 });
        return `${action.do} ${action.selector}: ${blocker} covers its middle; done at its edge (x ${Math.round(x)})`;
      } catch {
        // covered there too
      }
    }
    if (action.do === 'hover') throw error;
    await target.dispatchEvent('click');
    return `${action.do} ${action.selector}: ${blocker} covers it; the click was dispatched to the element`;
  }
}

async function performOnce(customer: Page, action: Action, timeout: number): Promise<void> {
  switch (action.do) {
    case 'fill':
      await customer.locator(action.selector).fill(action.text, { timeout });
      return;
    case 'type':
      await customer.locator(action.selector).pressSequentially(action.text, { timeout });
      return;
    case 'press':
      await customer.locator(action.selector).press(action.key, { timeout });
      return;
    case 'click':
      await customer.locator(action.selector).click({ timeout });
      return;
    case 'dblclick':
      await customer.locator(action.selector).dblclick({ timeout });
      return;
    case 'check':
      await customer.locator(action.selector).check({ timeout });
      return;
    case 'select':
      await customer.locator(action.selector).selectOption(action.value, { timeout });
      return;
    case 'hover':
      await customer.locator(action.selector).hover({ timeout });
      return;
    case 'wheel': {
      const before = await customer.evaluate(() => window.scrollY);
      await customer.mouse.move(VIEW_CENTER.x, VIEW_CENTER.y);
      await customer.mouse.wheel(0, action.y);
      await waitUntil(`the page scrolls by the wheel (${action.y} px)`, () =>
        customer.evaluate((b) => window.scrollY !== b, before),
      );
      return;
    }
    case 'script':
      await customer.evaluate(action.code);
      return;
    default: {
      const never: never = action;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}

const VIEW_CENTER = { x: 512, y: 384 };

function pageUrl(p: CorpusPage, sites: FidelitySites, cobrowse: CobrowseServer): string {
  const origin = p.site === 'demo' ? cobrowse.origin : sites.origins[p.site];
  if (!origin) throw new Error(`no site ${p.site}`);
  return origin + p.path;
}

/** The restricted elements' boxes of each phase, found in our replica, used for both mirrors. */
type Exclusions = Map<'load' | 'interactions', Box[]>;

async function measure(
  name: MirrorName,
  p: CorpusPage,
  open: () => Promise<Mirror>,
  log: (line: string) => void,
  exclusions: Exclusions,
): Promise<MirrorResult> {
  const dir = path.join(OUTPUT_DIR, 'images', p.id);
  const started = Date.now();
  const problems: string[] = [];
  let mirror: Mirror;
  try {
    mirror = await open();
  } catch (error) {
    if (!(error instanceof NoReplica)) throw error;
    problems.push(error.message);
    log(`${p.id} ${name}: ${error.message}`);
    return { load: null, interactions: null, problems, seconds: (Date.now() - started) / 1000 };
  }
  try {
    let mark = 0;
    const checkpoint = async (phase: 'load' | 'interactions'): Promise<Comparison> => {
      await settleCustomer(mirror.customer, mirror.customerRequests);
      mark += 1;
      let behind = false;
      try {
        await syncReplica(mirror.customer, mirror.viewer, mirror.replica, mirror.viewerRequests, mark);
      } catch (error) {
        if (!(error instanceof ReplicaBehind)) throw error;
        behind = true;
        problems.push(`after ${phase}: ${error.message}`);
        await settleReplica(mirror.viewer, mirror.replica, mirror.viewerRequests);
      }
      if (name === 'ours') exclusions.set(phase, await restrictedBoxes(mirror.replica));
      const exclude = exclusions.get(phase) ?? [];
      const result = { ...(await compareScreens(mirror.customer, mirror.replica, dir, `${name}-${phase}`, exclude)), ...(behind ? { behind } : {}) };
      log(`${p.id} ${name} ${phase}: ${result.identical.toFixed(3)} % identical (${result.differing} px differ)${behind ? ', replica behind' : ''}`);
      return result;
    };
    const load = await checkpoint('load');
    let interactions: Comparison | null = null;
    if (p.interactions.length > 0) {
      for (const action of p.interactions) {
        const note = await perform(mirror.customer, action);
        if (note) {
          problems.push(note);
          log(`${p.id} ${name}: ${note}`);
        }
      }
      interactions = await checkpoint('interactions');
    }
    return { load, interactions, problems, seconds: (Date.now() - started) / 1000 };
  } finally {
    await mirror.close();
  }
}

const only = process.env.FIDELITY_PAGES?.split(',').map((s) => s.trim()).filter(Boolean);
const selected = CORPUS.filter((p) => (process.env.FIDELITY_SMOKE ? p.smoke : true)).filter(
  (p) => !only || only.some((o) => p.id.includes(o)),
);

for (const p of selected) {
  test(`${p.id}`, async ({ browser, sites, cobrowse }, testInfo) => {
    const lines: string[] = [];
    const log = (line: string): void => {
      lines.push(line);
    };
    const url = pageUrl(p, sites, cobrowse);
    const common = {
      browser,
      cobrowse,
      url,
      replayOrigin: sites.origins['apps'] ?? '',
      log,
    };
    try {
      const exclusions: Exclusions = new Map();
      const ours = await measure('ours', p, () => openOurs(common), log, exclusions);
      const rrweb = await measure('rrweb', p, () => openRrweb(common), log, exclusions);
      const result: PageResult = {
        id: p.id,
        site: p.site,
        path: p.path,
        interactions: p.interactionsLabel ?? (p.interactions.length > 0 ? `${p.interactions.length} actions` : null),
        chromium: browser.version(),
        ours,
        rrweb,
      };
      // The figures are percentages of a whole screen: they must be numbers in range.
      for (const r of [ours.load, ours.interactions, rrweb.load, rrweb.interactions]) {
        if (!r) continue;
        expect(r.identical).toBeGreaterThanOrEqual(0);
        expect(r.identical).toBeLessThanOrEqual(100);
      }
      await mkdir(path.join(OUTPUT_DIR, 'results'), { recursive: true });
      await writeFile(path.join(OUTPUT_DIR, 'results', `${p.id}.json`), JSON.stringify(result, null, 2));
    } finally {
      const text = lines.join('\n');
      if (text) await testInfo.attach('fidelity-log.txt', { body: text, contentType: 'text/plain' });
      process.stdout.write(`${text}\n`);
    }
  });
}
