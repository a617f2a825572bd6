import { type AppInfo, listApps, type VolumeLookup } from '../apps/inventory';
import { scanTree, type TreeSize } from '../apps/scan-tree';

/** The apps as their Compose files describe them, before Docker is asked anything. */
export interface AppsWithoutDocker {
  /** Named volumes are not resolved yet (no host path); everything else is as listApps says. */
  apps: AppInfo[];
  /** The Docker names of every named volume the apps declare. */
  volumeNames: string[];
}

/** Parses every app without Docker (cheap): enough to check a backup request and to plan the lookups. */
export async function describeAppsWithoutDocker(appsDir: string): Promise<AppsWithoutDocker> {
  const names = new Set<string>();
  const apps = await listApps(appsDir, {
    volumeMountpoint: async (name) => {
      names.add(name);
      return null;
    },
  });
  return { apps, volumeNames: [...names] };
}

/**
 * Measures the bind mounts of the apps a backup will hold (files, bytes, SQLite files: for
 * progress, ETA and the consistency mode) while Docker looks up the named volumes, instead of
 * one after the other: every lookup is started at once (each is a docker process; the
 * runtime keeps the answers for the inventory), and the trees are scanned before this
 * returns. The promise resolves, with the sizes by host path for planBackup, once Docker has
 * answered; what could not be measured ahead (named volumes) is measured there.
 */
export function measureWhileDockerAnswers(
  described: AppsWithoutDocker,
  runtime: VolumeLookup,
  wanted: (appId: string) => boolean,
): Promise<Map<string, TreeSize>> {
  // Failures surface again, in their place, when the inventory asks for the same volume.
  const lookups = described.volumeNames.map((name) => runtime.volumeMountpoint(name).catch(() => null));
  const sizes = new Map<string, TreeSize>();
  for (const app of described.apps) {
    if (app.error || !wanted(app.id)) continue;
    for (const volume of app.volumes) {
      if (volume.kind !== 'bind' || !volume.hostPath || volume.entryType === 'missing') continue;
      if (!sizes.has(volume.hostPath)) sizes.set(volume.hostPath, scanTree(volume.hostPath));
    }
  }
  return Promise.all(lookups).then(() => sizes);
}
