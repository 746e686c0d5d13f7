import { describe, expect, it, vi } from 'vitest';
import { decideStart, MEDIA_READY_TIMEOUT_MS, prepareMedia, type StartQuestion } from '../src/start';
import type { PrimaryMedia } from '../src/config';

/** The built-in modal's part: records the question and answers it. */
function asker(answer: boolean) {
  const asked: StartQuestion[] = [];
  return {
    asked,
    ask: (q: StartQuestion) => {
      asked.push(q);
      return Promise.resolve(answer);
    },
  };
}

const never = () => new Promise<void>(() => {});

describe('starting a session with primaryMedia', () => {
  it('an adapter whose agent is connected: no question, the token goes through sendCbSessionToken', async () => {
    const sent: string[] = [];
    const media = prepareMedia({ isAgentConnected: () => true, sendCbSessionToken: (t) => sent.push(t) }, () => {});
    const { asked, ask } = asker(false);
    expect(await decideStart({ media, ask, timeout: never })).toBe('autoConnect');
    expect(asked).toEqual([]);
    expect(media.sendToken('535176834')).toBe(true);
    expect(sent).toEqual(['535176834']);
  });

  it('an adapter whose agent is not connected: areYouOnPhone; Yes starts, No declines', async () => {
    const adapter: PrimaryMedia = { isAgentConnected: () => false, sendCbSessionToken: vi.fn() };
    const yes = asker(true);
    expect(await decideStart({ media: prepareMedia(adapter, () => {}), ask: yes.ask, timeout: never })).toBe('confirmed');
    expect(yes.asked).toEqual(['areYouOnPhone']);
    const no = asker(false);
    expect(await decideStart({ media: prepareMedia(adapter, () => {}), ask: no.ask, timeout: never })).toBe('declined');
    expect(no.asked).toEqual(['areYouOnPhone']);
  });

  it('no adapter, or one without isAgentConnected: areYouOnPhoneOrChat', async () => {
    for (const adapter of [null, { sendCbSessionToken: () => {} }, { isAgentConnected: 'yes' } as unknown as PrimaryMedia]) {
      const { asked, ask } = asker(true);
      expect(await decideStart({ media: prepareMedia(adapter, () => {}), ask, timeout: never })).toBe('confirmed');
      expect(asked).toEqual(['areYouOnPhoneOrChat']);
    }
  });

  it('only `true` counts as connected (a truthy string does not)', async () => {
    const media = prepareMedia({ isAgentConnected: () => 'true' as unknown as boolean }, () => {});
    const { asked, ask } = asker(true);
    await decideStart({ media, ask, timeout: never });
    expect(asked).toEqual(['areYouOnPhone']);
  });

  it('without the built-in UI nobody is asked: the page asked before calling startSession()', async () => {
    const media = prepareMedia({ isAgentConnected: () => false }, () => {});
    expect(await decideStart({ media, ask: null, timeout: never })).toBe('confirmed');
    expect(await decideStart({ media: prepareMedia(null, () => {}), ask: null, timeout: never })).toBe('confirmed');
  });

  it('initializeAsync is called once at once; the adapter is not used before done()', async () => {
    let done: () => void = () => {};
    const isAgentConnected = vi.fn(() => true);
    const initializeAsync = vi.fn((d: () => void) => {
      done = d;
    });
    const media = prepareMedia({ initializeAsync, isAgentConnected }, () => {});
    expect(initializeAsync).toHaveBeenCalledOnce();
    expect(media.isReady()).toBe(false);
    const { asked, ask } = asker(true);
    let decided: string | null = null;
    const decision = decideStart({ media, ask, timeout: never }).then((d) => (decided = d));
    await Promise.resolve();
    await Promise.resolve();
    expect(decided).toBeNull();
    expect(isAgentConnected).not.toHaveBeenCalled();
    done();
    done(); // A second call changes nothing.
    await decision;
    expect(decided).toBe('autoConnect');
    expect(asked).toEqual([]);
    expect(initializeAsync).toHaveBeenCalledOnce();
  });

  it('an adapter that never calls done: after the timeout the customer is asked as without adapter', async () => {
    const isAgentConnected = vi.fn(() => true);
    const media = prepareMedia({ initializeAsync: () => {}, isAgentConnected }, () => {});
    const waited: number[] = [];
    const { asked, ask } = asker(true);
    const decision = await decideStart({
      media,
      ask,
      timeout: (ms) => {
        waited.push(ms);
        return Promise.resolve();
      },
    });
    expect(waited).toEqual([MEDIA_READY_TIMEOUT_MS]);
    expect(decision).toBe('confirmed');
    expect(asked).toEqual(['areYouOnPhoneOrChat']);
    expect(isAgentConnected).not.toHaveBeenCalled();
  });

  it('a throwing adapter never breaks the start: reported, and treated as no answer', async () => {
    const report = vi.fn();
    const media = prepareMedia(
      {
        initializeAsync: () => {
          throw new Error('init');
        },
        isAgentConnected: () => {
          throw new Error('connected?');
        },
        sendCbSessionToken: () => {
          throw new Error('send');
        },
      },
      report,
    );
    // initializeAsync threw before calling done: the adapter is not ready, the wait is bounded.
    const { asked, ask } = asker(true);
    expect(await decideStart({ media, ask, timeout: () => Promise.resolve() })).toBe('confirmed');
    expect(asked).toEqual(['areYouOnPhoneOrChat']);
    expect(media.sendToken('123456789')).toBe(false);
    expect(report).toHaveBeenCalledWith('primaryMedia.initializeAsync threw', expect.any(Error));
    expect(report).toHaveBeenCalledWith('primaryMedia.sendCbSessionToken threw', expect.any(Error));
  });

  it('isAgentConnected throwing after a good init counts as absent (areYouOnPhoneOrChat)', async () => {
    const report = vi.fn();
    const media = prepareMedia(
      {
        isAgentConnected: () => {
          throw new Error('connected?');
        },
      },
      report,
    );
    const { asked, ask } = asker(false);
    expect(await decideStart({ media, ask, timeout: never })).toBe('declined');
    expect(asked).toEqual(['areYouOnPhoneOrChat']);
    expect(report).toHaveBeenCalledWith('primaryMedia.isAgentConnected threw', expect.any(Error));
  });

  it('the adapter methods are called with the adapter as `this`', async () => {
    const adapter = {
      connected: true,
      tokens: [] as string[],
      isAgentConnected(this: { connected: boolean }) {
        return this.connected;
      },
      sendCbSessionToken(this: { tokens: string[] }, token: string) {
        this.tokens.push(token);
      },
    };
    const media = prepareMedia(adapter, () => {});
    expect(await decideStart({ media, ask: null, timeout: never })).toBe('autoConnect');
    media.sendToken('111222333');
    expect(adapter.tokens).toEqual(['111222333']);
  });
});
