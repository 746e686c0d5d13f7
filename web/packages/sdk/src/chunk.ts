/**
 * The parts of the SDK most pages never run, loaded only when a page needs them: the German and
 * French string tables (`lang`), inspect mode (an administrator's `#gcb-inspect=` link), Write
 * Mode's input and navigation (when a session's mode becomes write), the child context of an SDK
 * loaded in a frame, the resource uploader (at the server's first `resourceRequest`), the canvas
 * capture (when a session's capture first finds a canvas). Each is a
 * small classic script next to `gcb.js` (`web/build.mjs` builds them from `chunks/*.ts`:
 * `gcb-de.min.js` beside `gcb.min.js`, `gcb-de.js` beside the readable `gcb.js`), so a page's CSP
 * needs nothing beyond what `gcb.js` itself needs (`script-src` with the co-browse server; a nonce
 * of the SDK's script element is given to the chunk's too), and no CORS answer is involved.
 *
 * The chunk hands its value over to the `<script>` element that loads it (`handOver`): no global
 * name, and a chunk loaded by anything else hands nothing to anyone. Each chunk is loaded once per
 * page; a chunk that fails to load (network, CSP) rejects, and its caller falls back.
 */

/** The expando of the loading `<script>` element the chunk calls with its value. */
const RECEIVE = '__gcbReceive';

export type ChunkName = 'de' | 'fr' | 'inspect' | 'write' | 'frame' | 'resources' | 'canvas';

export interface ChunkLoader {
  load<T>(name: ChunkName): Promise<T>;
}

/**
 * Where chunks come from: the directory of `gcb.js`'s own URL (`script.src`, with its query, e.g.
 * an API gateway's key), or `{serverUrl}js/` when the script's URL is unknown.
 */
export function chunkBase(scriptSrc: string | null, serverUrl: string): { base: string; query: string } | null {
  for (const src of [scriptSrc, serverUrl ? `${serverUrl}js/` : null]) {
    if (!src) continue;
    try {
      const url = new URL(src);
      return { base: new URL('.', url).href, query: url.search };
    } catch {
      // Not an absolute URL: try the next.
    }
  }
  return null;
}

export interface ChunkOptions {
  /** The `src` of the SDK's own script element, when known. */
  scriptSrc: string | null;
  serverUrl: string;
  /** The nonce of the SDK's own script element (`''`: none). */
  nonce: string;
  /** `.min.js` for the minified SDK, `.js` for the readable one. */
  suffix: string;
}

/** The part of the Trusted Types API the loader uses. */
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
}

/** The name of the SDK's Trusted Types policy (a page that enforces them lists it in `trusted-types`). */
export const TRUSTED_TYPES_POLICY = 'cobrowse';

export function createChunkLoader(doc: Document, opts: ChunkOptions): ChunkLoader {
  const loaded = new Map<ChunkName, Promise<unknown>>();
  const where = chunkBase(opts.scriptSrc, opts.serverUrl);
  // Where the browser has Trusted Types, chunk URLs go through a policy of our own, made once (it
  // only passes on the URLs built here): a page enforcing them (`require-trusted-types-for
  // 'script'`) refuses a plain string as a script's `src`. Without the policy (not allowed by the
  // page's `trusted-types`), a plain string, which such a page refuses: the chunk fails to load.
  let policy: ReturnType<TrustedTypesLike['createPolicy']> | null | undefined;
  const scriptUrl = (url: string): string => {
    if (policy === undefined) {
      try {
        const tt = (doc.defaultView as unknown as { trustedTypes?: TrustedTypesLike } | null)?.trustedTypes;
        policy = tt ? tt.createPolicy(TRUSTED_TYPES_POLICY, { createScriptURL: (u) => u }) : null;
      } catch {
        policy = null;
      }
    }
    return (policy ? policy.createScriptURL(url) : url) as string;
  };
  const fetchChunk = (name: ChunkName) =>
    new Promise<unknown>((resolve, reject) => {
      if (!where) throw new Error('no URL to load the SDK chunk from');
      const script = doc.createElement('script');
      let done = false;
      const finish = (ok: boolean, value: unknown) => {
        if (done) return;
        done = true;
        script.remove();
        if (ok) resolve(value);
        else reject(value);
      };
      (script as unknown as Record<string, unknown>)[RECEIVE] = (value: unknown) => finish(true, value);
      script.onload = () => finish(false, new Error(`SDK chunk ${name} handed nothing over`));
      script.onerror = () => finish(false, new Error(`SDK chunk ${name} could not be loaded`));
      if (opts.nonce) script.nonce = opts.nonce;
      script.setAttribute('data-gcb-service-node', 'true');
      script.src = scriptUrl(`${where.base}gcb-${name}${opts.suffix}${where.query}`);
      (doc.head ?? doc.documentElement).appendChild(script);
    });
  return {
    load<T>(name: ChunkName): Promise<T> {
      let p = loaded.get(name);
      if (!p) {
        p = fetchChunk(name);
        // A failed load may be retried by a later call.
        p.catch(() => loaded.delete(name));
        loaded.set(name, p);
      }
      return p as Promise<T>;
    },
  };
}

/** Called by a chunk's entry (`chunks/*.ts`) while it runs: gives `value` to its loader. */
export function handOver(value: unknown): void {
  const script = document.currentScript as unknown as Record<string, unknown> | null;
  const receive = script?.[RECEIVE];
  if (typeof receive === 'function') (receive as (v: unknown) => void)(value);
}
