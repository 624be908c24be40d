/**
 * What each desk command (commands.ts DESK_COMMANDS) does, by id. Plain functions over what the
 * desk hands in (its stores, its focus), so they can be tested without a screen. Every key that ends
 * a ticket submits through the intake store: after a refused submit the cursor goes to the first
 * field at fault, after a good one to a fresh form.
 */
import { DISPOSITION_OF_KIND, type DispatchSuggestion } from '../../shared/dispatch/suggest';
import type { TicketDraft } from '../../shared/domain/ticket';
import { subcenterOf } from '../../shared/intake/dispatch';
import { planSubmit } from '../../shared/intake/submit-plan';
import type { RelatedTicket, TicketSummary } from '../../shared/api/contract';
import type { TicketField } from '../../shared/validation/ticket';
import type { DESK_COMMANDS, Handlers } from './commands';
import { FIELD_ID, FIELD_ORDER, KB_INPUT_ID, MY_TICKETS_ID } from './desk-ids';
import type { IntakeState, SubmitHow } from './intake/intake-store';

export type DeskIntake = Pick<
  IntakeState,
  | 'waitingCall'
  | 'related'
  | 'relatedActive'
  | 'errors'
  | 'draft'
  | 'leafArticles'
  | 'newCall'
  | 'submit'
  | 'whenLeafReady'
  | 'setField'
  | 'pickLeaf'
  | 'moveRelated'
  | 'showError'
  | 'takeEarlierCaller'
>;

/** F6's question before linking: the offered ticket, and what linking to its original does when confirmed. */
export interface LinkOffer {
  offered: RelatedTicket;
  /** Submits this call as 重复诉求 of the original (the offered ticket, or the one it is itself linked to). */
  confirm(original: TicketSummary | null): Promise<void>;
}

export interface DeskCommandDeps {
  /** The intake store as it is now (read afresh at every step). */
  intake(): DeskIntake;
  /** The dispatch suggestion for what the form holds now. */
  suggestion(): DispatchSuggestion | null;
  /** The knowledge-base article read into view, if any. */
  kbArticleId(): string | null;
  resetKb(): void;
  /** The content suggestions on screen, best first (Alt+1…3). */
  contentSuggestions(): readonly { code: string }[];
  /** Moves the focus to the element with this id. */
  focus(elementId: string): void;
  /** Runs after the screen has drawn what just changed. */
  afterRender(run: () => void): void;
  toggleHelp(): void;
  openSecondScreen(): void;
  openUnitPicker(): void;
  openSignIn(): void;
  openLead(): void;
  /** Alt+R: the 待派 queue (renderer/src/redispatch/RedispatchQueue.tsx). */
  openRedispatch(): void;
  /** Alt+H: 回访 (renderer/src/callback/CallbackQueue.tsx). */
  openCallbacks?(): void;
  /** Alt+W: 网络渠道待受理 (renderer/src/web-intake/WebIntakeQueue.tsx). */
  openWebIntake?(): void;
  /** F5: 查询工单/催办 (renderer/src/lookup/LookupView.tsx), starting from the caller's number. */
  openLookup(): void;
  /** F6: asks before linking (LinkConfirm in intake/DispositionPanel.tsx). */
  openLinkConfirm(offer: LinkOffer): void;
}

type DispositionPatch = Partial<Pick<TicketDraft, 'disposition' | 'unitCode' | 'kbArticleId' | 'linkedTicketId'>>;

