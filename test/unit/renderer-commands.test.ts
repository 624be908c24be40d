/// <reference types="vite/client" />
/**
 * The keyboard command tables (renderer/src/commands.ts) and what the desk's commands do
 * (renderer/src/desk-commands.ts), over fake stores: no screen needed.
 */
import { describe, expect, it, vi } from 'vitest';
import type { DispatchSuggestion } from '../../shared/dispatch/suggest';
import type { Unit } from '../../shared/domain/places';
import { bindCommands, commandFor, DESK_COMMANDS, keyLabel, LEAD_COMMANDS, SHELL_COMMANDS, SIDE_COMMANDS, type Handlers, type KeyPress } from '../../renderer/src/commands';
import { deskHandlers, type DeskCommandDeps, type DeskIntake, type LinkOffer } from '../../renderer/src/desk-commands';
import { emptyDraft, type TicketDraft } from '../../shared/domain/ticket';
import { FIELD_ID } from '../../renderer/src/desk-ids';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('command tables', () => {
  it.each([
    ['desk', [...DESK_COMMANDS, ...SHELL_COMMANDS]],
    ['lead view', [...LEAD_COMMANDS, ...SHELL_COMMANDS]],
    ['second screen', SIDE_COMMANDS],
  ] as const)('the %s gives every key one command and every command one id', (_, table) => {
    const keys = table.map((c) => keyLabel(c).toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(table.map((c) => c.id)).size).toBe(table.length);
    expect(table[0]).toMatchObject({ key: 'F1', label: '快捷键帮助' });
  });

  it('finds the command a key press means: letters case-blind, ⌘ as Ctrl, modifiers exact', () => {
    expect(commandFor(DESK_COMMANDS, press('U', { altKey: true }))?.id).toBe('pickUnit');
    expect(commandFor(DESK_COMMANDS, press('l', { altKey: true }))?.id).toBe('openLead');
    expect(commandFor(DESK_COMMANDS, press('Enter', { ctrlKey: true }))?.id).toBe('submit');
    expect(commandFor(DESK_COMMANDS, press('Enter', { metaKey: true }))?.id).toBe('submit');
    expect(commandFor(DESK_COMMANDS, press('Enter'))).toBeUndefined();
    expect(commandFor(DESK_COMMANDS, press('1'))).toBeUndefined();
    expect(commandFor(DESK_COMMANDS, press('2', { altKey: true }))?.id).toBe('pickSuggestion2');
    expect(commandFor(DESK_COMMANDS, press('F8', { altKey: true }))).toBeUndefined();
    expect(commandFor(LEAD_COMMANDS, press('5', { altKey: true }))?.id).toBe('chart:trend');
    expect(commandFor(LEAD_COMMANDS, press('F8'))).toBeUndefined();
  });

  it('reads keys as the help overlay prints them', () => {
    // Letters in capitals however the table spells them (Alt+U, Alt+S alike).
    expect(DESK_COMMANDS.map(keyLabel)).toEqual(expect.arrayContaining(['F1', 'Ctrl+Enter', 'Alt+U', 'Alt+M', 'Alt+S', 'Alt+↓', 'Alt+↑', 'Alt+L']));
    expect(SHELL_COMMANDS.map(keyLabel)).toEqual(['Alt+I']);
    expect(LEAD_COMMANDS.filter((c) => !('helpOnly' in c && c.helpOnly)).map((c) => `${keyLabel(c)} ${c.label}`)).toEqual(['F1 快捷键帮助', 'Alt+L 返回受理', 'Alt+S 签到/签退']);
  });

  it('binds each command to its own handler, in the table order', () => {
    const ran: string[] = [];
    const handlers = Object.fromEntries(LEAD_COMMANDS.map((c) => [c.id, () => void ran.push(c.id)])) as Handlers<typeof LEAD_COMMANDS>;
    const bound = bindCommands(LEAD_COMMANDS, handlers);
    expect(bound.map((s) => s.label)).toEqual(LEAD_COMMANDS.map((c) => c.label));
    commandFor(bound, press('t', { altKey: true }))!.run();
    commandFor(bound, press('F1'))!.run();
    expect(ran).toEqual(['operatorTable', 'help']);
  });
});

const unit = (code: string, kind: Unit['kind']): Unit => ({ code, name: code, kind, districtCode: null, placeCode: null, duties: '' });

