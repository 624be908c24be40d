/**
 * Address resolution from what a caller says: "平谷熊儿寨魏家湾村" → 平谷区 / 熊儿寨乡 / 魏家湾村.
 * It runs on every keystroke of the address field, so the work per call is bounded by the length of
 * the text, never by the number of places (≈ 0.01 ms typical, well under 1 ms for 200 characters).
 *
 * How it works
 * 1. Build (once per places version): each place is indexed by its core — the name without its
 *    administrative suffix ("朝阳", "后沙峪", "魏家湾") — plus the few names no core + suffix spells
 *    ("张镇", "大兴国际机场", "经开区", "崇文"). Aliases are bucketed by their first two characters,
 *    so a call compares each text position only with the few aliases that can start there.
 * 2. Scan: every alias occurrence is a hit. A core followed by a suffix the caller said is extended
 *    over it: "后沙峪镇" finds 后沙峪地区 (the 地区 were 乡镇), "魏家湾村委会" the village. A hit lying
 *    strictly inside a longer hit is dropped (longest match): "朝阳门" is the 东城 street, not 朝阳区
 *    plus a stray "门". A bare core glued to an ordinary word ("光明正大") counts for less. A name the
 *    text stops inside ("平谷熊儿", still typing) or shortens ("草桥欣园" for 草桥欣园第一社区) is a weak
 *    partial hit, so typing shows completions.
 * 3. Readings: each place that was hit defines one chain 区 → 街道 → 社区/村 (from the tree, so it is
 *    always consistent). Its score is the sum of the qualities of the hits it can use, one per level,
 *    without overlap. Evidence at two levels backs each other: a bare two-character village core
 *    ("西山") is only believed inside its own district or street.
 * 4. Confidence: readings are weighted by exp(K·score); the share of a place is the weight of all
 *    readings at or below it. Confidence = share × strength, where strength grows with the hits' own
 *    quality. The best reading is the top-scoring one when it holds most of the weight; when the top
 *    readings disagree (a name found in several districts) the best is their common street or
 *    district when that holds a clear majority, and nothing otherwise — the desk then shows the
 *    candidates instead of guessing. A best below MIN_CONFIDENCE is withheld the same way.
 *
 * Landmarks (shared/address/landmarks.ts: "西单", "国贸", "鸟巢") are names of the street or district
 * they lie in, believed about as well as a street's own core; the reading carries the landmark said,
 * and a street known only from a landmark is never surer than 0.9 ("西单附近" may be over the line).
 * A reading that stops at the district is never presented as precise: its confidence is halved, so
 * it stays below 0.5 however sure the district is (whether it is offered as best is decided on the
 * full value), and `needsStreet` tells the desk to ask for the street or a landmark.
 *
 * Pure TypeScript (shared/): no Node, no DOM; the renderer builds it from the places it already has.
 */
import type { Place } from '../domain/places';
import type { Landmark, LandmarkKind } from './landmarks';

/** The landmark a reading rests on: "西单" said, 商圈. */
export interface MatchedLandmark {
  name: string;
  kind: LandmarkKind;
  /** The words the caller used: the name or one of its aliases. */
  said: string;
  note: string;
}

export interface AddressMatch {
  district: Place;
  street: Place | null;
  village: Place | null;
  /** 0..1: how likely this reading is the caller's place, given the text. */
  confidence: number;
  /** The part of the input that was recognised, from the first to the last hit used. */
  matchedText: string;
  /** What follows the recognised part (house number, landmark), separators trimmed. */
  rest: string;
  /** The landmark of the gazetteer this reading rests on, if the caller named one. */
  landmark: MatchedLandmark | null;
}

export interface AddressResolution {
  /** Null when nothing was recognised, the readings disagree, or the evidence is too weak to act on. */
  best: AddressMatch | null;
  /** Distinct readings, most likely first; `best` may be their common ancestor instead of one of them. */
  candidates: AddressMatch[];
}

export interface AddressResolver {
  resolve(text: string, limit?: number): AddressResolution;
}

/**
 * True when the reading knows the district but not the street: the call-taker should ask for the
 * street or a landmark near the place (the street unit handles most leaves, the district cannot).
 */
