// What the browser benchmark runs on the customer's page: synthetic pages of a given node count
// (generated deterministically, served as HTML so the browser parses them as a site's markup), the
// bench site that serves them, and the dom-mutation workloads of rrweb's own benchmark
// (rrweb/test/benchmark, pages in the corpus at rrweb/html/benchmark-dom-mutation*.html),
// reimplemented here so that both recorders run the very same code.
//
// The bench site is a loopback static server of its own (another origin than the cobrowse server,
// as a company's site is). It puts our snippet into its pages on the fidelity suite's cookie
// (`fidelity-snippet=ours`, see fidelity/sites.ts), so a customer context is set up the same way for
// the corpus sites and for this one.

import { injectSnippet, ourSnippet, serve, snippetConfig, type StaticSite } from '../fidelity/sites';

/** A small deterministic PRNG (mulberry32): the same page for the same size, every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');

/**
 * A page of about `nodes` DOM nodes (elements and text nodes of <body>): sections of nested divs
 * with inline styles, paragraphs, lists, tables and forms, in a fixed rotation.
 */
export function syntheticPage(nodes: number): string {
  const rnd = prng(nodes);
  const word = () => WORDS[Math.floor(rnd() * WORDS.length)] ?? 'x';
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  const colour = () => `#${Math.floor(rnd() * 0xffffff).toString(16).padStart(6, '0')}`;
  const out: string[] = [];
  let count = 0;
  // Each block adds its node count to `count` (an element or a text node is one).
  const blocks: Array<(i: number) => void> = [
    (i) => {
      // nested divs with inline styles, a text at each level
      out.push(`<div class="nest n${i}" style="padding:2px;margin:1px;border-left:2px solid ${colour()}">`);
      for (let d = 0; d < 6; d++) out.push(`<div style="color:${colour()};font-size:${12 + d}px">${words(3)}`);
      for (let d = 0; d < 6; d++) out.push('</div>');
      out.push('</div>');
      count += 1 + 6 * 2;
    },
    (i) => {
      out.push(`<p id="p${i}">${words(8)} <b>${words(2)}</b> ${words(5)} <a href="/page/${i}">${words(2)}</a>.</p>`);
      count += 1 + 1 + 2 + 1 + 2 + 1;
    },
    (i) => {
      out.push(`<ul class="list">`);
      for (let k = 0; k < 8; k++) out.push(`<li data-k="${i}-${k}">${words(4)}</li>`);
      out.push('</ul>');
      count += 1 + 8 * 2;
    },
    (i) => {
      out.push(`<table class="t${i % 5}"><thead><tr><th>a</th><th>b</th><th>c</th><th>d</th></tr></thead><tbody>`);
      for (let r = 0; r < 5; r++) {
        out.push('<tr>');
        for (let c = 0; c < 4; c++) out.push(`<td style="text-align:${c % 2 ? 'right' : 'left'}">${Math.floor(rnd() * 10000)}</td>`);
        out.push('</tr>');
      }
      out.push('</tbody></table>');
      count += 1 + 1 + 1 + 4 * 2 + 1 + 5 * (1 + 4 * 2);
    },
    (i) => {
      out.push(
        `<form class="f" action="/submit/${i}"><label for="in${i}">${words(2)}</label><input id="in${i}" name="q${i}" value="${word()}">` +
          `<input type="checkbox" name="c${i}"${rnd() < 0.5 ? ' checked' : ''}><select name="s${i}"><option>${word()}</option><option selected>${word()}</option></select>` +
          `<textarea name="t${i}">${words(4)}</textarea><button type="button">${word()}</button></form>`,
      );
      count += 1 + 2 + 1 + 1 + 1 + 2 + 2 + 2 + 2;
    },
  ];
  let i = 0;
  while (count < nodes) {
    blocks[i % blocks.length]?.(i);
    i += 1;
  }
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Synthetic ' +
    nodes +
    '</title><style>body{font-family:sans-serif;margin:8px}.nest{display:block}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:1px 4px}.list{columns:2}</style></head><body>' +
    out.join('') +
    '</body></html>'
  );
}

/**
 * The bench site: `/synthetic/N.html` (a synthetic page of N nodes) and `/blank.html` (the page the
 * mutation workloads run on).
 */
