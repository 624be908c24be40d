/**
 * Reads the landmark gazetteer (<resourcesDir>/places/landmarks.tsv, parsed by
 * shared/address/landmarks.ts) once when the desk opens. The desk answers it with the places
 * (`places.list`), and the renderer builds the address resolver from both. A missing or partly
 * broken file is not a crash: addresses still resolve by the places' own names, and the problems
 * are returned for the log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANDMARKS_FILE, parseLandmarks, type ParsedLandmarks } from '../../../shared/address/landmarks';
import { describeError } from '../../../shared/errors';

export function landmarksPath(resourcesDir: string): string {
  return join(resourcesDir, ...LANDMARKS_FILE);
}

export function loadLandmarks(resourcesDir: string): ParsedLandmarks {
  const path = landmarksPath(resourcesDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { landmarks: [], problems: [`无法读取地标文件 ${path}：${describeError(error)}`] };
  }
  const parsed = parseLandmarks(text);
  return { landmarks: parsed.landmarks, problems: parsed.problems.map((p) => `地标文件 ${path} ${p}`) };
}
