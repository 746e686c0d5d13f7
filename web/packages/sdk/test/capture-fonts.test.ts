// Font faces added by script (`new FontFace` + `document.fonts.add`) reach the agent: sources
// recorded at construction, `ff` in snapshots, `fonts` ops, the replica's faces. jsdom has no CSS
// Font Loading API: each test gives the window a `FontFace` and a `FontFaceSet` (a class with the
// browser's members and their behaviour) and the document its `fonts`, as a browser has them.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyOps, createReplicaMirror, fontFamilyName, fontSourceUrls, MAX_FONT_FACE_BYTES } from '@cobrowse/dom';
import { type FontFaceEntry, type FullSnapshot, type Op } from '@cobrowse/protocol';
import { batchOps, start, type Session } from './capture-session';

/** The browser's `FontFace` as far as the capture and the replica use it. */
class PageFontFace {
  family: string;
  style = 'normal';
  weight = 'normal';
  stretch = 'normal';
  unicodeRange = 'U+0-10FFFF';
  featureSettings = 'normal';
  variationSettings = 'normal';
  display = 'auto';
  ascentOverride = 'normal';
  descentOverride = 'normal';
  lineGapOverride = 'normal';
  sizeAdjust = '100%';
  loads = 0;
  /** What the constructor got (a real face keeps it internal). */
  readonly given: unknown;
  constructor(family: string, source: unknown, descriptors: Record<string, string> = {}) {
    this.family = family;
    this.given = source;
    Object.assign(this, descriptors);
  }
  load(): Promise<this> {
    this.loads++;
    return Promise.resolve(this);
  }
}

/** The browser's `FontFaceSet`: a set of faces (CSS-connected ones are not modelled). */
class PageFontFaceSet {
  readonly faces = new Set<object>();
  add(face: object): this {
    this.faces.add(face);
    return this;
  }
  delete(face: object): boolean {
    return this.faces.delete(face);
  }
  clear(): void {
    this.faces.clear();
  }
  forEach(cb: (face: object, key: object, set: this) => void): void {
    for (const f of this.faces) cb(f, f, this);
  }
}

// Omit: a package's global types (@rrweb/types, for web/bench) declare Window.FontFace too.
type FontWindow = Omit<Window, 'FontFace'> & { FontFace: typeof PageFontFace; FontFaceSet: typeof PageFontFaceSet };
const fontWindow = window as unknown as FontWindow;
const pageFonts = (): PageFontFaceSet => (document as unknown as { fonts: PageFontFaceSet }).fonts;

beforeEach(() => {
  Object.defineProperty(window, 'FontFace', { value: PageFontFace, configurable: true, writable: true });
  Object.defineProperty(window, 'FontFaceSet', { value: PageFontFaceSet, configurable: true, writable: true });
  Object.defineProperty(document, 'fonts', { value: new PageFontFaceSet(), configurable: true });
});

afterEach(() => {
  delete (window as unknown as Record<string, unknown>)['FontFace'];
  delete (window as unknown as Record<string, unknown>)['FontFaceSet'];
  delete (document as unknown as Record<string, unknown>)['fonts'];
  document.body.replaceChildren();
});

/** The `fonts` ops sent, once at least `count` frames were. */
async function fontsOps(s: Session, count: number): Promise<Extract<Op, { o: 'fonts' }>[]> {
  return (await batchOps(s, count)).filter((o): o is Extract<Op, { o: 'fonts' }> => o.o === 'fonts');
}

describe('the FontFace constructor while a capture runs', () => {
  it('keeps instanceof, prototype, subclassing and the no-`new` error; stop() restores it', () => {
    const s = start();
    try {
      expect(fontWindow.FontFace).not.toBe(PageFontFace);
      const face = new fontWindow.FontFace('A', 'url(a.woff2)');
      expect(face).toBeInstanceOf(PageFontFace);
      expect(face).toBeInstanceOf(fontWindow.FontFace);
      expect(Object.getPrototypeOf(face)).toBe(PageFontFace.prototype);
      expect(fontWindow.FontFace.prototype).toBe(PageFontFace.prototype);
      expect(fontWindow.FontFace.name).toBe('PageFontFace');
      expect(face.given).toBe('url(a.woff2)');
      // A class the page derives while we watch: its own prototype, recorded like any face.
      class Derived extends fontWindow.FontFace {
        extra(): string {
          return 'derived ' + this.family;
        }
      }
      const derived = new Derived('D', 'local(Arial)');
      expect(derived).toBeInstanceOf(Derived);
      expect(derived).toBeInstanceOf(PageFontFace);
      expect(derived.extra()).toBe('derived D');
      expect(s.ctx.fontSources.get(derived)).toEqual({ s: 'local(Arial)' });
      expect(() => (fontWindow.FontFace as unknown as (f: string, s: string) => unknown)('A', 'x')).toThrow(TypeError);
      // The set's methods return what the originals do.
      const set = pageFonts();
      expect(set.add(face)).toBe(set);
      expect(set.delete(face)).toBe(true);
      expect(set.delete(face)).toBe(false);

      s.capture.stop();
      expect(fontWindow.FontFace).toBe(PageFontFace);
      expect(fontWindow.FontFaceSet.prototype.add).toBe(PageFontFaceSet.prototype.add);
      // The subclass made meanwhile still works (its parent is our pass-through now) and records nothing.
      const after = new Derived('E', 'local(Arial)');
      expect(after.family).toBe('E');
      expect(s.ctx.fontSources.has(after)).toBe(false);
    } finally {
      s.capture.stop();
    }
  });
});

