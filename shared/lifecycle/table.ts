/**
 * The lifecycle as the tables docs/architecture.md shows, generated from ticket-lifecycle.ts so the
 * document cannot drift: test/unit/lifecycle.test.ts compares them, and
 * `npx tsx scripts/lifecycle-table.ts --write` rewrites the document's copy.
 */
import { ROLE_LABEL } from '../roles';
import { CHECKPOINT_LABEL, CHECKPOINT_PREFIX, DISPOSITION_RULES, MOVE_RULES, MOVES, UNIT_KIND_LABEL, type CheckpointMet } from './ticket-lifecycle';

export const TABLE_START = '<!-- lifecycle-table:start (generated from shared/lifecycle/ticket-lifecycle.ts) -->';
export const TABLE_END = '<!-- lifecycle-table:end -->';

function met(m: CheckpointMet): string {
  const when = [m.dispositions?.join('/'), m.urgencies?.join('/')].filter(Boolean).join(' ');
  return `${CHECKPOINT_LABEL[m.checkpoint]}（${CHECKPOINT_PREFIX[m.checkpoint]}）${when ? `，仅${when}` : ''}`;
}

export function lifecycleTables(): string {
  const moves = [
    '| 动作 | move | 谁可以 | 从 | 到 | 记录 | 完成的时限节点 |',
    '|---|---|---|---|---|---|---|',
    ...MOVES.map((name) => {
      const r = MOVE_RULES[name];
      const to = (r.to === 'disposition' ? '按处理方式' : r.to === 'same' ? '不变' : r.to) + (r.toNote ? `（${r.toNote}）` : '');
      const unitLabel = r.owner === 'center' ? '市中心' : r.unitKinds ? r.unitKinds.map((k) => UNIT_KIND_LABEL[k]).join('、') : ROLE_LABEL.unit_operator;
      const who = r.roles.map((role) => (role === 'unit_operator' ? unitLabel : ROLE_LABEL[role])).join('、');
      const from = r.from.length ? r.from.join('、') : '（新工单）';
      const only = r.dispositions ? `（仅${r.dispositions.join('、')}）` : '';
      return `| ${r.label} | \`${name}\` | ${who} | ${from}${only} | ${to} | ${r.event} | ${r.meets.map(met).join('；') || '—'} |`;
    }),
  ];
  const dispositions = [
    '| 处理方式 | 提交后状态 | 可派给 | 计时限、需回访 |',
    '|---|---|---|---|',
    ...Object.entries(DISPOSITION_RULES).map(
      ([name, r]) => `| ${name} | ${r.status} | ${r.unitKinds.map((k) => UNIT_KIND_LABEL[k]).join('、') || '—'} | ${r.dispatched ? '是' : '否'} |`,
    ),
  ];
  return [TABLE_START, '', ...moves, '', ...dispositions, '', TABLE_END].join('\n');
}

/** The document with its generated tables replaced by the current ones (null when it has no markers). */
export function withLifecycleTables(document: string): string | null {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  if (start < 0 || end < start) return null;
  return document.slice(0, start) + lifecycleTables() + document.slice(end + TABLE_END.length);
}