export function needsStreet(reading: Pick<AddressMatch, 'district' | 'street'> | null): boolean {
  return reading !== null && reading.street === null;
}

/** How sure a reading is, for display: "仅到区" for a district-only reading, never a percentage. */
export function confidenceLabel(reading: Pick<AddressMatch, 'street' | 'confidence'>): string {
  return reading.street === null ? '仅到区' : `把握 ${Math.round(reading.confidence * 100)}%`;
}

/** The note beside a reading: "地标 西单 · 把握 90%", "地标 鸟巢 · 仅到区", "把握 97%". */
export function readingNote(reading: Pick<AddressMatch, 'street' | 'confidence' | 'landmark'>): string {
  return (reading.landmark ? `地标 ${reading.landmark.name} · ` : '') + confidenceLabel(reading);
}

/** "平谷区 / 熊儿寨乡 / 魏家湾村": the spoken names, for display. */
export function formatAddressMatch(match: Pick<AddressMatch, 'district' | 'street' | 'village'>): string {
  return [match.district, match.street, match.village]
    .filter((p): p is Place => p !== null)
    .map((p) => p.shortName || p.name)
    .join(' / ');
}

// ---------------------------------------------------------------------------------------------
// Tuning. Qualities are per hit; a reading's score is their sum, so one more consistent level of
// evidence always outweighs a better-quality single hit.

/** Weight sharpness: a score lead of 0.1 gives ≈ 65 % of the weight, a lead of one hit ≈ 99.7 %. */
const K = 6;
/** The best reading must hold more than this share of the weight, or we back off to its ancestor. */
const MIN_SHARE = 0.55;
/** An ancestor stands in for disagreeing readings only when it holds a clear majority of the weight. */
const BACKOFF_SHARE = 0.7;
/** Below this a reading is not offered as the best at all, only as a candidate. */
const MIN_CONFIDENCE = 0.5;
/** A district-only reading's confidence is scaled by this, so it is always below MIN_CONFIDENCE. */
const DISTRICT_ONLY_FACTOR = 0.5;
/**
 * A street known only from a landmark ("西单附近") is never surer than this, however sure the district
 * said beside it: the caller may be just across the street's boundary.
 */
const LANDMARK_STREET_MAX = 0.9;
const DEFAULT_LIMIT = 5;
/** A name cut short in the middle of the text must keep this many characters to count. */
const MIN_PARTIAL_MIDDLE = 4;
/** Longer input is someone pasting the whole complaint; places are said near the start. */
const MAX_SCAN = 200;

interface Quality {
  /** When this hit is the reading's only evidence. 0 = not believed alone. */
  alone: number;
  /** When a hit at another level of the same chain backs it. */
  backed: number;
}

const Q = {
  districtName: { alone: 1, backed: 1 }, // 朝阳区
  districtCore: { alone: 0.9, backed: 0.9 }, // 朝阳
  districtCounty: { alone: 0.95, backed: 0.95 }, // 密云县: the county became a district; older callers say 县
  districtFormer: { alone: 0.85, backed: 0.85 }, // 崇文 (→ 东城), 宣武 (→ 西城), merged in 2010
  streetName: { alone: 1, backed: 1 }, // 望京街道
  streetOtherSuffix: { alone: 0.92, backed: 0.95 }, // 后沙峪镇 for 后沙峪地区 (地区 were 乡镇)
  streetAlias: { alone: 0.9, backed: 0.95 }, // 经开区
  streetCoreLong: { alone: 0.85, backed: 0.9 }, // 学院路, 熊儿寨
  streetCoreShort: { alone: 0.75, backed: 0.85 }, // 望京: two characters are often part of other words
  villageName: { alone: 0.85, backed: 0.95 }, // 魏家湾村, 多福巷社区
  villageNameShort: { alone: 0.6, backed: 0.95 }, // 东村: three characters or fewer
  villageOtherSuffix: { alone: 0.6, backed: 0.8 }, // 老君堂村 said for 老君堂社区: a street often has both
  villageCoreLong: { alone: 0.65, backed: 0.85 }, // 魏家湾
  villageCoreShort: { alone: 0, backed: 0.75 }, // 西山: only inside its own district or street
  landmarkStreet: { alone: 0.9, backed: 0.95 }, // 西单 → 西长安街街道
  landmarkDistrict: { alone: 0.9, backed: 0.9 }, // 鸟巢 → 朝阳区 (spans streets)
} satisfies Record<string, Quality>;

