import { listApps } from '../apps/inventory';
import type { BackupContents } from '../backup/manifest';
import { isAppError } from '../errors';
import { DockerRuntime } from '../runtime/docker-runtime';
import { planRestore } from './plan-restore';

/** What restoring one app of a backup would do on this host now (the wizard's last step). */
export interface RestorePreviewApp {
  id: string;
  bytes: number;
  files: number;
  appDir: string;
  /** False when the app's directory is gone: it is recreated from the backup. */
  present: boolean;
  /** Services running now: stopped before the swap and started again after it. */
  runningServices: string[];
  /** Live data that is replaced by the backup's copy. */
  volumes: { name: string; hostPath: string }[];
  composeFiles: string[];
  /** Why this app cannot be restored on this host as it is (then it is not offered). */
  problem: string | null;
}

/**
 * Plans every app of a backup the way the restore job will (planRestore, which changes
 * nothing), one app at a time so that one app's problem does not hide the others' plans.
 * The job plans again when it runs: containers may have been started or stopped meanwhile.
 */
export async function previewRestore(
  contents: BackupContents,
  env: { appsDir: string; dockerBin: string },
): Promise<RestorePreviewApp[]> {
  const runtime = new DockerRuntime(env.dockerBin);
  const inventory = await listApps(env.appsDir, runtime);
  const preview: RestorePreviewApp[] = [];
  for (const app of contents.apps) {
    const entry: RestorePreviewApp = {
      id: app.id,
      bytes: app.bytes,
      files: app.files,
      appDir: '',
      present: false,
      runningServices: [],
      volumes: [],
      composeFiles: app.composeFiles,
      problem: null,
    };
    try {
      const [plan] = await planRestore({
        manifest: { contents },
        appIds: [app.id],
        inventory,
        appsDir: env.appsDir,
        restoreId: 'preview',
        runtime,
        missingVolumes: 'describe',
      });
      if (!plan) throw new Error(`No plan for ${app.id}.`);
      entry.appDir = plan.appDir;
      entry.present = plan.current !== null;
      entry.volumes = plan.volumes.map((v) => ({ name: v.name, hostPath: v.hostPath }));
      if (plan.current && !plan.current.error)
        entry.runningServices = (await runtime.containers(plan.current)).filter((c) => c.running).map((c) => c.service);
    } catch (error) {
      entry.problem = isAppError(error) || error instanceof Error ? error.message : String(error);
    }
    preview.push(entry);
  }
  return preview;
}
