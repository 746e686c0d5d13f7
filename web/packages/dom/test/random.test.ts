/**
 * Randomized convergence: seeded random inserts, removals, moves (inside the document, into and out
 * of detached subtrees), attribute and text changes, service toggles, scripts and innerHTML on a
 * small tree; records are flushed at random points, and after every flush the replica must equal the
 * source, ids included (harness.ts). A failing seed is reported in the test name.
 */

import { JSDOM } from 'jsdom';
import { describe, it } from 'vitest';
import { mirrored, prng } from './harness';

const START = `<!DOCTYPE html><html><head><title>random</title><style>p { color: red }</style></head>
<body><div id="root"><p>alpha</p><p>beta <b>gamma</b></p>text<span>delta</span><ul><li>1</li><li>2</li></ul></div>
<div data-gcb-service-node="true"><i>ui</i></div></body></html>`;

const TAGS = ['div', 'span', 'p', 'b', 'ul', 'li', 'section', 'a', 'noscript', 'svg'];
const ATTRS = ['class', 'id', 'title', 'href', 'style', 'data-x', 'onclick', 'src', 'xlink:href'];
const VALUES = ['a', 'b c', '', 'javascript:alert(1)', 'rel/x.png', 'url(bg.png)', 'https://x.test/', '#frag'];

const shared = new JSDOM('').window as unknown as Window & typeof globalThis;

function run(seed: number, steps: number): void {
  const rnd = prng(seed);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(rnd() * items.length)];
  const m = mirrored(START, { shared });
  const d = m.src;
  const detached: Node[] = [];

  const descendants = (root: Node): Node[] => {
    const out: Node[] = [];
    const walker = d.createTreeWalker(root);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n);
    return out;
  };
  const everything = (): Node[] => {
    const out = descendants(d.body);
    for (const root of detached) out.push(root, ...descendants(root));
    return out;
  };
  const elements = (): Element[] => [d.body, ...everything().filter((n): n is Element => n.nodeType === 1)];
  const insertAt = (parent: Node, node: Node): void => {
    if (node === parent || node.contains(parent)) return;
    const before = pick([...parent.childNodes, null]) ?? null;
    if (before === node) return;
    parent.insertBefore(node, before);
    const k = detached.indexOf(node);
    if (k >= 0) detached.splice(k, 1);
  };
  const newElement = (): Element => {
    const tag = pick(TAGS) as string;
    const el = tag === 'svg' ? d.createElementNS('http://www.w3.org/2000/svg', 'svg') : d.createElement(tag);
    if (rnd() < 0.5) el.append(d.createTextNode('t' + Math.floor(rnd() * 100)));
    if (rnd() < 0.3) el.append(d.createElement(pick(TAGS.slice(0, 7)) as string));
    return el;
  };

  for (let step = 0; step < steps; step++) {
    const parent = pick(elements()) as Element;
    switch (Math.floor(rnd() * 13)) {
      case 0:
        insertAt(parent, newElement());
        break;
      case 1:
        insertAt(parent, d.createTextNode('n' + step));
        break;
      case 2: {
        const node = pick(descendants(d.body));
        if (node && node.parentNode) {
          node.parentNode.removeChild(node);
          if (rnd() < 0.7) detached.push(node);
        }
        break;
      }
      case 3:
      case 4: {
        const node = pick(everything());
        if (node) insertAt(parent, node);
        break;
      }
      case 5: {
        const el = pick(elements().filter((e) => e !== d.body));
        const name = pick(ATTRS) as string;
        if (el && name === 'xlink:href') el.setAttributeNS('http://www.w3.org/1999/xlink', name, pick(VALUES) as string);
        else if (el) el.setAttribute(name, pick(VALUES) as string);
        break;
      }
      case 6: {
        const el = pick(elements());
        const attr = el ? pick([...el.attributes]) : undefined;
        if (el && attr) el.removeAttributeNode(attr);
        break;
      }
      case 7: {
        const text = pick(everything().filter((n): n is Text => n.nodeType === 3));
        if (text) text.data = rnd() < 0.2 ? '' : text.data + step;
        break;
      }
      case 8: {
        const el = pick(elements().filter((e) => e !== d.body));
        if (el?.hasAttribute('data-gcb-service-node')) el.removeAttribute('data-gcb-service-node');
        else el?.setAttribute('data-gcb-service-node', 'true');
        break;
      }
      case 9: {
        const script = d.createElement('script');
        script.textContent = 'evil()';
        insertAt(parent, rnd() < 0.5 ? script : d.createComment('c' + step));
        break;
      }
      case 10:
        if (parent !== d.body || rnd() < 0.1) {
          parent.innerHTML = '<p>x<b>y</b></p>z<!--w--><script>s()</script>';
        }
        break;
      case 11: {
        // Mutate a detached subtree, to be re-inserted later.
        const root = pick(detached);
        if (root && root.nodeType === 1) (root as Element).append(newElement());
        break;
      }
      case 12: {
        // Wrap a node in a new element.
        const node = pick(descendants(d.body));
        if (node && node.parentNode) {
          const wrapper = d.createElement('div');
          node.parentNode.insertBefore(wrapper, node);
          wrapper.append(node);
        }
        break;
      }
    }
    if (rnd() < 0.25) m.sync();
  }
  m.sync();
}

describe('randomized convergence', () => {
  for (let batch = 0; batch < 4; batch++) {
    it(`seeds ${batch * 30 + 1}–${batch * 30 + 30}`, () => {
      for (let seed = batch * 30 + 1; seed <= batch * 30 + 30; seed++) {
        try {
          run(seed, 80);
        } catch (err) {
          throw new Error(`seed ${seed}: ${(err as Error).message}`, { cause: err });
        }
      }
    });
  }
});
