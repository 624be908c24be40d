/**
 * The learned category suggester's model on the desk (issue 17 item 2): the last version the hub
 * published (server/learned.ts, `model.pull`), kept as one file in the desk's data folder so the
 * desk goes on suggesting offline and after a restart. The file is the model as the hub serialised
 * it (shared/learn/serialize.ts); its version is the file's sha256, as at the hub.
 *
 * A new version is checked (it parses, it is the version the hub named) before it replaces the old
 * one, and written beside it then renamed over it, so a crash never leaves half a model. A desk
 * that never received one has no file: the renderer then suggests from keywords alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../../shared/learn/serialize';
import { fail, ok, type Result } from '../../../shared/result';

export const LEARNED_MODEL_FILE = 'learned-model.json';

export class LearnedModelFile {
  private cached: { version: string; content: string } | null | undefined;
  constructor(private readonly dataDir: string) {}

  private get path(): string {
    return join(this.dataDir, LEARNED_MODEL_FILE);
  }

  /** The model kept, or null when the desk has none (or the file no longer reads). */
  current(): { version: string; content: string } | null {
    if (this.cached !== undefined) return this.cached;
    if (!existsSync(this.path)) return (this.cached = null);
    try {
      const content = readFileSync(this.path, 'utf8');
      this.cached = { version: createHash('sha256').update(content, 'utf8').digest('hex'), content };
    } catch {
      this.cached = null;
    }
    return this.cached;
  }

  version(): string | null {
    return this.current()?.version ?? null;
  }

  /** Keeps a version the hub sent, after checking it. */
  save(version: string, content: string): Result<void> {
    if (createHash('sha256').update(content, 'utf8').digest('hex') !== version) return fail('rejected', '中心发来的分类模型与其版本号不符，未采用');
    const loaded = loadModel(content);
    if (!loaded.ok) return fail('rejected', `中心发来的分类模型无法读取，未采用：${loaded.error.message}`);
    const temp = `${this.path}.new`;
    writeFileSync(temp, content, 'utf8');
    renameSync(temp, this.path);
    this.cached = { version, content };
    return ok(undefined);
  }
}