/** A desk whose intake store refuses or accepts a submit as told, and that records where the focus went. */
function fakeDesk(
  options: {
    submitOk?: boolean;
    suggestion?: DispatchSuggestion | null;
    article?: string | null;
    related?: DeskIntake['related'] | number;
    draft?: Partial<TicketDraft>;
    leafArticles?: number;
  } = {},
) {
  const focused: string[] = [];
  const submits: unknown[] = [];
  const hows: unknown[] = [];
  const notices: string[] = [];
  const offers: LinkOffer[] = [];
  let kbResets = 0;
  const draft = { ...emptyDraft('d1', '2026-12-01T08:00:00.000Z', '13811112222'), ...options.draft };
  const intake: DeskIntake = {
    waitingCall: null,
    related: typeof options.related === 'object' ? options.related : (Array.from({ length: options.related ?? 0 }, (_, i) => ({ id: `r${i}`, linkedTicket: null })) as DeskIntake['related']),
    relatedActive: 0,
    errors: options.submitOk === false ? { content: '诉求内容至少 10 个字', callerName: '请填写来电人姓名' } : {},
    draft,
    leafArticles: draft.leafCode ? { code: draft.leafCode, count: options.leafArticles ?? 0 } : null,
    newCall: () => true,
    submit: async (patch, how) => {
      submits.push(patch);
      hows.push(how ?? {});
      return options.submitOk ?? true;
    },
    takeEarlierCaller: vi.fn(() => true),
    whenLeafReady: async () => {},
    setField: vi.fn(),
    pickLeaf: vi.fn(async () => {}),
    moveRelated: vi.fn(),
    showError: (text) => void notices.push(text),
  };
  const deps: DeskCommandDeps = {
    intake: () => intake,
    suggestion: () => (options.suggestion === undefined ? null : options.suggestion),
    kbArticleId: () => options.article ?? null,
    resetKb: () => void kbResets++,
    contentSuggestions: () => [{ code: 'A' }, { code: 'B' }],
    focus: (id) => void focused.push(id),
    afterRender: (run) => run(),
    toggleHelp: vi.fn(),
    openSecondScreen: vi.fn(),
    openUnitPicker: vi.fn(),
    openSignIn: vi.fn(),
    openLead: vi.fn(),
    openRedispatch: vi.fn(),
    openLookup: () => undefined,
    openLinkConfirm: (offer) => void offers.push(offer),
  };
  return { handlers: deskHandlers(deps), intake, deps, focused, submits, hows, notices, offers, kbResets: () => kbResets };
}

