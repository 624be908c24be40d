import { useEffect, useRef, useState, type FormEvent } from 'react';
import { TICKET_STATUSES } from '../../shared/lifecycle/ticket-lifecycle';
import { WORK_ROLE_LABEL } from '../../shared/workspace/roles';
import { isTyping, MOVE_KEYS, QUEUE_KEYS, TICKET_KEYS, type KeyRow } from './keys';
import { MoveDialog } from './MoveDialog';
import { MOVE_LABEL, PAGE_SIZE, useWork, type View, type WorkMove } from './store';
import { SupervisionBanner, TicketView } from './TicketView';
import { Countdowns } from './Deadlines';
import { useNow } from './use-now';
import { Rankings } from './Rankings';

export function App() {
  const phase = useWork((s) => s.phase);
  useEffect(() => {
    void useWork.getState().boot();
  }, []);
  if (phase === 'loading') return <div className="loading">正在连接中心…</div>;
  if (phase === 'signin') return <SignIn />;
  return <Workspace />;
}

function SignIn() {
  const error = useWork((s) => s.signInError);
  const busy = useWork((s) => s.busy);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void useWork.getState().signIn(username.trim(), password);
  };
  return (
    <main className="signin">
      <form onSubmit={submit} aria-label="登录">
        <h1>12345 接诉即办工作台</h1>
        <p className="hint">分中心、承办单位（街乡镇、委办局、公共服务企业）和市中心，用中心发放的账号登录。</p>
        <label>
          用户名
          <input autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="signin-username" />
        </label>
        <label>
          密码
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="signin-password" />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !username || !password}>
          登录（Enter）
        </button>
      </form>
    </main>
  );
}

const VIEW_LABEL: Record<View, string> = { mine: '待办', returned: '待派（退回、坐席标注）', review: '待审（延期、不合理诉求）', closed: '已办结', all: '全部在办' };

function viewsOf(me: { workRole: string } | null): View[] {
  return me?.workRole === 'center' || me?.workRole === 'admin' ? ['mine', 'returned', 'review', 'all', 'closed'] : ['mine', 'closed'];
}

function Workspace() {
  const me = useWork((s) => s.me)!;
  const view = useWork((s) => s.view);
  const ticketId = useWork((s) => s.ticketId);
  const dialog = useWork((s) => s.dialog);
  const notice = useWork((s) => s.notice);
  const searchRef = useRef<HTMLInputElement>(null);
  const views = viewsOf(me);
  // 考核排名 (web/src/Rankings.tsx): #rankings, for the center, sub-centers and team leads.
  const mayRank = me.workRole === 'center' || me.workRole === 'subcenter' || me.workRole === 'admin';
  const [rankings, setRankings] = useState(() => window.location.hash === '#rankings');
  useEffect(() => {
    const onHash = () => setRankings(window.location.hash === '#rankings');
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useWork.getState();
      if (s.dialog || e.ctrlKey || e.metaKey) return;
      if (e.altKey) {
        if (e.key === 'q' || e.key === 'Q') {
          e.preventDefault();
          void s.signOut();
        }
        return;
      }
      if (isTyping(e.target)) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      const move = (Object.keys(MOVE_KEYS) as WorkMove[]).find((m) => MOVE_KEYS[m] === key);
      if (move) {
        e.preventDefault();
        void s.startMove(move);
        return;
      }
      if (s.ticketId) {
        if (key === 'Escape') s.back();
        else if (key === 'c') void s.reveal();
        else return;
        e.preventDefault();
        return;
      }
      const viewIndex = '12345'.indexOf(key);
      if (viewIndex >= 0 && key.length === 1) {
        const v = viewsOf(useWork.getState().me)[viewIndex];
        if (v) {
          e.preventDefault();
          void s.setView(v);
        }
        return;
      }
      if (key === 'j' || key === 'ArrowDown') s.select(1);
      else if (key === 'k' || key === 'ArrowUp') s.select(-1);
      else if (key === 'Enter') {
        const row = s.queue?.rows[s.selected];
        if (row) void s.open(row.id);
      } else if (key === '/') searchRef.current?.focus();
      else if (key === ']' || key === 'PageDown') void s.page(1);
      else if (key === '[' || key === 'PageUp') void s.page(-1);
      else if (key === 'r') void s.loadQueue();
      else return;
      e.preventDefault();
    };
    const onHash = () => {
      const match = /^#\/t\/([0-9a-fA-F-]{36})$/.exec(window.location.hash);
      const s = useWork.getState();
      if (match && match[1] !== s.ticketId) void s.open(match[1]!);
      if (!match && s.ticketId) s.back();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => useWork.getState().say(null), 8000);
    return () => clearTimeout(timer);
  }, [notice]);

  return (
    <div className="app">
      <header className="top">
        <h1>12345 接诉即办工作台</h1>
        <span className="who" data-testid="who">
          <b>{me.unitName ?? '全市'}</b> · {WORK_ROLE_LABEL[me.workRole]} · {me.name}
        </span>
        <nav className="views">
          {views.map((v, i) => (
            <button key={v} className={v === view && !ticketId && !rankings ? 'on' : ''} onClick={() => void useWork.getState().setView(v).then(() => { if (ticketId) useWork.getState().back(); if (rankings) window.location.hash = ''; })}>
              <kbd>{i + 1}</kbd> {VIEW_LABEL[v]}
            </button>
          ))}
        </nav>
        {mayRank && (
          <button className={rankings ? 'on rank-nav' : 'rank-nav'} onClick={() => (window.location.hash = rankings ? '' : '#rankings')} data-testid="nav-rankings">
            考核排名
          </button>
        )}
        <button className="signout" onClick={() => void useWork.getState().signOut()}>
          退出（Alt+Q）
        </button>
      </header>
      {notice && (
        <div className={`notice ${notice.tone}`} role="status" data-testid="notice">
          {notice.text}
        </div>
      )}
      <main className="body">{rankings && !ticketId ? <Rankings mayRank={mayRank} /> : ticketId ? <TicketView /> : <Queue searchRef={searchRef} />}</main>
      <KeyBar rows={ticketId ? TICKET_KEYS : QUEUE_KEYS} />
      {dialog && <MoveDialog move={dialog} />}
    </div>
  );
}

