// The customer's websites of the fidelity suite: static servers on loopback ports of their own,
// another origin than the cobrowse server (`localhost` here, `127.0.0.1` there), as a company's
// site is.
//
//   corpus:rrweb           /work/shared/corpus/rrweb-fixtures/rrweb at /          (pages at /html/…)
//   corpus:rrweb-snapshot  …/rrweb-snapshot at /; /images/robot.png is the corpus's own robot
//                          (rrweb/html/assets/robot.png: rrweb's test server serves it there)
//   apps                   pages built at start from npm packages (fidelity/apps/): TodoMVC with
//                          React, Vue and Preact (bundled by esbuild), a Bootstrap documentation
//                          page, a Lit web-components app (shadow roots, adopted stylesheets,
//                          closed roots), a documentation page rendered from Markdown (marked,
//                          highlight.js, KaTeX and its fonts; sticky contents)
//
// Every site also serves /__fidelity/rrweb.js (rrweb's UMD bundle from npm) and
// /__fidelity/rrweb.css, and /__fidelity/replay.html, the page rrweb's Replayer runs in.
// Our co-browse snippet is put into every HTML page (right after the doctype, before any page
// script, as a site embeds it) when the request carries the cookie `fidelity-snippet=ours`; the
// demo shop, served by the cobrowse server, carries it already. rrweb is added by the runner as an
// init script (mirror.ts), the same way on every site.

import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { renderDocsPage } from './docs-page';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The corpus of pages nobody here wrote (read in place, never copied into the repository). */
export const CORPUS_DIR = process.env.FIDELITY_CORPUS ?? path.resolve(here, '../../../shared/corpus/rrweb-fixtures');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export interface StaticSite {
  /** `http://localhost:PORT`, no trailing slash. */
  origin: string;
  stop(): Promise<void>;
}

/** rrweb's dist directory (the package exports neither its UMD bundle nor package.json). */
export const RRWEB_DIST = path.dirname(require.resolve('rrweb'));

/** rrweb's files, the same for every site. */
async function rrwebFiles(): Promise<Map<string, { type: string; body: Buffer | string }>> {
  const dist = RRWEB_DIST;
  const files = new Map<string, { type: string; body: Buffer | string }>();
  files.set('/__fidelity/rrweb.js', { type: contentTypes['.js']!, body: await readFile(path.join(dist, 'rrweb.umd.min.cjs')) });
  files.set('/__fidelity/rrweb.css', { type: contentTypes['.css']!, body: await readFile(path.join(dist, 'style.css')) });
  files.set('/__fidelity/replay.html', { type: contentTypes['.html']!, body: await readFile(path.join(here, 'replay.html')) });
  return files;
}

/** The apps built from npm packages, by path. */
async function appFiles(): Promise<Map<string, { type: string; body: Buffer | string }>> {
  const files = new Map<string, { type: string; body: Buffer | string }>();
  const apps = path.join(here, 'apps');
  // Per app: the bundle's format (the Lit app is loaded as a module script, as Lit apps ship) and
  // where JSX comes from (React's runtime unless said).
  const bundles: { name: string; format: 'iife' | 'esm'; jsxImportSource?: string }[] = [
    { name: 'todomvc-react', format: 'iife' },
    { name: 'todomvc-vue', format: 'iife' },
    { name: 'todomvc-preact', format: 'iife', jsxImportSource: 'preact' },
    { name: 'lit-app', format: 'esm' },
  ];
  for (const { name, format, jsxImportSource } of bundles) {
    const bundled = await build({
      entryPoints: [path.join(apps, `${name}.src.js`)],
      bundle: true,
      write: false,
      format,
      platform: 'browser',
      minify: true,
      jsx: 'automatic',
      ...(jsxImportSource ? { jsxImportSource } : {}),
      loader: { '.js': 'jsx' },
      define: {
        'process.env.NODE_ENV': '"production"',
        __VUE_OPTIONS_API__: 'false',
        __VUE_PROD_DEVTOOLS__: 'false',
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      },
      logLevel: 'warning',
    });
    files.set(`/${name}.js`, { type: contentTypes['.js']!, body: Buffer.from(bundled.outputFiles[0]?.contents ?? []) });
    files.set(`/${name}.html`, { type: contentTypes['.html']!, body: await readFile(path.join(apps, `${name}.html`)) });
  }
  files.set('/todomvc-app-css/index.css', {
    type: contentTypes['.css']!,
    body: await readFile(require.resolve('todomvc-app-css/index.css')),
  });
  files.set('/bootstrap/bootstrap.min.css', {
    type: contentTypes['.css']!,
    body: await readFile(require.resolve('bootstrap/dist/css/bootstrap.min.css')),
  });
  files.set('/bootstrap/bootstrap.bundle.min.js', {
    type: contentTypes['.js']!,
    body: await readFile(require.resolve('bootstrap/dist/js/bootstrap.bundle.min.js')),
  });
  files.set('/bootstrap-docs.html', { type: contentTypes['.html']!, body: await readFile(path.join(apps, 'bootstrap-docs.html')) });
  // The Markdown documentation page: KaTeX's stylesheet with its fonts beside it (the stylesheet's
  // relative `fonts/…` URLs), a highlight.js theme, the page rendered from Markdown.
  const katexDist = path.dirname(require.resolve('katex/dist/katex.min.css'));
  files.set('/katex/katex.min.css', { type: contentTypes['.css']!, body: await readFile(path.join(katexDist, 'katex.min.css')) });
  for (const font of await readdir(path.join(katexDist, 'fonts'))) {
    const type = contentTypes[path.extname(font)];
    if (type) files.set(`/katex/fonts/${font}`, { type, body: await readFile(path.join(katexDist, 'fonts', font)) });
  }
  files.set('/highlight.js/github.min.css', {
    type: contentTypes['.css']!,
    body: await readFile(require.resolve('highlight.js/styles/github.min.css')),
  });
  files.set('/docs-markdown.html', {
    type: contentTypes['.html']!,
    body: await renderDocsPage(path.join(apps, 'docs-markdown.md'), path.join(apps, 'docs-markdown.html')),
  });
  return files;
}

