// The fidelity corpus: which pages are measured, on which site, and the scripted interactions the
// customer performs on each after the first comparison. Pages of rrweb's fixtures that are left out
// are listed in SKIPPED with the reason (the report prints them).

/** A customer action, performed with real input (Playwright's mouse and keyboard) unless `script`. */
export type Action =
  | { do: 'fill'; selector: string; text: string }
  | { do: 'type'; selector: string; text: string }
  | { do: 'press'; selector: string; key: string }
  | { do: 'click'; selector: string }
  | { do: 'dblclick'; selector: string }
  | { do: 'check'; selector: string }
  | { do: 'select'; selector: string; value: string }
  | { do: 'hover'; selector: string }
  /** Mouse wheel over the page by `y` CSS px; waits until the page scrolled. */
  | { do: 'wheel'; y: number }
  /** The page's own script does something a visitor cannot click (open a `<dialog>` …). */
  | { do: 'script'; code: string };

/** Where a page is served: the two corpus suites, the apps built from npm, the demo shop. */
export type SiteName = 'rrweb' | 'rrweb-snapshot' | 'apps' | 'demo';

export interface CorpusPage {
  /** Unique, file-name safe. */
  id: string;
  site: SiteName;
  /** Path on the site (with query), starting with `/`. */
  path: string;
  /** What the interactions do, for the report ("type, check, scroll"). */
  interactionsLabel?: string;
  interactions: Action[];
  /** In the quick subset run by scripts/test.sh. */
  smoke?: boolean;
}

const page = (site: SiteName, path: string, interactions: Action[] = [], interactionsLabel?: string): CorpusPage => ({
  id: `${site}${path.replace(/\.html$|\?.*$/g, '').replace(/[^\w-]+/g, '-')}`,
  site,
  path,
  interactions,
  ...(interactionsLabel ? { interactionsLabel } : {}),
});

const smoke = (p: CorpusPage): CorpusPage => ({ ...p, smoke: true });