/**
 * Suffixes a caller may put after a core, longest first. A core + suffix that spells the official or
 * spoken name scores as the name; any other suffix ("后沙峪镇" for 后沙峪地区) scores a little lower.
 * Every official name in the data is a core plus one of these, so the names need no aliases of their own.
 */
const DISTRICT_SUFFIXES = ['区', '县'];
const STREET_SUFFIXES = ['街道办事处', '地区办事处', '街道办', '回族乡', '满族乡', '街道', '地区', '办事处', '镇', '乡'];
const VILLAGE_SUFFIXES = ['社区居民委员会', '社区居委会', '村民委员会', '居民委员会', '居委会', '村委会', '生活区', '社区', '村'];

/** Administrative suffixes stripped to find a core. */
const DISTRICT_CORE_SUFFIXES = ['区'];
const STREET_CORE_SUFFIXES = ['回族乡', '满族乡', '街道', '地区', '镇', '乡'];
const VILLAGE_CORE_SUFFIXES = ['生活区', '社区', '村'];

/** Names the data does not hold but callers use. Keyed by official name; ignored when absent. */
const DISTRICT_ALIASES: Record<string, Array<[string, Quality]>> = {
  东城区: [['崇文', Q.districtFormer]],
  西城区: [['宣武', Q.districtFormer]],
  通州区: [['通县', Q.districtCounty]],
};
const STREET_ALIASES: Record<string, string[]> = {
  北京经济技术开发区: ['经济技术开发区', '经开区', '亦庄开发区'],
  北京雁栖经济开发区: ['雁栖开发区'],
  中关村国家自主创新示范区大兴生物医药产业基地: ['生物医药基地'],
  大兴国际机场: ['大兴机场'],
  中关村科技园区密云园: ['密云园'],
};

/** Words callers put next to a place ("我住在望京那边", "北京朝阳"), which do not glue a core to a word. */
const LEFT_FILLERS = new Set([...'在住是的到去了从往于近靠那这京市和与跟及们家边里我俺咱']);
const RIGHT_FILLERS = new Set([...'那这边的附近里一带周旁呢吧啊呀啦哪儿']);
const GLUED_ALONE = 0.6;
const GLUED_BACKED = 0.9;
/**
 * A two-character landmark glued to the word before it is usually the tail of another word
 * ("中国贸易", "东北大学"): weaker than a glued core, below MIN_CONFIDENCE alone. The word after it
 * does not glue it: callers go on with what is there ("国贸桥", "西单地铁站", "国贸上班"); the few
 * longer words that only begin with a landmark's name are LANDMARK_STOPS.
 */
const LANDMARK_GLUED_ALONE = 0.5;
/** Longer words that begin with a landmark's name and mean something else: "东四北大街", "3号楼西单元". */
const LANDMARK_STOPS = ['北大街', '北大荒', '西单元', '东单元', '西四环', '清华东路', '清华西路', '天安门西'];

/** Characters trimmed from the start of `rest`. */
const LEADING_SEPARATORS = /^[\s,，、。；;:：\-—~～]+/;

// ---------------------------------------------------------------------------------------------

interface PlaceNode {
  place: Place;
  depth: 0 | 1 | 2;
  parent: PlaceNode | null;
  /** Filled by chainOf() the first time the place is hit. */
  chain: PlaceNode[] | null;
}

interface Alias {
  text: string;
  node: PlaceNode;
  quality: Quality;
  /** Suffixes that extend the hit when the caller said one. */
  suffixes: readonly string[] | null;
  /** The place's own name or core (not a former or informal name): a suffix may make it the full name. */
  own: boolean;
  /** A core with its administrative suffix stripped ("望京", "魏家湾"): weaker when glued to a word. */
  bare: boolean;
  landmark: LandmarkEntry | null;
}

interface LandmarkEntry {
  name: string;
  kind: LandmarkKind;
  note: string;
}

