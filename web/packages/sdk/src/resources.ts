/**
 * Answers the server's `resourceRequest {url, ticket}`: the server's resource proxy could not
 * fetch a resource of the agent's replica (it needs the customer's login, its host is not
 * reachable or not allowed, or it is a `blob:` URL of this page), so this page fetches it with
 * its own credentials and uploads the bytes with the ticket, or declines it at once.
 *
 * Contract:
 * - Only resources the page shows the agent are provided: the URL must be referenced now by an
 *   element outside masked content (`src`, `srcset`, `href`, `poster`, a `style` attribute's
 *   `url()`), by the text of one of its stylesheets, or by the source of a font face script added
 *   to it and the capture sent (`isShownResource`). A URL the agent merely
 *   guessed (a personal image behind the customer's login, a masked image's source) is never
 *   fetched with the customer's credentials.
 * - Only `blob:` URLs of this page and `http(s):` URLs this page may read (same origin, or a CORS
 *   answer) are fetched; only passive content (images, fonts, stylesheets, audio, video) is
 *   uploaded, never HTML, scripts or data. At most `MAX_BYTES` per resource.
 * - Every request this page does not answer with an upload the server took (not shown, masked,
 *   not `http(s):` or this page's `blob:`, the fetch failed or CORS refused it, not passive, too
 *   large, the upload refused, too many waiting) is declined once, as soon as that is known
 *   (`page.decline`, the socket's `resourceDeclined {ticket}`): the server answers the agent's
 *   replica with its error at once instead of after its resource timeout. The decline says "no"
 *   and nothing more: why stays here (`page.report`, the page's own log).
 * - The upload (`POST {server}resource/upload/{ticket}?sha256=…&type=…`) is sent with
 *   `credentials: 'omit'`, no header and no referrer: the page's cookies and headers never reach
 *   the cobrowse server. The body is the bytes alone (a simple CORS request, no preflight).
 * - Once per content hash: content this page uploaded before (or large content another session may
 *   have uploaded) is first offered by its hash alone (empty body); the bytes follow only when the
 *   server answers `404`.
 * - At most `MAX_ACTIVE` requests at a time and `MAX_QUEUED` waiting; more are declined. Nothing
 *   here throws into the page.
 */

/** Largest resource fetched and uploaded (the server's default limit). */
const MAX_BYTES = 10 * 1024 * 1024;
/** Above this size the hash is offered first even for content this page never uploaded. */
const PROBE_ABOVE = 8 * 1024;
const MAX_ACTIVE = 4;
const MAX_QUEUED = 64;

export interface ResourceUploader {
  /** A `resourceRequest` arrived (a ticket that is no string cannot be answered at all). */
  request(url: unknown, ticket: unknown): void;
  /** The session is over: forget the waiting requests (a later session may use it again). */
  stop(): void;
}

/** What the uploader needs of the page and its session. */
export interface ResourcePage {
  /** A note for the page's log, never sent to the server. */
  report(msg: string, err?: unknown): void;
  /** This page will not provide the resource of `ticket`: `resourceDeclined` on the socket. */
  decline(ticket: string): void;
  /** Whether an element is masked content (its resources are never provided). */
  isMasked?(el: Element): boolean;
  /** The CSS texts of `doc`'s script-added font faces the capture sent (`isShownResource`). */
  scriptCss?(doc: Document): readonly string[];
}

/** Whether a content type is passive content the replica may show. */
export function isPassiveType(type: string): boolean {
  const essence = type.split(';')[0]!.trim().toLowerCase();
  return /^(image|font|audio|video)\/[a-z0-9.+-]+$/.test(essence) || essence === 'text/css'
    || /^application\/(font-woff2?|font-sfnt|x-font-[a-z]+|vnd\.ms-fontobject)$/.test(essence);
}

