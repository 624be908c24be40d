/**
 * Reading the center's deadline policy file (<resources>/policy/sla.json), for the desk
 * (electron/services/tickets/policy-file.ts) and the hub (server/hub.ts) alike: each side hands in
 * the path and its own file reader (Node's readFileSync; shared/ reads no files), and gets the
 * checked policy (shared/sla/policy.ts) or one Chinese message naming the file. A missing or
 * unreadable file is `unavailable`, a file that is not JSON or breaks a rule is `rejected`.
 */
import { fail, type Result } from './result';
import { parseSlaPolicy, type SlaPolicy } from './sla/policy';
import { describeError } from './errors';

/** Where the policy lives, relative to the resources folder, one path segment each. */
export const SLA_POLICY_FILE = ['policy', 'sla.json'] as const;

export function readSlaPolicy(path: string, readText: (path: string) => string): Result<SlaPolicy> {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return fail('unavailable', code === 'ENOENT' ? `找不到时限策略文件 ${path}` : `无法读取时限策略文件 ${path}：${describeError(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return fail('rejected', `时限策略文件 ${path} 不是有效的 JSON，未采用：${describeError(error)}`);
  }
  const parsed = parseSlaPolicy(json);
  if (parsed.ok) return parsed;
  return fail('rejected', `${parsed.error.message}（文件 ${path}）`, parsed.error.details);
}
