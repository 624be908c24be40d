/**
 * The knowledge-base panel's state: what is searched for, the hits, the article read into view.
 * A search runs from the panel's own box or, while that box is empty, from the ticket (the chosen
 * leaf's articles, else the strongest term of what the caller said); a reply to an older search is
 * dropped.
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { KbArticleSchema, KbHitSchema } from '../../../shared/api/contract';
import { api, type DeskApi } from '../bridge';
import type { AppError } from '../notice';

export type KbHit = z.infer<typeof KbHitSchema>;
export type KbArticle = z.infer<typeof KbArticleSchema>;

/** A search from the ticket waits this long, so typing the content does not search on every key. */
export const CONTEXT_SEARCH_DELAY_MS = 120;

export interface KbSearch {
  /** The box's text. */
  query: string;
  /** The ticket's chosen leaf, if any. */
  leafCode: string | null;
  /** The strongest term of the content suggestions, searched while the box is empty. */
  contextTerm: string | null;
}

export interface KbState {
  query: string;
  hits: KbHit[];
  active: number;
  article: KbArticle | null;
  error: AppError | null;
  /** What the list was searched for, when it came from the ticket rather than the box. */
  contextLabel: string | null;
  /** The box's text the current hits answer (benchmarks and tests wait on it). */
  hitsQuery: string;
  /** Enter came before the hits for the box's text: the first of them opens when they arrive. */
  openWhenAnswered: boolean;
  setQuery(query: string): void;
  /** Searches (at once for the box, a moment later from the ticket); the returned function calls it off. */
  search(request: KbSearch): () => void;
  move(delta: number): void;
  open(id: string): Promise<void>;
  /** Enter in the box: opens the active hit, or the first hit of a search still on its way. */
  openActive(): void;
  back(): void;
  reset(): void;
  /** The article F7 closes with: only one read into view, so what is recorded is what was read out. */
  chosenId(): string | null;
}

export function createKbStore(api: DeskApi) {
  return create<KbState>((set, get) => {
    let seq = 0;
    return {
      query: '',
      hits: [],
      active: 0,
      article: null,
      error: null,
      contextLabel: null,
      hitsQuery: '',
      openWhenAnswered: false,
      setQuery: (query) => set({ query, article: null, openWhenAnswered: false }),
      search({ query, leafCode, contextTerm }) {
        const mine = ++seq;
        const own = query.trim();
        // The box wins; else the leaf's articles; else (or when the leaf has none) what the caller is talking about.
        const byContext = contextTerm ? { query: contextTerm, leafCode: null, label: `按诉求内容“${contextTerm}”` } : null;
        const requests = own
          ? [{ query: own, leafCode: null, label: null }]
          : [...(leafCode ? [{ query: '', leafCode, label: '本分类相关答复' }] : []), ...(byContext ? [byContext] : [])];
        const timer = setTimeout(async () => {
          for (const request of requests) {
            const result = await api.call('kb.search', { query: request.query, leafCode: request.leafCode, limit: 10 });
            if (mine !== seq) return; // a newer keystroke already asked
            if (!result.ok) return set({ error: result.error });
            if (result.value.length > 0 || request === requests[requests.length - 1]) {
              const openFirst = get().openWhenAnswered && own !== '' && result.value.length > 0;
              set({ hits: result.value, error: null, active: 0, contextLabel: request.label, hitsQuery: query, openWhenAnswered: false });
              if (openFirst) void get().open(result.value[0]!.id);
              return;
            }
          }
          set({ hits: [], active: 0, contextLabel: null, hitsQuery: query });
        }, own ? 0 : CONTEXT_SEARCH_DELAY_MS);
        return () => clearTimeout(timer);
      },
      move(delta) {
        const { hits, active } = get();
        if (hits.length) set({ active: Math.min(Math.max(active + delta, 0), hits.length - 1) });
      },
      async open(id) {
        const result = await api.call('kb.article', { id });
        if (!result.ok) return set({ error: result.error });
        set({ article: result.value, error: null });
        void api.call('side.show', { view: { kind: 'kb', articleId: id } });
      },
      openActive() {
        const { hits, active, hitsQuery, query } = get();
        if (query.trim() && hitsQuery !== query) set({ openWhenAnswered: true });
        else if (hits[active]) void get().open(hits[active].id);
      },
      back: () => set({ article: null }),
      reset: () =>
        set({ query: '', hits: [], active: 0, article: null, error: null, contextLabel: null, hitsQuery: '', openWhenAnswered: false }),
      chosenId() {
        return get().article?.id ?? null;
      },
    };
  });
}

export const useKb = createKbStore(api);
