/// <reference types="vite/client" />
/**
 * The intake store (renderer/src/intake/intake-store.ts) against a fake desk: the lookups around the
 * ticket wait for typing to pause, a slow reply to an older lookup never overwrites a newer one, the
 * draft is saved once per pause, and dispose() stops what is pending.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RelatedTicket, TicketSummary } from '../../shared/api/contract';
import { fakeDesk } from './fake-desk';

// The store module makes the app's own instance over the real bridge, which needs a browser window.
vi.mock('../../renderer/src/bridge', () => ({ api: { call: async () => ({ ok: false, error: { kind: 'unavailable', message: 'test' } }) } }));

const { AROUND_DELAY_MS, DRAFT_SAVE_DELAY_MS, createIntakeStore } = await import('../../renderer/src/intake/intake-store');

/** A desk whose replies the test releases one by one, in any order. */
function intakeDesk() {
  const desk = fakeDesk({ 'drafts.save': () => ({ savedAt: '2026-12-01T08:00:00.000Z' }), 'side.show': () => null });
  /** Answers the oldest unanswered call of that name for this phone. */
  const answer = (name: string, phone: string, value: unknown) => desk.reply(name, value, (input) => input.phone === phone);
  return { ...desk, answer };
}

const summary = (id: string, phone: string): TicketSummary =>
  ({ id, number: `临20261201-${id}`, callerPhone: phone, status: '已派单', disposition: '直派', submittedAt: '2026-12-01T07:00:00.000Z', leafPath: [], contentPreview: '', unitName: null, deadlines: [], pendingSync: false }) as unknown as TicketSummary;
const related = (id: string): RelatedTicket => ({ ...summary(id, ''), reasons: ['same_phone'] }) as unknown as RelatedTicket;

