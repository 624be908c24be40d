/**
 * The middle column: what happens to the ticket. The dispatch suggestion with its reason (F8 accepts
 * it, F9 sends to the sub-center instead, Alt+U picks another unit), the related tickets shown
 * before dispatch (F6 links this call to the highlighted one), the caller's history, and the
 * 不合理诉求 flag (Alt+B). Every one of them submits through the intake store.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { RelatedTicket, TicketSummary } from '../../../shared/api/contract';
import { DISPOSITION_OF_KIND, type DispatchSuggestion } from '../../../shared/dispatch/suggest';
import { formatPath } from '../../../shared/domain/catalogue';
import type { Unit } from '../../../shared/domain/places';
import { placePrompt, streetConfidence, subcenterOf, suggestForIntake, type PlacePrompt } from '../../../shared/intake/dispatch';
import { leadsWithConsult } from '../../../shared/intake/submit-plan';
import { nextDue } from '../../../shared/lifecycle/deadlines';
import { dispositionForUnitKind } from '../../../shared/lifecycle/ticket-lifecycle';
import { api } from '../bridge';
import type { LinkOffer } from '../desk-commands';
import { formatDateTime } from '../format';
import { useKb } from '../kb/kb-store';
import { handleListKeys } from '../list-keys';
import { Overlay } from '../Overlay';
import { useReference, type ReferenceState } from '../reference-store';
import { DueBadge } from '../tickets/MyTickets';
import { useNow } from '../use-now';
import { earlierTicketOf, useFieldError, useIntake, type IntakeState } from './intake-store';

/** The dispatch rule (shared/intake/dispatch.ts) over what the form and the reference data hold now. */
export function suggestionFor(intake: Pick<IntakeState, 'leaf' | 'draft' | 'addressMatch'>, reference: Pick<ReferenceState, 'unitLookup' | 'places'>): DispatchSuggestion | null {
  const { leaf, draft, addressMatch } = intake;
  return suggestForIntake({ leafCode: draft.leafCode, leaf, address: draft.address, reading: addressMatch, places: reference.places, units: reference.unitLookup });
}

export function useDispatchSuggestion(): DispatchSuggestion | null {
  const leaf = useIntake((s) => s.leaf);
  const draft = useIntake((s) => s.draft);
  const addressMatch = useIntake((s) => s.addressMatch);
  const unitLookup = useReference((s) => s.unitLookup);
  const places = useReference((s) => s.places);
  return useMemo(
    () => suggestionFor({ leaf, draft, addressMatch }, { unitLookup, places }),
    // The rule reads the leaf, the address codes and the reading; other fields do not change it.
    [leaf, draft.leafCode, draft.address.districtCode, draft.address.streetCode, addressMatch, unitLookup, places],
  );
}

/**
 * What the address field says when the place is known only to its district (shared/intake/dispatch.ts
 * placePrompt): ask for the street or a landmark, or (a utility) that the ticket keeps what is known.
 */
export function usePlacePrompt(): PlacePrompt | null {
  const leaf = useIntake((s) => (s.leaf && s.leaf.code === s.draft.leafCode ? s.leaf : null));
  const address = useIntake((s) => s.draft.address);
  const reading = useIntake((s) => s.addressMatch);
  const places = useReference((s) => s.places);
  const units = useReference((s) => s.unitLookup);
  return useMemo(() => {
    const district = address.districtCode ? places.get(address.districtCode) : undefined;
    return placePrompt({
      leaf,
      districtName: district ? district.shortName || district.name : null,
      streetCode: address.streetCode,
      streetConfidence: streetConfidence(address, reading),
      units,
    });
  }, [leaf, address, reading, places, units]);
}

const REASON_TEXT: Record<RelatedTicket['reasons'][number], string> = { same_phone: '同一号码', same_place_leaf: '同社区村同分类', similar_content: '内容相近' };

/** Where the lists come from: every desk through the hub, or this desk alone (hub unreachable). */
function ScopeBadge() {
  const scope = useIntake((s) => s.aroundScope);
  if (!scope) return null;
  return scope === 'center' ? (
    <span className="badge badge-ok scope-badge" data-testid="around-scope" title="中心所有坐席受理的工单">全中心</span>
  ) : (
    <span className="badge badge-warn scope-badge" data-testid="around-scope" title="中心不可达：只查了本坐席受理的工单">本机</span>
  );
}

