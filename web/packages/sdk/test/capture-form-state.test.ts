// Form state that page script sets (no `input` / `change` event) reaches the agent: the capture
// wraps the form-state setters while it runs, sends `val` ops like the input path (masked alike),
// and the wrappers keep the originals' behaviour.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyOps, createReplicaMirror, rebuildDocument, type ReplicaMirror } from '@cobrowse/dom';
import type { FullSnapshot, Op } from '@cobrowse/protocol';
import { batchOps, pageErrorsDuring, start, type Session } from './capture-session';

afterEach(() => {
  document.body.replaceChildren();
});

/** Small enough that frames are not compressed (jsdom's Blob has no `stream()`). */
const FORM = [
  '<input id="todo"><input id="qty" type="number"><input id="done" type="checkbox">',
  '<input type="radio" name="ship" id="ship-a" checked><input type="radio" name="ship" id="ship-b">',
  '<textarea id="note"></textarea>',
  '<select id="size"><option>s</option><optgroup><option>l</option><option>xl</option></optgroup></select>',
].join('');
const MASKED = '<input id="pin" type="password"><input id="card" class="private">';

/** A capture of `html` after its first snapshot, and the replica built from that snapshot. */
async function captured(html = FORM): Promise<{ s: Session; rep: Document; mirror: ReplicaMirror }> {
  document.body.innerHTML = html;
  const s = start();
  s.ctx.restrictions.setRules([{ id: 1, selector: '.private', kind: 'mask', urlPattern: null }]);
  s.capture.fullSnapshot();
  await vi.waitFor(() => expect(s.frames).toHaveLength(1));
  const rep = document.implementation.createHTMLDocument('replica');
  const mirror = createReplicaMirror();
  rebuildDocument((await s.payloads())[0]?.payload as FullSnapshot, rep, mirror);
  return { s, rep, mirror };
}

const byId = <T extends Element>(id: string, d: Document = document): T => d.getElementById(id) as unknown as T;

describe('form state set by script', () => {
  it('value, checked, radios, selectedIndex, option.selected, textarea and valueAsNumber send `val` ops the replica applies', async () => {
    const { s, rep, mirror } = await captured();
    try {
      byId<HTMLInputElement>('todo').value = 'Buy milk';
      byId<HTMLInputElement>('qty').valueAsNumber = 7;
      byId<HTMLInputElement>('done').checked = true;
      byId<HTMLInputElement>('ship-b').checked = true;
      byId<HTMLTextAreaElement>('note').value = 'ring twice';
      byId<HTMLSelectElement>('size').selectedIndex = 1;
      let ops = await batchOps(s, 2);
      const id = (name: string) => s.ctx.mirror.getId(byId(name));
      expect(ops).toContainEqual({ o: 'val', i: id('todo'), v: 'Buy milk' });
      expect(ops).toContainEqual({ o: 'val', i: id('qty'), v: '7' });
      expect(ops).toContainEqual({ o: 'val', i: id('done'), k: true });
      // The radio the script unchecked by checking another of its group is sent too.
      expect(ops).toContainEqual({ o: 'val', i: id('ship-a'), k: false });
      expect(ops).toContainEqual({ o: 'val', i: id('ship-b'), k: true });
      expect(ops).toContainEqual({ o: 'val', i: id('size'), v: 'l' });
      expect(applyOps(ops, rep, mirror).applied).toBe(ops.length);
      expect(byId<HTMLInputElement>('todo', rep).value).toBe('Buy milk');
      expect(byId<HTMLInputElement>('qty', rep).value).toBe('7');
      expect(byId<HTMLInputElement>('done', rep).checked).toBe(true);
      expect(byId<HTMLInputElement>('ship-a', rep).checked).toBe(false);
      expect(byId<HTMLInputElement>('ship-b', rep).checked).toBe(true);
      expect(byId<HTMLTextAreaElement>('note', rep).value).toBe('ring twice');
      expect(byId<HTMLSelectElement>('size', rep).value).toBe('l');

      // An option inside an <optgroup> selected by script: its <select> is sent; and a field
      // cleared after "Enter", as TodoMVC does.
      (byId<HTMLSelectElement>('size').options[2] as HTMLOptionElement).selected = true;
      byId<HTMLInputElement>('todo').value = '';
      ops = (await batchOps(s, 3)).slice(ops.length);
      expect(ops).toContainEqual({ o: 'val', i: id('size'), v: 'xl' });
      expect(ops).toContainEqual({ o: 'val', i: id('todo'), v: '' });
      applyOps(ops, rep, mirror);
      expect(byId<HTMLSelectElement>('size', rep).value).toBe('xl');
      expect(byId<HTMLInputElement>('todo', rep).value).toBe('');
    } finally {
      s.capture.stop();
    }
  });

  it('masked fields set by script send asterisks only, like typed ones', async () => {
    const { s } = await captured(MASKED);
    try {
      byId<HTMLInputElement>('pin').value = 'hunter2';
      byId<HTMLInputElement>('card').value = '4111111111111111';
      byId<HTMLInputElement>('card').setRangeText('9999', 0, 4);
      const ops = await batchOps(s, 2);
      const text = JSON.stringify(ops);
      expect(text).not.toContain('hunter');
      expect(text).not.toContain('4111');
      expect(text).not.toContain('9999');
      expect(ops).toContainEqual({ o: 'val', i: s.ctx.mirror.getId(byId('pin')), v: '*******' });
      expect(ops).toContainEqual({ o: 'val', i: s.ctx.mirror.getId(byId('card')), v: '*'.repeat(16) });
    } finally {
      s.capture.stop();
    }
  });

  it('an element the agent does not have yet is sent by its `add`, with the state script set', async () => {
    const { s } = await captured();
    try {
      const late = document.createElement('input');
      late.value = 'before insertion';
      document.body.appendChild(late);
      const ops = await batchOps(s, 2);
      expect(ops.filter((o: Op) => o.o === 'val')).toEqual([]);
      const add = ops.find((o) => o.o === 'add') as Extract<Op, { o: 'add' }>;
      expect(add.n).toMatchObject({ n: 'input', v: 'before insertion' });
    } finally {
      s.capture.stop();
    }
  });
});

