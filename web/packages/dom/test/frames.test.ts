/**
 * Same-origin frames (docs/PROTOCOL.md, "Frames"): a frame's document travels as the only child of
 * its `<iframe>`, with ids from the page's mirror; mutations inside frames become ops like any
 * other; restrictions and masking apply inside frames (each document by its own URL, `about:` frames
 * by their parent's); the replica builds the documents inside its own inert frames; unreadable frames
 * are `xo` placeholders.
 */

import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { FullSnapshot, Op, SerializedDocument, SerializedElement, SerializedNode } from '@cobrowse/protocol';
import {
  applyOps,
  createCaptureContext,
  createReplicaMirror,
  mutationsToOps,
  rebuildDocument,
  restrictedAncestor,
  RESTRICTED_ATTRIBUTE,
  scrollOp,
  serializeDocument,
  type CaptureContext,
  type ReplicaMirror,
} from '../src/index';
import { PAGE_URL, received } from './helpers';

interface Page {
  doc: Document;
  win: Window & typeof globalThis;
}

function page(body: string, url = PAGE_URL): Page {
  const dom = new JSDOM(`<!DOCTYPE html><html><head><title>t</title></head><body>${body}</body></html>`, { url });
  return { doc: dom.window.document, win: dom.window as unknown as Window & typeof globalThis };
}

/** Writes `body` into the (about:blank) document of the frame `#id` of `doc`; returns that document. */
function fill(doc: Document, id: string, body: string): Document {
  const frame = doc.getElementById(id) as HTMLIFrameElement;
  const inner = frame.contentDocument as Document;
  inner.open();
  inner.write(`<!DOCTYPE html><html><head></head><body>${body}</body></html>`);
  inner.close();
  return inner;
}

/** A page with a frame `#outer` holding text, a password field and a frame `#inner` two levels down. */
function nested(): { p: Page; outer: Document; inner: Document } {
  const p = page('<h1>top</h1><iframe id="outer" style="width:300px;height:200px"></iframe>');
  const outer = fill(p.doc, 'outer', '<p id="o">outer text</p><input type="password" id="pw"><iframe id="inner"></iframe>');
  outer.getElementById('pw')?.setAttribute('value', 'hunter2-secret');
  (outer.getElementById('pw') as HTMLInputElement).value = 'hunter2-secret';
  const inner = fill(outer, 'inner', '<p id="i">inner text</p><span class="secret">card 4111</span>');
  return { p, outer, inner };
}

function find(root: SerializedNode, pred: (n: SerializedNode) => boolean): SerializedNode | undefined {
  const stack: SerializedNode[] = [root];
  while (stack.length) {
    const n = stack.pop() as SerializedNode;
    if (pred(n)) return n;
    if ((n.t === 1 || n.t === 9) && n.c) stack.push(...n.c);
  }
  return undefined;
}

function byId(root: SerializedNode, id: string): SerializedElement | undefined {
  return find(root, (n) => n.t === 1 && n.a?.['id'] === id) as SerializedElement | undefined;
}

function allIds(root: SerializedNode): number[] {
  const out: number[] = [];
  const stack: SerializedNode[] = [root];
  while (stack.length) {
    const n = stack.pop() as SerializedNode;
    out.push(n.i);
    if ((n.t === 1 || n.t === 9) && n.c) stack.push(...n.c);
  }
  return out;
}

/** A replica: a blank JSDOM document (frames get documents there too). */
function replica(snapshot: FullSnapshot): { doc: Document; mirror: ReplicaMirror; built: Document[]; placeholders: Document[] } {
  const doc = new JSDOM('').window.document;
  const mirror = createReplicaMirror();
  const built: Document[] = [];
  const placeholders: Document[] = [];
  rebuildDocument(JSON.parse(JSON.stringify(snapshot)) as FullSnapshot, doc, mirror, {
    frameDocument: (d) => built.push(d),
    frameNotShared: (d) => placeholders.push(d),
  });
  return { doc, mirror, built, placeholders };
}

function frameDoc(doc: Document, selector: string): Document {
  return (doc.querySelector(selector) as HTMLIFrameElement).contentDocument as Document;
}

/** Records of `docs` collected by one observer of the top window, as the capture does. */
function observe(ctx: CaptureContext, win: Window & typeof globalThis): () => MutationRecord[] {
  const records: MutationRecord[] = [];
  const observer = new win.MutationObserver((r) => records.push(...r));
  for (const d of ctx.documents()) observer.observe(d, { childList: true, subtree: true, attributes: true, characterData: true });
  return () => {
    records.push(...observer.takeRecords());
    const out = records.splice(0);
    return out;
  };
}

