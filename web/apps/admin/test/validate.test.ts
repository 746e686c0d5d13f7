import { describe, expect, it } from 'vitest';
import { LIMITS, descriptionError, groupError, patternError, patternMatches, selectorError } from '../src/validate';

describe('selectorError', () => {
  it('accepts selectors and selector lists', () => {
    expect(selectorError('#card-number')).toBeNull();
    expect(selectorError('.payment input, form[name="checkout"] .cvv')).toBeNull();
  });

  it('refuses selectors that do not parse, naming the selector', () => {
    expect(selectorError('a[')).toBe('Invalid selector: “a[” is not a valid CSS selector.');
    expect(selectorError('div[')).toMatch(/^Invalid selector: “div\[”/);
    expect(selectorError('#')).toMatch(/^Invalid selector:/);
  });

  it('refuses an empty selector and one over the server limit', () => {
    expect(selectorError('  ')).toMatch(/^Enter a CSS selector/);
    expect(selectorError('a'.repeat(LIMITS.selector + 1))).toMatch(/too long: at most 1000/);
    expect(selectorError('a'.repeat(LIMITS.selector))).toBeNull();
  });
});

describe('patternError', () => {
  it('accepts ECMAScript regular expressions', () => {
    expect(patternError('^https://shop\\.example/(checkout|cart)')).toBeNull();
    expect(patternError('/account/(?<section>\\w+)')).toBeNull();
  });

  it('refuses patterns that do not compile with the engine’s reason', () => {
    const error = patternError('(');
    expect(error).toMatch(/^Invalid regular expression: /);
    expect(error).toMatch(/Unterminated group/);
    expect(patternError('[a-')).toMatch(/^Invalid regular expression: /);
  });

  it('refuses an empty pattern and one over the server limit', () => {
    expect(patternError('')).toMatch(/All pages/);
    expect(patternError('x'.repeat(LIMITS.urlPattern + 1))).toMatch(/too long/);
  });
});

describe('patternMatches', () => {
  it('tests like the SDK: unanchored, no flags', () => {
    expect(patternMatches('checkout', 'https://shop.example/checkout/payment')).toBe(true);
    expect(patternMatches('^https://shop\\.example/cart$', 'https://shop.example/cart?x=1')).toBe(false);
    expect(patternMatches('CHECKOUT', 'https://shop.example/checkout')).toBe(false);
  });

  it('is null for a pattern that does not compile', () => {
    expect(patternMatches('(', 'https://shop.example/')).toBeNull();
  });
});

describe('groupError and descriptionError', () => {
  it('trims group names and enforces 1 to 100 characters', () => {
    expect(groupError('  Payments ')).toBeNull();
    expect(groupError('   ')).toMatch(/^Enter a group name/);
    expect(groupError(` ${'g'.repeat(LIMITS.group)} `)).toBeNull();
    expect(groupError('g'.repeat(LIMITS.group + 1))).toMatch(/too long: at most 100/);
  });

  it('allows an empty description and at most 500 characters', () => {
    expect(descriptionError('')).toBeNull();
    expect(descriptionError('d'.repeat(LIMITS.description))).toBeNull();
    expect(descriptionError('d'.repeat(LIMITS.description + 1))).toMatch(/too long: at most 500/);
  });
});
