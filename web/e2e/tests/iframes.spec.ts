// Same-origin frames in the replica (docs/PROTOCOL.md, "Frames"): frames.html holds a same-origin
// frame without the SDK (frame-outer.html), which holds a same-origin frame that loads the SDK
// (frame-inner.html, child context), and a frame of another site (the cobrowse server's origin).

import type { FrameLocator, Page } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import { REPLICA_LATENCY_MS, grantWriteMode, replica, startAndJoin } from '../harness/ui';
import { leaks, tapWebSockets } from '../harness/wire';

function customerInner(customer: Page): FrameLocator {
  return customer.frameLocator('#outer').frameLocator('#inner');
}

function replicaInner(agent: Page): FrameLocator {
  return replica(agent).frameLocator('#outer').frameLocator('#inner');
}

type FrameEvent = { type: string; isTopContext?: boolean; hasToolbarApi?: boolean; token?: string; id?: string };

async function frameEvents(customer: Page): Promise<FrameEvent[]> {
  const inner = customer.frame({ url: /frame-inner\.html/ });
  if (!inner) return [];
  return inner.evaluate(() => (window as unknown as { __frameEvents?: FrameEvent[] }).__frameEvents ?? []);
}

test('nested same-origin frames, with and without the SDK, are mirrored live; another site is a placeholder', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  const token = await startAndJoin(customer, agent, cobrowse, site.url('frames.html'));

  // The SDK in the inner frame runs in child context and hears about the session.
  await expect.poll(() => frameEvents(customer)).toContainEqual({ type: 'ready', isTopContext: false, hasToolbarApi: false });
  await expect.poll(() => frameEvents(customer)).toContainEqual({ type: 'started', token });

  // Both levels are in the replica, built inside inert frames of the same size as the customer's.
  await expect(replica(agent).frameLocator('#outer').locator('#outer-text')).toHaveText('Outer frame, no SDK here');
  await expect(replicaInner(agent).locator('#inner-text')).toHaveText('Inner frame, with the SDK');
  const outerFrame = replica(agent).locator('#outer');
  await expect(outerFrame).toHaveAttribute('sandbox', 'allow-same-origin');
  await expect(outerFrame).not.toHaveAttribute('src', /./);
  const customerSize = await customer.locator('#outer').evaluate((el) => [(el as HTMLElement).offsetWidth, (el as HTMLElement).offsetHeight]);
  expect(await outerFrame.evaluate((el) => [(el as HTMLElement).offsetWidth, (el as HTMLElement).offsetHeight])).toEqual(customerSize);

  // The element the child context marked as a service element is never in the replica.
  await expect(replicaInner(agent).locator('#inner-button')).toBeVisible();
  await expect(replicaInner(agent).locator('#frame-private')).toHaveCount(0);

  // A change inside the inner frame reaches the replica.
  await customerInner(customer)
    .locator('#inner-text')
    .evaluate((el) => {
      el.textContent = 'Changed inside the inner frame';
    });
  await expect(replicaInner(agent).locator('#inner-text')).toHaveText('Changed inside the inner frame', { timeout: REPLICA_LATENCY_MS });
  // So does a frame added later, and content written into it.
  await customer.frameLocator('#outer').locator('body').evaluate((body) => {
    const f = body.ownerDocument.createElement('iframe');
    f.id = 'late';
    body.appendChild(f);
    const d = f.contentDocument as Document;
    d.body.innerHTML = '<p id="late-text">written by script</p>';
  });
  await expect(replica(agent).frameLocator('#outer').frameLocator('#late').locator('#late-text')).toHaveText('written by script', {
    timeout: REPLICA_LATENCY_MS,
  });

  // The frame of another site: nothing of it, a labelled placeholder of the frame's size instead.
  await expect(replica(agent).frameLocator('#foreign').locator('[data-cobrowse-frame-placeholder]')).toHaveText(
    'Content from another site is not shared',
  );
  const foreignSize = await customer.locator('#foreign').evaluate((el) => [(el as HTMLElement).offsetWidth, (el as HTMLElement).offsetHeight]);
  expect(await replica(agent).locator('#foreign').evaluate((el) => [(el as HTMLElement).offsetWidth, (el as HTMLElement).offsetHeight])).toEqual(
    foreignSize,
  );
});

test('masked content inside a frame never leaves the customer’s browser', async ({ customer, agent, cobrowse, site }) => {
  const tap = tapWebSockets(customer);
  await startAndJoin(customer, agent, cobrowse, site.url('frames.html'));
  await expect(replicaInner(agent).locator('#inner-pin')).toBeVisible();

  const pin = 'QW7319-PIN-SECRET';
  await customerInner(customer).locator('#inner-pin').fill(pin);
  // The replica has the field, masked (the built-in default masks password fields, in frames too).
  await expect(replicaInner(agent).locator('#inner-pin')).toHaveValue('*'.repeat(pin.length), { timeout: REPLICA_LATENCY_MS });
  await expect(replicaInner(agent).locator('#inner-pin')).toHaveAttribute('data-cobrowse-restricted', 'mask');
  // The child context's onMaskedElement reports it.
  await expect.poll(() => frameEvents(customer)).toContainEqual({ type: 'masked', id: 'inner-pin' });

  // A later change of the frame still reaches the agent: the tap saw the frames after the typing.
  await customerInner(customer)
    .locator('#inner-text')
    .evaluate((el) => {
      el.textContent = 'after the secret';
    });
  await expect(replicaInner(agent).locator('#inner-text')).toHaveText('after the secret', { timeout: REPLICA_LATENCY_MS });
  expect(tap.domFrames()).toBeGreaterThan(1);
  expect(leaks([pin, 'ZQXJ-PRIVATE-7741'], { wire: tap.sent().join('\n') })).toEqual([]);
});

test('in Write Mode, the agent’s click inside a nested frame is performed on the customer’s page', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('frames.html'));
  await expect(replicaInner(agent).locator('#inner-button')).toBeVisible();
  await grantWriteMode(customer, agent);

  await replicaInner(agent).locator('#inner-button').click();
  await expect(customerInner(customer).locator('#inner-clicks')).toHaveText('clicks: 1');
  // The page changed, and the replica follows through the capture.
  await expect(replicaInner(agent).locator('#inner-clicks')).toHaveText('clicks: 1', { timeout: REPLICA_LATENCY_MS });

  // Typing into a masked field inside the frame is refused (DOM control), like on the page.
  await replicaInner(agent).locator('#inner-pin').click();
  await agent.keyboard.type('1234');
  await replicaInner(agent).locator('#inner-button').click();
  await expect(customerInner(customer).locator('#inner-clicks')).toHaveText('clicks: 2');
  await expect(customerInner(customer).locator('#inner-pin')).toHaveValue('');
});