export const CORPUS: CorpusPage[] = [
  // ---- rrweb-snapshot's fixtures ----
  page('rrweb-snapshot', '/html/about-mozilla.html', [{ do: 'hover', selector: '#from' }], 'hover'),
  page('rrweb-snapshot', '/html/background-clip-text.html'),
  page('rrweb-snapshot', '/html/basic.html'),
  page('rrweb-snapshot', '/html/block-element.html'),
  page('rrweb-snapshot', '/html/dialog.html', [{ do: 'script', code: "document.querySelector('dialog').show()" }], 'open dialog (show)'),
  page('rrweb-snapshot', '/html/dynamic-stylesheet.html'),
  page(
    'rrweb-snapshot',
    '/html/form-fields.html',
    [
      { do: 'fill', selector: 'input[type=text]', text: 'Typed by the customer' },
      { do: 'click', selector: 'input[type=checkbox]' },
      { do: 'fill', selector: 'textarea >> nth=0', text: 'Two\nlines' },
      { do: 'select', selector: 'select', value: '1' },
      { do: 'fill', selector: 'input[name=tagName]', text: 'tag' },
    ],
    'type, uncheck, textarea, select',
  ),
  page('rrweb-snapshot', '/html/hover.html', [{ do: 'hover', selector: 'text=hover me' }], 'hover (menu)'),
  page('rrweb-snapshot', '/html/iframe.html'),
  page('rrweb-snapshot', '/html/invalid-tagname.html'),
  page('rrweb-snapshot', '/html/mask-text.html'),
  page('rrweb-snapshot', '/html/monkey-patched-elements.html'),
  page('rrweb-snapshot', '/html/picture.html'),
  page('rrweb-snapshot', '/html/picture-blob.html'),
  page('rrweb-snapshot', '/html/picture-blob-in-frame.html'),
  page('rrweb-snapshot', '/html/picture-in-frame.html'),
  page('rrweb-snapshot', '/html/picture-with-inline-onload.html'),
  page('rrweb-snapshot', '/html/shadow-dom.html', [{ do: 'click', selector: 'button[slot=title] >> nth=0' }], 'switch tab'),
  page('rrweb-snapshot', '/html/svg.html'),
  page('rrweb-snapshot', '/html/with-relative-res.html'),

  // ---- rrweb's fixtures ----
  page('rrweb', '/html/audio.html'),
  page('rrweb', '/html/block.html', [{ do: 'fill', selector: '.rr-block input', text: 'inside a block' }], 'type'),
  page(
    'rrweb',
    '/html/blocked-unblocked.html',
    [
      { do: 'click', selector: 'text=MUTATE >> nth=0' },
      { do: 'click', selector: 'text=MUTATE >> nth=1' },
    ],
    'click (mutations)',
  ),
  page('rrweb', '/html/canvas.html'),
  page('rrweb', '/html/canvas-webgl.html'),
  page('rrweb', '/html/canvas-webgl-shader.html'),
  page('rrweb', '/html/canvas-webgl-square.html'),
  page('rrweb', '/html/dialog.html', [{ do: 'script', code: "document.querySelector('dialog').showModal()" }], 'open modal dialog'),
  smoke(
    page(
      'rrweb',
      '/html/form.html',
      [
        { do: 'fill', selector: 'input[type=text]', text: 'Hello from the customer' },
        { do: 'check', selector: 'input[value=on]' },
        { do: 'check', selector: 'input[type=checkbox]' },
        { do: 'select', selector: 'select', value: '2' },
        { do: 'fill', selector: 'textarea >> nth=0', text: 'Some notes' },
      ],
      'type, radio, check, select, textarea',
    ),
  ),
  page('rrweb', '/html/frame-image-blob-url.html'),
  page('rrweb', '/html/frame1.html'),
  page('rrweb', '/html/hello-world.html'),
  page('rrweb', '/html/ignore.html', [{ do: 'fill', selector: 'input >> nth=0', text: 'ignored?' }], 'type'),
  page('rrweb', '/html/image-blob-url.html'),
  page('rrweb', '/html/link.html', [{ do: 'hover', selector: 'text=link >> nth=-1' }], 'hover link'),
  page('rrweb', '/html/main.html'),
  page('rrweb', '/html/mask-text.html'),
  page('rrweb', '/html/monkey-patched-mutation.html'),
  page('rrweb', '/html/move-node.html'),
  page('rrweb', '/html/mutation-observer.html'),
  page(
    'rrweb',
    '/html/password.html',
    [
      { do: 'type', selector: '#password', text: 'hunter2' },
      { do: 'click', selector: '#show-password' },
    ],
    'type password, show it',
  ),
  page('rrweb', '/html/polyfilled-shadowdom-mutation.html'),
  page('rrweb', '/html/shadow-dom.html'),
  page('rrweb', '/html/shuffle.html'),
  page('rrweb', '/html/style.html'),
  page('rrweb', '/html/video.html'),

  // ---- the demo shop (served by the cobrowse server, its own snippet) ----
  page('demo', '/demo/index.html', [{ do: 'wheel', y: 400 }], 'scroll'),
  page('demo', '/demo/product.html?id=kettle', [{ do: 'click', selector: '#add-to-cart' }], 'add to cart'),
  smoke(
    page(
      'demo',
      '/demo/checkout.html',
      [
        { do: 'fill', selector: '#name', text: 'Ada Lovelace' },
        { do: 'fill', selector: '#address', text: '12 Analytical Street\nLondon' },
        { do: 'select', selector: '#country', value: 'fr' },
        { do: 'check', selector: 'input[value=express]' },
        { do: 'check', selector: '#gift' },
        { do: 'wheel', y: 300 },
      ],
      'type, select, radio, check, scroll',
    ),
  ),

  // ---- real-world pages built from npm packages (fidelity/apps/) ----
  smoke(
    page(
      'apps',
      '/todomvc-react.html',
      [
        { do: 'type', selector: '.new-todo', text: 'Buy filters' },
        { do: 'press', selector: '.new-todo', key: 'Enter' },
        { do: 'check', selector: '.todo-list li >> nth=1 >> .toggle' },
      ],
      'add todo, toggle',
    ),
  ),
  page(
    'apps',
    '/todomvc-vue.html',
    [
      { do: 'type', selector: '.new-todo', text: 'Descale the kettle' },
      { do: 'press', selector: '.new-todo', key: 'Enter' },
      { do: 'check', selector: '.todo-list li >> nth=0 >> .toggle' },
      { do: 'click', selector: '.filters >> text=Active' },
    ],
    'add todo, toggle, filter',
  ),
  page(
    'apps',
    '/bootstrap-docs.html',
    [
      { do: 'fill', selector: '#search', text: 'grind size' },
      { do: 'click', selector: '#faq-one' },
      { do: 'wheel', y: 300 },
      { do: 'check', selector: '#scale' },
      { do: 'click', selector: '#versions' },
    ],
    'type, accordion, scroll, switch, open menu',
  ),
  page(
    'apps',
    '/todomvc-preact.html',
    [
      { do: 'type', selector: '.new-todo', text: 'Grind 30 g, coarse' },
      { do: 'press', selector: '.new-todo', key: 'Enter' },
      { do: 'check', selector: '.todo-list li >> nth=0 >> .toggle' },
      { do: 'click', selector: '.filters >> text=Active' },
      { do: 'dblclick', selector: '.todo-list li >> nth=0 >> label' },
      { do: 'fill', selector: '.todo-list li.editing .edit', text: 'Steep for four minutes, then stir' },
      { do: 'press', selector: '.todo-list li.editing .edit', key: 'Enter' },
    ],
    'add todo, toggle, filter, edit (double-click)',
  ),
  // Shadow roots everywhere (open ones, and closed ones for the menu's key hints), adopted
  // stylesheets, :focus-visible (keyboard) and :hover on elements in shadow roots.
  smoke(
    page(
      'apps',
      '/lit-app.html',
      [
        { do: 'fill', selector: '#recipient', text: 'Grace Hopper' },
        { do: 'check', selector: '#gift' },
        { do: 'press', selector: '#gift', key: 'Tab' },
        { do: 'press', selector: '#sort button', key: 'Enter' },
        { do: 'hover', selector: '#sort li >> nth=1' },
      ],
      'type, check, keyboard focus, open menu, hover',
    ),
  ),
  page(
    'apps',
    '/docs-markdown.html',
    [
      { do: 'wheel', y: 1200 },
      { do: 'click', selector: 'nav.toc >> text=Water' },
      { do: 'click', selector: '#derivation > summary' },
      { do: 'fill', selector: '#filter', text: 'yield' },
    ],
    'scroll, contents link, expand details, filter contents',
  ),
];