describe('frames in snapshots', () => {
  it('a same-origin frame carries its document as its only child, nested, ids from one mirror', () => {
    const { p } = nested();
    const ctx = createCaptureContext(p.doc);
    const snap = received(serializeDocument(ctx));
    const outer = byId(snap.doc, 'outer') as SerializedElement;
    expect(outer.c).toHaveLength(1);
    const outerDoc = outer.c?.[0] as SerializedDocument;
    expect(outerDoc.t).toBe(9);
    expect(outerDoc.i).not.toBe(1);
    expect(byId(outerDoc, 'o')).toBeDefined();
    const inner = byId(outerDoc, 'inner') as SerializedElement;
    expect((inner.c?.[0] as SerializedDocument).t).toBe(9);
    expect(JSON.stringify(inner)).toContain('inner text');
    const ids = allIds(snap.doc);
    expect(new Set(ids).size).toBe(ids.length);
    // No src, srcdoc nor sandbox of the page's frames travel.
    expect(outer.a?.['src']).toBeUndefined();
    expect(ctx.documents()).toHaveLength(3);
  });

  it('masks inside frames: defaults and rules by the frame document (about: frames by their parent URL)', () => {
    const { p } = nested();
    const ctx = createCaptureContext(p.doc);
    ctx.restrictions.setRules([{ id: 1, selector: '.secret', kind: 'mask', urlPattern: 'page\\.html' }]);
    const text = JSON.stringify(serializeDocument(ctx));
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('4111');
    expect(text).toContain('inner text');
    // A rule scoped to another page does not apply to this page's frames.
    ctx.restrictions.setRules([{ id: 1, selector: '.secret', kind: 'mask', urlPattern: 'other\\.html' }]);
    expect(JSON.stringify(serializeDocument(ctx))).toContain('4111');
  });

  it('a frame inside a masked element is masked; agent input checks cross frames', () => {
    const p = page('<div class="zone"><iframe id="f"></iframe></div>');
    const inner = fill(p.doc, 'f', '<p id="x">private words</p><button id="b" type="button">b</button>');
    const ctx = createCaptureContext(p.doc);
    ctx.restrictions.setRules([{ id: 1, selector: '.zone', kind: 'control', urlPattern: null }]);
    expect(ctx.restrictions.isRestricted(inner.getElementById('b') as Element)).toBe(true);
    expect(ctx.restrictions.isMasked(inner.getElementById('b') as Element)).toBe(false);
    ctx.restrictions.setRules([{ id: 1, selector: '.zone', kind: 'mask', urlPattern: null }]);
    expect(ctx.restrictions.isMasked(inner.getElementById('x') as Element)).toBe(true);
    expect(JSON.stringify(serializeDocument(ctx))).not.toContain('private');
  });

  it('the replica builds frame documents inside inert frames; unreadable frames get the placeholder', () => {
    const { p } = nested();
    const ctx = createCaptureContext(p.doc);
    const snap = serializeDocument(ctx);
    const r = replica(snap);
    const outerFrame = r.doc.getElementById('outer') as HTMLIFrameElement;
    expect(outerFrame.getAttribute('sandbox')).toBe('allow-same-origin');
    expect(outerFrame.hasAttribute('src')).toBe(false);
    expect(outerFrame.getAttribute('style')).toContain('width:300px');
    const outer = frameDoc(r.doc, '#outer');
    expect(outer.getElementById('o')?.textContent).toBe('outer text');
    const inner = frameDoc(outer, '#inner');
    expect(inner.getElementById('i')?.textContent).toBe('inner text');
    expect(r.built).toEqual([inner, outer]);
    // Ids resolve to the frame nodes.
    const id = ctx.mirror.getId(p.doc.getElementById('outer')?.ownerDocument as Document);
    expect(id).toBe(1);

    // A frame marked `xo` (as an unreadable one is sent) gets the viewer's placeholder.
    const forged = JSON.parse(JSON.stringify(snap)) as FullSnapshot;
    const outerWire = byId(forged.doc, 'outer') as SerializedElement;
    delete outerWire.c;
    outerWire.xo = true;
    const r2 = replica(forged);
    expect(r2.placeholders).toHaveLength(1);
    expect(r2.placeholders[0]).toBe(frameDoc(r2.doc, '#outer'));
  });

  it('a hostile wire frame gets no src, no srcdoc, no scripts, and its sandbox forced', () => {
    const doc = new JSDOM('').window.document;
    const mirror = createReplicaMirror();
    const snap: FullSnapshot = {
      url: PAGE_URL,
      title: '',
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
              {
                i: 3,
                t: 1,
                n: 'body',
                c: [
                  {
                    i: 4,
                    t: 1,
                    n: 'iframe',
                    a: { src: 'https://evil.example/', srcdoc: '<script>1</script>', sandbox: 'allow-scripts' },
                    c: [{ i: 5, t: 9, c: [{ i: 6, t: 1, n: 'html', c: [{ i: 7, t: 1, n: 'script', c: [{ i: 8, t: 3, x: 'x()' }] }] }] }],
                  },
                ],
              },
            ],
          },
        ],
      },
    };
    rebuildDocument(snap, doc, mirror);
    const frame = doc.querySelector('iframe') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('allow-same-origin');
    expect(frame.hasAttribute('src')).toBe(false);
    expect(frame.hasAttribute('srcdoc')).toBe(false);
    const inner = frame.contentDocument as Document;
    expect(inner.querySelector('script')).toBeNull();
    expect(mirror.getNode(5)).toBe(inner);
    // An attr op cannot give the frame a source or another sandbox.
    applyOps(
      [
        { o: 'attr', i: 4, k: 'src', v: 'https://evil.example/' },
        { o: 'attr', i: 4, k: 'sandbox', v: 'allow-scripts allow-same-origin' },
      ],
      doc,
      mirror,
    );
    expect(frame.hasAttribute('src')).toBe(false);
    expect(frame.getAttribute('sandbox')).toBe('allow-same-origin');
    // Removing the frame forgets its document's nodes; an rm of a document is refused.
    expect(applyOps([{ o: 'rm', i: 5 }], doc, mirror).skipped).toBe(1);
    applyOps([{ o: 'rm', i: 4 }], doc, mirror);
    expect(mirror.getNode(5)).toBeUndefined();
    expect(mirror.getNode(6)).toBeUndefined();
  });
});

