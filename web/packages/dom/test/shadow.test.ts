// Shadow roots (docs/PROTOCOL.md, "Shadow roots"): open ones and closed ones kept from attachShadow, serialized as the first child of their host,
// masked and matched per root, observed for mutations, rebuilt with attachShadow in the replica
// (custom elements stay inert unknown elements there).

import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import type { Op, SerializedElement, SerializedNode } from '@cobrowse/protocol';
import {
  applyOps,
  createCaptureContext,
  createReplicaMirror,
  mutationsToOps,
  rebuildDocument,
  serializeDocument,
  watchShadowRoots,
  type CaptureContext,
} from '../src/index';
import { blankDocument, PAGE_URL, received } from './helpers';

function page() {
  const dom = new JSDOM(
    '<!DOCTYPE html><body><my-card id="card"><span slot="title" id="light">Light title</span></my-card><p id="after">after</p></body>',
    { url: PAGE_URL },
  );
  const doc = dom.window.document;
  const card = doc.getElementById('card') as Element;
  const root = card.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>.inner { color: rgb(1, 2, 3); }</style><div class="inner" id="inner">Shadow text <slot name="title"></slot></div>' +
    '<input id="secret" class="card-number" value="4111 1111 1111 1111"><input id="pw" type="password" value="hunter2">';
  return { win: dom.window, doc, card, root };
}

function find(n: SerializedNode, pred: (n: SerializedNode) => boolean): SerializedNode | undefined {
  if (pred(n)) return n;
  const c = (n as { c?: SerializedNode[] }).c;
  if (c) for (const child of c) {
    const hit = find(child, pred);
    if (hit) return hit;
  }
  return undefined;
}

function observe(ctx: CaptureContext, win: { MutationObserver: typeof MutationObserver }) {
  const records: MutationRecord[] = [];
  const observer = new win.MutationObserver(() => {});
  observer.observe(ctx.doc, { childList: true, subtree: true, attributes: true, characterData: true });
  for (const root of ctx.takeNewShadowRoots()) {
    observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
  }
  return () => {
    records.push(...observer.takeRecords());
    return records.splice(0);
  };
}

