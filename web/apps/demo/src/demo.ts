/**
 * Behaviour of the demo shop: catalogue rendering, a cart kept in localStorage, the checkout form,
 * the live page, the "Co-browse" button that starts a session through the JavaScript API, and the
 * chat widget, set as the SDK's `primaryMedia` (this script runs before `gcb.js`: both are
 * deferred, in that order).
 */

import { createChatWidget } from './chat';
import { PRODUCTS, findProduct, price } from './products';

interface CobrowseApiLike {
  startSession(): void;
  onSessionStarted: { add(cb: (s: { token: string }) => void): void };
  onSessionEnded: { add(cb: (d: { reason?: string }) => void): void };
}

type Cart = Record<string, number>;
const CART_KEY = 'demo.cart';

function loadCart(): Cart {
  try {
    return JSON.parse(localStorage.getItem(CART_KEY) ?? '{}') as Cart;
  } catch {
    return {};
  }
}

function saveCart(cart: Cart): void {
  localStorage.setItem(CART_KEY, JSON.stringify(cart));
  renderCartCount();
}

function cartCount(cart: Cart): number {
  return Object.values(cart).reduce((a, b) => a + b, 0);
}

function renderCartCount(): void {
  const el = document.getElementById('cart-count');
  if (el) el.textContent = String(cartCount(loadCart()));
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function cobrowse(cb: (api: CobrowseApiLike) => void): void {
  const g = ((window as unknown as { _genesys?: { cobrowse?: { onReady?: { push(cb: unknown): void } } } })._genesys ??= {});
  const c = (g.cobrowse ??= {});
  (c.onReady ??= [] as unknown as { push(cb: unknown): void }).push(cb);
}

function setupCobrowseButton(): void {
  const button = document.getElementById('cobrowse-button') as HTMLButtonElement | null;
  if (!button) return;
  button.addEventListener('click', () => cobrowse((api) => api.startSession()));
  cobrowse((api) => {
    api.onSessionStarted.add(() => {
      button.hidden = true;
    });
    api.onSessionEnded.add(() => {
      button.hidden = false;
    });
  });
}

function renderCatalogue(): void {
  const grid = document.getElementById('products');
  if (!grid) return;
  for (const p of PRODUCTS) {
    grid.append(
      el(
        'article',
        { class: 'product' },
        el('a', { href: `product.html?id=${p.id}` }, el('img', { src: `img/${p.id}.svg`, alt: p.name, width: '240', height: '200' })),
        el('h2', {}, el('a', { href: `product.html?id=${p.id}` }, p.name)),
        el('p', { class: 'price' }, price(p.price)),
      ),
    );
  }
}

function renderProduct(): void {
  const root = document.getElementById('product');
  if (!root) return;
  const p = findProduct(new URLSearchParams(location.search).get('id'));
  if (!p) {
    // A mistyped link shows that it is one, not some other product.
    document.title = 'Product not found — Bean & Brew';
    root.append(el('h1', {}, 'Product not found'), el('p', {}, 'There is no such product. ', el('a', { href: 'index.html' }, 'See all products'), '.'));
    return;
  }
  document.title = `${p.name} — Bean & Brew`;
  const qty = el('input', { type: 'number', id: 'qty', name: 'qty', min: '1', max: '20', value: '1' });
  const add = el('button', { type: 'button', id: 'add-to-cart' }, 'Add to cart');
  const added = el('p', { class: 'added', role: 'status', id: 'added' });
  add.addEventListener('click', () => {
    const cart = loadCart();
    // The same quantity is added and reported, whatever was typed (empty, 0, 2.5, 99).
    const n = Math.min(20, Math.max(1, Math.floor(Number(qty.value)) || 1));
    qty.value = String(n);
    cart[p.id] = (cart[p.id] ?? 0) + n;
    saveCart(cart);
    added.textContent = `Added ${n} × ${p.name} to your cart.`;
  });
  root.append(
    el('img', { src: `img/${p.id}.svg`, alt: p.name, width: '360', height: '300' }),
    el(
      'div',
      { class: 'details' },
      el('h1', {}, p.name),
      el('p', { class: 'price' }, price(p.price)),
      el('p', {}, p.blurb),
      el('label', { for: 'qty' }, 'Quantity '),
      qty,
      ' ',
      add,
      added,
    ),
  );
}

function renderCart(): void {
  const body = document.getElementById('cart-lines');
  const total = document.getElementById('cart-total');
  if (!body || !total) return;
  const draw = () => {
    const cart = loadCart();
    body.replaceChildren();
    let sum = 0;
    for (const [id, n] of Object.entries(cart)) {
      const p = findProduct(id);
      if (!p || n <= 0) continue;
      sum += p.price * n;
      const remove = el('button', { type: 'button', class: 'link', 'aria-label': `Remove ${p.name}` }, 'Remove');
      remove.addEventListener('click', () => {
        const c = loadCart();
        delete c[id];
        saveCart(c);
        draw();
      });
      body.append(el('tr', {}, el('td', {}, p.name), el('td', {}, String(n)), el('td', {}, price(p.price * n)), el('td', {}, remove)));
    }
    if (!body.children.length) body.append(el('tr', {}, el('td', { colspan: '4', class: 'empty' }, 'Your cart is empty.')));
    total.textContent = price(sum);
  };
  draw();
}

function setupCheckout(): void {
  const form = document.getElementById('checkout-form') as HTMLFormElement | null;
  if (!form) return;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const done = document.getElementById('order-done');
    if (done) {
      done.hidden = false;
      done.textContent = 'Thank you! Your order has been placed (this is a demo: nothing was charged).';
    }
    localStorage.removeItem(CART_KEY);
    renderCartCount();
  });
}

function setupLive(): void {
  const clock = document.getElementById('clock');
  const list = document.getElementById('feed');
  const modal = document.getElementById('modal') as HTMLDialogElement | null;
  if (clock) {
    const tick = () => {
      clock.textContent = new Date().toLocaleTimeString('en-GB');
    };
    tick();
    setInterval(tick, 1000);
  }
  if (list) {
    let n = 0;
    const events = ['Order shipped', 'New review', 'Price drop', 'Back in stock', 'Order placed'];
    setInterval(() => {
      n += 1;
      list.prepend(el('li', {}, `#${n} ${events[n % events.length] ?? ''} — ${new Date().toLocaleTimeString('en-GB')}`));
      while (list.children.length > 12) list.lastElementChild?.remove();
    }, 1500);
  }
  document.getElementById('open-modal')?.addEventListener('click', () => modal?.showModal());
  document.getElementById('close-modal')?.addEventListener('click', () => modal?.close());
}

function setupChat(): void {
  const g = ((window as unknown as { _genesys?: { cobrowse?: { url?: string; primaryMedia?: unknown } } })._genesys ??= {});
  const c = (g.cobrowse ??= {});
  c.primaryMedia = createChatWidget(c.url ?? new URL('/cobrowse/', location.href).href);
}

setupChat();
renderCartCount();
setupCobrowseButton();
renderCatalogue();
renderProduct();
renderCart();
setupCheckout();
setupLive();