interface Hit {
  node: PlaceNode;
  start: number;
  end: number;
  quality: Quality;
  partial: boolean;
  /** A bare core, no suffix said. */
  bare: boolean;
  /** The landmark and the words said for it, when the hit is a landmark's name. */
  landmark: { entry: LandmarkEntry; said: string } | null;
}

interface Reading {
  node: PlaceNode;
  score: number;
  strength: number;
  start: number;
  end: number;
}

/**
 * Bucket key of the two characters at i. Kept below 2^30 so V8 stores it as a small integer, not a
 * heap number: the high bits of the first character are dropped, and the rare collision that causes
 * only puts a few extra aliases in a bucket (every alias is compared in full anyway).
 */
const charKey = (text: string, i: number): number => ((text.charCodeAt(i) & 0x3fff) << 16) | text.charCodeAt(i + 1);

const compareCodes = (a: PlaceNode, b: PlaceNode): number => (a.place.code < b.place.code ? -1 : a.place.code > b.place.code ? 1 : 0);

function stripSuffix(name: string, suffixes: readonly string[]): string | null {
  for (const suffix of suffixes) if (name.length > suffix.length && name.endsWith(suffix)) return name.slice(0, -suffix.length);
  return null;
}

/**
 * Builds the resolver over a places table (any order). Places whose parent is missing or of the
 * wrong level are left out: they could never form a consistent chain.
 */
export function createAddressResolver(places: readonly Place[], landmarks: readonly Landmark[] = []): AddressResolver {
  const nodes = new Map<string, PlaceNode>();
  const buckets = new Map<number, Alias[]>();
  const add: AddAlias = (text, node, quality, suffixes, kind, landmark = null) => {
    if (text.length < 2) return; // one character is never a place on its own ("张镇" keeps its full name)
    const key = charKey(text, 0);
    const bucket = buckets.get(key);
    const alias: Alias = {
      text,
      node,
      quality,
      suffixes,
      own: kind === 'core' || kind === 'name',
      // A two-character landmark is weighed like a bare core when glued to a word.
      bare: kind === 'core' || (kind === 'landmark' && text.length === 2),
      landmark,
    };
    if (bucket) bucket.push(alias);
    else buckets.set(key, [alias]);
  };

  // Children need their parent's node. The bundled table is in code order (parents first), so one
  // pass does it; rows that come before their parent wait for the next pass. No sort: sorting 7,900
  // codes costs more than the whole build.
  let pending: readonly Place[] = places;
  for (let pass = 0; pass < 3 && pending.length > 0; pass++) {
    const later: Place[] = [];
    for (const place of pending) {
      const depth = place.level === 'district' ? 0 : place.level === 'street' ? 1 : 2;
      let parent: PlaceNode | null = null;
      if (depth > 0) {
        const found = place.parentCode === null ? undefined : nodes.get(place.parentCode);
        if (found === undefined) {
          later.push(place);
          continue;
        }
        if (found.depth !== depth - 1) continue;
        parent = found;
      }
      const node: PlaceNode = { place, depth, parent, chain: null };
      nodes.set(place.code, node);
      addAliases(node, add);
    }
    pending = later;
  }
  addLandmarks(landmarks, nodes, add);

  return {
    resolve(text: string, limit = DEFAULT_LIMIT): AddressResolution {
      const input = text.trim();
      const hits = scan(input, buckets);
      return decide(input, hits, Math.max(0, limit));
    },
  };
}

type AddAlias = (
  text: string,
  node: PlaceNode,
  quality: Quality,
  suffixes: readonly string[] | null,
  kind: 'core' | 'name' | 'informal' | 'landmark',
  landmark?: LandmarkEntry | null,
) => void;

/**
 * Each landmark's name and aliases, as names of its street (or of its district when no street is
 * given). A landmark whose district or street the places do not hold is left out: the places may be
 * a newer version than the gazetteer, and a wrong street is worse than none.
 */
