// The customer's hover, focus, press and selection shown in the replica: pseudo-class rules copied
// with state attributes, the attributes set on the right elements (through shadow hosts), the
// selection set; the capture side computes the state it sends.

import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { createCaptureContext, createMaskScope, createReplicaMirror, rebuildDocument, serializeDocument, uiState } from '@cobrowse/dom';
import {
  ACTIVE_ATTRIBUTE,
  FOCUS_ATTRIBUTE,
  FOCUS_VISIBLE_ATTRIBUTE,
  FOCUS_WITHIN_ATTRIBUTE,
  HOVER_ATTRIBUTE,
  emulateStatesIn,
  emulatedSelector,
  showUiState,
} from '../src/interaction-state';

describe('pseudo-class emulation', () => {
  it('rewrites each emulated pseudo-class, and only those', () => {
    expect(emulatedSelector('a:hover')).toBe(`a[${HOVER_ATTRIBUTE}]`);
    expect(emulatedSelector('.b:focus-visible > i, input:focus')).toBe(`.b[${FOCUS_VISIBLE_ATTRIBUTE}] > i, input[${FOCUS_ATTRIBUTE}]`);
    expect(emulatedSelector('form:focus-within button:active')).toBe(`form[${FOCUS_WITHIN_ATTRIBUTE}] button[${ACTIVE_ATTRIBUTE}]`);
    expect(emulatedSelector('a:hovering, p::before, li:first-child')).toBeNull();
  });

  it('copies rules once, inside @media too, and again after the rules were replaced', () => {
    const doc = new JSDOM('<style>a:hover { color: red; } p { color: blue; } @media screen { b:focus { color: green; } }</style>').window.document;
    const done = new WeakMap<CSSStyleSheet, number>();
    emulateStatesIn(doc, done);
    emulateStatesIn(doc, done);
    const sheet = doc.styleSheets[0] as CSSStyleSheet;
    const texts = Array.from(sheet.cssRules).map((r) => r.cssText.replace(/\s+/g, ' '));
    const copies = texts.filter((t) => t.includes(HOVER_ATTRIBUTE));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(new RegExp(`^a\\[${HOVER_ATTRIBUTE}\\] \\{ ?color: red; ?\\}$`));
    expect(texts).toHaveLength(4);
    expect(((sheet.cssRules[3] as CSSMediaRule).cssRules[1] as CSSStyleRule).selectorText).toBe(`b[${FOCUS_ATTRIBUTE}]`);
    // Rules replaced (as a `css` op does): rewritten again.
    while (sheet.cssRules.length) sheet.deleteRule(0);
    sheet.insertRule('i:active { color: black; }', 0);
    emulateStatesIn(doc, done);
    expect((sheet.cssRules[1] as CSSStyleRule).selectorText).toBe(`i[${ACTIVE_ATTRIBUTE}]`);
  });
});

describe('interaction state, customer to replica', () => {
  it('the capture reports hover, press, focus and selection by id; the replica marks them', () => {
    const page = new JSDOM(
      '<!DOCTYPE html><body><form id="f"><label id="l">Name <input id="name"></label></form><p id="p">Some selected text</p><div id="host"></div></body>',
      { url: 'https://shop.example/' },
    );
    const pdoc = page.window.document;
    const root = (pdoc.getElementById('host') as Element).attachShadow({ mode: 'open' });
    root.innerHTML = '<button id="inner">in the shadow</button>';
    const ctx = createCaptureContext(pdoc);
    const snap = serializeDocument(ctx);
    (pdoc.getElementById('name') as HTMLInputElement).focus();
    const text = (pdoc.getElementById('p') as Element).firstChild as Text;
    pdoc.getSelection()?.setBaseAndExtent(text, 5, text, 13);
    const inner = root.getElementById('inner') as Element;
    const state = uiState(ctx, { hovered: inner, active: pdoc.getElementById('l') }, createMaskScope(ctx, ctx.match()));
    expect(state).toMatchObject({
      h: ctx.mirror.getId(inner),
      a: ctx.mirror.getId(pdoc.getElementById('l') as Element),
      f: ctx.mirror.getId(pdoc.getElementById('name') as Element),
      sel: [ctx.mirror.getId(text), 5, ctx.mirror.getId(text), 13],
    });

    const replica = new JSDOM('').window.document;
    const mirror = createReplicaMirror();
    rebuildDocument(JSON.parse(JSON.stringify(snap)), replica, mirror);
    let marked = showUiState(JSON.parse(JSON.stringify(state)), mirror, replica, []);
    const rHost = replica.getElementById('host') as Element;
    const rInner = rHost.shadowRoot?.getElementById('inner') as Element;
    expect(rInner.hasAttribute(HOVER_ATTRIBUTE)).toBe(true);
    // :hover holds for the ancestors too, through the shadow host.
    expect(rHost.hasAttribute(HOVER_ATTRIBUTE)).toBe(true);
    expect(replica.body.hasAttribute(HOVER_ATTRIBUTE)).toBe(true);
    expect(replica.getElementById('name')?.hasAttribute(FOCUS_ATTRIBUTE)).toBe(true);
    expect(replica.getElementById('f')?.hasAttribute(FOCUS_WITHIN_ATTRIBUTE)).toBe(true);
    expect(replica.getElementById('l')?.hasAttribute(ACTIVE_ATTRIBUTE)).toBe(true);
    expect(replica.getSelection()?.toString()).toBe('selected');

    // The next state replaces the previous one entirely.
    marked = showUiState({}, mirror, replica, marked);
    expect(marked).toEqual([]);
    expect(replica.querySelectorAll(`[${HOVER_ATTRIBUTE}], [${FOCUS_ATTRIBUTE}], [${ACTIVE_ATTRIBUTE}]`)).toHaveLength(0);
    expect(rInner.hasAttribute(HOVER_ATTRIBUTE)).toBe(false);
    expect(replica.getSelection()?.toString()).toBe('');
  });

  it('no selection is sent when it touches masked content', () => {
    const page = new JSDOM('<!DOCTYPE html><body><p id="secret">card 4111</p><p id="open">open text</p></body>', { url: 'https://shop.example/' });
    const pdoc = page.window.document;
    const ctx = createCaptureContext(pdoc);
    ctx.restrictions.setRules([{ id: 1, selector: '#secret', kind: 'mask', urlPattern: null }]);
    const match = ctx.match();
    serializeDocument(ctx, match);
    const secret = (pdoc.getElementById('secret') as Element).firstChild as Text;
    const open = (pdoc.getElementById('open') as Element).firstChild as Text;
    pdoc.getSelection()?.setBaseAndExtent(secret, 0, open, 4);
    expect(uiState(ctx, { hovered: null, active: null }, createMaskScope(ctx, match)).sel).toBeUndefined();
    pdoc.getSelection()?.setBaseAndExtent(open, 0, open, 4);
    expect(uiState(ctx, { hovered: null, active: null }, createMaskScope(ctx, match)).sel).toEqual([ctx.mirror.getId(open), 0, ctx.mirror.getId(open), 4]);
  });
});