async function sha256Hex(win: Window, bytes: ArrayBuffer): Promise<string | null> {
  const subtle = win.crypto?.subtle;
  if (!subtle) return null;
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Attributes whose value is one URL of a sub-resource. */
const URL_ATTRIBUTES = ['src', 'href', 'poster', 'xlink:href'];
/** `url(…)` references in CSS text (quoted or not). */
const CSS_URL = /url\(\s*(['"]?)(.*?)\1\s*\)/g;
/** How deep same-origin frames are searched. */
const MAX_FRAME_DEPTH = 16;

function resolves(value: string, base: string, url: string): boolean {
  try {
    return new URL(value.trim(), base).href === url;
  } catch {
    return false;
  }
}

function cssReferences(text: string, base: string, url: string): boolean {
  if (!text.includes('url(')) return false;
  CSS_URL.lastIndex = 0;
  for (let m = CSS_URL.exec(text); m !== null; m = CSS_URL.exec(text)) {
    if (resolves(m[2] ?? '', base, url)) return true;
  }
  return false;
}

function sheetReferences(sheet: CSSStyleSheet, base: string, url: string): boolean {
  let rules: CSSRuleList;
  try {
    rules = sheet.cssRules;
  } catch {
    return false; // cross-origin: its text is not the page's to read (the proxy fetches it)
  }
  const sheetBase = sheet.href ?? base;
  for (let i = 0; i < rules.length; i++) {
    if (cssReferences(rules[i]?.cssText ?? '', sheetBase, url)) return true;
  }
  return false;
}

/**
 * Whether `url` (absolute) is a resource `doc` (or a same-origin frame in it) shows the agent now:
 * referenced by an element that is not masked, by the text of one of its stylesheets, or by one of
 * the CSS texts `scriptCss` gives for the document (the `src` of its script-added font faces).
 */
export function isShownResource(
  doc: Document,
  url: string,
  isMasked: (el: Element) => boolean,
  scriptCss: (doc: Document) => readonly string[] = () => [],
  depth = 0,
): boolean {
  const base = doc.baseURI;
  for (const el of doc.querySelectorAll('[src], [srcset], [href], [poster], [style], [*|href]')) {
    let hit = false;
    for (const name of URL_ATTRIBUTES) {
      const v = el.getAttribute(name);
      if (v !== null && resolves(v, base, url)) hit = true;
    }
    const srcset = el.getAttribute('srcset');
    if (!hit && srcset !== null) {
      for (const candidate of srcset.split(',')) {
        if (resolves(candidate.trim().split(/\s+/)[0] ?? '', base, url)) hit = true;
      }
    }
    const style = el.getAttribute('style');
    if (!hit && style !== null && cssReferences(style, base, url)) hit = true;
    if (hit && !isMasked(el)) return true;
  }
  for (const el of doc.querySelectorAll('style')) {
    if (cssReferences(el.textContent ?? '', base, url)) return true;
  }
  const sheets: CSSStyleSheet[] = [...Array.from(doc.styleSheets), ...((doc as Document & { adoptedStyleSheets?: CSSStyleSheet[] }).adoptedStyleSheets ?? [])];
  for (const sheet of sheets) if (sheetReferences(sheet, base, url)) return true;
  for (const css of scriptCss(doc)) if (cssReferences(css, base, url)) return true;
  if (depth < MAX_FRAME_DEPTH) {
    for (const frame of doc.querySelectorAll('iframe, frame')) {
      let inner: Document | null = null;
      try {
        inner = (frame as HTMLIFrameElement).contentDocument;
      } catch {
        inner = null;
      }
      if (inner && !isMasked(frame) && isShownResource(inner, url, isMasked, scriptCss, depth + 1)) return true;
    }
  }
  return false;
}

export function createResourceUploader(win: Window, serverUrl: string, page: ResourcePage): ResourceUploader {
  const isMasked = (el: Element) => page.isMasked?.(el) ?? false;
  const scriptCss = (doc: Document) => page.scriptCss?.(doc) ?? [];
  const uploaded = new Set<string>();
  const queue: Array<{ url: string; ticket: string }> = [];
  let active = 0;

  const readable = (url: URL): boolean => {
    if (url.protocol === 'blob:') return url.origin === win.location.origin;
    return url.protocol === 'http:' || url.protocol === 'https:';
  };

  const upload = async (ticket: string, hash: string | null, type: string, body: ArrayBuffer | null) => {
    const query = new URLSearchParams({ type });
    if (hash) query.set('sha256', hash);
    const res = await win.fetch(`${serverUrl}resource/upload/${encodeURIComponent(ticket)}?${query}`, {
      method: 'POST',
      body: body ?? new ArrayBuffer(0),
      credentials: 'omit',
      mode: 'cors',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    });
    return res.status;
  };

  /** Whether the server took an upload of `urlText` for `ticket`. */
  const answer = async (urlText: string, ticket: string): Promise<boolean> => {
    const url = new URL(urlText);
    if (!readable(url)) return false;
    if (!isShownResource(win.document, url.href, isMasked, scriptCss)) {
      page.report(`not providing ${url.href}: the page does not show it to the agent`);
      return false;
    }
    const sameOrigin = url.origin === win.location.origin || url.protocol === 'blob:';
    const res = await win.fetch(url.href, {
      credentials: sameOrigin ? 'same-origin' : 'omit',
      mode: sameOrigin ? 'same-origin' : 'cors',
      referrerPolicy: 'no-referrer',
    });
    if (!res.ok) return false;
    const type = res.headers.get('content-type') ?? '';
    if (!isPassiveType(type)) return false;
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > MAX_BYTES) return false;
    const bytes = await res.arrayBuffer();
    if (bytes.byteLength > MAX_BYTES) return false;
    const hash = await sha256Hex(win, bytes);
    if (hash && (uploaded.has(hash) || bytes.byteLength > PROBE_ABOVE)) {
      if ((await upload(ticket, hash, type, null)) === 204) return true;
    }
    const status = await upload(ticket, hash, type, bytes);
    if (status === 204 && hash) uploaded.add(hash);
    return status === 204;
  };

  /** Declines `ticket`; never throws into the page. */
  const decline = (ticket: string) => {
    try {
      page.decline(ticket);
    } catch (err) {
      page.report('cannot decline a resource request', err);
    }
  };

  const pump = () => {
    while (active < MAX_ACTIVE && queue.length > 0) {
      const next = queue.shift()!;
      active++;
      answer(next.url, next.ticket)
        .catch((err: unknown) => {
          // A fetch that failed (network, CORS refused), an unreadable URL, an upload not sent.
          page.report('cannot provide a resource to the agent', err);
          return false;
        })
        .then((provided) => {
          if (!provided) decline(next.ticket);
        })
        .finally(() => {
          active--;
          pump();
        });
    }
  };

  return {
    request(url, ticket) {
      if (typeof ticket !== 'string') return;
      if (typeof url !== 'string' || queue.length >= MAX_QUEUED) {
        decline(ticket);
        return;
      }
      queue.push({ url, ticket });
      pump();
    },
    stop() {
      queue.length = 0;
    },
  };
}
