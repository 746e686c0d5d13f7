/**
 * Sanitizing rules (shared by capture and replica) and URL rewriting.
 */

import { describe, expect, it } from 'vitest';
import {
  absolutizeCss,
  absoluteUrl,
  createCaptureContext,
  isUnsafeUrl,
  safeSrcset,
  isPlainAttribute,
  sanitizeAttribute,
  serializeDocument,
} from '../src/index';
import { parse, strings } from './helpers';

const BASE = 'https://shop.example/a/b/page.html';

const UNSAFE = [
  'javascript:alert(1)',
  ' JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java\rscript:alert(1)',
  '\u0001javascript:alert(1)',
  '\u0000 javascript:alert(1)',
  'javascript\t:alert(1)',
  'JAVASCRIPT:alert(1)',
  'vbscript:msgbox(1)',
  ' VBScript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD4=',
  ' DATA: TEXT/HTML,x',
];

describe('sanitizeAttribute', () => {
  it('drops event handlers, whatever their case', () => {
    for (const name of ['onerror', 'onclick', 'onLoad', 'ONMOUSEOVER', 'onbegin', 'on']) {
      expect(sanitizeAttribute('img', name, 'alert(1)', BASE), name).toBeNull();
    }
    expect(sanitizeAttribute('div', 'one', 'x', BASE)).toBeNull(); // `on*`, even if not a handler
    expect(sanitizeAttribute('div', 'data-on', 'x', BASE)).toBe('x');
  });

  it('drops unsafe URLs in every URL attribute', () => {
    const cases: [string, string][] = [
      ['a', 'href'],
      ['img', 'src'],
      ['form', 'action'],
      ['button', 'formaction'],
      ['input', 'formaction'],
      ['use', 'xlink:href'],
      ['a', 'xlink:href'],
      ['video', 'poster'],
      ['table', 'background'],
      ['blockquote', 'cite'],
      ['img', 'longdesc'],
      ['a', 'ping'],
      ['object', 'codebase'],
      ['html', 'manifest'],
    ];
    for (const [tag, attr] of cases) {
      for (const value of UNSAFE) {
        expect(sanitizeAttribute(tag, attr, value, BASE), `${tag} ${attr}=${JSON.stringify(value)}`).toBeNull();
      }
    }
  });

  it('drops unsafe SVG animation values', () => {
    expect(sanitizeAttribute('set', 'to', 'javascript:alert(1)', BASE)).toBeNull();
    expect(sanitizeAttribute('animate', 'values', 'http://x;javascript:alert(1)', BASE)).toBeNull();
    expect(sanitizeAttribute('animate', 'values', '0;1', BASE)).toBe('0;1');
    expect(sanitizeAttribute('div', 'to', 'javascript:x', BASE)).toBe('javascript:x');
  });

  it('drops srcdoc, autofocus, meta http-equiv, base href and frame sources', () => {
    expect(sanitizeAttribute('iframe', 'srcdoc', '<script>x</script>', BASE)).toBeNull();
    expect(sanitizeAttribute('iframe', 'SRCDOC', 'x', BASE)).toBeNull();
    expect(sanitizeAttribute('input', 'autofocus', '', BASE)).toBeNull();
    expect(sanitizeAttribute('meta', 'http-equiv', 'refresh', BASE)).toBeNull();
    expect(sanitizeAttribute('meta', 'content', '0;url=https://evil.test', BASE)).toBe('0;url=https://evil.test');
    expect(sanitizeAttribute('meta', 'content', '0; url=JavaScript:alert(1)', BASE)).toBeNull();
    expect(sanitizeAttribute('meta', 'content', '0; url=java\tscript:alert(1)', BASE)).toBeNull();
    expect(sanitizeAttribute('meta', 'content', 'width=device-width', BASE)).toBe('width=device-width');
    expect(sanitizeAttribute('base', 'href', '/x/', BASE)).toBeNull();
    for (const tag of ['iframe', 'frame', 'embed', 'IFRAME']) expect(sanitizeAttribute(tag, 'src', 'x.html', BASE)).toBeNull();
    expect(sanitizeAttribute('object', 'data', 'x.pdf', BASE)).toBeNull();
    expect(sanitizeAttribute('div', 'data', '[1,2]', BASE)).toBe('[1,2]'); // not a URL elsewhere
  });

  it('makes URL attributes absolute, keeping fragments, empty values and absolute URLs', () => {
    expect(sanitizeAttribute('a', 'href', 'c.html', BASE)).toBe('https://shop.example/a/b/c.html');
    expect(sanitizeAttribute('a', 'href', '../c.html?q=1#x', BASE)).toBe('https://shop.example/a/c.html?q=1#x');
    expect(sanitizeAttribute('a', 'href', '//cdn.example/x', BASE)).toBe('https://cdn.example/x');
    expect(sanitizeAttribute('a', 'href', '/root', BASE)).toBe('https://shop.example/root');
    expect(sanitizeAttribute('a', 'href', '  spaced.html ', BASE)).toBe('https://shop.example/a/b/spaced.html');
    expect(sanitizeAttribute('use', 'xlink:href', '#icon', BASE)).toBe('#icon');
    expect(sanitizeAttribute('a', 'href', '', BASE)).toBe('');
    expect(sanitizeAttribute('a', 'href', 'mailto:a@b.c', BASE)).toBe('mailto:a@b.c');
    expect(sanitizeAttribute('img', 'src', 'data:image/png;base64,AAAA', BASE)).toBe('data:image/png;base64,AAAA');
    expect(sanitizeAttribute('a', 'href', 'http://[bad', BASE)).toBe('http://[bad');
    expect(sanitizeAttribute('a', 'title', 'JavaScript: the good parts', BASE)).toBe('JavaScript: the good parts');
  });

  it('is idempotent (what makes serialize → rebuild → serialize an identity)', () => {
    for (const [tag, attr, value] of [
      ['a', 'href', 'x/y.html'],
      ['img', 'srcset', '/300,400/a.jpg 300w,b.png 2x'],
      ['div', 'style', "background: url('i.png'), url(j.png); mask: url(#m)"],
    ] as const) {
      const once = sanitizeAttribute(tag, attr, value, BASE) as string;
      expect(sanitizeAttribute(tag, attr, once, 'about:blank')).toBe(once);
    }
  });
});

