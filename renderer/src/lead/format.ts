/** How the lead view writes durations, rates and times (Beijing time, Chinese units). */
import { addCalendarDays } from '../../../shared/sla/deadlines';
import { CENTER_TIME_ZONE } from '../../../shared/time';

export const LEVEL_LABEL = { 1: '一级', 2: '二级', 3: '三级' } as const;

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}分${String(s % 60).padStart(2, '0')}秒`;
  return `${Math.floor(m / 60)}小时${String(m % 60).padStart(2, '0')}分`;
}

export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** "08:01" (same day) in Beijing. */
export function formatHm(iso: string): string {
  return new Date(iso).toLocaleTimeString('zh-CN', { hour12: false, hour: '2-digit', minute: '2-digit', timeZone: CENTER_TIME_ZONE });
}

/** "12/01 08:01" in Beijing. */
export function formatMdHm(iso: string): string {
  const at = new Date(iso);
  const md = at.toLocaleDateString('zh-CN', { month: '2-digit', day: '2-digit', timeZone: CENTER_TIME_ZONE });
  return `${md} ${formatHm(iso)}`;
}

export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}时`;
}

/** A date as the center writes it (2026-12-01) from what was typed (2026/12/1, 2026年12月1日…); null when it is no date. */
export function parseCenterDate(text: string): string | null {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return addCalendarDays(iso, 0) === iso ? iso : null;
}

/** Hands a file the main side made to the person: a download in the browser host, a save dialog in Electron. */
export function download(file: { fileName: string; mimeType: string; contentBase64: string }): void {
  const binary = atob(file.contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the blob by the next task; free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Hands over a file the desk wrote to disk (a streamed export, served at `exports/<id>` by either
 * host): a download in the browser host, the save dialog in Electron.
 */
export function downloadUrl(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * How a heat-map count is written: dark text on the pale and orange cells, white bold text ('light')
 * on the deep orange and red ones, so every count stays readable (the scale runs pale → orange → red).
 */
export function heatLabelTone(count: number, max: number): 'light' | 'dark' {
  return max > 0 && count / max >= 0.6 ? 'light' : 'dark';
}