describe('shadow roots', () => {
  it('a snapshot carries an open shadow root as the first child of its host; the replica attaches it', () => {
    const p = page();
    const ctx = createCaptureContext(p.doc);
    const snap = received(serializeDocument(ctx));
    const host = find(snap.doc, (n) => n.t === 1 && n.n === 'my-card') as SerializedElement;
    expect(host.c?.[0]?.t).toBe(11);
    expect(host.c?.[1]).toMatchObject({ t: 1, n: 'span' });
    expect(ctx.mirror.getNode(host.c?.[0]?.i as number)).toBe(p.root);

    const doc = blankDocument();
    const mirror = createReplicaMirror();
    rebuildDocument(JSON.parse(JSON.stringify(snap)), doc, mirror);
    const rHost = doc.getElementById('card') as Element;
    expect(rHost.shadowRoot).not.toBeNull();
    expect(rHost.shadowRoot?.getElementById('inner')?.textContent).toBe('Shadow text ');
    expect(rHost.shadowRoot?.querySelector('style')?.textContent).toContain('.inner');
    expect(rHost.querySelector('#light')?.textContent).toBe('Light title');
    // Never defined nor upgraded: a plain unknown element of the replica.
    expect(doc.defaultView?.customElements.get('my-card')).toBeUndefined();
    expect(mirror.getNode(host.c?.[0]?.i as number)).toBe(rHost.shadowRoot);
  });

  it('masks inside shadow roots: defaults and rules match per root; a masked host masks its root', () => {
    const p = page();
    const ctx = createCaptureContext(p.doc);
    ctx.restrictions.setRules([{ id: 1, selector: '.card-number', kind: 'mask', urlPattern: null }]);
    let text = JSON.stringify(serializeDocument(ctx, ctx.match()));
    expect(text).not.toContain('4111');
    expect(text).not.toContain('hunter2');
    const secret = find(JSON.parse(text).doc, (n) => n.t === 1 && (n as SerializedElement).a?.['id'] === 'secret') as SerializedElement;
    expect(secret.r).toBe(2);
    // The live check used for agent input crosses the shadow boundary too.
    expect(ctx.restrictions.isMasked(p.root.getElementById('secret') as Element)).toBe(true);

    const ctx2 = createCaptureContext(p.doc);
    ctx2.restrictions.setRules([{ id: 2, selector: '#card', kind: 'mask', urlPattern: null }]);
    text = JSON.stringify(serializeDocument(ctx2, ctx2.match()));
    expect(text).not.toContain('Shadow text');
    expect(text).not.toContain('Light title');
    expect(ctx2.restrictions.isRestricted(p.root.getElementById('inner') as Element)).toBe(true);
  });

  it('mutations inside a shadow root become ops the replica applies, masked content stays masked', () => {
    const p = page();
    const ctx = createCaptureContext(p.doc);
    ctx.restrictions.setRules([{ id: 1, selector: '.card-number', kind: 'mask', urlPattern: null }]);
    const match = ctx.match();
    const snap = serializeDocument(ctx, match);
    const doc = blankDocument();
    const mirror = createReplicaMirror();
    rebuildDocument(JSON.parse(JSON.stringify(snap)), doc, mirror);
    const take = observe(ctx, p.win);

    (p.root.getElementById('inner') as Element).firstChild!.textContent = 'Changed in the shadow';
    const b = p.doc.createElement('b');
    b.id = 'added';
    b.textContent = 'added in the shadow';
    p.root.appendChild(b);
    (p.root.getElementById('secret') as HTMLInputElement).setAttribute('value', '5500 0000 0000 0004');
    const ops = mutationsToOps(take(), ctx, { before: match, after: ctx.match() });
    expect(JSON.stringify(ops)).not.toContain('5500');
    const result = applyOps(JSON.parse(JSON.stringify(ops)) as Op[], doc, mirror);
    expect(result.skipped).toBe(0);
    const rRoot = (doc.getElementById('card') as Element).shadowRoot as ShadowRoot;
    expect(rRoot.getElementById('inner')?.firstChild?.textContent).toBe('Changed in the shadow');
    expect(rRoot.getElementById('added')?.textContent).toBe('added in the shadow');
    // Nothing of the masked rule moved: no re-send of already masked content.
    expect(ops.filter((o) => o.o === 'rm')).toEqual([]);
  });

  it('a shadow root attached later is sent with its host; removing the host forgets the root', () => {
    const p = page();
    const ctx = createCaptureContext(p.doc);
    const snap = serializeDocument(ctx);
    const doc = blankDocument();
    const mirror = createReplicaMirror();
    rebuildDocument(JSON.parse(JSON.stringify(snap)), doc, mirror);
    const take = observe(ctx, p.win);
    const after = p.doc.getElementById('after') as Element;
    const late = after.attachShadow({ mode: 'open' });
    late.innerHTML = '<em id="late">late shadow</em>';
    const ops = mutationsToOps(take(), ctx, undefined, [after]);
    applyOps(JSON.parse(JSON.stringify(ops)) as Op[], doc, mirror);
    expect((doc.getElementById('after') as Element).shadowRoot?.getElementById('late')?.textContent).toBe('late shadow');

    const rootId = ctx.mirror.getId(p.root) as number;
    p.card.remove();
    const removed = mutationsToOps(take(), ctx);
    expect(removed).toContainEqual({ o: 'rm', i: ctx.mirror.getId(p.card) ?? expect.any(Number) });
    expect(ctx.mirror.getNode(rootId)).toBeUndefined();
    applyOps(JSON.parse(JSON.stringify(removed)) as Op[], doc, mirror);
    expect(mirror.getNode(rootId)).toBeUndefined();
  });

  it('closed roots attached while attachShadow is watched are captured like open ones; earlier ones stay unread', () => {
    const p = page();
    const ctx = createCaptureContext(p.doc);
    const before = p.doc.createElement('x-before');
    before.attachShadow({ mode: 'closed' }).innerHTML = '<i>closed before the SDK</i>';
    p.doc.body.appendChild(before);
    const watch = watchShadowRoots(p.win as unknown as Window, ctx.dom);
    let closed: ShadowRoot;
    try {
      const host = p.doc.createElement('x-closed');
      closed = host.attachShadow({ mode: 'closed' });
      closed.innerHTML = '<b id="in-closed">closed content</b><input type="password" value="hunter2">';
      p.doc.body.appendChild(host);
      expect(host.shadowRoot).toBeNull();
    } finally {
      watch.unwatch();
    }
    const snap = received(serializeDocument(ctx, ctx.match()));
    const text = JSON.stringify(snap);
    expect(text).toContain('closed content');
    expect(text).not.toContain('closed before the SDK');
    // The built-in mask matched inside the closed root too.
    expect(text).not.toContain('hunter2');
    const wireHost = find(snap.doc, (n) => n.t === 1 && n.n === 'x-closed') as SerializedElement;
    expect(wireHost.c?.[0]?.t).toBe(11);
    expect(ctx.mirror.getNode(wireHost.c?.[0]?.i as number)).toBe(closed);

    // Mutations inside it are ops like any others; the replica shows it as an open root.
    const doc = blankDocument();
    const mirror = createReplicaMirror();
    rebuildDocument(JSON.parse(JSON.stringify(snap)), doc, mirror);
    const take = observe(ctx, p.win);
    (closed.getElementById('in-closed') as Element).textContent = 'changed while closed';
    const ops = mutationsToOps(take(), ctx);
    applyOps(JSON.parse(JSON.stringify(ops)) as Op[], doc, mirror);
    expect((doc.querySelector('x-closed') as Element).shadowRoot?.getElementById('in-closed')?.textContent).toBe('changed while closed');
  });

  it('hostile wire shadow roots: on elements that refuse one, twice, or as an op target are ignored', () => {
    const doc = blankDocument();
    const mirror = createReplicaMirror();
    rebuildDocument(
      {
        url: PAGE_URL,
        title: '',
        viewport: { w: 100, h: 100 },
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
                {
                  i: 3,
                  t: 1,
                  n: 'body',
                  c: [
                    { i: 4, t: 1, n: 'input', c: [{ i: 5, t: 11, c: [{ i: 6, t: 3, x: 'nope' }] }] },
                    { i: 7, t: 1, n: 'div', c: [{ i: 8, t: 11, c: [{ i: 9, t: 3, x: 'first' }] }, { i: 10, t: 11, c: [{ i: 11, t: 3, x: 'second' }] }] },
                  ],
                },
              ],
            },
          ],
        },
      },
      doc,
      mirror,
    );
    expect(mirror.getNode(5)).toBeUndefined();
    const div = mirror.getNode(7) as Element;
    expect(div.shadowRoot?.textContent).toBe('first');
    expect(mirror.getNode(10)).toBeUndefined();
    expect(applyOps([{ o: 'rm', i: 8 }], doc, mirror).skipped).toBe(1);
    expect(div.shadowRoot).not.toBeNull();
  });
});
