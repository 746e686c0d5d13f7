// The time-sliced full snapshot on a large page that keeps changing while it is taken: a page of
// about 50,000 nodes whose own script moves, adds, removes, re-classes and edits nodes every task
// (sections moved whole, items made masked, masked items with made-up words added). The snapshot
// walk yields between slices, so the page runs in the middle of it; afterwards the replica must
// equal the page (masked text as asterisks), and no masked word may ever be on the wire.

import type { Frame, Page } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import { restrictionsApi } from '../harness/restrictions';
import { agentStatus, openDesktopAndJoin, replicaFrame, startSession } from '../harness/ui';
import { leaks, tapWebSockets } from '../harness/wire';

interface PageState {
  requests: number[];
  frames: [number, number][];
  rounds: number[];
  secrets: string[];
}

/** `#main` as text: elements with id, class and `data-n`, text (masked under `.secret`: asterisks). */
function canonical(target: Page | Frame): Promise<string> {
  return target.evaluate(() => {
    const out: string[] = [];
    const walk = (el: Element, masked: boolean): void => {
      for (let n = el.firstChild; n !== null; n = n.nextSibling) {
        if (n.nodeType === 1) {
          const child = n as Element;
          const m = masked || child.classList.contains('secret');
          out.push(`<${child.localName}#${child.id}.${child.getAttribute('class') ?? ''}[${m ? '' : (child.getAttribute('data-n') ?? '')}]`);
          walk(child, m);
          out.push('>');
        } else if (n.nodeType === 3) {
          const data = (n as Text).data;
          out.push(masked ? data.replace(/\S/g, '*') : data);
        }
      }
    };
    const main = document.getElementById('main');
    if (main === null) return '';
    walk(main, false);
    return out.join('');
  });
}

const state = (customer: Page): Promise<PageState> =>
  customer.evaluate(() => {
    const w = (window as unknown as { __wire: { requests: number[]; frames: [number, number][] } }).__wire;
    const m = (window as unknown as { __mutate: { rounds: number[]; secrets: string[] } }).__mutate;
    return { requests: w.requests, frames: w.frames, rounds: m.rounds, secrets: m.secrets };
  });

test('a large page changing during a sliced snapshot: the replica equals the page, masked words never sent', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  test.setTimeout(120_000);
  const api = await restrictionsApi(cobrowse);
  await api.create({ group: 'Sliced snapshot', selector: '.secret', kind: 'mask', urlPattern: 'sliced\\.html' });
  const wire = tapWebSockets(customer);
  const token = await startSession(customer, site.url('sliced.html'));
  // The page changes from now on, before, during and after the agent's snapshot.
  await customer.evaluate(() => (window as unknown as { __mutate: { start(): void } }).__mutate.start());
  await openDesktopAndJoin(agent, cobrowse, token);
  // A page this busy takes its snapshot in many slices: more than the harness's usual 10 s on a
  // loaded machine.
  await expect(agentStatus(agent)).toHaveAttribute('data-state', 'live', { timeout: 30_000 });

  // The snapshot was sent, and batches after it.
  await expect
    .poll(async () => {
      const s = await state(customer);
      const full = s.frames.findIndex(([, kind]) => kind === 1);
      return full >= 0 && s.frames.length - full > 3;
    }, { timeout: 30_000 })
    .toBe(true);
  await customer.evaluate(() => (window as unknown as { __mutate: { stop(): void } }).__mutate.stop());

  const s = await state(customer);
  const requested = s.requests[0] as number;
  const [sentAt] = s.frames.find(([, kind]) => kind === 1) as [number, number];
  // The page ran while the snapshot was being taken: it was time-sliced.
  const during = s.rounds.filter((t) => t > requested && t < sentAt).length;
  expect(during, `page tasks between the request (${requested}) and the snapshot (${sentAt})`).toBeGreaterThan(3);
  // Full snapshots come first; no batch before the first one.
  expect(s.frames[0]?.[1]).toBe(1);

  const frame = await replicaFrame(agent);
  const expected = await canonical(customer);
  expect(expected.length).toBeGreaterThan(100_000);
  await expect.poll(async () => (await canonical(frame)) === expected, { timeout: 30_000 }).toBe(true);

  expect(s.secrets.length).toBeGreaterThan(5);
  const replicaText = await frame.evaluate(() => document.documentElement.outerHTML);
  expect(leaks(s.secrets, { 'customer frames': wire.sent().join('\n'), replica: replicaText })).toEqual([]);
});
