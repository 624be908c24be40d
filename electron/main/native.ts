/**
 * Where the Electron-ABI build of better-sqlite3 lives. npm install builds the addon for Node (tests,
 * browser host); `npm run native:electron` builds a second copy for Electron beside it, and the
 * packaged app carries it in resources/native. Neither build overwrites the other.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function electronNativeDir(projectRoot: string, abi = process.versions.modules): string {
  return join(projectRoot, '.native', `electron-abi${abi}`);
}

export function electronNativeBinding(isPackaged: boolean, resourcesPath: string, projectRoot: string): string {
  const path = isPackaged
    ? join(resourcesPath, 'native', 'better_sqlite3.node')
    : join(electronNativeDir(projectRoot), 'better_sqlite3.node');
  if (!existsSync(path)) {
    throw new Error(`找不到 Electron 版本的 SQLite 模块：${path}。请在可联网的机器上运行 npm run native:electron。`);
  }
  return path;
}
