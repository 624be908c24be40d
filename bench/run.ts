/**
 * `npm run bench`: runs every benchmark and prints each figure with its target and same-run baseline.
 * `npm run bench -- NAME` runs only the benches whose title contains NAME.
 */
import { addressBench } from './address.bench';
import { catalogueSearchBench } from './catalogue-search.bench';
import { footprintBench } from './footprint.bench';
import { foundationBench } from './foundation.bench';
import { printFigures, verdict, type Bench } from './harness';
import { intakeBench } from './intake.bench';
import { hubBench } from './hub.bench';
import { leadBench } from './lead.bench';
import { loopBench } from './loop.bench';
import { syncBench } from './sync.bench';
import { kbBench } from './kb.bench';
import { learnedBench } from './learned.bench';
import { rankingsBench } from './rankings.bench';
import { cityYearBench } from './city-year.bench';
import { open311Bench } from './open311.bench';
import { loadBench } from './load.bench';

const BENCHES: Bench[] = [foundationBench, footprintBench, catalogueSearchBench, addressBench, kbBench, intakeBench, hubBench, syncBench, leadBench, loopBench, learnedBench, rankingsBench, cityYearBench, open311Bench, loadBench];

const filter = process.argv[2];
let missed = 0;
console.log(`Hotline Desk 性能测量 · Node ${process.version} · ${new Date().toISOString()}`);
for (const bench of BENCHES.filter((b) => !filter || b.title.includes(filter))) {
  const figures = await bench.run();
  printFigures(bench.title, figures);
  missed += figures.filter((f) => verdict(f) === '未达标').length;
}
console.log(`\n${missed === 0 ? '全部指标达标' : `${missed} 项指标未达标`}`);
