import { statSync } from 'node:fs';
import { ArchiveEncryptor } from '../archive/encrypt-archive';
import { newArchiveId } from '../archive/format';
import type { Db } from '../db/client';
import { AppError, isAbortError, isAppError } from '../errors';
import type { ProgressUpdate } from '../jobs/job-progress';
import { formatBytes } from '../util/format-bytes';
import type { BackupRequest } from './backup-request';
import { BackupStream } from './backup-stream';
import { signManifest } from './manifest';
import type { BackupPlan } from './plan-backup';
import { prepareBackup } from './prepare-backup';
import { Quiescer } from './quiesce';
import { archiveKey, manifestKey, putSmallObject } from './repository';
import { snapshotSystem } from './system-snapshot';

export interface BackupEnvironment {
  appsDir: string;
  dataDir: string;
  databasePath: string;
  dockerBin: string;
}

export interface BackupContext {
  db: Db;
  instanceKey: Buffer;
  env: BackupEnvironment;
  jobId: string;
  createdBy?: string | null;
  signal?: AbortSignal;
  log: (message: string, level?: 'info' | 'warn' | 'error') => Promise<void>;
  reportProgress: (update: ProgressUpdate) => void;
}

export interface BackupResult {
  backupId: string;
  target: string;
  scope: 'full' | 'apps';
  apps: string[];
  objectKey: string;
  sha256: string;
  storedBytes: number;
  logicalBytes: number;
  fileCount: number;
  warnings: number;
}

const MAX_LOGGED_WARNINGS = 100;
/** How often the progress of the archiving is sampled (the speed, ETA and current file of that moment). */
const PROGRESS_SAMPLE_MS = 50;

function formatRate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

/**
 * One backup, end to end (DESIGN.md §4): plan what to archive, stop the apps that need it
 * while their volumes are read, stream tar → zstd → AES-256-GCM → the target, then write the
 * manifest (the commit marker) and record the backup. On any failure or cancel nothing stays
 * that looks like a backup: the upload is aborted, a completed object is deleted, stopped
 * containers are started again and the catalog row says why it failed.
 */
