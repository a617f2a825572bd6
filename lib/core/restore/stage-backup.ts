import { lstat } from 'node:fs/promises';
import { ArchiveDecryptor } from '../archive/decrypt-archive';
import { TarExtractor } from '../archive/extract-tar';
import { SYSTEM_DATABASE_ENTRY, SYSTEM_SECRETS_ENTRY } from '../backup/system-snapshot';
import { AppError, isAppError } from '../errors';
import type { PlannedAppRestore, PlannedVolume } from './plan-restore';
import { describeCorruption, readStoredObject, type StoredBackup } from './stored-backup';

export const CORRUPTED_MESSAGE = 'checksum mismatch: the backup is corrupted; nothing was changed';

function foreign(name: string): AppError {
  return new AppError('corrupted', `${CORRUPTED_MESSAGE} (the archive holds "${name}", which its manifest does not list)`);
}

/**
 * Maps a tar entry of a chosen app onto its staging directory, and the system database onto
 * `systemStaging` when the system part is restored; null for everything else.
 */
function routeFor(plans: PlannedAppRestore[], systemStaging: string | null) {
  const apps = new Map(plans.map((p) => [p.id, { plan: p, volumes: new Map(p.volumes.map((v) => [v.name, v])) }]));
  return (parts: string[]): { root: string; parts: string[] } | null => {
    const name = parts.join('/');
    if (systemStaging && name === SYSTEM_DATABASE_ENTRY) return { root: systemStaging, parts: ['cloudos.db'] };
    if (systemStaging && name === SYSTEM_SECRETS_ENTRY) return { root: systemStaging, parts: ['secrets.json'] };
    if (parts[0] !== 'apps' || parts.length < 3) return null;
    const app = apps.get(parts[1] ?? '');
    if (!app) return null;
    if (parts[2] === 'compose') return { root: app.plan.stagingDir, parts: parts.slice(2) };
    if (parts[2] !== 'volumes') throw foreign(parts.join('/'));
    if (parts.length === 3) return null;
    const volume = app.volumes.get(parts[3] ?? '');
    if (!volume) throw foreign(parts.join('/'));
    const rest = parts.slice(4);
    if (volume.entryType === 'directory') return { root: volume.stagingRoot, parts: rest };
    // A single-file bind mount: its folder holds exactly that one file.
    if (rest.length === 0) return null;
    if (rest.length > 1) throw foreign(parts.join('/'));
    return { root: volume.stagingRoot, parts: ['content'] };
  };
}

async function assertStaged(plan: PlannedAppRestore, volume: PlannedVolume): Promise<void> {
  if (!(await lstat(volume.staged).catch(() => null)))
    throw new AppError('corrupted', `${CORRUPTED_MESSAGE} (the archive lacks the volume ${volume.name} of ${plan.id})`);
}

/**
 * Streams the stored object through decryption (every chunk authenticated before its bytes
 * are used) and extraction into the staging directories; entries of other apps and the
 * system part are read and authenticated but not written. Succeeds only when the whole
 * object was read and its SHA-256 equals the catalog's and the target manifest's: only then
 * may live data be touched. Any integrity failure becomes "checksum mismatch…".
 */
export async function stageBackup(
  stored: StoredBackup,
  plans: PlannedAppRestore[],
  options: { signal?: AbortSignal; onBytes: (bytes: number) => void; systemStaging?: string | null },
): Promise<void> {
  const systemStaging = options.systemStaging ?? null;
  const decryptor = new ArchiveDecryptor({ masterKeys: [stored.masterKey], signal: options.signal });
  const extractor = new TarExtractor(plans[0]?.stagingDir ?? systemStaging ?? '/nonexistent', {
    signal: options.signal,
    route: routeFor(plans, systemStaging),
  });
  try {
    await extractor.extract(decryptor.decrypt(readStoredObject(stored, options.signal, options.onBytes)));
  } catch (error) {
    if (isAppError(error) && error.code === 'corrupted' && !error.message.startsWith(CORRUPTED_MESSAGE))
      throw new AppError('corrupted', `${CORRUPTED_MESSAGE} (${describeCorruption(error)})`, { cause: error });
    if (isAppError(error) && error.code === 'unsafe_archive')
      throw new AppError('unsafe_archive', `${error.message} Nothing was changed.`, { cause: error });
    throw error;
  }
  const sha256 = decryptor.info?.sha256;
  if (!sha256 || sha256 !== stored.backup.sha256 || sha256 !== stored.manifest.sha256)
    throw new AppError(
      'corrupted',
      `${CORRUPTED_MESSAGE} (the stored object has SHA-256 ${sha256 ?? 'unknown'}, the catalog ${stored.backup.sha256}, the manifest ${stored.manifest.sha256})`,
    );
  if (systemStaging && !(await lstat(`${systemStaging}/cloudos.db`).catch(() => null)))
    throw new AppError('corrupted', `${CORRUPTED_MESSAGE} (the archive lacks ${SYSTEM_DATABASE_ENTRY})`);
  for (const plan of plans) {
    for (const volume of plan.volumes) await assertStaged(plan, volume);
    for (const name of plan.composeFiles)
      if (!(await lstat(`${plan.stagingDir}/compose/${name}`).catch(() => null)))
        throw new AppError('corrupted', `${CORRUPTED_MESSAGE} (the archive lacks ${name} of ${plan.id})`);
  }
}
