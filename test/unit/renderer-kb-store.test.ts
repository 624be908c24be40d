/**
 * The knowledge-base panel's store (renderer/src/kb/kb-store.ts) against a fake desk: Enter pressed
 * before the hits for the typed words arrive opens the first of them when they do, instead of
 * being lost; a reply to older words never opens anything.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeDesk } from './fake-desk';

vi.mock('../../renderer/src/bridge', () => ({ api: { call: async () => ({ ok: false, error: { kind: 'unavailable', message: 'test' } }) } }));

const { createKbStore } = await import('../../renderer/src/kb/kb-store');

function kbDesk() {
  const desk = fakeDesk({ 'side.show': () => null, 'kb.article': (input) => ({ id: input.id, title: `条目 ${String(input.id)}` }) });
  const replySearch = (query: string, ids: string[]) =>
    desk.reply('kb.search', ids.map((id) => ({ id, title: id, snippet: '', matchedIn: 'title', expired: false })), (input) => input.query === query);
  return { ...desk, replySearch };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('knowledge-base store', () => {
  let desk: ReturnType<typeof kbDesk>;
  let store: ReturnType<typeof createKbStore>;
  const type = async (query: string) => {
    store.getState().setQuery(query);
    store.getState().search({ query, leafCode: null, contextTerm: null });
    await settle();
  };

  beforeEach(() => {
    vi.useFakeTimers();
    desk = kbDesk();
    store = createKbStore(desk.api as never);
  });
  afterEach(() => vi.useRealTimers());

  it('opens the first hit of the typed words when Enter came before they were answered', async () => {
    await type('供暖');
    await type('供暖时间');
    store.getState().openActive();
    expect(store.getState().article).toBeNull();
    desk.replySearch('供暖', ['kb-old']); // the older words' reply is dropped
    await settle();
    expect(store.getState().article).toBeNull();
    desk.replySearch('供暖时间', ['kb-heat', 'kb-other']);
    await settle();
    expect(store.getState().article?.id).toBe('kb-heat');
    expect(desk.calls.filter((c) => c.name === 'kb.article').map((c) => c.input.id)).toEqual(['kb-heat']);
  });

  it('forgets the pending Enter when the words change before the answer, and opens the active hit at once when answered', async () => {
    await type('社保卡');
    store.getState().openActive();
    await type('社保卡补办');
    desk.replySearch('社保卡', ['kb-a']);
    desk.replySearch('社保卡补办', ['kb-b', 'kb-c']);
    await settle();
    expect(store.getState().article).toBeNull();
    store.getState().move(1);
    store.getState().openActive();
    await settle();
    expect(store.getState().article?.id).toBe('kb-c');
  });
});