export async function runBackup(request: BackupRequest, context: BackupContext): Promise<BackupResult> {
  const { db, env, signal, log } = context;
  const prepared = await prepareBackup(request, context);
  const { plan, runtime, releaseLocks } = prepared;
  const appIds = plan.apps.map((a) => a.app.id);
  const id = newArchiveId();
  const objectKey = archiveKey(id);
  const startedAt = new Date();
  await db.backup.create({
    data: {
      id,
      targetId: prepared.targetId,
      jobId: context.jobId,
      scheduleId: request.scheduleId ?? null,
      scope: request.scope,
      apps: JSON.stringify(appIds),
      status: 'running',
      objectKey,
      createdBy: context.createdBy ?? null,
      startedAt,
    },
  });
  const quiescer = new Quiescer(runtime, log, async (stopped) => {
    await db.backup.update({ where: { id }, data: { quiesced: stopped.length > 0 ? JSON.stringify(stopped) : null } });
  });
  let warnings = 0;
  const warn = (message: string) => {
    warnings += 1;
    if (warnings <= MAX_LOGGED_WARNINGS) log(message, 'warn').catch(() => {});
    else if (warnings === MAX_LOGGED_WARNINGS + 1)
      log('More warnings follow; only the first 100 are logged.', 'warn').catch(() => {});
  };
  let uploaded = false;
  try {
    await log(
      `Backing up ${request.scope === 'full' ? 'the full system' : appIds.join(', ')} to ${request.target}: ` +
        `${plan.filesTotal} files, ${formatBytes(plan.bytesTotal)} of app data.`,
    );
    // Progress counts every byte put into the archive: the volumes, and also the Compose files
    // and the system database, so that 100 % means done.
    const bytesTotal = plan.bytesTotal + extraBytes(plan, env.databasePath);
    context.reportProgress({
      phase: 'Preparing the target',
      bytesDone: 0,
      bytesTotal,
      filesTotal: plan.filesTotal,
    });
    const { keys, target } = await prepared.targetReady;

    let phase = 'Archiving';
    const began = Date.now();
    let lastSample = 0;
    const stream = new BackupStream({
      id,
      plan,
      createdAt: startedAt,
      quiescer,
      snapshotSystem: () =>
        snapshotSystem(env.databasePath, env.dataDir, { instanceKey: context.instanceKey, masterKey: keys.masterKey }),
      signal,
      onPhase: (next, item) => {
        phase = next;
        context.reportProgress({ phase: next, currentItem: item ?? null });
      },
      onProgress: ({ files, bytes, currentPath }) => {
        // Called after every file (thousands a second); the job is written twice a second.
        const now = Date.now();
        if (now - lastSample < PROGRESS_SAMPLE_MS) return;
        lastSample = now;
        const seconds = (now - began) / 1000;
        const rate = seconds > 0 ? bytes / seconds : 0;
        const eta = rate > 0 && bytesTotal > bytes ? formatEta((bytesTotal - bytes) / rate) : '';
        context.reportProgress({
          phase,
          bytesDone: bytes,
          filesDone: files,
          currentItem: currentPath,
          message: [formatRate(rate), eta].filter(Boolean).join(', '),
        });
      },
      onWarning: warn,
    });
    const encryptor = new ArchiveEncryptor({ masterKey: keys.masterKey, keyFile: keys.keyFile, archiveId: id, signal });
    // The encryptor reuses its buffers: put() copies what it keeps (StorageTarget contract). A
    // local target has the encryptor's hashing thread write the file (FileWritableBody).
    await target.put(objectKey, encryptor.body(stream.stream()), { signal, sizeHint: bytesTotal });
    uploaded = true;
    await quiescer.restartAll();
    const stats = encryptor.stats;
    const contents = stream.contents;
    if (!stats || !contents) throw new AppError('internal', 'The archive stream ended early.');
    context.reportProgress({
      phase: 'Finalising',
      currentItem: null,
      bytesDone: contents.bytes,
      filesDone: contents.files,
      message: null,
    });
    const stored = await target.stat(objectKey);
    if (!stored || stored.size !== stats.storedBytes) {
      throw new AppError(
        'corrupted',
        `The target holds ${stored ? `${stored.size} bytes` : 'nothing'} for this backup, but ${stats.storedBytes} bytes were sent.`,
      );
    }
    const finishedAt = new Date();
    const manifest = signManifest(keys.masterKey, {
      format: 'cloudos-backup-manifest',
      version: 1,
      id,
      objectKey,
      keyId: keys.keyFile.keyId,
      createdAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      scope: request.scope,
      apps: appIds,
      logicalBytes: contents.bytes,
      storedBytes: stats.storedBytes,
      fileCount: contents.files,
      sha256: stats.sha256,
      contents,
    });
    if (signal?.aborted) throw signal.reason;
    await putSmallObject(target, manifestKey(id), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), signal);
    await db.backup.update({
      where: { id },
      data: {
        status: 'succeeded',
        logicalBytes: BigInt(contents.bytes),
        storedBytes: BigInt(stats.storedBytes),
        fileCount: contents.files,
        sha256: stats.sha256,
        manifest: JSON.stringify(contents),
        keyId: keys.keyFile.keyId,
        quiesced: quiescer.pending().length > 0 ? JSON.stringify(quiescer.pending()) : null,
        finishedAt,
      },
    });
    await log(
      `Backup ${id} stored: ${formatBytes(stats.storedBytes)} (from ${formatBytes(contents.bytes)}), SHA-256 ${stats.sha256}.`,
    );
    return {
      backupId: id,
      target: request.target,
      scope: request.scope,
      apps: appIds,
      objectKey,
      sha256: stats.sha256,
      storedBytes: stats.storedBytes,
      logicalBytes: contents.bytes,
      fileCount: contents.files,
      warnings,
    };
  } catch (error) {
    await quiescer.restartAll();
    const target = await prepared.openedTarget();
    // put() removes its partial upload when it fails, unless the target refuses even that (a
    // revoked key): then say so. An object that was completed is taken back.
    if (uploaded && target) await removeQuietly(target.delete(manifestKey(id)), target.delete(objectKey));
    else if (target)
      await target
        .discardPartial(objectKey)
        .catch((cleanupError: unknown) =>
          log(
            `The partial upload could not be removed from the target (${cleanupError instanceof Error ? cleanupError.message : String(cleanupError)}); ` +
              'it is not a backup and will be removed by a later cleanup.',
            'warn',
          ),
        );
    const cancelled = signal?.aborted || isAbortError(error);
    const appError = isAppError(error) ? error : null;
    await db.backup.update({
      where: { id },
      data: {
        status: cancelled ? 'cancelled' : 'failed',
        errorCode: cancelled ? 'cancelled' : (appError?.code ?? 'internal'),
        errorMessage: cancelled ? 'Cancelled.' : (appError?.message ?? String(error)).slice(0, 2000),
        quiesced: quiescer.pending().length > 0 ? JSON.stringify(quiescer.pending()) : null,
        finishedAt: new Date(),
      },
    });
    throw error;
  } finally {
    await prepared.closeTarget();
    await releaseLocks();
  }
}

function sizeOf(file: string | null): number {
  try {
    return file ? statSync(file).size : 0;
  } catch {
    return 0;
  }
}

function extraBytes(plan: BackupPlan, databasePath: string): number {
  const compose = plan.apps.reduce((n, { app }) => n + sizeOf(app.composeFile) + sizeOf(app.envFile), 0);
  return compose + (plan.includeSystem ? sizeOf(databasePath) + sizeOf(`${databasePath}-wal`) : 0);
}

async function removeQuietly(...operations: Promise<void>[]): Promise<void> {
  await Promise.allSettled(operations);
}
