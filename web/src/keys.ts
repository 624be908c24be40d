/**
 * The workspace's keyboard: one table, shown on screen (KeyBar) and bound in App. Letters are the
 * moves' pinyin initials where they do not clash with moving through the list.
 */
import type { WorkMove } from './store';

export interface KeyRow {
  key: string;
  label: string;
}

export const MOVE_KEYS: Record<WorkMove, string> = {
  accept: 'a',
  forward: 'f',
  return: 't',
  reply: 'h',
  close: 'b',
  redispatch: 'd',
  extend: 'y',
  decide: 'p',
  supervise: 's',
  assistReply: 'x',
  unreasonable: 'u',
};

export const QUEUE_KEYS: KeyRow[] = [
  { key: 'J / ↓', label: '下一张' },
  { key: 'K / ↑', label: '上一张' },
  { key: 'Enter', label: '打开' },
  { key: '/', label: '按编号查找' },
  { key: '[ / ]', label: '上一页 / 下一页' },
  { key: 'R', label: '刷新' },
  { key: '1–5', label: '切换列表' },
];

export const TICKET_KEYS: KeyRow[] = [
  { key: 'Esc', label: '返回列表' },
  { key: 'C', label: '联系市民（查看号码，记入记录）' },
];

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}