/** Lets the promise callbacks queued so far run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('intake store', () => {
  let desk: ReturnType<typeof intakeDesk>;
  let store: ReturnType<typeof createIntakeStore>;

  beforeEach(() => {
    vi.useFakeTimers();
    desk = intakeDesk();
    store = createIntakeStore(desk.api as never);
  });
  afterEach(() => {
    store.getState().dispose();
    vi.useRealTimers();
  });

  it('looks up the caller once typing pauses, not on every keystroke', async () => {
    for (const prefix of ['1', '139', '1391234', '13912345678']) store.getState().setCallerPhone(prefix);
    await vi.advanceTimersByTimeAsync(AROUND_DELAY_MS - 1);
    expect(desk.named('tickets.around')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(desk.named('tickets.around').map((c) => c.input.phone)).toEqual(['13912345678']);
  });

  it('saves the draft once after the last change, with what was typed last', async () => {
    store.getState().setField('callerName', '张');
    store.getState().setField('callerName', '张先生');
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS);
    const saves = desk.named('drafts.save');
    expect(saves).toHaveLength(1);
    expect((saves[0]!.input.draft as { callerName: string }).callerName).toBe('张先生');
    expect(store.getState().savedAt).toBe('2026-12-01T08:00:00.000Z');
    expect(store.getState().savedRevision).toBe(store.getState().revision);
  });

  it('ignores a slow reply to an older number when a newer one has answered', async () => {
    store.getState().setCallerPhone('13900000001');
    await vi.advanceTimersByTimeAsync(AROUND_DELAY_MS);
    store.getState().setCallerPhone('13900000002');
    await vi.advanceTimersByTimeAsync(AROUND_DELAY_MS);

    desk.answer('tickets.around', '13900000002', { scope: 'center', history: [summary('new', '13900000002')], related: [related('new')] });
    await settle();
    expect(store.getState().history.map((t) => t.id)).toEqual(['new']);

    // The first lookup's answer arrives late: it must not replace the newer one.
    desk.answer('tickets.around', '13900000001', { scope: 'center', history: [summary('old', '13900000001')], related: [related('old')] });
    await settle();
    expect(store.getState().history.map((t) => t.id)).toEqual(['new']);
    expect(store.getState().related.map((t) => t.id)).toEqual(['new']);
  });

  it('drops a lookup still out for the previous call when a new call starts', async () => {
    store.getState().setCallerPhone('13900000001');
    await vi.advanceTimersByTimeAsync(AROUND_DELAY_MS);
    expect(store.getState().newCall()).toBe(true); // only a number typed: nothing to confirm
    desk.answer('tickets.around', '13900000001', { scope: 'center', history: [summary('old', '13900000001')], related: [related('old')] });
    await settle();
    expect(store.getState().history).toEqual([]);
    expect(store.getState().related).toEqual([]);
  });

  it('does not look up or save after dispose()', async () => {
    store.getState().setCallerPhone('13912345678');
    store.getState().dispose();
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS + AROUND_DELAY_MS);
    expect(desk.calls).toEqual([]);
  });

  it('asks before a new call replaces typed work, and takes the waiting call on the second F2', async () => {
    store.getState().setField('content', '楼道灯坏了好几天没人修');
    expect(store.getState().newCall('13811112222', '2026-12-01T08:05:00.000Z')).toBe(false);
    expect(store.getState().confirmNewCall).toBe(true);
    expect(store.getState().draft.content).toBe('楼道灯坏了好几天没人修');
    expect(store.getState().newCall()).toBe(true);
    expect(store.getState().draft.content).toBe('');
    expect(store.getState().draft.callerPhone).toBe('13811112222');
    expect(store.getState().draft.callbackPhone).toBe('13811112222');
  });

  it('saves the 网络渠道 submission with the draft, and a draft restored after a restart submits as that submission\'s ticket', async () => {
    const submission = '0d6f3f8e-5b7a-4c2e-9a51-3f2b8c1d7e40';
    // Complete enough to submit without reference data: a 不合理诉求 needs no address or category.
    const webPatch = {
      channel: '网络', callerName: '王女士', callerPhone: '13912345678', callbackPhone: '13912345678', requestType: '投诉',
      content: '网站留言：同一内容一天内第五次提交，要求处理邻居', disposition: '不合理诉求', leafCode: '0101001', unreasonableReason: '同一内容反复提交',
    } as const;
    expect(store.getState().takeSubmission(submission, webPatch, { leafCode: null, address: null })).toBe(true);
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS);
    const saved = desk.named('drafts.save').at(-1)!.input;
    expect(saved.open311RequestId).toBe(submission);

    // The desk restarts: a new store finds the saved draft and submits it.
    store.getState().dispose();
    desk = intakeDesk();
    store = createIntakeStore(desk.api as never);
    const restoring = store.getState().restoreSaved();
    await settle();
    const pending = desk.named('drafts.current');
    expect(pending).toHaveLength(1);
    desk.reply('drafts.current', { draft: saved.draft, savedAt: '2026-12-01T08:00:00.000Z', open311RequestId: submission });
    await restoring;
    expect(store.getState().open311RequestId).toBe(submission);
    void store.getState().submit();
    await settle();
    expect(desk.named('tickets.submit').at(-1)?.input.open311RequestId).toBe(submission);
  });

  it('shows a field\'s message when the field is left or on submit, never while typing', async () => {
    const state = () => store.getState();
    state().setField('content', '路灯坏了');
    expect(state().errors.content).toBeDefined();
    expect(state().shown.content).toBeUndefined();
    // Another field changing (the address resolving) does not bring it up either.
    state().setAddressText('朝阳区望京街道');
    expect(state().shown.content).toBeUndefined();
    state().visit('content');
    expect(state().shown.content).toBe('诉求内容至少 10 个字（现在 4 个）');
    // Once shown it follows the typing, and goes once fixed.
    state().setField('content', '路灯坏了好几天');
    expect(state().shown.content).toBe('诉求内容至少 10 个字（现在 7 个）');
    state().setField('content', '路灯坏了好几天了没人修');
    expect(state().shown.content).toBeUndefined();
    await state().submit();
    expect(state().shown.callerName).toBe('请填写来电人姓名（可填“匿名”）');
  });

  it('runs the call clock from F2, not from the first keystroke after it', () => {
    expect(store.getState().callActive).toBe(false);
    vi.setSystemTime(new Date('2026-12-01T08:00:00.000Z'));
    store.getState().newCall();
    vi.setSystemTime(new Date('2026-12-01T08:00:20.000Z'));
    store.getState().setField('callerName', '王女士');
    expect(store.getState().callActive).toBe(true);
    expect(store.getState().draft.callStartedAt).toBe('2026-12-01T08:00:00.000Z');
  });

  it('Alt+C takes the name and address of the earlier ticket by the same number, not of another caller', async () => {
    const earlier = { ...related('e1'), callerName: '李大爷', address: { text: '花家地北里3号楼', districtCode: '110105', streetCode: '110105001', villageCode: null } };
    const neighbour = { ...related('n1'), reasons: ['same_place_leaf'], callerName: '邻居' } as RelatedTicket;
    store.setState({ related: [neighbour, earlier], relatedActive: 0, history: [] });
    expect(store.getState().takeEarlierCaller()).toBe(false);
    store.setState({ relatedActive: 1 });
    expect(store.getState().takeEarlierCaller()).toBe(true);
    expect(store.getState().draft.callerName).toBe('李大爷');
    expect(store.getState().draft.address).toEqual(earlier.address);
  });

  it('says why a key did nothing through one notice shape', () => {
    store.getState().showError('没有可关联的相关工单');
    expect(store.getState().notice).toMatchObject({ kind: 'error', text: '没有可关联的相关工单' });
  });
});
