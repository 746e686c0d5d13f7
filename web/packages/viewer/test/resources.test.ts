/**
 * The replica's sub-resources through the resource proxy: the URL mapping (`resources.ts`) and the
 * replica builder applying it (snapshots and ops).
 */

import { JSDOM } from 'jsdom';
import { describe, expect, it, vi } from 'vitest';
import type { FullSnapshot, Op, SerializedNode } from '@cobrowse/protocol';
import { applyOps, createReplicaMirror, rebuildDocument, type FrameHooks } from '@cobrowse/dom';
import { BLOCKED_URL, createResourceMapper, mapCssUrls, mapSrcset, proxiedUrl } from '../src/resources';

const ORIGIN = 'https://cobrowse.test';
const TOKEN = '123456789';
const BASE = 'https://shop.example/dir/page.html';

/** What the proxy URL of `url` is (fragment outside, as the mapper writes it). */
function proxy(url: string, hash = ''): string {
  const encoded = encodeURIComponent(url).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${ORIGIN}/cobrowse/resource/${TOKEN}?url=${encoded}${hash}`;
}

const one = (url: string) => proxiedUrl(url, TOKEN, ORIGIN, BASE);
const map = createResourceMapper(TOKEN, ORIGIN);

describe('proxiedUrl', () => {
  it('sends http(s) and blob: URLs through the proxy, percent-encoded, resolved against the page', () => {
    expect(one('https://cdn.example/a b.png?x=1&y=2')).toBe(proxy('https://cdn.example/a%20b.png?x=1&y=2'));
    expect(one('http://shop.example/img.png')).toBe(proxy('http://shop.example/img.png'));
    expect(one('img/logo.png')).toBe(proxy('https://shop.example/dir/img/logo.png'));
    expect(one('  https://shop.example/x.png\n')).toBe(proxy('https://shop.example/x.png'));
    expect(one('blob:https://shop.example/0f1e-22')).toBe(proxy('blob:https://shop.example/0f1e-22'));
    // Characters that would end a CSS url() or a srcset candidate never appear unencoded.
    const odd = one("https://cdn.example/it's (1),2.png") as string;
    expect(odd).not.toMatch(/['"() ,]/);
    expect(new URL(odd).searchParams.get('url')).toBe("https://cdn.example/it's%20(1),2.png");
  });

  it('keeps a fragment outside the proxied URL', () => {
    expect(one('https://shop.example/sprite.svg#icon-cart')).toBe(proxy('https://shop.example/sprite.svg', '#icon-cart'));
    expect(one('https://shop.example/v.mp4#t=10')).toBe(proxy('https://shop.example/v.mp4', '#t=10'));
  });

  it('keeps data: URLs, fragment-only references and empty values; other schemes load nothing', () => {
    expect(one('data:image/png;base64,AAAA')).toBe('data:image/png;base64,AAAA');
    expect(one('#gradient')).toBe('#gradient');
    expect(one('')).toBe('');
    expect(one('ftp://shop.example/x.png')).toBeNull();
    expect(one('file:///etc/passwd')).toBeNull();
    expect(one('about:blank')).toBeNull();
    expect(proxiedUrl('x.png', TOKEN, ORIGIN, 'about:blank')).toBeNull();
  });
});

describe('mapSrcset', () => {
  it('maps every candidate, keeping descriptors; URLs may contain commas', () => {
    const out = map('https://shop.example/a,1.png 1x,https://shop.example/b.png  2x , data:image/png;base64,AA 3x', 'srcset', BASE);
    expect(out).toBe(
      `${proxy('https://shop.example/a,1.png')} 1x, ${proxy('https://shop.example/b.png')} 2x, data:image/png;base64,AA 3x`,
    );
    expect(mapSrcset('a.png, b.png 480w', (u) => `<${u}>`)).toBe('<a.png>, <b.png> 480w');
    expect(map('javascript:x 1x, https://shop.example/c.png 2x', 'srcset', BASE)).toBe(
      `${BLOCKED_URL} 1x, ${proxy('https://shop.example/c.png')} 2x`,
    );
  });
});

describe('mapCssUrls', () => {
  const css = (text: string) => map(text, 'css', BASE);
  const u = (url: string, hash = '') => `url("${proxy(url, hash)}")`;

  it('maps url() in its three forms, relative URLs against the page', () => {
    expect(css('a{background:url(https://cdn.example/bg.png)}')).toBe(`a{background:${u('https://cdn.example/bg.png')}}`);
    expect(css("a{background:url( 'img/bg.png' )}")).toBe(`a{background:${u('https://shop.example/dir/img/bg.png')}}`);
    expect(css('a{background:URL("/bg.png") no-repeat}')).toBe(`a{background:${u('https://shop.example/bg.png')} no-repeat}`);
    expect(css('@font-face{src:url(https://cdn.example/f.woff2) format("woff2")}')).toBe(
      `@font-face{src:${u('https://cdn.example/f.woff2')} format("woff2")}`,
    );
  });

  it('reads quotes and escapes as the CSS tokenizer does', () => {
    // An escaped quote inside a string, an escaped parenthesis in an unquoted url, a hex escape.
    expect(css(`a{b:url("https://cdn.example/x\\"y.png")}`)).toBe(`a{b:${u('https://cdn.example/x%22y.png')}}`);
    expect(css('a{b:url(https://cdn.example/x\\)y.png)}')).toBe(`a{b:${u('https://cdn.example/x)y.png')}}`);
    expect(css('a{b:url("https://cdn.example/\\41 .png")}')).toBe(`a{b:${u('https://cdn.example/A.png')}}`);
    // `url` written with escapes is still a url( function.
    expect(css('a{b:\\75 rl(https://cdn.example/e.png)}')).toBe(`a{b:${u('https://cdn.example/e.png')}}`);
    expect(css('a{b:u\\72l("https://cdn.example/e.png")}')).toBe(`a{b:${u('https://cdn.example/e.png')}}`);
    // A line continuation in a string.
    expect(css('a{b:url("https://cdn.example/l\\\nc.png")}')).toBe(`a{b:${u('https://cdn.example/lc.png')}}`);
  });

  it('leaves what is no URL reference as written', () => {
    const kept = [
      'a{content:"url(https://cdn.example/x.png)"}',
      "a{content:'@import \"https://cdn.example/x.css\"'}",
      '/* url(https://cdn.example/x.png) */a{color:red}',
      '@namespace svg "http://www.w3.org/2000/svg";',
      'a{b:#url(x)}',
      'a{width:1url(x)}',
      'a{b:-url(x)}',
      'a{font-family:"url"}',
    ];
    for (const text of kept) expect(css(text)).toBe(text);
  });

  it('keeps fragments and data: URLs; a bad url() or another scheme loads nothing', () => {
    expect(css('a{fill:url(#grad)}')).toBe('a{fill:url("#grad")}');
    expect(css('a{b:url(data:image/png;base64,AAAA)}')).toBe('a{b:url("data:image/png;base64,AAAA")}');
    expect(css('a{b:url(https://shop.example/s.svg#m)}')).toBe(`a{b:${u('https://shop.example/s.svg', '#m')}}`);
    expect(css('a{b:url(https://x.example/a b.png)}')).toBe('a{b:url("")}');
    expect(css('a{b:url(ftp://x.example/a.png)}')).toBe('a{b:url("")}');
    expect(css('a{b:url("javascript:alert(1)")}')).toBe('a{b:url("")}');
  });

  it('maps @import (string or url) and the strings of image-set()', () => {
    expect(css('@import "theme.css" screen;')).toBe(`@import "${proxy('https://shop.example/dir/theme.css')}" screen;`);
    expect(css("@import /* c */ 'https://cdn.example/t.css';")).toBe(`@import /* c */ "${proxy('https://cdn.example/t.css')}";`);
    expect(css('@IMPORT url(t.css);')).toBe(`@IMPORT ${u('https://shop.example/dir/t.css')};`);
    expect(css('a{b:image-set("a.png" 1x, url(b.png) 2x)}')).toBe(
      `a{b:image-set("${proxy('https://shop.example/dir/a.png')}" 1x, ${u('https://shop.example/dir/b.png')} 2x)}`,
    );
    expect(css('a{b:-webkit-image-set("a.png" 1x);content:"x.png"}')).toBe(
      `a{b:-webkit-image-set("${proxy('https://shop.example/dir/a.png')}" 1x);content:"x.png"}`,
    );
  });

  it('uses a text without "(" and "@" as written, without scanning or mapping anything', () => {
    // No function and no at-rule can be written without them: escaped, `\28` and `\40` are
    // identifier characters (`url\28 x)` is no url() function, `\40 import "x"` no @import).
    const map = vi.fn((u: string) => `mapped:${u}`);
    for (const text of ['color:red;font-size:12px', 'a{b:url\\28 x.png)}', '\\40 import "x.css";', 'content:"x.png"']) {
      expect(mapCssUrls(text, map)).toBe(text);
    }
    expect(map).not.toHaveBeenCalled();
    // With either character the text is scanned as before.
    expect(mapCssUrls('a{b:url(x.png)}', map)).toBe('a{b:url("mapped:x.png")}');
    expect(mapCssUrls('@import "t.css";', map)).toBe('@import "mapped:t.css";');
  });

  it('writes what it maps so that the result is read back as the same URL', () => {
    const out = mapCssUrls('a{b:url(x)}', () => 'https://c.test/a"b\\c\nd');
    expect(out).toBe('a{b:url("https://c.test/a\\22 b\\5c c\\a d")}');
  });
});

