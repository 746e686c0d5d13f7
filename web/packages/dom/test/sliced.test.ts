/**
 * The time-sliced snapshot walk (`walkTree` with `stop` / `resume`): the page changes while the walk
 * pauses; the snapshot, then the batch built from the records of the pauses (diffed against the
 * marks the snapshot carried), must give a replica equal to the page, with masked content never
 * written unmasked.
 */

import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { SerializedDocument } from '@cobrowse/protocol';
import {
  applyOps,
  createCaptureContext,
  createReplicaMirror,
  documentSnapshot,
  mutationsToOps,
  rebuildDocument,
  startWalk,
  walkTree,
  type CaptureContext,
  type RestrictionRule,
} from '../src/index';
import { checkReplica, prng } from './harness';
import { PAGE_URL, wire } from './helpers';

const OBSERVE = { childList: true, subtree: true, attributes: true, characterData: true } as const;

/** Sections of lists: about 40 × 34 nodes, so the walk pauses a few times (every 256 nodes). */
function page(sections = 40): string {
  let html = '<!doctype html><html><head><title>t</title></head><body>';
  for (let s = 0; s < sections; s++) {
    html += `<section id="s${s}"><h2>title ${s}</h2><ul>`;
    for (let i = 0; i < 10; i++) html += `<li id="l${s}-${i}"><span class="card">card-${s}-${i}</span></li>`;
    html += '</ul></section>';
  }
  return html + '</body></html>';
}

interface Pause {
  src: Document;
  ctx: CaptureContext;
  /** Pauses so far (0 for the first). */
  n: number;
  /** True when the walk has serialized `node` (the context is fresh: ids only come from this walk). */
  walked(node: Node): boolean;
  /** The node serialized last. */
  last(): Node;
}

/**
 * Walks `html` with a pause every 256 nodes, calling `mutate` at each; then builds the replica from
 * the snapshot and the batch of the pauses' records and checks it equals the page. Returns the text
 * that went on the wire (snapshot and batch) and the number of pauses.
 */
function sliced(
  html: string,
  mutate: (p: Pause) => void,
  rules: RestrictionRule[] = [],
  setup?: (doc: Document) => void,
): { text: string; pauses: number } {
  const win = new JSDOM(html, { url: PAGE_URL }).window as unknown as Window & typeof globalThis;
  const src = win.document;
  setup?.(src);
  const ctx = createCaptureContext(src);
  ctx.restrictions.setRules(rules);
  const observer = new win.MutationObserver(() => undefined);
  observer.observe(src, OBSERVE);
  const w = startWalk(ctx);
  const sent = { mask: new Set<Element>(), control: new Set<Element>() };
  w.sent = sent;
  const walk = walkTree(src, w);
  const records: MutationRecord[] = [];
  let pauses = 0;
  const last = (): Node => {
    let id = 2;
    while (ctx.mirror.getNode(id + 1) !== undefined) id++;
    return ctx.mirror.getNode(id) as Node;
  };
  while (!walk.run(() => true)) {
    // What the SDK does before it yields: observe the shadow roots met so far.
    for (const root of ctx.takeNewShadowRoots()) observer.observe(root, OBSERVE);
    mutate({ src, ctx, n: pauses++, walked: (node) => ctx.mirror.getId(node) !== undefined, last });
    const recs = observer.takeRecords();
    records.push(...recs);
    walk.resume(recs, recs.length > 0 ? ctx.match() : null);
  }
  const snapshot = wire(documentSnapshot(w, walk.out as SerializedDocument));
  const rep = new JSDOM('').window.document;
  const mirror = createReplicaMirror();
  rebuildDocument(snapshot, rep, mirror);
  records.push(...observer.takeRecords());
  const ops = wire(mutationsToOps(records, ctx, { before: sent, after: ctx.match() }));
  applyOps(ops, rep, mirror);
  checkReplica(src, ctx, rep, mirror);
  return { text: JSON.stringify(snapshot) + JSON.stringify(ops), pauses };
}