/** Pages of the corpus that are not measured, and why. */
export const SKIPPED: { page: string; reason: string }[] = [
  ...[
    'benchmark-dom-mutation.html',
    'benchmark-dom-mutation-add-and-move.html',
    'benchmark-dom-mutation-add-and-remove.html',
    'benchmark-dom-mutation-attributes.html',
    'benchmark-dom-mutation-deep-nested.html',
    'benchmark-dom-mutation-multiple-descendant-add.html',
  ].map((p) => ({ page: `rrweb/html/${p}`, reason: 'benchmark scaffolding: an empty body until a benchmark calls `workload()`' })),
  { page: 'rrweb/html/blank.html', reason: 'blank page (empty body)' },
  { page: 'rrweb/html/empty.html', reason: 'blank page (one empty div)' },
  { page: 'rrweb/html/frame2.html', reason: 'measured as part of frame1.html' },
  { page: 'rrweb/html/canvas-webgl-image.html', reason: 'needs assets/webgl-utils.js, not in the corpus' },
  { page: 'rrweb/html/react-styled-components.html', reason: 'loads React and styled-components from cdn.jsdelivr.net (no network here)' },
  { page: 'rrweb/html/select2.html', reason: 'loads jQuery and Select2 from cdn.jsdelivr.net (no network here)' },
  { page: 'rrweb-snapshot/html/compat-mode.html', reason: 'its images (/images/compat-*.png) are not in the corpus' },
  { page: 'rrweb-snapshot/html/cors-style-sheet.html', reason: 'its stylesheet is on cdn.jsdelivr.net (no network here); the body is empty without it' },
  { page: 'rrweb-snapshot/html/iframe-inner.html', reason: 'measured as part of iframe.html' },
  { page: 'rrweb-snapshot/html/invalid-attribute.html', reason: 'blank page (parser test)' },
  { page: 'rrweb-snapshot/html/invalid-doctype.html', reason: 'blank page (parser test)' },
  { page: 'rrweb-snapshot/html/preload.html', reason: 'blank page (only preload links to example hosts)' },
  { page: 'rrweb-snapshot/html/video.html', reason: 'its videos are on techslides.com (no network here)' },
  { page: 'rrweb-snapshot/html/with-script.html', reason: 'blank page (a script, /js/a.js not in the corpus)' },
  { page: 'rrweb-snapshot/html/with-style-sheet.html', reason: 'blank page; /css/style.css is not in the corpus' },
  { page: 'rrweb-snapshot/html/with-style-sheet-with-import.html', reason: 'its stylesheets (/css/…, ../alt-css/…) are not in the corpus; blank without them' },
  { page: 'demo/live.html', reason: 'a clock ticks every second and a feed grows: the page never settles for a still comparison' },
  { page: 'demo/cart.html', reason: 'empty until something is added; the product page measures adding to the cart' },
];
