import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { listApps } from '../apps/inventory';
import type { BackupEnvironment } from '../backup/run-backup';
import type { Db } from '../db/client';
import { AppError, isAppError } from '../errors';
import { acquireAppLocks } from '../jobs/app-locks';
import type { ProgressUpdate } from '../jobs/job-progress';
import { DockerRuntime } from '../runtime/docker-runtime';
import { checkFreeSpace, chooseApps, createStaging, planRestore, removeStaging } from './plan-restore';
import { RestoreJournal } from './restore-journal';
import { type RestoreRequest, restoreRequestSchema } from './restore-request';
import { applySystemSnapshot, describeSystemRestore, readStagedSecrets, readSystemSnapshot } from './restore-system';
import { CORRUPTED_MESSAGE, stageBackup } from './stage-backup';
import { openStoredBackup, StoredBackupProblem } from './stored-backup';
import { type SwapHooks, swapApp } from './swap-app';

export interface RestoreContext {
  db: Db;
  instanceKey: Buffer;
  env: BackupEnvironment;
  jobId: string;
  signal?: AbortSignal;
  log: (message: string, level?: 'info' | 'warn' | 'error') => Promise<void>;
  reportProgress: (update: ProgressUpdate) => void;
  /** For tests: fail a swap step on purpose. */
  hooks?: SwapHooks;
}

export interface RestoreResult {
  backupId: string;
  restored: string[];
  rolledBack: { app: string; reason: string }[];
  system: boolean;
}

/**
 * Restores apps from a backup (DESIGN.md §6): checks the request against the backup's
 * manifest, locks the apps, checks free space, then stages every chosen app's data beside its
 * live data while the whole object is read, authenticated and hashed. Live data is touched
 * only when the SHA-256 equals the catalog's and the manifest's; then each app is swapped in
 * on its own (swapApp), and an app whose swap fails is rolled back while the others proceed.
 */
export async function runRestore(rawRequest: RestoreRequest, context: RestoreContext): Promise<RestoreResult> {
  const parsed = restoreRequestSchema.safeParse(rawRequest);
  if (!parsed.success) throw new AppError('invalid_input', parsed.error.issues[0]?.message ?? 'Invalid restore request.');
  const request = parsed.data;
  const { db, env, log, signal } = context;
  let stored: Awaited<ReturnType<typeof openStoredBackup>>;
  try {
    stored = await openStoredBackup(db, context.instanceKey, request.backupId);
  } catch (error) {
    if (error instanceof StoredBackupProblem && error.kind === 'corrupted')
      throw new AppError('corrupted', `${CORRUPTED_MESSAGE} (${error.message})`);
    if (error instanceof StoredBackupProblem) throw new AppError('not_found', `${error.message} Nothing was changed.`);
    throw error;
  }
  const backupId = stored.backup.id;
  const restoreId = context.jobId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24) || 'manual';
  let releaseLocks: (() => Promise<void>) | null = null;
  let plans: Awaited<ReturnType<typeof planRestore>> = [];
  let staged = false;
  let journal: RestoreJournal | null = null;
  let systemStaging: string | null = null;
  try {
    const appIds = chooseApps(request, stored.manifest);
    const runtime = new DockerRuntime(env.dockerBin);
    releaseLocks = await acquireAppLocks(db, appIds, context.jobId, 'restore');
    const inventory = await listApps(env.appsDir, runtime);
    plans = await planRestore({
      manifest: stored.manifest,
      appIds,
      inventory,
      appsDir: env.appsDir,
      restoreId,
      runtime,
      missingVolumes: 'create',
    });
    await checkFreeSpace(plans);
    if (request.system) systemStaging = path.join(env.dataDir, `.restore-${restoreId}-system`);
    const parts = [...appIds, ...(request.system ? ['the system settings and user accounts'] : [])];
    await log(`Restoring ${parts.join(', ')} from backup ${backupId} (made ${stored.manifest.createdAt}).`);

    const total = stored.manifest.storedBytes;
    context.reportProgress({ phase: 'Downloading, verifying and extracting', bytesDone: 0, bytesTotal: total });
    journal = await RestoreJournal.create(env.dataDir, {
      jobId: context.jobId,
      backupId,
      staging: [
        ...plans.flatMap((p) => [p.stagingDir, ...p.volumes.map((v) => v.stagingRoot)]),
        ...(systemStaging ? [systemStaging] : []),
      ],
      apps: plans.map((p) => ({ id: p.id, state: 'pending', steps: [] })),
    });
    staged = true;
    await createStaging(plans);
    if (systemStaging) await mkdir(systemStaging, { mode: 0o700 });
    await stageBackup(stored, plans, {
      signal,
      systemStaging,
      onBytes: (bytesDone) =>
        context.reportProgress({ phase: 'Downloading, verifying and extracting', bytesDone, bytesTotal: total }),
    });
    await log(`Every chunk authenticated; SHA-256 ${stored.manifest.sha256} matches the catalog and the manifest.`);
    context.reportProgress({ phase: 'Checksum verified', bytesDone: total });
    if (signal?.aborted) throw signal.reason;

    // From here on live data changes, one app at a time; cancelling now would leave an app half
    // swapped, so the swaps run to their end and each either completes or rolls back.
    const result: RestoreResult = { backupId, restored: [], rolledBack: [], system: false };
    if (systemStaging) {
      // One transaction: the accounts and settings come back whole or not at all.
      context.reportProgress({ phase: 'Restoring the system settings and user accounts', currentItem: 'system' });
      const counts = await applySystemSnapshot(db, readSystemSnapshot(path.join(systemStaging, 'cloudos.db')), {
        instanceKey: context.instanceKey,
        secrets: readStagedSecrets(systemStaging, stored.masterKey),
      });
      result.system = true;
      await log(describeSystemRestore(counts));
      if (counts.targetsWithoutSecret.length > 0)
        await log(
          `This backup predates secrets travelling with it: enter the secrets of ${counts.targetsWithoutSecret.join(', ')} again (edit the target).`,
          'warn',
        );
    }
    for (const plan of plans) {
      context.reportProgress({ phase: `Restoring ${plan.id}`, currentItem: plan.id });
      try {
        await swapApp(plan, {
          runtime,
          restoreId,
          log,
          journal: journal ?? undefined,
          hooks: context.hooks,
          onPhase: (phase) => context.reportProgress({ phase, currentItem: plan.id }),
        });
        result.restored.push(plan.id);
        await log(`Restored ${plan.id}.`);
      } catch (error) {
        const reason = isAppError(error) || error instanceof Error ? error.message : String(error);
        result.rolledBack.push({ app: plan.id, reason });
        await log(`${plan.id} was rolled back to its data before the restore: ${reason}`, 'error');
      }
    }
    context.reportProgress({ phase: 'Finished', currentItem: null });
    return result;
  } finally {
    const cleaned =
      !staged ||
      (await removeStaging(plans)
        .then(() => (systemStaging ? rm(systemStaging, { recursive: true, force: true }) : undefined))
        .then(
          () => true,
          async (error: unknown) => {
            await log(`Could not remove the staging (recovery will): ${String(error)}`, 'warn');
            return false;
          },
        ));
    // Every app is swapped or rolled back and the staging is gone: nothing left to recover.
    if (cleaned) await journal?.remove();
    await stored.target.close().catch(() => {});
    await releaseLocks?.();
  }
}
