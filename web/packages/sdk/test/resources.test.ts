import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { isPassiveType, isShownResource } from '../src/resources';

const BASE = 'https://shop.example/account/';

function page(html: string): Document {
  return new JSDOM(`<!doctype html><html><head></head><body>${html}</body></html>`, { url: BASE }).window.document;
}

const masked = (doc: Document) => (el: Element) => el.closest('.secret') !== null;

describe('resources the SDK provides to the agent', () => {
  it('only resources the page shows: referenced by an element outside masked content or by its CSS', () => {
    const doc = page(`
      <img src="photo.png">
      <img srcset="small.png 1x, /img/large.png 2x">
      <div style="background: url('bg.png')"></div>
      <video poster="https://cdn.example/poster.jpg"></video>
      <style>.x { background-image: url(/css/sprite.svg) }</style>
      <div class="secret"><img src="/private/passport.png"><span style="background:url(id.png)"></span></div>`);
    const shown = (u: string) => isShownResource(doc, u, masked(doc));
    expect(shown('https://shop.example/account/photo.png')).toBe(true);
    expect(shown('https://shop.example/img/large.png')).toBe(true);
    expect(shown('https://shop.example/account/small.png')).toBe(true);
    expect(shown('https://shop.example/account/bg.png')).toBe(true);
    expect(shown('https://cdn.example/poster.jpg')).toBe(true);
    expect(shown('https://shop.example/css/sprite.svg')).toBe(true);
    // Masked content and URLs the page does not reference are never provided.
    expect(shown('https://shop.example/private/passport.png')).toBe(false);
    expect(shown('https://shop.example/account/id.png')).toBe(false);
    expect(shown('https://shop.example/account/statement.png')).toBe(false);
    // The source of a font face script added (and the capture sent) is shown too.
    const font = 'https://fonts.example/brand.woff2';
    expect(shown(font)).toBe(false);
    expect(isShownResource(doc, font, masked(doc), (d) => (d === doc ? [`url(${font}) format("woff2")`] : []))).toBe(true);
  });

  it('passive content types only', () => {
    expect(isPassiveType('image/png')).toBe(true);
    expect(isPassiveType('text/css; charset=utf-8')).toBe(true);
    expect(isPassiveType('font/woff2')).toBe(true);
    expect(isPassiveType('text/html')).toBe(false);
    expect(isPassiveType('application/javascript')).toBe(false);
    expect(isPassiveType('application/json')).toBe(false);
  });
});
