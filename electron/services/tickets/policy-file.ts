/**
 * Reads the center's deadline policy (<resourcesDir>/policy/sla.json) once when the desk opens.
 * A missing, unreadable or invalid file is not a crash: it becomes a Chinese message naming the file,
 * and the desk keeps running — tickets that need deadlines are refused with that message until the
 * file is fixed, everything else (drafts, history, answering from the knowledge base) still works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSlaPolicy, type SlaPolicy } from '../../../shared/sla/policy';
import { fail, type Result } from '../../../shared/result';

export function slaPolicyPath(resourcesDir: string): string {
  return join(resourcesDir, 'policy', 'sla.json');
}

export function loadSlaPolicy(path: string): Result<SlaPolicy> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail('unavailable', code === 'ENOENT' ? `找不到时限策略文件 ${path}` : `无法读取时限策略文件 ${path}：${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return fail('rejected', `时限策略文件 ${path} 不是有效的 JSON，未采用：${(error as Error).message}`);
  }
  const parsed = parseSlaPolicy(json);
  if (parsed.ok) return parsed;
  return fail('rejected', `${parsed.error.message}（文件 ${path}）`, parsed.error.details);
}