/** The moves each workspace role makes (shared/workspace/roles.ts says who is who; the hub checks every move). */
const ROLE_MOVES: Record<string, readonly string[]> = {
  unit: ['accept', 'return', 'reply', 'close', 'extend', 'unreasonable', 'assistReply'],
  subcenter: ['forward', 'accept', 'return', 'reply', 'close', 'extend', 'unreasonable'],
  center: ['forward', 'redispatch', 'decide', 'supervise'],
  admin: Object.keys(MOVE_KEYS),
};

function KeyBar({ rows }: { rows: KeyRow[] }) {
  // On a ticket: only the moves this person may make on it now (the hub's list); on the queue, the
  // moves of this person's role (they act on the selected row) — never keys the hub would always refuse.
  const ticket = useWork((s) => (s.ticketId ? s.ticket : null));
  const role = useWork((s) => s.me?.workRole ?? null);
  const offered = new Set<string>(ticket ? [...(ticket.moves as string[]), ...ticket.actions] : role ? ROLE_MOVES[role] : []);
  const moves = (Object.keys(MOVE_KEYS) as WorkMove[]).filter((m) => offered.has(m)).map((m) => ({ key: MOVE_KEYS[m].toUpperCase(), label: MOVE_LABEL[m] }));
  return (
    <footer className="keys" data-testid="keybar">
      {[...rows, ...moves].map((r) => (
        <span key={r.key}>
          <kbd>{r.key}</kbd> {r.label}
        </span>
      ))}
    </footer>
  );
}

