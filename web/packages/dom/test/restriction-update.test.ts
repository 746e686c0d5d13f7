/**
 * The restriction match updated from mutation records (`CaptureContext.updateMatch`) against the
 * match computed again from the whole page (`match()`): seeded random pages and mutations (adds,
 * moves, removals, attributes a rule reads and attributes none reads, frames added and removed),
 * for rules of every shape — compound selectors only, descendant and child combinators, and rules
 * that records cannot follow (pseudo-classes, sibling combinators), which fall back to `match()`.
 * Plus the shape analysis of selectors itself.
 */

import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { createCaptureContext, selectorShape, type RestrictionMatch, type RestrictionRule } from '../src/index';
import { prng } from './harness';
import { PAGE_URL } from './helpers';

describe('selector shapes', () => {
  it('reads the attributes of compound selectors and notes combinators', () => {
    const s = selectorShape('input[type="password" i], .secret, #card, div > [data-x=a]');
    expect(s.local).toBe(true);
    expect(s.combinators).toBe(true);
    expect([...(s.attributes ?? [])].sort()).toEqual(['class', 'data-x', 'id', 'type']);
    expect(selectorShape('.a.b, span').combinators).toBe(false);
    expect(selectorShape('.a .b').combinators).toBe(true);
    expect(selectorShape('[title="a:b, c ~ d"]').local).toBe(true);
  });

  it('is not local for what records do not tell', () => {
    for (const sel of ['li:first-child', '.a + .b', '.a ~ .b', 'div:has(input)', 'p::before', 'svg|a', '[*|x]', '.a\\:b', 'input:checked']) {
      expect(selectorShape(sel).local, sel).toBe(false);
    }
  });
});

const TAGS = ['div', 'span', 'p', 'section', 'input', 'button', 'form', 'li'];
const CLASSES = ['vault', 'a', 'b', 'x', 'free'];

function sameMatch(a: RestrictionMatch, b: RestrictionMatch): boolean {
  const same = (x: ReadonlySet<Element>, y: ReadonlySet<Element>) => x.size === y.size && [...x].every((el) => y.has(el));
  return same(a.mask, b.mask) && same(a.control, b.control);
}

function describeMatch(m: RestrictionMatch): string {
  const name = (el: Element) => `${el.localName}${el.id ? '#' + el.id : ''}.${el.className}`;
  return `mask [${[...m.mask].map(name).sort().join(' ')}] control [${[...m.control].map(name).sort().join(' ')}]`;
}

