// The floor of the dom-mutation figures: the same workloads on the same blank page with no recorder
// at all. What a recorder cannot go below: the workload's own DOM work (in its own task) and, for
// main-thread time, the rendering the browser does afterwards. A workload whose floor is more than
// half of rrweb's figure cannot reach "≤ 0.5× rrweb" in that figure, whatever the recorder does.
//
// The page is the bench site's /blank.html without the snippet cookie (so without our SDK), in a
// context set up like the recorders' (1024×768, device scale 1, CDP `Performance` in thread time).

import type { Browser, CDPSession, Page } from '@playwright/test';

export interface Bare {
  page: Page;
  /** Main-thread task time of the page so far, ms (CDP `Performance.getMetrics` TaskDuration). */
  taskTime(): Promise<number>;
  close(): Promise<void>;
}

export async function openBare(browser: Browser, url: string): Promise<Bare> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const response = await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  if (!response?.ok()) throw new Error(`${url}: HTTP ${response?.status() ?? 'no response'}`);
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return {
    page,
    taskTime: async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      const m = metrics.find((x) => x.name === 'TaskDuration');
      if (!m) throw new Error('no TaskDuration metric');
      return m.value * 1000;
    },
    close: () => context.close(),
  };
}

/**
 * Runs `run` (a self-contained function's source) in a task of the page's own, as the recorders'
 * runs do, and resolves with its duration in the page (`performance.now()` before and after: the
 * earliest a recorder could have sent the workload's last change).
 */
export async function timeWorkload(page: Page, run: string): Promise<number> {
  const d = await page.evaluate(
    `new Promise((resolve) => setTimeout(() => { const t0 = performance.now(); (${run})(); resolve(performance.now() - t0); }, 0))`,
  );
  if (typeof d !== 'number') throw new Error('the workload returned no time');
  return d;
}

/**
 * Waits `ms` while polling the page every 50 ms, as the recorders' `quiet` does (so that the
 * runner's own polling costs the bare page what it costs theirs).
 */
export async function pollFor(page: Page, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    await page.evaluate(() => 0);
  }
}
