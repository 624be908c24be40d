/**
 * A ticket's life, as data: the single source of truth for its statuses, the moves it can make, who
 * may make each move, from which statuses, which status follows, the event it writes and which
 * deadline checkpoints it meets. The desk's ticket service, the hub's push and loop code, the
 * renderer and the demo generators all read this table; nothing else decides a status.
 * docs/architecture.md prints the table (test/unit/lifecycle.test.ts keeps it in step).
 *
 *   submit ─┬─ 咨询办结 → 已办结          answered at the desk
 *           ├─ 重复诉求 → 已关联          linked to the original ticket
 *           ├─ 不合理诉求 → 待审核        the call-taker's suggestion: in the center's 待派 queue
 *           └─ 直派 / 派分中心 / 派市中心 → 已派单
 *   已派单 ─转派→ 已派单                 the sub-center or city center hands it to the handling unit
 *   已派单 ─接单→ 已接单 ─回复→ 已回复 ─办结→ 已办结 ─回访→ 已回访
 *   已接单 ─办结→ 已办结                 closed without a separate reply
 *   已回复 ─回访→ 已回访 ─办结→ 已办结    回访复查 on day 5, before the unit closes on day 7
 *   已派单 / 已接单 ─退单→ 已退单         unit cleared: back in the center's 待派 queue
 *                   (a unit the sub-center or center forwarded it to hands it back to them
 *                    instead: 已派单 again, theirs to forward anew — returnGoesTo)
 *   已回复 / 已办结 ─回访（未解决或不满意）→ 重办 → 已派单   back to the same 主办 unit with a new
 *                   ladder; past the policy's limit (resources/policy/callback.json) → 已退单 for the
 *                   center's review and 督办 (shared/lifecycle/callback.ts)
 *   已退单 ─重新派单→ 已派单              the center's dispatcher sends it out again
   待审核 ─重新派单→ 已派单              likewise a ticket the call-taker flagged 不合理诉求: the flag
                                       is a suggestion to the unit, never a final state; only a
                                       unit's 申请认定不合理诉求 approved by the center ends it so
                                       (server/requests.ts)
 *
 * Deadline checkpoints: every rule of the SLA policy (resources/policy/sla.json) is one checkpoint
 * of a kind named by its id's prefix (dispatch_, contact_, qualify_, review_, close_, consult_).
 * A checkpoint is met by the move that really meets it (docs/decisions/0001-checkpoints.md says why):
 * - 派单 (dispatch): by the move that puts the ticket in its handling unit's hands: submit for 直派,
 *   转派 for 派分中心/派市中心, or 接单 when the sub-center handles it itself. On 即时/紧急 tickets
 *   sent 直派 the 15-minute clock is the unit's 落实 (sla.json: "15 分钟内落实"), so there only the
 *   unit's 接单 meets it.
 * - 首次联系 (contact): 接单. 定性 (qualify): 回复, or 办结 without a separate reply.
 * - 回访 (review): the center's 回访, which may follow the unit's 回复 (day 5) or its 办结.
 * - 办结 (close): 办结. 部门答复 (answer, 咨询需部门答复): 回复.
 */
import type { Urgency } from '../domain/catalogue';
import type { UnitKind } from '../domain/places';
import type { Disposition } from '../domain/ticket';
import type { Role } from '../roles';