describe('font faces added by script', () => {
  it('snapshots carry `ff`; add, delete and clear send `fonts`; the replica builds the same faces', async () => {
    const s = start();
    try {
      const byUrl = new fontWindow.FontFace('Url Face', 'url(fonts/a.woff2) format("woff2"), local("Arial")', { weight: '700' });
      pageFonts().add(byUrl);
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
      const snap = (await s.payloads())[0]?.payload as FullSnapshot;
      const absolute = new URL('fonts/a.woff2', document.baseURI).href;
      expect(snap.doc.ff).toEqual([{ f: 'Url Face', s: `url(${absolute}) format("woff2"), local("Arial")`, d: { weight: '700' } }]);
      expect(snap.doc.fx).toBeUndefined();

      // A binary source, added after the snapshot: the bytes travel as a data: URL.
      const bytes = new Uint8Array([0, 1, 0, 0, 0, 9, 200, 255]);
      const byBytes = new fontWindow.FontFace('Bytes Face', bytes.buffer);
      bytes[0] = 7; // the page reuses its buffer: what was constructed is sent
      pageFonts().add(byBytes);
      let ops = await fontsOps(s, 2);
      const added = ops.at(-1) as Extract<Op, { o: 'fonts' }>;
      expect(added.i).toBe(1);
      expect(added.ff.map((e) => e.f)).toEqual(['Url Face', 'Bytes Face']);
      expect(added.ff[1]?.b).toBe('data:application/octet-stream;base64,' + btoa(String.fromCharCode(0, 1, 0, 0, 0, 9, 200, 255)));

      // A face too large is left out and counted; deleting one sends the list without it.
      const big = new fontWindow.FontFace('Big', new Uint8Array(MAX_FONT_FACE_BYTES + 1));
      pageFonts().add(big);
      pageFonts().delete(byUrl);
      ops = await fontsOps(s, 3);
      expect(ops.at(-1)).toEqual({ o: 'fonts', i: 1, ff: [expect.objectContaining({ f: 'Bytes Face' })], fx: 1 });

      // The replica (here the same jsdom document): the viewer's faces replace what it had.
      s.capture.stop();
      pageFonts().clear();
      const mirror = createReplicaMirror();
      mirror.set(1, document);
      const mapped: string[] = [];
      const mapUrl = (css: string): string => {
        mapped.push(css);
        return css.replace(/https?:\/\/[^)\s"']+/g, (u) => 'https://cobrowse.example/resource?url=' + encodeURIComponent(u));
      };
      const replicaOp: Op = { o: 'fonts', i: 1, ff: added.ff };
      expect(applyOps([replicaOp], document, mirror, { mapUrl }).applied).toBe(1);
      const faces = [...pageFonts().faces] as PageFontFace[];
      expect(faces.map((f) => f.family)).toEqual(['Url Face', 'Bytes Face']);
      expect(faces[0]?.given).toBe(`url(https://cobrowse.example/resource?url=${encodeURIComponent(absolute)}) format("woff2"), local("Arial")`);
      expect(faces[0]?.weight).toBe('700');
      expect(mapped).toEqual([`url(${absolute}) format("woff2"), local("Arial")`]);
      expect(Array.from(new Uint8Array(faces[1]?.given as ArrayBuffer))).toEqual([0, 1, 0, 0, 0, 9, 200, 255]);
      expect(faces.every((f) => f.loads === 1)).toBe(true);
      // Wholesale: the next op replaces them; an empty list leaves none.
      expect(applyOps([{ o: 'fonts', i: 1, ff: [] }], document, mirror).applied).toBe(1);
      expect(pageFonts().faces.size).toBe(0);
    } finally {
      s.capture.stop();
    }
  });

  it('faces made before the capture ran, and sources that are not a plain list, are not sent', async () => {
    const before = new fontWindow.FontFace('Before', 'url(b.woff2)');
    const s = start();
    try {
      pageFonts().add(before);
      pageFonts().add(new fontWindow.FontFace('Odd', 'url(a.woff2) format(woff2) } body { color: red'));
      pageFonts().add(new fontWindow.FontFace('Script', 'url(javascript:alert(1))'));
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
      const snap = (await s.payloads())[0]?.payload as FullSnapshot;
      expect(snap.doc.ff).toBeUndefined();
      expect(snap.doc.fx).toBe(2);
    } finally {
      s.capture.stop();
    }
  });

  it('the replica refuses sources that would load another scheme, and malformed entries', () => {
    const mirror = createReplicaMirror();
    mirror.set(1, document);
    const ff = [
      { f: 'File', s: 'url(file:///etc/passwd)' },
      { f: 'Relative', s: 'url(a.woff2)' },
      { f: 'Blob', s: 'url(blob:https://shop.example/1234)' },
      { f: 'Escaped', s: 'u\\72l(javascript:x)' },
      { f: 'Not data', b: 'https://shop.example/a.woff2' },
      { f: 'Bad base64', b: 'data:font/woff2;base64,@@@' },
      { f: 7, s: 'url(https://shop.example/a.woff2)' },
      { f: 'Ok', s: 'url("https://shop.example/a.woff2")', d: { weight: '300', onload: 'x' } },
    ] as unknown as FontFaceEntry[];
    expect(applyOps([{ o: 'fonts', i: 1, ff }], document, mirror).applied).toBe(1);
    const faces = [...pageFonts().faces] as PageFontFace[];
    expect(faces.map((f) => [f.family, f.given, f.weight])).toEqual([['Ok', 'url("https://shop.example/a.woff2")', '300']]);
    expect((faces[0] as unknown as Record<string, unknown>)['onload']).toBeUndefined();
    // Not a document: skipped.
    document.body.appendChild(document.createElement('p'));
    mirror.set(5, document.body.firstChild as Node);
    expect(applyOps([{ o: 'fonts', i: 5, ff }], document, mirror).skipped).toBe(1);
  });

  it('the replica keeps the faces it made for entries that come again, in order', () => {
    const mirror = createReplicaMirror();
    mirror.set(1, document);
    const entry = (f: string): FontFaceEntry => ({ f, s: `url(https://shop.example/${f}.woff2)` });
    const faces = () => [...pageFonts().faces] as PageFontFace[];
    const apply = (...names: string[]) => applyOps([{ o: 'fonts', i: 1, ff: names.map(entry) }], document, mirror);
    const pageOwn = new PageFontFace('Page', 'local(Arial)');
    pageFonts().add(pageOwn); // not the viewer's (a stylesheet's, in a replica): never touched
    apply('A', 'B');
    const [, a, b] = faces();
    apply('A', 'B', 'C');
    expect(faces().slice(0, 3)).toEqual([pageOwn, a, b]);
    expect(faces().map((f) => f.family)).toEqual(['Page', 'A', 'B', 'C']);
    const c = faces()[3];
    apply('A', 'C');
    expect(faces()).toEqual([pageOwn, a, c]);
    apply('C', 'A');
    expect(faces().map((f) => f.family)).toEqual(['Page', 'C', 'A']);
    expect(faces()[1]).toBe(c);
    expect(faces()[2]).not.toBe(a);
    expect(a?.loads).toBe(1);
  });

  it('family names that the browser gives as CSS strings are sent as names', () => {
    expect(fontFamilyName('"Scripted Url"')).toBe('Scripted Url');
    expect(fontFamilyName('"A \\"quoted\\" \\\\ name \\31 0"')).toBe('A "quoted" \\ name 10');
    expect(fontFamilyName('Plain')).toBe('Plain');
    expect(fontFamilyName('"unterminated')).toBe('"unterminated');
  });

  it('fontSourceUrls reads plain src lists only', () => {
    expect(fontSourceUrls(`url("a b.woff2") format('woff2') tech(variations), url(c.ttf), local(Arial)`)).toEqual(['a b.woff2', 'c.ttf']);
    expect(fontSourceUrls('local("Helvetica Neue")')).toEqual([]);
    expect(fontSourceUrls('')).toBeNull();
    expect(fontSourceUrls('url(a.woff2) foo')).toBeNull();
    expect(fontSourceUrls('url(a\\29 .woff2)')).toBeNull();
    expect(fontSourceUrls('url(a.woff2); src: url(b)')).toBeNull();
  });
});
