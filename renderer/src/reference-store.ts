/**
 * Reference data in the renderer: the catalogue search index (built once from stored entries, and
 * rebuilt when a new catalogue version arrives) and the places for live address resolution.
 */
import { create } from 'zustand';
import type { ReferenceStatus } from '../../shared/api/contract';
import type { UnitLookup } from '../../shared/dispatch/suggest';
import type { Place, Unit } from '../../shared/domain/places';
import { createAddressResolver } from '../../shared/address/resolve';
import { createCatalogueIndex } from '../../shared/search/catalogue-index';
import { loadModel } from '../../shared/learn/serialize';
import type { LearnedModel } from '../../shared/learn/model';
import { api, type DeskApi } from './bridge';
import type { AppError } from './notice';

type CatalogueIndex = ReturnType<typeof createCatalogueIndex>;
type AddressResolver = ReturnType<typeof createAddressResolver>;

export interface ReferenceState {
  status: ReferenceStatus | null;
  catalogueVersion: string | null;
  counts: { level1: number; level2: number; level3: number } | null;
  index: CatalogueIndex | null;
  indexBuildMs: number | null;
  placesVersion: string | null;
  resolver: AddressResolver | null;
  units: Unit[];
  places: Map<string, Place>;
  unitLookup: UnitLookup | null;
  error: AppError | null;
  /** The learned suggester's model the hub last published (shared/learn/), null while the desk has none. */
  learned: LearnedModel | null;
  learnedVersion: string | null;
  /** How long parsing the model took here (ms), for 本机状态 and the bench. */
  learnedLoadMs: number | null;
  /** Asks the desk for its model when it has another version than the one loaded. */
  loadLearned(): Promise<void>;
  /** Asks the desk where its reference data stands (at start; later it arrives as an event). */
  loadStatus(): Promise<void>;
  setStatus(status: ReferenceStatus): void;
  load(): Promise<void>;
}

/** Where the store starts: no status asked yet, no index, no places, no units. */
function nothingLoaded() {
  return { status: null, catalogueVersion: null, counts: null, index: null, indexBuildMs: null, placesVersion: null, resolver: null, units: [], places: new Map(), unitLookup: null, error: null, learned: null, learnedVersion: null, learnedLoadMs: null } satisfies Partial<ReferenceState>;
}

export function createReferenceStore(api: DeskApi) {
  return create<ReferenceState>((set, get) => ({
    ...nothingLoaded(),
    async loadStatus() {
      const status = await api.call('reference.status', {});
      if (status.ok) get().setStatus(status.value);
    },
    setStatus(status) {
      set({ status });
      const catalogue = status.versions.find((v) => v.kind === 'catalogue')?.version ?? null;
      const places = status.versions.find((v) => v.kind === 'places')?.version ?? null;
      if (status.state === 'ready' && (catalogue !== get().catalogueVersion || places !== get().placesVersion)) void get().load();
      // A new model arrives with the same event as new reference data (the sync client's onReference).
      else if (status.state === 'ready') void get().loadLearned();
    },
    async loadLearned() {
      const have = get().learnedVersion;
      const result = await api.call('suggest.model', { have });
      if (!result.ok || result.value.version === have) return;
      if (result.value.version === null || result.value.content === null) return set({ learned: null, learnedVersion: null, learnedLoadMs: null });
      const started = performance.now();
      const model = loadModel(result.value.content);
      // A model that does not read leaves the desk as it was: keyword suggestions (and the model before, if any).
      if (!model.ok) return;
      set({ learned: model.value, learnedVersion: result.value.version, learnedLoadMs: performance.now() - started });
      document.documentElement.dataset.learnedModel = result.value.version;
    },
    async load() {
      const [catalogue, places, units] = await Promise.all([api.call('catalogue.index', {}), api.call('places.list', {}), api.call('units.list', {})]);
      if (!catalogue.ok) return set({ error: catalogue.error });
      if (!places.ok) return set({ error: places.error });
      if (!units.ok) return set({ error: units.error });
      const started = performance.now();
      const index = createCatalogueIndex(catalogue.value.entries);
      const indexBuildMs = performance.now() - started;
      set({
        catalogueVersion: catalogue.value.version,
        counts: catalogue.value.counts,
        index,
        indexBuildMs,
        placesVersion: places.value.version,
        resolver: createAddressResolver(places.value.places, places.value.landmarks),
        units: units.value,
        places: new Map(places.value.places.map((p) => [p.code, p])),
        unitLookup: unitLookupOf(units.value),
        error: null,
      });
      await get().loadLearned();
      // Tests and scripts wait for this signal: search, address resolution and dispatch can run now.
      document.documentElement.dataset.referenceReady = 'true';
    },
  }));
}

export const useReference = createReferenceStore(api);

/** The unit directory as the dispatch rule asks it. */
export function unitLookupOf(units: readonly Unit[]): UnitLookup {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const byStreet = new Map(units.filter((u) => u.kind === 'street' && u.placeCode).map((u) => [u.placeCode!, u]));
  const subcenters = new Map(units.filter((u) => u.kind === 'subcenter' && u.districtCode).map((u) => [u.districtCode!, u]));
  const city = units.find((u) => u.kind === 'city_center') ?? { code: 'CITY', name: '北京市12345市民服务热线中心', kind: 'city_center', districtCode: null, placeCode: null, duties: '跨区、区属不明诉求的协调派单与督办' };
  return {
    streetUnit: (code) => byStreet.get(code) ?? null,
    subcenter: (code) => subcenters.get(code) ?? null,
    get: (code) => byCode.get(code) ?? null,
    cityCenter: () => city,
  };
}
