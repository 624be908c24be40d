import { MOVE_KEYS } from './keys';
import { MOVE_LABEL, useWork, type WorkMove } from './store';
import { Countdowns, formatTime } from './Deadlines';
import { useNow } from './use-now';
import type { WorkRow } from '../../shared/api/hub-contract';

/** The 督办 banner: stays until the unit acts on the ticket (the trail keeps it). */
/**
 * Where it is: the place path, then what the caller said only where it adds to it (a house number,
 * a landmark) — "朝阳区望京街道望京东园五区社区" said back after the same path is noise.
 */
function addressLine(t: { districtName: string | null; streetName: string | null; villageName: string | null; addressText: string }): string {
  const names = [t.districtName, t.streetName, t.villageName].filter((n): n is string => !!n);
  // The caller's words follow the place path without repeating it (“朝阳区望京街道花家地北里3号楼” → “花家地北里3号楼”).
  let rest = t.addressText.replace(/\s+/g, '');
  for (const name of names) rest = rest.replace(name, '');
  return [...names, rest].filter(Boolean).join(' ');
}

export function SupervisionBanner({ banner, compact = false }: { banner: NonNullable<WorkRow['supervision']>; compact?: boolean }) {
  if (compact) {
    return (
      <span className={`sv-tag sv-${banner.level}`} data-testid="row-supervision" title={`${banner.actor} ${formatTime(banner.at)}：${banner.note}`}>
        {banner.label}
      </span>
    );
  }
  return (
    <div className={`sv-banner sv-${banner.level}`} role="alert" data-testid="supervision-banner">
      <b>{banner.label}</b>
      <span>{banner.note}</span>
      <span className="sv-by">
        {banner.actor} · {formatTime(banner.at)}
      </span>
      <span className="sv-hint">接单、回复、办结、退单或申请延期后此提示消失，督办记录保留在全程记录中</span>
    </div>
  );
}

const PENDING_LABEL = { extension: '延期申请', unreasonable: '不合理诉求认定申请' } as const;

function PendingRequest({ pending }: { pending: NonNullable<WorkRow['pending']> }) {
  return (
    <div className="pending-box" data-testid="pending-request">
      <b>待市中心审核：{PENDING_LABEL[pending.kind]}</b>
      {pending.newDate && <span>申请办结日期延至 {pending.newDate}</span>}
      <span>理由：{pending.reason}</span>
      {pending.evidence && <span>证据：{pending.evidence}</span>}
      <span className="sv-by">
        {pending.actor} · {formatTime(pending.at)}
      </span>
    </div>
  );
}

/**
 * The call-taker's 不合理诉求 at intake, for the unit it was sent to: a suggestion to check, never a
 * decision — only the unit's own 申请认定不合理诉求, approved by the center, ends a ticket so.
 */
function IntakeSuggestion({ flag, unit }: { flag: NonNullable<WorkRow['intakeFlag']>; unit: boolean }) {
  return (
    <div className="suggest-box" role="note" data-testid="intake-suggestion">
      <b>坐席认为可能属于不合理诉求，请核实后决定是否申请认定</b>
      {flag.reason && <span>坐席说明：{flag.reason}</span>}
      {unit && (
        <span className="sv-hint">
          核实属实的，按 <kbd>U</kbd> 申请认定不合理诉求并附证据；否则照常办理
        </span>
      )}
    </div>
  );
}