describe('srcset', () => {
  it('makes each candidate absolute, URLs with commas included', () => {
    expect(safeSrcset('/a.jpg 3x, /a.jpg 45x , /b.png', BASE)).toBe(
      'https://shop.example/a.jpg 3x, https://shop.example/a.jpg 45x, https://shop.example/b.png',
    );
    expect(safeSrcset('/300,400/a.jpg 300w,b.png', BASE)).toBe(
      'https://shop.example/300,400/a.jpg 300w, https://shop.example/a/b/b.png',
    );
    expect(safeSrcset('http://exmple.com/a.jpg ', BASE)).toBe('http://exmple.com/a.jpg');
    expect(safeSrcset('', BASE)).toBe('');
    expect(safeSrcset('a.png 1x, javascript:alert(1) 2x', BASE)).toBeNull();
  });
});

describe('CSS URLs', () => {
  it('rewrites url() in its three forms and @import strings', () => {
    const css = `@import 'x.css'; @import "y.css" screen; @import url(z.css);
      a { background: url(i.png) } b { background: url( "j k.png" ) } c { background: url('l.png') }`;
    expect(absolutizeCss(css, BASE)).toBe(`@import 'https://shop.example/a/b/x.css'; @import "https://shop.example/a/b/y.css" screen; @import url(https://shop.example/a/b/z.css);
      a { background: url(https://shop.example/a/b/i.png) } b { background: url("https://shop.example/a/b/j%20k.png") } c { background: url('https://shop.example/a/b/l.png') }`);
  });

  it('keeps data:, fragments, absolute URLs and text without references', () => {
    const css = 'a{background:url(data:image/png;base64,AA==)} b{fill:url(#grad)} c{background:URL(https://x.test/i.png)}';
    expect(absolutizeCss(css, BASE)).toBe(css);
    expect(absolutizeCss('p { color: red }', BASE)).toBe('p { color: red }');
  });

  it('escapes characters of the base URL that would end the token', () => {
    expect(absolutizeCss("a{background:url('i.png')}", "https://x.test/it's/")).toBe(
      "a{background:url('https://x.test/it%27s/i.png')}",
    );
  });

  it('resolves relative to the given base, the style attribute too', () => {
    expect(sanitizeAttribute('div', 'style', 'background-image: url("../bg.png")', BASE)).toBe(
      'background-image: url("https://shop.example/a/bg.png")',
    );
  });
});

