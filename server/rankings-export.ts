/**
 * The rankings page's XLSX export (`stats.rankingsXlsx`): the same figures as `stats.rankings`
 * (server/rankings.ts) as a workbook — 排名 (one row per group, rates as percentages, the previous
 * period beside), 受理渠道 (the counted tickets by channel with their share) and 说明 (scope, range,
 * weights, definitions). Built here, where the figures are, with exceljs in Node: the workspace
 * (web/src/Rankings.tsx) stays free of a 1 MB library and of the code evaluation its bundle would
 * need under the page's Content-Security-Policy (server/web.ts), and the file goes through the same
 * typed call, roles, scope and CSRF check as every other call. Cells are typed values, never formulas.
 */
import ExcelJS from 'exceljs';
import type { Rankings } from '../shared/stats/rankings-schema';
import { RANK_GROUP_LABEL } from '../shared/stats/rankings-schema';
import { RATE_LABEL } from '../shared/stats/scoring';

const RATE_KEYS = ['responseRate', 'resolutionRate', 'satisfactionRate', 'firstSatisfactionRate', 'reopenRate', 'returnRate', 'repeatRate'] as const;

/** The file name the browser saves it under. */
export function rankingsFileName(data: Rankings): string {
  return `考核排名_${data.scopeLabel}_按${RANK_GROUP_LABEL[data.groupBy]}_${data.from}_${data.to}.xlsx`.replace(/[\\/:*?"<>|\s]+/g, '_');
}

export async function rankingsXlsx(data: Rankings, now: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '12345接诉即办中心';
  workbook.created = now;
  const percent = '0.0%';

  const sheet = workbook.addWorksheet('排名', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '排名', key: 'rank', width: 6 },
    { header: '编码', key: 'key', width: 12 },
    { header: RANK_GROUP_LABEL[data.groupBy], key: 'name', width: 28 },
    { header: '工单', key: 'tickets', width: 8 },
    ...RATE_KEYS.map((k) => ({ header: RATE_LABEL[k], key: k, width: 11, style: { numFmt: percent } })),
    { header: '综合得分', key: 'score', width: 10, style: { numFmt: '0.0' } },
    { header: '上期工单', key: 'prevTickets', width: 9 },
    { header: '上期得分', key: 'prevScore', width: 10, style: { numFmt: '0.0' } },
    { header: '上期排名', key: 'prevRank', width: 9 },
  ];
  for (const r of data.rows) {
    sheet.addRow({
      rank: r.rank ?? '',
      key: r.key,
      name: r.name,
      tickets: r.tickets,
      ...Object.fromEntries(RATE_KEYS.map((k) => [k, r[k] ?? ''])),
      score: r.score ?? '',
      prevTickets: r.previous?.tickets ?? '',
      prevScore: r.previous?.score ?? '',
      prevRank: r.previous?.rank ?? '',
    });
  }
  sheet.addRow({ name: '合计', tickets: data.totals.tickets, ...Object.fromEntries(RATE_KEYS.map((k) => [k, data.totals[k] ?? ''])) }).font = { bold: true };
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE3ECFA' } };
  if (data.rows.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };

  const channels = workbook.addWorksheet('受理渠道');
  channels.columns = [
    { header: '受理渠道', key: 'channel', width: 12 },
    { header: '工单', key: 'tickets', width: 10 },
    { header: '占比', key: 'share', width: 10, style: { numFmt: percent } },
  ];
  for (const c of data.channels) channels.addRow(c);
  channels.getRow(1).font = { bold: true };

  const about = workbook.addWorksheet('说明');
  about.columns = [
    { header: '考核排名', key: 'k', width: 16 },
    { header: '', key: 'v', width: 90 },
  ];
  about.getRow(1).font = { bold: true, size: 13 };
  const weights = Object.entries(data.weights)
    .filter(([, w]) => w > 0)
    .map(([k, w]) => `${RATE_LABEL[k as keyof typeof RATE_LABEL] ?? k} ${Math.round(w * 100)}%`)
    .join('、');
  for (const line of [
    ['范围', data.scopeLabel],
    ['受理日期', `${data.from} 至 ${data.to}`],
    ['对比上期', `${data.previous.from} 至 ${data.previous.to}`],
    ['统计维度', RANK_GROUP_LABEL[data.groupBy]],
    ['综合得分权重', weights],
    ['排名门槛', `工单少于 ${data.minTickets} 张不排名`],
    ['口径', '派单办理的工单，不含认定的不合理诉求、知识库咨询办结和重复诉求（docs/decisions/0005-rates-and-rankings.md）'],
    ['导出时间', now.toISOString()],
  ])
    about.addRow(line);
  about.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
