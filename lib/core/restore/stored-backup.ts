import { type BackupDetail, getBackup } from '../backup/catalog';
import { type BackupManifest, manifestMacValid } from '../backup/manifest';
import { manifestKey, readManifest } from '../backup/repository';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { loadKeyRing } from '../keys/key-ring';
import type { StorageTarget } from '../storage/storage-target';
import { openTargetById } from '../targets/targets';

/** Why a stored backup cannot be trusted: `missing` (not on the target) or `corrupted`. */
export class StoredBackupProblem extends AppError {
  constructor(
    readonly kind: 'missing' | 'corrupted',
    message: string,
  ) {
    super(kind === 'missing' ? 'not_found' : 'corrupted', message);
  }
}

export interface StoredBackup {
  backup: BackupDetail;
  target: StorageTarget;
  masterKey: Buffer;
  /** The target's manifest, its MAC checked and its SHA-256 equal to the catalog's. */
  manifest: BackupManifest;
}

/**
 * Finds a finished backup in the catalog and checks what its target holds before a byte of
 * the object is read: the object and its manifest exist, the manifest's MAC verifies under
 * the master key it names (one the instance holds: its own, or an imported one), and it names
 * the same object, size and SHA-256 as the catalog. The caller closes `target`.
 */
export async function openStoredBackup(db: Db, instanceKey: Buffer, idOrPrefix: string): Promise<StoredBackup> {
  const backup = await getBackup(db, idOrPrefix);
  if (backup.status !== 'succeeded' || !backup.sha256)
    throw new AppError('invalid_input', `Backup ${backup.id} is ${backup.status}, not a finished backup; nothing to read.`);
  const ring = await loadKeyRing(db, instanceKey);
  const target = await openTargetById(db, instanceKey, backup.target.id);
  try {
    const where = `on the target "${backup.target.name}"`;
    const manifest = await readManifest(target, backup.id).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'corrupted')
        throw new StoredBackupProblem('corrupted', `manifest disagrees: ${error.message}`);
      if (error instanceof SyntaxError)
        throw new StoredBackupProblem('corrupted', `manifest disagrees: ${manifestKey(backup.id)} is not JSON.`);
      throw error;
    });
    if (!manifest) throw new StoredBackupProblem('missing', `The manifest ${manifestKey(backup.id)} is not ${where}.`);
    const stored = await target.stat(backup.objectKey);
    if (!stored) throw new StoredBackupProblem('missing', `The stored object ${backup.objectKey} is not ${where}.`);
    const masterKey = ring.get(manifest.keyId)?.masterKey;
    if (!masterKey)
      throw new StoredBackupProblem(
        'corrupted',
        `manifest disagrees: it names the master key ${manifest.keyId}, which this instance does not hold (import the target's backups with that key's passphrase).`,
      );
    if (!manifestMacValid(masterKey, manifest))
      throw new StoredBackupProblem(
        'corrupted',
        'manifest disagrees: its MAC does not verify (changed, or written with another master key).',
      );
    const disagreement =
      manifest.id !== backup.id || manifest.objectKey !== backup.objectKey
        ? `it describes ${manifest.objectKey}, the catalog ${backup.objectKey}`
        : manifest.sha256 !== backup.sha256
          ? `it gives SHA-256 ${manifest.sha256}, the catalog ${backup.sha256}`
          : manifest.storedBytes !== backup.storedBytes
            ? `it gives ${manifest.storedBytes} stored bytes, the catalog ${backup.storedBytes}`
            : null;
    if (disagreement) throw new StoredBackupProblem('corrupted', `manifest disagrees with the catalog: ${disagreement}.`);
    if (stored.size !== manifest.storedBytes)
      throw new StoredBackupProblem(
        'corrupted',
        `truncated or extended: the target holds ${stored.size} bytes, the manifest says ${manifest.storedBytes}.`,
      );
    return { backup, target, masterKey, manifest };
  } catch (error) {
    await target.close().catch(() => {});
    throw error;
  }
}

/** The stored object as a stream, counting the bytes read for progress. */
export async function* readStoredObject(
  stored: StoredBackup,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  let source: AsyncIterable<Uint8Array>;
  try {
    source = await stored.target.get(stored.backup.objectKey, { signal });
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found')
      throw new StoredBackupProblem('missing', `The stored object ${stored.backup.objectKey} is not on the target.`);
    throw error;
  }
  for await (const piece of source) {
    bytes += piece.length;
    onBytes(bytes);
    yield piece;
  }
}

/** The message of an integrity failure while reading, named by what failed. */
export function describeCorruption(error: AppError): string {
  const text = error.message;
  if (/truncated|ends (after|inside)|without the end-of-archive/.test(text)) return `truncated: ${text}`;
  if (/authentication|tampered/.test(text)) return `authentication failure: ${text}`;
  return text;
}
