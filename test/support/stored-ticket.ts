/**
 * A ticket row as the tickets repository stores it, for tests and benches that write many tickets
 * straight into the store (no intake, no outbox): what varies is given, the rest is a plain phone
 * call, stamped with the shift of its submit.
 */
import { randomUUID } from 'node:crypto';
import { shiftOfInstant } from '../../electron/services/tickets/ticket-service';
import type { StoredTicket } from '../../electron/services/tickets/tickets-repo';

type Given = Pick<StoredTicket, 'provisionalNumber' | 'operatorId' | 'operatorName' | 'disposition' | 'status' | 'deadlines' | 'leafCode' | 'streetCode' | 'districtCode'> &
  Partial<StoredTicket>;

export function storedTicket(submitted: Date, handlingSeconds: number, given: Given): StoredTicket {
  const { shift, shiftDate } = shiftOfInstant(submitted);
  const submittedAt = submitted.toISOString();
  return {
    id: randomUUID(),
    officialNumber: null,
    shiftCode: shift.code,
    shiftDate,
    callStartedAt: new Date(submitted.getTime() - handlingSeconds * 1000).toISOString(),
    submittedAt,
    channel: '电话',
    callerName: '测试来电人',
    callerPhone: '13900000000',
    callbackPhone: '13900000000',
    requestType: given.disposition === '咨询办结' ? '咨询' : '投诉',
    villageCode: null,
    addressText: '',
    content: '测试诉求内容',
    urgency: '一般',
    unitCode: null,
    kbArticleId: null,
    linkedTicketId: null,
    unreasonableReason: given.disposition === '不合理诉求' ? '诉求超出行政职能' : '',
    updatedAt: submittedAt,
    ...given,
  };
}
