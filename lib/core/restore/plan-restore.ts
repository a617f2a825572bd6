import { lstat, mkdir, rm, stat, statfs } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { type AppInfo, COMPOSE_FILE_NAMES, defaultProjectName } from '../apps/inventory';
import type { BackupManifest, ManifestVolume } from '../backup/manifest';
import { AppError } from '../errors';
import type { DockerRuntime } from '../runtime/docker-runtime';
import type { RestoreRequest } from './restore-request';

/** One volume to put back: where it lives on this host and where it is staged meanwhile. */
export interface PlannedVolume {
  name: string;
  entryType: ManifestVolume['entryType'];
  hostPath: string;
  /** A fresh directory on the host path's filesystem; for a directory volume it IS the staged volume. */
  stagingRoot: string;
  /** What is renamed onto `hostPath`: the staging root, or the one file inside it. */
  staged: string;
  bytes: number;
}

export interface PlannedAppRestore {
  id: string;
  appDir: string;
  /** The app as it is now (null when its directory is gone): whose containers to stop. */
  current: AppInfo | null;
  /** `<appsDir>/.restore-<restore id>-<app>`: the compose files and volumes below the apps dir. */
  stagingDir: string;
  composeFiles: string[];
  volumes: PlannedVolume[];
  bytes: number;
}

const ALLOWED_COMPOSE_FILES = new Set<string>([...COMPOSE_FILE_NAMES, '.env']);