// ---- the replica builder with the mapping ---------------------------------------------------------

function snapshot(body: SerializedNode[], head: SerializedNode[] = []): FullSnapshot {
  return {
    url: BASE,
    title: '',
    viewport: { w: 800, h: 600 },
    scroll: [0, 0],
    doc: {
      i: 1,
      t: 9,
      c: [{ i: 2, t: 1, n: 'html', c: [{ i: 3, t: 1, n: 'head', c: head }, { i: 4, t: 1, n: 'body', c: body }] }],
    },
  };
}

function replica(snap: FullSnapshot) {
  const doc = new JSDOM('').window.document;
  const mirror = createReplicaMirror();
  const hooks: FrameHooks = { mapUrl: map };
  rebuildDocument(snap, doc, mirror, hooks);
  return { doc, mirror, hooks };
}

describe('the replica builder with mapUrl', () => {
  const body: SerializedNode[] = [
    { i: 10, t: 1, n: 'img', a: { src: 'https://cdn.example/p.png', srcset: 'https://cdn.example/p2.png 2x', alt: 'https://x.example/' } },
    { i: 11, t: 1, n: 'a', a: { href: 'https://shop.example/next.html' }, c: [{ i: 12, t: 3, x: 'next' }] },
    { i: 13, t: 1, n: 'video', a: { poster: 'https://cdn.example/poster.jpg', src: 'blob:https://shop.example/v1' } },
    { i: 14, t: 1, n: 'table', a: { background: 'https://cdn.example/t.gif' } },
    { i: 15, t: 1, n: 'div', a: { style: 'background-image:url("https://cdn.example/d.png")' } },
    { i: 16, t: 1, n: 'img', a: { src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' } },
    {
      i: 20,
      t: 1,
      n: 'svg',
      ns: 'svg',
      c: [
        { i: 21, t: 1, n: 'use', ns: 'svg', a: { href: '#local' } },
        { i: 22, t: 1, n: 'use', ns: 'svg', a: { 'xlink:href': 'https://shop.example/sprite.svg#cart' } },
        { i: 23, t: 1, n: 'image', ns: 'svg', a: { href: 'https://cdn.example/i.svg' } },
        { i: 24, t: 1, n: 'rect', ns: 'svg', a: { fill: 'url(#g)', mask: 'url(https://shop.example/m.svg#m)' } },
        { i: 25, t: 1, n: 'a', ns: 'svg', a: { href: 'https://shop.example/svg-link' } },
      ],
    },
  ];
  const head: SerializedNode[] = [
    { i: 30, t: 1, n: 'link', a: { rel: 'stylesheet', href: 'https://cdn.example/s.css', integrity: 'sha384-abc' } },
    { i: 31, t: 1, n: 'link', a: { rel: 'icon', href: 'https://shop.example/favicon.ico' } },
    { i: 32, t: 1, n: 'style', c: [{ i: 33, t: 3, x: '@import "https://cdn.example/i.css"; p{background:url(https://cdn.example/s.png)}' }] },
    {
      i: 34,
      t: 1,
      n: 'link',
      a: { rel: 'stylesheet', href: 'https://shop.example/own.css' },
      css: 'body{background:url("https://shop.example/body.png")}',
    },
  ];

  it('maps every sub-resource attribute and leaves links, fragments and data: URLs', () => {
    const { doc } = replica(snapshot(body, head));
    const attr = (sel: string, name: string) => doc.querySelector(sel)?.getAttribute(name);
    expect(attr('img', 'src')).toBe(proxy('https://cdn.example/p.png'));
    expect(attr('img', 'srcset')).toBe(`${proxy('https://cdn.example/p2.png')} 2x`);
    expect(attr('img', 'alt')).toBe('https://x.example/');
    expect(attr('a', 'href')).toBe('https://shop.example/next.html');
    expect(attr('video', 'poster')).toBe(proxy('https://cdn.example/poster.jpg'));
    expect(attr('video', 'src')).toBe(proxy('blob:https://shop.example/v1'));
    expect(attr('table', 'background')).toBe(proxy('https://cdn.example/t.gif'));
    expect(attr('div', 'style')).toContain(`url("${proxy('https://cdn.example/d.png')}")`);
    expect(doc.querySelectorAll('img')[1]?.getAttribute('src')).toBe('data:image/gif;base64,R0lGODlhAQABAAAAACw=');
    const uses = doc.querySelectorAll('use');
    expect(uses[0]?.getAttribute('href')).toBe('#local');
    expect(uses[1]?.getAttributeNS('http://www.w3.org/1999/xlink', 'href')).toBe(proxy('https://shop.example/sprite.svg', '#cart'));
    expect(doc.querySelector('image')?.getAttribute('href')).toBe(proxy('https://cdn.example/i.svg'));
    expect(attr('rect', 'fill')).toBe('url("#g")');
    expect(attr('rect', 'mask')).toBe(`url("${proxy('https://shop.example/m.svg', '#m')}")`);
    expect(doc.querySelector('svg a')?.getAttribute('href')).toBe('https://shop.example/svg-link');
    const links = doc.querySelectorAll('link');
    expect(links[0]?.getAttribute('href')).toBe(proxy('https://cdn.example/s.css'));
    expect(links[0]?.hasAttribute('integrity')).toBe(false);
    expect(links[1]?.getAttribute('href')).toBe(proxy('https://shop.example/favicon.ico'));
  });

  it('maps <style> text and css payloads', () => {
    const { doc } = replica(snapshot([], head));
    const styles = doc.querySelectorAll('style');
    expect(styles[0]?.textContent).toBe(
      `@import "${proxy('https://cdn.example/i.css')}"; p{background:url("${proxy('https://cdn.example/s.png')}")}`,
    );
    const rules = Array.from(styles[1]?.sheet?.cssRules ?? []).map((r) => r.cssText).join('\n');
    expect(rules).toContain(proxy('https://shop.example/body.png'));
    expect(rules).not.toContain('url("https://shop.example/body.png")');
  });

  it('maps what ops set: attributes, <style> text, added nodes, css', () => {
    const { doc, mirror, hooks } = replica(snapshot(body, head));
    const ops: Op[] = [
      { o: 'attr', i: 10, k: 'src', v: 'https://cdn.example/new.png' },
      { o: 'attr', i: 11, k: 'href', v: 'https://shop.example/other.html' },
      { o: 'text', i: 33, x: 'p{background:url(https://cdn.example/t.png)}' },
      { o: 'add', p: 4, nx: null, n: { i: 40, t: 1, n: 'img', a: { src: 'https://cdn.example/added.png' } } },
      { o: 'add', p: 32, nx: null, n: { i: 41, t: 3, x: 'a{cursor:url(https://cdn.example/c.cur),auto}' } },
      { o: 'css', i: 34, css: 'body{background:url(https://shop.example/later.png)}' },
    ];
    const result = applyOps(ops, doc, mirror, hooks);
    expect(result.skipped).toBe(0);
    expect(doc.querySelector('img')?.getAttribute('src')).toBe(proxy('https://cdn.example/new.png'));
    expect(doc.querySelector('a')?.getAttribute('href')).toBe('https://shop.example/other.html');
    const style = doc.querySelector('style');
    expect(style?.firstChild?.textContent).toBe(`p{background:url("${proxy('https://cdn.example/t.png')}")}`);
    expect(style?.lastChild?.textContent).toBe(`a{cursor:url("${proxy('https://cdn.example/c.cur')}"),auto}`);
    expect(doc.querySelector('body > img:last-child')?.getAttribute('src')).toBe(proxy('https://cdn.example/added.png'));
    const rules = Array.from(doc.querySelectorAll('style')[1]?.sheet?.cssRules ?? []).map((r) => r.cssText).join('\n');
    expect(rules).toContain(proxy('https://shop.example/later.png'));
  });

  it('without the hook the replica keeps the page URLs; a mapper that throws drops the value', () => {
    const doc = new JSDOM('').window.document;
    rebuildDocument(snapshot(body, head), doc, createReplicaMirror());
    expect(doc.querySelector('img')?.getAttribute('src')).toBe('https://cdn.example/p.png');
    const broken = new JSDOM('').window.document;
    rebuildDocument(snapshot(body, head), broken, createReplicaMirror(), {
      mapUrl: () => {
        throw new Error('no');
      },
    });
    expect(broken.querySelector('img')?.hasAttribute('src')).toBe(false);
    expect(broken.querySelector('img')?.getAttribute('alt')).toBe('https://x.example/');
    expect(broken.querySelector('style')?.textContent).toBe('');
  });
});
