/**
 * 退单与督办 in the lead view: this desk's tickets of the chosen shift or dates whose trail has a
 * 退单 or a 督办/催办 (what the hub reported through the pull), with a count badge for each and the
 * latest such event per ticket, latest first. Read with the report: a new report reads it again.
 */
import { useEffect, useState } from 'react';
import type { Attention, LeadScope } from '../../../shared/api/lead-contract';
import { api } from '../bridge';
import { formatDateTime } from '../format';

export function AttentionPanel({ scope, reportAt }: { scope: LeadScope; reportAt: string }) {
  const [data, setData] = useState<Attention | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('lead.attention', { scope }).then((r) => {
      if (!live) return;
      setData(r.ok ? r.value : null);
      setError(r.ok ? null : r.error.message);
    });
    return () => {
      live = false;
    };
  }, [scope, reportAt]);
  return (
    <section className="lead-attention" aria-labelledby="lead-attention-title" data-testid="lead-attention">
      <h3 id="lead-attention-title">
        退单与督办
        <span className={`badge ${data?.returned ? 'badge-bad' : ''}`} data-testid="attention-returned">
          退单 {data?.returned ?? 0}
        </span>
        <span className={`badge ${data?.supervised ? 'badge-warn' : ''}`} data-testid="attention-supervised">
          督办 {data?.supervised ?? 0}
        </span>
        <span className="muted">本机受理的工单在中心被退单、被督办（待派工单由班长在受理界面按 Alt+R 重新派单）</span>
      </h3>
      {error && <p className="field-error">{error}</p>}
      {data && data.rows.length === 0 && <p className="muted">范围内没有被退单或被督办的工单</p>}
      {data && data.rows.length > 0 && (
        <ul className="attention-list">
          {data.rows.map((r) => (
            <li key={r.id} data-ticket-id={r.id}>
              <span className="mono number">{r.number}</span>
              <span className={`status status-${r.status}`}>{r.status}</span>
              <span className="attention-what">{r.categoryPath || '—'}</span>
              <span className="muted">{r.unitName ?? '待派'}</span>
              {r.returns > 0 && <span className="flag flag-退单">退 {r.returns}</span>}
              {r.supervisions > 0 && <span className="flag flag-督办">督 {r.supervisions}</span>}
              <span className="attention-last">
                {r.last.kind} · {r.last.actor} · {formatDateTime(r.last.at)}
                {r.last.note && <span className="muted"> · {r.last.note}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
