import { parseArgs } from 'node:util';
import { backupRequestSchema } from '../../lib/core/backup/backup-request';
import { getBackup, listBackups } from '../../lib/core/backup/catalog';
import { requestBackup } from '../../lib/core/backup/request-backup';
import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import type { JobView } from '../../lib/core/jobs/job-types';
import { formatBytes } from '../../lib/core/util/format-bytes';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';
import { runJobHere } from '../run-job-here';

/** `backup --target NAME (--full | --apps a,b) [--json]`: runs a backup here and now. */
export async function runBackupCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      full: { type: 'boolean', default: false },
      apps: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.target) throw new UsageError('--target NAME is required (see: cloudos-backup targets list)');
  if (values.full === (values.apps !== undefined)) throw new UsageError('give exactly one of --full or --apps a,b');
  const apps = (values.apps ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const request = backupRequestSchema.safeParse({ target: values.target, scope: values.full ? 'full' : 'apps', apps });
  if (!request.success) throw new UsageError(request.error.issues[0]?.message ?? 'invalid backup request');
  const { db } = await prepareInstance();
  // Checked before anything is queued: a typo is answered at once and leaves no failed job.
  const queued = await requestBackup(db, getEnv(), request.data, 'cli');
  const onTerminal = process.stderr.isTTY && !values.json;
  const job = await runJobHere(db, queued.id, onTerminal ? drawProgress : undefined);
  if (onTerminal) process.stderr.write('\r\x1b[2K');
  const result = job.result as { backupId?: string; sha256?: string; storedBytes?: number } | null;
  if (values.json) {
    printJson(
      job.status === 'succeeded'
        ? { status: job.status, jobId: job.id, ...result }
        : { status: job.status, jobId: job.id, error: { code: job.errorCode, message: job.errorMessage } },
    );
  } else if (job.status === 'succeeded' && result?.backupId) {
    printLine(`Backup ${result.backupId} stored on ${values.target} (${formatBytes(result.storedBytes ?? 0)}).`);
    printLine(`SHA-256 ${result.sha256}`);
  } else {
    process.stderr.write(`cloudos-backup: backup ${job.status}: ${job.errorMessage ?? 'no reason recorded'}\n`);
  }
  return job.status === 'succeeded' ? 0 : 1;
}

function drawProgress(job: JobView): void {
  const percent = job.percent === null ? '' : `${job.percent}% `;
  const line = `${percent}${job.phase ?? 'Starting'} · ${formatBytes(job.bytesDone)}${job.message ? ` · ${job.message}` : ''}`;
  process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 100) - 1)}`);
}

/** `list [--target NAME] [--json]`: the catalog, newest first. */
export async function runListCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { target: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const { db } = await prepareInstance();
  const backups = await listBackups(db, { targetName: values.target });
  if (values.json) {
    printJson(backups);
    return 0;
  }
  if (backups.length === 0) {
    printLine('No backups yet. Make one with: cloudos-backup backup --target NAME --full');
    return 0;
  }
  const rows = backups.map((b) => [
    b.id.slice(0, 12),
    b.startedAt.replace('T', ' ').slice(0, 19),
    b.status,
    b.scope === 'full' ? 'full' : b.apps.join(','),
    b.target.name,
    b.status === 'succeeded' ? formatBytes(b.storedBytes) : '',
    b.sha256?.slice(0, 16) ?? (b.errorMessage ?? '').slice(0, 60),
  ]);
  printLine(formatTable([['ID', 'STARTED (UTC)', 'STATUS', 'SCOPE', 'TARGET', 'SIZE', 'SHA-256 / REASON'], ...rows]));
  return 0;
}

/** `show ID [--json]`: one backup with its manifest. */
export async function runShowCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
  });
  const [id] = positionals;
  if (!id) throw new UsageError('missing backup ID (see: cloudos-backup list)');
  const { db } = await prepareInstance();
  const backup = await getBackup(db, id);
  if (values.json) {
    printJson(backup);
    return 0;
  }
  printLine(`Backup   ${backup.id}`);
  printLine(`Status   ${backup.status}${backup.errorMessage ? `: ${backup.errorMessage}` : ''}`);
  printLine(`Scope    ${backup.scope === 'full' ? 'full system' : 'apps'}: ${backup.apps.join(', ') || '(none)'}`);
  printLine(`Target   ${backup.target.name} (${backup.target.kind}) · ${backup.objectKey}`);
  printLine(`Started  ${backup.startedAt}${backup.finishedAt ? ` · finished ${backup.finishedAt}` : ''}`);
  if (backup.status === 'succeeded') {
    printLine(
      `Size     ${formatBytes(backup.storedBytes)} stored, ${formatBytes(backup.logicalBytes)} of data, ${backup.fileCount} files`,
    );
    printLine(`SHA-256  ${backup.sha256}`);
    const v = backup.verification;
    printLine(
      `Verified ${v ? `${v.result} at ${v.at}${v.message ? `: ${v.message}` : ''}` : 'never (cloudos-backup verify ID)'}`,
    );
  }
  for (const app of backup.contents?.apps ?? []) {
    printLine(`App ${app.id} (${app.consistency}): ${app.files} files, ${formatBytes(app.bytes)}`);
    for (const v of app.volumes) printLine(`  ${v.name} (${v.kind} ${v.source}): ${v.files} files, ${formatBytes(v.bytes)}`);
    for (const s of app.skipped) printLine(`  skipped ${s.source}: ${s.reason}`);
  }
  if (backup.contents?.system)
    printLine(`System   ${backup.contents.system.files.join(', ')} (${formatBytes(backup.contents.system.bytes)})`);
  return 0;
}