describe('absoluteUrl / isUnsafeUrl', () => {
  it('catches whitespace, control characters and case', () => {
    for (const value of UNSAFE) expect(isUnsafeUrl(value), JSON.stringify(value)).toBe(true);
    for (const value of ['https://x', 'data:image/png,x', 'java', '#javascript:', 'jav ascript', 'javascript']) {
      expect(isUnsafeUrl(value), value).toBe(false);
    }
  });

  it('resolves', () => {
    expect(absoluteUrl('x', 'https://a.test/b/')).toBe('https://a.test/b/x');
  });

  it('resolves the same value against each base it is given (resolutions are remembered per base)', () => {
    for (let round = 0; round < 2; round++) {
      expect(absoluteUrl('img/a.png', 'https://a.test/b/')).toBe('https://a.test/b/img/a.png');
      expect(absoluteUrl('img/a.png', 'https://c.test/d/e')).toBe('https://c.test/d/img/a.png');
      expect(absoluteUrl(' ../x ', 'https://a.test/b/c/')).toBe('https://a.test/b/x');
      expect(absoluteUrl('x', 'not a base')).toBe('x');
      expect(absoluteUrl('x', 'https://a.test/')).toBe('https://a.test/x');
    }
    // More values than are remembered: each still resolves.
    for (let i = 0; i < 3000; i++) expect(absoluteUrl(`p${i}`, 'https://a.test/')).toBe(`https://a.test/p${i}`);
  });
});

describe('capture of hostile markup', () => {
  it('entity and whitespace tricks are decoded by the parser and dropped', () => {
    const doc = parse(`<!DOCTYPE html><body>
      <a id="1" href="&#106;avascript:alert(1)">1</a>
      <a id="2" href="jav&#x09;ascript:alert(1)">2</a>
      <a id="3" href="&#x20;javascript:alert(1)">3</a>
      <a id="4" href=" JaVaScRiPt:alert(1)">4</a>
      <a id="5" href="java&NewLine;script:alert(1)">5</a>
      <img src="x" onerror="alert(1)" srcset="javascript:alert(1) 1x">
      <form action="javascript:alert(1)"><button formaction="JAVASCRIPT:alert(1)">b</button></form>
      <svg><a xlink:href="javascript:alert(1)"><text>t</text></a><use href=" javascript:alert(1)"></use>
        <set attributeName="href" to="javascript:alert(1)"></set></svg>
      <iframe src="https://evil.test/" srcdoc="<script>alert(1)</script>"></iframe>
      <object data="x.swf"></object><embed src="x.swf">
      <meta http-equiv="refresh" content="0;url=https://elsewhere.test">
      <noscript><img src="x" onerror="alert(1)"></noscript>
      <script>alert(1)</script><svg><script>alert(1)</script></svg>
      <div onclick="alert(1)" ONMOUSEOVER="alert(1)" style="background:url(x.png)">d</div>
    </body>`);
    const snap = serializeDocument(createCaptureContext(doc));
    const json = JSON.stringify(snap);
    expect(json).not.toMatch(/alert/);
    expect(json).not.toMatch(/evil\.test/);
    expect(json).not.toMatch(/x\.swf/);
    expect(json).not.toMatch(/"n":"script"/);
    for (const [key] of strings(snap.doc)) expect(key).not.toMatch(/^on|srcdoc|http-equiv/i);
    expect(json).toContain('"style":"background:url(http://localhost:3030/html/x.png)"');
    expect(json).toContain('"n":"iframe"');
    expect(json).toContain('"n":"meta"');
  });

  it('<base href> is not sent; the URLs it governs are resolved against it', () => {
    const doc = parse('<!DOCTYPE html><head><base href="https://cdn.test/app/"></head><body><img src="i.png"></body>');
    const json = JSON.stringify(serializeDocument(createCaptureContext(doc)));
    expect(json).toContain('{"i":0,"t":1,"n":"base"}');
    expect(json).toContain('"src":"https://cdn.test/app/i.png"');
  });
});

