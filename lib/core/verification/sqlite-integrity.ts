import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';

/** How many lines of integrity_check's answer a problem quotes. */
const MAX_LINES = 3;

// Runs in a worker thread: one integrity_check of a multi-gigabyte database takes minutes and
// cannot be interrupted, and on the main thread it would stop the job's lease heartbeat, the
// scheduler and signal handling for that long. Plain JavaScript, evaluated, so it works the
// same from TypeScript sources, the esbuild bundles and tests. Each database is opened
// read-only; on a dry-run copy the -shm file SQLite may create touches nothing live.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
for (const [index, file] of workerData.files.entries()) {
  parentPort.postMessage({ type: 'start', index });
  let db = null;
  let problem = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const lines = db.pragma('integrity_check').map((row) => row.integrity_check);
    if (!(lines.length === 1 && lines[0] === 'ok')) {
      const more = lines.length > ${MAX_LINES} ? ' (and ' + (lines.length - ${MAX_LINES}) + ' more)' : '';
      problem = lines.slice(0, ${MAX_LINES}).join('; ') + more;
    }
  } catch (error) {
    problem = error && error.message ? error.message : String(error);
  } finally {
    if (db) db.close();
  }
  parentPort.postMessage({ type: 'done', index, problem });
}
`;

type WorkerMessage = { type: 'start'; index: number } | { type: 'done'; index: number; problem: string | null };

/**
 * `PRAGMA integrity_check` of every SQLite database of a dry-run restore (paths relative to
 * `root`), in a worker thread; resolves with one problem per database that fails, naming it.
 * Cancel terminates the thread (a check already inside SQLite finishes in the background).
 */
export function checkSqliteDatabases(
  root: string,
  files: string[],
  options: { signal?: AbortSignal; onProgress?: (done: number, current: string) => void } = {},
): Promise<string[]> {
  if (files.length === 0) return Promise.resolve([]);
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason ?? new AppError('cancelled', 'Cancelled.'));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), files: files.map((f) => path.join(root, f)) },
  });
  return new Promise<string[]>((resolve, reject) => {
    const problems: string[] = [];
    let settled = false;
    const finish = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(problems);
    };
    const onAbort = () => finish(signal?.reason ?? new AppError('cancelled', 'Cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      const rel = files[message.index] ?? '';
      if (message.type === 'start') options.onProgress?.(message.index, rel);
      else if (message.problem) problems.push(`The SQLite database ${rel} fails PRAGMA integrity_check: ${message.problem}`);
      if (message.type === 'done' && message.index === files.length - 1) finish(null);
    });
    worker.on('error', (error) =>
      finish(new AppError('internal', `The SQLite check stopped: ${error.message}`, { cause: error })),
    );
    worker.on('exit', (code) => {
      if (code !== 0) finish(new AppError('internal', `The SQLite check stopped (exit ${code}).`));
    });
  });
}
