import type { ConsistencyMode } from '../apps/app-settings';
import { type AppInfo, type AppVolume, effectiveConsistency } from '../apps/inventory';
import { scanTree, type TreeSize } from '../apps/scan-tree';
import { AppError } from '../errors';

export type BackupScope = 'full' | 'apps';

export interface PlannedVolume extends AppVolume {
  hostPath: string;
  entryType: 'directory' | 'file';
  files: number;
  bytes: number;
}

export interface PlannedApp {
  app: AppInfo;
  consistency: ConsistencyMode;
  volumes: PlannedVolume[];
  /** Volumes whose data was not found on this host (reported, not archived). */
  missing: AppVolume[];
  files: number;
  bytes: number;
}

export interface BackupPlan {
  scope: BackupScope;
  apps: PlannedApp[];
  includeSystem: boolean;
  /** Apps left out of a full backup because they cannot be read, with the reason. */
  brokenApps: { id: string; error: string }[];
  filesTotal: number;
  bytesTotal: number;
}

/**
 * The apps a backup of `scope` holds: the requested ones (each must exist and be readable),
 * or for a full backup every readable app, with the others and why they are left out.
 */
export function chooseApps(
  scope: BackupScope,
  requested: string[],
  inventory: AppInfo[],
): { chosen: AppInfo[]; brokenApps: BackupPlan['brokenApps'] } {
  if (scope === 'full') {
    const brokenApps = inventory.flatMap((a) => (a.error ? [{ id: a.id, error: a.error }] : []));
    return { chosen: inventory.filter((a) => !a.error), brokenApps };
  }
  if (requested.length === 0) throw new AppError('invalid_input', 'Choose at least one app to back up.');
  const chosen = requested.map((id) => {
    const app = inventory.find((a) => a.id === id);
    if (!app) {
      const known = inventory.map((a) => a.id).join(', ') || 'none';
      throw new AppError('invalid_input', `There is no app "${id}" (apps: ${known}).`);
    }
    if (app.error) throw new AppError('invalid_input', `The app "${id}" cannot be backed up: ${app.error}`);
    return app;
  });
  return { chosen, brokenApps: [] };
}

/**
 * Decides what a backup holds: the apps of its scope with their volumes, sizes (for progress
 * and ETA) and consistency mode. Asking for an unknown or broken app fails before anything
 * is written.
 */
export function planBackup(
  scope: BackupScope,
  requested: string[],
  inventory: AppInfo[],
  overrides: Map<string, ConsistencyMode>,
  /** Trees measured already, by host path (measureWhileDockerAnswers). */
  measured: Map<string, TreeSize> = new Map(),
): BackupPlan {
  const { chosen, brokenApps } = chooseApps(scope, requested, inventory);
  const apps = chosen.map((app): PlannedApp => {
    const volumes: PlannedVolume[] = [];
    const missing: AppVolume[] = [];
    let sqliteFound = false;
    for (const volume of app.volumes) {
      if (!volume.hostPath || volume.entryType === 'missing') {
        missing.push(volume);
        continue;
      }
      const size = measured.get(volume.hostPath) ?? scanTree(volume.hostPath);
      sqliteFound ||= size.sqliteFiles.length > 0;
      volumes.push({ ...volume, hostPath: volume.hostPath, entryType: volume.entryType, files: size.files, bytes: size.bytes });
    }
    const files = volumes.reduce((n, v) => n + v.files, 0);
    const bytes = volumes.reduce((n, v) => n + v.bytes, 0);
    return { app, consistency: effectiveConsistency(app, overrides, sqliteFound), volumes, missing, files, bytes };
  });
  return {
    scope,
    apps,
    includeSystem: scope === 'full',
    brokenApps,
    filesTotal: apps.reduce((n, a) => n + a.files, 0),
    bytesTotal: apps.reduce((n, a) => n + a.bytes, 0),
  };
}
