/**
 * The mutation workloads of rrweb's benchmark pages in the corpus (rrweb/html/benchmark-*), run by
 * the pages' own scripts in jsdom, then converged like the scripted scenarios (see harness.ts).
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPages } from './helpers';
import { mirrored } from './harness';

describe('benchmark workloads of the corpus (rrweb/html/benchmark-*)', () => {
  const pages = corpusPages(['rrweb/html']).filter((f) => path.basename(f).startsWith('benchmark-'));

  it('finds them', () => {
    expect(pages.length).toBe(6);
  });

  for (const file of pages) {
    const name = path.basename(file);
    it(name, () => {
      const html = readFileSync(file, 'utf8');
      const m = mirrored(
        // jsdom's insertion and observer bookkeeping walk every ancestor, so the 100 × 256 deep
        // page takes over 10 s here: run its workload over 20 roots instead of 100.
        name === 'benchmark-dom-mutation-deep-nested.html' ? html.replace('const count = 100;', 'const count = 20;') : html,
        { runScripts: true },
      );
      if (name === 'benchmark-dom-mutation-attributes.html') {
        // The page iterates a live HTMLCollection while changing it: quadratic in jsdom (a minute
        // for its 10,000 elements). Same mutations, over a static copy.
        for (const div of [...m.src.getElementsByTagName('div')]) div.classList.add('foo');
      } else {
        const workload = (m.win as unknown as { workload: () => void }).workload;
        expect(typeof workload).toBe('function');
        workload();
      }
      const { ops, result } = m.sync();
      expect(result.skipped).toBe(0);
      if (name === 'benchmark-dom-mutation.html') {
        // 1000 branches × 10 levels appended as one fragment: one add per branch.
        expect(ops.length).toBe(1000);
      }
      if (name === 'benchmark-dom-mutation-attributes.html') {
        // A class added to 10,000 elements: one op for the run, 10,000 elements in it.
        expect(ops.length).toBe(1);
        const op = ops[0];
        expect(op?.o === 'attr' && [op.k, op.v, 1 + (op.is?.length ?? 0)]).toEqual(['class', 'foo', 10000]);
      }
    });
  }

  it('1200-level deep nesting, built one level at a time (no recursion limits)', () => {
    const m = mirrored('<!DOCTYPE html><body></body>');
    const d = m.src;
    let parent: HTMLElement = d.body;
    for (let i = 0; i < 1200; i++) {
      const el = d.createElement('div');
      parent.append(el);
      parent = el;
    }
    const { ops } = m.sync();
    expect(ops.length).toBe(1);
    let depth = 0;
    for (let n: Element | null = m.rep.body; n?.firstElementChild; n = n.firstElementChild) depth++;
    expect(depth).toBe(1200);
    parent.append('leaf');
    d.body.firstElementChild?.setAttribute('class', 'top');
    m.sync();
  });
});
