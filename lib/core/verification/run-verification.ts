import { randomUUID } from 'node:crypto';
import { getBackup } from '../backup/catalog';
import type { BackupManifest } from '../backup/manifest';
import type { Db } from '../db/client';
import { AppError, isAbortError } from '../errors';
import type { LogLevel, ProgressUpdate } from '../jobs/job-progress';
import { checkDryRun } from './check-dry-run';
import { checkIntegrity } from './check-integrity';
import { checkSize } from './check-size';
import { checkStaleness } from './check-staleness';
import { type CheckName, type CheckOutcome, type CheckResult, resolveChecks, worstResult } from './checks';
import { createDryRunDir, dryRunBase, removeDryRunDir } from './dry-run-dir';
import type { VerifyJobPayload } from './verification-request';
import type { VerificationView } from './verification-view';
import { getVerification } from './verifications';

export interface VerificationContext {
  db: Db;
  instanceKey: Buffer;
  /** The data directory: dry runs extract below `<dataDir>/tmp`. */
  dataDir: string;
  timeZone: string;
  jobId: string;
  signal?: AbortSignal;
  log: (message: string, level?: LogLevel) => Promise<void>;
  reportProgress: (update: ProgressUpdate) => void;
  /** The clock of the staleness check (tests inject one). */
  now?: () => Date;
}

