/**
 * Address resolution (shared/address/resolve.ts) over Beijing's 7,900 places and the landmark
 * gazetteer (resources/places/landmarks.tsv), as the renderer builds it: building the resolver,
 * resolving on every keystroke, accuracy over test/fixtures/address-phrasings.tsv and, separately,
 * over the landmark phrasings of test/fixtures/landmark-phrasings.tsv. The baseline is what one would
 * write first: a linear scan with String.includes over every place's names.
 */
import { createAddressResolver } from '../shared/address/resolve';
import type { Place } from '../shared/domain/places';
import { addressPhrasings, landmarkPhrasings, landmarks as readLandmarks, parsePlaces, placesCsv } from '../test/support/reference-files';
import { latency, percentile, timeSync, type Bench } from './harness';

const BUILDS = 20;

/**
 * The baseline: every place whose short or official name occurs in the text; the longest name wins
 * (ties: the deeper place), and its parents give district and street.
 */
function naiveResolver(places: readonly Place[]) {
  const byCode = new Map(places.map((p) => [p.code, p]));
  const depth = { district: 0, street: 1, village: 2 } as const;
  return (text: string): { district: string; street: string } | null => {
    let best: Place | null = null;
    let bestLength = 0;
    for (const p of places) {
      const length = text.includes(p.name) ? p.name.length : text.includes(p.shortName) ? p.shortName.length : 0;
      if (length > bestLength || (length > 0 && length === bestLength && best && depth[p.level] > depth[best.level])) {
        best = p;
        bestLength = length;
      }
    }
    if (!best) return null;
    const chain: Place[] = [];
    for (let p: Place | undefined = best; p; p = p.parentCode ? byCode.get(p.parentCode) : undefined) chain.unshift(p);
    return { district: chain[0]?.name ?? '', street: chain[1]?.name ?? '' };
  };
}

export const addressBench: Bench = {
  title: '地址解析（北京 7,900 个区划）',
  async run() {
    const csv = placesCsv();
    const phrasings = addressPhrasings();
    const landmarkSayings = landmarkPhrasings();
    const landmarks = readLandmarks();

    // Build. The first build runs cold (interpreted code), as it does once when the desk starts.
    const places = parsePlaces(csv);
    const coldStart = process.hrtime.bigint();
    let resolver = createAddressResolver(places, landmarks);
    const cold = Number(process.hrtime.bigint() - coldStart) / 1e6;
    const builds = timeSync(BUILDS, () => {
      resolver = createAddressResolver(places, landmarks);
    });
    const parses = timeSync(BUILDS, () => parsePlaces(csv));

    // Every prefix of every phrase, as a call-taker types it, one keystroke at a time.
    const keystrokes = [...phrasings, ...landmarkSayings].flatMap(({ phrase }) => {
      const chars = [...phrase];
      return chars.map((_, k) => chars.slice(0, k + 1).join(''));
    });
    for (const text of keystrokes) resolver.resolve(text); // one warm-up pass, as after a few calls at the desk
    const typed = timeSync(keystrokes.length, (i) => resolver.resolve(keystrokes[i]!));
    const naive = naiveResolver(places);
    const naiveTimes = timeSync(keystrokes.length, (i) => naive(keystrokes[i]!));

    type Expected = { phrase: string; district: string; street: string };
    const accuracy = (answer: (text: string) => { district: string; street: string } | null, fixture: readonly Expected[] = phrasings) =>
      fixture.filter((f) => {
        const got = answer(f.phrase);
        return got !== null && got.district === f.district && got.street === f.street;
      }).length / fixture.length;
    const ours = (text: string) => {
      const best = resolver.resolve(text).best;
      return best ? { district: best.district.name, street: best.street?.name ?? '' } : null;
    };
    const oursAccuracy = accuracy(ours);

    const csvOnly = { label: '仅解析 CSV p50', samples: parses };
    const includes = (p: number) => ({ label: `String.includes 逐个比对全部地名 p${p}`, samples: naiveTimes });
    return [
      latency('地址解析器构建 p50', 50, builds, { targetMs: 50, baseline: csvOnly, note: `${places.length} 个区划，${BUILDS} 次` }),
      {
        name: '地址解析器首次构建（冷启动）',
        unit: 'ms',
        value: cold,
        target: { op: '<=', value: 50 },
        baseline: { label: '仅解析 CSV p50', value: percentile(parses, 50) },
      },
      latency('逐字输入解析 p99', 99, typed, { targetMs: 1, baseline: includes(99), note: `${keystrokes.length} 次按键（${phrasings.length + landmarkSayings.length} 句逐字输入）` }),
      latency('逐字输入解析 p50', 50, typed, { baseline: includes(50) }),
      {
        name: '地址解析准确率（区 + 街道乡镇）',
        unit: '',
        value: oursAccuracy,
        target: { op: '>=', value: 0.9 },
        baseline: { label: 'String.includes 最长地名', value: accuracy(naive) },
        note: `${phrasings.length} 句来电说法`,
      },
      {
        name: '地标说法准确率（区 + 街道乡镇，跨街道的地标仅到区）',
        unit: '',
        value: accuracy(ours, landmarkSayings),
        target: { op: '>=', value: 0.95 },
        baseline: { label: 'String.includes 最长地名', value: accuracy(naive, landmarkSayings) },
        note: `${landmarkSayings.length} 句来电说法，${landmarks.length} 个地标`,
      },
    ];
  },
};
