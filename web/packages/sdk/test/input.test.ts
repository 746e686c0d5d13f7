import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaptureContext, serializeDocument, type CaptureContext } from '@cobrowse/dom';
import type { AgentInput } from '@cobrowse/protocol';
import { createInputPerformer } from '../src/input';

const NO_MODS = { shift: false, ctrl: false, alt: false, meta: false };

function setup(html: string, write = true) {
  document.body.innerHTML = html;
  const ctx: CaptureContext = createCaptureContext(document);
  serializeDocument(ctx); // assigns the ids the agent knows
  const state = { write };
  const performer = createInputPerformer({ ctx, writeMode: () => state.write });
  const id = (sel: string) => {
    const el = document.querySelector(sel);
    const n = el ? ctx.mirror.getId(el) : undefined;
    if (n === undefined) throw new Error(`no id for ${sel}`);
    return n;
  };
  const key = (sel: string, k: string, mods = NO_MODS): AgentInput => ({ kind: 'key', target: id(sel), key: k, code: '', modifiers: mods });
  return { ctx, performer, id, key, state };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('input performer', () => {
  it('types through the native setter and dispatches input events a framework sees', () => {
    const { performer, key } = setup('<input id="name">');
    const input = document.querySelector<HTMLInputElement>('#name')!;
    // A framework's own value property (React tracks values this way): the native setter bypasses it.
    let own = '';
    Object.defineProperty(input, 'value', {
      configurable: true,
      get: () => Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.get!.call(input),
      set: (v: string) => {
        own = v;
      },
    });
    const seen: string[] = [];
    input.addEventListener('keydown', (e) => seen.push(`keydown:${e.key}`));
    input.addEventListener('keyup', (e) => seen.push(`keyup:${e.key}`));
    input.addEventListener('input', (e) => seen.push(`input:${(e as InputEvent).inputType}:${(e as InputEvent).data}:${input.value}`));
    for (const k of 'Ann') expect(performer.perform(key('#name', k))).toBe(true);
    expect(input.value).toBe('Ann');
    expect(own).toBe('');
    expect(seen.slice(0, 3)).toEqual(['keydown:A', 'input:insertText:A:A', 'keyup:A']);
  });

  it('Backspace and Delete remove around the caret; arrows move it', () => {
    const { performer, key } = setup('<input id="f" value="abcd">');
    const f = document.querySelector<HTMLInputElement>('#f')!;
    f.setSelectionRange(4, 4);
    performer.perform(key('#f', 'Backspace'));
    expect(f.value).toBe('abc');
    performer.perform(key('#f', 'ArrowLeft'));
    performer.perform(key('#f', 'ArrowLeft'));
    performer.perform(key('#f', 'Delete'));
    expect(f.value).toBe('ac');
    performer.perform(key('#f', 'X'));
    expect(f.value).toBe('aXc');
  });

  it('a cancelled keydown inserts nothing', () => {
    const { performer, key } = setup('<input id="f">');
    const f = document.querySelector<HTMLInputElement>('#f')!;
    f.addEventListener('keydown', (e) => e.preventDefault());
    performer.perform(key('#f', 'a'));
    expect(f.value).toBe('');
  });

  it('Enter inserts a newline in a textarea and does not submit a form from an input', () => {
    const { performer, key } = setup('<form><input id="i"><textarea id="t"></textarea></form>');
    let submitted = 0;
    document.querySelector('form')!.addEventListener('submit', (e) => {
      submitted += 1;
      e.preventDefault();
    });
    performer.perform(key('#t', 'a'));
    performer.perform(key('#t', 'Enter'));
    performer.perform(key('#t', 'b'));
    expect(document.querySelector<HTMLTextAreaElement>('#t')!.value).toBe('a\nb');
    performer.perform(key('#i', 'Enter'));
    expect(submitted).toBe(0);
  });

  it('Tab moves the focus in tab order, Shift+Tab back', () => {
    const { performer, key } = setup('<input id="a"><input id="skip" tabindex="-1"><button id="b">b</button><input id="h" type="hidden"><select id="c"></select>');
    document.querySelector<HTMLInputElement>('#a')!.focus();
    performer.perform(key('#a', 'Tab'));
    expect(document.activeElement?.id).toBe('b');
    performer.perform(key('#b', 'Tab'));
    expect(document.activeElement?.id).toBe('c');
    performer.perform(key('#c', 'Tab', { ...NO_MODS, shift: true }));
    expect(document.activeElement?.id).toBe('b');
  });

  it('setValue and setChecked fire input and change; a radio unchecks its group', () => {
    const { performer, id } = setup(
      '<select id="s"><option value="gb">GB</option><option value="de">DE</option></select>' +
        '<input type="radio" name="r" id="r1" checked><input type="radio" name="r" id="r2"><input type="checkbox" id="c">',
    );
    const events: string[] = [];
    document.addEventListener('input', (e) => events.push(`input:${(e.target as Element).id}`));
    document.addEventListener('change', (e) => events.push(`change:${(e.target as Element).id}`));
    performer.perform({ kind: 'setValue', target: id('#s'), value: 'de' });
    expect(document.querySelector<HTMLSelectElement>('#s')!.value).toBe('de');
    performer.perform({ kind: 'setChecked', target: id('#r2'), checked: true });
    expect(document.querySelector<HTMLInputElement>('#r2')!.checked).toBe(true);
    expect(document.querySelector<HTMLInputElement>('#r1')!.checked).toBe(false);
    performer.perform({ kind: 'setChecked', target: id('#c'), checked: true });
    expect(document.querySelector<HTMLInputElement>('#c')!.checked).toBe(true);
    expect(events).toEqual(['input:s', 'change:s', 'input:r2', 'change:r2', 'input:c', 'change:c']);
  });

  it('a click dispatches the mouse sequence, focuses and activates', () => {
    const { performer, id } = setup('<button id="b">Buy</button><input type="checkbox" id="c">');
    const seen: string[] = [];
    for (const t of ['mousedown', 'mouseup', 'click']) document.querySelector('#b')!.addEventListener(t, () => seen.push(t));
    performer.perform({ kind: 'click', target: id('#b'), point: { x: 5, y: 5 } });
    expect(seen).toEqual(['mousedown', 'mouseup', 'click']);
    expect(document.activeElement?.id).toBe('b');
    performer.perform({ kind: 'click', target: id('#c'), point: { x: 5, y: 5 } });
    expect(document.querySelector<HTMLInputElement>('#c')!.checked).toBe(true);
  });

  it('drops input for unknown ids, disconnected nodes and outside Write Mode', () => {
    const { performer, id, key, state } = setup('<input id="f"><button id="b">b</button>');
    let clicks = 0;
    document.querySelector('#b')!.addEventListener('click', () => (clicks += 1));
    expect(performer.perform({ kind: 'click', target: 99999, point: { x: 0, y: 0 } })).toBe(false);
    state.write = false;
    expect(performer.perform({ kind: 'click', target: id('#b'), point: { x: 0, y: 0 } })).toBe(false);
    expect(performer.perform(key('#f', 'a'))).toBe(false);
    expect(performer.perform({ kind: 'setValue', target: id('#f'), value: 'x' })).toBe(false);
    expect(clicks).toBe(0);
    expect(document.querySelector<HTMLInputElement>('#f')!.value).toBe('');
    state.write = true;
    const f = document.querySelector('#f')!;
    const fid = id('#f');
    f.remove();
    expect(performer.perform({ kind: 'setValue', target: fid, value: 'x' })).toBe(false);
  });
});

describe('input performer and DOM restrictions', () => {
  it('refuses every kind of input on masked and DOM controlled elements, and inside them', () => {
    const { ctx, performer, id, key } = setup(
      '<form><input id="pw" type="password"><input id="name"><button id="send">Send</button><input id="go" type="submit"></form>' +
        '<div id="card"><input id="number"><input id="agree" type="checkbox"><div id="list" style="overflow:auto"></div></div>' +
        '<select id="plan"><option>a</option><option>b</option></select>',
    );
    ctx.restrictions.setRules([
      { id: 1, selector: '#card', kind: 'mask', urlPattern: null },
      { id: 2, selector: '#plan', kind: 'control', urlPattern: null },
    ]);
    const clicks: string[] = [];
    const keys: string[] = [];
    document.addEventListener('click', (e) => clicks.push((e.target as Element).id), true);
    document.addEventListener('keydown', (e) => keys.push((e.target as Element).id), true);
    document.querySelector('form')!.addEventListener('submit', (e) => e.preventDefault());

    for (const target of ['#pw', '#send', '#go', '#number', '#agree', '#plan', '#card']) {
      expect(performer.perform({ kind: 'click', target: id(target), point: { x: 1, y: 1 } }), target).toBe(false);
      expect(performer.perform(key(target, 'a')), target).toBe(false);
      expect(performer.perform(key(target, 'Enter')), target).toBe(false);
      expect(performer.perform(key(target, ' ')), target).toBe(false);
      expect(performer.perform({ kind: 'focus', target: id(target) }), target).toBe(false);
    }
    expect(performer.perform({ kind: 'setValue', target: id('#pw'), value: 'secret' })).toBe(false);
    expect(performer.perform({ kind: 'setValue', target: id('#number'), value: '4111' })).toBe(false);
    expect(performer.perform({ kind: 'setValue', target: id('#plan'), value: 'b' })).toBe(false);
    expect(performer.perform({ kind: 'setChecked', target: id('#agree'), checked: true })).toBe(false);
    const list = document.querySelector<HTMLElement>('#list')!;
    list.scrollTo = () => {
      throw new Error('scrolled');
    };
    expect(performer.perform({ kind: 'scroll', target: id('#list'), point: { x: 0, y: 40 } })).toBe(false);

    expect(clicks).toEqual([]);
    expect(keys).toEqual([]);
    expect(document.querySelector<HTMLInputElement>('#pw')!.value).toBe('');
    expect(document.querySelector<HTMLInputElement>('#number')!.value).toBe('');
    expect(document.querySelector<HTMLSelectElement>('#plan')!.value).toBe('a');
    expect(document.querySelector<HTMLInputElement>('#agree')!.checked).toBe(false);
    expect(document.activeElement).toBe(document.body);
    // The unrestricted field next to them still works.
    expect(performer.perform(key('#name', 'x'))).toBe(true);
    expect(document.querySelector<HTMLInputElement>('#name')!.value).toBe('x');
  });

  it('a restriction added while the session runs applies to the next input', () => {
    const { ctx, performer, key } = setup('<input id="email">');
    expect(performer.perform(key('#email', 'a'))).toBe(true);
    ctx.restrictions.setRules([{ id: 5, selector: '[id=email]', kind: 'mask', urlPattern: null }]);
    expect(performer.perform(key('#email', 'b'))).toBe(false);
    expect(document.querySelector<HTMLInputElement>('#email')!.value).toBe('a');
  });

  it('refuses a click on a label (or inside one) whose control is restricted', () => {
    const { ctx, performer, id } = setup(
      '<form><label id="l1" for="go">Pay now</label><input id="go" type="submit">' +
        '<label id="l2"><span id="inner">Subscribe</span><input id="sub" type="checkbox"></label>' +
        '<label id="l3" for="ok">OK</label><input id="ok" type="checkbox"></form>',
    );
    ctx.restrictions.setRules([{ id: 1, selector: '#sub', kind: 'control', urlPattern: null }]);
    let submits = 0;
    document.querySelector('form')!.addEventListener('submit', (e) => {
      submits += 1;
      e.preventDefault();
    });
    expect(performer.perform({ kind: 'click', target: id('#l1'), point: { x: 1, y: 1 } })).toBe(false);
    expect(performer.perform({ kind: 'click', target: id('#l2'), point: { x: 1, y: 1 } })).toBe(false);
    expect(performer.perform({ kind: 'click', target: id('#inner'), point: { x: 1, y: 1 } })).toBe(false);
    expect(submits).toBe(0);
    expect(document.querySelector<HTMLInputElement>('#sub')!.checked).toBe(false);
    // A label of an unrestricted control works as a label.
    expect(performer.perform({ kind: 'click', target: id('#l3'), point: { x: 1, y: 1 } })).toBe(true);
    expect(document.querySelector<HTMLInputElement>('#ok')!.checked).toBe(true);
  });

  it('Tab moves the focus past restricted elements; Tab on one moves on without key events', () => {
    const { performer, key } = setup('<form><input id="user"><input id="pw" type="password"><input id="code"><button id="send">Send</button></form><a id="help" href="#help">Help</a>');
    const keys: string[] = [];
    document.addEventListener('keydown', (e) => keys.push(`${(e.target as Element).id}:${e.key}`), true);
    document.querySelector<HTMLInputElement>('#user')!.focus();
    performer.perform(key('#user', 'Tab'));
    expect(document.activeElement?.id).toBe('code');
    performer.perform(key('#code', 'Tab'));
    expect(document.activeElement?.id).toBe('help');
    performer.perform(key('#help', 'Tab', { ...NO_MODS, shift: true }));
    expect(document.activeElement?.id).toBe('code');
    // The customer clicked into the password field; the agent's Tab takes the focus on from there.
    document.querySelector<HTMLInputElement>('#pw')!.focus();
    expect(performer.perform(key('#pw', 'Tab'))).toBe(true);
    expect(document.activeElement?.id).toBe('code');
    expect(keys).toEqual(['user:Tab', 'code:Tab', 'help:Tab']);
  });

  describe('form submission', () => {
    const proto = HTMLFormElement.prototype;
    const original = { submit: proto.submit, requestSubmit: proto.requestSubmit };
    let submitCalls: HTMLFormElement[] = [];

    beforeEach(() => {
      submitCalls = [];
      // jsdom does not implement navigation: the page's form.submit() is recorded instead.
      proto.submit = function (this: HTMLFormElement) {
        submitCalls.push(this);
      };
    });
    afterEach(() => {
      proto.submit = original.submit;
      proto.requestSubmit = original.requestSubmit;
    });

    const page = (html: string) => {
      const s = setup(html);
      const submits: string[] = [];
      const form = document.querySelector('form')!;
      form.addEventListener('submit', (e) => {
        submits.push('submit');
        e.preventDefault();
      });
      return { ...s, form, submits };
    };

    it('nothing the page does during the agent’s click submits a form', () => {
      const { performer, id, form, submits } = page('<form><input id="name"><button id="next" type="button">Next</button></form>');
      const pageSubmit = proto.submit;
      document.querySelector('#next')!.addEventListener('click', () => {
        form.submit();
        form.requestSubmit();
        HTMLFormElement.prototype.submit.call(form);
      });
      expect(performer.perform({ kind: 'click', target: id('#next'), point: { x: 1, y: 1 } })).toBe(true);
      expect(submits).toEqual([]);
      expect(submitCalls).toEqual([]);
      // Restored at once: the page's own submits work again.
      expect(proto.submit).toBe(pageSubmit);
      expect(proto.requestSubmit).toBe(original.requestSubmit);
      form.requestSubmit();
      form.submit();
      expect(submits).toEqual(['submit']);
      expect(submitCalls).toEqual([form]);
    });

    it('Enter in a field never submits, even when the page’s key handler submits', () => {
      const { performer, key, form, submits } = page('<form><input id="name"></form>');
      document.querySelector('#name')!.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter') form.requestSubmit();
      });
      expect(performer.perform(key('#name', 'Enter'))).toBe(true);
      expect(submits).toEqual([]);
    });

    it('a submit button reached without the restriction check is still cancelled', () => {
      // The agent clicks a plain button whose handler clicks the (DOM controlled) submit button.
      const { performer, id, submits } = page('<form><button id="proxy" type="button">Continue</button><button id="real">Pay</button></form>');
      document.querySelector('#proxy')!.addEventListener('click', () => document.querySelector<HTMLButtonElement>('#real')!.click());
      expect(performer.perform({ kind: 'click', target: id('#proxy'), point: { x: 1, y: 1 } })).toBe(true);
      expect(submits).toEqual([]);
    });

    it('the customer’s own click on the submit button still submits', () => {
      const { submits } = page('<form><input id="name"><button id="send">Send</button></form>');
      document.querySelector<HTMLButtonElement>('#send')!.click();
      expect(submits).toEqual(['submit']);
    });
  });
});
