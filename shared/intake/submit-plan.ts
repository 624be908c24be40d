/**
 * What Ctrl+Enter (按建议提交) does with the ticket on the form, and what the disposition panel leads
 * with: the same choice F7 or F8 would make, named so the notice can say which. Pure: the desk hands
 * in what its stores hold.
 *
 * Order, first match wins:
 * 1. A ticket marked 不合理诉求 (Alt+B) is submitted as marked.
 * 2. A 咨询 with a knowledge-base article read into view is closed at the desk (F7 咨询办结).
 * 3. A 咨询 whose leaf has articles in the knowledge base, none read yet: the call-taker is told to
 *    read one (F4, ↑↓, Enter) first — what is recorded is what was read out — or to press F8.
 * 4. Anything with a place or a leaf to go by is dispatched as suggested (F8).
 * 5. Otherwise nothing can be suggested yet: the form is checked (its messages show) and the notice
 *    names the keys.
 */
import { DISPOSITION_OF_KIND, type DispatchSuggestion } from '../dispatch/suggest';
import type { RequestType } from '../domain/catalogue';
import type { TicketDraft } from '../domain/ticket';

export type SubmitPatch = Partial<Pick<TicketDraft, 'disposition' | 'unitCode' | 'kbArticleId' | 'linkedTicketId'>>;

export interface SubmitPlanInput {
  draft: Pick<TicketDraft, 'requestType' | 'disposition' | 'leafCode' | 'address'>;
  /** The knowledge-base article read into view, if any. */
  kbArticleId: string | null;
  /** How many knowledge-base articles the chosen leaf has (0 when none, or no leaf). */
  leafArticles: number;
  /** The dispatch suggestion for what the form holds; null while the unit directory loads. */
  suggestion: DispatchSuggestion | null;
}

export type SubmitPlan =
  /** Submit with this patch; `label` says which way, as the keys name it ("F8 直派 望京街道"). */
  | { kind: 'submit'; key: 'F7' | 'F8' | 'Alt+B'; patch: SubmitPatch; label: string }
  /** Do not submit: `message` says exactly which key to press. */
  | { kind: 'ask'; message: string }
  /** Nothing to suggest yet: check the form (its messages show) and add `message` to the notice. */
  | { kind: 'check'; message: string };

/** Whether the ticket is a question the knowledge base answers: the panel then leads with F7. */
export function leadsWithConsult(requestType: RequestType | '', leafArticles: number, kbArticleId: string | null): boolean {
  return requestType === '咨询' && (leafArticles > 0 || kbArticleId !== null);
}

export function planSubmit(input: SubmitPlanInput): SubmitPlan {
  const { draft, kbArticleId, suggestion } = input;
  if (draft.disposition === '不合理诉求') return { kind: 'submit', key: 'Alt+B', patch: {}, label: '不合理诉求' };
  if (draft.requestType === '咨询' && kbArticleId) {
    return { kind: 'submit', key: 'F7', patch: { disposition: '咨询办结', kbArticleId, unitCode: null, linkedTicketId: null }, label: 'F7 咨询办结' };
  }
  if (leadsWithConsult(draft.requestType, input.leafArticles, kbArticleId)) {
    return { kind: 'ask', message: '这是咨询，知识库有本分类答复：请先打开答复文章（F4 检索，↑↓ 选择，Enter 阅读），再按 Ctrl+Enter 或 F7 咨询办结；要派单请按 F8' };
  }
  const hasBasis = !!(draft.leafCode || draft.address.districtCode);
  if (suggestion && hasBasis) {
    const disposition = DISPOSITION_OF_KIND[suggestion.kind];
    return {
      kind: 'submit',
      key: 'F8',
      patch: { disposition, unitCode: suggestion.unit.code, kbArticleId: null, linkedTicketId: null },
      label: `F8 ${disposition} ${suggestion.unit.name}`,
    };
  }
  if (!suggestion && hasBasis) return { kind: 'ask', message: '单位名录尚未载入，暂不能按建议派单，请稍候再按 Ctrl+Enter' };
  return {
    kind: 'check',
    message: '填写地址、选定分类后 Ctrl+Enter 按建议派单（同 F8）；咨询打开知识库文章后按 F7 办结',
  };
}
