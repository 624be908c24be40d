/**
 * Reads the center's deadline policy (<resourcesDir>/policy/sla.json) once when the desk opens, the
 * way the hub does (shared/sla-file.ts). A missing, unreadable or invalid file is not a crash: it
 * becomes a Chinese message naming the file, and the desk keeps running — tickets that need
 * deadlines are refused with that message until the file is fixed, everything else (drafts,
 * history, answering from the knowledge base) still works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../../../shared/result';
import { readSlaPolicy, SLA_POLICY_FILE } from '../../../shared/sla-file';
import type { SlaPolicy } from '../../../shared/sla/policy';

export function slaPolicyPath(resourcesDir: string): string {
  return join(resourcesDir, ...SLA_POLICY_FILE);
}

export function loadSlaPolicy(path: string): Result<SlaPolicy> {
  return readSlaPolicy(path, (file) => readFileSync(file, 'utf8'));
}
