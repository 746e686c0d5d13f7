/**
 * serialize → rebuild → serialize over the real pages of the corpus: the two serializations are
 * equal. Only the snapshot's `url` differs (the replica is an about:blank document); the tree,
 * title, viewport and scroll are compared as they are, ids included (the replica is serialized
 * once with a fresh mirror, which must assign the same ids in the same order, and once with the ids
 * the replica mirror registered, which must be those of the original).
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { SerializedNode } from '@cobrowse/protocol';
import { createCaptureContext, serializeDocument } from '../src/index';
import {
  comparable,
  corpusPages,
  corpusRoot,
  parse,
  replicaOf,
  serializeWithIds,
  strings,
  received,
  wire,
  withoutCanvasContent,
} from './helpers';

const pages = corpusPages(['rrweb-snapshot/html', 'rrweb-snapshot/iframe-html', 'rrweb/html']);

function pageUrl(file: string): string {
  return 'http://localhost:3030/' + path.relative(corpusRoot, file).split(path.sep).join('/');
}

/** The safety guarantees, checked on a whole serialization. */
function assertSafe(node: SerializedNode): void {
  const stack: SerializedNode[] = [node];
  while (stack.length) {
    const n = stack.pop() as SerializedNode;
    if (n.t === 1) {
      expect(n.n.toLowerCase()).not.toBe('script');
      for (const [k, v] of Object.entries(n.a ?? {})) {
        expect(k.toLowerCase().startsWith('on'), `${n.n} ${k}`).toBe(false);
        expect(k.toLowerCase()).not.toBe('srcdoc');
        expect(v.replace(/[\s\u0000-\u001f]/g, '').toLowerCase()).not.toMatch(/^(javascript|vbscript):/);
      }
      if (n.n === 'noscript') expect(n.c ?? []).toEqual([]);
    }
    if ((n.t === 1 || n.t === 9) && n.c) stack.push(...n.c);
  }
}

describe('round trip over the corpus', () => {
  it('finds the corpus pages', () => {
    expect(pages.length).toBeGreaterThan(60);
  });

  for (const file of pages) {
    const name = path.relative(corpusRoot, file);
    it(name, () => {
      const source = parse(readFileSync(file, 'utf8'), pageUrl(file));
      const first = serializeDocument(createCaptureContext(source));
      assertSafe(first.doc);

      const { doc: replica, mirror } = replicaOf(wire(first));
      const second = serializeDocument(createCaptureContext(replica));
      expect(comparable(second)).toEqual(comparable(first));

      // Every replica node is registered under the id of the node it mirrors.
      const byIds = received(serializeWithIds(replica, (n) => mirror.getId(n)));
      expect(withoutCanvasContent(byIds.doc)).toEqual(withoutCanvasContent(received(first).doc));
      expect(replica.compatMode).toBe(source.compatMode);
    });
  }
});

describe('round trip over the corpus with the pages\' own scripts run', () => {
  // Same comparison once the pages' inline scripts have run: this exercises what scripts leave
  // behind (rules inserted with insertRule: background-clip-text.html, dynamic-stylesheet.html,
  // style.html; form values set by script: form-fields.html; elements created by script).
  let withCss = 0;
  for (const file of pages) {
    it(path.relative(corpusRoot, file), () => {
      const source = new JSDOM(readFileSync(file, 'utf8'), {
        url: pageUrl(file),
        runScripts: 'dangerously',
        virtualConsole: new VirtualConsole(),
        beforeParse(window) {
          // Two pages fetch blobs: never answer rather than fail asynchronously.
          (window as unknown as { fetch: () => Promise<never> }).fetch = () => new Promise<never>(() => undefined);
        },
      }).window.document;
      const first = wire(serializeDocument(createCaptureContext(source)));
      assertSafe(first.doc);
      if (JSON.stringify(first).includes('"css":')) withCss++;
      const { doc: replica, mirror } = replicaOf(first);
      expect(comparable(serializeDocument(createCaptureContext(replica)))).toEqual(comparable(first));
      expect(withoutCanvasContent(received(serializeWithIds(replica, (n) => mirror.getId(n))).doc)).toEqual(withoutCanvasContent(received(first).doc));
    });
  }
  it('saw stylesheets changed by script', () => {
    expect(withCss).toBeGreaterThanOrEqual(3);
  });
});

describe('what never survives', () => {
  const page = (file: string) => path.join(corpusRoot, 'rrweb-snapshot/html', file);

  it('with-script.html: no script element nor its text', () => {
    const source = parse(readFileSync(page('with-script.html'), 'utf8'));
    const snap = serializeDocument(createCaptureContext(source));
    const json = JSON.stringify(snap);
    expect(json).not.toContain('"n":"script"');
    expect(json).not.toContain('a.js');
    expect(json).not.toContain('var a = 1 + 1');
    const { doc } = replicaOf(snap);
    expect(doc.querySelector('script')).toBeNull();
  });

  it('picture-with-inline-onload.html: no onload, image URL absolute', () => {
    const source = parse(readFileSync(page('picture-with-inline-onload.html'), 'utf8'), 'http://example.test/x/y.html');
    const snap = serializeDocument(createCaptureContext(source));
    for (const [k] of strings(snap.doc)) expect(k).not.toMatch(/^on/i);
    expect(JSON.stringify(snap)).not.toContain('onload');
    expect(JSON.stringify(snap)).toContain('"src":"http://example.test/images/robot.png"');
    const { doc } = replicaOf(snap);
    expect(doc.querySelector('img')?.getAttribute('onload')).toBeNull();
  });

  it('compat-mode.html is rebuilt in quirks mode', () => {
    const source = parse(readFileSync(page('compat-mode.html'), 'utf8'));
    const snap = serializeDocument(createCaptureContext(source));
    expect(snap.doc.quirks).toBe(true);
    expect(replicaOf(snap).doc.compatMode).toBe('BackCompat');
  });
});