function run(seed: number, rules: RestrictionRule[], steps: number): { incremental: number } {
  const rnd = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const dom = new JSDOM(
    `<!DOCTYPE html><html><head><title>u</title></head><body><div id="root" class="a"><p class="b">x</p><form><button>go</button><input type="password"></form><iframe id="f0"></iframe></div></body></html>`,
    { url: PAGE_URL },
  );
  const win = dom.window as unknown as Window & typeof globalThis;
  const doc = win.document;
  const ctx = createCaptureContext(doc);
  ctx.restrictions.setRules(rules);
  const observer = new win.MutationObserver(() => undefined);
  const observed = new Set<Document>();
  const observeAll = () => {
    for (const d of ctx.knownDocuments()) {
      if (observed.has(d)) continue;
      observed.add(d);
      observer.observe(d, { childList: true, attributes: true, characterData: true, subtree: true });
    }
  };
  let prev = ctx.match();
  observeAll();
  let incremental = 0;
  let serial = 0;
  const elements = (): Element[] => {
    const out: Element[] = [];
    for (const d of ctx.documents()) out.push(...d.body.querySelectorAll('*'));
    return out;
  };
  for (let step = 0; step < steps; step++) {
    // A few changes per batch.
    const changes = 1 + Math.floor(rnd() * 4);
    for (let c = 0; c < changes; c++) {
      const all = elements();
      const target = pick(all.length ? all : [doc.body]);
      switch (Math.floor(rnd() * 9)) {
        case 0:
        case 1: {
          const el = doc.createElement(pick(TAGS));
          el.id = `e${serial++}`;
          if (rnd() < 0.6) el.className = pick(CLASSES);
          if (el.localName === 'input' && rnd() < 0.5) el.setAttribute('type', 'password');
          el.innerHTML = rnd() < 0.5 ? `<span class="${pick(CLASSES)}">t</span><input type="${rnd() < 0.5 ? 'password' : 'text'}"><button>b</button>` : 'text';
          if (!['input', 'iframe'].includes(target.localName)) target.appendChild(el);
          break;
        }
        case 2: {
          const node = pick(all.length ? all : [doc.body]);
          const parent = pick(all.length ? all : [doc.body]);
          if (node !== parent && !node.contains(parent) && node.id !== 'root' && !['input', 'iframe'].includes(parent.localName) && node.ownerDocument === parent.ownerDocument) {
            parent.insertBefore(node, rnd() < 0.5 ? parent.firstChild : null);
          }
          break;
        }
        case 3:
          if (target.id !== 'root') target.remove();
          break;
        case 4:
          target.className = rnd() < 0.2 ? '' : pick(CLASSES);
          break;
        case 5:
          if (target.localName === 'input' || target.localName === 'button') target.setAttribute('type', pick(['password', 'text', 'submit', 'button']));
          else target.setAttribute('data-x', pick(['1', '2']));
          break;
        case 6:
          // An attribute no rule reads.
          target.setAttribute('title', `t${step}`);
          break;
        case 7: {
          if (['input', 'iframe'].includes(target.localName)) break;
          target.insertAdjacentHTML('beforeend', `<div class="${pick(CLASSES)}"><p class="b">y</p></div>`);
          break;
        }
        case 8: {
          // A frame added (same origin, about:blank: its document has a body at once) or removed.
          if (rnd() < 0.5 && target.ownerDocument === doc && !['input', 'iframe'].includes(target.localName)) {
            const f = doc.createElement('iframe');
            f.id = `f${serial++}`;
            target.appendChild(f);
            const fd = (f as HTMLIFrameElement).contentDocument;
            if (fd?.body) fd.body.innerHTML = `<div class="vault"><input type="password"></div><p class="a"><span class="b">z</span></p>`;
          } else {
            const frames = doc.querySelectorAll('iframe');
            if (frames.length > 0) pick([...frames]).remove();
          }
          break;
        }
      }
    }
    const records = observer.takeRecords();
    const next = ctx.updateMatch(prev, records);
    observeAll();
    if (next !== prev) incremental += 1;
    const full = ctx.match();
    if (!sameMatch(next, full)) {
      throw new Error(`seed ${seed} step ${step}: updated ${describeMatch(next)} but the page has ${describeMatch(full)}`);
    }
    // Unchanged is reported as the same object.
    if (sameMatch(prev, full)) expect(next === prev || !sameMatch(next, prev), `seed ${seed} step ${step}: an unchanged match is a new object`).toBe(true);
    prev = next;
  }
  return { incremental };
}

const rule = (id: number, selector: string, kind: 'mask' | 'control' = 'mask'): RestrictionRule => ({ id, selector, kind, urlPattern: null });

describe('restriction match updated from records', () => {
  it('equals the full match: compound selectors only', () => {
    for (let seed = 1; seed <= 25; seed++) run(seed, [rule(1, '.vault'), rule(2, '[data-x="1"]'), rule(3, 'span.x', 'control')], 60);
  }, 60_000);

  it('equals the full match: descendant and child combinators', () => {
    for (let seed = 101; seed <= 125; seed++) run(seed, [rule(1, '.a .b'), rule(2, 'div > span'), rule(3, '.x p', 'control'), rule(4, '.vault')], 60);
  }, 60_000);

  it('equals the full match: the defaults only', () => {
    for (let seed = 201; seed <= 215; seed++) run(seed, [], 60);
  }, 60_000);

  it('equals the full match when it falls back: pseudo-classes and sibling combinators', () => {
    for (let seed = 301; seed <= 310; seed++) run(seed, [rule(1, 'p:first-child'), rule(2, '.a + .b'), rule(3, '.vault')], 40);
  }, 60_000);
});
