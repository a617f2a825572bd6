import type { KeyFile } from '../crypto/key-file';
import { AppError } from '../errors';
import type { StorageTarget } from '../storage/storage-target';
import { type BackupManifest, manifestSchema } from './manifest';

// docs/FORMAT.md §4: where things live on a target.
export const MARKER_KEY = 'cloudos-backup.json';
export const archiveKey = (id: string) => `archives/${id}.cob`;
export const manifestKey = (id: string) => `manifests/${id}.json`;
export const keyFileKey = (keyId: string) => `keys/${keyId}.json`;
const MARKER = { format: 'cloudos-backup-repository', version: 1 } as const;

async function* once(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

export async function readSmallObject(target: StorageTarget, key: string, limit = 1024 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of await target.get(key)) {
    size += part.length;
    if (size > limit) throw new AppError('corrupted', `${key} on the target is larger than expected (over ${limit} bytes).`);
    parts.push(Buffer.from(part));
  }
  return Buffer.concat(parts);
}

export async function putSmallObject(target: StorageTarget, key: string, data: Buffer, signal?: AbortSignal): Promise<void> {
  await target.put(key, once(data), { signal, sizeHint: data.length });
}

/**
 * Whether the target is a repository: false when it holds no marker; throws `misconfigured`
 * for a marker that is not ours, or of a version this code cannot read.
 */
export async function hasRepository(target: StorageTarget): Promise<boolean> {
  if (!(await target.stat(MARKER_KEY))) return false;
  let marker: { format?: unknown; version?: unknown } | null;
  try {
    marker = JSON.parse((await readSmallObject(target, MARKER_KEY)).toString('utf8'));
  } catch {
    marker = null;
  }
  if (marker?.format !== MARKER.format)
    throw new AppError('misconfigured', `The target holds a ${MARKER_KEY} that is not a Cloud OS backup repository marker.`);
  if (marker.version !== MARKER.version)
    throw new AppError(
      'misconfigured',
      `The repository on this target has format version ${String(marker.version)}; this version of Cloud OS Backups reads version ${MARKER.version}. Update Cloud OS Backups to use it.`,
    );
  return true;
}

const keyFileBytes = (keyFile: KeyFile) => Buffer.from(`${JSON.stringify(keyFile, null, 2)}\n`);

/** Writes the key file to `keys/<keyId>.json` unless the target holds exactly it already. */
export async function putKeyFile(target: StorageTarget, keyFile: KeyFile, signal?: AbortSignal): Promise<void> {
  const keyJson = keyFileBytes(keyFile);
  const stored = (await target.stat(keyFileKey(keyFile.keyId))) ? await readSmallObject(target, keyFileKey(keyFile.keyId)) : null;
  if (!stored?.equals(keyJson)) await putSmallObject(target, keyFileKey(keyFile.keyId), keyJson, signal);
}

/**
 * Makes the target a repository, or checks that it is one: the marker, and the current key
 * file (so a new server can open these backups with the passphrase alone). A key file that
 * changed with the passphrase replaces the old one; other instances' key files stay.
 */
export async function ensureRepository(target: StorageTarget, keyFile: KeyFile, signal?: AbortSignal): Promise<void> {
  if (!(await hasRepository(target)))
    await putSmallObject(target, MARKER_KEY, Buffer.from(`${JSON.stringify(MARKER)}\n`), signal);
  await putKeyFile(target, keyFile, signal);
}

export async function readManifest(target: StorageTarget, id: string): Promise<BackupManifest | null> {
  if (!(await target.stat(manifestKey(id)))) return null;
  const raw = (await readSmallObject(target, manifestKey(id), 64 * 1024 * 1024)).toString('utf8');
  const parsed = manifestSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new AppError('corrupted', `The manifest of backup ${id} on the target is not valid.`);
  return parsed.data;
}
