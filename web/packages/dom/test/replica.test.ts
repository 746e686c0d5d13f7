/**
 * The replica as an untrusted-input consumer (malicious snapshots and ops), stylesheets, form state,
 * scroll, the mirrors, and capture on hostile pages.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { FullSnapshot, Op, SerializedElement, SerializedNode } from '@cobrowse/protocol';
import {
  applyOps,
  createCaptureContext,
  createCaptureMirror,
  createReplicaMirror,
  linkElementCss,
  rebuildDocument,
  restoreImplicitIds,
  serializeDocument,
  serializeNode,
} from '../src/index';
import { blankDocument, comparable, corpusRoot, parse, received, replicaOf, wire } from './helpers';

function snapshotOf(children: SerializedNode[], quirks = false): FullSnapshot {
  return {
    url: 'https://shop.example/page.html',
    title: '',
    viewport: { w: 800, h: 600 },
    scroll: [0, 0],
    doc: { i: 1, t: 9, ...(quirks ? { quirks: true } : {}), c: children },
  };
}

function page(head: SerializedNode[], body: SerializedNode[]): FullSnapshot {
  return snapshotOf([
    { i: 2, t: 10, n: 'html' },
    { i: 3, t: 1, n: 'html', c: [{ i: 4, t: 1, n: 'head', c: head }, { i: 5, t: 1, n: 'body', c: body }] },
  ]);
}

describe('rebuild from a malicious snapshot', () => {
  const evil = page(
    [
      { i: 10, t: 1, n: 'meta', a: { 'http-equiv': 'refresh', content: '0;url=https://elsewhere.test' } },
      { i: 11, t: 1, n: 'base', a: { href: 'https://evil.test/' } },
      { i: 12, t: 1, n: 'script', a: { src: 'https://evil.test/x.js' }, c: [{ i: 13, t: 3, x: 'alert(1)' }] },
    ],
    [
      { i: 20, t: 1, n: 'img', a: { src: 'i.png', onerror: 'alert(1)', OnLoad: 'alert(1)' } },
      { i: 21, t: 1, n: 'a', a: { href: ' JaVaScRiPt:alert(1)' }, c: [{ i: 22, t: 3, x: 'link' }] },
      { i: 23, t: 1, n: 'iframe', a: { src: 'https://evil.test/', srcdoc: '<script>alert(1)</script>' } },
      { i: 24, t: 1, n: 'object', a: { data: 'x.swf' } },
      { i: 25, t: 1, n: 'embed', a: { src: 'x.swf' } },
      { i: 26, t: 1, n: 'form', a: { action: 'java\tscript:alert(1)' }, c: [
        { i: 27, t: 1, n: 'button', a: { formaction: 'vbscript:x', autofocus: '' } },
      ] },
      { i: 28, t: 1, n: 'SCRIPT', c: [{ i: 29, t: 3, x: 'alert(2)' }] },
      { i: 30, t: 1, n: 'svg', ns: 'svg', c: [
        { i: 31, t: 1, n: 'script', ns: 'svg', c: [{ i: 32, t: 3, x: 'alert(3)' }] },
        { i: 33, t: 1, n: 'a', ns: 'svg', a: { 'xlink:href': 'javascript:alert(4)' } },
        { i: 34, t: 1, n: 'set', ns: 'svg', a: { attributeName: 'href', to: 'javascript:alert(5)' } },
      ] },
      { i: 35, t: 1, n: 'noscript', c: [{ i: 36, t: 1, n: 'img', a: { src: 'x' } }] },
      { i: 37, t: 1, n: 'alt=""', a: { "''": 'x', 'ok': 'y' }, c: [{ i: 38, t: 3, x: 'Hello' }] },
    ],
  );

  it('enforces the safety rules whatever arrives', () => {
    const { doc, mirror } = replicaOf(wire(evil));
    const html = doc.documentElement.outerHTML;
    expect(html).not.toMatch(/alert|evil\.test|x\.swf|srcdoc|autofocus|http-equiv|vbscript/i);
    expect(doc.querySelectorAll('script').length).toBe(0);
    expect(doc.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'script').length).toBe(0);
    // Scripts are placeholders registered under their ids; their children do not exist.
    for (const id of [12, 28, 31]) expect(mirror.getNode(id)?.nodeType).toBe(8);
    for (const id of [13, 29, 32, 36]) expect(mirror.getNode(id)).toBeUndefined();
    expect(doc.querySelector('noscript')?.childNodes.length).toBe(0);
    expect(doc.querySelector('img')?.getAttribute('src')).toBe('https://shop.example/i.png');
    // Invalid names: a span, the invalid attribute skipped, the rest kept.
    const span = mirror.getNode(37) as Element;
    expect(span.localName).toBe('span');
    expect(span.getAttribute('ok')).toBe('y');
    expect(span.textContent).toBe('Hello');
  });

  it('survives malformed input without throwing', () => {
    const garbage = snapshotOf([
      { i: 2, t: 1, n: 'html', c: [
        null as unknown as SerializedNode,
        { i: 3, t: 9, c: [] } as SerializedNode,
        { i: 4, t: 77 } as unknown as SerializedNode,
        { i: 'x', t: 1, n: 'div', a: { a: 1, b: null, c: 'ok' }, c: 'nope' } as unknown as SerializedNode,
        { i: 5, t: 10, n: 'html' },
        { i: 6, t: 3 } as unknown as SerializedNode,
        { i: -1, t: 1, n: 42, ns: 'evil' } as unknown as SerializedNode,
        { i: 7, t: 4, x: 'cdata in html' },
      ] },
      { i: 8, t: 1, n: 'html' },
      { i: 9, t: 3, x: 'text under the document' },
    ]);
    const doc = blankDocument();
    const mirror = createReplicaMirror();
    expect(() => rebuildDocument(garbage, doc, mirror)).not.toThrow();
    expect(doc.documentElement.localName).toBe('html');
    expect(mirror.getNode(8)).toBeUndefined(); // second root element refused
    expect(mirror.getNode(9)).toBeUndefined();
    expect(mirror.getNode(5)).toBeUndefined(); // doctype inside an element refused
    expect(mirror.getNode(7)?.nodeType).toBe(3); // no CDATA sections in HTML documents
    expect(doc.querySelector('div')?.getAttribute('c')).toBe('ok');
  });

  it('an id sent twice in a snapshot names the last node built, the first one none', () => {
    const { doc, mirror } = replicaOf(wire(page([], [{ i: 10, t: 1, n: 'p' }, { i: 10, t: 1, n: 'div' }, { i: 11, t: 3, x: 't' }])));
    const p = doc.querySelector('p') as Element;
    const div = doc.querySelector('div') as Element;
    expect(mirror.getNode(10)).toBe(div);
    expect(mirror.getId(div)).toBe(10);
    expect(mirror.getId(p)).toBeUndefined();
    expect(mirror.getId(mirror.getNode(11) as Node)).toBe(11);
  });

  it('quirks mode', () => {
    const { doc } = replicaOf(snapshotOf([{ i: 2, t: 1, n: 'html' }], true));
    expect(doc.compatMode).toBe('BackCompat');
    expect(replicaOf(page([], [])).doc.compatMode).toBe('CSS1Compat');
  });

  it('ops: unsafe content, unknown ids and garbage are skipped, nothing throws', () => {
    const { doc, mirror } = replicaOf(wire(page([], [{ i: 10, t: 1, n: 'div', c: [{ i: 11, t: 3, x: 't' }] }])));
    const ops = [
      { o: 'add', p: 10, nx: null, n: { i: 20, t: 1, n: 'script', c: [{ i: 21, t: 3, x: 'alert(1)' }] } },
      { o: 'attr', i: 10, k: 'onclick', v: 'alert(1)' },
      { o: 'attr', i: 10, k: 'style', v: 'background: url(bg.png)' },
      { o: 'add', p: 10, nx: null, n: { i: 22, t: 1, n: 'a', a: { href: 'javascript:alert(1)' } } },
      { o: 'attr', i: 22, k: 'href', v: 'javascript:alert(2)' },
      { o: 'attr', i: 22, k: '"bad name', v: 'x' },
      { o: 'add', p: 20, nx: null, n: { i: 23, t: 3, x: 'into the placeholder' } },
      { o: 'add', p: 10, nx: 999, n: { i: 24, t: 3, x: 'unknown next sibling' } },
      { o: 'add', p: 10, nx: 5, n: { i: 25, t: 3, x: 'next sibling elsewhere' } },
      { o: 'add', p: 999, nx: null, n: { i: 26, t: 3, x: 'unknown parent' } },
      { o: 'add', p: 10, nx: null, n: { i: 27, t: 10, n: 'html' } },
      { o: 'rm', i: 1 },
      { o: 'rm', i: 999 },
      { o: 'text', i: 10, x: 'not a text node' },
      { o: 'val', i: 999, v: 'x' },
      { o: 'css', i: 10, css: 'p{}' },
      { o: 'nope' },
      null,
      42,
    ] as unknown as Op[];
    const result = applyOps(ops, doc, mirror);
    expect(result).toEqual({ applied: 5, skipped: 14 });
    const html = doc.documentElement.outerHTML;
    expect(html).not.toMatch(/alert|javascript|<script/i);
    expect(mirror.getNode(20)?.nodeType).toBe(8);
    expect(doc.querySelector('div')?.getAttribute('style')).toBe('background: url(https://shop.example/bg.png)');
  });

  it('an add whose id is present moves the node (no duplicate)', () => {
    const { doc, mirror } = replicaOf(wire(page([], [{ i: 10, t: 1, n: 'p' }, { i: 11, t: 1, n: 'div' }])));
    applyOps([{ o: 'add', p: 11, nx: null, n: { i: 10, t: 1, n: 'p' } }], doc, mirror);
    expect(doc.querySelectorAll('p').length).toBe(1);
    expect(mirror.getNode(10)?.parentNode).toBe(mirror.getNode(11));
  });
});

describe('stylesheets', () => {
  it('CSS-in-JS: rules inserted into <style>s travel as css and are rebuilt through the CSSOM', () => {
    const source = parse('<!DOCTYPE html><head><style></style><style>a { color: red }</style><style>b { }</style></head><body></body>');
    const [empty, withText, untouched] = [...source.querySelectorAll('style')] as HTMLStyleElement[];
    empty?.sheet?.insertRule('p { background: url(bg.png) }', 0);
    withText?.sheet?.insertRule('i { color: blue }', 1);
    const first = received(serializeDocument(createCaptureContext(source)));
    const styles = (first.doc.c[1] as SerializedElement).c?.[0] as SerializedElement;
    const [s1, s2, s3] = styles.c as SerializedElement[];
    expect(s1?.css).toContain('http://localhost:3030/html/bg.png');
    expect(s2?.css).toContain('i {');
    expect(s2?.c).toEqual([{ i: expect.any(Number), t: 3, x: 'a { color: red }' }]);
    expect(s3?.css).toBeUndefined();
    expect(untouched).toBeDefined();

    const { doc } = replicaOf(wire(first));
    const rules = (el: Element | undefined) => [...((el as HTMLStyleElement).sheet?.cssRules ?? [])].map((r) => r.cssText);
    const replicaStyles = [...doc.querySelectorAll('style')];
    expect(rules(replicaStyles[0])).toEqual(rules(empty).map((r) => r.replace('bg.png', 'http://localhost:3030/html/bg.png')));
    expect(rules(replicaStyles[1])).toEqual(rules(withText));
    expect(replicaStyles[1]?.textContent).toBe('a { color: red }');
    // And the replica serializes to the same thing.
    expect(comparable(serializeDocument(createCaptureContext(doc)))).toEqual(comparable(first));
  });

  it('same-origin <link rel=stylesheet>: rules inlined with URLs absolute, rendered as <style>', () => {
    const source = parse('<!DOCTYPE html><head><link rel="stylesheet" href="css/site.css" media="screen"></head><body></body>');
    const link = source.querySelector('link') as HTMLLinkElement;
    const imported = {
      href: 'http://localhost:3030/html/css/parts/imp.css',
      cssRules: [{ type: 1, cssText: 'b { background: url("b.png"); }' }],
    };
    const sheet = {
      href: 'http://localhost:3030/html/css/site.css',
      cssRules: [
        { type: 3, cssText: '@import url("parts/imp.css");', styleSheet: imported, media: { length: 0 } },
        { type: 3, cssText: '@import url("print.css") print;', styleSheet: imported, media: { length: 1 } },
        { type: 1, cssText: 'a { background: url("../img/a.png"); }' },
      ],
    };
    Object.defineProperty(link, 'sheet', { value: sheet });
    expect(linkElementCss(link, source.baseURI)).toBe(
      'b { background: url("http://localhost:3030/html/css/parts/b.png"); }' +
        '@import url("http://localhost:3030/html/css/print.css") print;' +
        'a { background: url("http://localhost:3030/html/img/a.png"); }',
    );
    const snap = wire(serializeDocument(createCaptureContext(source)));
    const { doc, mirror } = replicaOf(snap);
    const style = mirror.getNode(((snap.doc.c[1] as SerializedElement).c?.[0] as SerializedElement).c?.[0]?.i as number) as HTMLStyleElement;
    expect(style.localName).toBe('style');
    expect(style.getAttribute('media')).toBe('screen');
    expect([...(style.sheet?.cssRules ?? [])].some((r) => r.cssText.includes('http://localhost:3030/html/img/a.png'))).toBe(true);
    expect(doc.querySelector('link')).toBeNull();
  });

  it('cross-origin <link>: cssRules throws, the link stays with an absolute href', () => {
    const source = parse('<!DOCTYPE html><head><link rel="stylesheet" href="//cdn.test/x.css"></head><body></body>');
    const link = source.querySelector('link') as HTMLLinkElement;
    Object.defineProperty(link, 'sheet', {
      value: {
        href: 'https://cdn.test/x.css',
        get cssRules(): never {
          throw new Error('SecurityError');
        },
      },
    });
    const snap = serializeDocument(createCaptureContext(source));
    const json = JSON.stringify(snap);
    expect(json).toContain('{"rel":"stylesheet","href":"http://cdn.test/x.css"}');
    expect(json).not.toContain('"css"');
    expect(replicaOf(snap).doc.querySelector('link')?.getAttribute('href')).toBe('http://cdn.test/x.css');
  });

  it('same-origin <link> of a document whose CSSOM is watched: by URL until script changes its sheet', () => {
    const source = parse('<!DOCTYPE html><head><link rel="stylesheet" href="css/site.css"></head><body></body>');
    const link = source.querySelector('link') as HTMLLinkElement;
    const sheet = { href: 'http://localhost:3030/html/css/site.css', cssRules: [{ type: 1, cssText: 'a { background: url("a.png"); }' }] };
    Object.defineProperty(link, 'sheet', { value: sheet });
    const ctx = createCaptureContext(source);
    // Not watched (a frame document, or a context without the SDK's load-time watch): text.
    expect(JSON.stringify(serializeDocument(ctx))).toContain('"css":"a { background: url(\\"http://localhost:3030/html/css/a.png\\"); }"');
    // Watched and never changed by script: the absolute href alone; the replica keeps a <link>.
    ctx.cssomWatched.add(source);
    const byUrl = wire(serializeDocument(ctx));
    const json = JSON.stringify(byUrl);
    expect(json).toContain('{"rel":"stylesheet","href":"http://localhost:3030/html/css/site.css"}');
    expect(json).not.toContain('"css"');
    expect(replicaOf(byUrl).doc.querySelector('link')?.getAttribute('href')).toBe('http://localhost:3030/html/css/site.css');
    // Changed through the CSSOM (the watch recorded it): text again.
    ctx.scriptedSheets.add(sheet as unknown as CSSStyleSheet);
    expect(JSON.stringify(serializeDocument(ctx))).toContain('"css":"a { background');
  });

  it('css op on a <link> that travelled by URL: a <style> with the rules takes its place and id', () => {
    const { doc, mirror } = replicaOf(
      wire(page([{ i: 10, t: 1, n: 'link', a: { rel: 'stylesheet', href: 'https://shop.example/site.css', media: 'screen' } }, { i: 11, t: 1, n: 'meta' }], [])),
    );
    const link = mirror.getNode(10) as Element;
    expect(link.localName).toBe('link');
    const result = applyOps([{ o: 'css', i: 10, css: 'b { color: blue }i { color: green }' }], doc, mirror);
    expect(result.applied).toBe(1);
    const style = mirror.getNode(10) as HTMLStyleElement;
    expect(style.localName).toBe('style');
    expect(style.getAttribute('media')).toBe('screen');
    expect(style.sheet?.cssRules.length).toBe(2);
    expect(link.isConnected).toBe(false);
    expect(mirror.getId(link)).toBeUndefined();
    expect(style.nextSibling).toBe(mirror.getNode(11));
    expect(doc.querySelector('link')).toBeNull();
    // Later ops address the <style> under the link's id.
    applyOps([{ o: 'css', i: 10, css: 'u { color: red }' }], doc, mirror);
    expect(style.sheet?.cssRules.length).toBe(1);
  });

  it('css op on a <style>: replaces its rules, keeps its text nodes', () => {
    const { doc, mirror } = replicaOf(wire(page([{ i: 10, t: 1, n: 'style', c: [{ i: 11, t: 3, x: 'a { color: red }' }] }], [])));
    const result = applyOps([{ o: 'css', i: 10, css: 'b { color: blue }i { color: green }' }], doc, mirror);
    expect(result.applied).toBe(1);
    const style = mirror.getNode(10) as HTMLStyleElement;
    expect(style.sheet?.cssRules.length).toBe(2);
    expect(mirror.getNode(11)?.parentNode).toBe(style);
    // A later text change re-parses the text, as on the customer's side.
    applyOps([{ o: 'text', i: 11, x: 'u { color: red }' }], doc, mirror);
    expect(style.sheet?.cssRules.length).toBe(1);
  });
});

describe('form state and scroll', () => {
  it('corpus form-fields.html with its script: live values, not attributes', () => {
    const file = path.join(corpusRoot, 'rrweb-snapshot/html/form-fields.html');
    const source = new JSDOM(readFileSync(file, 'utf8'), { runScripts: 'dangerously', url: 'http://localhost/' }).window.document;
    const snap = wire(serializeDocument(createCaptureContext(source)));
    const json = JSON.stringify(snap);
    expect(json).toContain('"n":"input","a":{"type":"text"},"v":"1"');
    expect(json).toContain('"n":"input","a":{"type":"radio"},"k":true');
    expect(json).toContain('"v":"1234"');
    expect(json).not.toContain('<script');
    const { doc } = replicaOf(snap);
    expect((doc.querySelector('input[type=text]') as HTMLInputElement).value).toBe('1');
    expect((doc.querySelector('input[type=radio]') as HTMLInputElement).checked).toBe(true);
    expect((doc.querySelector('input[type=checkbox]') as HTMLInputElement).checked).toBe(true);
    expect([...doc.querySelectorAll('textarea')].map((t) => t.value)).toEqual(['1234', '1234']);
    expect((doc.querySelector('select') as HTMLSelectElement).value).toBe('2');
    expect(comparable(serializeDocument(createCaptureContext(doc)))).toEqual(comparable(snap));
  });

  it('multiple select, cleared inputs and unchecked defaults', () => {
    const source = parse(`<!DOCTYPE html><body><select multiple><option selected>a</option><option>b</option><option selected>c</option></select>
      <input value="default"><input type="checkbox" checked><input type="hidden" value="h"><input type="file"></body>`);
    const [a, b] = [...source.querySelectorAll('option')];
    (a as HTMLOptionElement).selected = false;
    (b as HTMLOptionElement).selected = true;
    (source.querySelector('input') as HTMLInputElement).value = '';
    (source.querySelector('input[type=checkbox]') as HTMLInputElement).checked = false;
    const snap = wire(serializeDocument(createCaptureContext(source)));
    const { doc } = replicaOf(snap);
    expect([...doc.querySelectorAll('option')].map((o) => o.selected)).toEqual([false, true, true]);
    expect((doc.querySelector('input') as HTMLInputElement).value).toBe('');
    expect((doc.querySelector('input[type=checkbox]') as HTMLInputElement).checked).toBe(false);
    expect(doc.querySelector('input[type=hidden]')?.getAttribute('value')).toBe('h');
    expect(comparable(serializeDocument(createCaptureContext(doc)))).toEqual(comparable(snap));
  });

  it('scroll offsets of scrolled elements, not of the scrolling element', () => {
    const source = parse('<!DOCTYPE html><body><div id="d">x</div></body>');
    (source.getElementById('d') as HTMLElement).scrollTop = 120;
    (source.getElementById('d') as HTMLElement).scrollLeft = 5;
    source.documentElement.scrollTop = 50;
    const snap = wire(serializeDocument(createCaptureContext(source)));
    expect(JSON.stringify(snap)).toContain('"sc":[5,120]');
    expect(JSON.stringify(snap).match(/"sc"/g)?.length).toBe(1);
    const { doc } = replicaOf(snap);
    expect((doc.getElementById('d') as HTMLElement).scrollTop).toBe(120);
  });
});

describe('mirrors', () => {
  it('ids: document 1, then document order; a moved subtree keeps its ids', () => {
    const source = parse('<!DOCTYPE html><html><head></head><body><p>a</p></body></html>');
    const ctx = createCaptureContext(source);
    const snap = serializeDocument(ctx);
    expect(snap.doc.i).toBe(1);
    // On the wire only the root's id: the others are the previous node's plus one (implicit, 0).
    expect(JSON.stringify(snap.doc).match(/"i":\d+/g)).toEqual(['"i":1', '"i":0', '"i":0', '"i":0', '"i":0', '"i":0', '"i":0']);
    const ids: number[] = [];
    const visit = (n: SerializedNode): void => {
      ids.push(n.i);
      for (const c of (n as { c?: SerializedNode[] }).c ?? []) visit(c);
    };
    visit(received(snap).doc);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const p = source.querySelector('p') as HTMLElement;
    source.head.append(p);
    expect(wire(serializeNode(p, ctx))).toEqual({ i: 6, t: 1, n: 'p', c: [{ i: 0, t: 3, x: 'a' }] });
    // A node added later takes a fresh id: written where it does not follow on from the node before.
    const fresh = source.createElement('b');
    p.prepend(fresh);
    const moved = wire(serializeNode(p, ctx));
    expect(moved).toEqual({ i: 6, t: 1, n: 'p', c: [{ i: 8, t: 1, n: 'b' }, { i: 7, t: 3, x: 'a' }] });
    // Two nodes added at the end: the first after 7 carries its id 9, the second (10) follows on.
    p.append(source.createElement('i'), source.createElement('u'));
    const withTail = wire(serializeNode(p, ctx)) as SerializedElement;
    expect(withTail.c?.slice(2)).toEqual([{ i: 9, t: 1, n: 'i' }, { i: 0, t: 1, n: 'u' }]);
    // A receiver restores them in place.
    restoreImplicitIds(withTail);
    expect(withTail.c?.map((c) => c.i)).toEqual([8, 7, 9, 10]);
    expect(serializeNode(source.createElement('script'), ctx)).toBeNull();
    expect(serializeNode(source.createProcessingInstruction('x', 'y'), ctx)).toBeNull();
  });

  it('implicit ids: restored in the JSON text\'s order (shadow roots, frame documents, unbuilt children), whatever arrives', () => {
    const tree = {
      i: 10,
      t: 1,
      n: 'div',
      c: [{ i: 0, t: 11, c: [{ i: 0, t: 3, x: 'in the root' }] }, { i: 0, t: 1, n: 'noscript', c: [{ i: 0, t: 3, x: 'x' }] }, { i: 0, t: 1, n: 'iframe', c: [{ i: 0, t: 9, c: [{ i: 0, t: 1, n: 'html' }] }] }, { i: 40, t: 3, x: 'y' }, { i: 0, t: 8, x: 'z' }],
    };
    restoreImplicitIds(tree);
    const ids: unknown[] = [];
    const visit = (n: { i?: unknown; c?: unknown[] }): void => {
      ids.push(n.i);
      for (const c of n.c ?? []) visit(c as { i?: unknown; c?: unknown[] });
    };
    visit(tree);
    expect(ids).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 40, 41]);
    // Hostile shapes: no root id, junk children, an invalid id: nothing is invented after it.
    const noRoot = { i: 0, t: 1, n: 'p', c: [{ i: 0, t: 3, x: 'a' }] };
    restoreImplicitIds(noRoot);
    expect(noRoot.c[0]).toEqual({ i: 0, t: 3, x: 'a' });
    const junk = { i: 1, t: 9, c: [null, 7, 'x', { i: 'bad', t: 1, n: 'p' }, { i: 0, t: 3, x: 'b' }, { i: 5, t: 1, n: 'b', c: [{ i: 0, t: 3, x: 'c' }] }] };
    restoreImplicitIds(junk);
    expect(junk.c[4]).toEqual({ i: 0, t: 3, x: 'b' });
    expect((junk.c[5] as { c: { i?: number }[] }).c[0]?.i).toBe(6);
    restoreImplicitIds(null);
    restoreImplicitIds('x');
  });

  it('capture mirror: forgetSubtree, reset, never reuses ids', () => {
    const source = parse('<!DOCTYPE html><body><div><p>x</p></div></body>');
    const mirror = createCaptureMirror();
    const div = source.querySelector('div') as HTMLElement;
    const ids = [source, div, div.firstChild as Node, div.firstChild?.firstChild as Node].map((n) => mirror.assign(n));
    expect(ids).toEqual([1, 2, 3, 4]);
    mirror.forgetSubtree(div);
    expect(mirror.getId(div)).toBeUndefined();
    expect(mirror.getNode(4)).toBeUndefined();
    expect(mirror.getId(source)).toBe(1);
    expect(mirror.assign(div)).toBe(5);
    mirror.reset();
    expect(mirror.assign(div)).toBe(2);
    expect(mirror.assign(source)).toBe(1);
  });

  it('deep trees: 20,000 levels serialize, 3,000 levels rebuild (no recursion)', () => {
    // jsdom's own insertion code is quadratic in depth (recursive generators), hence the smaller
    // replica tree; the builder is the same iterative loop at any depth.
    const source = parse('<!DOCTYPE html><body></body>');
    let top: Element = source.createElement('i');
    for (let k = 0; k < 20000; k++) {
      const parent = source.createElement('div');
      parent.append(top); // bottom-up: each append goes into a parentless node
      top = parent;
    }
    const ctx = createCaptureContext(source);
    let depth = 0;
    for (let n = serializeNode(top, ctx) as SerializedElement | undefined; n; n = n.c?.[0] as SerializedElement | undefined) depth++;
    expect(depth).toBe(20001);

    const root: SerializedElement = { i: 3, t: 1, n: 'body' };
    let cur = root;
    for (let i = 0; i < 3000; i++) {
      const next: SerializedElement = { i: 10 + i, t: 1, n: 'div' };
      cur.c = [next];
      cur = next;
    }
    const { doc, mirror } = replicaOf(snapshotOf([{ i: 2, t: 1, n: 'html', c: [root] }]));
    expect(mirror.size).toBe(3003);
    expect(mirror.getNode(3009)?.parentNode).toBe(mirror.getNode(3008));
    expect(doc.body.firstElementChild).toBe(mirror.getNode(10));
  });
});

describe('hostile host pages', () => {
  it('corpus monkey-patched-elements.html (childNodes, contains, getRootNode patched): full capture', () => {
    const file = path.join(corpusRoot, 'rrweb-snapshot/html/monkey-patched-elements.html');
    const win = new JSDOM(readFileSync(file, 'utf8'), { runScripts: 'dangerously', url: 'http://localhost/' }).window;
    expect(() => win.document.body.childNodes).toThrow(/hijacked/);
    const snap = serializeDocument(createCaptureContext(win.document));
    expect(JSON.stringify(snap).match(/"n":"li"/g)?.length).toBe(4);
  });

  it('tree getters patched after the context exists, or before with a pristine realm', () => {
    const html = '<!DOCTYPE html><body><ul><li>a</li><li>b</li></ul></body>';
    const win = new JSDOM(html, { url: 'http://localhost/' }).window;
    const ctx = createCaptureContext(win.document);
    const expected = JSON.stringify(serializeDocument(ctx));
    for (const name of ['firstChild', 'nextSibling', 'parentNode', 'lastChild']) {
      Object.defineProperty(win.Node.prototype, name, { get: () => null, configurable: true });
    }
    expect(JSON.stringify(serializeDocument(ctx))).toBe(expected);
    // A context created now would see the patched getters; a pristine window fixes it.
    const pristine = new JSDOM('').window;
    const late = createCaptureContext(win.document, { realm: pristine as unknown as Window & typeof globalThis });
    expect(JSON.stringify(serializeDocument(late))).toBe(expected);
  });
});
