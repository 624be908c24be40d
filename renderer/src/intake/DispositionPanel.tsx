/**
 * The middle column: what happens to the ticket. The dispatch suggestion with its reason (F8 accepts
 * it, F9 sends to the sub-center instead, Alt+U picks another unit), the related tickets shown
 * before dispatch (F6 links this call to the highlighted one), the caller's history, and the
 * 不合理诉求 flag (Alt+B). Every one of them submits through the intake store.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { RelatedTicket, TicketSummary } from '../../../shared/api/contract';
import { DISPOSITION_OF_KIND, type DispatchSuggestion } from '../../../shared/dispatch/suggest';
import { formatPath } from '../../../shared/domain/catalogue';
import type { Unit } from '../../../shared/domain/places';
import { subcenterOf, suggestForIntake } from '../../../shared/intake/dispatch';
import { dispositionForUnitKind } from '../../../shared/lifecycle/ticket-lifecycle';
import { formatDateTime } from '../format';
import { handleListKeys } from '../list-keys';
import { Overlay } from '../Overlay';
import { useReference, type ReferenceState } from '../reference-store';
import { useFieldError, useIntake, type IntakeState } from './intake-store';

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

const REASON_TEXT: Record<RelatedTicket['reasons'][number], string> = { same_phone: '同一号码', same_place_leaf: '同社区村同分类' };

function TicketLine({ ticket, active, extra }: { ticket: TicketSummary; active?: boolean; extra?: string }) {
  return (
    <div className={`ticket-line ${active ? 'active' : ''}`}>
      <div className="ticket-line-head">
        <span className="mono">{ticket.number}</span>
        <span className={`status status-${ticket.status}`}>{ticket.status}</span>
        <span className="muted">{formatDateTime(ticket.submittedAt)}</span>
        {extra && <span className="badge">{extra}</span>}
      </div>
      <div className="ticket-line-body">
        {ticket.leafPath.length ? formatPath(ticket.leafPath) : ticket.disposition} · {ticket.contentPreview}
      </div>
    </div>
  );
}

export function UnitPicker({ onClose }: { onClose: () => void }) {
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
    await submit({ disposition: dispositionForUnitKind(unit.kind), unitCode: unit.code });
  };
  // Esc is the overlay's: it closes the picker.
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => handleListKeys(event, { items: hits, active, setActive, onEnter: (unit) => void choose(unit) });
  return (
    <Overlay onClose={onClose} labelledBy="unit-picker-title">
      <h2 id="unit-picker-title">另选承办单位</h2>
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
      <p className="hint">↑↓ 选择，Enter 派往该单位并提交，Esc 取消</p>
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

  return (
    <div className="disposition" id="disposition-panel" tabIndex={-1}>
      <section className="dispatch-card" data-testid="dispatch-suggestion" aria-label="派单建议">
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
            </div>
          </>
        ) : (
          <p className="muted">正在载入单位名录…</p>
        )}
        {(dispositionError || unitError) && <p className="field-error">{dispositionError ?? unitError}</p>}
      </section>

      <section className="related" aria-label="相关工单" id="related-list" tabIndex={-1}>
        <h3>
          疑似重复与相关工单 <span className="muted">（{related.length}）</span>
          {related.length > 0 && (
            <span className="hint">
              <kbd>Alt+↑↓</kbd> 选择 <kbd>F6</kbd> 关联为重复诉求
            </span>
          )}
        </h3>
        {related.length === 0 ? (
          <p className="muted">没有同号码或 30 天内同社区村同分类的工单</p>
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
            来电历史 <span className="muted">（{history.length}）</span>
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