/** Where an earlier ticket is and what it waits for: the unit (or how it ended) and its next deadline. */
function WhereItIs({ ticket }: { ticket: TicketSummary }) {
  const now = useNow();
  return (
    <div className="ticket-line-where" data-testid="ticket-where">
      <span>{ticket.unitName ? `承办：${ticket.unitName}` : ticket.disposition}</span>
      {ticket.linkedTicket && <span className="muted">关联原工单 {ticket.linkedTicket.number}</span>}
      <DueBadge deadlines={ticket.deadlines} now={now} />
    </div>
  );
}

function TicketLine({ ticket, active, extra }: { ticket: TicketSummary; active?: boolean; extra?: string }) {
  return (
    <div className={`ticket-line ${active ? 'active' : ''}`}>
      <div className="ticket-line-head">
        <span className="mono">{ticket.number}</span>
        <span className={`status status-${ticket.status}`}>{ticket.status}</span>
        <span className="muted">{formatDateTime(ticket.submittedAt)}</span>
        {extra && <span className="badge">{extra}</span>}
      </div>
      <WhereItIs ticket={ticket} />
      <div className="ticket-line-body">
        {ticket.leafPath.length ? formatPath(ticket.leafPath) : ticket.disposition} · {ticket.contentPreview}
      </div>
    </div>
  );
}

/** The caller as the earlier ticket of the same number has them, and the key that takes them over. */
function EarlierCaller() {
  const earlier = useIntake((s) => earlierTicketOf(s));
  const name = useIntake((s) => s.draft.callerName);
  const addressText = useIntake((s) => s.draft.address.text);
  if (!earlier) return null;
  const same = name === earlier.callerName && addressText === earlier.address.text;
  return (
    <p className="earlier-caller" data-testid="earlier-caller">
      早先工单 <span className="mono">{earlier.number}</span>：{earlier.callerName} · {earlier.address.text || earlier.addressText || '未填地址'}
      {!same && (
        <span className="hint">
          <kbd>Alt+C</kbd> 取用姓名和地址
        </span>
      )}
    </p>
  );
}

/** F6 asks first: which original this call joins, where that ticket is, and what becomes of this one. */
export function LinkConfirm({ offer, onClose }: { offer: LinkOffer; onClose: () => void }) {
  const { offered } = offer;
  const originalId = offered.linkedTicket?.id ?? offered.id;
  const [original, setOriginal] = useState<TicketSummary | null>(offered.linkedTicket ? null : offered);
  useEffect(() => {
    if (!offered.linkedTicket) return;
    let live = true;
    void api.call('tickets.get', { id: originalId }).then((result) => {
      if (live && result.ok) setOriginal(result.value);
    });
    return () => {
      live = false;
    };
  }, [offered, originalId]);
  const now = useNow();
  const due = original ? nextDue(original.deadlines, now) : null;
  const number = original?.number ?? offered.linkedTicket?.number ?? offered.number;
  const confirm = () => {
    onClose();
    void offer.confirm(original);
  };
  return (
    <Overlay onClose={onClose} labelledBy="link-confirm-title" testId="link-confirm">
      <h2 id="link-confirm-title">关联为重复诉求</h2>
      <p>
        本次来电将作为重复诉求关联到原工单 <strong className="mono" data-testid="link-original">{number}</strong>
        {original && (
          <>
            （{original.status}
            {original.unitName ? `，${original.unitName}办理` : ''}
            {due ? `，${due.deadline.label} ${due.text}` : ''}）
          </>
        )}
        。
      </p>
      {offered.linkedTicket && (
        <p className="muted" data-testid="link-redirected">
          所选的 {offered.number} 本身是 {offered.linkedTicket.number} 的重复诉求，改为关联原工单 {offered.linkedTicket.number}。
        </p>
      )}
      <p data-testid="link-effect">提交后本单状态为“已关联”：不另行派单、不单独计办理时限，办理进展和答复随原工单，回访时告知来电人原工单编号。</p>
      <div className="dialog-actions">
        <button type="button" className="primary" autoFocus onClick={confirm}>
          确认关联并提交（Enter）
        </button>
        <span className="hint">
          <kbd>Esc</kbd> 取消，回到受理
        </span>
      </div>
    </Overlay>
  );
}

