/**
 * Input standards for a ticket: checked field by field so each message shows at its
 * field, in Chinese. Nothing here changes what was typed; a wrong value blocks submission only.
 */
import type { TicketDraft } from '../domain/ticket';

export type TicketField =
  | 'callerName'
  | 'callerPhone'
  | 'callbackPhone'
  | 'requestType'
  | 'address'
  | 'content'
  | 'leafCode'
  | 'disposition'
  | 'unitCode'
  | 'kbArticleId'
  | 'linkedTicketId'
  | 'unreasonableReason';

export type FieldErrors = Partial<Record<TicketField, string>>;

export const MOBILE = /^1[3-9]\d{9}$/;
/** Landline with area code: 010-12345678, 0755-1234567, with or without the dash. */
export const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
export const MIN_CONTENT_CHARS = 10;

export function normalisePhone(raw: string): string {
  return raw.replace(/[\s()（）]/g, '').replace(/^\+?86-?/, '');
}

export function phoneError(raw: string, label: string): string | null {
  const phone = normalisePhone(raw);
  if (!phone) return `请填写${label}`;
  if (/^1/.test(phone)) return MOBILE.test(phone) ? null : `${label}应为 11 位手机号（1 开头，第二位 3–9）`;
  if (/^0/.test(phone)) return LANDLINE.test(phone) ? null : `${label}应为带区号的固定电话，如 010-12345678`;
  return `${label}格式不正确：手机号 11 位，固话需带区号（如 010-12345678）`;
}

export interface AddressRule {
  /** 'district': the ticket cannot be submitted without at least its district; 'none': the address may stay empty. */
  needs: 'district' | 'none';
  /** What the form says beside the field about the rule, in Chinese. */
  note: string;
  /** The message when the rule is not met, else null. */
  error: string | null;
}

/**
 * The one address rule, for the form to show and for submit to apply: a question answered from the
 * knowledge base (咨询办结) and a 不合理诉求 need no place; anything dispatched or linked must be placed
 * at least to a district. Before a disposition is chosen a 咨询 is taken to be answered at the desk
 * (F7), any other request type to be dispatched.
 */
export function addressRule(draft: Pick<TicketDraft, 'disposition' | 'requestType' | 'address'>): AddressRule {
  const { disposition } = draft;
  const optional = disposition === '咨询办结' || disposition === '不合理诉求' || (!disposition && draft.requestType === '咨询');
  if (optional) {
    const note = disposition === '不合理诉求' ? '不合理诉求可不填地址' : '咨询办结（F7）可不填地址；若要派单需至少到区';
    return { needs: 'none', note, error: null };
  }
  const note = '至少到区：区、街乡镇、社区村、门牌或附近地标';
  if (draft.address.districtCode) return { needs: 'district', note, error: null };
  return { needs: 'district', note, error: draft.address.text.trim() ? '地址未能识别到区，请补充区或街乡镇名称' : '请填写诉求地址（至少到区）' };
}

export function validateDraft(draft: TicketDraft): FieldErrors {
  const errors: FieldErrors = {};
  const set = (field: TicketField, message: string | null) => {
    if (message) errors[field] = message;
  };
  set('callerName', draft.callerName.trim() ? null : '请填写来电人姓名（可填“匿名”）');
  set('callerPhone', phoneError(draft.callerPhone, '来电号码'));
  set('callbackPhone', phoneError(draft.callbackPhone, '回访电话'));
  set('requestType', draft.requestType ? null : '请选择诉求类型');
  const contentLength = [...draft.content.trim()].length;
  set('content', contentLength >= MIN_CONTENT_CHARS ? null : `诉求内容至少 ${MIN_CONTENT_CHARS} 个字（现在 ${contentLength} 个）`);
  const consult = draft.disposition === '咨询办结';
  set('address', addressRule(draft).error);
  if (draft.requestType && ['投诉', '举报', '求助'].includes(draft.requestType) && !draft.leafCode) set('leafCode', '请选择诉求分类');
  if (!draft.disposition) set('disposition', '请选择处理方式');
  if (consult && !draft.kbArticleId) set('kbArticleId', '咨询办结需要选定所依据的知识库文章');
  if ((draft.disposition === '直派' || draft.disposition === '派分中心' || draft.disposition === '派市中心') && !draft.unitCode) {
    set('unitCode', '请选择承办单位');
  }
  if (draft.disposition && draft.disposition !== '咨询办结' && draft.disposition !== '不合理诉求' && !draft.leafCode) {
    set('leafCode', '派单前请选择诉求分类');
  }
  if (draft.disposition === '重复诉求' && !draft.linkedTicketId) set('linkedTicketId', '请选择要关联的原工单');
  if (draft.disposition === '不合理诉求' && [...draft.unreasonableReason.trim()].length < 4) {
    set('unreasonableReason', '请说明不合理的理由（至少 4 个字）');
  }
  return errors;
}

/** A call starts at most a day before its ticket is submitted, and not after it beyond a clock's drift. */
export const MAX_CALL_BEFORE_SUBMIT_MS = 24 * 60 * 60 * 1000;
export const MAX_CALL_AFTER_SUBMIT_MS = 5 * 60 * 1000;

function beijingMinute(ms: number): string {
  return new Date(ms + 8 * 60 * 60 * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Why a call start cannot belong to a ticket submitted at `submittedAt` (a clock at year 0001 or
 * 9999, a draft left from the day before yesterday), or null. The desk refuses such a submit and the
 * hub such a push, with this message.
 */
export function callStartProblem(callStartedAt: string, submittedAt: string | Date): string | null {
  const call = Date.parse(callStartedAt);
  const submitted = typeof submittedAt === 'string' ? Date.parse(submittedAt) : submittedAt.getTime();
  if (Number.isNaN(call)) return `来电时间“${callStartedAt.slice(0, 40)}”不是有效的时间`;
  if (call >= submitted - MAX_CALL_BEFORE_SUBMIT_MS && call <= submitted + MAX_CALL_AFTER_SUBMIT_MS) return null;
  // Years 0001–9999 (Beijing) print as a date; anything beyond is shown as no date at all.
  const shown = call >= Date.parse('0001-01-01T00:00:00Z') && call < Date.parse('9999-12-31T00:00:00Z') ? `（${beijingMinute(call)}）` : '';
  return call > submitted
    ? `来电时间${shown}晚于提交时间，请核对本机时钟后重新建单`
    : `来电时间${shown}早于提交时间一天以上，不能作为本次来电提交；请核对来电时间，或按当前来电重新建单`;
}
