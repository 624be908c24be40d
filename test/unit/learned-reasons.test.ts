/**
 * The reasons a learned suggestion shows (shared/learn/reasons.ts, through predict in
 * shared/learn/model.ts): whole terms of the citizen's text, never a fragment such as 的工 or 凉的,
 * never one inside another shown; the ranking is untouched. Trained on test/fixtures/learned-tickets.csv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeForFeatures } from '../../shared/learn/features';
import { predict, train } from '../../shared/learn/model';
import { FUNCTION_CHARS, wholeReasons } from '../../shared/learn/reasons';
import { parseTrainingCsv } from '../../shared/learn/training-file';
import { ROOT } from '../support/host-process';

const rows = (() => {
  const parsed = parseTrainingCsv(readFileSync(join(ROOT, 'test', 'fixtures', 'learned-tickets.csv'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
})();

const COMPLAINTS = [
  '小区的工地晚上十二点还在施工，噪音很大，孩子都睡不着觉',
  '都十一月二十号了我家暖气还是冰凉的，交了采暖费却不供热，这合理吗',
  '我家楼下的饭馆油烟直接排到我们窗户上，夏天都不敢开窗',
  '我们小区的路灯坏了一个多月了，晚上出门很黑，物业也不管',
  '他们把共享单车都堆在地铁站出口，把盲道都占了，老人过不去',
  '市民来电反映小区门口的垃圾桶三天没人清运了，味道很大，请环卫部门尽快处理',
  '我在网上买的电动车充电器有质量问题，商家不给退也不给换',
  '这条路上的井盖丢了好几天了，被人用树枝围着，很危险',
];

describe('the reasons of a learned suggestion', () => {
  const model = train(rows);

  it.each(COMPLAINTS)('are whole terms of the text, none starting or ending with a function character: %s', (text) => {
    const predictions = predict(model, text, 3, 5);
    expect(predictions.length).toBeGreaterThan(0);
    for (const p of predictions) {
      const why = p.why.map((w) => w.text);
      for (const w of why) {
        expect(normalizeForFeatures(text)).toContain(w);
        expect(FUNCTION_CHARS.has(w[0]!), `${p.label} ${JSON.stringify(why)}`).toBe(false);
        expect(FUNCTION_CHARS.has(w.at(-1)!), `${p.label} ${JSON.stringify(why)}`).toBe(false);
        // Never a fragment of a longer reason shown beside it.
        expect(why.filter((o) => o !== w && o.includes(w))).toEqual([]);
      }
    }
  });

  it('holds over every fixture message, and leaves the ranking as it was', () => {
    for (const { text } of rows) {
      const withWhy = predict(model, text, 3, 5);
      expect(withWhy.map((p) => [p.label, p.score])).toEqual(predict(model, text, 3, 0).map((p) => [p.label, p.score]));
      for (const w of withWhy.flatMap((p) => p.why.map((x) => x.text))) {
        expect(FUNCTION_CHARS.has(w[0]!) || FUNCTION_CHARS.has(w.at(-1)!), `${w} in ${text}`).toBe(false);
      }
    }
  });

  it('widens an n-gram to the word that holds it, drops one across two words, and shows the longer term once', () => {
    const text = normalizeForFeatures('小区的工地晚上还在施工');
    const reasons = wholeReasons(
      text,
      [
        { text: '的工', weight: 3 },
        { text: '工', weight: 2.5 },
        { text: '施', weight: 2 },
        { text: '施工', weight: 1 },
        { text: '在', weight: 0.9 },
      ],
      5,
    );
    expect(reasons.map((r) => r.text)).toEqual(['工地', '施工']);
    // 施工 weighs as its heaviest n-gram (施).
    expect(reasons[1]!.weight).toBe(2);
  });
});