function addLandmarks(landmarks: readonly Landmark[], nodes: Map<string, PlaceNode>, add: AddAlias): void {
  if (landmarks.length === 0) return;
  const byName = new Map<string, PlaceNode>();
  for (const node of nodes.values()) {
    if (node.depth === 0) byName.set(node.place.name, node);
    else if (node.depth === 1) byName.set(`${node.parent!.place.name}|${node.place.name}`, node);
  }
  for (const landmark of landmarks) {
    const node = byName.get(landmark.street ? `${landmark.district}|${landmark.street}` : landmark.district);
    if (node === undefined) continue;
    const entry: LandmarkEntry = { name: landmark.name, kind: landmark.kind, note: landmark.note };
    const quality = node.depth === 0 ? Q.landmarkDistrict : Q.landmarkStreet;
    for (const text of [landmark.name, ...landmark.aliases]) add(text, node, quality, null, 'landmark', entry);
  }
}

/**
 * The names a caller may use for one place: normally just its core, which the scan extends with the
 * suffix said. Names that are not a core + suffix ("张镇": a one-character core; "北京经济技术开发区")
 * are added whole.
 */
function addAliases(node: PlaceNode, add: AddAlias): void {
  const { name } = node.place;
  const spoken = node.place.shortName || name;
  if (node.depth === 2) {
    // The bulk (7,500 rows), kept to a few string operations: the build runs cold, in the
    // interpreter, and every operation here costs 7,500 times. Spoken names always end in 村, 社区 or
    // 生活区 (scripts/build-places.mjs), so core + suffix spells them.
    const cut = spoken.endsWith('村') ? 1 : spoken.endsWith('社区') ? 2 : spoken.endsWith('生活区') ? 3 : 0;
    if (cut > 0 && spoken.length - cut >= 2) {
      const core = spoken.slice(0, spoken.length - cut);
      add(core, node, core.length >= 3 ? Q.villageCoreLong : Q.villageCoreShort, VILLAGE_SUFFIXES, 'core');
    } else add(spoken, node, nameQuality(node), VILLAGE_SUFFIXES, 'name');
    return;
  }
  let core: string | null;
  let suffixes: readonly string[];
  if (node.depth === 0) {
    suffixes = DISTRICT_SUFFIXES;
    core = stripSuffix(name, DISTRICT_CORE_SUFFIXES);
    if (core) add(core, node, Q.districtCore, suffixes, 'core');
    for (const [alias, quality] of DISTRICT_ALIASES[name] ?? []) add(alias, node, quality, suffixes, 'informal');
  } else {
    suffixes = STREET_SUFFIXES;
    core = stripSuffix(name, STREET_CORE_SUFFIXES);
    if (core) add(core, node, core.length >= 3 ? Q.streetCoreLong : Q.streetCoreShort, suffixes, 'core');
    for (const alias of STREET_ALIASES[name] ?? []) add(alias, node, Q.streetAlias, null, 'informal');
  }
  // Names the core + a suffix cannot spell: a one-character core ("张镇"), no suffix ("大兴国际机场").
  const derivable = (said: string) => core !== null && core.length >= 2 && said.startsWith(core) && suffixes.includes(said.slice(core.length));
  if (!derivable(spoken)) add(spoken, node, nameQuality(node), null, 'name');
  if (name !== spoken && !derivable(name)) add(name, node, nameQuality(node), null, 'name');
}

/** [district, street?, village?] from the top, the node itself last; computed for hit places only. */
function chainOf(node: PlaceNode): PlaceNode[] {
  if (node.chain === null) node.chain = node.parent === null ? [node] : [...chainOf(node.parent), node];
  return node.chain;
}