function isUnder(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Which apps of the backup the request means; refuses anything the backup does not hold. */
export function chooseApps(
  request: RestoreRequest,
  manifest: Pick<BackupManifest, 'id' | 'scope'> & { contents: { apps: { id: string }[] } },
): string[] {
  const inBackup = manifest.contents.apps.map((a) => a.id);
  if (request.system && manifest.scope !== 'full')
    throw new AppError('invalid_input', `Backup ${manifest.id} holds apps only, not the system settings and user accounts.`);
  // With the system part asked for, leaving the apps out means "the system part only".
  if (request.system && !request.apps) return [];
  const chosen = request.apps ?? inBackup;
  for (const id of chosen)
    if (!inBackup.includes(id))
      throw new AppError(
        'invalid_input',
        `Backup ${manifest.id} does not hold the app "${id}" (it holds: ${inBackup.join(', ') || 'no apps'}).`,
      );
  if (chosen.length === 0) throw new AppError('invalid_input', `Backup ${manifest.id} holds no apps to restore.`);
  return [...new Set(chosen)];
}

/** A named volume this host lacks: created by the restore, or (a preview) only described. */
export type MissingVolumes = 'create' | 'describe';

async function hostPathOf(
  volume: ManifestVolume,
  appId: string,
  appDir: string,
  current: AppInfo | null,
  runtime: DockerRuntime,
  missing: MissingVolumes,
): Promise<string> {
  const known = current?.volumes.find((v) => v.name === volume.name && v.kind === volume.kind && v.source === volume.source);
  if (known?.hostPath) return known.hostPath;
  if (volume.kind === 'bind') {
    const expanded = volume.source.startsWith('~') ? path.join(homedir(), volume.source.slice(1)) : volume.source;
    return path.resolve(appDir, expanded);
  }
  // The app's directory is gone (a new server): the volume the backed-up Compose file uses —
  // recorded by the backup; for backups made before that, Compose's default name.
  const project = current?.project ?? defaultProjectName(appId);
  const name = volume.dockerName ?? `${project}_${volume.source}`;
  const mountpoint = await runtime.volumeMountpoint(name);
  if (mountpoint) return mountpoint;
  // Labelled as Compose labels the volumes it makes, when the name is Compose's own.
  const compose = name.endsWith(`_${volume.source}`)
    ? { project: name.slice(0, -volume.source.length - 1), volume: volume.source }
    : null;
  if (missing === 'create') return runtime.createVolume(name, compose);
  if ((await runtime.availability()) !== 'available')
    throw new AppError(
      'unavailable',
      `The named volume "${volume.source}" of ${appId} does not exist on this host, and only a running Docker engine can create it: start Docker first.`,
    );
  return `${name} (a new Docker volume, created by the restore)`;
}

/**
 * Resolves where every chosen app's data goes, and where each piece is staged. Changes nothing,
 * except that with `missingVolumes: 'create'` (the restore itself) a named volume missing on
 * this host is created, empty, through the engine; a preview only describes it.
 */
export async function planRestore(options: {
  // Only the contents are read, so the wizard can plan from the catalog's copy of them.
  manifest: Pick<BackupManifest, 'contents'>;
  appIds: string[];
  inventory: AppInfo[];
  appsDir: string;
  restoreId: string;
  runtime: DockerRuntime;
  missingVolumes: MissingVolumes;
}): Promise<PlannedAppRestore[]> {
  const appsDir = path.resolve(options.appsDir);
  const plans: PlannedAppRestore[] = [];
  for (const appId of options.appIds) {
    const entry = options.manifest.contents.apps.find((a) => a.id === appId);
    if (!entry) throw new AppError('internal', `The manifest lost the app ${appId}.`);
    const appDir = path.join(appsDir, appId);
    if (path.dirname(appDir) !== appsDir)
      throw new AppError('corrupted', `The backup names an app "${appId}" outside the apps directory.`);
    for (const name of entry.composeFiles)
      if (!ALLOWED_COMPOSE_FILES.has(name))
        throw new AppError('corrupted', `The backup of ${appId} names an unexpected compose file "${name}".`);
    const current = options.inventory.find((a) => a.id === appId) ?? null;
    const stagingDir = path.join(appsDir, `.restore-${options.restoreId}-${appId}`);
    const volumes: PlannedVolume[] = [];
    for (const volume of entry.volumes) {
      const hostPath = await hostPathOf(volume, appId, appDir, current, options.runtime, options.missingVolumes);
      if (hostPath === path.parse(hostPath).root || hostPath === appsDir)
        throw new AppError('invalid_input', `The volume ${volume.name} of ${appId} would replace ${hostPath}; refusing.`);
      const stagingRoot = isUnder(hostPath, appsDir)
        ? path.join(stagingDir, 'volumes', volume.name)
        : path.join(path.dirname(hostPath), `.restore-${options.restoreId}-${appId}-${volume.name}`);
      volumes.push({
        name: volume.name,
        entryType: volume.entryType,
        hostPath,
        stagingRoot,
        staged: volume.entryType === 'file' ? path.join(stagingRoot, 'content') : stagingRoot,
        bytes: volume.bytes,
      });
    }
    plans.push({ id: appId, appDir, current, stagingDir, composeFiles: entry.composeFiles, volumes, bytes: entry.bytes });
  }
  return plans;
}

async function nearestExisting(dir: string): Promise<string> {
  let current = dir;
  while (!(await stat(current).catch(() => null))) current = path.dirname(current);
  return current;
}

/** Refuses a restore whose staged data would not fit beside the live data (it is written first). */
export async function checkFreeSpace(plans: PlannedAppRestore[]): Promise<void> {
  const needs = new Map<number, { dir: string; bytes: number }>();
  const add = async (dir: string, bytes: number) => {
    const existing = await nearestExisting(dir);
    const { dev } = await stat(existing);
    const need = needs.get(dev) ?? { dir: existing, bytes: 0 };
    need.bytes += bytes;
    needs.set(dev, need);
  };
  for (const plan of plans) {
    const outside = plan.volumes.filter((v) => !v.stagingRoot.startsWith(plan.stagingDir + path.sep));
    const outsideBytes = outside.reduce((sum, v) => sum + v.bytes, 0);
    await add(path.dirname(plan.stagingDir), plan.bytes - outsideBytes);
    for (const volume of outside) await add(path.dirname(volume.stagingRoot), volume.bytes);
  }
  for (const { dir, bytes } of needs.values()) {
    const fs = await statfs(dir);
    const free = fs.bavail * fs.bsize;
    // 1 % or 64 MiB of headroom: directories and metadata take room too.
    const wanted = bytes + Math.max(64 * 1024 * 1024, bytes * 0.01);
    if (free < wanted)
      throw new AppError(
        'no_space',
        `Not enough free space in ${dir}: the restore stages ${(wanted / 1e6).toFixed(1)} MB there before swapping, ${(free / 1e6).toFixed(1)} MB are free. Nothing was changed.`,
      );
  }
}

/** Creates the empty staging directories (beside the data they will replace). */
export async function createStaging(plans: PlannedAppRestore[]): Promise<void> {
  for (const plan of plans) {
    await mkdir(path.join(plan.stagingDir, 'volumes'), { recursive: true, mode: 0o700 });
    for (const volume of plan.volumes) {
      await mkdir(path.dirname(volume.stagingRoot), { recursive: true });
      await mkdir(volume.stagingRoot, { mode: 0o700 });
    }
  }
}

/** Removes whatever staging is left (all of it after a failure, the emptied dirs after a swap). */
export async function removeStaging(plans: PlannedAppRestore[]): Promise<void> {
  for (const plan of plans) {
    for (const volume of plan.volumes)
      if ((await lstat(volume.stagingRoot).catch(() => null)) && volume.stagingRoot !== volume.hostPath)
        await rm(volume.stagingRoot, { recursive: true, force: true });
    await rm(plan.stagingDir, { recursive: true, force: true });
  }
}