/** Every status a ticket can have. The order is frozen: the desk's shift-log index stores positions. */
export const TICKET_STATUSES = ['已办结', '已派单', '待审核', '已关联', '已接单', '已退单', '已回复', '已回访'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * What a ticket's trail records. The desk's database checks this list (its ticket_events table);
 * append only. After the first nine: a unit's 申请延期 and the center's decision on it, a unit's
 * 申请认定不合理诉求 and the center's decision, a 协办 unit's reply (双派单), a caller's 催办 on an
 * open ticket, and a 重办 when a callback reopens a ticket.
 */
export const TICKET_EVENT_KINDS = [
  '受理',
  '派单',
  '接单',
  '退单',
  '回复',
  '回访',
  '办结',
  '督办',
  '关联',
  '延期申请',
  '延期审核',
  '不合理申请',
  '不合理审核',
  '协办回复',
  '催办',
  '重办',
] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

export const SATISFACTIONS = ['满意', '基本满意', '不满意'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

// ---- Dispositions ---------------------------------------------------------------------------

export interface DispositionRule {
  /** The status a ticket has when the call-taker submits it this way. */
  status: TicketStatus;
  /** The unit kinds a ticket may be sent to this way; empty: it goes to no unit. */
  unitKinds: readonly UnitKind[];
  /** Whether a unit must answer it: it runs the deadline ladder and gets a callback. */
  dispatched: boolean;
  /** How the 派单 event reads, e.g. "直派：甲街道办事处". */
  dispatchWording: string | null;
}

export const DISPOSITION_RULES: Record<Disposition, DispositionRule> = {
  咨询办结: { status: '已办结', unitKinds: [], dispatched: false, dispatchWording: null },
  直派: { status: '已派单', unitKinds: ['street', 'department', 'utility'], dispatched: true, dispatchWording: '直派' },
  派分中心: { status: '已派单', unitKinds: ['subcenter'], dispatched: true, dispatchWording: '派至区分中心' },
  派市中心: { status: '已派单', unitKinds: ['city_center'], dispatched: true, dispatchWording: '派至市中心' },
  重复诉求: { status: '已关联', unitKinds: [], dispatched: false, dispatchWording: null },
  不合理诉求: { status: '待审核', unitKinds: [], dispatched: false, dispatchWording: null },
};

/** The dispositions that send a ticket to a unit (直派, 派分中心, 派市中心). */
export const DISPATCHING_DISPOSITIONS: readonly Disposition[] = (Object.keys(DISPOSITION_RULES) as Disposition[]).filter(
  (d) => DISPOSITION_RULES[d].dispatched,
);

export function isDispatching(disposition: Disposition): boolean {
  return DISPOSITION_RULES[disposition].dispatched;
}

/** The status a ticket has when submitted this way. */
export function statusOnSubmit(disposition: Disposition): TicketStatus {
  return DISPOSITION_RULES[disposition].status;
}

export const UNIT_KIND_LABEL: Record<UnitKind, string> = {
  city_center: '市中心',
  subcenter: '区分中心',
  street: '街乡镇',
  department: '委办局',
  utility: '公共服务企业',
};

/** Null when a unit of this kind may take a ticket sent this way, else the message the form shows. */
export function unitKindProblem(disposition: Disposition, unit: { kind: UnitKind; name: string }): string | null {
  const kinds = DISPOSITION_RULES[disposition].unitKinds;
  if (kinds.includes(unit.kind)) return null;
  if (kinds.length === 0) return `${disposition}不派给任何单位`;
  return `${disposition}不能派给${UNIT_KIND_LABEL[unit.kind]}“${unit.name}”，应选${kinds.map((k) => UNIT_KIND_LABEL[k]).join('、')}`;
}

/** The disposition that sends a ticket to a unit of this kind (a picked unit says how it is sent). */
export function dispositionForUnitKind(kind: UnitKind): Disposition {
  return DISPATCHING_DISPOSITIONS.find((d) => DISPOSITION_RULES[d].unitKinds.includes(kind)) ?? '直派';
}

// ---- Checkpoints ----------------------------------------------------------------------------

export const CHECKPOINTS = ['dispatch', 'contact', 'qualify', 'review', 'close', 'answer'] as const;
export type Checkpoint = (typeof CHECKPOINTS)[number];

/** The rule-id prefix of each checkpoint kind in the SLA policy. */
export const CHECKPOINT_PREFIX: Record<Checkpoint, string> = {
  dispatch: 'dispatch_',
  contact: 'contact_',
  qualify: 'qualify_',
  review: 'review_',
  close: 'close_',
  answer: 'consult_',
};

export const CHECKPOINT_LABEL: Record<Checkpoint, string> = {
  dispatch: '派单',
  contact: '首次联系',
  qualify: '定性',
  review: '回访',
  close: '办结',
  answer: '部门答复',
};

/** The checkpoint an SLA rule is, by its id's prefix; null for an id no move can meet. */
export function checkpointOf(ruleId: string): Checkpoint | null {
  return CHECKPOINTS.find((c) => ruleId.startsWith(CHECKPOINT_PREFIX[c])) ?? null;
}

/** Which ticket a condition on a move's checkpoint applies to. */
export interface TicketFacts {
  disposition: Disposition;
  urgency: Urgency;
}

export interface CheckpointMet {
  checkpoint: Checkpoint;
  /** Only on tickets with one of these dispositions / urgencies (absent: any). */
  dispositions?: readonly Disposition[];
  urgencies?: readonly Urgency[];
  /** Why the condition is there, for the lifecycle table in docs/architecture.md. */
  why?: string;
}

// ---- Moves ----------------------------------------------------------------------------------

export const MOVES = ['submit', 'forward', 'accept', 'return', 'reply', 'close', 'callback', 'redispatch', 'reopen'] as const;
export type Move = (typeof MOVES)[number];

export interface MoveRule {
  move: Move;
  /** How people name it: 受理, 转派, 接单, … */
  label: string;
  /** The event it writes into the ticket's trail. */
  event: TicketEventKind;
  /** Who may make it. A unit operator may act only on tickets whose current unit is theirs. */
  roles: readonly Role[];
  /** Statuses it may be made from; empty for submit (the ticket is new). */
  from: readonly TicketStatus[];
  /** The status after it; 'disposition' for submit (DISPOSITION_RULES), 'same' when it stays. */
  to: TicketStatus | 'disposition' | 'same';
  /** When the status after it depends on the ticket, in words (the table prints it). */
  toNote?: string;
  /** Only tickets with these dispositions (absent: any). */
  dispositions?: readonly Disposition[];
  /** What happens to the ticket's current unit. */
  unit: 'keep' | 'clear' | 'set';
  /**
   * Whose move it is: 'unit' (default) — a unit operator only on tickets whose current unit is
   * theirs; 'center' — a unit operator only when their unit is the city center (市中心), on any ticket.
   */
  owner?: 'unit' | 'center';
  /** Only unit operators whose unit is of these kinds, when the unit directory knows their unit (absent: any). */
  unitKinds?: readonly UnitKind[];
  /** The checkpoints it meets (any still open). */
  meets: readonly CheckpointMet[];
}

const DESK: readonly Role[] = ['call_taker', 'team_lead', 'admin'];
const UNIT: readonly Role[] = ['unit_operator', 'admin'];
const SUBCENTER_DISPOSITIONS: readonly Disposition[] = ['派分中心', '派市中心'];

export const MOVE_RULES: Record<Move, MoveRule> = {
  submit: {
    move: 'submit',
    label: '受理',
    event: '受理',
    roles: DESK,
    from: [],
    to: 'disposition',
    unit: 'set',
    meets: [
      {
        checkpoint: 'dispatch',
        dispositions: ['直派'],
        urgencies: ['一般'],
        why: '直派由坐席直接派到承办单位；即时、紧急诉求的 15 分钟是承办单位落实的时限，由接单完成',
      },
    ],
  },
  forward: {
    move: 'forward',
    label: '转派',
    event: '派单',
    roles: UNIT,
    from: ['已派单'],
    to: 'same',
    dispositions: SUBCENTER_DISPOSITIONS,
    unit: 'set',
    unitKinds: ['subcenter', 'city_center'],
    meets: [{ checkpoint: 'dispatch', why: '分中心或市中心把工单派到承办单位' }],
  },
  accept: {
    move: 'accept',
    label: '接单',
    event: '接单',
    roles: UNIT,
    from: ['已派单'],
    to: '已接单',
    dispositions: DISPATCHING_DISPOSITIONS,
    unit: 'keep',
    meets: [{ checkpoint: 'dispatch', why: '承办单位落实（即时直派；分中心自办）' }, { checkpoint: 'contact' }],
  },
  return: {
    move: 'return',
    label: '退单',
    event: '退单',
    roles: UNIT,
    from: ['已派单', '已接单'],
    to: '已退单',
    toNote: '转派来的退回转派方，仍为已派单',
    dispositions: DISPATCHING_DISPOSITIONS,
    unit: 'clear',
    meets: [],
  },
  reply: {
    move: 'reply',
    label: '答复',
    event: '回复',
    roles: UNIT,
    from: ['已接单'],
    to: '已回复',
    dispositions: DISPATCHING_DISPOSITIONS,
    unit: 'keep',
    meets: [{ checkpoint: 'qualify' }, { checkpoint: 'answer' }],
  },
  close: {
    move: 'close',
    label: '办结',
    event: '办结',
    roles: UNIT,
    from: ['已接单', '已回复', '已回访'],
    to: '已办结',
    dispositions: DISPATCHING_DISPOSITIONS,
    unit: 'keep',
    meets: [{ checkpoint: 'qualify', why: '未单独答复直接办结，定性随办结完成' }, { checkpoint: 'answer' }, { checkpoint: 'close' }],
  },
  callback: {
    move: 'callback',
    label: '回访',
    event: '回访',
    roles: DESK,
    from: ['已回复', '已办结'],
    to: '已回访',
    toNote: '已解决且满意或基本满意，或无法联系；未联系上不变；未解决或不满意接着重办',
    dispositions: DISPATCHING_DISPOSITIONS,
    unit: 'keep',
    meets: [{ checkpoint: 'review' }],
  },
  redispatch: {
    move: 'redispatch',
    label: '重新派单',
    event: '派单',
    roles: ['team_lead', 'unit_operator', 'admin'],
    owner: 'center',
    from: ['已退单', '待审核'],
    to: '已派单',
    // 待审核: a ticket the call-taker flagged 不合理诉求 waits in the center's 待派 queue too.
    dispositions: [...DISPATCHING_DISPOSITIONS, '不合理诉求'],
    unit: 'set',
    meets: [{ checkpoint: 'dispatch', why: '退回中心的工单由市中心重新派出' }],
  },
  // 重办: never asked for on its own — a callback that heard 未解决 or 不满意 makes it, in the same
  // transaction (server/callbacks.ts, shared/lifecycle/callback.ts); its deadlines are a new ladder
  // (reopenDeadlines in shared/lifecycle/deadlines.ts).
  reopen: {
    move: 'reopen',
    label: '重办',
    event: '重办',
    roles: DESK,
    from: ['已回复', '已办结'],
    to: '已派单',
    toNote: '退回原主办单位，时限从重办起重新计算；超过重办上限转市中心审核督办，为已退单',
    dispositions: DISPATCHING_DISPOSITIONS,
    unit: 'keep',
    meets: [],
  },
};

/** The checkpoints this move meets on this ticket. */
export function checkpointsMet(move: Move, ticket: TicketFacts): Checkpoint[] {
  return MOVE_RULES[move].meets
    .filter((m) => (!m.dispositions || m.dispositions.includes(ticket.disposition)) && (!m.urgencies || m.urgencies.includes(ticket.urgency)))
    .map((m) => m.checkpoint);
}

export interface MoveTicket extends TicketFacts {
  status: TicketStatus;
  unitCode: string | null;
  number: string;
}

export interface MoveActor {
  role: Role;
  /** For unit operators: their unit. */
  unitCode: string | null;
  /** For unit operators: their unit's kind, when the unit directory knows it (center moves need city_center). */
  unitKind?: UnitKind | null;
  /** Their unit's name, for the refusal a person reads (the code when absent). */
  unitName?: string | null;
}

export type MoveRefusal = { kind: 'forbidden' | 'conflict'; message: string };

/**
 * Whether this person may make this move on this ticket now; null when they may, else why not
 * (`forbidden`: not theirs to move; `conflict`: not from its current status or disposition).
 */
export function moveRefusal(move: Move, ticket: MoveTicket, actor: MoveActor): MoveRefusal | null {
  const rule = MOVE_RULES[move];
  if (!rule.roles.includes(actor.role)) return { kind: 'forbidden', message: `当前角色不能${rule.label}` };
  if (rule.owner === 'center') {
    if (actor.role === 'unit_operator' && actor.unitKind !== 'city_center') return { kind: 'forbidden', message: `只有市中心可以${rule.label}` };
  } else if (actor.role === 'unit_operator' && ticket.unitCode !== actor.unitCode) {
    return {
      kind: 'forbidden',
      message:
        ticket.status === '已退单'
          ? `工单 ${ticket.number} 已退回中心，不再由本单位办理`
          : `工单 ${ticket.number} 不属于${actor.unitName ?? `本单位（${actor.unitCode}）`}，不能${rule.label}`,
    };
  }
  if (actor.role === 'unit_operator' && rule.unitKinds && actor.unitKind && !rule.unitKinds.includes(actor.unitKind)) {
    return { kind: 'forbidden', message: `${UNIT_KIND_LABEL[actor.unitKind]}不能${rule.label}（只有${rule.unitKinds.map((k) => UNIT_KIND_LABEL[k]).join('、')}可以）；不属于本单位的工单请退单` };
  }
  if (rule.dispositions && !rule.dispositions.includes(ticket.disposition)) {
    return {
      kind: 'conflict',
      message: isDispatching(ticket.disposition)
        ? `工单 ${ticket.number} 为“${ticket.disposition}”，不能${rule.label}（只有${rule.dispositions.join('、')}的工单可以）`
        : `工单 ${ticket.number} 为“${ticket.disposition}”，坐席当场了结，不需${rule.label}`,
    };
  }
  if (!rule.from.includes(ticket.status)) {
    return {
      kind: 'conflict',
      message: `工单 ${ticket.number} 当前为“${ticket.status}”，不能${rule.label}（只有${rule.from.map((s) => `“${s}”`).join('、')}的工单可以）`,
    };
  }
  return null;
}

/** The status after a move (for submit: by disposition). */
export function statusAfter(move: Move, ticket: { status: TicketStatus | null; disposition: Disposition }): TicketStatus {
  const to = MOVE_RULES[move].to;
  if (to === 'disposition') return statusOnSubmit(ticket.disposition);
  if (to === 'same') {
    if (!ticket.status) throw new RangeError(`move ${move} keeps a status the ticket does not have yet`);
    return ticket.status;
  }
  return to;
}

/** The statuses a unit still has to work on. */
export const UNIT_OPEN_STATUSES: readonly TicketStatus[] = ['已派单', '已接单', '已回复'];

/**
 * Where a 退单 sends a ticket. A unit that the sub-center or the city center forwarded it to hands
 * it back to them: 已派单 again under the unit the desk sent it to, theirs to forward anew or to
 * return in turn. The unit the desk itself sent it to (a 直派 unit, the sub-center, the city
 * center) hands it to the center's 待派 queue: 已退单, no unit, for a center dispatcher's 重新派单.
 */
export function returnGoesTo(ticket: { unitCode: string | null; dispatchedUnitCode: string | null }): { status: TicketStatus; unitCode: string | null } {
  const forwarded = ticket.dispatchedUnitCode !== null && ticket.unitCode !== null && ticket.unitCode !== ticket.dispatchedUnitCode;
  return forwarded ? { status: '已派单', unitCode: ticket.dispatchedUnitCode } : { status: MOVE_RULES.return.to as TicketStatus, unitCode: null };
}

/** Why a unit returns a ticket (退单理由), picked from this list and explained in words. */
export const RETURN_REASONS = ['非本单位职责', '地址不在辖区', '诉求信息不全无法办理', '已由其他单位办理', '其他'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];