/** Every alias occurrence, longest-match filtered and glue-weighted, plus partial hits. */
function scan(text: string, buckets: Map<number, Alias[]>): Hit[] {
  const n = Math.min(text.length, MAX_SCAN);
  const whole: Hit[] = [];
  const partial: Hit[] = [];
  for (let i = 0; i + 1 < n; i++) {
    const bucket = buckets.get(charKey(text, i));
    if (!bucket) continue;
    const remaining = n - i;
    for (const alias of bucket) {
      if (alias.text.length <= remaining && text.startsWith(alias.text, i)) {
        const coreEnd = i + alias.text.length;
        let end = coreEnd;
        let quality = alias.quality;
        if (alias.suffixes) {
          // Two rounds: "牌坊村村委会" is core + 村 + 村委会.
          for (let round = 0; round < 2; round++) {
            const suffix = alias.suffixes.find((x) => text.startsWith(x, end) && end + x.length <= n);
            if (suffix === undefined) break;
            end += suffix.length;
          }
          if (end > coreEnd && alias.own) quality = suffixedQuality(alias.node, text.slice(i, end));
        }
        if (alias.landmark && LANDMARK_STOPS.some((stop) => stop.startsWith(alias.text) && text.startsWith(stop, i))) continue;
        whole.push({
          node: alias.node,
          start: i,
          end,
          quality,
          partial: false,
          bare: alias.bare && end === coreEnd,
          landmark: alias.landmark ? { entry: alias.landmark, said: alias.text } : null,
        });
      } else {
        // The text stops inside this name ("平谷熊儿", typing) or says only the start of a long one
        // ("草桥欣园" for 草桥欣园第一社区): offer it, weakly.
        const said = commonPrefix(alias.text, text, i, n);
        const atEnd = i + said === n;
        if (said < alias.text.length && (said >= MIN_PARTIAL_MIDDLE || (atEnd && said >= 2))) {
          const fraction = said / alias.text.length;
          partial.push({
            node: alias.node,
            start: i,
            end: i + said,
            quality: { alone: said >= 3 ? 0.3 + 0.3 * fraction : 0, backed: 0.35 + 0.35 * fraction },
            partial: true,
            bare: false,
            landmark: null,
          });
        }
      }
    }
  }

  // Longest match: a hit strictly inside another whole hit is part of that longer name — except a
  // village inside a landmark of its own street or district ("慕田峪长城" is at 慕田峪村), kept so the
  // reading can name it.
  const kept: Hit[] = [];
  for (const hit of whole) {
    const inside = whole.some(
      (o) =>
        o !== hit &&
        o.start <= hit.start &&
        o.end >= hit.end &&
        o.end - o.start > hit.end - hit.start &&
        !(o.landmark && hit.node.depth === 2 && chainOf(hit.node).includes(o.node)),
    );
    if (!inside) kept.push(hit);
  }
  // A bare core glued to the word before it is often the tail of another name: "百万庄新村" is a
  // compound in 西城, not 丰台's 新村街道. A bare two-character core glued to the word after it is
  // often the head of an ordinary word: "光明正大", "新华书店", "胜利路". Neither counts as glued
  // next to a place name, punctuation, or a filler word ("我住在望京那边").
  const starts = new Set(kept.map((h) => h.start));
  const ends = new Set(kept.map((h) => h.end));
  for (let k = 0; k < kept.length; k++) {
    const hit = kept[k]!;
    if (!hit.bare) continue;
    const left = hit.start > 0 && !ends.has(hit.start) && isWordChar(text, hit.start - 1, LEFT_FILLERS);
    const right =
      hit.end - hit.start === 2 &&
      hit.end < n &&
      !starts.has(hit.end) &&
      isWordChar(text, hit.end, RIGHT_FILLERS) &&
      hit.landmark === null;
    if (!left && !right) continue;
    const glued = hit.landmark ? LANDMARK_GLUED_ALONE : GLUED_ALONE;
    const alone = hit.quality.alone * (left ? glued : 1) * (right ? glued : 1);
    kept[k] = { ...hit, quality: { alone, backed: hit.quality.backed * (left ? GLUED_BACKED : 1) } };
  }
  for (const hit of partial) {
    // A completion of a place already said in full, or inside a longer whole hit, adds nothing.
    const covered = kept.some(
      (o) => o.start <= hit.start && o.end >= hit.end && (o.node === hit.node || o.end - o.start > hit.end - hit.start),
    );
    if (!covered) kept.push(hit);
  }
  return dedupe(kept);
}

/** How many characters of `alias` the text spells from position i (bucket keys can collide, so from 0). */
function commonPrefix(alias: string, text: string, i: number, n: number): number {
  let k = 0;
  while (k < alias.length && i + k < n && alias.charCodeAt(k) === text.charCodeAt(i + k)) k++;
  return k;
}

/** Core + the suffix said: the name's quality when it spells the official or spoken name. */
function suffixedQuality(node: PlaceNode, said: string): Quality {
  const { name, shortName } = node.place;
  if (said.startsWith(name) || said === shortName || name.startsWith(said)) return nameQuality(node);
  if (node.depth === 0) return Q.districtCounty;
  if (node.depth === 1) return Q.streetOtherSuffix;
  return Q.villageOtherSuffix;
}

