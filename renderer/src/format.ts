import { CENTER_TIME_ZONE } from '../../shared/time';

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '未知';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

export function formatClock(date: Date): string {
  return date.toLocaleTimeString('zh-CN', { hour12: false, timeZone: CENTER_TIME_ZONE });
}

export function formatDate(date: Date): string {
  return date.toLocaleDateString('zh-CN', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: CENTER_TIME_ZONE });
}

/** "2026/12/1 15:50:12" in Beijing time. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: CENTER_TIME_ZONE });
}

/**
 * A due time as the policy says it: a deadline at the end of a day reads "12/2 24:00", not
 * "12/3 00:00" — the day the unit has is the day printed.
 */
export function formatDue(iso: string): string {
  const at = new Date(iso);
  const parts = new Intl.DateTimeFormat('zh-CN', { timeZone: CENTER_TIME_ZONE, hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at);
  const date = (d: Date) => d.toLocaleDateString('zh-CN', { timeZone: CENTER_TIME_ZONE, month: 'numeric', day: 'numeric' });
  if (parts === '00:00:00') return `${date(new Date(at.getTime() - 1000))} 24:00`;
  return `${date(at)} ${parts.slice(0, 5)}`;
}
