/**
 * Reference data in the renderer: the catalogue search index (built once from stored entries, and
 * rebuilt when a new catalogue version arrives) and the places for live address resolution.
 */
import { create } from 'zustand';
import type { ReferenceStatus } from '../../shared/api/contract';
import { createAddressResolver } from '../../shared/address/resolve';
import { createCatalogueIndex } from '../../shared/search/catalogue-index';
import type { AppError } from '../../shared/result';
import { api } from './bridge';

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
  error: AppError | null;
  setStatus(status: ReferenceStatus): void;
  load(): Promise<void>;
}

export const useReference = create<ReferenceState>((set, get) => ({
  status: null,
  catalogueVersion: null,
  counts: null,
  index: null,
  indexBuildMs: null,
  placesVersion: null,
  resolver: null,
  error: null,
  setStatus(status) {
    set({ status });
    const catalogue = status.versions.find((v) => v.kind === 'catalogue')?.version ?? null;
    const places = status.versions.find((v) => v.kind === 'places')?.version ?? null;
    if (status.state === 'ready' && (catalogue !== get().catalogueVersion || places !== get().placesVersion)) void get().load();
  },
  async load() {
    const [catalogue, places] = await Promise.all([api.call('catalogue.index', {}), api.call('places.list', {})]);
    if (!catalogue.ok) return set({ error: catalogue.error });
    if (!places.ok) return set({ error: places.error });
    const started = performance.now();
    const index = createCatalogueIndex(catalogue.value.entries);
    const indexBuildMs = performance.now() - started;
    set({
      catalogueVersion: catalogue.value.version,
      counts: catalogue.value.counts,
      index,
      indexBuildMs,
      placesVersion: places.value.version,
      resolver: createAddressResolver(places.value.places),
      error: null,
    });
  },
}));
