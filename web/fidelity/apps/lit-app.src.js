// A small web-components app with Lit (npm `lit`): custom elements with shadow roots styled by
// `static styles` (adopted stylesheets), the document's own styles as a constructed stylesheet in
// document.adoptedStyleSheets, buttons styled on :hover and :focus-visible, a menu that opens
// (with shortcut hints in closed shadow roots, rendered only while it is open) and a form with a
// text field and a checkbox. Bundled by esbuild as an ES module when the
// fidelity sites start (sites.ts).
import { LitElement, css, html, nothing } from 'lit';

const page = css`
  :root {
    --ink: #1f2a37;
    --accent: #8a4b2a;
    --accent-soft: #f4e6dc;
    --line: #d9cfc7;
  }
  body {
    margin: 0;
    font: 15px/1.5 system-ui, sans-serif;
    color: var(--ink);
    background: #faf7f4;
  }
`;
document.adoptedStyleSheets = [...document.adoptedStyleSheets, page.styleSheet];

/** A button of the app: raised on hover, a ring on keyboard focus only. */
class RoastButton extends LitElement {
  static properties = { variant: { reflect: true }, disabled: { type: Boolean, reflect: true } };
  static styles = css`
    :host { display: inline-block; }
    button {
      font: inherit;
      padding: 6px 14px;
      border-radius: 8px;
      border: 1px solid var(--accent);
      background: white;
      color: var(--accent);
      cursor: pointer;
      transition: none;
    }
    :host([variant='primary']) button { background: var(--accent); color: white; }
    button:hover { background: var(--accent-soft); box-shadow: 0 2px 6px rgb(0 0 0 / 0.2); }
    :host([variant='primary']) button:hover { background: #6d3a20; }
    button:focus { outline: none; }
    button:focus-visible { outline: 3px solid #e0a36f; outline-offset: 2px; }
    button:disabled { opacity: 0.5; cursor: default; }
  `;
  constructor() {
    super();
    this.variant = 'plain';
    this.disabled = false;
  }
  render() {
    return html`<button part="button" ?disabled=${this.disabled}><slot></slot></button>`;
  }
}
customElements.define('roast-button', RoastButton);

/**
 * A status badge. Its root is open: a closed root attached at load may be attached before the
 * co-browse SDK (an async script) has loaded, or after, from one run to the next, and the SDK
 * reads only closed roots attached once it runs; the closed roots of this page (`key-hint`) are
 * created when the menu opens, long after.
 */
class StatusBadge extends LitElement {
  static properties = { tone: { reflect: true } };
  static styles = css`
    :host { display: inline-flex; align-items: center; gap: 6px; font-size: 13px; }
    .dot { width: 9px; height: 9px; border-radius: 50%; background: #2f9e44; }
    :host([tone='warn']) .dot { background: #e8590c; }
    span.label { padding: 2px 8px; border-radius: 999px; background: #e9ecef; }
  `;
  constructor() {
    super();
    this.tone = 'ok';
  }
  render() {
    return html`<span class="dot"></span><span class="label"><slot></slot></span>`;
  }
}
customElements.define('status-badge', StatusBadge);

/** A keyboard shortcut hint, in a closed shadow root too (created only while the menu is open). */
class KeyHint extends LitElement {
  static shadowRootOptions = { ...LitElement.shadowRootOptions, mode: 'closed' };
  static properties = { keys: {} };
  static styles = css`
    kbd {
      font: 12px ui-monospace, monospace;
      border: 1px solid var(--line);
      border-bottom-width: 2px;
      border-radius: 4px;
      padding: 0 5px;
      color: #5c5c5c;
      background: #fff;
    }
  `;
  render() {
    return html`<kbd>${this.keys}</kbd>`;
  }
}
customElements.define('key-hint', KeyHint);

/** A menu button: the list opens under it and closes on a choice or Escape. */
class RoastMenu extends LitElement {
  static properties = { open: { type: Boolean, reflect: true }, label: {}, chosen: { state: true } };
  static styles = css`
    :host { position: relative; display: inline-block; }
    ul {
      position: absolute;
      right: 0;
      top: calc(100% + 6px);
      z-index: 10;
      margin: 0;
      padding: 6px 0;
      min-width: 220px;
      list-style: none;
      color: var(--ink);
      background: white;
      border: 1px solid var(--line);
      border-radius: 10px;
      box-shadow: 0 8px 24px rgb(31 42 55 / 0.18);
    }
    li {
      display: flex;
      justify-content: space-between;
      align-items: center;
      padding: 6px 14px;
      cursor: pointer;
    }
    li:hover { background: var(--accent-soft); }
    li[aria-selected='true'] { font-weight: 600; }
    hr { border: none; border-top: 1px solid var(--line); margin: 6px 0; }
  `;
  constructor() {
    super();
    this.open = false;
    this.label = 'Menu';
    this.chosen = 'Newest first';
  }
  #choose(item) {
    this.chosen = item;
    this.open = false;
    this.dispatchEvent(new CustomEvent('choose', { detail: item, bubbles: true, composed: true }));
  }
  render() {
    const items = [
      ['Newest first', 'N'],
      ['Oldest first', 'O'],
      ['By roast level', 'R'],
    ];
    return html`
      <roast-button
        id="toggle"
        aria-haspopup="menu"
        aria-expanded=${String(this.open)}
        @click=${() => (this.open = !this.open)}
        @keydown=${(e) => e.key === 'Escape' && (this.open = false)}
        >${this.label}: ${this.chosen} ▾</roast-button
      >
      ${this.open
        ? html`<ul role="menu">
            ${items.map(
              ([item, key]) =>
                html`<li role="menuitem" aria-selected=${String(item === this.chosen)} @click=${() => this.#choose(item)}>
                  <span>${item}</span><key-hint keys=${`⇧ ${key}`}></key-hint>
                </li>`,
            )}
            <hr />
            <li role="menuitem" @click=${() => this.#choose(this.chosen)}><span>Export as CSV…</span><key-hint keys="⌘ E"></key-hint></li>
          </ul>`
        : nothing}
    `;
  }
}
customElements.define('roast-menu', RoastMenu);

