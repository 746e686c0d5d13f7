/**
 * Font faces added by script (docs/PROTOCOL.md, "Fonts added by script"), both halves.
 *
 * Fonts of `@font-face` rules travel with the stylesheets. A face made with
 * `new FontFace(family, source, descriptors)` and put into `document.fonts` with `add` is in no
 * stylesheet, and a `FontFace` does not expose its source. So while a capture runs, the constructor
 * is wrapped (`font-watch.ts`) and each face's source is recorded at construction
 * (`recordFontSource`, into `ctx.fontSources`): a string source with its URLs made absolute, a
 * binary one (`ArrayBuffer`, typed array, `DataView`) as a copy of its bytes, sent as a `data:` URL.
 * The family and descriptors are read from the face when it is sent (script may change them).
 *
 * Each document the agent has carries its script-added faces with a known source (`ff`, in the
 * set's order) and, when some were left out, how many (`fx`); `add`, `delete` and `clear` of a
 * `FontFaceSet` mark the lists dirty and the next batch sends `fonts` for each document whose list
 * changed (the whole list). Faces made before the capture ran have no known source and are not sent.
 *
 * Bounds: a binary source of more than `MAX_FONT_FACE_BYTES` bytes, a string source longer than
 * `MAX_FONT_SOURCE_CHARS`, a source that is not a plain list of `url(…)` / `local(…)` items (see
 * `fontSourceUrls`), and faces beyond `MAX_FONT_FACES` or beyond `MAX_FONT_CHARS` of sources per
 * document are skipped and counted in `fx`.
 *
 * Replica: `applyFontFaces` replaces the faces the viewer added to a replica document (keeping
 * those made for the same entries) with faces built by the replica window's own `FontFace`: string sources mapped through the
 * `mapUrl` hook as CSS and kept only when every URL is then absolute `http:`, `https:` or `data:`;
 * binary sources decoded from their `data:` URL into bytes (nothing is loaded for them).
 */

import type { FontFaceEntry, Op } from '@cobrowse/protocol';
import type { CaptureContext } from './context';
import { absolutizeCss, isUnsafeUrl } from './sanitize';

/** A binary source of more bytes than this is not sent (its `data:` URL is 4/3 as long). */
export const MAX_FONT_FACE_BYTES = 2 * 1024 * 1024;
/** A string source longer than this is not sent. */
export const MAX_FONT_SOURCE_CHARS = 64 * 1024;
/** At most this many characters of sources (`s` and `b`) per document. */
export const MAX_FONT_CHARS = 8 * 1024 * 1024;
/** At most this many faces per document. */
export const MAX_FONT_FACES = 100;

/**
 * What the capture recorded of a face's source: `s` CSS text (URLs absolute), or `bytes` (a copy)
 * with its `data:` URL once computed; neither when it cannot be sent (too large, not a source list).
 */
export interface FontSourceRecord {
  s?: string;
  bytes?: Uint8Array;
  b?: string;
}

/** Descriptors a `FontFace` exposes, with the value that is not sent (the default). */
const DESCRIPTORS: readonly (readonly [string, string])[] = [
  ['style', 'normal'],
  ['weight', 'normal'],
  ['stretch', 'normal'],
  ['unicodeRange', 'U+0-10FFFF'],
  ['featureSettings', 'normal'],
  ['variationSettings', 'normal'],
  ['display', 'auto'],
  ['ascentOverride', 'normal'],
  ['descentOverride', 'normal'],
  ['lineGapOverride', 'normal'],
  ['sizeAdjust', '100%'],
];
/** A descriptor value or family longer than this is not a real one. */
const MAX_DESCRIPTOR_CHARS = 1024;

/**
 * One item of a `src` list: `url(…)` (quoted or not) with optional `format(…)` / `tech(…)` hints,
 * or `local(…)`; then a comma or the end. No escapes, no nested parentheses: a source written
 * otherwise is refused rather than interpreted.
 */
