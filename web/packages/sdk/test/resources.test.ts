import { describe, expect, it, vi } from 'vitest';
import { JSDOM } from 'jsdom';
import { webcrypto } from 'node:crypto';
import { createResourceUploader, isPassiveType, isShownResource } from '../src/resources';

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

const SERVER = 'https://cobrowse.example/cobrowse/';

/**
 * A page at `BASE` whose `fetch` answers from `answers` (by URL; a function may throw or never
 * settle) and the upload endpoint with `uploadStatus`; the uploader made for it records what it
 * declined, uploaded and reported.
 */
function uploaderOn(
  html: string,
  answers: Record<string, () => Promise<Response>>,
  uploadStatus = 204,
) {
  const dom = new JSDOM(`<!doctype html><html><head></head><body>${html}</body></html>`, { url: BASE });
  const declined: string[] = [];
  const uploads: string[] = [];
  const fetched: string[] = [];
  const reports: string[] = [];
  const fetch = (input: string) => {
    if (input.startsWith(SERVER)) {
      uploads.push(decodeURIComponent(input.slice(`${SERVER}resource/upload/`.length).split('?')[0]!));
      return Promise.resolve(new Response(null, { status: uploadStatus }));
    }
    fetched.push(input);
    const answer = answers[input];
    return answer ? answer() : Promise.resolve(new Response(null, { status: 404 }));
  };
  // Node's WebCrypto, handed bytes it accepts (the fetched ArrayBuffer comes from another realm).
  const crypto = { subtle: { digest: (alg: string, data: ArrayBuffer) => webcrypto.subtle.digest(alg, Buffer.from(data)) } };
  const win = { document: dom.window.document, location: dom.window.location, fetch, crypto } as unknown as Window;
  const uploader = createResourceUploader(win, SERVER, {
    report: (msg, err) => reports.push(err === undefined ? msg : `${msg}: ${String(err)}`),
    decline: (ticket) => declined.push(ticket),
    isMasked: (el) => el.closest('.secret') !== null,
  });
  return { uploader, declined, uploads, fetched, reports };
}

const png = (size = 16, type = 'image/png') => () =>
  Promise.resolve(new Response(new Uint8Array(size), { headers: { 'content-type': type } }));

describe('the resource uploader', () => {
  it('declines, once each and at once, every request it does not provide, and only those', async () => {
    const page = uploaderOn(
      `<img src="ok.png"><img src="gone.png"><img src="cors.png"><img src="page.html"><img src="huge.png">
       <img src="refused.png"><div class="secret"><img src="passport.png"></div>`,
      {
        [`${BASE}ok.png`]: png(),
        [`${BASE}cors.png`]: () => Promise.reject(new TypeError('Failed to fetch')),
        [`${BASE}page.html`]: png(16, 'text/html'),
        [`${BASE}huge.png`]: () =>
          Promise.resolve(new Response('', { headers: { 'content-type': 'image/png', 'content-length': String(11 * 1024 * 1024) } })),
      },
    );
    const cases: Array<[url: unknown, ticket: string]> = [
      [`${BASE}statement.png`, 'not-shown'],
      [`${BASE}passport.png`, 'masked'],
      ['ftp://shop.example/account/ok.png', 'not-http'],
      ['blob:https://other.example/1b2c', 'foreign-blob'],
      [`${BASE}gone.png`, 'fetch-404'],
      [`${BASE}cors.png`, 'fetch-threw'],
      [`${BASE}page.html`, 'not-passive'],
      [`${BASE}huge.png`, 'too-large'],
      [42, 'no-url'],
      ['not a url', 'bad-url'],
    ];
    for (const [url, ticket] of cases) {
      page.uploader.request(url, ticket);
      await vi.waitFor(() => expect(page.declined).toContain(ticket));
    }
    // Provided: uploaded, not declined.
    page.uploader.request(`${BASE}ok.png`, 'provided');
    await vi.waitFor(() => expect(page.uploads).toEqual(['provided']));
    // A ticket that is no string cannot be answered at all.
    page.uploader.request(`${BASE}ok.png`, 7);
    expect(page.declined).toEqual(cases.map(([, ticket]) => ticket));
    // The page's reasons stay on the page; nothing fetched what it must not.
    expect(page.reports).toContain(`not providing ${BASE}statement.png: the page does not show it to the agent`);
    expect(page.fetched).not.toContain(`${BASE}statement.png`);
    expect(page.fetched).not.toContain(`${BASE}passport.png`);
  });

  it('declines what the server refused to take, and what does not fit its queue', async () => {
    const refused = uploaderOn('<img src="ok.png">', { [`${BASE}ok.png`]: png() }, 413);
    refused.uploader.request(`${BASE}ok.png`, 'too-large-for-the-server');
    await vi.waitFor(() => expect(refused.declined).toEqual(['too-large-for-the-server']));
    expect(refused.uploads).toEqual(['too-large-for-the-server']);

    // Four fetches that never settle hold every slot; 64 more wait; the next is declined at once.
    const stuck = uploaderOn('<img src="slow.png">', { [`${BASE}slow.png`]: () => new Promise<Response>(() => {}) });
    for (let i = 0; i < 4 + 64; i++) stuck.uploader.request(`${BASE}slow.png`, `t${i}`);
    expect(stuck.declined).toEqual([]);
    stuck.uploader.request(`${BASE}slow.png`, 'one-too-many');
    expect(stuck.declined).toEqual(['one-too-many']);
  });
});
