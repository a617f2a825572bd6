import { getConsistencyOverrides } from '../apps/app-settings';
import { listApps } from '../apps/inventory';
import { AppError } from '../errors';
import { acquireAppLocks } from '../jobs/app-locks';
import { type BackupKeys, loadBackupKeys } from '../keys/backup-keys';
import { clearKeyFilePending } from '../keys/publish-key-file';
import { DockerRuntime } from '../runtime/docker-runtime';
import type { StorageTarget } from '../storage/storage-target';
import { openTarget } from '../targets/targets';
import type { BackupRequest } from './backup-request';
import { describeAppsWithoutDocker, measureWhileDockerAnswers } from './measure-ahead';
import { type BackupPlan, chooseApps, planBackup } from './plan-backup';
import { ensureRepository } from './repository';
import type { BackupContext } from './run-backup';

export interface PreparedBackup {
  targetId: string;
  runtime: DockerRuntime;
  plan: BackupPlan;
  /** The apps' locks (a backup and a restore of one app never overlap), held from here on. */
  releaseLocks: () => Promise<void>;
  /** The open target with its repository ready, and the keys; rejects with why not. */
  targetReady: Promise<{ target: StorageTarget; keys: BackupKeys }>;
  /** The target if it opened (to clean up after a failure), else null. */
  openedTarget: () => Promise<StorageTarget | null>;
  /** Closes the target once nothing is being written to it. */
  closeTarget: () => Promise<void>;
}

/**
 * Everything before a backup's catalog row: the request checked against the apps' Compose
 * files before Docker or the target is asked anything (a wrong request changes nothing); then,
 * at the same time, Docker's lookups of the named volumes (a process per call) with the
 * measuring of the bind mounts, and the target opened with its repository checked (a remote
 * target's round trips); then the plan and the apps' locks. A failure of the target is not
 * thrown here but through `targetReady`, so that the backup records it.
 */
export async function prepareBackup(request: BackupRequest, context: BackupContext): Promise<PreparedBackup> {
  const { db, instanceKey, env, signal, log } = context;
  const targetRow = await db.target.findUnique({ where: { name: request.target } });
  if (!targetRow) throw new AppError('not_found', `There is no target named "${request.target}".`);
  const runtime = new DockerRuntime(env.dockerBin);
  const described = await describeAppsWithoutDocker(env.appsDir);
  chooseApps(request.scope, request.apps, described.apps); // a wrong request fails here
  const wanted = (appId: string) => request.scope === 'full' || request.apps.includes(appId);
  const measuring = measureWhileDockerAnswers(described, runtime, wanted);
  measuring.catch(() => {}); // awaited below

  const opening = openTarget(db, instanceKey, request.target);
  const targetReady = Promise.all([opening, loadBackupKeys(db, instanceKey)]).then(async ([target, keys]) => {
    await ensureRepository(target, keys.keyFile, signal);
    if (targetRow.keyFilePending) await clearKeyFilePending(db, targetRow.id, keys.keyFile);
    return { target, keys };
  });
  targetReady.catch(() => {}); // the caller awaits it once the backup is recorded
  const closeTarget = async () => {
    await targetReady.catch(() => {}); // never close a target in the middle of a write
    await opening.then((target) => target.close()).catch(() => {});
  };

  try {
    const measured = await measuring;
    const inventory = await listApps(env.appsDir, runtime);
    // Known from the inventory's docker calls when it made any (no extra call then).
    const availability = await runtime.availability();
    if (availability !== 'available') {
      const why =
        availability === 'missing' ? `no docker CLI was found at "${env.dockerBin}"` : 'the Docker daemon is not running';
      await log(`Docker is not available (${why}): apps are treated as not running and archived as they are.`, 'warn');
    }
    const plan = planBackup(request.scope, request.apps, inventory, await getConsistencyOverrides(db), measured);
    for (const broken of plan.brokenApps) await log(`Skipping the app ${broken.id}: ${broken.error}`, 'warn');
    const appIds = plan.apps.map((a) => a.app.id);
    const releaseLocks = await acquireAppLocks(db, appIds, context.jobId, 'backup');
    return {
      targetId: targetRow.id,
      runtime,
      plan,
      releaseLocks,
      targetReady,
      openedTarget: async () => {
        await targetReady.catch(() => {}); // not while the repository check may still write
        return opening.catch(() => null);
      },
      closeTarget,
    };
  } catch (error) {
    await closeTarget();
    throw error;
  }
}
