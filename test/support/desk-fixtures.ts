/**
 * Real reference data from the bundled files, picked by what a test needs rather than by hard-coded
 * codes, and a complete ticket draft built from it. Nothing here loads the desk's modules (type
 * imports only), so a test that sets the process's zone first (test/unit/lead-service.test.ts) can
 * import it statically.
 */
import { randomUUID } from 'node:crypto';
import type { CatalogueNode } from '../../shared/domain/catalogue';
import type { Place, Unit } from '../../shared/domain/places';
import { emptyDraft, type TicketDraft } from '../../shared/domain/ticket';
import type { ReferenceData } from '../../electron/services/reference/reference-data';

export interface Fixtures {
  /** A 一般 leaf handled by the street (属地), needing no coordination. */
  localLeaf: CatalogueNode;
  /** Another 属地 一般 leaf, for duplicates by place. */
  otherLocalLeaf: CatalogueNode;
  /** A 水电气热-type leaf (即时). */
  instantLeaf: CatalogueNode;
  level2Code: string;
  district: Place;
  /** A street with its own unit and at least two villages. */
  street: Place;
  village: Place;
  otherVillage: Place;
  /** A street in another district. */
  foreignStreet: Place;
  streetUnit: Unit;
  subcenter: Unit;
  cityCenter: Unit;
  department: Unit;
  article: { id: string; title: string };
}

/** Picks the fixtures from a desk's loaded reference data; throws naming anything the bundled data lacks. */
export function bundledFixtures(ref: ReferenceData): Fixtures {
  const nodes = ref.catalogue.all();
  const local = nodes.filter((n) => n.level === 3 && n.owner.kind === 'local' && n.urgency === '一般' && !n.coordination);
  const places = ref.places.all();
  const streets = places.filter((p) => p.level === 'street');
  const villages = places.filter((p) => p.level === 'village');
  const street = streets.find((s) => ref.units.streetUnit(s.code) && villages.filter((v) => v.parentCode === s.code).length >= 2)!;
  const [village, otherVillage] = villages.filter((v) => v.parentCode === street.code);
  const district = places.find((p) => p.code === street.parentCode)!;
  const units = ref.units.all();
  const kb = ref.kb.get('KB0001')!;
  const fx: Fixtures = {
    localLeaf: local[0]!,
    otherLocalLeaf: local[1]!,
    instantLeaf: nodes.find((n) => n.level === 3 && n.urgency === '即时')!,
    level2Code: nodes.find((n) => n.level === 2)!.code,
    district,
    street,
    village: village!,
    otherVillage: otherVillage!,
    foreignStreet: streets.find((s) => s.parentCode !== district.code)!,
    streetUnit: ref.units.streetUnit(street.code)!,
    subcenter: ref.units.subcenter(district.code)!,
    cityCenter: units.find((u) => u.kind === 'city_center')!,
    department: units.find((u) => u.kind === 'department')!,
    article: { id: kb.id, title: kb.title },
  };
  for (const [name, item] of Object.entries(fx)) if (!item) throw new Error(`bundled data has no ${name}`);
  return fx;
}

let phoneSerial = 0;
/** A fresh valid mobile number per call, so tests do not see each other's tickets by phone. */
export const newPhone = () => `139${String(++phoneSerial).padStart(8, '0')}`;

/**
 * A complete 直派 complaint about a street-handled problem at the fixtures' village, from a fresh
 * phone number, whose call started at `callStartedAt`.
 */
export function draftFor(fx: Fixtures, callStartedAt: Date, over: Partial<TicketDraft> = {}): TicketDraft {
  return {
    ...emptyDraft(randomUUID(), callStartedAt.toISOString(), newPhone()),
    callerName: '张女士',
    requestType: '投诉',
    address: { districtCode: fx.district.code, streetCode: fx.street.code, villageCode: fx.village.code, text: '3号楼东侧路口' },
    content: '小区门口的路面塌了一个大坑，晚上没有路灯，已经有老人摔倒了，希望尽快修好。',
    leafCode: fx.localLeaf.code,
    disposition: '直派',
    unitCode: fx.streetUnit.code,
    ...over,
  };
}
