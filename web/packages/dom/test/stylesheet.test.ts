// Stylesheet text from the CSSOM. Chromium serializes longhands "pending substitution" (a
// shorthand written with var(), partly overridden) with empty values: such text parses back to
// nothing, so a same-origin <link> whose CSSOM text lost declarations is sent with its href alone
// (the agent's browser loads the file, whose source has them). jsdom's CSSOM does not model
// pending substitution: the sheet here is shaped like Chromium's.

import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { linkElementCss, lostDeclarations, type LinkCssCache } from '../src/stylesheet';

function linkWithRules(cssTexts: string[]): Element {
  const doc = new JSDOM('<link rel="stylesheet" href="https://shop.example/site.css">').window.document;
  const link = doc.querySelector('link') as HTMLLinkElement;
  const rules = cssTexts.map((cssText) => ({ type: 1, cssText }));
  Object.defineProperty(link, 'sheet', { value: { href: link.href, cssRules: Object.assign(rules, { item: (i: number) => rules[i] }) } });
  return link;
}

describe('stylesheets whose CSSOM text lost declarations', () => {
  it('detects empty declaration values, not other text', () => {
    expect(lostDeclarations('kbd { border-top-color: ; border-bottom-width: 2px; }')).toBe(true);
    expect(lostDeclarations('kbd { border-top-color:; }')).toBe(true);
    expect(lostDeclarations('a { color: var(--c); border: 1px solid red; } b::before { content: ": ;"; }')).toBe(false);
  });

  it('a same-origin link is inlined, unless its text lost declarations', () => {
    expect(linkElementCss(linkWithRules(['a { color: red; }']), 'https://shop.example/')).toBe('a { color: red; }');
    expect(linkElementCss(linkWithRules(['a { color: red; }', 'kbd { border-top-color: ; border-bottom-width: 2px; }']), 'https://shop.example/')).toBeUndefined();
  });
});

describe('the link text cache of a capture', () => {
  /** A link whose sheet counts the reads of its rules. */
  function countedLink(rules: Array<{ type: number; cssText: string; styleSheet?: unknown }>): { link: Element; reads: () => number } {
    const doc = new JSDOM('<link rel="stylesheet" href="https://shop.example/site.css">').window.document;
    const link = doc.querySelector('link') as HTMLLinkElement;
    let reads = 0;
    const list = Object.assign(rules, { item: (i: number) => rules[i] });
    const sheet = {
      href: link.href,
      get cssRules() {
        reads++;
        return list;
      },
    };
    Object.defineProperty(link, 'sheet', { value: sheet });
    return { link, reads: () => reads };
  }

  it('reads a sheet once per cache and gives the same text', () => {
    const { link, reads } = countedLink([{ type: 1, cssText: 'a { color: red; }' }]);
    const cache: LinkCssCache = new WeakMap();
    expect(linkElementCss(link, 'https://shop.example/', cache)).toBe('a { color: red; }');
    expect(linkElementCss(link, 'https://shop.example/', cache)).toBe('a { color: red; }');
    expect(reads()).toBe(1);
    // Without a cache (batches), and after the entry is deleted (a CSSOM change), it is read again.
    expect(linkElementCss(link, 'https://shop.example/')).toBe('a { color: red; }');
    cache.delete((link as HTMLLinkElement).sheet as CSSStyleSheet);
    expect(linkElementCss(link, 'https://shop.example/', cache)).toBe('a { color: red; }');
    expect(reads()).toBe(3);
  });

  it('reads a sheet with @import every time (an imported sheet can load later)', () => {
    const { link, reads } = countedLink([
      { type: 3, cssText: '@import url("https://shop.example/more.css");', styleSheet: null },
      { type: 1, cssText: 'a { color: red; }' },
    ]);
    const cache: LinkCssCache = new WeakMap();
    linkElementCss(link, 'https://shop.example/', cache);
    linkElementCss(link, 'https://shop.example/', cache);
    expect(reads()).toBe(2);
  });
});
