import type { BackupManifest } from '../backup/manifest';
import { formatBytes } from '../util/format-bytes';
import { inspectRestoredTree } from './inspect-tree';
import { checkSqliteDatabases } from './sqlite-integrity';

/** How many problems a message names before "and N more". */
const MAX_PROBLEMS = 5;

export interface DryRunCheck {
  result: 'pass' | 'fail';
  message: string;
}

/**
 * The dry-run check, on the whole archive already extracted into `dir` (a temporary directory
 * the caller owns and removes): the tree against the manifest (inspect-tree.ts) and every
 * SQLite database through `PRAGMA integrity_check`.
 */
export async function checkDryRun(
  dir: string,
  manifest: BackupManifest,
  options: { signal?: AbortSignal; onDatabase?: (done: number, total: number, current: string) => void } = {},
): Promise<DryRunCheck> {
  const tree = inspectRestoredTree(dir, manifest.contents);
  const databases = tree.sqliteFiles;
  const sqliteProblems = await checkSqliteDatabases(dir, databases, {
    signal: options.signal,
    onProgress: (done, current) => options.onDatabase?.(done, databases.length, current),
  });
  const problems = [...sqliteProblems, ...tree.problems];
  if (problems.length > 0) {
    const more = problems.length > MAX_PROBLEMS ? ` (and ${problems.length - MAX_PROBLEMS} more)` : '';
    return { result: 'fail', message: `${problems.slice(0, MAX_PROBLEMS).join(' ')}${more}` };
  }
  const { apps, system } = manifest.contents;
  const what = `${apps.length} app${apps.length === 1 ? '' : 's'}${system ? ' and the system part' : ''}`;
  const dbs = databases.length === 1 ? '1 SQLite database passes' : `${databases.length} SQLite databases pass`;
  return {
    result: 'pass',
    message: `Restored ${tree.files} files (${formatBytes(tree.bytes)}) of ${what} into a temporary directory: the tree matches the manifest, every app has its Compose file, ${dbs} integrity_check.`,
  };
}