const STATE_OF: Record<CheckResult, 'passed' | 'warned' | 'failed'> = { pass: 'passed', warn: 'warned', fail: 'failed' };
const LEVEL_OF: Record<CheckResult, LogLevel> = { pass: 'info', warn: 'warn', fail: 'error' };
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The job's verification row; a `verify` job queued with checks but no row (by hand) gets one. */
async function verificationFor(db: Db, jobId: string, payload: VerifyJobPayload, backupId: string) {
  const row = await db.verification.findUnique({ where: { jobId } });
  if (row) return row;
  const checks = resolveChecks(payload.checks, payload.dryRun);
  try {
    return await db.verification.create({
      data: {
        id: randomUUID(),
        backupId,
        jobId,
        checks: JSON.stringify(checks),
        dryRun: checks.includes('dry-run'),
        activeFor: backupId,
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002')
      throw new AppError('already_verifying', `Backup ${backupId} is already being verified.`);
    throw error;
  }
}

/** What the checks found that says something about the stored backup itself. */
interface Verdict {
  result: 'corrupted' | 'missing';
  message: string;
}

/**
 * Runs a verification (docs/VERIFICATION.md): each requested check in turn, its result stored
 * as soon as it is known, then the verification's state (the worst result), and the backup's
 * verification fields kept in line. A check that cannot do its work fails with the reason;
 * cancel ends it as `cancelled` (the job then ends cancelled). The dry run's temporary
 * directory is removed in every case.
 */
export async function runVerification(payload: VerifyJobPayload, context: VerificationContext): Promise<VerificationView> {
  const { db, signal } = context;
  const backup = await getBackup(db, payload.backupId);
  const row = await verificationFor(db, context.jobId, payload, backup.id);
  await db.verification.update({ where: { id: row.id }, data: { state: 'running', startedAt: new Date() } });
  const checks = JSON.parse(row.checks) as CheckName[];
  const outcomes: CheckOutcome[] = [];
  let extractDir: string | null = null;
  let dryRunSetup: string | null = null;
  let manifest: BackupManifest | null = null;
  let integrityPassed = false;
  let sizeVerdict: Verdict | null = null;
  let dryRunVerdict: Verdict | null = null;

  const record = async (name: CheckName, run: () => Promise<{ result: CheckResult; message: string }>) => {
    if (signal?.aborted) throw signal.reason ?? new AppError('cancelled', 'Cancelled.');
    const started = performance.now();
    let outcome: { result: CheckResult; message: string };
    try {
      outcome = await run();
    } catch (error) {
      if (isAbortError(error) || signal?.aborted) throw error;
      outcome = { result: 'fail', message: `The check could not be completed: ${messageOf(error)}` };
    }
    const done: CheckOutcome = { name, ...outcome, durationMs: Math.round(performance.now() - started) };
    outcomes.push(done);
    await db.verificationCheck.create({
      data: {
        verificationId: row.id,
        name,
        result: done.result,
        message: done.message.slice(0, 4000),
        durationMs: done.durationMs,
      },
    });
    await context.log(`${name}: ${done.result}. ${done.message}`, LEVEL_OF[done.result]);
  };

  try {
    for (const name of checks) {
      if (name === 'size')
        await record('size', async () => {
          context.reportProgress({ phase: 'Checking the stored size', bytesDone: 0, bytesTotal: null });
          const size = await checkSize(db, context.instanceKey, backup.id);
          if (size.verdict) sizeVerdict = { result: size.verdict, message: size.message };
          return size;
        });
      if (name === 'integrity') {
        if (checks.includes('dry-run'))
          extractDir = await createDryRunDir(dryRunBase(context.dataDir), row.id, backup.logicalBytes).catch((error) => {
            dryRunSetup = messageOf(error);
            return null;
          });
        await record('integrity', async () => {
          const integrity = await checkIntegrity(db, context.instanceKey, backup.id, {
            signal,
            extractTo: extractDir ?? undefined,
            onBytes: (bytesDone, bytesTotal) =>
              context.reportProgress({
                phase: extractDir
                  ? 'Reading, authenticating and restoring into a temporary directory'
                  : 'Reading and authenticating',
                bytesDone,
                bytesTotal,
              }),
          });
          manifest = integrity.manifest;
          integrityPassed = integrity.result === 'pass';
          return integrity;
        });
      }
      if (name === 'dry-run')
        await record('dry-run', async () => {
          if (dryRunSetup) return { result: 'fail', message: `Not run: ${dryRunSetup}` };
          if (!integrityPassed || !manifest || !extractDir)
            return {
              result: 'fail',
              message: 'Not run: the stored object did not pass the integrity check, so it cannot be restored.',
            };
          context.reportProgress({ phase: 'Dry-run restore: checking the restored files', bytesTotal: null });
          const dryRun = await checkDryRun(extractDir, manifest, {
            signal,
            onDatabase: (done, total, current) =>
              context.reportProgress({
                phase: 'Dry-run restore: checking SQLite databases',
                filesDone: done,
                filesTotal: total,
                currentItem: current,
              }),
          });
          if (dryRun.result === 'fail') dryRunVerdict = { result: 'corrupted', message: `dry-run restore: ${dryRun.message}` };
          return dryRun;
        });
      if (name === 'dry-run' && extractDir) {
        await removeDryRunDir(extractDir);
        extractDir = null;
      }
      if (name === 'staleness')
        await record('staleness', async () => {
          context.reportProgress({ phase: 'Checking staleness', bytesTotal: null });
          return checkStaleness(db, backup, (context.now ?? (() => new Date()))(), context.timeZone);
        });
    }
    await keepBackupInLine(db, backup.id, dryRunVerdict ?? (checks.includes('integrity') ? null : sizeVerdict));
    const state = STATE_OF[worstResult(outcomes.map((o) => o.result))];
    await db.verification.update({ where: { id: row.id }, data: { state, activeFor: null, finishedAt: new Date() } });
  } catch (error) {
    const cancelled = isAbortError(error) || Boolean(signal?.aborted);
    await db.verification.update({
      where: { id: row.id },
      data: {
        state: cancelled ? 'cancelled' : 'failed',
        message: cancelled ? 'Cancelled.' : `It stopped: ${messageOf(error)}`,
        activeFor: null,
        finishedAt: new Date(),
      },
    });
    throw error;
  } finally {
    if (extractDir) await removeDryRunDir(extractDir);
  }
  const view = await getVerification(db, row.id);
  if (!view) throw new AppError('internal', 'The verification disappeared.');
  return view;
}

/**
 * The backup's verifiedAt / verifyResult follow the verification's verdict on the stored
 * backup: the integrity check writes ok / corrupted / missing itself; a dry run that found
 * broken data makes it corrupted; a size check that found the object missing or of another
 * size sets that when integrity did not run. Staleness and the size trend never touch it.
 */
async function keepBackupInLine(db: Db, backupId: string, verdict: Verdict | null): Promise<void> {
  if (!verdict) return;
  await db.backup.update({
    where: { id: backupId },
    data: { verifiedAt: new Date(), verifyResult: verdict.result, verifyMessage: verdict.message.slice(0, 2000) },
  });
}