export function TicketView() {
  const ticket = useWork((s) => s.ticket);
  const error = useWork((s) => s.ticketError);
  const revealed = useWork((s) => s.revealed);
  const now = useNow();
  if (error) {
    return (
      <section className="ticket refused" data-testid="ticket-error">
        <h2>{error.kind === 'forbidden' ? '不能打开这张工单' : error.kind === 'not_found' ? '没有这张工单' : '读取失败'}</h2>
        <p className="error" role="alert">
          {error.message}
        </p>
        <p>按 Esc 返回列表。</p>
      </section>
    );
  }
  if (!ticket) return <section className="ticket">正在读取工单…</section>;
  const t = ticket;
  return (
    <section className="ticket" data-testid="ticket" data-status={t.status}>
      <div className="head">
        <h2>
          工单 <span data-testid="ticket-number">{t.number}</span>
        </h2>
        <span className={`st st-${t.status}`} data-testid="ticket-status">
          {t.status}
        </span>
        <span className={`urg u-${t.urgency}`}>{t.urgency}</span>
        <span className="meta">
          {t.channel} · {t.requestType} · {t.disposition} · 受理 {formatTime(t.submittedAt)}（{t.operatorName}
          {t.operatorVerified === false && (
            <span className="unverified" data-testid="ticket-operator-unverified" title="坐席账号上传，话务员未经中心账号核验">
              ·未核验
            </span>
          )}
          ）
        </span>
        {t.returnCount > 0 && <span className="returns">已退单 {t.returnCount} 次</span>}
        {(t.urgeCount ?? 0) > 0 && (
          <span className="returns urged" data-testid="ticket-urges">
            市民催办 {t.urgeCount} 次
          </span>
        )}
      </div>
      {t.urgeSuggestion && (
        <div className="suggest-box" data-testid="urge-suggestion">
          <b>{t.urgeSuggestion.note}</b>
          <span>市民多次来电催办（resources/policy/urging.json），可按 S 督办</span>
        </div>
      )}
      {t.supervision && <SupervisionBanner banner={t.supervision} />}
      {t.unreasonableAt && (
        <div className="suggest-box done" data-testid="unreasonable-approved">
          <b>经市中心审核认定为不合理诉求，工单办结</b>
          <span>{formatTime(t.unreasonableAt)} · 不需回访，不计入承办单位的考核率</span>
        </div>
      )}
      {t.intakeFlag && !t.unreasonableAt && (t.status === '待审核' || t.unitCode) && t.status !== '已办结' && t.status !== '已回访' && (
        <IntakeSuggestion flag={t.intakeFlag} unit={t.actions.includes('unreasonable')} />
      )}
      {t.pending && <PendingRequest pending={t.pending} />}
      <div className="actions" data-testid="moves">
        {t.moves.length + t.actions.length ? (
          [...(t.moves as string[]), ...t.actions].filter((m): m is WorkMove => m in MOVE_KEYS).map((m) => (
            <button key={m} onClick={() => void useWork.getState().startMove(m)}>
              <kbd>{MOVE_KEYS[m].toUpperCase()}</kbd> {MOVE_LABEL[m]}
            </button>
          ))
        ) : (
          <span className="none">当前没有本账号可做的处理</span>
        )}
      </div>
      <div className="cols">
        <div className="main-col">
          <h3>诉求内容</h3>
          <p className="content" data-testid="ticket-content">
            {t.content}
          </p>
          <dl>
            <dt>地址</dt>
            <dd data-testid="ticket-address">
              {addressLine(t)}
            </dd>
            <dt>分类</dt>
            <dd>{t.leafPath.join(' › ') || '—'}</dd>
            <dt>派往</dt>
            <dd>{t.dispatchedUnitName ?? '—'}</dd>
            <dt>现承办</dt>
            <dd data-testid="ticket-unit">{t.unitName ?? '待派（已退回中心）'}</dd>
            {t.unitResolved !== null && (
              <>
                <dt>是否解决</dt>
                <dd>{t.unitResolved ? '已解决' : '未解决'}</dd>
              </>
            )}
          </dl>
          {t.assists.length > 0 && (
            <>
              <h3>
                协办单位（双派单：主办 {t.unitName ?? '—'} 办结即办结）{t.assist && <span className="assist-tag">本单位为协办单位</span>}
              </h3>
              <ul className="assists" data-testid="ticket-assists">
                {t.assists.map((a) => (
                  <li key={a.unitCode} className={a.replied ? 'replied' : 'waiting'} data-unit={a.unitCode}>
                    <b>{a.unitName}</b>
                    {a.replied ? (
                      <span className="when">
                        已回复 · {a.repliedBy} · {formatTime(a.repliedAt!)}
                      </span>
                    ) : (
                      <span className="when">待回复（{a.assignedBy} {formatTime(a.assignedAt)} 指定）</span>
                    )}
                    {a.reply && <p>{a.reply}</p>}
                  </li>
                ))}
              </ul>
            </>
          )}
          {(t.linkedRequests?.length ?? 0) > 0 && (
            <>
              <h3>关联诉求（坐席关联为重复诉求的来电，{t.linkedRequests!.length} 件）</h3>
              <ul className="assists linked-requests" data-testid="linked-requests">
                {t.linkedRequests!.map((l) => (
                  <li key={l.id}>
                    <b>{l.callerName || '（未留姓名）'}</b> <span className="when">{l.callerPhone} · {formatTime(l.submittedAt)} · {l.number}</span>
                    <p>{l.content}</p>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>来电人</h3>
          <div className="caller" data-testid="caller">
            <span>{t.callerName || '（未留姓名）'}</span>
            <span data-testid="caller-phone">{revealed ? revealed.callerPhone : t.callerPhoneMasked}</span>
            {revealed && revealed.callbackPhone !== revealed.callerPhone && <span>回访电话 {revealed.callbackPhone}</span>}
            {!revealed && (
              <button onClick={() => void useWork.getState().reveal()} data-testid="reveal">
                <kbd>C</kbd> 联系市民（显示完整号码，记入工单记录）
              </button>
            )}
          </div>
          <h3>时限</h3>
          <div className="deadlines" data-testid="ticket-deadlines">
            <Countdowns deadlines={t.deadlines} now={now} all />
          </div>
        </div>
        <div className="trail-col">
          <h3>全程记录</h3>
          <ol className="trail" data-testid="ticket-trail">
            {t.trail.map((e, i) => (
              <li key={i} className={`src-${e.source}`}>
                <time>{formatTime(e.at)}</time>
                <b>{e.kind}</b>
                <span className="actor">{e.actor}</span>
                <p>{e.note}</p>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}
