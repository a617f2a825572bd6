import { parseArgs } from 'node:util';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import type { JobView } from '../../lib/core/jobs/job-types';
import { requestRestore, requestVerify } from '../../lib/core/restore/request-restore';
import type { RestoreResult } from '../../lib/core/restore/run-restore';
import type { VerifyResult } from '../../lib/core/restore/verify-backup';
import { formatBytes } from '../../lib/core/util/format-bytes';
import { UsageError } from '../cli-error';
import { printJson, printLine } from '../output';
import { runJobHere } from '../run-job-here';

function drawProgress(job: JobView): void {
  const percent = job.percent === null ? '' : `${job.percent}% `;
  const line = `${percent}${job.phase ?? 'Starting'} · ${formatBytes(job.bytesDone)}`;
  process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 100) - 1)}`);
}

/** Runs a queued job here, drawing its progress on a terminal (not with --json). */
export async function runHere(jobId: string, json: boolean): Promise<JobView> {
  const { db } = await prepareInstance();
  const onTerminal = process.stderr.isTTY && !json;
  const job = await runJobHere(db, jobId, onTerminal ? drawProgress : undefined);
  if (onTerminal) process.stderr.write('\r\x1b[2K');
  return job;
}

function printFailure(what: string, job: JobView, json: boolean): number {
  if (json) printJson({ status: job.status, jobId: job.id, error: { code: job.errorCode, message: job.errorMessage } });
  else process.stderr.write(`cloudos-backup: ${what} ${job.status}: ${job.errorMessage ?? 'no reason recorded'}\n`);
  return 1;
}

function asVerifyResult(result: unknown): VerifyResult | null {
  const r = result as Partial<VerifyResult> | null;
  return r && typeof r.result === 'string' && typeof r.backupId === 'string' ? (r as VerifyResult) : null;
}

function asRestoreResult(result: unknown): RestoreResult | null {
  const r = result as Partial<RestoreResult> | null;
  return r && Array.isArray(r.restored) && Array.isArray(r.rolledBack) ? (r as RestoreResult) : null;
}

/** `restore ID [--apps a,b] [--system] --yes [--json]`: replaces live app data from a backup. */
export async function runRestoreCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      apps: { type: 'string' },
      system: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const [id, extra] = positionals;
  if (!id) throw new UsageError('missing backup ID (see: cloudos-backup list)');
  if (extra) throw new UsageError(`unexpected argument "${extra}"`);
  // A restore replaces live data: a script must say so explicitly.
  if (!values.yes) throw new UsageError('restore replaces the apps’ current data; add --yes to confirm');
  const apps = values.apps
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const { db } = await prepareInstance();
  const queued = await requestRestore(db, { backupId: id, apps, system: values.system }, 'cli');
  const job = await runHere(queued.id, values.json);
  // A restore with an app rolled back fails but still carries the per-app outcome.
  const result = asRestoreResult(job.result);
  if (!result) return printFailure('restore', job, values.json);
  if (values.json) printJson({ status: job.status, jobId: job.id, ...result });
  else {
    if (result.restored.length > 0) printLine(`Restored ${result.restored.join(', ')} from backup ${result.backupId}.`);
    if (result.system) printLine('Restored the system settings and user accounts; sign in again with the restored accounts.');
    for (const { app, reason } of result.rolledBack) printLine(`Rolled back ${app} (its data is as before): ${reason}`);
  }
  return result.rolledBack.length > 0 ? 1 : 0;
}

/** `verify ID [--json]`: reads the stored object end to end; exit 1 when corrupted or missing. */
export async function runVerifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
  });
  const [id, extra] = positionals;
  if (!id) throw new UsageError('missing backup ID (see: cloudos-backup list)');
  if (extra) throw new UsageError(`unexpected argument "${extra}"`);
  const { db } = await prepareInstance();
  const queued = await requestVerify(db, { backupId: id }, 'cli');
  const job = await runHere(queued.id, values.json);
  // A corrupted or missing backup fails the job but still carries what was found.
  const result = asVerifyResult(job.result);
  if (!result) return printFailure('verify', job, values.json);
  if (values.json) printJson({ status: job.status, jobId: job.id, ...result });
  else printLine(`Backup ${result.backupId}: ${result.result}. ${result.message}`);
  return result.result === 'ok' ? 0 : 1;
}
