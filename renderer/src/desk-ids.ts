/** The desk's element ids that keys and messages move the focus to, and the order fields are checked in. */
import type { TicketField } from '../../shared/validation/ticket';

export const FIELD_ID: Record<TicketField, string> = {
  callerPhone: 'f-caller-phone',
  callerName: 'f-caller-name',
  callbackPhone: 'f-callback-phone',
  requestType: 'f-request-type',
  address: 'f-address',
  content: 'f-content',
  leafCode: 'catalogue-search',
  disposition: 'disposition-panel',
  unitCode: 'disposition-panel',
  kbArticleId: 'kb-search',
  linkedTicketId: 'related-list',
  unreasonableReason: 'f-unreasonable',
};

/** The order fields are checked in when a submit is refused: focus goes to the first one at fault. */
export const FIELD_ORDER: TicketField[] = [
  'callerPhone',
  'callerName',
  'callbackPhone',
  'requestType',
  'address',
  'content',
  'leafCode',
  'disposition',
  'unitCode',
  'kbArticleId',
  'linkedTicketId',
  'unreasonableReason',
];

export const KB_INPUT_ID = FIELD_ID.kbArticleId;
export const MY_TICKETS_ID = 'my-tickets';

export function focusElement(id: string): void {
  const element = document.getElementById(id);
  if (element instanceof HTMLElement) element.focus();
}

export function focusField(field: TicketField): void {
  focusElement(FIELD_ID[field]);
}
