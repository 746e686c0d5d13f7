/**
 * Restrictions in the viewer: the stylesheet that outlines marked elements (kept as the first child
 * of the replica's root element, whatever ops do), and Write Mode input that is never sent for a
 * marked element or anything inside one.
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFrame, FrameKind, type AgentInput, type FullSnapshot } from '@cobrowse/protocol';
import { createViewer } from '../src/index';
import { CONTROL_COLOUR, MASK_COLOUR, RESTRICTION_STYLE_ATTRIBUTE } from '../src/restriction-style';

const SNAPSHOT: FullSnapshot = {
  url: 'https://shop.example/',
  title: 'Shop',
  viewport: { w: 800, h: 600 },
  scroll: [0, 0],
  doc: {
    i: 1,
    t: 9,
    c: [
      {
        i: 2,
        t: 1,
        n: 'html',
        c: [
          { i: 3, t: 1, n: 'head', c: [{ i: 4, t: 1, n: 'style', c: [{ i: 5, t: 3, x: '* { outline: none !important }' }] }] },
          {
            i: 6,
            t: 1,
            n: 'body',
            c: [
              { i: 7, t: 1, n: 'div', r: 2, a: { id: 'masked' }, c: [{ i: 8, t: 1, n: 'input', a: { id: 'inside' }, v: '****' }] },
              { i: 9, t: 1, n: 'button', r: 1, a: { id: 'ctl' }, c: [{ i: 10, t: 3, x: 'Pay' }] },
              { i: 11, t: 1, n: 'button', a: { id: 'free' }, c: [{ i: 12, t: 3, x: 'Help' }] },
              { i: 13, t: 1, n: 'p', a: { id: 'forged', 'data-cobrowse-restricted': 'mask' }, c: [{ i: 14, t: 3, x: 'x' }] },
            ],
          },
        ],
      },
    ],
  },
};

function setup(sent: AgentInput[]) {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const viewer = createViewer({
    container,
    requestSnapshot: () => {},
    onError: () => {},
    input: { enabled: () => true, send: (i) => sent.push(i) },
  });
  return viewer;
}

async function rendered(viewer: ReturnType<typeof createViewer>): Promise<Document> {
  viewer.handleFrame(await encodeFrame(FrameKind.Full, 0, SNAPSHOT));
  await vi.waitFor(() => expect(viewer.frame.contentDocument?.getElementById('ctl')).not.toBeNull());
  return viewer.frame.contentDocument as Document;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('restriction marks in the viewer', () => {
  it('outlines masked elements purple and controlled ones green, from the first stylesheet of the replica', async () => {
    const viewer = setup([]);
    const replica = await rendered(viewer);
    const style = replica.documentElement.firstElementChild as HTMLStyleElement;
    expect(style.localName).toBe('style');
    expect(style.hasAttribute(RESTRICTION_STYLE_ATTRIBUTE)).toBe(true);
    const css = style.textContent ?? '';
    expect(css).toMatch(/^@layer cobrowse-restrictions-[0-9a-f]{16} \{/);
    expect(css).toContain(`[data-cobrowse-restricted="mask"][data-cobrowse-restricted] { outline: 2px solid ${MASK_COLOUR} !important;`);
    expect(css).toContain(`[data-cobrowse-restricted="control"][data-cobrowse-restricted] { outline: 2px solid ${CONTROL_COLOUR} !important;`);
    expect(css).toContain('cursor: not-allowed !important');
    expect(replica.getElementById('masked')?.getAttribute('data-cobrowse-restricted')).toBe('mask');
    expect(replica.getElementById('forged')?.hasAttribute('data-cobrowse-restricted')).toBe(false);
    viewer.destroy();
  });

  it('puts the stylesheet back when an op replaced the root element', async () => {
    const viewer = setup([]);
    const replica = await rendered(viewer);
    viewer.handleFrame(
      await encodeFrame(FrameKind.Incremental, 1, {
        ops: [
          { o: 'rm', i: 2 },
          { o: 'add', p: 1, nx: null, n: { i: 20, t: 1, n: 'html', c: [{ i: 21, t: 1, n: 'body', c: [{ i: 22, t: 1, n: 'p', r: 1, a: { id: 'new' } }] }] } },
        ],
      }),
    );
    await vi.waitFor(() => expect(replica.getElementById('new')).not.toBeNull());
    expect(replica.documentElement.firstElementChild?.hasAttribute(RESTRICTION_STYLE_ATTRIBUTE)).toBe(true);
    expect(replica.querySelectorAll(`[${RESTRICTION_STYLE_ATTRIBUTE}]`)).toHaveLength(1);
    viewer.destroy();
  });

  it('sends no Write Mode input aimed at a restricted element or inside one', async () => {
    const sent: AgentInput[] = [];
    const viewer = setup(sent);
    const replica = await rendered(viewer);
    const win = replica.defaultView as unknown as typeof globalThis;
    const click = (id: string) =>
      replica.getElementById(id)?.dispatchEvent(new win.MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    click('ctl');
    click('masked');
    click('inside');
    (replica.getElementById('ctl')?.firstChild as Node).dispatchEvent(new win.MouseEvent('click', { bubbles: true, button: 0 }));
    const inside = replica.getElementById('inside') as HTMLInputElement;
    inside.dispatchEvent(new win.FocusEvent('focusin', { bubbles: true }));
    inside.value = 'typed';
    inside.dispatchEvent(new win.Event('input', { bubbles: true }));
    expect(sent).toEqual([]);
    click('free');
    expect(sent).toEqual([{ kind: 'click', target: 11, point: { x: 0, y: 0 } }]);
    viewer.destroy();
  });
});