/** One order as a card. */
class OrderCard extends LitElement {
  static properties = { order: { attribute: false } };
  static styles = css`
    :host { display: block; }
    article {
      display: grid;
      grid-template-columns: 56px 1fr auto;
      gap: 14px;
      align-items: center;
      padding: 12px 16px;
      background: white;
      border: 1px solid var(--line);
      border-radius: 12px;
    }
    .swatch { width: 56px; height: 56px; border-radius: 10px; }
    h3 { margin: 0; font-size: 16px; }
    p { margin: 2px 0 0; color: #6b625b; font-size: 13px; }
    .price { font-variant-numeric: tabular-nums; font-weight: 600; }
  `;
  render() {
    const o = this.order;
    return html`<article>
      <div class="swatch" style=${`background: linear-gradient(135deg, ${o.colors[0]}, ${o.colors[1]})`}></div>
      <div>
        <h3>${o.name}</h3>
        <p>${o.origin} · ${o.roast} roast · ${o.weight}</p>
      </div>
      <div>
        <div class="price">${o.price}</div>
        <status-badge tone=${o.late ? 'warn' : 'ok'}>${o.late ? 'Delayed' : 'On time'}</status-badge>
      </div>
    </article>`;
  }
}
customElements.define('order-card', OrderCard);

/** The delivery form: a text field and a checkbox, with the summary following what is typed. */
class DeliveryForm extends LitElement {
  static properties = { name: { state: true }, gift: { state: true } };
  static styles = css`
    :host { display: block; }
    form {
      display: grid;
      gap: 12px;
      padding: 16px;
      background: white;
      border: 1px solid var(--line);
      border-radius: 12px;
    }
    label { display: grid; gap: 4px; font-size: 13px; color: #6b625b; }
    input[type='text'] {
      font: inherit;
      padding: 8px 10px;
      border: 1px solid var(--line);
      border-radius: 8px;
    }
    input[type='text']:focus { outline: 2px solid var(--accent); outline-offset: 0; }
    .check { display: flex; align-items: center; gap: 8px; color: var(--ink); font-size: 15px; }
    input[type='checkbox'] { width: 18px; height: 18px; accent-color: var(--accent); }
    .summary { margin: 0; font-size: 14px; }
  `;
  constructor() {
    super();
    this.name = '';
    this.gift = false;
  }
  render() {
    return html`<form @submit=${(e) => e.preventDefault()}>
      <label>Deliver to <input id="recipient" type="text" placeholder="Full name" .value=${this.name} @input=${(e) => (this.name = e.target.value)} /></label>
      <label class="check"><input id="gift" type="checkbox" .checked=${this.gift} @change=${(e) => (this.gift = e.target.checked)} /> Gift wrap this order</label>
      <p class="summary">${this.name ? html`Shipping to <strong>${this.name}</strong>` : 'No recipient yet'}${this.gift ? ', gift wrapped' : ''}.</p>
      <div><roast-button id="save" variant="primary">Save delivery</roast-button> <roast-button id="cancel">Cancel</roast-button></div>
    </form>`;
  }
}
customElements.define('delivery-form', DeliveryForm);

const ORDERS = [
  { name: 'Yirgacheffe Kochere', origin: 'Ethiopia', roast: 'Light', weight: '250 g', price: '€14.50', colors: ['#f6d365', '#c47a3a'], late: false },
  { name: 'Huila Supremo', origin: 'Colombia', roast: 'Medium', weight: '500 g', price: '€21.00', colors: ['#c47a3a', '#7a3e1d'], late: true },
  { name: 'Sumatra Mandheling', origin: 'Indonesia', roast: 'Dark', weight: '1 kg', price: '€36.90', colors: ['#7a3e1d', '#2b160a'], late: false },
];

/** The app shell: a header with the badge and the menu, the orders and the form. */
class RoasteryApp extends LitElement {
  static properties = { sort: { state: true } };
  static styles = css`
    :host { display: block; }
    header {
      display: flex;
      align-items: center;
      gap: 16px;
      padding: 14px 32px;
      background: var(--ink);
      color: white;
    }
    header h1 { margin: 0; font-size: 20px; font-weight: 650; letter-spacing: 0.02em; }
    header status-badge { color: var(--ink); }
    .spacer { flex: 1; }
    main { display: grid; grid-template-columns: 1fr 340px; gap: 24px; padding: 24px 32px; }
    h2 { margin: 0 0 12px; font-size: 17px; }
    .orders { display: grid; gap: 12px; }
  `;
  constructor() {
    super();
    this.sort = 'Newest first';
  }
  render() {
    const orders = this.sort === 'Oldest first' ? [...ORDERS].reverse() : ORDERS;
    return html`
      <header>
        <h1>Roastery</h1>
        <status-badge id="status">3 orders open</status-badge>
        <span class="spacer"></span>
        <roast-menu id="sort" label="Sort" @choose=${(e) => (this.sort = e.detail)}></roast-menu>
      </header>
      <main>
        <section>
          <h2>Open orders</h2>
          <div class="orders">${orders.map((o) => html`<order-card .order=${o}></order-card>`)}</div>
        </section>
        <section>
          <h2>Delivery</h2>
          <delivery-form></delivery-form>
        </section>
      </main>
    `;
  }
}
customElements.define('roastery-app', RoasteryApp);
