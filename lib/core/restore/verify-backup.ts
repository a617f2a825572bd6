import { ArchiveDecryptor } from '../archive/decrypt-archive';
import { TarExtractor } from '../archive/extract-tar';
import { getBackup } from '../backup/catalog';
import type { BackupManifest } from '../backup/manifest';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { describeCorruption, openStoredBackup, readStoredObject, StoredBackupProblem } from './stored-backup';

export type VerifyOutcome = 'ok' | 'corrupted' | 'missing';

export interface VerifyResult {
  backupId: string;
  result: VerifyOutcome;
  message: string;
  /** SHA-256 of the bytes read from the target (null when they could not all be read). */
  sha256: string | null;
  storedBytes: number;
  verifiedAt: string;
}

export interface VerifyOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { bytesDone: number; bytesTotal: number }) => void;
  /**
   * Also write the archive's entries below this existing, empty directory (a verification's
   * dry-run restore), during the same one read of the object. The caller removes it.
   */
  extractTo?: string;
}

type Outcome = Omit<VerifyResult, 'verifiedAt' | 'backupId'>;

/**
 * Reads a backup's stored object from its target without restoring anything: every chunk
 * authenticated, the tar's file list checked (a dry run of the extractor), and the SHA-256 of
 * the stored bytes compared with the catalog's and the target manifest's. The outcome is
 * stored with the backup. Integrity failures are a result (corrupted / missing), not an
 * error; a target that cannot be reached is an error, since then nothing is known.
 */
export async function verifyBackup(
  db: Db,
  instanceKey: Buffer,
  backupId: string,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  return (await verifyStoredBackup(db, instanceKey, backupId, options)).result;
}

/**
 * verifyBackup, also returning the target's manifest (its MAC and its agreement with the
 * catalog checked) when it could be read, for checks that compare the contents with it.
 */
export async function verifyStoredBackup(
  db: Db,
  instanceKey: Buffer,
  backupId: string,
  options: VerifyOptions = {},
): Promise<{ result: VerifyResult; manifest: BackupManifest | null }> {
  const { id, storedBytes } = await getBackup(db, backupId);
  let outcome: Outcome;
  let manifest: BackupManifest | null = null;
  try {
    outcome = await checkStoredBackup(db, instanceKey, id, options, (m) => {
      manifest = m;
    });
  } catch (error) {
    if (error instanceof StoredBackupProblem) outcome = { result: error.kind, message: error.message, sha256: null, storedBytes };
    else if (error instanceof AppError && (error.code === 'corrupted' || error.code === 'unsafe_archive'))
      outcome = { result: 'corrupted', message: describeCorruption(error), sha256: null, storedBytes };
    else throw error;
  }
  const verifiedAt = new Date();
  await db.backup.update({
    where: { id },
    data: { verifiedAt, verifyResult: outcome.result, verifyMessage: outcome.message.slice(0, 2000) },
  });
  return { result: { backupId: id, ...outcome, verifiedAt: verifiedAt.toISOString() }, manifest };
}

async function checkStoredBackup(
  db: Db,
  instanceKey: Buffer,
  id: string,
  options: VerifyOptions,
  onManifest: (manifest: BackupManifest) => void,
): Promise<Outcome> {
  const stored = await openStoredBackup(db, instanceKey, id);
  onManifest(stored.manifest);
  try {
    const total = stored.manifest.storedBytes;
    const decryptor = new ArchiveDecryptor({ masterKeys: [stored.masterKey], signal: options.signal });
    const source = readStoredObject(stored, options.signal, (bytesDone) =>
      options.onProgress?.({ bytesDone, bytesTotal: total }),
    );
    const extractor = options.extractTo
      ? new TarExtractor(options.extractTo, { signal: options.signal })
      : new TarExtractor('/nonexistent-dry-run', { dryRun: true, signal: options.signal });
    await extractor.extract(decryptor.decrypt(source));
    const info = decryptor.info;
    if (!info) throw new AppError('internal', 'The archive reader did not finish.');
    if (info.sha256 !== stored.backup.sha256)
      return {
        result: 'corrupted',
        message: `checksum mismatch: the stored object has SHA-256 ${info.sha256}, the catalog and manifest ${stored.backup.sha256}.`,
        sha256: info.sha256,
        storedBytes: info.storedBytes,
      };
    return {
      result: 'ok',
      message: `Every chunk authenticated; SHA-256 ${info.sha256} matches the catalog and the manifest.`,
      sha256: info.sha256,
      storedBytes: info.storedBytes,
    };
  } finally {
    await stored.target.close().catch(() => {});
  }
}
