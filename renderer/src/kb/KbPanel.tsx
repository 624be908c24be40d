/**
 * Knowledge-base panel: searches as the operator types (debounced a little so a fast typist's
 * keystrokes do not queue queries), filtered by the chosen leaf when there is one. ↑/↓ move, Enter
 * opens the article.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { z } from 'zod';
import type { KbArticleSchema, KbHitSchema } from '../../../shared/api/contract';
import { searchTokens } from '../../../shared/domain/kb';
import { api } from '../bridge';
import { Highlight } from '../Highlight';

type Hit = z.infer<typeof KbHitSchema>;
type Article = z.infer<typeof KbArticleSchema>;

const MATCH_LABEL: Record<Hit['matchedIn'], string> = { title: '标题', questions: '问法', answer: '正文', leaf: '本分类' };

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

export function KbPanel({ leafCode = null }: { leafCode?: string | null }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [active, setActive] = useState(0);
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(async () => {
      if (!query.trim() && !leafCode) {
        setHits([]);
        return;
      }
      const result = await api.call('kb.search', { query, leafCode, limit: 10 });
      if (mine !== seq.current) return; // a newer keystroke already asked
      if (result.ok) {
        setHits(result.value);
        setError(null);
      } else setError(result.error.message);
      setActive(0);
    }, 40);
    return () => clearTimeout(timer);
  }, [query, leafCode]);

  const open = async (id: string) => {
    const result = await api.call('kb.article', { id });
    if (result.ok) setArticle(result.value);
    else setError(result.error.message);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((a) => Math.min(a + 1, hits.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (event.key === 'Enter' && hits[active]) {
      event.preventDefault();
      void open(hits[active].id);
    } else if (event.key === 'Escape') {
      if (article) setArticle(null);
      else setQuery('');
    }
  };

  const tokens = searchTokens(query);
  return (
    <div className="kb-panel">
      <input
        className="search-input"
        aria-label="知识库检索"
        placeholder="检索知识库：社保卡补办、供暖时间、垃圾分类…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setArticle(null);
        }}
        onKeyDown={onKeyDown}
        spellCheck={false}
      />
      {error && <p className="field-error">{error}</p>}
      {article ? (
        <article className="kb-article" data-testid="kb-article">
          <h3>{article.title}</h3>
          <p className="kb-meta">
            来源：{article.sourceUnitName} · 有效期至 {article.validUntil}
            {article.expired && <span className="badge badge-warn">已过复核期，请核实后再答复</span>}
          </p>
          <p className="kb-answer">{article.answer}</p>
          <p className="kb-questions">常见问法：{article.questions.join('；')}</p>
          <p className="hint">Esc 返回列表</p>
        </article>
      ) : (
        <ul className="kb-hits" data-testid="kb-hits">
          {(query.trim() || leafCode) && hits.length === 0 && <li className="hits-empty">知识库中没有找到相关答复</li>}
          {hits.map((hit, i) => (
            <li key={hit.id} className={i === active ? 'kb-hit active' : 'kb-hit'} onMouseDown={() => void open(hit.id)}>
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
      )}
    </div>
  );
}
