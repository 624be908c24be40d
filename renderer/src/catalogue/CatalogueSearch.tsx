/**
 * The classification search box: results update on every keystroke from the in-memory index, with
 * the full path 一级—二级—三级 and the matched part highlighted. ↑/↓ move, Enter picks, Esc clears.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { CatalogueHit } from '../../../shared/search/catalogue-index';
import { Highlight } from '../Highlight';
import { handleListKeys } from '../list-keys';
import { useReference } from '../reference-store';

const KIND_LABEL: Record<string, string> = { keyword: '关键词', synonym: '来电人说法' };

function PathWithMatch({ hit }: { hit: CatalogueHit }) {
  const { path, matched } = hit;
  // Highlight inside the path when the match is on a name in it; otherwise show the matched term beside it.
  const inPath = matched.kind === 'name' || matched.kind === 'path';
  const segmentIndex = matched.kind === 'name' ? path.length - 1 : path.indexOf(matched.text);
  return (
    <span className="hit-path">
      {path.map((name, i) => (
        <span key={i} className={i === path.length - 1 ? 'hit-leaf' : 'hit-ancestor'}>
          {i > 0 && <span className="sep">—</span>}
          {inPath && i === segmentIndex ? <Highlight text={name} ranges={matched.ranges} /> : name}
        </span>
      ))}
      {!inPath && (
        <span className="hit-term">
          {KIND_LABEL[matched.kind] ?? '匹配'}：<Highlight text={matched.text} ranges={matched.ranges} />
        </span>
      )}
    </span>
  );
}

/**
 * @param chosenPath the path of the leaf already chosen: the field shows it (selected, so typing
 *   replaces it with a new search) until the call-taker types
 */
export function CatalogueSearch({ onPick, inputId = 'catalogue-search', chosenPath = null }: { onPick: (code: string) => void; inputId?: string; chosenPath?: string | null }) {
  const index = useReference((s) => s.index);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  /** True while the call-taker types a search; false shows the chosen path. */
  const [editing, setEditing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const hits = useMemo(() => (index && query.trim() ? index.search(query, 8) : []), [index, query]);
  const showsChosen = !editing && !query && !!chosenPath;

  const clear = () => {
    setQuery('');
    setActive(0);
    setEditing(false);
    // The path of the leaf just taken shows selected: typing starts a new search over it.
    requestAnimationFrame(() => {
      if (document.activeElement === input.current) input.current?.select();
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) =>
    handleListKeys(event, {
      items: hits,
      active,
      setActive,
      onEnter: (hit) => {
        onPick(hit.code);
        clear();
      },
      ...(query ? { onEscape: clear } : {}),
    });

  return (
    <div className="catalogue-search">
      <label htmlFor={inputId} className="field-title">
        诉求分类 <span className="hint">{chosenPath ? '已选定，F3 输入可改选' : '汉字、拼音、首字母或来电人说法均可'}</span>
      </label>
      <input
        id={inputId}
        ref={input}
        className={showsChosen ? 'search-input chosen' : 'search-input'}
        data-chosen={showsChosen ? 'true' : undefined}
        value={showsChosen ? chosenPath : query}
        placeholder={index ? '例如：暖气不热 / nqbr / 楼上漏水' : '正在载入派单目录…'}
        disabled={!index}
        autoComplete="off"
        spellCheck={false}
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls={`${inputId}-results`}
        aria-activedescendant={hits[active] ? `${inputId}-hit-${active}` : undefined}
        onFocus={(e) => {
          if (showsChosen) e.currentTarget.select();
        }}
        onBlur={() => {
          if (!query) setEditing(false);
        }}
        onChange={(e) => {
          setEditing(true);
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      {query.trim() !== '' && (
        <ul className="hits" id={`${inputId}-results`} role="listbox" data-testid="catalogue-hits" data-query={query}>
          {hits.length === 0 && <li className="hits-empty">没有匹配的分类，换个说法试试</li>}
          {hits.map((hit, i) => (
            <li
              key={hit.code}
              id={`${inputId}-hit-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'hit active' : 'hit'}
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(hit.code);
                clear();
              }}
            >
              <PathWithMatch hit={hit} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
