import { afterEach, describe, expect, it } from 'vitest';
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
