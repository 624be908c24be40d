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
  // A question answered from the knowledge base needs no place; anything dispatched must be placed at least to a district.
  if (!consult && draft.disposition !== '不合理诉求' && !draft.address.districtCode) {
    set('address', draft.address.text.trim() ? '地址未能识别到区，请补充区或街乡镇名称' : '请填写诉求地址（至少到区）');
  }
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