describe('frames in batches', () => {
  it('changes inside a nested frame become ops the replica applies', () => {
    const { p, inner, outer } = nested();
    const ctx = createCaptureContext(p.doc);
    const snap = serializeDocument(ctx);
    const r = replica(snap);
    const take = observe(ctx, p.win);

    (inner.getElementById('i') as Element).firstChild!.textContent = 'inner changed';
    const added = inner.createElement('b');
    added.textContent = 'new in inner';
    inner.body.appendChild(added);
    (outer.getElementById('o') as Element).setAttribute('title', 'outer title');
    const ops = mutationsToOps(take(), ctx);
    expect(ops.map((o) => o.o).sort()).toEqual(['add', 'attr', 'text']);
    const result = applyOps(JSON.parse(JSON.stringify(ops)) as Op[], r.doc, r.mirror);
    expect(result.skipped).toBe(0);
    const rOuter = frameDoc(r.doc, '#outer');
    const rInner = frameDoc(rOuter, '#inner');
    expect(rInner.getElementById('i')?.textContent).toBe('inner changed');
    expect(rInner.body.lastElementChild?.textContent).toBe('new in inner');
    expect(rOuter.getElementById('o')?.getAttribute('title')).toBe('outer title');
  });

  it('content added inside a masked frame element, and typed into a frame password, stays masked', () => {
    const { p, inner, outer } = nested();
    const ctx = createCaptureContext(p.doc);
    ctx.restrictions.setRules([{ id: 1, selector: '#inner', kind: 'mask', urlPattern: null }]);
    const snap = serializeDocument(ctx, ctx.match());
    expect(JSON.stringify(snap)).not.toContain('inner text');
    const take = observe(ctx, p.win);
    const b = inner.createElement('b');
    b.textContent = 'late secret words';
    inner.body.appendChild(b);
    (outer.getElementById('pw') as HTMLInputElement).setAttribute('value', 'typed-secret');
    const ops = mutationsToOps(take(), ctx);
    const text = JSON.stringify(ops);
    expect(ops.some((o) => o.o === 'add')).toBe(true);
    expect(text).not.toContain('late secret');
    expect(text).not.toContain('typed-secret');
  });

  it('a frame whose document changed is re-sent with its new content; the old ids are forgotten', () => {
    const p = page('<iframe id="f"></iframe><p>after</p>');
    const first = fill(p.doc, 'f', '<p id="one">first</p>');
    const ctx = createCaptureContext(p.doc);
    const snap = serializeDocument(ctx);
    const r = replica(snap);
    const frame = p.doc.getElementById('f') as HTMLIFrameElement;
    const firstP = first.getElementById('one') as Element;
    expect(ctx.mirror.getId(firstP)).toBeDefined();

    // Simulate a navigation: the capture records another document for the frame element.
    const other = new JSDOM('<!DOCTYPE html><html><body><p id="two">second</p></body></html>', { url: PAGE_URL }).window.document;
    Object.defineProperty(frame, 'contentDocument', { configurable: true, get: () => other });
    const ops = mutationsToOps([], ctx, undefined, [frame]);
    expect(ops[0]).toEqual({ o: 'rm', i: ctx.mirror.getId(frame) });
    expect(ops[1]?.o).toBe('add');
    expect(ctx.mirror.getId(firstP)).toBeUndefined();
    applyOps(JSON.parse(JSON.stringify(ops)) as Op[], r.doc, r.mirror);
    expect(frameDoc(r.doc, '#f').getElementById('two')?.textContent).toBe('second');
    expect(r.doc.getElementById('f')?.nextElementSibling?.textContent).toBe('after');
  });

  it('a frame removed from the page is forgotten with its document', () => {
    const { p, inner } = nested();
    const ctx = createCaptureContext(p.doc);
    serializeDocument(ctx);
    const take = observe(ctx, p.win);
    const innerP = inner.getElementById('i') as Element;
    expect(ctx.mirror.getId(innerP)).toBeDefined();
    const outerFrame = p.doc.getElementById('outer') as Element;
    const id = ctx.mirror.getId(outerFrame);
    outerFrame.remove();
    const ops = mutationsToOps(take(), ctx);
    // (jsdom empties a removed frame's document too: those nodes' rm ops are harmless.)
    expect(ops).toContainEqual({ o: 'rm', i: id });
    expect(ops.every((o) => o.o === 'rm')).toBe(true);
    expect(ctx.mirror.getId(innerP)).toBeUndefined();
  });

  it('a frame window scroll is a scroll op of the frame document', () => {
    const { p, outer } = nested();
    const ctx = createCaptureContext(p.doc);
    serializeDocument(ctx);
    const op = scrollOp(outer, ctx);
    expect(op).toEqual({ o: 'scroll', i: ctx.mirror.getId(outer), x: 0, y: 0 });
    expect(op?.o === 'scroll' && op.i).not.toBe(1);
  });

  it('replica marks inside frames count for their frame element (no input aimed there)', () => {
    const p = page('<div id="zone"><iframe id="f"></iframe></div>');
    fill(p.doc, 'f', '<button id="b" type="button">b</button>');
    const ctx = createCaptureContext(p.doc);
    ctx.restrictions.setRules([{ id: 1, selector: '#zone', kind: 'control', urlPattern: null }]);
    const r = replica(serializeDocument(ctx));
    expect(r.doc.getElementById('zone')?.getAttribute(RESTRICTED_ATTRIBUTE)).toBe('control');
    const b = frameDoc(r.doc, '#f').getElementById('b');
    expect(restrictedAncestor(b)).toBe(r.doc.getElementById('zone'));
  });
});