const byId = (doc: Document, id: string): Element => doc.getElementById(id) as Element;
const el = (doc: Document, html: string): Element => {
  const t = doc.createElement('template');
  t.innerHTML = html;
  return t.content.firstElementChild as Element;
};
/** The last section the walk has not reached at all, and the first it has finished. */
const unwalkedSection = (p: Pause) => byId(p.src, 's39');
const walkedSection = (p: Pause) => byId(p.src, 's0');
/** The next sibling of `node` or of its nearest ancestor that has one: a node a level's cursor is on. */
const nextUp = (node: Node): Node | null => {
  for (let n: Node | null = node; n !== null; n = n.parentNode) if (n.nextSibling !== null) return n.nextSibling;
  return null;
};

describe('time-sliced snapshot walk', () => {
  it('pauses on a page larger than a slice, and the replica equals an unchanged page', () => {
    const { pauses } = sliced(page(), () => {});
    expect(pauses).toBeGreaterThan(3);
  });

  it('nodes added and removed in the walked and the unwalked part', () => {
    sliced(page(), (p) => {
      if (p.n !== 1) return;
      expect(p.walked(walkedSection(p))).toBe(true);
      expect(p.walked(unwalkedSection(p))).toBe(false);
      walkedSection(p).append(el(p.src, '<p>added where walked</p>'));
      unwalkedSection(p).prepend(el(p.src, '<p>added where not walked yet</p>'));
      byId(p.src, 'l0-3').remove();
      byId(p.src, 'l39-3').remove();
      p.src.body.append('a text at the end');
    });
  });

  it('nodes moved from the unwalked part into the walked part and back', () => {
    sliced(page(), (p) => {
      if (p.n !== 1) return;
      walkedSection(p).append(byId(p.src, 'l39-5'));
      byId(p.src, 's38').prepend(byId(p.src, 'l0-5'));
      // Moved twice within the pause.
      const li = byId(p.src, 'l1-1');
      byId(p.src, 's37').append(li);
      byId(p.src, 's2').append(li);
    });
  });

  it('attribute and text changes on both sides', () => {
    sliced(page(), (p) => {
      if (p.n !== 1) return;
      byId(p.src, 'l0-1').setAttribute('title', 'walked');
      byId(p.src, 'l39-1').setAttribute('title', 'not walked');
      (byId(p.src, 'l0-2').firstChild as Element).textContent = 'new text, walked';
      ((byId(p.src, 'l39-2').firstChild as Element).firstChild as Text).data = 'new text, not walked';
    });
  });

  it('the element being walked moves away, is removed, or its children are reordered', () => {
    for (const what of ['move', 'remove', 'reorder', 'move-grandparent', 'clear-body', 'remove-next', 'move-next', 'move-next-late']) {
      sliced(page(), (p) => {
        if (p.n !== 1) return;
        const last = p.last();
        const parent = last.parentNode as Element;
        expect(parent.nodeType).toBe(1);
        switch (what) {
          case 'move':
            p.src.body.append(parent);
            break;
          case 'remove':
            parent.remove();
            break;
          case 'reorder':
            // The last walked child goes to the end: its siblings after it (not walked yet) must
            // not be lost, the walked ones before it not sent twice.
            parent.append(last);
            parent.insertBefore(parent.lastChild as Node, parent.firstChild);
            break;
          case 'move-grandparent':
            p.src.body.prepend((parent.parentNode as Element).parentNode as Element);
            break;
          case 'remove-next':
            // The next nodes to walk on two levels leave: the walk must not stop short there.
            last.nextSibling?.remove();
            (nextUp(parent) as ChildNode).remove();
            break;
          case 'move-next':
            // The next node to walk moves into the walked part: its new siblings are not this
            // level's children.
            walkedSection(p).prepend(nextUp(parent) as Node);
            break;
          case 'move-next-late':
            // …or further on, where the walk meets it again.
            unwalkedSection(p).prepend(nextUp(parent) as Node);
            break;
          case 'clear-body':
            p.src.body.replaceChildren(el(p.src, '<p>all new</p>'));
            break;
        }
      });
    }
  });

  it('never writes unmasked what became masked while the walk paused', () => {
    const rules: RestrictionRule[] = [
      { id: 1, selector: '.secret', kind: 'mask', urlPattern: null },
      { id: 2, selector: '.private-mode section.late .card', kind: 'mask', urlPattern: null },
    ];
    const { text } = sliced(
      page(),
      (p) => {
        if (p.n !== 1) return;
        // Not walked yet: becomes masked by its own class.
        byId(p.src, 'l39-4').classList.add('secret');
        // New masked elements, on both sides.
        walkedSection(p).append(el(p.src, '<div class="secret">confidential-walked</div>'));
        unwalkedSection(p).append(el(p.src, '<div class="secret">confidential-unwalked</div>'));
        // Moved into a masked element that is not walked yet.
        byId(p.src, 'l38-0').classList.add('secret');
        byId(p.src, 'l38-0').append(byId(p.src, 'l37-7'));
        // Masked through an ancestor's class (a selector the element itself did not change for).
        for (const s of ['s30', 's31']) byId(p.src, s).classList.add('late');
        p.src.body.classList.add('private-mode');
      },
      rules,
    );
    for (const secret of ['card-39-4', 'confidential-walked', 'confidential-unwalked', 'card-37-7', 'card-30-', 'card-31-']) {
      expect(text).not.toContain(secret);
    }
    // Content not masked is there.
    expect(text).toContain('card-39-5');
  });

  it('an element unmasked while the walk paused arrives unmasked', () => {
    const { text } = sliced(
      page().replace('id="s39"', 'id="s39" class="secret"'),
      (p) => {
        if (p.n === 1) byId(p.src, 's39').classList.remove('secret');
      },
      [{ id: 1, selector: '.secret', kind: 'mask', urlPattern: null }],
    );
    expect(text).toContain('card-39-4');
  });

  it('changes inside an open shadow root the walk is in', () => {
    let changed = false;
    sliced(
      page(20),
      (p) => {
        const root = byId(p.src, 'host').shadowRoot as ShadowRoot;
        if (changed || !p.walked(root.firstChild as Node) || p.walked(root.lastChild as Node)) return;
        changed = true;
        root.append(el(p.src, '<p>added in the root</p>'));
        (root.lastElementChild?.previousElementSibling as Element).remove();
        root.prepend(root.lastElementChild as Element);
        (p.last().parentNode as Element).remove();
      },
      [],
      (doc) => {
        const host = doc.createElement('div');
        host.id = 'host';
        byId(doc, 's10').prepend(host);
        const root = host.attachShadow({ mode: 'open' });
        for (let i = 0; i < 600; i++) root.append(el(doc, `<p>shadow ${i}</p>`));
      },
    );
    expect(changed).toBe(true);
  });

  it('random changes at every pause (seeded)', () => {
    const rules: RestrictionRule[] = [{ id: 1, selector: '.secret', kind: 'mask', urlPattern: null }];
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = prng(seed);
      const pick = <T>(list: ArrayLike<T>): T => list[Math.floor(rnd() * list.length)] as T;
      let made = 0;
      sliced(
        page(),
        (p) => {
          const count = 1 + Math.floor(rnd() * 6);
          for (let k = 0; k < count; k++) {
            const all = p.src.body.querySelectorAll('*');
            const target = pick(all);
            switch (Math.floor(rnd() * 7)) {
              case 0:
                target.append(el(p.src, `<b class="${rnd() < 0.3 ? 'secret' : 'x'}">new ${made++}</b>`));
                break;
              case 1:
                if (target !== p.src.body) target.remove();
                break;
              case 2: {
                const to = pick(all);
                if (to !== target && !target.contains(to)) to.insertBefore(target, rnd() < 0.5 ? to.firstChild : null);
                break;
              }
              case 3:
                target.classList.toggle('secret');
                break;
              case 4:
                target.setAttribute('data-n', String(made++));
                break;
              case 5:
                if (target.firstChild?.nodeType === 3) (target.firstChild as Text).data = `changed ${made++}`;
                break;
              case 6:
                target.parentNode?.insertBefore(target, target.parentNode.firstChild);
                break;
            }
          }
        },
        rules,
      );
    }
  }, 120_000);
});
