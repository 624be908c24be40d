/**
 * Knowledge-base panel. It searches as the operator types — in its own box, or, while that box is
 * empty, from the ticket: the chosen leaf's articles, else the strongest term the content
 * suggestions found. ↑/↓ move, Enter reads the article into view (and onto the second screen), Esc
 * goes back to the list. F7 closes the ticket as 咨询办结 with the article in view (App.tsx).
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { create } from 'zustand';
import type { z } from 'zod';
import type { KbArticleSchema, KbHitSchema } from '../../../shared/api/contract';
import { searchTokens } from '../../../shared/domain/kb';
import { api } from '../bridge';
import { Highlight } from '../Highlight';

type Hit = z.infer<typeof KbHitSchema>;
type Article = z.infer<typeof KbArticleSchema>;

const MATCH_LABEL: Record<Hit['matchedIn'], string> = { title: '标题', questions: '问法', answer: '正文', leaf: '本分类' };

export interface KbState {
  query: string;
  hits: Hit[];
  active: number;
  article: Article | null;
  error: string | null;
  /** What the list was searched for, when it came from the ticket rather than the box. */
  contextLabel: string | null;
  /** The box's text the current hits answer (benchmarks and tests wait on it). */
  hitsQuery: string;
  setQuery(query: string): void;
  move(delta: number): void;
  open(id: string): Promise<void>;
  back(): void;
  reset(): void;
  /** The article F7 closes with: only one read into view, so what is recorded is what was read out. */
  chosenId(): string | null;
}

export const useKb = create<KbState>((set, get) => ({
  query: '',
  hits: [],
  active: 0,
  article: null,
  error: null,
  contextLabel: null,
  hitsQuery: '',
  setQuery: (query) => set({ query, article: null }),
  move(delta) {
    const { hits, active } = get();
    if (hits.length) set({ active: Math.min(Math.max(active + delta, 0), hits.length - 1) });
  },
  async open(id) {
    const result = await api.call('kb.article', { id });
    if (!result.ok) return set({ error: result.error.message });
    set({ article: result.value, error: null });
    void api.call('side.show', { view: { kind: 'kb', articleId: id } });
  },
  back: () => set({ article: null }),
  reset: () => set({ query: '', hits: [], active: 0, article: null, error: null, contextLabel: null, hitsQuery: '' }),
  chosenId() {
    return get().article?.id ?? null;
  },
}));

function rangesOf(text: string, tokens: readonly string[]): Array<[number, number]> {
  const chars = [...text];
  const out: Array<[number, number]> = [];
  for (const token of tokens) {
    const t = [...token];
    for (let i = 0; i + t.length <= chars.length; i++) {
      if (t.every((c, j) => chars[i + j] === c)) out.push([i, i + t.length]);
    }
  }
  return out;
}

export function KbArticleView({ article, onBack }: { article: Article; onBack?: () => void }) {
  return (
    <article className="kb-article" data-testid="kb-article">
      <h3>{article.title}</h3>
      <p className="kb-meta">
        来源：{article.sourceUnitName} · 有效期至 {article.validUntil}
        {article.expired && <span className="badge badge-warn">已过复核期，请核实后再答复</span>}
      </p>
      <p className="kb-answer">{article.answer}</p>
      <p className="kb-questions">常见问法：{article.questions.join('；')}</p>
      {onBack && (
        <p className="hint">
          <kbd>Esc</kbd> 返回列表 · <kbd>F7</kbd> 按此答复咨询办结
        </p>
      )}
    </article>
  );
}

export const KB_INPUT_ID = 'kb-search';

/**
 * @param leafCode the ticket's chosen leaf, if any
 * @param contextTerm the strongest term of the content suggestions, searched while the box is empty
 */
export function KbPanel({ leafCode = null, contextTerm = null }: { leafCode?: string | null; contextTerm?: string | null }) {
  const { query, hits, active, article, error, contextLabel, hitsQuery } = useKb();
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    const own = query.trim();
    // The box wins; else the leaf's articles; else what the caller is talking about.
    // The box wins; else the leaf's articles; else (or when the leaf has none) what the caller is talking about.
    const byContext = contextTerm ? { query: contextTerm, leafCode: null, label: `按诉求内容“${contextTerm}”` } : null;
    const requests = own
      ? [{ query: own, leafCode: null, label: null }]
      : [...(leafCode ? [{ query: '', leafCode, label: '本分类相关答复' }] : []), ...(byContext ? [byContext] : [])];
    const timer = setTimeout(async () => {
      for (const request of requests) {
        const result = await api.call('kb.search', { query: request.query, leafCode: request.leafCode, limit: 10 });
        if (mine !== seq.current) return; // a newer keystroke already asked
        if (!result.ok) return useKb.setState({ error: result.error.message });
        if (result.value.length > 0 || request === requests[requests.length - 1]) {
          return useKb.setState({ hits: result.value, error: null, active: 0, contextLabel: request.label, hitsQuery: query });
        }
      }
      useKb.setState({ hits: [], active: 0, contextLabel: null, hitsQuery: query });
    }, own ? 0 : 120);
    return () => clearTimeout(timer);
  }, [query, leafCode, contextTerm]);

  const kb = useKb.getState();
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      kb.move(1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      kb.move(-1);
    } else if (event.key === 'Enter' && hits[active]) {
      event.preventDefault();
      void kb.open(hits[active].id);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      if (article) kb.back();
      else kb.setQuery('');
    }
  };

  const tokens = searchTokens(query || contextTerm || '');
  return (
    <div className="kb-panel">
      <input
        id={KB_INPUT_ID}
        className="search-input"
        aria-label="知识库检索"
        placeholder="检索知识库：社保卡补办、供暖时间、垃圾分类…"
        value={query}
        onChange={(e) => kb.setQuery(e.target.value)}
        onKeyDown={onKeyDown}
        spellCheck={false}
        autoComplete="off"
      />
      {error && <p className="field-error">{error}</p>}
      {article ? (
        <KbArticleView article={article} onBack={() => kb.back()} />
      ) : (
        <>
          {contextLabel && hits.length > 0 && <p className="kb-context">{contextLabel}</p>}
          <ul className="kb-hits" data-testid="kb-hits" data-query={hitsQuery}>
            {query.trim() && hits.length === 0 && <li className="hits-empty">知识库中没有找到相关答复</li>}
            {hits.map((hit, i) => (
              <li key={hit.id} className={i === active ? 'kb-hit active' : 'kb-hit'} onMouseDown={() => void kb.open(hit.id)}>
                <div className="kb-hit-title">
                  <Highlight text={hit.title} ranges={rangesOf(hit.title, tokens)} />
                  <span className="badge">{MATCH_LABEL[hit.matchedIn]}</span>
                  {hit.expired && <span className="badge badge-warn">待复核</span>}
                </div>
                <div className="kb-hit-snippet">
                  <Highlight text={hit.snippet} ranges={rangesOf(hit.snippet, tokens)} />
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
