import { afterEach, describe, expect, it } from 'vitest';
import { chunkBase, createChunkLoader } from '../src/chunk';

/** The loader's pending `<script>` elements (jsdom does not fetch them: the tests play the chunk). */
const pending = () => [...document.querySelectorAll<HTMLScriptElement>('script[data-gcb-service-node]')];
/** What a chunk's `handOver(value)` does while its script runs. */
const handOver = (script: HTMLScriptElement, value: unknown) =>
  ((script as unknown as Record<string, (v: unknown) => void>)['__gcbReceive'] as (v: unknown) => void)(value);

afterEach(() => {
  for (const s of pending()) s.remove();
});

describe('chunks', () => {
  it('come from the directory of the SDK script, with its query; else from the server URL', () => {
    expect(chunkBase('https://cb.example/cobrowse/js/gcb.min.js?apikey=K', 'https://other.example/cobrowse/')).toEqual({
      base: 'https://cb.example/cobrowse/js/',
      query: '?apikey=K',
    });
    expect(chunkBase(null, 'https://cb.example/cobrowse/')).toEqual({ base: 'https://cb.example/cobrowse/js/', query: '' });
    expect(chunkBase('', '')).toBe(null);
  });

  it('are loaded once, with the nonce and suffix of the SDK, and resolve with what they hand over', async () => {
    const loader = createChunkLoader(document, {
      scriptSrc: 'https://cb.example/cobrowse/js/gcb.min.js',
      serverUrl: 'https://cb.example/cobrowse/',
      nonce: 'abc',
      suffix: '.min.js',
    });
    const first = loader.load<{ modalYes: string }>('de');
    const again = loader.load<{ modalYes: string }>('de');
    expect(pending()).toHaveLength(1);
    const script = pending()[0]!;
    expect(script.src).toBe('https://cb.example/cobrowse/js/gcb-de.min.js');
    expect(script.nonce).toBe('abc');
    handOver(script, { modalYes: 'Ja' });
    expect(await first).toEqual({ modalYes: 'Ja' });
    expect(await again).toEqual({ modalYes: 'Ja' });
    // The script element is removed once the chunk ran.
    expect(pending()).toHaveLength(0);
  });

  it('reject when the script fails or hands nothing over, and may be retried', async () => {
    const loader = createChunkLoader(document, { scriptSrc: null, serverUrl: 'https://cb.example/cobrowse/', nonce: '', suffix: '.js' });
    const failed = loader.load('inspect');
    const script = pending()[0]!;
    expect(script.src).toBe('https://cb.example/cobrowse/js/gcb-inspect.js');
    expect(script.hasAttribute('nonce')).toBe(false);
    script.dispatchEvent(new Event('error'));
    await expect(failed).rejects.toThrow(/could not be loaded/);

    const silent = loader.load('inspect');
    expect(pending()).toHaveLength(1);
    pending()[0]!.dispatchEvent(new Event('load'));
    await expect(silent).rejects.toThrow(/handed nothing over/);
  });
});