describe('attribute names the page controls', () => {
  it("names Object.prototype has (__proto__, constructor, a setter the page put there) stay attributes, in order, and call nothing", () => {
    const calls: string[] = [];
    Object.defineProperty(Object.prototype, 'data-trap', {
      configurable: true,
      set(v: unknown) {
        calls.push(String(v));
      },
    });
    try {
      const doc = parse('<div id="x" class="c">plain</div><p>text</p>');
      const el = doc.getElementById('x') as Element;
      el.setAttribute('__proto__', 'p');
      el.setAttribute('data-trap', 't');
      el.setAttribute('constructor', 'k');
      const json = JSON.parse(JSON.stringify(serializeDocument(createCaptureContext(doc)))) as unknown;
      const attrs: Record<string, string>[] = [];
      const visit = (n: unknown): void => {
        if (typeof n !== 'object' || n === null) return;
        const o = n as { a?: Record<string, string>; c?: unknown[] };
        if (o.a?.id === 'x') attrs.push(o.a);
        for (const c of o.c ?? []) visit(c);
      };
      visit((json as { doc: unknown }).doc);
      expect(attrs).toHaveLength(1);
      expect(Object.entries(attrs[0] as object)).toEqual([
        ['id', 'x'],
        ['class', 'c'],
        ['__proto__', 'p'],
        ['data-trap', 't'],
        ['constructor', 'k'],
      ]);
      expect(calls).toEqual([]);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['data-trap'];
    }
  });
});

describe('isPlainAttribute', () => {
  it('holds exactly for names whose every value sanitizeAttribute keeps, on every element', () => {
    const names = ['class', 'id', 'branch', 'data-x', 'aria-label', 'title', 'value', 'type', 'HREF', 'href', 'Src', 'style', 'onclick', 'OnLoad', 'srcdoc', 'sandbox', 'http-equiv', 'content', 'to', 'data-cobrowse-restricted', 'DATA-COBROWSE-x', 'xlink:href', 'data', 'ping'];
    const tags = ['div', 'a', 'img', 'iframe', 'object', 'base', 'meta', 'animate', 'set'];
    const values = ['x', 'javascript:alert(1)', 'rel/ative', 'url(a.png)', 'data:text/html,x'];
    for (const name of names) {
      const keeps = tags.every((tag) => values.every((v) => sanitizeAttribute(tag, name, v, BASE) === v));
      if (isPlainAttribute(name)) expect(keeps, name).toBe(true);
    }
    for (const name of ['class', 'id', 'branch', 'data-x', 'aria-label', 'title', 'value', 'type']) expect(isPlainAttribute(name), name).toBe(true);
    for (const name of ['href', 'HREF', 'Src', 'style', 'onclick', 'OnLoad', 'srcdoc', 'sandbox', 'data-cobrowse-restricted', 'DATA-COBROWSE-x', 'to', 'ping']) {
      expect(isPlainAttribute(name), name).toBe(false);
    }
  });
});