describe('frame elements and `<noscript>` told by their wire names', () => {
  const find = (n: SerializedNode, name: string, ns?: string): SerializedElement | undefined => {
    if (n.t === 1 && n.n === name && n.ns === ns) return n;
    for (const c of 'c' in n && n.c ? n.c : []) {
      const f = find(c, name, ns);
      if (f !== undefined) return f;
    }
    return undefined;
  };

  it('walks the children of an `iframe` or `noscript` outside the HTML namespace, not of HTML ones', () => {
    const { doc } = page('<iframe id="f"></iframe><noscript><b>no</b></noscript>');
    const svg = doc.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const svgFrame = doc.createElementNS('http://www.w3.org/2000/svg', 'iframe');
    svgFrame.appendChild(doc.createTextNode('svg iframe text'));
    const svgNoscript = doc.createElementNS('http://www.w3.org/2000/svg', 'noscript');
    svgNoscript.appendChild(doc.createTextNode('never'));
    svg.append(svgFrame, svgNoscript);
    doc.body.appendChild(svg);
    fill(doc, 'f', '<p>inside</p>');
    const snap = serializeDocument(createCaptureContext(doc));
    // An HTML iframe carries its document, an SVG one its own children.
    const frame = find(snap.doc, 'iframe') as SerializedElement;
    expect(frame.c?.map((c) => c.t)).toEqual([9]);
    const foreign = find(snap.doc, 'iframe', 'svg') as SerializedElement;
    expect(foreign.c).toEqual([expect.objectContaining({ t: 3, x: 'svg iframe text' })]);
    // `<noscript>` children are never captured, in any namespace.
    expect(find(snap.doc, 'noscript')?.c).toBeUndefined();
    expect(find(snap.doc, 'noscript', 'svg')?.c).toBeUndefined();
  });
});
