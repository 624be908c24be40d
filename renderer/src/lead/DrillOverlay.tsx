/**
 * The drill-down over the lead view: the tickets behind a figure, ↑↓ to choose, Enter for one
 * ticket's trail beside the list; exports of the list (full phone numbers for those who may review
 * shifts). Esc closes the trail, then the list.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_EXPORT_ROWS, type DrillRow } from '../../../shared/api/lead-contract';
import { mayReviewShifts } from '../../../shared/roles';
import { Overlay } from '../Overlay';
import { useShell } from '../shell-store';
import { TicketDetailView } from '../tickets/MyTickets';
import { formatMdHm, formatSeconds } from './format';
import { LeadNotice } from './LeadNotice';
import { useLead } from './lead-store';

export function DrillOverlay() {
  const drill = useLead((s) => s.drill)!;
  const exporting = useLead((s) => s.exporting);
  const exportJob = useLead((s) => s.exportJob);
  const notice = useLead((s) => s.notice);
  const { moveDrill, turnDrillPage, openTicket, closeTicket, closeDrill, exportFile, cancelExport } = useLead.getState();
  const [fullPhones, setFullPhones] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  const mayFull = mayReviewShifts(useShell((s) => s.info?.operator.role));

  useEffect(() => {
    if (!drill.loading) list.current?.focus();
  }, [drill.loading, drill.filter, drill.page]);
  const pages = drill.pageSize > 0 ? Math.max(1, Math.ceil(drill.total / drill.pageSize)) : 1;
  const first = drill.page * drill.pageSize;
  useEffect(() => {
    list.current?.querySelector(`[data-index="${drill.active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [drill.active]);
  // Esc closes the trail, then the list — wherever the focus went (a download can take it away).
  const onEscape = () => {
    // A streamed export under way: Esc stops it first (nothing is saved).
    if (useLead.getState().exportJob) void cancelExport();
    else if (useLead.getState().drill?.detail) {
      closeTicket();
      list.current?.focus();
    } else closeDrill();
  };

  const onListKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      moveDrill(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      moveDrill(event.key === 'Home' ? -Infinity : Infinity);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void openTicket(drill.active);
    } else if (event.key === 'PageDown' || event.key === 'PageUp') {
      event.preventDefault();
      void turnDrillPage(event.key === 'PageDown' ? 1 : -1);
    }
  };
  return (
    <Overlay onClose={closeDrill} onEscape={onEscape} labelledBy="drill-title" testId="drilldown" state={drill.loading ? 'loading' : 'ready'} boxClassName="drill-box">
      <div className="drill-head">
        <h2 id="drill-title">
          工单明细 · {drill.loading ? '载入中…' : drill.title}
          {!drill.loading && <span className="muted drill-count" data-testid="drill-total">共 {drill.total} 张</span>}
        </h2>
        <span className="lead-toolbar-gap" />
        {mayFull && (
          <label className="drill-full">
            <input type="checkbox" checked={fullPhones} onChange={(e) => setFullPhones(e.target.checked)} data-testid="export-full-phones" />
            导出完整号码
          </label>
        )}
        <button className="lead-btn" disabled={exporting || drill.loading} onClick={() => void exportFile('tickets', 'csv', fullPhones)} data-testid="export-drill-csv">
          导出 CSV
        </button>
        <button className="lead-btn" disabled={exporting || drill.loading} onClick={() => void exportFile('tickets', 'xlsx', fullPhones)} data-testid="export-drill-xlsx">
          导出 XLSX
        </button>
        {pages > 1 && (
          <>
            <button className="lead-btn" disabled={drill.loading || drill.page === 0} onClick={() => void turnDrillPage(-1)} data-testid="drill-prev">
              上一页 <kbd>PgUp</kbd>
            </button>
            <button className="lead-btn" disabled={drill.loading || drill.page + 1 >= pages} onClick={() => void turnDrillPage(1)} data-testid="drill-next">
              下一页 <kbd>PgDn</kbd>
            </button>
          </>
        )}
        <button className="lead-btn" onClick={closeDrill}>
          关闭 <kbd>Esc</kbd>
        </button>
      </div>
      {drill.source && (
        <p className={`drill-source ${drill.source.kind === 'local' ? 'drill-source-local' : ''}`} data-testid="drill-source" data-source={drill.source.kind}>
          <strong>{drill.source.note}</strong>
          {drill.total > 0 && (
            <span className="muted" data-testid="drill-page">
              第 {first + 1}–{Math.min(drill.total, first + drill.rows.length)} 张，共 {drill.total} 张 · 第 {drill.page + 1}/{pages} 页（<kbd>PgDn</kbd> 下一页，<kbd>PgUp</kbd> 上一页）
            </span>
          )}
          {drill.total > MAX_EXPORT_ROWS &&
            (drill.source.kind === 'center' ? (
              <span className="muted" data-testid="drill-export-limit">
                XLSX 一次最多导出 {MAX_EXPORT_ROWS} 张；CSV 不限行数（逐页从中心写入文件）
              </span>
            ) : (
              <span className="muted">一次最多导出 {MAX_EXPORT_ROWS} 张，超过时请缩小范围分次导出</span>
            ))}
        </p>
      )}
      {exportJob && (
        <div className="drill-export" role="status" aria-live="polite" data-testid="export-progress" data-done={exportJob.done} data-total={exportJob.total}>
          <progress max={Math.max(1, exportJob.total)} value={exportJob.done} aria-label="导出进度" />
          <span>
            已导出 {exportJob.done} / 共 {exportJob.total} 张
          </span>
          <button className="lead-btn" onClick={() => void cancelExport()} data-testid="export-cancel">
            取消导出 <kbd>Esc</kbd>
          </button>
        </div>
      )}
      {notice && <LeadNotice notice={notice} testId="drill-notice" as="p" />}
      {drill.truncated && (
        <p className="muted">
          仅列出最新 {drill.rows.length} 张；导出包含全部 {drill.total} 张。
        </p>
      )}
      <div className="drill-split">
        <div
          className="drill-list"
          role="listbox"
          tabIndex={0}
          ref={list}
          aria-label="工单列表：↑↓ 选择，Enter 查看处理轨迹，PgDn/PgUp 翻页"
          aria-activedescendant={drill.rows[drill.active] ? `drill-row-${drill.active}` : undefined}
          onKeyDown={onListKey}
          data-testid="drill-rows"
        >
          <div className="drill-row drill-row-head" aria-hidden>
            <span>工单编号</span>
            <span>受理时间</span>
            <span>话务员</span>
            <span>诉求分类</span>
            <span>地点</span>
            <span>处理</span>
            <span>状态</span>
            <span>时长</span>
            <span>时限</span>
          </div>
          {drill.rows.map((row, i) => (
            <DrillLine key={row.id} row={row} index={i} active={i === drill.active} onOpen={() => void openTicket(i)} />
          ))}
          {!drill.loading && drill.rows.length === 0 && <p className="muted drill-empty">没有符合条件的工单</p>}
        </div>
        <aside className="drill-detail" aria-live="polite">
          {drill.detail ? (
            <TicketDetailView ticket={drill.detail} />
          ) : (
            <p className="muted drill-hint">
              选中一张工单后按 <kbd>Enter</kbd>（或单击）查看其处理轨迹。
            </p>
          )}
        </aside>
      </div>
    </Overlay>
  );
}

function DrillLine({ row, index, active, onOpen }: { row: DrillRow; index: number; active: boolean; onOpen: () => void }) {
  const leaf = row.categoryPath.split('—').at(-1) ?? '';
  return (
    <div
      id={`drill-row-${index}`}
      role="option"
      aria-selected={active}
      className={`drill-row ${active ? 'active' : ''}`}
      data-index={index}
      data-ticket-id={row.id}
      onClick={onOpen}
      title={row.contentPreview}
    >
      <span className="mono">{row.number}</span>
      <span className="mono">{formatMdHm(row.submittedAt)}</span>
      <span className="ellipsis" title={row.operatorName}>
        {row.operatorName}
      </span>
      <span className="ellipsis" title={row.categoryPath}>
        {leaf || '—'}
      </span>
      <span className="ellipsis">{row.place || '—'}</span>
      <span>{row.disposition}</span>
      <span className={`status status-${row.status}`}>{row.status}</span>
      <span className="mono">{formatSeconds(row.handlingSeconds)}</span>
      <span>{row.nextDue ? <span className={`due ${row.nextDue.overdue ? 'due-overdue' : 'due-ok'}`}>{row.nextDue.overdue ? `${row.nextDue.label}超期` : row.nextDue.label}</span> : <span className="muted">—</span>}</span>
    </div>
  );
}