export async function startBenchSite(): Promise<StaticSite> {
  const cache = new Map<number, string>();
  return serve(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    const ours = /(?:^|;\s*)fidelity-snippet=ours(?:;|$)/.test(req.headers.cookie ?? '');
    let html: string | null = null;
    const synthetic = /^\/synthetic\/(\d+)\.html$/.exec(url.pathname);
    if (synthetic) {
      const n = Number(synthetic[1]);
      html = cache.get(n) ?? syntheticPage(n);
      cache.set(n, html);
    } else if (url.pathname === '/blank.html') {
      html = '<!doctype html><html><head><meta charset="utf-8"><title>Mutations</title></head><body></body></html>';
    }
    if (html === null) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(ours ? injectSnippet(html, ourSnippet(snippetConfig.cobrowseUrl)) : html);
  });
}

/**
 * rrweb's dom-mutation benchmark workloads, as in its pages (the corpus's
 * benchmark-dom-mutation*.html). `setup` runs (and its changes are sent) before the clock starts;
 * `run` is the measured workload. Both run in the customer's page (`page.evaluate`), so they are
 * self-contained functions (what they share is in `installWorkloadLibrary`).
 */
export interface BenchWindow {
  __benchLib: { append1000x10(): void };
}

/**
 * What several workloads share, installed in the page (`window.__benchLib`) before they run:
 * rrweb's `add()`, 1000 branches of 10 nested divs with `branch` and `depth` attributes, appended
 * to <body> through a fragment.
 */
export function installWorkloadLibrary(): void {
  (window as unknown as BenchWindow).__benchLib = {
    append1000x10: () => {
      const frag = document.createDocumentFragment();
      for (let b = 0; b < 1000; b++) {
        const node = document.createElement('div');
        let d = 0;
        node.setAttribute('branch', String(b));
        node.setAttribute('depth', String(d));
        let current = node;
        while (d < 9) {
          d++;
          const child = document.createElement('div');
          child.setAttribute('branch', String(b));
          child.setAttribute('depth', String(d));
          current.appendChild(child);
          current = child;
        }
        frag.appendChild(node);
      }
      document.body.appendChild(frag);
    },
  };
}

export interface Workload {
  id: string;
  label: string;
  setup: () => void;
  run: () => void;
}

export const WORKLOADS: Workload[] = [
  {
    id: 'append-1000x10',
    label: '1000×10 nested divs appended (benchmark-dom-mutation)',
    setup: () => {
      document.body.textContent = '';
    },
    run: () => (window as unknown as BenchWindow).__benchLib.append1000x10(),
  },
  {
    id: 'add-remove-add',
    label: '1000×10 added, removed, added again (…-add-and-remove)',
    setup: () => {
      document.body.textContent = '';
    },
    run: () => {
      const lib = (window as unknown as BenchWindow).__benchLib;
      lib.append1000x10();
      document.querySelectorAll('div').forEach((node) => node.parentNode?.removeChild(node));
      lib.append1000x10();
    },
  },
  {
    id: 'descendants-1000',
    label: '1000 divs each appended into the previous, with text (…-multiple-descendant-add)',
    setup: () => {
      document.body.textContent = '';
    },
    run: () => {
      let parent: HTMLElement = document.body;
      for (let i = 0; i < 1000; i++) {
        const el = document.createElement('div');
        el.textContent = `el-${i + 1}`;
        parent.append(el);
        parent = el;
      }
    },
  },
  {
    id: 'move-10000',
    label: '10,000 divs appended then moved to a new container (…-add-and-move)',
    setup: () => {
      document.body.textContent = '';
      const app = document.createElement('div');
      app.id = 'app';
      document.body.append(app);
    },
    run: () => {
      const appendNodes = (parentNode: HTMLElement, total: number) => {
        const el = document.createElement('div');
        for (let i = 0; i < total; i++) {
          const div = document.createElement('div');
          div.innerHTML = `div-${i + 1}`;
          el.append(div);
        }
        parentNode.append(el);
        return el;
      };
      const app = document.getElementById('app');
      if (!app) throw new Error('no #app');
      const container = appendNodes(app, 10000);
      const next = document.createElement('div');
      next.append(container);
      document.body.append(next);
      app.remove();
      appendNodes(document.body, 1);
    },
  },
  {
    id: 'attributes-10000',
    label: 'a class added to 10,000 divs (…-attributes)',
    setup: () => {
      document.body.textContent = '';
      for (let i = 0; i < 10000; ++i) document.body.appendChild(document.createElement('div'));
    },
    run: () => {
      for (const div of document.getElementsByTagName('div')) div.classList.add('foo');
    },
  },
  {
    id: 'deep-100x256',
    label: 'body emptied, 100 chains of 256 nested divs built (…-deep-nested)',
    setup: () => {
      document.body.textContent = '';
    },
    run: () => {
      document.body.innerHTML = '';
      const children: HTMLElement[] = [];
      for (let i = 0; i < 100; ++i) {
        const div = document.createElement('div');
        document.body.appendChild(div);
        children.push(div);
      }
      for (let depth = 256; depth > 0; depth--) {
        for (let i = 0; i < children.length; i++) {
          const div = document.createElement('div');
          children[i]?.appendChild(div);
          children[i] = div;
        }
      }
    },
  },
  {
    id: 'text-1000x10',
    label: '1000 divs of 10 text nodes each appended (issue 7: "1000×10 text nodes")',
    setup: () => {
      document.body.textContent = '';
    },
    run: () => {
      const frag = document.createDocumentFragment();
      for (let b = 0; b < 1000; b++) {
        const div = document.createElement('div');
        for (let t = 0; t < 10; t++) div.appendChild(document.createTextNode(`text ${b}.${t} `));
        frag.appendChild(div);
      }
      document.body.appendChild(frag);
    },
  },
];

