/**
 * Generates a 10,000-article knowledge base for the benchmark only: each article recombines a real
 * bundled article with a district, a year and a sentence from another article, so the text has the
 * length and vocabulary of the real thing. Deterministic (seeded), never shipped.
 */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KbArticle } from '../shared/domain/kb';

const DISTRICTS = ['东城区', '西城区', '朝阳区', '丰台区', '石景山区', '海淀区', '门头沟区', '房山区', '通州区', '顺义区', '昌平区', '大兴区', '怀柔区', '平谷区', '密云区', '延庆区'];
const FRAMES = ['办理指南', '常见问题', '政策解读', '最新口径', '窗口须知', '线上办理'];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function realArticles(root: string): KbArticle[] {
  const rows = parse(readFileSync(join(root, 'resources', 'kb', 'knowledge-base.csv')), { columns: true, bom: true }) as Array<Record<string, string>>;
  return rows.map((r) => ({
    id: r.id!,
    title: r.title!,
    questions: r.questions!.split('|'),
    answer: r.answer!,
    sourceUnit: r.source!,
    validUntil: r.valid_until!,
    leafCodes: r.leaf_codes!.split('|').filter(Boolean),
  }));
}

export function generateKb(root: string, count = 10_000, seed = 12345): KbArticle[] {
  const base = realArticles(root);
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const out: KbArticle[] = [];
  for (let i = 0; i < count; i++) {
    const a = base[i % base.length]!;
    const other = pick(base);
    const district = pick(DISTRICTS);
    const sentences = other.answer.split('。').filter(Boolean);
    out.push({
      id: `GEN${String(i + 1).padStart(5, '0')}`,
      title: `${district}${a.title}（${pick(FRAMES)}）`,
      questions: a.questions.map((q) => (random() < 0.5 ? `${district}${q}` : q)),
      answer: `${a.answer}${pick(sentences)}。本条适用于${district}，${2026 + Math.floor(random() * 3)}年起执行。`,
      sourceUnit: a.sourceUnit,
      validUntil: a.validUntil,
      leafCodes: a.leafCodes,
    });
  }
  return out;
}

/** Queries a call-taker would type: fragments of titles and questions, 2 to 6 characters, and a few words. */
export function kbQueries(root: string, count = 1000, seed = 54321): string[] {
  const base = realArticles(root);
  const random = seeded(seed);
  const queries: string[] = [];
  while (queries.length < count) {
    const a = base[Math.floor(random() * base.length)]!;
    const source = random() < 0.5 ? a.title : a.questions[Math.floor(random() * a.questions.length)]!;
    const chars = [...source.replace(/[，。？！、（）\s]/g, '')];
    const length = 2 + Math.floor(random() * 5);
    const start = Math.floor(random() * Math.max(1, chars.length - length));
    queries.push(chars.slice(start, start + length).join(''));
  }
  return queries;
}
