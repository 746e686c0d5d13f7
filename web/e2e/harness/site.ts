// The customer's website: a static server on its own loopback port serving web/e2e/fixtures/.
// It is another origin than the cobrowse server, as a company's site is, so the SDK is embedded
// cross-origin for real. HTML and JS files are templates:
//   {{COBROWSE}}     the SDK's base URL, `http://127.0.0.1:PORT/cobrowse/`
//   {{SITE}}         this site's origin, no trailing slash
//   {{CDN}}          this site addressed by IP (`http://127.0.0.1:PORT`): another origin, as a CDN
//                    is; its answers allow CORS reads (`Access-Control-Allow-Origin: *`)
//   {{PWN reason}}   a self-contained hostile payload (see `pwnPayload`)
// /react-input.js and /vue-input.js are fixtures/*.src.js bundled with React and Vue by esbuild when
// the site starts.
// /fonts/<file>.ttf serves the machine's Liberation fonts (Debian's fonts-liberation), with `Access-Control-Allow-Origin: *` as font CDNs send it.
// Requests under /pwned/ answer 204: hostile payloads send beacons there (a test watches which
// browser requests them), and a page that navigates there stays where it is.
// Files under /private/ are fixtures/img/ files that need the customer's login: the cookie
// `customer_session=PRIVATE_COOKIE` (403 without it), as a site's personal images do; the pages in
// LOGGED_IN_PAGES set it (HttpOnly, as a login does).
// Every request is recorded in `requests` (path, cookie, user agent).

import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
/** Real font files the site serves under /fonts/. */
const fontsDir = '/usr/share/fonts/truetype/liberation';

/**
 * JavaScript that records `reason` in `__pwned` (an array) of its own window, its parent and its top
 * window, and requests `SITE/pwned/reason`. It depends on nothing else in the page (a payload that
 * called a page function would fail in a replica for the wrong reason) and has no spaces, double
 * quotes, `<`, `>`, `&` or `%`, so it fits unchanged in a quoted or unquoted attribute, a
 * `javascript:` URL, an HTML or SVG `<script>` and a JS string in double quotes.
 */
export function pwnPayload(site: string, reason: string): string {
  return (
    `[window,parent,top].forEach(function(w){try{(w.__pwned=w.__pwned||[]).push('${reason}')}catch(e){}});` +
    `fetch('${site}/pwned/${reason}',{mode:'no-cors'}).catch(function(){});void(0)`
  );
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.ttf': 'font/ttf',
};

/** The value of the login cookie `/private/` files need. */
export const PRIVATE_COOKIE = 'c00kie-Zq81mWx4';

/** Pages whose answer logs the customer in (sets the `/private/` cookie). */
const LOGGED_IN_PAGES = new Set(['/resources.html']);

/** One request the site answered. */
export interface SiteRequest {
  path: string;
  cookie: string | undefined;
  userAgent: string | undefined;
}

export interface FixtureSite {
  /** `http://localhost:PORT`, no trailing slash. */
  origin: string;
  /** The absolute URL of a fixture page, e.g. `url('session.html')`. */
  url(page: string): string;
  /** What `{{COBROWSE}}` expands to; set once the cobrowse server is up (it needs our origin first). */
  cobrowseUrl: string;
  /** Every request so far, oldest first. */
  requests: SiteRequest[];
  stop(): Promise<void>;
}

/**
 * The site is addressed as `localhost` while the cobrowse server is `127.0.0.1`: both loopback,
 * but different sites, as a customer's website and the co-browse server are in production.
 */
const SITE_HOST = 'localhost';
/** The same server addressed by IP: the site's "CDN", another origin. */
const CDN_HOST = '127.0.0.1';

export async function startFixtureSite(): Promise<FixtureSite> {
  const site: FixtureSite = {
    origin: '',
    url: (page) => `${site.origin}/${page}`,
    cobrowseUrl: '',
    requests: [],
    stop: async () => {},
  };

  // Pages built with the real framework libraries from npm: /<name>.js is fixtures/<name>.src.js.
  const bundles = new Map<string, Uint8Array>();
  for (const name of ['react-input', 'vue-input']) {
    const bundled = await build({
      entryPoints: [path.join(fixturesDir, `${name}.src.js`)],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      minify: true,
      define: {
        'process.env.NODE_ENV': '"production"',
        __VUE_OPTIONS_API__: 'false',
        __VUE_PROD_DEVTOOLS__: 'false',
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      },
      logLevel: 'warning',
    });
    bundles.set(`/${name}.js`, bundled.outputFiles[0]?.contents ?? new Uint8Array());
  }

  const cdnOrigin = (): string => site.origin.replace(`//${SITE_HOST}:`, `//${CDN_HOST}:`);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    site.requests.push({ path: url.pathname, cookie: req.headers.cookie, userAgent: req.headers['user-agent'] });
    const bundle = bundles.get(url.pathname);
    if (bundle) {
      res.writeHead(200, { 'content-type': contentTypes['.js'] ?? 'text/javascript', 'cache-control': 'no-store' }).end(bundle);
      return;
    }
    if (url.pathname.startsWith('/pwned/')) {
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
      return;
    }
    let pathname = url.pathname;
    if (pathname.startsWith('/private/')) {
      const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim());
      if (!cookies.includes(`customer_session=${PRIVATE_COOKIE}`)) {
        res.writeHead(403, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('log in first');
        return;
      }
      pathname = `/img/${pathname.slice('/private/'.length)}`;
    }
    const relative = path.normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    const isFont = /^fonts[/\\][\w-]+\.ttf$/.test(relative);
    const root = isFont ? fontsDir : fixturesDir;
    const file = path.join(root, isFont ? path.basename(relative) : relative === '' ? 'index.html' : relative);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const ext = path.extname(file);
    const payload =
      ext === '.html' || ext === '.js' || ext === '.css'
        ? body
            .toString('utf8')
            .replace(/\{\{PWN ([\w-]+)\}\}/g, (_, reason: string) => pwnPayload(site.origin, reason))
            .replaceAll('{{COBROWSE}}', site.cobrowseUrl)
            .replaceAll('{{SITE}}', site.origin)
            .replaceAll('{{CDN}}', cdnOrigin())
        : body;
    res
      .writeHead(200, {
        'content-type': contentTypes[ext] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...(isFont || req.headers.host?.startsWith(`${CDN_HOST}:`) ? { 'access-control-allow-origin': '*' } : {}),
        // Pages that need the customer's login log them in (before any image request).
        ...(LOGGED_IN_PAGES.has(pathname) ? { 'set-cookie': `customer_session=${PRIVATE_COOKIE}; Path=/; HttpOnly; SameSite=Lax` } : {}),
      })
      .end(payload);
  };

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
  site.origin = `http://${SITE_HOST}:${port}`;
  site.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return site;
}
