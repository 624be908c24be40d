/**
 * Knowledge-base panel. It searches as the operator types — in its own box, or, while that box is
 * empty, from the ticket: the chosen leaf's articles, else the strongest term the content
 * suggestions found. ↑/↓ move, Enter reads the article into view (and onto the second screen), Esc
 * goes back to the list. F7 closes the ticket as 咨询办结 with the article in view (desk-commands.ts).
 */
import { useEffect, type KeyboardEvent } from 'react';
import { searchTokens } from '../../../shared/domain/kb';
import { KB_INPUT_ID } from '../desk-ids';
import { Highlight } from '../Highlight';
import { useKb, type KbArticle, type KbHit } from './kb-store';

const MATCH_LABEL: Record<KbHit['matchedIn'], string> = { title: '标题', questions: '问法', answer: '正文', leaf: '本分类' };

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

export function KbArticleView({ article, onBack }: { article: KbArticle; onBack?: () => void }) {
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

/**
 * @param leafCode the ticket's chosen leaf, if any
 * @param contextTerm the strongest term of the content suggestions, searched while the box is empty
 */
export function KbPanel({ leafCode = null, contextTerm = null }: { leafCode?: string | null; contextTerm?: string | null }) {
  const { query, hits, active, article, error, contextLabel, hitsQuery } = useKb();

  useEffect(() => useKb.getState().search({ query, leafCode, contextTerm }), [query, leafCode, contextTerm]);

  const kb = useKb.getState();
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      kb.move(1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      kb.move(-1);
    } else if (event.key === 'Enter' && (hits[active] || (query.trim() && hitsQuery !== query))) {
      event.preventDefault();
      kb.openActive();
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
      {error && <p className="field-error">{error.message}</p>}
      {article ? (
        <KbArticleView article={article} onBack={() => kb.back()} />
      ) : (
        <>
          {contextLabel && hits.length > 0 && <p className="kb-context">{contextLabel}</p>}
          <ul className="kb-hits" data-testid="kb-hits" data-query={hitsQuery}>
            {query.trim() && hitsQuery === query && hits.length === 0 && <li className="hits-empty">知识库中没有找到相关答复</li>}
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
