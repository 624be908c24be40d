/**
 * The lead's chart tooltips are HTML to ECharts: a catalogue or street name carrying markup must
 * show as text, never land in the page as an element (issue 16 item 12).
 */
import { describe, expect, it } from 'vitest';
import type { ShiftReport } from '../../shared/api/lead-contract';
import { categoriesChart, escapeHtml, hotspotsChart, trendChart } from '../../renderer/src/lead/charts';

const EVIL = '<img src=x onerror=alert(1)>街道';

function report(): ShiftReport {
  return {
    scope: { from: '2026-12-01', to: '2026-12-01' },
    hourly: [],
    categories: { level: 1, items: [{ code: 'C1', name: EVIL, path: ['市政', EVIL], count: 3, share: 1 }], topShare: 1, unclassified: 0 },
    dispositions: [],
    hotspots: { streets: [{ code: 'S1', name: EVIL }], categories: [{ code: 'C1', name: `${EVIL}"'&` }], cells: [{ street: 0, category: 0, count: 2 }], max: 2, withoutStreet: 0 },
    trend: [{ date: '2026-12-01', count: 1, kind: 'holiday', label: EVIL }],
  } as unknown as ShiftReport;
}

type Formatter = (p: unknown) => string;
const tooltipOf = (option: { tooltip?: unknown }) => (option.tooltip as { formatter: Formatter }).formatter;

describe('chart tooltips', () => {
  it('escape markup in catalogue, street and day names', () => {
    const texts = [
      tooltipOf(categoriesChart(report()).option)({ dataIndex: 0 }),
      tooltipOf(hotspotsChart(report()).option)({ dataIndex: 0 }),
      tooltipOf(trendChart(report()).option)({ dataIndex: 0 }),
    ];
    for (const text of texts) {
      expect(text).not.toContain('<img');
      expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;街道');
      // The tooltip's own line break is still markup.
      expect(text).toContain('<br/>');
    }
    expect(texts[1]).toContain('&quot;&#39;&amp;');
  });

  it('escapes every HTML-special character and leaves Chinese alone', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a> 朝阳区`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt; 朝阳区');
  });
});