function Queue({ searchRef }: { searchRef: React.RefObject<HTMLInputElement | null> }) {
  const queue = useWork((s) => s.queue);
  const error = useWork((s) => s.queueError);
  const filters = useWork((s) => s.filters);
  const selected = useWork((s) => s.selected);
  const offset = useWork((s) => s.offset);
  const view = useWork((s) => s.view);
  const now = useNow();
  const [number, setNumber] = useState(filters.number);
  const selectedRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    // Braces: in current Chromium scrollIntoView returns a promise, which must not become the effect's cleanup.
    void selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const set = useWork.getState().setFilter;
  const rows = queue?.rows ?? [];
  return (
    <section className="queue" data-testid="queue">
      <div className="filters">
        <label>
          状态
          <select value={filters.status} onChange={(e) => void set({ status: e.target.value as never })} data-testid="filter-status">
            <option value="">全部</option>
            {TICKET_STATUSES.filter((s) => queue?.facets.statuses.some((f) => f.status === s)).map((s) => (
              <option key={s} value={s}>
                {s}（{queue!.facets.statuses.find((f) => f.status === s)!.count}）
              </option>
            ))}
          </select>
        </label>
        <label>
          分类
          <select value={filters.category} onChange={(e) => void set({ category: e.target.value })} data-testid="filter-category">
            <option value="">全部</option>
            {queue?.facets.categories.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}（{c.count}）
              </option>
            ))}
          </select>
        </label>
        <label>
          社区
          <select value={filters.villageCode} onChange={(e) => void set({ villageCode: e.target.value })} data-testid="filter-community">
            <option value="">全部</option>
            {queue?.facets.communities.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}（{c.count}）
              </option>
            ))}
          </select>
        </label>
        <form
          className="search"
          onSubmit={(e) => {
            e.preventDefault();
            void set({ number });
            searchRef.current?.blur();
          }}
        >
          <label>
            编号
            <input ref={searchRef} value={number} placeholder="按 / 输入工单编号" onChange={(e) => setNumber(e.target.value)} data-testid="search-number" />
          </label>
        </form>
        <span className="count" data-testid="queue-count">
          {queue ? (queue.total ? `第 ${offset + 1}–${offset + rows.length} 张，共 ${queue.total} 张` : `${VIEW_LABEL[view]}：没有工单`) : '正在读取…'}
        </span>
      </div>
      {error && <p className="error">{error}</p>}
      <table>
        <thead>
          <tr>
            <th className="c-num">工单编号</th>
            <th className="c-status">状态</th>
            <th className="c-place">地点</th>
            <th className="c-cat">分类</th>
            <th>诉求内容</th>
            <th className="c-due">时限（按最早到期排序）</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr
              key={r.id}
              ref={i === selected ? selectedRef : null}
              className={i === selected ? 'sel' : ''}
              aria-selected={i === selected}
              data-number={r.number}
              onClick={() => useWork.getState().selectIndex(i)}
              onDoubleClick={() => void useWork.getState().open(r.id)}
            >
              <td className="c-num">
                {r.number}
                {r.urgency !== '一般' && <span className={`urg u-${r.urgency}`}>{r.urgency}</span>}
              </td>
              <td className="c-status">
                <span className={`st st-${r.status}`}>{r.status}</span>
                {r.returnCount > 0 && <span className="returns">退 {r.returnCount}</span>}
                {(r.urgeCount ?? 0) > 0 && (
                  <span className="returns urged" data-testid="row-urges" title="市民来电催办的次数（坐席在原工单上记录）">
                    催 {r.urgeCount}
                  </span>
                )}
                {r.urgeSuggestion && (
                  <span className="assist-tag urge-suggest" data-testid="row-urge-suggestion" title={r.urgeSuggestion.note}>
                    建议督办
                  </span>
                )}
                {r.assist && (
                  <span className={`assist-tag${r.assist.replied ? ' done' : ''}`} data-testid="row-assist" title={`主办：${r.unitName ?? '—'}`}>
                    协办{r.assist.replied ? '·已回复' : '·待回复'}
                  </span>
                )}
                {!r.assist && r.assistCount > 0 && <span className="assist-tag main" title="双派单：本单为主办，另有协办单位">主办+协办 {r.assistCount}</span>}
              </td>
              <td className="c-place">
                {[r.streetName, r.villageName].filter(Boolean).join(' ') || r.districtName || '—'}
                {view !== 'mine' || r.unitName ? <div className="sub">{r.unitName ?? '待派'}</div> : null}
              </td>
              <td className="c-cat">{r.leafPath.join(' › ') || '—'}</td>
              <td className="c-content">
                {r.supervision && <SupervisionBanner banner={r.supervision} compact />}
                {r.pending && <span className="pending-tag">{r.pending.kind === 'extension' ? `申请延期至 ${r.pending.newDate}` : '申请认定不合理诉求'}</span>}
                {r.intakeFlag && r.status === '待审核' && (
                  <span className="suggest-tag" data-testid="row-intake-flag" title={r.intakeFlag.reason || undefined}>
                    坐席标注疑似不合理诉求
                  </span>
                )}
                {r.intakeFlag && r.unitCode && !r.unreasonableAt && r.status !== '待审核' && view === 'mine' && (
                  <span className="suggest-tag" title="坐席认为可能属于不合理诉求，请核实后决定是否申请认定">
                    坐席提示疑似不合理
                  </span>
                )}
                {r.content}
                {r.supervision && <div className="sv-note">{r.supervision.note}</div>}
                {r.pending && (
                  <div className="sub">
                    申请理由：{r.pending.reason}（{r.pending.actor}）
                  </div>
                )}
              </td>
              <td className="c-due">
                <Countdowns deadlines={r.deadlines} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {queue && queue.total > PAGE_SIZE && (
        <p className="pager">
          第 {Math.floor(offset / PAGE_SIZE) + 1} / {Math.ceil(queue.total / PAGE_SIZE)} 页（[ 上一页，] 下一页）
        </p>
      )}
    </section>
  );
}