/** A Chinese character that is not a filler word: part of whatever word the core touches. */
function isWordChar(text: string, at: number, fillers: ReadonlySet<string>): boolean {
  const code = text.charCodeAt(at);
  return code >= 0x3400 && code <= 0x9fff && !fillers.has(text[at]!);
}

function nameQuality(node: PlaceNode): Quality {
  if (node.depth === 0) return Q.districtName;
  if (node.depth === 1) return Q.streetName;
  return (node.place.shortName || node.place.name).length >= 4 ? Q.villageName : Q.villageNameShort;
}

/** One hit per (place, span): the same span can be found by the name and by the core + suffix. */
function dedupe(hits: Hit[]): Hit[] {
  const best = new Map<string, Hit>();
  for (const hit of hits) {
    const key = `${hit.node.place.code}:${hit.start}:${hit.end}`;
    const seen = best.get(key);
    if (!seen || hit.quality.backed + hit.quality.alone > seen.quality.backed + seen.quality.alone) best.set(key, hit);
  }
  return [...best.values()];
}

/** Scores each reading and picks the best, backing off to a common ancestor when readings disagree. */
function decide(text: string, hits: Hit[], limit: number): AddressResolution {
  if (hits.length === 0) return { best: null, candidates: [] };
  const hitsByNode = new Map<PlaceNode, Hit[]>();
  for (const hit of hits) {
    const list = hitsByNode.get(hit.node);
    if (list) list.push(hit);
    else hitsByNode.set(hit.node, [hit]);
  }

  const readings: Reading[] = [];
  for (const node of hitsByNode.keys()) {
    const reading = scoreReading(node, hitsByNode);
    if (reading) readings.push(reading);
  }
  if (readings.length === 0) return { best: null, candidates: [] };
  readings.sort((a, b) => b.score - a.score || b.node.depth - a.node.depth || compareCodes(a.node, b.node));

  // Weight of each place = weight of every reading at or below it.
  const top = readings[0]!.score;
  let total = 0;
  const below = new Map<PlaceNode, number>();
  for (const r of readings) {
    const weight = Math.exp(K * (r.score - top));
    total += weight;
    for (const ancestor of chainOf(r.node)) below.set(ancestor, (below.get(ancestor) ?? 0) + weight);
  }
  const share = (node: PlaceNode) => (below.get(node) ?? 0) / total;

  // The landmark a reading rests on: the longest landmark said for a place of its chain.
  const landmarkHits = hits.filter((h) => h.landmark !== null).sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const landmarkOf = (node: PlaceNode): MatchedLandmark | null => {
    const chain = chainOf(node);
    const hit = landmarkHits.find((h) => chain.includes(h.node));
    return hit?.landmark ? { ...hit.landmark.entry, said: hit.landmark.said } : null;
  };
  /** Share × strength: how likely the reading is, before a district-only reading is marked down. */
  const likelihood = (r: Reading, node: PlaceNode) => r.strength * share(node);
  /** Streets the caller named by their own name (not only through a landmark). */
  const namedStreets = new Set(hits.filter((h) => h.node.depth === 1 && !h.partial && h.landmark === null).map((h) => h.node));
  const toMatch = (r: Reading, node: PlaceNode): AddressMatch => {
    const chain = chainOf(node);
    const landmark = landmarkOf(node);
    let confidence = likelihood(r, node);
    if (node.depth === 0) confidence *= DISTRICT_ONLY_FACTOR;
    else if (landmark && !namedStreets.has(chain[1]!)) confidence = Math.min(confidence, LANDMARK_STREET_MAX);
    return {
      district: chain[0]!.place,
      street: chain[1]?.place ?? null,
      village: chain[2]?.place ?? null,
      confidence: Math.round(confidence * 1000) / 1000,
      matchedText: text.slice(r.start, r.end),
      rest: text.slice(r.end).replace(LEADING_SEPARATORS, ''),
      landmark,
    };
  };

  // Candidates: drop a reading when a more specific one scores better (it says more, and is likelier).
  const bestBelow = new Map<PlaceNode, number>();
  for (const r of readings) {
    for (const ancestor of chainOf(r.node)) {
      if (ancestor !== r.node) bestBelow.set(ancestor, Math.max(bestBelow.get(ancestor) ?? -Infinity, r.score));
    }
  }
  const kept = readings.filter((r) => !((bestBelow.get(r.node) ?? -Infinity) > r.score));
  const matches = kept.map((r) => toMatch(r, r.node));
  const order = kept.map((_, k) => k).sort((a, b) => matches[b]!.confidence - matches[a]!.confidence || a - b);

  // Best: the top reading, or the deepest of its ancestors that holds most of the weight.
  const first = readings[0]!;
  let best: AddressMatch | null = null;
  for (let depth = first.node.depth; depth >= 0; depth--) {
    const node = chainOf(first.node)[depth]!;
    if (share(node) >= (node === first.node ? MIN_SHARE : BACKOFF_SHARE)) {
      // The place's own reading when it has one, so `best` is also one of the candidates.
      const own = kept.findIndex((r) => r.node === node);
      const match = own >= 0 ? matches[own]! : toMatch(first, node);
      if (likelihood(own >= 0 ? kept[own]! : first, node) >= MIN_CONFIDENCE) best = match;
      break;
    }
  }
  // The best reading leads the list when it is one of the candidates.
  let candidates = order.map((k) => matches[k]!);
  const at = best === null ? -1 : candidates.indexOf(best);
  if (at > 0) candidates.unshift(...candidates.splice(at, 1));
  // A landmark that spells one village of its street names that village too: "宛平城" is 宛平城社区.
  const village = best?.landmark && best.street && !best.village ? villageInLandmark(hits, best.street) : null;
  if (best && village) {
    const refined = { ...best, village: village.place };
    candidates = [refined, ...candidates.filter((c) => c !== best && c.village !== village.place)];
    best = refined;
  }
  candidates.length = Math.min(candidates.length, limit);
  return { best, candidates };
}