export function deskHandlers(d: DeskCommandDeps): Handlers<typeof DESK_COMMANDS> {
  const focusField = (field: TicketField) => d.focus(FIELD_ID[field]);
  const submitWith = async (patch: DispositionPatch, how?: SubmitHow) => {
    if (await d.intake().submit(patch, how)) {
      d.resetKb();
      focusField('callerPhone');
      return;
    }
    const { errors } = d.intake();
    const first = FIELD_ORDER.find((f) => errors[f]);
    if (first) focusField(first);
  };
  const pickSuggestion = (n: number) => {
    const pick = d.contentSuggestions()[n - 1];
    if (pick) void d.intake().pickLeaf(pick.code);
  };
  return {
    help: d.toggleHelp,
    newCall() {
      const hadWaiting = !!d.intake().waitingCall;
      if (!d.intake().newCall()) return;
      d.resetKb();
      focusField(hadWaiting ? 'callerName' : 'callerPhone');
    },
    searchCatalogue: () => d.focus(FIELD_ID.leafCode),
    searchKb: () => d.focus(KB_INPUT_ID),
    linkDuplicate() {
      const { related, relatedActive } = d.intake();
      const offered = related[relatedActive];
      if (!offered) return d.intake().showError('没有可关联的相关工单');
      // A ticket that is itself a duplicate stands for its original: the link goes there.
      const originalId = offered.linkedTicket?.id ?? offered.id;
      d.openLinkConfirm({
        offered,
        confirm: (original) =>
          submitWith({ disposition: '重复诉求', linkedTicketId: originalId, unitCode: null, kbArticleId: null }, original ? { original } : {}),
      });
    },
    closeWithArticle() {
      const id = d.kbArticleId();
      if (!id) return d.intake().showError('请先在知识库中打开答复文章（F4 检索，Enter 阅读）再按 F7 办结');
      return submitWith({ disposition: '咨询办结', kbArticleId: id, unitCode: null, linkedTicketId: null });
    },
    async dispatchAsSuggested() {
      // A leaf picked a moment ago may still be loading: the suggestion waits for its owner.
      await d.intake().whenLeafReady();
      const now = d.suggestion();
      if (!now) return d.intake().showError('单位名录尚未载入，暂不能派单');
      return submitWith({ disposition: DISPOSITION_OF_KIND[now.kind], unitCode: now.unit.code, kbArticleId: null, linkedTicketId: null });
    },
    async dispatchToSubcenter() {
      await d.intake().whenLeafReady();
      const subcenter = subcenterOf(d.suggestion());
      if (!subcenter) return d.intake().showError('地址未识别到区，无法派往区分中心；请补充地址或按 F8 派市中心');
      return submitWith({ disposition: '派分中心', unitCode: subcenter.code, kbArticleId: null, linkedTicketId: null });
    },
    openSecondScreen: d.openSecondScreen,
    async submit() {
      // Ctrl+Enter: what F7 or F8 would do (shared/intake/submit-plan.ts), once the leaf's details are here.
      await d.intake().whenLeafReady();
      const { draft, leafArticles } = d.intake();
      const plan = planSubmit({
        draft,
        kbArticleId: d.kbArticleId(),
        leafArticles: leafArticles && leafArticles.code === draft.leafCode ? leafArticles.count : 0,
        suggestion: d.suggestion(),
      });
      if (plan.kind === 'ask') return d.intake().showError(plan.message);
      if (plan.kind === 'check') return submitWith({}, { hint: plan.message });
      return submitWith(plan.patch, plan.key === 'Alt+B' ? {} : { via: plan.label });
    },
    takeEarlierCaller() {
      if (!d.intake().takeEarlierCaller()) d.intake().showError('没有同一号码的早先工单，无可取用的来电人信息');
    },
    pickUnit: d.openUnitPicker,
    markUnreasonable() {
      d.intake().setField('disposition', '不合理诉求');
      d.afterRender(() => focusField('unreasonableReason'));
    },
    pickSuggestion1: () => pickSuggestion(1),
    pickSuggestion2: () => pickSuggestion(2),
    pickSuggestion3: () => pickSuggestion(3),
    nextRelated: () => d.intake().moveRelated(1),
    previousRelated: () => d.intake().moveRelated(-1),
    myTickets: () => d.focus(MY_TICKETS_ID),
    signIn: d.openSignIn,
    openLead: d.openLead,
    redispatchQueue: d.openRedispatch,
    callbackQueue: () => d.openCallbacks?.(),
    webIntakeQueue: () => d.openWebIntake?.(),
    lookup: d.openLookup,
  };
}
