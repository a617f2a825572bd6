import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors';

/** How many lines of integrity_check's answer a problem quotes. */
const MAX_LINES = 3;

/**
 * `PRAGMA integrity_check` of one SQLite file, opened read-only: null when it answers "ok",
 * else what it (or opening the file) reported. Runs on a dry-run copy, so the -shm file SQLite
 * may create beside a WAL database touches nothing live.
 */
export function sqliteIntegrityProblem(file: string): string | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const lines = rows.map((r) => r.integrity_check);
    if (lines.length === 1 && lines[0] === 'ok') return null;
    const more = lines.length > MAX_LINES ? ` (and ${lines.length - MAX_LINES} more)` : '';
    return `${lines.slice(0, MAX_LINES).join('; ')}${more}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db?.close();
  }
}

/**
 * Checks every SQLite database of a dry-run restore (paths relative to `root`); returns one
 * problem per database that fails, naming it. Checks the signal between databases: one
 * integrity_check cannot be interrupted.
 */
export function checkSqliteDatabases(
  root: string,
  files: string[],
  options: { signal?: AbortSignal; onProgress?: (done: number, current: string) => void } = {},
): string[] {
  const problems: string[] = [];
  for (const [index, rel] of files.entries()) {
    if (options.signal?.aborted) throw options.signal.reason ?? new AppError('cancelled', 'Cancelled.');
    options.onProgress?.(index, rel);
    const problem = sqliteIntegrityProblem(path.join(root, rel));
    if (problem) problems.push(`The SQLite database ${rel} fails PRAGMA integrity_check: ${problem}`);
  }
  return problems;
}
