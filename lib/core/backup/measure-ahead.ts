import { listApps, type VolumeLookup } from '../apps/inventory';
import { scanTree, type TreeSize } from '../apps/scan-tree';

/**
 * Measures the bind mounts of the apps a backup will hold (files, bytes, SQLite files: for
 * progress, ETA and the consistency mode) while Docker looks up the named volumes, instead of
 * one after the other: the apps are parsed once without Docker to learn which volumes the
 * inventory will ask for, every lookup is started at once (each is a docker process; the
 * runtime keeps the answers for the inventory), and the trees are scanned meanwhile.
 * Returns the sizes by host path, for planBackup; what it could not measure ahead (named
 * volumes) is measured there.
 */
export async function measureWhileDockerAnswers(
  appsDir: string,
  runtime: VolumeLookup,
  wanted: (appId: string) => boolean,
): Promise<Map<string, TreeSize>> {
  const names = new Set<string>();
  const parsed = await listApps(appsDir, {
    volumeMountpoint: async (name) => {
      names.add(name);
      return null;
    },
  });
  // Failures surface again, in their place, when the inventory asks for the same volume.
  const lookups = [...names].map((name) => runtime.volumeMountpoint(name).catch(() => null));
  const sizes = new Map<string, TreeSize>();
  for (const app of parsed) {
    if (app.error || !wanted(app.id)) continue;
    for (const volume of app.volumes) {
      if (volume.kind !== 'bind' || !volume.hostPath || volume.entryType === 'missing') continue;
      if (!sizes.has(volume.hostPath)) sizes.set(volume.hostPath, scanTree(volume.hostPath));
    }
  }
  await Promise.all(lookups);
  return sizes;
}
