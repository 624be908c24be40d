/**
 * A desk that syncs with a test hub, driven by hand (no background loop), with a ready-made ticket:
 * a complaint dispatched straight to a street, so every ticket submitted is one the hub takes. Shared
 * by the sync tests (desk-sync, sync-isolation).
 */
import { randomUUID } from 'node:crypto';
import { emptyDraft, type TicketDraft } from '../../shared/domain/ticket';
import { openReadyDesk, value } from '../support/desk';
import { PASSWORD } from './support';

export interface SyncingDeskOptions {
  fetchImpl?: typeof fetch;
  batchSize?: number;
  /** The hub user the desk signs in as. */
  username?: string;
}

/** `url` 'starting': the desk opens while the hub beside it is still starting (connectHub follows). */
export async function syncingDesk(url: string | 'starting', { fetchImpl, batchSize, username = 'taker' }: SyncingDeskOptions = {}) {
  const { desk, api } = await openReadyDesk({
    ...(url === 'starting' ? { hubStarting: true } : { hubUrl: url, hubCredentials: { username, password: PASSWORD } }),
    syncAutoStart: false,
    ...(batchSize ? { syncTiming: { batchSize } } : {}),
    ...(fetchImpl ? { hubFetch: fetchImpl } : {}),
  });
  const ref = desk.reference;
  const leaf = ref.catalogue.all().find((n) => n.level === 3 && n.owner.kind === 'local' && !n.coordination && n.urgency === '一般')!;
  const street = ref.places.all().find((p) => p.level === 'street' && ref.units.streetUnit(p.code))!;
  const unit = ref.units.streetUnit(street.code)!;
  let n = 0;
  const draft = (): TicketDraft => ({
    ...emptyDraft(randomUUID(), new Date().toISOString(), `139${String(10_000_000 + n++).slice(-8)}`),
    callerName: '王先生',
    requestType: '投诉',
    address: { districtCode: street.parentCode, streetCode: street.code, villageCode: null, text: '5号楼北侧' },
    content: '小区门口的路面塌了一个大坑，晚上看不清，已经有人摔倒了，请尽快修复。',
    leafCode: leaf.code,
    disposition: '直派',
    unitCode: unit.code,
  });
  const submit = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(value(await api.call('tickets.submit', { draft: draft() })).id);
    return ids;
  };
  const health = async () => value(await api.call('app.health', {}));
  return { desk, api, submit, health, unit, draft, street, leaf };
}