describe('form-state setter wrappers', () => {
  it('behave as the originals (results, errors, getters) and stop() restores them', () => {
    const valueDesc = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
    const selectedDesc = Object.getOwnPropertyDescriptor(HTMLOptionElement.prototype, 'selected');
    const stepUp = HTMLInputElement.prototype.stepUp;
    document.body.innerHTML = '<input id="n" type="number" value="1"><input id="f" type="file">';
    const s = start();
    try {
      const now = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
      expect(now?.set).not.toBe(valueDesc?.set);
      expect(now?.get).toBe(valueDesc?.get);
      expect(now?.set?.name).toBe('set value');
      expect(HTMLInputElement.prototype.stepUp).not.toBe(stepUp);
      expect(HTMLInputElement.prototype.stepUp.name).toBe('stepUp');
      expect(HTMLInputElement.prototype.stepUp.length).toBe(stepUp.length);
      const n = byId<HTMLInputElement>('n');
      n.stepUp(2);
      expect(n.value).toBe('3');
      // The original's error, unchanged: a file input's value can only be cleared.
      expect(() => {
        byId<HTMLInputElement>('f').value = 'C:\\secret.txt';
      }).toThrow(DOMException);
      // Called on something that is no input: the original's TypeError (of jsdom's realm).
      let err: unknown = null;
      try {
        now?.set?.call({}, 'x');
      } catch (e) {
        err = e;
      }
      expect((err as Error | null)?.name).toBe('TypeError');
    } finally {
      s.capture.stop();
    }
    expect(Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')).toEqual(valueDesc);
    expect(Object.getOwnPropertyDescriptor(HTMLOptionElement.prototype, 'selected')).toEqual(selectedDesc);
    expect(HTMLInputElement.prototype.stepUp).toBe(stepUp);
  });

  it('errors of the capture while reporting never reach the page', async () => {
    const { s } = await captured();
    try {
      const radio = byId<HTMLInputElement>('ship-b');
      Object.defineProperty(radio, 'form', {
        get() {
          throw new Error('hostile getter');
        },
      });
      const pageErrors = await pageErrorsDuring(async () => {
        radio.checked = true;
        radio.dispatchEvent(new Event('input', { bubbles: true }));
        // The radio's own state still goes (its group could not be read).
        const ops = await batchOps(s, 2);
        expect(ops).toContainEqual({ o: 'val', i: s.ctx.mirror.getId(radio), k: true });
      });
      expect(pageErrors).toEqual([]);
    } finally {
      s.capture.stop();
    }
  });
});