const SOURCE_ITEM =
  /\s*(?:url\(\s*(?:"([^"\\\n]*)"|'([^'\\\n]*)'|([^\s"'()\\]+))\s*\)(?:\s*(?:format|tech)\([^()\\;{}]*\))*|local\([^()\\;{}]*\))\s*(?:,|$)/iy;

/**
 * The URLs of a font `src` list (`url("a.woff2") format("woff2"), local(Arial)`), in order, or
 * `null` when `text` is not such a list (see `SOURCE_ITEM`) or is empty.
 */
export function fontSourceUrls(text: string): string[] | null {
  const urls: string[] = [];
  const re = new RegExp(SOURCE_ITEM.source, SOURCE_ITEM.flags);
  let items = 0;
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (m === null) return null;
    const url = m[1] ?? m[2] ?? m[3];
    if (url !== undefined) urls.push(url);
    items++;
    if (m[0].length === 0) return null;
  }
  return items > 0 ? urls : null;
}

/** The bytes of a binary source of any realm (a copy), `null` when `source` is not one. */
function binaryBytes(source: unknown): Uint8Array | null {
  if (typeof source !== 'object' || source === null) return null;
  try {
    if (ArrayBuffer.isView(source)) {
      const view = source as ArrayBufferView;
      if (view.byteLength > MAX_FONT_FACE_BYTES) return new Uint8Array(0);
      return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
    }
    // An ArrayBuffer of any realm (a Uint8Array over anything else throws or is a copy of a list).
    if (Object.prototype.toString.call(source) !== '[object ArrayBuffer]') return null;
    const all = new Uint8Array(source as ArrayBuffer);
    return all.byteLength > MAX_FONT_FACE_BYTES ? new Uint8Array(0) : all.slice();
  } catch {
    return null;
  }
}

/**
 * Records the source of `face`, just constructed with `source` in a document whose base URL is
 * `baseURI` (see the module comment). Never throws.
 */
export function recordFontSource(ctx: CaptureContext, face: object, source: unknown, baseURI: string): void {
  try {
    const record: FontSourceRecord = {};
    if (typeof source === 'string') {
      const text = absolutizeCss(source, baseURI);
      const urls = text.length <= MAX_FONT_SOURCE_CHARS ? fontSourceUrls(text) : null;
      if (urls !== null && !urls.some(isUnsafeUrl)) record.s = text;
    } else {
      const bytes = binaryBytes(source);
      if (bytes !== null && bytes.byteLength > 0) record.bytes = bytes;
    }
    ctx.fontSources.set(face, record);
  } catch {
    // a face we cannot read: not sent
  }
}

/** `bytes` as a base64 `data:` URL. */
function dataUrl(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let k = 0; k < bytes.length; k += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(k, k + CHUNK) as unknown as number[]);
  }
  return 'data:application/octet-stream;base64,' + btoa(binary);
}

/** The faces of `doc.fonts` whose source the capture recorded, in the set's order. Never throws. */
export function scriptFontFaces(ctx: CaptureContext, doc: Document): FontFace[] {
  const out: FontFace[] = [];
  try {
    const set = doc.fonts;
    if (!set || typeof set.forEach !== 'function') return out;
    set.forEach((face) => {
      if (ctx.fontSources.has(face)) out.push(face);
    });
  } catch {
    // no FontFaceSet here, or a hostile one
  }
  return out;
}

/** One CSS escape (after its backslash): a hex code point and its optional space, or a character. */
function unescapeCss(_: string, e: string): string {
  if (!/^[0-9a-fA-F]/.test(e)) return e;
  const cp = parseInt(e, 16);
  return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\uFFFD';
}

/**
 * The family name a `FontFace` gives as `family`: Chromium serializes some as a CSS string
 * (`"Open Sans"`, with escapes), which the replica's constructor would take as part of the name.
 */
export function fontFamilyName(family: string): string {
  const m = /^"((?:[^"\\]|\\[\s\S])*)"$/.exec(family);
  return m === null ? family : (m[1] as string).replace(/\\([0-9a-fA-F]{1,6}\s?|[\s\S])/g, unescapeCss);
}

