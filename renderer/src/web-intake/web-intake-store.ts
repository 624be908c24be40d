/**
 * 网络渠道待受理 on the desk (Alt+W): submissions from the 网站, 微信, 微博, APP … partners (Open311,
 * server/open311.ts) through the desk (shared/api/web-intake-contract.ts). Each row gets the
 * suggested category and the address reading this desk would make for a call (shared/search/suggest.ts,
 * shared/address/resolve.ts, over renderer/src/reference-store.ts); Enter claims it at the hub and
 * opens it in the intake form, filled in, with its id kept for submit. Online only: offline the desk
 * answers `unavailable` and the view says 需联网.
 */
import { create } from 'zustand';
import type { Open311Pending } from '../../../shared/api/web-intake-contract';
import type { AddressMatch, AddressResolver } from '../../../shared/address/resolve';
import { CHANNELS, type Channel, type TicketDraft } from '../../../shared/domain/ticket';
import type { CatalogueIndex } from '../../../shared/search/catalogue-index';
import { suggestFromContent } from '../../../shared/search/suggest';
import { normalisePhone } from '../../../shared/validation/ticket';
import { api, type DeskApi } from '../bridge';
import { hubQueue, type HubQueueState } from '../hub-queue';

export type RejectKind = '垃圾信息' | '不属本中心受理范围' | '重复';

export interface WebIntakeState extends HubQueueState<Open311Pending> {
  busy: string | null;
  /** Claims the submission at the hub; the claimed row, or null (with the reason in `notice`). */
  take(row: Open311Pending): Promise<Open311Pending | null>;
  reject(row: Open311Pending, kind: RejectKind, note: string, duplicateNumber: string): Promise<boolean>;
}

/** What the queue suggests for a submission: a category (the content's, else the submitter's choice) and a place. */
export interface WebSuggestion {
  leafCode: string | null;
  leafPath: string[];
  /** Where the category comes from. */
  source: '内容推荐' | '提交方所选' | null;
  address: AddressMatch | null;
}

export function suggestionFor(row: Open311Pending, index: CatalogueIndex | null, resolver: AddressResolver | null): WebSuggestion {
  const hits = index ? suggestFromContent(index, row.description, 3) : [];
  const submitted = index?.entries.find((e) => e.code === row.serviceCode) ?? null;
  // The submitter's own choice stands when the content agrees with it; else what the content says.
  const agree = hits.find((h) => h.code === row.serviceCode);
  const hit = agree ?? hits[0] ?? null;
  const leafCode = hit?.code ?? (submitted ? row.serviceCode : null);
  const leafPath = hit?.path ?? (submitted ? [...submitted.path] : []);
  const address = resolver && row.addressString ? resolver.resolve(row.addressString).best : null;
  return { leafCode, leafPath, source: hit && !agree ? '内容推荐' : leafCode ? '提交方所选' : null, address };
}

/** The intake form's fields from a submission: content (and its photo link), place words, contact, channel. */
export function draftPatchOf(row: Open311Pending): Partial<TicketDraft> {
  const channel: Channel = (CHANNELS as readonly string[]).includes(row.channel) ? (row.channel as Channel) : '网络';
  const withMedia = row.mediaUrl ? `${row.description}\n（附图：${row.mediaUrl}）` : row.description;
  const place = row.addressString || (row.lat !== null && row.long !== null ? `（坐标 ${row.lat}, ${row.long}）` : '');
  const phone = row.phone ? normalisePhone(row.phone) : '';
  return {
    channel,
    content: withMedia.length <= 4000 ? withMedia : row.description,
    address: { districtCode: null, streetCode: null, villageCode: null, text: place },
    callerName: row.name.slice(0, 50),
    callerPhone: phone,
    callbackPhone: phone,
  };
}

export function createWebIntakeStore(api: DeskApi) {
  return create<WebIntakeState>((set, get) => ({
    ...hubQueue<Open311Pending>(set, get, () => api.call('webIntake.queue', {})),
    busy: null,
    async take(row) {
      if (get().busy) return null;
      set({ busy: row.id });
      const result = await api.call('webIntake.take', { id: row.id });
      set({ busy: null });
      if (result.ok) return result.value;
      set({ notice: { ok: false, text: result.error.message } });
      if (result.error.kind === 'unavailable') set({ error: result.error });
      await get().load();
      return null;
    },
    async reject(row, kind, note, duplicateNumber) {
      if (get().busy) return false;
      set({ busy: row.id });
      const result = await api.call('webIntake.reject', {
        id: row.id,
        kind,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(kind === '重复' && duplicateNumber.trim() ? { duplicateNumber: duplicateNumber.trim() } : {}),
      });
      set({
        busy: null,
        notice: result.ok
          ? { ok: true, text: `已不予受理（${kind}${result.value.duplicateNumber ? `，关联工单 ${result.value.duplicateNumber}` : ''}）` }
          : { ok: false, text: result.error.message },
      });
      await get().load();
      return result.ok;
    },
  }));
}

export const useWebIntake = createWebIntakeStore(api);