describe('desk commands', () => {
  it('F8 dispatches as suggested, then clears the knowledge base and goes to a fresh form', async () => {
    const desk = fakeDesk({ suggestion: { kind: 'direct', unit: unit('S1', 'street'), reason: '', alternatives: [] } });
    await desk.handlers.dispatchAsSuggested();
    expect(desk.submits).toEqual([{ disposition: '直派', unitCode: 'S1', kbArticleId: null, linkedTicketId: null }]);
    expect(desk.kbResets()).toBe(1);
    expect(desk.focused).toEqual([FIELD_ID.callerPhone]);
  });

  it('a refused submit puts the cursor on the first field at fault, in the form order', async () => {
    const desk = fakeDesk({ submitOk: false });
    await desk.handlers.submit();
    expect(desk.focused).toEqual([FIELD_ID.callerName]);
    expect(desk.kbResets()).toBe(0);
  });

  it('F9 goes to the sub-center among the alternatives, and says why when there is none', async () => {
    const withSub = fakeDesk({ suggestion: { kind: 'direct', unit: unit('S1', 'street'), reason: '', alternatives: [unit('SUB', 'subcenter'), unit('CITY', 'city_center')] } });
    await withSub.handlers.dispatchToSubcenter();
    expect(withSub.submits).toEqual([{ disposition: '派分中心', unitCode: 'SUB', kbArticleId: null, linkedTicketId: null }]);

    const without = fakeDesk({ suggestion: { kind: 'city', unit: unit('CITY', 'city_center'), reason: '', alternatives: [] } });
    await without.handlers.dispatchToSubcenter();
    expect(without.submits).toEqual([]);
    expect(without.notices).toEqual(['地址未识别到区，无法派往区分中心；请补充地址或按 F8 派市中心']);
  });

  it('F6 and F7 need something to link or an article read, and say so instead of submitting', async () => {
    const none = fakeDesk();
    await none.handlers.linkDuplicate();
    await none.handlers.closeWithArticle();
    await none.handlers.dispatchAsSuggested();
    expect(none.submits).toEqual([]);
    expect(none.notices).toEqual(['没有可关联的相关工单', '请先在知识库中打开答复文章（F4 检索，Enter 阅读）再按 F7 办结', '单位名录尚未载入，暂不能派单']);

    const ready = fakeDesk({ related: 2, article: 'kb-7' });
    await ready.handlers.closeWithArticle();
    expect(ready.submits).toEqual([{ disposition: '咨询办结', kbArticleId: 'kb-7', unitCode: null, linkedTicketId: null }]);
  });

  it('F6 asks first, and links to the original even when the offered ticket is itself a duplicate', async () => {
    const duplicate = { id: 'dup', number: '临20261201-0002', linkedTicket: { id: 'orig', number: '20261201000001' } };
    const desk = fakeDesk({ related: [duplicate] as unknown as DeskIntake['related'] });
    await desk.handlers.linkDuplicate();
    expect(desk.submits).toEqual([]);
    expect(desk.offers.map((o) => o.offered.id)).toEqual(['dup']);
    await desk.offers[0]!.confirm(null);
    expect(desk.submits).toEqual([{ disposition: '重复诉求', linkedTicketId: 'orig', unitCode: null, kbArticleId: null }]);
    expect(desk.focused).toEqual([FIELD_ID.callerPhone]);
  });

  it('Ctrl+Enter submits as F8 would and says so; a 咨询 with an article read closes as F7 would', async () => {
    const direct: DispatchSuggestion = { kind: 'direct', unit: { ...unit('S1', 'street'), name: '望京街道' }, reason: '', alternatives: [] };
    const dispatch = fakeDesk({ suggestion: direct, draft: { requestType: '投诉', leafCode: '0101001' } });
    await dispatch.handlers.submit();
    expect(dispatch.submits).toEqual([{ disposition: '直派', unitCode: 'S1', kbArticleId: null, linkedTicketId: null }]);
    expect(dispatch.hows).toEqual([{ via: 'F8 直派 望京街道' }]);

    const consult = fakeDesk({ suggestion: direct, article: 'KB0233', leafArticles: 2, draft: { requestType: '咨询', leafCode: '1713002' } });
    await consult.handlers.submit();
    expect(consult.submits).toEqual([{ disposition: '咨询办结', kbArticleId: 'KB0233', unitCode: null, linkedTicketId: null }]);
    expect(consult.hows).toEqual([{ via: 'F7 咨询办结' }]);
  });

  it('Ctrl+Enter never leaves the call-taker stuck: it names the key when it cannot choose', async () => {
    const unread = fakeDesk({ suggestion: null, leafArticles: 3, draft: { requestType: '咨询', leafCode: '1713002' } });
    await unread.handlers.submit();
    expect(unread.submits).toEqual([]);
    expect(unread.notices[0]).toContain('再按 Ctrl+Enter 或 F7 咨询办结；要派单请按 F8');

    const empty = fakeDesk({ submitOk: false, suggestion: { kind: 'city', unit: unit('CITY', 'city_center'), reason: '', alternatives: [] } });
    await empty.handlers.submit();
    // Nothing to go by yet: the form is checked (its messages show) and the notice names the keys.
    expect(empty.submits).toEqual([{}]);
    expect(empty.hows).toEqual([{ hint: expect.stringContaining('Ctrl+Enter 按建议派单（同 F8）') }]);
  });

  it('Alt+C takes the caller from the earlier ticket, or says there is none', () => {
    const desk = fakeDesk();
    desk.handlers.takeEarlierCaller();
    expect(desk.intake.takeEarlierCaller).toHaveBeenCalledTimes(1);
    expect(desk.notices).toEqual([]);
    desk.intake.takeEarlierCaller = () => false;
    desk.handlers.takeEarlierCaller();
    expect(desk.notices).toEqual(['没有同一号码的早先工单，无可取用的来电人信息']);
  });

  it('Alt+1…3 pick a shown suggestion; Alt+B marks 不合理诉求 and goes to the reason', () => {
    const desk = fakeDesk();
    desk.handlers.pickSuggestion2();
    desk.handlers.pickSuggestion3(); // only two shown: nothing
    expect(desk.intake.pickLeaf).toHaveBeenCalledTimes(1);
    expect(desk.intake.pickLeaf).toHaveBeenCalledWith('B');
    desk.handlers.markUnreasonable();
    expect(desk.intake.setField).toHaveBeenCalledWith('disposition', '不合理诉求');
    expect(desk.focused).toEqual([FIELD_ID.unreasonableReason]);
  });

  it('F2 over a call that was waiting goes to the caller name (the number is already there)', () => {
    const desk = fakeDesk();
    desk.intake.waitingCall = { phone: '13811112222', startedAt: '2026-12-01T08:00:00.000Z' };
    desk.handlers.newCall();
    expect(desk.focused).toEqual([FIELD_ID.callerName]);
    expect(desk.kbResets()).toBe(1);
  });
});