/**
 * The string sources (`s`) of `doc`'s script-added faces: the URLs the replica may ask the page for
 * (the SDK's resource uploads provide only what the page shows the agent). Never throws.
 */
export function fontSourceTexts(ctx: CaptureContext, doc: Document): string[] {
  const out: string[] = [];
  for (const face of scriptFontFaces(ctx, doc)) {
    const s = ctx.fontSources.get(face)?.s;
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** The wire entry of one recorded face, or `null` when it cannot be sent. */
function fontEntry(face: FontFace, record: FontSourceRecord): FontFaceEntry | null {
  const family: unknown = face.family;
  if (typeof family !== 'string' || family.length > MAX_DESCRIPTOR_CHARS) return null;
  const entry: FontFaceEntry = { f: fontFamilyName(family) };
  if (record.s !== undefined) entry.s = record.s;
  else if (record.bytes !== undefined) entry.b = record.b ??= dataUrl(record.bytes);
  else return null;
  const d: Record<string, string> = {};
  let any = false;
  for (const [name, fallback] of DESCRIPTORS) {
    const v: unknown = (face as unknown as Record<string, unknown>)[name];
    if (typeof v === 'string' && v !== fallback && v.length <= MAX_DESCRIPTOR_CHARS) {
      d[name] = v;
      any = true;
    }
  }
  if (any) entry.d = d;
  return entry;
}

/** `ff` (the entries sent) and `fx` (how many faces were left out) of `faces`, within the bounds. */
export function fontFaceEntries(ctx: CaptureContext, faces: readonly FontFace[]): { ff: FontFaceEntry[]; fx: number } {
  const ff: FontFaceEntry[] = [];
  let fx = 0;
  let chars = 0;
  for (const face of faces) {
    let entry: FontFaceEntry | null = null;
    try {
      const record = ctx.fontSources.get(face);
      if (record !== undefined && ff.length < MAX_FONT_FACES) entry = fontEntry(face, record);
    } catch {
      entry = null;
    }
    const size = entry === null ? 0 : (entry.s ?? entry.b ?? '').length;
    if (entry === null || chars + size > MAX_FONT_CHARS) {
      fx++;
      continue;
    }
    chars += size;
    ff.push(entry);
  }
  return { ff, fx };
}

/** True when both lists hold the same faces in the same order. */
function sameFaces(a: readonly object[], b: readonly object[]): boolean {
  return a.length === b.length && a.every((face, k) => face === b[k]);
}

/**
 * `fonts` ops for the documents the agent has (`ctx.fontsSent`) whose script-added faces are not
 * the ones it was sent (`ctx.fontsSent` is updated); documents the agent no longer has are dropped.
 */
export function fontOps(ctx: CaptureContext): Op[] {
  const ops: Op[] = [];
  for (const [doc, before] of ctx.fontsSent) {
    const i = ctx.mirror.getId(doc);
    if (i === undefined) {
      ctx.fontsSent.delete(doc);
      continue;
    }
    const now = scriptFontFaces(ctx, doc);
    if (sameFaces(before, now)) continue;
    ctx.fontsSent.set(doc, now);
    const { ff, fx } = fontFaceEntries(ctx, now);
    ops.push(fx > 0 ? { o: 'fonts', i, ff, fx } : { o: 'fonts', i, ff });
  }
  return ops;
}

// ---- replica ------------------------------------------------------------------------------------

/** A binary source's `data:` URL as the capture writes it (any type; base64). */
const BINARY_SOURCE = /^data:[\w.+/-]*(?:;[\w.+-]+=[\w.+-]+)*;base64,([A-Za-z0-9+/]*={0,2})$/;

/** The descriptors of a wire entry that a `FontFace` takes (known names, string values). */
function replicaDescriptors(d: unknown): FontFaceDescriptors {
  const out: Record<string, string> = {};
  if (typeof d !== 'object' || d === null) return out;
  for (const [name] of DESCRIPTORS) {
    const v: unknown = (d as Record<string, unknown>)[name];
    if (typeof v === 'string' && v.length <= MAX_DESCRIPTOR_CHARS) out[name] = v;
  }
  return out;
}

/** True when `url` is an absolute `http:`, `https:` or `data:` URL. */
function loadsSafely(url: string): boolean {
  try {
    const scheme = new URL(url).protocol;
    return scheme === 'http:' || scheme === 'https:' || scheme === 'data:';
  } catch {
    return false;
  }
}

/** A replica face for one wire entry, built with `win`'s `FontFace`, or `null` when refused. */
function replicaFace(win: Window & typeof globalThis, entry: unknown, map: ((css: string) => string) | undefined): FontFace | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const { f, s, b, d } = entry as Record<string, unknown>;
  if (typeof f !== 'string' || f.length > MAX_DESCRIPTOR_CHARS) return null;
  let source: string | ArrayBuffer;
  if (typeof s === 'string') {
    if (s.length > MAX_FONT_SOURCE_CHARS) return null;
    const mapped = map === undefined ? s : map(s);
    const urls = fontSourceUrls(mapped);
    if (urls === null || !urls.every(loadsSafely)) return null;
    source = mapped;
  } else if (typeof b === 'string') {
    if (b.length > MAX_FONT_FACE_BYTES * 2) return null;
    const m = BINARY_SOURCE.exec(b);
    if (m === null) return null;
    const binary = win.atob(m[1] ?? '');
    const bytes = new Uint8Array(binary.length);
    for (let k = 0; k < binary.length; k++) bytes[k] = binary.charCodeAt(k);
    source = bytes.buffer;
  } else {
    return null;
  }
  return new win.FontFace(f, source, replicaDescriptors(d));
}

/** On a face the viewer made: the wire entry it was made from (a property of the viewer's object). */
const MADE_FROM = Symbol('cobrowse font face entry');

type MadeFace = FontFace & { [MADE_FROM]?: string };

/**
 * Replica: makes the script-added faces of replica document `doc` those of `list` (the wire's `ff`,
 * anything but an array counting as none), built in `doc`'s window and loaded; string sources
 * first go through `map` when given (the viewer's `mapUrl` as CSS: `cssMapper`). Entries that are
 * malformed, over the bounds or would load another scheme are skipped. Faces made for the same
 * entries before, in the same order, are kept (no reload, no flash of the fallback font); the
 * others are deleted, the new ones added after them. False when the replica has no font loading
 * API. Never throws.
 */
export function applyFontFaces(doc: Document, list: unknown, map?: (css: string) => string): boolean {
  try {
    const win = doc.defaultView as (Window & typeof globalThis) | null;
    const set = doc.fonts;
    if (win === null || !set || typeof win.FontFace !== 'function') return false;
    const wanted: [unknown, string][] = [];
    let chars = 0;
    for (const entry of Array.isArray(list) ? list.slice(0, MAX_FONT_FACES) : []) {
      const size = typeof entry?.s === 'string' ? entry.s.length : typeof entry?.b === 'string' ? entry.b.length : 0;
      if (chars + size > MAX_FONT_CHARS * 2) break;
      chars += size;
      wanted.push([entry, JSON.stringify([entry?.f, entry?.s, entry?.b, entry?.d])]);
    }
    // Ours (the replica runs no script: every face not from a stylesheet is the viewer's), in order;
    // those that match a prefix of `wanted` in order stay.
    const ours: MadeFace[] = [];
    set.forEach((face: MadeFace) => {
      if (typeof face[MADE_FROM] === 'string') ours.push(face);
    });
    let next = 0;
    for (const face of ours) {
      if (next < wanted.length && face[MADE_FROM] === wanted[next]?.[1]) next++;
      else set.delete(face);
    }
    for (const [entry, key] of wanted.slice(next)) {
      try {
        const face: MadeFace | null = replicaFace(win, entry, map);
        if (face === null) continue;
        face[MADE_FROM] = key;
        set.add(face);
        face.load().catch(() => undefined);
      } catch {
        // a face the replica's browser refuses (a bad descriptor, …)
      }
    }
    return true;
  } catch {
    return false;
  }
}