/** An HTTP server on a loopback port of its own, `http://localhost:PORT`, for `handle`. */
export async function serve(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<StaticSite> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A static site: `root` (a directory, or none) with `aliases` (request path → file) and in-memory
 * `files` first.
 */
/** Inserts `snippet` right after the doctype (or first, without one): before any page script. */
export function injectSnippet(html: string, snippet: string): string {
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  if (doctype) return html.slice(0, doctype[0].length) + snippet + html.slice(doctype[0].length);
  return snippet + html;
}

/**
 * Our snippet, as the README tells a website to add it: `gcb.js` loaded `async`, or, with `first`,
 * blocking (what the README tells a site whose scripts draw WebGL pictures at load: the SDK then
 * runs before them, as rrweb's recorder does in this suite).
 */
export function ourSnippet(cobrowseUrl: string, first = false): string {
  return (
    `<script>window._genesys = window._genesys || {}; window._genesys.cobrowse = { url: ${JSON.stringify(cobrowseUrl)}, onReady: [] };</script>` +
    `<script${first ? '' : ' async'} src="${cobrowseUrl}js/gcb.min.js"></script>`
  );
}

/** Set by the runner once the cobrowse server listens (it needs the sites' origins first). */
export const snippetConfig = { cobrowseUrl: '' };

async function staticSite(
  root: string | null,
  files: Map<string, { type: string; body: Buffer | string }>,
  aliases: Record<string, string> = {},
): Promise<StaticSite> {
  return serve(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    const ours = /(?:^|;\s*)fidelity-snippet=ours(?:;|$)/.test(req.headers.cookie ?? '');
    const send = (type: string, body: Buffer | string): void => {
      const html = type.startsWith('text/html') && ours && !url.pathname.startsWith('/__fidelity/');
      res
        .writeHead(200, { 'content-type': type, 'cache-control': 'no-store' })
        .end(html ? injectSnippet(body.toString(), ourSnippet(snippetConfig.cobrowseUrl, url.searchParams.get('fidelity-sdk') === 'first')) : body);
    };
    const memory = files.get(url.pathname);
    if (memory) {
      send(memory.type, memory.body);
      return;
    }
    let file: string | null = aliases[url.pathname] ?? null;
    if (file === null && root !== null) {
      const relative = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
      file = path.join(root, relative);
      if (!file.startsWith(root + path.sep)) {
        res.writeHead(403).end();
        return;
      }
    }
    let body: Buffer;
    try {
      if (file === null) throw new Error('no file');
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    send(contentTypes[path.extname(file)] ?? 'application/octet-stream', body);
  });
}

export interface FidelitySites {
  /** Origin of each site by name: `rrweb`, `rrweb-snapshot`, `apps`. */
  origins: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSites(): Promise<FidelitySites> {
  const rrweb = await rrwebFiles();
  const apps = await appFiles();
  const robot = path.join(CORPUS_DIR, 'rrweb/html/assets/robot.png');
  const sites: Record<string, StaticSite> = {
    rrweb: await staticSite(path.join(CORPUS_DIR, 'rrweb'), rrweb),
    'rrweb-snapshot': await staticSite(path.join(CORPUS_DIR, 'rrweb-snapshot'), rrweb, { '/images/robot.png': robot }),
    apps: await staticSite(null, new Map([...rrweb, ...apps])),
  };
  return {
    origins: Object.fromEntries(Object.entries(sites).map(([name, site]) => [name, site.origin])),
    stop: async () => {
      await Promise.all(Object.values(sites).map((site) => site.stop()));
    },
  };
}
