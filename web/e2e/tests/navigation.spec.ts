// The customer follows a link to another page of the site: the session goes on (same token on the
// new page) and the replica shows the new page, without the agent doing anything.

import { expect, test } from '../harness/fixtures';
import { expectAgentState, replica, startAndJoin, tokenInToolbar } from '../harness/ui';

test('a navigation keeps the session and the replica shows the new page', async ({ customer, agent, cobrowse }) => {
  const token = await startAndJoin(customer, agent, cobrowse, `${cobrowse.origin}/demo/`);
  const view = replica(agent);
  await expect(view.locator('h1')).toHaveText(await customer.locator('h1').innerText());

  const link = customer.locator('#products a[href^="product.html?id="]').first();
  const productName = (await link.getAttribute('href'))?.replace(/^.*id=/, '');
  await link.click();

  await expect(customer).toHaveURL(/\/demo\/product\.html\?id=/);
  expect(await tokenInToolbar(customer)).toBe(token);
  const heading = (await customer.locator('#product h1').innerText()).trim();
  expect(heading).not.toBe('');
  await expect(view.locator('#product h1')).toHaveText(heading);
  // The replica loads the product's image through the resource proxy (`?url=` the page's URL).
  await expect(view.locator('#product img')).toHaveAttribute('src', new RegExp(`/cobrowse/resource/${token}\\?url=.*img%2F${productName}\\.svg$`));
  await expect(view.locator('#products')).toHaveCount(0);
  await expectAgentState(agent, 'live');
});
