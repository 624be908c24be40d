/**
 * What each move writes into a ticket's trail, in one wording for the desk and the hub. The desk
 * writes the submit events and sends them with the ticket; the hub stores them as sent and writes
 * the events of the later moves.
 */
import type { Channel, Disposition } from '../domain/ticket';
import { DISPOSITION_RULES, MOVE_RULES, type Satisfaction, type TicketEventKind } from './ticket-lifecycle';

export interface TrailEvent {
  kind: TicketEventKind;
  at: string;
  actor: string;
  note: string;
}

export interface SubmitFacts {
  channel: Channel;
  disposition: Disposition;
  /** The unit it was sent to, by name, when it was sent to one. */
  unitName: string | null;
  /** The knowledge-base article the call-taker answered from. */
  kbArticleTitle: string | null;
  /** The original ticket's number, for 重复诉求. */
  linkedNumber: string | null;
  unreasonableReason: string;
}

/** The events a submit writes, in order: 受理, then 派单 / 关联 / 办结 as the disposition says. */
export function submitEvents(facts: SubmitFacts, at: string, actor: string): TrailEvent[] {
  const event = (kind: TicketEventKind, note: string): TrailEvent => ({ kind, at, actor, note });
  const reason = facts.unreasonableReason.trim();
  const events = [
    event(
      MOVE_RULES.submit.event,
      facts.disposition === '不合理诉求' ? `${facts.channel}受理，标记为不合理诉求待审核${reason ? `：${reason}` : ''}` : `${facts.channel}受理`,
    ),
  ];
  const wording = DISPOSITION_RULES[facts.disposition].dispatchWording;
  if (wording && facts.unitName) events.push(event('派单', `${wording}：${facts.unitName}`));
  if (facts.disposition === '重复诉求' && facts.linkedNumber) events.push(event('关联', `重复诉求，关联原工单 ${facts.linkedNumber}`));
  if (facts.disposition === '咨询办结') {
    events.push(event('办结', facts.kbArticleTitle ? `依据知识库《${facts.kbArticleTitle}》当场答复办结` : '当场答复办结'));
  }
  return events;
}

/** What a move after dispatch says, with what the person typed. */
export type MoveInput =
  | { move: 'forward'; unitCode: string; unitName: string | null; note?: string | undefined; assistUnitNames?: readonly string[] | undefined }
  | { move: 'accept' }
  | { move: 'return'; reason: string; reasonKind?: string | undefined }
  | { move: 'reply'; reply: string }
  | { move: 'close'; note?: string | undefined; resolved?: boolean | undefined }
  | { move: 'callback'; resolved: boolean; satisfaction: Satisfaction; note?: string | undefined }
  | { move: 'redispatch'; unitCode: string; unitName: string | null; note?: string | undefined };

/** The note of a move's event; `unitName` is the unit the ticket is with before the move. */
export function moveNote(input: MoveInput, unitName: string | null): string {
  const extra = (note: string | undefined, sep = '；') => (note?.trim() ? `${sep}${note.trim()}` : '');
  switch (input.move) {
    case 'forward': {
      // 双派单 names the 主办 and the 协办 units; a plain forward just the unit.
      const assists = input.assistUnitNames?.length ? `主办 ${input.unitName ?? input.unitCode}，协办 ${input.assistUnitNames.join('、')}` : null;
      return `${unitName ?? '分中心'}转派：${assists ?? input.unitName ?? input.unitCode}${extra(input.note)}`;
    }
    case 'accept':
      return `${unitName ?? '承办单位'}接单`;
    case 'return':
      return `退单${input.reasonKind ? `（${input.reasonKind}）` : ''}：${input.reason.trim()}`;
    case 'reply':
      return input.reply.trim();
    case 'close': {
      const resolved = input.resolved === undefined ? '' : input.resolved ? '（已解决）' : '（未解决）';
      return resolved ? `办结${resolved}${extra(input.note, '：')}` : input.note?.trim() || '办结';
    }
    case 'callback':
      return `回访：${input.resolved ? '已解决' : '未解决'}，${input.satisfaction}${extra(input.note)}`;
    case 'redispatch':
      return `重新派单：${input.unitName ?? input.unitCode}${extra(input.note)}`;
  }
}