/**
 * 另选单位 (Alt+U): a unit by name or duty. At intake Enter submits the ticket to it; the 待派 queue
 * (renderer/src/redispatch/RedispatchQueue.tsx) passes `onChoose` to re-dispatch there instead.
 */
export function UnitPicker({ onClose, onChoose, title = '另选承办单位', enterHint = '派往该单位并提交' }: { onClose: () => void; onChoose?: (unit: Unit) => unknown; title?: string; enterHint?: string }) {
  const units = useReference((s) => s.units);
  const submit = useIntake((s) => s.submit);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const hits = useMemo(() => {
    const q = query.trim();
    if (!q) return units.filter((u) => u.kind !== 'street').slice(0, 12);
    return units.filter((u) => u.name.includes(q) || u.duties.includes(q)).slice(0, 12);
  }, [units, query]);
  const choose = async (unit: Unit) => {
    onClose();
    if (onChoose) await onChoose(unit);
    else await submit({ disposition: dispositionForUnitKind(unit.kind), unitCode: unit.code });
  };
  // Esc is the overlay's: it closes the picker.
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => handleListKeys(event, { items: hits, active, setActive, onEnter: (unit) => void choose(unit) });
  return (
    <Overlay onClose={onClose} labelledBy="unit-picker-title">
      <h2 id="unit-picker-title">{title}</h2>
      <input
        autoFocus
        className="search-input"
        aria-label="承办单位检索"
        placeholder="单位名称或职责：望京、水务、燃气、住建…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul className="hits" data-testid="unit-hits">
        {hits.length === 0 && <li className="hits-empty">没有匹配的单位</li>}
        {hits.map((u, i) => (
          <li key={u.code} className={i === active ? 'hit active' : 'hit'} onMouseDown={() => void choose(u)}>
            {u.name} <span className="muted">{dispositionForUnitKind(u.kind)} · {u.duties}</span>
          </li>
        ))}
      </ul>
      <p className="hint">↑↓ 选择，Enter {enterHint}，Esc 取消</p>
    </Overlay>
  );
}