/**
 * The burst of issue 7's graceful degradation ("a page changing 100,000 nodes a second"): a
 * container of `size` divs (`#stress`), then `rate` node changes a second for `seconds`, in steps
 * every `stepMs` (so `rate × stepMs / 1000` changes a step, on a sliding window of the divs): each
 * change replaces a div's text, sets an attribute, changes its class or replaces the div with a
 * new one, in turn. A late step also does the changes of the step it missed (at most one: a page
 * whose main thread cannot keep up gets a lower rate, reported, rather than ever longer tasks).
 * Each change costs the page O(1) (the divs are kept in an array, not looked up in the live
 * `children` collection). Resolves with what was done. Self-contained (runs in the page).
 */
export interface StressResult {
  changes: number;
  steps: number;
  /** From the first step to the end of the last, ms. */
  elapsed: number;
}

export function runStress(o: { size: number; rate: number; seconds: number; stepMs: number }): Promise<StressResult> {
  let box = document.getElementById('stress');
  if (!box) {
    box = document.createElement('div');
    box.id = 'stress';
    for (let i = 0; i < o.size; i++) {
      const d = document.createElement('div');
      d.textContent = `n${i}`;
      box.appendChild(d);
    }
    document.body.appendChild(box);
  }
  const kids = Array.from(box.children) as HTMLElement[];
  let changes = 0;
  let steps = 0;
  const total = o.rate * o.seconds;
  const perStep = Math.max(1, Math.round((o.rate * o.stepMs) / 1000));
  const change = (k: number) => {
    const at = k % kids.length;
    const el = kids[at] as HTMLElement;
    switch (k % 4) {
      case 0:
        el.textContent = `t${k}`;
        break;
      case 1:
        el.setAttribute('data-v', String(k));
        break;
      case 2:
        el.className = `c${k % 7}`;
        break;
      default: {
        const n = document.createElement('div');
        n.textContent = `r${k}`;
        el.replaceWith(n);
        kids[at] = n;
      }
    }
  };
  return new Promise((resolve) => {
    const start = performance.now();
    const tick = () => {
      steps += 1;
      // Changes due by now (the schedule), at most two steps' worth and what is left.
      const due = Math.min(total, changes + 2 * perStep, Math.round(((performance.now() - start + o.stepMs) / 1000) * o.rate));
      while (changes < due) change(changes++);
      if (changes >= total) resolve({ changes, steps, elapsed: performance.now() - start });
      else setTimeout(tick, o.stepMs);
    };
    tick();
  });
}

/**
 * What the replica must equal after a burst: each child of `#stress` as tag, class, data-v, text;
 * in the page's document, or with `frame` (a selector) in that iframe's (the replica, same origin
 * as the agent's page). Self-contained (runs in the page).
 */
export function stressSignature(frame: string | null): string {
  const doc = frame === null ? document : (document.querySelector(frame) as HTMLIFrameElement | null)?.contentDocument;
  const box = doc?.getElementById('stress');
  if (!box) return '(no #stress)';
  const out: string[] = [];
  for (const el of Array.from(box.children)) out.push(`${el.localName}|${el.getAttribute('class') ?? ''}|${el.getAttribute('data-v') ?? ''}|${el.textContent ?? ''}`);
  return `${out.length}:${out.join(';')}`;
}