/** The one village of `street` whose name lies within a landmark said for that street, if exactly one. */
function villageInLandmark(hits: readonly Hit[], street: Place): PlaceNode | null {
  const spans = hits.filter((h) => h.landmark && h.node.place === street);
  const villages = new Set<PlaceNode>();
  for (const h of hits) {
    // A village name believed only with backing ("地坛" for 地坛社区) is too weak to name the village.
    if (h.partial || h.quality.alone <= 0 || h.node.depth !== 2 || h.node.parent?.place !== street) continue;
    if (spans.some((s) => s.start <= h.start && s.end >= h.end)) villages.add(h.node);
  }
  return villages.size === 1 ? [...villages][0]! : null;
}

/**
 * The reading whose deepest place is `node`: the best non-overlapping choice of one hit per level of
 * its chain, which must include a hit for `node` itself (shallower readings are their own readings).
 */
function scoreReading(node: PlaceNode, hitsByNode: Map<PlaceNode, Hit[]>): Reading | null {
  const levels = chainOf(node).map((n) => hitsByNode.get(n) ?? []);
  const used: Hit[] = [];
  let best: Reading | null = null;

  const evaluate = () => {
    const backed = used.length >= 2;
    let score = 0;
    let doubt = 1;
    let start = Infinity;
    let end = -Infinity;
    let covered = 0;
    for (const hit of used) {
      const q = backed ? hit.quality.backed : hit.quality.alone;
      if (q <= 0) return;
      score += q;
      doubt *= 1 - Math.min(q, 0.97);
      start = Math.min(start, hit.start);
      end = Math.max(end, hit.end);
      covered += hit.end - hit.start;
    }
    // Ties go to the reading that explains more of the text.
    score += 0.001 * covered;
    if (!best || score > best.score) best = { node, score, strength: 1 - doubt, start, end };
  };

  const choose = (level: number) => {
    if (level === levels.length) {
      evaluate();
      return;
    }
    const isDeepest = level === levels.length - 1;
    if (!isDeepest) choose(level + 1); // this level unsaid
    for (const hit of levels[level]!) {
      if (used.some((u) => u.start < hit.end && hit.start < u.end)) continue;
      used.push(hit);
      choose(level + 1);
      used.pop();
    }
  };
  choose(0);
  return best;
}