export function DispositionPanel({ suggestion }: { suggestion: DispatchSuggestion | null }) {
  const hasBasis = useIntake((s) => !!(s.draft.leafCode || s.draft.address.districtCode));
  const related = useIntake((s) => s.related);
  const history = useIntake((s) => s.history);
  const relatedActive = useIntake((s) => s.relatedActive);
  const reason = useIntake((s) => s.draft.unreasonableReason);
  const disposition = useIntake((s) => s.draft.disposition);
  const setField = useIntake((s) => s.setField);
  const visit = useIntake((s) => s.visit);
  const dispositionError = useFieldError('disposition');
  const unitError = useFieldError('unitCode');
  const reasonError = useFieldError('unreasonableReason');
  const linkError = useFieldError('linkedTicketId');
  const switchTo = suggestion && suggestion.kind !== 'subcenter' ? subcenterOf(suggestion) : null;
  const relatedIds = new Set(related.map((t) => t.id));
  const olderHistory = history.filter((t) => !relatedIds.has(t.id));
  const requestType = useIntake((s) => s.draft.requestType);
  const leafArticles = useIntake((s) => (s.leafArticles && s.leafArticles.code === s.draft.leafCode ? s.leafArticles.count : 0));
  const article = useKb((s) => s.article);
  const consult = leadsWithConsult(requestType, leafArticles, article?.id ?? null);
  const kept = usePlacePrompt();

  return (
    <div className="disposition" id="disposition-panel" tabIndex={-1}>
      {consult && (
        <section className="dispatch-card consult-card" data-testid="consult-suggestion" aria-label="咨询办结建议">
          <div className="dispatch-head">
            <span className="badge badge-kind-consult">咨询办结</span>
            <strong>{leafArticles > 0 ? `知识库有本分类答复 ${leafArticles} 篇` : '知识库答复'}</strong>
          </div>
          <p className="dispatch-reason">
            {article ? `已打开《${article.title}》：按此答复来电人后办结，不派单` : '这是咨询：先在知识库阅读答复（F4 检索，↑↓ 选择，Enter 阅读），答复来电人后办结'}
          </p>
          <div className="dispatch-keys">
            <span>
              <kbd>F7</kbd> 咨询办结
            </span>
            <span>
              <kbd>Ctrl+Enter</kbd> {article ? '同 F7' : '打开答复后同 F7'}
            </span>
          </div>
        </section>
      )}
      <section className={`dispatch-card ${consult ? 'secondary' : ''}`} data-testid="dispatch-suggestion" aria-label="派单建议">
        {consult && <h3 className="dispatch-alt-title">如需派单</h3>}
        {suggestion && !hasBasis ? (
          <p className="muted">填写地址、选定分类后，这里给出派单建议和理由（F8 按建议派单）</p>
        ) : suggestion ? (
          <>
            <div className="dispatch-head">
              <span className={`badge badge-kind-${suggestion.kind}`}>{DISPOSITION_OF_KIND[suggestion.kind]}</span>
              <strong data-testid="dispatch-unit">{suggestion.unit.name}</strong>
            </div>
            <p className="dispatch-reason" data-testid="dispatch-reason">
              {suggestion.reason}
            </p>
            <div className="dispatch-keys">
              <span>
                <kbd>F8</kbd> 按建议{DISPOSITION_OF_KIND[suggestion.kind]}
              </span>
              {switchTo && (
                <span>
                  <kbd>F9</kbd> 改派{switchTo.name}
                </span>
              )}
              <span>
                <kbd>Alt+U</kbd> 另选单位
              </span>
              {!consult && (
                <span>
                  <kbd>Ctrl+Enter</kbd> 同 F8
                </span>
              )}
            </div>
            {kept?.kind === 'kept' && (
              <p className="muted" data-testid="place-kept">
                {kept.text}
              </p>
            )}
          </>
        ) : (
          <p className="muted">正在载入单位名录…</p>
        )}
        {(dispositionError || unitError) && <p className="field-error">{dispositionError ?? unitError}</p>}
      </section>

      <EarlierCaller />
      <section className="related" aria-label="相关工单" id="related-list" tabIndex={-1}>
        <h3>
          疑似重复与相关工单 <span className="muted">（{related.length}）</span> <ScopeBadge />
          {related.length > 0 && (
            <span className="hint">
              <kbd>Alt+↑↓</kbd> 选择 <kbd>F6</kbd> 关联为重复诉求
            </span>
          )}
        </h3>
        {related.length === 0 ? (
          <p className="muted">没有同号码、30 天内同社区村同分类或内容相近的工单</p>
        ) : (
          <ul className="ticket-list" data-testid="related-tickets">
            {related.map((t, i) => (
              <li key={t.id}>
                <TicketLine ticket={t} active={i === relatedActive} extra={t.reasons.map((r) => REASON_TEXT[r]).join('、')} />
              </li>
            ))}
          </ul>
        )}
        {linkError && <p className="field-error">{linkError}</p>}
      </section>

      {olderHistory.length > 0 && (
        <section className="related" aria-label="来电历史">
          <h3>
            来电历史 <span className="muted">（{history.length}）</span> <ScopeBadge />
          </h3>
          <ul className="ticket-list" data-testid="caller-history">
            {olderHistory.slice(0, 5).map((t) => (
              <li key={t.id}>
                <TicketLine ticket={t} />
              </li>
            ))}
          </ul>
        </section>
      )}

      {(disposition === '不合理诉求' || reason) && (
        <section className="unreasonable">
          <label htmlFor="f-unreasonable" className="field-title">
            不合理诉求理由 <span className="hint">提交后交班长审核 · Ctrl+Enter 提交</span>
          </label>
          <input
            id="f-unreasonable"
            className="text-input"
            value={reason}
            placeholder="例如：要求为私人纠纷出具证明，超出政府职责范围"
            onChange={(e) => setField('unreasonableReason', e.target.value)}
            onBlur={() => visit('unreasonableReason')}
          />
          {reasonError && <p className="field-error">{reasonError}</p>}
        </section>
      )}
    </div>
  );
}
